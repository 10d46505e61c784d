"""The case view's 申请人历史: the applicant's requests, the months, the 5.2 candidates, opening a case."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from request_desk.core import cases
from request_desk.gui.context import DeskContext
from request_desk.gui.widgets.applicant_history import CANDIDATE_COLOUR
from tests import factories
from tests.support.gui import case_window

SAME = "2025年本市老旧小区改造项目的资金使用情况"


def test_tab_lists_the_applicants_requests_by_month_and_marks_repeat_candidates(qtbot: QtBot,
                                                                                 ctx: DeskContext) -> None:
    first = factories.register(ctx.db, date(2026, 9, 28), description=SAME)
    cases.reply(ctx.db, first, "clerk", outcome_code="1", on_date=date(2026, 10, 9), today=ctx.today())
    factories.register(ctx.db, date(2026, 10, 9), description="2024年度区政府信息公开工作年度报告")
    factories.register(ctx.db, date(2026, 10, 9), applicant_name="李四", id_number="", description=SAME)
    current = factories.register(ctx.db, date(2026, 10, 20), description="本市2025年老旧小区改造项目资金的使用情况")
    win = case_window(qtbot, ctx, current)
    panel = win.applicant_history
    assert panel.history is None  # read when its tab is first shown
    win.tabs.setCurrentWidget(panel)
    win.resize(1024, 700)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: panel.history is not None)
    assert win.tabs.tabText(win.tabs.indexOf(panel)) == "申请人历史"
    assert "证件号码" in panel.title.text() and "19491231" not in panel.title.text()
    table = panel.table
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == ["2026-00004", "2026-00002", "2026-00001"]
    assert table.item(0, 3).text() == "本申请" and table.item(0, 2).text() == "已登记"
    assert table.item(2, 3).text() == "可能重复" and table.item(2, 2).text() == "1 予以公开"
    assert table.item(2, 0).background().color().name() == CANDIDATE_COLOUR
    assert table.item(1, 3).text() == ""
    months = panel.months
    assert [(months.horizontalHeaderItem(c).text(), months.item(0, c).text())
            for c in range(months.columnCount())] == [("2026-10", "2"), ("2026-09", "1")]
    assert "共3件" in panel.hint.text() and "重复申请" in panel.hint.text()

    opened: list[int] = []
    ctx.signals.open_request.connect(opened.append)
    centre = table.visualItemRect(table.item(2, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert opened == [first]
