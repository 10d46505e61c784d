"""A handling unit's own work: the assignments routed to it and its reports on them (承办单位反馈).

A unit liaison (``Role.LIAISON``, issue 16, point 4) works in a handling unit, not
at the desk. The liaison sees the assignments of its own unit only — with the
request's registration number, receipt date and description (personal numbers in it
masked, as the registers mask them), the internal deadline and the state — and
records what the unit found or provides (``report``). Nothing else: no other unit's
assignments, no case that was never routed to its unit (``can_see_case``), and no
other permission of the table (``permissions.ROLES``).

The desk's roles may list any unit's assignments and record a unit's report for it
(what the unit said on the phone). A report is kept on the assignment (its latest),
written as an 承办单位反馈 event on the case timeline and audited, in one
transaction; a refusal writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from request_desk.core.errors import NotFound, ValidationFailed
from request_desk.core.masking import mask_free_text
from request_desk.core.office import permissions
from request_desk.core.office.permissions import Permission, PermissionDenied
from request_desk.core.storage.audit import audit, event
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Assignment, HandlingUnit, Request, User
from request_desk.core.vocab import OPEN_STATUSES, Role, Status

__all__ = ["EVENT_KIND", "MAX_REPORT_CHARS", "UnitAssignment", "can_see_case", "liaison_unit", "report",
           "unit_assignments"]

EVENT_KIND = "unit_report"
# Enough for what a unit found and where the documents are; a file is handed over, not typed in.
MAX_REPORT_CHARS = 2000
# The list shows the start of the description; the case itself has the rest.
DESCRIPTION_CHARS = 300
DEFAULT_LIMIT = 500

NOT_OWN_UNIT = "承办单位联络员只能查看和登记本单位承办的申请。"


@dataclass(frozen=True)
class UnitAssignment:
    """One assignment of a unit, as the unit's list shows it."""

    id: int  # the assignment's id (``report`` takes it)
    request_id: int
    reg_number: str
    received_date: date
    description: str  # personal numbers masked
    unit_id: int
    unit_name: str
    assigned_date: date
    internal_due_date: date | None
    ended_date: date | None
    status: Status
    report: str  # the unit's latest report, "" while none
    reported_date: date | None
    reported_by: str  # display name

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def state_label(self) -> str:
        """The assignment's own state: 已结束 (routed on to another unit), 已反馈, 待反馈."""
        if self.ended_date is not None:
            return "已结束"
        return "已反馈" if self.report else "待反馈"


def _active_user(session: Session, username: str) -> User | None:
    user = session.exec(select(User).where(User.username == username)).first()
    return user if user is not None and user.active else None


def liaison_unit(session: Session, username: str) -> int | None:
    """The unit of ``username`` when they are an active liaison, else None."""
    user = _active_user(session, username)
    if user is None or user.role != Role.LIAISON.value:
        return None
    return user.unit_id


def _is_liaison(session: Session, username: str) -> bool:
    user = _active_user(session, username)
    return user is not None and user.role == Role.LIAISON.value


def _scope(session: Session, actor: str, unit_id: int | None) -> int | None:
    """The unit whose assignments ``actor`` may list (None: every unit, for the desk's roles)."""
    permissions.require(session, actor, Permission.REPORT_FOR_UNIT)
    if not _is_liaison(session, actor):
        return unit_id
    own = liaison_unit(session, actor)
    if own is None or (unit_id is not None and unit_id != own):
        raise PermissionDenied(NOT_OWN_UNIT)
    return own


def unit_assignments(db: Database, actor: str, *, unit_id: int | None = None, open_only: bool = True,
                     offset: int = 0, limit: int = DEFAULT_LIMIT) -> list[UnitAssignment]:
    """The assignments of the actor's unit (a liaison), or of ``unit_id`` (the desk; None: every unit).

    ``open_only``: the current assignments (not ended by a later routing) of requests still open.
    Soonest internal deadline first; paged in SQL through the index on ``assignment.unit_id``.
    """
    with db.read() as session:
        unit = _scope(session, actor, unit_id)
        # sqlalchemy's select: sqlmodel's is typed for four columns at most.
        query = (sa_select(Assignment, col(Request.reg_number), col(Request.received_date),
                           func.substr(Request.description, 1, DESCRIPTION_CHARS), col(Request.status),
                           col(HandlingUnit.name))
                 .join(Request, col(Request.id) == col(Assignment.request_id))
                 .join(HandlingUnit, col(HandlingUnit.id) == col(Assignment.unit_id)))
        if unit is not None:
            query = query.where(col(Assignment.unit_id) == unit)
        if open_only:
            query = query.where(col(Assignment.ended_date).is_(None),
                                col(Request.status).in_([s.value for s in OPEN_STATUSES]))
        query = (query.order_by(col(Assignment.internal_due_date).is_(None), col(Assignment.internal_due_date),
                                col(Assignment.id))
                 .offset(max(0, offset)).limit(max(0, limit)))
        rows = session.execute(query).all()
        reporters = {a.reported_by for a, *_ in rows if a.reported_by}
        names = dict(session.exec(select(User.username, User.display_name)
                                  .where(col(User.username).in_(reporters))).all()) if reporters else {}
        return [_row(a, reg, received, str(description or ""), Status(status), unit_name, names)
                for a, reg, received, description, status, unit_name in rows]


def _row(a: Assignment, reg_number: str, received: date, description: str, status: Status, unit_name: str,
         names: dict[str, str]) -> UnitAssignment:
    assert a.id is not None
    return UnitAssignment(
        id=a.id, request_id=a.request_id, reg_number=reg_number, received_date=received,
        description=mask_free_text(description), unit_id=a.unit_id, unit_name=unit_name,
        assigned_date=a.assigned_date, internal_due_date=a.internal_due_date, ended_date=a.ended_date,
        status=status, report=a.unit_report, reported_date=a.reported_date,
        reported_by=names.get(a.reported_by, a.reported_by))


def can_see_case(session: Session, actor: str, request_id: int) -> bool:
    """Whether ``actor`` may see the case: the desk's users any case, a liaison only one ever routed
    to its unit (an ended assignment included: the unit worked on it)."""
    if not _is_liaison(session, actor):
        return permissions.is_user(session, actor)
    own = liaison_unit(session, actor)
    if own is None:
        return False
    routed = select(Assignment.id).where(Assignment.request_id == request_id, Assignment.unit_id == own)
    return session.exec(routed).first() is not None


def report(db: Database, assignment_id: int, actor: str, text: str, on_date: date | None = None, *,
           today: date | None = None) -> UnitAssignment:
    """Record the unit's report on its assignment (承办单位反馈); refused with nothing written when
    ``actor`` may not, the assignment has ended (another unit handles the case now) or the text is wrong."""
    today = today or date.today()
    on_date = on_date or today
    text = text.strip()
    with db.write() as session:
        permissions.require(session, actor, Permission.REPORT_FOR_UNIT)
        a = session.get(Assignment, assignment_id)
        if a is None:
            raise NotFound(f"没有编号为 {assignment_id} 的分办记录。")
        if _is_liaison(session, actor) and liaison_unit(session, actor) != a.unit_id:
            raise PermissionDenied(NOT_OWN_UNIT)
        unit = session.get(HandlingUnit, a.unit_id)
        unit_name = unit.name if unit is not None else str(a.unit_id)
        if a.ended_date is not None:
            raise PermissionDenied(f"“{unit_name}”对本申请的承办已于 {a.ended_date.isoformat()} 结束"
                                   "（已改由其他单位承办），不能再登记其办理情况。")
        if not text:
            raise ValidationFailed("请填写承办单位的办理情况（查找结果、提供的材料等）。")
        if len(text) > MAX_REPORT_CHARS:
            raise ValidationFailed(f"办理情况最多 {MAX_REPORT_CHARS} 字（现为 {len(text)} 字）；材料请另行移交。")
        if on_date < a.assigned_date:
            raise ValidationFailed(f"反馈日期不能早于分办日期（{a.assigned_date.isoformat()}）。")
        if on_date > today:
            raise ValidationFailed("反馈日期不能晚于今天。")
        old = {"unit_report": a.unit_report, "reported_date": a.reported_date, "reported_by": a.reported_by}
        a.unit_report, a.reported_date, a.reported_by = text, on_date, actor
        session.add(a)
        session.flush()
        new = {"unit_report": a.unit_report, "reported_date": a.reported_date, "reported_by": a.reported_by}
        audit(session, actor, "unit_report", "assignment", a.id, old, new)
        event(session, a.request_id, EVENT_KIND, on_date, actor, f"{unit_name}：{text}",
              {"assignment_id": a.id, "unit_id": a.unit_id})
        request = session.get(Request, a.request_id)
        assert request is not None
        user = _active_user(session, actor)
        names = {actor: user.display_name} if user is not None else {}
        return _row(a, request.reg_number, request.received_date, request.description[:DESCRIPTION_CHARS],
                    Status(request.status), unit_name, names)
