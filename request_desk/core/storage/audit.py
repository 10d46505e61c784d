"""Writing the case timeline and the append-only audit log.

Both are written in the caller's transaction, so a step and its record of
itself commit or vanish together.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, SQLModel

from request_desk.core.storage.models import AuditEntry, Event


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def _plain_dict(data: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if data is None else {k: _plain(v) for k, v in data.items()}


def snapshot(record: SQLModel, names: list[str] | None = None) -> dict[str, Any]:
    """The record's column values as JSON-safe plain data."""
    data = record.model_dump()
    if names is not None:
        data = {k: data[k] for k in names}
    return _plain_dict(data) or {}


def diff(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only what changed, as (old, new) dictionaries."""
    keys = [k for k in new if old.get(k) != new.get(k)]
    return {k: old.get(k) for k in keys}, {k: new[k] for k in keys}


def audit(
    session: Session,
    user: str,
    action: str,
    table: str,
    record_id: int | None,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
) -> AuditEntry:
    entry = AuditEntry(user=user, action=action, table_name=table, record_id=record_id,
                       old=_plain_dict(old), new=_plain_dict(new))
    session.add(entry)
    return entry


def event(
    session: Session,
    request_id: int,
    kind: str,
    on_date: date,
    user: str,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> Event:
    ev = Event(request_id=request_id, kind=kind, on_date=on_date, user=user, note=note,
               data=_plain_dict(data) or None)
    session.add(ev)
    return ev
