"""Consultations whose deadline has passed while they are still open: the dashboard's warning.

docs/domain.md, "Pauses": once the consulted side's 15 working days are over,
the clock runs again although the case still shows 暂停计时; the clerk must
record the answer or the lapse, and what follows depends on who was asked
(Art. 32: the agency decides; Art. 34: a co-producing agency is deemed to
consent; any other agency: no deemed consent). Open consultations are few
(one per paused case at most), so their deadlines are computed here from
the pause rows with the office's calendar and transit setting.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from request_desk.core.deadlines.case_clock import OfficeClock
from request_desk.core.deadlines.consultation import ConsultationDeadline
from request_desk.core.storage.models import Pause, Request
from request_desk.core.vocab import PauseKind, Status

__all__ = ["LapsedConsultation", "lapsed_consultations"]


@dataclass(frozen=True)
class LapsedConsultation:
    request_id: int
    reg_number: str
    applicant_name: str
    kind: PauseKind
    counterpart: str
    deadline: ConsultationDeadline

    def line(self) -> str:
        """One line of the dashboard's list."""
        return (f"{self.reg_number}  {self.counterpart or self.kind.label}  "
                f"征求意见期限 {self.deadline.due} 已届满{'（推定收到）' if self.deadline.presumed else ''}")


def lapsed_consultations(session: Session, clock: OfficeClock) -> tuple[LapsedConsultation, ...]:
    """Every open consultation of a paused case whose deadline is before the clock's today, earliest first."""
    rows = session.exec(
        select(Pause, Request.reg_number, Request.applicant_name)
        .join(Request, col(Request.id) == col(Pause.request_id))
        .where(col(Pause.end_date).is_(None), col(Pause.kind) != PauseKind.FEE.value,
               col(Request.status) == Status.PAUSED.value)
    ).all()
    found: list[LapsedConsultation] = []
    for pause, reg_number, applicant in rows:
        deadline = clock.consultation(pause)
        if deadline is not None and deadline.lapsed(clock.today):
            found.append(LapsedConsultation(pause.request_id, reg_number, applicant, PauseKind(pause.kind),
                                            pause.counterpart, deadline))
    return tuple(sorted(found, key=lambda c: (c.deadline.due, c.request_id)))
