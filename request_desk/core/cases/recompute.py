"""Calendar and settings changes ripple into open cases: their stored due dates are recomputed.

A new State Council holiday notice, or a change of the fee-pause or the
consultation-transit setting, moves the legal deadline of every open case; the stored (denormalised) due
dates the register list sorts on are brought up to date in the same
transaction, each change audited.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlalchemy import update as sa_update
from sqlmodel import Session, col, select

from request_desk.core.deadlines import holidays
from request_desk.core.deadlines.case_clock import office_clock
from request_desk.core.deadlines.clock import PausePeriod
from request_desk.core.office import permissions
from request_desk.core.storage.audit import audit
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Extension, Pause, Request, table_of
from request_desk.core.vocab import Status


def import_calendar(db: Database, text: str, source: str, actor: str, today: date | None = None) -> dict[str, Any]:
    """Store an administrator's holiday notice and recompute every open case's due date."""
    today = today or date.today()
    with db.write() as session:
        # Every due date of the office moves with it: an administrator's act (docs/SECURITY.md).
        permissions.require(session, actor, permissions.Permission.IMPORT_CALENDAR)
        years = holidays.import_notice(session, text, source, actor)
        changed = recompute_open_due_dates(session, actor, today)
    return {"years": years, "due_dates_changed": changed}


RECOMPUTE_BATCH = 500
P = table_of(Pause).c


def recompute_open_due_dates(session: Session, actor: str, today: date) -> int:
    """Recompute clocks of open cases in batches; audit each changed due date.

    The settings and the calendar are read once, and each batch of ``RECOMPUTE_BATCH`` cases
    reads its pauses and extensions in one query each (not three queries per
    case): the same inputs ``clock_for`` reads, so the same clocks.
    """
    clock = office_clock(session, today)  # calendar and clock rules, read once
    open_codes = [s.value for s in Status if s.is_open]
    changed = 0
    last_id = 0
    while True:
        batch = session.exec(
            select(Request).where(col(Request.status).in_(open_codes), col(Request.id) > last_id)
            .order_by(col(Request.id)).limit(RECOMPUTE_BATCH)
        ).all()
        if not batch:
            return changed
        ids = [r.id or 0 for r in batch]
        pauses = _pauses_of(session, ids)
        extended = set(session.exec(
            select(Extension.request_id).where(col(Extension.request_id).in_(ids)).distinct()).all())
        for r in batch:
            before = (r.due_date, r.due_provisional, r.supplement_due_date)
            result = clock.of_stored(
                received_date=r.received_date, supplemented_date=r.supplemented_date, later_date=r.later_date,
                pauses=pauses.get(r.id or 0, ()), extended=r.id in extended,
            )
            after = (result.reply_due, result.provisional, result.supplement_notice_due)
            if after != before:
                r.due_date, r.due_provisional, r.supplement_due_date = after
                session.add(r)
                audit(session, actor, "recompute_due_date", "request", r.id,
                      {"due_date": _iso(before[0]), "due_provisional": before[1]},
                      {"due_date": _iso(after[0]), "due_provisional": after[1]})
                changed += 1
        last_id = batch[-1].id or 0


def _pauses_of(session: Session, ids: list[int]) -> dict[int, list[PausePeriod]]:
    """The pause periods of a batch of requests, oldest first, in one query."""
    pauses: dict[int, list[PausePeriod]] = {}
    for request_id, start, end, kind, received, co_producer in session.execute(
        sa_select(P.request_id, P.start_date, P.end_date, P.kind, P.received_date, P.co_producer)
        .where(P.request_id.in_(ids)).order_by(P.request_id, P.start_date, P.id)
    ).all():
        pauses.setdefault(request_id, []).append(PausePeriod(start=start, end=end, kind=kind, received=received,
                                                             co_producer=co_producer))
    return pauses


R = table_of(Request).c


def measure_replies(session: Session, today: date) -> int:
    """Store the working days used of every reply recorded before they were stored (revision 0018).

    Named columns only, not the ``Request`` entity: this runs inside that
    migration, when later revisions' columns do not exist yet. The on-time flag
    stays as it was recorded. Batches of ``RECOMPUTE_BATCH``.
    """
    clock = office_clock(session, today)
    measured = 0
    last_id = 0
    while True:
        rows = session.execute(
            sa_select(R.id, R.received_date, R.supplemented_date, R.later_date, R.reply_date)
            .where(R.replied_on_time.is_not(None), R.reply_date.is_not(None), R.workdays_used.is_(None),
                   R.id > last_id).order_by(R.id).limit(RECOMPUTE_BATCH)
        ).all()
        if not rows:
            return measured
        pauses = _pauses_of(session, [int(r.id) for r in rows])
        values = [{"rid": r.id, "used": clock.of_stored(
            received_date=r.received_date, supplemented_date=r.supplemented_date, later_date=r.later_date,
            pauses=pauses.get(r.id, ())).workdays_used(r.reply_date)} for r in rows]
        session.execute(sa_update(table_of(Request)).where(R.id == bindparam("rid"))
                        .values(workdays_used=bindparam("used")), values)
        measured += len(values)
        last_id = rows[-1].id


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
