"""Review and sign-off of letters (审核后签发, 条例第四十五条): submit, approve, send back.

While the office setting ``letter_review`` is on, ``issuing.issue`` refuses every
letter (``ReviewRequired``). The drafter ``submit``s the edited draft instead: the
pre-issue check runs as for issuing (an error refuses; a late reply is left to the
reviewer to acknowledge), and the draft is stored in a ``LetterReview`` row. A
supervisor or administrator who is not the drafter then ``approve``s it — in one
transaction the letter is issued (``issuing.issue_in``) with the next document
number, the approver as its signer, and the review names the letter — or
``send_back``s it with a comment; the drafter edits the returned draft and submits
it again (the same row, pending once more).

Each step is a case event (``letter_submitted``, ``letter_sent_back``,
``letter_approved``, dated like the letter so the timeline keeps its order) and an
audit entry naming the actor. docs/SECURITY.md, "Review and sign-off", lists the
rules and the tests that prove them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, col, select

from request_desk.core.errors import NotFound, TransitionError, ValidationFailed
from request_desk.core.office import permissions
from request_desk.core.office import settings as office_settings
from request_desk.core.office.permissions import Permission
from request_desk.core.storage.audit import audit, event, snapshot
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Letter, LetterReview, Request, User

from .compose import Draft
from .issuing import (
    IssuedLetter,
    _issued,
    check_issuable,
    document_from_json,
    document_to_json,
    issue_in,
    may_issue,
)
from .kinds import kind as kind_of

__all__ = [
    "APPROVED", "EVENT_APPROVED", "EVENT_SENT_BACK", "EVENT_SUBMITTED", "PENDING", "RETURNED", "ReviewRow",
    "approve", "draft_from_json", "draft_to_json", "enabled", "get", "latest_open", "open_reviews", "pending",
    "send_back", "submit", "why_not_review",
]

PENDING, RETURNED, APPROVED = "pending", "returned", "approved"
STATE_LABELS = {PENDING: "待审核", RETURNED: "已退回修改", APPROVED: "已审核签发"}

EVENT_SUBMITTED = "letter_submitted"
EVENT_SENT_BACK = "letter_sent_back"
EVENT_APPROVED = "letter_approved"

OWN_DRAFT = "不能审核自己起草的文书：须由起草人以外的负责人或管理员审核。"


@dataclass(frozen=True)
class ReviewRow:
    """One letter submitted for review, as the review list and dialog show it."""

    id: int
    request_id: int | None
    reg_number: str
    applicant_name: str
    kind: str
    title: str
    on_date: date
    submitted_by: str
    submitted_by_name: str
    submitted_at: datetime
    state: str
    reviewed_by: str
    reviewed_by_name: str
    reviewed_at: datetime | None
    comment: str
    letter_id: int | None
    supersedes_id: int | None
    draft: Draft

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)


# --------------------------------------------------------------------------
# The stored draft
# --------------------------------------------------------------------------


def draft_to_json(draft: Draft) -> dict[str, Any]:
    """The draft as JSON: its document as ``issuing.document_to_json`` stores a letter's final text."""
    return {"kind": draft.kind, "request_id": draft.request_id, "document": document_to_json(draft.document),
            "addressee": draft.addressee, "addressee_type": draft.addressee_type,
            "on_date": draft.on_date.isoformat(), "serves_letter_id": draft.serves_letter_id,
            "warnings": list(draft.warnings)}


def draft_from_json(data: dict[str, Any]) -> Draft:
    return Draft(str(data["kind"]), data.get("request_id"), document_from_json(str(data["document"])),
                 str(data.get("addressee", "")), str(data.get("addressee_type", "")),
                 date.fromisoformat(str(data["on_date"])), data.get("serves_letter_id"),
                 tuple(data.get("warnings") or ()))


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _names(session: Session) -> dict[str, str]:
    return {u.username: u.display_name or u.username for u in session.exec(select(User)).all()}


def _row(session: Session, r: LetterReview, names: dict[str, str] | None = None) -> ReviewRow:
    names = names if names is not None else _names(session)
    draft = draft_from_json(r.draft)
    request = session.get(Request, r.request_id) if r.request_id is not None else None
    assert r.id is not None
    return ReviewRow(r.id, r.request_id, request.reg_number if request else "",
                     request.applicant_name if request else "", r.kind,
                     draft.document.title.replace("\n", "") or kind_of(r.kind).title, draft.on_date,
                     r.submitted_by, names.get(r.submitted_by, r.submitted_by), r.submitted_at, r.state,
                     r.reviewed_by, names.get(r.reviewed_by, r.reviewed_by), r.reviewed_at, r.comment, r.letter_id,
                     r.supersedes_id, draft)


def _load(session: Session, review_id: int) -> LetterReview:
    row = session.get(LetterReview, review_id)
    if row is None:
        raise NotFound(f"找不到编号为 {review_id} 的待审核文书。")
    return row


def _event(session: Session, row: LetterReview, kind: str, actor: str, note: str, **data: Any) -> None:
    if row.request_id is not None:
        draft = draft_from_json(row.draft)
        event(session, row.request_id, kind, draft.on_date, actor, note, {"review_id": row.id, "kind": row.kind,
                                                                          **data})


_AUDITED = ["request_id", "kind", "state", "submitted_by", "reviewed_by", "comment", "letter_id"]


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def enabled(db: Database) -> bool:
    """Whether the office reviews letters before they are issued (setting ``letter_review``)."""
    with db.read() as session:
        return office_settings.load(session).letter_review


def get(db: Database, review_id: int) -> ReviewRow:
    with db.read() as session:
        return _row(session, _load(session, review_id))


def pending(db: Database) -> list[ReviewRow]:
    """The letters waiting for a reviewer, oldest first."""
    return open_reviews(db, states=(PENDING,))


def open_reviews(db: Database, states: tuple[str, ...] = (PENDING, RETURNED), *,
                 request_id: int | None = None) -> list[ReviewRow]:
    """The reviews in ``states`` (waiting, and returned to their drafter by default), oldest first;
    only those of ``request_id`` when given."""
    query = select(LetterReview).where(col(LetterReview.state).in_(states))
    if request_id is not None:
        query = query.where(LetterReview.request_id == request_id)
    with db.read() as session:
        names = _names(session)
        rows = session.exec(query.order_by(col(LetterReview.id))).all()
        return [_row(session, r, names) for r in rows]


def latest_open(db: Database, request_id: int, kind: str) -> ReviewRow | None:
    """The pending or returned review of this case's letter of ``kind``, if there is one."""
    with db.read() as session:
        row = _open(session, request_id, kind)
        return _row(session, row) if row is not None else None


def _open(session: Session, request_id: int | None, kind: str) -> LetterReview | None:
    return session.exec(select(LetterReview).where(
        LetterReview.request_id == request_id, LetterReview.kind == kind,
        col(LetterReview.state).in_((PENDING, RETURNED)))).first()


def why_not_review(db: Database, review_id: int, actor: str) -> str | None:
    """``None`` if ``actor`` may approve or return this review now, else why not (the GUI's tooltip)."""
    with db.read() as session:
        return _why_not(session, _load(session, review_id), actor)


def _why_not(session: Session, row: LetterReview, actor: str) -> str | None:
    if row.state != PENDING:
        return f"此文书{STATE_LABELS.get(row.state, row.state)}，不在待审核状态。"
    if not permissions.allowed(session, actor, Permission.REVIEW_LETTER):
        return f"“{actor}”无权审核文书：只有在用的{permissions.roles_text(Permission.REVIEW_LETTER)}账户可以。"
    if row.submitted_by == actor:
        return OWN_DRAFT
    return None


def _require_reviewer(session: Session, row: LetterReview, actor: str) -> None:
    permissions.require(session, actor, Permission.REVIEW_LETTER)
    if row.state != PENDING:
        raise TransitionError(f"此文书{STATE_LABELS.get(row.state, row.state)}，不能再审核。")
    if row.submitted_by == actor:
        raise permissions.PermissionDenied(OWN_DRAFT)


# --------------------------------------------------------------------------
# Submitting, approving, sending back
# --------------------------------------------------------------------------


def submit(db: Database, draft: Draft, actor: str, *, supersedes_id: int | None = None) -> ReviewRow:
    """Submit the edited ``draft`` for review; returns the review (its ``id`` is the "#N" shown).

    Needs ``ISSUE_LETTER``. The pre-issue check runs as for issuing: an error, a
    character no font has or a kind the drafter may not see refuses, and nothing is
    stored. One review per case and kind is open at a time: a pending one refuses a
    second submission, a returned one is replaced by it.
    """
    with db.write() as session:
        permissions.require(session, actor, Permission.ISSUE_LETTER)
        refusal = may_issue(session, draft.kind, actor)
        if refusal is not None:
            raise permissions.PermissionDenied(refusal)
        if draft.request_id is not None and session.get(Request, draft.request_id) is None:
            raise NotFound(f"找不到编号为 {draft.request_id} 的申请。")
        if supersedes_id is not None:
            old = session.get(Letter, supersedes_id)
            if old is None or old.request_id != draft.request_id:
                raise ValidationFailed("更正文书必须更正同一申请的已签发文书。")
        # The reviewer acknowledges a late reply when approving it: not asked here.
        check_issuable(session, draft, acknowledge_late=True)
        row = _open(session, draft.request_id, draft.kind)
        if row is not None and row.state == PENDING:
            raise TransitionError(f"本案已有一份待审核的《{kind_of(draft.kind).title}》（#{row.id}），"
                                  "请等待审核结果，或请负责人退回后再修改提交。")
        old_state = snapshot(row, _AUDITED) if row is not None else None
        if row is None:
            row = LetterReview(request_id=draft.request_id, kind=draft.kind, draft=draft_to_json(draft),
                               supersedes_id=supersedes_id, submitted_by=actor)
        else:  # a returned draft, edited and submitted again
            row.draft, row.supersedes_id, row.submitted_by = draft_to_json(draft), supersedes_id, actor
            row.submitted_at, row.state, row.reviewed_by, row.reviewed_at = _now(), PENDING, "", None
        session.add(row)
        session.flush()
        title = draft.document.title.replace("\n", "")
        again = "（退回修改后重新提交）" if old_state else ""
        _event(session, row, EVENT_SUBMITTED, actor, f"《{title}》提交审核{again}")
        audit(session, actor, "submit_letter", "letter_review", row.id, old_state, snapshot(row, _AUDITED))
        return _row(session, row)


def approve(db: Database, review_id: int, actor: str, *, acknowledge_late: bool = False) -> IssuedLetter:
    """Approve a pending review and issue its letter, in one transaction; the approver signs it.

    Needs ``REVIEW_LETTER`` and someone other than the drafter. The letter is issued
    as submitted (its text and date) through ``issuing.issue_in``, with the next
    document number; a late reply needs ``acknowledge_late``. If issuing fails,
    nothing is stored: the review stays pending and no number is used.
    """
    with db.write() as session:
        row = _load(session, review_id)
        _require_reviewer(session, row, actor)
        before = snapshot(row, _AUDITED)
        row.state, row.reviewed_by, row.reviewed_at = APPROVED, actor, _now()
        session.add(row)
        session.flush()
        draft = draft_from_json(row.draft)
        names, title = _names(session), draft.document.title.replace("\n", "")
        # Before the letter's own event (发文, with its number), so the timeline reads in order.
        _event(session, row, EVENT_APPROVED, actor,
               f"《{title}》审核通过，由{names.get(actor, actor)}签发"
               f"（起草：{names.get(row.submitted_by, row.submitted_by)}）", drafted_by=row.submitted_by)
        letter = issue_in(session, draft, actor, supersedes_id=row.supersedes_id, acknowledge_late=acknowledge_late,
                          review_id=row.id)
        row.letter_id = letter.id
        session.add(row)
        session.flush()
        audit(session, actor, "approve_letter", "letter_review", row.id, before, snapshot(row, _AUDITED))
        return _issued(letter)


def send_back(db: Database, review_id: int, actor: str, comment: str) -> ReviewRow:
    """Return a pending review to its drafter with ``comment`` (required); nothing is issued."""
    comment = comment.strip()
    with db.write() as session:
        row = _load(session, review_id)
        _require_reviewer(session, row, actor)
        if not comment:
            raise ValidationFailed("退回修改须填写审核意见，说明需要修改什么。")
        before = snapshot(row, _AUDITED)
        row.state, row.reviewed_by, row.reviewed_at, row.comment = RETURNED, actor, _now(), comment
        session.add(row)
        session.flush()
        _event(session, row, EVENT_SENT_BACK, actor, comment, comment=comment)
        audit(session, actor, "return_letter", "letter_review", row.id, before, snapshot(row, _AUDITED))
        return _row(session, row)
