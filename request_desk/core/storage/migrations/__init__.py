"""Alembic migrations, shipped inside the package so an installed wheel can upgrade databases."""

#: The newest revision in ``versions/``. The desk compares a database with it at every start, so
#: a database already up to date opens without importing Alembic (a tenth of a second of start-up);
#: ``tests/test_structure.py`` holds it equal to Alembic's own head.
from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config

HEAD = "0020"


def alembic_config() -> Config:
    """Alembic's configuration; migrations always run on a connection we hand over.

    No URL goes into it: Alembic's ``set_main_option`` applies ConfigParser
    interpolation, so a percent-quoted path (SQLAlchemy 2.1 quotes every
    non-ASCII character, as in ``C:\\Users\\张三``) or a ``%`` in the install
    folder would raise ``ValueError`` before any of our error handling runs.
    Here, not in ``db.py``: ``backup.py`` checks a backup's revision with it, and
    ``db.py`` backs a database up before upgrading it (no import cycle).
    """
    from alembic.config import Config  # noqa: PLC0415  (only when a migration runs)

    cfg = Config()
    location = str(resources.files(__name__))
    cfg.set_main_option("script_location", location.replace("%", "%%"))
    return cfg
