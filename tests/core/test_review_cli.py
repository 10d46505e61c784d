"""``request-desk letter`` with review on, and ``request-desk review``, as real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from request_desk.core.letters import register
from request_desk.core.office import settings
from request_desk.core.storage.db import Database
from request_desk.core.vocab import Role
from tests import factories


def run(*args: str, db: Path, user: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REQUEST_DESK_DB": str(db), "REQUEST_DESK_USER": user}
    return subprocess.run([sys.executable, "-m", "request_desk", *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)


def test_a_letter_is_submitted_then_returned_resubmitted_and_approved(db_path: Path, tmp_path: Path) -> None:
    db = Database.open(db_path)
    with db.write() as s:
        settings.update(s, contact_person="李四", contact_phone="0527-84371234", letter_review=True)
    factories.add_user(db, "deputy", "张副主任", Role.SUPERVISOR)
    factories.replied(db, "1", on=date(2026, 10, 20))
    db.close()
    letter = ("letter", "2026-00001", "--kind", "reply_1_published", "--date", "2026-10-20",
              "--set", "published_where=本机关门户网站")
    done = run(*letter, db=db_path, user="clerk")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("submitted for review as #1")
    listed = run("review", "list", "--json", db=db_path, user="supervisor")
    [item] = json.loads(listed.stdout)
    assert (item["id"], item["state"], item["submitted_by"], item["registration_no"]) == (1, "pending", "clerk",
                                                                                       "2026-00001")
    mine = run("review", "approve", "1", db=db_path, user="clerk")
    assert mine.returncode == 1 and "无权审核文书" in mine.stderr, mine.stderr
    back = run("review", "return", "1", "--comment", "请写明栏目名称", db=db_path, user="supervisor")
    assert back.returncode == 0, back.stderr
    text = run("review", "list", db=db_path, user="clerk").stdout
    assert "#1  已退回修改" in text and "请写明栏目名称" in text
    again = run(*letter[:-1], "published_where=本机关门户网站“法定主动公开内容”栏目", db=db_path, user="supervisor")
    assert again.stdout.startswith("submitted for review as #1"), again.stderr
    own = run("review", "approve", "1", db=db_path, user="supervisor")
    assert own.returncode == 1 and "不能审核自己起草的文书" in own.stderr
    out = tmp_path / "reply.pdf"
    ok = run("review", "approve", "1", "-o", str(out), db=db_path, user="deputy")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("X政信公开〔2026〕1号  政府信息公开申请答复书  张三") and out.stat().st_size > 0
    assert run("review", "list", db=db_path, user="deputy").stdout.strip() == "没有待审核的文书。"
    db = Database.open(db_path)
    try:
        [row] = register.register_rows(db)
        assert row.doc_number == "X政信公开〔2026〕1号"
    finally:
        db.close()


def test_with_review_off_letter_issues_as_before(db_path: Path) -> None:
    db = Database.open(db_path)
    with db.write() as s:
        settings.update(s, contact_person="李四", contact_phone="0527-84371234")
    factories.replied(db, "1", on=date(2026, 10, 20))
    db.close()
    done = run("letter", "2026-00001", "--kind", "reply_1_published", "--date", "2026-10-20",
               "--set", "published_where=本机关门户网站", db=db_path, user="clerk")
    assert done.returncode == 0 and done.stdout.startswith("X政信公开〔2026〕1号"), done.stderr


def test_settings_set_turns_review_on(db_path: Path) -> None:
    done = run("settings", "set", "letter_review=yes", db=db_path, user="supervisor")
    assert done.returncode == 0, done.stderr
    shown = json.loads(run("settings", "show", "--json", db=db_path, user="clerk").stdout)
    assert shown["letter_review"] is True
