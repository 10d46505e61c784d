"""Correcting what was registered: any field of the application, with a reason, audited old → new.

A typo in a name, a wrong receipt date, a phone number supplied later: the
clerk corrects the field and says why. One transaction changes the row,
recomputes the legal clock when the receipt date changed (条例第三十一条: the
clock runs from the day of receipt), writes a 更正登记信息 event on the
timeline and one audit entry with the old and new values. Letters issued
before keep their text; the case file marks them as issued before the
correction (docs/domain.md, "Corrections").

The checks are the registration form's own (``validate_new``), applied to the
corrected record; only errors in the fields being corrected block it, so an
imported ledger row with an old gap elsewhere can still have its phone fixed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from request_desk.core.cases import undo
from request_desk.core.cases.lookup import load_request
from request_desk.core.cases.records import RequestRecord, request_record
from request_desk.core.cases.registration import NewRequest, normalised, validate_new
from request_desk.core.cases.step_machinery import check_version, refresh_clock, touch
from request_desk.core.cases.validation import FIELD_LABELS
from request_desk.core.cases.workflow import Action
from request_desk.core.errors import FieldError, ValidationFailed
from request_desk.core.masking import mask_free_text, mask_id_number, mask_phone
from request_desk.core.office.permissions import Permission, PermissionDenied, allowed, is_user, require
from request_desk.core.storage.audit import audit, event
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Event, Request
from request_desk.core.vocab import REGISTRATION_CHANNELS, ApplicantType, Channel

EVENT_KIND = "correct"

# Every field of the registration form, in its order, with the label the form shows.
CORRECTABLE: dict[str, str] = {
    "channel": "申请方式",
    "received_date": "收到申请日期",
    "applicant_type": "申请人类型",
    "applicant_name": FIELD_LABELS["name"],
    "id_type": "证件类型",
    **{k: v for k, v in FIELD_LABELS.items() if k not in ("name", "description", "purpose", "note")},
    "description": FIELD_LABELS["description"],
    "purpose": FIELD_LABELS["purpose"],
    "preferred_form": "提供形式",
    "delivery_method": "获取方式",
    "note": FIELD_LABELS["note"],
}
assert set(CORRECTABLE) == {f.name for f in fields(NewRequest)}, "every registration field is correctable"

# The form's checks report the applicant's name under this key.
_ISSUE_FIELD = {"name": "applicant_name"}


def parse_correction(name: str, text: str) -> Any:
    """A field's new value from what a script or the form gives (``--set FIELD=VALUE``)."""
    if name not in CORRECTABLE:
        raise FieldError(f"没有可更正的字段“{name}”；可更正：{'、'.join(CORRECTABLE)}。")
    text = text.strip()
    if name == "received_date":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise FieldError(f"“收到申请日期”须为 YYYY-MM-DD 格式的日期，不是“{text}”。") from None
    members: tuple[Any, ...] = {"channel": REGISTRATION_CHANNELS, "applicant_type": tuple(ApplicantType)}.get(name, ())
    if members:
        for m in members:
            if text in (m.value, m.label):
                return m
        raise FieldError(f"“{CORRECTABLE[name]}”只能是：{'、'.join(m.label for m in members)}；不是“{text}”。")
    return text


def _form_of(request: Request) -> NewRequest:
    values = {f.name: getattr(request, f.name) for f in fields(NewRequest)}
    values["channel"] = Channel(values["channel"])
    values["applicant_type"] = ApplicantType(values["applicant_type"])
    return NewRequest(**values)


def shown(name: str, value: Any) -> str:
    """A value as the timeline shows it: labels for codes, personal numbers masked."""
    if value in (None, ""):
        return "（空）"
    if name == "id_number":
        return mask_id_number(str(value))
    if name == "phone":
        return mask_phone(str(value))
    label = getattr(value, "label", None)
    if name in ("channel", "applicant_type") and label is None:
        label = (Channel(value) if name == "channel" else ApplicantType(value)).label
    return str(label or value)


def _steps_recorded(session: Session, request_id: int) -> list[Event]:
    """The case's steps after registration that still stand (not undone), oldest first."""
    undone = undo.undone_event_ids(session, request_id)
    return [e for e in session.exec(select(Event).where(
        Event.request_id == request_id, col(Event.kind).in_([a.value for a in Action]))
        .order_by(col(Event.on_date), col(Event.id))).all() if e.id not in undone]


# Steps whose legality was judged against the reply period of the receipt date: a new receipt
# date would leave them judged against the wrong period (an extension approved after the
# deadline, a supplement notice outside its 7 working days, a fee notice after the period).
_TIMED_BY_RECEIPT = frozenset({Action.REQUEST_SUPPLEMENT, Action.EXTEND, Action.SET_LATER_DATE,
                               Action.ISSUE_FEE_NOTICE})


def _check_receipt_date(session: Session, request: Request, new: date, actor: str) -> None:
    """A receipt date moves the legal clock: only before the steps it decides, by a supervisor once replied."""
    steps = _steps_recorded(session, request.id or 0)
    if steps and new > steps[0].on_date:
        raise ValidationFailed(f"收到申请日期不能晚于本案已登记的办理日期 {steps[0].on_date}；"
                               "如该办理日期有误，请先由负责人撤销该步骤。")
    timed = [e for e in steps if Action(e.kind) in _TIMED_BY_RECEIPT]
    if timed:
        raise ValidationFailed(f"本案已登记“{Action(timed[-1].kind).label}”（{timed[-1].on_date}），其是否合法取决于"
                               "原收到申请日期起算的期限；请先由负责人撤销该步骤，更正收到申请日期后再重新登记。")
    if request.reply_date is not None and not allowed(session, actor, Permission.CORRECT_RECEIPT_DATE_AFTER_REPLY):
        raise PermissionDenied("本案已答复，更正收到申请日期会改变是否按期答复，须由负责人或管理员更正。")


def correct(db: Database, request_id: int, changes: Mapping[str, Any], reason: str, actor: str, *,
            today: date | None = None, expected_version: int | None = None) -> RequestRecord:
    """Correct registered fields of a request; raises ``ValidationFailed`` with nothing written."""
    today = today or date.today()
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("请填写更正理由（如“登记时录入错误”“申请人补充了联系电话”）。")
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise FieldError(f"没有可更正的字段“{'、'.join(unknown)}”；可更正：{'、'.join(CORRECTABLE)}。")
    with db.write() as session:
        if not allowed(session, actor, Permission.CORRECT_RECORD):
            if is_user(session, actor):  # a unit's liaison: the table's sentence names who may
                require(session, actor, Permission.CORRECT_RECORD)
            raise PermissionDenied(f"“{actor}”不是在用的账户，不能更正登记信息。")
        request = load_request(session, request_id)
        check_version(session, request, expected_version)
        before = _form_of(request)
        after = replace(before, **dict(changes))
        changed = {name: (getattr(before, name), normalised(name, getattr(after, name))) for name in changes}
        changed = {name: (old, new) for name, (old, new) in changed.items() if old != new}
        if not changed:
            raise ValidationFailed("所填内容与登记信息相同，没有需要更正的内容。")
        errors = [i for i in validate_new(after, today) if i.severity == "error"
                  and _ISSUE_FIELD.get(i.field, i.field) in changed]
        if errors:
            raise ValidationFailed("；".join(i.message for i in errors), errors)
        if "received_date" in changed:
            _check_receipt_date(session, request, after.received_date, actor)
        for name, (_old, new) in changed.items():
            setattr(request, name, new)
        refresh_clock(session, request, today)  # a new receipt date may make the reply late or on time
        touch(session, request)
        listed = "；".join(f"{CORRECTABLE[n]}：{shown(n, old)} → {shown(n, new)}" for n, (old, new) in changed.items())
        # The timeline is read by everyone at the desk: numbers in the reason are masked there.
        event(session, request_id, EVENT_KIND, today, actor, f"{listed}。理由：{mask_free_text(reason)}",
              {"fields": sorted(changed), "reason": reason})
        audit(session, actor, EVENT_KIND, "request", request_id,
              {n: old for n, (old, _new) in changed.items()} | {"reason": None},
              {n: new for n, (_old, new) in changed.items()} | {"reason": reason})
        return request_record(request)
