"""Issue 15.8: one case area — a tab per opened case, Ctrl+PgDown/PgUp move the tab down the list."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from request_desk.core import cases
from request_desk.core.cases.workflow import Action
from request_desk.core.letters import compose
from request_desk.core.letters import register as letter_register
from request_desk.core.office import settings as office_settings
from request_desk.gui.case_area import CaseArea
from request_desk.gui.case_view import CaseWindow
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.letter import LetterDialog
from request_desk.gui.main_window import MainWindow
from request_desk.gui.pages.requests import RequestsPage
from tests import factories
from tests.support.gui import type_text

CTRL = Qt.KeyboardModifier.ControlModifier


def desk(qtbot: QtBot, ctx: DeskContext) -> tuple[MainWindow, RequestsPage]:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("requests")
    assert isinstance(page, RequestsPage)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window, page


def open_row(qtbot: QtBot, page: RequestsPage, row: int) -> CaseArea:
    """Enter on a row of the register list, as a clerk opens a case."""
    page.view.setFocus()
    page.view.selectRow(row)
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    area = CaseArea.existing(page.ctx)
    assert area is not None
    qtbot.waitUntil(area.isActiveWindow)
    return area


def shown(area: CaseArea) -> list[int]:
    return [p.request_id for p in area.panels()]


def case_windows() -> list[CaseArea]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, CaseArea) and w.isVisible()]


def reg_number(ctx: DeskContext, rid: int) -> str:
    return cases.get(ctx.db, rid).reg_number


def test_cases_opened_from_the_list_are_tabs_of_one_window(qtbot: QtBot, ctx: DeskContext) -> None:
    first = factories.register(ctx.db, date(2026, 11, 2), applicant_name="张三")
    second = factories.register(ctx.db, date(2026, 11, 3), applicant_name="李四")
    _window, page = desk(qtbot, ctx)
    area = open_row(qtbot, page, 1)  # newest first: row 1 is the first registered
    assert shown(area) == [first]
    assert area.tabs.tabText(0) == f"{reg_number(ctx, first)} 张三"
    assert area.windowTitle() == f"{reg_number(ctx, first)} 张三 — 案件详情"

    assert open_row(qtbot, page, 0) is area
    assert shown(area) == [first, second] and area.current() is CaseWindow.window_of(ctx, second)
    assert area.windowTitle().startswith(f"{reg_number(ctx, second)} 李四")

    open_row(qtbot, page, 1)  # opened again: its tab is selected, not a second one
    assert shown(area) == [first, second] and area.current() is CaseWindow.window_of(ctx, first)
    assert case_windows() == [area]


def test_ctrl_page_down_moves_the_tab_down_the_list_in_its_order_and_filter(qtbot: QtBot, ctx: DeskContext) -> None:
    oldest = factories.register(ctx.db, date(2026, 11, 2), applicant_name="张三")
    factories.register(ctx.db, date(2026, 11, 3), applicant_name="李四")  # filtered out below
    middle = factories.register(ctx.db, date(2026, 11, 4), applicant_name="张三")
    newest = factories.register(ctx.db, date(2026, 11, 5), applicant_name="张三")
    _window, page = desk(qtbot, ctx)
    type_text(qtbot, page.filters.search, "张三")
    qtbot.keyClick(page.filters.search, Qt.Key.Key_Return)  # the results, newest first
    assert page.model.rowCount() == 3
    area = open_row(qtbot, page, 0)
    assert shown(area) == [newest]

    qtbot.keyClick(area, Qt.Key.Key_PageDown, CTRL)
    assert shown(area) == [middle], "the same tab, the next case of the filtered list (李四 skipped)"
    assert area.windowTitle().startswith(reg_number(ctx, middle))
    assert CaseWindow.window_of(ctx, newest) is None
    assert page.selected_request_id() == middle  # the list follows
    qtbot.keyClick(area, Qt.Key.Key_PageDown, CTRL)
    assert shown(area) == [oldest]

    qtbot.keyClick(area, Qt.Key.Key_PageDown, CTRL)
    assert shown(area) == [oldest]
    current = area.current()
    assert current is not None and current.status_line.currentMessage() == "已是列表中的最后一件"

    qtbot.keyClick(area, Qt.Key.Key_PageUp, CTRL)
    assert shown(area) == [middle]
    assert case_windows() == [area]


def test_stepping_onto_a_case_already_open_selects_it_and_leaves_no_duplicate(qtbot: QtBot,
                                                                             ctx: DeskContext) -> None:
    older = factories.register(ctx.db, date(2026, 11, 2))
    newer = factories.register(ctx.db, date(2026, 11, 3))
    _window, page = desk(qtbot, ctx)
    open_row(qtbot, page, 1)
    area = open_row(qtbot, page, 0)
    area.tabs.setCurrentIndex(shown(area).index(newer))
    page.view.selectRow(0)
    qtbot.keyClick(area, Qt.Key.Key_PageDown, CTRL)
    assert shown(area) == [older] and area.current() is CaseWindow.window_of(ctx, older)


def test_a_case_with_a_letter_being_written_keeps_it_and_the_next_case_opens_beside(
        qtbot: QtBot, ctx: DeskContext) -> None:
    older = factories.register(ctx.db, date(2026, 11, 2))
    newer = factories.register(ctx.db, date(2026, 11, 3))
    _window, page = desk(qtbot, ctx)
    area = open_row(qtbot, page, 0)
    panel = area.current()
    assert panel is not None and panel.request_id == newer
    qtbot.keyClick(area, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)  # 制作文书
    letter = panel.current_dialog
    assert isinstance(letter, LetterDialog) and letter.isVisible()
    letter.set_kind("acknowledgement")
    type_text(qtbot, letter.body_edit, "补充一句说明。")
    typed = letter.body_edit.toPlainText()
    assert letter.is_edited() and typed.startswith("补充一句说明。")

    area.activateWindow()
    qtbot.waitUntil(area.isActiveWindow)
    qtbot.keyClick(area, Qt.Key.Key_PageDown, CTRL)
    assert shown(area) == [newer, older] and area.current() is CaseWindow.window_of(ctx, older)
    assert CaseWindow.window_of(ctx, newer) is panel
    assert letter.isVisible() and letter.body_edit.toPlainText() == typed


def test_ctrl_w_closes_a_tab_asking_first_if_a_letter_was_edited(qtbot: QtBot, ctx: DeskContext,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    factories.register(ctx.db, date(2026, 11, 2))
    factories.register(ctx.db, date(2026, 11, 3))
    _window, page = desk(qtbot, ctx)
    open_row(qtbot, page, 1)
    area = open_row(qtbot, page, 0)
    panel = area.current()
    assert panel is not None
    letter = panel.compose_letter()
    assert isinstance(letter, LetterDialog)
    letter.set_kind("acknowledgement")
    type_text(qtbot, letter.body_edit, "补充一句说明。")
    assert letter.is_edited()
    asked: list[str] = []

    def keep_typing(self: LetterDialog) -> bool:
        asked.append("close")
        return False

    monkeypatch.setattr(LetterDialog, "confirm_discard", keep_typing)
    area.activateWindow()
    qtbot.waitUntil(area.isActiveWindow)
    qtbot.keyClick(area, Qt.Key.Key_W, CTRL)
    assert asked == ["close"] and area.current() is panel and letter.isVisible(), "kept, as the clerk chose"

    monkeypatch.setattr(LetterDialog, "confirm_discard", lambda self: True)
    qtbot.keyClick(area, Qt.Key.Key_W, CTRL)
    assert len(area.panels()) == 1
    qtbot.keyClick(area, Qt.Key.Key_W, CTRL)
    qtbot.waitUntil(lambda: not case_windows())  # the last tab takes the window with it
    assert CaseArea.existing(ctx) is None


def test_open_request_without_a_main_window_uses_the_one_area(qtbot: QtBot, ctx: DeskContext) -> None:
    first, second = factories.register(ctx.db, date(2026, 11, 2)), factories.register(ctx.db, date(2026, 11, 3))
    one = CaseWindow.open_request(ctx, first)
    other = CaseWindow.open_request(ctx, second)
    assert one is not None and other is not None
    area = CaseArea.existing(ctx)
    assert area is not None
    qtbot.addWidget(area)
    assert area.panels() == [one, other] and one.window() is other.window() is area


def test_the_reply_flows_letter_is_kept_when_stepping_on(qtbot: QtBot, ctx: DeskContext) -> None:
    older = factories.register(ctx.db, date(2026, 11, 2))
    newer = factories.register(ctx.db, date(2026, 11, 3))
    _window, page = desk(qtbot, ctx)
    area = open_row(qtbot, page, 0)
    panel = area.current()
    assert panel is not None and panel.request_id == newer
    reply = panel.perform(Action.REPLY)
    reply.select_outcome("1")
    reply.accept()
    assert panel.reply_flow is not None and panel.reply_flow.letter_dialog is not None
    letter = panel.reply_flow.letter_dialog  # not the panel's current_dialog: opened by the flow
    type_text(qtbot, letter.body_edit, "补充一句说明。")
    typed = letter.body_edit.toPlainText()
    area.activateWindow()
    qtbot.waitUntil(area.isActiveWindow)
    qtbot.keyClick(area, Qt.Key.Key_PageDown, CTRL)
    assert shown(area) == [newer, older] and CaseWindow.window_of(ctx, newer) is panel
    assert letter.isVisible() and letter.body_edit.toPlainText() == typed


def test_the_case_widgets_are_built_once_and_show_each_case_afresh(qtbot: QtBot, ctx: DeskContext) -> None:
    first = factories.register(ctx.db, date(2026, 11, 2), applicant_name="张三")
    second = factories.replied(ctx.db, on=date(2026, 11, 20), received=date(2026, 11, 3), applicant_name="李四")
    third = factories.register(ctx.db, date(2026, 11, 4), applicant_name="王五")
    panel = CaseWindow.open_request(ctx, first)
    assert panel is not None
    area = CaseArea.existing(ctx)
    assert area is not None
    panel.tabs.setCurrentIndex(2)
    stepped = area.step_to(first, second)  # Ctrl+PgDown: the same panel, now the next case
    assert stepped is panel and panel.request_id == second and panel.tabs.currentIndex() == 0
    assert panel.applicant.text().startswith("李四") and "答复" in panel.days_left.text()
    assert CaseWindow.window_of(ctx, first) is None and CaseWindow.window_of(ctx, second) is panel
    other = CaseWindow.open_request(ctx, first)
    assert other is not None and other is not panel
    assert area.close_tab(area.tabs.indexOf(panel))  # another case stays open: the panel is kept, hidden
    reopened = CaseWindow.open_request(ctx, third)
    assert reopened is panel and panel.applicant.text().startswith("王五")
    assert panel.days_left.text() != "" and "答复" not in panel.days_left.text()
    assert CaseWindow.window_of(ctx, second) is None and panel.window() is area
    cases.correct(ctx.db, third, {"applicant_name": "王小五"}, "登记时录入错误", "clerk", today=factories.TODAY)
    ctx.signals.requests_changed.emit([third])  # it listens again, for its new case only
    assert panel.applicant.text().startswith("王小五")
    assert area.tabs.tabText(area.tabs.indexOf(panel)) == panel.tab_title()
    qtbot.addWidget(area)


def test_the_letters_searches_attachments_and_audit_tabs_are_read_when_the_clerk_opens_them(
        qtbot: QtBot, ctx: DeskContext) -> None:
    # Issue 18: a case opens with what it shows first; these tabs are read when shown, for the case shown then.
    with ctx.db.write() as s:
        office_settings.update(s, contact_person="李四", contact_phone="0527-84000000")
    first = factories.register(ctx.db, date(2026, 11, 2), applicant_name="张三")
    second = factories.register(ctx.db, date(2026, 11, 3), applicant_name="李四")
    letter = letter_register.issue(ctx.db, compose.compose(ctx.db, first, "acknowledgement", on_date=ctx.today()),
                                   "clerk")
    panel = CaseWindow.open_request(ctx, first)
    assert panel is not None
    area = CaseArea.existing(ctx)
    assert area is not None
    qtbot.addWidget(area)
    lazy = (panel.letters_tab, panel.search_records, panel.attachments, panel.audit)
    assert all(panel.lazy.is_stale(page) for page in lazy) and panel.letters.rowCount() == 0
    panel.tabs.setCurrentWidget(panel.letters_tab)
    assert panel.letters.item(0, 0).text() == letter.doc_number and "登记回执" in panel.letters.item(0, 2).text()
    panel.tabs.setCurrentWidget(panel.audit)
    assert [panel.audit.item(r, 3).text() for r in range(panel.audit.rowCount())] == [f"申请 #{first}"]
    assert area.step_to(first, second) is panel  # the same widgets, the next case: its tabs read again
    assert panel.tabs.currentIndex() == 0 and all(panel.lazy.is_stale(page) for page in lazy)
    panel.tabs.setCurrentWidget(panel.letters_tab)
    assert panel.letters.rowCount() == 0
    panel.tabs.setCurrentWidget(panel.audit)
    assert [panel.audit.item(r, 3).text() for r in range(panel.audit.rowCount())] == [f"申请 #{second}"]
    panel.tabs.setCurrentWidget(panel.letters_tab)  # a letter issued while its tab is shown: listed at once
    issued = letter_register.issue(ctx.db, compose.compose(ctx.db, second, "acknowledgement", on_date=ctx.today()),
                                   "clerk")
    ctx.signals.requests_changed.emit([second])
    assert panel.letters.rowCount() == 1 and panel.letters.item(0, 0).text() == issued.doc_number
