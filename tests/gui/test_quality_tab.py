"""报表 → 办理质量: a year's or a month's figures counted in the background, with the draft paragraph."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from request_desk.gui.context import DeskContext
from request_desk.gui.pages.reports import ReportsPage
from tests import factories

WAIT = 20_000


def test_the_tab_shows_the_figures_and_a_draft_to_copy(qtbot: QtBot, ctx: DeskContext) -> None:
    factories.replied(ctx.db, on=date(2026, 10, 14))  # 8 working days, on time
    factories.replied(ctx.db, "4.1", on=date(2026, 11, 27))  # late, no search record
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1024, 700)
    page.show()
    page.tabs.setCurrentWidget(page.quality)
    tab = page.quality
    assert tab.period().label == "2026年度"  # the whole of the desk's current year
    with qtbot.waitSignal(tab.computed, timeout=WAIT):
        tab.compute()
    shown = {tab.table.item(r, 0).text(): tab.table.item(r, 1).text() for r in range(tab.table.rowCount())}
    assert shown["答复件数"] == "2 件"
    assert shown["按期答复"] == "1 件（50.0%）"
    assert shown["其中留存检索记录"] == "0 件（0.0%）"
    draft = tab.draft.toPlainText()
    assert draft.startswith("2026年度，本机关共答复政府信息公开申请2件")

    tab.month.setCurrentIndex(tab.month.findData(10))
    with qtbot.waitSignal(tab.computed, timeout=WAIT):
        tab.compute()
    assert tab.draft.toPlainText().startswith("2026年10月，本机关共答复政府信息公开申请1件")
    tab.draft.setPlainText(tab.draft.toPlainText() + "（已核对）")  # the clerk's edit is what is copied
    copy = next(b for b in tab.findChildren(QPushButton) if b.text() == "复制文字")
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text().endswith("（已核对）")
