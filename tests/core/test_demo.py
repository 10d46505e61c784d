"""Demo data: a living desk with every status and outcome, consistent with the clock."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import func, select

from request_desk.core import cases
from request_desk.core.deadlines.case_clock import clock_for
from request_desk.core.office import accounts, users
from request_desk.core.office.permissions import PermissionDenied
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Counter, Request
from request_desk.core.transfer import demo
from request_desk.core.vocab import OUTCOMES, Role, Status
from tests.factories import TODAY, new_request


def test_demo_data_covers_every_outcome_and_is_consistent(db: Database) -> None:
    assert demo.run(db, 3000, today=TODAY, actor="supervisor") == 3000
    with db.read() as s:
        statuses = set(s.execute(text("SELECT DISTINCT status FROM request")).scalars())
        outcomes = set(s.execute(
            text("SELECT DISTINCT outcome_code FROM request WHERE outcome_code IS NOT NULL")).scalars())
        assert s.execute(text("PRAGMA foreign_key_check")).all() == []
        # The gapless counters continue after the demo rows.
        for year, top in s.execute(text("SELECT year, MAX(seq) FROM request GROUP BY year")).all():
            assert s.get(Counter, ("registration", year)).value == top  # type: ignore[union-attr]
        repeats = s.execute(
            text("SELECT COUNT(*) FROM request WHERE outcome_code='5.2' AND repeat_of_id IS NULL")).scalar()
        open_statuses = ["in_progress", "paused", "extended"]
        open_cases = s.exec(
            select(Request).where(Request.status.in_(open_statuses)).limit(40)  # type: ignore[attr-defined]
        ).all()
        for r in open_cases:  # stored due dates agree with the legal clock
            assert clock_for(s, r, TODAY).reply_due == r.due_date
    assert statuses == {s.value for s in Status}
    assert outcomes == {o.code for o in OUTCOMES}
    assert repeats == 0


def test_new_registration_after_demo_gets_the_next_number(db: Database) -> None:
    demo.run(db, 200, today=TODAY, actor="supervisor")
    with db.read() as s:
        top = s.exec(select(func.max(Request.seq)).where(Request.year == 2026)).one()

    r = cases.register(db, new_request(date(2026, 11, 2)), "clerk", today=TODAY)
    assert r.seq == top + 1


def test_demo_command(tmp_path: Path) -> None:
    db_file = tmp_path / "demo.sqlite3"
    out = subprocess.run([sys.executable, "-m", "request_desk", "--db", str(db_file), "demo", "--requests", "150"],
                         capture_output=True, text=True, timeout=300, check=False)
    assert out.returncode == 0, out.stderr
    # A new demo office says, on its last line, how to sign in as its administrator.
    assert out.stdout.strip().splitlines()[-1].endswith("the administrator is 'admin'")
    assert "password 'demo'" in out.stdout
    db = Database.open(db_file)
    try:
        with db.read() as s:
            assert s.execute(text("SELECT COUNT(*) FROM request")).scalar() == 150
        assert users.active_role(db, "admin") is Role.ADMINISTRATOR
        assert accounts.sign_in(db, "admin", "demo").role == "administrator"
    finally:
        db.close()


def test_every_committed_demo_batch_carries_its_own_audit_entry(db: Database) -> None:
    # Issue 11, item 7: the audit entry was written after the last batch, so a demo
    # killed part way left committed batches without any. Stop one after its first batch:
    progress = demo.generate(db, 25, today=date(2026, 11, 27), seed=3, batch_size=10, actor="supervisor")
    next(progress)  # started
    next(progress)  # the first batch has committed
    progress.close()  # what a kill or a cancel leaves
    assert _demo_rows_and_audited(db) == (10, 10)
    demo.run(db, 25, today=date(2026, 11, 27), seed=4, batch_size=10, actor="supervisor")
    assert _demo_rows_and_audited(db) == (35, 35)


def _demo_rows_and_audited(db: Database) -> tuple[int, int]:
    from sqlalchemy import func
    from sqlmodel import select

    from request_desk.core.storage.models import AuditEntry, Request

    with db.read() as s:
        rows = s.exec(select(func.count()).select_from(Request)).one()
        audited = sum(int((e.new or {})["requests"])  # type: ignore[call-overload]
                      for e in s.exec(select(AuditEntry).where(AuditEntry.action == "demo_data")).all())
    return rows, audited


def test_only_an_administrator_adds_fictitious_cases_to_an_office_with_users(db: Database) -> None:
    for who in ("clerk", None):
        with pytest.raises(PermissionDenied, match="生成演示数据"):
            demo.run(db, 5, today=TODAY, actor=who)
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM request")).scalar_one() == 0
