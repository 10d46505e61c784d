"""File dialogs start in Documents, then where the clerk last chose a file (issue 15, point 5)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from request_desk.gui.widgets import file_dialogs


def test_the_first_dialog_opens_in_documents_and_the_next_where_the_last_file_was(tmp_path: Path) -> None:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    first = file_dialogs.start_folder()
    assert first == (Path(documents) if Path(documents).is_dir() else Path.home())
    assert first != Path(os.getcwd())  # never the program's folder
    folder = tmp_path / "台账 2025"
    folder.mkdir()
    file_dialogs.remember(str(folder / "2025年台账.xlsx"))
    assert file_dialogs.start_folder() == folder
    file_dialogs.remember("")  # a cancelled dialog changes nothing
    assert file_dialogs.start_folder() == folder
    folder.rmdir()  # a folder since removed (a USB stick taken out): back to Documents
    assert file_dialogs.start_folder() == first
