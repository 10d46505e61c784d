"""The PostgreSQL server the suite runs against when ``REQUEST_DESK_TEST_PG`` names one.

``.ci/run`` starts a throwaway cluster and sets ``REQUEST_DESK_TEST_PG`` to
``postgresql://postgres@127.0.0.1:PORT``; then every test that asks for a
database gets a new database on that server, cloned from a migrated template
(``CREATE DATABASE … TEMPLATE``: a few tens of milliseconds), instead of a
SQLite file. Without the variable the suite runs on SQLite files only.
"""

from __future__ import annotations

import itertools
import os

import psycopg
import pytest

SERVER = os.environ.get("REQUEST_DESK_TEST_PG", "").rstrip("/")
_names = itertools.count()


def enabled() -> bool:
    return bool(SERVER)


def _admin() -> psycopg.Connection:
    return psycopg.connect(f"{SERVER}/postgres", autocommit=True)


def new_database(prefix: str = "rd", *, template: str | None = None) -> str:
    """A new database on the test server (empty, or a copy of ``template``); its location."""
    name = f"{prefix}_{os.getpid()}_{next(_names)}"
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return f"{SERVER}/{name}"


def drop_database(location: str) -> None:
    name = location.rsplit("/", 1)[1]
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_name(location: str) -> str:
    return location.rsplit("/", 1)[1]


sqlite_only = pytest.mark.sqlite_only
