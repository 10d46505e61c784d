"""The legal clock of a stored request: its inputs read from the database, its result computed.

Every view of a case's deadline (the case window, the register list, the dashboard, the
exports, the import, the demo data, the command line) comes through ``office_clock``:
the calendar and the office's rules of one unit of work (a session) bound to a day, with

* ``OfficeClock.of(inputs)``: the full clock of a request's facts;
* ``OfficeClock.of_stored(...)``: the same from the stored columns and pause rows
  (registration, import, demo data, recomputing after a calendar change);
* ``OfficeClock.countdown(due)``: working days left and colour of a stored due date
  (one row of the request list: two calendar lookups, no pause rows read).

So they cannot disagree, and nobody passes the amber threshold or the fee rule by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from request_desk.core.deadlines import rules
from request_desk.core.deadlines.clock import (
    ClockInput,
    ClockResult,
    ClockRules,
    Colour,
    Countdown,
    PausePeriod,
    compute_clock,
    countdown,
    standing,
)
from request_desk.core.deadlines.consultation import ConsultationDeadline, consultation_deadline
from request_desk.core.deadlines.workcalendar import WorkCalendar
from request_desk.core.errors import NotFound
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Extension, Pause, Request

__all__ = [
    "CaseCountdown",
    "OfficeClock",
    "case_countdown",
    "clock_for",
    "clock_input",
    "consultation_deadline_of",
    "office_clock",
    "pause_periods",
    "read_clock",
]


@dataclass(frozen=True)
class OfficeClock:
    """The legal clock as this office runs it on ``today``."""

    calendar: WorkCalendar
    rules: ClockRules
    today: date

    def of(self, inputs: ClockInput) -> ClockResult:
        """The full clock of one request's facts."""
        return compute_clock(self.calendar, inputs, today=self.today, amber_days=self.rules.amber_days,
                             exclude_fee_pauses=self.rules.exclude_fee_pauses,
                             consultation_transit_workdays=self.rules.consultation_transit_workdays)

    def of_stored(self, *, received_date: date, supplemented_date: date | None = None,
                  later_date: date | None = None, pauses: Iterable[PausePeriod] = (),
                  extended: bool = False) -> ClockResult:
        """The clock of a request from its stored columns and its pause rows (oldest first)."""
        return self.of(ClockInput(received=received_date, supplemented=supplemented_date,
                                  pauses=tuple(pauses), extended=extended, later_date=later_date))

    def consultation(self, pause: Pause) -> ConsultationDeadline | None:
        """A stored consultation's own deadline by this clock (None for a fee pause)."""
        return consultation_deadline(self.calendar, pause.kind, pause.start_date, pause.received_date,
                                     pause.co_producer, self.rules.consultation_transit_workdays)

    def countdown(self, due: date, provisional: bool = False) -> Countdown:
        """Working days left until a stored due date, and its colour."""
        return countdown(self.calendar, self.today, due, amber_days=self.rules.amber_days,
                         provisional=provisional)

    def standing(self, due: date) -> tuple[int, Colour]:
        """``countdown``'s working days left and colour as a pair: the request list's per-row path."""
        return standing(self.calendar, self.today, due, self.rules.amber_days)

    def amber_cutoff(self) -> date:
        """The first due date that is no longer "due soon": ``amber_days`` + 1 working days ahead.

        ``workdays_between(today, due) <= N`` exactly when ``due`` is before the
        (N+1)-th working day after today, so an SQL filter on the stored due date
        and ``countdown``'s colour agree.
        """
        return self.calendar.add_workdays(self.today, self.rules.amber_days + 1)


def office_clock(session: Session, today: date | None = None) -> OfficeClock:
    """The clock of this unit of work: calendar and rules read once per session."""
    return OfficeClock(rules.calendar(session), rules.clock_rules(session), today or date.today())


def read_clock(db: Database, today: date | None = None) -> OfficeClock:
    """The office clock read in its own short session (for many list pages, or the settings page)."""
    with db.read() as session:
        return office_clock(session, today)


def pause_periods(pauses: Iterable[Pause]) -> tuple[PausePeriod, ...]:
    """Stored pause rows as the clock's pause periods, by name."""
    return tuple(PausePeriod(start=p.start_date, end=p.end_date, kind=p.kind, received=p.received_date,
                             co_producer=p.co_producer) for p in pauses)


def consultation_deadline_of(session: Session, pause: Pause) -> ConsultationDeadline | None:
    """A stored consultation's own deadline, with the office's transit setting (None for a fee pause)."""
    return office_clock(session).consultation(pause)


def clock_input(session: Session, request: Request) -> ClockInput:
    pauses = session.exec(
        select(Pause).where(Pause.request_id == request.id).order_by(col(Pause.start_date), col(Pause.id))
    ).all()
    extended = session.exec(select(Extension.id).where(Extension.request_id == request.id)).first() is not None
    return ClockInput(
        received=request.received_date,
        supplemented=request.supplemented_date,
        pauses=pause_periods(pauses),
        extended=extended,
        later_date=request.later_date,
    )


def clock_for(session: Session, request: Request, today: date | None = None,
              cal: WorkCalendar | None = None) -> ClockResult:
    """The request's legal clock as of ``today``, with the office's rules."""
    clock = office_clock(session, today)
    if cal is not None:
        clock = OfficeClock(cal, clock.rules, clock.today)
    return clock.of(clock_input(session, request))


@dataclass(frozen=True)
class CaseCountdown:
    """The clock of one stored request in plain values (what a dialog shows after a step)."""

    request_id: int
    reg_number: str
    due_date: date
    workdays_left: int
    colour: Colour
    provisional: bool
    clock_stopped: bool


def case_countdown(db: Database, request_id: int, today: date) -> CaseCountdown:
    """The live clock of one request, read in its own short session."""
    with db.read() as session:
        request = session.get(Request, request_id)
        if request is None:
            raise NotFound(f"找不到编号为 {request_id} 的申请。")
        result = clock_for(session, request, today)
        return CaseCountdown(request_id=request_id, reg_number=request.reg_number, due_date=result.reply_due,
                             workdays_left=result.workdays_left, colour=result.colour,
                             provisional=result.provisional, clock_stopped=result.clock_stopped)
