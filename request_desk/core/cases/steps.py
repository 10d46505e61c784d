"""The workflow steps of a case, declared once (consultations in ``consultation_steps``, fees in ``fee_steps``).

Each ``Step`` names its fields, its legal preconditions beyond the status
(``rules``: the sentence that refuses, or None), a check of its fields alone
(``check``), and the change itself (``run``), which ``step_machinery.run_step``
executes inside one transaction. The rules cite ``docs/domain.md`` and the
articles of the Regulations (条例) they implement.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from request_desk.core.cases import letter_delivery
from request_desk.core.cases.lookup import load_request
from request_desk.core.cases.pauses import current_pause
from request_desk.core.cases.registration import missing_in
from request_desk.core.cases.step_machinery import CaseFacts, FieldKind, Step, StepField, StepRun
from request_desk.core.cases.validation import supplement_request
from request_desk.core.cases.workflow import Action
from request_desk.core.deadlines import holidays
from request_desk.core.deadlines.case_clock import clock_for
from request_desk.core.deadlines.clock import SUPPLEMENT_NOTICE_WORKDAYS
from request_desk.core.errors import TransitionError, ValidationFailed
from request_desk.core.office import permissions
from request_desk.core.office import settings as office_settings
from request_desk.core.publication import worklist
from request_desk.core.publication.similarity_index import applicant_key
from request_desk.core.storage.models import Assignment, Extension, HandlingUnit, Letter, Request, SearchRecord
from request_desk.core.vocab import (
    DELIVERY_METHODS,
    NOT_ANSWERED_OUTCOMES,
    OUTCOMES_BY_CODE,
    REPLY_OUTCOME_CODES,
    OutcomeCode,
    Status,
)

NOTE = StepField("note", FieldKind.TEXT, "说明")


# -- Supplement (条例第三十条; docs/domain.md, "Supplement") -------------------------------


def _supplement_once(case: CaseFacts, on_date: date) -> str | None:
    if case.supplement_notice_date is not None:
        return (f"申请 {case.reg_number} 已于 {case.supplement_notice_date} 发出过补正告知；"
                "条例第三十条规定只能一次性告知。")
    return None


def _request_supplement(st: StepRun, v: Mapping[str, Any]) -> None:
    r = st.request
    cal = holidays.calendar(st.session)
    conf = office_settings.load(st.session)
    due = cal.add_workdays(r.received_date, SUPPLEMENT_NOTICE_WORKDAYS)
    r.supplement_notice_date = st.on_date
    r.supplement_notice_late = st.on_date > due
    r.supplement_deadline = v.get("deadline") or cal.add_workdays(st.on_date, conf.supplement_period_workdays)
    if r.supplement_deadline <= st.on_date:
        raise ValidationFailed("补正期限必须晚于告知日期。")
    st.extra = {"late": r.supplement_notice_late, "deadline": r.supplement_deadline}


def _supplement_defaults(session: Session, case: CaseFacts) -> dict[str, Any]:
    period = office_settings.load(session).supplement_period_workdays
    defaults: dict[str, Any] = {"deadline": holidays.calendar(session).add_workdays(case.today, period)}
    # The notice lists everything missing at once (条例第三十条): what the record lacks is
    # proposed, for the clerk to edit (docs/domain.md, "Registration and identity").
    what = supplement_request(missing_in(load_request(session, case.request_id)))
    if what:
        defaults["what"] = what
    return defaults


def _supplement_hint(session: Session, case: CaseFacts) -> str:
    if case.supplement_due_date is None:
        return ""
    return f"条例第三十条：补正告知应在收到申请后7个工作日内（{case.supplement_due_date}前）一次性发出。"


REQUEST_SUPPLEMENT = Step(
    Action.REQUEST_SUPPLEMENT, "告知日期", _request_supplement,
    fields=(StepField("what", FieldKind.LONG_TEXT, "需要补正的事项", required=True,
                      placeholder="一次性写明需要补正的全部内容", missing="补正告知须写明需要补正的事项。"),
            StepField("deadline", FieldKind.DATE, "补正期限")),
    rules=_supplement_once, note_field="what", defaults=_supplement_defaults, hint=_supplement_hint,
)


def _receive_supplement(st: StepRun, v: Mapping[str, Any]) -> None:
    r = st.request
    if r.supplement_notice_date and st.on_date < r.supplement_notice_date:
        raise ValidationFailed("收到补正材料的日期不能早于补正告知日期。")
    r.supplemented_date = st.on_date


RECEIVE_SUPPLEMENT = Step(
    Action.RECEIVE_SUPPLEMENT, "收到补正日期", _receive_supplement, fields=(NOTE,), note_field="note",
    hint=lambda _s, _c: "收到补正材料后，答复期限自次日起重新计算20个工作日。",
)


def _supplement_deadline_passed(case: CaseFacts, on_date: date) -> str | None:
    if case.supplement_deadline is not None and on_date <= case.supplement_deadline:
        return f"补正期限 {case.supplement_deadline} 尚未届满，不能视为放弃申请。"
    return None


def _deem_withdrawn_no_supplement(st: StepRun, v: Mapping[str, Any]) -> None:
    st.request.outcome_code = OutcomeCode.DEEMED_WITHDRAWN_NO_SUPPLEMENT.value
    st.request.reply_date = st.on_date


DEEM_WITHDRAWN_NO_SUPPLEMENT = Step(
    Action.DEEM_WITHDRAWN_NO_SUPPLEMENT, "认定日期", _deem_withdrawn_no_supplement,
    rules=_supplement_deadline_passed,
    hint=lambda _s, c: (f"补正期限：{c.supplement_deadline or '—'}。期限届满后仍未补正的，"
                        "视为放弃申请（办理结果6.1）。"),
)


# -- Handling units -----------------------------------------------------------------------


def _unit(session: Session, value: Any) -> HandlingUnit | None:
    """A unit by id (the GUI's combo box) or by its exact name (the command line)."""
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        return session.get(HandlingUnit, int(value))
    return session.exec(select(HandlingUnit).where(HandlingUnit.name == str(value).strip())).first()


def _assign(st: StepRun, v: Mapping[str, Any]) -> None:
    unit = _unit(st.session, v["unit"])
    if unit is None or not unit.active:
        raise ValidationFailed("所选承办单位不存在或已停用。")
    r = st.request
    if r.current_unit_id == unit.id:
        raise TransitionError(f"申请已由“{unit.name}”承办。")
    internal_due: date | None = v.get("internal_due")
    if internal_due is not None and internal_due < st.on_date:
        raise ValidationFailed("承办单位的内部办理期限不能早于分办日期。")
    current = st.session.exec(
        select(Assignment).where(Assignment.request_id == r.id, col(Assignment.ended_date).is_(None))
    ).first()
    if current is not None:
        current.ended_date = st.on_date
        st.session.add(current)
    note = str(v.get("note") or "")
    assert unit.id is not None
    st.session.add(Assignment(request_id=st.facts.request_id, unit_id=unit.id, assigned_date=st.on_date,
                              internal_due_date=internal_due, assigned_by=st.actor, note=note))
    r.current_unit_id = unit.id
    if r.status in (Status.REGISTERED, Status.SUPPLEMENTED):
        r.status = Status.IN_PROGRESS
    st.extra = {"unit": unit.name, "internal_due": internal_due}


def _assign_defaults(session: Session, case: CaseFacts) -> dict[str, Any]:
    workdays = office_settings.load(session).unit_internal_workdays
    default = holidays.calendar(session).add_workdays(case.today, workdays)
    if case.due_date:
        default = min(default, case.due_date)
    return {"internal_due": max(default, case.today)}


ASSIGN = Step(
    Action.ASSIGN, "分办日期", _assign,
    fields=(StepField("unit", FieldKind.UNIT, "承办单位", required=True,
                      missing="请先在“承办单位”页面添加承办单位。"),
            StepField("internal_due", FieldKind.DATE, "内部办理期限", toggle="设定内部办理期限"),
            NOTE),
    note_field="note", defaults=_assign_defaults,
    hint=lambda _s, c: f"法定答复期限：{c.due_date}。内部期限宜留出审核、制作答复书的时间。" if c.due_date else "",
)


# -- Extension and a later date (条例第三十三条第二款、第三十五条) -------------------------


def _extension_rules(case: CaseFacts, on_date: date) -> str | None:
    # Once only: a case can reach an answerable status again with an extension on record
    # (a ledger import, a pause ended), so the status alone does not guard this.
    if case.extended:
        return f"申请 {case.reg_number} 已经延期过一次，不能再次延期。"
    if case.due_date is not None and on_date > case.due_date:
        return f"答复期限 {case.due_date} 已过，不能再延期（延期须在期限届满前批准并告知）。"
    return None


def _extend(st: StepRun, v: Mapping[str, Any]) -> None:
    # The approver is whoever signed in and records it: the step needs Permission.APPROVE_EXTENSION,
    # so a clerk cannot name a supervisor from a list (docs/SECURITY.md).
    st.session.add(Extension(request_id=st.facts.request_id, approver=st.actor, reason=str(v["reason"]).strip(),
                             approved_date=st.on_date))
    st.extra = {"approver": st.actor}


EXTEND = Step(
    Action.EXTEND, "批准日期", _extend,
    fields=(StepField("reason", FieldKind.LONG_TEXT, "延期理由", required=True, missing="延期答复须写明理由。"),),
    rules=_extension_rules, note_field="reason", permission=permissions.Permission.APPROVE_EXTENSION,
    hint=lambda _s, c: (f"条例第三十三条：经政府信息公开工作机构负责人同意，可延长不超过20个工作日，"
                        f"须在期限（{c.due_date or '—'}）届满前告知申请人。批准人为当前登录的负责人。"),
)


def _set_later_date(st: StepRun, v: Mapping[str, Any]) -> None:
    later: date = v["later"]
    if later <= st.on_date:
        raise ValidationFailed("另行确定的答复期限必须晚于今天。")
    legal = clock_for(st.session, st.request, st.today).counted_due
    if later <= legal:
        raise ValidationFailed(f"另行确定的答复期限应晚于法定答复期限 {legal}；第三十五条只能延后，不能缩短。")
    st.request.later_date = later
    st.request.later_date_reason = str(v["reason"]).strip()
    st.extra = {"later_date": later}


SET_LATER_DATE = Step(
    Action.SET_LATER_DATE, "决定日期", _set_later_date,
    fields=(StepField("later", FieldKind.DATE, "另行确定的答复期限", required=True),
            StepField("reason", FieldKind.LONG_TEXT, "理由", required=True,
                      missing="依条例第三十五条另行确定答复期限，须写明理由并告知申请人。")),
    note_field="reason",
    defaults=lambda _s, c: {"later": (c.due_date or c.today) + timedelta(days=30)},
    hint=lambda _s, _c: ("条例第三十五条：申请数量、频次明显超过合理范围，有正当理由但无法在规定期限内答复的，"
                         "可确定延迟答复的合理期限并告知申请人。"),
)


# -- Reply, delivery, withdrawal, archive ---------------------------------------------------


def _check_reply(v: Mapping[str, Any]) -> None:
    code = str(v["outcome"])
    if code not in REPLY_OUTCOME_CODES:
        if code in OUTCOMES_BY_CODE:
            raise ValidationFailed(f"办理结果 {code} 只能通过“视为放弃申请”登记。")
        raise ValidationFailed(f"“{code}”不是年度报告规定的办理结果代码。")
    if code == OutcomeCode.REPEAT_APPLICATION and v.get("repeat_of") in (None, ""):
        raise ValidationFailed("按重复申请（5.2）不予处理，须注明此前的申请。")


def _earlier_request(session: Session, value: Any) -> Request | None:
    """The earlier request of a repeat: by id, or by its registration number as the clerk types it."""
    if isinstance(value, int):
        return session.get(Request, value)
    number = str(value).strip()
    found = session.exec(select(Request).where(Request.reg_number == number)).first()
    if found is None:
        raise ValidationFailed(f"找不到登记编号为“{number}”的申请。")
    return found


def _same_applicant(a: Request, b: Request) -> bool:
    """By ID number or credit code when both requests have one, otherwise by name.

    A request may be registered without the applicant's identity (条例第三十条、第三十一条;
    docs/domain.md, "Registration and identity"): then only the name can tell.
    """
    key_a, key_b = (applicant_key(x.applicant_name, x.id_number, x.credit_code) for x in (a, b))
    if key_a.startswith("id:") and key_b.startswith("id:"):
        return key_a == key_b
    return applicant_key(a.applicant_name) == applicant_key(b.applicant_name)


def _check_repeat(earlier: Request, r: Request) -> None:
    """Art. 36(6): the *same applicant* asks again for information *already answered*.

    docs/domain.md, "Repeat requests".
    """
    if not _same_applicant(earlier, r):
        raise ValidationFailed(f"申请 {earlier.reg_number} 的申请人不是本申请人；条例第三十六条第（六）项的重复申请"
                               "是同一申请人再次申请已获答复的信息，不能据此不予重复处理。")
    if earlier.reply_date is None or earlier.outcome_code in NOT_ANSWERED_OUTCOMES:
        raise ValidationFailed(f"申请 {earlier.reg_number} 尚未作出答复（或未经答复即终止）；只有已答复的申请，"
                               "才能作为重复申请（条例第三十六条第（六）项）的依据。")


EXPLANATION_LETTER = "explanation"


def _check_reasons_asked(session: Session, r: Request, on: date) -> None:
    """Art. 35: 不予处理 for mass requests (5.4) only after the applicant was asked for reasons.

    The request for reasons is the 说明理由告知书 issued in this case, on or before the reply
    (docs/domain.md, "Outcomes").
    """
    asked = session.exec(select(Letter.id).where(Letter.request_id == r.id, Letter.kind == EXPLANATION_LETTER,
                                                 col(Letter.issued_date) <= on)).first()
    if asked is None:
        raise ValidationFailed("按“无正当理由大量反复申请”（5.4）不予处理前，须先向申请人发出《说明理由告知书》"
                               "要求说明理由（条例第三十五条）；本申请尚无该告知书。")


def _reply(st: StepRun, v: Mapping[str, Any]) -> None:
    r = st.request
    code = str(v["outcome"])
    if code == OutcomeCode.EXCESSIVE_REPEATED:
        _check_reasons_asked(st.session, r, st.on_date)
    if code == OutcomeCode.REPEAT_APPLICATION:
        earlier = _earlier_request(st.session, v["repeat_of"])
        if earlier is None or earlier.id == r.id:
            raise ValidationFailed("所注明的此前申请不存在。")
        if earlier.received_date > r.received_date:
            raise ValidationFailed(f"所注明的申请 {earlier.reg_number} 晚于本申请，不能作为重复申请的依据。")
        _check_repeat(earlier, r)
        r.repeat_of_id = earlier.id
    r.outcome_code = code
    r.reply_date = st.on_date
    r.reply_summary = str(v.get("summary") or "")
    r.replied_on_time = r.due_date is None or st.on_date <= r.due_date  # marks a reply; refresh_clock measures it
    st.extra = {"outcome": code}
    worklist.suggest_after_reply(st.session, r, st.actor)  # Art. 44: may propose the subject, same transaction


REPLY = Step(
    Action.REPLY, "答复日期", _reply,
    fields=(StepField("outcome", FieldKind.OUTCOME, "办理结果", required=True,
                      choices=tuple((c, OUTCOMES_BY_CODE[c].label) for c in REPLY_OUTCOME_CODES),
                      placeholder="请选择办理结果（按年度报告分类）", missing="请选择办理结果。"),
            StepField("repeat_of", FieldKind.REQUEST, "此前申请的登记编号", placeholder="重复申请（5.2）须注明",
                      shown_when=("outcome", OutcomeCode.REPEAT_APPLICATION.value)),
            StepField("summary", FieldKind.LONG_TEXT, "答复摘要")),
    check=_check_reply, note_field="summary",
)


def _deliver(st: StepRun, v: Mapping[str, Any]) -> None:
    r = st.request
    if r.reply_date and st.on_date < r.reply_date:
        raise ValidationFailed(f"送达日期不能早于答复日期 {r.reply_date}。")
    r.delivered_date = st.on_date
    r.delivery_channel = str(v["channel"]).strip()
    r.delivery_proof = str(v.get("proof") or v.get("tracking") or "")
    if v.get("letter") not in (None, ""):  # the delivery of that letter too (letter_delivery)
        letter = letter_delivery.resolve_letter(st.session, r.id or 0, v["letter"])
        served = letter_delivery.record_served(st.session, r, letter, channel=r.delivery_channel, on=st.on_date,
                                               tracking=str(v.get("tracking") or ""), actor=st.actor)
        st.extra = {"letter_id": letter.id, "delivery_id": served.id, "doc_number": letter.doc_number}


def _deliver_defaults(session: Session, c: CaseFacts) -> dict[str, Any]:
    values: dict[str, Any] = {"channel": c.delivery_method} if c.delivery_method in DELIVERY_METHODS else {}
    letter = letter_delivery.reply_letter(session, c.request_id)
    if letter is not None:
        values["letter"] = str(letter.id)
    return values


DELIVER = Step(
    Action.DELIVER, "送达日期", _deliver,
    fields=(StepField("channel", FieldKind.CHOICE, "送达方式", required=True,
                      choices=tuple((m, m) for m in DELIVERY_METHODS), missing="请选择送达方式。"),
            StepField("letter", FieldKind.LETTER, "送达的文书", placeholder="不涉及书面文书（如当场口头答复）"),
            StepField("tracking", FieldKind.TEXT, "邮件单号", placeholder="挂号信或快递单号",
                      shown_when=("channel", "邮寄")),
            StepField("proof", FieldKind.TEXT, "送达凭证", placeholder="如签收人、电子邮件发送记录")),
    note_field="proof",
    defaults=_deliver_defaults,
)


def _withdraw(st: StepRun, v: Mapping[str, Any]) -> None:
    if st.request.status == Status.PAUSED:
        current_pause(st).end_date = st.on_date
    st.request.outcome_code = OutcomeCode.OTHER.value  # counted as 6.3 (其他) in the annual report
    st.request.reply_date = st.on_date


WITHDRAW = Step(Action.WITHDRAW, "撤回日期", _withdraw, fields=(NOTE,), note_field="note",
                hint=lambda _s, _c: "申请人撤回申请的，在年度报告中计入“6.3 其他”。")


def _close(st: StepRun, v: Mapping[str, Any]) -> None:
    st.request.closed_date = st.on_date


CLOSE = Step(Action.CLOSE, "归档日期", _close, fields=(NOTE,), note_field="note")



# -- Search record (检索记录; docs/domain.md, "Search record") --------------------------------


def _record_search(st: StepRun, v: Mapping[str, Any]) -> None:
    st.session.add(SearchRecord(request_id=st.facts.request_id, searched_on=st.on_date,
                                where=str(v["where"]).strip(), keywords=str(v["keywords"]).strip(),
                                found=str(v["found"]).strip(), searched_by=st.actor))
    st.extra = {"where": str(v["where"]).strip(), "keywords": str(v["keywords"]).strip()}


RECORD_SEARCH = Step(
    Action.RECORD_SEARCH, "检索日期", _record_search,
    fields=(StepField("where", FieldKind.LONG_TEXT, "检索范围", required=True,
                      placeholder="检索了哪些系统、档案或单位，如：本机关公文管理系统、档案室",
                      missing="检索记录须写明检索了哪些系统、档案或单位。"),
            StepField("keywords", FieldKind.TEXT, "检索关键词", required=True, placeholder="多个关键词以顿号分隔",
                      missing="检索记录须写明检索关键词。"),
            StepField("found", FieldKind.LONG_TEXT, "检索结果", required=True, placeholder="如：未检索到相关信息",
                      missing="检索记录须写明检索结果。")),
    note_field="found",
    defaults=lambda _s, _c: {"found": "未检索到相关信息"},
    hint=lambda _s, _c: ("答复“经检索没有所申请公开的信息”（条例第三十六条第（四）项）须能证明已尽检索义务"
                         "（最高人民法院指导性案例101号）：逐次登记检索的系统、档案或单位，关键词和结果。"),
)

DECLARED = (REQUEST_SUPPLEMENT, RECEIVE_SUPPLEMENT, DEEM_WITHDRAWN_NO_SUPPLEMENT, ASSIGN, EXTEND, SET_LATER_DATE,
            REPLY, DELIVER, WITHDRAW, CLOSE, RECORD_SEARCH)
