"""What other desks changed since this desk last looked: read off the audit log.

Every saved change writes an audit entry in its own transaction (storage/audit.py),
and writers take turns (BEGIN IMMEDIATE on a file, the write lock on the server),
so entries are committed in id order: "everything after entry N" is exactly what
was saved since this desk read entry N. A desk polls ``newest`` (one index lookup)
and reads ``since`` when it moved; on the office server a ``NOTIFY`` sent with every
write transaction (``Database.write``) wakes the desks at once instead
(``postgres_support.ChangeListener``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import col

from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry

#: Audit tables whose entries concern requests (a case's steps, letters, remedies, calls …).
REQUEST_TABLES = frozenset({"request", "assignment", "letter", "letter_review", "remedycase", "satisfactioncall",
                            "request_link", "publicationflag", "attachment", "event", "pause", "fee"})
UNIT_TABLES = frozenset({"handlingunit"})
SETTING_TABLES = frozenset({"setting", "office_file", "calendaryear", "import_profile"})
USER_TABLES = frozenset({"user"})
#: More entries than this at once (an import, a restore): "many requests", not a list of ids.
MANY = 500


@dataclass(frozen=True)
class Changes:
    """What changed after one audit entry and up to another."""

    newest: int
    requests: frozenset[int] | None  # the requests changed; None: many or not known which
    units: bool
    settings: bool
    users: bool

    @property
    def any_request(self) -> bool:
        return self.requests is None or bool(self.requests)


def newest(db: Database) -> int:
    """The id of the newest audit entry (0 on an empty log)."""
    with db.read() as session:
        return int(session.execute(select(func.max(col(AuditEntry.id)))).scalar_one() or 0)


def since(db: Database, last: int) -> Changes | None:
    """The changes saved after audit entry ``last``; None when there are none."""
    with db.read() as session:
        rows = session.execute(
            select(col(AuditEntry.id), col(AuditEntry.table_name), col(AuditEntry.record_id))
            .where(col(AuditEntry.id) > last).order_by(col(AuditEntry.id)).limit(MANY + 1)).all()
        if not rows:
            return None
        if len(rows) > MANY:
            top = int(session.execute(select(func.max(col(AuditEntry.id)))).scalar_one())
            return Changes(top, None, True, True, True)
    tables = {table for _, table, _ in rows}
    requests: frozenset[int] | None = frozenset(
        int(record) for _, table, record in rows if table == "request" and record is not None)
    if any(table in REQUEST_TABLES and table != "request" for table in tables) or any(
            table == "request" and record is None for _, table, record in rows):
        requests = None  # a step of some case (its entry names the step's own row) or many at once
    return Changes(int(rows[-1][0]), requests, bool(tables & UNIT_TABLES), bool(tables & SETTING_TABLES),
                   bool(tables & USER_TABLES))
