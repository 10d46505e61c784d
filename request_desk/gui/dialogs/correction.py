"""更正登记信息 and 撤销上一步: the case window's two ways of putting a mistake right.

``CorrectionDialog`` shows every registration field filled with what is stored
(the ID number only masked: typing a new one replaces it) and a required
reason; 确定 sends only the fields the clerk changed to ``cases.correct``.
``UndoDialog`` names the step it would take back and asks a supervisor for the
reason (``cases.undo_last_step``). Both are FormDialogs: a refusal keeps what
was typed, Esc asks before discarding it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QPlainTextEdit, QWidget

from request_desk.core import cases
from request_desk.core.cases import case_file, date_leads
from request_desk.core.deadlines.case_clock import read_clock
from request_desk.core.masking import mask_id_number
from request_desk.core.vocab import (
    DELIVERY_METHODS,
    ID_TYPES,
    PREFERRED_FORMS,
    REGISTRATION_CHANNELS,
    ApplicantType,
    Channel,
)
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.form import FormDialog, py_date
from request_desk.gui.widgets.calendar_date import CalendarDateEdit
from request_desk.gui.widgets.common import to_qdate

Reader = Callable[[], Any]

# Fields on the right-hand column: what the applicant asked for and how to answer.
_REQUEST_SIDE = ("description", "purpose", "preferred_form", "delivery_method", "note")


def _combo(choices: list[tuple[Any, str]], current: Any, *, editable: bool = False) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(editable)
    for value, label in choices:
        combo.addItem(label, value)
    if combo.findData(current) < 0:  # e.g. 未记载 from an imported ledger, or an office's own word
        combo.addItem(str(getattr(current, "label", current)), current)
    combo.setCurrentIndex(combo.findData(current))
    return combo


_CHOICES: dict[str, Callable[[], list[tuple[Any, str]]]] = {
    "channel": lambda: [(c, c.label) for c in REGISTRATION_CHANNELS],
    "applicant_type": lambda: [(t, t.label) for t in ApplicantType],
    "id_type": lambda: list(ID_TYPES),
    "preferred_form": lambda: [("", ""), *((f, f) for f in PREFERRED_FORMS)],
    "delivery_method": lambda: [("", ""), *((m, m) for m in DELIVERY_METHODS)],
}


class CorrectionDialog(FormDialog):
    """Correct registered fields of one request, with a reason."""

    def __init__(self, ctx: DeskContext, request_id: int, parent: QWidget | None = None) -> None:
        self.record = cases.get(ctx.db, request_id)
        super().__init__(ctx, f"更正登记信息 — {self.record.reg_number}", parent)
        self.say("修改需要更正的内容并填写更正理由。更正前已签发的文书保留原文，在案件中标注“更正前签发”；"
                 "更正收到申请日期将重新计算答复期限。")
        left, right = QFormLayout(), QFormLayout()
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addSpacing(16)
        columns.addLayout(right, 1)
        self.form.addRow(columns)
        self.readers: dict[str, Reader] = {}
        for name, label in cases.CORRECTABLE.items():
            widget, read = self._editor(name)
            widget.setObjectName(name)
            self.fields[name] = widget
            (right if name in _REQUEST_SIDE else left).addRow(label, widget)
            if isinstance(widget, CalendarDateEdit):
                widget.lead_label.setObjectName(f"{name}_lead")
                left.addRow("", widget.lead_label)
            self.readers[name] = read
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("如：登记时录入错误；申请人来电补充联系电话")
        self.add("reason", "更正理由", self.reason)
        self.setMinimumWidth(860)

    def _editor(self, name: str) -> tuple[QWidget, Reader]:
        value = getattr(self.record, name)
        if name == "received_date":
            # The one date that moves the legal clock: its calendar and the deadline it leads to,
            # by the clock registration uses.
            edit = CalendarDateEdit()
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setMaximumDate(to_qdate(self.ctx.today()))
            edit.setDate(to_qdate(value))
            clock = read_clock(self.ctx.db, self.ctx.today())
            edit.use_calendar(clock.calendar, lambda day: date_leads.registration_lead(clock, day))
            return edit, lambda: py_date(edit)
        if name in _CHOICES:
            choices = _CHOICES[name]()
            current = {"channel": Channel, "applicant_type": ApplicantType}.get(name, str)(value)
            combo = _combo(choices, current)
            return combo, combo.currentData
        if name == "description":
            text = QPlainTextEdit(value)
            text.setTabChangesFocus(True)
            text.setFixedHeight(96)
            return text, lambda: text.toPlainText()
        line = QLineEdit("" if name == "id_number" else value)
        if name == "id_number":
            # Lists and the case view show it masked; the form does not reveal more. A new
            # number typed here replaces it, an empty field keeps it.
            line.setPlaceholderText(f"现为 {mask_id_number(value)}，更正时输入完整号码" if value else "未登记")
            return line, lambda: line.text().strip() or value
        return line, lambda: line.text()

    def changes(self) -> dict[str, Any]:
        """The fields whose value differs from the stored one."""
        out = {}
        for name, read in self.readers.items():
            new = read()
            old = getattr(self.record, name)
            if (new.strip() if isinstance(new, str) else new) != (old.strip() if isinstance(old, str) else old):
                out[name] = new
        return out

    def changed_requests(self) -> frozenset[int]:
        return frozenset({self.record.id})

    def perform(self) -> Any:
        return cases.correct(self.ctx.db, self.record.id, self.changes(), self.reason.text(), self.ctx.user,
                             today=self.ctx.today(), expected_version=self.record.version)

    @classmethod
    def start(cls, ctx: DeskContext, request_id: int, parent: QWidget | None = None) -> CorrectionDialog:
        return cls._launch(cls(ctx, request_id, parent))  # type: ignore[return-value]


class UndoDialog(FormDialog):
    """Undo the case's last workflow step (supervisors), with a reason."""

    def __init__(self, ctx: DeskContext, case: case_file.CaseRecord, step: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"撤销上一步 — {case.header.reg_number}", parent)
        self.case = case
        self.say(f"将撤销：{step}。该步骤登记的内容恢复原状，办理过程中保留该步骤并标注“已撤销”；"
                 "已签发的文书不撤销，标注“更正前签发”。")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("如：答复日期登记错误；分办单位选错")
        self.add("reason", "撤销理由", self.reason)

    def changed_requests(self) -> frozenset[int]:
        return frozenset({self.case.header.request_id})

    def perform(self) -> Any:
        return cases.undo_last_step(self.ctx.db, self.case.header.request_id, self.reason.text(), self.ctx.user,
                                    today=self.ctx.today(), expected_version=self.case.header.version)

    @classmethod
    def start(cls, ctx: DeskContext, case: case_file.CaseRecord, step: str,
              parent: QWidget | None = None) -> UndoDialog:
        return cls._launch(cls(ctx, case, step, parent))  # type: ignore[return-value]
