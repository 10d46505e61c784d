"""申请登记簿: a clerk types the phone or ID number an applicant reads out (issue 15, point 7)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from request_desk.core import cases
from request_desk.core.storage.db import Database
from request_desk.gui.context import DeskContext
from request_desk.gui.models.request_table import COLUMN_INDEX
from request_desk.gui.pages.requests import RequestsPage
from request_desk.gui.widgets.filters import PUNCTUATION_ONLY
from tests.factories import TODAY, new_request
from tests.support.gui import type_text

APPLICANTS = [
    ("张三", "13800138000", "11010519491231002X"),
    ("李四", "025-84361234", "321302198001010018"),
    ("王五", "13912345678", ""),
]


@pytest.fixture
def page(qtbot: QtBot, ctx: DeskContext, db: Database) -> RequestsPage:
    for i, (name, phone, id_number) in enumerate(APPLICANTS):
        cases.register(db, new_request(date(2026, 11, 2 + i), applicant_name=name, phone=phone,
                                       id_number=id_number, description="规划许可材料"), "clerk", today=TODAY)
    widget = RequestsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def type_search(qtbot: QtBot, page: RequestsPage, typed: str) -> None:
    search = page.filters.search
    search.setFocus()
    type_text(qtbot, search, typed)  # as a clerk types: Chinese committed by the IME
    qtbot.keyClick(search, Qt.Key.Key_Return)  # Enter: filter now, no waiting for the pause


def shown(page: RequestsPage, key: str) -> list[str]:
    return [str(page.model.data(page.model.index(r, COLUMN_INDEX[key]))) for r in range(page.model.rowCount())]


def test_typing_a_grouped_phone_number_finds_the_request_shown_masked(qtbot: QtBot, page: RequestsPage) -> None:
    type_search(qtbot, page, "138-0013-8000")
    assert shown(page, "applicant") == ["张三"]
    assert shown(page, "contact") == ["138****8000"]
    assert page.count_label.text() == "共 1 件（已筛选）"
    assert page.view.hasFocus()  # Enter went on to the result


def test_the_last_digits_of_an_id_number_show_the_id_masked(qtbot: QtBot, page: RequestsPage) -> None:
    type_search(qtbot, page, "010018")
    assert shown(page, "applicant") == ["李四"]
    assert shown(page, "contact") == ["证件 321302********0018"]
    tip = str(page.model.data(page.model.index(0, COLUMN_INDEX["contact"]), Qt.ItemDataRole.ToolTipRole))
    assert tip == "联系电话：025-****1234\n证件号码：321302********0018"


def test_the_last_four_digits_of_a_phone(qtbot: QtBot, page: RequestsPage) -> None:
    type_search(qtbot, page, "5678")
    assert shown(page, "applicant") == ["王五"]
    assert shown(page, "contact") == ["139****5678"]


@pytest.mark.parametrize("typed", ["-", "（）", "…"])
def test_punctuation_alone_filters_nothing_and_says_so(qtbot: QtBot, page: RequestsPage, typed: str) -> None:
    type_search(qtbot, page, typed)
    assert page.model.rowCount() == 3
    assert page.count_label.text() == "共 3 件"  # not "已筛选": nothing was filtered
    assert not page.filters.search_hint.isHidden()
    assert page.filters.search_hint.text() == PUNCTUATION_ONLY
    # Letters typed over it: a real search, the hint goes.
    page.filters.search.setFocus()
    qtbot.keyClick(page.filters.search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, page.filters.search, "张三")
    qtbot.keyClick(page.filters.search, Qt.Key.Key_Return)
    assert page.filters.search_hint.isHidden()
    assert shown(page, "applicant") == ["张三"]
