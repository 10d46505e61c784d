"""A unit liaison's window (issue 16, point 4): 本单位承办 only, and 登记办理情况… saves the unit's report."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit
from pytestqt.qtbot import QtBot

from request_desk.core.cases import case_file, unit_work
from request_desk.core.office import users
from request_desk.core.storage.db import Database
from request_desk.core.vocab import Role
from request_desk.gui.case_view import CaseWindow
from request_desk.gui.context import DeskContext
from request_desk.gui.main_window import MainWindow
from request_desk.gui.pages.unit_work import UnitWorkPage
from request_desk.gui.pages.users_panel import UserDialog, UsersPanel
from tests import factories
from tests.factories import TODAY
from tests.support.gui import type_text


@pytest.fixture
def liaison(db: Database) -> DeskContext:
    education, finance = factories.add_unit(db, "市教育局"), factories.add_unit(db, "市财政局")
    factories.add_user(db, "liaison", "孙联络", Role.LIAISON, unit_id=education)
    factories.assigned(db, education, on=date(2026, 10, 9), internal_due=date(2026, 10, 23),
                       description="学校招生划片方案，联系电话13912345678")
    factories.assigned(db, finance, on=date(2026, 10, 9), description="财政预算执行情况")
    return DeskContext(db=db, user="liaison", today=lambda: TODAY)


def test_a_liaisons_window_has_only_its_units_page(qtbot: QtBot, liaison: DeskContext) -> None:
    window = MainWindow(liaison)
    qtbot.addWidget(window)
    assert list(window.pages) == ["unit_work"]
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == ["本单位承办"]
    page = window.pages["unit_work"]
    assert isinstance(page, UnitWorkPage)
    assert [r.unit_name for r in page.rows] == ["市教育局"]
    shown = page.table.item(0, 2).text()
    assert "学校招生划片方案" in shown and "13912345678" not in shown
    # No case area: a request opened by any signal does not open a case window.
    liaison.signals.open_request.emit(page.rows[0].request_id)
    assert window.findChildren(CaseWindow) == []
    assert "承办单位联络员" in window.findChild(QLabel, "who").text()


def test_a_desk_users_window_has_no_liaison_page(qtbot: QtBot, ctx: DeskContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert "unit_work" not in window.pages and "requests" in window.pages


def test_the_report_dialog_saves_the_units_report(qtbot: QtBot, liaison: DeskContext) -> None:
    page = UnitWorkPage(liaison)
    qtbot.addWidget(page)
    assert not page.report_button.isEnabled()  # nothing chosen yet
    page.table.selectRow(0)
    assert page.report_button.isEnabled()
    dialog = page.open_report()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    text = dialog.fields["text"]
    assert isinstance(text, QPlainTextEdit)
    type_text(qtbot, text, "已查到招生划片方案，拟全部公开")
    with qtbot.waitSignal(liaison.signals.requests_changed.qt_signal):
        dialog.accept()
    assert page.rows[0].report == "已查到招生划片方案，拟全部公开"
    assert page.table.item(0, 6).text() == "已反馈"
    case = case_file.load_case(liaison.db, page.rows[0].request_id, TODAY)
    assert [e.user for e in case.events if e.kind == unit_work.EVENT_KIND] == ["孙联络"]


def test_the_case_view_shows_the_units_report_to_the_desk(qtbot: QtBot, liaison: DeskContext, ctx: DeskContext) -> None:
    row = unit_work.unit_assignments(liaison.db, "liaison")[0]
    unit_work.report(liaison.db, row.id, "liaison", "未制作该信息", today=TODAY)
    window = CaseWindow.open_request(ctx, row.request_id)
    assert window is not None
    qtbot.addWidget(window)
    assert "孙联络：未制作该信息" in window.assignments.item(0, 6).text()


def test_the_users_panel_gives_a_liaison_a_unit(qtbot: QtBot, db: Database) -> None:
    education = factories.add_unit(db, "市教育局")
    factories.add_user(db, "admin", "赵管理", Role.ADMINISTRATOR)
    admin = DeskContext(db=db, user="admin", today=lambda: TODAY)
    panel = UsersPanel(admin)
    qtbot.addWidget(panel)
    panel.add()
    dialog = panel.dialog
    assert isinstance(dialog, UserDialog)
    unit = dialog.findChild(QComboBox, "unit")
    assert unit is not None and not dialog.form.isRowVisible(unit)  # only for the liaison role
    dialog.username.setText("sun")
    dialog.display_name.setText("孙联络")
    dialog.password.setText("start-1234")
    dialog.role.setCurrentIndex(dialog.role.findData(Role.LIAISON.value))
    assert dialog.form.isRowVisible(unit)
    unit.setCurrentIndex(-1)
    dialog.accept()
    assert "须指定其所在的承办单位" in dialog.message.text()  # refused, the dialog stays open
    unit.setCurrentIndex(unit.findData(education))
    dialog.accept()
    added = next(u for u in users.list_users(db) if u.username == "sun")
    assert (added.role, added.unit_name) == ("liaison", "市教育局")
    assert any("承办单位联络员（市教育局）" in (panel.table.item(i, 2).text()) for i in range(panel.table.rowCount()))
