"""Restore: no record another desk was told is saved is lost, and the discarded period stays on the record."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from request_desk import cli
from request_desk.core import cases
from request_desk.core.storage import audit_view, backup, restore
from request_desk.core.storage.db import Database
from request_desk.core.transfer import demo
from tests import factories
from tests.factories import TODAY, new_request
from tests.support import server
from tests.support.stored import applicant_names as _names

pytestmark = server.sqlite_only("the backups of the SQLite file; the server's are in test_server_backup.py")

ROOT = Path(__file__).resolve().parents[2]


def _lines(log: Path, kind: str) -> list[str]:
    if not log.exists():
        return []
    return [line.split(" ", 1)[1] for line in log.read_text(encoding="utf-8").splitlines() if line.startswith(kind)]


def _wait_for(condition: object, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _child(*args: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "tests.reliability.restore_child", *map(str, args)], cwd=ROOT)


def test_a_desk_registering_during_a_restore_loses_nothing_it_was_told_was_saved(
        db: Database, db_path: Path, tmp_path: Path, report: list[str]) -> None:
    # Enough cases that the restore takes a noticeable time (copies and re-indexing).
    for _ in demo.generate(db, 3000, seed=11, actor="supervisor"):
        pass
    saved_backup = backup.make_backup(db_path).path
    db.close()
    log, stop = tmp_path / "desk2.log", tmp_path / "stop"
    desk2 = _child("register", db_path, log, stop)
    try:
        _wait_for(lambda: len(_lines(log, "saved")) >= 5)
        started = time.monotonic()
        result = restore.restore(saved_backup, db_path, actor="admin")
        took = time.monotonic() - started
        before = len(_lines(log, "saved"))
        _wait_for(lambda: len(_lines(log, "saved")) >= before + 5)
    finally:
        stop.touch()
        desk2.wait(30)
    assert desk2.returncode == 0
    saved = _lines(log, "saved")
    live, aside = _names(db_path), _names(result.kept_aside)  # type: ignore[arg-type]
    lost = [name for name in saved if name not in live and name not in aside]
    assert not lost, f"told saved but in neither the database nor the copy aside: {lost}"
    assert saved[0] in aside and saved[-1] in live  # the race really happened on both sides
    assert backup.verify(db_path).requests == 3000 + len([n for n in saved if n in live])
    report.append(f"restore race: {len(saved)} registrations saved by another desk around a {took:.2f} s restore, "
                  f"{len(_lines(log, 'refused'))} refused, 0 lost")


def test_restore_carries_the_discarded_audit_and_records_itself(db: Database, db_path: Path) -> None:
    factories.register(db, applicant_name="张三")
    saved_backup = backup.make_backup(db_path).path
    discarded = cases.register(db, new_request(applicant_name="李四"), "clerk", today=TODAY)
    result = restore.restore(saved_backup, db_path, actor="admin")
    assert result.kept_aside is not None and result.carried_audit_entries >= 1
    rows = audit_view.search(db, audit_view.AuditQuery(table_name="request"))
    carried = [r for r in rows if r.record_id == discarded.id and r.replaced_file]
    assert carried and carried[0].user == "clerk" and carried[0].replaced_file == result.kept_aside.name
    assert carried[0].new and carried[0].new.get("applicant_name") == "李四"
    own = audit_view.search(db, audit_view.AuditQuery(action="restore_backup"))
    assert len(own) == 1 and own[0].user == "admin"
    assert own[0].new == {"from": str(saved_backup), "kept_aside": str(result.kept_aside),
                          "carried_audit_entries": result.carried_audit_entries}
    # Ordinary entries of the restored period are not marked.
    assert all(r.replaced_file is None for r in rows if r.record_id != discarded.id)


def _audit_actions(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("SELECT action FROM audit_log ORDER BY id")]
    finally:
        con.close()


def test_a_kill_at_any_moment_of_a_restore_leaves_the_old_or_the_audited_new_database(
        db: Database, db_path: Path, tmp_path: Path, report: list[str]) -> None:
    for _ in demo.generate(db, 1500, seed=3, actor="supervisor"):
        pass
    saved_backup = backup.make_backup(db_path, target=tmp_path / "saved.sqlite3")
    factories.register(db, applicant_name="备份之后")
    db.close()
    pristine = tmp_path / "pristine.sqlite3"
    backup.make_backup(db_path, target=pristine)
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "tests.reliability.restore_child", "restore", saved_backup.path,
                    db_path], cwd=ROOT, check=True)
    whole = time.monotonic() - started
    rng = random.Random(20261201)
    outcomes = {"old": 0, "restored": 0}
    for _ in range(8):
        for companion in (Path(f"{db_path}{s}") for s in ("-wal", "-shm")):
            companion.unlink(missing_ok=True)
        db_path.write_bytes(pristine.read_bytes())
        proc = _child("restore", saved_backup.path, db_path)
        time.sleep(rng.uniform(0.4, 1.05) * whole)  # some before the commit, some after
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert backup.verify(db_path).requests in (1500, 1501)
        if "备份之后" in _names(db_path):  # killed before the commit: as it was
            outcomes["old"] += 1
            assert "restore_backup" not in _audit_actions(db_path)
        else:  # committed: restored, and on the record with the discarded registration
            outcomes["restored"] += 1
            assert _audit_actions(db_path)[-2:] == ["register", "restore_backup"]
        # Nothing half-written carries a backup's name.
        for info in backup.list_backups(db_path):
            assert backup.is_good(info.path), info.path
    report.append(f"restore kills: 8 SIGKILLs during a {whole:.2f} s restore process; "
                  f"{outcomes['old']} left the database as it was, {outcomes['restored']} restored and audited")


def test_what_killed_backups_left_is_cleaned_at_start_and_fresh_work_is_not(
        db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = backup.backup_dir(db_path)
    folder.mkdir()
    stale = folder / f"{db_path.stem}-20261101-090000-manual.sqlite3.partial"
    fresh = folder / f"{db_path.stem}-20261201-090000-manual.sqlite3.partial"
    stale_new = Path(f"{db_path}.partial")
    for path in (stale, fresh, stale_new):
        path.write_bytes(b"x" * 4096)
    two_hours_ago = time.time() - 7200
    for path in (stale, stale_new):
        os.utime(path, (two_hours_ago, two_hours_ago))
    db.close()
    monkeypatch.setenv("REQUEST_DESK_DB", str(db_path))
    assert cli.main(["calendar", "show", "2026"]) == 0
    assert not stale.exists() and not stale_new.exists()
    assert fresh.exists()  # another desk may be writing that backup right now


def test_rotation_never_deletes_the_newest_backup_that_holds_more_than_the_database(db_path: Path) -> None:
    db = Database.open(db_path)
    for name in ("张三", "李四", "王五"):
        factories.register(db, applicant_name=name)
    db.close()
    rich = backup.make_backup(db_path, reason="startup", now=datetime(2026, 11, 1, 9)).path
    # The file is replaced by a new, empty database (moved away, synced over, …).
    for companion in (Path(f"{db_path}{s}") for s in ("", "-wal", "-shm")):
        companion.unlink(missing_ok=True)
    Database.open(db_path).close()
    policy = backup.BackupPolicy(keep=2, keep_days=1)
    for day in range(2, 14):
        backup.make_backup(db_path, reason="startup", now=datetime(2026, 11, day, 9), policy=policy)
    kept = [b.path for b in backup.list_backups(db_path)]
    assert rich in kept and len(kept) == 3
    assert backup.verify(rich).requests == 3
