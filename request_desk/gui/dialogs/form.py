"""The base of the small forms: 确定/取消, the step runs on 确定, a refusal keeps everything typed.

Each dialog collects what its core service needs and calls it itself when the
clerk presses 确定. A domain error is shown in a message box over the dialog,
which stays open with everything typed. ``_launch`` opens a dialog without
blocking (the case view and the tests use it).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from request_desk.core.deadlines.case_clock import read_clock
from request_desk.core.deadlines.workcalendar import WorkCalendar
from request_desk.core.errors import DeskError
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.discard import KeepsInput
from request_desk.gui.widgets.calendar_date import CalendarDateEdit, LeadFunction
from request_desk.gui.widgets.common import to_date, to_qdate


def date_edit(value: date, *, minimum: date | None = None, maximum: date | None = None) -> CalendarDateEdit:
    """A date field; ``FormDialog.add_date`` gives it the office's calendar and the lead beside it."""
    edit = CalendarDateEdit()
    if minimum is not None:
        edit.setMinimumDate(to_qdate(minimum))
    if maximum is not None:
        edit.setMaximumDate(to_qdate(maximum))
    edit.setDate(to_qdate(value))
    return edit


def py_date(edit: QDateEdit) -> date:
    return to_date(edit.date())


class FormDialog(KeepsInput):
    """A form with 确定/取消 that runs ``perform()`` on 确定 and stays open on a domain error."""

    def __init__(self, ctx: DeskContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.result_value: Any = None
        self.error_box: QMessageBox | None = None
        self.fields: dict[str, QWidget] = {}
        # The line under a date field saying what the date leads to, by field name.
        self.leads: dict[str, QLabel] = {}
        self._work_calendar: WorkCalendar | None = None
        self.form = QFormLayout()
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def add(self, name: str, label: str, widget: QWidget) -> QWidget:
        widget.setObjectName(name)
        self.fields[name] = widget
        self.form.addRow(label, widget)
        return widget

    def add_date(self, name: str, label: str, edit: CalendarDateEdit, lead: LeadFunction | None = None) -> QWidget:
        """A date row whose calendar marks holidays and make-up days, with what the date leads to under it."""
        edit.use_calendar(self.work_calendar(), lead)
        self.add(name, label, edit)
        edit.lead_label.setObjectName(f"{name}_lead")
        self.leads[name] = edit.lead_label
        self.form.addRow("", edit.lead_label)
        return edit

    def set_row_visible(self, name: str, visible: bool) -> None:
        """Show or hide the field ``name``'s row, and its lead's."""
        self.form.setRowVisible(self.fields[name], visible)
        if name in self.leads:
            self.form.setRowVisible(self.leads[name], visible)

    def work_calendar(self) -> WorkCalendar:
        """The office's working-day calendar, read once per dialog."""
        if self._work_calendar is None:
            self._work_calendar = read_clock(self.ctx.db, self.ctx.today()).calendar
        return self._work_calendar

    def say(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.setVisible(bool(text))

    def perform(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def changed_requests(self) -> frozenset[int]:
        """The requests this dialog changes, for listeners to refresh only those (empty: any)."""
        return frozenset()

    def accept(self) -> None:
        try:
            self.result_value = self.perform()
        except DeskError as exc:
            self.show_error(str(exc))
            return
        self.ctx.signals.requests_changed.emit(self.changed_requests())
        super().accept()

    def show_error(self, text: str) -> None:
        """A window-modal message box over the dialog; the dialog keeps its input."""
        self.error_box = QMessageBox(QMessageBox.Icon.Warning, "操作未完成", text, QMessageBox.StandardButton.Ok, self)
        self.error_box.open()

    @classmethod
    def _launch(cls, dialog: FormDialog) -> FormDialog:
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog
