"""Export targets (issue 11, items 3 and 12): one rule for the GUI's and the CLI's files.

``core.reports.common.atomic_output`` writes every export (registers, annual
report, letters saved from the register page); the CLI's ``cli_output`` uses
the same check. A target that exists but is not a regular file is refused and
never replaced; a finished file is fsynced before it is renamed into place.
Device nodes are stood in for by a named pipe made in ``tmp_path``: a test must
never point at ``/dev/null`` or ``/dev/full`` (run as root, a replace there
breaks the machine).
"""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest

from request_desk.cli import main
from request_desk.cli import output as cli_output
from request_desk.core.errors import DeskError, ValidationFailed
from request_desk.core.reports import export
from request_desk.core.reports.common import Month, atomic_output, check_output
from request_desk.core.storage.db import Database
from tests import factories


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "管道 100%.csv"
    os.mkfifo(path)
    return path


def is_fifo(path: Path) -> bool:
    return stat.S_ISFIFO(path.lstat().st_mode)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_pipe_or_folder_target_is_refused_and_left_as_it_is(tmp_path: Path, fifo: Path) -> None:
    with (
        pytest.raises(ValidationFailed, match="不是普通文件（设备或管道），不能写入，也不会被替换"),
        atomic_output(fifo) as tmp,
    ):
        tmp.write_text("不应写入")
    assert is_fifo(fifo)
    folder = tmp_path / "登记台账"
    folder.mkdir()
    (folder / "keep.txt").write_text("原有文件")
    with pytest.raises(ValidationFailed, match="是文件夹，不能作为导出文件"), atomic_output(folder) as tmp:
        tmp.write_text("不应写入")
    assert (folder / "keep.txt").read_text() == "原有文件"
    assert leftovers(tmp_path) == []


def test_a_pipe_that_appears_while_the_file_is_written_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "年度报告.html"
    with pytest.raises(ValidationFailed, match="不是普通文件"), atomic_output(target) as tmp:
        tmp.write_text("<p>报告</p>")
        os.mkfifo(target)  # another program made it meanwhile
    assert is_fifo(target) and leftovers(tmp_path) == []


def test_a_register_export_onto_a_pipe_is_refused_before_any_work(db: Database, fifo: Path) -> None:
    factories.register(db, date(2026, 10, 9))
    with pytest.raises(ValidationFailed, match="不是普通文件"):
        export.run(export.export_register(db, Month(2026, 10), "csv", fifo))
    assert is_fifo(fifo) and leftovers(fifo.parent) == []


def test_the_temporary_file_is_fsynced_before_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without it a power cut after the rename can leave an empty file under the final name."""
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src: str | Path, dst: str | Path) -> None:
        events.append(("replace", str(src)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)  # observed, not replaced: the real calls still run
    monkeypatch.setattr(os, "replace", replace)
    target = tmp_path / "文书.pdf"
    target.write_bytes(b"old")
    with atomic_output(target) as tmp:
        tmp.write_bytes(b"%PDF-new")
    assert target.read_bytes() == b"%PDF-new"
    temp = str(tmp)
    assert events.index(("fsync", temp)) < events.index(("replace", temp))
    assert ("fsync", str(tmp_path)) in events[events.index(("replace", temp)):]  # the rename made durable


def test_the_command_line_uses_the_same_rule(db_path: Path, fifo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValidationFailed) as core:
        check_output(fifo)
    with pytest.raises(DeskError) as cli:
        cli_output.check_target(fifo)
    assert str(cli.value) == str(core.value)
    with pytest.raises(DeskError, match="不是普通文件"):
        cli_output.write_bytes(fifo, b"data")
    assert main(["--db", str(db_path), "import", "--template", "-o", str(fifo)]) == 1
    assert str(core.value) in capsys.readouterr().err
    assert is_fifo(fifo) and leftovers(fifo.parent) == []


def test_the_publication_worklist_and_a_saved_letter_go_through_the_same_rule(db: Database, fifo: Path,
                                                                            tmp_path: Path) -> None:
    from request_desk.core.publication import worklist

    with pytest.raises(ValidationFailed, match="不是普通文件"):
        worklist.export_xlsx(db, fifo)
    assert is_fifo(fifo)
    written = worklist.export_xlsx(db, tmp_path / "清单.xlsx")
    assert written.read_bytes().startswith(b"PK") and not list(tmp_path.glob(".清单-*"))
