"""Who may see applicants' full personal data (《个人信息保护法》).

Lists, registers and exports mask ID numbers and phones. A full view is for
supervisors and administrators who ask for it, and every full-view export is
written to the audit log before the file is produced.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from request_desk.core.errors import DeskError
from request_desk.core.storage.audit import audit
from request_desk.core.storage.models import User
from request_desk.core.vocab import Role

FULL_VIEW_ROLES = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})


class PermissionDenied(DeskError):
    """The user's role does not allow this."""


def has_role(session: Session, username: str, roles: frozenset[Role]) -> bool:
    user = session.exec(select(User).where(User.username == username)).first()
    return user is not None and user.active and Role(user.role) in roles


def may_view_full_personal_data(session: Session, username: str) -> bool:
    return has_role(session, username, FULL_VIEW_ROLES)


# Taking back a workflow step rewrites the case's record: the head of the office decides it.
UNDO_ROLES = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})

# Office-wide rules (numbering, deadlines, remedy bodies) bind every desk.
SETTINGS_ROLES = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})


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
