"""A full disk or a read-only file gives a clear Chinese error (a DeskError) and loses nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event, text

from request_desk.core import cases
from request_desk.core.errors import DeskError, StorageFull, StorageReadOnly
from request_desk.core.storage import backup, sqlite_support
from request_desk.core.storage.db import Database
from request_desk.core.transfer import demo
from tests.factories import TODAY, new_request


def _state(path: Path) -> tuple[list[str], int]:
    con = sqlite_support.connect_read_only(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        names = [r[0] for r in con.execute("SELECT reg_number FROM request ORDER BY id")]
        audits = con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        return names, audits
    finally:
        con.close()


def _limit_pages(db: Database, extra_pages: int) -> Callable[..., None]:
    """Make SQLite report SQLITE_FULL once the file grows by ``extra_pages`` (a full disk)."""
    with db.read() as s:
        pages = s.execute(text("PRAGMA page_count")).scalar_one()
    db.engine.dispose()

    @event.listens_for(db.engine, "connect")
    def _limit(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + extra_pages}")

    return _limit


def test_a_full_disk_refuses_the_action_whole_and_keeps_everything_saved(db: Database, db_path: Path) -> None:
    for _ in range(3):
        cases.register(db, new_request(), "clerk", today=TODAY)
    before = _state(db_path)
    limit = _limit_pages(db, 4)
    with pytest.raises(StorageFull, match="磁盘空间已满") as err:
        for _ in range(200):
            cases.register(db, new_request(description="很长的描述" * 400), "clerk", today=TODAY)
    assert isinstance(err.value, DeskError) and "已保存的记录均完好" in str(err.value)
    saved, _ = _state(db_path)
    assert saved[:3] == before[0] and saved == [f"2026-{i:05d}" for i in range(1, len(saved) + 1)]
    # A bulk job that does not fit is rolled back whole, too.
    count = len(saved)
    with pytest.raises(StorageFull):
        demo.run(db, 2000, today=TODAY, actor="supervisor")
    assert _state(db_path)[0] == saved and count == len(saved)
    # Space freed: the desk carries on where it was.
    db.engine.dispose()
    event.remove(db.engine, "connect", limit)
    assert cases.register(db, new_request(), "clerk", today=TODAY).seq == count + 1


@contextmanager
def _immutable(path: Path) -> Iterator[None]:
    """Make ``path`` read-only even for root (chattr +i); skip where the OS will not."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("running as root without chattr +i: cannot make a file read-only")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.fixture
def read_only_file(db_path: Path) -> Iterator[Path]:
    db = Database.open(db_path)
    cases.register(db, new_request(), "clerk", today=TODAY)
    db.close()
    with _immutable(db_path):
        yield db_path


def test_a_read_only_database_file_gives_a_clear_error_and_loses_nothing(read_only_file: Path) -> None:
    before = _state(read_only_file)
    with pytest.raises(StorageReadOnly, match="只读") as err:
        db = Database.open(read_only_file)
        try:
            cases.register(db, new_request(), "clerk", today=TODAY)
        finally:
            db.close()
    assert isinstance(err.value, DeskError)
    assert _state(read_only_file) == before


def test_a_read_only_backup_folder_gives_a_clear_error(db_path: Path) -> None:
    folder = backup.backup_dir(db_path)
    folder.mkdir()
    with _immutable(folder), pytest.raises(backup.BackupFailed, match="无法写入备份"):
        backup.make_backup(db_path)
    assert backup.make_backup(db_path).path.parent == folder
