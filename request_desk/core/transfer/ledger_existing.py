"""Which of a batch of ledger rows are already in the database: one query per batch, not per row.

Used by the check (``ledger_rows``: such rows are skipped, so importing a file
again adds nothing twice) and again by the writer inside its write
transaction (``ledger_writer``: another desk may have imported them since).
Asking row by row cost a query each, about 40 % of checking a 100,000-row
ledger (issue 14, point 8).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import select, tuple_
from sqlmodel import Session, col

from request_desk.core.storage.models import Request

# SQLite allows 32,766 parameters per statement; a few hundred keep each query quick and its plan simple.
_CHUNK = 500
T = TypeVar("T")


def _chunks(items: Sequence[T]) -> Iterable[Sequence[T]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def existing_numbers(session: Session, numbers: Iterable[str]) -> set[str]:
    """The registration numbers among ``numbers`` that a stored request has."""
    wanted = sorted(set(numbers))
    found: set[str] = set()
    for chunk in _chunks(wanted):
        found.update(session.execute(select(col(Request.reg_number)).where(col(Request.reg_number).in_(chunk)))
                     .scalars())
    return found


def existing_keys(session: Session, keys: Iterable[tuple[date, str, str]]) -> set[tuple[Any, ...]]:
    """The (receipt date, applicant, description) among ``keys`` that a stored request has."""
    wanted = set(keys)
    pairs = sorted({(name, received) for received, name, _ in wanted})
    found: set[tuple[Any, ...]] = set()
    for chunk in _chunks(pairs):  # ix_request_applicant: (applicant_name, received_date)
        rows = session.execute(select(col(Request.received_date), col(Request.applicant_name),
                                      col(Request.description))
                               .where(tuple_(col(Request.applicant_name), col(Request.received_date)).in_(chunk)))
        found.update(key for key in (tuple(r) for r in rows) if key in wanted)
    return found


def existing_year_seqs(session: Session, pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """The (year, registration sequence) among ``pairs`` that a stored request has."""
    wanted = sorted(set(pairs))
    found: set[tuple[int, int]] = set()
    for chunk in _chunks(wanted):
        rows = session.execute(select(col(Request.year), col(Request.seq))
                               .where(tuple_(col(Request.year), col(Request.seq)).in_(chunk)))
        found.update((int(y), int(s)) for y, s in rows)
    return found
