"""The delivery of the reply is the delivery of its letter: one record, in the case and in 发文登记.

The 送达 step of a case names the letter served (by default the newest reply
letter to the applicant) and writes that letter's delivery record in the same
transaction; recording the dispatch of a case's reply letter in 发文登记 runs
the same step (``step_functions.dispatch_letter``). So the case's delivery date
and the letter's delivery line are one fact, entered once
(docs/domain.md, "Reply evidence": was it delivered, and when).

A case channel maps to a letter delivery method: 邮寄 is post (with its tracking
number), 当面领取 in person, 电子邮件 / 网上 / 传真 electronic.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from request_desk.core.errors import ValidationFailed
from request_desk.core.letters.delivery import DeliveryMethod
from request_desk.core.letters.kinds import KINDS_BY_CODE, Addressee
from request_desk.core.storage.models import Letter, LetterDelivery, Request

CHANNEL_METHODS: dict[str, DeliveryMethod] = {
    "邮寄": DeliveryMethod.POST,
    "当面领取": DeliveryMethod.IN_PERSON,
    "电子邮件": DeliveryMethod.ELECTRONIC,
    "网上": DeliveryMethod.ELECTRONIC,
    "传真": DeliveryMethod.ELECTRONIC,
}
# The other way, for a dispatch recorded in 发文登记; 委托其他机关转交 has no case channel.
METHOD_CHANNELS: dict[DeliveryMethod, str] = {
    DeliveryMethod.POST: "邮寄", DeliveryMethod.IN_PERSON: "当面领取", DeliveryMethod.ELECTRONIC: "电子邮件",
}


def _to_applicant(letter: Letter) -> bool:
    kind = KINDS_BY_CODE.get(letter.kind)
    return kind is not None and kind.addressee is Addressee.APPLICANT


def is_reply_letter(letter: Letter) -> bool:
    kind = KINDS_BY_CODE.get(letter.kind)
    return kind is not None and kind.is_reply


def servable_letters(session: Session, request_id: int) -> list[Letter]:
    """The case's issued letters to the applicant that no later letter corrects, newest first."""
    newer = aliased(Letter)
    rows = session.exec(
        select(Letter).where(Letter.request_id == request_id, col(Letter.issued_date).is_not(None))
        .where(~select(newer.id).where(col(newer.supersedes_id) == col(Letter.id)).exists())
        .order_by(col(Letter.id).desc())
    ).all()
    return [letter for letter in rows if _to_applicant(letter)]


def served_letter_label(letter: Letter) -> str:
    return f"{letter.doc_number or letter.title}（{letter.title}，{letter.issued_date}）"


def reply_letter(session: Session, request_id: int) -> Letter | None:
    """The newest reply letter of the case, the one a 送达 serves unless told otherwise."""
    return next((letter for letter in servable_letters(session, request_id) if is_reply_letter(letter)), None)


def resolve_letter(session: Session, request_id: int, value: Any) -> Letter:
    """A letter of this case by its id, or by its document number as typed."""
    for letter in servable_letters(session, request_id):
        if value in (letter.id, str(letter.id), letter.doc_number):
            return letter
    raise ValidationFailed(f"本案没有可送达的文书“{value}”（须为已签发、未被更正的致申请人文书）。")


def record_served(session: Session, request: Request, letter: Letter, *, channel: str, on: date, tracking: str,
                  actor: str) -> LetterDelivery:
    """The letter's delivery line, written in the 送达 step's transaction (the step audits it)."""
    method = CHANNEL_METHODS.get(channel)
    if method is None:
        raise ValidationFailed(f"送达方式“{channel}”不能用于文书送达。")
    tracking = tracking.strip()
    if method is DeliveryMethod.POST and not tracking:
        raise ValidationFailed("邮寄送达须填写邮件单号，以便查询妥投情况。")
    if letter.issued_date and on < letter.issued_date:
        raise ValidationFailed(f"送达日期不能早于文书成文日期 {letter.issued_date}。")
    served = LetterDelivery(letter_id=letter.id or 0, method=method, recipient=letter.addressee,
                            address=request.address if method is DeliveryMethod.POST else "",
                            tracking_number=tracking, sent_date=on, recorded_by=actor)
    session.add(served)
    session.flush()
    return served
