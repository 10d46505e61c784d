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
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from request_desk.core.errors import ValidationFailed

# Bookkeeping columns: they always move forward, never back.
NOT_REVERTED = frozenset({"version", "updated_at"})
# The record of what happened is never taken back: an undo adds to it (an event, an audit entry).
APPEND_ONLY = frozenset({"attachment", "audit_log", "event", "letter"})

Key = list[Any]  # a row's primary key values, in the table's order (JSON-safe)


@dataclass
class ChangeSet:
    """Rows a step inserted (table, key, their values) and rows it updated (table, key, {col: [old, new]})."""

    inserted: list[tuple[str, Key, dict[str, Any]]] = field(default_factory=list)
    updated: list[tuple[str, Key, dict[str, list[Any]]]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"inserted": [list(i) for i in self.inserted], "updated": [list(u) for u in self.updated]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChangeSet:
        return cls([(str(t), list(k), dict(v)) for t, k, v in data.get("inserted", [])],
                   [(str(t), list(k), dict(cols)) for t, k, cols in data.get("updated", [])])


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _table(obj: SQLModel) -> str:
    return str(obj.__tablename__)


def _key(obj: SQLModel) -> Key:
    identity = inspect(obj).identity
    assert identity is not None, "flushed rows have their key"
    return list(identity)


def _values(obj: SQLModel) -> dict[str, Any]:
    """The row's column values as plain data (binary columns left out: a PDF is not compared)."""
    out = {}
    for attr in inspect(obj).mapper.column_attrs:
        value = getattr(obj, attr.key)
        if not isinstance(value, bytes):
            out[attr.key] = _plain(value)
    return out


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
    have their keys; the ChangeSet is filled when the block exits. Append-only tables
    are not recorded.
    """
    new_rows: list[SQLModel] = []
    first_old: dict[tuple[str, tuple[Any, ...]], dict[str, Any]] = {}
    updated_rows: dict[tuple[str, tuple[Any, ...]], SQLModel] = {}

    def before_flush(sess: Session, _context: Any, _instances: Any) -> None:
        new_rows.extend(obj for obj in sess.new if obj not in new_rows and _table(obj) not in APPEND_ONLY)
        for obj in sess.dirty:
            state = inspect(obj)
            if obj in new_rows or state.identity is None or _table(obj) in APPEND_ONLY:
                continue
            key = (_table(obj), tuple(state.identity))
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
        changes.inserted.append((_table(obj), _key(obj), _values(obj)))
    for (table, key), old in first_old.items():
        obj = updated_rows[(table, key)]
        cols = {name: [value, _plain(getattr(obj, name))] for name, value in old.items()
                if name not in NOT_REVERTED and value != _plain(getattr(obj, name))}
        if cols:
            changes.updated.append((table, list(key), cols))


MOVED_ON = "该步骤之后本案又有其他改动（如已签收、已审核或被其他记录引用），无法自动撤销；请逐项更正。"


def revert(session: Session, changes: ChangeSet, *, derived: frozenset[str] = frozenset()) -> None:
    """Take ``changes`` back: restore updated columns, delete inserted rows (newest first).

    Refused (``ValidationFailed``, nothing changed once the caller rolls back) when a row
    holds anything else than the step left there, or another row now refers to a row the
    step inserted. ``derived`` columns are neither compared nor restored: the caller
    recomputes them (a request's due date follows from its dates and the calendar).
    """
    try:  # each deletion is flushed as the next row is read (autoflush), children before parents
        _restore(session, changes, derived)
        session.flush()
    except IntegrityError:  # a later record refers to a row the step made
        raise ValidationFailed(MOVED_ON) from None


def _restore(session: Session, changes: ChangeSet, derived: frozenset[str]) -> None:
    for table, key, cols in changes.updated:
        model = _model_of(table)
        row = session.get(model, tuple(key))
        if row is None:
            raise ValidationFailed(MOVED_ON)
        for name, (old, new) in cols.items():
            if name in derived:
                continue
            if _plain(getattr(row, name)) != new:
                raise ValidationFailed(MOVED_ON)
            setattr(row, name, _stored(model, name, old))
        session.add(row)
    for table, key, values in reversed(changes.inserted):
        row = session.get(_model_of(table), tuple(key))
        if row is None or any(_values(row).get(k) != v for k, v in values.items() if k not in NOT_REVERTED):
            raise ValidationFailed(MOVED_ON)
        session.delete(row)
