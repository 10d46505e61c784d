"""Alembic migrations, shipped inside the package so an installed wheel can upgrade databases."""

#: The newest revision in ``versions/``. The desk compares a database with it at every start, so
#: a database already up to date opens without importing Alembic (a tenth of a second of start-up);
#: ``tests/test_structure.py`` holds it equal to Alembic's own head.
from __future__ import annotations

HEAD = "0020"
