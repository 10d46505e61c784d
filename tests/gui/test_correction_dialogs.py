"""更正登记信息 and 撤销上一步 in the case window, driven with keys and clicks (issue 15, point 2)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDateEdit, QDialogButtonBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from request_desk.core import cases
from request_desk.core.vocab import Status
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.correction import CorrectionDialog, UndoDialog
from request_desk.gui.dialogs.form import FormDialog
from tests import factories
from tests.factories import TODAY
from tests.support.gui import case_window, type_text


def press_ok(qtbot: QtBot, dialog: FormDialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def retype(qtbot: QtBot, line: QLineEdit, text: str) -> None:
    line.setFocus()
    line.selectAll()
    type_text(qtbot, line, text)


def test_a_typo_in_the_name_is_corrected_with_a_reason(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = factories.register(ctx.db, date(2026, 11, 2), applicant_name="张三")
    win = case_window(qtbot, ctx, rid)
    qtbot.mouseClick(win.correct_button, Qt.MouseButton.LeftButton)
    dialog = win.current_dialog
    assert isinstance(dialog, CorrectionDialog)
    name = dialog.fields["applicant_name"]
    assert isinstance(name, QLineEdit) and name.text() == "张三"
    retype(qtbot, name, "张山")
    press_ok(qtbot, dialog)  # no reason yet: refused, the dialog keeps the new name
    assert dialog.isVisible() and dialog.error_box is not None and "更正理由" in dialog.error_box.text()
    dialog.error_box.close()
    assert cases.get(ctx.db, rid).applicant_name == "张三" and name.text() == "张山"
    type_text(qtbot, dialog.reason, "登记时录入错误")
    with qtbot.waitSignal(ctx.signals.requests_changed):
        press_ok(qtbot, dialog)
    assert cases.get(ctx.db, rid).applicant_name == "张山"
    # The window shows the corrected name and the correction on the timeline.
    assert "张山" in win.applicant.text()
    rows = [[win.events.item(r, c).text() for c in range(4)] for r in range(win.events.rowCount())]
    assert any(row[1] == "更正登记信息" and "张三 → 张山" in row[3] and "登记时录入错误" in row[3] for row in rows)


def test_a_corrected_receipt_date_moves_the_due_date_in_the_header(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = factories.register(ctx.db, date(2026, 11, 2))
    win = case_window(qtbot, ctx, rid)
    assert win.due.text() == "答复期限：2026-11-30"
    dialog = win.correct_record()
    received = dialog.fields["received_date"]
    assert isinstance(received, QDateEdit)
    received.setFocus()
    received.setSelectedSection(QDateEdit.Section.DaySection)
    qtbot.keyClicks(received, "09")
    lead = dialog.findChild(QLabel, "received_date_lead")
    assert isinstance(lead, QLabel) and "2026-12-07" in lead.text()  # said before it is saved
    type_text(qtbot, dialog.reason, "收件日期登记错误")
    with qtbot.waitSignal(ctx.signals.requests_changed):
        press_ok(qtbot, dialog)
    assert cases.get(ctx.db, rid).received_date == date(2026, 11, 9)
    assert win.due.text() == "答复期限：2026-12-07"


def test_the_id_number_is_not_revealed_and_kept_unless_retyped(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = factories.register(ctx.db, date(2026, 11, 2))
    dialog = case_window(qtbot, ctx, rid).correct_record()
    id_line = dialog.fields["id_number"]
    assert isinstance(id_line, QLineEdit)
    assert id_line.text() == "" and "11010519491231002X" not in id_line.placeholderText()
    assert "002X" in id_line.placeholderText()
    assert dialog.changes() == {}
    qtbot.keyClicks(dialog.fields["phone"], "0")  # type: ignore[arg-type]
    assert dialog.changes() == {"phone": "139123456780"}


def test_a_supervisor_undoes_the_reply_a_clerk_may_not(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = factories.replied(ctx.db, "1", on=date(2026, 11, 20), received=date(2026, 11, 2))
    clerk_window = case_window(qtbot, ctx, rid)
    assert not clerk_window.undo_button.is_available()
    assert "只有负责人或管理员" in clerk_window.undo_button.toolTip()
    clerk_window.close()
    head = DeskContext(db=ctx.db, user="supervisor", today=lambda: TODAY)
    win = case_window(qtbot, head, rid)
    assert win.undo_button.is_available() and win.undo_button.toolTip() == "撤销：答复（2026-11-20）"
    qtbot.mouseClick(win.undo_button, Qt.MouseButton.LeftButton)
    dialog = win.current_dialog
    assert isinstance(dialog, UndoDialog) and "答复（2026-11-20）" in dialog.intro.text()
    type_text(qtbot, dialog.reason, "答复日期登记错误")
    with qtbot.waitSignal(head.signals.requests_changed):
        press_ok(qtbot, dialog)
    assert cases.get(ctx.db, rid).status == Status.REGISTERED
    assert win.status.text() == "状态：已登记"
    labels = [win.events.item(r, 1).text() for r in range(win.events.rowCount())]
    assert "答复（已撤销）" in labels and "撤销办理步骤" in labels
