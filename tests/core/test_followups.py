"""Satisfaction calls (电话回访): logging attempts, the list of calls due, the rate."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import func, select

from request_desk.core import cases
from request_desk.core.cases import calls
from request_desk.core.errors import NotFound, ValidationFailed
from request_desk.core.office import settings as office_settings
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry, Event, SatisfactionCall
from request_desk.core.vocab import Satisfaction
from tests import factories
from tests.factories import TODAY

REPLIED = date(2026, 10, 12)


def at(d: date, hour: int = 10) -> datetime:
    return datetime(d.year, d.month, d.day, hour, 0, tzinfo=calls.OFFICE_TZ)


def counts(db: Database) -> tuple[int, int, int]:
    with db.read() as s:
        return tuple(s.exec(select(func.count()).select_from(t)).one()  # type: ignore[return-value]
                     for t in (SatisfactionCall, Event, AuditEntry))


def test_unreached_then_reached_keeps_both_attempts(db: Database) -> None:
    rid = factories.replied(db, on=REPLIED)
    before = counts(db)
    calls.log_call(db, rid, "clerk", at(date(2026, 10, 20)), "李经办", False, today=TODAY)
    calls.log_call(db, rid, "clerk", at(date(2026, 10, 21)), "李经办", True, Satisfaction.BASICALLY_SATISFIED,
                       applicant_said="希望能快一点", follow_up_needed=True, today=TODAY)
    assert counts(db) == (before[0] + 2, before[1] + 2, before[2] + 2), "each attempt: one call, event, audit"
    rows = calls.calls_for(db, rid)
    assert [(c.reached, c.satisfaction) for c in rows] == [(True, "basically_satisfied"), (False, None)]
    assert rows[0].satisfaction_label == "基本满意" and rows[0].follow_up_needed
    with db.read() as s:
        notes = [e.note for e in s.exec(select(Event).where(Event.kind == "satisfaction_call").order_by(Event.id))]
    assert notes == ["未接通", "已接通，基本满意，需后续处理"]


@pytest.mark.parametrize(
    ("reached", "satisfaction", "message"),
    [(True, None, "须选择满意程度"), (False, Satisfaction.SATISFIED, "不能登记满意程度")],
)
def test_satisfaction_required_when_reached_and_forbidden_when_not(
    db: Database, reached: bool, satisfaction: Satisfaction | None, message: str
) -> None:
    rid = factories.replied(db, on=REPLIED)
    before = counts(db)
    with pytest.raises(ValidationFailed, match=message):
        calls.log_call(db, rid, "clerk", at(date(2026, 10, 20)), "李经办", reached, satisfaction, today=TODAY)
    assert counts(db) == before


def test_calls_are_refused_before_reply_in_future_or_for_unknown_requests(db: Database) -> None:
    open_id = factories.register(db)
    assert open_id is not None
    with pytest.raises(ValidationFailed, match="尚未答复"):
        calls.log_call(db, open_id, "clerk", at(TODAY), "李经办", False, today=TODAY)
    rid = factories.replied(db, on=REPLIED)
    with pytest.raises(ValidationFailed, match="晚于今天"):
        calls.log_call(db, rid, "clerk", at(date(2026, 11, 28)), "李经办", False, today=TODAY)
    with pytest.raises(ValidationFailed, match="早于答复日期"):
        calls.log_call(db, rid, "clerk", at(date(2026, 10, 11)), "李经办", False, today=TODAY)
    with pytest.raises(NotFound):
        calls.log_call(db, 9999, "clerk", at(TODAY), "李经办", False, today=TODAY)


def test_calls_due_after_the_waiting_days_until_reached(db: Database) -> None:
    with db.write() as s:
        office_settings.update(s, follow_up_after_days=3)
    old = factories.replied(db, on=date(2026, 10, 12), applicant_name="甲")
    delivered_recently = factories.replied(db, on=date(2026, 10, 12), delivered=date(2026, 11, 25), applicant_name="乙")
    delivered_enough = factories.replied(db, on=date(2026, 10, 12), delivered=date(2026, 11, 24), applicant_name="丙")
    too_recent = factories.replied(db, on=date(2026, 11, 25), applicant_name="丁")
    factories.register(db, applicant_name="戊")  # not replied
    withdrawn = factories.register(db, applicant_name="己")
    assert withdrawn is not None
    cases.withdraw(db, withdrawn, "clerk", on_date=date(2026, 10, 1), today=TODAY)

    due = calls.calls_due(db, TODAY)
    assert [d.request_id for d in due] == [delivered_enough, old], "the most recent answers first"
    assert due[0].since == date(2026, 11, 24), "delivery date counts when the reply was delivered"
    assert delivered_recently not in [d.request_id for d in due] and too_recent not in [d.request_id for d in due]

    calls.log_call(db, old, "clerk", at(date(2026, 11, 26)), "李经办", False, today=TODAY)
    due = calls.calls_due(db, TODAY)
    assert [(d.request_id, d.attempts) for d in due] == [(delivered_enough, 0), (old, 1)], \
        "an unreached request stays in its place, to be called again"
    assert due[1].last_attempt == at(date(2026, 11, 26))

    calls.log_call(db, old, "clerk", at(date(2026, 11, 27)), "李经办", True, Satisfaction.SATISFIED, today=TODAY)
    assert [d.request_id for d in calls.calls_due(db, TODAY)] == [delivered_enough]
    assert [d.request_id for d in calls.calls_due(db, TODAY, limit=0)] == []


def test_satisfaction_rate_counts_reached_calls_in_the_period(db: Database) -> None:
    assert calls.satisfaction_rate(db, date(2026, 11, 1), date(2026, 11, 30)).rate is None
    levels = [Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED, Satisfaction.DISSATISFIED,
              Satisfaction.SATISFIED]
    for i, level in enumerate(levels):
        rid = factories.replied(db, on=REPLIED, applicant_name=f"申请人{i}")
        calls.log_call(db, rid, "clerk", at(date(2026, 11, 2)), "李经办", False, today=TODAY)
        calls.log_call(db, rid, "clerk", at(date(2026, 11, 3 + i), 23), "李经办", True, level, today=TODAY)
    outside = factories.replied(db, on=REPLIED, applicant_name="期外")
    calls.log_call(db, outside, "clerk", at(date(2026, 10, 31), 23), "李经办", True,
                       Satisfaction.DISSATISFIED, today=TODAY)

    stats = calls.satisfaction_rate(db, date(2026, 11, 1), date(2026, 11, 30))
    assert (stats.reached, stats.satisfied, stats.basically_satisfied, stats.dissatisfied) == (4, 2, 1, 1)
    assert stats.rate == pytest.approx(0.75) and stats.rate_text() == "75.0%"
    # The last day of the period counts whole (a call at 23:00 on the 6th).
    assert calls.satisfaction_rate(db, date(2026, 11, 6), date(2026, 11, 6)).reached == 1
    # Days are Beijing days: 07:00 on 27 Nov is still 26 Nov in UTC, yet counts for the 27th.
    early = factories.replied(db, on=REPLIED, applicant_name="早")
    calls.log_call(db, early, "clerk", datetime(2026, 11, 26, 23, 0, tzinfo=UTC), "李经办", True,
                   Satisfaction.SATISFIED, today=TODAY)
    assert calls.satisfaction_rate(db, date(2026, 11, 27), date(2026, 11, 27)).reached == 1
    assert calls.calls_for(db, early)[0].called_at == at(date(2026, 11, 27), 7)
    with pytest.raises(ValidationFailed):
        calls.satisfaction_rate(db, date(2026, 11, 30), date(2026, 11, 1))


def test_recent_calls_newest_first_with_registration_number(db: Database) -> None:
    a = factories.replied(db, on=REPLIED, applicant_name="甲")
    b = factories.replied(db, on=REPLIED, applicant_name="乙")
    calls.log_call(db, a, "clerk", at(date(2026, 11, 2)), "李经办", False, today=TODAY)
    calls.log_call(db, b, "clerk", at(date(2026, 11, 3)), "王主任", True, Satisfaction.SATISFIED, today=TODAY)
    rows = calls.recent_calls(db, limit=10)
    assert [(r.applicant_name, r.caller) for r in rows] == [("乙", "王主任"), ("甲", "李经办")]
    assert rows[0].reg_number == "2026-00002"
    assert len(calls.recent_calls(db, limit=1)) == 1


def test_the_lists_filter_count_and_page_in_sql(db: Database) -> None:
    """Issue 15, point 11: each filter's count agrees with its pages, and pages neither overlap nor skip."""
    ids = [factories.replied(db, on=date(2026, 10, 12 + i), applicant_name=f"申请人{i}", phone=f"1390000{i:04d}")
           for i in range(6)]
    calls.log_call(db, ids[0], "clerk", at(date(2026, 11, 20)), "李经办", False, today=TODAY)
    calls.log_call(db, ids[1], "clerk", at(date(2026, 11, 20), 11), "李经办", True, Satisfaction.SATISFIED,
                   today=TODAY)
    for f, expected in [
        (calls.CallFilter(), {ids[0], *ids[2:]}),
        (calls.CallFilter(called=True), {ids[0]}),  # called, never reached
        (calls.CallFilter(called=False), set(ids[2:])),
        (calls.CallFilter(text="139 0000 0003"), {ids[3]}),  # the phone as read out
        (calls.CallFilter(text="申请人4"), {ids[4]}),
        (calls.CallFilter(text="申请人1"), set()),  # reached: no longer due
    ]:
        assert calls.count_calls_due(db, TODAY, f) == len(expected)
        pages = [calls.calls_due(db, TODAY, 2, f=f, offset=o) for o in (0, 2, 4)]
        assert {d.request_id for page in pages for d in page} == expected
        assert sum(len(page) for page in pages) == len(expected)
    assert calls.count_calls_due(db, TODAY) == 5  # the dashboard's figure, whatever the page shows
    reached = calls.CallFilter(reached=True, satisfaction=Satisfaction.SATISFIED.value)
    assert [c.request_id for c in calls.call_records(db, reached)] == [ids[1]]
    assert calls.count_call_records(db, calls.CallFilter(reached=False)) == 1
    assert calls.count_call_records(db, calls.CallFilter(text="申请人0")) == 1


def test_a_caller_recorded_by_login_is_shown_by_name(db: Database) -> None:
    rid = factories.replied(db, on=REPLIED)
    calls.log_call(db, rid, "clerk", at(date(2026, 11, 2)), "supervisor", True, Satisfaction.SATISFIED, today=TODAY)
    calls.log_call(db, rid, "clerk", at(date(2026, 11, 3)), "外聘回访员小张", False, today=TODAY)
    assert [r.caller for r in calls.calls_for(db, rid)] == ["外聘回访员小张", "王主任"]
