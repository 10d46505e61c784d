"""Legal preconditions of workflow steps (docs/domain.md; Art. 30, 32, 33, 35, 36(6), the fee rules)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import col, select

from request_desk.core import cases
from request_desk.core.cases.workflow import Action
from request_desk.core.errors import StaleRecord, TransitionError, ValidationFailed
from request_desk.core.office import units
from request_desk.core.office.permissions import PermissionDenied
from request_desk.core.reports.export import run
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry, Request
from request_desk.core.transfer import importer
from request_desk.core.vocab import PauseKind, Status, UnitLevel
from tests import factories
from tests.factories import YEAR_END as TODAY

D = date


RECEIVED = D(2026, 9, 28)


def _new(db: Database, received: date = RECEIVED) -> int:
    return factories.register(db, received, today=TODAY)


def test_supplement_notice_once_and_late_is_recorded(db: Database) -> None:
    rid = _new(db)
    # Due by 13 Oct (7th working day); issued 14 Oct → allowed but late.
    r = cases.request_supplement(db, rid, "clerk", what="请明确年份", on_date=D(2026, 10, 14), today=TODAY)
    assert r.status == Status.AWAITING_SUPPLEMENT and r.supplement_notice_late
    cases.receive_supplement(db, rid, "clerk", on_date=D(2026, 10, 20), today=TODAY)
    cases.assign(db, rid, "clerk", unit_id=_unit(db), on_date=D(2026, 10, 21), today=TODAY)
    with pytest.raises(TransitionError, match="一次性"):
        cases.request_supplement(db, rid, "clerk", what="再补充", on_date=D(2026, 10, 22), today=TODAY)


def test_timely_supplement_notice_is_not_late_and_restarts_the_clock(db: Database) -> None:
    rid = _new(db)
    r = cases.request_supplement(db, rid, "clerk", what="请明确年份", on_date=D(2026, 10, 13), today=TODAY)
    assert not r.supplement_notice_late
    r = cases.receive_supplement(db, rid, "clerk", on_date=D(2026, 10, 15), today=TODAY)
    # 20 working days after Thu 15 Oct 2026: 16 (1), 19-23 (6), 26-30 (11), 2-6 Nov (16), 9-12 Nov (20).
    assert r.due_date == D(2026, 11, 12)


def _unit(db: Database) -> int:
    u = units.add_unit(db, units.UnitData("市教育局", UnitLevel.DEPARTMENT), actor="supervisor")
    assert u.id is not None
    return u.id


def test_not_supplemented_before_the_deadline_cannot_be_deemed_withdrawn(db: Database) -> None:
    rid = _new(db)
    r = cases.request_supplement(db, rid, "clerk", what="请明确年份", on_date=D(2026, 9, 29),
                                 deadline=D(2026, 10, 20), today=TODAY)
    assert r.supplement_deadline == D(2026, 10, 20)
    with pytest.raises(TransitionError, match="尚未届满"):
        cases.deem_withdrawn_no_supplement(db, rid, "clerk", on_date=D(2026, 10, 20), today=TODAY)
    r = cases.deem_withdrawn_no_supplement(db, rid, "clerk", on_date=D(2026, 10, 21), today=TODAY)
    assert (r.status, r.outcome_code) == (Status.DEEMED_WITHDRAWN, "6.1")


def test_extension_needs_a_supervisor_a_reason_and_the_deadline_not_passed(db: Database) -> None:
    rid = _new(db)
    with pytest.raises(PermissionDenied, match="负责人"):  # the signed-in user approves: a clerk cannot
        cases.extend(db, rid, "clerk", reason="复杂", on_date=D(2026, 10, 20), today=TODAY)
    with pytest.raises(ValidationFailed, match="理由"):
        cases.extend(db, rid, "supervisor", reason=" ", on_date=D(2026, 10, 20), today=TODAY)
    with pytest.raises(TransitionError, match="已过"):
        cases.extend(db, rid, "supervisor", reason="复杂", on_date=D(2026, 11, 2), today=TODAY)
    r = cases.extend(db, rid, "supervisor", reason="复杂", on_date=D(2026, 10, 30), today=TODAY)
    # 30 Oct + 20 working days: 2-6 Nov (5), 9-13 (10), 16-20 (15), 23-27 (20).
    assert (r.status, r.due_date) == (Status.EXTENDED, D(2026, 11, 27))


def test_only_one_extension(db: Database) -> None:
    rid = _new(db)
    cases.extend(db, rid, "supervisor", reason="复杂", on_date=D(2026, 10, 9), today=TODAY)
    cases.start_pause(db, rid, "clerk", kind=PauseKind.THIRD_PARTY, counterpart="某公司", on_date=D(2026, 10, 12),
                      today=TODAY)
    r = cases.end_pause(db, rid, "clerk", answer="agreed", on_date=D(2026, 10, 19), today=TODAY)
    assert r.status == Status.EXTENDED  # back to where the pause began
    with pytest.raises(TransitionError):
        cases.extend(db, rid, "supervisor", reason="再延", on_date=D(2026, 10, 20), today=TODAY)


def test_pause_moves_the_due_date(db: Database) -> None:
    rid = _new(db)
    cases.start_pause(db, rid, "clerk", kind=PauseKind.THIRD_PARTY, counterpart="某公司", on_date=D(2026, 10, 12),
                      today=TODAY)
    r = cases.end_pause(db, rid, "clerk", answer="agreed", on_date=D(2026, 10, 16), today=TODAY)
    # (12 Oct, 16 Oct] holds 13, 14, 15, 16 = 4 working days: 30 Oct → 5 Nov.
    assert r.due_date == D(2026, 11, 5)


@pytest.mark.parametrize("code", ["7", "3.9", "", "6.1", "6.2"])
def test_reply_needs_an_official_outcome(db: Database, code: str) -> None:
    rid = _new(db)
    with pytest.raises(ValidationFailed):
        cases.reply(db, rid, "clerk", outcome_code=code, on_date=D(2026, 10, 20), today=TODAY)
    assert cases.get(db, rid).status == Status.REGISTERED


def test_repeat_application_needs_an_earlier_request(db: Database) -> None:
    first = _new(db, D(2026, 9, 1))
    second = _new(db, D(2026, 9, 28))
    with pytest.raises(ValidationFailed, match="此前的申请"):
        cases.reply(db, second, "clerk", outcome_code="5.2", on_date=D(2026, 10, 20), today=TODAY)
    with pytest.raises(ValidationFailed, match="晚于本申请"):
        cases.reply(db, first, "clerk", outcome_code="5.2", repeat_of_id=second, on_date=D(2026, 10, 20), today=TODAY)
    # Art. 36(6): only once the earlier request was answered …
    with pytest.raises(ValidationFailed, match="尚未作出答复"):
        cases.reply(db, second, "clerk", outcome_code="5.2", repeat_of_id=first, on_date=D(2026, 10, 20), today=TODAY)
    cases.reply(db, first, "clerk", outcome_code="1", on_date=D(2026, 9, 15), today=TODAY)
    # … and only for the same applicant.
    stranger = factories.register(db, D(2026, 9, 28), applicant_name="王五", id_number="E1234567",
                                  id_type="passport", today=TODAY)
    with pytest.raises(ValidationFailed, match="不是本申请人"):
        cases.reply(db, stranger, "clerk", outcome_code="5.2", repeat_of_id=first, on_date=D(2026, 10, 20),
                    today=TODAY)
    assert cases.get(db, stranger).status == Status.REGISTERED
    r = cases.reply(db, second, "clerk", outcome_code="5.2", repeat_of_id=first, on_date=D(2026, 10, 20), today=TODAY)
    assert (r.outcome_code, r.repeat_of_id) == ("5.2", first)


def test_a_repeat_registered_without_an_id_number_is_matched_by_name(db: Database) -> None:
    # Registered without identity (Art. 30, 31), the applicant can only be told by name.
    first = _new(db, D(2026, 9, 1))
    cases.reply(db, first, "clerk", outcome_code="1", on_date=D(2026, 9, 15), today=TODAY)
    again = factories.register(db, D(2026, 9, 28), id_number="", today=TODAY)
    other = factories.register(db, D(2026, 9, 28), applicant_name="王五", id_number="", today=TODAY)
    with pytest.raises(ValidationFailed, match="不是本申请人"):
        cases.reply(db, other, "clerk", outcome_code="5.2", repeat_of_id=first, on_date=D(2026, 10, 20), today=TODAY)
    r = cases.reply(db, again, "clerk", outcome_code="5.2", repeat_of_id=first, on_date=D(2026, 10, 20), today=TODAY)
    assert (r.outcome_code, r.repeat_of_id) == ("5.2", first)



def test_a_request_is_not_a_repeat_of_itself(db: Database) -> None:
    rid = _new(db)
    with pytest.raises(ValidationFailed, match="所注明的此前申请不存在"):
        cases.reply(db, rid, "clerk", outcome_code="5.2", repeat_of_id=rid, on_date=D(2026, 10, 20), today=TODAY)
    assert cases.get(db, rid).status == Status.REGISTERED


def test_a_case_is_not_assigned_to_a_unit_no_longer_in_use(db: Database) -> None:
    rid = _new(db)
    unit = units.add_unit(db, units.UnitData(name="市档案馆", level=UnitLevel.DEPARTMENT), actor="supervisor")
    units.update_unit(db, unit.id, units.UnitData(name="市档案馆", level=UnitLevel.DEPARTMENT, active=False),
                      actor="supervisor")
    with pytest.raises(ValidationFailed, match="不存在或已停用"):
        cases.assign(db, rid, "clerk", unit_id=unit.id, on_date=D(2026, 9, 29), today=TODAY)
    assert cases.get(db, rid).current_unit_id is None

def test_reply_records_whether_it_was_on_time(db: Database) -> None:
    on_time = cases.reply(db, _new(db), "clerk", outcome_code="1", on_date=D(2026, 10, 30), today=TODAY)
    late = cases.reply(db, _new(db), "clerk", outcome_code="1", on_date=D(2026, 11, 2), today=TODAY)
    assert (on_time.replied_on_time, late.replied_on_time) == (True, False)


def test_later_date_under_article_35_needs_a_reason(db: Database) -> None:
    rid = _new(db)
    with pytest.raises(ValidationFailed, match="理由"):
        cases.set_later_date(db, rid, "clerk", later=D(2027, 1, 29), reason="", on_date=D(2026, 10, 20), today=TODAY)
    r = cases.set_later_date(db, rid, "clerk", later=D(2027, 1, 29), reason="同一申请人一个月内提出120件申请",
                             on_date=D(2026, 10, 20), today=TODAY)
    assert (r.due_date, r.later_date_reason) == (D(2027, 1, 29), "同一申请人一个月内提出120件申请")


def test_fee_not_paid_in_time_is_deemed_withdrawn(db: Database) -> None:
    rid = _new(db)
    # 60 pages: 31–60 at 10 yuan = 300.
    r = cases.issue_fee_notice(db, rid, "clerk", method="per_page", quantity=60, amount_yuan=300,
                               on_date=D(2026, 10, 12), today=TODAY)
    assert r.status == Status.PAUSED
    # Posted Mon 12 Oct, signed for Wed 14 Oct. Payment is due 20 working days from the day after
    # receipt: 15, 16 (2) | 19-23 (7) | 26-30 (12) | 2-6 Nov (17) | 9, 10, 11 Nov (20) → 11 Nov.
    cases.record_fee_notice_received(db, rid, "clerk", on_date=D(2026, 10, 14), today=TODAY)
    # Counted from the notice date it would have ended on 9 Nov; 10 Nov is still within the period.
    with pytest.raises(TransitionError, match="2026-11-11"):
        cases.deem_withdrawn_no_payment(db, rid, "clerk", on_date=D(2026, 11, 10), today=TODAY)
    with pytest.raises(TransitionError, match="2026-11-11"):
        cases.deem_withdrawn_no_payment(db, rid, "clerk", on_date=D(2026, 11, 11), today=TODAY)
    r = cases.deem_withdrawn_no_payment(db, rid, "clerk", on_date=D(2026, 11, 12), today=TODAY)
    assert (r.status, r.outcome_code) == (Status.DEEMED_WITHDRAWN, "6.2")


def test_fee_payment_deadline_needs_the_date_the_notice_was_received(db: Database) -> None:
    rid = _new(db)
    cases.issue_fee_notice(db, rid, "clerk", method="per_page", quantity=60, on_date=D(2026, 10, 12), today=TODAY)
    assert cases.pending_fee(db, rid).payment_due is None  # type: ignore[union-attr]
    # Receipt unknown: 6.2 is refused however late, with the reason in words.
    with pytest.raises(TransitionError, match="尚未登记申请人收到收费通知的日期"):
        cases.deem_withdrawn_no_payment(db, rid, "clerk", on_date=D(2026, 12, 30), today=TODAY)
    with pytest.raises(ValidationFailed, match="不能早于通知日期"):
        cases.record_fee_notice_received(db, rid, "clerk", on_date=D(2026, 10, 9), today=TODAY)
    r = cases.record_fee_notice_received(db, rid, "clerk", on_date=D(2026, 10, 12), today=TODAY)
    assert r.status == Status.PAUSED
    # Received 12 Oct: 13-16 (4) | 19-23 (9) | 26-30 (14) | 2-6 Nov (19) | 9 Nov (20).
    assert cases.pending_fee(db, rid).payment_due == D(2026, 11, 9)  # type: ignore[union-attr]
    # A correction (signed for on Wed 14 Oct, not 12): → 11 Nov, and the audit keeps both.
    cases.record_fee_notice_received(db, rid, "clerk", on_date=D(2026, 10, 14), today=TODAY)
    assert cases.pending_fee(db, rid).payment_due == D(2026, 11, 11)  # type: ignore[union-attr]
    with db.read() as s:
        entry = s.exec(select(AuditEntry).where(AuditEntry.action == "record_fee_notice_received")
                       .order_by(col(AuditEntry.id).desc())).first()
    assert entry is not None and entry.new["previous_payment_due"] == "2026-11-09"

    # Handed over in person: the receipt is known when the notice is issued.
    other = _new(db)
    cases.issue_fee_notice(db, other, "clerk", method="per_page", quantity=60, received=D(2026, 10, 12),
                           on_date=D(2026, 10, 12), today=TODAY)
    assert cases.pending_fee(db, other).payment_due == D(2026, 11, 9)  # type: ignore[union-attr]
    with pytest.raises(TransitionError, match="2026-11-09"):
        cases.deem_withdrawn_no_payment(db, other, "clerk", on_date=D(2026, 11, 9), today=TODAY)


def test_fee_amount_comes_from_the_fee_rules(db: Database) -> None:
    rid = _new(db)
    # 150 pages: 31–100 at 10 (700) + 101–150 at 20 (1000) = 1700; a different amount is refused.
    with pytest.raises(ValidationFailed, match="1500 元与按收费标准计算的 1700 元不符"):
        cases.issue_fee_notice(db, rid, "clerk", method="per_page", quantity=150, amount_yuan=1500,
                               on_date=D(2026, 10, 12), today=TODAY)
    with pytest.raises(ValidationFailed, match="页数"):
        cases.issue_fee_notice(db, rid, "clerk", method="per_page", on_date=D(2026, 10, 12), today=TODAY)
    with pytest.raises(ValidationFailed, match="不应收费"):  # 30 pages are free
        cases.issue_fee_notice(db, rid, "clerk", method="per_page", quantity=30, on_date=D(2026, 10, 12),
                               today=TODAY)
    # Per application: the applicant's first application this month is free.
    with pytest.raises(ValidationFailed, match="不应收费"):
        cases.issue_fee_notice(db, rid, "clerk", method="per_application", on_date=D(2026, 10, 12), today=TODAY)
    assert cases.get(db, rid).status != Status.PAUSED  # nothing was stored
    r = cases.issue_fee_notice(db, rid, "clerk", method="per_page", quantity=150, on_date=D(2026, 10, 12),
                               today=TODAY)
    fee = cases.pending_fee(db, rid)
    assert r.status == Status.PAUSED and fee is not None
    assert (fee.method, fee.quantity, fee.amount_yuan) == ("per_page", 150, 1700)
def test_stale_version_is_refused(db: Database) -> None:
    rid = _new(db)
    seen = cases.get(db, rid)
    cases.assign(db, rid, "clerk", unit_id=_unit(db), on_date=D(2026, 9, 29), today=TODAY)
    with pytest.raises(StaleRecord, match="已被他人修改"):
        cases.reply(db, rid, "clerk", outcome_code="1", on_date=D(2026, 10, 20), today=TODAY,
                    expected_version=seen.version)


def test_future_dates_cannot_be_entered(db: Database) -> None:
    rid = _new(db)
    with pytest.raises(ValidationFailed, match="晚于今天"):
        cases.reply(db, rid, "clerk", outcome_code="1", on_date=D(2027, 1, 4), today=TODAY)


NOTICE_2027 = (Path(__file__).parent.parent / "data" / "notice-2027-sample.csv").read_text(encoding="utf-8")


def test_importing_a_calendar_year_recomputes_open_cases_and_audits_each_change(db: Database) -> None:
    open_case = _new(db, D(2026, 12, 15))
    done_case = _new(db, D(2026, 12, 14))
    cases.reply(db, done_case, "clerk", outcome_code="1", on_date=D(2026, 12, 20), today=TODAY)
    before = cases.get(db, open_case)
    # Provisional: Jan 1 off only → 16,17,18 | 21-25 | 28-31 (12) | 4-8 (17) | 11,12,13 → 13 Jan.
    assert (before.due_date, before.due_provisional) == (D(2027, 1, 13), True)
    result = cases.import_calendar(db, NOTICE_2027, "测试通知", "supervisor", today=TODAY)
    assert result == {"years": [2027], "due_dates_changed": 1}
    after = cases.get(db, open_case)
    # Official: Jan 1 (Fri) off, Sat 9 Jan works: 12 by 31 Dec | 4-8 (17) | 9 (18) | 11, 12 → 12 Jan.
    assert (after.due_date, after.due_provisional) == (D(2027, 1, 12), False)
    with db.read() as s:
        changes = s.exec(select(AuditEntry).where(AuditEntry.action == "recompute_due_date")).all()
    assert [(c.record_id, c.old, c.new) for c in changes] == [
        (open_case, {"due_date": "2027-01-13", "due_provisional": True},
         {"due_date": "2027-01-12", "due_provisional": False})
    ]


def test_article_35_cannot_shorten_the_legal_period(db: Database) -> None:
    rid = _new(db)  # legal due date Fri 30 Oct 2026
    with pytest.raises(ValidationFailed, match="只能延后"):
        cases.set_later_date(db, rid, "clerk", later=D(2026, 10, 30), reason="申请数量明显超过合理范围",
                             on_date=D(2026, 10, 20), today=TODAY)
    r = cases.set_later_date(db, rid, "clerk", later=D(2026, 11, 2), reason="申请数量明显超过合理范围",
                             on_date=D(2026, 10, 20), today=TODAY)
    assert r.due_date == D(2026, 11, 2)


# -- Each legal precondition reached through a path the state machine allows, so that the
# -- test fails when the rule's own check is removed (the status alone does not hide it).

LEDGER_HEADER = "收到日期,收到方式,申请人类型,申请人,证件号码,申请内容,承办单位,延期,暂停期间\n"


def _imported(db: Database, tmp_path: Path, row: str) -> int:
    """A case taken over from an old register (one CSV row), as the import stores it."""
    path = tmp_path / "ledger.csv"
    path.write_text(LEDGER_HEADER + row + "\n", encoding="utf-8")
    plan = importer.plan_import(db, path, today=TODAY)
    assert plan.ok, [str(i) for i in plan.issues]
    run(importer.import_plan(db, plan, "clerk", today=TODAY))
    with db.read() as s:
        rid = s.exec(select(Request.id)).one()
    assert rid is not None
    return rid


def test_only_one_extension_even_when_the_status_allows_another(db: Database, tmp_path: Path) -> None:
    # Taken over from a ledger: extended on 20 Oct, a consultation open since 22 Oct. Ending the
    # pause returns the case to 办理中, from which the state machine allows an extension.
    rid = _imported(db, tmp_path, "2026-09-28,当面提交,自然人,张三,11010519491231002X,某文件,市教育局,"
                                  "2026-10-20,2026-10-22至")
    assert cases.get(db, rid).status == Status.PAUSED
    r = cases.end_pause(db, rid, "clerk", answer="agreed", on_date=D(2026, 10, 23), today=TODAY)
    assert r.status == Status.IN_PROGRESS and r.due_date is not None
    assert cases.available(db, rid, TODAY, on_date=D(2026, 10, 26))[Action.EXTEND] == (
        f"申请 {r.reg_number} 已经延期过一次，不能再次延期。")
    with pytest.raises(TransitionError, match="已经延期过一次"):
        cases.extend(db, rid, "supervisor", reason="再延", on_date=D(2026, 10, 26), today=TODAY)
    assert cases.get(db, rid) == r


def test_extension_only_until_the_deadline_day_itself(db: Database) -> None:
    rid = _new(db)  # due Fri 30 Oct
    assert "已过" in (cases.available(db, rid, TODAY, on_date=D(2026, 11, 2))[Action.EXTEND] or "")
    assert cases.available(db, rid, TODAY, on_date=D(2026, 10, 30))[Action.EXTEND] is None
    r = cases.extend(db, rid, "supervisor", reason="复杂", on_date=D(2026, 10, 30), today=TODAY)
    assert r.status == Status.EXTENDED


def test_supplement_deadline_must_pass_before_deemed_withdrawn(db: Database) -> None:
    rid = _new(db)
    cases.request_supplement(db, rid, "clerk", what="请明确年份", on_date=D(2026, 9, 29), deadline=D(2026, 10, 20),
                             today=TODAY)
    assert "尚未届满" in (cases.available(db, rid, TODAY, on_date=D(2026, 10, 20))[Action.DEEM_WITHDRAWN_NO_SUPPLEMENT]
                          or "")
    with pytest.raises(TransitionError, match="补正期限 2026-10-20 尚未届满"):
        cases.deem_withdrawn_no_supplement(db, rid, "clerk", on_date=D(2026, 10, 20), today=TODAY)
    assert cases.get(db, rid).status == Status.AWAITING_SUPPLEMENT


def test_supplement_dates_follow_each_other(db: Database) -> None:
    rid = _new(db)
    with pytest.raises(ValidationFailed, match="补正期限必须晚于告知日期"):
        cases.request_supplement(db, rid, "clerk", what="请明确年份", on_date=D(2026, 10, 5),
                                 deadline=D(2026, 10, 5), today=TODAY)
    cases.request_supplement(db, rid, "clerk", what="请明确年份", on_date=D(2026, 10, 5), today=TODAY)
    with pytest.raises(ValidationFailed, match="不能早于补正告知日期"):
        cases.receive_supplement(db, rid, "clerk", on_date=D(2026, 10, 1), today=TODAY)
    assert cases.get(db, rid).status == Status.AWAITING_SUPPLEMENT


def test_no_step_before_the_request_was_received(db: Database) -> None:
    rid = _new(db)
    with pytest.raises(ValidationFailed, match="早于收到申请日期 2026-09-28"):
        cases.reply(db, rid, "clerk", outcome_code="1", on_date=D(2026, 9, 25), today=TODAY)
    with pytest.raises(ValidationFailed, match="早于收到申请日期"):
        cases.withdraw(db, rid, "clerk", on_date=D(2026, 9, 27), today=TODAY)
    assert cases.get(db, rid).status == Status.REGISTERED


def test_fee_receipt_cannot_be_entered_ahead(db: Database) -> None:
    rid = _new(db)
    with pytest.raises(ValidationFailed, match="晚于今天"):
        cases.issue_fee_notice(db, rid, "clerk", method="per_page", quantity=60, received=D(2027, 1, 4),
                               on_date=D(2026, 10, 12), today=TODAY)
    assert cases.pending_fee(db, rid) is None


def test_later_date_must_lie_after_the_decision_day(db: Database) -> None:
    rid = _new(db)  # legal due date 30 Oct; decided late, on 20 Nov
    with pytest.raises(ValidationFailed, match="必须晚于今天"):
        cases.set_later_date(db, rid, "clerk", later=D(2026, 11, 10), reason="申请数量明显超过合理范围",
                             on_date=D(2026, 11, 20), today=TODAY)
    assert cases.get(db, rid).later_date is None


def test_consultation_cannot_end_before_it_began_nor_end_a_fee_pause(db: Database) -> None:
    rid = _new(db)
    cases.start_pause(db, rid, "clerk", kind=PauseKind.OTHER_AGENCY, counterpart="市公安局", on_date=D(2026, 10, 12),
                      today=TODAY)
    with pytest.raises(ValidationFailed, match="不能早于暂停开始日期"):
        cases.end_pause(db, rid, "clerk", answer="agreed", on_date=D(2026, 10, 9), today=TODAY)
    other = _new(db)
    cases.issue_fee_notice(db, other, "clerk", method="per_page", quantity=60, on_date=D(2026, 10, 12), today=TODAY)
    assert "收费通知至缴费" in (cases.available(db, other, TODAY)[Action.END_PAUSE] or "")
    with pytest.raises(TransitionError, match="收费通知至缴费"):
        cases.end_pause(db, other, "clerk", answer="agreed", on_date=D(2026, 10, 20), today=TODAY)
    with pytest.raises(ValidationFailed, match="收费暂停请通过"):
        cases.start_pause(db, rid, "clerk", kind=PauseKind.FEE, counterpart="申请人", on_date=D(2026, 10, 12),
                          today=TODAY)


def test_assignment_rules(db: Database) -> None:
    rid = _new(db)
    unit = _unit(db)
    with pytest.raises(ValidationFailed, match="内部办理期限不能早于分办日期"):
        cases.assign(db, rid, "clerk", unit_id=unit, internal_due=D(2026, 9, 28), on_date=D(2026, 9, 29),
                     today=TODAY)
    cases.assign(db, rid, "clerk", unit_id=unit, on_date=D(2026, 9, 29), today=TODAY)
    with pytest.raises(TransitionError, match="已由“市教育局”承办"):
        cases.assign(db, rid, "clerk", unit_id=unit, on_date=D(2026, 9, 30), today=TODAY)


def test_payment_deadline_rule_is_the_reason_shown_for_the_step(db: Database) -> None:
    rid = _new(db)
    cases.issue_fee_notice(db, rid, "clerk", method="per_page", quantity=60, received=D(2026, 10, 14),
                           on_date=D(2026, 10, 12), today=TODAY)
    assert cases.available(db, rid, TODAY, on_date=D(2026, 11, 11))[Action.DEEM_WITHDRAWN_NO_PAYMENT] == (
        "缴费期限 2026-11-11 尚未届满，不能视为放弃申请。")
    assert cases.available(db, rid, TODAY, on_date=D(2026, 11, 12))[Action.DEEM_WITHDRAWN_NO_PAYMENT] is None


def test_delivery_not_before_the_reply(db: Database) -> None:
    rid = _new(db)
    cases.reply(db, rid, "clerk", outcome_code="1", on_date=D(2026, 10, 20), today=TODAY)
    with pytest.raises(ValidationFailed, match="送达日期不能早于答复日期 2026-10-20"):
        cases.deliver(db, rid, "clerk", channel="邮寄", on_date=D(2026, 10, 19), today=TODAY)
    assert cases.get(db, rid).status == Status.REPLIED


def test_fee_notice_only_inside_the_reply_period(db: Database) -> None:
    # Received Mon 28 Sep: reply due Fri 30 Oct; a fee notice after that is refused (docs/domain.md, "Fees").
    rid = _new(db)
    refusal = cases.available(db, rid, TODAY, on_date=D(2026, 11, 2))[Action.ISSUE_FEE_NOTICE]
    assert refusal == ("收费通知须在答复期限内发出：申请 2026-00001 的答复期限为 2026-10-30，"
                       "2026-11-02 已超过答复期限，不能再发出收费通知。")
    with pytest.raises(TransitionError) as refused:
        cases.issue_fee_notice(db, rid, "clerk", method="per_page", quantity=60, on_date=D(2026, 11, 2), today=TODAY)
    assert str(refused.value) == refusal
    assert cases.pending_fee(db, rid) is None and cases.get(db, rid).status == Status.REGISTERED
    # On the last day of the period it may still go out.
    assert cases.issue_fee_notice(db, rid, "clerk", method="per_page", quantity=60, on_date=D(2026, 10, 30),
                                  today=TODAY).status == Status.PAUSED
    # An extension moves the period, and with it the last day for a fee notice: due 27 Nov.
    extended = _new(db)
    cases.extend(db, extended, "supervisor", reason="需调取多个单位档案", on_date=D(2026, 10, 26),
                 today=TODAY)
    assert cases.available(db, extended, TODAY, on_date=D(2026, 11, 2))[Action.ISSUE_FEE_NOTICE] is None
    assert "2026-11-27" in str(cases.available(db, extended, TODAY, on_date=D(2026, 11, 30))[Action.ISSUE_FEE_NOTICE])


@pytest.mark.parametrize(("form", "way"), [
    ("其他", "网上"), ("当场阅读", ""), ("电子数据", "网上"), ("纸质", "当场查阅"),
])
def test_per_page_fee_only_for_paper_email_or_copied_data(db: Database, form: str, way: str) -> None:
    # 国办函〔2020〕109号 Art. 5: per page only where paper, e-mail or copied electronic data is asked for.
    for _ in range(11):  # the same applicant's 1st-11th applications this month; the 11th costs 100 yuan
        rid = factories.register(db, RECEIVED, today=TODAY, preferred_form=form, delivery_method=way)
    scope = "按量计收只适用于申请人要求以提供纸质件、发送电子邮件、复制电子数据等方式获取政府信息的情形"
    with pytest.raises(ValidationFailed, match=scope) as refused:
        cases.issue_fee_notice(db, rid, "clerk", method="per_page", quantity=60, on_date=D(2026, 10, 12), today=TODAY)
    assert "不能按量计收；如确需收费，只能按件计收" in str(refused.value)
    with pytest.raises(ValidationFailed, match="不能按量计收"):  # the fee dialog's live quote says the same
        cases.quote_fee(db, rid, "per_page", 60)
    assert cases.pending_fee(db, rid) is None
    assert "不能按量计收" in cases.step_form(db, rid, Action.ISSUE_FEE_NOTICE, TODAY).hint
    # Per application is unaffected.
    r = cases.issue_fee_notice(db, rid, "clerk", method="per_application", on_date=D(2026, 10, 12), today=TODAY)
    assert r.status == Status.PAUSED and cases.pending_fee(db, rid).amount_yuan == 100  # type: ignore[union-attr]


def test_per_page_fee_of_unknown_form_is_allowed_with_a_warning(db: Database) -> None:
    rid = factories.register(db, RECEIVED, today=TODAY, preferred_form="", delivery_method="")
    hint = cases.step_form(db, rid, Action.ISSUE_FEE_NOTICE, TODAY).hint
    assert "未登记提供形式、未登记获取方式，无法判断能否按量计收" in hint and "请核实" in hint
    cases.issue_fee_notice(db, rid, "clerk", method="per_page", quantity=60, on_date=D(2026, 10, 12), today=TODAY)
    with db.read() as s:
        entry = s.exec(select(AuditEntry).where(AuditEntry.action == "issue_fee_notice")).one()
    assert entry.new["provision_form"] == "unknown"
