"""Issuing letters and the outgoing-letter register (发文登记).

``issue`` is one transaction: it draws the document number (gapless per
year, ``numbering.DOCUMENT``), renders the PDF with that number, stores the
final text and the PDF bytes in a new ``Letter`` row, and writes the case
event and the audit entry. If anything fails — a character the fonts lack,
an unfilled ``【请填写…】`` — nothing is stored and the number is not used.

Issued letters are never edited: ``issue(..., supersedes_id=old)`` issues a
correction with a new number, and both stay in the register. Delivery is
recorded per letter (``record_dispatch``, ``record_signed``,
``record_returned``).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import union
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from request_desk.core.cases import numbering
from request_desk.core.errors import NotFound, TransitionError, ValidationFailed
from request_desk.core.office import permissions
from request_desk.core.office import settings as office_settings
from request_desk.core.storage.audit import audit, event, snapshot
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Letter, LetterDelivery, Request

from .compose import Draft, compose_in, letter_fonts, unfilled
from .kinds import KINDS_BY_CODE
from .kinds import kind as kind_of
from .pdf import (
    LetterDocument,
    MissingGlyphError,
    check_letter,
    render_letter,
    render_letters,
)

EVENT_ISSUED = "letter_issued"
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


@dataclass(frozen=True)
class IssuedLetter:
    id: int
    request_id: int | None
    kind: str
    title: str
    doc_number: str | None
    issued_date: date
    addressee: str
    page_count: int
    pdf: bytes
    supersedes_id: int | None


@dataclass(frozen=True)
class Progress:
    """Duck-typed like ``gui.workers.Progress`` (core imports no Qt)."""

    done: int
    total: int | None = None
    message: str = ""


# --------------------------------------------------------------------------
# The final text as stored
# --------------------------------------------------------------------------


def document_to_json(doc: LetterDocument) -> str:
    data = asdict(doc)
    data["body"], data["signature"] = list(doc.body), list(doc.signature)
    return json.dumps(data, ensure_ascii=False)


def document_from_json(text: str) -> LetterDocument:
    return LetterDocument(**json.loads(text))


def render_pdf(doc: LetterDocument) -> tuple[bytes, int]:
    """PDF bytes and page count; raises ``MissingGlyphError`` before writing anything."""
    buf = io.BytesIO()
    info = render_letter(doc, buf, fonts=letter_fonts())
    return buf.getvalue(), info.page_count


# --------------------------------------------------------------------------
# Issuing
# --------------------------------------------------------------------------


def _check_issuable(doc: LetterDocument) -> None:
    blanks = unfilled(doc)
    if blanks:
        raise ValidationFailed("文书中仍有待填写的内容，不能签发：" + "；".join(dict.fromkeys(blanks)))
    if not doc.title.strip():
        raise ValidationFailed("文书标题不能为空。")
    missing = check_letter(doc, letter_fonts())
    if missing:
        raise MissingGlyphError(missing)


def full_view_refusal(kind_code: str, actor: str) -> str:
    """The message for a user whose role may not print a letter with full personal data."""
    title = kind_of(kind_code).title
    return (f"“{actor}”无权打印或签发《{title}》：该文书载有申请人完整的证件号码和联系电话，"
            "只有在用的负责人或管理员账户可以办理，请由负责人操作。")


def may_issue(session: Session, kind_code: str, actor: str) -> str | None:
    """``None`` if ``actor`` may issue a letter of this kind, else the refusal message."""
    if kind_of(kind_code).full_personal_data and not permissions.may_view_full_personal_data(session, actor):
        return full_view_refusal(kind_code, actor)
    return None


def issue_in(session: Session, draft: Draft, actor: str, *, supersedes_id: int | None = None) -> Letter:
    """Issue inside an open write transaction (see ``issue``)."""
    k = kind_of(draft.kind)
    doc = draft.document
    if k.full_personal_data:
        # Printing the full ID and phone is a full view: same role and audit entry as a full
        # register export, in this transaction, so a refused or failed letter leaves neither.
        permissions.record_full_view(session, actor, f"letter:{k.code}",
                                     {"request_id": draft.request_id, "kind": k.code, "on_date": str(draft.on_date)},
                                     refusal=full_view_refusal(k.code, actor))
    _check_issuable(doc)
    if draft.request_id is not None and session.get(Request, draft.request_id) is None:
        raise NotFound(f"找不到编号为 {draft.request_id} 的申请。")
    old: Letter | None = None
    if supersedes_id is not None:
        old = session.get(Letter, supersedes_id)
        if old is None:
            raise NotFound(f"找不到要更正的文书（编号 {supersedes_id}）。")
        if old.request_id != draft.request_id:
            raise ValidationFailed("更正文书必须属于同一申请。")
        newer = session.exec(select(Letter.doc_number).where(Letter.supersedes_id == old.id)).first()
        if session.exec(select(Letter.id).where(Letter.supersedes_id == old.id)).first() is not None:
            raise TransitionError(f"文书 {old.doc_number or old.title} 已被 {newer or '另一份文书'} 更正替代，"
                                  "请更正最新的一份。")
    year = seq = number = None
    if k.numbered:
        conf = office_settings.load(session)
        year = draft.on_date.year
        seq = numbering.next_number(session, numbering.DOCUMENT, year)
        number = conf.format_document_number(year, seq)
    final = LetterDocument(doc.title, number, doc.salutation, doc.body, doc.signature, doc.contact,
                           doc.footer_note, doc.cc, doc.author)
    pdf, pages = render_pdf(final)
    letter = Letter(
        request_id=draft.request_id, kind=k.code, doc_number=number, doc_year=year, doc_seq=seq,
        final_text=document_to_json(final), created_by=actor, title=final.title.replace("\n", ""),
        addressee=draft.addressee, addressee_type=draft.addressee_type, issued_date=draft.on_date,
        pdf=pdf, pdf_sha256=hashlib.sha256(pdf).hexdigest(), page_count=pages, supersedes_id=supersedes_id,
    )
    session.add(letter)
    session.flush()
    if draft.request_id is not None:
        note = f"{letter.title} {number or ''}".strip()
        if old is not None:
            note += f"（更正并替代 {old.doc_number or old.title}）"
        event(session, draft.request_id, EVENT_ISSUED, draft.on_date, actor, note,
              {"letter_id": letter.id, "kind": k.code, "doc_number": number, "supersedes_id": supersedes_id})
    audit(session, actor, "issue_letter", "letter", letter.id, None,
          snapshot(letter, ["request_id", "kind", "doc_number", "title", "addressee", "issued_date",
                            "pdf_sha256", "page_count", "supersedes_id"]))
    return letter


def _issued(letter: Letter) -> IssuedLetter:
    assert letter.id is not None and letter.issued_date is not None
    return IssuedLetter(letter.id, letter.request_id, letter.kind, letter.title, letter.doc_number,
                        letter.issued_date, letter.addressee, letter.page_count, letter.pdf or b"",
                        letter.supersedes_id)


def issue(db: Database, draft: Draft, actor: str, *, supersedes_id: int | None = None) -> IssuedLetter:
    """Issue ``draft`` (with the clerk's edits) as a numbered letter of the case.

    Raises ``ValidationFailed`` for unfilled blanks, ``MissingGlyphError`` for
    characters no font has, ``PermissionDenied`` for a letter with full personal
    data (the registration form) by a role that may not see it; in each case
    nothing is stored.
    """
    with db.write() as session:
        return _issued(issue_in(session, draft, actor, supersedes_id=supersedes_id))


# --------------------------------------------------------------------------
# Reading back
# --------------------------------------------------------------------------


def reprint_refusal(kind_codes: Sequence[str], actor: str) -> str:
    """The message for a user whose role may not reprint some of these letters (a batch may mix kinds)."""
    full = [c for c in kind_codes if _full_data(c)]
    message = full_view_refusal(full[0], actor).replace("无权打印或签发", "无权重新打印或导出")
    if len(kind_codes) > 1:
        title = kind_of(full[0]).title
        message = (f"所选 {len(kind_codes)} 份文书中有 {len(full)} 份《{title}》。{message}"
                   f"其他文书可取消选择《{title}》后再打印。")
    return message


def _full_data(kind_code: str) -> bool:
    k = KINDS_BY_CODE.get(kind_code)
    return k is not None and k.full_personal_data


def _kinds(session: Session, letter_ids: Sequence[int]) -> dict[int, str]:
    found = dict(session.exec(select(Letter.id, Letter.kind).where(col(Letter.id).in_(list(letter_ids)))).all())
    for letter_id in letter_ids:
        if letter_id not in found:
            raise NotFound(f"找不到编号为 {letter_id} 的文书。")
    return found  # type: ignore[return-value]


def _check_reprint(db: Database, letter_ids: Sequence[int], actor: str) -> bool:
    """Whether reading ``letter_ids`` is a full view (to audit); ``PermissionDenied`` if ``actor`` may not."""
    with db.read() as session:
        kinds = _kinds(session, letter_ids)
        full = any(_full_data(k) for k in kinds.values())
        if full and not permissions.may_view_full_personal_data(session, actor):
            raise permissions.PermissionDenied(reprint_refusal([kinds[i] for i in letter_ids], actor))
    return full


def may_reprint(db: Database, letter_ids: Sequence[int], actor: str) -> str | None:
    """``None`` if ``actor`` may reprint or export all of ``letter_ids``, else the refusal message.

    For the GUI to say so before asking for a printer or a file name; the
    reading functions below check (and audit) again themselves.
    """
    try:
        _check_reprint(db, letter_ids, actor)
    except permissions.PermissionDenied as exc:
        return str(exc)
    return None


def _reprinted(session: Session, letter_id: int, actor: str) -> Letter:
    """The stored letter, after the full-view check and audit if it carries full personal data.

    A reprint of the registration form shows the full ID number and phone exactly as
    issuing it did, so it needs the same role and leaves the same audit entry, written
    in the caller's transaction before the bytes are handed out.
    """
    letter = session.get(Letter, letter_id)
    if letter is None:
        raise NotFound(f"找不到编号为 {letter_id} 的文书。")
    if _full_data(letter.kind):
        permissions.record_full_view(session, actor, f"letter:{letter.kind}",
                                     {"letter_id": letter.id, "request_id": letter.request_id, "kind": letter.kind,
                                      "doc_number": letter.doc_number, "reprint": True},
                                     refusal=reprint_refusal([letter.kind], actor))
    return letter


@contextmanager
def _reading(db: Database, letter_ids: Sequence[int], actor: str) -> Iterator[Session]:
    """A session to read ``letter_ids`` in: a write transaction only when a full view is to be audited.

    Letters are append-only, so their kinds cannot change between the check and the
    read; a refusal is raised before any letter of the batch is read.
    """
    full = _check_reprint(db, letter_ids, actor)
    with (db.write() if full else db.read()) as session:
        yield session


def get(db: Database, letter_id: int, actor: str) -> IssuedLetter:
    """The issued letter with its stored PDF, for ``actor`` (role check and audit as for a reprint)."""
    with _reading(db, [letter_id], actor) as session:
        return _issued(_reprinted(session, letter_id, actor))


def stored_pdf(db: Database, letter_id: int, actor: str) -> bytes:
    """The PDF exactly as issued (a reprint is the same document), for ``actor``."""
    return get(db, letter_id, actor).pdf


def stored_document(db: Database, letter_id: int, actor: str) -> LetterDocument:
    """The final text as issued, for ``actor`` (role check and audit as for a reprint)."""
    with _reading(db, [letter_id], actor) as session:
        return document_from_json(_reprinted(session, letter_id, actor).final_text)


@dataclass(frozen=True)
class RegisterRow:
    """One line of the outgoing-letter register."""

    letter_id: int
    doc_number: str
    issued_date: date
    kind: str
    kind_label: str
    title: str
    request_id: int | None
    reg_number: str
    addressee: str
    page_count: int
    created_by: str
    supersedes: str  # number of the letter this one corrects
    superseded_by: str  # number of the letter that corrects this one
    delivery: str  # latest delivery, in words

    @property
    def superseded(self) -> bool:
        return bool(self.superseded_by)

    @property
    def key(self) -> tuple[date, int]:
        """Where the register's order puts this line (``register_rows(after=...)``)."""
        return self.issued_date, self.letter_id


def _delivery_text(d: LetterDelivery | None) -> str:
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


def _register_filters(q: Any, *, start: date | None, end: date | None, kind: str | None,
                      request_id: int | None, letter_ids: Iterable[int] | None) -> Any:
    if start is not None:
        q = q.where(col(Letter.issued_date) >= start)
    if end is not None:
        q = q.where(col(Letter.issued_date) <= end)
    if kind is not None:
        q = q.where(Letter.kind == kind)
    if request_id is not None:
        q = q.where(Letter.request_id == request_id)
    if letter_ids is not None:
        q = q.where(col(Letter.id).in_(list(letter_ids)))
    return q


def register_rows(db: Database, *, start: date | None = None, end: date | None = None,
                  kind: str | None = None, request_id: int | None = None,
                  letter_ids: Iterable[int] | None = None, limit: int | None = None,
                  after: tuple[date, int] | None = None) -> list[RegisterRow]:
    """The register, oldest first, filtered by issue date range, kind, case or ids.

    Reads only the register's columns, never the stored PDF or final text.
    ``limit`` and ``after`` page it: the next page starts after the
    (issued_date, letter_id) of the last row shown (``RegisterRow.key``), so
    every page is an index range scan however far the clerk has scrolled.
    """
    newer = aliased(Letter)
    older = aliased(Letter)
    with db.read() as session:
        q = (
            select(Letter.id, Letter.doc_number, Letter.issued_date, Letter.kind, Letter.title, Letter.request_id,
                   Letter.addressee, Letter.page_count, Letter.created_by, Letter.supersedes_id,
                   Request.reg_number, newer.doc_number, newer.id, older.doc_number, older.title)
            .join(Request, col(Request.id) == col(Letter.request_id), isouter=True)
            .join(newer, newer.supersedes_id == Letter.id, isouter=True)
            .join(older, older.id == Letter.supersedes_id, isouter=True)
        )
        q = _register_filters(q, start=start, end=end, kind=kind, request_id=request_id, letter_ids=letter_ids)
        if after is not None:
            day, last_id = after
            q = q.where((col(Letter.issued_date) > day)
                        | ((col(Letter.issued_date) == day) & (col(Letter.id) > last_id)))
        q = q.order_by(col(Letter.issued_date), col(Letter.id))
        if limit is not None:
            q = q.limit(limit)
        rows = session.exec(q).all()
        ids = [r[0] for r in rows]
        latest: dict[int, LetterDelivery] = {}
        for d in session.exec(select(LetterDelivery).where(col(LetterDelivery.letter_id).in_(ids))
                              .order_by(col(LetterDelivery.id))):
            latest[d.letter_id] = d
        out = []
        for (letter_id, doc_number, issued_date, kind_code, title, req_id, addressee, page_count, created_by,
             supersedes_id, reg_number, newer_number, newer_id, older_number, older_title) in rows:
            k = KINDS_BY_CODE.get(kind_code)
            out.append(RegisterRow(
                letter_id, doc_number or "", issued_date, kind_code,
                k.label if k else kind_code, title, req_id, reg_number or "",
                addressee, page_count, created_by,
                (older_number or older_title or "") if supersedes_id else "",
                (newer_number or "（无文号）") if newer_id else "",
                _delivery_text(latest.get(letter_id)),
            ))
        return out


def register_count(db: Database, *, start: date | None = None, end: date | None = None,
                   kind: str | None = None, request_id: int | None = None) -> int:
    """How many lines ``register_rows`` would give with the same filters (for “共 N 件”)."""
    with db.read() as session:
        q = _register_filters(select(func.count()).select_from(Letter), start=start, end=end, kind=kind,
                              request_id=request_id, letter_ids=None)
        return int(session.exec(q).one())


def latest_signed(db: Database, request_id: int, kind: str) -> date | None:
    """When the addressee signed for the case's latest letter of ``kind`` (None if not recorded)."""
    with db.read() as session:
        letter_id = session.exec(
            select(Letter.id).where(Letter.request_id == request_id, Letter.kind == kind)
            .order_by(col(Letter.id).desc())
        ).first()
        if letter_id is None:
            return None
        return session.exec(
            select(LetterDelivery.signed_date).where(LetterDelivery.letter_id == letter_id,
                                                     col(LetterDelivery.signed_date).is_not(None))
            .order_by(col(LetterDelivery.id).desc())
        ).first()


# --------------------------------------------------------------------------
# Delivery
# --------------------------------------------------------------------------


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
                       d.signed_date, d.returned_date, _delivery_text(d))


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


# --------------------------------------------------------------------------
# Batches
# --------------------------------------------------------------------------


def unacknowledged_query(day: date) -> Any:
    """The ids of the requests received or registered on ``day`` without an acknowledgement.

    A UNION of two index searches (``ix_request_received``, ``ix_request_created``):
    an OR of the two conditions would scan every request.
    """
    start = datetime.combine(day, time()).astimezone(UTC)
    end = datetime.combine(day, time.max).astimezone(UTC)
    acked = select(Letter.request_id).where(Letter.kind == "acknowledgement", col(Letter.request_id).is_not(None))
    received = select(Request.id).where(Request.received_date == day)
    registered = select(Request.id).where(col(Request.created_at) >= start, col(Request.created_at) <= end)
    of_day = union(received, registered).subquery()
    return select(of_day.c.id).where(of_day.c.id.not_in(acked)).order_by(of_day.c.id)


def requests_without_acknowledgement(db: Database, day: date) -> list[int]:
    """Requests received or registered on ``day`` that have no acknowledgement yet."""
    with db.read() as session:
        return list(session.exec(unacknowledged_query(day)).all())


def issue_acknowledgements(db: Database, day: date, actor: str) -> Generator[Progress, None, list[int]]:
    """Issue the acknowledgement of every request of ``day`` that lacks one; returns the letter ids.

    One transaction per letter, so an error (e.g. a missing glyph in one
    applicant's name) stops the batch without losing the letters before it.
    """
    todo = requests_without_acknowledgement(db, day)
    issued: list[int] = []
    yield Progress(0, len(todo), f"正在签发接收回执 0 / {len(todo)}")
    for n, request_id in enumerate(todo, start=1):
        with db.write() as session:
            draft = compose_in(session, request_id, "acknowledgement", on_date=day)
            letter = issue_in(session, draft, actor)
            assert letter.id is not None
            issued.append(letter.id)
        yield Progress(n, len(todo), f"正在签发接收回执 {n} / {len(todo)}")
    return issued


def acknowledgements_of(db: Database, day: date) -> list[int]:
    """Ids of the acknowledgements issued on ``day`` (not superseded), in issue order."""
    return [r.letter_id for r in register_rows(db, start=day, end=day, kind="acknowledgement") if not r.superseded]


def stored_pdfs(db: Database, letter_ids: Sequence[int],
                actor: str) -> Generator[Progress, None, list[tuple[int, bytes]]]:
    """The stored PDFs of ``letter_ids`` in order, with progress (for batch printing), for ``actor``.

    A batch holding a registration form is refused as a whole for a role that may
    not see full personal data (``PermissionDenied``, before anything is read), so
    a print job never comes out with some letters missing.
    """
    out: list[tuple[int, bytes]] = []
    _check_reprint(db, letter_ids, actor)  # the whole batch, before the first letter is read
    for n, letter_id in enumerate(letter_ids, start=1):
        out.append((letter_id, stored_pdf(db, letter_id, actor)))
        yield Progress(n, len(letter_ids), f"正在读取文书 {n} / {len(letter_ids)}")
    return out


def batch_pdf(db: Database, letter_ids: Sequence[int], actor: str) -> bytes:
    """One PDF of several issued letters (each from its stored final text, on new pages), for ``actor``."""
    with _reading(db, letter_ids, actor) as session:
        docs = [document_from_json(_reprinted(session, i, actor).final_text) for i in letter_ids]
    buf = io.BytesIO()
    render_letters(docs, buf, fonts=letter_fonts())
    return buf.getvalue()
