"""GUI fixtures: a DeskContext on a real database, QSettings kept in a tmp folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from request_desk.core.storage.db import Database
from request_desk.gui.context import DeskContext
from tests.factories import TODAY


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
