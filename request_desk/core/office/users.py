"""Users and their roles (经办人, 负责人, 管理员).

Callers get ``DeskUser`` records, plain and immutable, never the stored rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from request_desk.core.errors import ValidationFailed
from request_desk.core.storage.audit import audit, snapshot
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import User
from request_desk.core.vocab import Role


@dataclass(frozen=True)
class DeskUser:
    """One user of the desk as plain values."""

    id: int
    username: str
    display_name: str
    role: str  # a Role value
    active: bool


def _record(user: User) -> DeskUser:
    assert user.id is not None
    return DeskUser(id=user.id, username=user.username, display_name=user.display_name, role=user.role,
                    active=user.active)


def add_user(db: Database, username: str, display_name: str, role: Role, *, actor: str) -> DeskUser:
    username = username.strip()
    if not username or not display_name.strip():
        raise ValidationFailed("用户名和姓名不能为空。")
    with db.write() as session:
        if session.exec(select(User).where(User.username == username)).first() is not None:
            raise ValidationFailed(f"用户名“{username}”已存在。")
        user = User(username=username, display_name=display_name.strip(), role=role)
        session.add(user)
        session.flush()
        audit(session, actor, "add_user", "user", user.id, None, snapshot(user))
        return _record(user)


def list_users(db: Database, *, active_only: bool = True) -> list[DeskUser]:
    with db.read() as session:
        query = select(User).order_by(col(User.username))
        if active_only:
            query = query.where(col(User.active).is_(True))
        return [_record(u) for u in session.exec(query).all()]


def active_role(db: Database, username: str) -> Role | None:
    """The role of an active user, or None for an unknown or deactivated one."""
    with db.read() as session:
        user = session.exec(select(User).where(User.username == username)).first()
    return Role(user.role) if user is not None and user.active else None


def display_name(db: Database, username: str) -> str:
    """The name people know a user by; the login itself when no user has it."""
    with db.read() as session:
        name = session.exec(select(User.display_name).where(User.username == username)).first()
    return name or username


def supervisors(db: Database) -> list[DeskUser]:
    """Who may approve an extension (the head of the disclosure office)."""
    return [u for u in list_users(db) if Role(u.role) in (Role.SUPERVISOR, Role.ADMINISTRATOR)]
