"""Moving an office onto the server: ``request-desk migrate-to`` (core.transfer.move_to_server).

The moves need the PostgreSQL test server (``REQUEST_DESK_TEST_PG``) and are
skipped with that reason without it; the checksum's own rules are checked on
every run. The office moved is always a SQLite file, whichever engine the rest
of the suite runs on.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from sqlmodel import select

from request_desk import paths
from request_desk.cli import main
from request_desk.core.cases import attachments
from request_desk.core.cases.attachments import AttachmentKind
from request_desk.core.letters import compose
from request_desk.core.letters import register as letter_register
from request_desk.core.office import users
from request_desk.core.office.permissions import PermissionDenied
from request_desk.core.reports import annual
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry, Letter, Request, User
from request_desk.core.transfer import demo, move_to_server
from request_desk.core.transfer.move_to_server import MoveRefused
from request_desk.core.transfer.table_checksums import TableDigest
from request_desk.core.vocab import Role
from tests.factories import CLERK, PASSWORD, TODAY, register, replied
from tests.support import server

ADMIN = "guanli"
SCAN = b"%PDF-1.4 scanned application \x00\xff" * 50
needs_server = pytest.mark.skipif(
    not server.enabled(),
    reason="needs the PostgreSQL test server: set REQUEST_DESK_TEST_PG=postgresql://postgres@127.0.0.1:PORT")


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A SQLite desk with demo cases, an issued letter with its PDF, an attachment and their audit entries."""
    path = tmp_path / "office.sqlite3"
    db = Database.open(path)
    try:
        users.add_user(db, "supervisor", "王主任", Role.SUPERVISOR, actor="supervisor", initial_password=PASSWORD)
        users.add_user(db, ADMIN, "张管理", Role.ADMINISTRATOR, actor="supervisor", initial_password=PASSWORD)
        users.add_user(db, CLERK, "李经办", Role.CLERK, actor=ADMIN, initial_password=PASSWORD)
        with db.write() as session:
            for user in session.exec(select(User)).all():
                user.must_change_password = False
                session.add(user)
        demo.run(db, 150, today=TODAY, actor=ADMIN)
        rid = replied(db, "1", on=date(2026, 10, 26))
        letter_register.issue(db, compose.compose(db, rid, "reply_1", on_date=date(2026, 10, 26)), CLERK)
        attachments.add_attachment(db, rid, CLERK, SCAN, kind=AttachmentKind.APPLICATION_SCAN,
                                   file_name="申请书扫描件.pdf", today=TODAY)
    finally:
        db.close()
    return path


@pytest.fixture
def target() -> Iterator[str]:
    location = server.new_database("rd_move")
    yield location
    server.drop_database(location)


def _state(path: Path) -> tuple[bytes, int, list[str]]:
    """The file's bytes, its modification time and the files beside it (no -wal or -shm appears)."""
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(p.name for p in path.parent.iterdir())


def _file_count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as con:
        return int(con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


@needs_server
def test_a_demo_office_moves_with_every_table_verified_and_the_file_untouched(office: Path, target: str) -> None:
    before = _state(office)
    moved = move_to_server.move(office, target, ADMIN)
    assert _state(office) == before
    assert moved.verified
    checked = {t.table: t for t in moved.tables}
    assert {"request", "event", "letter", "attachment", "audit_log", "user", "alembic_version"} <= set(checked)
    for t in moved.tables:  # the counts are the file's own
        assert t.file_rows == t.server_rows == _file_count(office, t.table), t.table
    assert checked["request"].file_rows == 151 and checked["letter"].file_rows == 1
    assert {"request_fts", "request_fts2"} <= {name for name, _why in moved.skipped}
    assert checked["request_contact"].file_rows > 0  # the contact keys exist on both engines: copied

    desk = Database.open(office)
    on_server = Database.open(target)
    try:
        with desk.read() as a, on_server.read() as b:
            [letter] = a.exec(select(Letter)).all()
            [moved_letter] = b.exec(select(Letter)).all()
            assert moved_letter.pdf == letter.pdf and moved_letter.pdf and moved_letter.doc_number == letter.doc_number
            # the server's audit log has the file's entries and one for the move
            entries = b.exec(select(AuditEntry).order_by(AuditEntry.id)).all()  # type: ignore[arg-type]
            assert len(entries) == checked["audit_log"].file_rows + 1
            assert entries[-1].action == "moved_to_server" and entries[-1].user == ADMIN
        [scan] = attachments.list_attachments(on_server, letter.request_id or 0)
        assert attachments.attachment_bytes(on_server, scan.id)[1] == SCAN
    finally:
        desk.close()
        on_server.close()


@needs_server
def test_the_server_desk_reports_as_the_file_did_and_numbers_on(office: Path, target: str) -> None:
    move_to_server.move(office, target, ADMIN)
    desk = Database.open(office)
    on_server = Database.open(target)
    try:
        for year in (2025, 2026):
            assert annual.annual_report(on_server, year).table == annual.annual_report(desk, year).table
        with desk.read() as session:
            last = session.exec(select(Request).order_by(Request.id.desc())).first()  # type: ignore[union-attr]
        assert last is not None and last.id is not None
        rid = register(on_server)  # the id sequence was moved past the copied ids
        with on_server.read() as session:
            new = session.get(Request, rid)
        assert new is not None and rid == last.id + 1 and new.seq == last.seq + 1
    finally:
        desk.close()
        on_server.close()
    # the server's triggers and foreign keys, off during the copy, are all back
    fresh = server.new_database("rd_fresh_schema")
    try:
        Database.open(fresh).close()
        assert _constraints_and_triggers(target) == _constraints_and_triggers(fresh)
    finally:
        server.drop_database(fresh)
    with psycopg.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM similarity_pending WHERE request_id = %s", (rid,)).fetchone() == (1,)
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="append-only"):
            conn.execute("UPDATE audit_log SET action = 'x'")


def _constraints_and_triggers(location: str) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    with psycopg.connect(location) as conn:
        keys = conn.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                            "WHERE contype = 'f' ORDER BY 1, 2").fetchall()
        triggers = conn.execute("SELECT tgrelid::regclass::text, tgname, tgenabled::text FROM pg_trigger "
                                "WHERE NOT tgisinternal ORDER BY 1, 2").fetchall()
    return keys, triggers


@needs_server
def test_migrate_to_on_the_command_line(office: Path, target: str, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(paths.DB_ENV, str(office))
    monkeypatch.setenv("REQUEST_DESK_PASSWORD", PASSWORD)
    before = _state(office)
    assert main(["--user", ADMIN, "migrate-to", target]) == 0
    out = capsys.readouterr().out
    assert _state(office) == before  # even the sign-in was recorded in the snapshot, not in the file
    assert "DIFFERENT" not in out and "request " in out and "已迁移并核对通过" in out
    assert f"--db \"{server.SERVER}/" in out and paths.DB_ENV in out and "请不要删除" in out
    # the server is no longer empty: a second move is refused, with nothing written
    assert main(["--user", ADMIN, "migrate-to", target]) == 1
    assert "只能迁移到空数据库" in capsys.readouterr().err


@needs_server
def test_a_wrong_password_is_refused_and_counts_toward_the_lock_out(office: Path, target: str,
                                                                     monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(paths.DB_ENV, str(office))
    monkeypatch.setenv("REQUEST_DESK_PASSWORD", "guess")
    assert main(["--user", ADMIN, "migrate-to", target]) == 1
    assert "用户名或密码不正确" in capsys.readouterr().err
    desk = Database.open(office)
    try:
        with desk.read() as session:
            admin = session.exec(select(User).where(User.username == ADMIN)).one()
            failed = session.exec(select(AuditEntry).where(AuditEntry.action == "sign_in_failed")).all()
        assert admin.failed_sign_ins == 1 and len(failed) == 1  # in the office's file, not only the snapshot
    finally:
        desk.close()
    with psycopg.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone() == (0,)


@needs_server
def test_migrate_to_for_scripts(office: Path, target: str, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(paths.DB_ENV, str(office))
    monkeypatch.setenv("REQUEST_DESK_PASSWORD", PASSWORD)
    assert main(["--user", ADMIN, "migrate-to", "--json", target]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["verified"] is True and report["from"] == str(office)
    tables = {t["table"]: t for t in report["tables"]}
    assert tables["request"]["file_rows"] == tables["request"]["server_rows"] == 151
    assert tables["letter"]["file_checksum"] == tables["letter"]["server_checksum"]
    assert "request_fts" in {t["table"] for t in report["not_moved"]}


def test_migrate_to_takes_only_a_server_database(office: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(paths.DB_ENV, str(office))
    with pytest.raises(SystemExit) as stopped:
        main(["--user", ADMIN, "migrate-to", str(office.with_name("other.sqlite3"))])
    assert stopped.value.code == 2 and "postgresql://" in capsys.readouterr().err


@needs_server
def test_a_server_database_with_records_or_other_tables_is_refused(office: Path, target: str) -> None:
    used = Database.open(target)
    users.add_user(used, "supervisor", "王主任", Role.SUPERVISOR, actor="supervisor", initial_password=PASSWORD)
    used.close()
    with pytest.raises(MoveRefused, match="已有记录"):
        move_to_server.move(office, target, ADMIN)
    other = server.new_database("rd_other")
    try:
        with psycopg.connect(other, autocommit=True) as conn:
            conn.execute("CREATE TABLE payroll (id int)")
        with pytest.raises(MoveRefused, match="其他程序的数据表"):
            move_to_server.move(office, other, ADMIN)
        with psycopg.connect(other) as conn:
            assert [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")] \
                == ["payroll"]
    finally:
        server.drop_database(other)
    check = Database.open(target)
    try:
        assert users.list_users(check, active_only=False)[0].username == "supervisor"
        with check.read() as session:
            assert session.exec(select(Request)).first() is None
    finally:
        check.close()


@needs_server
def test_a_table_the_server_does_not_have_stops_the_move(office: Path, target: str) -> None:
    with sqlite3.connect(office) as con:  # records this version does not know: never dropped silently
        con.execute("CREATE TABLE visitor_book (id INTEGER PRIMARY KEY, name TEXT)")
        con.execute("INSERT INTO visitor_book (name) VALUES ('张三')")
    with pytest.raises(MoveRefused, match="只在文件中：visitor_book"):
        move_to_server.move(office, target, ADMIN)
    with psycopg.connect(target) as conn:
        assert conn.execute('SELECT count(*) FROM "user"').fetchone() == (0,)


@needs_server
def test_only_an_administrator_moves_the_office(office: Path, target: str) -> None:
    with pytest.raises(PermissionDenied, match="只有在用的管理员账户可以"):
        move_to_server.move(office, target, CLERK)
    with psycopg.connect(target) as conn:  # refused before anything was built on the server
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone() == (0,)


# ------------------------------------------------------------------ the checksum (no server needed)

TYPES = ["integer", "boolean", "date", "timestamp with time zone", "json", "bytea", "character varying"]
# a row as the file holds it, and as the server reads it back in canonical form (``server_columns``)
IN_FILE = (7, 1, "2026-09-28", "2026-09-28 01:30:00.000000", '{"b": 1.5, "a": [1, "二"]}', b"%PDF\x00", "申请")
CANONICAL = (7, 1, "2026-09-28", "2026-09-28 01:30:00.000000", '{"b": 1.5, "a": [1, "二"]}',
             hashlib.sha256(b"%PDF\x00").hexdigest(), "申请")


def _digest(*rows: tuple[object, ...], from_server: bool = True) -> str:
    digest = TableDigest(TYPES, from_server=from_server)
    digest.add(rows)
    return digest.hexdigest()


def test_the_file_and_the_server_agree_on_the_same_row() -> None:
    assert _digest(IN_FILE, from_server=False) == _digest(CANONICAL)
    # moments written without microseconds or with an offset are the same moment
    other_forms = list(IN_FILE)
    other_forms[3] = "2026-09-28T09:30:00+08:00"
    assert _digest(tuple(other_forms), from_server=False) == _digest(CANONICAL)
    assert _digest((1, None, None, None, None, None, None), from_server=False) \
        == _digest((1, None, None, None, None, None, None))


@pytest.mark.parametrize("column", range(len(TYPES)))
def test_a_changed_value_changes_the_checksum(column: int) -> None:
    changed = list(IN_FILE)
    changed[column] = {0: 8, 1: 0, 2: "2026-09-29", 3: "2026-09-28 01:30:00.000001", 4: '{"a": [1, "二"], "b": 1.5}',
                       5: b"%PDF\x01", 6: "申请书"}[column]
    assert _digest(tuple(changed), from_server=False) != _digest(CANONICAL)
    assert _digest(CANONICAL, CANONICAL) != _digest(CANONICAL)  # a missing row too
    assert _digest((None, *CANONICAL[1:])) != _digest(CANONICAL)  # and NULL is not a value
