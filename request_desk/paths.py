"""Where Request Desk keeps its files (one place, overridable)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "RequestDesk"
DB_ENV = "REQUEST_DESK_DB"
DATA_ENV = "REQUEST_DESK_DATA"


def data_dir() -> Path:
    """The user's data directory, or ``$REQUEST_DESK_DATA`` (tests, portable installs)."""
    override = os.environ.get(DATA_ENV)
    return Path(override) if override else user_data_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    """``--db`` beats ``$REQUEST_DESK_DB`` beats a file in the data directory."""
    override = os.environ.get(DB_ENV)
    return Path(override) if override else data_dir() / "request-desk.sqlite3"
