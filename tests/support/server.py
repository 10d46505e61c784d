"""The PostgreSQL server the suite runs against when ``REQUEST_DESK_TEST_PG`` names one.

``.ci/run`` starts a throwaway cluster and sets ``REQUEST_DESK_TEST_PG`` to
``postgresql://postgres@127.0.0.1:PORT``; then every test that asks for a
database gets one on that server instead of a SQLite file. Copying a template
database (``CREATE DATABASE … TEMPLATE``) takes about a second on a busy
machine, too slow for two thousand tests, so ``Recycled`` keeps one database
per test process and puts the template's rows back into it before each test
(delete and re-insert, triggers off). A test that changed
the schema (migrations down and up) gets a fresh copy instead.
"""

from __future__ import annotations

import itertools
import os
from typing import Any

import psycopg
import pytest
from sqlalchemy import MetaData, create_engine, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from request_desk.core.storage import postgres_support

SERVER = os.environ.get("REQUEST_DESK_TEST_PG", "").rstrip("/")
_names = itertools.count()


def enabled() -> bool:
    return bool(SERVER)


def _admin() -> psycopg.Connection[Any]:
    return psycopg.connect(f"{SERVER}/postgres", autocommit=True)


def new_database(prefix: str = "rd", *, template: str | None = None) -> str:
    """A new database on the test server (empty, or a copy of ``template``); its location."""
    name = f"{prefix}_{os.getpid()}_{next(_names)}"
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return f"{SERVER}/{name}"


def drop_database(location: str) -> None:
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database_name(location)}" WITH (FORCE)')


def database_name(location: str) -> str:
    return location.rsplit("/", 1)[1]


def _engine(location: str) -> Engine:
    return create_engine(postgres_support.url_for(location), poolclass=NullPool)


class Recycled:
    """One database per test process, reset to the template's rows before each test."""

    def __init__(self, template: str) -> None:
        self.template = template
        engine = _engine(template)
        try:
            self.metadata = MetaData()
            self.metadata.reflect(engine)
            with engine.connect() as conn:
                self.rows = {t.name: [dict(r) for r in conn.execute(select(t)).mappings()]
                             for t in self.metadata.sorted_tables}
        finally:
            engine.dispose()
        self.location: str | None = None

    def database(self) -> str:
        if self.location is None or not self._reset(self.location):
            if self.location is not None:
                drop_database(self.location)
            self.location = new_database(template=database_name(self.template))
        return self.location

    def _reset(self, location: str) -> bool:
        """Put the template's rows back; False when that cannot be done (schema changed, lock held)."""
        engine = _engine(location)
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql("SET LOCAL lock_timeout = '2s'")
                tables = {str(r[0]) for r in conn.exec_driver_sql(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
                if tables != set(self.rows):
                    return False
                if conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() != [
                        r["version_num"] for r in self.rows["alembic_version"]]:
                    return False
                # Row by row, not TRUNCATE (which makes new files for every table and index): the
                # tables are small. ``replica`` turns the triggers off, the append-only ones too.
                conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
                for table in reversed(self.metadata.sorted_tables):
                    conn.execute(table.delete())
                for table in self.metadata.sorted_tables:
                    if self.rows[table.name]:
                        conn.execute(table.insert(), self.rows[table.name])
                postgres_support.reset_sequences(conn)
            return True
        except OperationalError:
            return False
        finally:
            engine.dispose()

    def close(self) -> None:
        if self.location is not None:
            drop_database(self.location)


sqlite_only = pytest.mark.sqlite_only
