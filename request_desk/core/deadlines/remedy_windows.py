"""How long the applicant may still challenge a reply (docs/domain.md, "Remedies", "Remedy windows").

Counted from the delivery of the reply, the day of delivery not counted (民法典 第201条):

* reconsideration (行政复议): 60 days (行政复议法 第20条);
* litigation (行政诉讼): 6 months (行政诉讼法 第46条), a period of months ending on the
  corresponding day of its last month, or that month's last day where it has none
  (民法典 第202条: 31 August + 6 months is 28 or 29 February). None where the reply
  sends the applicant to reconsideration first (复议前置, 行政复议法 第23条).

A period whose last day is a rest day runs to the next working day (行政复议法 第88条 →
民事诉讼法 第85条), by the desk's working-day calendar: a make-up working Saturday
(调休上班) is a working day and stays. Pure: no database, the calendar is passed in.
"""

from __future__ import annotations

import calendar as gregorian
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from request_desk.core.deadlines.workcalendar import WorkCalendar

__all__ = [
    "LITIGATION_MONTHS",
    "RECONSIDERATION_DAYS",
    "RemedyWindows",
    "add_months",
    "remedy_windows",
    "suit_after_decision_until",
]

RECONSIDERATION_DAYS: Final = 60
LITIGATION_MONTHS: Final = 6
SUIT_AFTER_DECISION_DAYS: Final = 15


@dataclass(frozen=True)
class RemedyWindows:
    """The last days to seek each remedy; all ``None`` (``known`` false) while the delivery is not recorded."""

    reconsideration_until: date | None
    litigation_until: date | None  # also None where reconsideration comes first
    known: bool
    provisional: bool = False  # a last day falls in a year without a holiday notice

    def open_on(self, today: date) -> bool:
        """Whether either remedy may still be sought on ``today``."""
        return any(until is not None and today <= until
                   for until in (self.reconsideration_until, self.litigation_until))

    def within(self, litigation: bool, filed: date) -> bool | None:
        """Whether a remedy filed on ``filed`` was within its window; ``None`` when that cannot be said."""
        until = self.litigation_until if litigation else self.reconsideration_until
        return None if until is None else filed <= until

    def describe(self) -> str:
        """One line for the case view and the command line, in Chinese."""
        if not self.known:
            return "送达日期未登记，救济期限未知"
        assert self.reconsideration_until is not None
        text = f"申请行政复议期限至 {self.reconsideration_until.isoformat()}"
        if self.litigation_until is None:
            text += "；复议前置，不能直接提起行政诉讼"
        else:
            text += f"；提起行政诉讼期限至 {self.litigation_until.isoformat()}"
        return text + ("（含暂定的放假安排）" if self.provisional else "")


def add_months(day: date, months: int) -> date:
    """The corresponding day ``months`` later, or the last day of that month where it has none (民法典 第202条)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, gregorian.monthrange(year, month)[1]))


def _next_workday(calendar: WorkCalendar, day: date) -> date:
    """``day`` itself if a working day, else the first working day after it."""
    return calendar.add_workdays(day - timedelta(days=1), 1)


def suit_after_decision_until(decided: date, calendar: WorkCalendar) -> date:
    """The earliest last day of a suit after a reconsideration decided on ``decided``.

    The 15 days run from the day the applicant *received* the decision (行诉法 第45条), which the desk
    does not record: a suit filed by this day is within its period whenever the decision arrived.
    """
    return _next_workday(calendar, decided + timedelta(days=SUIT_AFTER_DECISION_DAYS))


def remedy_windows(delivered: date | None, calendar: WorkCalendar, *, litigation_allowed: bool) -> RemedyWindows:
    """The remedy windows of a reply delivered on ``delivered`` (``None``: not recorded, windows unknown)."""
    if delivered is None:
        return RemedyWindows(None, None, known=False)
    reconsideration = _next_workday(calendar, delivered + timedelta(days=RECONSIDERATION_DAYS))
    litigation = (_next_workday(calendar, add_months(delivered, LITIGATION_MONTHS))
                  if litigation_allowed else None)
    provisional = any(d is not None and not calendar.is_official_year(d.year)
                      for d in (reconsideration, litigation))
    return RemedyWindows(reconsideration, litigation, known=True, provisional=provisional)
