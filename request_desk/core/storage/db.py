"""Opening the database: engine, migrations, and one transaction per user action."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError, OperationalError, ProgrammingError
from sqlmodel import Session

from request_desk import paths
from request_desk.core.errors import DatabaseDamaged, DatabaseTooNew, DatabaseUnusable
from request_desk.core.storage import postgres_support, sqlite_support
from request_desk.core.storage.migrations import HEAD

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger("request_desk.db")

# Suffix of a file still being written (a new database, a backup, a restore's
# copies); it gets its real name only when complete. storage/backup.py cleans up
# the ones a killed process left.
PARTIAL = ".partial"


def alembic_config() -> Config:
    """Alembic's configuration; migrations always run on a connection we hand over.

    No URL goes into it: Alembic's ``set_main_option`` applies ConfigParser
    interpolation, so a percent-quoted path (SQLAlchemy 2.1 quotes every
    non-ASCII character, as in ``C:\\Users\\张三``) or a ``%`` in the install
    folder would raise ``ValueError`` before any of our error handling runs.
    """
    from alembic.config import Config  # noqa: PLC0415  (only when a migration runs)

    cfg = Config()
    location = str(resources.files("request_desk.core.storage") / "migrations")
    cfg.set_main_option("script_location", location.replace("%", "%%"))
    return cfg


def _refuse_foreign(path: Path) -> None:
    """An existing file without our schema revision is not ours to migrate: look read-only, change nothing."""
    tables = sqlite_support.table_names(path)
    if tables is None or "alembic_version" in tables:
        return  # unreadable files are explained by opening them; ours are opened
    if tables:
        raise DatabaseUnusable(f"文件 {path} 不是依申请公开办理台的数据库（其中有其他程序的数据表），未作任何改动。")
    raise DatabaseDamaged(f"数据库文件 {path} 中没有任何数据表，不是新建的数据库。"
                          "请从备份恢复（设置 → 备份与恢复，或 request-desk restore），或将此文件移走后再新建。")


def _stored_revision(conn: Connection) -> str | None:
    """The schema revision recorded in the database (Alembic's table), None for a new file."""
    try:
        value = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    except (OperationalError, ProgrammingError):  # no such table: nothing migrated yet
        conn.rollback()
        return None
    return None if value is None else str(value)


class Database:
    """A migrated database. Use ``write()`` for a user action, ``read()`` for queries."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        support = postgres_support if self.on_server else sqlite_support
        self._write_engine = engine.execution_options(**support.WRITE_OPTIONS)

    @property
    def on_server(self) -> bool:
        """Whether this is the office's shared PostgreSQL server rather than a file on this PC."""
        return self.engine.dialect.name == "postgresql"

    @property
    def location(self) -> Path | str:
        """Where the records are: the file, or the server's URL (as ``--db`` takes it, password included)."""
        if self.on_server:
            return self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        return Path(str(self.engine.url.database))

    @property
    def where(self) -> str:
        """The location as a clerk may see it (never a password)."""
        return postgres_support.shown(self.engine.url) if self.on_server else str(self.engine.url.database)

    @classmethod
    def open(cls, path: Path | str, *, check: bool = False) -> Database:
        """Open and upgrade the database file at ``path``; where there is no file, create one.

        A ``postgresql://user@host/dbname`` location opens the office's server
        instead (``open_server``).

        Only a path with no file at all is a new office. An existing file that
        is empty, holds no tables or holds someone else's tables is refused:
        writing a new schema into it would hide that the records are gone
        (``diagnose`` and the restore offer then take over). With ``check``
        the file is checked (``PRAGMA quick_check``) before anything is
        written to it, as every command of the desk does at start.
        """
        if paths.on_server(path):
            return cls.open_server(str(path))
        path = Path(path)
        if path.is_dir():
            raise DatabaseUnusable(f"{path} 是一个文件夹，不是数据库文件。"
                                   f"请指定数据库文件本身（例如 {path / 'request-desk.sqlite3'}）。")
        if not path.exists():
            cls._create(path)
        elif path.stat().st_size == 0:
            raise DatabaseDamaged(f"数据库文件 {path} 是空文件（0 字节），其中没有任何记录，"
                                  "程序不会把它当作新数据库使用。请从备份恢复（设置 → 备份与恢复，"
                                  "或 request-desk restore），或将此文件移走后再新建。")
        else:
            _refuse_foreign(path)
        return cls._open_file(path, check=check)

    @classmethod
    def open_server(cls, location: str) -> Database:
        """Open and upgrade the office's PostgreSQL database (it must exist; it may be empty).

        An empty database is a new office, as a missing file is; a database
        holding other tables and no schema revision of ours is refused.
        """
        engine = create_engine(postgres_support.url_for(location), pool_pre_ping=True)
        postgres_support.configure(engine)
        where = postgres_support.shown(engine.url)
        db = cls(engine)
        try:
            with engine.connect() as conn:
                tables = postgres_support.table_names(conn)
            if tables and "alembic_version" not in tables:
                raise DatabaseUnusable(f"数据库 {where} 不是依申请公开办理台的数据库（其中有其他程序的数据表），"
                                       "未作任何改动。")
            db.migrate()
        except OperationalError as exc:
            engine.dispose()
            raise DatabaseUnusable(postgres_support.unreachable_message(where, exc)) from exc
        except BaseException:
            engine.dispose()
            raise
        return db

    @classmethod
    def _open_file(cls, path: Path, *, check: bool) -> Database:
        engine = create_engine(sqlite_support.url_for(path))
        sqlite_support.configure(engine)
        db = cls(engine)
        try:
            if check and (problems := sqlite_support.quick_check(engine)):
                raise DatabaseDamaged(f"数据库文件 {path} 已损坏（检查结果：{'；'.join(problems[:3])}），"
                                      "为免损坏扩大，程序不会写入。"
                                      "请从备份恢复（设置 → 备份与恢复，或 request-desk restore）。")
            db.migrate()
        except DatabaseError as exc:
            engine.dispose()
            raise DatabaseUnusable(f"无法打开数据库文件 {path}：文件已损坏、被占用或"
                                   f"不是本软件的数据库（{exc.orig}）。") from exc
        except BaseException:
            engine.dispose()
            raise
        return db

    @classmethod
    def _create(cls, path: Path) -> None:
        """A new database, built under a temporary name and moved into place complete.

        A kill while the schema is being created leaves only the ``.partial``
        file (cleaned up later), never a half-made database under the real
        name that a later start would take for an office's records.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = Path(f"{path}{PARTIAL}")
        for leftover in sqlite_support.companions(partial):
            leftover.unlink(missing_ok=True)
        new = cls._open_file(partial, check=False)
        sqlite_support.checkpoint(new.engine)
        new.close()
        try:
            os.link(partial, path)  # never replaces: another desk may have just created it
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(partial, path)
        for leftover in sqlite_support.companions(partial):
            leftover.unlink(missing_ok=True)

    def migrate(self) -> None:
        """Upgrade to the newest schema; refuse a database from a newer version."""
        with self.engine.connect() as conn:
            current = _stored_revision(conn)
        if current == HEAD:
            return  # the usual start: up to date, and Alembic is not even imported
        from alembic import command  # noqa: PLC0415
        from alembic.script import ScriptDirectory  # noqa: PLC0415

        cfg = alembic_config()
        script = ScriptDirectory.from_config(cfg)
        known = {rev.revision for rev in script.walk_revisions()}
        if current is not None and current not in known:
            raise DatabaseTooNew(
                f"此数据库由更新版本的依申请公开办理台创建（数据库版本 {current}），"
                "当前软件无法安全打开。请升级软件后再试，数据库未作任何改动。"
            )
        if current != script.get_current_head():
            log.info("upgrading database from %s to %s", current, script.get_current_head())
            with self._write_engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")

    @staticmethod
    def head_revision() -> str:
        """The newest schema revision this version of Request Desk knows."""
        from alembic.script import ScriptDirectory  # noqa: PLC0415

        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert head is not None
        return head

    def revision(self) -> str | None:
        with self.engine.connect() as conn:
            return _stored_revision(conn)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One user action: a single transaction, committed at the end or rolled back whole."""
        with Session(self._write_engine, expire_on_commit=False) as session, session.begin():
            yield session
            if self.on_server:  # delivered to the other desks when this commits (storage/desk_changes.py)
                session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": postgres_support.CHANGE_CHANNEL})

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()
