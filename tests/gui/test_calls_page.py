"""电话回访 page: the list of calls due, logging attempts, the satisfaction rate."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from request_desk.core.cases import calls
from request_desk.core.vocab import Satisfaction
from request_desk.gui.context import DeskContext
from request_desk.gui.pages import calls as calls_page
from request_desk.gui.pages.calls import CallsPage
from tests import factories
from tests.factories import TODAY

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
    assert page.due_hint.text().startswith("共 2 件待回访，列出最近答复的1件")
    assert calls.count_calls_due(ctx.db, TODAY) == 2
    calls.log_call(ctx.db, older, "clerk", datetime(2026, 11, 26, 10, 0), "李经办", False, today=TODAY)
    page.refresh()
    assert page.due_hint.text().startswith("共 2 件待回访")  # an unreached call stays due
