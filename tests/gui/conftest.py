"""GUI fixtures: a DeskContext on a real database, QSettings kept in a tmp folder, a 1024×768 screen."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from request_desk.core.storage.db import Database
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.discard import KeepsInput
from request_desk.gui.dialogs.letter import LetterDialog
from request_desk.gui.dialogs.setup_assistant import SetupAssistant
from tests.factories import TODAY

# The smallest screen an office PC has (issue 15.8): every window is tried on it.
OFFICE_SCREEN = Path(__file__).parents[1] / "data" / "screen-1024x768.json"


@pytest.fixture(scope="session")
def qapp_args() -> list[str]:
    """The offscreen platform with one 1024×768 screen (Qt reads the file's path as Latin-1)."""
    args = [sys.argv[0]]
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen" and str(OFFICE_SCREEN).isascii():
        args += ["-platform", f"offscreen:configfile={OFFICE_SCREEN}"]
    return args


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path: Path, qapp: QCoreApplication) -> None:
    """Window geometry and column widths go to a tmp INI file, never the user's registry."""
    qapp.setOrganizationName("RequestDeskTests")
    qapp.setApplicationName("RequestDeskTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def ctx(db: Database) -> DeskContext:
    return DeskContext(db=db, user="clerk", today=lambda: TODAY)


@pytest.fixture(autouse=True)
def _discard_questions_answered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A modal "discard what was typed?" box would block a test (and pytest-qt closing its widgets
    at teardown): it is answered "discard" and recorded. Tests of the question set their own answer."""
    asked: list[str] = []

    def keeps_input(self: KeepsInput) -> bool:
        asked.append(type(self).__name__)
        return True

    def letter(self: LetterDialog, question: str) -> bool:
        asked.append(question)
        return True

    monkeypatch.setattr(KeepsInput, "confirm_discard", keeps_input)
    monkeypatch.setattr(LetterDialog, "confirm_discard", keeps_input)
    monkeypatch.setattr(LetterDialog, "confirm_discard_edits", letter)
    monkeypatch.setattr(SetupAssistant, "confirm_discard", lambda self: keeps_input(self))  # not a KeepsInput
    return asked
