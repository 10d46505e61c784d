"""Backups: online, verified, rotated; restore that verifies and keeps the current database aside."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from request_desk import cli
from request_desk.core import cases
from request_desk.core.errors import DatabaseDamaged
from request_desk.core.storage import backup, restore
from request_desk.core.storage.db import Database
from tests import factories
from tests.factories import TODAY, new_request
from tests.support import server

pytestmark = server.sqlite_only("the backups of the SQLite file; the server's are in test_server_backup.py")


def _names(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("SELECT applicant_name FROM request ORDER BY id")]
    finally:
        con.close()


def corrupt(path: Path) -> None:
    """Overwrite pages in the middle of the file, as a failing disk would."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(path.read_bytes())
    data[4096 * 2: 4096 * 6] = b"\x5a" * (4096 * 4)
    path.write_bytes(bytes(data))


@pytest.fixture(autouse=True)
def _signed_in_as_the_head(monkeypatch: pytest.MonkeyPatch) -> None:
    """Backups and calendar imports are an administrator's; the template office has none, so its
    supervisor holds those permissions (docs/SECURITY.md, "Upgraded offices")."""
    monkeypatch.setenv("REQUEST_DESK_USER", "supervisor")


def test_online_backup_while_a_write_is_open_is_consistent_and_verified(db: Database, db_path: Path) -> None:
    factories.register(db, applicant_name="𠀀明")
    with db.write():  # another desk is in the middle of an action
        cases_before = _names(db_path)
        info = backup.make_backup(db_path, reason="manual")
    checked = backup.verify(info.path)
    assert checked.requests == 1 and checked.revision == Database.head_revision()
    assert _names(info.path) == cases_before == ["𠀀明"]
    assert info.path.parent == backup.backup_dir(db_path) and not list(info.path.parent.glob("*.partial"))


def test_rotation_keeps_the_configured_number_and_one_per_day(db: Database, db_path: Path) -> None:
    start = datetime(2026, 11, 1, 9)
    for i in range(12):  # three a day for four days
        backup.make_backup(db_path, reason="startup", now=start + timedelta(days=i // 3, hours=i % 3),
                           policy=backup.BackupPolicy(keep=2, keep_days=3))
    kept = backup.list_backups(db_path)
    assert [b.created for b in kept] == [start + timedelta(days=3, hours=2), start + timedelta(days=3, hours=1),
                                         start + timedelta(days=2, hours=2), start + timedelta(days=1, hours=2)]


def test_policy_is_stored_for_every_desk_and_audited(db: Database) -> None:
    with db.write() as s:
        backup.save_policy(s, backup.BackupPolicy(keep=5, keep_days=2), "admin")
    assert backup.policy_of(db) == backup.BackupPolicy(5, 2)
    from request_desk.core.storage import audit_view
    assert audit_view.search(db, audit_view.AuditQuery(action="backup_policy"))[0].new == {"keep": 5, "keep_days": 2}
    with pytest.raises(Exception, match="保留备份份数"), db.write() as s:
        backup.save_policy(s, backup.BackupPolicy(keep=0), "admin")


def test_daily_backup_is_due_only_after_a_day(db_path: Path) -> None:
    assert backup.backup_due(db_path)
    made = backup.make_backup(db_path, reason="startup", now=datetime(2026, 11, 27, 8))
    assert not backup.backup_due(db_path, now=made.created + timedelta(hours=23))
    assert backup.backup_due(db_path, now=made.created + timedelta(hours=24))


def test_a_backup_that_cannot_be_written_is_a_clear_error_and_leaves_no_file(db_path: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(backup.BackupFailed, match="无法写入备份"):
        backup.make_backup(db_path, target=blocker / "b.sqlite3")


def test_verify_refuses_damaged_foreign_and_newer_files(db_path: Path, tmp_path: Path) -> None:
    good = backup.make_backup(db_path).path
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(good.read_bytes())
    corrupt(damaged)
    with pytest.raises(backup.BackupInvalid, match="已损坏"):
        backup.verify(damaged)
    foreign = tmp_path / "foreign.sqlite3"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE t (a)")
    con.close()
    with pytest.raises(backup.BackupInvalid, match="不是依申请公开办理台的数据库"):
        backup.verify(foreign)
    newer = tmp_path / "newer.sqlite3"
    newer.write_bytes(good.read_bytes())
    con = sqlite3.connect(newer)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    with pytest.raises(backup.BackupInvalid, match="更新版本"):
        backup.verify(newer)


def test_restore_keeps_the_current_database_aside_and_the_other_desk_sees_it(db: Database, db_path: Path) -> None:
    factories.register(db, applicant_name="张三")
    saved = backup.make_backup(db_path).path
    factories.register(db, applicant_name="李四")  # entered after the backup
    other_desk = Database.open(db_path)
    try:
        result = restore.restore(saved, db_path, actor="admin")
        assert result.kept_aside is not None and _names(result.kept_aside) == ["张三", "李四"]
        assert backup.verify(result.kept_aside).requests == 2
        assert _names(db_path) == ["张三"]
        assert [r.applicant_name for r in (cases.get(other_desk, 1),)] == ["张三"]
        with pytest.raises(Exception, match="找不到"):
            cases.get(other_desk, 2)
        # The restored database keeps working: numbering continues from the backup.
        assert cases.register(other_desk, new_request(), "clerk", today=TODAY).reg_number == "2026-00002"
        from request_desk.core.storage import audit_view
        assert audit_view.search(other_desk, audit_view.AuditQuery(action="restore_backup"))
    finally:
        other_desk.close()


def test_restore_refuses_a_bad_backup_and_changes_nothing(db: Database, db_path: Path, tmp_path: Path) -> None:
    factories.register(db)
    db.close()
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 5000)
    before = db_path.read_bytes()
    with pytest.raises(backup.BackupInvalid):
        restore.restore(bad, db_path)
    assert db_path.read_bytes() == before
    assert not backup.list_backups(db_path)


def test_damaged_database_is_detected_kept_and_replaced_by_the_newest_good_backup(db_path: Path) -> None:
    db = Database.open(db_path)
    factories.register(db, applicant_name="䶮")
    older = backup.make_backup(db_path, now=datetime(2026, 11, 26, 9)).path
    newer = backup.make_backup(db_path, now=datetime(2026, 11, 27, 9)).path
    db.close()
    corrupt(newer)  # the newest backup went bad too: it must be skipped
    corrupt(db_path)
    assert backup.diagnose(db_path) is not None
    damaged_bytes = db_path.read_bytes()
    with pytest.raises(DatabaseDamaged, match="已损坏"):  # a clear error, never a raw DatabaseError
        db = Database.open(db_path)
        try:
            with db.read() as s:
                for table in s.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars().all():
                    s.execute(text(f'SELECT * FROM "{table}"')).all()
        finally:
            db.close()
    good = backup.newest_good_backup(db_path)
    assert good is not None and good.path == older
    result = restore.restore(good.path, db_path, actor="admin")
    assert result.kept_aside is not None and result.kept_aside.read_bytes() == damaged_bytes
    assert backup.diagnose(db_path) is None and _names(db_path) == ["䶮"]


def test_cli_backup_list_and_restore(db: Database, db_path: Path, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("REQUEST_DESK_DB", str(db_path))
    factories.register(db, applicant_name="张三")
    target = tmp_path / "out" / "copy.sqlite3"
    assert cli.main(["backup", "-o", str(target)]) == 0
    assert "校验通过" in capsys.readouterr().out and _names(target) == ["张三"]
    assert cli.main(["backup", "--keep", "3"]) == 0
    assert cli.main(["backup", "--list"]) == 0
    assert "手动备份" in capsys.readouterr().out
    factories.register(db, applicant_name="李四")
    db.close()
    assert cli.main(["restore", str(target)]) == 0
    out = capsys.readouterr().out
    assert "恢复前的数据库已保留在" in out and _names(db_path) == ["张三"]
    assert cli.main(["restore", str(tmp_path / "missing.sqlite3")]) == 1
    assert "找不到备份文件" in capsys.readouterr().err


def test_cli_names_the_newest_good_backup_when_the_database_is_damaged(
        db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("REQUEST_DESK_DB", str(db_path))
    factories.register(db)
    good = backup.make_backup(db_path).path
    db.close()
    corrupt(db_path)
    assert cli.main(["calendar", "show", "2026"]) == 1
    err = capsys.readouterr().err
    assert "已损坏" in err and str(good) in err and "request-desk restore" in err
