"""The main window: every page is reachable, state is remembered."""

from __future__ import annotations

import sys
from datetime import date

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from request_desk.gui.case_area import CaseArea
from request_desk.gui.case_view import CaseWindow
from request_desk.gui.context import DeskContext
from request_desk.gui.main_window import MainWindow
from request_desk.gui.pages import registry
from tests import factories


def test_navigation_reaches_every_page(qtbot: QtBot, ctx: DeskContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == ["工作台", "申请登记簿", "发文登记", "承办单位", "电话回访", "主动公开", "报表", "设置"]
    for key, _title, _factory in registry.PAGES:
        page = window.show_page(key)
        assert window.stack.currentWidget() is page


def test_window_state_and_page_are_remembered(qtbot: QtBot, ctx: DeskContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(701, 503)  # smaller than the offscreen screen
    window.show_page("settings")
    window.close()
    assert QSettings().value("main_window/page") is not None
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    assert again.stack.currentWidget() is again.pages["settings"]
    assert (again.width(), again.height()) == (701, 503)


def test_void_qt_calls_do_not_leak_none_references(qtbot: QtBot) -> None:
    """PySide6 6.12.0 on CPython 3.11 drops a None reference per void call and aborts.

    See docs/ARCHITECTURE.md, "Platform notes".
    """
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(20_000):
        label.setObjectName("probe")
    assert abs(sys.getrefcount(None) - before) < 100


def test_keyboard_search_and_next_case(qtbot: QtBot, ctx: DeskContext) -> None:
    ids = [factories.register(ctx.db, date(2026, 11, d)) for d in (2, 3, 4)]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    requests_page = window.pages["requests"]
    assert window.stack.currentWidget() is requests_page
    qtbot.waitUntil(lambda: requests_page.filters.search.hasFocus())  # type: ignore[attr-defined]

    # Newest first by default: the list reads ids[2], ids[1], ids[0].
    requests_page.view.selectRow(0)  # type: ignore[attr-defined]
    window.open_request(ids[2])
    first = CaseWindow.window_of(ctx, ids[2])
    assert first is not None
    qtbot.waitUntil(first.isActiveWindow)
    qtbot.keyClick(first, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    # The same tab moves on to the next case of the list (tests/gui/test_case_area.py has the rest).
    following = CaseWindow.window_of(ctx, ids[1])
    assert following is not None and CaseWindow.window_of(ctx, ids[2]) is None
    area = CaseArea.existing(ctx)
    assert area is not None and area.panels() == [following]
    area.close()


def test_the_status_line_keeps_who_and_where_through_passing_messages(qtbot: QtBot, ctx: DeskContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    ctx.signals.status_message.emit("已完成启动备份")
    assert window.statusBar().currentMessage() == "已完成启动备份"
    assert window.who.isVisible() and window.who.text().startswith("当前用户：李经办")  # the name, not "clerk"
    assert str(ctx.db.engine.url.database) in window.who.text()
