"""The database file in every state an office PC can leave it: odd paths, empty, foreign, damaged, read-only."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from request_desk import cli
from request_desk.core.errors import DatabaseDamaged, DatabaseUnusable
from request_desk.core.storage import backup
from request_desk.core.storage.db import Database
from request_desk.core.transfer import demo
from request_desk.gui.pages import backup_panel
from request_desk.gui.pages.backup_panel import RecoveryDialog
from tests import factories
from tests.support.stored import applicant_names as _names

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("relative", ["公开办/rd.sqlite3", "共享 (2026) 100%/a#b?c%20d.sqlite3"])
def test_every_command_works_on_a_path_with_chinese_and_url_characters(
        tmp_path: Path, relative: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / relative
    # The demo office's administrator signs in after the demo has made it.
    monkeypatch.setenv("REQUEST_DESK_USER", demo.DEMO_USERS[0][0])
    monkeypatch.setenv("REQUEST_DESK_PASSWORD", demo.DEMO_PASSWORD)
    assert cli.main(["--db", str(path), "deadline", "--received", "2026-09-28"]) == 0
    assert capsys.readouterr().out.strip() == "2026-10-30"
    assert cli.main(["--db", str(path), "demo", "--requests", "3"]) == 0
    assert cli.main(["--db", str(path), "backup"]) == 0
    saved = backup.list_backups(path)[0].path
    assert cli.main(["--db", str(path), "restore", str(saved)]) == 0
    assert backup.verify(path).requests == 3
    assert not list(tmp_path.rglob("*.partial*"))


def test_the_data_folder_of_a_windows_profile_with_a_chinese_name(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    profile = tmp_path / "Users" / "张三" / "AppData" / "RequestDesk"
    monkeypatch.setenv("REQUEST_DESK_DATA", str(profile))
    monkeypatch.delenv("REQUEST_DESK_DB")
    assert cli.main(["demo", "--requests", "2"]) == 0
    assert backup.verify(profile / "request-desk.sqlite3").requests == 2


@pytest.fixture(autouse=True)
def _signed_in_as_the_head(monkeypatch: pytest.MonkeyPatch) -> None:
    """Backups and calendar imports are an administrator's; the template office has none, so its
    supervisor holds those permissions (docs/SECURITY.md, "Upgraded offices")."""
    monkeypatch.setenv("REQUEST_DESK_USER", "supervisor")


@pytest.fixture
def with_backup(db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[backup.BackupInfo]:
    monkeypatch.setenv("REQUEST_DESK_DB", str(db_path))
    factories.register(db, applicant_name="张三")
    good = backup.make_backup(db_path)
    db.close()
    yield good


def test_an_empty_file_is_not_a_new_office(with_backup: backup.BackupInfo, db_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    db_path.write_bytes(b"")
    with pytest.raises(DatabaseDamaged, match="空文件"):
        Database.open(db_path)
    assert cli.main(["demo", "--requests", "1"]) == 1
    err = capsys.readouterr().err
    assert "空文件" in err and str(with_backup.path) in err and "request-desk restore" in err
    assert db_path.stat().st_size == 0  # nothing was written into it
    assert cli.main(["restore", str(with_backup.path)]) == 0
    assert _names(db_path) == {"张三"}


def test_a_file_with_no_tables_or_someone_elses_tables_is_refused_untouched(tmp_path: Path) -> None:
    blank = tmp_path / "blank.sqlite3"
    con = sqlite3.connect(blank)
    con.execute("PRAGMA user_version = 1")  # a valid SQLite file with no tables
    con.close()
    foreign = tmp_path / "other.sqlite3"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE contacts (name TEXT)")
    con.commit()
    con.close()
    before = foreign.read_bytes()
    with pytest.raises(DatabaseDamaged, match="没有任何数据表"):
        Database.open(blank)
    with pytest.raises(DatabaseUnusable, match="不是依申请公开办理台的数据库"):
        Database.open(foreign)
    assert foreign.read_bytes() == before


def _flip_an_old_page_of_requests(path: Path) -> None:
    """Damage a page that the next writes do not read, so SQLite still opens and writes the file."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    first_leaf = con.execute(
        "SELECT min(pageno) FROM dbstat WHERE name = 'request' AND pagetype = 'leaf'").fetchone()[0]
    con.close()
    data = bytearray(path.read_bytes())
    start = (first_leaf - 1) * page_size
    data[start:start + 8] = bytes(8)  # an invalid page type
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("command", [["demo", "--requests", "5"], ["calendar", "import", "NOTICE"]])
def test_no_command_writes_into_a_damaged_file(db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("REQUEST_DESK_DB", str(db_path))
    for _ in demo.generate(db, 600, seed=5, actor="supervisor"):
        pass
    db.close()
    _flip_an_old_page_of_requests(db_path)
    before = db_path.read_bytes()
    notice = ROOT / "tests" / "data" / "notice-2027-sample.csv"
    assert cli.main([str(notice) if arg == "NOTICE" else arg for arg in command]) == 1
    assert "已损坏" in capsys.readouterr().err
    assert db_path.read_bytes() == before and not Path(f"{db_path}-wal").stat().st_size


@pytest.fixture
def read_only_medium(tmp_path: Path) -> Iterator[Path]:
    """A database on a real read-only file system (a tmpfs remounted read-only)."""
    mount = tmp_path / "光盘"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("needs root to mount a tmpfs (as in CI); the read-only medium is not tested here")
    try:
        path = mount / "desk.sqlite3"
        db = Database.open(path)
        factories.register(db, applicant_name="张三")
        db.close()
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        yield path
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_read_only_medium_is_called_read_only_not_damaged(read_only_medium: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert backup.diagnose(read_only_medium) is None
    assert cli.main(["--db", str(read_only_medium), "demo", "--requests", "1"]) == 1
    err = capsys.readouterr().err
    assert "只读" in err and "损坏" not in err.replace("完好", "")


def test_the_desk_on_a_read_only_medium_says_so_and_offers_no_recovery(
        qtbot: QtBot, read_only_medium: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(backup_panel.QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(RecoveryDialog, "ask", lambda *a, **k: pytest.fail("recovery offered for an intact file"))
    assert backup_panel.open_database(read_only_medium, "clerk") is None
    assert len(shown) == 1 and "只读" in shown[0]


def test_a_folder_named_as_the_database_gets_its_own_message(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--db", str(tmp_path), "deadline", "--received", "2026-09-28"]) == 1
    err = capsys.readouterr().err
    assert "是一个文件夹" in err and "损坏" not in err


def test_a_kill_while_a_new_database_is_created_never_leaves_a_half_made_one(tmp_path: Path,
                                                                           report: list[str]) -> None:
    rng = random.Random(7)
    created = 0
    for i in range(8):
        path = tmp_path / f"new{i}.sqlite3"
        proc = subprocess.Popen([sys.executable, "-c", "import sys; from request_desk.core.db import Database; "
                                 "Database.open(sys.argv[1]).close()", str(path)], cwd=ROOT)
        time.sleep(rng.uniform(0.4, 1.6))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        if path.exists():
            created += 1
            assert backup.verify(path).revision == Database.head_revision()
        Database.open(path).close()  # the next start always gets a complete database
        assert backup.verify(path).revision == Database.head_revision()
    report.append(f"creation kills: 8 SIGKILLs while creating a database, {created} had completed, 0 half-made")
