"""The holiday data the working-day calendar starts from, before any administrator enters a year.

Two sources (docs/domain.md, "Working days"):

* the State Council notices as shipped in ``chinesecalendar`` (2004–2026 in
  1.11.0): official, the calendar's ``"package"`` years;
* for a year no notice is known for, the statutory public holidays of
  《全国年节及纪念日放假办法》 (2025 revision: 元旦 1 Jan; 春节 除夕–初三; 清明;
  劳动节 1–2 May; 端午; 中秋; 国庆 1–3 Oct), the lunar and solar-term dates
  from the ``holidays`` package (written out for 2025–2100 in ``festival_dates``):
  the calendar's ``"provisional"`` years, with no make-up days guessed.

``DayOverride`` is the common currency: one day that differs from the plain
Monday–Friday week, whether it comes from here or from a notice file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Final

import chinese_calendar  # ships no type information: ignore_missing_imports in pyproject.toml

from .festival_dates import FESTIVAL_DATES

__all__ = [
    "PACKAGE_YEARS",
    "RULE_FIRST_YEAR",
    "STATUTORY_ORDER",
    "WEEKDAY_NAMES_ZH",
    "DayOverride",
    "package_days",
    "package_festivals",
    "statutory_holidays",
]


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


WEEKDAY_NAMES_ZH: Final[tuple[str, ...]] = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

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
STATUTORY_ORDER: Final[tuple[str, ...]] = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")

# The years chinesecalendar has notice data for (it raises outside them).
PACKAGE_YEARS: Final[tuple[int, int]] = (
    min(chinese_calendar.holidays).year,
    max(chinese_calendar.holidays).year,
)

# 《全国年节及纪念日放假办法》 as revised in 2024, in force from 1 Jan 2025.
RULE_FIRST_YEAR: Final = 2025


def package_days(year: int) -> Iterator[DayOverride]:
    """The days off and make-up working days of ``year`` in the bundled notices."""
    yield from _package_by_year().get(year, ())


@cache
def _package_by_year() -> dict[int, tuple[DayOverride, ...]]:
    # The package's public tables, read once and sorted by year: its per-date API rescans
    # them on every call, and scanning them once per year cost the calendar of every start
    # ten milliseconds (issue 18). Days off first, then make-up days, as the tables list them.
    by_year: dict[int, list[DayOverride]] = {}
    for table, workday in ((chinese_calendar.holidays, False), (chinese_calendar.workdays, True)):
        for day, name in table.items():
            by_year.setdefault(day.year, []).append(DayOverride(day, workday, _PACKAGE_NAMES_ZH.get(name, str(name))))
    return {year: tuple(days) for year, days in by_year.items()}


def statutory_holidays(year: int) -> dict[date, str]:
    """The statutory public holidays of ``year`` by the 2025 rule, without any notice.

    Only the holidays themselves (13 days a year under the 2025 rule, fewer
    when 中秋 falls on 1–3 Oct); no bridging days, no make-up days, no
    weekend substitutes. Lunar and solar-term dates come from ``holidays``
    (written out in ``festival_dates`` for 2025–2100).
    """
    known = FESTIVAL_DATES.get(year)
    if known is None:
        first_day, lunar = package_festivals(year)
    else:
        first_day = date.fromisoformat(f"{year}-{known[0]}")
        lunar = {}
        for name, month_day in zip(("清明节", "端午节", "中秋节"), known[1:], strict=True):
            lunar.setdefault(date.fromisoformat(f"{year}-{month_day}"), set()).add(name)
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
    for offset in (-1, 0, 1, 2):
        result.setdefault(first_day + timedelta(days=offset), set()).add("春节")
    for day, parts in lunar.items():
        result.setdefault(day, set()).update(parts)
    return {d: "、".join(n for n in STATUTORY_ORDER if n in parts) for d, parts in sorted(result.items())}


def package_festivals(year: int) -> tuple[date, dict[date, set[str]]]:
    """春节's first day (初一) and the days of 清明节, 端午节 and 中秋节 in ``year``, as ``holidays`` computes them."""
    # Imported here: it costs ~65 ms and is needed only for a year outside ``festival_dates``.
    from holidays import country_holidays  # noqa: PLC0415 - costly, and needed only for years without data

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
    return min(new_year_days), lunar
