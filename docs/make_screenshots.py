"""Render the README screenshots from a demo database (offscreen).

Run from the repository root: ``QT_QPA_PLATFORM=offscreen python docs/make_screenshots.py``.
Needs a CJK font for the window text (the app falls back to its bundled Noto Sans SC).
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication

from request_desk.core import demo
from request_desk.core.db import Database
from request_desk.gui.app import create_application
from request_desk.gui.context import DeskContext
from request_desk.gui.main_window import MainWindow

OUT = Path(__file__).parent / "screenshots"
TODAY = date(2026, 11, 27)


def main() -> int:
    app = create_application(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(Path(tmp) / "demo.sqlite3")
        demo.run(db, 1500, today=TODAY)
        window = MainWindow(DeskContext(db=db, user="xiaoli", today=lambda: TODAY))
        window.resize(1400, 860)
        window.show()
        for key, name in (("dashboard", "main-dashboard"), ("requests", "main-request-list"),
                          ("units", "units"), ("settings", "settings")):
            window.show_page(key)
            QApplication.processEvents()
            window.grab().save(str(OUT / f"{name}.png"))
        window.close()
        db.close()
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
