"""Tests for the legal clock. Every expected date below was counted by hand
from the 2025/2026 State Council notices (docs/domain.md, "Working days"); the
comment on each case shows the count. Notation: "2–6 (1–5)" = days 2 to 6 are
working days 1 to 5.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from request_desk.core.deadlines.clock import ClockInput, ClockResult, PausePeriod, compute_clock
from request_desk.core.deadlines.notice_file import parse_notice_file
from request_desk.core.deadlines.workcalendar import WorkCalendar

D = date

# INVENTED 2027 notice for tests only (the real one is not in our data). 春节
# is 5–12 Feb with make-up Sun 31 Jan and Sat 20 Feb, unlike the provisional
# rule (5–8 Feb off, no make-up days).
TEST_NOTICE_2027 = """日期,类型,名称
2027-01-01,放假,元旦
2027-01-02,放假,元旦
2027-01-03,放假,元旦
2027-01-31,上班,春节
2027-02-05,放假,春节
2027-02-06,放假,春节
2027-02-07,放假,春节
2027-02-08,放假,春节
2027-02-09,放假,春节
2027-02-10,放假,春节
2027-02-11,放假,春节
2027-02-12,放假,春节
2027-02-20,上班,春节
2027-04-03,放假,清明节
2027-04-04,放假,清明节
2027-04-05,放假,清明节
2027-05-01,放假,劳动节
2027-05-02,放假,劳动节
2027-05-03,放假,劳动节
2027-05-04,放假,劳动节
2027-05-05,放假,劳动节
2027-06-09,放假,端午节
2027-09-15,放假,中秋节
2027-10-01,放假,国庆节
2027-10-02,放假,国庆节
2027-10-03,放假,国庆节
"""


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar(last_year=2030)


@pytest.fixture(scope="module")
def admin_cal() -> WorkCalendar:
    return WorkCalendar(parse_notice_file(TEST_NOTICE_2027), last_year=2030)


def tp(start: date, end: date | None) -> PausePeriod:
    return PausePeriod(start, end, "third_party")


def oa(start: date, end: date | None) -> PausePeriod:
    return PausePeriod(start, end, "other_agency")


def fee(start: date, end: date | None) -> PausePeriod:
    return PausePeriod(start, end, "fee")


@dataclass(frozen=True)
class Case:
    id: str
    received: date
    reply_due: date
    supplement_due: date | None = None
    supplemented: date | None = None
    pauses: tuple[PausePeriod, ...] = ()
    extended: bool = False
    later_date: date | None = None
    today: date | None = None  # defaults to the receipt date
    exclude_fee: bool = True
    paused: int = 0
    stopped: bool = False
    left: int | None = None
    colour: str | None = None
    provisional: bool = False
    admin: bool = False
    extra: dict[str, object] = field(default_factory=dict)


CASES = [
    # --- plain periods across every holiday of 2025 and 2026 -----------------
    Case(
        "national-day-2026-domain-example",
        D(2026, 9, 28),
        D(2026, 10, 30),
        # Tue 29 (1), Wed 30 (2); 1–7 Oct off; Thu 8 (3), Fri 9 (4), Sat 10 make-up (5);
        # 12–16 (6–10); 19–23 (11–15); 26–30 (16–20). Supplement: 12 (6), 13 (7).
        supplement_due=D(2026, 10, 13),
    ),
    Case(
        "spring-festival-2026-from-fri-30-jan",
        D(2026, 1, 30),
        D(2026, 3, 5),
        # Sat 31 no; Feb 2–6 (1–5); 9–13 (6–10); Sat 14 make-up (11); 15–23 off;
        # 24 (12), 25 (13), 26 (14), 27 (15), Sat 28 make-up (16); Mar 2 (17), 3 (18),
        # 4 (19), Thu 5 (20). Supplement: Feb 9 (6), 10 (7).
        supplement_due=D(2026, 2, 10),
    ),
    Case(
        "spring-festival-2026-from-fri-13-feb",
        D(2026, 2, 13),
        D(2026, 3, 19),
        # Sat 14 make-up (1); 15–23 off; 24 (2), 25 (3), 26 (4), 27 (5), Sat 28 (6);
        # Mar 2–6 (7–11); 9–13 (12–16); 16 (17), 17 (18), 18 (19), Thu 19 (20).
        # Supplement: Mar 2 (7).
        supplement_due=D(2026, 3, 2),
    ),
    Case(
        "received-on-holiday-wed-18-feb-2026",
        D(2026, 2, 18),
        D(2026, 3, 20),
        # receipt day not counted; 19–23 off; 24 (1), 25 (2), 26 (3), 27 (4), Sat 28 (5);
        # Mar 2–6 (6–10); 9–13 (11–15); 16–20 (16–20). Supplement: Mar 2 (6), 3 (7).
        supplement_due=D(2026, 3, 3),
    ),
    Case(
        "received-on-holiday-sat-3-jan-2026",
        D(2026, 1, 3),
        D(2026, 1, 29),
        # Sun 4 make-up (1); 5–9 (2–6); 12–16 (7–11); 19–23 (12–16); 26 (17), 27 (18),
        # 28 (19), Thu 29 (20). Supplement: 5–9 (2–6), 12 (7).
        supplement_due=D(2026, 1, 12),
    ),
    Case(
        "received-on-plain-weekend-sat-17-oct-2026",
        D(2026, 10, 17),
        D(2026, 11, 13),
        # Sun 18 no; 19–23 (1–5); 26–30 (6–10); Nov 2–6 (11–15); 9–13 (16–20).
        # Supplement: 26 (6), 27 (7).
        supplement_due=D(2026, 10, 27),
    ),
    Case(
        "received-on-makeup-sat-10-oct-2026",
        D(2026, 10, 10),
        D(2026, 11, 6),
        # 12–16 (1–5); 19–23 (6–10); 26–30 (11–15); Nov 2–6 (16–20). Supplement: 20 Oct (7).
        supplement_due=D(2026, 10, 20),
    ),
    Case(
        "mid-autumn-and-national-day-2026-both-makeups",
        D(2026, 9, 18),
        D(2026, 10, 22),
        # Sat 19 no; Sun 20 make-up (1); 21–24 (2–5); 25–27 off; 28 (6), 29 (7), 30 (8);
        # 1–7 Oct off; 8 (9), 9 (10), Sat 10 make-up (11); 12–16 (12–16); 19 (17),
        # 20 (18), 21 (19), Thu 22 (20). Supplement: Tue 29 Sep (7).
        supplement_due=D(2026, 9, 29),
    ),
    Case(
        "qingming-and-may-day-2026",
        D(2026, 4, 2),
        D(2026, 5, 6),
        # Fri 3 (1); 4–6 off; 7–10 (2–5); 13–17 (6–10); 20–24 (11–15); 27–30 (16–19);
        # May 1–5 off; Wed 6 (20). Supplement: 13 (6), 14 (7).
        supplement_due=D(2026, 4, 14),
    ),
    Case(
        "may-day-2026",
        D(2026, 4, 29),
        D(2026, 5, 29),
        # Thu 30 (1); May 1–5 off; 6 (2), 7 (3), 8 (4), Sat 9 make-up (5); 11–15 (6–10);
        # 18–22 (11–15); 25–29 (16–20). Supplement: 11 (6), 12 (7).
        supplement_due=D(2026, 5, 12),
    ),
    Case(
        "dragon-boat-2026",
        D(2026, 6, 15),
        D(2026, 7, 14),
        # 16 (1), 17 (2), 18 (3); 19–21 off; 22–26 (4–8); 29 (9), 30 (10); Jul 1–3 (11–13);
        # 6–10 (14–18); 13 (19), Tue 14 (20). Supplement: 22 (4), 23, 24, 25 Jun (7).
        supplement_due=D(2026, 6, 25),
    ),
    Case(
        "year-end-2025-into-new-year-2026",
        D(2025, 12, 22),
        D(2026, 1, 20),
        # 23–26 (1–4); 29, 30, 31 (5–7); Jan 1–3 off; Sun 4 make-up (8); 5–9 (9–13);
        # 12–16 (14–18); 19 (19), Tue 20 (20). Supplement: Wed 31 Dec (7).
        supplement_due=D(2025, 12, 31),
    ),
    Case(
        "new-years-day-2025-into-spring-festival",
        D(2025, 1, 1),
        D(2025, 2, 5),
        # Thu 2 (1), Fri 3 (2); 6–10 (3–7); 13–17 (8–12); 20–24 (13–17); Sun 26 make-up (18);
        # Mon 27 (19); 28 Jan–4 Feb off; Wed 5 Feb (20). Supplement: Fri 10 Jan (7).
        supplement_due=D(2025, 1, 10),
    ),
    Case(
        "spring-festival-2025",
        D(2025, 1, 24),
        D(2025, 2, 27),
        # Sat 25 no; Sun 26 make-up (1); Mon 27 (2); 28 Jan–4 Feb off; 5 (3), 6 (4), 7 (5),
        # Sat 8 make-up (6); 10–14 (7–11); 17–21 (12–16); 24 (17), 25 (18), 26 (19),
        # Thu 27 (20). Supplement: Mon 10 Feb (7).
        supplement_due=D(2025, 2, 10),
    ),
    Case(
        "qingming-and-may-day-2025",
        D(2025, 4, 3),
        D(2025, 5, 6),
        # 4–6 off; 7–11 (1–5); 14–18 (6–10); 21–25 (11–15); Sun 27 make-up (16);
        # 28 (17), 29 (18), 30 (19); May 1–5 off; Tue 6 (20). Supplement: Tue 15 Apr (7).
        supplement_due=D(2025, 4, 15),
    ),
    Case(
        "may-day-2025",
        D(2025, 4, 25),
        D(2025, 5, 27),
        # Sat 26 no; Sun 27 make-up (1); 28 (2), 29 (3), 30 (4); May 1–5 off; 6–9 (5–8);
        # 12–16 (9–13); 19–23 (14–18); 26 (19), Tue 27 (20). Supplement: Thu 8 May (7).
        supplement_due=D(2025, 5, 8),
    ),
    Case(
        "dragon-boat-2025",
        D(2025, 5, 29),
        D(2025, 6, 27),
        # Fri 30 (1); 31 May–2 Jun off; 3–6 (2–5); 9–13 (6–10); 16–20 (11–15);
        # 23–27 (16–20). Supplement: 9 (6), Tue 10 Jun (7).
        supplement_due=D(2025, 6, 10),
    ),
    Case(
        "national-day-2025",
        D(2025, 9, 26),
        D(2025, 10, 30),
        # Sat 27 no; Sun 28 make-up (1); 29 (2), 30 (3); 1–8 Oct off; 9 (4), 10 (5),
        # Sat 11 make-up (6); 13–17 (7–11); 20–24 (12–16); 27 (17), 28 (18), 29 (19),
        # Thu 30 (20). Supplement: Mon 13 Oct (7).
        supplement_due=D(2025, 10, 13),
    ),
    Case(
        "eve-of-national-day-2025",
        D(2025, 9, 30),
        D(2025, 11, 4),
        # 1–8 Oct off; 9 (1), 10 (2), Sat 11 (3); 13–17 (4–8); 20–24 (9–13); 27–31 (14–18);
        # Nov 3 (19), Tue 4 (20). Supplement: 13 (4), 14 (5), 15 (6), Thu 16 Oct (7).
        supplement_due=D(2025, 10, 16),
    ),
    # --- supplement restarts the period ------------------------------------
    Case(
        "supplement-restarts",
        D(2026, 9, 7),
        D(2026, 10, 19),
        # Supplement notice from receipt Mon 7 Sep: 8–11 (1–4), 14 (5), 15 (6), 16 (7).
        # Restart from Tue 15 Sep: 16–18 (1–3); Sun 20 make-up (4); 21–24 (5–8); 25–27 off;
        # 28–30 (9–11); 1–7 Oct off; 8 (12), 9 (13), Sat 10 (14); 12–16 (15–19); Mon 19 (20).
        supplement_due=D(2026, 9, 16),
        supplemented=D(2026, 9, 15),
    ),
    Case(
        "supplement-arrives-during-spring-festival",
        D(2026, 1, 26),
        D(2026, 3, 20),
        # Supplement notice: 27–30 Jan (1–4), Feb 2 (5), 3 (6), 4 (7).
        # Restart from Sat 21 Feb: 22, 23 off; 24–27 (1–4), Sat 28 (5); Mar 2–6 (6–10);
        # 9–13 (11–15); 16–20 (16–20).
        supplement_due=D(2026, 2, 4),
        supplemented=D(2026, 2, 21),
    ),
    # --- pauses ----------------------------------------------------------------
    Case(
        "third-party-pause",
        D(2026, 9, 28),
        D(2026, 11, 5),
        # Base due Fri 30 Oct. Pause Mon 12 → Fri 16 Oct removes (12, 16] = 13, 14, 15, 16 (4).
        # 30 Oct + 4: Nov 2, 3, 4, Thu 5.
        pauses=(tp(D(2026, 10, 12), D(2026, 10, 16)),),
        paused=4,
    ),
    Case(
        "pause-ending-on-a-saturday",
        D(2026, 9, 28),
        D(2026, 11, 5),
        # (Mon 12, Sat 17 Oct] = 13, 14, 15, 16 (4): the letter day 12 still counts,
        # the Saturday answer day is no working day. 30 Oct + 4: Nov 2, 3, 4, Thu 5.
        pauses=(tp(D(2026, 10, 12), D(2026, 10, 17)),),
        paused=4,
    ),
    Case(
        "pause-starting-on-a-sunday",
        D(2026, 9, 28),
        D(2026, 11, 4),
        # (Sun 18, Wed 21 Oct] = 19, 20, 21 (3). 30 Oct + 3: Nov 2, 3, Wed 4.
        pauses=(oa(D(2026, 10, 18), D(2026, 10, 21)),),
        paused=3,
    ),
    Case(
        "pause-starting-on-national-day-holiday",
        D(2026, 9, 21),
        D(2026, 10, 28),
        # Base: 22–24 (1–3); 25–27 off; 28–30 (4–6); 1–7 Oct off; 8 (7), 9 (8), Sat 10 (9);
        # 12–16 (10–14); 19–23 (15–19); Mon 26 (20). Pause (Thu 1, Fri 9 Oct] = 8, 9 (2).
        # 26 Oct + 2: 27, Wed 28.
        pauses=(tp(D(2026, 10, 1), D(2026, 10, 9)),),
        paused=2,
    ),
    Case(
        "pause-before-supplement-only-counts-after-start",
        D(2026, 9, 7),
        D(2026, 10, 22),
        # Start Tue 15 Sep (supplement); base due Mon 19 Oct. Pause 10 → 18 Sep is clipped
        # to (15, 18] = 16, 17, 18 (3). 19 Oct + 3: 20, 21, Thu 22.
        supplemented=D(2026, 9, 15),
        pauses=(oa(D(2026, 9, 10), D(2026, 9, 18)),),
        paused=3,
    ),
    Case(
        "pause-entirely-before-supplement-ignored",
        D(2026, 9, 7),
        D(2026, 10, 19),
        # Pause 8 → 11 Sep ends before the restart on 15 Sep: nothing removed.
        supplemented=D(2026, 9, 15),
        pauses=(tp(D(2026, 9, 8), D(2026, 9, 11)),),
    ),
    Case(
        "two-pauses-around-may-day-2026",
        D(2026, 4, 29),
        D(2026, 6, 5),
        # Base due Fri 29 May. Pause Thu 30 Apr → Fri 8 May: (30 Apr, 8 May] = 1–5 off,
        # 6, 7, 8 (3). Pause Mon 18 → Wed 20 May: 19, 20 (2). 29 May + 5: Jun 1–5.
        # By hand: 30 Apr (1); Sat 9 make-up (2); 11–15 (3–7); 18 (8); 21 (9), 22 (10);
        # 25–29 (11–15); Jun 1–5 (16–20).
        pauses=(tp(D(2026, 4, 30), D(2026, 5, 8)), oa(D(2026, 5, 18), D(2026, 5, 20))),
        paused=5,
    ),
    Case(
        "overlapping-pauses-count-each-day-once",
        D(2026, 9, 28),
        D(2026, 11, 9),
        # (12, 16 Oct] ∪ (14, 20 Oct] = (12, 20]: 13–16, 19, 20 (6). 30 Oct + 6: Nov 2–6, Mon 9.
        pauses=(tp(D(2026, 10, 12), D(2026, 10, 16)), oa(D(2026, 10, 14), D(2026, 10, 20))),
        paused=6,
    ),
    Case(
        "pause-across-spring-festival-2026",
        D(2026, 1, 30),
        D(2026, 3, 13),
        # Base due Thu 5 Mar. Pause Tue 10 → Wed 25 Feb: 11, 12, 13, Sat 14 make-up,
        # 24, 25 (6). 5 Mar + 6: 6, 9, 10, 11, 12, Fri 13.
        pauses=(tp(D(2026, 2, 10), D(2026, 2, 25)),),
        paused=6,
    ),
    Case(
        "pause-starting-after-deadline-changes-nothing",
        D(2026, 9, 28),
        D(2026, 10, 30),
        # Pause from Mon 2 Nov begins after the due date Fri 30 Oct.
        pauses=(tp(D(2026, 11, 2), D(2026, 11, 6)),),
        today=D(2026, 11, 9),
        left=-6,  # overdue: (30 Oct, 9 Nov] = 2–6, 9 Nov
        colour="red",
    ),
    Case(
        "pause-starting-on-the-due-day-is-within-the-period",
        D(2026, 9, 28),
        D(2026, 11, 6),
        # Pause from Fri 30 Oct, the due day itself: (30 Oct, 6 Nov] = 2–6 Nov (5). 30 Oct + 5: Fri 6 Nov.
        pauses=(tp(D(2026, 10, 30), D(2026, 11, 6)),),
        today=D(2026, 11, 6),
        paused=5,
        left=0,
        colour="amber",
    ),
    Case(
        "open-pause",
        D(2026, 9, 28),
        D(2026, 11, 4),
        # Open pause from Mon 12 Oct, today Thu 15: (12, 15] = 13, 14, 15 (3).
        # 30 Oct + 3: Nov 2, 3, Wed 4. Left: (15 Oct, 4 Nov] = 16; 19–23; 26–30; 2, 3, 4 = 14.
        pauses=(tp(D(2026, 10, 12), None),),
        today=D(2026, 10, 15),
        paused=3,
        stopped=True,
        left=14,
        colour="green",
    ),
    Case(
        "open-pause-started-today",
        D(2026, 9, 28),
        D(2026, 10, 30),
        # Letter sent today Thu 15 Oct: nothing removed yet, but the clock is stopped.
        # Left: (15, 30 Oct] = 16; 19–23; 26–30 = 11.
        pauses=(tp(D(2026, 10, 15), None),),
        today=D(2026, 10, 15),
        stopped=True,
        left=11,
        colour="green",
    ),
    Case(
        "fee-pause-excluded",
        D(2026, 9, 28),
        D(2026, 11, 5),
        # Setting on: fee notice Mon 19 → paid Fri 23 Oct removes 20–23 (4). 30 Oct + 4: Nov 5.
        pauses=(fee(D(2026, 10, 19), D(2026, 10, 23)),),
        paused=4,
    ),
    Case(
        "fee-pause-counted",
        D(2026, 9, 28),
        D(2026, 10, 30),
        # Setting off: the same fee time stays in the period.
        pauses=(fee(D(2026, 10, 19), D(2026, 10, 23)),),
        exclude_fee=False,
    ),
    Case(
        "open-fee-pause-excluded",
        D(2026, 9, 28),
        D(2026, 11, 4),
        # Open fee pause from Mon 19 Oct, today Thu 22: 20, 21, 22 (3) → Nov 2, 3, Wed 4.
        # Left: (22 Oct, 4 Nov] = 23; 26–30; 2, 3, 4 = 9.
        pauses=(fee(D(2026, 10, 19), None),),
        today=D(2026, 10, 22),
        paused=3,
        stopped=True,
        left=9,
        colour="green",
    ),
    Case(
        "open-fee-pause-counted",
        D(2026, 9, 28),
        D(2026, 10, 30),
        # Setting off: the clock keeps running. Left: (22, 30 Oct] = 23; 26–30 = 6.
        pauses=(fee(D(2026, 10, 19), None),),
        today=D(2026, 10, 22),
        exclude_fee=False,
        left=6,
        colour="green",
    ),
    # --- extension and Art. 35 --------------------------------------------------
    Case(
        "extension",
        D(2026, 9, 28),
        D(2026, 11, 27),
        # 30 Oct + 20: Nov 2–6 (1–5); 9–13 (6–10); 16–20 (11–15); 23–27 (16–20).
        extended=True,
    ),
    Case(
        "extension-after-pause",
        D(2026, 9, 28),
        D(2026, 12, 3),
        # Pause 12 → 16 Oct (4): Nov 5; + 20: 6 (1); 9–13 (2–6); 16–20 (7–11); 23–27 (12–16);
        # 30 (17), Dec 1 (18), 2 (19), Thu 3 (20).
        pauses=(tp(D(2026, 10, 12), D(2026, 10, 16)),),
        extended=True,
        paused=4,
    ),
    Case(
        "pause-inside-extension",
        D(2026, 9, 28),
        D(2026, 12, 3),
        # Extended due Fri 27 Nov; pause Mon 9 → Fri 13 Nov lies in the extension: 10–13 (4).
        # 27 Nov + 4: 30, Dec 1, 2, Thu 3.
        pauses=(oa(D(2026, 11, 9), D(2026, 11, 13)),),
        extended=True,
        paused=4,
    ),
    Case(
        "supplement-pause-and-extension",
        D(2026, 9, 7),
        D(2026, 11, 23),
        # Start 15 Sep. Count: 16–18 (1–3); Sun 20 (4); 21–24 (5–8); 28–30 (9–11);
        # 8, 9, Sat 10 Oct (12–14); 12 (15); paused 13–16, 19; 20–23 (16–19); 26 (20);
        # extension: 27–30 (21–24); Nov 2–6 (25–29); 9–13 (30–34); 16–20 (35–39); Mon 23 (40).
        supplement_due=D(2026, 9, 16),
        supplemented=D(2026, 9, 15),
        pauses=(tp(D(2026, 10, 12), D(2026, 10, 19)),),
        extended=True,
        paused=5,
    ),
    Case(
        "art-35-later-date",
        D(2026, 9, 28),
        D(2026, 12, 15),
        # The agency fixed Tue 15 Dec; counted due stays Fri 30 Oct.
        # Left on Mon 14 Dec: (14, 15 Dec] = 1.
        later_date=D(2026, 12, 15),
        today=D(2026, 12, 14),
        left=1,
        colour="amber",
        extra={"counted_due": D(2026, 10, 30)},
    ),
    # --- provisional years ---------------------------------------------------
    Case(
        "into-2027-provisional",
        D(2026, 12, 15),
        D(2027, 1, 13),
        # 16–18 (1–3); 21–25 (4–8); 28–31 (9–12); Fri 1 Jan 2027 元旦 (by rule); 4–8 (13–17);
        # 11 (18), 12 (19), Wed 13 (20). Supplement: 16, 17, 18, 21, 22, 23, Thu 24 Dec (7).
        supplement_due=D(2026, 12, 24),
        provisional=True,
        extra={"years_used": ((2026, "package"), (2027, "provisional"))},
    ),
    Case(
        "into-2027-with-admin-notice",
        D(2026, 12, 15),
        D(2027, 1, 13),
        # Same count: the test notice also has 1–3 Jan off and no make-up day in January.
        supplement_due=D(2026, 12, 24),
        admin=True,
        extra={"years_used": ((2026, "package"), (2027, "admin"))},
    ),
    Case(
        "spring-festival-2027-provisional",
        D(2027, 1, 25),
        D(2027, 2, 24),
        # Rule: 5–8 Feb off. 26–29 Jan (1–4); Feb 1–4 (5–8); 9–12 (9–12); 15–19 (13–17);
        # 22 (18), 23 (19), Wed 24 (20).
        provisional=True,
    ),
    Case(
        "spring-festival-2027-admin-notice",
        D(2027, 1, 25),
        D(2027, 2, 26),
        # Test notice: 5–12 Feb off, make-up Sun 31 Jan, Sat 20 Feb. 26–29 (1–4);
        # Sun 31 (5); Feb 1–4 (6–9); 15–19 (10–14); Sat 20 (15); 22–26 (16–20).
        admin=True,
    ),
    Case(
        "later-date-in-2027-is-provisional",
        D(2026, 11, 20),
        D(2027, 1, 20),
        # Counted due: 23–27 (1–5); 30 Nov (6); Dec 1–4 (7–10); 7–11 (11–15); 14–18 (16–20)
        # → Fri 18 Dec. Agency's later date 20 Jan 2027 lies in a year without a notice.
        # Left on Mon 21 Dec: 22–25 (4); 28–31 (4); 1 Jan off; 4–8 (5); 11–15 (5); 18–20 (3) = 21.
        later_date=D(2027, 1, 20),
        today=D(2026, 12, 21),
        left=21,
        colour="green",
        provisional=True,
        extra={"counted_due": D(2026, 12, 18)},
    ),
]


def _run(case: Case, cal: WorkCalendar, admin_cal: WorkCalendar) -> ClockResult:
    inp = ClockInput(
        received=case.received,
        supplemented=case.supplemented,
        pauses=case.pauses,
        extended=case.extended,
        later_date=case.later_date,
    )
    return compute_clock(
        admin_cal if case.admin else cal,
        inp,
        today=case.today or case.received,
        exclude_fee_pauses=case.exclude_fee,
    )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_clock_cases(case: Case, cal: WorkCalendar, admin_cal: WorkCalendar) -> None:
    result = _run(case, cal, admin_cal)
    assert result.reply_due == case.reply_due
    if case.supplement_due is not None:
        assert result.supplement_notice_due == case.supplement_due
    assert result.start == (case.supplemented or case.received)
    assert result.paused_workdays == case.paused
    assert result.extension_workdays == (20 if case.extended else 0)
    assert result.clock_stopped is case.stopped
    assert result.provisional is case.provisional
    if case.left is not None:
        assert result.workdays_left == case.left
    if case.colour is not None:
        assert result.colour == case.colour
    for name, value in case.extra.items():
        assert getattr(result, name) == value, name


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_explanation_agrees_with_index(case: Case, cal: WorkCalendar, admin_cal: WorkCalendar) -> None:
    # The day-by-day walk is an independent count of the same period.
    result = _run(case, cal, admin_cal)
    days = result.explanation
    assert days[0].day == result.start + timedelta(days=1)
    assert days[-1].day == max(result.counted_due, result.reply_due)
    assert [d.day for d in days] == [days[0].day + timedelta(days=i) for i in range(len(days))]
    counted = [d for d in days if d.counted]
    assert [d.number for d in counted] == list(range(1, 20 + result.extension_workdays + 1))
    # The last counted day is the due date, unless a pause began on it: then the due
    # date is that pause's end (a pause on the due day itself is within the period).
    tail = [d for d in days if counted[-1].day < d.day <= result.counted_due]
    assert not tail or tail[-1].reason == "pause", tail
    assert sum(1 for d in days if d.reason == "pause") == result.paused_workdays
    assert all(d.counted == (d.number is not None) for d in days)


def test_base_due_ignores_pauses_and_extension(cal: WorkCalendar) -> None:
    # Received 28 Sep 2026: base due 30 Oct whatever happens later.
    inp = ClockInput(D(2026, 9, 28), pauses=(tp(D(2026, 10, 12), D(2026, 10, 16)),), extended=True)
    result = compute_clock(cal, inp, today=D(2026, 10, 1))
    assert result.base_due == D(2026, 10, 30)
    assert result.reply_due == D(2026, 12, 3)


# Due Fri 30 Oct 2026 (received Mon 28 Sep); amber when 0 ≤ left ≤ 5.
@pytest.mark.parametrize(
    ("today", "left", "colour"),
    [
        (D(2026, 9, 28), 20, "green"),
        (D(2026, 10, 9), 16, "green"),  # (9, 30]: Sat 10 make-up + 15
        (D(2026, 10, 11), 15, "green"),  # Sunday: 12–16, 19–23, 26–30
        (D(2026, 10, 22), 6, "green"),  # 23, 26–30
        (D(2026, 10, 23), 5, "amber"),  # 26–30
        (D(2026, 10, 24), 5, "amber"),  # Saturday: still 26–30
        (D(2026, 10, 29), 1, "amber"),
        (D(2026, 10, 30), 0, "amber"),  # due today
        (D(2026, 10, 31), -1, "red"),  # the Saturday after: overdue, not "due today"
        (D(2026, 11, 2), -1, "red"),  # (30 Oct, 2 Nov] = Mon 2
        (D(2026, 11, 3), -2, "red"),
    ],
)
def test_colour_boundaries(cal: WorkCalendar, today: date, left: int, colour: str) -> None:
    result = compute_clock(cal, ClockInput(D(2026, 9, 28)), today=today)
    assert (result.workdays_left, result.colour) == (left, colour)
    assert result.overdue is (colour == "red")


@pytest.mark.parametrize(("amber_days", "colour"), [(0, "green"), (1, "amber"), (10, "amber")])
def test_amber_days_setting(cal: WorkCalendar, amber_days: int, colour: str) -> None:
    # Thu 29 Oct 2026 with due Fri 30 Oct: 1 working day left.
    result = compute_clock(cal, ClockInput(D(2026, 9, 28)), today=D(2026, 10, 29), amber_days=amber_days)
    assert result.colour == colour


def test_explain_text_national_day(cal: WorkCalendar) -> None:
    result = compute_clock(
        cal,
        ClockInput(D(2026, 9, 28), pauses=(tp(D(2026, 10, 12), D(2026, 10, 16)),)),
        today=D(2026, 10, 20),
    )
    text = result.explain_text()
    lines = text.splitlines()
    assert "2026-09-29 第1个工作日" in lines
    assert "2026-10-03 不计：国庆节" in lines
    assert "2026-10-08 第3个工作日" in lines
    assert "2026-10-10 第5个工作日（调休上班：国庆节）" in lines
    assert "2026-10-11 不计：星期日" in lines
    assert "2026-10-13 不计：暂停计时（征求第三方意见）" in lines
    assert "2026-11-05 第20个工作日" in lines
    assert "收到申请：2026-09-28（星期一），当日不计。" in lines
    assert "收费设置：收费通知至缴费期间不计入答复期限。" in lines
    assert "扣除4个工作日" in text
    assert "暂定" not in text


@pytest.mark.parametrize(
    ("exclude", "setting_line", "day_line"),
    [
        (True, "收费设置：收费通知至缴费期间不计入答复期限。", "2026-10-20 不计：暂停计时（收费通知至缴费）"),
        (
            False,
            "收费设置：收费通知至缴费期间计入答复期限。",
            "2026-10-20 第12个工作日（收费通知至缴费期间，按设置计入）",
        ),
    ],
)
def test_explain_text_states_fee_setting(cal: WorkCalendar, exclude: bool, setting_line: str, day_line: str) -> None:
    # Counted up to the fee notice on Mon 19 Oct: 29, 30 Sep; 8, 9, 10; 12–16; 19 = 11.
    inp = ClockInput(D(2026, 9, 28), pauses=(fee(D(2026, 10, 19), D(2026, 10, 23)),))
    lines = compute_clock(cal, inp, today=D(2026, 10, 26), exclude_fee_pauses=exclude).explain_text().splitlines()
    assert setting_line in lines
    assert day_line in lines


def test_explain_text_provisional_and_extension(cal: WorkCalendar) -> None:
    result = compute_clock(cal, ClockInput(D(2026, 12, 15), extended=True), today=D(2026, 12, 15))
    text = result.explain_text()
    assert "2027-01-01 不计：元旦（暂定）" in text.splitlines()
    assert "2027-01-14 第21个工作日（延长期限）（暂定）" in text.splitlines()
    assert "2027年的放假安排尚未公布" in text
    assert "经批准延长答复期限20个工作日。" in text


def test_later_date_explanation(cal: WorkCalendar) -> None:
    result = compute_clock(cal, ClockInput(D(2026, 9, 28), later_date=D(2026, 11, 3)), today=D(2026, 10, 1))
    by_day = {d.day: d for d in result.explanation}
    assert by_day[D(2026, 10, 30)].number == 20
    assert by_day[D(2026, 11, 2)].reason == "later_date"
    assert not by_day[D(2026, 11, 3)].counted
    assert "依条例第三十五条另行确定的答复日期：2026-11-03。" in result.explain_text()


def test_a_pause_on_the_due_day_is_explained_as_within_the_period(cal: WorkCalendar) -> None:
    # Issue 15.11: a same-day pause was explained as "开始于期限届满之后，不影响期限".
    inp = ClockInput(D(2026, 9, 28), pauses=(tp(D(2026, 10, 30), D(2026, 11, 6)),))
    text = compute_clock(cal, inp, today=D(2026, 11, 6)).explain_text()
    assert "2026-10-30 至 2026-11-06，扣除5个工作日" in text
    assert "计算所得答复期限：2026-11-06（第20个工作日 2026-10-30 当日开始暂停计时，期限顺延至暂停结束之日）" in text
    assert "不影响期限" not in text
    later = ClockInput(D(2026, 9, 28), pauses=(tp(D(2026, 11, 2), D(2026, 11, 6)),))
    later_text = compute_clock(cal, later, today=D(2026, 11, 9)).explain_text()
    assert "开始于答复期限 2026-10-30 届满之后，不影响期限" in later_text


def test_open_pause_text(cal: WorkCalendar) -> None:
    result = compute_clock(cal, ClockInput(D(2026, 9, 28), pauses=(oa(D(2026, 10, 12), None),)), today=D(2026, 10, 15))
    text = result.explain_text()
    assert "征求其他机关意见，2026-10-12 至 今日（进行中），扣除3个工作日" in text
    assert "当前暂停计时" in text


def test_to_json_dict(cal: WorkCalendar) -> None:
    inp = ClockInput(D(2026, 9, 28), pauses=(fee(D(2026, 10, 19), None),))
    data = compute_clock(cal, inp, today=D(2026, 10, 22)).to_json_dict()
    round_tripped = json.loads(json.dumps(data))
    assert round_tripped == data
    assert data["reply_due"] == "2026-11-04"
    assert data["received"] == "2026-09-28"
    assert data["years_used"] == [{"year": 2026, "source": "package"}]
    assert data["pauses"] == [
        {
            "kind": "fee",
            "start": "2026-10-19",
            "end": None,
            "counted_to": "2026-10-22",
            "open": True,
            "counted": True,
            "applied": True,
            "workdays": 3,
            "cut_short": False,
            "consultation": None,
        }
    ]
    assert data["explanation"][0] == {
        "date": "2026-09-29",
        "counted": True,
        "number": 1,
        "reason": "weekday",
        "name": "",
        "pause_kind": None,
        "provisional": False,
        "extension": False,
        "text": "2026-09-29 第1个工作日",
    }
    assert "explanation" not in compute_clock(cal, inp, today=D(2026, 10, 22)).to_json_dict(include_explanation=False)


def test_explanation_built_only_when_asked(cal: WorkCalendar) -> None:
    result = compute_clock(cal, ClockInput(D(2026, 9, 28)), today=D(2026, 10, 1))
    assert "explanation" not in vars(result)
    first = result.explanation
    assert result.explanation is first


@pytest.mark.parametrize(
    "make",
    [
        lambda: PausePeriod(D(2026, 10, 12), D(2026, 10, 11), "third_party"),  # ends before it starts
        lambda: PausePeriod(D(2026, 10, 12), None, "holiday"),  # not a PauseKind
        lambda: ClockInput(D(2026, 10, 12), supplemented=D(2026, 10, 9)),  # supplement before receipt
    ],
    ids=["pause-reversed", "pause-kind", "supplement-before-receipt"],
)
def test_invalid_inputs(make: object) -> None:
    with pytest.raises(ValueError):
        make()  # type: ignore[operator]
