"""答复 as one flow in the case window: outcome → letter → check → issue → print → delivery (issue 15, point 3)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from request_desk.core import cases
from request_desk.core.cases.workflow import Action
from request_desk.core.letters import compose
from request_desk.core.letters import register as letter_register
from request_desk.core.office import settings
from request_desk.core.vocab import Status
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.actions import ActionDialog
from request_desk.gui.dialogs.letter import LetterDialog
from tests import factories
from tests.support.gui import case_window


def _with_office_details(ctx: DeskContext, rid: int) -> int:
    """A letter is issued only with the office's contact (the pre-issue check)."""
    with ctx.db.write() as s:
        settings.update(s, contact_person="李四", contact_phone="0527-84371234")
    return rid


def _ok(qtbot: QtBot, dialog: ActionDialog) -> None:
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_from_reply_to_the_delivery_of_its_letter(qtbot: QtBot, ctx: DeskContext, tmp_path: Path) -> None:
    rid = _with_office_details(ctx, factories.register(ctx.db, date(2026, 11, 16)))
    win = case_window(qtbot, ctx, rid)

    # 1. The outcome.
    qtbot.mouseClick(win.action_buttons[Action.REPLY], Qt.MouseButton.LeftButton)
    flow = win.reply_flow
    assert flow is not None and "<b style='color:#1f4f9c'>1. 办理结果</b>" in flow.flow_label.text()
    flow.reply_dialog.select_outcome("1")
    _ok(qtbot, flow.reply_dialog)

    # 2. The letter of that kind opens by itself, dated the reply date, with the check beside it.
    letter = flow.letter_dialog
    assert letter is not None and letter.isVisible()
    assert letter.kind() == "reply_1" and letter.date_edit.date().toPython() == factories.TODAY
    assert "2. 答复书与签发前检查" in letter.flow_label.text() and "✓ 办理结果" in letter.flow_label.text()
    assert letter.salutation_edit.text().startswith("张三")  # prefilled from the case
    assert letter.issue_button.isEnabled() and "通过" in letter.check_label.text()
    assert not letter.deliver_button.isVisible()

    # 3-4. Issue and print.
    with qtbot.waitSignal(letter.issued) as issued:
        qtbot.mouseClick(letter.issue_button, Qt.MouseButton.LeftButton)
    letter_id = issued.args[0]
    assert "4. 打印" in letter.flow_label.text()
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(letter.print_to(printer).done, timeout=30_000):
        pass
    assert len(PdfReader(str(tmp_path / "printed.pdf")).pages) >= 1

    # 5. The delivery, of this letter.
    assert letter.deliver_button.isVisible()
    qtbot.mouseClick(letter.deliver_button, Qt.MouseButton.LeftButton)
    deliver = letter.delivery_dialog
    assert isinstance(deliver, ActionDialog) and deliver.action is Action.DELIVER
    strip = deliver.findChild(QLabel, "replyFlow")
    assert isinstance(strip, QLabel) and "✓ 打印" in strip.text() and "5. 送达" in strip.text()
    box = deliver.fields["letter"]
    assert isinstance(box, QComboBox) and box.currentData() == str(letter_id)
    channel = deliver.fields["channel"]
    assert isinstance(channel, QComboBox) and channel.currentText() == "邮寄"  # as the applicant asked
    tracking = deliver.fields["tracking"]
    assert isinstance(tracking, QLineEdit)
    qtbot.keyClicks(tracking, "XA123456789CN")
    _ok(qtbot, deliver)

    record = cases.get(ctx.db, rid)
    assert record.status == Status.DELIVERED and record.delivered_date == factories.TODAY
    [row] = letter_register.register_rows(ctx.db, request_id=rid)
    assert row.letter_id == letter_id and row.delivery == f"邮寄送达 XA123456789CN，{factories.TODAY}发出"
    assert not letter.deliver_button.isVisible()


def test_cancelling_the_letter_keeps_the_reply_and_the_letter_can_be_made_later(qtbot: QtBot,
                                                                                ctx: DeskContext) -> None:
    rid = factories.register(ctx.db, date(2026, 11, 16))
    win = case_window(qtbot, ctx, rid)
    dialog = win.perform(Action.REPLY)
    dialog.select_outcome("1")
    _ok(qtbot, dialog)
    assert win.reply_flow is not None and win.reply_flow.letter_dialog is not None
    win.reply_flow.letter_dialog.reject()
    assert cases.get(ctx.db, rid).status == Status.REPLIED
    assert win.compose_letter().kind() == "reply_1"  # type: ignore[attr-defined]


def test_a_letter_not_printed_is_said_so_on_the_way_to_its_delivery(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = _with_office_details(ctx, factories.register(ctx.db, date(2026, 11, 16)))
    win = case_window(qtbot, ctx, rid)
    dialog = win.perform(Action.REPLY)
    dialog.select_outcome("1")
    _ok(qtbot, dialog)
    assert win.reply_flow is not None and win.reply_flow.letter_dialog is not None
    letter = win.reply_flow.letter_dialog
    letter.issue()
    letter.deliver()
    assert "打印（未做）" in letter.flow_label.text() and "✓ 打印" not in letter.flow_label.text()


def test_a_letter_corrected_meanwhile_is_not_offered_for_delivery(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = _with_office_details(ctx, factories.replied(ctx.db, "1", received=date(2026, 11, 16), on=factories.TODAY))
    win = case_window(qtbot, ctx, rid)
    letter = win.compose_letter()
    assert isinstance(letter, LetterDialog)
    first = letter.issue()
    assert letter.deliver_button.isVisible()
    correction = compose.compose(ctx.db, rid, "reply_1", on_date=factories.TODAY)
    letter_register.issue(ctx.db, correction, "clerk", supersedes_id=first.id)  # from another desk
    assert letter.deliver() is None
    assert letter.notice is not None and "已被更正" in letter.notice.text()
    assert not letter.deliver_button.isVisible() and cases.get(ctx.db, rid).status == Status.REPLIED
