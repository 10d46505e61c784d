"""The working-day calendar behind every legal deadline (docs/domain.md, "Working days").

A working day is a day government offices work under the State Council's
holiday notice for that year: weekdays, minus the days off, plus the weekend
days declared make-up working days (调休上班).

Where the data comes from, per calendar year (``WorkCalendar.source_of``):

* ``"admin"``: a year an administrator entered from the State Council notice
  (``notice_file.parse_notice_file``). It replaces the package data for the whole year, so
  a late correction of the official tables is possible without an upgrade.
* ``"package"``: the official tables shipped in ``chinesecalendar``
  (2004–2026 in 1.11.0).
* ``"provisional"``: no notice known. Monday–Friday work, minus the statutory
  public holidays of 《全国年节及纪念日放假办法》 (2025 revision: 元旦 1 Jan;
  春节 除夕–初三; 清明; 劳动节 1–2 May; 端午; 中秋; 国庆 1–3 Oct). The lunar
  and solar-term dates come from the ``holidays`` package. No make-up days are
  guessed, and every day of such a year is flagged provisional so the UI can
  say so.

Both data sources of an unentered year are in ``holiday_data``.

The calendar precomputes, once, a per-day workday flag, a cumulative count and
the list of workday offsets over its whole range. Every query is then an index
lookup: nothing loops day by day over a period, because the request list
computes clocks for thousands of rows.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate, compress
from typing import Final, Literal

from .holiday_data import PACKAGE_YEARS, WEEKDAY_NAMES_ZH, DayOverride, package_days, statutory_holidays

__all__ = [
    "NOTICE_YEARS",
    "REASON_LABELS",
    "SOURCE_LABELS",
    "CalendarRangeError",
    "DayInfo",
    "Reason",
    "Source",
    "WorkCalendar",
]

Reason = Literal["weekday", "weekend", "holiday", "makeup_workday"]
Source = Literal["admin", "package", "provisional"]

REASON_LABELS: Final[dict[str, str]] = {
    "weekday": "工作日",
    "weekend": "周末",
    "holiday": "节假日",
    "makeup_workday": "调休上班",
}
SOURCE_LABELS: Final[dict[str, str]] = {
    "admin": "管理员录入的国务院通知",
    "package": "内置的国务院通知数据",
    "provisional": "未公布放假安排，按法定节日规则推算（暂定）",
}


class CalendarRangeError(ValueError):
    """A date outside the range the calendar was built for; ``str(err)`` is Chinese, for the clerk."""


#: The years a holiday notice may be entered for: from the first year the calendar
#: covers to the last year the ``holidays`` package has lunar festival dates for
#: (``statutory_holidays`` cannot check a notice beyond it).
NOTICE_YEARS: Final[tuple[int, int]] = (2004, 2100)


@dataclass(frozen=True)
class DayInfo:
    """What the calendar knows about one day, and why."""

    day: date
    workday: bool
    reason: Reason
    name: str
    provisional: bool

    @property
    def label_zh(self) -> str:
        """Short Chinese description, e.g. "国庆节" or "调休上班（春节）"."""
        if self.reason == "holiday":
            return self.name or REASON_LABELS["holiday"]
        if self.reason == "makeup_workday":
            return f"调休上班（{self.name}）" if self.name else "调休上班"
        if self.reason == "weekend":
            return WEEKDAY_NAMES_ZH[self.day.weekday()]
        return REASON_LABELS["weekday"]


# --------------------------------------------------------------------------
# The calendar
# --------------------------------------------------------------------------


class WorkCalendar:
    """Working days over ``first_year``–``last_year``, indexed once for O(1) queries.

    ``admin_years`` maps a notice year to its overrides (as returned by
    ``notice_file.parse_notice_file``); such a year replaces the package data entirely.
    The range grows to include every admin year. Queries outside the range
    raise ``CalendarRangeError``.
    """

    def __init__(
        self,
        admin_years: Mapping[int, Sequence[DayOverride]] | None = None,
        first_year: int = 2004,
        last_year: int | None = None,
    ) -> None:
        admin = {int(y): tuple(o) for y, o in (admin_years or {}).items()}
        if last_year is None:
            # Far enough ahead for a reply period with extension and long pauses.
            last_year = date.today().year + 6
        if admin:
            first_year = min(first_year, *admin)
            last_year = max(last_year, *admin)
        if first_year > last_year:
            raise ValueError(f"first_year {first_year} is after last_year {last_year}")
        self.first_year: int = first_year
        self.last_year: int = last_year
        self._admin_years: frozenset[int] = frozenset(admin)
        self._sources: dict[int, Source] = {y: self._source_for(y) for y in range(first_year, last_year + 1)}

        self._origin: int = date(first_year, 1, 1).toordinal()
        size = date(last_year, 12, 31).toordinal() - self._origin + 1
        # Start from plain weeks; exceptions overwrite them below. Ordinal % 7 is 0 on a Sunday,
        # 6 on a Saturday: the week from the first day on, repeated (issue 18: no loop per day).
        week = bytes(1 if (self._origin + i) % 7 not in (0, 6) else 0 for i in range(7))
        work = bytearray((week * (size // 7 + 1))[:size])
        # Non-plain days only: ordinal -> (reason, name).
        self._special: dict[int, tuple[Reason, str]] = {}

        for year, source in self._sources.items():
            if source == "package":
                self._apply(work, ((o.day, o.workday, o.name) for o in package_days(year)))
            elif source == "provisional":
                self._apply(work, ((d, False, n) for d, n in statutory_holidays(year).items()))
        # Admin days last: they may also correct a neighbouring year's day.
        seen: set[date] = set()
        for year in sorted(admin):
            for override in admin[year]:
                if override.day in seen:
                    raise ValueError(f"{override.day} is given twice in the admin-entered notices")
                seen.add(override.day)
            self._apply(work, ((o.day, o.workday, o.name) for o in admin[year] if self._in_range(o.day)))

        self._work: bytearray = work
        # cum[i] = number of working days at offsets < i, so the working days
        # in (a, b] are cum[b + 1] - cum[a + 1].
        self._cum: array[int] = array("l", accumulate(work, initial=0))
        self._offsets: array[int] = array("l", compress(range(size), work))

    # -- construction helpers ------------------------------------------------

    def _source_for(self, year: int) -> Source:
        if year in self._admin_years:
            return "admin"
        if PACKAGE_YEARS[0] <= year <= PACKAGE_YEARS[1]:
            return "package"
        return "provisional"

    def _in_range(self, day: date) -> bool:
        return self.first_year <= day.year <= self.last_year

    def _apply(self, work: bytearray, days: Iterable[tuple[date, bool, str]]) -> None:
        for day, workday, name in days:
            if not self._in_range(day):
                continue
            ordinal = day.toordinal()
            weekend = day.weekday() >= 5
            work[ordinal - self._origin] = 1 if workday else 0
            if workday:
                if weekend:
                    self._special[ordinal] = ("makeup_workday", name)
                else:
                    self._special.pop(ordinal, None)
            else:
                self._special[ordinal] = ("holiday", name)

    def _offset(self, day: date) -> int:
        offset = day.toordinal() - self._origin
        if not 0 <= offset < len(self._work):
            raise CalendarRangeError(
                f"日期 {day} 超出工作日历的范围（{self.first_year}–{self.last_year}年）"
            )
        return offset

    # -- queries ---------------------------------------------------------------

    def source_of(self, year: int) -> Source:
        """Where ``year``'s data comes from: "admin", "package" or "provisional"."""
        source = self._sources.get(year)
        return source if source is not None else self._source_for(year)

    def is_official_year(self, year: int) -> bool:
        """True for an admin-entered year or one the package knows."""
        return self.source_of(year) != "provisional"

    def is_workday(self, day: date) -> bool:
        return bool(self._work[self._offset(day)])

    def day_info(self, day: date) -> DayInfo:
        offset = self._offset(day)
        special = self._special.get(day.toordinal())
        if special is not None:
            reason, name = special
        else:
            reason, name = ("weekend" if day.weekday() >= 5 else "weekday"), ""
        return DayInfo(
            day=day,
            workday=bool(self._work[offset]),
            reason=reason,
            name=name,
            provisional=self.source_of(day.year) == "provisional",
        )

    def add_workdays(self, day: date, n: int) -> date:
        """The n-th working day strictly after ``day`` (``day`` never counts; n=0 gives ``day``)."""
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            self._offset(day)
            return day
        index = self._cum[self._offset(day) + 1] + n - 1
        if index >= len(self._offsets):
            raise CalendarRangeError(
                f"{day} 之后第{n}个工作日超出工作日历的范围（最晚到{self.last_year}年）"
            )
        return date.fromordinal(self._origin + self._offsets[index])

    def workdays_between(self, a: date, b: date) -> int:
        """Working days in the half-open interval (a, b]; 0 when b <= a."""
        if b <= a:
            return 0
        return self._cum[self._offset(b) + 1] - self._cum[self._offset(a) + 1]

    def years_touched(self, a: date, b: date) -> list[int]:
        """Calendar years containing a day of (a, b]; empty when b <= a."""
        if b <= a:
            return []
        return list(range((a + timedelta(days=1)).year, b.year + 1))

    def provisional_between(self, a: date, b: date) -> bool:
        """Whether any day of (a, b] lies in a year without official data."""
        return any(not self.is_official_year(y) for y in self.years_touched(a, b))

    @property
    def admin_years(self) -> frozenset[int]:
        return self._admin_years
