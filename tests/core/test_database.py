"""Opening, migrating and refusing databases; SQLite settings; the append-only audit log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from request_desk.core.errors import DatabaseTooNew, DatabaseUnusable
from request_desk.core.storage.db import Database


def test_empty_file_is_migrated_to_head(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "new.sqlite3")
    try:
        assert db.revision() == Database.head_revision()
        with db.engine.connect() as conn:
            tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
        assert {"request", "handlingunit", "assignment", "event", "pause", "extension", "fee",
                "satisfactioncall", "letter", "publicationflag", "remedycase", "calendaryear",
                "calendarday", "user", "audit_log", "setting"} <= tables
    finally:
        db.close()


def test_reopening_is_idempotent(db_path: Path) -> None:
    for _ in range(2):
        db = Database.open(db_path)
        assert db.revision() == Database.head_revision()
        db.close()


def test_foreign_keys_and_wal_are_on(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    with pytest.raises(IntegrityError), db.write() as s:
        s.execute(text("INSERT INTO assignment (request_id, unit_id, assigned_date, assigned_by, note) "
                       "VALUES (999, 999, '2026-01-05', 'x', '')"))


def test_database_from_a_newer_version_is_refused_untouched(db_path: Path) -> None:
    con = sqlite3.connect(db_path)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseTooNew, match="更新版本"):
        Database.open(db_path)
    assert db_path.read_bytes() == before


def test_a_file_that_is_not_a_database_gets_a_clear_message(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_text("这不是数据库" * 100, encoding="utf-8")
    with pytest.raises(DatabaseUnusable, match="无法打开数据库文件"):
        Database.open(bogus)


def test_audit_log_is_append_only(db: Database) -> None:
    from request_desk.core.storage.audit import audit

    with db.read() as s:
        before = s.execute(text("SELECT user FROM audit_log")).scalars().all()
    with db.write() as s:
        audit(s, "clerk", "test", "request", 1, None, {"a": 1})
    for statement in ("UPDATE audit_log SET user = 'mallory'", "DELETE FROM audit_log"):
        with pytest.raises(IntegrityError, match="append-only"), db.write() as s:
            s.execute(text(statement))
    with db.read() as s:
        assert s.execute(text("SELECT user FROM audit_log")).scalars().all() == [*before, "clerk"]
