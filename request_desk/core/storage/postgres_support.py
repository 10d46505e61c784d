"""Everything that only PostgreSQL has, in one place (the shared office server).

The counterpart of ``sqlite_support``: connection set-up, the write lock, the
append-only triggers, the search indexes, the change notifications and the
sequences behind explicitly numbered rows. The rest of the desk speaks plain
SQLAlchemy, or SQL that both engines accept (``INSERT … ON CONFLICT``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import OperationalError

from request_desk.core.errors import StorageBusy, StorageReadOnly

DRIVER = "postgresql+psycopg"

#: Execution option of the desk's write transactions (``Database.write``).
WRITER_OPTION = "pg_writer"
WRITE_OPTIONS = {WRITER_OPTION: True}
# Every write transaction takes this transaction-scoped advisory lock first:
# writers are serialized as SQLite's BEGIN IMMEDIATE serializes them, so every
# read-decide-write of the desk (gapless numbers, the optimistic version check,
# "only one open assignment") stays as correct on the server as on one PC.
# Readers never take it: paging the list never waits for a writer.
WRITE_LOCK_KEY = 0x5244_4553  # "RDES"
LOCK_TIMEOUT_MS = 10_000

#: The channel a committed change is announced on (``NOTIFY``), see ``desk_changes``.
CHANGE_CHANNEL = "request_desk_changes"


def url_for(location: str) -> URL:
    """The engine URL for a ``postgresql://user@host/db`` location, with the psycopg 3 driver."""
    url = make_url(location.strip())
    return url.set(drivername=DRIVER)


def shown(url: URL | str) -> str:
    """A location as a clerk may see it: never the password."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=True)


def configure(engine: Engine) -> None:
    """Session settings for every connection, the write lock, and clear errors."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Moments are stored as UTC wall-clock values, as the SQLite file stores them;
        # the server's own time zone must not shift them.
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
            cursor.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
        dbapi_connection.commit()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(WRITER_OPTION):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")

    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> BaseException | None:
        return storage_error(context.original_exception, shown(engine.url))


def storage_error(exc: BaseException, where: str) -> BaseException | None:
    """A clear Chinese DeskError for a server that cannot be reached, is read-only or holds a lock too long."""
    state = getattr(getattr(exc, "diag", None), "sqlstate", None) or getattr(exc, "sqlstate", None)
    if state == "55P03":  # lock_not_available: another desk's save held the write lock too long
        return StorageBusy(f"数据库服务器 {where} 正忙（另一台电脑的保存长时间未完成），等待 "
                           f"{LOCK_TIMEOUT_MS // 1000} 秒后仍无法保存。本次操作未保存，请稍后重试。")
    if state == "25006":  # read_only_sql_transaction: a standby server
        return StorageReadOnly(f"数据库服务器 {where} 是只读的（备用服务器），无法保存。本次操作未保存。")
    return None


def unreachable_message(where: str, exc: OperationalError) -> str:
    return (f"无法连接数据库服务器 {where}：{str(exc.orig).strip().splitlines()[0] if exc.orig else exc}。"
            "请检查网络、服务器地址、用户名和密码，或请信息技术人员确认服务器已启动。")


def append_only_ddl(table: str) -> list[str]:
    """A trigger that refuses every UPDATE and DELETE of ``table`` (the audit log, issued letters)."""
    function = f"{table}_append_only"
    return [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        # An integrity violation, as SQLite's RAISE(ABORT) is: the desk reports both alike.
        f"BEGIN RAISE EXCEPTION '{table} is append-only' USING ERRCODE = 'integrity_constraint_violation'; END $$",
        f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
    ]


def drop_append_only_ddl(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}", f"DROP FUNCTION IF EXISTS {table}_append_only()"]


def reset_sequences(conn: Connection, tables: list[str] | None = None) -> None:
    """Move each table's id sequence past its largest id (after rows were inserted with their ids).

    SQLite gives the largest id plus one by itself; a PostgreSQL sequence knows
    nothing of ids written explicitly (the ledger import, the demo data, a
    move from SQLite) and would hand out one of them again.
    """
    rows = conn.exec_driver_sql(
        "SELECT c.relname, a.attname, pg_get_serial_sequence(quote_ident(c.relname), a.attname) "
        "FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped "
        "AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL").fetchall()
    for table, column, sequence in rows:
        if tables is not None and table not in tables:
            continue
        conn.exec_driver_sql(
            f'SELECT setval(%(s)s, coalesce((SELECT max("{column}") FROM "{table}"), 0) + 1, false)',
            {"s": sequence})


def table_names(conn: Connection) -> list[str]:
    """The tables of the connection's current schema."""
    return [str(r[0]) for r in conn.exec_driver_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").fetchall()]


KEY_TABLE_OPTIONS = ""


def rename_table_ddl(old: str, new: str) -> list[str]:
    """Rename a table and its primary key's index, which keeps the old table's name otherwise.

    (A later table of the old name would then fail on an index name already taken.)
    """
    return [f"ALTER TABLE {old} RENAME TO {new}", f"ALTER INDEX IF EXISTS {old}_pkey RENAME TO {new}_pkey"]


def row_trigger_ddl(name: str, when: str, body: str, condition: str | None = None) -> list[str]:
    """A row trigger running ``body`` (SQL both engines accept, using ``new``/``old``) ``when`` it fires.

    ``when`` is as SQLite writes it (``AFTER INSERT ON t``), ``condition`` an
    optional test of the row (``new.reached``). PostgreSQL runs trigger bodies
    as functions; ``sqlite_support.row_trigger_ddl`` writes the same trigger inline.
    """
    test = f" WHEN ({condition})" if condition else ""
    return [
        f"CREATE OR REPLACE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {body}; RETURN NULL; END $$",
        f"CREATE TRIGGER {name} {when} FOR EACH ROW{test} EXECUTE FUNCTION {name}_fn()",
    ]


def drop_row_trigger_ddl(name: str, table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}_fn()"]


class ChangeListener:
    """A connection of its own that sleeps until another desk commits a change (``LISTEN``).

    ``Database.write`` sends ``NOTIFY`` with every write transaction; the server
    delivers it when (and only if) that transaction commits.
    """

    def __init__(self, url: URL) -> None:
        import psycopg  # noqa: PLC0415  (only a desk on the server listens)

        conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._conn = psycopg.connect(conninfo, autocommit=True)
        self._conn.execute(f"LISTEN {CHANGE_CHANNEL}")

    def wait(self, timeout: float) -> bool:
        """Whether a change was announced within ``timeout`` seconds (all pending ones are taken)."""
        got = False
        for _ in self._conn.notifies(timeout=timeout, stop_after=1):
            got = True
        return got

    def close(self) -> None:
        self._conn.close()
