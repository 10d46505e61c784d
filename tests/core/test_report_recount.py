"""Aggregates from index-only SQL (issue 7) equal a plain recount of every request in Python."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from request_desk.core.reports import annual, monthly
from request_desk.core.reports.common import Month
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Request
from request_desk.core.transfer import demo
from tests.factories import TODAY


@pytest.fixture
def demo_db(db: Database) -> Database:
    demo.run(db, 1500, today=TODAY, actor="supervisor")  # 2025 and 2026, every status and outcome
    return db


def _all(db: Database) -> list[Request]:
    with db.read() as s:
        return list(s.execute(select(Request)).scalars())


def _answered_by(r: Request, day: date) -> bool:
    return r.outcome_code is not None and r.reply_date is not None and r.reply_date <= day


@pytest.mark.parametrize("year", [2025, 2026])
def test_annual_table_equals_a_recount(demo_db: Database, year: int) -> None:
    start, end = date(year, 1, 1), date(year, 12, 31)
    expected: Counter[tuple[str, str]] = Counter()
    for r in _all(demo_db):
        rows = []
        if start <= r.received_date <= end:
            rows.append("new")
        if r.received_date < start and not _answered_by(r, date(year - 1, 12, 31)):
            rows.append("carried_in")
        if r.received_date <= end and not _answered_by(r, end):
            rows.append("carried_out")
        if r.outcome_code is not None and r.reply_date is not None and start <= r.reply_date <= end:
            rows += [r.outcome_code, "total"]
        for row in rows:
            expected[row, r.applicant_type] += 1
            expected[row, "total"] += 1
    report = annual.annual_report(demo_db, year)
    report.check()
    got = {(row, col): n for row, cols in report.table.items() for col, n in cols.items() if n}
    assert got == dict(expected)
    assert expected["carried_out", "total"] > 0 and expected["new", "total"] > 0


def test_register_sections_equal_a_recount(demo_db: Database) -> None:
    requests = _all(demo_db)
    for month in (Month(2025, 12), Month(2026, 10), Month(2026, 11)):
        first, last = month.first, month.last
        expected = {
            monthly.Section.RECEIVED: sorted((r.received_date, r.id) for r in requests
                                             if first <= r.received_date <= last),
            monthly.Section.OPEN: sorted((r.received_date, r.id) for r in requests
                                         if r.received_date <= last and not _answered_by(r, last)),
            monthly.Section.ANSWERED: sorted((r.reply_date, r.id) for r in requests
                                             if r.outcome_code is not None and r.reply_date is not None
                                             and first <= r.reply_date <= last),
        }
        with demo_db.read() as s:
            for section, keys in expected.items():
                assert monthly.count(s, section, month) == len(keys)
                streamed = [row for batch in monthly.stream(s, section, month, batch=97) for row in batch]
                assert [row.request_id for row in streamed] == [i for _, i in keys], (month, section)
                assert [row.values[0] for row in streamed] == list(range(1, len(keys) + 1))
        assert expected[monthly.Section.OPEN], month


def test_calls_due_equal_a_recount_and_follow_the_calls(demo_db: Database) -> None:
    from sqlalchemy import text

    from request_desk.core.cases import calls

    recount = ("SELECT count(*) FROM request r WHERE r.reply_date IS NOT NULL "
               "AND (r.status = 'replied' OR r.delivered_date IS NOT NULL) "
               "AND coalesce(r.delivered_date, r.reply_date) <= :cutoff "
               "AND NOT EXISTS (SELECT 1 FROM satisfactioncall s WHERE s.request_id = r.id AND s.reached)")

    def expected() -> int:
        with demo_db.read() as s:
            return int(s.execute(text(recount), {"cutoff": date(2026, 11, 24)}).scalar_one())

    before = expected()
    assert calls.count_calls_due(demo_db, TODAY) == before > 0
    due = calls.calls_due(demo_db, TODAY, limit=5000)
    assert len(due) == min(before, 5000)
    target = due[0].request_id
    calls.log_call(demo_db, target, "clerk", datetime(2026, 11, 26, 10, tzinfo=UTC), "李经办", False, today=TODAY)
    assert calls.count_calls_due(demo_db, TODAY) == before  # not reached: still due
    calls.log_call(demo_db, target, "clerk", datetime(2026, 11, 26, 11, tzinfo=UTC), "李经办", True,
                       "satisfied", today=TODAY)
    assert calls.count_calls_due(demo_db, TODAY) == expected() == before - 1
    with demo_db.write() as s:  # a call deleted or corrected (import tools, repairs): the flag follows
        s.execute(text("UPDATE satisfactioncall SET reached = 0, satisfaction = NULL WHERE request_id = :r"),
                  {"r": target})
    assert calls.count_calls_due(demo_db, TODAY) == expected() == before
    with demo_db.write() as s:
        s.execute(text("UPDATE satisfactioncall SET reached = 1 WHERE request_id = :r"), {"r": target})
        s.execute(text("DELETE FROM satisfactioncall WHERE request_id = :r"), {"r": target})
    assert calls.count_calls_due(demo_db, TODAY) == expected() == before
