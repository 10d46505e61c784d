"""Moving an office onto the server: every record of a SQLite desk copied into an empty PostgreSQL database.

The office's file is never written: the move copies it with SQLite's online
backup API, as every backup does (``sqlite_support.backup_to``: the copy only
reads), into a temporary snapshot (``snapshot``), checks that copy as a backup
is checked, and moves the snapshot. Even the administrator's sign-in for the
move is recorded in the snapshot (by the command line; only a failed one goes
to the file too, to count toward the lock-out), so the file keeps its bytes
and its modification time. Other desks may keep working on the file
meanwhile; what they save after the snapshot is not on the server, so the
desks should be closed first.

The server database must be empty (no tables, or this desk's tables without a
single record: a move that failed half-way). It is migrated to the same schema
revision with the desk's own migrations (``Database.open``), then every table
is copied in one transaction, streamed in batches through ``COPY`` with the
records' own ids: the letters' PDFs and the attachments are columns of their
rows (``letter.pdf``, ``attachment.content``), so they move with them. While
the copy runs, the server's own row triggers are off (the similar-requests
queue and the follow-up flag are copied as the file holds them, not recomputed)
and its foreign keys are dropped and re-added at the end, which checks every
reference at once, whatever order the rows come in. The id sequences are then
moved past the copied ids (``postgres_support.reset_sequences``).

Tables SQLite alone has are derived from the requests by SQLite triggers and
are not copied (``SQLITE_ONLY``); the server keeps its own indexes. The contact
keys (``request_contact``) exist on both, computed alike, and are copied. A table
found in the file and not on the server, or the other way round, stops the
move before any record is copied: its records would otherwise be lost silently.

Afterwards each table is read back from the server and compared with the
snapshot by row count and checksum (``table_checksums``). Only a move whose
every table agrees is recorded in the server's audit log.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import create_engine
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from request_desk.core import jobs
from request_desk.core.errors import DeskError
from request_desk.core.jobs import Job, Progress
from request_desk.core.office import permissions
from request_desk.core.storage import backup, postgres_support, sqlite_support
from request_desk.core.storage.audit import audit
from request_desk.core.storage.db import Database
from request_desk.core.transfer.table_checksums import TableDigest, order_by, server_columns

if TYPE_CHECKING:
    import psycopg

BATCH = 5_000
#: The schema revision's own table: the migrations fill it on the server, the file's row replaces it.
REVISION_TABLE = "alembic_version"
#: Derived tables only the SQLite file has, and why they are not copied.
SQLITE_ONLY: dict[str, str] = {
    sqlite_support.FTS_TRIGRAM: "SQLite 的全文检索索引（FTS5），由申请记录生成；服务器使用自己的检索索引",
    sqlite_support.FTS_BIGRAM: "SQLite 的全文检索索引（FTS5，两字词），由申请记录生成；服务器使用自己的检索索引",
}


# FTS5 keeps each index in shadow tables named after it.
FTS_INDEXES = (sqlite_support.FTS_TRIGRAM, sqlite_support.FTS_BIGRAM)
FTS_SHADOWS = ("data", "idx", "content", "docsize", "config")


class MoveRefused(DeskError):
    """The move cannot start (a damaged file, a server database that is not empty, …); nothing was written."""


@dataclass(frozen=True)
class TableCheck:
    """One table after the move: rows and checksum in the file's snapshot and on the server."""

    table: str
    file_rows: int
    server_rows: int
    file_checksum: str
    server_checksum: str

    @property
    def same(self) -> bool:
        return self.file_rows == self.server_rows and self.file_checksum == self.server_checksum


@dataclass(frozen=True)
class Moved:
    origin: Path
    server: str  # as a clerk may see it (no password)
    tables: tuple[TableCheck, ...]
    skipped: tuple[tuple[str, str], ...]  # (table, why), the SQLite-only derived tables
    seconds: float

    @property
    def verified(self) -> bool:
        return all(t.same for t in self.tables)

    @property
    def rows(self) -> int:
        return sum(t.file_rows for t in self.tables)


@dataclass(frozen=True)
class _Table:
    name: str
    columns: tuple[str, ...]
    types: tuple[str, ...]  # the server's data_type of each column
    keys: tuple[str, ...]
    key_types: tuple[str, ...]

    @property
    def column_list(self) -> str:
        return ", ".join(f'"{c}"' for c in self.columns)


# --------------------------------------------------------------------------
# The file's snapshot
# --------------------------------------------------------------------------


@contextmanager
def snapshot(source: Path) -> Iterator[Path]:
    """A checked copy of the database file, made without writing to it; removed when the block ends.

    The copy is upgraded to this version's schema (the file itself keeps its
    revision): the server gets the same tables the migrations build there.
    """
    source = Path(source)
    if not source.is_file():
        raise MoveRefused(f"找不到数据库文件 {source}，无法迁移。")
    problem = backup.diagnose(source)
    if problem is not None:
        raise MoveRefused(f"{problem}请先从备份恢复，再迁移到服务器。")
    with tempfile.TemporaryDirectory(prefix="request-desk-move-") as folder:
        copy = Path(folder) / "snapshot.sqlite3"
        try:
            sqlite_support.backup_to(source, copy)
        except (OSError, sqlite3.Error) as exc:
            raise MoveRefused(f"无法读取数据库文件 {source}（{exc}），未作任何改动。") from exc
        backup.verify(copy)
        Database.open(copy).close()
        yield copy


# --------------------------------------------------------------------------
# The server database
# --------------------------------------------------------------------------


def _refuse_unless_empty(target: str) -> None:
    """Before the migrations run: no tables, or ours without a single record."""
    engine = create_engine(postgres_support.url_for(target))
    where = postgres_support.shown(engine.url)
    try:
        with engine.connect() as conn:
            tables = postgres_support.table_names(conn)
            if tables and REVISION_TABLE not in tables:
                raise MoveRefused(f"数据库 {where} 中已有其他程序的数据表，不是空数据库，未作任何改动。"
                                  "请在服务器上新建一个空数据库再迁移。")
            filled = _filled(conn, [t for t in tables if t != REVISION_TABLE])
    except OperationalError as exc:
        raise MoveRefused(postgres_support.unreachable_message(where, exc)) from exc
    finally:
        engine.dispose()
    if filled:
        listed = "、".join(f"{t}（{n} 行）" for t, n in list(filled.items())[:5])
        raise MoveRefused(f"数据库 {where} 中已有记录：{listed}。只能迁移到空数据库，未作任何改动。"
                          "请在服务器上新建一个空数据库再迁移。")


def _filled(conn: Connection, tables: list[str]) -> dict[str, int]:
    counts = {t: int(conn.exec_driver_sql(f'SELECT count(*) FROM "{t}"').scalar_one()) for t in sorted(tables)}
    return {t: n for t, n in counts.items() if n}


def _plan(con: sqlite3.Connection, conn: Connection) -> tuple[list[_Table], list[tuple[str, str]]]:
    """The tables to copy with the server's column types, and the file's derived tables left behind."""
    file_tables = {str(r[0]) for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    skipped = [(name, SQLITE_ONLY[name]) for name in sorted(file_tables) if name in SQLITE_ONLY]
    skipped += [(f"{index}_{part}", f"{index} 的内部数据") for index in FTS_INDEXES for part in FTS_SHADOWS
                if f"{index}_{part}" in file_tables]
    file_tables -= {name for name, _ in skipped}
    server_tables = set(postgres_support.table_names(conn))
    if file_tables != server_tables:
        only_file = "、".join(sorted(file_tables - server_tables)) or "无"
        only_server = "、".join(sorted(server_tables - file_tables)) or "无"
        raise MoveRefused(f"数据库文件与服务器的数据表不一致（只在文件中：{only_file}；只在服务器上：{only_server}），"
                          "本版本不知道如何迁移这些表，未迁移任何记录。")
    plan = []
    for name in sorted(server_tables):
        columns = conn.exec_driver_sql(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %(t)s ORDER BY ordinal_position",
            {"t": name}).fetchall()
        types = {str(c): str(k) for c, k in columns}
        in_file = {str(r[1]) for r in con.execute(f'PRAGMA table_info("{name}")')}
        if in_file != set(types):
            raise MoveRefused(f"数据表 {name} 的字段在文件与服务器上不一致（{sorted(in_file ^ set(types))}），"
                              "未迁移任何记录。")
        keys = [str(r[0]) for r in conn.exec_driver_sql(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = quote_ident(%(t)s)::regclass AND i.indisprimary "
            "ORDER BY array_position(i.indkey, a.attnum)", {"t": name}).fetchall()] or list(types)
        plan.append(_Table(name, tuple(types), tuple(types.values()), tuple(keys), tuple(types[k] for k in keys)))
    return plan, skipped


def _psycopg(conn: Connection) -> psycopg.Connection[Any]:
    """The psycopg connection under SQLAlchemy's, for ``COPY`` and server-side cursors in the same transaction."""
    return cast("psycopg.Connection[Any]", conn.connection.driver_connection)


def _foreign_keys(conn: Connection) -> list[tuple[str, str, str]]:
    rows = conn.exec_driver_sql(
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "JOIN pg_namespace n ON n.oid = c.connamespace "
        "WHERE c.contype = 'f' AND n.nspname = current_schema() ORDER BY 1, 2").fetchall()
    return [(str(t), str(n), str(d)) for t, n, d in rows]


# --------------------------------------------------------------------------
# The move
# --------------------------------------------------------------------------


def move(source: Path, target: str, actor: str) -> Moved:
    """Snapshot the file ``source`` and move it into ``target`` (``snapshot`` and ``move_job``, run to the end)."""
    with snapshot(source) as copy:
        return jobs.run(move_job(copy, target, actor, origin=source))


def move_job(copy: Path, target: str, actor: str, *, origin: Path | None = None) -> Job[Moved]:
    """Move the snapshot ``copy`` (``snapshot``) of ``origin`` into the empty server database ``target``.

    ``actor`` must be an active administrator of the office (checked in the
    snapshot, whose accounts are the file's). Returns the per-table checks;
    ``Moved.verified`` is False when any table differs on the server.
    """
    started = time.monotonic()
    origin = Path(origin or copy)
    desk = Database.open(copy)
    try:
        with desk.read() as session:
            if not permissions.allowed(session, actor, permissions.Permission.MAKE_BACKUP):
                raise permissions.PermissionDenied(
                    f"“{actor}”无权把本机关的数据迁移到服务器：只有在用的管理员账户可以。")
    finally:
        desk.close()
    _refuse_unless_empty(target)
    yield Progress(0, None, "正在服务器上建立数据表…")
    server = Database.open(target)
    try:
        with closing(sqlite_support.connect_read_only(copy)) as con:
            with server.engine.connect() as conn:
                plan, skipped = _plan(con, conn)
                seeded = _filled(conn, [t.name for t in plan])
                conn.rollback()
            total = sum(int(con.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0]) for t in plan)
            digests = yield from _copy_all(con, server, plan, seeded, total)
        # No yield from here on: once the records are committed on the server, the move
        # cannot be cancelled half-way through its check.
        checks = tuple(TableCheck(t.name, digests[t.name].rows, server_digest.rows,
                                  digests[t.name].hexdigest(), server_digest.hexdigest())
                       for t, server_digest in zip(plan, _server_digests(server, plan), strict=True))
        moved = Moved(origin, server.where, checks, tuple(skipped), time.monotonic() - started)
        if moved.verified:
            with server.write() as session:
                audit(session, actor, "moved_to_server", "database", None, None,
                      {"from": str(origin), "tables": len(checks), "rows": moved.rows})
        return moved
    finally:
        server.close()


def _copy_all(con: sqlite3.Connection, server: Database, plan: list[_Table], seeded: dict[str, int],
              total: int) -> Job[dict[str, TableDigest]]:
    """Every table in one transaction under the desks' write lock; the snapshot's digest of each."""
    digests: dict[str, TableDigest] = {}
    done = 0
    with server.engine.connect() as conn, conn.begin():
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({postgres_support.WRITE_LOCK_KEY})")
        if (now := _filled(conn, [t.name for t in plan])) != seeded:
            raise MoveRefused(f"服务器数据库 {server.where} 在迁移开始时被写入了记录"
                              f"（{'、'.join(sorted(set(now) ^ set(seeded)))}），已停止迁移，未迁移任何记录。")
        keys = _foreign_keys(conn)
        for table, name, _definition in keys:
            conn.exec_driver_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for t in plan:
            conn.exec_driver_sql(f'ALTER TABLE "{t.name}" DISABLE TRIGGER USER')
            if t.name in seeded:  # filled by the migrations (the schema revision): the file's rows replace them
                conn.exec_driver_sql(f'DELETE FROM "{t.name}"')
        pg = _psycopg(conn)
        for t in plan:
            digest = digests[t.name] = TableDigest(t.types, from_server=False)
            rows = con.execute(f'SELECT {t.column_list} FROM "{t.name}" {order_by(t.keys, t.key_types, server=False)}')
            with pg.cursor() as cursor, cursor.copy(f'COPY "{t.name}" ({t.column_list}) FROM STDIN') as copy:
                while batch := rows.fetchmany(BATCH):
                    digest.add(batch)
                    for row in batch:
                        copy.write_row(row)
                    done += len(batch)
                    yield Progress(done, total, f"正在迁移 {t.name}（共 {done:,} / {total:,} 行）…")
        for t in plan:
            conn.exec_driver_sql(f'ALTER TABLE "{t.name}" ENABLE TRIGGER USER')
        yield Progress(done, total, "正在检查记录之间的引用，然后核对服务器上的记录…")
        for table, name, definition in keys:
            conn.exec_driver_sql(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        postgres_support.reset_sequences(conn, [t.name for t in plan])
    return digests


def _server_digests(server: Database, plan: list[_Table]) -> list[TableDigest]:
    """Each table read back from the server in one consistent read-only view."""
    out = []
    with server.engine.connect() as conn:
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        pg = _psycopg(conn)
        for t in plan:
            digest = TableDigest(t.types, from_server=True)
            with pg.cursor(name=f"check_{t.name}") as cursor:
                cursor.execute(f'SELECT {server_columns(t.columns, t.types)} FROM "{t.name}" '
                               f'{order_by(t.keys, t.key_types, server=True)}')
                while batch := cursor.fetchmany(BATCH):
                    digest.add(batch)
            out.append(digest)
        conn.rollback()
    return out
