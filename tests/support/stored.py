"""Reading a database behind the desk's back, to see what is really stored."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from request_desk.core.storage import postgres_support, sqlite_support


def _server_rows(location: str) -> list[str]:
    """Every row of every table of a server database, as text, in a fixed order."""
    engine = create_engine(postgres_support.url_for(location))
    try:
        with engine.connect() as conn:
            out = []
            for table in sorted(inspect(conn).get_table_names()):
                rows = conn.execute(text(f'SELECT * FROM "{table}"')).fetchall()
                out += sorted(f'INSERT INTO "{table}" VALUES{tuple(row)!r}' for row in rows)  # as iterdump
            return out
    finally:
        engine.dispose()


def applicant_names(path: Path | str) -> set[str]:
    """The applicant names of every request in the database at ``path``."""
    if isinstance(path, str):
        return _names_on_server(path)
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT applicant_name FROM request")}
    finally:
        con.close()


def _names_on_server(location: str) -> set[str]:
    engine = create_engine(postgres_support.url_for(location))
    try:
        with engine.connect() as conn:
            return {r[0] for r in conn.execute(text("SELECT applicant_name FROM request"))}
    finally:
        engine.dispose()


def content(path: Path | str) -> bytes | list[str]:
    """What "the database exactly as it was" compares: the file's bytes, or every row on the server."""
    return _server_rows(path) if isinstance(path, str) else Path(path).read_bytes()


def dump(path: Path | str) -> list[str]:
    """Every row of every table as SQL text, the database "row for row", less the sign-in entries.

    A command on the command line signs in before it is refused, and the audit log
    records that sign-in (docs/SECURITY.md); "nothing written" is about everything else.
    """
    if isinstance(path, str):
        return [line for line in _server_rows(path)
                if not (line.startswith('INSERT INTO "audit_log"') and ", 'sign_in', " in line)]
    con = sqlite3.connect(path)
    try:
        return [line for line in con.iterdump()
                if not (line.startswith('INSERT INTO "audit_log"') and ",'sign_in'," in line)]
    finally:
        con.close()


@contextmanager
def behind_the_desk(path: Path | str, *, triggers: bool = True) -> Iterator[Connection]:
    """A connection of another program to the desk's database, in one transaction committed at the end.

    ``triggers=False`` writes as a failing disk or a hand-edited file would: the
    append-only triggers do not stop it (on a file they are dropped, the copy being the test's own).
    """
    url = postgres_support.url_for(path) if isinstance(path, str) else sqlite_support.url_for(Path(path))
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            if not triggers:
                if isinstance(path, str):
                    conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
                else:
                    for (name,) in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                                        "AND (name LIKE '%no_update' OR name LIKE '%no_delete')"):
                        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
            yield conn
    finally:
        engine.dispose()
