"""What start-up loads: the first window needs little, the rest is loaded when first used (issue 18).

A real interpreter builds and shows the main window on a real database file, as
``gui.app.run`` does after signing in, and reports the modules it has loaded by
then, in the order they were loaded. A module named here that creeps back into
start-up fails this test before the seconds come back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# The first window of a signed-in clerk: the main window with its 工作台 filled.
SHOW_MAIN_WINDOW = """
import json, sys
from request_desk.gui.app import create_application
from PySide6.QtWidgets import QApplication
from request_desk.core.storage.db import Database
from request_desk.gui.context import DeskContext
from request_desk.gui.main_window import MainWindow

app = create_application()
db = Database.open(sys.argv[1])
window = MainWindow(DeskContext(db=db, user="clerk"))
window.show()
QApplication.processEvents()
print(json.dumps({"modules": list(sys.modules), "page": window.stack.currentWidget().objectName()}))
db.close()
"""

# Each is loaded when first used, never by showing the first window.
NOT_AT_START_UP = [
    "holidays",  # festival dates: core/deadlines/festival_dates.py
    "alembic",  # only when the database needs migrating
    "reportlab",  # letters and printed lists
    "openpyxl",  # spreadsheets
    "PIL",
    "request_desk.core.letters.pdf",
    "request_desk.core.letters.issuing",
    "request_desk.core.cases.case_file",
    "request_desk.core.reports.todo_pdf",
    "request_desk.gui.case_view",
    "request_desk.gui.dialogs.registration",
    "request_desk.gui.dialogs.setup_assistant",
    "request_desk.gui.pages.requests",
    "request_desk.gui.pages.settings",
    "request_desk.gui.pages.backup_panel",
]


def _start(db_path: Path, tmp_path: Path) -> dict[str, object]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = subprocess.run([sys.executable, "-c", SHOW_MAIN_WINDOW, str(db_path)], capture_output=True, text=True,
                          env=env, cwd=Path(__file__).resolve().parents[2], timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_first_window_loads_only_what_it_shows(db_path: Path, tmp_path: Path) -> None:
    started = _start(db_path, tmp_path)
    modules = started["modules"]
    assert isinstance(modules, list)
    assert started["page"] == "page_dashboard"  # the window did show its 工作台
    assert "request_desk.gui.pages.dashboard" in modules
    assert [name for name in NOT_AT_START_UP if name in modules] == []
    # The data layer comes before Qt: PySide6 reads the source of every module imported after it.
    first_qt = modules.index("PySide6")
    assert [name for name in ("sqlalchemy", "pydantic", "sqlmodel") if modules.index(name) > first_qt] == []
