"""``backup -o`` never destroys what it is pointed at: the database, its companions, a rotated backup, any file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from request_desk import cli
from request_desk.core.storage import backup, sqlite_support
from request_desk.core.storage.db import Database
from tests import factories
from tests.support import server, stored
from tests.support.stored import applicant_names as _names

pytestmark = server.sqlite_only("the backups of the SQLite file; the server's are in test_server_backup.py")


@pytest.fixture(autouse=True)
def _signed_in_as_the_head(monkeypatch: pytest.MonkeyPatch) -> None:
    """Backups and calendar imports are an administrator's; the template office has none, so its
    supervisor holds those permissions (docs/SECURITY.md, "Upgraded offices")."""
    monkeypatch.setenv("REQUEST_DESK_USER", "supervisor")


@pytest.fixture
def on_cli(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REQUEST_DESK_DB", str(db_path))
    return db_path


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_the_live_database_and_its_companions_are_refused_while_another_desk_writes(
        db: Database, on_cli: Path, suffix: str, capsys: pytest.CaptureFixture[str]) -> None:
    factories.register(db, applicant_name="张三")
    before = stored.dump(on_cli)
    assert cli.main(["backup", "-o", f"{on_cli}{suffix}", "--force"]) == 1
    assert "正在使用的数据库" in capsys.readouterr().err
    # Row for row as before (the command's sign-in is recorded in the audit log, so not byte for byte).
    assert stored.dump(on_cli) == before
    # The other desk goes on saving; nothing was damaged under it.
    factories.register(db, applicant_name="李四")
    sqlite_support.checkpoint(db.engine)  # where the old overwrite showed as "malformed"
    assert backup.verify(on_cli).requests == 2 and _names(on_cli) == {"张三", "李四"}


def test_a_name_of_the_backup_rotation_is_refused(db: Database, on_cli: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    rotated = backup.make_backup(on_cli, reason="startup").path
    assert cli.main(["backup", "-o", str(rotated), "--force"]) == 1
    assert "自动备份使用的文件名" in capsys.readouterr().err
    assert backup.is_good(rotated)


def test_an_existing_file_is_kept_unless_forced(db: Database, on_cli: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    workbook = tmp_path / "台账.xlsx"
    workbook.write_bytes(b"PK\x03\x04 an office's workbook")
    assert cli.main(["backup", "-o", str(workbook)]) == 1
    assert "已存在" in capsys.readouterr().err and workbook.read_bytes() == b"PK\x03\x04 an office's workbook"
    assert cli.main(["backup", "-o", str(workbook), "--force"]) == 0
    assert backup.is_good(workbook)


@pytest.mark.parametrize("target", ["pipe", "folder"])
def test_something_that_is_not_a_regular_file_is_never_replaced(db: Database, on_cli: Path, tmp_path: Path,
                                                               target: str, capsys: pytest.CaptureFixture[str]) -> None:
    # A named pipe stands for a device node: as root, ``backup -o /dev/null`` once replaced the device
    # itself, so no test points at a real one.
    path = tmp_path / target
    if target == "pipe":
        os.mkfifo(path)
    else:
        path.mkdir()
    mode = path.stat().st_mode
    assert cli.main(["backup", "-o", str(path), "--force"]) == 1
    assert "不是普通文件" in capsys.readouterr().err
    assert path.stat().st_mode == mode and (stat.S_ISFIFO(mode) or stat.S_ISDIR(mode))
