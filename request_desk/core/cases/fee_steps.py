"""The fee sub-workflow: notice, the applicant's receipt, payment, or withdrawal for non-payment.

The amount comes from the fee rules (``fees``, 国办函〔2020〕109号); a notice goes
out once, inside the reply period, and per page only for paper, e-mail or copied
electronic data; the time from the notice to the payment is a pause (an office
setting decides whether it counts); the payment deadline runs from the day after
the applicant *receives* the notice (docs/domain.md, "Fees").
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlmodel import Session

from request_desk.core.cases import fees as fee_rules
from request_desk.core.cases.lookup import load_request
from request_desk.core.cases.pauses import close_pause, kind_refusal, open_pause
from request_desk.core.cases.records import FeeRecord, fee_record
from request_desk.core.cases.step_machinery import CaseFacts, FieldKind, Step, StepField, StepRun, open_fee
from request_desk.core.cases.workflow import Action
from request_desk.core.deadlines import holidays
from request_desk.core.errors import TransitionError, ValidationFailed
from request_desk.core.office import settings as office_settings
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Fee, Request
from request_desk.core.vocab import FEE_METHODS, OutcomeCode, PauseKind

FEE_ONLY = frozenset({PauseKind.FEE})


def fee_quote(session: Session, request: Request, method: str, quantity: int | None) -> fee_rules.Quote:
    """The fee the rules give for this request, progressive by band.

    Per application (按件) the unit is this application's place among the
    applicant's applications of its calendar month, counted by the system
    (``month_ordinal``); ``quantity`` may be omitted, and must agree if given.
    Per page (按量) ``quantity`` is the page count of this application, and only
    where the applicant asked for paper, e-mail or copied electronic data.
    """
    rules = fee_rules.load_rules(session)
    if method == fee_rules.PER_APPLICATION:
        ordinal = fee_rules.month_ordinal(session, request)
        if quantity is not None and quantity != ordinal:
            raise ValidationFailed(f"按件计收以同一申请人本自然月的申请件数计算：本申请为本月第{ordinal}件，"
                                   f"不是第{quantity}件。")
        return rules.quote(method, 1, already=ordinal - 1)
    if method == fee_rules.PER_PAGE:
        refusal = fee_rules.per_page_refusal(request.preferred_form, request.delivery_method)
        if refusal is not None:
            raise ValidationFailed(refusal)
        if quantity is None or quantity < 1:
            raise ValidationFailed("按量计收须填写本申请所需信息的页数（正整数）。")
        return rules.quote(method, quantity)
    rules.method(method)  # raises: unknown method, with the ones available
    raise AssertionError(method)  # pragma: no cover


def quote_fee(db: Database, request_id: int, method: str, quantity: int | None = None) -> fee_rules.Quote:
    """What ``issue_fee_notice`` would charge (the fee dialog shows it before the clerk confirms)."""
    with db.read() as session:
        return fee_quote(session, load_request(session, request_id), method, quantity)


def pending_fee(db: Database, request_id: int) -> FeeRecord | None:
    """The request's unpaid fee notice, if any (its ``payment_due`` is None until the receipt is recorded)."""
    with db.read() as session:
        fee = open_fee(session, request_id)
        return fee_record(fee) if fee is not None else None


def payment_due(session: Session, notice_date: date, received: date) -> date:
    """Payment within N (20) working days from the day after the applicant received the notice."""
    if received < notice_date:
        raise ValidationFailed(f"申请人收到收费通知的日期 {received} 不能早于通知日期 {notice_date}。")
    workdays = office_settings.load(session).fee_payment_workdays
    return holidays.calendar(session).add_workdays(received, workdays)


def payment_due_after(db: Database, received: date) -> date:
    """The last day to pay for a notice the applicant received on ``received`` (for forms)."""
    with db.read() as session:
        return payment_due(session, received, received)


def _check_fee_notice(v: Mapping[str, Any]) -> None:
    amount = v.get("amount_yuan")
    if amount is not None and amount <= 0:
        raise ValidationFailed("收费金额必须大于零；不收费的申请无需发出收费通知。")


def _issue_fee_notice(st: StepRun, v: Mapping[str, Any]) -> None:
    amount_yuan: int | None = v.get("amount_yuan")
    received: date | None = v.get("received")
    quote = fee_quote(st.session, st.request, str(v["method"]), v.get("quantity"))
    if quote.amount_yuan <= 0:
        raise ValidationFailed(f"按收费标准，本申请在免费范围内（{quote.describe()}），不应收费；"
                               "无需发出收费通知。")
    if amount_yuan is not None and amount_yuan != quote.amount_yuan:
        raise ValidationFailed(f"收费金额 {amount_yuan} 元与按收费标准计算的 {quote.amount_yuan} 元不符"
                               f"（{quote.describe()}）。")
    if received is not None and received > st.today:
        raise ValidationFailed(f"申请人收到收费通知的日期 {received} 晚于今天，不能预先登记。")
    due = payment_due(st.session, st.on_date, received) if received is not None else None
    st.session.add(Fee(request_id=st.facts.request_id, method=quote.method, quantity=quote.last,
                       amount_yuan=quote.amount_yuan, notice_date=st.on_date, payment_due=due))
    open_pause(st, PauseKind.FEE, "申请人", f"收费 {quote.amount_yuan} 元")
    st.extra.update({"method": quote.method, "quantity": quote.last, "amount_yuan": quote.amount_yuan,
                     "received": received, "payment_due": due})
    if quote.method == fee_rules.PER_PAGE:  # allowed, but the file keeps whether the form was known
        st.extra["provision_form"] = fee_rules.per_page_form(st.request.preferred_form,
                                                             st.request.delivery_method).value


def _not_charged_before(case: CaseFacts, on_date: date) -> str | None:
    # 国办函〔2020〕109号 Art. 3: one method per application, never charged twice (docs/domain.md, "Fees").
    if case.fee_notices:
        return (f"申请 {case.reg_number} 已发出过收费通知；同一申请只能按一种方式计收一次信息处理费，"
                "不能再次收费。")
    return None


def _inside_reply_period(case: CaseFacts, on_date: date) -> str | None:
    # The notice must go out inside the reply period (国办函〔2020〕109号; docs/domain.md, "Fees").
    if case.due_date is not None and on_date > case.due_date:
        return (f"收费通知须在答复期限内发出：申请 {case.reg_number} 的答复期限为 {case.due_date}，"
                f"{on_date} 已超过答复期限，不能再发出收费通知。")
    return None


def _fee_notice_rules(case: CaseFacts, on_date: date) -> str | None:
    return _not_charged_before(case, on_date) or _inside_reply_period(case, on_date)


def _fee_notice_hint(_session: Session, case: CaseFacts) -> str:
    due = f"收费通知须在答复期限（{case.due_date}）内发出；" if case.due_date is not None else ""
    return (f"《政府信息公开信息处理费管理办法》：{due}收费金额按收费标准自动计算；申请人应自收到收费通知次日起"
            f"{case.fee_payment_workdays}个工作日内缴费。"
            + fee_rules.per_page_note(case.preferred_form, case.delivery_method))


ISSUE_FEE_NOTICE = Step(
    Action.ISSUE_FEE_NOTICE, "收费通知日期", _issue_fee_notice, rules=_fee_notice_rules,
    fields=(StepField("method", FieldKind.CHOICE, "计收方式", required=True, choices=FEE_METHODS),
            StepField("quantity", FieldKind.INT, "页数（按量计收）", shown_when=("method", fee_rules.PER_PAGE)),
            StepField("amount_yuan", FieldKind.INT, "应缴金额（元，须与收费标准一致）"),
            StepField("received", FieldKind.DATE, "申请人收到通知日期",
                      toggle="申请人已收到通知（如当面送达并签收）")),
    check=_check_fee_notice,
    defaults=lambda _s, _c: {"method": fee_rules.PER_APPLICATION},
    hint=_fee_notice_hint,
)


def _fee_pending(case: CaseFacts, on_date: date) -> str | None:
    return kind_refusal(case.open_pause, FEE_ONLY, "没有待缴费的收费通知") or (
        None if case.open_fee is not None else "没有待缴费的收费通知。")


def _the_open_fee(st: StepRun) -> Fee:
    fee = open_fee(st.session, st.facts.request_id)
    if fee is None:  # the rules saw one a moment ago, in this transaction
        raise TransitionError("没有待缴费的收费通知。")
    return fee


def _record_fee_notice_received(st: StepRun, v: Mapping[str, Any]) -> None:
    fee = _the_open_fee(st)
    previous = fee.payment_due
    fee.payment_due = payment_due(st.session, fee.notice_date, st.on_date)
    st.session.add(fee)
    st.extra = {"received": st.on_date, "payment_due": fee.payment_due}
    if previous is not None and previous != fee.payment_due:
        st.extra["previous_payment_due"] = previous


def _received_hint(session: Session, case: CaseFacts) -> str:
    text = ("《政府信息公开信息处理费管理办法》：申请人应自收到收费通知次日起"
            f"{case.fee_payment_workdays}个工作日内缴费。"
            "当面送达的填写签收日期，邮寄送达的填写申请人签收（妥投）日期。")
    fee = case.open_fee
    if fee is not None:
        text += f"收费通知于 {fee.notice_date} 发出，金额 {fee.amount_yuan} 元。"
        if fee.payment_due is not None:
            text += f"已登记的缴费期限为 {fee.payment_due}，重新登记将更正。"
    return text


# The applicant received the notice (signed for, or delivered by post); recording again corrects the date.
RECORD_FEE_NOTICE_RECEIVED = Step(
    Action.RECORD_FEE_NOTICE_RECEIVED, "申请人收到通知日期", _record_fee_notice_received,
    rules=_fee_pending, hint=_received_hint,
)


def _payment_rules(case: CaseFacts, on_date: date) -> str | None:
    # An unpaid notice means the open pause is its fee pause: nothing else can be open beside it.
    return None if case.open_fee is not None else "没有待缴费的收费通知。"


def _record_payment(st: StepRun, v: Mapping[str, Any]) -> None:
    fee = _the_open_fee(st)
    close_pause(st)
    fee.paid_date = st.on_date
    st.session.add(fee)
    st.extra = {"amount_yuan": fee.amount_yuan}


RECORD_PAYMENT = Step(Action.RECORD_PAYMENT, "缴费日期", _record_payment, rules=_payment_rules)


def _payment_deadline_passed(case: CaseFacts, on_date: date) -> str | None:
    """Only once the payment deadline — from the day after the applicant received the notice — has passed."""
    refusal = _payment_rules(case, on_date)
    if refusal is not None or case.open_fee is None:
        return refusal
    if case.open_fee.payment_due is None:
        return (f"尚未登记申请人收到收费通知的日期：缴费期限自申请人收到收费通知次日起计算{case.fee_payment_workdays}"
                "个工作日，请先登记“申请人收到收费通知”的日期，期限届满仍未缴费的，才能视为放弃申请。")
    if on_date <= case.open_fee.payment_due:
        return f"缴费期限 {case.open_fee.payment_due} 尚未届满，不能视为放弃申请。"
    return None


def _deem_withdrawn_no_payment(st: StepRun, v: Mapping[str, Any]) -> None:
    close_pause(st)
    st.request.outcome_code = OutcomeCode.DEEMED_WITHDRAWN_NO_PAYMENT.value
    st.request.reply_date = st.on_date


def _no_payment_hint(session: Session, case: CaseFacts) -> str:
    fee, workdays = case.open_fee, case.fee_payment_workdays
    if fee is None:
        return "没有待缴费的收费通知。"
    if fee.payment_due is None:
        return (f"缴费期限：尚未确定。收费通知于 {fee.notice_date} 发出，但尚未登记申请人收到通知的日期；"
                f"缴费期限自收到通知次日起计算{workdays}个工作日。请先登记“申请人收到收费通知”，"
                "期限届满仍未缴费的，才能视为放弃申请（办理结果6.2）。")
    return (f"缴费期限：{fee.payment_due}（收到收费通知次日起{workdays}个工作日）。"
            "期限届满仍未缴费的，视为放弃申请（办理结果6.2）。")


DEEM_WITHDRAWN_NO_PAYMENT = Step(
    Action.DEEM_WITHDRAWN_NO_PAYMENT, "认定日期", _deem_withdrawn_no_payment,
    rules=_payment_deadline_passed, hint=_no_payment_hint,
)

DECLARED = (ISSUE_FEE_NOTICE, RECORD_FEE_NOTICE_RECEIVED, RECORD_PAYMENT, DEEM_WITHDRAWN_NO_PAYMENT)
