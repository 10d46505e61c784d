"""Opening the database: engine, migrations, and one transaction per user action."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session

from request_desk.core import sqlite_support
from request_desk.core.errors import DatabaseTooNew, DatabaseUnusable

log = logging.getLogger("request_desk.db")


def alembic_config() -> Config:
    """Alembic's configuration; migrations always run on a connection we hand over.

    No URL goes into it: Alembic's ``set_main_option`` applies ConfigParser
    interpolation, so a percent-quoted path (SQLAlchemy 2.1 quotes every
    non-ASCII character, as in ``C:\\Users\\张三``) or a ``%`` in the install
    folder would raise ``ValueError`` before any of our error handling runs.
    """
    cfg = Config()
    location = str(resources.files("request_desk.core") / "migrations")
    cfg.set_main_option("script_location", location.replace("%", "%%"))
    return cfg


class Database:
    """A migrated database. Use ``write()`` for a user action, ``read()`` for queries."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._write_engine = engine.execution_options(**sqlite_support.WRITE_OPTIONS)

    @classmethod
    def open(cls, path: Path | str) -> Database:
        """Open (creating if needed) and upgrade the database file at ``path``."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(sqlite_support.url_for(path))
        sqlite_support.configure(engine)
        db = cls(engine)
        try:
            db.migrate()
        except DatabaseError as exc:
            engine.dispose()
            raise DatabaseUnusable(f"无法打开数据库文件 {path}：文件已损坏、被占用或不是本软件的数据库（{exc.orig}）。") from exc
        except BaseException:
            engine.dispose()
            raise
        return db

    def migrate(self) -> None:
        """Upgrade to the newest schema; refuse a database from a newer version."""
        cfg = alembic_config()
        script = ScriptDirectory.from_config(cfg)
        with self.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
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
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert head is not None
        return head

    def revision(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One user action: a single transaction, committed at the end or rolled back whole."""
        with Session(self._write_engine, expire_on_commit=False) as session:
            with session.begin():
                yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()
