"""审核后签发 in the desk: 提交审核 in the letter dialog, 待审核文书 on the letter register page,
审核通过并签发 and 退回… in the review dialog, the returned comment back in the letter dialog."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from request_desk.core.cases.workflow import Action
from request_desk.core.letters import compose, register, review
from request_desk.core.office import settings, users
from request_desk.core.vocab import Role
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.actions import ActionDialog
from request_desk.gui.dialogs.letter import LetterDialog
from request_desk.gui.pages.letters import LettersPage
from tests import factories
from tests.support.gui import case_window


def _office(ctx: DeskContext) -> int:
    with ctx.db.write() as s:
        settings.update(s, contact_person="李四", contact_phone="0527-84371234", letter_review=True)
    users.add_user(ctx.db, "deputy", "张副主任", Role.SUPERVISOR, actor="supervisor")
    return factories.replied(ctx.db, "1", received=date(2026, 11, 16), on=date(2026, 11, 20))


def _letter(qtbot: QtBot, ctx: DeskContext, rid: int) -> LetterDialog:
    dialog = LetterDialog(ctx, rid, "reply_1")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_clerk_submits_and_another_supervisor_approves(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = _office(ctx)
    letter = _letter(qtbot, ctx, rid)
    assert letter.issue_button.text() == "提交审核" and letter.issue_button.isEnabled()
    with qtbot.waitSignal(letter.submitted) as submitted:
        qtbot.mouseClick(letter.issue_button, Qt.MouseButton.LeftButton)
    review_id = submitted.args[0]
    assert letter.letter is None and not letter.issue_button.isEnabled() and letter.body_edit.isReadOnly()
    assert "已提交审核" in letter.review_label.text()
    assert register.register_rows(ctx.db) == []  # nothing issued, no number drawn

    # The clerk sees the list too, greyed: only a supervisor other than the drafter reviews.
    clerk_page = LettersPage(ctx)
    qtbot.addWidget(clerk_page)
    panel = clerk_page.review_panel
    assert not panel.isHidden() and panel.table.rowCount() == 1
    assert "无权审核文书" in panel.table.item(0, 0).toolTip()
    assert panel.open_row(0) is None
    assert not clerk_page.action_buttons["printAcknowledgements"].isEnabled()

    boss = replace(ctx, user="supervisor")
    page = LettersPage(boss)
    qtbot.addWidget(page)
    assert page.review_panel.table.item(0, 0).toolTip() == ""
    dialog = page.review_panel.open_row(0)
    assert dialog is not None and dialog.approve_button.isEnabled() and "通过" in dialog.check_label.text()
    with qtbot.waitSignal(dialog.approved) as approved:
        qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    [row] = register.register_rows(ctx.db)
    assert (row.letter_id, row.doc_number) == (approved.args[0], "X政信公开〔2026〕1号")
    assert review.get(ctx.db, review_id).state == review.APPROVED
    assert not dialog.approve_button.isEnabled() and "已审核通过并签发" in dialog.status.text()
    assert page.review_panel.table.rowCount() == 0 and page.model.rowCount() == 1
    dialog.close()


def test_own_drafts_are_greyed_and_a_returned_draft_shows_the_comment(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = _office(ctx)
    boss = replace(ctx, user="supervisor")
    own = _letter(qtbot, boss, rid)
    with qtbot.waitSignal(own.submitted):
        own.submit()
    page = LettersPage(boss)
    qtbot.addWidget(page)
    panel = page.review_panel
    assert panel.table.item(0, 0).toolTip() == review.OWN_DRAFT
    panel.table.selectRow(0)
    assert not panel.review_button.isEnabled() and panel.review_button.toolTip() == review.OWN_DRAFT

    deputy = replace(ctx, user="deputy")
    other = LettersPage(deputy)
    qtbot.addWidget(other)
    dialog = other.review_panel.open_row(0)
    assert dialog is not None
    comment = dialog.ask_comment()
    ok = comment.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # a comment is required
    comment.text.setPlainText("请补充公开方式")
    with qtbot.waitSignal(dialog.sent_back):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert not dialog.approve_button.isEnabled() and register.register_rows(ctx.db) == []
    dialog.close()

    again = LetterDialog(boss, rid)  # the drafter opens the case's letters again: on the returned one
    qtbot.addWidget(again)
    again.show()
    assert again.kind() == "reply_1" and "张副主任退回修改：请补充公开方式" in again.review_label.text()
    assert again.issue_button.isEnabled() and not again.body_edit.isReadOnly()
    again.body_edit.setPlainText(again.body_edit.toPlainText() + "\n公开方式：邮寄纸质复印件。")
    with qtbot.waitSignal(again.submitted):
        again.submit()
    assert review.get(ctx.db, panel.rows[0].id).state == review.PENDING


def test_the_reply_flow_ends_at_the_submission(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = _office(ctx)
    rid = factories.register(ctx.db, date(2026, 11, 16))
    win = case_window(qtbot, ctx, rid)
    qtbot.mouseClick(win.action_buttons[Action.REPLY], Qt.MouseButton.LeftButton)
    flow = win.reply_flow
    assert flow is not None
    flow.reply_dialog.select_outcome("1")
    dialog: ActionDialog = flow.reply_dialog
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    letter = flow.letter_dialog
    assert letter is not None and letter.issue_button.text() == "提交审核"
    with qtbot.waitSignal(letter.submitted):
        qtbot.mouseClick(letter.issue_button, Qt.MouseButton.LeftButton)
    assert "已提交审核" in letter.flow_label.text() and "发文登记" in letter.flow_label.text()
    assert not letter.deliver_button.isVisible() and not letter.print_button.isEnabled()


def test_the_letter_dialog_opens_on_a_returned_draft_of_the_case(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = _office(ctx)
    draft = compose.compose(ctx.db, rid, "acknowledgement", on_date=factories.TODAY)
    submitted = review.submit(ctx.db, draft, "clerk")
    review.send_back(ctx.db, submitted.id, "supervisor", "回执日期有误")
    dialog = LetterDialog(ctx, rid)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.kind() == "acknowledgement" and "王主任退回修改：回执日期有误" in dialog.review_label.text()
    assert dialog.issue_button.text() == "提交审核" and dialog.issue_button.isEnabled()


def test_review_is_turned_on_in_the_settings_form(qtbot: QtBot, ctx: DeskContext) -> None:
    from PySide6.QtWidgets import QCheckBox

    from request_desk.gui.pages.settings import OfficeSettingsForm

    boss = replace(ctx, user="supervisor")
    page = LettersPage(boss)
    qtbot.addWidget(page)
    assert page.review_panel.isHidden() and page.action_buttons["printAcknowledgements"].isEnabled()
    form = OfficeSettingsForm(boss)
    qtbot.addWidget(form)
    box = form.editors["letter_review"]
    assert isinstance(box, QCheckBox) and not box.isChecked()
    box.setChecked(True)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert review.enabled(ctx.db)
    assert not page.review_panel.isHidden() and not page.action_buttons["printAcknowledgements"].isEnabled()
