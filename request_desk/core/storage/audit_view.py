"""Reading the append-only audit log: one case's history, and an administrator's search.

The log itself is written by ``audit.audit`` in the same transaction as the
change it records, and SQLite triggers refuse any UPDATE or DELETE of it.
Both queries here are read-only, paged, and filtered in SQL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import String, cast, or_
from sqlmodel import Session, col, select

from request_desk.core.errors import ValidationFailed
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry, User, table_of


@dataclass(frozen=True)
class AuditRow:
    """One audit entry as plain values (``at`` is UTC, aware)."""

    id: int
    at: datetime
    user: str
    action: str
    table_name: str
    record_id: int | None
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    replaced_file: str | None = None  # carried over a restore from this replaced database


@dataclass(frozen=True)
class AuditQuery:
    """An administrator's search; every field left empty means "all"."""

    user: str = ""
    action: str = ""
    table_name: str = ""
    record_id: int | None = None
    since: date | None = None
    until: date | None = None  # inclusive; both are local calendar days
    text: str = ""  # substring of the old or new values (e.g. a name or an ID number)


def _row(entry: AuditEntry) -> AuditRow:
    at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=UTC)
    return AuditRow(entry.id or 0, at, entry.user, entry.action, entry.table_name, entry.record_id,
                    entry.old, entry.new, entry.replaced_file)


def _local_midnight(day: date) -> datetime:
    # The administrator means days of the office's clock; the log is in UTC.
    return datetime.combine(day, time()).astimezone(UTC)


def case_history(db: Database, request_id: int) -> list[AuditRow]:
    """Every audit entry about one request, oldest first (the per-case audit view)."""
    with db.read() as session:
        stmt = select(AuditEntry).where(AuditEntry.table_name == "request",
                                        AuditEntry.record_id == request_id)
        return [_row(e) for e in session.exec(stmt.order_by(col(AuditEntry.id))).all()]


def search(db: Database, query: AuditQuery, *, offset: int = 0, limit: int = 200) -> list[AuditRow]:
    """Audit entries matching ``query``, newest first, one page at a time."""
    if query.since and query.until and query.until < query.since:
        raise ValidationFailed("查询的结束日期不能早于开始日期。")
    stmt = select(AuditEntry)
    if query.user:
        stmt = stmt.where(AuditEntry.user == query.user)
    if query.action:
        stmt = stmt.where(AuditEntry.action == query.action)
    if query.table_name:
        stmt = stmt.where(AuditEntry.table_name == query.table_name)
    if query.record_id is not None:
        stmt = stmt.where(AuditEntry.record_id == query.record_id)
    if query.since:
        stmt = stmt.where(col(AuditEntry.at) >= _local_midnight(query.since))
    if query.until:
        stmt = stmt.where(col(AuditEntry.at) < _local_midnight(query.until + timedelta(days=1)))
    if query.text.strip():
        needle = query.text.strip()
        # JSON is stored as text with non-ASCII escaped (\uXXXX); search both spellings.
        escaped = json.dumps(needle)[1:-1]
        clauses = []
        for column in (table_of(AuditEntry).c.old, table_of(AuditEntry).c.new):
            as_text = cast(column, String)
            clauses += [as_text.contains(needle, autoescape=True), as_text.contains(escaped, autoescape=True)]
        stmt = stmt.where(or_(*clauses))
    stmt = stmt.order_by(col(AuditEntry.id).desc()).offset(max(0, offset)).limit(max(0, limit))
    with db.read() as session:
        return [_row(e) for e in session.exec(stmt).all()]


@dataclass(frozen=True)
class LastChange:
    user: str
    display_name: str
    at: datetime  # UTC, aware
    action: str

    def describe(self) -> str:
        """“王主任（supervisor）于 2026-11-27 14:03” in local time."""
        named = self.display_name and self.display_name != self.user
        who = f"{self.display_name}（{self.user}）" if named else self.user
        return f"{who}于 {self.at.astimezone().strftime('%Y-%m-%d %H:%M')}"


def last_change(session: Session, request_id: int) -> LastChange | None:
    """Who changed the request last and when, from its newest audit entry."""
    entry = session.exec(
        select(AuditEntry).where(AuditEntry.table_name == "request", AuditEntry.record_id == request_id)
        .order_by(col(AuditEntry.id).desc()).limit(1)
    ).first()
    if entry is None:
        return None
    user = session.exec(select(User).where(User.username == entry.user)).first()
    row = _row(entry)
    return LastChange(entry.user, user.display_name if user else "", row.at, entry.action)

