"""The filter bar of the request list: search box, pickers, date range, quick filters.

It only builds a ``RequestFilter``; the list does the querying. Typing in the
search box is debounced (~250 ms) so a query runs when the clerk pauses, not
on every keystroke; every other control applies at once.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from request_desk.core.cases.register_list import Deadline, RequestFilter, searchable
from request_desk.core.office import units
from request_desk.core.vocab import OPEN_STATUSES, OUTCOME_GROUPS, OUTCOMES, Status
from request_desk.gui.context import DeskContext
from request_desk.gui.widgets.common import to_date, to_qdate

SEARCH_DEBOUNCE_MS = 250
PUNCTUATION_ONLY = "请输入文字或数字：只有标点符号时不作为搜索条件"


def _find(combo: QComboBox, value: object) -> int:
    # findData() cannot compare Python tuples stored as item data.
    return next((i for i in range(combo.count()) if combo.itemData(i) == value), 0)


class RequestFilterBar(QWidget):
    """Emits ``changed(RequestFilter)`` whenever the clerk narrows or widens the list."""

    changed = Signal(object)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("搜索登记编号、申请人、申请内容、电话或证件号码（号码输入后4–6位即可）")
        self.search.setToolTip("可输入任意字词，空格分隔多个条件；电话、证件号码可输入全号或后4–6位，"
                               "分隔符（空格、-）可有可无，结果中号码已遮盖")
        self.search.setClearButtonEnabled(True)
        # Says why typed punctuation changes nothing (issue 15, point 7).
        self.search_hint = QLabel(PUNCTUATION_ONLY)
        self.search_hint.setObjectName("search_hint")
        self.search_hint.setStyleSheet("color: #8a5300")
        self.search_hint.setVisible(False)
        self.search.textChanged.connect(self._show_hint)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit)
        self.search.textChanged.connect(lambda _: self._debounce.start())
        self.search.returnPressed.connect(self._emit)  # Enter: search now

        self.status = QComboBox()
        self.status.setObjectName("status_filter")
        self.status.addItem("全部状态", ())
        self.status.addItem("未办结", tuple(s.value for s in Status if s in OPEN_STATUSES))
        for s in Status:
            self.status.addItem(s.label, (s.value,))

        self.unit = QComboBox()
        self.unit.setObjectName("unit_filter")
        self.unit.setMinimumContentsLength(10)
        self.reload_units()

        self.outcome = QComboBox()
        self.outcome.setObjectName("outcome_filter")
        self.outcome.addItem("全部办理结果", None)
        for group, label in OUTCOME_GROUPS.items():
            self.outcome.addItem(f"{group} {label}", group)
            for o in OUTCOMES:
                if o.group == group and o.code != group:
                    self.outcome.addItem(f"    {o.code} {o.label}", o.code)
                    self.outcome.setItemData(self.outcome.count() - 1, f"{o.code} {o.label}",
                                             Qt.ItemDataRole.ToolTipRole)
        self.outcome.setMinimumContentsLength(10)

        today = ctx.today()
        self.use_dates = QCheckBox("收到日期")
        self.use_dates.setObjectName("use_dates")
        self.date_from = QDateEdit(to_qdate(date(today.year, 1, 1)))
        self.date_to = QDateEdit(to_qdate(today))
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            edit.dateChanged.connect(self._emit)
        self.use_dates.toggled.connect(self.date_from.setEnabled)
        self.use_dates.toggled.connect(self.date_to.setEnabled)

        self.overdue = QPushButton("超期")
        self.overdue.setObjectName("quick_overdue")
        self.overdue.setToolTip("答复期限已过、仍在计时的申请")
        self.due_soon = QPushButton("临期")
        self.due_soon.setObjectName("quick_due_soon")
        self.due_soon.setToolTip("今日到期或剩余工作日不多于临期提醒天数（设置中修改）、仍在计时的申请")
        for button, other in ((self.overdue, self.due_soon), (self.due_soon, self.overdue)):
            button.setCheckable(True)
            button.toggled.connect(lambda on, o=other: self._quick(on, o))
        self.provisional = QCheckBox("期限暂定")
        self.provisional.setObjectName("quick_provisional")
        self.provisional.setToolTip("答复期限跨入尚未公布放假安排年份的未办结申请")
        self.clear_button = QPushButton("清除筛选")
        self.clear_button.setObjectName("clear_filters")
        self.clear_button.clicked.connect(lambda: self.clear())

        for combo in (self.status, self.unit, self.outcome):
            combo.currentIndexChanged.connect(self._emit)
        for box in (self.use_dates, self.provisional):
            box.toggled.connect(self._emit)

        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(self.search_hint)
        top.addWidget(self.status, 1)
        top.addWidget(self.unit, 1)
        top.addWidget(self.outcome, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.use_dates)
        bottom.addWidget(self.date_from)
        bottom.addWidget(QLabel("至"))
        bottom.addWidget(self.date_to)
        bottom.addSpacing(16)
        bottom.addWidget(self.overdue)
        bottom.addWidget(self.due_soon)
        bottom.addWidget(self.provisional)
        bottom.addSpacing(16)
        bottom.addWidget(self.clear_button)
        bottom.addStretch(1)
        self.extra = bottom  # the page adds its count label at the right end
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(bottom)

    def reload_units(self) -> None:
        current = self.unit.currentData()
        with QSignalBlocker(self.unit):
            self.unit.clear()
            self.unit.addItem("全部承办单位", None)
            for u in units.list_units(self.ctx.db):
                self.unit.addItem(u.name if u.active else f"{u.name}（已停用）", u.id)
            found = self.unit.findData(current)
            self.unit.setCurrentIndex(max(0, found))
        if current is not None and self.unit.currentData() != current:
            self._emit()

    def _quick(self, on: bool, other: QPushButton) -> None:
        if on and other.isChecked():
            with QSignalBlocker(other):
                other.setChecked(False)
        self._emit()

    @property
    def search_pending(self) -> bool:
        """Whether typed search text waits for the clerk to pause before it filters."""
        return self._debounce.isActive()

    def current_filter(self) -> RequestFilter:
        deadline: Deadline | None = (
            "overdue" if self.overdue.isChecked() else "due_soon" if self.due_soon.isChecked() else None
        )
        dates = self.use_dates.isChecked()
        return RequestFilter(
            statuses=tuple(self.status.currentData() or ()),
            unit_id=self.unit.currentData(),
            received_from=to_date(self.date_from.date()) if dates else None,
            received_to=to_date(self.date_to.date()) if dates else None,
            outcome=self.outcome.currentData(),
            deadline=deadline,
            provisional_only=self.provisional.isChecked(),
            text=self.search.text().strip() if searchable(self.search.text()) else "",
        )

    def set_filter(self, f: RequestFilter) -> None:
        """Show ``f`` in the controls (e.g. "查看全部" on the dashboard) and apply it."""
        self.clear(emit=False)
        blockers = [QSignalBlocker(w) for w in (self.search, self.status, self.unit, self.outcome,
                                                 self.use_dates, self.overdue, self.due_soon, self.provisional,
                                                 self.date_from, self.date_to)]
        self.search.setText(f.text)
        self.status.setCurrentIndex(_find(self.status, tuple(f.statuses)))
        self.unit.setCurrentIndex(_find(self.unit, f.unit_id))
        self.outcome.setCurrentIndex(_find(self.outcome, f.outcome))
        if f.received_from is not None or f.received_to is not None:
            self.use_dates.setChecked(True)
            self.date_from.setEnabled(True)
            self.date_to.setEnabled(True)
            if f.received_from is not None:
                self.date_from.setDate(to_qdate(f.received_from))
            if f.received_to is not None:
                self.date_to.setDate(to_qdate(f.received_to))
        self.overdue.setChecked(f.deadline == "overdue")
        self.due_soon.setChecked(f.deadline == "due_soon")
        self.provisional.setChecked(f.provisional_only)
        for blocker in blockers:
            blocker.unblock()
        self._emit()

    def clear(self, emit: bool = True) -> None:
        widgets = (self.search, self.status, self.unit, self.outcome, self.use_dates,
                   self.overdue, self.due_soon, self.provisional, self.date_from, self.date_to)
        blockers = [QSignalBlocker(w) for w in widgets]
        self.search.clear()
        for combo in (self.status, self.unit, self.outcome):
            combo.setCurrentIndex(0)
        for box in (self.use_dates, self.overdue, self.due_soon, self.provisional):
            box.setChecked(False)
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)
        for blocker in blockers:
            blocker.unblock()
        if emit:
            self._emit()

    def apply_now(self) -> None:
        """Filter with what is typed now, without waiting for the pause (Enter in the search box)."""
        if self.search_pending:
            self._emit()

    def _show_hint(self, typed: str) -> None:
        # isHidden, not isVisible: the bar may not be on screen yet.
        self.search_hint.setHidden(not typed.strip() or searchable(typed))

    def _emit(self) -> None:
        self._debounce.stop()
        self.changed.emit(self.current_filter())
