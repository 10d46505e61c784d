"""Step dialogs built from the steps' declarations; disabled buttons give the rule the step refuses with."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlmodel import select

from request_desk.core import cases
from request_desk.core.cases.workflow import Action
from request_desk.core.office import units
from request_desk.core.storage.models import Pause
from request_desk.core.vocab import ConsultationAnswer, PauseKind, Status, UnitLevel
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.actions import SPECIAL_FORMS, ActionDialog
from tests.factories import new_request
from tests.support.gui import case_window


@pytest.mark.parametrize("action", list(Action), ids=[a.value for a in Action])
def test_every_declared_field_has_its_widget(qtbot: QtBot, ctx: DeskContext, action: Action) -> None:
    rid = cases.register(ctx.db, new_request(date(2026, 11, 2)), "clerk", today=ctx.today()).id
    assert rid is not None
    dialog = case_window(qtbot, ctx, rid).perform(action)
    assert isinstance(dialog, ActionDialog)
    step = cases.STEPS[action]
    assert dialog.form.labelForField(dialog.fields["date"]).text() == step.date_label  # type: ignore[union-attr]
    if action not in SPECIAL_FORMS:
        assert {f.name for f in step.fields} <= set(dialog.fields)
    dialog.reject()


def test_a_legal_rule_disables_the_button_with_the_rule_as_tooltip(qtbot: QtBot, ctx: DeskContext) -> None:
    unit = units.add_unit(ctx.db, units.UnitData("市教育局", UnitLevel.DEPARTMENT), actor="supervisor")
    assert unit.id is not None
    rid = cases.register(ctx.db, new_request(date(2026, 11, 2)), "clerk", today=ctx.today()).id
    assert rid is not None
    cases.request_supplement(ctx.db, rid, "clerk", what="请明确年份", on_date=date(2026, 11, 3), today=ctx.today())
    cases.receive_supplement(ctx.db, rid, "clerk", on_date=date(2026, 11, 5), today=ctx.today())
    win = case_window(qtbot, ctx, rid)
    dialog = win.perform(Action.ASSIGN)
    dialog.fields["date"].setDate(QDate(2026, 11, 6))  # type: ignore[attr-defined]
    with qtbot.waitSignal(ctx.signals.requests_changed):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert cases.get(ctx.db, rid).status == Status.IN_PROGRESS  # the state machine allows a notice again …
    button = win.action_buttons[Action.REQUEST_SUPPLEMENT]
    reason = cases.available(ctx.db, rid, ctx.today())[Action.REQUEST_SUPPLEMENT]
    assert not button.is_available() and reason is not None and "只能一次性告知" in reason  # … the law does not
    assert button.toolTip() == reason


def test_consultation_dialogs_ask_for_the_co_producer_and_an_objections_reasons(qtbot: QtBot,
                                                                               ctx: DeskContext) -> None:
    # docs/domain.md, "Pauses": the co-producer box only for an agency (Art. 34), reasons only for an objection.
    rid = cases.register(ctx.db, new_request(date(2026, 11, 2)), "clerk", today=ctx.today()).id
    assert rid is not None
    win = case_window(qtbot, ctx, rid)
    start = win.perform(Action.START_PAUSE)
    kind, co_producer = start.fields["kind"], start.fields["co_producer"]
    assert not start.form.isRowVisible(co_producer)
    kind.setCurrentIndex(kind.findData(PauseKind.OTHER_AGENCY.value))  # type: ignore[attr-defined]
    assert start.form.isRowVisible(co_producer) and not co_producer.isChecked()  # type: ignore[attr-defined]
    co_producer.setChecked(True)  # type: ignore[attr-defined]
    start.fields["counterpart"].setText("某某区财政局")  # type: ignore[attr-defined]
    start.fields["date"].setDate(QDate(2026, 11, 3))  # type: ignore[attr-defined]
    with qtbot.waitSignal(ctx.signals.requests_changed):
        qtbot.mouseClick(start.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    with ctx.db.read() as session:
        pause = session.exec(select(Pause).where(Pause.request_id == rid)).one()
    assert (pause.kind, pause.co_producer) == (PauseKind.OTHER_AGENCY.value, True)
    assert win.action_buttons[Action.RECORD_CONSULTATION_RECEIVED].is_available()
    end = win.perform(Action.END_PAUSE)
    answer, reasons = end.fields["answer"], end.fields["reasons"]
    assert answer.currentIndex() == -1  # type: ignore[attr-defined]  # no answer is assumed
    answer.setCurrentIndex(answer.findData(ConsultationAnswer.AGREED.value))  # type: ignore[attr-defined]
    assert not end.form.isRowVisible(reasons)
    answer.setCurrentIndex(answer.findData(ConsultationAnswer.OBJECTED.value))  # type: ignore[attr-defined]
    assert end.form.isRowVisible(reasons)
    end.reject()


def test_fee_steps_are_unavailable_with_their_reason_during_a_third_party_pause(qtbot: QtBot,
                                                                                 ctx: DeskContext) -> None:
    # Issue 15.11 (walkthrough): no pending fee notice, so no fee step may be offered.
    rid = cases.register(ctx.db, new_request(date(2026, 11, 2)), "clerk", today=ctx.today()).id
    assert rid is not None
    win = case_window(qtbot, ctx, rid)
    qtbot.mouseClick(win.action_buttons[Action.START_PAUSE], Qt.MouseButton.LeftButton)
    start = win.current_dialog
    assert isinstance(start, ActionDialog) and start.action is Action.START_PAUSE
    kind = start.fields["kind"]
    kind.setCurrentIndex(kind.findData(PauseKind.THIRD_PARTY.value))  # type: ignore[attr-defined]
    start.fields["counterpart"].setText("某某公司")  # type: ignore[attr-defined]
    start.fields["date"].setDate(QDate(2026, 11, 3))  # type: ignore[attr-defined]
    with qtbot.waitSignal(ctx.signals.requests_changed):
        qtbot.mouseClick(start.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert cases.get(ctx.db, rid).status == Status.PAUSED
    for action in (Action.RECORD_FEE_NOTICE_RECEIVED, Action.RECORD_PAYMENT, Action.DEEM_WITHDRAWN_NO_PAYMENT):
        button = win.action_buttons[action]
        assert not button.is_available(), action
        assert "没有待缴费的收费通知" in button.toolTip(), action
    notice = win.action_buttons[Action.ISSUE_FEE_NOTICE]
    assert not notice.is_available() and "暂停计时" in notice.toolTip()
    assert win.action_buttons[Action.END_PAUSE].is_available()  # the pause itself can be ended
