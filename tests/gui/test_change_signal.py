"""One change signal carrying which requests changed; each view refreshes only what it shows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from request_desk.core import cases
from request_desk.core.vocab import Status
from request_desk.gui.case_view import CaseWindow
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.registration import RegistrationDialog
from request_desk.gui.main_window import MainWindow
from request_desk.gui.pages.requests import RequestsPage
from tests.factories import new_request

# Before issue 12 one registration with the main window and one other case
# window open cost 131 statements (every listener re-read everything, the
# settings five times, the calendar's fingerprint five times); then 68. The
# dashboard's 今日待办 (nine sections) and 救济期内 brought it to 107 with a session
# and a clock per section; in one session and one clock each (issue 18) it is 90. The office's own
# word lists are rows now, read with the similar requests (issue 19): 95.
STATEMENT_BUDGET = 96


def register(ctx: DeskContext, name: str = "张三", received: date = date(2026, 11, 2)) -> int:
    rid = cases.register(ctx.db, new_request(received, applicant_name=name), "clerk", today=ctx.today()).id
    assert rid is not None
    return rid


def filled_dialog(qtbot: QtBot, ctx: DeskContext) -> RegistrationDialog:
    dialog = RegistrationDialog(ctx)
    qtbot.addWidget(dialog)
    ui = dialog.ui
    ui.received_date.setDate(QDate(2026, 11, 2))
    ui.applicant_name.setText("王五")
    ui.id_number.setText("11010519491231002X")
    ui.phone.setText("13912345678")
    ui.description.setPlainText("本区2025年道路维修计划")
    return dialog


@contextmanager
def statements(ctx: DeskContext) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(ctx.db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", count)


def test_a_registration_emits_one_change_naming_the_new_request(qtbot: QtBot, ctx: DeskContext) -> None:
    dialog = filled_dialog(qtbot, ctx)
    changes: list[frozenset[int]] = []
    ctx.signals.requests_changed.connect(changes.append)
    saved = dialog.save()
    assert saved is not None and saved.id is not None
    assert changes == [frozenset({saved.id})]


def test_emit_without_ids_means_any_request(ctx: DeskContext) -> None:
    changes: list[frozenset[int]] = []
    ctx.signals.requests_changed.connect(changes.append)
    ctx.signals.requests_changed.emit()
    ctx.signals.requests_changed.emit([3, 3, 4])
    assert changes == [frozenset(), frozenset({3, 4})]


def test_a_case_window_reloads_only_for_its_own_request(qtbot: QtBot, ctx: DeskContext) -> None:
    mine, other = register(ctx), register(ctx, "李四")
    win = CaseWindow.open_request(ctx, mine)
    assert win is not None
    qtbot.addWidget(win)
    shown = win.case
    ctx.signals.requests_changed.emit({other})
    assert win.case is shown, "another request's change leaves this window alone"

    cases.withdraw(ctx.db, mine, "clerk", on_date=ctx.today(), today=ctx.today())
    ctx.signals.requests_changed.emit({mine, other})
    assert win.case is not shown and win.case.header.status is Status.WITHDRAWN
    assert win.status.text() == f"状态：{Status.WITHDRAWN.label}"

    shown = win.case
    ctx.signals.requests_changed.emit()  # many or unknown: reload
    assert win.case is not shown


def test_the_list_rereads_only_the_rows_on_screen_and_keeps_the_selection(qtbot: QtBot, ctx: DeskContext) -> None:
    ids = [register(ctx, f"申请人{i}") for i in range(12)]
    page = RequestsPage(ctx)
    qtbot.addWidget(page)
    page.model.PAGE_SIZE = 3
    page.refresh()
    page.resize(900, 200)
    page.show()
    qtbot.waitExposed(page)
    page.view.selectRow(1)
    QApplication.processEvents()
    selected = page.selected_request_id()
    assert selected is not None

    before = page.model.page_fetches
    cases.withdraw(ctx.db, ids[-1], "clerk", on_date=ctx.today(), today=ctx.today())
    ctx.signals.requests_changed.emit({ids[-1]})
    page.view.viewport().repaint()
    QApplication.processEvents()
    top = page.view.rowAt(0)
    bottom = page.view.rowAt(page.view.viewport().height() - 1)
    bottom = page.model.rowCount() - 1 if bottom < 0 else bottom
    shown_pages = set(range(top // 3, bottom // 3 + 1))
    fetched = page.model.page_fetches - before
    assert 1 <= fetched <= len(shown_pages), "only the pages on screen are read again"
    assert page.model.cached_pages <= shown_pages
    assert page.selected_request_id() == selected, "the same count keeps the selection"
    assert page.count_label.text() == "共 12 件"

    register(ctx, "新来的", date(2026, 11, 26))
    ctx.signals.requests_changed.emit({99})
    assert page.count_label.text() == "共 13 件"


def test_one_registration_with_the_desk_open_costs_few_statements(qtbot: QtBot, ctx: DeskContext) -> None:
    for i in range(5):
        register(ctx, f"申请人{i}")
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    main.show()
    other = CaseWindow.open_request(ctx, 1, main)
    assert other is not None
    other_case = other.case
    board = main.pages["dashboard"].board  # type: ignore[attr-defined]
    dialog = filled_dialog(qtbot, ctx)
    QApplication.processEvents()

    with statements(ctx) as seen:
        assert dialog.save() is not None
        QApplication.processEvents()

    assert len(seen) <= STATEMENT_BUDGET, f"{len(seen)} statements for one registration"
    assert other.case is other_case, "the open window of another request was not reloaded"
    assert main.pages["dashboard"].board is not board  # type: ignore[attr-defined]
    outcome_counts = [s for s in seen if s.startswith("SELECT request.outcome_code, count(*)")]
    assert len(outcome_counts) == 1, "the dashboard recounted once"
    settings_reads = [s for s in seen if "FROM setting" in s]
    assert len(settings_reads) <= 10  # 5 before the to-do's and 救济期内's clocks (see STATEMENT_BUDGET)
