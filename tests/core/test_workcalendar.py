"""Tests for the working-day calendar and the admin notice-file parser.

Expected values come from the State Council notices for 2025 and 2026
(docs/domain.md, "Working days") typed in by hand here, not from the package under test.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from request_desk.core.deadlines.festival_dates import FESTIVAL_DATES
from request_desk.core.deadlines.holiday_data import RULE_FIRST_YEAR, DayOverride, package_festivals, statutory_holidays
from request_desk.core.deadlines.notice_file import CalendarFileError, parse_notice_file
from request_desk.core.deadlines.workcalendar import NOTICE_YEARS, CalendarRangeError, WorkCalendar

D = date


def _span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# The notices as published (国办发明电), independent of chinesecalendar.
NOTICE_2026_OFF = [
    *_span(D(2026, 1, 1), D(2026, 1, 3)),  # 元旦
    *_span(D(2026, 2, 15), D(2026, 2, 23)),  # 春节
    *_span(D(2026, 4, 4), D(2026, 4, 6)),  # 清明
    *_span(D(2026, 5, 1), D(2026, 5, 5)),  # 劳动节
    *_span(D(2026, 6, 19), D(2026, 6, 21)),  # 端午
    *_span(D(2026, 9, 25), D(2026, 9, 27)),  # 中秋
    *_span(D(2026, 10, 1), D(2026, 10, 7)),  # 国庆
]
NOTICE_2026_MAKEUP = [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)]
NOTICE_2025_OFF = [
    D(2025, 1, 1),  # 元旦
    *_span(D(2025, 1, 28), D(2025, 2, 4)),  # 春节
    *_span(D(2025, 4, 4), D(2025, 4, 6)),  # 清明
    *_span(D(2025, 5, 1), D(2025, 5, 5)),  # 劳动节
    *_span(D(2025, 5, 31), D(2025, 6, 2)),  # 端午
    *_span(D(2025, 10, 1), D(2025, 10, 8)),  # 国庆、中秋
]
NOTICE_2025_MAKEUP = [D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)]

# An INVENTED 2027 notice for tests (the real one is not in our data): it
# differs from the provisional rule around 春节 (8 days off, two make-up days).
TEST_NOTICE_2027 = """\ufeff# 2027 test notice — invented for tests, not the State Council's
日期,类型,名称
2027-01-01,放假,元旦
2027-01-02,放假,元旦
2027-01-03,放假,元旦

2027-01-31,上班,春节
2027-02-05\t放假\t春节
2027-02-06\t放假\t春节
2027-02-07，放假，春节
2027-02-08,休,春节
2027-02-09,holiday,春节
2027-02-10,Holiday,春节
2027-02-11,放假,春节
2027-02-12,放假,春节   # Friday
2027-02-20,班,春节
2027-04-03,放假,清明节
2027-04-04,放假,清明节
2027-04-05,放假,清明节
2027-04-25,workday,劳动节
2027-05-01,放假,劳动节
2027-05-02,放假,劳动节
2027-05-03,放假,劳动节
2027-05-04,放假,劳动节
2027-05-05,放假,劳动节
2027-05-08,上班,劳动节
2027-06-09,放假,端午节
2027-09-15,放假,中秋节
2027-09-26,上班,国庆节
2027-10-01,放假,国庆节
2027-10-02,放假,国庆节
2027-10-03,放假,国庆节
2027-10-04,放假,国庆节
2027-10-05,放假,国庆节
2027-10-06,放假,国庆节
2027-10-07,放假,国庆节
2027-10-09,上班,国庆节,,
"""


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar(last_year=2030)


@pytest.fixture(scope="module")
def admin_cal() -> WorkCalendar:
    return WorkCalendar(parse_notice_file(TEST_NOTICE_2027), last_year=2030)


# --------------------------------------------------------------------------
# Official data against the notices
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "off", "makeup"),
    [(2026, NOTICE_2026_OFF, NOTICE_2026_MAKEUP), (2025, NOTICE_2025_OFF, NOTICE_2025_MAKEUP)],
)
def test_every_day_of_the_year_matches_the_notice(
    cal: WorkCalendar, year: int, off: list[date], makeup: list[date]
) -> None:
    wrong = []
    for day in _span(D(year, 1, 1), D(year, 12, 31)):
        expected = day in makeup or (day.weekday() < 5 and day not in off)
        if cal.is_workday(day) != expected:
            wrong.append(day)
    assert wrong == []


@pytest.mark.parametrize(
    ("day", "workday", "reason", "name"),
    [
        (D(2026, 10, 3), False, "holiday", "国庆节"),  # Saturday inside the block
        (D(2026, 10, 5), False, "holiday", "国庆节"),
        (D(2026, 10, 10), True, "makeup_workday", "国庆节"),
        (D(2026, 9, 20), True, "makeup_workday", "国庆节"),
        (D(2026, 9, 25), False, "holiday", "中秋节"),
        (D(2026, 2, 16), False, "holiday", "春节"),
        (D(2026, 2, 14), True, "makeup_workday", "春节"),
        (D(2026, 1, 4), True, "makeup_workday", "元旦"),
        (D(2026, 6, 19), False, "holiday", "端午节"),
        (D(2026, 4, 6), False, "holiday", "清明节"),
        (D(2026, 10, 11), False, "weekend", ""),
        (D(2026, 10, 12), True, "weekday", ""),
        (D(2025, 2, 8), True, "makeup_workday", "春节"),
    ],
)
def test_day_info(cal: WorkCalendar, day: date, workday: bool, reason: str, name: str) -> None:
    info = cal.day_info(day)
    assert (info.day, info.workday, info.reason, info.name, info.provisional) == (day, workday, reason, name, False)


def test_day_info_label() -> None:
    cal = WorkCalendar(first_year=2026, last_year=2026)
    assert cal.day_info(D(2026, 10, 3)).label_zh == "国庆节"
    assert cal.day_info(D(2026, 10, 10)).label_zh == "调休上班（国庆节）"
    assert cal.day_info(D(2026, 10, 11)).label_zh == "星期日"


# --------------------------------------------------------------------------
# Counting
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Tue 29 (1), Wed 30 (2); 1–7 Oct off; 8 (3), 9 (4), Sat 10 (5); 12–16 (6–10);
        # 19–23 (11–15); 26–30 (16–20).
        (D(2026, 9, 28), 20, D(2026, 10, 30)),
        (D(2026, 9, 28), 1, D(2026, 9, 29)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),  # the whole holiday is skipped
        (D(2026, 10, 9), 1, D(2026, 10, 10)),  # make-up Saturday
        (D(2026, 10, 10), 1, D(2026, 10, 12)),
        (D(2026, 10, 3), 1, D(2026, 10, 8)),  # start on a holiday: the start never counts
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 14), 1, D(2026, 2, 24)),
        (D(2025, 1, 27), 1, D(2025, 2, 5)),
        (D(2025, 12, 31), 1, D(2026, 1, 4)),  # across the year end to the make-up Sunday
        (D(2026, 5, 8), 0, D(2026, 5, 8)),
    ],
)
def test_add_workdays(cal: WorkCalendar, start: date, n: int, expected: date) -> None:
    assert cal.add_workdays(start, n) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (D(2026, 9, 28), D(2026, 10, 30), 20),
        (D(2026, 9, 30), D(2026, 10, 7), 0),  # only holidays in (a, b]
        (D(2026, 10, 9), D(2026, 10, 10), 1),  # b itself counts
        (D(2026, 10, 10), D(2026, 10, 10), 0),
        (D(2026, 10, 12), D(2026, 10, 9), 0),  # reversed
        (D(2026, 2, 13), D(2026, 2, 28), 6),  # 14 (make-up), 24, 25, 26, 27, 28 (make-up)
        (D(2025, 12, 31), D(2026, 1, 5), 2),  # Sun 4 (make-up), Mon 5
    ],
)
def test_workdays_between(cal: WorkCalendar, a: date, b: date, expected: int) -> None:
    assert cal.workdays_between(a, b) == expected


def test_index_agrees_with_day_by_day_count(cal: WorkCalendar) -> None:
    # Reference: count is_workday one day at a time over 2025–2027.
    origin = D(2025, 1, 1)
    days = _span(origin, D(2027, 12, 31))
    running = 0
    for i, day in enumerate(days):
        running += cal.is_workday(day)
        assert cal.workdays_between(origin, day) == running - cal.is_workday(origin)
        if i % 17 == 0:
            for n in (1, 7, 20, 40):
                target = cal.add_workdays(day, n)
                assert cal.is_workday(target)
                assert cal.workdays_between(day, target) == n
                assert cal.workdays_between(day, target - timedelta(days=1)) == n - 1


def test_negative_n_rejected(cal: WorkCalendar) -> None:
    with pytest.raises(ValueError):
        cal.add_workdays(D(2026, 1, 5), -1)


def test_outside_range() -> None:
    cal = WorkCalendar(first_year=2025, last_year=2026)
    with pytest.raises(CalendarRangeError):
        cal.is_workday(D(2027, 1, 4))
    with pytest.raises(CalendarRangeError):
        cal.day_info(D(2024, 12, 31))
    with pytest.raises(CalendarRangeError):
        cal.add_workdays(D(2026, 12, 15), 20)  # would end in 2027
    assert cal.add_workdays(D(2026, 12, 1), 20) == D(2026, 12, 29)


def test_default_range_reaches_years_ahead() -> None:
    cal = WorkCalendar()
    assert cal.first_year == 2004
    assert cal.last_year >= date.today().year + 5


# --------------------------------------------------------------------------
# Sources and provisional years
# --------------------------------------------------------------------------


def test_sources(cal: WorkCalendar, admin_cal: WorkCalendar) -> None:
    assert [cal.source_of(y) for y in (2004, 2025, 2026, 2027, 2030)] == [
        "package",
        "package",
        "package",
        "provisional",
        "provisional",
    ]
    assert cal.is_official_year(2026) and not cal.is_official_year(2027)
    assert admin_cal.source_of(2027) == "admin"
    assert admin_cal.is_official_year(2027)
    assert admin_cal.source_of(2028) == "provisional"


def test_years_touched_and_provisional(cal: WorkCalendar, admin_cal: WorkCalendar) -> None:
    assert cal.years_touched(D(2026, 12, 15), D(2027, 1, 13)) == [2026, 2027]
    assert cal.years_touched(D(2026, 12, 31), D(2027, 1, 13)) == [2027]  # (a, b]
    assert cal.years_touched(D(2026, 12, 15), D(2026, 12, 1)) == []
    assert cal.provisional_between(D(2026, 12, 15), D(2027, 1, 13))
    assert not cal.provisional_between(D(2026, 12, 15), D(2026, 12, 31))
    assert cal.provisional_between(D(2026, 12, 31), D(2027, 1, 1))
    assert not admin_cal.provisional_between(D(2026, 12, 15), D(2027, 1, 13))


def test_statutory_holidays_2027() -> None:
    # 2025 rule: 元旦 1; 春节 除夕 (Fri 5 Feb) – 初三 (Mon 8 Feb); 清明 5 Apr;
    # 劳动节 1–2 May; 端午 9 Jun; 中秋 15 Sep; 国庆 1–3 Oct.
    assert statutory_holidays(2027) == {
        D(2027, 1, 1): "元旦",
        D(2027, 2, 5): "春节",
        D(2027, 2, 6): "春节",
        D(2027, 2, 7): "春节",
        D(2027, 2, 8): "春节",
        D(2027, 4, 5): "清明节",
        D(2027, 5, 1): "劳动节",
        D(2027, 5, 2): "劳动节",
        D(2027, 6, 9): "端午节",
        D(2027, 9, 15): "中秋节",
        D(2027, 10, 1): "国庆节",
        D(2027, 10, 2): "国庆节",
        D(2027, 10, 3): "国庆节",
    }


def test_statutory_holidays_when_mid_autumn_is_in_national_day() -> None:
    holidays_2028 = statutory_holidays(2028)
    assert holidays_2028[D(2028, 10, 3)] == "中秋节、国庆节"
    assert len(holidays_2028) == 12


def test_festival_table_is_what_the_holidays_package_computes() -> None:
    # The table spares start-up the package (issue 18); it must say what the package says, every year.
    assert list(FESTIVAL_DATES) == list(range(RULE_FIRST_YEAR, NOTICE_YEARS[1] + 1))
    for year, written in FESTIVAL_DATES.items():
        first_day, lunar = package_festivals(year)
        day_of = {name: day for day, names in lunar.items() for name in names}
        computed = tuple(f"{d:%m-%d}" for d in (first_day, day_of["清明节"], day_of["端午节"], day_of["中秋节"]))
        assert written == computed, year


@pytest.mark.parametrize("year", [2025, 2026])
def test_statutory_rule_is_inside_the_real_notices(cal: WorkCalendar, year: int) -> None:
    # Every statutory holiday by rule is a day off in the notice.
    assert [d for d in statutory_holidays(year) if cal.is_workday(d)] == []


@pytest.mark.parametrize(
    ("day", "workday", "reason"),
    [
        (D(2027, 1, 1), False, "holiday"),
        (D(2027, 2, 5), False, "holiday"),  # 除夕, Friday
        (D(2027, 2, 8), False, "holiday"),  # 初三, Monday
        (D(2027, 2, 9), True, "weekday"),  # no bridging day guessed
        (D(2027, 4, 5), False, "holiday"),
        (D(2027, 5, 3), True, "weekday"),  # no 补假 for 1–2 May on a weekend
        (D(2027, 10, 4), True, "weekday"),  # no 补假 for 2–3 Oct on a weekend
        (D(2027, 9, 26), False, "weekend"),  # no make-up day guessed
        (D(2027, 9, 15), False, "holiday"),
    ],
)
def test_provisional_rule(cal: WorkCalendar, day: date, workday: bool, reason: str) -> None:
    info = cal.day_info(day)
    assert (info.workday, info.reason, info.provisional) == (workday, reason, True)


# --------------------------------------------------------------------------
# Admin-entered years
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "workday", "reason"),
    [
        (D(2027, 1, 31), True, "makeup_workday"),
        (D(2027, 2, 9), False, "holiday"),
        (D(2027, 2, 12), False, "holiday"),
        (D(2027, 2, 20), True, "makeup_workday"),
        (D(2027, 5, 4), False, "holiday"),
        (D(2027, 10, 9), True, "makeup_workday"),
        (D(2027, 10, 8), True, "weekday"),
    ],
)
def test_admin_year(admin_cal: WorkCalendar, day: date, workday: bool, reason: str) -> None:
    info = admin_cal.day_info(day)
    assert (info.workday, info.reason, info.provisional) == (workday, reason, False)


def test_admin_year_replaces_package_year_entirely() -> None:
    # An admin 2026 with only 国庆 1–3 Oct: the package's 4–7 Oct no longer apply.
    overrides = [DayOverride(D(2026, 10, d), False, "国庆节") for d in (1, 2, 3)]
    cal = WorkCalendar({2026: overrides}, first_year=2025, last_year=2027)
    assert cal.source_of(2026) == "admin"
    assert cal.is_workday(D(2026, 10, 5))
    assert not cal.is_workday(D(2026, 10, 2))
    assert not cal.is_workday(D(2026, 10, 10))  # the package's make-up Saturday is gone
    assert not cal.is_workday(D(2025, 10, 8))  # other years untouched


def test_admin_year_extends_range() -> None:
    cal = WorkCalendar({2035: [DayOverride(D(2035, 1, 1), False, "元旦")]}, first_year=2025, last_year=2030)
    assert cal.last_year == 2035
    assert not cal.is_workday(D(2035, 1, 1))
    assert cal.source_of(2034) == "provisional"


def test_admin_duplicate_rejected() -> None:
    overrides = [DayOverride(D(2027, 1, 1), False, "元旦"), DayOverride(D(2027, 1, 1), False, "元旦")]
    with pytest.raises(ValueError, match="2027-01-01"):
        WorkCalendar({2027: overrides}, first_year=2026, last_year=2028)


# --------------------------------------------------------------------------
# The notice-file parser
# --------------------------------------------------------------------------


def test_parse_good_file() -> None:
    parsed = parse_notice_file(TEST_NOTICE_2027)
    assert list(parsed) == [2027]
    days = parsed[2027]
    assert len(days) == 34  # 28 days off, 6 make-up days
    assert days == sorted(days, key=lambda o: o.day)
    assert DayOverride(D(2027, 2, 7), False, "春节") in days  # full-width commas
    assert DayOverride(D(2027, 2, 8), False, "春节") in days  # 休
    assert DayOverride(D(2027, 2, 20), True, "春节") in days  # 班
    assert DayOverride(D(2027, 2, 12), False, "春节") in days  # trailing comment
    assert DayOverride(D(2027, 10, 9), True, "国庆节") in days  # trailing empty fields
    assert sum(o.workday for o in days) == 6


def test_parse_attaches_december_makeup_to_next_year() -> None:
    text = TEST_NOTICE_2027 + "2026-12-26,上班,元旦\n"  # a Saturday in the previous year
    parsed = parse_notice_file(text)
    assert list(parsed) == [2027]
    assert parsed[2027][0] == DayOverride(D(2026, 12, 26), True, "元旦")
    cal = WorkCalendar(parsed, first_year=2026, last_year=2028)
    assert cal.is_workday(D(2026, 12, 26))
    assert cal.source_of(2026) == "package"


def test_parse_workday_without_name_and_slashed_dates() -> None:
    text = TEST_NOTICE_2027.replace("2027-01-31,上班,春节", "2027/1/31,上班")
    parsed = parse_notice_file(text)
    assert DayOverride(D(2027, 1, 31), True, "") in parsed[2027]


def test_parse_skips_empty_spreadsheet_rows() -> None:
    # A sheet saved as CSV keeps its empty rows as bare separators; they once raised IndexError.
    text = ",,,\n" + TEST_NOTICE_2027.replace("\n\n", "\n，，\n\t\n", 1) + ",,\n"
    assert parse_notice_file(text) == parse_notice_file(TEST_NOTICE_2027)
    with pytest.raises(CalendarFileError) as err:
        parse_notice_file(",,,\n，\n")
    assert err.value.message_zh == "文件中没有任何日期"


def _with_line(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


# Line numbers in TEST_NOTICE_2027: 1 comment, 2 header, 3 = 2027-01-01, 5 = 2027-01-03,
# 6 blank, 7 = 2027-01-31, 8 = 2027-02-05.
@pytest.mark.parametrize(
    ("text", "line", "english", "chinese"),
    [
        (_with_line(TEST_NOTICE_2027, "2027-01-02,", "2027-02-30,"), 4, "2027-02 has no day 30",
         "“2027-02-30”这一天不存在（2027年2月没有30日）"),
        (_with_line(TEST_NOTICE_2027, "2027-01-02,", "2027-13-01,"), 4, "there is no month 13", "没有13月"),
        (_with_line(TEST_NOTICE_2027, "2027-01-02,", "2027-1-2x,"), 4, "not a valid date", "不是有效日期"),
        (_with_line(TEST_NOTICE_2027, "2027-01-03,放假,元旦", "2027-01-03"), 5, "has no type", "缺少类型"),
        (_with_line(TEST_NOTICE_2027, "2027-01-03,放假", "2027-01-03,休假日"), 5, "unknown type", "无法识别的类型"),
        (_with_line(TEST_NOTICE_2027, "2027-01-03,放假,元旦", "2027-01-03,放假"), 5, "has no name", "缺少节日名称"),
        (_with_line(TEST_NOTICE_2027, "2027-01-31,上班", "2027-02-01,上班"), 7, "weekday", "只能是周六或周日"),
        (_with_line(TEST_NOTICE_2027, "2027-01-03,", "2027-01-01,"), 5, "already given on line 3", "与第3行重复"),
        (_with_line(TEST_NOTICE_2027, "2027-10-03,放假,国庆节\n", ""), 3, "2027-10-03 (国庆节)", "10-03（国庆节）"),
        (_with_line(TEST_NOTICE_2027, "2027-02-05\t放假\t春节\n", ""), 3, "2027-02-05 (春节)", "不完整"),
        ("# nothing here\n\n", None, "no dates", "没有任何日期"),
        ("2027-01-02,上班,元旦\n", 1, "has no days off", "请录入全年通知"),
    ],
    ids=[
        "impossible-date",
        "impossible-month",
        "garbled-date",
        "missing-type",
        "unknown-type",
        "holiday-without-name",
        "makeup-on-weekday",
        "duplicate",
        "missing-national-day",
        "missing-new-years-eve",
        "empty",
        "makeup-only-year",
    ],
)
def test_parse_errors(text: str, line: int | None, english: str, chinese: str) -> None:
    with pytest.raises(CalendarFileError) as caught:
        parse_notice_file(text)
    err = caught.value
    assert isinstance(err, ValueError)
    assert err.line == line
    assert english in str(err)
    assert chinese in err.message_zh
    if line is not None and "不完整" not in err.message_zh:  # year-level problems name the year
        assert f"line {line}" in str(err)
        assert f"第{line}行" in err.message_zh


def test_parse_reports_every_problem() -> None:
    text = "2027-01-01,放假,元旦\n2027-13-01,放假,x\nfoo\n2027-01-01,放假,元旦\n"
    with pytest.raises(CalendarFileError) as caught:
        parse_notice_file(text)
    assert [p.line for p in caught.value.problems] == [2, 3, 4]
    assert caught.value.line == 2


def test_header_only_on_first_line() -> None:
    text = TEST_NOTICE_2027 + "日期,类型,名称\n"
    with pytest.raises(CalendarFileError) as caught:
        parse_notice_file(text)
    assert caught.value.line == len(TEST_NOTICE_2027.splitlines()) + 1
