"""The ``request-desk`` command, run as a real subprocess on a real database file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

NOTICE = Path(__file__).parent.parent / "data" / "notice-2027-sample.csv"


_SET_UP: set[Path] = set()


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REQUEST_DESK_DB": str(db), "REQUEST_DESK_USER": "admin"}
    if db not in _SET_UP:  # the office's first user, its administrator, signs in
        _SET_UP.add(db)
        subprocess.run([sys.executable, "-m", "request_desk", "user", "add", "admin", "--name", "赵管理",
                        "--role", "admin", "--initial-password", env["REQUEST_DESK_PASSWORD"]],
                       env=env, timeout=120, check=True, capture_output=True)
    return subprocess.run([sys.executable, "-m", "request_desk", *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)


def test_deadline_of_the_domain_example(tmp_path: Path) -> None:
    out = run("deadline", "--received", "2026-09-28", db=tmp_path / "d.sqlite3")
    assert (out.returncode, out.stdout.strip()) == (0, "2026-10-30")


def test_deadline_with_supplement_pauses_and_extension(tmp_path: Path) -> None:
    # Supplemented Thu 15 Oct → 12 Nov; pause (20 Oct, 23 Oct] = 3 wd → 17 Nov; +20 wd → 15 Dec.
    out = run("deadline", "--received", "2026-09-28", "--supplemented", "2026-10-15",
              "--pause", "2026-10-20:2026-10-23", "--extended", db=tmp_path / "d.sqlite3")
    assert out.stdout.strip() == "2026-12-15", out.stderr


def test_json_is_provisional_until_the_2027_notice_is_imported(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    before = json.loads(run("deadline", "--received", "2026-12-15", "--json", db=db).stdout)
    assert before["provisional"] is True
    assert before["reply_due"] == "2027-01-13"
    assert before["supplement_notice_due"] == "2026-12-24"
    assert {"year": 2027, "source": "provisional"} in before["years_used"]
    assert any(d["date"] == "2027-01-01" and not d["counted"] for d in before["explanation"])

    imported = run("calendar", "import", str(NOTICE), db=db)
    assert imported.returncode == 0, imported.stderr
    after = json.loads(run("deadline", "--received", "2026-12-15", "--json", db=db).stdout)
    assert after["provisional"] is False
    assert after["reply_due"] == "2027-01-12"  # Sat 9 Jan is a make-up working day in the sample


def test_calendar_show_lists_the_2026_notice(tmp_path: Path) -> None:
    out = run("calendar", "show", "2026", db=tmp_path / "d.sqlite3")
    assert out.returncode == 0
    lines = out.stdout.splitlines()
    assert any(line.startswith("2026-09-20") and "workday" in line for line in lines)
    assert any(line.startswith("2026-10-10") and "workday" in line for line in lines)
    assert any(line.startswith("2026-10-07") and "holiday" in line for line in lines)


def test_broken_notice_file_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    bad = tmp_path / "bad.csv"
    bad.write_text("2027-01-01,holiday,元旦\n2027-02-30,holiday,春节\n", encoding="utf-8")
    out = run("calendar", "import", str(bad), db=db)
    assert out.returncode == 1 and "第2行" in out.stderr
    shown = run("calendar", "show", "2027", db=db).stdout
    assert "provisional" in shown


@pytest.mark.parametrize(
    "args",
    [
        ["deadline"],
        ["deadline", "--received", "28/09/2026"],
        ["deadline", "--received", "2026-09-28", "--pause", "2026-10-05"],
        ["deadline", "--received", "2026-09-28", "--pause", "2026-10-09:2026-10-05"],
        ["no-such-command"],
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(tmp_path: Path, args: list[str]) -> None:
    out = run(*args, db=tmp_path / "d.sqlite3")
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1
    assert "Traceback" not in out.stderr
