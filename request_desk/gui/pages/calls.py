"""电话回访 page: calls due, logged calls, and the satisfaction rate of a period.

Both lists are searched, filtered and paged in SQL (``core.cases.calls``): the
search box is the register's (registration number, applicant, a phone or ID
number whole or its last digits), the pickers narrow each list, and the
counts say how many are due in all (the dashboard's number) and how many the
filter leaves.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from request_desk.core.cases import calls
from request_desk.core.cases.register_list import searchable
from request_desk.core.errors import DeskError
from request_desk.core.vocab import Satisfaction
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.actions import date_edit, py_date
from request_desk.gui.dialogs.call import CallDialog
from request_desk.gui.widgets.common import read_only_table
from request_desk.gui.widgets.filters import PUNCTUATION_ONLY, SEARCH_DEBOUNCE_MS

DUE_LIMIT = 200
RECENT_LIMIT = 100


class Pager(QWidget):
    """上一页 / 下一页 over a list counted in SQL; emits ``moved`` with the new offset."""

    moved = Signal(int)

    def __init__(self, name: str, page_size: int) -> None:
        super().__init__()
        self.page_size = page_size
        self.offset = 0
        self.total = 0
        self.previous = QPushButton("上一页")
        self.previous.setObjectName(f"{name}_previous")
        self.next = QPushButton("下一页")
        self.next.setObjectName(f"{name}_next")
        self.previous.clicked.connect(lambda: self._go(self.offset - self.page_size))
        self.next.clicked.connect(lambda: self._go(self.offset + self.page_size))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.previous)
        row.addWidget(self.next)

    def set_total(self, total: int) -> None:
        """The list's new count; the page stays where it was if it still exists."""
        self.total = total
        if self.offset >= total:
            self.offset = max(0, (total - 1) // self.page_size * self.page_size)
        self.previous.setEnabled(self.offset > 0)
        self.next.setEnabled(self.offset + self.page_size < total)
        self.setVisible(total > self.page_size)

    def shown(self, rows: int) -> str:
        return f"第 {self.offset + 1}–{self.offset + rows} 件" if rows else ""

    def _go(self, offset: int) -> None:
        self.offset = max(0, offset)
        self.moved.emit(self.offset)


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

        search_row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("calls_search")
        self.search.setPlaceholderText("搜索登记编号、申请人、电话或证件号码（号码输入后4–6位即可）")
        self.search.setClearButtonEnabled(True)
        self.search_hint = QLabel(PUNCTUATION_ONLY)
        self.search_hint.setObjectName("calls_search_hint")
        self.search_hint.setStyleSheet("color: #8a5300")
        self.search_hint.setVisible(False)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._filter_changed)
        self.search.textChanged.connect(self._typed)
        self.search.returnPressed.connect(self._filter_changed)
        search_row.addWidget(QLabel("查找"))
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.search_hint)

        due_box = QGroupBox("待回访")
        due_layout = QVBoxLayout(due_box)
        due_filters = QHBoxLayout()
        self.due_state = QComboBox()
        self.due_state.setObjectName("due_state")
        for label, called in (("全部待回访", None), ("尚未拨打", False), ("拨打过但未接通", True)):
            self.due_state.addItem(label, called)
        self.due_state.currentIndexChanged.connect(lambda _i: self._filter_changed())
        self.due_pager = Pager("due", DUE_LIMIT)
        self.due_pager.moved.connect(lambda _o: self.refresh())
        due_filters.addWidget(self.due_state)
        due_filters.addStretch(1)
        due_filters.addWidget(self.due_pager)
        due_layout.addLayout(due_filters)
        self.due_hint = QLabel()
        self.due_hint.setObjectName("due_hint")
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

        recent_box = QGroupBox("回访记录")
        recent_layout = QVBoxLayout(recent_box)
        record_filters = QHBoxLayout()
        self.record_result = QComboBox()
        self.record_result.setObjectName("record_result")
        for label, reached in (("全部记录", None), ("已回访（已接通）", True), ("未接通", False)):
            self.record_result.addItem(label, reached)
        self.record_satisfaction = QComboBox()
        self.record_satisfaction.setObjectName("record_satisfaction")
        self.record_satisfaction.addItem("全部满意程度", None)
        for level in Satisfaction:
            self.record_satisfaction.addItem(level.label, level.value)
        for combo in (self.record_result, self.record_satisfaction):
            combo.currentIndexChanged.connect(lambda _i: self._filter_changed())
        self.recent_hint = QLabel()
        self.recent_hint.setObjectName("recent_hint")
        self.recent_pager = Pager("recent", RECENT_LIMIT)
        self.recent_pager.moved.connect(lambda _o: self.refresh())
        record_filters.addWidget(self.record_result)
        record_filters.addWidget(self.record_satisfaction)
        record_filters.addWidget(self.recent_hint, 1)
        record_filters.addWidget(self.recent_pager)
        recent_layout.addLayout(record_filters)
        self.recent = read_only_table(
            ["回访时间", "登记编号", "申请人", "回访人", "接通", "满意程度", "申请人意见", "后续处理"]
        )
        recent_layout.addWidget(self.recent)

        layout = QVBoxLayout(self)
        layout.addWidget(rate_box)
        layout.addLayout(search_row)
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

    # -- filtering --------------------------------------------------------------

    def _typed(self, typed: str) -> None:
        self.search_hint.setHidden(not typed.strip() or searchable(typed))
        self._debounce.start()

    def current_filter(self) -> calls.CallFilter:
        """The search and the pickers as one filter (each list reads the fields it knows)."""
        typed = self.search.text().strip()
        satisfaction = self.record_satisfaction.currentData()
        reached = self.record_result.currentData()
        if satisfaction is not None:
            reached = True  # only a reached call has a satisfaction
        return calls.CallFilter(text=typed if searchable(typed) else "", called=self.due_state.currentData(),
                                reached=reached, satisfaction=satisfaction)

    def _filter_changed(self) -> None:
        self._debounce.stop()
        self.due_pager.offset = 0
        self.recent_pager.offset = 0
        self.refresh()

    def refresh(self) -> None:
        self._stale = False
        today = self.ctx.today()
        f = self.current_filter()
        due_filter = calls.CallFilter(text=f.text, called=f.called)
        filtered = due_filter != calls.CallFilter()
        total = calls.count_calls_due(self.ctx.db, today)  # the dashboard's count: the two always agree
        selected = calls.count_calls_due(self.ctx.db, today, due_filter) if filtered else total
        self.due_pager.set_total(selected)
        self.due_rows = calls.calls_due(self.ctx.db, today, DUE_LIMIT, f=due_filter, offset=self.due_pager.offset)
        self.due.setRowCount(len(self.due_rows))
        for row, d in enumerate(self.due_rows):
            last = f"{d.last_attempt:%Y-%m-%d %H:%M} 未接通" if d.last_attempt else ""
            _set_row(self.due, row, [d.reg_number, d.applicant_name, d.phone, str(d.reply_date or ""),
                                     str(d.delivered_date or ""), str(d.attempts), last], d.request_id)
        parts = [f"共 {total} 件待回访"]
        if filtered:
            parts.append(f"符合条件 {selected} 件" if selected else "没有符合条件的待回访申请")
        if selected > len(self.due_rows):
            parts.append(f"显示{self.due_pager.shown(len(self.due_rows))}（最近答复的在前）")
        self.due_hint.setText("，".join(parts) + "。未接通的申请会保留在列表中，以便再次拨打。")
        record_filter = calls.CallFilter(text=f.text, reached=f.reached, satisfaction=f.satisfaction)
        records = calls.count_call_records(self.ctx.db, record_filter)
        self.recent_pager.set_total(records)
        recent = calls.call_records(self.ctx.db, record_filter, self.recent_pager.offset, RECENT_LIMIT)
        shown = f"，显示{self.recent_pager.shown(len(recent))}" if records > len(recent) else ""
        self.recent_hint.setText(f"共 {records} 条{shown}" if records else "没有符合条件的回访记录")
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
