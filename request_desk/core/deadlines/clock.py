"""The legal clock of a request: when things are due, how much time is left, and why.

Rules (条例 Art. 30–35; docs/domain.md, "Working days" and "The legal clock"):

* The day of receipt never counts; "within N working days" means the N-th
  working day strictly after it.
* Supplement notice (补正告知): due on the 7th working day after receipt.
  Once the supplement arrives on S, the 20 days restart from S.
* Reply: the 20th working day after the start (S, or the receipt date).
* Pauses (third-party / other-agency consultation, fee notice to payment):
  a pause from A to B removes the working days in (A, B]; the due date moves
  later by that many. Only days after the start can be removed. An open pause
  runs up to today and the clock shows as stopped. A consultation removes at
  most the consulted side's time: B is never later than its own deadline, 15
  working days from receipt (``consultation``; Art. 33(3)), so the clock runs
  again after it even while the pause is open. Whether fee time is excluded
  is a setting (the texts do not settle it); the explanation states which
  setting was used.
* Extension: 20 more working days on top of the running deadline.
* Art. 35: a reasonable later date set by the agency replaces the due date.

Due dates come from the calendar's index (``add_workdays`` /
``workdays_between``), never from walking the days, because the request list
computes a clock per row. The day-by-day explanation is built only on demand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta, timezone
from functools import cached_property
from typing import Any, Final, Literal

from request_desk.core.deadlines import consultation
from request_desk.core.deadlines.consultation import ConsultationDeadline, consultation_deadline
from request_desk.core.deadlines.explained import WEEKDAY_ZH, ExplainedDay
from request_desk.core.deadlines.workcalendar import WorkCalendar
from request_desk.core.vocab import PAUSE_KIND_LABELS, PauseKind

__all__ = [
    "EXTENSION_WORKDAYS",
    "OFFICE_TZ",
    "REPLY_WORKDAYS",
    "SUPPLEMENT_NOTICE_WORKDAYS",
    "AppliedPause",
    "ClockInput",
    "ClockResult",
    "ClockRules",
    "Colour",
    "Countdown",
    "ExplainedDay",
    "PausePeriod",
    "compute_clock",
    "countdown",
    "standing",
]

#: Legal dates are Beijing time. Moments are stored in UTC (models.py); a call's
#: date, a report's period and what the clerk sees use this zone, so a moment at
#: 07:30 is not filed under the day before because the PC runs on UTC.
OFFICE_TZ = timezone(timedelta(hours=8), "CST")

SUPPLEMENT_NOTICE_WORKDAYS: Final = 7  # Art. 30
REPLY_WORKDAYS: Final = 20  # Art. 33
EXTENSION_WORKDAYS: Final = 20  # Art. 33, at most

#: How a running deadline is shown: green, amber (``amber_days`` working days or
#: fewer left) or red (passed). The one definition every view uses.
Colour = Literal["green", "amber", "red"]


@dataclass(frozen=True)
class ClockRules:
    """What the office decided about the clock (two office settings; ``rules`` reads them).

    These defaults are the office settings' defaults.
    """

    # A running case turns amber with this many working days left, or fewer.
    amber_days: int = 5
    # docs/domain.md, "Fees": the texts do not settle whether notice-to-payment
    # time counts; by default it is left out of the reply period, as a pause.
    exclude_fee_pauses: bool = True
    # docs/domain.md, "Pauses": when the consulted side's receipt of a consultation
    # letter is not recorded, it is presumed this many working days after sending.
    consultation_transit_workdays: int = consultation.DEFAULT_TRANSIT_WORKDAYS

    @classmethod
    def from_stored(cls, value: object) -> ClockRules:
        """The rules in a stored settings value (a dict; anything else means "defaults")."""
        stored: dict[str, Any] = value if isinstance(value, dict) else {}
        defaults = cls()
        return cls(amber_days=int(stored.get("amber_days", defaults.amber_days)),
                   exclude_fee_pauses=bool(stored.get("exclude_fee_pauses", defaults.exclude_fee_pauses)),
                   consultation_transit_workdays=int(stored.get("consultation_transit_workdays",
                                                                defaults.consultation_transit_workdays)))


@dataclass(frozen=True)
class PausePeriod:
    """Time not counted: from ``start`` (letter sent) to ``end`` (answer, payment or
    the other side's time limit); ``end=None`` while still waiting.

    A consultation also carries the day the consulted side received the letter
    (``received``, None when not recorded) and whether the agency consulted
    co-produced the information (``co_producer``, Art. 34).
    """

    start: date
    end: date | None
    kind: str  # a PauseKind value
    received: date | None = None
    co_producer: bool = False

    def __post_init__(self) -> None:
        # Normalise to the enum so a typo fails here, not silently later.
        object.__setattr__(self, "kind", PauseKind(self.kind))
        if self.end is not None and self.end < self.start:
            raise ValueError(f"pause ends ({self.end}) before it starts ({self.start})")
        if self.received is not None and (self.kind is PauseKind.FEE or self.received < self.start):
            raise ValueError(f"a consultation letter sent on {self.start} cannot be received on {self.received}")
        if self.co_producer and self.kind is not PauseKind.OTHER_AGENCY:
            raise ValueError("only an agency consulted can have co-produced the information")


@dataclass(frozen=True)
class ClockInput:
    """The facts of one request that the clock depends on."""

    received: date
    supplemented: date | None = None
    pauses: Sequence[PausePeriod] = ()
    extended: bool = False
    later_date: date | None = None  # Art. 35

    def __post_init__(self) -> None:
        object.__setattr__(self, "pauses", tuple(self.pauses))
        if self.supplemented is not None and self.supplemented < self.received:
            raise ValueError(f"supplement ({self.supplemented}) before receipt ({self.received})")


@dataclass(frozen=True)
class AppliedPause:
    """How one pause entered the computation.

    ``workdays`` are the working days in (max(start, clock start), end];
    ``counted`` is False for a fee pause when the setting keeps fee time in
    the period; ``applied`` is False when the pause began after the deadline
    it could have moved (so it moved nothing); one beginning on the due day
    itself is within the period and moves it. Overlapping pauses each report
    their own days; ``ClockResult.paused_workdays`` counts each day once.
    ``consultation`` is a consultation's own deadline; ``end`` never passes it.
    """

    kind: str
    start: date
    end: date  # the last day not counted: the end, today for an open pause, at most the consultation deadline
    open: bool
    counted: bool
    applied: bool
    workdays: int
    closed: date | None = None  # the day the pause was ended (None while open)
    consultation: ConsultationDeadline | None = None
    # A consultation that ran (or runs) past its deadline: the days after it count again.
    cut_short: bool = False


@dataclass(frozen=True)
class Countdown:
    """Where a deadline stands on a day: the four things every view of a case shows."""

    due_date: date
    workdays_left: int  # >0 left, 0 due today, <0 overdue
    colour: Colour
    provisional: bool


def countdown(cal: WorkCalendar, today: date, due: date, *, amber_days: int, provisional: bool = False) -> Countdown:
    """Working days left until ``due`` and its colour, as the legal clock counts them.

    0 on the due day; once it has passed, at least one working day overdue,
    even on the weekend right after it. Two calendar index lookups, so the
    request list can call it for every row of a page.
    """
    left, colour = standing(cal, today, due, amber_days)
    return Countdown(due_date=due, workdays_left=left, colour=colour, provisional=provisional)


def standing(cal: WorkCalendar, today: date, due: date, amber_days: int) -> tuple[int, Colour]:
    """``countdown``'s working days left and colour without building a record (per list row)."""
    if today <= due:
        left = cal.workdays_between(today, due)
        return left, "amber" if left <= amber_days else "green"
    return -max(1, cal.workdays_between(due, today)), "red"


@dataclass(frozen=True)
class ClockResult:
    """The computed clock. Cheap to build; ``explanation`` is computed on first use."""

    received: date
    start: date
    supplement_notice_due: date
    base_due: date  # 20 working days after start, before pauses and extension
    counted_due: date  # after pauses and extension, before an Art. 35 date
    reply_due: date  # what the clerk must meet (the Art. 35 date if set)
    paused_workdays: int
    extension_workdays: int
    workdays_left: int  # >0 left, 0 due today, <0 overdue
    colour: Colour
    clock_stopped: bool
    provisional: bool
    years_used: tuple[tuple[int, str], ...]  # (year, source), sorted
    pauses: tuple[AppliedPause, ...]
    exclude_fee_pauses: bool
    consultation_transit_workdays: int
    later_date_applied: bool
    today: date
    calendar: WorkCalendar = field(repr=False, compare=False)
    inputs: ClockInput = field(repr=False, compare=False)

    @property
    def overdue(self) -> bool:
        return self.today > self.reply_due

    @property
    def countdown(self) -> Countdown:
        return Countdown(self.reply_due, self.workdays_left, self.colour, self.provisional)

    def workdays_used(self, reply: date) -> int:
        """Working days from the start of the period to ``reply``, the counted pauses' days left out.

        What the register prints as 实际用时 and the quality figures average
        (docs/domain.md, "Quality figures"): a pause counts as far as it counts
        for the deadline (a consultation up to its own deadline, fee time per
        the setting), clipped to the days between the start and the reply.
        """
        spans = [(max(p.start, self.start), min(p.end, reply)) for p in self.pauses if p.counted]
        paused = sum(self.calendar.workdays_between(a, b) for a, b in _merge([s for s in spans if s[1] > s[0]]))
        return self.calendar.workdays_between(self.start, reply) - paused

    @cached_property
    def explanation(self) -> tuple[ExplainedDay, ...]:
        """Every day from the day after the start through the reply due date."""
        return _explain(self)

    def explain_text(self) -> str:
        """A readable Chinese account of the computation, for the case file."""
        lines = [
            f"收到申请：{self.received.isoformat()}（{WEEKDAY_ZH[self.received.weekday()]}），当日不计。",
            f"补正告知期限：收到申请后第{SUPPLEMENT_NOTICE_WORKDAYS}个工作日，"
            f"即 {self.supplement_notice_due.isoformat()}。",
        ]
        if self.inputs.supplemented is not None:
            lines.append(f"收到补正申请：{self.start.isoformat()}，答复期限自次日起重新计算。")
        lines.append(
            f"法定答复期限：第{REPLY_WORKDAYS}个工作日，不计暂停与延期为 {self.base_due.isoformat()}。"
        )
        if self.exclude_fee_pauses:
            lines.append("收费设置：收费通知至缴费期间不计入答复期限。")
        else:
            lines.append("收费设置：收费通知至缴费期间计入答复期限。")
        if any(p.consultation is not None for p in self.pauses):
            lines.append(consultation.READING)
        for pause in self.pauses:
            lines.extend(self._pause_lines(pause))
        if self.paused_workdays:
            lines.append(f"暂停合计扣除{self.paused_workdays}个工作日。")
        if self.extension_workdays:
            lines.append(f"经批准延长答复期限{self.extension_workdays}个工作日。")
        lines.extend(day.text() for day in self.explanation)
        total = REPLY_WORKDAYS + self.extension_workdays
        last_counted = max(d.day for d in self.explanation if d.counted)
        if last_counted < self.counted_due:
            # A pause begun on the last day of the period carries the deadline to the pause's end.
            lines.append(f"计算所得答复期限：{self.counted_due.isoformat()}（第{total}个工作日 "
                         f"{last_counted.isoformat()} 当日开始暂停计时，期限顺延至暂停结束之日）。")
        else:
            lines.append(f"计算所得答复期限：{self.counted_due.isoformat()}（第{total}个工作日）。")
        if self.later_date_applied:
            lines.append(f"依条例第三十五条另行确定的答复日期：{self.reply_due.isoformat()}。")
        if self.clock_stopped:
            lines.append("当前暂停计时，答复期限随暂停天数顺延。")
        if any(p.open and p.cut_short for p in self.pauses):
            lines.append("征求意见期限已届满，答复期限已恢复计算：请登记被征求意见方的意见，或登记其逾期未提出意见。")
        if self.overdue:
            lines.append(f"已逾期{-self.workdays_left}个工作日。")
        elif self.workdays_left == 0:
            lines.append("今日到期。")
        else:
            lines.append(f"剩余{self.workdays_left}个工作日。")
        provisional_years = [str(y) for y, source in self.years_used if source == "provisional"]
        if provisional_years:
            lines.append(
                f"注意：{'、'.join(provisional_years)}年的放假安排尚未公布，按法定节日规则推算，日期为暂定。"
            )
        return "\n".join(lines)

    def _pause_lines(self, pause: AppliedPause) -> list[str]:
        label = PAUSE_KIND_LABELS[PauseKind(pause.kind)]
        closed = pause.closed.isoformat() if pause.closed is not None else "今日（进行中）"
        if not pause.counted:
            effect = "按设置计入答复期限"
        elif not pause.applied:
            effect = f"开始于答复期限 {self.counted_due.isoformat()} 届满之后，不影响期限"
        elif pause.cut_short:
            effect = f"扣除{pause.workdays}个工作日（计至征求意见期限 {pause.end.isoformat()}）"
        else:
            effect = f"扣除{pause.workdays}个工作日"
        lines = [f"暂停计时：{label}，{pause.start.isoformat()} 至 {closed}，{effect}。"]
        if pause.consultation is not None:
            lines.append(f"  {pause.consultation.describe(self.today)}")
            if pause.cut_short:
                lines.append(f"  征求意见期限届满后不再暂停计时，自 {pause.end.isoformat()} 次日起恢复计算答复期限。")
        return lines

    def to_json_dict(self, *, include_explanation: bool = True) -> dict[str, Any]:
        """Plain types and ISO dates, for ``--json`` output."""
        data: dict[str, Any] = {
            "received": self.received.isoformat(),
            "start": self.start.isoformat(),
            "supplement_notice_due": self.supplement_notice_due.isoformat(),
            "base_due": self.base_due.isoformat(),
            "counted_due": self.counted_due.isoformat(),
            "reply_due": self.reply_due.isoformat(),
            "paused_workdays": self.paused_workdays,
            "extension_workdays": self.extension_workdays,
            "workdays_left": self.workdays_left,
            "colour": self.colour,
            "overdue": self.overdue,
            "clock_stopped": self.clock_stopped,
            "provisional": self.provisional,
            "years_used": [{"year": y, "source": s} for y, s in self.years_used],
            "pauses": [
                {
                    "kind": str(p.kind),
                    "start": p.start.isoformat(),
                    "end": None if p.closed is None else p.closed.isoformat(),
                    "counted_to": p.end.isoformat(),
                    "open": p.open,
                    "counted": p.counted,
                    "applied": p.applied,
                    "workdays": p.workdays,
                    "cut_short": p.cut_short,
                    "consultation": None if p.consultation is None else p.consultation.to_json_dict(self.today),
                }
                for p in self.pauses
            ],
            "exclude_fee_pauses": self.exclude_fee_pauses,
            "consultation_transit_workdays": self.consultation_transit_workdays,
            "later_date_applied": self.later_date_applied,
            "today": self.today.isoformat(),
        }
        if include_explanation:
            data["explanation"] = [
                {
                    "date": d.day.isoformat(),
                    "counted": d.counted,
                    "number": d.number,
                    "reason": d.reason,
                    "name": d.name,
                    "pause_kind": None if d.pause_kind is None else str(d.pause_kind),
                    "provisional": d.provisional,
                    "extension": d.extension,
                    "text": d.text(),
                }
                for d in self.explanation
            ]
        return data


def _merge(intervals: list[tuple[date, date]]) -> list[tuple[date, date]]:
    # (A, B] intervals as day sets: (1, 3] and (3, 5] touch and become (1, 5].
    merged: list[tuple[date, date]] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def compute_clock(
    cal: WorkCalendar,
    inp: ClockInput,
    *,
    today: date,
    amber_days: int = ClockRules.amber_days,
    exclude_fee_pauses: bool = ClockRules.exclude_fee_pauses,
    consultation_transit_workdays: int = ClockRules.consultation_transit_workdays,
) -> ClockResult:
    """Compute the legal clock of one request (O(number of pauses) calendar lookups)."""
    start = inp.supplemented if inp.supplemented is not None else inp.received
    supplement_notice_due = cal.add_workdays(inp.received, SUPPLEMENT_NOTICE_WORKDAYS)
    base_due = cal.add_workdays(start, REPLY_WORKDAYS)
    extension = EXTENSION_WORKDAYS if inp.extended else 0

    # Clip every counted pause to the days after the start, and a consultation to its
    # own deadline: only the consulted side's time is left out (docs/domain.md, "Pauses").
    clipped: list[tuple[PausePeriod, date, date, bool, ConsultationDeadline | None, bool]] = []
    for pause in inp.pauses:
        counted = pause.kind != PauseKind.FEE or exclude_fee_pauses
        end = pause.end if pause.end is not None else today
        deadline = consultation_deadline(cal, pause.kind, pause.start, pause.received, pause.co_producer,
                                         consultation_transit_workdays)
        cut_short = deadline is not None and end > deadline.due
        if deadline is not None and cut_short:
            end = deadline.due
        clipped.append((pause, max(pause.start, start), max(end, pause.start), counted, deadline, cut_short))
    intervals = [(a, b) for _, a, b, counted, _, _ in clipped if counted and b > a]

    # Walking the merged pauses in order is exact: a pause beginning before the
    # running deadline, or on the due day itself (still within the period), pushes
    # it by its working days (whether or not it ends before that deadline); one
    # beginning after it changes nothing.
    due = cal.add_workdays(start, REPLY_WORKDAYS + extension)
    paused = 0
    for a, b in _merge(intervals):
        if a > due:
            break
        removed = cal.workdays_between(a, b)
        due = cal.add_workdays(due, removed)
        paused += removed
    counted_due = due

    applied_pauses = tuple(
        AppliedPause(
            kind=pause.kind,
            start=pause.start,
            end=b,
            open=pause.end is None,
            counted=counted,
            applied=counted and b > a and a <= counted_due,
            workdays=cal.workdays_between(a, b) if b > a else 0,
            closed=pause.end,
            consultation=deadline,
            cut_short=cut_short,
        )
        for pause, a, b, counted, deadline, cut_short in clipped
    )
    clock_stopped = any(
        p.end is None and counted and p.start <= today and a <= counted_due and not cut_short
        for p, a, _, counted, _, cut_short in clipped
    )

    reply_due = inp.later_date if inp.later_date is not None else counted_due
    span_end = max(reply_due, counted_due, supplement_notice_due)
    years = cal.years_touched(inp.received - timedelta(days=1), span_end)
    years_used = tuple((y, cal.source_of(y)) for y in years)
    provisional = any(source == "provisional" for _, source in years_used)
    standing = countdown(cal, today, reply_due, amber_days=amber_days, provisional=provisional)
    return ClockResult(
        received=inp.received,
        start=start,
        supplement_notice_due=supplement_notice_due,
        base_due=base_due,
        counted_due=counted_due,
        reply_due=reply_due,
        paused_workdays=paused,
        extension_workdays=extension,
        workdays_left=standing.workdays_left,
        colour=standing.colour,
        clock_stopped=clock_stopped,
        provisional=provisional,
        years_used=years_used,
        pauses=applied_pauses,
        exclude_fee_pauses=exclude_fee_pauses,
        consultation_transit_workdays=consultation_transit_workdays,
        later_date_applied=inp.later_date is not None,
        today=today,
        calendar=cal,
        inputs=inp,
    )


def _explain(result: ClockResult) -> tuple[ExplainedDay, ...]:
    cal = result.calendar
    # Only pauses that moved the deadline are shown as not counted; the fee
    # setting's uncounted pauses are still marked so the clerk sees them.
    counting = [(a.start, a.end, a.kind) for a in result.pauses if a.applied]
    marking = [(a.start, a.end, a.kind) for a in result.pauses]
    base_total = REPLY_WORKDAYS
    days: list[ExplainedDay] = []
    number = 0
    day = result.start + timedelta(days=1)
    last = max(result.counted_due, result.reply_due)
    while day <= last:
        info = cal.day_info(day)
        in_pause = next((kind for a, b, kind in counting if max(a, result.start) < day <= b), None)
        marked = next((kind for a, b, kind in marking if max(a, result.start) < day <= b), None)
        if day > result.counted_due:
            entry = ExplainedDay(day, False, None, "later_date", info.name, marked, info.provisional)
        elif not info.workday:
            entry = ExplainedDay(day, False, None, info.reason, info.name, marked, info.provisional)
        elif in_pause is not None:
            entry = ExplainedDay(day, False, None, "pause", info.name, in_pause, info.provisional)
        else:
            number += 1
            entry = ExplainedDay(
                day, True, number, info.reason, info.name, marked, info.provisional, number > base_total
            )
        days.append(entry)
        day += timedelta(days=1)
    # The walk and the index must agree; a mismatch is a bug, not bad input.
    expected = REPLY_WORKDAYS + result.extension_workdays
    if number != expected:
        raise AssertionError(f"explanation counted {number} working days, expected {expected}")
    return tuple(days)
