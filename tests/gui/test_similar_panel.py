"""The similar-requests panel: in the case view and the registration dialog, with its one-click actions."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLineEdit
from pytestqt.qtbot import QtBot
from sqlmodel import select

from request_desk.core import cases
from request_desk.core.publication.worklist import FlagRow
from request_desk.core.storage.models import RequestLink
from request_desk.core.vocab import Status
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.actions import ActionDialog
from request_desk.gui.dialogs.registration import RegistrationDialog
from tests import factories
from tests.support.gui import case_window, fill_person, similar_loaded

EARLIER = "申请公开宿城区2025年老旧小区改造项目的资金使用情况"
AGAIN = "请提供去年宿城区老旧小区改造项目的资金使用明细。"




def test_case_view_lists_earlier_request_with_who_when_and_how_answered(qtbot: QtBot, ctx: DeskContext) -> None:
    earlier = factories.register(ctx.db, date(2026, 10, 12), description=EARLIER)
    cases.reply(ctx.db, earlier, "clerk", outcome_code="1", on_date=date(2026, 11, 2), today=ctx.today())
    factories.register(ctx.db, date(2026, 10, 13), description="申请公开宿豫区2025年老旧小区改造项目的资金使用情况",
                       applicant_name="李四")
    current = factories.register(ctx.db, date(2026, 11, 2), description=AGAIN)
    win = case_window(qtbot, ctx, current)
    panel = similar_loaded(qtbot, win)
    assert win.tabs.tabText(win.tabs.indexOf(panel)) == "相似申请（1）"
    table = panel.table
    assert table.rowCount() == 1
    cells = [table.item(0, c).text() for c in range(table.columnCount())]
    assert cells[1:5] == ["2026-00001", "张三（同一申请人）", "2026-10-12", "1 予以公开"]
    assert "同一申请人" in panel.hint.text()


def test_repeat_application_opens_the_reply_with_5_2_and_the_reference(qtbot: QtBot, ctx: DeskContext) -> None:
    earlier = factories.register(ctx.db, date(2026, 10, 12), description=EARLIER)
    cases.reply(ctx.db, earlier, "clerk", outcome_code="1", on_date=date(2026, 10, 20), today=ctx.today())  # answered
    current = factories.register(ctx.db, date(2026, 11, 2), description=AGAIN)
    win = case_window(qtbot, ctx, current)
    panel = similar_loaded(qtbot, win)
    assert not panel.repeat_button.isEnabled()  # nothing selected yet
    panel.select_row(0)
    assert panel.repeat_button.isEnabled()
    qtbot.mouseClick(panel.repeat_button, Qt.MouseButton.LeftButton)
    dialog = win.current_dialog
    assert isinstance(dialog, ActionDialog)
    outcome = dialog.fields["outcome"]
    repeat = dialog.fields["repeat_of"]
    assert isinstance(outcome, QComboBox) and isinstance(repeat, QLineEdit)
    assert outcome.currentData() == "5.2"
    assert repeat.text() == "2026-00001" and dialog.form.isRowVisible(repeat)
    with qtbot.waitSignal(ctx.signals.requests_changed):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    saved = cases.get(ctx.db, current)
    assert (saved.status, saved.outcome_code, saved.repeat_of_id) == (Status.REPLIED, "5.2", earlier)


def test_repeat_is_only_offered_for_the_same_applicant(qtbot: QtBot, ctx: DeskContext) -> None:
    factories.register(ctx.db, date(2026, 10, 12), description=EARLIER, applicant_name="李四", id_type="passport",
                       id_number="P1234567")
    current = factories.register(ctx.db, date(2026, 11, 2), description=AGAIN)
    panel = similar_loaded(qtbot, case_window(qtbot, ctx, current))
    panel.select_row(0)
    assert not panel.repeat_button.isEnabled()
    assert "不是同一申请人" in panel.repeat_button.toolTip()
    assert panel.link_button.isEnabled()


def test_link_as_same_subject_and_propose_publication(qtbot: QtBot, ctx: DeskContext) -> None:
    earlier = factories.register(ctx.db, date(2026, 10, 12), description=EARLIER, applicant_name="李四",
                                 id_type="passport", id_number="P1234567")
    current = factories.register(ctx.db, date(2026, 11, 2), description=AGAIN)
    win = case_window(qtbot, ctx, current)
    panel = similar_loaded(qtbot, win)
    panel.select_row(0)
    with qtbot.waitSignal(ctx.signals.requests_changed):
        qtbot.mouseClick(panel.link_button, Qt.MouseButton.LeftButton)
    similar_loaded(qtbot, win)
    with ctx.db.read() as s:
        (link,) = s.exec(select(RequestLink)).all()
    assert (link.request_id, link.other_id) == (current, earlier)
    assert panel.table.item(0, 0).text() == "已关联"
    assert not panel.publish_button.isEnabled()  # not answered yet
    cases.reply(ctx.db, current, "clerk", outcome_code="2", on_date=date(2026, 11, 20), today=ctx.today())
    win.refresh()
    assert panel.publish_button.isEnabled()
    flag = panel.propose_publication("居民普遍关心")
    assert isinstance(flag, FlagRow) and "已列入主动公开清单" in panel.hint.text()  # a plain record, not a live row


def test_registration_dialog_shows_similar_requests_while_typing_and_acts_after_save(
        qtbot: QtBot, ctx: DeskContext) -> None:
    earlier = factories.register(ctx.db, date(2026, 10, 12), description="2025年本市老旧小区改造项目资金使用情况")
    dialog = RegistrationDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    fill_person(qtbot, dialog)  # 张三 again, asking "2025年本市老旧小区改造项目的资金使用情况"
    panel = dialog.similar
    with qtbot.waitSignal(panel.loaded, timeout=3000):
        pass  # the debounced lookup runs after a pause in typing
    assert [r.request_id for r in panel.rows] == [earlier]
    assert panel.rows[0].same_applicant
    panel.select_row(0)
    assert not panel.repeat_button.isEnabled() and "登记后" in panel.repeat_button.toolTip()
    saved = dialog.save()
    assert saved is not None
    assert [r.request_id for r in panel.rows] == [earlier]
    panel.select_row(0)
    assert panel.repeat_button.isEnabled()
    qtbot.mouseClick(panel.repeat_button, Qt.MouseButton.LeftButton)
    reply = dialog.repeat_dialog
    assert isinstance(reply, ActionDialog) and reply.case.header.request_id == saved.id
    assert reply.fields["outcome"].currentData() == "5.2"  # type: ignore[attr-defined]
    assert reply.fields["repeat_of"].text() == "2026-00001"  # type: ignore[attr-defined]
    reply.reject()


def test_a_lookup_for_the_case_shown_before_is_dropped(qtbot: QtBot, ctx: DeskContext) -> None:
    factories.register(ctx.db, date(2026, 10, 12), description=EARLIER)
    current = factories.register(ctx.db, date(2026, 11, 2), description=AGAIN)
    unrelated = factories.register(ctx.db, date(2026, 11, 3), description="2026年本市公共自行车站点的布局规划")
    win = case_window(qtbot, ctx, current)
    first = win.similar.lookup
    win.show_request(unrelated)  # stepped on before the first lookup came back
    assert first is not None and first is not win.similar.lookup
    with qtbot.waitSignal(first.done, timeout=10_000):
        pass
    assert win.similar.rows == []  # the earlier request similar to the first case is not shown for this one
    panel = similar_loaded(qtbot, win)
    assert panel.rows == [] and win.tabs.tabText(win.tabs.indexOf(panel)) == "相似申请（0）"
