"""What the case view shows: the live clock of an open case, and masked documents."""

from __future__ import annotations

from datetime import date

from request_desk.core import cases
from request_desk.core.cases import case_file
from request_desk.core.storage.db import Database
from request_desk.core.vocab import PauseKind
from tests import factories
from tests.factories import TODAY


def test_a_paused_case_shows_the_date_its_clock_really_points_to(db: Database) -> None:
    rid = factories.register(db, date(2026, 9, 28), today=date(2026, 10, 20))
    cases.start_pause(db, rid, "clerk", kind=PauseKind.THIRD_PARTY, counterpart="某公司",
                      on_date=date(2026, 10, 12), today=date(2026, 10, 20))
    header = case_file.load_case(db, rid, date(2026, 10, 20)).header
    # Paused since 12 Oct: (12 Oct, 20 Oct] holds 13-16, 19, 20 = 6 working days → 30 Oct + 6 = 9 Nov.
    assert header.due_date == date(2026, 11, 9)
    assert header.clock_stopped


def test_passport_numbers_are_masked_too(db: Database) -> None:
    rid = factories.register(db, id_type="passport", id_number="E12345678")
    details = dict(case_file.load_case(db, rid, TODAY).details)
    assert details["证件号码"] == "E1*****78"
