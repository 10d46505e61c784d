"""Bad command lines (issue 11, item 12): a one-line message and exit 2 or 1, never a traceback.

Each invocation runs the real entry point, ``request_desk.cli.main``, in this
process (a subprocess each would cost a second apiece for the same code path).
A full disk is a real 8 MiB tmpfs, mounted when the tests run as root.
"""

from __future__ import annotations

import os
import subprocess
import traceback
from datetime import date
from pathlib import Path

import pytest

from request_desk.cli import main
from request_desk.core.storage.db import Database
from tests import factories

NOTICE = Path(__file__).parent.parent / "data" / "notice-2027-sample.csv"


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse's exit on bad arguments
        code = int(exit_.code or 0)
    except BaseException:  # noqa: BLE001 - a traceback is exactly what must not happen: show it in the failure
        pytest.fail("traceback:\n" + traceback.format_exc())
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_refusal(code: int, err: str, expected_code: int | None = None) -> None:
    lines = [line for line in err.splitlines() if line.strip() and "\r" not in line]
    assert code in (1, 2), (code, err)
    if expected_code is not None:
        assert code == expected_code, (code, err)
    assert "Traceback" not in err
    assert len(lines) == 1 and lines[0].startswith("request-desk"), err


@pytest.fixture
def desk(db_path: Path, tmp_path: Path) -> Path:
    """A database with one registered request (2026-00001), for the commands that need one."""
    db = Database.open(db_path)
    factories.register(db, date(2026, 9, 28))
    db.close()
    return db_path


def _files(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "a folder"
    folder.mkdir()
    big_year = tmp_path / "notice-9999.csv"
    big_year.write_text("9999-12-31,放假,元旦\n", encoding="utf-8")
    # A named pipe stands for a device node: as root, replacing /dev/null itself is what was reported.
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    return {"DIR": folder, "FIFO": fifo, "LONG": tmp_path / ("长" * 222 + ".xlsx"), "NOTICE9999": big_year,
            "MISSING": tmp_path / "gone.csv"}


BAD = {  # id: (argv, exit code)
    "db-empty": (["--db", "", "deadline", "--received", "2026-09-28"], 2),
    "db-folder": (["--db", "DIR", "deadline", "--received", "2026-09-28"], 1),
    "deadline-0001": (["deadline", "--received", "0001-01-01"], 2),
    "deadline-2100": (["deadline", "--received", "2100-06-01"], 1),
    "deadline-9999": (["deadline", "--received", "9999-12-31"], 2),
    "deadline-today-9999": (["deadline", "--received", "2026-03-02", "--today", "9999-12-31"], 2),
    "deadline-today-2099": (["deadline", "--received", "2026-03-02", "--today", "2099-12-31"], 1),
    # A consultation removes at most its own 15 working days (docs/domain.md, "Pauses"): a far end
    # date no longer reaches the calendar's limit, a far start still does.
    "deadline-pause-far": (["deadline", "--received", "2026-03-02", "--pause", "2040-03-03:2090-01-01"], 1),
    "annual-0": (["report", "annual", "--year", "0"], 2),
    "annual-minus-1": (["report", "annual", "--year", "-1"], 2),
    "annual-10000": (["report", "annual", "--year", "10000"], 2),
    "annual-1e23": (["report", "annual", "--year", "100000000000000000000000"], 2),
    "annual-not-a-number": (["report", "annual", "--year", "二〇二六"], 2),
    "annual-o-dir": (["report", "annual", "--year", "2026", "--format", "xlsx", "-o", "DIR"], 1),
    "annual-o-proc": (["report", "annual", "--year", "2026", "--format", "html", "-o", "/proc/年度报告.html"], 1),
    "register-0000": (["register", "--month", "0000-01"], 2),
    "register-9999": (["register", "--month", "9999-12"], 2),
    "register-month-13": (["register", "--month", "2026-13"], 1),
    "register-o-dir": (["register", "--month", "2026-09", "-o", "DIR"], 1),
    "register-o-proc": (["register", "--month", "2026-09", "-o", "/proc/登记台账.xlsx"], 1),
    "register-o-long-name": (["register", "--month", "2026-09", "-o", "LONG"], 1),
    "register-o-pipe": (["register", "--month", "2026-09", "--format", "csv", "-o", "FIFO"], 1),
    "register-o-missing-folder": (["register", "--month", "2026-09", "-o", "DIR/no/such/x.xlsx"], 1),
    "letter-date-9999": (["letter", "2026-00001", "--kind", "acknowledgement", "--date", "9999-12-31"], 2),
    "letter-date-2099": (["letter", "2026-00001", "--kind", "acknowledgement", "--date", "2099-12-31"], 1),
    "letter-o-dir": (["letter", "2026-00001", "--kind", "acknowledgement", "--set", "contact=0527-84367000",
                      "-o", "DIR"], 1),
    "template-o-dir": (["import", "--template", "-o", "DIR"], 1),
    "template-o-proc": (["import", "--template", "-o", "/proc/模板.xlsx"], 1),
    "import-dir": (["import", "DIR"], 1),
    "import-dev-zero": (["import", "/dev/zero"], 1),
    "calendar-import-9999": (["calendar", "import", "NOTICE9999"], 1),
    "calendar-import-dev-zero": (["calendar", "import", "/dev/zero"], 1),
    "calendar-import-dir": (["calendar", "import", "DIR"], 1),
    "calendar-import-missing": (["calendar", "import", "MISSING"], 1),
    "calendar-show-0": (["calendar", "show", "0"], 2),
    "calendar-show-huge": (["calendar", "show", "99999999999999999999"], 2),
    "demo-1e25": (["demo", "--requests", "10000000000000000000000000"], 2),
    "demo-0": (["demo", "--requests", "0"], 2),
    "demo-minus": (["demo", "--requests", "-5"], 2),
}


@pytest.mark.parametrize(("argv", "expected"), list(BAD.values()), ids=list(BAD))
def test_a_bad_invocation_gives_one_line_and_exit_1_or_2(desk: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str],
                                                        argv: list[str], expected: int) -> None:
    files = _files(tmp_path)
    args = ["--db", str(desk)] + [str(files[a.split("/")[0]]) + a[len(a.split("/")[0]):]
                                  if a.split("/")[0] in files else a for a in argv]
    before = sorted(p.name for p in tmp_path.rglob("*"))
    code, _, err = run_cli(args, capsys)
    assert_one_line_refusal(code, err, expected)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before, "a refused command left a file behind"


def test_a_letter_is_not_issued_when_its_output_cannot_be_written(desk: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from request_desk.core.letters import register

    code, _, err = run_cli(["--db", str(desk), "letter", "2026-00001", "--kind", "acknowledgement",
                            "--set", "contact=0527-84367000", "-o", str(tmp_path)], capsys)
    assert_one_line_refusal(code, err, 1)
    db = Database.open(desk)
    try:
        assert register.register_rows(db) == []
    finally:
        db.close()


# --- holiday notices: GB18030 like ledgers, messages in Chinese (item 13)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_calendar_import_reads_a_notice_in_utf8_or_gb18030(db_path: Path, tmp_path: Path, encoding: str,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    notice = tmp_path / "通知.csv"
    notice.write_bytes(NOTICE.read_text(encoding="utf-8-sig").encode(encoding))
    code, out, err = run_cli(["--db", str(db_path), "--user", "supervisor", "calendar", "import", str(notice)], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("已导入 2027年 的放假安排")


def test_calendar_import_problems_are_reported_in_chinese(db_path: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    notice = tmp_path / "notice.csv"
    notice.write_text("2027-02-30,放假,春节\n2027-10-01,上班\n", encoding="gb18030")
    code, _, err = run_cli(["--db", str(db_path), "--user", "supervisor", "calendar", "import", str(notice)], capsys)
    assert code == 1
    assert err.splitlines() == ["request-desk: 放假通知文件 notice.csv 未导入（2 处问题）：",
                                "第1行：“2027-02-30”这一天不存在（2027年2月没有30日）",
                                "第2行：2027-10-01 是星期五，调休上班日只能是周六或周日"]


# --- a full disk: a real tmpfs of 8 MiB, filled up


@pytest.fixture
def full_disk(tmp_path: Path) -> Path:  # type: ignore[misc]
    mount = tmp_path / "full disk"
    mount.mkdir()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)],
                              capture_output=True, text=True, check=False)
    except OSError as exc:
        pytest.skip(f"cannot mount a tmpfs to simulate a full disk: {exc}")
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs to simulate a full disk (needs root): {done.stderr.strip()}")
    try:
        fd = os.open(mount / "filler", os.O_WRONLY | os.O_CREAT)
        try:  # fill it to the last byte
            for size in (4096, 1):
                try:
                    while os.write(fd, b"\0" * size):
                        pass
                except OSError:
                    pass
        finally:
            os.close(fd)
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


# The report writers (core/reports) leave their file object to the garbage collector when
# the disk fills up; harmless for a CLI that exits, but pytest reports it as an error.
_WRITER_LEAK = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


@pytest.mark.parametrize("argv", [
    pytest.param(["register", "--month", "2026-09", "--format", "xlsx", "-o", "OUT/登记台账.xlsx"], marks=_WRITER_LEAK),
    ["register", "--month", "2026-09", "--format", "csv", "-o", "OUT/登记台账.csv"],
    pytest.param(["register", "--month", "2026-09", "--format", "pdf", "-o", "OUT/登记台账.pdf"], marks=_WRITER_LEAK),
    pytest.param(["report", "annual", "--year", "2026", "--format", "xlsx", "-o", "OUT/年度报告.xlsx"],
                 marks=_WRITER_LEAK),
    ["report", "annual", "--year", "2026", "--format", "html", "-o", "OUT/年度报告.html"],
    ["import", "--template", "-o", "OUT/导入模板.xlsx"],
    ["letter", "2026-00001", "--kind", "acknowledgement", "--set", "contact=0527-84367000", "-o", "OUT/回执.pdf"],
], ids=["register-xlsx", "register-csv", "register-pdf", "annual-xlsx", "annual-html", "template", "letter"])
def test_an_export_onto_a_full_disk_says_so_and_leaves_no_file(desk: Path, full_disk: Path, argv: list[str],
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--db", str(desk)] + [a.replace("OUT", str(full_disk)) for a in argv]
    code, _, err = run_cli(args, capsys)
    assert_one_line_refusal(code, err, 1)
    assert "磁盘空间不足" in err
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler"], "a half-written or temporary file was left"
    # The same command succeeds once there is room, and the file is whole.
    os.remove(full_disk / "filler")
    code, _, err = run_cli(args, capsys)
    assert code == 0, err
    assert [p.name for p in full_disk.iterdir()] == [Path(args[-1]).name]
