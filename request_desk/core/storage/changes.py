"""What one transaction step changed, row by row, so that it can be taken back exactly.

A workflow step may touch several tables (the request, an assignment it ends and
one it starts, a pause, a fee, a publication suggestion). ``capture`` listens to
the session's flushes while the step runs and returns a plain, JSON-safe
``ChangeSet``: the rows inserted, and for each row updated the old and new value
of every column that changed. The case timeline keeps it with the step's event,
and ``revert`` applies it backwards in a later transaction (a supervisor undoing
a mistaken step, docs/domain.md "Corrections").

``revert`` refuses when a row has moved on since: a column holds another value
than the step left there, or an inserted row is gone — someone worked on after
the step, and blindly restoring would overwrite their work.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, event, inspect
from sqlmodel import Session, SQLModel

from request_desk.core.errors import ValidationFailed

# Bookkeeping columns: they always move forward, never back.
NOT_REVERTED = frozenset({"version", "updated_at"})


@dataclass
class ChangeSet:
    """Rows a step inserted (table, id) and column changes of rows it updated (table, id, {col: [old, new]})."""

    inserted: list[tuple[str, int]] = field(default_factory=list)
    updated: list[tuple[str, int, dict[str, list[Any]]]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"inserted": [list(i) for i in self.inserted],
                "updated": [[t, pk, cols] for t, pk, cols in self.updated]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChangeSet:
        return cls([(str(t), int(pk)) for t, pk in data.get("inserted", [])],
                   [(str(t), int(pk), dict(cols)) for t, pk, cols in data.get("updated", [])])


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _model_of(table: str) -> type[SQLModel]:
    for mapper in SQLModel._sa_registry.mappers:  # noqa: SLF001  (the one registry of all tables)
        if getattr(mapper.class_, "__tablename__", None) == table:
            return mapper.class_
    raise KeyError(table)


def _stored(model: type[SQLModel], name: str, plain: Any) -> Any:
    """A captured plain value back in the column's Python type."""
    if plain is None:
        return None
    column_type = model.__table__.columns[name].type  # type: ignore[attr-defined]
    if isinstance(column_type, DateTime):
        return datetime.fromisoformat(plain)
    if isinstance(column_type, Date):
        return date.fromisoformat(plain)
    return plain


@contextmanager
def capture(session: Session) -> Iterator[ChangeSet]:
    """Record every insert and update flushed by ``session`` inside the block.

    The block must flush before it ends (``session.flush()``), so that inserted rows
    have their ids; the ChangeSet is filled when the block exits.
    """
    new_rows: list[SQLModel] = []
    first_old: dict[tuple[str, int], dict[str, Any]] = {}
    updated_rows: dict[tuple[str, int], SQLModel] = {}

    def before_flush(sess: Session, _context: Any, _instances: Any) -> None:
        new_rows.extend(obj for obj in sess.new if obj not in new_rows)
        for obj in sess.dirty:
            state = inspect(obj)
            if obj in new_rows or state.key is None:
                continue
            key = (str(obj.__tablename__), state.key[1][0])
            old = first_old.setdefault(key, {})
            updated_rows[key] = obj
            for attr in state.mapper.column_attrs:
                history = state.attrs[attr.key].history
                if history.has_changes() and attr.key not in old:
                    old[attr.key] = _plain(history.deleted[0]) if history.deleted else None

    changes = ChangeSet()
    event.listen(session, "before_flush", before_flush)
    try:
        yield changes
    finally:
        event.remove(session, "before_flush", before_flush)
    for obj in new_rows:
        changes.inserted.append((str(obj.__tablename__), inspect(obj).key[1][0]))
    for key, old in first_old.items():
        obj = updated_rows[key]
        cols = {name: [value, _plain(getattr(obj, name))] for name, value in old.items()
                if name not in NOT_REVERTED and value != _plain(getattr(obj, name))}
        if cols:
            changes.updated.append((key[0], key[1], cols))


def revert(session: Session, changes: ChangeSet, *, derived: frozenset[str] = frozenset()) -> None:
    """Take ``changes`` back: restore updated columns, delete inserted rows (newest first).

    ``derived`` columns are left alone: the caller recomputes them (a request's due date
    follows from its dates and the calendar, which may have changed since).
    """
    moved_on = "该步骤之后本案又有其他改动，无法自动撤销；请逐项更正。"
    for table, pk, cols in changes.updated:
        model = _model_of(table)
        row = session.get(model, pk)
        if row is None:
            raise ValidationFailed(moved_on)
        for name, (old, new) in cols.items():
            if name in derived:
                continue
            if _plain(getattr(row, name)) != new:
                raise ValidationFailed(moved_on)
            setattr(row, name, _stored(model, name, old))
        session.add(row)
    for table, pk in reversed(changes.inserted):
        row = session.get(_model_of(table), pk)
        if row is None:
            raise ValidationFailed(moved_on)
        session.delete(row)
    session.flush()
