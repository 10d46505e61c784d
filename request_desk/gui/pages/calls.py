"""电话回访 page: calls due, recent calls, and the satisfaction rate of a period."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from request_desk.core.cases import calls
from request_desk.core.errors import DeskError
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.actions import date_edit, py_date
from request_desk.gui.dialogs.call import CallDialog
from request_desk.gui.widgets.common import read_only_table

DUE_LIMIT = 200
RECENT_LIMIT = 100


def _set_row(table: QTableWidget, row: int, values: list[str], request_id: int) -> None:
    for col, text in enumerate(values):
        item = QTableWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, request_id)
        table.setItem(row, col, item)


class CallsPage(QWidget):
    """Work the list of calls due; every attempt is logged, unreached ones come back."""

    def __init__(self, ctx: DeskContext, *, load_when_shown: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.current_dialog: CallDialog | None = None
        self.due_rows: list[calls.CallDue] = []
        today = ctx.today()

        rate_box = QGroupBox("满意率")
        rate_row = QHBoxLayout(rate_box)
        self.period_start = date_edit(date(today.year, 1, 1), maximum=today)
        self.period_end = date_edit(today)
        self.rate_label = QLabel()
        self.rate_label.setObjectName("rate_label")
        rate_row.addWidget(QLabel("统计期间"))
        rate_row.addWidget(self.period_start)
        rate_row.addWidget(QLabel("至"))
        rate_row.addWidget(self.period_end)
        rate_row.addSpacing(16)
        rate_row.addWidget(self.rate_label, 1)
        self.period_start.dateChanged.connect(lambda _d: self.refresh_rate())
        self.period_end.dateChanged.connect(lambda _d: self.refresh_rate())

        due_box = QGroupBox("待回访")
        due_layout = QVBoxLayout(due_box)
        self.due_hint = QLabel()
        self.due = read_only_table(["登记编号", "申请人", "联系电话", "答复日期", "送达日期", "已拨打", "最近一次"])
        self.due.doubleClicked.connect(lambda _i: self.log_selected())
        self.due.itemSelectionChanged.connect(self._selection_changed)
        self.log_button = QPushButton("登记回访")
        self.log_button.clicked.connect(self.log_selected)
        self.open_button = QPushButton("打开申请")
        self.open_button.clicked.connect(self.open_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.due_hint, 1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.log_button)
        due_layout.addWidget(self.due)
        due_layout.addLayout(buttons)

        recent_box = QGroupBox("最近回访记录")
        recent_layout = QVBoxLayout(recent_box)
        self.recent = read_only_table(
            ["回访时间", "登记编号", "申请人", "回访人", "接通", "满意程度", "申请人意见", "后续处理"]
        )
        recent_layout.addWidget(self.recent)

        layout = QVBoxLayout(self)
        layout.addWidget(rate_box)
        layout.addWidget(due_box, 3)
        layout.addWidget(recent_box, 2)
        # The main window builds every page at start-up; this one reads the calls of
        # every answered request, so there it loads when first shown (issue 7).
        self._stale = load_when_shown
        ctx.signals.requests_changed.connect(self._requests_changed)
        if not load_when_shown:
            self.refresh()

    def _requests_changed(self) -> None:
        if self.isVisible() or not self._stale:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        self._stale = False
        today = self.ctx.today()
        self.due_rows = calls.calls_due(self.ctx.db, today, DUE_LIMIT)
        self.due.setRowCount(len(self.due_rows))
        for row, d in enumerate(self.due_rows):
            last = f"{d.last_attempt:%Y-%m-%d %H:%M} 未接通" if d.last_attempt else ""
            _set_row(self.due, row, [d.reg_number, d.applicant_name, d.phone, str(d.reply_date or ""),
                                     str(d.delivered_date or ""), str(d.attempts), last], d.request_id)
        total = calls.count_calls_due(self.ctx.db, today)  # the dashboard's count: the two always agree
        more = f"，列出最近答复的{len(self.due_rows)}件" if total > len(self.due_rows) else ""
        self.due_hint.setText(f"共 {total} 件待回访{more}。未接通的申请会保留在列表中，以便再次拨打。")
        recent = calls.recent_calls(self.ctx.db, RECENT_LIMIT)
        self.recent.setRowCount(len(recent))
        for row, c in enumerate(recent):
            _set_row(self.recent, row, [f"{c.called_at:%Y-%m-%d %H:%M}", c.reg_number, c.applicant_name, c.caller,
                                        "是" if c.reached else "否", c.satisfaction_label, c.applicant_said,
                                        "需要" if c.follow_up_needed else ""], c.request_id)
        self.refresh_rate()
        self._selection_changed()

    def refresh_rate(self) -> None:
        try:
            stats = calls.satisfaction_rate(self.ctx.db, py_date(self.period_start), py_date(self.period_end))
        except DeskError as exc:
            self.rate_label.setText(str(exc))
            return
        if stats.rate is None:
            self.rate_label.setText("本期间没有已接通的回访。")
            return
        self.rate_label.setText(
            f"满意率 {stats.rate_text()}（已接通 {stats.reached} 次：满意 {stats.satisfied}，"
            f"基本满意 {stats.basically_satisfied}，不满意 {stats.dissatisfied}）"
        )

    def _selected(self) -> calls.CallDue | None:
        rows = {i.row() for i in self.due.selectedItems()}
        if len(rows) != 1:
            return None
        return self.due_rows[rows.pop()]

    def _selection_changed(self) -> None:
        chosen = self._selected() is not None
        self.log_button.setEnabled(chosen)
        self.open_button.setEnabled(chosen)

    def log_selected(self) -> CallDialog | None:
        due = self._selected()
        if due is None:
            return None
        self.current_dialog = CallDialog.start(self.ctx, due.request_id, due.reg_number, due.applicant_name,
                                               due.phone, self)
        return self.current_dialog

    def open_selected(self) -> None:
        due = self._selected()
        if due is not None:
            self.ctx.signals.open_request.emit(due.request_id)
