"""Open and save dialogs that start where the clerk last was.

Qt's static dialogs start in the program's working folder when given a bare file
name — on an office PC that is the installation folder. These start in the folder
of the last file chosen in any dialog (remembered per user in QSettings), and in
Documents the first time; a chosen file's folder becomes the next start.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

_KEY = "dialogs/last_folder"


def start_folder() -> Path:
    """The folder the next dialog opens in."""
    remembered = QSettings().value(_KEY, "", str)
    if remembered and Path(str(remembered)).is_dir():
        return Path(str(remembered))
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def remember(chosen: str) -> str:
    """Make the folder of a chosen file the next start; returns ``chosen``."""
    if chosen:
        QSettings().setValue(_KEY, str(Path(chosen).parent))
    return chosen


def ask_open(parent: QWidget | None, title: str, filters: str) -> str:
    """A file to open ('' if the clerk cancelled)."""
    chosen, _ = QFileDialog.getOpenFileName(parent, title, str(start_folder()), filters)
    return remember(chosen)


def ask_save(parent: QWidget | None, title: str, suggested_name: str, filters: str) -> str:
    """Where to save ``suggested_name`` ('' if cancelled); Qt asks before replacing a file."""
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(start_folder() / suggested_name), filters)
    return remember(chosen)
