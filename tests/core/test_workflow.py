"""The state machine, driven through the real services on a real SQLite file.

Every action is tried from every status: allowed ones must succeed and leave
exactly one audit entry and one timeline event; forbidden ones must raise a
TransitionError and change nothing.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from sqlmodel import func, select

from request_desk.core import cases
from request_desk.core.cases.workflow import TRANSITIONS, Action
from request_desk.core.errors import TransitionError
from request_desk.core.office import units
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry, Event, Request
from request_desk.core.vocab import OUTCOMES, OutcomeCode, PauseKind, Status, UnitLevel
from tests import factories
from tests.factories import YEAR_END as TODAY
from tests.factories import new_request

D = date


def _units(db: Database) -> tuple[int, int]:
    a = units.add_unit(db, units.UnitData("市住房和城乡建设局", UnitLevel.DEPARTMENT), actor="supervisor")
    b = units.add_unit(db, units.UnitData("市财政局", UnitLevel.DEPARTMENT), actor="supervisor")
    assert a.id and b.id
    return a.id, b.id


def drive(db: Database, variant: str, unit: int) -> int:
    """Put a fresh request (received Mon 2026-09-28) into the given state."""
    rid = factories.register(db, today=TODAY)
    assert rid is not None
    kw: dict[str, Any] = {"today": TODAY}
    if variant == "registered":
        return rid
    if variant in ("awaiting_supplement", "supplemented", "deemed_withdrawn"):
        cases.request_supplement(db, rid, "clerk", what="请说明所需信息的年份", on_date=D(2026, 9, 29), **kw)
        if variant == "supplemented":
            cases.receive_supplement(db, rid, "clerk", on_date=D(2026, 10, 9), **kw)
        if variant == "deemed_withdrawn":
            cases.deem_withdrawn_no_supplement(db, rid, "clerk", on_date=D(2026, 12, 1), **kw)
        return rid
    if variant == "withdrawn":
        cases.withdraw(db, rid, "clerk", on_date=D(2026, 9, 30), **kw)
        return rid
    cases.assign(db, rid, "clerk", unit_id=unit, on_date=D(2026, 9, 29), **kw)
    if variant == "paused_consult":
        cases.start_pause(db, rid, "clerk", kind=PauseKind.THIRD_PARTY, counterpart="某公司",
                          on_date=D(2026, 9, 30), **kw)
    elif variant == "paused_fee":
        # 50 pages: 31–50 at 10 yuan = 200. Received 9 Oct → payment due 5 Nov (20 working days:
        # Sat 10 Oct is a make-up day | 12-16 (6) | 19-23 (11) | 26-30 (16) | 2-5 Nov (20)).
        cases.issue_fee_notice(db, rid, "clerk", method="per_page", quantity=50, amount_yuan=200,
                               on_date=D(2026, 9, 30), **kw)
        cases.record_fee_notice_received(db, rid, "clerk", on_date=D(2026, 10, 9), **kw)
    elif variant == "extended":
        cases.extend(db, rid, "supervisor", reason="需协调多个单位", on_date=D(2026, 10, 9), **kw)
    elif variant in ("replied", "delivered", "closed"):
        cases.reply(db, rid, "clerk", outcome_code="1", on_date=D(2026, 10, 12), **kw)
        if variant in ("delivered", "closed"):
            cases.deliver(db, rid, "clerk", on_date=D(2026, 10, 13), channel="邮寄", **kw)
        if variant == "closed":
            cases.close(db, rid, "clerk", on_date=D(2026, 10, 14), **kw)
    return rid


VARIANT_STATUS = {
    "registered": Status.REGISTERED,
    "awaiting_supplement": Status.AWAITING_SUPPLEMENT,
    "supplemented": Status.SUPPLEMENTED,
    "in_progress": Status.IN_PROGRESS,
    "paused_consult": Status.PAUSED,
    "paused_fee": Status.PAUSED,
    "extended": Status.EXTENDED,
    "replied": Status.REPLIED,
    "delivered": Status.DELIVERED,
    "closed": Status.CLOSED,
    "withdrawn": Status.WITHDRAWN,
    "deemed_withdrawn": Status.DEEMED_WITHDRAWN,
}


def call(db: Database, action: Action, rid: int, other_unit: int) -> Request:
    kw: dict[str, Any] = {"today": TODAY}
    on = D(2026, 10, 20)
    match action:
        case Action.REQUEST_SUPPLEMENT:
            return cases.request_supplement(db, rid, "clerk", what="请补充", on_date=on, **kw)
        case Action.RECEIVE_SUPPLEMENT:
            return cases.receive_supplement(db, rid, "clerk", on_date=on, **kw)
        case Action.DEEM_WITHDRAWN_NO_SUPPLEMENT:
            return cases.deem_withdrawn_no_supplement(db, rid, "clerk", on_date=D(2026, 12, 30), **kw)
        case Action.ASSIGN:
            return cases.assign(db, rid, "clerk", unit_id=other_unit, on_date=on, **kw)
        case Action.START_PAUSE:
            return cases.start_pause(db, rid, "clerk", kind=PauseKind.OTHER_AGENCY, counterpart="市公安局",
                                     on_date=on, **kw)
        case Action.RECORD_CONSULTATION_RECEIVED:
            return cases.record_consultation_received(db, rid, "clerk", on_date=on, **kw)
        case Action.END_PAUSE:
            return cases.end_pause(db, rid, "clerk", answer="agreed", on_date=on, **kw)
        case Action.ISSUE_FEE_NOTICE:  # 40 pages: 31–40 at 10 yuan = 100
            return cases.issue_fee_notice(db, rid, "clerk", method="per_page", quantity=40,
                                          amount_yuan=100, on_date=on, **kw)
        case Action.RECORD_FEE_NOTICE_RECEIVED:
            return cases.record_fee_notice_received(db, rid, "clerk", on_date=on, **kw)
        case Action.RECORD_PAYMENT:
            return cases.record_payment(db, rid, "clerk", on_date=on, **kw)
        case Action.DEEM_WITHDRAWN_NO_PAYMENT:
            return cases.deem_withdrawn_no_payment(db, rid, "clerk", on_date=D(2026, 12, 30), **kw)
        case Action.EXTEND:
            return cases.extend(db, rid, "supervisor", reason="情况复杂", on_date=on, **kw)
        case Action.SET_LATER_DATE:
            return cases.set_later_date(db, rid, "clerk", later=D(2027, 3, 1), reason="申请数量明显超过合理范围",
                                        on_date=on, **kw)
        case Action.REPLY:
            return cases.reply(db, rid, "clerk", outcome_code="4.1", on_date=on, **kw)
        case Action.DELIVER:
            return cases.deliver(db, rid, "clerk", on_date=D(2026, 12, 31), channel="当面领取", **kw)
        case Action.WITHDRAW:
            return cases.withdraw(db, rid, "clerk", on_date=on, **kw)
        case Action.CLOSE:
            return cases.close(db, rid, "clerk", on_date=D(2026, 12, 31), **kw)
        case Action.RECORD_SEARCH:
            return cases.record_search(db, rid, "clerk", where="本机关公文管理系统", keywords="拆迁补偿",
                                       on_date=on, **kw)
    raise AssertionError(action)


# Where the pause kind, not the status, decides (fee pauses end by payment).
KIND_BOUND = {
    ("paused_consult", Action.RECORD_PAYMENT),
    ("paused_consult", Action.RECORD_FEE_NOTICE_RECEIVED),
    ("paused_consult", Action.DEEM_WITHDRAWN_NO_PAYMENT),
    ("paused_fee", Action.END_PAUSE),
    ("paused_fee", Action.RECORD_CONSULTATION_RECEIVED),
}

EXPECTED_TARGET = {
    Action.ASSIGN: None,  # checked separately: keeps or advances the status
    Action.END_PAUSE: Status.IN_PROGRESS,
    Action.RECORD_PAYMENT: Status.IN_PROGRESS,
    Action.RECORD_FEE_NOTICE_RECEIVED: Status.PAUSED,  # the payment period starts; still paused
    Action.RECORD_CONSULTATION_RECEIVED: Status.PAUSED,  # the consulted side's 15 days start; still paused
}

CASES = [
    (variant, action)
    for variant in VARIANT_STATUS
    for action in Action
]


def _counts(db: Database) -> tuple[int, int]:
    with db.read() as s:
        return s.exec(select(func.count()).select_from(AuditEntry)).one(), s.exec(
            select(func.count()).select_from(Event)
        ).one()


@pytest.mark.parametrize(("variant", "action"), CASES, ids=[f"{v}-{a.value}" for v, a in CASES])
def test_every_action_from_every_status(db: Database, variant: str, action: Action) -> None:
    unit_a, unit_b = _units(db)
    rid = drive(db, variant, unit_a)
    status = VARIANT_STATUS[variant]
    assert cases.get(db, rid).status == status
    before = cases.get(db, rid)
    audits, events = _counts(db)
    allowed = status in TRANSITIONS[action].sources and (variant, action) not in KIND_BOUND

    if not allowed:
        with pytest.raises(TransitionError) as refused:
            call(db, action, rid, unit_b)
        # The GUI's tooltip and `request-desk case actions` give the very sentence the step refuses with.
        assert str(refused.value) == cases.available(db, rid, TODAY, on_date=D(2026, 10, 20))[action]
        assert _counts(db) == (audits, events), "a refused step must leave no trace"
        assert cases.get(db, rid) == before, "a refused step must change nothing"
        return

    after = call(db, action, rid, unit_b)
    assert _counts(db) == (audits + 1, events + 1), "one audit entry and one event per step"
    target = TRANSITIONS[action].target or EXPECTED_TARGET.get(action)
    if target is not None:
        assert after.status == target
    assert after.version == before.version + 1
    with db.read() as s:
        entry = s.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()  # type: ignore[union-attr]
    assert entry is not None and entry.action == action.value and entry.record_id == rid


def test_every_action_is_a_declared_step_with_named_fields() -> None:
    assert set(cases.STEPS) == set(Action)
    for action, step in cases.STEPS.items():
        assert step.action is action and step.label == TRANSITIONS[action].label and step.date_label
        names = [f.name for f in step.fields]
        assert len(names) == len(set(names)) and "on_date" not in names
        for f in step.fields:
            assert f.label and f.kind in set(cases.FieldKind)
            if f.shown_when is not None:
                assert f.shown_when[0] in names


def test_outcome_constants_name_every_official_code() -> None:
    assert [c.value for c in OutcomeCode] == [o.code for o in OUTCOMES]
    assert OutcomeCode.DEEMED_WITHDRAWN_NO_SUPPLEMENT == "6.1" and OutcomeCode.REPEAT_APPLICATION == "5.2"


def test_steps_return_plain_records_and_accept_on_date(db: Database) -> None:
    rid = cases.register(db, new_request(), "clerk", today=TODAY).id
    r = cases.reply(db, rid, "clerk", outcome_code=OutcomeCode.NOT_HELD, on_date=D(2026, 10, 12), today=TODAY)
    assert isinstance(r, cases.RequestRecord) and (r.reply_date, r.outcome_code) == (D(2026, 10, 12), "4.1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.status = Status.CLOSED  # type: ignore[misc]
    with pytest.raises(TypeError, match="delivered"):  # one name for a step's date: on_date
        cases.deliver(db, rid, "clerk", channel="邮寄", delivered=D(2026, 10, 13), today=TODAY)  # type: ignore[call-arg]
    with pytest.raises(cases.FieldError, match="没有名为“colour”的字段"):
        cases.do_step(db, Action.DELIVER, rid, "clerk", {"channel": "邮寄", "colour": "red"}, today=TODAY)
    assert cases.get(db, rid) == r
