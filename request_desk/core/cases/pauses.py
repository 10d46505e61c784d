"""Periods that stop the legal clock (consultations, fee notices), opened and closed by steps.

A pause remembers the status it interrupted, so ending it returns the case
to where it was (``docs/domain.md``, "Pauses": Art. 32, 33 and the fee rules).
A consultation's pause also keeps the consulted side's receipt of the letter,
whether an agency consulted co-produced the information, and the answer
(``consultation_steps``).
"""

from __future__ import annotations

from sqlmodel import col, select

from request_desk.core.cases.step_machinery import StepRun
from request_desk.core.errors import TransitionError, ValidationFailed
from request_desk.core.storage.models import Pause
from request_desk.core.vocab import PauseKind

CONSULTATIONS = frozenset(k for k in PauseKind if k.is_consultation)


def open_pause(st: StepRun, kind: PauseKind, counterpart: str, note: str) -> Pause:
    pause = Pause(request_id=st.facts.request_id, kind=kind, start_date=st.on_date,
                  previous_status=st.request.status, counterpart=counterpart, note=note)
    st.session.add(pause)
    st.extra = {"pause_kind": kind.value, "counterpart": counterpart}
    return pause


def current_pause(st: StepRun) -> Pause:
    pause = st.session.exec(
        select(Pause).where(Pause.request_id == st.request.id, col(Pause.end_date).is_(None))
    ).first()
    if pause is None:  # the status says paused, so this is a damaged record
        raise TransitionError("找不到正在进行的暂停记录。")
    return pause


def close_pause(st: StepRun) -> Pause:
    """End the open pause on the step's date; the case returns to the status it was paused from."""
    pause = current_pause(st)
    if st.on_date < pause.start_date:
        raise ValidationFailed(f"恢复日期不能早于暂停开始日期 {pause.start_date}。")
    pause.end_date = st.on_date
    st.session.add(pause)
    st.request.status = pause.previous_status
    return pause


def kind_refusal(open_kind: PauseKind | None, expected: frozenset[PauseKind], what: str) -> str | None:
    """Why a step that ends a pause of ``expected`` kinds cannot end the one that is open."""
    if open_kind is None:
        return "找不到正在进行的暂停记录。"
    if open_kind not in expected:
        return f"当前暂停原因为“{open_kind.label}”，{what}。"
    return None
