"""Remedy windows from the delivery of a reply (docs/domain.md, "Remedy windows"), worked out by hand.

2026 is the State Council notice shipped with the package (国庆 1–7 Oct, Sat 10 Oct a make-up
working day; 劳动节 1–5 May; 春节 make-up Sat 14 Feb); 2027 and 2028 are provisional years
(weekends and the statutory holidays only).
"""

from __future__ import annotations

from datetime import date

import pytest

from request_desk.core.deadlines.remedy_windows import RemedyWindows, add_months, remedy_windows
from request_desk.core.deadlines.workcalendar import WorkCalendar

D = date.fromisoformat


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


@pytest.mark.parametrize(("delivered", "reconsideration", "litigation", "why"), [
    # The brief's example: 60th day Wed 9 Dec; 10 Apr 2027 is a Saturday → Mon 12 Apr.
    ("2026-10-10", "2026-12-09", "2027-04-12", "litigation ends on a Saturday"),
    # 14 Oct + 60 = Sun 13 Dec → Mon 14 Dec; 14 Apr 2027 is a Wednesday.
    ("2026-10-14", "2026-12-14", "2027-04-14", "reconsideration ends on a Sunday"),
    # 4 Aug + 60 = Sat 3 Oct, inside 国庆 1–7 Oct → Thu 8 Oct.
    ("2026-08-04", "2026-10-08", "2027-02-04", "reconsideration ends in 国庆"),
    # 1 Apr + 60 = Sun 31 May → Mon 1 Jun; 1 Apr + 6 months = Thu 1 Oct (国庆) → Thu 8 Oct.
    ("2026-04-01", "2026-06-01", "2026-10-08", "litigation ends in 国庆"),
    # 11 Aug + 60 = Sat 10 Oct, a make-up working day: it stays.
    ("2026-08-11", "2026-10-10", "2027-02-11", "make-up working Saturday (国庆)"),
    # 14 Aug 2025 + 6 months = Sat 14 Feb 2026, a make-up working day (春节): it stays.
    ("2025-08-14", "2025-10-13", "2026-02-14", "make-up working Saturday (春节)"),
    # 31 Aug + 6 months = 28 Feb 2027 (no 31st), a Sunday → Mon 1 Mar; 31 Aug + 60 = Fri 30 Oct.
    ("2026-08-31", "2026-10-30", "2027-03-01", "month end, then a Sunday"),
    # Leap year: 31 Aug 2027 + 6 months = Tue 29 Feb 2028; + 60 = Sat 30 Oct 2027 → Mon 1 Nov.
    ("2027-08-31", "2027-11-01", "2028-02-29", "month end in a leap year"),
    # docs/domain.md: received Mon 2 Mar 2026, the 60th day Fri 1 May (劳动节 1–5 May) → Wed 6 May.
    ("2026-03-02", "2026-05-06", "2026-09-02", "reconsideration ends in 劳动节"),
])
def test_windows(cal: WorkCalendar, delivered: str, reconsideration: str, litigation: str, why: str) -> None:
    w = remedy_windows(D(delivered), cal, litigation_allowed=True)
    assert (w.reconsideration_until, w.litigation_until, w.known) == (D(reconsideration), D(litigation), True), why


@pytest.mark.parametrize(("day", "months", "expected"), [
    ("2026-08-31", 6, "2027-02-28"),
    ("2027-08-31", 6, "2028-02-29"),
    ("2026-10-10", 6, "2027-04-10"),
    ("2026-07-31", 6, "2027-01-31"),
    ("2026-12-31", 2, "2027-02-28"),
])
def test_months_end_on_the_corresponding_day(day: str, months: int, expected: str) -> None:
    assert add_months(D(day), months) == D(expected)


def test_reconsideration_first_has_no_litigation_window(cal: WorkCalendar) -> None:
    w = remedy_windows(D("2026-10-10"), cal, litigation_allowed=False)
    assert (w.reconsideration_until, w.litigation_until) == (D("2026-12-09"), None)
    assert w.open_on(D("2026-12-09")) and not w.open_on(D("2026-12-10"))
    assert w.within(litigation=True, filed=D("2026-11-01")) is None
    assert "复议前置" in w.describe()


def test_delivery_unknown(cal: WorkCalendar) -> None:
    w = remedy_windows(None, cal, litigation_allowed=True)
    assert w == RemedyWindows(None, None, known=False)
    assert not w.open_on(D("2026-12-01"))
    assert w.within(litigation=False, filed=D("2026-12-01")) is None
    assert w.describe() == "送达日期未登记，救济期限未知"


def test_open_and_within(cal: WorkCalendar) -> None:
    w = remedy_windows(D("2026-10-10"), cal, litigation_allowed=True)
    assert w.open_on(D("2027-04-12")) and not w.open_on(D("2027-04-13"))
    assert w.within(litigation=False, filed=D("2026-12-09")) is True
    assert w.within(litigation=False, filed=D("2026-12-10")) is False
    assert w.within(litigation=True, filed=D("2027-04-12")) is True
    assert w.describe() == "申请行政复议期限至 2026-12-09；提起行政诉讼期限至 2027-04-12（含暂定的放假安排）"
