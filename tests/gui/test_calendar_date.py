"""Date pickers that know the calendar (issue 15, point 9): holidays and make-up days marked, the due date beside."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlmodel import select

from request_desk.core import cases
from request_desk.core.cases.date_leads import PROVISIONAL_YEAR
from request_desk.core.cases.workflow import Action
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Request
from request_desk.gui.case_view import CaseWindow
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.actions import ActionDialog
from request_desk.gui.dialogs.registration import RegistrationDialog
from request_desk.gui.widgets.calendar_date import HOLIDAY, LEGEND, MAKEUP, WEEKEND, CalendarDateEdit
from tests.factories import new_request
from tests.support.gui import fill_person


def type_date(qtbot: QtBot, edit: CalendarDateEdit, day: str) -> None:
    """Type a date over the field's text, as a clerk does (yyyy-MM-dd)."""
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, day)
    assert edit.date().toString("yyyy-MM-dd") == day


def open_popup(qtbot: QtBot, edit: CalendarDateEdit) -> None:
    """Click the field's arrow: the calendar pops up."""
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton, pos=QPoint(edit.width() - 5, edit.height() // 2))
    qtbot.waitUntil(lambda: edit.calendarWidget().isVisible())


# A popup grabs the keyboard; the offscreen platform plugin cannot, and says so.
POPUP = pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")


@pytest.fixture
def registration(qtbot: QtBot, ctx: DeskContext) -> RegistrationDialog:
    dialog = RegistrationDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


@POPUP
def test_the_popup_marks_holidays_and_make_up_days_of_the_month_shown(
        qtbot: QtBot, registration: RegistrationDialog) -> None:
    edit = registration.ui.received_date
    assert edit.toolTip() == LEGEND
    open_popup(qtbot, edit)
    popup = edit.calendarWidget()
    assert (popup.yearShown(), popup.monthShown()) == (2026, 11)
    assert popup.dateTextFormat(QDate(2026, 10, 1)).toolTip() == ""  # September's holidays: not this page
    assert popup.weekdayTextFormat(Qt.DayOfWeek.Saturday).foreground().color() == WEEKEND  # red is for holidays
    qtbot.keyClick(popup.focusWidget() or popup, Qt.Key.Key_PageUp)  # one month back
    assert popup.monthShown() == 10
    national_day = popup.dateTextFormat(QDate(2026, 10, 1))
    assert national_day.foreground().color() == HOLIDAY[0] and national_day.background().color() == HOLIDAY[1]
    assert national_day.toolTip() == "国庆节：节假日，不计入工作日"
    makeup = popup.dateTextFormat(QDate(2026, 10, 10))  # Saturday 10 October 2026: 调休上班
    assert makeup.foreground().color() == MAKEUP[0] and makeup.fontWeight() == QFont.Weight.Bold
    assert makeup.toolTip() == "调休上班（国庆节）：计入工作日"
    assert popup.dateTextFormat(QDate(2026, 10, 14)).toolTip() == ""  # an ordinary Wednesday
    qtbot.keyClick(popup.focusWidget() or popup, Qt.Key.Key_Escape)


def test_the_receipt_date_shows_the_reply_deadline_that_saving_stores(
        qtbot: QtBot, ctx: DeskContext, registration: RegistrationDialog) -> None:
    ui = registration.ui
    type_date(qtbot, ui.received_date, "2026-09-30")
    # 20 working days after Wed 30 Sep: the National Day week off, Sat 10 Oct worked: Tue 3 Nov.
    assert ui.received_lead.text() == "答复期限 2026-11-03"
    type_date(qtbot, ui.received_date, "2026-10-01")
    assert ui.received_lead.text() == "答复期限 2026-11-03；所选日期为节假日（国庆节）"
    type_date(qtbot, ui.received_date, "2026-10-10")
    assert ui.received_lead.text().endswith("所选日期为调休上班日（国庆节）")
    fill_person(qtbot, registration)
    shown = ui.received_lead.text().split("；")[0].removeprefix("答复期限 ")
    assert registration.save() is not None
    with ctx.db.read() as session:
        stored = session.exec(select(Request)).one()
    assert stored.due_date is not None and stored.due_date.isoformat() == shown


@POPUP
def test_a_deadline_in_a_year_without_a_notice_says_it_is_provisional(qtbot: QtBot, db: Database) -> None:
    ctx = DeskContext(db=db, user="clerk", today=lambda: date(2026, 12, 30))
    dialog = RegistrationDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.ui.received_lead.text().endswith(f"（{PROVISIONAL_YEAR}）")  # due in January 2027
    open_popup(qtbot, dialog.ui.received_date)
    popup = dialog.ui.received_date.calendarWidget()
    qtbot.keyClick(popup.focusWidget() or popup, Qt.Key.Key_PageDown)  # January 2027: the statutory rules only
    new_year = popup.dateTextFormat(QDate(2027, 1, 1))
    assert new_year.foreground().color() == HOLIDAY[0] and new_year.fontItalic()
    assert new_year.toolTip() == f"元旦：节假日，不计入工作日（{PROVISIONAL_YEAR}）"
    qtbot.keyClick(popup.focusWidget() or popup, Qt.Key.Key_Escape)


def _step(qtbot: QtBot, ctx: DeskContext, rid: int, action: Action) -> ActionDialog:
    win = CaseWindow.open_request(ctx, rid)
    assert win is not None
    qtbot.addWidget(win)
    dialog = win.perform(action)
    assert isinstance(dialog, ActionDialog)
    return dialog


def test_the_step_dates_show_the_deadline_they_lead_to(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = cases.register(ctx.db, new_request(date(2026, 11, 2)), "clerk", today=ctx.today()).id
    assert rid is not None
    dialog = _step(qtbot, ctx, rid, Action.EXTEND)
    lead = dialog.leads["date"]
    # Due Mon 30 Nov; twenty more working days: Mon 28 Dec.
    assert lead.text() == "延长后答复期限 2026-12-28"
    dialog.reject()

    dialog = _step(qtbot, ctx, rid, Action.REPLY)
    edit = dialog.fields["date"]
    assert isinstance(edit, CalendarDateEdit)
    assert dialog.leads["date"].text() == "答复期限 2026-11-30，按期答复"
    dialog.reject()

    late = cases.register(ctx.db, new_request(date(2026, 10, 9)), "clerk", today=ctx.today()).id
    assert late is not None
    dialog = _step(qtbot, ctx, late, Action.REPLY)
    assert dialog.leads["date"].text() == "答复期限 2026-11-05，所选日期晚于期限，将记为逾期答复"
    assert "#b3261e" in dialog.leads["date"].styleSheet()
    edit = dialog.fields["date"]
    assert isinstance(edit, CalendarDateEdit)
    type_date(qtbot, edit, "2026-11-05")
    assert dialog.leads["date"].text() == "答复期限 2026-11-05，按期答复"
    dialog.reject()


def test_the_supplement_restarts_the_period_from_the_chosen_day(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = cases.register(ctx.db, new_request(date(2026, 11, 2)), "clerk", today=ctx.today()).id
    assert rid is not None
    cases.request_supplement(ctx.db, rid, "clerk", what="请明确年份", on_date=date(2026, 11, 3), today=ctx.today())
    dialog = _step(qtbot, ctx, rid, Action.RECEIVE_SUPPLEMENT)
    edit = dialog.fields["date"]
    assert isinstance(edit, CalendarDateEdit)
    type_date(qtbot, edit, "2026-11-20")
    lead = dialog.leads["date"].text()
    assert lead.startswith("重新计算后答复期限 ")
    shown = lead.removeprefix("重新计算后答复期限 ")
    with qtbot.waitSignal(ctx.signals.requests_changed):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    stored = cases.get(ctx.db, rid).due_date
    assert stored is not None and stored.isoformat() == shown


def test_an_extension_into_a_year_without_a_notice_is_provisional(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = cases.register(ctx.db, new_request(date(2026, 11, 27)), "clerk", today=ctx.today()).id
    assert rid is not None
    dialog = _step(qtbot, ctx, rid, Action.EXTEND)
    assert dialog.leads["date"].text().startswith("延长后答复期限 2027-")
    assert dialog.leads["date"].text().endswith(f"（{PROVISIONAL_YEAR}）")
    dialog.reject()


def test_a_step_date_field_marks_the_calendar_too(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = cases.register(ctx.db, new_request(date(2026, 11, 2)), "clerk", today=ctx.today()).id
    assert rid is not None
    dialog = _step(qtbot, ctx, rid, Action.REQUEST_SUPPLEMENT)
    deadline = dialog.fields["deadline"]  # 补正期限, a declared date field
    assert isinstance(deadline, CalendarDateEdit) and deadline.toolTip() == LEGEND
    type_date(qtbot, deadline, "2026-10-03")
    assert dialog.leads["deadline"].text() == "所选日期为节假日（国庆节）"
    # The notice's own date: the Art. 30 limit beside it.
    assert dialog.leads["date"].text().startswith("补正告知期限 2026-11-")
    dialog.reject()
