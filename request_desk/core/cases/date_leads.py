"""What a date chosen in a form leads to: the due date shown beside a date picker (issue 15, point 9).

A clerk picking the date of a step should see, before saving, what the clock
will make of it: the receipt date of a new request gives its reply deadline,
the day supplementary material came in restarts the period, an extension
gives the new deadline, a reply date is on time or late. Every figure is the
case clock's own (``OfficeClock.of`` over the request's stored facts with the
chosen date put in), so what the form shows is what saving stores.

A step whose date changes no deadline gets no lead; the picker still marks
holidays and make-up working days.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from request_desk.core.cases.lookup import load_request
from request_desk.core.cases.workflow import Action
from request_desk.core.deadlines.case_clock import OfficeClock, clock_input, office_clock
from request_desk.core.deadlines.clock import ClockInput, ClockResult
from request_desk.core.storage.db import Database

__all__ = ["PROVISIONAL_YEAR", "Lead", "registration_lead", "step_lead"]

PROVISIONAL_YEAR = "该年度节假日安排未导入，期限为暂定"


@dataclass(frozen=True)
class Lead:
    """The sentence beside the picker; ``provisional`` when a year without a holiday notice was counted."""

    text: str
    provisional: bool = False
    late: bool = False  # the chosen date misses a deadline (shown as a warning)

    def display(self) -> str:
        return f"{self.text}（{PROVISIONAL_YEAR}）" if self.provisional else self.text


def _reply_due(result: ClockResult, label: str) -> Lead:
    return Lead(f"{label} {result.reply_due.isoformat()}", result.provisional)


def registration_lead(clock: OfficeClock, received: date) -> Lead:
    """The reply deadline of a request received on ``received`` (the registration form)."""
    result = clock.of(ClockInput(received=received))
    return _reply_due(result, "答复期限")


def _lead(clock: OfficeClock, inputs: ClockInput, action: Action, chosen: date) -> Lead | None:
    if action is Action.RECEIVE_SUPPLEMENT:
        if chosen < inputs.received:
            return None
        return _reply_due(clock.of(replace(inputs, supplemented=chosen)), "重新计算后答复期限")
    if action is Action.EXTEND:
        return _reply_due(clock.of(replace(inputs, extended=True)), "延长后答复期限")
    if action is Action.END_PAUSE and inputs.pauses and inputs.pauses[-1].end is None:
        last = inputs.pauses[-1]
        if chosen < last.start:
            return None
        ended = (*inputs.pauses[:-1], replace(last, end=chosen))
        return _reply_due(clock.of(replace(inputs, pauses=ended)), "恢复计时后答复期限")
    current = clock.of(inputs)
    if action is Action.REQUEST_SUPPLEMENT:
        due = current.supplement_notice_due
        late = chosen > due
        text = f"补正告知期限 {due.isoformat()}" + ("，所选日期已超过告知期限" if late else "")
        return Lead(text, clock.calendar.source_of(due.year) == "provisional", late)
    if action is Action.REPLY:
        late = chosen > current.reply_due
        verdict = "，所选日期晚于期限，将记为逾期答复" if late else "，按期答复"
        return Lead(f"答复期限 {current.reply_due.isoformat()}{verdict}", current.provisional, late)
    return None


def step_lead(db: Database, request_id: int, action: Action, chosen: date, today: date) -> Lead | None:
    """What the step's date ``chosen`` makes of the request's deadline, or None if it moves none."""
    with db.read() as session:
        request = load_request(session, request_id)
        inputs = clock_input(session, request)
        clock = office_clock(session, today)
    return _lead(clock, inputs, action, chosen)
