"""Delivering issued letters (送达): dispatch, signature, return, per letter.

Each letter may be sent more than once (a returned letter is sent again);
every record is a case event and an audit entry, and a record once signed or
returned is final — a mistake is corrected by recording another delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlmodel import Session, col, select

from request_desk.core.errors import NotFound, TransitionError, ValidationFailed
from request_desk.core.office import permissions
from request_desk.core.storage.audit import audit, event, snapshot
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Letter, LetterDelivery

EVENT_DELIVERY = "letter_delivery"


class DeliveryMethod(StrEnum):
    IN_PERSON = "in_person"
    POST = "post"
    ELECTRONIC = "electronic"
    VIA_AGENCY = "via_agency"

    @property
    def label(self) -> str:
        return {"in_person": "当面送达", "post": "邮寄送达", "electronic": "电子送达",
                "via_agency": "委托其他机关转交"}[self.value]


def delivery_text(d: LetterDelivery | None) -> str:
    if d is None:
        return ""
    text = DeliveryMethod(d.method).label
    if d.tracking_number:
        text += f" {d.tracking_number}"
    if d.returned_date:
        return f"{text}，{d.returned_date.isoformat()}退回"
    if d.signed_date:
        return f"{text}，{d.signed_date.isoformat()}签收"
    return f"{text}，{d.sent_date.isoformat()}发出"


@dataclass(frozen=True)
class DeliveryRow:
    id: int
    letter_id: int
    method: DeliveryMethod
    tracking_number: str
    sent_date: date
    signed_date: date | None
    returned_date: date | None
    text: str


def _row(d: LetterDelivery) -> DeliveryRow:
    assert d.id is not None
    return DeliveryRow(d.id, d.letter_id, DeliveryMethod(d.method), d.tracking_number, d.sent_date,
                       d.signed_date, d.returned_date, delivery_text(d))


def record_dispatch(db: Database, letter_id: int, actor: str, *, method: DeliveryMethod | str, sent: date,
                    tracking_number: str = "", recipient: str = "", address: str = "",
                    note: str = "") -> DeliveryRow:
    """The letter went out: handed over, posted (with its tracking number), sent electronically."""
    try:
        method = DeliveryMethod(method)
    except ValueError:
        raise ValidationFailed(f"未知的送达方式“{method}”。") from None
    tracking_number = tracking_number.strip()
    if method is DeliveryMethod.POST and not tracking_number:
        raise ValidationFailed("邮寄送达须填写邮件单号，以便查询妥投情况。")
    with db.write() as session:
        letter = session.get(Letter, letter_id)
        if letter is None:
            raise NotFound(f"找不到编号为 {letter_id} 的文书。")
        if letter.issued_date and sent < letter.issued_date:
            raise ValidationFailed(f"发出日期不能早于成文日期 {letter.issued_date}。")
        d = LetterDelivery(letter_id=letter_id, method=method, recipient=recipient or letter.addressee,
                           address=address, tracking_number=tracking_number, sent_date=sent, note=note,
                           recorded_by=actor)
        session.add(d)
        session.flush()
        _log_delivery(session, letter, d, actor, "dispatch_letter", f"{method.label} {tracking_number}".strip(), sent)
        return _row(d)


def _load_delivery(session: Session, delivery_id: int) -> tuple[LetterDelivery, Letter]:
    d = session.get(LetterDelivery, delivery_id)
    if d is None:
        raise NotFound(f"找不到送达记录 {delivery_id}。")
    letter = session.get(Letter, d.letter_id)
    assert letter is not None
    if d.signed_date or d.returned_date:
        raise TransitionError("该送达记录已登记签收或退回，如有错误请另行登记一次送达。")
    return d, letter


def record_signed(db: Database, delivery_id: int, actor: str, *, signed: date, signed_by: str = "") -> DeliveryRow:
    """The addressee signed for the letter (妥投 / 签收)."""
    with db.write() as session:
        d, letter = _load_delivery(session, delivery_id)
        if signed < d.sent_date:
            raise ValidationFailed(f"签收日期不能早于发出日期 {d.sent_date}。")
        d.signed_date, d.signed_by = signed, signed_by.strip()
        session.add(d)
        _log_delivery(session, letter, d, actor, "letter_signed", f"签收 {signed_by}".strip(), signed)
        return _row(d)


def record_returned(db: Database, delivery_id: int, actor: str, *, returned: date, reason: str) -> DeliveryRow:
    """The post office returned the letter (退回), with the reason."""
    if not reason.strip():
        raise ValidationFailed("请填写退回原因（如查无此人、拒收）。")
    with db.write() as session:
        d, letter = _load_delivery(session, delivery_id)
        if returned < d.sent_date:
            raise ValidationFailed(f"退回日期不能早于发出日期 {d.sent_date}。")
        d.returned_date, d.return_reason = returned, reason.strip()
        session.add(d)
        _log_delivery(session, letter, d, actor, "letter_returned", f"退回：{reason.strip()}", returned)
        return _row(d)


def _log_delivery(session: Session, letter: Letter, d: LetterDelivery, actor: str, action: str, note: str,
                  on: date) -> None:
    # Every delivery record passes here inside its transaction: a refusal leaves nothing behind.
    permissions.require(session, actor, permissions.Permission.RUN_CASE)
    if letter.request_id is not None:
        event(session, letter.request_id, EVENT_DELIVERY, on, actor,
              f"{letter.title} {letter.doc_number or ''}：{note}".strip(),
              {"letter_id": letter.id, "delivery_id": d.id, "action": action})
    audit(session, actor, action, "letterdelivery", d.id, None,
          snapshot(d, ["letter_id", "method", "tracking_number", "sent_date", "signed_date", "returned_date"]))


def deliveries(db: Database, letter_id: int) -> list[DeliveryRow]:
    with db.read() as session:
        rows = session.exec(select(LetterDelivery).where(LetterDelivery.letter_id == letter_id)
                            .order_by(col(LetterDelivery.id))).all()
        return [_row(d) for d in rows]
