"""本单位承办: a unit liaison's desk — its unit's assignments and 登记办理情况… on one of them.

The whole main window of a liaison (``MainWindow`` keys on the role): the list comes
from ``cases.unit_work.unit_assignments`` (the liaison's own unit only, personal numbers
in descriptions masked), the dialog calls ``unit_work.report``, which refuses another
unit's assignment or an ended one with nothing written; the refusal is shown in the
dialog, which keeps what was typed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from request_desk.core.cases import unit_work
from request_desk.core.cases.unit_work import UnitAssignment
from request_desk.core.errors import DeskError
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.form import FormDialog, date_edit
from request_desk.gui.widgets.common import read_only_table, to_date

COLUMNS = ["登记编号", "收到申请日期", "所需信息描述", "分办日期", "内部办理期限", "办理状态", "反馈状态",
           "最近一次反馈"]


def _d(value: object) -> str:
    return value.isoformat() if value is not None else ""  # type: ignore[attr-defined]


class ReportDialog(FormDialog):
    """登记办理情况: what the unit found or provides, and the day it reports."""

    def __init__(self, ctx: DeskContext, row: UnitAssignment, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"登记办理情况 — {row.reg_number}", parent)
        self.row = row
        self.say(f"承办单位：{row.unit_name}    分办日期：{_d(row.assigned_date)}    "
                 f"内部办理期限：{_d(row.internal_due_date) or '未设定'}")
        text = QPlainTextEdit(row.report)
        text.setPlaceholderText("查找结果、拟提供的材料、不能提供的理由等")
        text.setTabChangesFocus(True)
        text.setMinimumHeight(120)
        self.add("text", "办理情况*", text)
        self.add_date("on_date", "反馈日期", date_edit(ctx.today(), minimum=row.assigned_date, maximum=ctx.today()))

    def changed_requests(self) -> frozenset[int]:
        return frozenset({self.row.request_id})

    def perform(self) -> Any:
        f = self.fields
        return unit_work.report(self.ctx.db, self.row.id, self.ctx.user,
                                f["text"].toPlainText(),  # type: ignore[attr-defined]
                                to_date(f["on_date"].date()),  # type: ignore[attr-defined]
                                today=self.ctx.today())


class UnitWorkPage(QWidget):
    """The assignments of the signed-in liaison's unit, soonest internal deadline first."""

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[UnitAssignment] = []
        self.title = QLabel()
        self.title.setObjectName("unit_work_title")
        self.table = read_only_table(COLUMNS, word_wrap=True)
        self.table.setObjectName("unit_work_table")
        self.table.itemSelectionChanged.connect(self._enable)
        self.table.itemDoubleClicked.connect(lambda _item: self.open_report())
        self.show_ended = QCheckBox("显示已结束的分办和已答复的申请")
        self.show_ended.toggled.connect(lambda _on: self.refresh())
        self.report_button = QPushButton("登记办理情况…")
        self.report_button.setObjectName("report_button")
        self.report_button.clicked.connect(self.open_report)
        self.message = QLabel()
        self.message.setObjectName("unit_work_message")
        self.message.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.show_ended)
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.report_button, 0, Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.dialog: ReportDialog | None = None
        ctx.signals.requests_changed.connect(lambda _ids: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        chosen = self.selected()
        try:
            self.rows = unit_work.unit_assignments(self.ctx.db, self.ctx.user,
                                                   open_only=not self.show_ended.isChecked())
        except DeskError as exc:
            self.rows = []
            self.message.setText(str(exc))
        units = sorted({r.unit_name for r in self.rows})
        self.title.setText(f"本单位承办：{'、'.join(units) or '（暂无分办给本单位的申请）'}，共 {len(self.rows)} 件"
                           + (f"（仅列出前 {unit_work.DEFAULT_LIMIT} 件）" if len(self.rows) >= unit_work.DEFAULT_LIMIT
                              else ""))
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            report = f"{_d(r.reported_date)} {r.reported_by}：{r.report}" if r.report else ""
            cells = [r.reg_number, _d(r.received_date), r.description, _d(r.assigned_date),
                     _d(r.internal_due_date), r.status_label, r.state_label, report]
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(text))
            if chosen is not None and r.id == chosen.id:
                self.table.selectRow(i)
        self._enable()

    def selected(self) -> UnitAssignment | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.rows):
            return None
        return self.rows[rows[0].row()]

    def _enable(self) -> None:
        row = self.selected()
        self.report_button.setEnabled(row is not None and row.ended_date is None)
        self.report_button.setToolTip("" if row is None or row.ended_date is None else
                                      "该分办已结束（已改由其他单位承办），不能再登记办理情况")

    def open_report(self) -> ReportDialog | None:
        row = self.selected()
        if row is None or row.ended_date is not None:
            return None
        dialog = ReportDialog(self.ctx, row, self)
        dialog.accepted.connect(lambda: self.message.setText(f"已登记 {row.reg_number} 的办理情况。"))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.dialog = dialog
        return dialog
