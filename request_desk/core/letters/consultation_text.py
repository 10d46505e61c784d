"""What the letters say about a consultation, taken from the case record (docs/domain.md, "Letters").

* The 3.4 reply states what actually happened with the third party
  (``${third_party_view}``): it objected, with the reasons recorded, and the
  office found them reasonable (条例第三十二条: 不同意公开且有合理理由); or it let
  its 15 working days pass and the office decided itself; or it was never
  consulted, and the letter says so instead of claiming a consultation. An
  answer the record lacks, or a third party that agreed (条例第十五条: then the
  information is disclosed), leaves a visible blank and a warning.
* The letter to an agency (``${agency_consultation}``) follows the
  consultation's co-producer flag: only a co-producing agency (第十条第三款、
  第三十四条) is told that silence means consent; any other agency (第十一条)
  is told the office will decide itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from request_desk.core.deadlines.case_clock import consultation_deadline_of
from request_desk.core.deadlines.consultation import ConsultationDeadline
from request_desk.core.storage.models import Pause
from request_desk.core.vocab import ConsultationAnswer, PauseKind

from . import templates
from .blanks import cn_date, marker
from .kinds import LetterKind

__all__ = ["ConsultationFragments", "consultation_context", "render_consultation_fragments"]

_OWN_KINDS: dict[str, frozenset[PauseKind]] = {
    "consult_agency": frozenset({PauseKind.OTHER_AGENCY}),
    "consult_third_party": frozenset({PauseKind.THIRD_PARTY}),
    "disclosure_notice": frozenset({PauseKind.THIRD_PARTY}),
    "reply_3.4": frozenset({PauseKind.THIRD_PARTY}),  # an agency consulted is no third party
}
_ANY = frozenset({PauseKind.THIRD_PARTY, PauseKind.OTHER_AGENCY})


@dataclass(frozen=True)
class ConsultationFragments:
    """The fragments to render once the context is complete (None: the context holds a blank)."""

    third_party: str | None
    agency: str


def latest_pause(session: Session, request_id: int, kinds: frozenset[PauseKind]) -> Pause | None:
    return session.exec(
        select(Pause).where(Pause.request_id == request_id, col(Pause.kind).in_([k.value for k in kinds]))
        .order_by(col(Pause.start_date).desc(), col(Pause.id).desc())
    ).first()


def _articles(pause: Pause | None) -> str:
    """The article a consultation rests on, as the letters cite it."""
    if pause is None:
        return marker("consult_articles")
    if pause.kind == PauseKind.THIRD_PARTY:
        return "第三十二条"
    return "第三十四条" if pause.co_producer else "第十一条"


def consultation_context(session: Session, request_id: int, k: LetterKind, ctx: dict[str, str],
                         warnings: list[str]) -> ConsultationFragments:
    """Who was consulted, when, by when, and what they said; which fragments the letter needs."""
    third = latest_pause(session, request_id, frozenset({PauseKind.THIRD_PARTY}))
    agency = latest_pause(session, request_id, frozenset({PauseKind.OTHER_AGENCY}))
    ctx["third_party"] = third.counterpart if third else marker("third_party")
    ctx["consulted_agency"] = agency.counterpart if agency else marker("consulted_agency")
    relevant = latest_pause(session, request_id, _OWN_KINDS.get(k.code, _ANY))
    deadline = consultation_deadline_of(session, relevant) if relevant is not None else None
    ctx["consult_date"] = cn_date(relevant.start_date) if relevant else marker("consult_date")
    ctx["consulted_party"] = (relevant.counterpart if relevant is not None and relevant.kind == PauseKind.OTHER_AGENCY
                              else "相关第三方")
    ctx["consult_articles"] = _articles(relevant)
    ctx["consult_received_date"] = (cn_date(relevant.received_date) if relevant and relevant.received_date
                                    else marker("consult_received_date"))
    ctx["consult_due"] = cn_date(deadline.due) if deadline else marker("consult_due")
    answered = relevant is not None and relevant.end_date is not None and relevant.answer in (
        ConsultationAnswer.AGREED, ConsultationAnswer.OBJECTED)
    ctx["consult_answer_date"] = cn_date(relevant.end_date) if answered and relevant else marker("consult_answer_date")
    ctx["consult_reasons"] = relevant.objection if relevant and relevant.objection else marker("consult_reasons")
    if k.code == "consult_agency":
        # docs/domain.md, "Letters": the basis follows the co-producer flag (Arts. 10(3), 34 or Art. 11).
        co_producer = agency is not None and agency.co_producer
        ctx["legal_basis"] = ("条例第十条第三款、第三十三条第三款、第三十四条" if co_producer
                              else "条例第十一条、第三十三条第三款")
    agency_fragment = "_agency_co_producer.txt" if agency is not None and agency.co_producer else "_agency_other.txt"
    third_fragment = None
    if k.code == "reply_3.4":
        third_deadline = consultation_deadline_of(session, third) if third is not None else None
        third_fragment = _third_party_view(third, third_deadline, ctx, warnings)
    return ConsultationFragments(third_fragment, agency_fragment)


def _third_party_view(third: Pause | None, deadline: ConsultationDeadline | None, ctx: dict[str, str],
                      warnings: list[str]) -> str | None:
    """The 3.4 reply's account of the consultation: a fragment's name, or None with a blank in ``ctx``."""
    if third is None:
        warnings.append("办理记录中没有征求第三方意见：答复书写明本机关未征求第三方意见、由本机关自行判断。"
                        "条例第三十二条规定公开会损害第三方合法权益的应当书面征求第三方意见；第三方同意公开的，"
                        "依条例第十五条应予公开。")
        return "_third_party_not_consulted.txt"
    answer = ConsultationAnswer(third.answer) if third.answer else None
    if third.end_date is None:
        due = f"（征求意见期限至{cn_date(deadline.due)}）" if deadline else ""
        warnings.append(f"征求第三方意见尚未结束{due}：请先登记第三方的意见或逾期未提出意见。")
    elif answer is ConsultationAnswer.OBJECTED:
        if not third.objection:
            warnings.append("第三方不同意公开，但办理记录未登记其理由：请填写理由（条例第三十二条：有合理理由的才不予公开）。")
        if deadline is not None and third.end_date > deadline.due:
            warnings.append(f"第三方的意见于征求意见期限（{cn_date(deadline.due)}）届满后才提出，请核对。")
        return "_third_party_objected.txt"
    elif answer is ConsultationAnswer.NO_ANSWER:
        if deadline is not None and deadline.presumed:
            warnings.append(f"第三方收到征求意见书的日期未登记，征求意见期限按在途{deadline.transit_workdays}个工作日"
                            f"推定至{cn_date(deadline.due)}，请核对送达记录。")
        return "_third_party_no_answer.txt"
    elif answer is ConsultationAnswer.AGREED:
        warnings.append(f"第三方已于{cn_date(third.end_date)}同意公开：依条例第十五条应予公开，不宜以保护第三方合法权益"
                        "为由不予公开。")
    else:
        warnings.append("办理记录未登记第三方的意见（同意、不同意及其理由，或逾期未提出意见），请填写。")
    ctx["third_party_view"] = marker("third_party_view")
    return None


def render_consultation_fragments(session: Session, ctx: dict[str, str], chosen: ConsultationFragments,
                                  given: frozenset[str]) -> None:
    """Render the chosen fragments with the complete context, unless the clerk gave the text (``given``)."""
    if chosen.third_party is not None and "third_party_view" not in given:
        ctx["third_party_view"] = templates.render_fragment(session, chosen.third_party, ctx)
    if "agency_consultation" not in given:
        ctx["agency_consultation"] = templates.render_fragment(session, chosen.agency, ctx)
