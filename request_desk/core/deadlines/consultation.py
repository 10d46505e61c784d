"""A consultation's own deadline (征求意见期限), and what follows once it has passed.

docs/domain.md, "Pauses": a third party (条例第三十二条) and a co-producing
agency (第三十四条) each have **15 working days from receiving** the
consultation letter. The time not counted in the reply period (第三十三条第三款)
is the consulted side's time: from the day the letter goes out until the answer
arrives, but never beyond that deadline. So a consultation still open after it
stops the clock no longer; the pause then only waits for the clerk to record
the lapse.

When the day of receipt is not recorded it is presumed: the office setting
``consultation_transit_workdays`` working days after the letter went out.

Once the deadline has passed without an answer:

* a third party: the agency decides itself whether to disclose (第三十二条:
  逾期未提出意见的，由行政机关依照本条例的规定决定是否公开);
* a co-producing agency: consent is deemed (第三十四条: 逾期未提出意见的视为同意公开);
* any other agency consulted (第十一条 协商、确认; 第十七条): the law sets no period;
  the desk gives it the same 15 working days, and its silence is *not* consent —
  the agency decides itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from request_desk.core.deadlines.workcalendar import WorkCalendar
from request_desk.core.vocab import PauseKind

__all__ = [
    "CONSULTATION_WORKDAYS",
    "DEFAULT_TRANSIT_WORKDAYS",
    "READING",
    "ConsultationDeadline",
    "consultation_deadline",
    "lapse_consequence",
]

CONSULTATION_WORKDAYS: Final = 15  # Arts. 32, 34: from receipt of the consultation letter

# docs/domain.md, "Pauses": a registered letter or express mail within a province
# usually arrives in one to three working days; the upper end is presumed, so that
# a consulted side is never cut short of its 15 days (nor an agency deemed to
# consent too early) because its receipt was not recorded.
DEFAULT_TRANSIT_WORKDAYS: Final = 3

#: The reading of Art. 33(3) the clock applies, for the explanation.
READING: Final = ("征求意见：不计入答复期限的是被征求意见方提出意见的时间，即自发出征求意见书之日起，"
                  "至收到意见之日止，最长至被征求意见方收到征求意见书之日起第15个工作日"
                  "（条例第三十二条、第三十三条第三款、第三十四条）；期限届满仍未收到意见的，次日起恢复计算答复期限。")


def lapse_consequence(kind: PauseKind | str, co_producer: bool) -> str:
    """What follows when the consulted side lets its deadline pass, in the letter's words."""
    if PauseKind(kind) is PauseKind.THIRD_PARTY:
        return "第三方逾期未提出意见的，由本机关依照条例的规定决定是否公开（条例第三十二条）。"
    if co_producer:
        return "共同制作机关逾期未提出意见的，视为同意公开（条例第三十四条）。"
    return ("被征求意见机关不是共同制作机关，逾期未提出意见的不视为同意公开（视为同意仅适用于条例第三十四条的"
            "共同制作机关），由本机关依照条例的规定决定是否公开。")


@dataclass(frozen=True)
class ConsultationDeadline:
    """One consultation's deadline: receipt (recorded or presumed) + 15 working days."""

    kind: PauseKind
    co_producer: bool
    sent: date
    received: date  # as recorded, or presumed
    presumed: bool  # the receipt was not recorded
    due: date  # the consulted side's last day
    transit_workdays: int

    def lapsed(self, today: date) -> bool:
        """The consulted side's time is over (the day after ``due`` or later)."""
        return today > self.due

    @property
    def consequence(self) -> str:
        return lapse_consequence(self.kind, self.co_producer)

    @property
    def deemed_consent(self) -> bool:
        """Silence means consent: a co-producing agency only (Art. 34)."""
        return self.kind is PauseKind.OTHER_AGENCY and self.co_producer

    def receipt_text(self) -> str:
        if self.presumed:
            return (f"被征求意见方收到征求意见书的日期未登记，按在途{self.transit_workdays}个工作日推定为 "
                    f"{self.received.isoformat()}")
        return f"被征求意见方于 {self.received.isoformat()} 收到征求意见书"

    def describe(self, today: date) -> str:
        """Receipt, deadline and, once it has passed, what follows (the case view and the explanation)."""
        text = (f"{self.receipt_text()}；征求意见期限（收到之日起{CONSULTATION_WORKDAYS}个工作日）"
                f"至 {self.due.isoformat()}")
        if self.lapsed(today):
            text += f"，已届满。{self.consequence}"
        else:
            text += "。"
        return text

    def to_json_dict(self, today: date) -> dict[str, Any]:
        return {"received": self.received.isoformat(), "received_presumed": self.presumed,
                "due": self.due.isoformat(), "lapsed": self.lapsed(today), "co_producer": self.co_producer,
                "deemed_consent": self.deemed_consent, "consequence": self.consequence}


def consultation_deadline(cal: WorkCalendar, kind: PauseKind | str, sent: date, received: date | None,
                          co_producer: bool, transit_workdays: int) -> ConsultationDeadline | None:
    """The deadline of a consultation sent on ``sent``; None for a pause that is no consultation."""
    kind = PauseKind(kind)
    if not kind.is_consultation:
        return None
    presumed = received is None
    receipt = cal.add_workdays(sent, max(0, transit_workdays)) if received is None else received
    return ConsultationDeadline(kind=kind, co_producer=co_producer and kind is PauseKind.OTHER_AGENCY, sent=sent,
                                received=receipt, presumed=presumed,
                                due=cal.add_workdays(receipt, CONSULTATION_WORKDAYS),
                                transit_workdays=transit_workdays)
