"""The office's choices the legal clock depends on, read once per unit of work.

Three office settings change what the clock says: how many working days before
the due date a case turns amber, whether the time from a fee notice to
payment is left out of the reply period (the texts do not settle it; see
docs/domain.md, "Fees"), and how many working days a consultation letter is
presumed to travel when its receipt is not recorded (docs/domain.md, "Pauses").
They are stored with the other office settings in
the ``setting`` row ``office``; ``office.settings`` owns that row and its
validation. ``ClockRules`` (in ``clock``) holds the defaults of these, for
``office.settings`` to take, so the two never disagree about a setting nobody
has saved yet.

A session (one user action, one list page, one export) reads the rules and the
working-day calendar once and keeps them in ``session.info``; a change to the
settings row or to the calendar tables made through that same session drops
them again, so a step that saves settings and then computes a clock sees the
new values.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import object_session
from sqlmodel import Session

from request_desk.core.deadlines import holidays
from request_desk.core.deadlines.clock import ClockRules
from request_desk.core.deadlines.workcalendar import WorkCalendar
from request_desk.core.storage.models import CalendarDay, CalendarYear, Setting

__all__ = ["OFFICE_SETTINGS_KEY", "ClockRules", "calendar", "clock_rules", "forget"]

#: The ``setting`` row that holds the office settings (``office.settings``).
OFFICE_SETTINGS_KEY: Final = "office"

_RULES = "request_desk.clock_rules"
_CALENDAR = "request_desk.work_calendar"


def clock_rules(session: Session) -> ClockRules:
    """The office's clock rules, read from the settings row once per session."""
    cached = session.info.get(_RULES)
    if isinstance(cached, ClockRules):
        return cached
    row = session.get(Setting, OFFICE_SETTINGS_KEY)
    rules = ClockRules.from_stored(row.value if row is not None else None)
    session.info[_RULES] = rules
    return rules


def calendar(session: Session) -> WorkCalendar:
    """The working-day calendar (``holidays.calendar``), looked up once per session."""
    cached = session.info.get(_CALENDAR)
    if isinstance(cached, WorkCalendar):
        return cached
    cal = holidays.calendar(session)
    session.info[_CALENDAR] = cal
    return cal


def forget(session: OrmSession) -> None:
    """Drop what ``clock_rules`` and ``calendar`` kept for this session."""
    session.info.pop(_RULES, None)
    session.info.pop(_CALENDAR, None)


# -- keeping the per-session copies honest -----------------------------------------

_WATCHED = (Setting, CalendarYear, CalendarDay)


def _forget_if_watched(session: OrmSession, instance: object) -> None:
    if isinstance(instance, _WATCHED):
        forget(session)


def _setting_changed(target: Setting, *_args: object) -> None:
    session = object_session(target)
    if session is not None:
        forget(session)


# A row added or deleted through any session, or a stored settings value
# replaced or flagged as modified in place.
event.listen(OrmSession, "transient_to_pending", _forget_if_watched)
event.listen(OrmSession, "persistent_to_deleted", _forget_if_watched)
event.listen(Setting.value, "set", _setting_changed)
event.listen(Setting.value, "modified", _setting_changed)


def _statement_changed(orm_execute_state: Any) -> None:
    # ``delete(CalendarDay)`` statements: importing a year replaces it whole.
    if orm_execute_state.is_delete or orm_execute_state.is_update:
        forget(orm_execute_state.session)


event.listen(OrmSession, "do_orm_execute", _statement_changed)
