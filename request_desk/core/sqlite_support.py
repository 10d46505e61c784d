"""Everything that only SQLite has, in one place.

PRAGMAs on connect, the online backup API and (later) FTS5 live here, so that
a shared PostgreSQL server can be supported by skipping this module rather
than by hunting SQLite-isms through the code.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 10_000


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def configure(engine: Engine) -> None:
    """Turn on foreign keys and WAL for every connection of a SQLite engine."""
    if not is_sqlite(engine):
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling fights SQLAlchemy's; let
        # SQLAlchemy emit BEGIN itself (documented recipe for SAVEPOINT/DDL).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # WAL + NORMAL is durable across application crashes; only a power
        # cut can lose the last transactions, never corrupt the file.
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the lock up front (IMMEDIATE), so two desks never both
        # read, decide and then fail halfway through writing; readers stay
        # deferred so paging the list never waits for a writer (WAL).
        mode = conn.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


BEGIN_OPTION = "sqlite_begin"
WRITE_OPTIONS = {BEGIN_OPTION: "IMMEDIATE"}


def url_for(path: Path) -> str:
    return f"sqlite:///{path}"


def backup_to(source: Path, target: Path) -> None:
    """Copy a live database consistently with SQLite's online backup API."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def append_only_ddl(table: str) -> list[str]:
    """Triggers that make ``table`` append-only (the audit log)."""
    return [
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
    ]
