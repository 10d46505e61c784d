"""Where Request Desk keeps its files (one place, overridable)."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "RequestDesk"
DB_ENV = "REQUEST_DESK_DB"
DATA_ENV = "REQUEST_DESK_DATA"


def data_dir() -> Path:
    """The user's data directory, or ``$REQUEST_DESK_DATA`` (tests, portable installs)."""
    override = os.environ.get(DATA_ENV)
    return Path(override) if override else user_data_path(APP_NAME, appauthor=False)


#: How a location names the office's PostgreSQL server rather than a file on this PC.
SERVER_SCHEMES = ("postgresql://", "postgresql+psycopg://", "postgres://")


def on_server(location: Path | str) -> bool:
    """Whether a database location (``--db``, ``$REQUEST_DESK_DB``) is a ``postgresql://…`` URL."""
    return isinstance(location, str) and location.strip().lower().startswith(SERVER_SCHEMES)


def location(text: str) -> Path | str:
    """A typed database location: the server's URL as given, anything else a file path."""
    return text.strip() if on_server(text) else Path(text)


def default_db_path() -> Path | str:
    """``--db`` beats ``$REQUEST_DESK_DB`` beats a file in the data directory.

    A ``postgresql://user@host/dbname`` value is the office's shared server (kept as text).
    """
    override = os.environ.get(DB_ENV)
    return location(override) if override else data_dir() / "request-desk.sqlite3"


def guide_dir() -> Path:
    """The user guide's Markdown pages (使用指南, written in ``docs/guide/``).

    Installed, they are a folder of the resources (the wheel maps ``docs/guide`` to
    ``request_desk/resources/guide`` in pyproject.toml; a frozen build copies it there
    with the other resources); in a source checkout they are read where they are written.
    """
    installed = Path(str(resources.files("request_desk.resources") / "guide"))
    if (installed / "README.md").is_file():
        return installed
    return Path(__file__).resolve().parents[1] / "docs" / "guide"
