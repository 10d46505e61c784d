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

from sqlmodel import Session, col, select

from request_desk.core.errors import DeskError
from request_desk.core.storage.audit import audit
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import User
from request_desk.core.vocab import Role


class Permission(StrEnum):
    """Something only some roles may do."""

    REGISTER = "register"
    RUN_CASE = "run_case"
    ISSUE_LETTER = "issue_letter"
    LOG_CALL = "log_call"
    PROPOSE_PUBLICATION = "propose_publication"
    CORRECT_RECORD = "correct_record"
    CORRECT_RECEIPT_DATE_AFTER_REPLY = "correct_receipt_date_after_reply"
    UNDO_STEP = "undo_step"
    APPROVE_EXTENSION = "approve_extension"
    REVIEW_LETTER = "review_letter"
    APPROVE_PUBLICATION = "approve_publication"
    LOCK_PERIOD = "lock_period"
    VIEW_FULL_PERSONAL_DATA = "view_full_personal_data"
    CHANGE_SETTINGS = "change_settings"
    MANAGE_USERS = "manage_users"
    IMPORT_CALENDAR = "import_calendar"
    MAKE_BACKUP = "make_backup"
    RESTORE_BACKUP = "restore_backup"
    MAKE_DEMO = "make_demo"
    REPORT_FOR_UNIT = "report_for_unit"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Permission.REGISTER: "登记或导入申请",
    Permission.RUN_CASE: "办理申请",
    Permission.ISSUE_LETTER: "起草和签发文书",
    Permission.LOG_CALL: "登记电话回访",
    Permission.PROPOSE_PUBLICATION: "提出主动公开建议",
    Permission.CORRECT_RECORD: "更正登记信息",
    Permission.CORRECT_RECEIPT_DATE_AFTER_REPLY: "更正已答复申请的收到日期",
    Permission.UNDO_STEP: "撤销办理步骤",
    Permission.APPROVE_EXTENSION: "批准延期答复",
    Permission.REVIEW_LETTER: "审核文书",
    Permission.APPROVE_PUBLICATION: "批准主动公开建议",
    Permission.LOCK_PERIOD: "锁定已报送的月度台账",
    Permission.VIEW_FULL_PERSONAL_DATA: "查看或导出完整的证件号码和电话",
    Permission.CHANGE_SETTINGS: "修改机关设置",
    Permission.MANAGE_USERS: "管理用户和密码",
    Permission.IMPORT_CALENDAR: "导入节假日安排",
    Permission.MAKE_BACKUP: "备份数据库",
    Permission.RESTORE_BACKUP: "从备份恢复数据库",
    Permission.MAKE_DEMO: "生成演示数据",
    Permission.REPORT_FOR_UNIT: "登记承办单位办理情况",
}

_DESK = frozenset({Role.CLERK, Role.SUPERVISOR, Role.ADMINISTRATOR})
_HEADS = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})
_ADMIN = frozenset({Role.ADMINISTRATOR})
ROLES: dict[Permission, frozenset[Role]] = {
    # The office's daily work (条例第四十五条: 登记、审核、办理、答复、归档).
    Permission.REGISTER: _DESK,
    Permission.RUN_CASE: _DESK,
    Permission.ISSUE_LETTER: _DESK,
    Permission.LOG_CALL: _DESK,
    Permission.PROPOSE_PUBLICATION: _DESK,
    Permission.CORRECT_RECORD: _DESK,
    # Both move the legal record: the head of the office decides (docs/domain.md, "Corrections").
    Permission.CORRECT_RECEIPT_DATE_AFTER_REPLY: _HEADS,
    Permission.UNDO_STEP: _HEADS,
    # 条例第三十三条: an extension needs the consent of the head of the disclosure office.
    Permission.APPROVE_EXTENSION: _HEADS,
    Permission.REVIEW_LETTER: _HEADS,
    # Four eyes: the approver is also never the proposer (publication.worklist).
    Permission.APPROVE_PUBLICATION: _HEADS,
    Permission.LOCK_PERIOD: _HEADS,
    Permission.VIEW_FULL_PERSONAL_DATA: _HEADS,
    # The desk itself: users, office-wide rules, the working-day calendar, backups.
    Permission.CHANGE_SETTINGS: _ADMIN,
    Permission.MANAGE_USERS: _ADMIN,
    Permission.IMPORT_CALENDAR: _ADMIN,
    Permission.MAKE_BACKUP: _ADMIN,
    Permission.RESTORE_BACKUP: _ADMIN,
    # Fictitious cases in a real office's register would be a disaster; the demo office's own
    # users are created by the demo itself on a database without users.
    Permission.MAKE_DEMO: _ADMIN,
    # A handling unit's report on its assignment (承办单位反馈): the desk records what a unit said,
    # a unit's liaison records it themself — for its own unit only (cases.unit_work), and nothing else.
    Permission.REPORT_FOR_UNIT: _DESK | {Role.LIAISON},
}
assert set(ROLES) == set(Permission), "every permission names its roles"

FULL_VIEW_ROLES = ROLES[Permission.VIEW_FULL_PERSONAL_DATA]
SETTINGS_ROLES = ROLES[Permission.CHANGE_SETTINGS]


class PermissionDenied(DeskError):
    """The user's role does not allow this."""


def has_administrator(session: Session) -> bool:
    query = select(User.id).where(col(User.active).is_(True), User.role == Role.ADMINISTRATOR.value)
    return session.exec(query).first() is not None


def effective_roles(session: Session, roles: frozenset[Role]) -> frozenset[Role]:
    """``roles``, with supervisors standing in for administrators while the office has none.

    An office upgraded from a version without administrators (or whose last one left)
    must still be able to name one: its supervisors hold the administrator's permissions
    until an active administrator exists (docs/SECURITY.md, "Upgraded offices").
    """
    if Role.ADMINISTRATOR in roles and Role.SUPERVISOR not in roles and not has_administrator(session):
        return roles | {Role.SUPERVISOR}
    return roles


def has_role(session: Session, username: str, roles: frozenset[Role]) -> bool:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None and not _has_users(session):
        return True  # an office not set up yet: whoever starts the desk sets it up (setup assistant)
    return user is not None and user.active and Role(user.role) in effective_roles(session, roles)


def _has_users(session: Session) -> bool:
    return session.exec(select(User.id).where(col(User.active).is_(True))).first() is not None


def allowed(session: Session, username: str, permission: Permission) -> bool:
    """Whether ``username`` is an active user whose role holds ``permission``."""
    return has_role(session, username, ROLES[permission])


def granted(session: Session, username: str) -> frozenset[Permission]:
    """Every permission ``username`` holds, read once (the case view greys a dozen buttons with it).

    The same rule as ``allowed``: an office without users grants everything, an inactive
    or unknown user nothing, supervisors stand in while there is no administrator.
    """
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None and not _has_users(session):
        return frozenset(Permission)
    if user is None or not user.active:
        return frozenset()
    role = Role(user.role)
    stands_in = role is Role.SUPERVISOR and not has_administrator(session)
    return frozenset(p for p, roles in ROLES.items()
                     if role in roles or (stands_in and Role.ADMINISTRATOR in roles))


def user_may(db: Database, username: str, permission: Permission) -> bool:
    """``allowed`` in a read of its own: what the GUI asks to grey out a button."""
    with db.read() as session:
        return allowed(session, username, permission)


def roles_text(permission: Permission) -> str:
    """The roles that hold ``permission``, as the refusals name them (负责人或管理员)."""
    return "或".join(r.label for r in Role if r in ROLES[permission])


def is_user(session: Session, username: str) -> bool:
    """Whether ``username`` is an active account: the only names the audit log may carry."""
    return has_role(session, username, frozenset(Role))


def require(session: Session, username: str, permission: Permission, why: str = "") -> None:
    """Refuse (``PermissionDenied``) unless ``username`` may; ``why`` replaces the generic sentence."""
    if not allowed(session, username, permission):
        if not why and effective_roles(session, ROLES[permission]) != ROLES[permission]:
            raise PermissionDenied(f"“{username}”无权{permission.label}：本机关尚无管理员，须由在用的负责人账户操作。")
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
