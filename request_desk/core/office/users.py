"""Users and their roles (经办人, 负责人, 管理员, and a handling unit's 承办单位联络员).

Callers get ``DeskUser`` records, plain and immutable, never the stored rows.
Managing users (adding once the office has an administrator, renaming, changing a
role, deactivating and reactivating) is for active administrators only, each change
audited old → new. A user is never deleted: a deactivated one keeps their history
(their name still shows in timelines and registers) but can no longer act. A unit
liaison belongs to one active handling unit (``unit_id``); the desk's roles to none.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from request_desk.core.errors import NotFound, ValidationFailed
from request_desk.core.office import accounts, permissions
from request_desk.core.storage.audit import audit, diff, snapshot
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import HandlingUnit, User
from request_desk.core.vocab import Role


@dataclass(frozen=True)
class DeskUser:
    """One user of the desk as plain values."""

    id: int
    username: str
    display_name: str
    role: str  # a Role value
    active: bool
    unit_id: int | None = None  # a liaison's handling unit
    unit_name: str = ""


class LastAdministrator(ValidationFailed):
    """The change would leave the office without an active administrator."""


def _record(user: User, unit_name: str = "") -> DeskUser:
    assert user.id is not None
    return DeskUser(id=user.id, username=user.username, display_name=user.display_name, role=user.role,
                    active=user.active, unit_id=user.unit_id, unit_name=unit_name)


def _record_in(session: Session, user: User) -> DeskUser:
    unit = session.get(HandlingUnit, user.unit_id) if user.unit_id is not None else None
    return _record(user, unit.name if unit is not None else "")


def active_administrators(session: Session) -> int:
    query = select(func.count()).select_from(User).where(col(User.active).is_(True),
                                                         User.role == Role.ADMINISTRATOR.value)
    return int(session.exec(query).one())


def require_administrator(session: Session, actor: str, what: str) -> None:
    """Refuse unless ``actor`` may manage users (``Permission.MANAGE_USERS``).

    An administrator; while the office has none, a supervisor; on a database without users
    anyone, which is how an office starts: its first user is its administrator (the setup
    assistant, or ``request-desk user add``).
    """
    if not permissions.allowed(session, actor, permissions.Permission.MANAGE_USERS):
        if not permissions.has_administrator(session):
            raise permissions.PermissionDenied(f"“{actor}”无权{what}：本机关尚无管理员，须由在用的负责人账户操作。")
        raise permissions.PermissionDenied(f"“{actor}”无权{what}：只有在用的管理员账户可以管理用户。")


def _find(session: Session, username: str) -> User:
    user = session.exec(select(User).where(User.username == username.strip())).first()
    if user is None:
        raise NotFound(f"没有用户名为“{username}”的用户。")
    return user


# What the audit log keeps of a user: never the password hash.
_AUDITED = ["username", "display_name", "role", "active", "unit_id"]


def _check_names(username: str, display_name: str) -> None:
    if not username.strip() or not display_name.strip():
        raise ValidationFailed("用户名和姓名不能为空。")


def _unit_for(session: Session, role: Role, unit_id: int | None) -> int | None:
    """The unit a user of ``role`` belongs to: a liaison's active unit, nobody else's."""
    if role is not Role.LIAISON:
        return None
    if unit_id is None:
        raise ValidationFailed("承办单位联络员须指定其所在的承办单位。")
    unit = session.get(HandlingUnit, unit_id)
    if unit is None or not unit.active:
        raise ValidationFailed("所选承办单位不存在或已停用：联络员须属于一个在用的承办单位。")
    return unit_id


def insert_user(session: Session, username: str, display_name: str, role: Role, *, actor: str,
                unit_id: int | None = None) -> User:
    """Add a user in the caller's transaction (audited); no permission check here."""
    username = username.strip()
    _check_names(username, display_name)
    if session.exec(select(User).where(User.username == username)).first() is not None:
        raise ValidationFailed(f"用户名“{username}”已存在。")
    user = User(username=username, display_name=display_name.strip(), role=role,
                unit_id=_unit_for(session, role, unit_id))
    session.add(user)
    session.flush()
    audit(session, actor, "add_user", "user", user.id, None, snapshot(user, _AUDITED))
    return user


def add_user(db: Database, username: str, display_name: str, role: Role, *, actor: str,
             initial_password: str | None = None, unit_id: int | None = None) -> DeskUser:
    """Add a user (``require_administrator`` says who may), with a first password to be changed at
    the first sign-in when one is given; a liaison needs ``unit_id``, an active handling unit."""
    _check_names(username, display_name)
    with db.write() as session:
        require_administrator(session, actor, "新增用户")
        user = insert_user(session, username, display_name, role, actor=actor, unit_id=unit_id)
        if initial_password is not None:
            # The first administrator of an empty database chooses their own: no change forced.
            own = actor == user.username
            accounts.set_password(session, user, initial_password, actor, temporary=not own)
        return _record_in(session, user)


def reset_password(db: Database, username: str, temporary: str, *, actor: str) -> DeskUser:
    """An administrator sets a temporary password (unlocking the account); the user must change it."""
    with db.write() as session:
        require_administrator(session, actor, "重置密码")
        user = _find(session, username)
        accounts.set_password(session, user, temporary, actor, temporary=True)
        return _record(user)


def change_user(session: Session, user: User, actor: str, action: str, **values: object) -> DeskUser:
    """Set ``values`` on ``user`` in the caller's transaction, audited old → new."""
    before = snapshot(user, _CHANGEABLE)
    for name, value in values.items():
        setattr(user, name, value)
    session.add(user)
    session.flush()
    old, new = diff(before, snapshot(user, _CHANGEABLE))
    if new:
        audit(session, actor, action, "user", user.id, old, new)
    return _record_in(session, user)


_CHANGEABLE = ["display_name", "role", "active", "unit_id"]


def _keep_an_administrator(session: Session, user: User, what: str) -> None:
    """``what`` says the refused change, ``{who}`` standing for the user."""
    if user.active and user.role == Role.ADMINISTRATOR.value and active_administrators(session) <= 1:
        who = f"“{user.display_name}（{user.username}）”"
        raise LastAdministrator(
            f"不能{what.format(who=who)}：这是本机关唯一在用的管理员，"
            "否则将无人能管理用户和查询审计日志。请先把另一位用户设为管理员。")


def update_user(db: Database, username: str, display_name: str, *, actor: str) -> DeskUser:
    """Change the name people know ``username`` by."""
    if not display_name.strip():
        raise ValidationFailed("姓名不能为空。")
    with db.write() as session:
        require_administrator(session, actor, "修改用户")
        return change_user(session, _find(session, username), actor, "update_user", display_name=display_name.strip())


def set_role(db: Database, username: str, role: Role, *, actor: str, unit_id: int | None = None) -> DeskUser:
    """Give ``username`` another role; a liaison's (new) unit is ``unit_id``, the desk's roles have none."""
    with db.write() as session:
        require_administrator(session, actor, "更改用户角色")
        user = _find(session, username)
        if role is not Role.ADMINISTRATOR:
            _keep_an_administrator(session, user, f"把{{who}}的角色改为{role.label}")
        return change_user(session, user, actor, "set_user_role", role=role.value,
                           unit_id=_unit_for(session, role, unit_id))


def deactivate(db: Database, username: str, *, actor: str) -> DeskUser:
    """The user can no longer act; their name stays on everything they did."""
    with db.write() as session:
        require_administrator(session, actor, "停用用户")
        user = _find(session, username)
        _keep_an_administrator(session, user, "停用{who}")
        return change_user(session, user, actor, "deactivate_user", active=False)


def activate(db: Database, username: str, *, actor: str) -> DeskUser:
    with db.write() as session:
        require_administrator(session, actor, "启用用户")
        return change_user(session, _find(session, username), actor, "activate_user", active=True)


def list_users(db: Database, *, active_only: bool = True) -> list[DeskUser]:
    with db.read() as session:
        query = select(User).order_by(col(User.username))
        if active_only:
            query = query.where(col(User.active).is_(True))
        unit_names = {u.id: u.name for u in session.exec(select(HandlingUnit)).all()}
        return [_record(u, unit_names.get(u.unit_id, "")) for u in session.exec(query).all()]


def active_role(db: Database, username: str) -> Role | None:
    """The role of an active user, or None for an unknown or deactivated one."""
    with db.read() as session:
        user = session.exec(select(User).where(User.username == username)).first()
    return Role(user.role) if user is not None and user.active else None


def display_name(db: Database, username: str) -> str:
    """The name people know a user by (deactivated users too); the login itself when no user has it."""
    with db.read() as session:
        name = session.exec(select(User.display_name).where(User.username == username)).first()
    return name or username

