"""电话回访 page: the list of calls due, logging attempts, the satisfaction rate."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox
from pytestqt.qtbot import QtBot

from request_desk.core.cases import calls
from request_desk.core.vocab import Satisfaction
from request_desk.gui.context import DeskContext
from request_desk.gui.pages import calls as calls_page
from request_desk.gui.pages.calls import CallsPage
from tests import factories
from tests.factories import TODAY
from tests.support.gui import type_text

RECEIVED, REPLIED = date(2026, 10, 28), date(2026, 11, 2)


def due_names(page: CallsPage) -> list[str]:
    return [page.due.item(r, 1).text() for r in range(page.due.rowCount())]


def test_unreached_call_stays_due_and_reached_call_removes_it(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = factories.replied(ctx.db, received=RECEIVED, on=REPLIED, applicant_name="张三")
    # Replied yesterday: not yet due.
    factories.replied(ctx.db, received=RECEIVED, on=date(2026, 11, 26), applicant_name="李四")
    page = CallsPage(ctx)
    qtbot.addWidget(page)
    assert due_names(page) == ["张三"]
    assert not page.log_button.isEnabled()

    page.due.selectRow(0)
    dialog = page.log_selected()
    assert dialog is not None and dialog.request_id == rid
    dialog.set_called_at(datetime(2026, 11, 26, 15, 5))
    dialog.fields["reached"].setChecked(False)  # type: ignore[attr-defined]
    assert not dialog.fields["satisfaction"].isEnabled()
    with qtbot.waitSignal(ctx.signals.requests_changed):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert due_names(page) == ["张三"], "an unreached applicant is called again"
    assert page.due.item(0, 5).text() == "1" and page.due.item(0, 6).text() == "2026-11-26 15:05 未接通"
    assert page.recent.item(0, 4).text() == "否"

    page.due.selectRow(0)
    dialog = page.log_selected()
    assert dialog is not None
    dialog.set_called_at(datetime(2026, 11, 27, 9, 0))
    level = dialog.fields["satisfaction"]
    level.setCurrentIndex(level.findData(Satisfaction.SATISFIED.value))  # type: ignore[attr-defined]
    dialog.fields["applicant_said"].setPlainText("答复很清楚")  # type: ignore[attr-defined]
    with qtbot.waitSignal(ctx.signals.requests_changed):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert due_names(page) == []
    assert [page.recent.item(r, 4).text() for r in range(page.recent.rowCount())] == ["是", "否"]
    assert page.recent.item(0, 5).text() == "满意" and page.recent.item(0, 6).text() == "答复很清楚"
    assert "满意率 100.0%" in page.rate_label.text()


def test_reached_call_without_satisfaction_is_refused_in_the_dialog(qtbot: QtBot, ctx: DeskContext) -> None:
    factories.replied(ctx.db, received=RECEIVED, on=REPLIED, applicant_name="张三")
    page = CallsPage(ctx)
    qtbot.addWidget(page)
    page.due.selectRow(0)
    dialog = page.log_selected()
    assert dialog is not None
    dialog.set_called_at(datetime(2026, 11, 26, 10, 0))
    dialog.fields["applicant_said"].setPlainText("还没看")  # type: ignore[attr-defined]
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dialog.error_box is not None and dialog.error_box.text() == "已接通的回访须选择满意程度。"
    assert dialog.isVisible() and dialog.fields["applicant_said"].toPlainText() == "还没看"  # type: ignore[attr-defined]
    assert calls.recent_calls(ctx.db) == []
    dialog.error_box.accept()


def test_rate_follows_the_period(qtbot: QtBot, ctx: DeskContext) -> None:
    for name, level, day in [("甲", Satisfaction.SATISFIED, 10), ("乙", Satisfaction.DISSATISFIED, 11),
                             ("丙", Satisfaction.BASICALLY_SATISFIED, 20), ("丁", Satisfaction.DISSATISFIED, 21)]:
        rid = factories.replied(ctx.db, received=RECEIVED, on=REPLIED, applicant_name=name)
        calls.log_call(ctx.db, rid, "clerk", datetime(2026, 11, day, 10, tzinfo=calls.OFFICE_TZ), "李经办",
                           True, level, today=ctx.today())
    page = CallsPage(ctx)
    qtbot.addWidget(page)
    assert page.rate_label.text() == "满意率 50.0%（已接通 4 次：满意 1，基本满意 1，不满意 2）"
    page.period_start.setDate(QDate(2026, 11, 11))
    page.period_end.setDate(QDate(2026, 11, 20))
    assert page.rate_label.text().startswith("满意率 50.0%（已接通 2 次")
    page.period_end.setDate(QDate(2026, 11, 11))
    assert page.rate_label.text().startswith("满意率 0.0%（已接通 1 次")
    page.period_start.setDate(QDate(2026, 11, 1))
    page.period_end.setDate(QDate(2026, 11, 9))
    assert page.rate_label.text() == "本期间没有已接通的回访。"


def test_open_selected_asks_the_main_window_to_open_the_case(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = factories.replied(ctx.db, received=RECEIVED, on=REPLIED, applicant_name="张三")
    page = CallsPage(ctx)
    qtbot.addWidget(page)
    page.due.selectRow(0)
    with qtbot.waitSignal(ctx.signals.open_request) as blocker:
        qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [rid]


def test_the_page_counts_every_call_due_as_the_dashboard_does_newest_answers_first(
        qtbot: QtBot, ctx: DeskContext, monkeypatch: pytest.MonkeyPatch) -> None:
    older = factories.replied(ctx.db, received=date(2026, 10, 9), on=date(2026, 10, 12), applicant_name="王五")
    factories.replied(ctx.db, received=RECEIVED, on=REPLIED, applicant_name="张三")
    monkeypatch.setattr(calls_page, "DUE_LIMIT", 1)  # a short list: more are due than it shows
    page = CallsPage(ctx)
    qtbot.addWidget(page)
    assert due_names(page) == ["张三"]  # the most recent answer first
    assert page.due_hint.text().startswith("共 2 件待回访，显示第 1–1 件（最近答复的在前）")
    assert calls.count_calls_due(ctx.db, TODAY) == 2
    calls.log_call(ctx.db, older, "clerk", datetime(2026, 11, 26, 10, 0), "李经办", False, today=TODAY)
    page.refresh()
    assert page.due_hint.text().startswith("共 2 件待回访")  # an unreached call stays due


# -- search, filters and pages (issue 15, point 11) ---------------------------------


def recent_names(page: CallsPage) -> list[str]:
    return [page.recent.item(r, 2).text() for r in range(page.recent.rowCount())]


def search_for(qtbot: QtBot, page: CallsPage, typed: str) -> None:
    page.search.setFocus()
    qtbot.keyClick(page.search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(page.search, Qt.Key.Key_Delete)
    type_text(qtbot, page.search, typed)
    qtbot.keyClick(page.search, Qt.Key.Key_Return)  # Enter: at once


def choose(qtbot: QtBot, combo: object, label: str) -> None:
    """Pick an entry of a combo box with the keyboard, as a clerk would."""
    assert isinstance(combo, QComboBox)
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    while combo.currentText() != label:
        before = combo.currentIndex()
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        assert combo.currentIndex() != before, f"{label} is not offered"


@pytest.fixture
def three_due(ctx: DeskContext) -> dict[str, int]:
    people = {"张三": "13800138000", "李四": "025-84361234", "王五": "13912345678"}
    return {name: factories.replied(ctx.db, received=RECEIVED, on=REPLIED, applicant_name=name, phone=phone)
            for name, phone in people.items()}


def test_search_by_name_phone_and_registration_number(qtbot: QtBot, ctx: DeskContext,
                                                       three_due: dict[str, int]) -> None:
    page = CallsPage(ctx)
    qtbot.addWidget(page)
    assert sorted(due_names(page)) == ["张三", "李四", "王五"]
    search_for(qtbot, page, "李四")
    assert due_names(page) == ["李四"]
    assert page.due_hint.text().startswith("共 3 件待回访，符合条件 1 件。")  # the total stays the dashboard's
    search_for(qtbot, page, "138 0013 8000")  # read out on the phone, grouped
    assert due_names(page) == ["张三"]
    search_for(qtbot, page, "5678")  # the last digits
    assert due_names(page) == ["王五"]
    reg_number = page.due.item(0, 0).text()
    search_for(qtbot, page, reg_number)
    assert due_names(page) == ["王五"]
    search_for(qtbot, page, "赵六")
    assert due_names(page) == []
    assert "没有符合条件的待回访申请" in page.due_hint.text()
    search_for(qtbot, page, "（）")  # punctuation only: nothing filtered, and the page says why
    assert sorted(due_names(page)) == ["张三", "李四", "王五"]
    assert not page.search_hint.isHidden()
    assert page.due_hint.text().startswith("共 3 件待回访。")


def test_an_unreached_call_stays_listed_under_the_filter_it_was_found_by(
        qtbot: QtBot, ctx: DeskContext, three_due: dict[str, int]) -> None:
    page = CallsPage(ctx)
    qtbot.addWidget(page)
    search_for(qtbot, page, "张三")
    page.due.selectRow(0)
    dialog = page.log_selected()
    assert dialog is not None and dialog.request_id == three_due["张三"]
    dialog.set_called_at(datetime(2026, 11, 26, 15, 5))
    dialog.fields["reached"].setChecked(False)  # type: ignore[attr-defined]
    with qtbot.waitSignal(ctx.signals.requests_changed):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert due_names(page) == ["张三"], "the page says an unreached applicant stays listed"
    assert page.due.item(0, 6).text() == "2026-11-26 15:05 未接通"
    assert page.search.text() == "张三"  # the search survives the refresh
    search_for(qtbot, page, "")
    choose(qtbot, page.due_state, "拨打过但未接通")
    assert due_names(page) == ["张三"]
    choose(qtbot, page.due_state, "尚未拨打")
    assert sorted(due_names(page)) == ["李四", "王五"]
    assert page.due_hint.text().startswith("共 3 件待回访，符合条件 2 件。")


def test_the_records_filter_by_result_and_satisfaction(qtbot: QtBot, ctx: DeskContext,
                                                        three_due: dict[str, int]) -> None:
    when = datetime(2026, 11, 20, 10, tzinfo=calls.OFFICE_TZ)
    calls.log_call(ctx.db, three_due["张三"], "clerk", when, "李经办", False, today=TODAY)
    calls.log_call(ctx.db, three_due["李四"], "clerk", when.replace(hour=11), "李经办", True,
                   Satisfaction.DISSATISFIED, today=TODAY)
    calls.log_call(ctx.db, three_due["王五"], "clerk", when.replace(hour=12), "李经办", True,
                   Satisfaction.SATISFIED, today=TODAY)
    page = CallsPage(ctx)
    qtbot.addWidget(page)
    assert recent_names(page) == ["王五", "李四", "张三"]
    assert page.recent_hint.text() == "共 3 条"
    choose(qtbot, page.record_result, "已回访（已接通）")
    assert recent_names(page) == ["王五", "李四"]
    choose(qtbot, page.record_satisfaction, "不满意")
    assert recent_names(page) == ["李四"]
    choose(qtbot, page.record_result, "未接通")  # a satisfaction asks for reached calls
    assert recent_names(page) == ["李四"]
    choose(qtbot, page.record_satisfaction, "全部满意程度")
    assert recent_names(page) == ["张三"]
    search_for(qtbot, page, "王五")
    assert recent_names(page) == [] and page.recent_hint.text() == "没有符合条件的回访记录"
    assert due_names(page) == []  # 王五 was reached: no longer due


def test_a_long_list_is_paged_in_sql(qtbot: QtBot, ctx: DeskContext,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(5):
        factories.replied(ctx.db, received=RECEIVED, on=date(2026, 11, 2 + i), applicant_name=f"申请人{i}")
    monkeypatch.setattr(calls_page, "DUE_LIMIT", 2)
    page = CallsPage(ctx)
    qtbot.addWidget(page)
    assert due_names(page) == ["申请人4", "申请人3"]
    assert not page.due_pager.previous.isEnabled()
    qtbot.mouseClick(page.due_pager.next, Qt.MouseButton.LeftButton)
    assert due_names(page) == ["申请人2", "申请人1"]
    assert "显示第 3–4 件" in page.due_hint.text()
    qtbot.mouseClick(page.due_pager.next, Qt.MouseButton.LeftButton)
    assert due_names(page) == ["申请人0"]
    assert not page.due_pager.next.isEnabled()
    qtbot.mouseClick(page.due_pager.previous, Qt.MouseButton.LeftButton)
    assert due_names(page) == ["申请人2", "申请人1"]
    assert page.due_hint.text().startswith("共 5 件待回访，显示第 3–4 件")
