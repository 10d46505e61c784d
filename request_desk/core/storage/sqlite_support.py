"""Everything that only SQLite has, in one place.

PRAGMAs on connect, the online backup API and (later) FTS5 live here, so that
a shared PostgreSQL server can be supported by skipping this module rather
than by hunting SQLite-isms through the code.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Engine

from request_desk.core import files
from request_desk.core.errors import DatabaseDamaged, StorageBusy, StorageFull, StorageReadOnly
from request_desk.core.storage import contact_keys

BUSY_TIMEOUT_MS = 10_000

# Suffix of a file still being written (a new database, a backup, a restore's
# copies); it gets its real name only when complete. storage/backup.py cleans up
# the ones a killed process left.
PARTIAL = ".partial"


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
        # FULL, not NORMAL: these are legal records with deadlines. WAL +
        # NORMAL survives an application crash but a power cut can lose the
        # last transactions a clerk was told were saved; FULL syncs the WAL on
        # every commit (about a millisecond per user action), so "已保存"
        # means on disk. See docs/RELIABILITY.md.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> BaseException | None:
        return storage_error(context.original_exception, str(engine.url.database))

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the lock up front (IMMEDIATE), so two desks never both
        # read, decide and then fail halfway through writing; readers stay
        # deferred so paging the list never waits for a writer (WAL).
        mode = conn.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


BEGIN_OPTION = "sqlite_begin"
WRITE_OPTIONS = {BEGIN_OPTION: "IMMEDIATE"}


def url_for(path: Path) -> URL:
    """The engine URL of a database file, for any path.

    Built as a ``URL`` object, never parsed from a string, so that ``#``,
    ``?``, ``%`` and non-ASCII characters in a folder name stay part of the path.
    """
    return URL.create("sqlite", database=str(path))


def connect_read_only(path: Path, *, immutable: bool = False) -> sqlite3.Connection:
    """A read-only connection to a database file, whatever characters its path holds.

    SQLite's ``mode=ro`` needs a URI, in which ``%``, ``?`` and ``#`` are
    special: the path is percent-encoded (``Path.as_uri``) rather than pasted
    in. ``immutable`` is for a file on a read-only medium, which no one writes.
    """
    query = "mode=ro&immutable=1" if immutable else "mode=ro"
    return sqlite3.connect(f"{Path(path).absolute().as_uri()}?{query}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)


def backup_to(source: Path, target: Path) -> None:
    """Copy a live database consistently with SQLite's online backup API.

    The copy is a single self-contained file (rollback journal, not WAL) and
    is synced to disk before this returns.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    files.fsync_path(target)


def companions(path: Path) -> list[Path]:
    """A database file and the files SQLite keeps beside it."""
    return [Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]


def checkpoint(engine: Engine) -> None:
    """Move everything from the WAL into the database file (before the file is moved or copied)."""
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def quick_check(engine: Engine) -> list[str]:
    """``PRAGMA quick_check``: empty when the file's structure is intact."""
    with engine.connect() as conn:
        rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall()]
    return [] if rows == ["ok"] else rows


def table_names(path: Path) -> list[str] | None:
    """The tables of a database file, SQLite's own excluded, read without changing the file; None if unreadable."""
    try:
        con = connect_read_only(path)
        try:
            return [r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        finally:
            con.close()
    except sqlite3.Error:
        return None


def integrity_problems(path: Path) -> list[str]:
    """``PRAGMA integrity_check`` of a database file: an empty list means intact.

    A file that SQLite cannot read at all gives one problem naming the error.
    """
    try:
        rows = _integrity_rows(connect_read_only(path))
    except sqlite3.Error as exc:
        if (getattr(exc, "sqlite_errorcode", 0) & 0xFF) not in (_SQLITE_CANTOPEN, _SQLITE_READONLY):
            return [str(exc)]
        # On a read-only medium SQLite cannot create the WAL index (-shm) it
        # needs even to read; the file is not damaged for that. Read it as an
        # unchanging file instead.
        try:
            rows = _integrity_rows(connect_read_only(path, immutable=True))
        except sqlite3.Error as again:
            return [f"无法打开：{again}"]
    return [] if rows == ["ok"] else rows


def _integrity_rows(con: sqlite3.Connection) -> list[str]:
    try:
        return [str(r[0]) for r in con.execute("PRAGMA integrity_check").fetchall()]
    finally:
        con.close()


def stored_revision(path: Path) -> str | None:
    """The schema revision recorded in a database file (Alembic's table), or None."""
    con = connect_read_only(path)
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        con.close()
    return None if row is None else str(row[0])


# SQLite result codes (primary, i.e. the low byte of the extended code).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL = 5, 6, 8, 10, 11, 13
_SQLITE_CANTOPEN, _SQLITE_NOTADB = 14, 26


def storage_error(exc: BaseException, where: str) -> BaseException | None:
    """A clear Chinese DeskError for an environmental SQLite failure, or None.

    Disk full, read-only file or folder, I/O error and a lock held too long are
    the office's problem, not a bug: the transaction was rolled back whole and
    the clerk is told what to do. A damaged file is named as such; the GUI and
    the CLI then offer the newest good backup (storage/backup.py).
    """
    code = getattr(exc, "sqlite_errorcode", None)
    if not isinstance(exc, sqlite3.Error) or code is None:
        return None
    primary = code & 0xFF
    if primary == _SQLITE_FULL:
        return StorageFull(f"磁盘空间已满，无法保存到数据库 {where}。本次操作未保存，已保存的记录均完好。"
                           "请清理磁盘空间（或联系信息技术人员）后重试。")
    if primary == _SQLITE_READONLY:
        return StorageReadOnly(f"数据库 {where} 或其所在文件夹是只读的，无法保存。本次操作未保存，已保存的记录均完好。"
                               "请检查文件权限或网络共享的写入权限。")
    if primary == _SQLITE_IOERR:
        return StorageFull(f"读写数据库 {where} 时发生磁盘错误（{exc}），可能是磁盘已满或网络中断。"
                           "本次操作未保存，请检查磁盘后重试。")
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return DatabaseDamaged(f"无法打开数据库文件 {where}：文件已损坏或不是本软件的数据库（{exc}）。"
                               "请从备份恢复（设置 → 备份与恢复，或 request-desk restore）。")
    if primary == _SQLITE_CANTOPEN:
        place = Path(where)
        if place.is_file() and not (os.access(place, os.W_OK) and os.access(place.parent, os.W_OK)):
            # SQLite needs to write beside the file (WAL, -shm) even to read it.
            return StorageReadOnly(f"数据库 {where} 位于只读的位置（只读介质、只读共享或没有写入权限），无法打开。"
                                   "文件本身完好，已保存的记录没有受到影响。请把它复制到可写的文件夹，或请信息技术人员开放写入权限。")
        return StorageReadOnly(f"无法打开数据库文件 {where}：文件或文件夹不存在，或没有读写权限（{exc}）。")
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return StorageBusy(f"数据库 {where} 正被另一台电脑长时间占用，等待 {BUSY_TIMEOUT_MS // 1000} 秒后仍无法保存。"
                           "本次操作未保存，请稍后重试。")
    return None


def append_only_ddl(table: str) -> list[str]:
    """Triggers that make ``table`` append-only (the audit log)."""
    return [
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
    ]


#: A table of keys only (a primary key and nothing else) is stored as its primary key's B-tree.
KEY_TABLE_OPTIONS = " WITHOUT ROWID"


def rename_table_ddl(old: str, new: str) -> list[str]:
    return [f"ALTER TABLE {old} RENAME TO {new}"]


def row_trigger_ddl(name: str, when: str, body: str, condition: str | None = None) -> list[str]:
    """A row trigger running ``body`` ``when`` it fires (see ``postgres_support.row_trigger_ddl``)."""
    test = f" WHEN {condition}" if condition else ""
    return [f"CREATE TRIGGER {name} {when}{test} BEGIN {body}; END"]


def drop_row_trigger_ddl(name: str, _table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name}"]


def drop_append_only_ddl(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_no_delete"]


# --------------------------------------------------------------------------
# Restore: the live file's content replaced under its write lock
# --------------------------------------------------------------------------

RESTORED = "restored"  # schema name of the attached database a restore copies from


@contextmanager
def holding_write_lock(path: Path, source: Path) -> Iterator[sqlite3.Connection]:
    """A connection to ``path`` inside a write transaction, with ``source`` attached as ``restored``.

    From the moment this yields until it returns, no other desk can commit:
    their writes wait up to the busy timeout and then fail with "未保存"
    (``StorageBusy``); they keep reading the old content. The transaction
    commits when the block ends (after a foreign-key check) and rolls back
    whole on any exception or a kill, so the live file is either as it was
    or entirely replaced.
    """
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    register_functions(con)
    try:
        # Rows are copied table by table; the check at the end replaces the
        # per-row enforcement (which cannot be switched inside a transaction).
        con.execute("PRAGMA foreign_keys = OFF")
        con.execute(f"ATTACH DATABASE ? AS {RESTORED}", (str(source),))
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
            if con.execute("PRAGMA main.foreign_key_check").fetchone() is not None:
                raise sqlite3.IntegrityError("restored content breaks a foreign key")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute(f"DETACH DATABASE {RESTORED}")
    finally:
        con.close()


def _copied_tables(con: sqlite3.Connection, schema: str) -> list[str]:
    """Ordinary tables of ``schema``: no SQLite internals, no full-text tables or their shadows."""
    rows = con.execute(f"PRAGMA {schema}.table_list").fetchall()
    return sorted(r[1] for r in rows if r[2] == "table" and not r[1].startswith("sqlite_"))


def _columns(con: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [r[1] for r in con.execute(f'PRAGMA {schema}.table_info("{table}")')]


def replace_content(con: sqlite3.Connection) -> None:
    """Inside ``holding_write_lock``: make every table of the live file a copy of ``restored``'s.

    Both files must be at the same schema revision. Triggers are dropped for
    the copy (the append-only ones would refuse the delete; the full-text ones
    would index row by row) and re-created from their stored SQL; the search
    indexes are rebuilt once at the end.
    """
    triggers = con.execute("SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger'").fetchall()
    tables = _copied_tables(con, "main")
    if tables != _copied_tables(con, RESTORED):
        raise sqlite3.DatabaseError("the backup's tables differ from the database's")
    for name, _sql in triggers:
        con.execute(f'DROP TRIGGER main."{name}"')
    for table in tables:
        columns = _columns(con, "main", table)
        if sorted(columns) != sorted(_columns(con, RESTORED, table)):
            raise sqlite3.DatabaseError(f"the backup's table {table} has other columns")
        names = ", ".join(f'"{c}"' for c in columns)
        con.execute(f'DELETE FROM main."{table}"')
        con.execute(f'INSERT INTO main."{table}" ({names}) SELECT {names} FROM {RESTORED}."{table}"')
    if all(con.execute(f"SELECT 1 FROM {schema}.sqlite_master WHERE name = 'sqlite_sequence'").fetchone()
           for schema in ("main", RESTORED)):  # AUTOINCREMENT counters, should a table ever use them
        con.execute("DELETE FROM main.sqlite_sequence")
        con.execute(f"INSERT INTO main.sqlite_sequence SELECT * FROM {RESTORED}.sqlite_sequence")
    for statement in fts_rebuild_ddl():
        con.execute(statement)
    for _name, sql in triggers:
        con.execute(sql)


# --------------------------------------------------------------------------
# Full-text search (FTS5). See storage/search.py for why there are two indexes.
# --------------------------------------------------------------------------

FTS_TRIGRAM = "request_fts"  # substrings of 3+ characters (tokenize='trigram')
FTS_BIGRAM = "request_fts2"  # 1-2 character terms over pre-split bigrams
FTS_COLUMNS = ("reg_number", "applicant_name", "description")
BIGRAM_FUNCTION = "rd_bigrams"
_FTS_TRIGGERS = ("request_fts_ai", "request_fts_ad", "request_fts_au")


def bigrams(text: str | None) -> str:
    """``"张三丰"`` → ``"张三 三丰 丰"``: every 2-character window plus the last character.

    Each position of the text starts exactly one token, so a 2-character term
    is one token and a 1-character term is a token prefix. The tokenizer
    (unicode61) lower-cases and drops punctuation inside a token.
    """
    if not text:
        return ""
    grams = [text[i : i + 2] for i in range(len(text) - 1)]
    grams.append(text[-1])
    return " ".join(grams)


def register_functions(dbapi_connection: Any) -> None:
    """SQL functions the FTS triggers call; every connection needs them."""
    dbapi_connection.create_function(BIGRAM_FUNCTION, 1, bigrams, deterministic=True)
    dbapi_connection.create_function(contact_keys.FUNCTION, 2, contact_keys.keys_json, deterministic=True)


@event.listens_for(Engine, "connect")
def _register_functions_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Global so that no caller can forget it: the bigram triggers fail with
    # "no such function" on a connection without it.
    if isinstance(dbapi_connection, sqlite3.Connection):
        register_functions(dbapi_connection)


def fts_create_ddl() -> list[str]:
    """The two FTS5 tables, the triggers that keep them in sync, and the backfill."""
    cols = ", ".join(FTS_COLUMNS)
    new_vals = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
    old_vals = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
    new_bi = ", ".join(f"{BIGRAM_FUNCTION}(new.{c})" for c in FTS_COLUMNS)
    old_bi = ", ".join(f"{BIGRAM_FUNCTION}(old.{c})" for c in FTS_COLUMNS)
    insert_new = (
        f"INSERT INTO {FTS_TRIGRAM}(rowid, {cols}) VALUES (new.id, {new_vals}); "
        f"INSERT INTO {FTS_BIGRAM}(rowid, {cols}) VALUES (new.id, {new_bi}); "
    )
    delete_old = (
        f"INSERT INTO {FTS_TRIGRAM}({FTS_TRIGRAM}, rowid, {cols}) VALUES ('delete', old.id, {old_vals}); "
        f"INSERT INTO {FTS_BIGRAM}({FTS_BIGRAM}, rowid, {cols}) VALUES ('delete', old.id, {old_bi}); "
    )
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in FTS_COLUMNS)
    return [
        # External content: the text stays in the request table only.
        f"CREATE VIRTUAL TABLE {FTS_TRIGRAM} USING fts5({cols}, content='request', "
        f"content_rowid='id', tokenize='trigram')",
        # Contentless: its text is derived, so nothing needs to be stored.
        f"CREATE VIRTUAL TABLE {FTS_BIGRAM} USING fts5({cols}, content='', tokenize='unicode61')",
        f"CREATE TRIGGER request_fts_ai AFTER INSERT ON request BEGIN {insert_new}END",
        f"CREATE TRIGGER request_fts_ad AFTER DELETE ON request BEGIN {delete_old}END",
        f"CREATE TRIGGER request_fts_au AFTER UPDATE OF {cols} ON request WHEN {changed} "
        f"BEGIN {delete_old}{insert_new}END",
        *_fts_fill_ddl(),
    ]


def _fts_fill_ddl() -> list[str]:
    """Index every request in both (empty or external-content) full-text tables."""
    cols = ", ".join(FTS_COLUMNS)
    src_bi = ", ".join(f"{BIGRAM_FUNCTION}({c})" for c in FTS_COLUMNS)
    return [
        f"INSERT INTO {FTS_TRIGRAM}({FTS_TRIGRAM}) VALUES ('rebuild')",
        f"INSERT INTO {FTS_BIGRAM}(rowid, {cols}) SELECT id, {src_bi} FROM request",
    ]


def fts_rebuild_ddl() -> list[str]:
    """Re-index every request after the request table was rewritten without its triggers."""
    return [f"INSERT INTO {FTS_BIGRAM}({FTS_BIGRAM}) VALUES ('delete-all')", *_fts_fill_ddl()]


# The AFTER INSERT triggers on ``request`` and the set-based statement doing
# the same work for every row with ``id >= :first`` (see ``bulk_insert``).
_BULK_EQUIVALENT = {
    "request_fts_ai": [  # fts_create_ddl
        f"INSERT INTO {FTS_TRIGRAM}(rowid, {', '.join(FTS_COLUMNS)}) "
        f"SELECT id, {', '.join(FTS_COLUMNS)} FROM request WHERE id >= :first ORDER BY id",
        f"INSERT INTO {FTS_BIGRAM}(rowid, {', '.join(FTS_COLUMNS)}) "
        f"SELECT id, {', '.join(f'{BIGRAM_FUNCTION}({c})' for c in FTS_COLUMNS)} "
        "FROM request WHERE id >= :first ORDER BY id",
    ],
    "request_similarity_ai": [  # migration 0004
        "INSERT OR IGNORE INTO similarity_pending (request_id) SELECT id FROM request WHERE id >= :first",
    ],
    "request_contact_ai": [contact_keys.bulk_fill_sql()],  # migration 0011
}


@contextmanager
def bulk_insert(dbapi_connection: Any, first_id: int) -> Iterator[None]:
    """Insert many requests (ids ``>= first_id``) without per-row triggers; index them once at the end.

    Use inside an open write transaction. The insert triggers of ``request``
    (full-text and similarity queue) run a Python function and two FTS5
    inserts per row: for bulk loads (demo data) that was more than half the
    time. Here they are dropped, the caller inserts, then one ``INSERT …
    SELECT`` per index does the same work and the triggers are re-created
    from their stored SQL. DDL is transactional in SQLite, so a failure or a
    crash rolls the triggers back with the rows; other connections wait on
    the write lock and never see a request table without its triggers.

    If ``request`` has an insert trigger this function does not know, nothing
    is deferred (a new trigger must be added to ``_BULK_EQUIVALENT``).
    """
    triggers = dict(dbapi_connection.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'request' "
        "AND upper(sql) LIKE '%AFTER INSERT ON REQUEST%'").fetchall())
    if not triggers or set(triggers) - set(_BULK_EQUIVALENT):
        yield
        return
    for name in triggers:
        dbapi_connection.execute(f'DROP TRIGGER "{name}"')
    yield
    for name, sql in triggers.items():
        for statement in _BULK_EQUIVALENT[name]:
            dbapi_connection.execute(statement, {"first": first_id})
        dbapi_connection.execute(sql)


def fts_drop_ddl() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {t}" for t in _FTS_TRIGGERS] + [
        f"DROP TABLE IF EXISTS {FTS_TRIGRAM}",
        f"DROP TABLE IF EXISTS {FTS_BIGRAM}",
    ]


def month_of(date_sql: str) -> str:
    """SQL for a date column's month as ``YYYY-MM``."""
    return f"substr({date_sql}, 1, 7)"  # dates are ISO text


def contact_keys_contain(keys_sql: str, key_param: str) -> str:
    """A test that the contact keys ``keys_sql`` computes (a JSON array here) include ``key_param``."""
    return f"EXISTS (SELECT 1 FROM json_each({keys_sql}) WHERE value = {key_param})"


def fts_quote(term: str) -> str:
    """One FTS5 string (a phrase): double quotes doubled, nothing else special."""
    return '"' + term.replace('"', '""') + '"'


def fts_match_sql(terms_long: list[str], terms_short: list[str]) -> list[tuple[str, dict[str, str]]]:
    """Subqueries of matching request ids, one per index used, to AND together.

    Terms of 3+ characters go to the trigram index as phrases (substring
    match); 2-character terms are one bigram token; 1-character terms are a
    bigram-token prefix.
    """
    parts: list[tuple[str, dict[str, str]]] = []
    if terms_long:
        expr = " AND ".join(fts_quote(t) for t in terms_long)
        parts.append((f"SELECT rowid FROM {FTS_TRIGRAM} WHERE {FTS_TRIGRAM} MATCH :fts_long", {"fts_long": expr}))
    if terms_short:
        expr = " AND ".join(fts_quote(t) + (" *" if len(t) == 1 else "") for t in terms_short)
        parts.append((f"SELECT rowid FROM {FTS_BIGRAM} WHERE {FTS_BIGRAM} MATCH :fts_short", {"fts_short": expr}))
    return parts
