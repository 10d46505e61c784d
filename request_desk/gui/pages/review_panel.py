"""待审核文书: the letters submitted for review, on the letter register page.

Shown only while the office reviews letters (setting ``letter_review``). Every
user sees the list (a clerk finds their returned drafts and the comment);
审核… opens the review dialog, and a letter the user may not review — their
own draft, or a role without the permission — is greyed with the reason as
tooltip. Double-clicking a returned letter opens its case, where the drafter
opens the letter again to edit and resubmit it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from request_desk.core.letters import review
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.review import ReviewDialog

COLUMNS = ["编号", "状态", "申请编号", "文书", "成文日期", "起草人", "审核意见"]
RETURNED_HINT = "已退回起草人修改：双击打开本案，在文书中重新打开此文书，修改后再提交审核"


class ReviewPanel(QGroupBox):
    """The open reviews: pending ones to approve or return, returned ones waiting for their drafter."""

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__("待审核文书")
        self.setObjectName("reviewPanel")
        self.ctx = ctx
        self.rows: list[review.ReviewRow] = []
        self.why_not: dict[int, str | None] = {}
        self.dialog: ReviewDialog | None = None
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("reviews")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setMaximumHeight(160)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.table.itemSelectionChanged.connect(self._update_button)
        self.review_button = QPushButton("审核…")
        self.review_button.setObjectName("openReview")
        self.review_button.clicked.connect(self._review_selected)
        self.count = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.count)
        buttons.addStretch(1)
        buttons.addWidget(self.review_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.on = False
        ctx.signals.requests_changed.connect(lambda _ids: self.refresh() if self.on else None)
        ctx.signals.settings_changed.connect(self._settings_changed)
        ctx.signals.users_changed.connect(self.refresh)
        self._settings_changed()

    def _settings_changed(self) -> None:
        # Read once per settings change: an office without review pays nothing on each change of a request.
        self.on = review.enabled(self.ctx.db)
        self.setVisible(self.on)
        self.refresh()

    def refresh(self) -> None:
        on = self.on
        self.rows = review.open_reviews(self.ctx.db) if on else []
        self.why_not = {r.id: review.why_not_review(self.ctx.db, r.id, self.ctx.user) for r in self.rows}
        self.table.setRowCount(len(self.rows))
        grey = QColor("#888888")
        for i, r in enumerate(self.rows):
            values = [f"#{r.id}", r.state_label, r.reg_number, r.title, str(r.on_date), r.submitted_by_name,
                      f"{r.reviewed_by_name}：{r.comment}" if r.state == review.RETURNED else ""]
            why = self.why_not[r.id] if r.state == review.PENDING else RETURNED_HINT
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if why:
                    item.setForeground(grey)
                    item.setToolTip(why)
                item.setData(Qt.ItemDataRole.UserRole, r.id)
                self.table.setItem(i, col, item)
        waiting = sum(1 for r in self.rows if r.state == review.PENDING)
        self.count.setText(f"待审核 {waiting} 件，退回修改 {len(self.rows) - waiting} 件")
        self._update_button()

    def row_of(self, review_id: int) -> int:
        return next(i for i, r in enumerate(self.rows) if r.id == review_id)

    def _update_button(self) -> None:
        selected = self.table.selectionModel().selectedRows()
        why = self.why_not.get(self.rows[selected[0].row()].id) if selected else "请先选择一件文书"
        self.review_button.setEnabled(why is None)
        self.review_button.setToolTip(why or "")

    def open_row(self, index: int) -> ReviewDialog | None:
        """Open a pending letter's review (if the user may review it), or a returned letter's case."""
        r = self.rows[index]
        if r.state == review.RETURNED:
            if r.request_id is not None:
                self.ctx.signals.open_request.emit(r.request_id)
            return None
        if self.why_not.get(r.id) is not None:
            self.ctx.signals.status_message.emit(self.why_not[r.id] or "")
            return None
        dialog = ReviewDialog(self.ctx, r.id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.dialog = dialog
        return dialog

    def _review_selected(self) -> None:
        selected = self.table.selectionModel().selectedRows()
        if selected:
            self.open_row(selected[0].row())
