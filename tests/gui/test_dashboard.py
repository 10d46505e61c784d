"""工作台: counts and short lists match the data, lines open cases, charts show SQL aggregates."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem
from pytestqt.qtbot import QtBot

from request_desk.core import cases
from request_desk.core.cases import calls
from request_desk.core.cases.register_list import RequestFilter
from request_desk.core.storage.db import Database
from request_desk.core.vocab import ConsultationAnswer, PauseKind, Satisfaction, Status
from request_desk.gui.context import DeskContext
from request_desk.gui.pages.dashboard import DashboardPage
from request_desk.gui.pages.requests import RequestsPage
from tests import factories
from tests.factories import TODAY, Seed, seed_cases


@pytest.fixture
def seed(db: Database) -> Seed:
    return seed_cases(db, TODAY)


@pytest.fixture
def page(qtbot: QtBot, ctx: DeskContext, seed: Seed) -> DashboardPage:
    widget = DashboardPage(ctx)
    qtbot.addWidget(widget)
    return widget


def ids_in(page: DashboardPage, key: str) -> list[int]:
    lst = page.cards[key].list
    return [lst.item(i).data(Qt.ItemDataRole.UserRole) for i in range(lst.count())
            if lst.item(i).data(Qt.ItemDataRole.UserRole) is not None]


def test_counts_match_the_data(page: DashboardPage, seed: Seed) -> None:
    counts = {key: card.count.text() for key, card in page.cards.items()}
    assert counts == {"overdue": "1", "due_soon": "3", "awaiting_supplement": "1", "paused": "1",
                      "replied_not_delivered": "2", "provisional": "1"}
    assert ids_in(page, "overdue") == [seed.ids["overdue"]]
    assert ids_in(page, "due_soon") == [seed.ids["due_today"], seed.ids["due_1"], seed.ids["due_5"]]
    assert page.cards["overdue"].list.item(0).text() == "2026-00001  张三  超期20个工作日"
    assert page.cards["paused"].list.item(0).text().startswith("2026-00007  赵六")
    assert "2026年11月27日 星期五" in page.heading.text()


def test_short_lists_show_at_most_eight(ctx: DeskContext, qtbot: QtBot, seed: Seed) -> None:
    for i in range(9):
        factories.register(ctx.db, date(2026, 9, 1 + i), applicant_name=f"逾期{i}")
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    assert page.cards["overdue"].count.text() == "10"
    assert len(ids_in(page, "overdue")) == 8


def test_activating_a_line_opens_the_case(qtbot: QtBot, page: DashboardPage, seed: Seed) -> None:
    lst = page.cards["paused"].list
    with qtbot.waitSignal(page.ctx.signals.open_request, check_params_cb=lambda i: i == seed.ids["paused"]):
        lst.itemActivated.emit(lst.item(0))
    opened: list[int] = []
    page.ctx.signals.open_request.connect(opened.append)
    lst.itemActivated.emit(QListWidgetItem("无"))  # the line of an empty list carries no case
    assert opened == []


def test_double_click_on_a_line(qtbot: QtBot, page: DashboardPage, seed: Seed) -> None:
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    lst = page.cards["awaiting_supplement"].list
    centre = lst.visualItemRect(lst.item(0)).center()
    opened: list[int] = []
    page.ctx.signals.open_request.connect(opened.append)
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert opened == [seed.ids["supplement"]]


def test_charts_show_the_aggregates(page: DashboardPage) -> None:
    assert page.intake.months[-1] == (2026, 11, 6)
    assert len(page.intake.months) == 12
    assert dict(page.outcomes.items) == {"予以公开": 1, "部分公开": 0, "不予公开": 1, "无法提供": 1,
                                         "不予处理": 0, "其他处理": 0}
    assert page.on_time.percent_text() == "66.7%"
    assert "按期 2 件 / 答复 3 件" in page.on_time.summary()
    assert "2026年11月 6 件" in page.intake.toolTip()


def test_calls_due_card_counts_answered_requests_not_yet_reached(ctx: DeskContext, page: DashboardPage) -> None:
    due = calls.calls_due(ctx.db, TODAY)
    assert due, "the seed has answered requests older than the follow-up delay"
    assert page.calls_card.count.text() == str(len(due))
    called_at = datetime(2026, 11, 27, 10, 0, tzinfo=calls.OFFICE_TZ)
    calls.log_call(ctx.db, due[0].request_id, "clerk", called_at=called_at, caller="李经办", reached=True,
                       satisfaction=Satisfaction.SATISFIED, applicant_said="满意", follow_up_needed=False, note="",
                       today=TODAY)
    page.refresh()
    assert page.calls_card.count.text() == str(len(due) - 1)


def test_refreshes_when_requests_change(ctx: DeskContext, page: DashboardPage, seed: Seed) -> None:
    cases.reply(ctx.db, seed.ids["overdue"], "clerk", outcome_code="1", on_date=TODAY, today=TODAY)
    assert page.cards["overdue"].count.text() == "1"
    ctx.signals.requests_changed.emit()
    assert page.cards["overdue"].count.text() == "0"
    assert page.cards["replied_not_delivered"].count.text() == "3"
    assert page.on_time.percent_text() == "50.0%"  # replied after its due date


def test_view_all_shows_the_list_in_the_register(qtbot: QtBot, ctx: DeskContext, page: DashboardPage) -> None:
    register = RequestsPage(ctx)
    qtbot.addWidget(register)
    page.open_list.connect(register.show_filter)
    qtbot.mouseClick(page.cards["awaiting_supplement"].more, Qt.MouseButton.LeftButton)
    assert register.model.filter == RequestFilter(statuses=(Status.AWAITING_SUPPLEMENT.value,))
    assert register.filters.status.currentText() == "待补正"
    assert register.model.rowCount() == 1
    qtbot.mouseClick(page.cards["due_soon"].more, Qt.MouseButton.LeftButton)
    assert register.filters.due_soon.isChecked() and register.model.rowCount() == 3
    assert register.filters.status.currentIndex() == 0


def test_consultations_past_their_deadline_are_listed_and_open_the_case(qtbot: QtBot, ctx: DeskContext,
                                                                      page: DashboardPage, seed: Seed) -> None:
    # docs/domain.md, "Pauses": the seed's consultation (16 Nov) still has time; one sent on Fri 9 Oct and
    # received Mon 12 Oct had until Mon 2 Nov, so its clock runs again and the card says so.
    assert page.consultations_card.count.text() == "0"
    rid = factories.register(ctx.db, date(2026, 9, 28), applicant_name="冯十一")
    cases.start_pause(ctx.db, rid, "clerk", kind=PauseKind.OTHER_AGENCY, counterpart="某某区财政局",
                      co_producer=True, on_date=date(2026, 10, 9), today=TODAY)
    cases.record_consultation_received(ctx.db, rid, "clerk", on_date=date(2026, 10, 12), today=TODAY)
    ctx.signals.requests_changed.emit()
    card = page.consultations_card
    assert card.count.text() == "1"
    item = card.list.item(0)
    assert item.text() == f"{cases.get(ctx.db, rid).reg_number}  某某区财政局  征求意见期限 2026-11-02 已届满"
    assert "视为同意公开（条例第三十四条）" in item.toolTip()
    with qtbot.waitSignal(ctx.signals.open_request, check_params_cb=lambda i: i == rid):
        card.list.itemActivated.emit(item)
    cases.end_pause(ctx.db, rid, "clerk", answer=ConsultationAnswer.NO_ANSWER, on_date=date(2026, 11, 3),
                    today=TODAY)
    ctx.signals.requests_changed.emit()
    assert card.count.text() == "0" and card.list.item(0).text() == "无"


def test_the_todo_list_opens_a_case_narrows_to_mine_and_prints(page: DashboardPage, ctx: DeskContext,
                                                               qtbot: QtBot, tmp_path: Path) -> None:
    tree = page.todo.tree
    lines = [(tree.topLevelItem(i), tree.topLevelItem(i).child(j)) for i in range(tree.topLevelItemCount())
             for j in range(tree.topLevelItem(i).childCount())]
    assert lines and page.todo.todo is not None and page.todo.todo.total > 0
    _, line = lines[0]
    with qtbot.waitSignal(ctx.signals.open_request) as opened:
        tree.itemActivated.emit(line, 0)
    assert opened.args == [line.data(0, Qt.ItemDataRole.UserRole)]
    page.todo.mine.setChecked(True)
    assert page.todo.todo.user == ctx.user
    out = tmp_path / "todo.pdf"
    page.todo.write_pdf(out)
    assert out.read_bytes().startswith(b"%PDF")
