"""Registering a request and every step of its workflow.

One function per user action, one transaction each: the change, its timeline
event, exactly one audit entry and the recomputed legal clock are written
together or not at all. Functions return plain, detached records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, col, select

from request_desk.core.deadlines import holidays
from request_desk.core.cases import numbering
from request_desk.core.publication import worklist
from request_desk.core.office import settings as office_settings
from request_desk.core.storage.audit import audit, diff, event, snapshot
from request_desk.core.storage.audit_view import last_change
from request_desk.core.deadlines.case_clock import clock_for, clock_input
from request_desk.core.deadlines.clock import SUPPLEMENT_NOTICE_WORKDAYS, ClockInput, ClockResult, PausePeriod, compute_clock
from request_desk.core.storage.db import Database
from request_desk.core.errors import StaleRecord, TransitionError, ValidationFailed
from request_desk.core.cases import fees as fee_rules
from request_desk.core.storage.models import Assignment, Extension, Fee, HandlingUnit, Pause, Request, User
from request_desk.core.text import clean_text
from request_desk.core.cases.validation import Issue, errors_only, validate_applicant
from request_desk.core.vocab import (
    OUTCOMES_BY_CODE,
    REPLY_OUTCOME_CODES,
    ApplicantType,
    Channel,
    PauseKind,
    Role,
    Status,
)
from request_desk.core.cases.workflow import TRANSITIONS, Action, check
from request_desk.core.deadlines.workcalendar import WorkCalendar
from request_desk.core.cases.lookup import load_request


@dataclass
class NewRequest:
    """What the registration form collects (Art. 29)."""

    channel: Channel
    received_date: date
    applicant_type: ApplicantType
    applicant_name: str
    description: str
    id_type: str = "resident_id"
    id_number: str = ""
    credit_code: str = ""
    contact_person: str = ""
    phone: str = ""
    address: str = ""
    postal_code: str = ""
    email: str = ""
    purpose: str = ""
    preferred_form: str = ""
    delivery_method: str = ""
    note: str = ""


def _today() -> date:
    return date.today()


def _refresh_clock(session: Session, request: Request, today: date) -> ClockResult:
    clock = clock_for(session, request, today)
    request.supplement_due_date = clock.supplement_notice_due
    request.due_date = clock.reply_due
    request.due_provisional = clock.provisional
    return clock


# --------------------------------------------------------------------------
# Registration
# --------------------------------------------------------------------------


def validate_new(data: NewRequest, today: date | None = None) -> list[Issue]:
    """Every problem with a registration form, errors and warnings, in form order."""
    today = today or _today()
    # Checked as it will be stored: control characters removed (text.clean_text).
    values = {f.name: _normalised(f.name, getattr(data, f.name)) for f in fields(data)}
    values["name"] = values["applicant_name"]
    issues = validate_applicant(values, data.applicant_type, today=today)
    if data.received_date > today:
        issues.append(Issue("received_date", "error", "收到申请日期不能晚于今天。"))
    return issues


def register(db: Database, data: NewRequest, actor: str, today: date | None = None) -> Request:
    """Register a new request: validate, number it, start its legal clock."""
    today = today or _today()
    issues = validate_new(data, today)
    errors = errors_only(issues)
    if errors:
        raise ValidationFailed("；".join(i.message for i in errors), issues)
    with db.write() as session:
        conf = office_settings.load(session)
        year = data.received_date.year
        seq = numbering.next_number(session, numbering.REGISTRATION, year)
        request = Request(
            year=year,
            seq=seq,
            reg_number=conf.format_registration(year, seq),
            status=Status.REGISTERED,
            created_by=actor,
            **{f.name: _normalised(f.name, getattr(data, f.name)) for f in fields(data)},
        )
        session.add(request)
        session.flush()
        _refresh_clock(session, request, today)
        event(session, request.id, "registered", data.received_date, actor, data.channel.label,
              {"reg_number": request.reg_number})
        audit(session, actor, "register", "request", request.id, None, snapshot(request))
        return request


def _normalised(name: str, value: Any) -> Any:
    if isinstance(value, str):
        value = clean_text(value).strip()
        if name in {"id_number", "credit_code"}:
            value = value.replace(" ", "").upper()
    return value


def get(db: Database, request_id: int) -> Request:
    with db.read() as session:
        request = load_request(session, request_id)
        return request


# --------------------------------------------------------------------------
# Transitions
# --------------------------------------------------------------------------


@dataclass
class _Step:
    session: Session
    request: Request
    action: Action
    actor: str
    on_date: date
    today: date
    extra: dict[str, Any]


@contextmanager
def _step(db: Database, request_id: int, action: Action, actor: str, on_date: date | None,
          today: date | None, expected_version: int | None, note: str = "") -> Iterator[_Step]:
    """Check the state machine, run the change, then write clock, event and audit."""
    today = today or _today()
    on_date = on_date or today
    if on_date > today:
        raise ValidationFailed(f"{TRANSITIONS[action].label}的日期 {on_date} 晚于今天，不能预先登记。")
    with db.write() as session:
        request = load_request(session, request_id)
        if expected_version is not None and request.version != expected_version:
            change = last_change(session, request.id)  # who and when, from the audit log
            by = f"（{change.describe()}）" if change else ""
            raise StaleRecord(f"申请 {request.reg_number} 已被他人修改{by}，您的操作未保存。请重新载入后再试。")
        check(action, Status(request.status))
        if on_date < request.received_date:
            raise ValidationFailed(f"日期 {on_date} 早于收到申请日期 {request.received_date}。")
        before = snapshot(request)
        step = _Step(session, request, action, actor, on_date, today, {})
        yield step
        target = TRANSITIONS[action].target
        if target is not None:
            request.status = target
        _refresh_clock(session, request, today)
        request.version += 1
        request.updated_at = datetime.now(UTC).replace(microsecond=0)
        session.add(request)
        session.flush()
        old, new = diff(before, snapshot(request))
        new.update(step.extra)
        event(session, request.id, action.value, on_date, actor, note, step.extra or None)
        audit(session, actor, action.value, "request", request.id, old, new)


def request_supplement(db: Database, request_id: int, actor: str, *, what: str,
                       notice_date: date | None = None, deadline: date | None = None,
                       today: date | None = None, expected_version: int | None = None) -> Request:
    """Art. 30: tell the applicant once what to supplement and by when."""
    if not what.strip():
        raise ValidationFailed("补正告知须写明需要补正的事项。")
    with _step(db, request_id, Action.REQUEST_SUPPLEMENT, actor, notice_date, today, expected_version, what) as st:
        r = st.request
        if r.supplement_notice_date is not None:
            raise TransitionError(f"申请 {r.reg_number} 已于 {r.supplement_notice_date} 发出过补正告知；条例第三十条规定只能一次性告知。")
        cal = holidays.calendar(st.session)
        conf = office_settings.load(st.session)
        due = cal.add_workdays(r.received_date, SUPPLEMENT_NOTICE_WORKDAYS)
        r.supplement_notice_date = st.on_date
        r.supplement_notice_late = st.on_date > due
        r.supplement_deadline = deadline or cal.add_workdays(st.on_date, conf.supplement_period_workdays)
        if r.supplement_deadline <= st.on_date:
            raise ValidationFailed("补正期限必须晚于告知日期。")
        st.extra = {"late": r.supplement_notice_late, "deadline": r.supplement_deadline}
    return r


def receive_supplement(db: Database, request_id: int, actor: str, *, received: date | None = None,
                       note: str = "", today: date | None = None, expected_version: int | None = None) -> Request:
    """The supplement arrived: the 20 working days restart from this day."""
    with _step(db, request_id, Action.RECEIVE_SUPPLEMENT, actor, received, today, expected_version, note) as st:
        r = st.request
        if r.supplement_notice_date and st.on_date < r.supplement_notice_date:
            raise ValidationFailed("收到补正材料的日期不能早于补正告知日期。")
        r.supplemented_date = st.on_date
    return r


def deem_withdrawn_no_supplement(db: Database, request_id: int, actor: str, *, on_date: date | None = None,
                                 today: date | None = None, expected_version: int | None = None) -> Request:
    """Art. 30: not supplemented in time → deemed withdrawn (outcome 6.1)."""
    with _step(db, request_id, Action.DEEM_WITHDRAWN_NO_SUPPLEMENT, actor, on_date, today, expected_version) as st:
        r = st.request
        if r.supplement_deadline is not None and st.on_date <= r.supplement_deadline:
            raise TransitionError(f"补正期限 {r.supplement_deadline} 尚未届满，不能视为放弃申请。")
        r.outcome_code = "6.1"
        r.reply_date = st.on_date
    return r


def assign(db: Database, request_id: int, actor: str, *, unit_id: int, internal_due: date | None = None,
           on_date: date | None = None, note: str = "", today: date | None = None,
           expected_version: int | None = None) -> Request:
    """Route the case to a handling unit (or to another one)."""
    with _step(db, request_id, Action.ASSIGN, actor, on_date, today, expected_version, note) as st:
        unit = st.session.get(HandlingUnit, unit_id)
        if unit is None or not unit.active:
            raise ValidationFailed("所选承办单位不存在或已停用。")
        r = st.request
        if r.current_unit_id == unit_id:
            raise TransitionError(f"申请已由“{unit.name}”承办。")
        if internal_due is not None and internal_due < st.on_date:
            raise ValidationFailed("承办单位的内部办理期限不能早于分办日期。")
        current = st.session.exec(
            select(Assignment).where(Assignment.request_id == r.id, col(Assignment.ended_date).is_(None))
        ).first()
        if current is not None:
            current.ended_date = st.on_date
            st.session.add(current)
        st.session.add(Assignment(request_id=r.id, unit_id=unit_id, assigned_date=st.on_date,
                                  internal_due_date=internal_due, assigned_by=st.actor, note=note))
        r.current_unit_id = unit_id
        if r.status in (Status.REGISTERED, Status.SUPPLEMENTED):
            r.status = Status.IN_PROGRESS
        st.extra = {"unit": unit.name, "internal_due": internal_due}
    return r


def start_pause(db: Database, request_id: int, actor: str, *, kind: PauseKind, counterpart: str,
                on_date: date | None = None, note: str = "", today: date | None = None,
                expected_version: int | None = None) -> Request:
    """Art. 32/33: consultation of a third party or another agency stops the clock."""
    if kind is PauseKind.FEE:
        raise ValidationFailed("收费暂停请通过“发出收费通知”登记。")
    if not counterpart.strip():
        raise ValidationFailed("请填写被征求意见的第三方或机关名称。")
    with _step(db, request_id, Action.START_PAUSE, actor, on_date, today, expected_version, note) as st:
        _open_pause(st, kind, counterpart.strip(), note)
    return st.request


def _open_pause(st: _Step, kind: PauseKind, counterpart: str, note: str) -> Pause:
    pause = Pause(request_id=st.request.id, kind=kind, start_date=st.on_date,
                  previous_status=st.request.status, counterpart=counterpart, note=note)
    st.session.add(pause)
    st.extra = {"pause_kind": kind.value, "counterpart": counterpart}
    return pause


def _current_pause(st: _Step) -> Pause:
    pause = st.session.exec(
        select(Pause).where(Pause.request_id == st.request.id, col(Pause.end_date).is_(None))
    ).first()
    if pause is None:  # the status says paused, so this is a damaged record
        raise TransitionError("找不到正在进行的暂停记录。")
    return pause


def _close_pause(st: _Step, expected_kind: set[PauseKind]) -> Pause:
    pause = _current_pause(st)
    if PauseKind(pause.kind) not in expected_kind:
        raise TransitionError(f"当前暂停原因为“{PauseKind(pause.kind).label}”，不能执行此操作。")
    if st.on_date < pause.start_date:
        raise ValidationFailed(f"恢复日期不能早于暂停开始日期 {pause.start_date}。")
    pause.end_date = st.on_date
    st.session.add(pause)
    st.request.status = pause.previous_status
    return pause


def end_pause(db: Database, request_id: int, actor: str, *, on_date: date | None = None, note: str = "",
              today: date | None = None, expected_version: int | None = None) -> Request:
    """The consulted party answered, or its time limit ran out: the clock runs again."""
    with _step(db, request_id, Action.END_PAUSE, actor, on_date, today, expected_version, note) as st:
        pause = _close_pause(st, {PauseKind.THIRD_PARTY, PauseKind.OTHER_AGENCY})
        st.extra = {"pause_kind": pause.kind, "paused_from": pause.start_date}
    return st.request


def _fee_quote(session: Session, request: Request, method: str, quantity: int | None) -> fee_rules.Quote:
    """The fee the rules give for this request (国办函〔2020〕109号), progressive by band.

    Per application (按件) the unit is this application's place among the
    applicant's applications of its calendar month, counted by the system
    (``month_ordinal``); ``quantity`` may be omitted, and must agree if given.
    Per page (按量) ``quantity`` is the page count of this application.
    """
    rules = fee_rules.load_rules()
    if method == fee_rules.PER_APPLICATION:
        ordinal = fee_rules.month_ordinal(session, request)
        if quantity is not None and quantity != ordinal:
            raise ValidationFailed(f"按件计收以同一申请人本自然月的申请件数计算：本申请为本月第{ordinal}件，"
                                   f"不是第{quantity}件。")
        return rules.quote(method, 1, already=ordinal - 1)
    if method == fee_rules.PER_PAGE:
        if quantity is None or quantity < 1:
            raise ValidationFailed("按量计收须填写本申请所需信息的页数（正整数）。")
        return rules.quote(method, quantity)
    rules.method(method)  # raises: unknown method, with the ones available
    raise AssertionError(method)  # pragma: no cover


def quote_fee(db: Database, request_id: int, method: str, quantity: int | None = None) -> fee_rules.Quote:
    """What ``issue_fee_notice`` would charge (the fee dialog shows it before the clerk confirms)."""
    with db.read() as session:
        request = load_request(session, request_id)
        return _fee_quote(session, request, method, quantity)


def pending_fee(db: Database, request_id: int) -> Fee | None:
    """The request's unpaid fee notice, if any (its ``payment_due`` is None until the receipt is recorded)."""
    with db.read() as session:
        return session.exec(
            select(Fee).where(Fee.request_id == request_id, col(Fee.paid_date).is_(None))
            .order_by(col(Fee.id).desc())
        ).first()


def _payment_due(session: Session, notice_date: date, received: date) -> date:
    """Payment within N (20) working days from the day after the applicant received the notice."""
    if received < notice_date:
        raise ValidationFailed(f"申请人收到收费通知的日期 {received} 不能早于通知日期 {notice_date}。")
    workdays = office_settings.load(session).fee_payment_workdays
    return holidays.calendar(session).add_workdays(received, workdays)


def issue_fee_notice(db: Database, request_id: int, actor: str, *, method: str, quantity: int | None = None,
                     amount_yuan: int | None = None, received: date | None = None, on_date: date | None = None,
                     today: date | None = None, expected_version: int | None = None) -> Request:
    """Send a fee notice; the time until payment is a pause (a setting decides if it counts).

    The amount comes from the fee rules (``letters/fees``): per application
    from the applicant's count this month, per page from ``quantity`` pages.
    ``amount_yuan``, if given (the amount the clerk saw), must agree with it.
    The payment deadline runs from the day after the applicant *receives*
    the notice: pass ``received`` when it is known now (handed over in
    person), otherwise record it later with ``record_fee_notice_received``.
    """
    if amount_yuan is not None and amount_yuan <= 0:
        raise ValidationFailed("收费金额必须大于零；不收费的申请无需发出收费通知。")
    with _step(db, request_id, Action.ISSUE_FEE_NOTICE, actor, on_date, today, expected_version) as st:
        quote = _fee_quote(st.session, st.request, method, quantity)
        if quote.amount_yuan <= 0:
            raise ValidationFailed(f"按收费标准，本申请在免费范围内（{quote.describe()}），不应收费；"
                                   "无需发出收费通知。")
        if amount_yuan is not None and amount_yuan != quote.amount_yuan:
            raise ValidationFailed(f"收费金额 {amount_yuan} 元与按收费标准计算的 {quote.amount_yuan} 元不符"
                                   f"（{quote.describe()}）。")
        if received is not None and received > st.today:
            raise ValidationFailed(f"申请人收到收费通知的日期 {received} 晚于今天，不能预先登记。")
        due = _payment_due(st.session, st.on_date, received) if received is not None else None
        st.session.add(Fee(request_id=st.request.id, method=quote.method, quantity=quote.last,
                           amount_yuan=quote.amount_yuan, notice_date=st.on_date, payment_due=due))
        _open_pause(st, PauseKind.FEE, "申请人", f"收费 {quote.amount_yuan} 元")
        st.extra.update({"method": quote.method, "quantity": quote.last, "amount_yuan": quote.amount_yuan,
                         "received": received, "payment_due": due})
    return st.request


def _open_fee(st: _Step) -> Fee:
    fee = st.session.exec(
        select(Fee).where(Fee.request_id == st.request.id, col(Fee.paid_date).is_(None))
        .order_by(col(Fee.id).desc())
    ).first()
    if fee is None:
        raise TransitionError("没有待缴费的收费通知。")
    return fee


def record_fee_notice_received(db: Database, request_id: int, actor: str, *, received: date | None = None,
                               today: date | None = None, expected_version: int | None = None) -> Request:
    """The applicant received the fee notice on ``received`` (signed for, or delivered by post):
    the payment deadline is the 20th working day after it. Recording again corrects the date."""
    with _step(db, request_id, Action.RECORD_FEE_NOTICE_RECEIVED, actor, received, today, expected_version) as st:
        pause = _current_pause(st)
        if PauseKind(pause.kind) is not PauseKind.FEE:
            raise TransitionError(f"当前暂停原因为“{PauseKind(pause.kind).label}”，没有待缴费的收费通知。")
        fee = _open_fee(st)
        previous = fee.payment_due
        fee.payment_due = _payment_due(st.session, fee.notice_date, st.on_date)
        st.session.add(fee)
        st.extra = {"received": st.on_date, "payment_due": fee.payment_due}
        if previous is not None and previous != fee.payment_due:
            st.extra["previous_payment_due"] = previous
    return st.request


def record_payment(db: Database, request_id: int, actor: str, *, paid: date | None = None,
                   today: date | None = None, expected_version: int | None = None) -> Request:
    with _step(db, request_id, Action.RECORD_PAYMENT, actor, paid, today, expected_version) as st:
        fee = _open_fee(st)
        _close_pause(st, {PauseKind.FEE})
        fee.paid_date = st.on_date
        st.session.add(fee)
        st.extra = {"amount_yuan": fee.amount_yuan}
    return st.request


def deem_withdrawn_no_payment(db: Database, request_id: int, actor: str, *, on_date: date | None = None,
                              today: date | None = None, expected_version: int | None = None) -> Request:
    """Fee not paid in time → deemed withdrawn (outcome 6.2).

    Only once the payment deadline — counted from the day after the applicant
    received the notice — has passed; until the receipt is recorded it is refused.
    """
    with _step(db, request_id, Action.DEEM_WITHDRAWN_NO_PAYMENT, actor, on_date, today, expected_version) as st:
        fee = _open_fee(st)
        if fee.payment_due is None:
            workdays = office_settings.load(st.session).fee_payment_workdays
            raise TransitionError(
                f"尚未登记申请人收到收费通知的日期：缴费期限自申请人收到收费通知次日起计算{workdays}个工作日，"
                "请先登记“申请人收到收费通知”的日期，期限届满仍未缴费的，才能视为放弃申请。")
        if st.on_date <= fee.payment_due:
            raise TransitionError(f"缴费期限 {fee.payment_due} 尚未届满，不能视为放弃申请。")
        _close_pause(st, {PauseKind.FEE})
        st.request.outcome_code = "6.2"
        st.request.reply_date = st.on_date
    return st.request


def extend(db: Database, request_id: int, actor: str, *, approver: str, reason: str,
           approved: date | None = None, today: date | None = None,
           expected_version: int | None = None) -> Request:
    """Art. 33(2): one extension of at most 20 working days, approved before the deadline."""
    if not reason.strip():
        raise ValidationFailed("延期答复须写明理由。")
    with _step(db, request_id, Action.EXTEND, actor, approved, today, expected_version, reason) as st:
        r = st.request
        if st.session.exec(select(Extension).where(Extension.request_id == r.id)).first() is not None:
            raise TransitionError(f"申请 {r.reg_number} 已经延期过一次，不能再次延期。")
        user = st.session.exec(select(User).where(User.username == approver)).first()
        if user is None or not user.active or Role(user.role) not in (Role.SUPERVISOR, Role.ADMINISTRATOR):
            raise ValidationFailed(f"延期须经政府信息公开工作机构负责人同意：“{approver}”不是在用的负责人账户。")
        if r.due_date is not None and st.on_date > r.due_date:
            raise TransitionError(f"答复期限 {r.due_date} 已过，不能再延期（延期须在期限届满前批准并告知）。")
        st.session.add(Extension(request_id=r.id, approver=approver, reason=reason.strip(), approved_date=st.on_date))
        st.extra = {"approver": approver}
    return r


def set_later_date(db: Database, request_id: int, actor: str, *, later: date, reason: str,
                   on_date: date | None = None, today: date | None = None,
                   expected_version: int | None = None) -> Request:
    """Art. 35: a reasonable later reply date for a large number of applications."""
    if not reason.strip():
        raise ValidationFailed("依条例第三十五条另行确定答复期限，须写明理由并告知申请人。")
    with _step(db, request_id, Action.SET_LATER_DATE, actor, on_date, today, expected_version, reason) as st:
        if later <= st.on_date:
            raise ValidationFailed("另行确定的答复期限必须晚于今天。")
        legal = clock_for(st.session, st.request, st.today).counted_due
        if later <= legal:
            raise ValidationFailed(f"另行确定的答复期限应晚于法定答复期限 {legal}；第三十五条只能延后，不能缩短。")
        st.request.later_date = later
        st.request.later_date_reason = reason.strip()
        st.extra = {"later_date": later}
    return st.request


def reply(db: Database, request_id: int, actor: str, *, outcome_code: str, replied: date | None = None,
          summary: str = "", repeat_of_id: int | None = None, today: date | None = None,
          expected_version: int | None = None) -> Request:
    """Answer the request with exactly one official outcome code."""
    if outcome_code not in REPLY_OUTCOME_CODES:
        if outcome_code in OUTCOMES_BY_CODE:
            raise ValidationFailed(f"办理结果 {outcome_code} 只能通过“视为放弃申请”登记。")
        raise ValidationFailed(f"“{outcome_code}”不是年度报告规定的办理结果代码。")
    if outcome_code == "5.2" and repeat_of_id is None:
        raise ValidationFailed("按重复申请（5.2）不予处理，须注明此前的申请。")
    with _step(db, request_id, Action.REPLY, actor, replied, today, expected_version, summary) as st:
        r = st.request
        if outcome_code == "5.2":
            earlier = st.session.get(Request, repeat_of_id)
            if earlier is None or earlier.id == r.id:
                raise ValidationFailed("所注明的此前申请不存在。")
            if earlier.received_date > r.received_date:
                raise ValidationFailed(f"所注明的申请 {earlier.reg_number} 晚于本申请，不能作为重复申请的依据。")
            r.repeat_of_id = earlier.id
        r.outcome_code = outcome_code
        r.reply_date = st.on_date
        r.reply_summary = summary
        r.replied_on_time = r.due_date is None or st.on_date <= r.due_date
        st.extra = {"outcome": outcome_code}
        worklist.suggest_after_reply(st.session, r, actor)  # issue 6 / Art. 44: may propose the subject, same transaction
    return r


def deliver(db: Database, request_id: int, actor: str, *, delivered: date | None = None, channel: str,
            proof: str = "", today: date | None = None, expected_version: int | None = None) -> Request:
    with _step(db, request_id, Action.DELIVER, actor, delivered, today, expected_version, proof) as st:
        r = st.request
        if r.reply_date and st.on_date < r.reply_date:
            raise ValidationFailed(f"送达日期不能早于答复日期 {r.reply_date}。")
        if not channel.strip():
            raise ValidationFailed("请选择送达方式。")
        r.delivered_date = st.on_date
        r.delivery_channel = channel.strip()
        r.delivery_proof = proof
    return r


def withdraw(db: Database, request_id: int, actor: str, *, on_date: date | None = None, note: str = "",
             today: date | None = None, expected_version: int | None = None) -> Request:
    """The applicant withdraws; counted as 6.3 (其他) in the annual report."""
    with _step(db, request_id, Action.WITHDRAW, actor, on_date, today, expected_version, note) as st:
        r = st.request
        if r.status == Status.PAUSED:
            _current_pause(st).end_date = st.on_date
        r.outcome_code = "6.3"
        r.reply_date = st.on_date
    return r


def close(db: Database, request_id: int, actor: str, *, on_date: date | None = None, note: str = "",
          today: date | None = None, expected_version: int | None = None) -> Request:
    with _step(db, request_id, Action.CLOSE, actor, on_date, today, expected_version, note) as st:
        st.request.closed_date = st.on_date
    return st.request


ACTIONS: dict[Action, Callable[..., Request]] = {
    Action.REQUEST_SUPPLEMENT: request_supplement,
    Action.RECEIVE_SUPPLEMENT: receive_supplement,
    Action.DEEM_WITHDRAWN_NO_SUPPLEMENT: deem_withdrawn_no_supplement,
    Action.ASSIGN: assign,
    Action.START_PAUSE: start_pause,
    Action.END_PAUSE: end_pause,
    Action.ISSUE_FEE_NOTICE: issue_fee_notice,
    Action.RECORD_FEE_NOTICE_RECEIVED: record_fee_notice_received,
    Action.RECORD_PAYMENT: record_payment,
    Action.DEEM_WITHDRAWN_NO_PAYMENT: deem_withdrawn_no_payment,
    Action.EXTEND: extend,
    Action.SET_LATER_DATE: set_later_date,
    Action.REPLY: reply,
    Action.DELIVER: deliver,
    Action.WITHDRAW: withdraw,
    Action.CLOSE: close,
}


# --------------------------------------------------------------------------
# Calendar changes ripple into open cases
# --------------------------------------------------------------------------


def import_calendar(db: Database, text: str, source: str, actor: str, today: date | None = None) -> dict[str, Any]:
    """Store an administrator's holiday notice and recompute every open case's due date."""
    today = today or _today()
    with db.write() as session:
        years = holidays.import_notice(session, text, source, actor)
        changed = recompute_open_due_dates(session, actor, today)
    return {"years": years, "due_dates_changed": changed}


RECOMPUTE_BATCH = 500


def recompute_open_due_dates(session: Session, actor: str, today: date) -> int:
    """Recompute clocks of open cases in batches; audit each changed due date.

    The settings and the calendar are read once, and each batch of ``RECOMPUTE_BATCH`` cases
    reads its pauses and extensions in one query each (not three queries per
    case): the same inputs ``clock_for`` reads, so the same clocks.
    """
    cal = holidays.calendar(session)
    conf = office_settings.load(session)
    open_codes = [s.value for s in Status if s.is_open]
    changed = 0
    last_id = 0
    while True:
        batch = session.exec(
            select(Request).where(col(Request.status).in_(open_codes), col(Request.id) > last_id)
            .order_by(col(Request.id)).limit(RECOMPUTE_BATCH)
        ).all()
        if not batch:
            return changed
        ids = [r.id for r in batch]
        pauses: dict[int, list[PausePeriod]] = {}
        for request_id, start, end, kind in session.exec(
            select(Pause.request_id, Pause.start_date, Pause.end_date, Pause.kind)
            .where(col(Pause.request_id).in_(ids))
            .order_by(col(Pause.request_id), col(Pause.start_date), col(Pause.id))
        ).all():
            pauses.setdefault(request_id, []).append(PausePeriod(start, end, kind))
        extended = set(session.exec(
            select(Extension.request_id).where(col(Extension.request_id).in_(ids)).distinct()).all())
        for r in batch:
            before = (r.due_date, r.due_provisional, r.supplement_due_date)
            clock = compute_clock(
                cal,
                ClockInput(received=r.received_date, supplemented=r.supplemented_date,
                           pauses=tuple(pauses.get(r.id or 0, ())), extended=r.id in extended,
                           later_date=r.later_date),
                today=today, amber_days=conf.amber_days, exclude_fee_pauses=conf.exclude_fee_pauses,
            )
            after = (clock.reply_due, clock.provisional, clock.supplement_notice_due)
            if after != before:
                r.due_date, r.due_provisional, r.supplement_due_date = after
                session.add(r)
                audit(session, actor, "recompute_due_date", "request", r.id,
                      {"due_date": _iso(before[0]), "due_provisional": before[1]},
                      {"due_date": _iso(after[0]), "due_provisional": after[1]})
                changed += 1
        last_id = batch[-1].id or 0


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
