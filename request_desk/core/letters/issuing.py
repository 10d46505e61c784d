"""Issuing a letter: the document number, the PDF, the stored final text, the case event and the audit.

``issue`` is one transaction: it runs the pre-issue check (``pre_issue``;
an error refuses, a late reply needs ``acknowledge_late``), draws the document number (gapless per
year, ``numbering.DOCUMENT``), renders the PDF with that number, stores the
final text and the PDF bytes in a new ``Letter`` row, and writes the case
event and the audit entry. If anything fails — a character the fonts lack,
an unfilled ``【请填写…】`` — nothing is stored and the number is not used.

Issued letters are never edited: ``issue(..., supersedes_id=old)`` issues a
correction with a new number, and both stay in the register.

While the office reviews letters (setting ``letter_review``), ``issue`` refuses
(``ReviewRequired``): a letter is submitted (``review.submit``) and issued by
``review.approve``, which calls ``issue_in`` with the approved review.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import asdict, dataclass
from datetime import date

from sqlmodel import Session, select

from request_desk.core.cases import numbering
from request_desk.core.errors import NotFound, TransitionError, ValidationFailed
from request_desk.core.office import permissions
from request_desk.core.office import settings as office_settings
from request_desk.core.storage.audit import audit, event, snapshot
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Letter, LetterReview, Request

from . import pre_issue
from .compose import Draft, letter_fonts
from .kinds import kind as kind_of
from .pdf import LetterDocument, MissingGlyphError, check_letter, render_letter

EVENT_ISSUED = "letter_issued"
# The office setting ``letter_review`` (审核后签发): letters are issued only on approval (``review``).
REVIEW_REQUIRED = "本机关已开启文书审核：请提交审核，由负责人审核签发。"


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


# --------------------------------------------------------------------------
# The final text as stored
# --------------------------------------------------------------------------


def document_to_json(doc: LetterDocument) -> str:
    data = asdict(doc)
    data["body"], data["signature"] = list(doc.body), list(doc.signature)
    return json.dumps(data, ensure_ascii=False)


def document_from_json(text: str) -> LetterDocument:
    return LetterDocument(**json.loads(text))


def render_pdf(doc: LetterDocument, conf: office_settings.OfficeSettings) -> tuple[bytes, int]:
    """PDF bytes and page count, in ``conf``'s letter fonts; raises ``MissingGlyphError`` before writing anything."""
    buf = io.BytesIO()
    info = render_letter(doc, buf, fonts=letter_fonts(conf))
    return buf.getvalue(), info.page_count


# --------------------------------------------------------------------------
# Issuing
# --------------------------------------------------------------------------


class LateNotAcknowledged(ValidationFailed):
    """A reply dated after its deadline, issued without saying that it is late."""


def check_issuable(session: Session, draft: Draft, acknowledge_late: bool) -> list[pre_issue.Finding]:
    """The check's warnings, once nothing blocks; raises for an error or a late reply not acknowledged."""
    doc = draft.document
    if not doc.title.strip():
        raise ValidationFailed("文书标题不能为空。")
    found = pre_issue.findings(session, draft)
    errors = [f.message for f in found if f.blocks]
    if errors:
        raise ValidationFailed("签发前检查未通过，不能签发：\n" + "\n".join(errors))
    if pre_issue.is_late(found) and not acknowledge_late:
        late = next(f.message for f in found if f.rule is pre_issue.Rule.LATE)
        raise LateNotAcknowledged(late + "请确认逾期答复后再签发。")
    missing = check_letter(doc, letter_fonts(office_settings.load(session)))
    if missing:
        raise MissingGlyphError(missing)
    return found


class ReviewRequired(TransitionError):
    """The office reviews letters before they are issued: this one was not approved (``review``)."""


def _check_review(session: Session, actor: str, review_id: int | None) -> None:
    """Refuse a letter issued past the review the office requires (docs/SECURITY.md, "Review and sign-off").

    Without ``review_id`` a letter is issued only while the setting ``letter_review`` is
    off. With it, the review must be approved by ``actor``, who did not submit it, and
    not yet have its letter: ``review.approve`` sets exactly that in its transaction.
    """
    if review_id is None:
        if office_settings.load(session).letter_review:
            raise ReviewRequired(REVIEW_REQUIRED)
        return
    row = session.get(LetterReview, review_id)
    if row is None or row.state != "approved" or row.letter_id is not None \
            or row.reviewed_by != actor or row.submitted_by == actor:
        raise ReviewRequired("只有经起草人以外的负责人审核通过的文书才能据此签发。")


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


def issue_in(session: Session, draft: Draft, actor: str, *, supersedes_id: int | None = None,
             acknowledge_late: bool = False, review_id: int | None = None) -> Letter:
    """Issue inside an open write transaction (see ``issue``).

    ``review_id`` is given only by ``review.approve``: while the office reviews letters
    (setting ``letter_review``) nothing else issues one.
    """
    permissions.require(session, actor, permissions.Permission.ISSUE_LETTER)
    _check_review(session, actor, review_id)
    k = kind_of(draft.kind)
    doc = draft.document
    if k.full_personal_data:
        # Printing the full ID and phone is a full view: same role and audit entry as a full
        # register export, in this transaction, so a refused or failed letter leaves neither.
        permissions.record_full_view(session, actor, f"letter:{k.code}",
                                     {"request_id": draft.request_id, "kind": k.code, "on_date": str(draft.on_date)},
                                     refusal=full_view_refusal(k.code, actor))
    warnings = check_issuable(session, draft, acknowledge_late)
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
    conf = office_settings.load(session)
    if k.numbered:
        year = draft.on_date.year
        seq = numbering.next_number(session, numbering.DOCUMENT, year)
        number = conf.format_document_number(year, seq)
    final = LetterDocument(doc.title, number, doc.salutation, doc.body, doc.signature, doc.contact,
                           doc.footer_note, doc.cc, doc.author)
    pdf, pages = render_pdf(final, conf)
    letter = Letter(
        request_id=draft.request_id, kind=k.code, doc_number=number, doc_year=year, doc_seq=seq,
        final_text=document_to_json(final), created_by=actor, title=final.title.replace("\n", ""),
        addressee=draft.addressee, addressee_type=draft.addressee_type, issued_date=draft.on_date,
        pdf=pdf, pdf_sha256=hashlib.sha256(pdf).hexdigest(), page_count=pages, supersedes_id=supersedes_id,
        check_warnings=[f.as_json() for f in warnings] or None, late=pre_issue.is_late(warnings),
    )
    session.add(letter)
    session.flush()
    if draft.request_id is not None:
        note = f"{letter.title} {number or ''}".strip()
        if old is not None:
            note += f"（更正并替代 {old.doc_number or old.title}）"
        if letter.late:
            note += "（逾期答复，经确认签发）"
        event(session, draft.request_id, EVENT_ISSUED, draft.on_date, actor, note,
              {"letter_id": letter.id, "kind": k.code, "doc_number": number, "supersedes_id": supersedes_id,
               "warnings": [f.message for f in warnings], "late": letter.late})
    audit(session, actor, "issue_letter", "letter", letter.id, None,
          snapshot(letter, ["request_id", "kind", "doc_number", "title", "addressee", "issued_date",
                            "pdf_sha256", "page_count", "supersedes_id", "check_warnings", "late"]))
    return letter


def _issued(letter: Letter) -> IssuedLetter:
    assert letter.id is not None and letter.issued_date is not None
    return IssuedLetter(letter.id, letter.request_id, letter.kind, letter.title, letter.doc_number,
                        letter.issued_date, letter.addressee, letter.page_count, letter.pdf or b"",
                        letter.supersedes_id)


def issue(db: Database, draft: Draft, actor: str, *, supersedes_id: int | None = None,
          acknowledge_late: bool = False) -> IssuedLetter:
    """Issue ``draft`` (with the clerk's edits) as a numbered letter of the case.

    Raises ``ReviewRequired`` while the office reviews letters (setting
    ``letter_review``: submit with ``review.submit`` instead),
    ``ValidationFailed`` when the pre-issue check finds an error (an
    unfilled blank, a missing reason, remedy or office detail …),
    ``LateNotAcknowledged`` for a late reply without ``acknowledge_late``,
    ``MissingGlyphError`` for
    characters no font has, ``PermissionDenied`` for a letter with full personal
    data (the registration form) by a role that may not see it; in each case
    nothing is stored.
    """
    with db.write() as session:
        return _issued(issue_in(session, draft, actor, supersedes_id=supersedes_id,
                                acknowledge_late=acknowledge_late))
