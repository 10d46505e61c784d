"""The working-day calendar behind every legal deadline (DOMAIN.md, "Working days").

A working day is a day government offices work under the State Council's
holiday notice for that year: weekdays, minus the days off, plus the weekend
days declared make-up working days (调休上班).

Where the data comes from, per calendar year (``WorkCalendar.source_of``):

* ``"admin"``: a year an administrator entered from the State Council notice
  (``parse_notice_file``). It replaces the package data for the whole year, so
  a late correction of the official tables is possible without an upgrade.
* ``"package"``: the official tables shipped in ``chinesecalendar``
  (2004–2026 in 1.11.0).
* ``"provisional"``: no notice known. Monday–Friday work, minus the statutory
  public holidays of 《全国年节及纪念日放假办法》 (2025 revision: 元旦 1 Jan;
  春节 除夕–初三; 清明; 劳动节 1–2 May; 端午; 中秋; 国庆 1–3 Oct). The lunar
  and solar-term dates come from the ``holidays`` package. No make-up days are
  guessed, and every day of such a year is flagged provisional so the UI can
  say so.

The calendar precomputes, once, a per-day workday flag, a cumulative count and
the list of workday offsets over its whole range. Every query is then an index
lookup: nothing loops day by day over a period, because the request list
computes clocks for thousands of rows.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, Literal

import chinese_calendar  # type: ignore[import-untyped]  # ships no type information

__all__ = [
    "REASON_LABELS",
    "SOURCE_LABELS",
    "CalendarFileError",
    "CalendarRangeError",
    "NOTICE_YEARS",
    "DayInfo",
    "DayOverride",
    "FileProblem",
    "Reason",
    "Source",
    "WorkCalendar",
    "parse_notice_file",
    "statutory_holidays",
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

# chinesecalendar names its holidays in English; clerks read Chinese. Its own
# `Holiday.chinese` shortens some names (清明, 端午, 中秋), so spell them out.
_PACKAGE_NAMES_ZH: Final[dict[str, str]] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

# The statutory festivals in the order the notice lists them; used to name a
# day that is two festivals at once (中秋节 on 1 Oct) consistently.
_STATUTORY_ORDER: Final[tuple[str, ...]] = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")

# The years chinesecalendar has notice data for (it raises outside them).
_PACKAGE_YEARS: Final[tuple[int, int]] = (
    min(chinese_calendar.holidays).year,
    max(chinese_calendar.holidays).year,
)

# 《全国年节及纪念日放假办法》 as revised in 2024, in force from 1 Jan 2025.
_RULE_FIRST_YEAR: Final = 2025

_WEEKDAY_ZH: Final[tuple[str, ...]] = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


class CalendarRangeError(ValueError):
    """A date outside the range the calendar was built for; ``str(err)`` is Chinese, for the clerk."""


#: The years a holiday notice may be entered for: from the first year the calendar
#: covers to the last year the ``holidays`` package has lunar festival dates for
#: (``statutory_holidays`` cannot check a notice beyond it).
NOTICE_YEARS: Final[tuple[int, int]] = (2004, 2100)


@dataclass(frozen=True)
class DayOverride:
    """One line of a holiday notice.

    ``workday=False``: a day off (a weekday given off, or a weekend day inside a
    holiday block, so it carries the festival's name). ``workday=True``: a
    weekend day declared a make-up working day (调休上班).
    """

    day: date
    workday: bool
    name: str


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
            return _WEEKDAY_ZH[self.day.weekday()]
        return REASON_LABELS["weekday"]


# --------------------------------------------------------------------------
# Statutory holidays by rule (provisional years)
# --------------------------------------------------------------------------


def statutory_holidays(year: int) -> dict[date, str]:
    """The statutory public holidays of ``year`` by the 2025 rule, without any notice.

    Only the holidays themselves (13 days a year under the 2025 rule, fewer
    when 中秋 falls on 1–3 Oct); no bridging days, no make-up days, no
    weekend substitutes. Lunar and solar-term dates come from ``holidays``.
    """
    # Imported here: it costs ~65 ms and is only needed for years without data.
    from holidays import country_holidays

    # observed=False: the package otherwise invents 补假 substitute days, which
    # only a notice can decide. Names are filtered so that, should a later
    # version carry a year's notice (休息日（由…调休）), the rule stays a rule.
    found = country_holidays("CN", years=year, observed=False, language="zh_CN")
    new_year_days: list[date] = []
    lunar: dict[date, set[str]] = {}
    for day, label in found.items():
        parts = {part.strip() for part in str(label).split(";")}
        if "春节" in parts:
            new_year_days.append(day)
        for part in parts & {"清明节", "端午节", "中秋节"}:
            lunar.setdefault(day, set()).add(part)
    if not new_year_days or {n for parts in lunar.values() for n in parts} != {"清明节", "端午节", "中秋节"}:
        raise ValueError(f"the holidays package has no lunar festival dates for {year}")
    # Fixed dates by the 2025 rule, independent of the package.
    result: dict[date, set[str]] = {
        date(year, 1, 1): {"元旦"},
        date(year, 5, 1): {"劳动节"},
        date(year, 5, 2): {"劳动节"},
        date(year, 10, 1): {"国庆节"},
        date(year, 10, 2): {"国庆节"},
        date(year, 10, 3): {"国庆节"},
    }
    # 春节 is 除夕 through 初三, derived from 初一 (the package's first 春节
    # day) so the span does not depend on the rule version the package applies.
    first_day = min(new_year_days)
    for offset in (-1, 0, 1, 2):
        result.setdefault(first_day + timedelta(days=offset), set()).add("春节")
    for day, parts in lunar.items():
        result.setdefault(day, set()).update(parts)
    return {d: "、".join(n for n in _STATUTORY_ORDER if n in parts) for d, parts in sorted(result.items())}


# --------------------------------------------------------------------------
# The admin's notice file
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class FileProblem:
    """One thing wrong with a notice file; ``line`` is 1-based, None for the whole file."""

    line: int | None
    message: str
    message_zh: str


class CalendarFileError(ValueError):
    """A notice file that cannot be used; lists every problem found.

    ``str(err)`` is English (for logs and the parser's tests), ``err.message_zh``
    the same in Chinese: the admin screen and ``request-desk calendar import``
    show the Chinese; ``err.line`` is the first offending line (or None).
    """

    def __init__(self, problems: Sequence[FileProblem]) -> None:
        self.problems: tuple[FileProblem, ...] = tuple(problems)
        self.line: int | None = self.problems[0].line if self.problems else None
        self.message_zh: str = "\n".join(p.message_zh for p in self.problems)
        super().__init__("\n".join(p.message for p in self.problems))


_HOLIDAY_WORDS: Final = frozenset({"holiday", "off", "放假", "休", "休息", "假"})
_WORKDAY_WORDS: Final = frozenset({"workday", "work", "上班", "班", "补班", "调休上班"})
_HEADER_WORDS: Final = frozenset({"date", "day", "日期"})
_DATE_RE: Final = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_SEPARATORS: Final = re.compile(r"[,\t，]")


def _split_fields(line: str) -> list[str]:
    # Excel exports pad rows with trailing separators; names never contain one.
    if _SEPARATORS.search(line):
        parts = [p.strip() for p in _SEPARATORS.split(line)]
    else:
        parts = line.split()
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def parse_notice_file(text: str) -> dict[int, list[DayOverride]]:
    """Parse the admin's notice file into day overrides keyed by notice year.

    One line per date: ``YYYY-MM-DD,holiday|workday,name`` (also 放假/休 and
    上班/班; separated by commas, full-width commas or tabs). A header line,
    blank lines and ``#`` comments are allowed.

    A year must not be half-entered, since an entered year replaces all
    official data for it: every line must parse, no date may appear twice, a
    make-up working day must be a Saturday or Sunday, and every statutory
    holiday of the year (``statutory_holidays``, from 2025) must be marked as a day off.
    Make-up days dated in a neighbouring year (a notice for N can put one on
    a late-December weekend of N−1) are filed under the notice year.

    Raises ``CalendarFileError`` listing every problem with its line number.
    """
    problems: list[FileProblem] = []
    entries: list[tuple[int, DayOverride]] = []
    seen: dict[date, int] = {}
    content_lines = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.replace("\ufeff", "").replace("\u3000", " ")
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        content_lines += 1
        fields = _split_fields(line)
        if content_lines == 1 and fields and fields[0].lower() in _HEADER_WORDS:
            continue
        match = _DATE_RE.match(fields[0]) if fields else None
        day: date | None = None
        if match:
            try:
                day = date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                day = None
        if day is None:
            problems.append(
                FileProblem(
                    number,
                    f"line {number}: {fields[0]!r} is not a valid date (expected YYYY-MM-DD)",
                    f"第{number}行：“{fields[0]}”不是有效日期（应为YYYY-MM-DD格式）",
                )
            )
            continue
        if not NOTICE_YEARS[0] <= day.year <= NOTICE_YEARS[1]:
            problems.append(
                FileProblem(
                    number,
                    f"line {number}: {day} is outside the years a notice can be entered for"
                    f" ({NOTICE_YEARS[0]}-{NOTICE_YEARS[1]})",
                    f"第{number}行：{day} 超出可录入放假通知的年份范围（{NOTICE_YEARS[0]}–{NOTICE_YEARS[1]}年）",
                )
            )
            continue
        if len(fields) < 2 or not fields[1]:
            problems.append(
                FileProblem(
                    number,
                    f"line {number}: {day} has no type (holiday/放假 or workday/上班)",
                    f"第{number}行：{day} 缺少类型（放假或上班）",
                )
            )
            continue
        kind = fields[1].lower()
        if kind in _HOLIDAY_WORDS:
            workday = False
        elif kind in _WORKDAY_WORDS:
            workday = True
        else:
            problems.append(
                FileProblem(
                    number,
                    f"line {number}: unknown type {fields[1]!r} (expected holiday/放假/休 or workday/上班/班)",
                    f"第{number}行：无法识别的类型“{fields[1]}”（应为放假/休或上班/班）",
                )
            )
            continue
        name = "，".join(f for f in fields[2:] if f)
        if not workday and not name:
            problems.append(
                FileProblem(
                    number,
                    f"line {number}: holiday {day} has no name (e.g. 国庆节)",
                    f"第{number}行：放假日 {day} 缺少节日名称（如 国庆节）",
                )
            )
            continue
        if workday and day.weekday() < 5:
            problems.append(
                FileProblem(
                    number,
                    f"line {number}: {day} is a weekday; a make-up working day must be a Saturday or Sunday",
                    f"第{number}行：{day} 是{_WEEKDAY_ZH[day.weekday()]}，调休上班日只能是周六或周日",
                )
            )
            continue
        if day in seen:
            problems.append(
                FileProblem(
                    number,
                    f"line {number}: {day} already given on line {seen[day]}",
                    f"第{number}行：{day} 与第{seen[day]}行重复",
                )
            )
            continue
        seen[day] = number
        entries.append((number, DayOverride(day, workday, name)))

    if not entries and not problems:
        problems.append(FileProblem(None, "the file contains no dates", "文件中没有任何日期"))
    if problems:
        raise CalendarFileError(problems)

    # A year is a notice year when it has days off; make-up days dated in a
    # year without any are attached to the neighbouring notice year.
    notice_years = {o.day.year for _, o in entries if not o.workday}
    by_year: dict[int, list[DayOverride]] = {}
    first_line: dict[int, int] = {}
    for number, override in entries:
        year = override.day.year
        if year not in notice_years:
            if override.day.month == 12 and year + 1 in notice_years:
                year += 1
            elif override.day.month == 1 and year - 1 in notice_years:
                year -= 1
            else:
                problems.append(
                    FileProblem(
                        number,
                        f"line {number}: {override.day} is a make-up day in {year}, which has no days off in the file;"
                        " enter the whole notice for the year",
                        f"第{number}行：{override.day} 是调休上班日，但文件中没有{year}年的放假日，请录入全年通知",
                    )
                )
                continue
        by_year.setdefault(year, []).append(override)
        first_line.setdefault(year, number)

    for year in sorted(by_year):
        if year < _RULE_FIRST_YEAR:
            continue  # earlier years followed older rules (e.g. no 除夕 off)
        off = {o.day for o in by_year[year] if not o.workday}
        missing = [(d, n) for d, n in statutory_holidays(year).items() if d not in off]
        if missing:
            listed = ", ".join(f"{d} ({n})" for d, n in missing)
            listed_zh = "、".join(f"{d}（{n}）" for d, n in missing)
            problems.append(
                FileProblem(
                    first_line[year],
                    f"{year} is incomplete: the statutory holidays {listed} are not marked as holidays;"
                    " enter the whole notice for the year",
                    f"{year}年数据不完整：法定节日 {listed_zh} 未标为放假，请录入全年通知",
                )
            )
    if problems:
        raise CalendarFileError(problems)
    for overrides in by_year.values():
        overrides.sort(key=lambda o: o.day)
    return dict(sorted(by_year.items()))


# --------------------------------------------------------------------------
# The calendar
# --------------------------------------------------------------------------


class WorkCalendar:
    """Working days over ``first_year``–``last_year``, indexed once for O(1) queries.

    ``admin_years`` maps a notice year to its overrides (as returned by
    ``parse_notice_file``); such a year replaces the package data entirely.
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
        # Start from plain weeks; exceptions overwrite them below.
        work = bytearray(1 if (self._origin + i) % 7 not in (0, 6) else 0 for i in range(size))
        # Non-plain days only: ordinal -> (reason, name).
        self._special: dict[int, tuple[Reason, str]] = {}

        for year, source in self._sources.items():
            if source == "package":
                self._apply(work, self._package_days(year))
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
        cum = array("l", [0]) * (size + 1)
        running = 0
        offsets = array("l")
        for i, flag in enumerate(work):
            if flag:
                offsets.append(i)
                running += 1
            cum[i + 1] = running
        self._cum: array[int] = cum
        self._offsets: array[int] = offsets

    # -- construction helpers ------------------------------------------------

    def _source_for(self, year: int) -> Source:
        if year in self._admin_years:
            return "admin"
        if _PACKAGE_YEARS[0] <= year <= _PACKAGE_YEARS[1]:
            return "package"
        return "provisional"

    @staticmethod
    def _package_days(year: int) -> Iterable[tuple[date, bool, str]]:
        # The package's public tables; its per-date API rescans them on every
        # call, far too slow for building a 20-year index.
        for day, name in chinese_calendar.holidays.items():
            if day.year == year:
                yield day, False, _PACKAGE_NAMES_ZH.get(name, str(name))
        for day, name in chinese_calendar.workdays.items():
            if day.year == year:
                yield day, True, _PACKAGE_NAMES_ZH.get(name, str(name))

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
