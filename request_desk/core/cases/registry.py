"""The step registry: every workflow step by its action, and what a form or a script needs of it.

``STEPS`` maps each ``Action`` to its declared ``Step``. ``available`` says,
for one case, which steps may be done now and why the others may not (the
tooltip of a disabled button, the ``allowed``/``reason`` of
``request-desk case actions``); ``step_form`` gives a form everything it shows
(fields, choices, starting values, the hint of law); ``parse_value`` reads a
field's value from text (``--set NAME=VALUE``); ``do_step`` performs a step.

Adding a step: an ``Action`` and its ``Transition`` in ``workflow``, a ``Step``
(fields, rules, run) in ``steps``, ``consultation_steps`` or ``fee_steps``
listed in its ``DECLARED``,
and, for Python callers, a named function in ``step_functions``. The case
window's button and dialog and ``request-desk case do`` follow from the
declaration; ``gui/dialogs/actions.SPECIAL_FORMS`` is only for a form that
shows live figures beyond its fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from request_desk.core.cases import consultation_steps, fee_steps, steps
from request_desk.core.cases.letter_delivery import servable_letters, served_letter_label
from request_desk.core.cases.lookup import load_request
from request_desk.core.cases.records import RequestRecord
from request_desk.core.cases.step_machinery import (
    CaseFacts,
    FieldKind,
    Step,
    StepField,
    case_facts,
    refusal,
    run_step,
)
from request_desk.core.cases.workflow import Action
from request_desk.core.errors import FieldError
from request_desk.core.office import permissions
from request_desk.core.office.permissions import Permission
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import HandlingUnit

STEPS: dict[Action, Step] = {s.action: s for s in (*steps.DECLARED, *consultation_steps.DECLARED,
                                                    *fee_steps.DECLARED)}
assert set(STEPS) == set(Action), "every action needs a declared step"

Choices = tuple[tuple[str, str], ...]


def step_named(name: str) -> Step:
    """The step whose action value is ``name`` (``reply``, ``extend`` …)."""
    try:
        return STEPS[Action(name)]
    except ValueError:
        raise FieldError(f"没有名为“{name}”的办理操作；可用操作：{'、'.join(a.value for a in Action)}。") from None


def available(db: Database, request_id: int, today: date | None = None,
              on_date: date | None = None, *, actor: str | None = None) -> dict[Action, str | None]:
    """Every step with None (allowed on ``on_date``, default today) or the Chinese reason it is not.

    With ``actor``, a step their role may not do says so first (the GUI greys its button).
    """
    with db.read() as session:
        return available_in(session, request_id, today or date.today(), on_date, actor=actor)


def available_in(session: Session, request_id: int, today: date, on_date: date | None = None, *,
                 actor: str | None = None, held: frozenset[Permission] | None = None) -> dict[Action, str | None]:
    """``available`` inside a read already open (the case view reads a case and its steps in one).

    ``held``: the actor's permissions (``permissions.granted``) when already read.
    """
    facts = case_facts(session, load_request(session, request_id), today)
    refused: dict[Action, str | None] = {}
    if actor:
        if held is None:
            held = permissions.granted(session, actor)  # one read for every step's button
        refused = {action: refusal(session, step, actor, held) for action, step in STEPS.items()}
    return {action: refused.get(action) or step.why_not(facts, on_date) for action, step in STEPS.items()}


@dataclass(frozen=True)
class StepForm:
    """What a form for one step of one case shows; plain values, no session behind them."""

    step: Step
    request_id: int
    reg_number: str
    version: int
    received_date: date
    today: date
    why_not: str | None
    hint: str
    defaults: Mapping[str, Any]
    choices: Mapping[str, Choices]  # for every choice-like field, including units and letters
    facts: CaseFacts

    @property
    def fields(self) -> tuple[StepField, ...]:
        return self.step.fields


def step_form(db: Database, request_id: int, action: Action, today: date | None = None) -> StepForm:
    today = today or date.today()
    step = STEPS[action]
    with db.read() as session:
        facts = case_facts(session, load_request(session, request_id), today)
        defaults = step.defaults(session, facts) if step.defaults else {}
        hint = step.hint(session, facts) if step.hint else ""
        choices: dict[str, Choices] = {}
        for f in step.fields:
            if f.kind is FieldKind.UNIT:
                units = session.exec(select(HandlingUnit).where(col(HandlingUnit.active)).order_by(
                    col(HandlingUnit.name))).all()
                choices[f.name] = tuple(
                    (str(u.id), u.name + ("（当前承办）" if u.id == facts.current_unit_id else "")) for u in units)
            elif f.kind is FieldKind.LETTER:
                choices[f.name] = tuple((str(letter.id), served_letter_label(letter))
                                        for letter in servable_letters(session, request_id))
            elif f.choices:
                choices[f.name] = f.choices
    return StepForm(step, request_id, facts.reg_number, facts.version, facts.received_date, today,
                    step.why_not(facts), hint, defaults, choices, facts)


_TRUE = {"1", "true", "yes", "y", "是", "对"}
_FALSE = {"0", "false", "no", "n", "否", "不"}


def parse_value(f: StepField, text: str) -> Any:
    """A field's value from the text a script gives (``--set NAME=VALUE``); FieldError if unreadable."""
    text = text.strip()
    if f.kind is FieldKind.DATE:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise FieldError(f"“{f.label}”（{f.name}）须为 YYYY-MM-DD 格式的日期，不是“{text}”。") from None
    if f.kind is FieldKind.INT:
        try:
            return int(text)
        except ValueError:
            raise FieldError(f"“{f.label}”（{f.name}）须为整数，不是“{text}”。") from None
    if f.kind is FieldKind.BOOL:
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise FieldError(f"“{f.label}”（{f.name}）须为 是/否（yes/no），不是“{text}”。")
    if f.kind in (FieldKind.CHOICE, FieldKind.OUTCOME) and f.choices and text not in {v for v, _ in f.choices}:
        allowed = "、".join(value for value, _ in f.choices)
        raise FieldError(f"“{f.label}”（{f.name}）只能是：{allowed}；不是“{text}”。")
    return text


def do_step(db: Database, action: Action, request_id: int, actor: str, values: Mapping[str, Any] | None = None,
            *, on_date: date | None = None, today: date | None = None,
            expected_version: int | None = None) -> RequestRecord:
    """Perform ``action`` with its named field values (as declared by the step)."""
    return run_step(db, STEPS[action], request_id, actor, values or {}, on_date=on_date, today=today,
                    expected_version=expected_version)
