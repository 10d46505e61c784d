"""Backups of the office server's database: pg_dump to this PC, verified on the server, and restore.

The tests that need a server run against ``REQUEST_DESK_TEST_PG`` (then the
``db``/``db_path`` fixtures are a fresh database on it) and are skipped with
that reason without it.
"""

from __future__ import annotations

import os
import random
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from alembic import command
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine

from request_desk import cli
from request_desk.core import cases, jobs
from request_desk.core.errors import DeskError
from request_desk.core.office import safekeeping
from request_desk.core.storage import backup, postgres_support, server_backup, server_restore
from request_desk.core.storage.db import Database, alembic_config
from request_desk.gui.context import DeskContext
from request_desk.gui.pages.backup_panel import ON_SERVER, AutoBackup, BackupPanel
from tests import factories
from tests.factories import TODAY
from tests.support import server
from tests.support.stored import applicant_names

ROOT = Path(__file__).resolve().parents[2]
KILLS = 4  # each costs a whole restore process (several seconds on a busy machine)

needs_server = pytest.mark.skipif(
    not server.enabled(),
    reason="needs a PostgreSQL test server: set REQUEST_DESK_TEST_PG=postgresql://postgres@127.0.0.1:PORT")


def _admin_sql(location: str, statement: str) -> None:
    with psycopg.connect(location, autocommit=True) as conn:
        conn.execute(statement)


def _scratch_databases() -> set[str]:
    with psycopg.connect(f"{server.SERVER}/postgres") as conn:
        rows = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'request_desk_scratch%'").fetchall()
    return {r[0] for r in rows}


def _audit_actions(location: str) -> list[tuple[str, str]]:
    with psycopg.connect(location) as conn:
        return [(r[0], r[1]) for r in conn.execute('SELECT action, "user" FROM audit_log ORDER BY id').fetchall()]


def _back_up(location: str) -> backup.BackupInfo:
    return jobs.run(safekeeping.backup_job(location, "supervisor"))


# --------------------------------------------------------------------------
# The password never reaches a command line
# --------------------------------------------------------------------------


def test_the_password_goes_through_the_environment_not_the_command_line() -> None:
    location = "postgresql://desk:s3cr%40t@db.office.example:5433/公开办?sslmode=require"
    uri = server_backup.libpq_uri(location)
    assert "s3cr" not in uri and "desk@db.office.example:5433" in uri and "sslmode=require" in uri
    assert server_backup.tool_env(location)["PGPASSWORD"] == "s3cr@t"
    assert server_backup.backup_dir(location).parts[-2:] == ("backups", "db.office.example-5433-公开办")


# --------------------------------------------------------------------------
# Backing up
# --------------------------------------------------------------------------


@needs_server
def test_backup_writes_a_verified_dump_that_holds_every_request(db: Database, db_path: str) -> None:
    for name in ("张三", "李四", "王五"):
        factories.register(db, applicant_name=name)
    scratch_before = _scratch_databases()
    info = _back_up(db_path)
    assert info.path.suffix == ".dump" and info.path.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert info.requests == 3 and info.reason == "manual"
    assert info.path.parent == server_backup.backup_dir(db_path)
    assert server_backup.list_backups(db_path) == [backup.BackupInfo(info.path, info.created, "manual",
                                                                     info.size)]
    assert not list(info.path.parent.glob("*.partial"))
    assert _scratch_databases() == scratch_before  # the scratch database it was checked in is gone
    checked = server_backup.verify(info.path, db_path)
    assert checked.requests == 3 and checked.revision == Database.head_revision()


@needs_server
def test_rotation_keeps_what_the_office_chose(db: Database, db_path: str) -> None:
    policy = safekeeping.set_keep(db, 2, "supervisor")
    made = [jobs.run(safekeeping.backup_job(db_path, "supervisor", policy=policy)).path for _ in range(3)]
    kept = [b.path for b in server_backup.list_backups(db_path)]
    assert kept == made[:0:-1]  # the newest two (all of today: one a day adds nothing)


@needs_server
def test_without_pg_dump_the_message_says_the_servers_backups_protect_the_records(
        db_path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "no-tools"
    empty.mkdir()
    monkeypatch.setenv(server_backup.PG_BIN_ENV, str(empty))
    with pytest.raises(backup.BackupFailed, match=r"没有找到 PostgreSQL 客户端程序 pg_dump.*服务器自己的备份"):
        _back_up(db_path)
    assert server_backup.list_backups(db_path) == []


@needs_server
def test_a_pg_dump_older_than_the_server_is_explained(db_path: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    old = tmp_path / "pg11" / "bin"
    old.mkdir(parents=True)
    for program in ("pg_dump", "pg_restore"):  # an old client installation, as far as its version goes
        tool = old / program
        tool.write_text(f"#!/bin/sh\necho '{program} (PostgreSQL) 11.22'\n")
        tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv(server_backup.PG_BIN_ENV, str(old))
    major = server_backup.server_major(db_path)
    with pytest.raises(backup.BackupFailed, match=rf"11 版.*服务器是 {major} 版.*不能备份比它新的服务器"):
        _back_up(db_path)


# --------------------------------------------------------------------------
# Restoring
# --------------------------------------------------------------------------


@needs_server
def test_restore_brings_back_deleted_requests_and_keeps_the_current_content_aside(db: Database,
                                                                                   db_path: str) -> None:
    factories.register(db, applicant_name="张三")
    factories.register(db, applicant_name="李四")
    saved = _back_up(db_path).path
    factories.register(db, applicant_name="王五")  # after the backup: its audit entry is carried over
    _admin_sql(db_path, "TRUNCATE request CASCADE")  # someone's mistake at the server
    assert applicant_names(db_path) == set()
    other_desk = postgres_support.ChangeListener(postgres_support.url_for(db_path))
    try:
        other_desk.wait(0.5)  # the registrations' notices
        result = jobs.run(safekeeping.restore_job(saved, db_path, "supervisor"))
        assert other_desk.wait(5)  # the other desks refresh, as after any save
    finally:
        other_desk.close()
    assert applicant_names(db_path) == {"张三", "李四"}
    assert cases.get(db, 2).applicant_name == "李四"
    assert result.kept_aside is not None and result.kept_aside.name.endswith("-before-restore.dump")
    assert [b.reason for b in server_backup.list_backups(db_path)] == ["before-restore", "manual"]
    assert server_backup.verify(result.kept_aside, db_path).requests == 0  # as it was: emptied
    assert result.carried_audit_entries >= 1
    actions = _audit_actions(db_path)
    assert actions[-1] == ("restore_backup", "supervisor")
    assert ("register", factories.CLERK) in actions[-1 - result.carried_audit_entries:-1]
    with psycopg.connect(db_path) as conn:
        marked = conn.execute("SELECT count(*) FROM audit_log WHERE replaced_file = %s",
                              (result.kept_aside.name,)).fetchone()
    assert marked is not None and marked[0] == result.carried_audit_entries
    again = factories.register(db, applicant_name="赵六")  # the sequences were moved past the restored ids
    assert again == 3


@needs_server
def test_a_dump_of_a_newer_schema_is_refused_and_nothing_changes(db: Database, db_path: str) -> None:
    factories.register(db, applicant_name="张三")
    db.engine.dispose()  # a template must have no connections
    newer = server.new_database("rd_newer", template=server.database_name(db_path))
    try:
        _admin_sql(newer, "UPDATE alembic_version SET version_num = '9999_from_a_newer_desk'")
        made_by_newer_desk = _back_up_raw(newer)
    finally:
        server.drop_database(newer)
    factories.register(db, applicant_name="李四")
    scratch_before = _scratch_databases()
    with pytest.raises(DeskError, match=r"更新版本.*9999_from_a_newer_desk"):
        jobs.run(safekeeping.restore_job(made_by_newer_desk, db_path, "supervisor"))
    assert applicant_names(db_path) == {"张三", "李四"}
    assert server_backup.list_backups(db_path) == []  # nothing kept aside: nothing was about to change
    assert _scratch_databases() == scratch_before
    assert _audit_actions(db_path)[-1][0] != "restore_backup"


@needs_server
def test_a_dump_of_an_older_schema_is_upgraded_as_it_is_restored(db: Database, db_path: str) -> None:
    older = server.new_database("rd_older")
    try:
        engine = create_engine(postgres_support.url_for(older))
        with engine.begin() as conn:  # an office last opened by the version before the newest migration
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0017")
        engine.dispose()
        made_by_older_desk = _back_up_raw(older)
    finally:
        server.drop_database(older)
    factories.register(db, applicant_name="张三")
    result = jobs.run(safekeeping.restore_job(made_by_older_desk, db_path, "supervisor"))
    assert result.revision == "0017" and db.revision() == Database.head_revision()
    assert applicant_names(db_path) == set()


def _back_up_raw(location: str) -> Path:
    """A plain pg_dump of a database that this version does not verify (it is from a newer desk)."""
    tools = server_backup.find_tools(server_backup.server_major(location))
    target = Path(os.environ["TMPDIR"]) / f"{server.database_name(location)}.dump"
    server_backup.dump(tools, location, target)
    return target


@needs_server
def test_a_restore_onto_a_new_empty_server_database_needs_no_account(db: Database, db_path: str) -> None:
    factories.register(db, applicant_name="张三")
    saved = _back_up(db_path).path
    empty = server.new_database("rd_new_server")
    try:
        assert not server_restore.has_accounts(empty)
        result = jobs.run(safekeeping.restore_job(saved, empty, "王主任（未登录）"))
        assert applicant_names(empty) == {"张三"} and result.kept_aside is not None
        assert _audit_actions(empty)[-1] == ("restore_backup", "")  # the name given is kept only as a claim
    finally:
        server.drop_database(empty)


def _names_in_dump(dump: Path) -> set[str]:
    """The applicant names a dump holds (restored into a database of its own to read them)."""
    location = server.new_database("rd_read_dump")
    try:
        tools = server_backup.find_tools(server_backup.server_major(location))
        server_backup.load_into(tools, dump, location)
        return applicant_names(location)
    finally:
        server.drop_database(location)


@needs_server
def test_a_desk_registering_during_a_server_restore_loses_nothing_it_was_told_was_saved(
        db: Database, db_path: str, tmp_path: Path, report: list[str]) -> None:
    for n in range(200):  # (the demo generator does not run on the server yet)
        factories.register(db, applicant_name=f"本台{n}")
    saved_backup = _back_up(db_path).path
    db.close()
    log, stop = tmp_path / "desk2.log", tmp_path / "stop"
    desk2 = subprocess.Popen([sys.executable, "-m", "tests.reliability.restore_child", "register", db_path, str(log),
                              str(stop)], cwd=ROOT)
    try:
        _wait_for(lambda: len(_lines(log, "saved")) >= 5)
        started = time.monotonic()
        result = jobs.run(safekeeping.restore_job(saved_backup, db_path, "supervisor"))
        took = time.monotonic() - started
        before = len(_lines(log, "saved"))
        _wait_for(lambda: len(_lines(log, "saved")) >= before + 5)
    finally:
        stop.touch()
        desk2.wait(60)
    assert desk2.returncode == 0
    saved = _lines(log, "saved")
    live = applicant_names(db_path)
    assert result.kept_aside is not None
    aside = _names_in_dump(result.kept_aside)
    lost = [name for name in saved if name not in live and name not in aside]
    assert not lost, f"told saved but in neither the database nor the copy aside: {lost}"
    assert saved[0] in aside and saved[0] not in live and saved[-1] in live  # the race happened on both sides
    report.append(f"server restore race: {len(saved)} registrations saved by another desk around a {took:.2f} s "
                  f"restore, {len(_lines(log, 'refused'))} refused, 0 lost")


@needs_server
def test_a_kill_at_any_moment_of_a_server_restore_leaves_the_old_or_the_audited_new_content(
        db: Database, db_path: str, report: list[str]) -> None:
    for n in range(100):
        factories.register(db, applicant_name=f"本台{n}")
    saved_backup = _back_up(db_path).path
    db.close()
    scratch_before = _scratch_databases()

    def restore_process() -> subprocess.Popen[bytes]:
        # A process group of its own: the kill takes its pg_dump / pg_restore along, as a power cut would.
        return subprocess.Popen([sys.executable, "-m", "tests.reliability.restore_child", "restore",
                                 str(saved_backup), db_path], cwd=ROOT, start_new_session=True)

    def ensure_the_later_registration() -> None:
        if "备份之后" not in applicant_names(db_path):
            later = Database.open(db_path)
            factories.register(later, applicant_name="备份之后")
            later.close()

    ensure_the_later_registration()
    started = time.monotonic()
    assert restore_process().wait(120) == 0
    whole = time.monotonic() - started
    rng = random.Random(20261202)
    outcomes = {"old": 0, "restored": 0}
    try:
        for _ in range(KILLS):
            ensure_the_later_registration()
            restores_before = [a for a, _u in _audit_actions(db_path)].count("restore_backup")
            proc = restore_process()
            time.sleep(rng.uniform(0.3, 1.05) * whole)  # some before the commit, some after
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            names = applicant_names(db_path)
            restores = [a for a, _u in _audit_actions(db_path)].count("restore_backup")
            if "备份之后" in names:  # killed before the commit: as it was
                outcomes["old"] += 1
                assert len(names) == 101 and restores == restores_before
            else:  # committed: the dump's content, and on the record
                outcomes["restored"] += 1
                assert len(names) == 100 and restores == restores_before + 1
                assert _audit_actions(db_path)[-1][0] == "restore_backup"
            tools = server_backup.find_tools(server_backup.server_major(db_path))
            for info in server_backup.list_backups(db_path):  # nothing half-written carries a dump's name
                assert server_backup.dump_revision(tools, info.path) == Database.head_revision(), info.path
    finally:
        for name in _scratch_databases() - scratch_before:  # what the killed restores left
            server.drop_database(f"{server.SERVER}/{name}")
    report.append(f"server restore kills: {KILLS} SIGKILLs during a {whole:.2f} s restore process; "
                  f"{outcomes['old']} left the database as it was, {outcomes['restored']} restored and audited")


def _lines(log: Path, kind: str) -> list[str]:
    if not log.exists():
        return []
    return [line.split(" ", 1)[1] for line in log.read_text(encoding="utf-8").splitlines() if line.startswith(kind)]


def _wait_for(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


# --------------------------------------------------------------------------
# The command line and the panel
# --------------------------------------------------------------------------


@needs_server
def test_cli_backup_list_keep_and_restore_on_the_server(db: Database, db_path: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("REQUEST_DESK_USER", "supervisor")
    factories.register(db, applicant_name="张三")
    assert cli.main(["--db", db_path, "backup"]) == 0
    out = capsys.readouterr().out
    assert "已备份并校验通过" in out and "1 件申请" in out and "服务器自己的备份" in out
    assert cli.main(["--db", db_path, "backup", "--keep", "1"]) == 0
    assert len(server_backup.list_backups(db_path)) == 1
    target = tmp_path / "U盘" / "office.dump"
    assert cli.main(["--db", db_path, "backup", "-o", str(target)]) == 0
    assert target.is_file() and len(server_backup.list_backups(db_path)) == 1
    assert cli.main(["--db", db_path, "backup", "-o", str(target)]) == 1
    assert "已存在" in capsys.readouterr().err
    capsys.readouterr()
    assert cli.main(["--db", db_path, "backup", "--list"]) == 0
    assert "手动备份" in capsys.readouterr().out
    factories.register(db, applicant_name="李四")
    db.close()
    assert cli.main(["--db", db_path, "restore", str(target)]) == 0
    out = capsys.readouterr().out
    assert "恢复前的数据库已保留在" in out and applicant_names(db_path) == {"张三"}
    assert f"恢复数据库 {db_path}" in out  # the location as given (the test server's has no password)
    assert cli.main(["--db", db_path, "restore", str(tmp_path / "missing.dump")]) == 1
    assert "找不到备份文件" in capsys.readouterr().err


@needs_server
def test_the_panel_on_a_server_desk_explains_and_backs_up_to_this_pc(qtbot: QtBot, db: Database, db_path: str,
                                                                    tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = DeskContext(db=db, user="supervisor", today=lambda: TODAY)
    factories.register(db, applicant_name="张三")
    panel = BackupPanel(ctx)
    qtbot.addWidget(panel)
    assert panel.intro.text() == ON_SERVER and "pg_basebackup" in ON_SERVER and "不在启动时自动备份" in ON_SERVER
    auto = AutoBackup(ctx)
    auto.start()
    assert auto.job is None and not auto.timer.isActive()  # the server's regime, not the desks', backs it up
    panel.backup_now.click()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=30_000)
    assert "校验通过" in panel.status.text() and panel.backups[0].path.suffix == ".dump"
    factories.register(db, applicant_name="李四")
    panel.table.selectRow(0)
    monkeypatch.setattr(BackupPanel, "confirm", staticmethod(lambda parent, source: True))
    with qtbot.waitSignal(ctx.signals.requests_changed, timeout=30_000):
        panel.restore_selection()
    assert "原数据库已保留在" in panel.status.text() and applicant_names(db_path) == {"张三"}
    assert [b.reason for b in panel.backups] == ["before-restore", "manual"]
    rotated = panel.backups[1].path  # 备份到文件… never over a dump of the rotation
    monkeypatch.setattr(BackupPanel, "ask_target", staticmethod(lambda parent, db: rotated))
    panel.choose_target()
    assert "自动备份使用的文件名" in panel.status.text()
    chosen = tmp_path / "U盘" / "公开办.dump"
    chosen.parent.mkdir()
    monkeypatch.setattr(BackupPanel, "ask_target", staticmethod(lambda parent, db: chosen))
    panel.choose_target()
    qtbot.waitUntil(lambda: "校验通过" in panel.status.text(), timeout=30_000)
    assert server_backup.verify(chosen, db_path).requests == 1
