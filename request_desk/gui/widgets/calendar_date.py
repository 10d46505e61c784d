"""A date field whose calendar knows the office's working days (issue 15, point 9).

``CalendarDateEdit`` is a ``QDateEdit`` (every form reads and sets it as one)
whose popup marks, for the month shown, the statutory holidays (red on pink)
and the make-up working days (调休上班: bold blue on a tint), each with a
tooltip naming it; weekends are grey, so red means a holiday only. The marks
come from the office's calendar (``core.deadlines``: the imported State
Council notices, the shipped data, or the statutory rules for a year whose
notice is not imported — marked as provisional).

Under it (``lead_label``, placed by the form) a line says what the chosen date leads to (the due date
a ``lead`` function computes with the case clock) and whether the chosen day
is a holiday. Only the ~42 days of the page shown are formatted, when the
page changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QTextCharFormat
from PySide6.QtWidgets import QCalendarWidget, QDateEdit, QLabel, QWidget

from request_desk.core.cases.date_leads import PROVISIONAL_YEAR, Lead
from request_desk.core.deadlines.workcalendar import CalendarRangeError, WorkCalendar
from request_desk.gui.widgets.common import to_date, to_qdate

__all__ = ["HOLIDAY", "LEGEND", "MAKEUP", "CalendarDateEdit", "LeadFunction"]

LeadFunction = Callable[[date], Lead | None]

HOLIDAY = (QColor("#b3261e"), QColor("#fde0dd"))  # foreground, background
MAKEUP = (QColor("#1a4fa0"), QColor("#dde8fb"))
WEEKEND = QColor("#5f6368")
LEGEND = "日历中：红底红字为法定节假日（不计工作日），蓝底粗体为调休上班日（计工作日），灰字为周末。"


def _holiday_format(name: str, provisional: bool) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QBrush(HOLIDAY[0]))
    fmt.setBackground(QBrush(HOLIDAY[1]))
    tip = f"{name or '节假日'}：节假日，不计入工作日"
    if provisional:
        fmt.setFontItalic(True)
        tip += f"（{PROVISIONAL_YEAR}）"
    fmt.setToolTip(tip)
    return fmt


def _makeup_format(name: str) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QBrush(MAKEUP[0]))
    fmt.setBackground(QBrush(MAKEUP[1]))
    fmt.setFontWeight(QFont.Weight.Bold)
    fmt.setToolTip(f"调休上班（{name}）：计入工作日" if name else "调休上班：计入工作日")
    return fmt


class CalendarDateEdit(QDateEdit):
    """A date edit whose popup marks holidays and make-up days, with the chosen date's consequence beside it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.lead_label = QLabel()
        self.lead_label.setWordWrap(True)
        self._work_calendar: WorkCalendar | None = None
        self._lead: LeadFunction | None = None
        self.dateChanged.connect(lambda _d: self.update_lead())

    # -- set-up ------------------------------------------------------------------

    def use_calendar(self, work_calendar: WorkCalendar, lead: LeadFunction | None = None) -> None:
        """Mark the popup with ``work_calendar``'s days; ``lead`` gives the text beside the field."""
        self._work_calendar = work_calendar
        self._lead = lead
        self.setToolTip(LEGEND)
        popup = self.calendarWidget()
        popup.setToolTip(LEGEND)
        weekend = QTextCharFormat()
        weekend.setForeground(QBrush(WEEKEND))
        for day in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            popup.setWeekdayTextFormat(day, weekend)
        popup.currentPageChanged.connect(self._mark_page)
        self._mark_page(popup.yearShown(), popup.monthShown())
        self.update_lead()

    def show_lead_in(self, label: QLabel) -> None:
        """Write the lead into ``label`` (a form's own, e.g. from a Designer form) instead of the built-in one."""
        self.lead_label = label
        label.setWordWrap(True)

    # -- the popup's marks ----------------------------------------------------------

    def _mark_page(self, year: int, month: int) -> None:
        cal = self._work_calendar
        if cal is None:
            return
        popup: QCalendarWidget = self.calendarWidget()
        popup.setDateTextFormat(QDate(), QTextCharFormat())  # forget the previous page's marks
        first = date(year, month, 1)
        # The grid shows up to six weeks, some days of the months either side.
        for offset in range(-7, 45):
            day = first + timedelta(days=offset)
            try:
                info = cal.day_info(day)
            except CalendarRangeError:
                continue
            if info.reason == "holiday":
                popup.setDateTextFormat(to_qdate(day), _holiday_format(info.name, info.provisional))
            elif info.reason == "makeup_workday":
                popup.setDateTextFormat(to_qdate(day), _makeup_format(info.name))

    # -- the lead --------------------------------------------------------------------

    def day_note(self, day: date) -> str:
        """What the chosen day itself is, when it is not an ordinary working day."""
        cal = self._work_calendar
        if cal is None:
            return ""
        try:
            info = cal.day_info(day)
        except CalendarRangeError as exc:
            return str(exc)
        notes = []
        if info.reason == "holiday":
            notes.append(f"所选日期为节假日（{info.name or '休息日'}）")
        elif info.reason == "makeup_workday":
            notes.append(f"所选日期为调休上班日（{info.name}）" if info.name else "所选日期为调休上班日")
        elif info.reason == "weekend":
            notes.append(f"所选日期为{info.label_zh}")
        if info.provisional:
            notes.append(PROVISIONAL_YEAR)
        return "；".join(notes)

    def update_lead(self) -> None:
        if self._work_calendar is None:
            return
        chosen = to_date(self.date())
        lead: Lead | None = None
        if self._lead is not None:
            try:
                lead = self._lead(chosen)
            except ValueError:  # a date the clock cannot take (before the period's start, out of range)
                lead = None
        note = self.day_note(chosen)
        parts = [lead.display()] if lead is not None else []
        if note and not (lead is not None and lead.provisional and note == PROVISIONAL_YEAR):
            parts.append(note)
        self.lead_label.setText("；".join(parts))
        late = lead is not None and lead.late
        self.lead_label.setStyleSheet("color: #b3261e" if late else "color: #1d6b35" if lead else "")
