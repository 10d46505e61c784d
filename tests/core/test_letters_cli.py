"""``request-desk letter``, run as a real subprocess on a real database file."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from request_desk.core.office import settings
from request_desk.core.storage.db import Database
from tests import factories


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REQUEST_DESK_DB": str(db), "REQUEST_DESK_USER": "clerk"}
    return subprocess.run([sys.executable, "-m", "request_desk", *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)


def test_kinds_are_listed_both_ways(tmp_path: Path) -> None:
    a = run("letter", "--kinds", db=tmp_path / "d.sqlite3")
    b = run("letter", "--kind", "list", db=tmp_path / "d.sqlite3")
    assert a.returncode == b.returncode == 0 and a.stdout == b.stdout
    assert "reply_3.4" in a.stdout and "收费通知书" in a.stdout


def test_issue_a_letter_and_write_the_pdf(db_path: Path, tmp_path: Path) -> None:
    db = Database.open(db_path)
    with db.write() as s:
        settings.update(s, contact_person="李四", contact_phone="0527-84371234")
    factories.replied(db, "1", on=date(2026, 10, 20))
    db.close()
    out = tmp_path / "reply.pdf"
    blank = run("letter", "2026-00001", "--kind", "reply_1_published", "--date", "2026-10-20", db=db_path)
    assert blank.returncode == 1 and "--set published_where=…" in blank.stderr
    assert len(blank.stderr.strip().splitlines()) == 1
    done = run("letter", "2026-00001", "--kind", "reply_1_published", "--date", "2026-10-20", "-o", str(out),
               "--set", "published_where=本机关门户网站“法定主动公开内容”栏目", db=db_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("X政信公开〔2026〕1号  政府信息公开申请答复书  张三")
    text = "".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert "X政信公开〔2026〕1号" in text and "法定主动公开内容" in text
    again = run("letter", "2026-00001", "--kind", "reply_1_published", "--date", "2026-10-21",
                "--set", "published_where=本机关门户网站", "--supersedes", "X政信公开〔2026〕1号", db=db_path)
    assert again.returncode == 0 and again.stdout.startswith("X政信公开〔2026〕2号"), again.stderr


def test_bad_input_is_one_line_with_the_right_exit_code(db_path: Path) -> None:
    db = db_path  # an office with users: the clerk signs in, then the arguments are checked
    for args, code in [
        (("letter", "2026-00001", "--kind", "nonsense"), 2),
        (("letter", "--kind", "acknowledgement"), 2),
        (("letter", "2026-00001"), 2),
        (("letter", "2026-00001", "--kind", "acknowledgement", "--set", "novalue"), 2),
        (("letter", "2026-00001", "--kind", "acknowledgement", "--date", "yesterday"), 2),
        (("letter", "2026-99999", "--kind", "acknowledgement"), 1),
    ]:
        out = run(*args, db=db)
        assert out.returncode == code, (args, out.stderr)
        assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr, out.stderr
