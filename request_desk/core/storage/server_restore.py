"""Restoring a dump onto the office server: verified first, the current content kept aside, one transaction.

The server's counterpart of ``restore.py``, in the same order of events
(docs/RELIABILITY.md, "Backups"):

1. The dump's schema revision is read from the dump itself: one this version
   does not know (a newer desk made it) is refused before anything happens.
2. The dump is restored into a scratch database on the same server
   (``server_backup.scratch_database``), upgraded there to this version's
   schema if it is older, and checked. Nothing live is touched yet.
3. A transaction on the live database takes the desks' write lock (the
   advisory lock every save takes, ``postgres_support.WRITE_LOCK_KEY``): from
   here no desk can commit, a desk that tries waits and is then told its
   action was not saved. The content is kept aside first, a ``pg_dump`` of
   it named like the file restore's (``…-before-restore.dump``).
4. In the same transaction the audit entries of the discarded period (those
   the dump does not have) are kept, every table is emptied and filled with
   the scratch database's rows (user triggers off meanwhile, as the file
   restore drops them), sequences moved past the ids, those entries written
   back marked with the kept-aside file's name (``audit_log.replaced_file``)
   and the restore itself audited; the desks' change notice is sent.
5. Commit; the scratch database is dropped. A failure or a kill before the
   commit leaves the live database as it was.

What differs from the file restore: other desks are not refused (the write
lock keeps the restore consistent with them), but their reading waits
while the tables are replaced and what they show is stale until they
refresh, so the desks are asked to close first; and the copy kept aside is
checked by reading its schema revision, not by restoring it (that would
hold every desk's saves for as long again).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.exc import SQLAlchemyError

from request_desk.core import files
from request_desk.core.errors import DeskError, StorageBusy
from request_desk.core.jobs import Job, Progress
from request_desk.core.storage import postgres_support, server_backup
from request_desk.core.storage.backup import BackupFailed, BackupInvalid, new_name
from request_desk.core.storage.db import PARTIAL, Database
from request_desk.core.storage.restore import RestoreResult

_BUSY = ("其他办理台正在使用数据库，恢复无法取得数据库的独占使用。请先让其他办理台关闭（或退出正在进行的操作）后重试。"
         "数据库未作改动。")


def other_connections(location: str) -> int:
    """How many other sessions are connected to the database now (other desks, the IT staff's tools)."""
    with server_backup.connect(location) as conn:
        row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND pid <> pg_backend_pid() AND backend_type = 'client backend'").fetchone()
    return int(row[0]) if row else 0


def has_accounts(location: str) -> bool:
    """Whether the database has users to sign in with (a new, empty server database has none)."""
    with server_backup.connect(location) as conn:
        try:
            row = conn.execute('SELECT count(*) FROM "user"').fetchone()
        except psycopg.Error:
            return False
    return bool(row and row[0])


def restore_job(backup_path: Path, location: str, *, actor: str = "", claimed_by: str = "",
                now: datetime | None = None) -> Job[RestoreResult]:
    """Replace the server database's content with a verified dump, keeping the current content aside.

    ``actor`` is the signed-in user the audit entry names; ``claimed_by`` the
    name given when there were no accounts to sign in with. It yields only
    before the live database is touched.
    """
    backup_path = Path(backup_path)
    now = now or datetime.now()
    yield Progress(0, 3, f"正在检查备份 {backup_path.name}…")
    if not backup_path.is_file():
        raise BackupInvalid(f"找不到备份文件 {backup_path}。")
    tools = server_backup.find_tools(server_backup.server_major(location))
    revision = server_backup.check_revision(backup_path.name, server_backup.dump_revision(tools, backup_path))
    folder = server_backup.backup_dir(location)
    folder.mkdir(parents=True, exist_ok=True)
    aside = new_name(folder, server_backup.stem(location), "before-restore", now, server_backup.DUMP_SUFFIX)
    with server_backup.scratch_database(location, "restore") as scratch:
        yield Progress(1, 3, "正在把备份还原到服务器上的临时数据库并校验…")
        try:
            server_backup.load_into(tools, backup_path, scratch)
        except BackupFailed as exc:
            raise BackupInvalid(f"{exc}。数据库未作改动。") from exc
        Database.open(scratch).close()  # an older dump is upgraded here, in the scratch copy
        head = Database.head_revision()
        server_backup.check_revision(backup_path.name, server_backup.contents(scratch)[0], head)
        yield Progress(2, 3, "正在替换数据库内容…")
        carried = _replace(location, scratch, tools, aside, backup_path, (actor, claimed_by))
    return RestoreResult(backup_path, aside, revision, carried)


def _replace(location: str, scratch: str, tools: server_backup.Tools, aside: Path, source: Path,
             actor: tuple[str, str]) -> int:
    live = Database.open(location)
    try:
        with live.engine.execution_options(**postgres_support.WRITE_OPTIONS).begin() as conn:  # the write lock
            _keep_aside(tools, location, aside)
            raw = conn.connection.driver_connection
            assert isinstance(raw, psycopg.Connection)
            with server_backup.connect(scratch, autocommit=False) as src:
                carried = _replace_content(raw, src)
            postgres_support.reset_sequences(conn)
            carried = _write_back(raw, aside.name) if carried else 0
            _audit_restore(raw, actor, source, aside, carried)
            # The other desks refresh when this commits, as after any save (``Database.write``).
            raw.execute("SELECT pg_notify(%s, '')", (postgres_support.CHANGE_CHANNEL,))
    except StorageBusy as exc:
        raise BackupFailed(f"{_BUSY}当前内容已另存在 {aside}。" if aside.exists() else _BUSY) from exc
    except (psycopg.Error, SQLAlchemyError) as exc:
        if isinstance(getattr(exc, "orig", exc), psycopg.errors.LockNotAvailable):
            raise BackupFailed(_BUSY) from exc
        where = f"恢复前的内容已另存在 {aside}。" if aside.exists() else ""
        raise BackupFailed(f"恢复未完成，数据库未作改动：{str(exc).strip().splitlines()[0]}。{where}") from exc
    finally:
        live.close()
    return carried


def _keep_aside(tools: server_backup.Tools, location: str, aside: Path) -> None:
    """A dump of the live content, made while the caller holds the write lock (so it has every save)."""
    partial = Path(f"{aside}{PARTIAL}")
    try:
        server_backup.dump(tools, location, partial)
        files.fsync_file(partial)
        server_backup.check_revision(partial.name, server_backup.dump_revision(tools, partial),
                                     Database.head_revision())
        partial.replace(aside)
        files.fsync_path(aside)
    except (OSError, DeskError) as exc:
        partial.unlink(missing_ok=True)
        raise BackupFailed(f"无法保留当前数据库的副本（{exc}），未进行恢复，数据库未作改动。") from exc


def _tables(conn: psycopg.Connection) -> dict[str, list[str]]:
    """Each table of the current schema with its columns that take values (not generated ones)."""
    rows = conn.execute(
        "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r' "
        "AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY c.relname, a.attnum").fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        tables.setdefault(str(table), []).append(str(column))
    return tables


def _in_reference_order(conn: psycopg.Connection, tables: list[str]) -> list[str]:
    """Tables ordered so that each comes after the tables its foreign keys point to."""
    edges = conn.execute(
        "SELECT c.relname, p.relname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
        "JOIN pg_class p ON p.oid = k.confrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE k.contype = 'f' AND n.nspname = current_schema()").fetchall()
    needs = {t: {str(p) for c, p in edges if c == t and p != t and p in tables} for t in tables}
    ordered: list[str] = []
    while needs:
        ready = sorted(t for t, deps in needs.items() if deps <= set(ordered)) or sorted(needs)[:1]
        ordered.extend(ready)
        for t in ready:
            del needs[t]
    return ordered


def _replace_content(live: psycopg.Connection, src: psycopg.Connection) -> int:
    """Make every table of ``live`` a copy of ``src``'s; returns how many audit entries are to be carried."""
    tables = _tables(live)
    restored = _tables(src)
    if set(tables) != set(restored) or any(sorted(tables[t]) != sorted(restored[t]) for t in tables):
        raise BackupFailed("备份的数据表与数据库的不一致，未进行恢复，数据库未作改动。")
    # The entries of the discarded period: those of the live log the dump does not have.
    live.execute('CREATE TEMP TABLE restored_audit (id integer, at timestamptz, action text, "user" text) '
                 "ON COMMIT DROP")
    _copy(src, live, 'COPY (SELECT id, at, action, "user" FROM audit_log) TO STDOUT',
          'COPY restored_audit (id, at, action, "user") FROM STDIN')
    live.execute(
        "CREATE TEMP TABLE carried ON COMMIT DROP AS "
        'SELECT a.id AS old_id, a.at, a."user", a.action, a.table_name, a.record_id, a.old, a.new, a.replaced_file '
        "FROM audit_log AS a WHERE NOT EXISTS (SELECT 1 FROM restored_audit AS b WHERE b.id = a.id "
        'AND b.at = a.at AND b.action = a.action AND b."user" = a."user")')
    row = live.execute("SELECT count(*) FROM carried").fetchone()
    names = list(tables)
    for table in names:  # the append-only and bookkeeping triggers: the rows copied are complete as they are
        live.execute(sql.SQL("ALTER TABLE {} DISABLE TRIGGER USER").format(sql.Identifier(table)))
    live.execute(sql.SQL("TRUNCATE {}").format(sql.SQL(", ").join(map(sql.Identifier, names))))
    for table in _in_reference_order(live, names):
        columns = sql.SQL(", ").join(map(sql.Identifier, tables[table]))
        _copy(src, live, sql.SQL("COPY {} ({}) TO STDOUT (FORMAT BINARY)").format(sql.Identifier(table), columns),
              sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(sql.Identifier(table), columns))
    for table in names:
        live.execute(sql.SQL("ALTER TABLE {} ENABLE TRIGGER USER").format(sql.Identifier(table)))
    return int(row[0]) if row else 0


def _copy(src: psycopg.Connection, dst: psycopg.Connection, out: str | sql.Composed, into: str | sql.Composed) -> None:
    with src.cursor() as read, dst.cursor() as write, read.copy(out) as rows, write.copy(into) as sink:
        for chunk in rows:
            sink.write(chunk)


def _write_back(live: psycopg.Connection, aside_name: str) -> int:
    cursor = live.execute(
        'INSERT INTO audit_log (at, "user", action, table_name, record_id, old, new, replaced_file) '
        'SELECT at, "user", action, table_name, record_id, old, new, coalesce(replaced_file, %s) '
        "FROM carried ORDER BY old_id", (aside_name,))
    return cursor.rowcount


def _audit_restore(live: psycopg.Connection, actor: tuple[str, str], source: Path, aside: Path, carried: int) -> None:
    """The restore's own audit entry, in the transaction that restores (as ``restore._audit_restore`` writes it)."""
    details: dict[str, object] = {"from": str(source), "kept_aside": str(aside), "carried_audit_entries": carried}
    if actor[1] and actor[1] != actor[0]:
        details["claimed_by"] = actor[1]
    live.execute('INSERT INTO audit_log (at, "user", action, table_name, record_id, old, new) '
                 "VALUES (%s, %s, 'restore_backup', 'database', NULL, NULL, %s::json)",
                 (datetime.now(UTC).replace(microsecond=0), actor[0], json.dumps(details, ensure_ascii=False)))
