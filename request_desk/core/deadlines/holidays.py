"""Administrator-entered calendar years in the database, and the calendar built from them.

Importing a year replaces that year whole and recomputes the due date of
every open case in the same transaction; each changed due date is audited.
"""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from request_desk.core.deadlines.holiday_data import DayOverride
from request_desk.core.deadlines.notice_file import parse_notice_file
from request_desk.core.deadlines.workcalendar import WorkCalendar
from request_desk.core.storage.audit import audit
from request_desk.core.storage.models import CalendarDay, CalendarYear

_cache_lock = threading.Lock()
_cache: dict[tuple[object, ...], WorkCalendar] = {}


def _fingerprint(session: Session) -> tuple[object, ...]:
    # Cheap to read on every action, and changes whenever any desk imports a year.
    row = session.exec(
        select(func.count(col(CalendarYear.year)), func.max(col(CalendarYear.entered_at)))
    ).one()
    days = session.exec(select(func.count(col(CalendarDay.day)))).one()
    return (str(session.get_bind().engine.url), row[0], str(row[1]), days)


def calendar(session: Session) -> WorkCalendar:
    """The working-day calendar: package data overridden by administrator years."""
    key = _fingerprint(session)
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    admin: dict[int, list[DayOverride]] = {y: [] for y in session.exec(select(CalendarYear.year)).all()}
    for day in session.exec(select(CalendarDay)).all():
        admin[day.year].append(DayOverride(day=day.day, workday=day.workday, name=day.name))
    built = WorkCalendar(admin_years=admin)
    with _cache_lock:
        _cache.clear()  # keep only the newest calendar per process
        _cache[key] = built
    return built


def store_years(session: Session, years: dict[int, list[DayOverride]], source: str, actor: str) -> list[int]:
    """Replace the given years with the administrator's data; returns the years stored."""
    for year, days in sorted(years.items()):
        existing = session.get(CalendarYear, year)
        old = None
        if existing is not None:
            old = {"source": existing.source, "days": _days_of(session, year)}
            session.exec(delete(CalendarDay).where(col(CalendarDay.year) == year))
            session.delete(existing)
            session.flush()
        session.add(CalendarYear(year=year, source=source, entered_by=actor))
        session.flush()
        for d in days:
            session.add(CalendarDay(day=d.day, year=year, workday=d.workday, name=d.name))
        audit(session, actor, "calendar_import", "calendaryear", year, old,
              {"source": source, "days": {d.day.isoformat(): ("workday" if d.workday else "holiday") for d in days}})
    session.flush()
    return sorted(years)


def import_notice(session: Session, text: str, source: str, actor: str) -> list[int]:
    """Parse a notice file and store its years (raises CalendarFileError, storing nothing)."""
    return store_years(session, parse_notice_file(text), source, actor)


def _days_of(session: Session, year: int) -> dict[str, str]:
    rows = session.exec(select(CalendarDay).where(CalendarDay.year == year)).all()
    return {r.day.isoformat(): ("workday" if r.workday else "holiday") for r in rows}


def admin_years(session: Session) -> list[CalendarYear]:
    return list(session.exec(select(CalendarYear).order_by(col(CalendarYear.year))).all())


def year_days(cal: WorkCalendar, year: int) -> list[date]:
    """All days of a year, for display (a year is 365 lookups, not a scan of cases)."""
    start = date(year, 1, 1)
    return [date.fromordinal(start.toordinal() + i) for i in range((date(year + 1, 1, 1) - start).days)]
