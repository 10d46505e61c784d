"""Reading an administrator's holiday-notice file: one line per date of the State Council notice.

When the State Council publishes next year's holiday notice (usually in
November) before a new release of Request Desk bundles it, the administrator
types it in as a small text file (``request-desk calendar import``, or the
settings page) and every deadline follows it. An entered year replaces the
bundled data for the whole year, so the file is checked hard: a year entered
by half would move deadlines silently. Every problem is reported with its line,
in English for the logs and in Chinese for the administrator.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

from request_desk.core.text import decode_text, read_limited

from .holiday_data import RULE_FIRST_YEAR, WEEKDAY_NAMES_ZH, DayOverride, statutory_holidays
from .workcalendar import NOTICE_YEARS

__all__ = ["CalendarFileError", "FileProblem", "parse_notice_file"]


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
_SATURDAY: Final = 5  # date.weekday() of the first weekend day


def _split_fields(line: str) -> list[str]:
    # Excel exports pad rows with trailing separators; names never contain one.
    parts = [p.strip() for p in _SEPARATORS.split(line)] if _SEPARATORS.search(line) else line.split()
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def _read_date(number: int, text: str) -> date | FileProblem:
    """The date a line starts with, in the years a notice can be entered for."""
    match = _DATE_RE.match(text)
    day: date | None = None
    if match:
        year, month, dom = int(match[1]), int(match[2]), int(match[3])
        try:
            day = date(year, month, dom)
        except ValueError:
            # Written as a date, but no such day: say so, not "wrong format".
            if not 1 <= month <= 12:
                return FileProblem(
                    number,
                    f"line {number}: {text!r} does not exist (there is no month {month})",
                    f"第{number}行：“{text}”这一天不存在（没有{month}月）",
                )
            return FileProblem(
                number,
                f"line {number}: {text!r} does not exist ({year}-{month:02d} has no day {dom})",
                f"第{number}行：“{text}”这一天不存在（{year}年{month}月没有{dom}日）",
            )
    if day is None:
        return FileProblem(
            number,
            f"line {number}: {text!r} is not a valid date (expected YYYY-MM-DD)",
            f"第{number}行：“{text}”不是有效日期（应为YYYY-MM-DD格式）",
        )
    if not NOTICE_YEARS[0] <= day.year <= NOTICE_YEARS[1]:
        return FileProblem(
            number,
            f"line {number}: {day} is outside the years a notice can be entered for"
            f" ({NOTICE_YEARS[0]}-{NOTICE_YEARS[1]})",
            f"第{number}行：{day} 超出可录入放假通知的年份范围（{NOTICE_YEARS[0]}–{NOTICE_YEARS[1]}年）",
        )
    return day


def _read_line(number: int, fields: list[str]) -> DayOverride | FileProblem:
    """One line of the file: the day it declares, or what is wrong with it."""
    day = _read_date(number, fields[0])
    if isinstance(day, FileProblem):
        return day
    if len(fields) < 2 or not fields[1]:
        return FileProblem(
            number,
            f"line {number}: {day} has no type (holiday/放假 or workday/上班)",
            f"第{number}行：{day} 缺少类型（放假或上班）",
        )
    kind = fields[1].lower()
    if kind in _HOLIDAY_WORDS:
        workday = False
    elif kind in _WORKDAY_WORDS:
        workday = True
    else:
        return FileProblem(
            number,
            f"line {number}: unknown type {fields[1]!r} (expected holiday/放假/休 or workday/上班/班)",
            f"第{number}行：无法识别的类型“{fields[1]}”（应为放假/休或上班/班）",
        )
    name = "，".join(f for f in fields[2:] if f)
    if not workday and not name:
        return FileProblem(
            number,
            f"line {number}: holiday {day} has no name (e.g. 国庆节)",
            f"第{number}行：放假日 {day} 缺少节日名称（如 国庆节）",
        )
    if workday and day.weekday() < _SATURDAY:
        return FileProblem(
            number,
            f"line {number}: {day} is a weekday; a make-up working day must be a Saturday or Sunday",
            f"第{number}行：{day} 是{WEEKDAY_NAMES_ZH[day.weekday()]}，调休上班日只能是周六或周日",
        )
    return DayOverride(day, workday, name)


def _read_lines(text: str) -> tuple[list[tuple[int, DayOverride]], list[FileProblem]]:
    """Every dated line with its line number, and the problems of the others."""
    problems: list[FileProblem] = []
    entries: list[tuple[int, DayOverride]] = []
    seen: dict[date, int] = {}
    content_lines = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.replace("\ufeff", "").replace("\u3000", " ")
        fields = _split_fields(line.split("#", 1)[0].strip())
        if not fields:  # blank, a comment, or an empty spreadsheet row (",,,")
            continue
        content_lines += 1
        if content_lines == 1 and fields[0].lower() in _HEADER_WORDS:
            continue
        read = _read_line(number, fields)
        if isinstance(read, FileProblem):
            problems.append(read)
        elif read.day in seen:
            problems.append(
                FileProblem(
                    number,
                    f"line {number}: {read.day} already given on line {seen[read.day]}",
                    f"第{number}行：{read.day} 与第{seen[read.day]}行重复",
                )
            )
        else:
            seen[read.day] = number
            entries.append((number, read))
    return entries, problems


def _by_notice_year(
    entries: list[tuple[int, DayOverride]],
) -> tuple[dict[int, list[DayOverride]], dict[int, int], list[FileProblem]]:
    """The days filed under their notice year, each year's first line, and stray make-up days.

    A year is a notice year when it has days off; make-up days dated in a
    year without any are attached to the neighbouring notice year.
    """
    notice_years = {o.day.year for _, o in entries if not o.workday}
    by_year: dict[int, list[DayOverride]] = {}
    first_line: dict[int, int] = {}
    problems: list[FileProblem] = []
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
    return by_year, first_line, problems


def _incomplete_years(by_year: dict[int, list[DayOverride]], first_line: dict[int, int]) -> list[FileProblem]:
    """Years that leave a statutory holiday (2025 rule) unmarked: entered by half."""
    problems: list[FileProblem] = []
    for year in sorted(by_year):
        if year < RULE_FIRST_YEAR:
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
    return problems


def parse_notice_file(text: str) -> dict[int, list[DayOverride]]:
    """Parse the admin's notice file into day overrides keyed by notice year.

    One line per date: ``YYYY-MM-DD,holiday|workday,name`` (also 放假/休 and
    上班/班; separated by commas, full-width commas or tabs). A header line,
    blank lines, empty spreadsheet rows and ``#`` comments are allowed.

    A year must not be half-entered, since an entered year replaces all
    official data for it: every line must parse, no date may appear twice, a
    make-up working day must be a Saturday or Sunday, and every statutory
    holiday of the year (``statutory_holidays``, from 2025) must be marked as a day off.
    Make-up days dated in a neighbouring year (a notice for N can put one on
    a late-December weekend of N−1) are filed under the notice year.

    Raises ``CalendarFileError`` listing every problem with its line number.
    """
    entries, problems = _read_lines(text)
    if not entries and not problems:
        problems.append(FileProblem(None, "the file contains no dates", "文件中没有任何日期"))
    if problems:
        raise CalendarFileError(problems)

    by_year, first_line, problems = _by_notice_year(entries)
    problems += _incomplete_years(by_year, first_line)
    if problems:
        raise CalendarFileError(problems)
    for overrides in by_year.values():
        overrides.sort(key=lambda o: o.day)
    return dict(sorted(by_year.items()))


# A State Council notice is a few dozen lines; anything near this is not one.
MAX_NOTICE_BYTES: Final = 1024 * 1024


def read_notice(path: Path) -> str:
    """The text of an administrator's notice file: size-capped, UTF-8 (BOM or not) or GB18030.

    The GUI and the command line both read through here, so both refuse the same files
    with the same Chinese message.
    """
    return decode_text(read_limited(path, MAX_NOTICE_BYTES, "放假通知文件"), path.name)
