"""申请登记簿: the lazy model, filters, search, sorting, opening cases, remembered columns."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from request_desk.core.cases.register_list import RequestFilter, SortKey
from request_desk.core.storage.db import Database
from request_desk.gui.context import DeskContext
from request_desk.gui.models.request_table import COLOURS, COLUMN_INDEX, RequestTableModel
from request_desk.gui.pages.requests import RequestsPage
from tests import factories
from tests.factories import TODAY, Seed, seed_cases


@pytest.fixture
def seed(db: Database) -> Seed:
    return seed_cases(db, TODAY)


@pytest.fixture
def page(qtbot: QtBot, ctx: DeskContext, seed: Seed) -> RequestsPage:
    widget = RequestsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def cell(page: RequestsPage, row: int, key: str, role: int = Qt.ItemDataRole.DisplayRole) -> object:
    return page.model.data(page.model.index(row, COLUMN_INDEX[key]), role)


def shown_names(page: RequestsPage) -> set[str]:
    return {str(cell(page, r, "applicant")) for r in range(page.model.rowCount())}


def row_of(page: RequestsPage, request_id: int) -> int:
    return next(r for r in range(page.model.rowCount()) if page.model.request_id(r) == request_id)


def test_page_shows_every_request_newest_first(page: RequestsPage, seed: Seed) -> None:
    assert page.model.rowCount() == 11
    assert page.count_label.text() == "共 11 件"
    assert cell(page, 0, "applicant") == "吴九"  # received 20 Nov, registered after 王五
    assert cell(page, 10, "reg_number") == "2025-00001"
    assert page.model.headerData(COLUMN_INDEX["due"], Qt.Orientation.Horizontal) == "答复期限"


def test_cells_speak_chinese_and_colour_the_deadline(page: RequestsPage, seed: Seed) -> None:
    overdue = row_of(page, seed.ids["overdue"])
    assert cell(page, overdue, "due") == "2026-10-30  超期20个工作日"
    assert cell(page, overdue, "status") == "办理中"
    assert cell(page, overdue, "unit") == "市财政局"
    assert cell(page, overdue, "channel") == "当面提交"
    background = cell(page, overdue, "due", Qt.ItemDataRole.BackgroundRole)
    assert background.color() == COLOURS["red"][0]  # type: ignore[attr-defined]
    today = row_of(page, seed.ids["due_today"])
    assert cell(page, today, "due") == "2026-11-27  今日到期"
    assert cell(page, today, "unit") == "未分办"
    assert cell(page, today, "due", Qt.ItemDataRole.BackgroundRole).color() == COLOURS["amber"][0]  # type: ignore[union-attr]
    green = row_of(page, seed.ids["green"])
    assert cell(page, green, "due") == "2026-12-07  剩6个工作日"
    assert cell(page, green, "due", Qt.ItemDataRole.ForegroundRole).color() == COLOURS["green"][1]  # type: ignore[union-attr]
    late = row_of(page, seed.ids["late"])
    assert cell(page, late, "outcome") == "无法提供（4.1）"
    assert cell(page, late, "outcome", Qt.ItemDataRole.ToolTipRole) == "4.1 本机关不掌握相关政府信息"
    assert cell(page, late, "status") == "已送达"
    assert cell(page, late, "due", Qt.ItemDataRole.BackgroundRole) is None
    assert "逾期答复" in str(cell(page, late, "due"))
    paused = row_of(page, seed.ids["paused"])
    assert str(cell(page, paused, "due")).endswith("暂停计时")
    assert cell(page, row_of(page, seed.ids["supplement"]), "due") == "待补正，补正期限 2026-12-14"


def test_provisional_deadline_is_marked_and_explained(page: RequestsPage, seed: Seed) -> None:
    row = row_of(page, seed.ids["extended"])
    assert "（暂定）" in str(cell(page, row, "due"))
    assert "暂定" in str(cell(page, row, "due", Qt.ItemDataRole.ToolTipRole))
    assert "（暂定）" not in str(cell(page, row_of(page, seed.ids["green"]), "due"))


def type_text(widget: QWidget, text: str) -> None:
    """Key presses carrying Chinese text (QTest.keyClicks handles ASCII only)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


def test_typing_in_search_filters_after_a_pause(qtbot: QtBot, page: RequestsPage) -> None:
    type_text(page.filters.search, "补偿")
    assert page.filters.search.text() == "补偿"
    assert page.filters.search_pending  # waits for the clerk to stop typing
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    assert shown_names(page) == {"李四", "王五"}
    assert page.count_label.text() == "共 2 件（已筛选）"
    page.filters.search.setText("老旧小区改造")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert shown_names(page) == {"张三"}
    page.filters.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 11)


def test_enter_in_the_search_box_filters_at_once_and_goes_to_the_results(qtbot: QtBot, page: RequestsPage) -> None:
    type_text(page.filters.search, "补偿")
    assert page.filters.search_pending
    qtbot.keyClick(page.filters.search, Qt.Key.Key_Return)
    assert not page.filters.search_pending and page.model.rowCount() == 2  # no wait for the pause
    assert page.view.currentIndex().row() == 0 and page.focusWidget() is page.view
    page.filters.search.setText("没有这样的申请内容")
    qtbot.keyClick(page.filters.search, Qt.Key.Key_Down)
    assert page.model.rowCount() == 0 and page.count_label.text() == "没有符合条件的申请"


def test_quick_filters(qtbot: QtBot, page: RequestsPage) -> None:
    qtbot.mouseClick(page.filters.overdue, Qt.MouseButton.LeftButton)
    assert shown_names(page) == {"张三"}
    qtbot.mouseClick(page.filters.due_soon, Qt.MouseButton.LeftButton)
    assert not page.filters.overdue.isChecked()
    assert shown_names(page) == {"李四", "李四光", "钱多多"}
    qtbot.mouseClick(page.filters.due_soon, Qt.MouseButton.LeftButton)
    page.filters.provisional.setChecked(True)
    assert shown_names(page) == {"吴九"}
    qtbot.mouseClick(page.filters.clear_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 11 and page.count_label.text() == "共 11 件"


def test_pickers_and_date_range(page: RequestsPage, seed: Seed) -> None:
    bar = page.filters
    bar.status.setCurrentIndex(bar.status.findText("暂停计时"))
    assert shown_names(page) == {"赵六"}
    bar.status.setCurrentIndex(bar.status.findText("未办结"))
    assert page.model.rowCount() == 8
    bar.status.setCurrentIndex(0)
    bar.unit.setCurrentIndex(bar.unit.findData(seed.housing))
    assert shown_names(page) == {"钱多多", "周八"}
    bar.unit.setCurrentIndex(0)
    bar.outcome.setCurrentIndex(bar.outcome.findData("4"))
    assert shown_names(page) == {"周八"}
    bar.outcome.setCurrentIndex(0)
    bar.date_from.setDate(QDate(2026, 11, 6))
    bar.date_to.setDate(QDate(2026, 11, 10))
    assert page.model.rowCount() == 11  # the range applies only once ticked
    bar.use_dates.setChecked(True)
    assert shown_names(page) == {"钱多多", "欧阳娜娜", "赵六"}


def test_double_click_and_enter_open_the_case(qtbot: QtBot, page: RequestsPage, seed: Seed) -> None:
    opened: list[int] = []
    page.ctx.signals.open_request.connect(opened.append)
    row = row_of(page, seed.ids["paused"])
    index = page.model.index(row, COLUMN_INDEX["applicant"])
    page.view.scrollTo(index)
    centre = page.view.visualRect(index).center()
    # A real double-click: the first click's press/release, then the double-click event.
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert opened == []  # a single click only selects
    qtbot.mouseDClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert opened == [seed.ids["paused"]]
    assert page.selected_request_id() == seed.ids["paused"]
    page.view.setCurrentIndex(page.model.index(0, 0))
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert opened == [seed.ids["paused"], seed.ids["extended"]]


def test_header_click_sorts_in_sql_only_on_indexed_columns(qtbot: QtBot, page: RequestsPage) -> None:
    header = page.view.horizontalHeader()

    def click(key: str) -> None:
        x = header.sectionViewportPosition(COLUMN_INDEX[key]) + 10
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))

    click("applicant")
    assert page.model.sort_key == SortKey.APPLICANT
    names = [cell(page, r, "applicant") for r in range(page.model.rowCount())]
    assert names in (sorted(names), sorted(names, reverse=True))
    said: list[str] = []
    page.ctx.signals.status_message.connect(said.append)
    click("description")  # not indexed: nothing changes, the indicator stays, the status line says why
    assert page.model.sort_key == SortKey.APPLICANT
    assert header.sortIndicatorSection() == COLUMN_INDEX["applicant"]
    assert said == ["此列不支持排序：按内容查找请用上方的搜索框"]


def _arrow_points_down(page: RequestsPage) -> bool:
    """Read the sort arrow off the screen: a ▼ is widest at its top row, a ▲ at its bottom."""
    header = page.view.horizontalHeader()
    section = header.sortIndicatorSection()
    x0, width = header.sectionViewportPosition(section), header.sectionSize(section)
    image = header.grab().toImage()

    def dark(x: int, y: int) -> bool:
        return image.pixelColor(x, y).lightness() < 120

    # The arrow is the rightmost mark in the section, right of the title.
    marked = [x for x in range(x0, x0 + width - 2) if any(dark(x, y) for y in range(image.height()))]
    assert marked, "nothing drawn in the sorted section"
    run = [marked[-1]]
    while run[-1] - 1 in marked:
        run.append(run[-1] - 1)
    widths = [sum(dark(x, y) for x in run) for y in range(image.height())]
    rows = [w for w in widths if w]
    assert len(rows) >= 3, widths  # an arrow was drawn
    return rows[0] > rows[-1]


def test_the_sort_arrow_points_down_on_the_newest_first_list(qtbot: QtBot, page: RequestsPage) -> None:
    header = page.view.horizontalHeader()
    assert (page.model.sort_key, page.model.descending) == (SortKey.RECEIVED, True)
    assert _arrow_points_down(page)
    x = header.sectionViewportPosition(COLUMN_INDEX["received"]) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert (page.model.sort_key, page.model.descending) == (SortKey.RECEIVED, False)  # oldest first
    assert not _arrow_points_down(page)


def test_outcome_and_reply_date_sort_and_channel_says_why_not(qtbot: QtBot, page: RequestsPage) -> None:
    header = page.view.horizontalHeader()
    said: list[str] = []
    page.ctx.signals.status_message.connect(said.append)

    def click(key: str) -> None:
        x = header.sectionViewportPosition(COLUMN_INDEX[key]) + 10
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))

    click("reply")
    assert page.model.sort_key == SortKey.REPLY and said == []
    replies = [cell(page, r, "reply") for r in range(page.model.rowCount())]
    dated = [d for d in replies if d]
    assert len(dated) >= 2 and dated in (sorted(dated), sorted(dated, reverse=True))
    click("outcome")
    assert page.model.sort_key == SortKey.OUTCOME and said == []
    assert header.sortIndicatorSection() == COLUMN_INDEX["outcome"]
    click("channel")
    assert page.model.sort_key == SortKey.OUTCOME  # unchanged
    assert header.sortIndicatorSection() == COLUMN_INDEX["outcome"]
    assert len(said) == 1 and said[0].startswith("此列不支持排序")


def test_column_widths_and_sort_are_remembered(qtbot: QtBot, ctx: DeskContext, page: RequestsPage) -> None:
    header = page.view.horizontalHeader()
    header.resizeSection(COLUMN_INDEX["unit"], 211)
    header.setSortIndicator(COLUMN_INDEX["due"], Qt.SortOrder.AscendingOrder)
    assert page.model.sort_key == SortKey.DUE
    again = RequestsPage(ctx)
    qtbot.addWidget(again)
    assert again.view.horizontalHeader().sectionSize(COLUMN_INDEX["unit"]) == 211
    assert (again.model.sort_key, again.model.descending) == (SortKey.DUE, False)


def test_refreshes_when_requests_change(ctx: DeskContext, page: RequestsPage) -> None:
    factories.register(ctx.db, date(2026, 11, 26), applicant_name="新来的")
    assert page.model.rowCount() == 11  # cached until told
    ctx.signals.requests_changed.emit()
    assert page.model.rowCount() == 12 and page.count_label.text() == "共 12 件"
    assert cell(page, 0, "applicant") == "新来的"


def test_model_fetches_only_the_pages_it_shows(ctx: DeskContext, seed: Seed) -> None:
    model = RequestTableModel(ctx.db, ctx.today)
    model.PAGE_SIZE, model.CACHE_PAGES = 3, 2
    model.sort(COLUMN_INDEX["received"], Qt.SortOrder.AscendingOrder)
    assert model.rowCount() == 11 and model.page_fetches == 0
    assert model.data(model.index(10, COLUMN_INDEX["reg_number"])) == "2026-00010"  # jump to the end
    assert model.page_fetches == 1
    model.data(model.index(9, 0))
    model.data(model.index(0, 0))
    assert model.page_fetches == 2
    model.data(model.index(4, 0))  # a third page evicts the least recently used (the last)
    model.data(model.index(1, 0))
    assert model.page_fetches == 3
    model.data(model.index(10, 0))
    assert model.page_fetches == 4
    model.set_filter(RequestFilter(text="补偿"))
    assert model.rowCount() == 2


def test_qtmodeltester(qtmodeltester, ctx: DeskContext, seed: Seed) -> None:  # type: ignore[no-untyped-def]
    model = RequestTableModel(ctx.db, ctx.today)
    model.PAGE_SIZE = 4
    qtmodeltester.check(model, force_py=True)
    model.sort(COLUMN_INDEX["status"], Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model, force_py=True)


def test_colours_are_distinct() -> None:
    assert len({QColor(c[0]).name() for c in COLOURS.values()}) == 3
