"""The outgoing-letter register (发文登记), and the day's acknowledgements as a batch.

``register_rows`` pages the register (every issued letter, its correction and
latest delivery, in issue order); ``issue_acknowledgements`` is a job
(``core.jobs.Job``) that issues the receipts of a day's requests, one
transaction per letter.

This module is also the door to the whole letters workflow: issuing
(``issuing``), reprints (``reprints``) and delivery (``delivery``) are
re-exported here, so callers write ``register.issue(...)``,
``register.stored_pdfs(...)``, ``register.record_dispatch(...)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar

import sqlalchemy
from sqlalchemy import Select, union
from sqlalchemy.orm import aliased
from sqlmodel import col, func, select

from request_desk.core.jobs import Job, Progress
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Letter, LetterDelivery, Request, User

from .compose import compose_in
from .delivery import (
    EVENT_DELIVERY,
    DeliveryMethod,
    DeliveryRow,
    deliveries,
    delivery_text,
    record_dispatch,
    record_returned,
    record_signed,
)
from .issuing import (
    EVENT_ISSUED,
    IssuedLetter,
    LateNotAcknowledged,
    document_from_json,
    document_to_json,
    full_view_refusal,
    issue,
    issue_in,
    may_issue,
    render_pdf,
)
from .kinds import KINDS_BY_CODE
from .reprints import (
    batch_pdf,
    get,
    may_reprint,
    reprint_refusal,
    save_batch_pdf,
    stored_document,
    stored_pdf,
    stored_pdfs,
)

__all__ = [
    "EVENT_DELIVERY", "EVENT_ISSUED", "DeliveryMethod", "DeliveryRow", "IssuedLetter", "LateNotAcknowledged",
    "RegisterRow",
    "acknowledgements_of", "batch_pdf", "deliveries", "document_from_json", "document_to_json",
    "full_view_refusal", "get", "issue", "issue_acknowledgements", "issue_in", "latest_signed", "may_issue",
    "may_reprint", "record_dispatch", "record_returned", "record_signed", "register_count", "register_rows",
    "render_pdf", "reprint_refusal", "requests_without_acknowledgement", "save_batch_pdf", "stored_document",
    "stored_pdf", "stored_pdfs", "unacknowledged_query",
]


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
    late: bool = False  # a reply issued after its deadline, acknowledged (pre_issue)
    check_warnings: tuple[str, ...] = ()  # what the pre-issue check warned of, accepted at issuing
    created_by_name: str = ""  # the issuer's name as people know it (the login when no user has it)
    created_at: datetime | None = None  # when it was issued, to the second (a correction may follow that day)

    @property
    def superseded(self) -> bool:
        return bool(self.superseded_by)

    @property
    def key(self) -> tuple[date, int]:
        """Where the register's order puts this line (``register_rows(after=...)``)."""
        return self.issued_date, self.letter_id


_Query = TypeVar("_Query", bound=Select[*tuple[Any, ...]])


def _register_filters(q: _Query, *, start: date | None, end: date | None, kind: str | None,
                      request_id: int | None, letter_ids: Iterable[int] | None) -> _Query:
    if start is not None:
        q = q.where(col(Letter.issued_date) >= start)
    if end is not None:
        q = q.where(col(Letter.issued_date) <= end)
    if kind is not None:
        q = q.where(col(Letter.kind) == kind)
    if request_id is not None:
        q = q.where(col(Letter.request_id) == request_id)
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
        columns = (Letter.id, Letter.doc_number, Letter.issued_date, Letter.kind, Letter.title, Letter.request_id,
                   Letter.addressee, Letter.page_count, Letter.created_by, Letter.supersedes_id,
                   Request.reg_number, newer.doc_number, newer.id, older.doc_number, older.title,
                   Letter.late, Letter.check_warnings, User.display_name, Letter.created_at)
        # SQLAlchemy's own select: SQLModel's is typed for at most four columns.
        q = (
            sqlalchemy.select(*(col(c) for c in columns))
            .join(Request, col(Request.id) == col(Letter.request_id), isouter=True)
            .join(newer, col(newer.supersedes_id) == col(Letter.id), isouter=True)
            .join(older, col(older.id) == col(Letter.supersedes_id), isouter=True)
            .join(User, col(User.username) == col(Letter.created_by), isouter=True)
        )
        q = _register_filters(q, start=start, end=end, kind=kind, request_id=request_id, letter_ids=letter_ids)
        if after is not None:
            day, last_id = after
            q = q.where((col(Letter.issued_date) > day)
                        | ((col(Letter.issued_date) == day) & (col(Letter.id) > last_id)))
        q = q.order_by(col(Letter.issued_date), col(Letter.id))
        if limit is not None:
            q = q.limit(limit)
        rows = session.execute(q).all()
        ids = [r[0] for r in rows]
        latest: dict[int, LetterDelivery] = {}
        for d in session.exec(select(LetterDelivery).where(col(LetterDelivery.letter_id).in_(ids))
                              .order_by(col(LetterDelivery.id))):
            latest[d.letter_id] = d
        out = []
        for (letter_id, doc_number, issued_date, kind_code, title, req_id, addressee, page_count, created_by,
             supersedes_id, reg_number, newer_number, newer_id, older_number, older_title, late,
             check_warnings, issuer, created_at) in rows:
            k = KINDS_BY_CODE.get(kind_code)
            out.append(RegisterRow(
                letter_id, doc_number or "", issued_date, kind_code,
                k.label if k else kind_code, title, req_id, reg_number or "",
                addressee, page_count, created_by,
                (older_number or older_title or "") if supersedes_id else "",
                (newer_number or "（无文号）") if newer_id else "",
                delivery_text(latest.get(letter_id)), bool(late),
                tuple(w.get("message", "") for w in check_warnings or ()), issuer or created_by, created_at,
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
            select(col(LetterDelivery.signed_date)).where(LetterDelivery.letter_id == letter_id,
                                                     col(LetterDelivery.signed_date).is_not(None))
            .order_by(col(LetterDelivery.id).desc())
        ).first()


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


def issue_acknowledgements(db: Database, day: date, actor: str) -> Job[list[int]]:
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
