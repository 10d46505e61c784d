"""Esc or 取消 on a form with input asks first; forms open with the focus in their first field
(issue 15, point 4)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from request_desk.core import cases
from request_desk.core.cases.workflow import Action
from request_desk.gui.case_view import CaseWindow
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.letter import LetterDialog
from request_desk.gui.dialogs.registration import RegistrationDialog
from tests import factories
from tests.support.gui import type_text


def _extension_dialog(qtbot: QtBot, ctx: DeskContext):  # type: ignore[no-untyped-def]
    rid = cases.register(ctx.db, factories.new_request(date(2026, 11, 2)), "clerk", today=ctx.today()).id
    assert rid is not None
    window = CaseWindow.open_request(ctx, rid)
    assert window is not None
    qtbot.addWidget(window)
    dialog = window.perform(Action.EXTEND)
    qtbot.waitExposed(dialog)
    return dialog


def test_a_step_dialog_opens_in_its_first_field_and_esc_asks_before_losing_the_reason(
        qtbot: QtBot, ctx: DeskContext) -> None:
    dialog = _extension_dialog(qtbot, ctx)
    focused = dialog.focusWidget()  # the child that has (or gets, once the window is active) the focus
    assert focused is not None and dialog.isAncestorOf(focused)
    assert focused is not dialog.buttons.button(dialog.buttons.StandardButton.Cancel)
    reason = dialog.fields["reason"]
    assert isinstance(reason, (QLineEdit, QPlainTextEdit))
    type_text(qtbot, reason, "所需信息涉及多个部门")
    answers = [False]
    dialog.confirm_discard = lambda: answers.pop(0)  # type: ignore[method-assign]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and "多个部门" in (reason.text() if isinstance(reason, QLineEdit)
                                               else reason.toPlainText())  # kept: nothing lost
    dialog.confirm_discard = lambda: True  # type: ignore[method-assign]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_step_dialog_without_input_closes_without_asking(qtbot: QtBot, ctx: DeskContext,
                                                           _discard_questions_answered: list[str]) -> None:
    dialog = _extension_dialog(qtbot, ctx)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and _discard_questions_answered == []


def test_registration_asks_before_the_typed_applicant_is_lost(qtbot: QtBot, ctx: DeskContext,
                                                              _discard_questions_answered: list[str]) -> None:
    dialog = RegistrationDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.ui.applicant_type or dialog.isAncestorOf(dialog.focusWidget())
    type_text(qtbot, dialog.ui.applicant_name, "张三")
    dialog.confirm_discard = lambda: False  # type: ignore[method-assign]
    dialog.reject()
    assert dialog.isVisible() and dialog.ui.applicant_name.text() == "张三"


def test_the_letter_dialog_asks_before_an_edited_unissued_letter_is_lost(
        qtbot: QtBot, ctx: DeskContext, _discard_questions_answered: list[str]) -> None:
    rid = factories.register(ctx.db)
    dialog = LetterDialog(ctx, rid, "acknowledgement")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reject()  # nothing edited: closes without a question
    assert not dialog.isVisible() and _discard_questions_answered == []
    dialog = LetterDialog(ctx, rid, "acknowledgement")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.body_edit.setPlainText(dialog.body_edit.toPlainText() + "\n特此补充说明。")
    dialog.confirm_discard = lambda: False  # type: ignore[method-assign]
    dialog.reject()
    assert dialog.isVisible() and "特此补充说明" in dialog.body_edit.toPlainText()
