"""Gapless, duplicate-free numbering per year.

The counter row is incremented inside the caller's transaction: a rolled-back
save gives its number back, and the write lock (BEGIN IMMEDIATE) keeps two
desks from drawing the same number.
"""

from __future__ import annotations

from sqlmodel import Session

from request_desk.core.storage.models import Counter

REGISTRATION = "registration"
DOCUMENT = "document"


def next_number(session: Session, name: str, year: int) -> int:
    counter = session.get(Counter, (name, year))
    if counter is None:
        counter = Counter(name=name, year=year, value=0)
    counter.value += 1
    session.add(counter)
    session.flush()
    return counter.value
