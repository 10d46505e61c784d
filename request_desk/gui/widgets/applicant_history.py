"""申请人历史: every request of the case's applicant, the counts per month, the 5.2 candidates.

A tab of the case view. The applicant is recognised by the rule of
``core.cases.applicant_history`` — the same rule by which the fee notice
counts "同一申请人本自然月内的申请件数" (109号). Earlier requests of the
applicant that ask for the same information are highlighted: they are
candidates for a reply 5.2 重复申请 (条例第三十六条第六项), which the clerk
decides in the reply dialog. Double-click opens a request.

A legal person's history is one scan of the register (no index on the
credit code), so the lookup runs when the tab is first shown, not on every
refresh of the case.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from request_desk.core.cases import applicant_history
from request_desk.core.cases.applicant_history import ApplicantHistory
from request_desk.gui.context import DeskContext
from request_desk.gui.widgets.common import read_only_table

HEADERS = ["登记编号", "收到日期", "办理情况", "重复申请", "申请内容"]
CANDIDATE_COLOUR = "#fff3cd"  # as the similar-requests panel marks the same applicant
CURRENT_COLOUR = "#e8f0fe"
LIMIT = 200


class ApplicantHistoryPanel(QWidget):
    """``show_for_request`` names the case; the history is read when the panel is visible."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.request_id: int | None = None
        self.history: ApplicantHistory | None = None
        self._stale = False

        self.title = QLabel("申请人历史")
        self.title.setObjectName("history_title")
        self.title.setStyleSheet("font-weight:bold;")
        self.title.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setObjectName("history_hint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color:#555;")
        self.table = read_only_table(HEADERS)
        self.table.setObjectName("history_table")
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        # The counts per calendar month: one column a month, newest first, scrolled sideways.
        self.months = QTableWidget(1, 0)
        self.months.setObjectName("history_months")
        self.months.setVerticalHeaderLabels(["件数"])
        self.months.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.months.setToolTip("同一申请人每个自然月的申请件数（按件计收信息处理费、条例第三十五条所称数量和频次）")
        self.months.horizontalHeader().setDefaultSectionSize(64)
        self.months.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.months.setFixedHeight(self.months.horizontalHeader().sizeHint().height()
                                   + self.months.verticalHeader().defaultSectionSize()
                                   + self.months.horizontalScrollBar().sizeHint().height() + 4)
        months_title = QLabel("每月申请件数")
        months_title.setStyleSheet("color:#555;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(months_title)
        layout.addWidget(self.months)

    # ------------------------------------------------------------ loading

    def show_for_request(self, request_id: int) -> None:
        """The case whose applicant is shown; read now if visible, else when shown."""
        self.request_id = request_id
        self._stale = True
        if self.isVisible():
            self.load()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.load()

    def load(self) -> ApplicantHistory | None:
        if self.request_id is None:
            return None
        self._stale = False
        self.history = applicant_history.history(self.ctx.db, self.request_id, limit=LIMIT)
        self._show(self.history)
        return self.history

    def _show(self, h: ApplicantHistory) -> None:
        self.title.setText(f"申请人历史（{h.key.describe()}）")
        self.table.setRowCount(len(h.rows))
        for r, row in enumerate(h.rows):
            mark = "可能重复" if row.repeat_candidate else ("本申请" if row.current else "")
            cells = [row.reg_number, row.received_date.isoformat(), row.outcome_label or row.status_label, mark,
                     row.description]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                tip = row.description if c == len(cells) - 1 else text
                if c == 3 and row.repeat_candidate:
                    tip = f"与本申请内容相同或相近（相似度{row.score:.0f}）"
                item.setToolTip(tip)
                if row.repeat_candidate:
                    item.setBackground(QBrush(QColor(CANDIDATE_COLOUR)))
                elif row.current:
                    item.setBackground(QBrush(QColor(CURRENT_COLOUR)))
                self.table.setItem(r, c, item)
        newest_first = list(reversed(h.by_month))  # as the list
        self.months.setColumnCount(len(newest_first))
        self.months.setHorizontalHeaderLabels([m for m, _n in newest_first])
        for c, (month, n) in enumerate(newest_first):
            item = QTableWidgetItem(str(n))
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            item.setToolTip(f"{month}：{n}件")
            self.months.setItem(0, c, item)
        shown = f"，列出最近{len(h.rows)}件" if h.truncated else ""
        text = f"该申请人共{h.total}件申请{shown}，分布在{len(h.by_month)}个自然月。"
        if h.candidates:
            text += (f"其中{len(h.candidates)}件既往申请内容相同或相近（已标出），可能属于重复申请"
                     "（条例第三十六条第六项），请在答复时核实。")
        self.hint.setText(text)

    # ------------------------------------------------------------ actions

    def open_selected(self) -> None:
        row = self.table.currentRow()
        if self.history is not None and self.table.selectedItems() and 0 <= row < len(self.history.rows):
            self.ctx.signals.open_request.emit(self.history.rows[row].request_id)
