"""Consultations (征求意见): the letter goes out, the consulted side receives it, it answers or lapses.

docs/domain.md, "Pauses". A third party (条例第三十二条) and a co-producing
agency (第三十四条) have 15 working days from *receiving* the letter; the clock
leaves out only that time (第三十三条第三款, ``deadlines.consultation``). The
consultation records who was asked, whether an agency consulted co-produced
the information (only then is its silence consent), when the letter was
received, and the answer: agreed, objected (with its reasons, which a third
party's objection needs to matter: 第三十二条 "有合理理由"), or no answer by the
deadline. The 3.4 reply and the letters to the consulted side are written
from this record (``letters.compose``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlmodel import Session

from request_desk.core.cases.pauses import CONSULTATIONS, close_pause, current_pause, kind_refusal, open_pause
from request_desk.core.cases.step_machinery import CaseFacts, FieldKind, Step, StepField, StepRun
from request_desk.core.cases.workflow import Action
from request_desk.core.deadlines import rules as clock_rules
from request_desk.core.deadlines.case_clock import consultation_deadline_of
from request_desk.core.deadlines.consultation import CONSULTATION_WORKDAYS
from request_desk.core.errors import ValidationFailed
from request_desk.core.vocab import ConsultationAnswer, PauseKind

NOTE = StepField("note", FieldKind.TEXT, "说明")


def _check_start(v: Mapping[str, Any]) -> None:
    kind = PauseKind(v["kind"])
    if kind is PauseKind.FEE:
        raise ValidationFailed("收费暂停请通过“发出收费通知”登记。")
    if v.get("co_producer") and kind is not PauseKind.OTHER_AGENCY:
        raise ValidationFailed("“共同制作”只适用于被征求意见的行政机关（条例第三十四条），第三方不适用。")


def _start(st: StepRun, v: Mapping[str, Any]) -> None:
    kind = PauseKind(v["kind"])
    pause = open_pause(st, kind, str(v["counterpart"]).strip(), str(v.get("note") or ""))
    # docs/domain.md, "Pauses": not a co-producer unless the clerk says so — deemed consent
    # (Art. 34) is the exception and needs the fact recorded.
    pause.co_producer = kind is PauseKind.OTHER_AGENCY and bool(v.get("co_producer"))
    if kind is PauseKind.OTHER_AGENCY:
        st.extra["co_producer"] = pause.co_producer


def _start_hint(session: Session, case: CaseFacts) -> str:
    transit = clock_rules.clock_rules(session).consultation_transit_workdays
    return ("条例第三十二条、第三十四条：被征求意见方应自收到征求意见书之日起15个工作日内提出意见；征求意见所需时间"
            "不计算在答复期限内（第三十三条第三款），但最长至该期限届满。收到日期未登记的，按发出后"
            f"{transit}个工作日推定。只有共同制作该信息的机关逾期未提出意见，才视为同意公开（第三十四条）。")


START_PAUSE = Step(
    Action.START_PAUSE, "发出征求意见日期", _start,
    fields=(StepField("kind", FieldKind.CHOICE, "征求意见对象", required=True,
                      choices=tuple((k.value, k.label) for k in (PauseKind.THIRD_PARTY, PauseKind.OTHER_AGENCY))),
            StepField("counterpart", FieldKind.TEXT, "第三方或机关名称", required=True,
                      missing="请填写被征求意见的第三方或机关名称。"),
            StepField("co_producer", FieldKind.BOOL, "该机关与本机关共同制作了该信息（条例第三十四条）",
                      shown_when=("kind", PauseKind.OTHER_AGENCY.value)),
            NOTE),
    check=_check_start, note_field="note",
    defaults=lambda _s, _c: {"kind": PauseKind.THIRD_PARTY.value, "co_producer": False},
    hint=_start_hint,
)


def _open_consultation(case: CaseFacts, on_date: date) -> str | None:
    return kind_refusal(case.open_pause, CONSULTATIONS, "没有进行中的征求意见")


def _record_received(st: StepRun, v: Mapping[str, Any]) -> None:
    pause = current_pause(st)
    if st.on_date < pause.start_date:
        raise ValidationFailed(f"被征求意见方收到征求意见书的日期不能早于发出日期 {pause.start_date}。")
    previous = pause.received_date
    pause.received_date = st.on_date
    st.session.add(pause)
    deadline = consultation_deadline_of(st.session, pause)
    assert deadline is not None  # the rule admits consultations only
    st.extra = {"received": st.on_date, "consultation_due": deadline.due}
    if previous is not None and previous != st.on_date:
        st.extra["previous_received"] = previous


def _received_hint(session: Session, case: CaseFacts) -> str:
    text = (f"条例第三十二条、第三十四条：被征求意见方应自收到征求意见书之日起{CONSULTATION_WORKDAYS}个工作日内"
            "提出意见。当面送达的填写签收日期，邮寄的填写妥投日期。")
    if case.consultation is not None:
        text += f"目前：{case.consultation.describe(case.today)}"
        if not case.consultation.presumed:
            text += "重新登记将更正。"
    return text


# Recording again corrects the date; the consultation's deadline follows it.
RECORD_CONSULTATION_RECEIVED = Step(
    Action.RECORD_CONSULTATION_RECEIVED, "被征求意见方收到日期", _record_received,
    rules=_open_consultation, hint=_received_hint,
)


def _check_end(v: Mapping[str, Any]) -> None:
    if str(v["answer"]) not in {a.value for a in ConsultationAnswer}:
        raise ValidationFailed(f"“{v['answer']}”不是可登记的意见：只能是同意公开、不同意公开或逾期未提出意见。")


def _end(st: StepRun, v: Mapping[str, Any]) -> None:
    answer = ConsultationAnswer(v["answer"])
    deadline = st.facts.consultation
    pause = current_pause(st)
    if answer is ConsultationAnswer.NO_ANSWER:
        if deadline is not None and st.on_date <= deadline.due:
            raise ValidationFailed(f"征求意见期限 {deadline.due} 尚未届满（{deadline.receipt_text()}），"
                                   "不能登记逾期未提出意见。")
    elif pause.received_date is not None and st.on_date < pause.received_date:
        raise ValidationFailed(f"收到意见的日期不能早于被征求意见方收到征求意见书的日期 {pause.received_date}。")
    close_pause(st)
    pause.answer = answer.value
    pause.objection = str(v.get("reasons") or "").strip() if answer is ConsultationAnswer.OBJECTED else ""
    st.extra = {"pause_kind": pause.kind, "paused_from": pause.start_date, "answer": answer.value}
    if deadline is not None:
        st.extra["consultation_due"] = deadline.due
        if answer is not ConsultationAnswer.NO_ANSWER and st.on_date > deadline.due:
            st.extra["late_answer"] = True  # the clock stopped only until the deadline
        if answer is ConsultationAnswer.NO_ANSWER:
            st.extra["deemed_consent"] = deadline.deemed_consent


def _end_hint(session: Session, case: CaseFacts) -> str:
    text = ("被征求意见方书面答复的，填写收到意见之日；征求意见期限届满仍未提出意见的，选择“逾期未提出意见”"
            "（期限届满后才能登记）。第三方不同意公开且有合理理由的，不予公开（条例第三十二条）。")
    if case.consultation is not None:
        text += case.consultation.describe(case.today)
        if case.consultation.lapsed(case.today):
            text += "期限届满后已恢复计算答复期限。"
    return text


END_PAUSE = Step(
    Action.END_PAUSE, "收到意见（或认定逾期）日期", _end,
    fields=(StepField("answer", FieldKind.CHOICE, "被征求意见方的意见", required=True,
                      choices=tuple((a.value, a.label) for a in ConsultationAnswer),
                      placeholder="请选择被征求意见方的意见",
                      missing="请登记被征求意见方的意见：同意公开、不同意公开，或逾期未提出意见。"),
            StepField("reasons", FieldKind.LONG_TEXT, "不同意公开的理由", required=True,
                      shown_when=("answer", ConsultationAnswer.OBJECTED.value),
                      placeholder="照录被征求意见方书面意见中的理由",
                      missing="不同意公开的，须登记其理由（条例第三十二条：第三方不同意公开且有合理理由的，才不予公开）。"),
            NOTE),
    check=_check_end, rules=_open_consultation, note_field="note", hint=_end_hint,
)

DECLARED = (START_PAUSE, RECORD_CONSULTATION_RECEIVED, END_PAUSE)
