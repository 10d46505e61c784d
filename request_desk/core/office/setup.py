"""A new office's first start: what is still missing, and finishing the setup assistant.

``what_is_missing`` is what the dashboard lists until the office is set up (and why
the assistant opens at start-up). ``finish_setup`` stores everything the assistant
collected — the settings, the first handling units and the first administrator — in
ONE transaction: each part audited as the settings page, the units page and the
users panel audit it, but an office is never left half set up (say, details saved
and no administrator to change them) when one part is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from request_desk.core.deadlines.holidays import calendar
from request_desk.core.errors import ValidationFailed
from request_desk.core.office import accounts
from request_desk.core.office import settings as office_settings
from request_desk.core.office import units as office_units
from request_desk.core.office import users as office_users
from request_desk.core.office.settings_change import apply_settings
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import HandlingUnit, User
from request_desk.core.vocab import Role, UnitLevel


@dataclass(frozen=True)
class Missing:
    """One thing a new office has not done yet, and what to do about it."""

    key: str  # "office_details", "units", "administrator", "holiday_notice"
    what: str
    todo: str


@dataclass(frozen=True)
class SetupPlan:
    """What the assistant collected."""

    settings: dict[str, Any]
    admin_username: str
    admin_display_name: str
    units: tuple[str, ...] = field(default=())
    # The administrator's password (office/accounts.py); their own when they run the
    # assistant themselves, otherwise to be changed at their first sign-in.
    admin_password: str = ""


def what_is_missing(db: Database, today: date) -> list[Missing]:
    with db.read() as session:
        conf = office_settings.load(session)
        has_units = session.exec(select(HandlingUnit.id).where(col(HandlingUnit.active).is_(True))).first()
        admins = office_users.active_administrators(session)
        source = calendar(session).source_of(today.year)
    missing: list[Missing] = []
    if conf.missing_office_details():
        missing.append(Missing("office_details", "未填写机关信息：" + "、".join(conf.missing_office_details()),
                               "在初始设置或“设置 → 机关信息与规则”中填写；填写前不能签发任何文书。"))
    if not has_units:
        missing.append(Missing("units", "尚无承办单位", "在初始设置或“承办单位”页添加，分办时选择。"))
    if not admins:
        missing.append(Missing("administrator", "尚无管理员",
                               "在初始设置中指定管理员：管理用户和查询审计日志须由管理员进行。"))
    if source == "provisional":
        missing.append(Missing("holiday_notice", f"未导入{today.year}年国务院放假通知",
                               "答复期限暂按法定节日推算（暂定）；请在初始设置或“设置 → 节假日安排”中导入。"))
    return missing


def needs_setup(db: Database) -> bool:
    """Whether the assistant should open at start-up: the office details every letter needs are missing."""
    with db.read() as session:
        return bool(office_settings.load(session).missing_office_details())


def finish_setup(db: Database, plan: SetupPlan, *, actor: str, today: date | None = None) -> None:
    """Store the assistant's settings, units and administrator in one transaction (all or nothing).

    Who may: ``users.require_administrator`` (an administrator; before there is one, a
    supervisor of the office; on an empty database whoever starts it).
    """
    username, name = plan.admin_username.strip(), plan.admin_display_name.strip()
    if not username or not name:
        raise ValidationFailed("请填写管理员的用户名和姓名。")
    with db.write() as session:
        office_users.require_administrator(session, actor, "进行初始设置")
        # Settings and units first: the permission checks they make hold for ``actor`` as the
        # office stands, before the new administrator takes a supervisor's stand-in rights away.
        apply_settings(session, actor, plan.settings, today)
        known = set(session.exec(select(HandlingUnit.name)).all())
        for unit in dict.fromkeys(u.strip() for u in plan.units if u.strip()):
            if unit not in known:  # the assistant run again lists the units it added before
                office_units.insert_unit(session, office_units.UnitData(unit, UnitLevel.DEPARTMENT), actor=actor)
        admin = _make_administrator(session, username, name, actor)
        if plan.admin_password:
            accounts.set_password(session, admin, plan.admin_password, actor, temporary=actor != username)


def _make_administrator(session: Session, username: str, name: str, actor: str) -> User:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        return office_users.insert_user(session, username, name, Role.ADMINISTRATOR, actor=actor)
    office_users.change_user(session, user, actor, "set_user_role", display_name=name,
                             role=Role.ADMINISTRATOR.value, active=True)
    return user
