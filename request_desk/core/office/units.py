"""Handling units (承办单位): a hierarchy of city, district and department units.

Callers get ``Unit`` records, plain and immutable, never the stored rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from request_desk.core.cases.validation import check_phone
from request_desk.core.errors import NotFound, ValidationFailed
from request_desk.core.office import permissions
from request_desk.core.storage.audit import audit, diff, snapshot
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import HandlingUnit
from request_desk.core.text import has_visible
from request_desk.core.vocab import UnitLevel


@dataclass
class UnitData:
    name: str
    level: UnitLevel
    parent_id: int | None = None
    contact_person: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    note: str = ""
    active: bool = True


@dataclass(frozen=True)
class Unit:
    """One handling unit as plain values."""

    id: int
    name: str
    level: str  # a UnitLevel value
    parent_id: int | None
    active: bool
    contact_person: str
    phone: str
    email: str
    address: str
    note: str


def _record(unit: HandlingUnit) -> Unit:
    assert unit.id is not None
    return Unit(id=unit.id, name=unit.name, level=unit.level, parent_id=unit.parent_id, active=unit.active,
                contact_person=unit.contact_person, phone=unit.phone, email=unit.email, address=unit.address,
                note=unit.note)


def _validate(data: UnitData) -> None:
    if not has_visible(data.name):  # empty, or only zero-width characters pasted from a web page
        raise ValidationFailed("承办单位名称不能为空（也不能只有看不见的字符）。")
    if data.phone:
        errors = [i for i in check_phone(data.phone)[1] if i.severity == "error"]
        if errors:
            raise ValidationFailed(errors[0].message, errors)


def add_unit(db: Database, data: UnitData, *, actor: str) -> Unit:
    _validate(data)
    with db.write() as session:
        return insert_unit(session, data, actor=actor)


def insert_unit(session: Session, data: UnitData, *, actor: str) -> Unit:
    """``add_unit`` in the caller's transaction (the setup assistant adds several at once)."""
    _validate(data)
    permissions.require(session, actor, permissions.Permission.CHANGE_SETTINGS)
    if data.parent_id is not None and session.get(HandlingUnit, data.parent_id) is None:
        raise NotFound("上级单位不存在。")
    unit = HandlingUnit(**{**data.__dict__, "name": data.name.strip()})
    session.add(unit)
    session.flush()
    audit(session, actor, "add_unit", "handlingunit", unit.id, None, snapshot(unit))
    return _record(unit)


def update_unit(db: Database, unit_id: int, data: UnitData, *, actor: str) -> Unit:
    _validate(data)
    with db.write() as session:
        permissions.require(session, actor, permissions.Permission.CHANGE_SETTINGS)
        unit = session.get(HandlingUnit, unit_id)
        if unit is None:
            raise NotFound("承办单位不存在。")
        parent = data.parent_id
        while parent is not None:  # a unit cannot sit below itself
            if parent == unit_id:
                raise ValidationFailed("上级单位不能是本单位或其下级单位。")
            above = session.get(HandlingUnit, parent)
            parent = above.parent_id if above else None
        before = snapshot(unit)
        for key, value in data.__dict__.items():
            setattr(unit, key, value)
        session.add(unit)
        session.flush()
        old, new = diff(before, snapshot(unit))
        audit(session, actor, "update_unit", "handlingunit", unit.id, old, new)
        return _record(unit)


def list_units(db: Database, *, active_only: bool = False) -> list[Unit]:
    """All units ordered by name (an office has hundreds at most)."""
    with db.read() as session:
        query = select(HandlingUnit).order_by(col(HandlingUnit.level), col(HandlingUnit.name))
        if active_only:
            query = query.where(col(HandlingUnit.active).is_(True))
        return [_record(u) for u in session.exec(query).all()]


def unit_named(db: Database, name: str) -> Unit:
    """The unit called exactly ``name`` (how the command line names one); NotFound otherwise."""
    with db.read() as session:
        unit = session.exec(select(HandlingUnit).where(HandlingUnit.name == name.strip())
                            .order_by(col(HandlingUnit.active).desc(), col(HandlingUnit.id))).first()
        if unit is None:
            raise NotFound(f"没有名为“{name.strip()}”的承办单位。")
        return _record(unit)
