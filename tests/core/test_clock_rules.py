"""The one clock path: the office's clock rules read once per session, the same clock everywhere."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

from request_desk.core import cases
from request_desk.core.cases import register_list
from request_desk.core.deadlines import holidays, rules
from request_desk.core.deadlines.case_clock import (
    case_countdown,
    clock_for,
    office_clock,
)
from request_desk.core.deadlines.clock import ClockRules, PausePeriod
from request_desk.core.office import settings as office_settings
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Request
from request_desk.core.vocab import PauseKind
from tests.factories import TODAY, new_request

DEADLINES = Path(__file__).resolve().parents[2] / "request_desk" / "core" / "deadlines"


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_defaults_are_the_office_settings_defaults() -> None:
    office = office_settings.OfficeSettings()
    assert ClockRules() == ClockRules(amber_days=office.amber_days, exclude_fee_pauses=office.exclude_fee_pauses)


def test_rules_follow_the_stored_settings(db: Database) -> None:
    with db.write() as session:
        office_settings.update(session, amber_days=2, exclude_fee_pauses=False)
    with db.read() as session:
        assert rules.clock_rules(session) == ClockRules(amber_days=2, exclude_fee_pauses=False)
        assert office_settings.load(session).amber_days == 2


def test_rules_and_calendar_are_read_once_per_session(db: Database) -> None:
    with db.read() as session, statements(db) as seen:
        first = office_clock(session, TODAY)
        reads = len(seen)
        again = office_clock(session, TODAY + timedelta(days=1))
        assert len(seen) == reads, "the second clock of the session reads nothing"
    assert reads <= 6  # the settings row, the calendar's fingerprint and (once per process) its years
    assert again.rules is first.rules and again.calendar is first.calendar


def test_saving_settings_in_the_same_session_drops_the_cached_rules(db: Database) -> None:
    with db.write() as session:
        assert office_clock(session, TODAY).rules.amber_days == 5
        office_settings.update(session, amber_days=9)
        assert office_clock(session, TODAY).rules.amber_days == 9


def test_a_new_calendar_year_in_the_same_session_drops_the_cached_calendar(db: Database) -> None:
    with db.write() as session:
        before = office_clock(session, TODAY).calendar
        assert before.source_of(2027) == "provisional"
        notice = (Path(__file__).resolve().parents[1] / "data" / "notice-2027-sample.csv").read_text(encoding="utf-8")
        holidays.import_notice(session, notice, "test", "admin")
        assert office_clock(session, TODAY).calendar is not before


def test_the_list_row_and_the_case_clock_agree(db: Database) -> None:
    """The row's countdown from the stored due date is the full clock's, for every day of a month."""
    rid = cases.register(db, new_request(date(2026, 10, 9)), "clerk", today=date(2026, 10, 9)).id
    assert rid is not None
    for offset in range(45):
        today = date(2026, 10, 9) + timedelta(days=offset)
        with db.read() as session:
            request = session.get(Request, rid)
            assert request is not None and request.due_date is not None
            full = clock_for(session, request, today)
            row = office_clock(session, today).countdown(request.due_date)
        assert row == full.countdown, today
        listed = register_list.fetch_rows(db, register_list.RequestFilter(), today=today)[0]
        assert (listed.workdays_left, listed.colour) == (full.workdays_left, full.colour)
        assert case_countdown(db, rid, today).workdays_left == full.workdays_left


def test_of_stored_is_the_clock_of_the_stored_request(db: Database) -> None:
    rid = cases.register(db, new_request(date(2026, 10, 9)), "clerk", today=TODAY).id
    assert rid is not None
    cases.start_pause(db, rid, "clerk", kind=PauseKind.THIRD_PARTY, counterpart="某公司",
                      on_date=date(2026, 10, 20), today=TODAY)
    # Letter out Tue 20 Oct, presumed received Fri 23 Oct (3 working days in transit): the third
    # party's 15 working days run to Fri 13 Nov, and the clock is stopped until then.
    waiting = date(2026, 11, 12)
    with db.read() as session:
        request = session.get(Request, rid)
        assert request is not None
        for today, stopped in ((waiting, True), (TODAY, False)):
            stored = office_clock(session, today).of_stored(
                received_date=request.received_date, supplemented_date=request.supplemented_date,
                later_date=request.later_date, pauses=[PausePeriod(start=date(2026, 10, 20), end=None,
                                                                   kind=PauseKind.THIRD_PARTY)])
            assert stored.reply_due == clock_for(session, request, today).reply_due
            assert stored.clock_stopped is stopped


def test_deadlines_imports_only_storage_vocab_and_the_loose_modules() -> None:
    allowed = ("request_desk.core.deadlines", "request_desk.core.storage", "request_desk.core.vocab",
               "request_desk.core.errors", "request_desk.core.text", "request_desk.core.files")
    offenders = []
    for path in DEADLINES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("request_desk"):
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [a.name for a in node.names if a.name.startswith("request_desk")]
            else:
                continue
            offenders += [f"{path.name}: {m}" for m in modules if not m.startswith(allowed)]
    assert offenders == []
