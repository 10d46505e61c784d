"""The legal clock of a stored request: its inputs read from the database, its result computed.

Every view of a case's deadline (the case window, the register list, the dashboard, the
exports, the import) should come through here, so they cannot disagree.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from request_desk.core.deadlines import holidays
from request_desk.core.deadlines.clock import ClockInput, ClockResult, PausePeriod, compute_clock
from request_desk.core.deadlines.workcalendar import WorkCalendar
from request_desk.core.office import settings as office_settings
from request_desk.core.storage.models import Extension, Pause, Request


def clock_input(session: Session, request: Request) -> ClockInput:
    pauses = session.exec(
        select(Pause).where(Pause.request_id == request.id).order_by(col(Pause.start_date))
    ).all()
    extended = session.exec(select(Extension).where(Extension.request_id == request.id)).first() is not None
    return ClockInput(
        received=request.received_date,
        supplemented=request.supplemented_date,
        pauses=tuple(PausePeriod(p.start_date, p.end_date, p.kind) for p in pauses),
        extended=extended,
        later_date=request.later_date,
    )


def clock_for(session: Session, request: Request, today: date | None = None,
              cal: WorkCalendar | None = None) -> ClockResult:
    """The request's legal clock as of ``today``, with the office's settings."""
    conf = office_settings.load(session)
    return compute_clock(
        cal or holidays.calendar(session),
        clock_input(session, request),
        today=today or date.today(),
        amber_days=conf.amber_days,
        exclude_fee_pauses=conf.exclude_fee_pauses,
    )
