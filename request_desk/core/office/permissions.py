"""Who may do what: one table of permissions and the roles that hold them (docs/SECURITY.md).

Services consult it (``allowed``, ``require``) inside their own transaction, so a
refusal writes nothing; the GUI reads the same table to grey out what the user
may not do. Full personal data is one of them (《个人信息保护法》): lists, registers
and exports mask ID numbers and phones, a full view is for supervisors and
administrators who ask for it, and every full-view export is audited before the
file is produced.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlmodel import Session, select

from request_desk.core.errors import DeskError
from request_desk.core.storage.audit import audit
from request_desk.core.storage.models import User
from request_desk.core.vocab import Role


class Permission(StrEnum):
    """Something only some roles may do."""

    CORRECT_RECORD = "correct_record"
    CORRECT_RECEIPT_DATE_AFTER_REPLY = "correct_receipt_date_after_reply"
    UNDO_STEP = "undo_step"
    APPROVE_EXTENSION = "approve_extension"
    VIEW_FULL_PERSONAL_DATA = "view_full_personal_data"
    CHANGE_SETTINGS = "change_settings"
    MANAGE_USERS = "manage_users"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Permission.CORRECT_RECORD: "更正登记信息",
    Permission.CORRECT_RECEIPT_DATE_AFTER_REPLY: "更正已答复申请的收到日期",
    Permission.UNDO_STEP: "撤销办理步骤",
    Permission.APPROVE_EXTENSION: "批准延期答复",
    Permission.VIEW_FULL_PERSONAL_DATA: "查看或导出完整的证件号码和电话",
    Permission.CHANGE_SETTINGS: "修改机关设置",
    Permission.MANAGE_USERS: "管理用户和密码",
}

_HEADS = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})
ROLES: dict[Permission, frozenset[Role]] = {
    Permission.CORRECT_RECORD: frozenset(Role),
    # Both move the legal record: the head of the office decides (docs/domain.md, "Corrections").
    Permission.CORRECT_RECEIPT_DATE_AFTER_REPLY: _HEADS,
    Permission.UNDO_STEP: _HEADS,
    # 条例第三十三条: an extension needs the consent of the head of the disclosure office.
    Permission.APPROVE_EXTENSION: _HEADS,
    Permission.VIEW_FULL_PERSONAL_DATA: _HEADS,
    # Office-wide rules (numbering, deadlines, remedy bodies) bind every desk.
    Permission.CHANGE_SETTINGS: _HEADS,
    Permission.MANAGE_USERS: frozenset({Role.ADMINISTRATOR}),
}
assert set(ROLES) == set(Permission), "every permission names its roles"

FULL_VIEW_ROLES = ROLES[Permission.VIEW_FULL_PERSONAL_DATA]
SETTINGS_ROLES = ROLES[Permission.CHANGE_SETTINGS]


class PermissionDenied(DeskError):
    """The user's role does not allow this."""


def has_role(session: Session, username: str, roles: frozenset[Role]) -> bool:
    user = session.exec(select(User).where(User.username == username)).first()
    return user is not None and user.active and Role(user.role) in roles


def allowed(session: Session, username: str, permission: Permission) -> bool:
    """Whether ``username`` is an active user whose role holds ``permission``."""
    return has_role(session, username, ROLES[permission])


def roles_text(permission: Permission) -> str:
    """The roles that hold ``permission``, as the refusals name them (负责人或管理员)."""
    return "或".join(r.label for r in Role if r in ROLES[permission])


def require(session: Session, username: str, permission: Permission, why: str = "") -> None:
    """Refuse (``PermissionDenied``) unless ``username`` may; ``why`` replaces the generic sentence."""
    if not allowed(session, username, permission):
        who = roles_text(permission)
        raise PermissionDenied(why or f"“{username}”无权{permission.label}：只有在用的{who}账户可以。")


def may_view_full_personal_data(session: Session, username: str) -> bool:
    return allowed(session, username, Permission.VIEW_FULL_PERSONAL_DATA)


def record_full_view(session: Session, username: str, what: str, details: dict[str, Any], *,
                     refusal: str | None = None) -> None:
    """Refuse unless the role allows a full view; otherwise audit it in the caller's transaction.

    ``refusal`` replaces the export wording of the message (e.g. for a letter).
    """
    if not may_view_full_personal_data(session, username):
        raise PermissionDenied(refusal or (
            f"“{username}”无权导出完整的证件号码和电话：只有在用的负责人或管理员账户可以，"
            "请改为脱敏导出或请负责人操作。"
        ))
    audit(session, username, "full_personal_data_export", what, None, None, details)
