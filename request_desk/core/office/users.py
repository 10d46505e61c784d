"""Users and their roles (经办人, 负责人, 管理员)."""

from __future__ import annotations

from sqlmodel import col, select

from request_desk.core.storage.audit import audit, snapshot
from request_desk.core.storage.db import Database
from request_desk.core.errors import ValidationFailed
from request_desk.core.storage.models import User
from request_desk.core.vocab import Role


def add_user(db: Database, username: str, display_name: str, role: Role, *, actor: str) -> User:
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
        return user


def list_users(db: Database, *, active_only: bool = True) -> list[User]:
    with db.read() as session:
        query = select(User).order_by(col(User.username))
        if active_only:
            query = query.where(col(User.active).is_(True))
        return list(session.exec(query).all())


def supervisors(db: Database) -> list[User]:
    """Who may approve an extension (the head of the disclosure office)."""
    return [u for u in list_users(db) if Role(u.role) in (Role.SUPERVISOR, Role.ADMINISTRATOR)]
