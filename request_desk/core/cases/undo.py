"""Undoing the last workflow step of a case: a wrong reply date, a mistaken assignment.

Every step keeps, with its timeline event, exactly what it changed
(``storage/changes.py``). A supervisor gives the reason and the step is taken
back in one transaction: its rows restored or removed, the clock recomputed, an
撤销办理步骤 event on the timeline that names the undone step (shown there as
已撤销), one audit entry old → new. The step's own event stays: the record
shows what was done and that it was undone (docs/domain.md, "Corrections").

Letters are never undone: an issued letter is part of the record. It keeps its
text and is shown as issued before the correction.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from request_desk.core.cases.lookup import load_request
from request_desk.core.cases.records import RequestRecord, request_record
from request_desk.core.cases.step_machinery import UNDO_KEY, check_version, refresh_clock, touch
from request_desk.core.cases.workflow import Action
from request_desk.core.errors import DeskError, TransitionError, ValidationFailed
from request_desk.core.office.permissions import Permission, PermissionDenied, allowed
from request_desk.core.storage import changes
from request_desk.core.storage.audit import audit, diff, event, snapshot
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Event, Request

EVENT_KIND = "undo_step"
_STEP_KINDS = [a.value for a in Action]
# Stored results of the legal clock and of the reply against it: recomputed after the undo,
# never restored (a receipt-date correction since may have changed them).
DERIVED_COLUMNS = frozenset({"due_date", "supplement_due_date", "due_provisional", "replied_on_time",
                             "workdays_used"})


def undone_event_ids(session: Session, request_id: int) -> set[int]:
    """The step events of a case that were undone since."""
    rows = session.exec(select(Event.data).where(Event.request_id == request_id, Event.kind == EVENT_KIND)).all()
    return {int(data["undoes"]) for data in rows if data and "undoes" in data}


def last_step(session: Session, request_id: int) -> Event | None:
    """The newest step event of the case that is not undone."""
    undone = undone_event_ids(session, request_id)
    steps = session.exec(select(Event).where(Event.request_id == request_id, col(Event.kind).in_(_STEP_KINDS))).all()
    return newest_step(steps, undone)


def newest_step(events: Iterable[Event], undone: Collection[int]) -> Event | None:
    """The newest (by id) of ``events`` that is a step and not undone: ``last_step`` of events already read."""
    kinds = frozenset(_STEP_KINDS)
    return max((e for e in events if e.kind in kinds and e.id not in undone), key=lambda e: e.id or 0, default=None)


def why_not_undo(session: Session, request: Request, actor: str) -> DeskError | None:
    """Why the last step cannot be undone by ``actor`` (the error to raise), or None."""
    if not allowed(session, actor, Permission.UNDO_STEP):
        return _denied()
    return _step_refusal(last_step(session, request.id or 0))


def _denied() -> DeskError:
    return PermissionDenied("只有负责人或管理员可以撤销办理步骤。")


def _step_refusal(step: Event | None) -> DeskError | None:
    if step is None:
        return TransitionError("本案尚无可撤销的办理步骤。")
    if not step.data or UNDO_KEY not in step.data:
        return TransitionError("最后一步登记于撤销功能启用之前（或由历史台账导入），无法自动撤销；请逐项更正。")
    return None


def undo_check(db: Database, request_id: int, actor: str) -> tuple[str, str | None]:
    """The step an undo would take back, in the clerk's words, and why ``actor`` may not (or None)."""
    with db.read() as session:
        return undo_check_in(session, request_id, actor)


def undo_check_in(session: Session, request_id: int, actor: str) -> tuple[str, str | None]:
    """``undo_check`` inside a read already open (the case view reads a case and its steps in one)."""
    load_request(session, request_id)  # a missing request says so
    return undo_summary(last_step(session, request_id), allowed(session, actor, Permission.UNDO_STEP))


def undo_summary(step: Event | None, may_undo: bool) -> tuple[str, str | None]:
    """``undo_check``'s answer for the case's last step and whether the user's role may undo at all."""
    refusal = _step_refusal(step) if may_undo else _denied()
    return ("" if step is None else f"{Action(step.kind).label}（{step.on_date}）"), (
        None if refusal is None else str(refusal))


def undo_last_step(db: Database, request_id: int, reason: str, actor: str, *, today: date | None = None,
                   expected_version: int | None = None) -> RequestRecord:
    """Take back the case's newest step; raises with nothing written when it may not be."""
    today = today or date.today()
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("请填写撤销理由（如“答复日期登记错误”“分办单位选错”）。")
    with db.write() as session:
        request = load_request(session, request_id)
        check_version(session, request, expected_version)
        refusal = why_not_undo(session, request, actor)
        if refusal is not None:
            raise refusal
        step = last_step(session, request_id)
        assert step is not None and step.data is not None and step.id is not None
        before = snapshot(request)
        # JSON as run_step wrote it.
        recorded: dict[str, Any] = step.data[UNDO_KEY]  # type: ignore[assignment]
        changes.revert(session, changes.ChangeSet.from_json(recorded), derived=DERIVED_COLUMNS)
        refresh_clock(session, request, today)  # and the reply's measures, from the (perhaps corrected) deadline
        touch(session, request)
        old, new = diff(before, snapshot(request))
        label = Action(step.kind).label
        data: dict[str, Any] = {"undoes": step.id, "step": step.kind, "step_date": step.on_date, "reason": reason}
        event(session, request_id, EVENT_KIND, today, actor, f"撤销“{label}”（{step.on_date}）。理由：{reason}", data)
        audit(session, actor, EVENT_KIND, "request", request_id, old, new | {"undoes": label, "reason": reason})
        return request_record(request)
