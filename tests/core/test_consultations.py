"""Consultations (征求意见) have their own deadline: 15 working days from the consulted side's receipt.

docs/domain.md, "Pauses" / "Consultations and their own deadline". The reply
clock leaves out the consulted side's time only (条例第三十三条第三款 with
第三十二条、第三十四条): an open consultation stops it until that deadline and
no longer. The receipt is recorded, or presumed from the office's transit
setting; when the deadline passes, the desk says so and says what follows —
the office decides (third party), consent is deemed (co-producing agency
only), or no consent is deemed (any other agency).

The scenario of the issue: a request received Mon 2 March 2026, a letter to a
third party on Thu 5 March, still open on Tue 30 June 2026.
"""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from sqlalchemy import inspect
from sqlmodel import select

from request_desk.core import cases
from request_desk.core.cases import case_file, register_list
from request_desk.core.deadlines import consultation, holidays
from request_desk.core.deadlines.case_clock import clock_for
from request_desk.core.errors import ValidationFailed
from request_desk.core.office import settings_change
from request_desk.core.reports import monthly
from request_desk.core.reports.common import Month
from request_desk.core.storage import db as db_module
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Event, Pause, Request
from request_desk.core.vocab import ConsultationAnswer, PauseKind
from tests import factories

D = date
RECEIVED = D(2026, 3, 2)  # Mon; the 20th working day after it is Mon 30 Mar
SENT = D(2026, 3, 5)  # Thu: the consultation letter goes out
# Presumed received 3 working days later (6, 9, 10 Mar); 15 working days from Tue 10 Mar:
# 11-13 (3) | 16-20 (8) | 23-27 (13) | 30-31 (15): the third party's time ends Tue 31 Mar.
PRESUMED = D(2026, 3, 10)
PRESUMED_DUE = D(2026, 3, 31)
LATE = D(2026, 6, 30)  # the "today": the pause is still open


def _consulting(db: Database, kind: PauseKind = PauseKind.THIRD_PARTY, *, co_producer: bool = False,
                counterpart: str = "某置业有限公司") -> int:
    rid = factories.register(db, RECEIVED, today=LATE)
    cases.start_pause(db, rid, "clerk", kind=kind, counterpart=counterpart, co_producer=co_producer, on_date=SENT,
                      today=LATE)
    return rid


def _clock(db: Database, rid: int, today: date):  # type: ignore[no-untyped-def]
    with db.read() as session:
        request = session.get(Request, rid)
        assert request is not None
        return clock_for(session, request, today)


def test_an_open_consultation_stops_the_clock_only_until_its_deadline(db: Database) -> None:
    rid = _consulting(db)
    with db.read() as session:
        cal = holidays.calendar(session)
    # Counting the whole open pause would remove 79 working days (issue 13, point 12).
    assert cal.workdays_between(SENT, LATE) == 79
    # (5 Mar, 31 Mar] holds 18 working days (3 in transit, 15 to answer): 30 Mar + 18 =
    # 31 Mar | 1-3 Apr | (4-6 Apr 清明) 7-10 | 13-17 | 20-24 Apr.
    late = _clock(db, rid, LATE)
    assert (late.paused_workdays, late.reply_due) == (18, D(2026, 4, 24))
    assert not late.clock_stopped and late.overdue
    (pause,) = late.pauses
    assert pause.open and pause.cut_short and pause.end == PRESUMED_DUE
    assert pause.consultation is not None and pause.consultation.presumed
    assert (pause.consultation.received, pause.consultation.due) == (PRESUMED, PRESUMED_DUE)
    # On the deadline itself the third party still has its day; the day after, the clock runs.
    assert _clock(db, rid, PRESUMED_DUE).clock_stopped
    assert not _clock(db, rid, D(2026, 4, 1)).clock_stopped
    assert _clock(db, rid, D(2026, 4, 1)).reply_due == late.reply_due


def test_the_recorded_receipt_fixes_the_deadline_and_can_be_corrected(db: Database) -> None:
    rid = _consulting(db)
    with pytest.raises(ValidationFailed, match="不能早于发出日期"):
        cases.record_consultation_received(db, rid, "clerk", on_date=D(2026, 3, 4), today=LATE)
    # Received Fri 6 Mar: 9-13 (5) | 16-20 (10) | 23-27 Mar (15). (5 Mar, 27 Mar] = 16 working days.
    cases.record_consultation_received(db, rid, "clerk", on_date=D(2026, 3, 6), today=LATE)
    clock = _clock(db, rid, LATE)
    (pause,) = clock.pauses
    assert pause.consultation is not None and not pause.consultation.presumed
    assert (pause.consultation.due, clock.paused_workdays) == (D(2026, 3, 27), 16)
    # Recording again corrects it: received Mon 9 Mar, due Mon 30 Mar, 17 working days.
    record = cases.record_consultation_received(db, rid, "clerk", on_date=D(2026, 3, 9), today=LATE)
    assert record.due_date == _clock(db, rid, LATE).reply_due
    assert _clock(db, rid, LATE).paused_workdays == 17
    with db.read() as session:
        event = session.exec(select(Event).where(Event.kind == "record_consultation_received")
                             .order_by(Event.id.desc())).first()  # type: ignore[union-attr]
    assert event is not None and event.data is not None
    assert (event.data["consultation_due"], event.data["previous_received"]) == ("2026-03-30", "2026-03-06")


def test_a_late_answer_removes_no_day_after_the_deadline(db: Database) -> None:
    rid = _consulting(db)
    cases.record_consultation_received(db, rid, "clerk", on_date=D(2026, 3, 6), today=LATE)
    r = cases.end_pause(db, rid, "clerk", answer=ConsultationAnswer.OBJECTED, reasons="涉及本公司商业秘密",
                        on_date=D(2026, 4, 20), today=LATE)
    # Only (5 Mar, 27 Mar] = 16 working days, as if it had answered on its last day.
    assert r.due_date == _clock(db, rid, LATE).reply_due
    assert _clock(db, rid, LATE).paused_workdays == 16
    with db.read() as session:
        pause = session.exec(select(Pause)).one()
        event = session.exec(select(Event).where(Event.kind == "end_pause")).one()
    assert (pause.answer, pause.objection, pause.end_date) == ("objected", "涉及本公司商业秘密", D(2026, 4, 20))
    assert event.data is not None and event.data["late_answer"] is True


def test_the_transit_setting_presumes_the_receipt_and_moves_open_due_dates(db: Database) -> None:
    rid = _consulting(db)
    assert cases.get(db, rid).due_date == D(2026, 4, 24)
    # A recorded receipt (Fri 6 Mar, due 27 Mar: 16 working days) owes nothing to the setting.
    recorded = _consulting(db)
    cases.record_consultation_received(db, recorded, "clerk", on_date=D(2026, 3, 6), today=LATE)
    assert cases.get(db, recorded).due_date == D(2026, 4, 22)
    # No transit: received the day it went out; due Thu 26 Mar; (5 Mar, 26 Mar] = 15 working days:
    # 30 Mar + 15 = 31 Mar | 1-3 Apr | 7-10 | 13-17 | 20-21 Apr.
    changed = settings_change.update_settings(db, "supervisor", {"consultation_transit_workdays": 0}, today=LATE)
    assert changed == 1
    assert cases.get(db, rid).due_date == D(2026, 4, 21)
    assert cases.get(db, recorded).due_date == D(2026, 4, 22)
    (pause,) = _clock(db, rid, LATE).pauses
    assert pause.consultation is not None and pause.consultation.due == D(2026, 3, 26)
    with pytest.raises(ValidationFailed, match="在途时间"):
        settings_change.update_settings(db, "supervisor", {"consultation_transit_workdays": 16}, today=LATE)


@pytest.mark.parametrize(("kind", "co_producer", "consequence", "deemed"), [
    (PauseKind.THIRD_PARTY, False, "由本机关依照条例的规定决定是否公开（条例第三十二条）", False),
    (PauseKind.OTHER_AGENCY, True, "视为同意公开（条例第三十四条）", True),
    (PauseKind.OTHER_AGENCY, False, "逾期未提出意见的不视为同意公开", False),
], ids=["third_party", "co_producer", "other_agency"])
def test_a_lapse_says_what_follows_and_only_a_co_producer_consents(
        db: Database, kind: PauseKind, co_producer: bool, consequence: str, deemed: bool) -> None:
    rid = _consulting(db, kind, co_producer=co_producer, counterpart="某某区财政局")
    shown = case_file.load_case(db, rid, LATE)
    (row,) = shown.pauses
    assert (row.consultation_due, row.lapsed, row.co_producer) == (PRESUMED_DUE, True, co_producer)
    assert consequence in row.consequence and consequence in shown.header.consultation_warning
    assert ("未提出意见的，视为同意公开" in row.consequence) is deemed
    explanation = case_file.clock_explanation(db, rid, LATE)
    assert consequence in explanation
    # "No answer" only once the deadline is over; then the event says whether consent is deemed.
    with pytest.raises(ValidationFailed, match="尚未届满"):
        cases.end_pause(db, rid, "clerk", answer=ConsultationAnswer.NO_ANSWER, on_date=PRESUMED_DUE, today=LATE)
    cases.end_pause(db, rid, "clerk", answer=ConsultationAnswer.NO_ANSWER, on_date=D(2026, 4, 1), today=LATE)
    with db.read() as session:
        event = session.exec(select(Event).where(Event.kind == "end_pause")).one()
    assert event.data is not None and event.data["deemed_consent"] is deemed
    assert case_file.load_case(db, rid, LATE).header.consultation_warning == ""


def test_only_an_agency_can_be_a_co_producer_and_an_objection_needs_its_reasons(db: Database) -> None:
    rid = factories.register(db, RECEIVED, today=LATE)
    with pytest.raises(ValidationFailed, match="第三方不适用"):
        cases.start_pause(db, rid, "clerk", kind=PauseKind.THIRD_PARTY, counterpart="某公司", co_producer=True,
                          on_date=SENT, today=LATE)
    cases.start_pause(db, rid, "clerk", kind=PauseKind.THIRD_PARTY, counterpart="某公司", on_date=SENT, today=LATE)
    with pytest.raises(ValidationFailed, match="须登记其理由"):
        cases.end_pause(db, rid, "clerk", answer=ConsultationAnswer.OBJECTED, on_date=D(2026, 3, 20), today=LATE)
    with pytest.raises(ValidationFailed, match="不是可登记的意见"):
        cases.end_pause(db, rid, "clerk", answer="maybe", on_date=D(2026, 3, 20), today=LATE)
    assert cases.get(db, rid).status == "paused"


def test_the_explanation_states_the_reading_of_article_33(db: Database) -> None:
    rid = _consulting(db)
    text = case_file.clock_explanation(db, rid, LATE)
    assert consultation.READING in text
    assert "按在途3个工作日推定为 2026-03-10" in text
    assert "扣除18个工作日（计至征求意见期限 2026-03-31）" in text
    assert "自 2026-03-31 次日起恢复计算答复期限" in text
    assert "请登记被征求意见方的意见，或登记其逾期未提出意见" in text
    assert "当前暂停计时" not in text


def test_the_dashboard_lists_consultations_past_their_deadline(db: Database) -> None:
    rid = _consulting(db)
    assert register_list.dashboard(db, PRESUMED_DUE).lapsed_consultations == ()
    (lapsed,) = register_list.dashboard(db, D(2026, 4, 1)).lapsed_consultations
    assert (lapsed.request_id, lapsed.counterpart, lapsed.deadline.due) == (rid, "某置业有限公司", PRESUMED_DUE)
    assert "征求意见期限 2026-03-31 已届满（推定收到）" in lapsed.line()
    cases.end_pause(db, rid, "clerk", answer=ConsultationAnswer.NO_ANSWER, on_date=D(2026, 4, 1), today=LATE)
    assert register_list.dashboard(db, LATE).lapsed_consultations == ()


def test_the_monthly_register_counts_a_consultation_up_to_its_deadline(db: Database) -> None:
    rid = _consulting(db)
    with db.read() as session:
        rows = [r for batch in monthly.stream(session, monthly.Section.OPEN, Month(2026, 4)) for r in batch]
    (row,) = [r for r in rows if r.request_id == rid]
    assert "暂停扣除18个工作日" in row.text("due")  # not the 39 of (5 Mar, 30 Apr]


def test_revision_0008_adds_the_consultation_columns(db: Database) -> None:
    rid = _consulting(db, PauseKind.OTHER_AGENCY, co_producer=True)
    cfg = db_module.alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007")
    with db.read() as session:
        columns = {c["name"] for c in inspect(session.connection()).get_columns("pause")}
    assert columns.isdisjoint({"received_date", "co_producer", "answer", "objection"})
    db.migrate()
    assert db.revision() == Database.head_revision()
    with db.read() as session:
        pause = session.exec(select(Pause).where(Pause.request_id == rid)).one()
    # An upgraded consultation is no co-producer: nobody recorded the consent the old letter assumed.
    assert (pause.received_date, pause.co_producer, pause.answer, pause.objection) == (None, False, "", "")
