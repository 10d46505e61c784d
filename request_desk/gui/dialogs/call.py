"""登记电话回访: one attempt of the satisfaction follow-up call."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime, QTime
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateTimeEdit, QLineEdit, QPlainTextEdit, QWidget

from request_desk.core.cases import calls
from request_desk.core.office import users
from request_desk.core.vocab import Satisfaction
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.actions import FormDialog
from request_desk.gui.widgets.common import to_qdate


def _display_name(ctx: DeskContext) -> str:
    for user in users.list_users(ctx.db):
        if user.username == ctx.user:
            return user.display_name
    return ctx.user


class CallDialog(FormDialog):
    """Reached or not, how satisfied, what the applicant said, whether action follows."""

    def __init__(self, ctx: DeskContext, request_id: int, reg_number: str, applicant: str, phone: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"登记电话回访 — {reg_number}", parent)
        self.request_id = request_id
        self.say(f"申请人：{applicant}    电话：{phone or '（未留电话）'}")
        now = datetime.now(calls.OFFICE_TZ)
        called = QDateTimeEdit(QDateTime(to_qdate(ctx.today()), QTime(now.hour, now.minute)))
        called.setDisplayFormat("yyyy-MM-dd HH:mm")
        called.setCalendarPopup(True)
        self.add("called_at", "回访时间", called)
        self.add("caller", "回访人", QLineEdit(_display_name(ctx)))
        reached = QCheckBox("已接通")
        reached.setChecked(True)
        self.add("reached", "", reached)
        level = QComboBox()
        for s in Satisfaction:
            level.addItem(s.label, s.value)
        level.setPlaceholderText("请选择")
        level.setCurrentIndex(-1)
        self.add("satisfaction", "满意程度", level)
        said = QPlainTextEdit()
        said.setFixedHeight(64)
        said.setTabChangesFocus(True)
        self.add("applicant_said", "申请人意见", said)
        self.add("follow_up_needed", "", QCheckBox("需要后续处理"))
        self.add("note", "备注", QLineEdit())

        def reached_changed(on: bool) -> None:
            level.setEnabled(on)
            if not on:
                level.setCurrentIndex(-1)
        reached.toggled.connect(reached_changed)

    def changed_requests(self) -> frozenset[int]:
        return frozenset({self.request_id})

    def perform(self) -> Any:
        f = self.fields
        called: datetime = f["called_at"].dateTime().toPython()  # type: ignore[attr-defined]
        level = f["satisfaction"].currentData()  # type: ignore[attr-defined]
        return calls.log_call(
            self.ctx.db, self.request_id, self.ctx.user,
            called_at=called.replace(tzinfo=calls.OFFICE_TZ),
            caller=f["caller"].text(),  # type: ignore[attr-defined]
            reached=f["reached"].isChecked(),  # type: ignore[attr-defined]
            satisfaction=level or None,
            applicant_said=f["applicant_said"].toPlainText(),  # type: ignore[attr-defined]
            follow_up_needed=f["follow_up_needed"].isChecked(),  # type: ignore[attr-defined]
            note=f["note"].text(),  # type: ignore[attr-defined]
            today=self.ctx.today(),
        )

    def set_called_at(self, moment: datetime) -> None:
        value = QDateTime(to_qdate(moment.date()), QTime(moment.hour, moment.minute))
        self.fields["called_at"].setDateTime(value)  # type: ignore[attr-defined]

    @classmethod
    def start(cls, ctx: DeskContext, request_id: int, reg_number: str, applicant: str, phone: str,
              parent: QWidget | None = None) -> CallDialog:
        """Open without blocking; the call is logged when the clerk presses 确定."""
        return cls._launch(cls(ctx, request_id, reg_number, applicant, phone, parent))  # type: ignore[return-value]

    @classmethod
    def ask(cls, ctx: DeskContext, request_id: int, reg_number: str, applicant: str, phone: str,
            parent: QWidget | None = None) -> Any:
        """Run modally; the logged call, or None if cancelled."""
        dialog = cls(ctx, request_id, reg_number, applicant, phone, parent)
        return dialog.result_value if dialog.exec() else None
