"""The one shape of every workflow step, and the transaction that runs it.

A step is *declared* (``Step``): its action, the label of its date, its named
fields (``StepField``: name, kind, Chinese label, required, choices), the legal
preconditions beyond the status (``rules``), a check of its fields that needs
no database (``check``) and the change itself (``run``). The GUI builds its
dialog from the fields, the command line parses ``--set NAME=VALUE`` by them,
and both show ``why_not`` — the same Chinese sentence — when a step is not
available.

``run_step`` is the transaction: it checks the fields, the date, the version
the clerk saw, the state machine and the legal rules, runs the change, moves
the status, recomputes the legal clock and writes exactly one event and one
audit entry, all or nothing. It returns a plain ``RequestRecord``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from request_desk.core.cases.lookup import load_request
from request_desk.core.cases.records import FeeRecord, RequestRecord, fee_record, request_record
from request_desk.core.cases.workflow import TRANSITIONS, Action
from request_desk.core.cases.workflow import why_not as status_why_not
from request_desk.core.deadlines.case_clock import clock_for, consultation_deadline_of
from request_desk.core.deadlines.clock import ClockResult
from request_desk.core.deadlines.consultation import ConsultationDeadline
from request_desk.core.errors import FieldError, StaleRecord, TransitionError, ValidationFailed
from request_desk.core.office import permissions
from request_desk.core.office import settings as office_settings
from request_desk.core.office.permissions import Permission
from request_desk.core.storage import changes
from request_desk.core.storage.audit import audit, diff, event, snapshot
from request_desk.core.storage.audit_view import last_change
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Extension, Fee, Pause, Request
from request_desk.core.vocab import PauseKind, Status

# Where a step's event keeps what the step changed (storage/changes.py), for undoing it.
UNDO_KEY = "changes"


class FieldKind(StrEnum):
    """What a step field holds, which decides its widget and how its text is read."""

    DATE = "date"
    TEXT = "text"            # one line
    LONG_TEXT = "long_text"  # several lines (what to supplement, a reason, a summary)
    CHOICE = "choice"        # one of ``choices``
    INT = "int"
    BOOL = "bool"
    UNIT = "unit"            # a handling unit: its id (or, typed, its name)
    OUTCOME = "outcome"      # an official outcome code a reply may carry
    REQUEST = "request"      # another request: its registration number (or its id)
    LETTER = "letter"        # a letter issued in this case: its id (or, typed, its document number)


@dataclass(frozen=True)
class StepField:
    name: str
    kind: FieldKind
    label: str
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    placeholder: str = ""
    # Shown (and required, if ``required``) only while another field has this value,
    # e.g. the earlier request only for outcome 5.2.
    shown_when: tuple[str, str] | None = None
    # An optional date the clerk switches on with a check box of this label.
    toggle: str = ""
    missing: str = ""  # the sentence that refuses a missing required value, if not the generic one

    def applies(self, values: Mapping[str, Any]) -> bool:
        if self.shown_when is None:
            return True
        other, wanted = self.shown_when
        return str(values.get(other) or "") == wanted


@dataclass(frozen=True)
class CaseFacts:
    """What the rules of a step look at: the request's state, read once per step."""

    request_id: int
    reg_number: str
    status: Status
    received_date: date
    due_date: date | None
    supplement_notice_date: date | None
    supplement_deadline: date | None
    supplement_due_date: date | None  # Art. 30: the last day for a supplement notice
    reply_date: date | None
    current_unit_id: int | None
    preferred_form: str  # Art. 29: the form the applicant asked for (decides whether per-page fees apply)
    delivery_method: str
    extended: bool
    open_pause: PauseKind | None
    # The open consultation's own deadline (docs/domain.md, "Pauses"), None without one.
    consultation: ConsultationDeadline | None
    open_fee: FeeRecord | None
    fee_notices: int  # fee notices ever issued for this request (paid, pending or lapsed)
    fee_payment_workdays: int  # office setting: the payment period after the fee notice is received
    version: int
    today: date


def case_facts(session: Session, request: Request, today: date) -> CaseFacts:
    assert request.id is not None
    pause = session.exec(
        select(Pause).where(Pause.request_id == request.id, col(Pause.end_date).is_(None))
    ).first()
    fee = open_fee(session, request.id)
    extended = session.exec(select(Extension.id).where(Extension.request_id == request.id)).first() is not None
    return CaseFacts(
        request_id=request.id, reg_number=request.reg_number, status=Status(request.status),
        received_date=request.received_date, due_date=request.due_date,
        supplement_notice_date=request.supplement_notice_date, supplement_deadline=request.supplement_deadline,
        supplement_due_date=request.supplement_due_date,
        reply_date=request.reply_date, current_unit_id=request.current_unit_id,
        preferred_form=request.preferred_form, delivery_method=request.delivery_method, extended=extended,
        open_pause=PauseKind(pause.kind) if pause is not None else None,
        consultation=consultation_deadline_of(session, pause) if pause is not None else None,
        open_fee=fee_record(fee) if fee is not None else None,
        fee_notices=len(session.exec(select(Fee.id).where(Fee.request_id == request.id)).all()),
        fee_payment_workdays=office_settings.load(session).fee_payment_workdays, version=request.version, today=today,
    )


def open_fee(session: Session, request_id: int) -> Fee | None:
    """The request's newest unpaid fee notice."""
    return session.exec(
        select(Fee).where(Fee.request_id == request_id, col(Fee.paid_date).is_(None)).order_by(col(Fee.id).desc())
    ).first()


@dataclass
class StepRun:
    """One step under way, inside its transaction."""

    session: Session
    request: Request
    facts: CaseFacts
    action: Action
    actor: str
    on_date: date
    today: date
    # What the event and the audit entry record beyond the changed columns.
    extra: dict[str, Any] = field(default_factory=dict)


def _no_rules(case: CaseFacts, on_date: date) -> str | None:
    return None


def _no_check(values: Mapping[str, Any]) -> None:
    return None


@dataclass(frozen=True)
class Step:
    action: Action
    date_label: str
    run: Callable[[StepRun, Mapping[str, Any]], None]
    fields: tuple[StepField, ...] = ()
    # Legal preconditions beyond the status, as the Chinese sentence that refuses.
    rules: Callable[[CaseFacts, date], str | None] = _no_rules
    check: Callable[[Mapping[str, Any]], None] = _no_check
    note_field: str | None = None  # whose text is the timeline event's note
    # The values a form should start with (computed from the case and the office settings).
    defaults: Callable[[Session, CaseFacts], dict[str, Any]] | None = None
    # A sentence or two of law and advice shown above the form.
    hint: Callable[[Session, CaseFacts], str] | None = None
    # Who may do it (docs/SECURITY.md): the desk's roles, unless the law names the head of the office.
    permission: Permission = Permission.RUN_CASE

    @property
    def name(self) -> str:
        return self.action.value

    @property
    def label(self) -> str:
        return TRANSITIONS[self.action].label

    def field(self, name: str) -> StepField:
        for f in self.fields:
            if f.name == name:
                return f
        raise FieldError(f"“{self.label}”没有名为“{name}”的字段；可用字段：{self.field_names()}。")

    def field_names(self) -> str:
        return "、".join(f.name for f in self.fields) or "（无）"

    def why_not(self, case: CaseFacts, on_date: date | None = None) -> str | None:
        """Why this step cannot be done on ``case`` (on ``on_date``, default today), or None."""
        return status_why_not(self.action, case.status) or self.rules(case, on_date or case.today)

    def complete(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """``values`` checked against the declared fields: no unknown one, every required one present."""
        for name in values:
            self.field(name)
        out = dict(values)
        for f in self.fields:
            if f.required and f.applies(out) and _blank(out.get(f.name)):
                raise FieldError(f.missing or f"“{self.label}”须填写“{f.label}”（{f.name}）。")
        self.check(out)
        return out


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def refresh_clock(session: Session, request: Request, today: date) -> ClockResult:
    """Store the clock's results on the row, so lists can filter and sort on them in SQL."""
    clock = clock_for(session, request, today)
    request.supplement_due_date = clock.supplement_notice_due
    request.due_date = clock.reply_due
    request.due_provisional = clock.provisional
    measure_reply(request, clock)
    return clock


def measure_reply(request: Request, clock: ClockResult) -> None:
    """A reply's two measures, stored for the quality figures: on time or late, and the working days used.

    Only a reply carries them: the reply step marks it by setting
    ``replied_on_time``; a withdrawal or a deemed withdrawal never does. They
    follow every later change of the deadline or the period's start (a
    correction, an undo), and go when the reply is undone (docs/domain.md,
    "Quality figures").
    """
    if request.reply_date is None or request.replied_on_time is None:
        request.replied_on_time = request.workdays_used = None
        return
    request.replied_on_time = request.reply_date <= clock.reply_due
    request.workdays_used = clock.workdays_used(request.reply_date)


def check_version(session: Session, request: Request, expected_version: int | None) -> None:
    """Refuse a change made on a version of the request someone has changed since (optimistic lock)."""
    if expected_version is not None and request.version != expected_version:
        change = last_change(session, request.id or 0)  # who and when, from the audit log
        by = f"（{change.describe()}）" if change else ""
        raise StaleRecord(f"申请 {request.reg_number} 已被他人修改{by}，您的操作未保存。请重新载入后再试。")


def touch(session: Session, request: Request) -> None:
    """A changed request gets its next version and the time of the change, written now."""
    request.version += 1
    request.updated_at = datetime.now(UTC).replace(microsecond=0)
    session.add(request)
    session.flush()


def refusal(session: Session, step: Step, actor: str, granted: frozenset[Permission] | None = None) -> str | None:
    """Why ``actor`` may not do ``step`` at all (their role), as the step's button says it; None if they may.

    ``granted``: the actor's permissions when already read (``permissions.granted``), for many steps at once.
    """
    may = step.permission in granted if granted is not None else permissions.allowed(session, actor, step.permission)
    if may:
        return None
    who = permissions.roles_text(step.permission)
    if step.permission is Permission.RUN_CASE:
        return f"“{actor}”无权办理申请：只有在用的{who}账户可以。"
    return f"{step.label}须由{who}操作。"


def run_step(db: Database, step: Step, request_id: int, actor: str, values: Mapping[str, Any], *,
             on_date: date | None = None, today: date | None = None,
             expected_version: int | None = None) -> RequestRecord:
    """Do ``step`` on the request: all its checks, then change + clock + event + audit in one transaction."""
    today = today or date.today()
    on_date = on_date or today
    checked = step.complete(values)
    if on_date > today:
        raise ValidationFailed(f"{step.label}的日期 {on_date} 晚于今天，不能预先登记。")
    with db.write() as session:
        why = refusal(session, step, actor)
        if why is not None:
            raise permissions.PermissionDenied(why)
        request = load_request(session, request_id)
        check_version(session, request, expected_version)
        facts = case_facts(session, request, today)
        status_reason = status_why_not(step.action, facts.status)
        if status_reason is not None:
            raise TransitionError(status_reason)
        if on_date < request.received_date:
            raise ValidationFailed(f"日期 {on_date} 早于收到申请日期 {request.received_date}。")
        rule = step.rules(facts, on_date)
        if rule is not None:
            raise TransitionError(rule)
        before = snapshot(request)
        st = StepRun(session, request, facts, step.action, actor, on_date, today)
        with changes.capture(session) as changed:  # kept with the event, so a supervisor can undo it
            step.run(st, checked)
            target = TRANSITIONS[step.action].target
            if target is not None:
                request.status = target
            refresh_clock(session, request, today)
            touch(session, request)
        old, new = diff(before, snapshot(request))
        new.update(st.extra)
        note = str(checked.get(step.note_field) or "") if step.note_field else ""
        event(session, request_id, step.action.value, on_date, actor, note,
              {**st.extra, UNDO_KEY: changed.to_json()})
        audit(session, actor, step.action.value, "request", request_id, old, new)
        return request_record(request)
