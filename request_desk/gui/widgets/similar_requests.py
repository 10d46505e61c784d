"""相似的既往申请: earlier requests for the same information, with one-click actions.

Shown in the registration dialog (while the description is typed, and after
saving) and in the case view. Each row says who asked, when, and how it was
answered. For the request at hand the clerk can, in one click,

* 按重复申请处理 — open the reply with outcome 5.2 and the earlier
  registration number filled in (Art. 36(6); same applicant only);
* 关联为同一事项 — link the two requests as the same subject (counts towards
  a proactive-publication suggestion, Art. 44);
* 提请主动公开 — in the case view, once the reply disclosed the information.

A stored request's lookup runs off the UI thread, so opening a case never waits
for it (issue 18); the text lookup of the registration form is a few
milliseconds (core/similarity_index.py) and runs on the UI thread, debounced
while the clerk types.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from request_desk.core.cases import case_file
from request_desk.core.cases.workflow import Action
from request_desk.core.errors import DeskError
from request_desk.core.publication import similarity_index, worklist
from request_desk.core.publication.similarity_index import SimilarRequest
from request_desk.core.vocab import OutcomeCode
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.actions import ActionDialog
from request_desk.gui.workers import BackgroundJob, run_in_background

HEADERS = ["相似度", "登记编号", "申请人", "收到日期", "办理结果", "申请内容"]
DEBOUNCE_MS = 400
SAME_APPLICANT_COLOUR = "#fff3cd"


def open_repeat_reply(ctx: DeskContext, request_id: int, earlier_reg_number: str,
                      parent: QWidget | None = None) -> ActionDialog:
    """The reply dialog of ``request_id`` with 5.2 重复申请 and the earlier number filled in."""
    case = case_file.load_case(ctx.db, request_id, ctx.today())
    dialog = ActionDialog.start(ctx, case, Action.REPLY, parent)
    dialog.select_outcome(OutcomeCode.REPEAT_APPLICATION.value)
    repeat = dialog.fields["repeat_of"]
    repeat.setText(earlier_reg_number)  # type: ignore[attr-defined]
    summary = dialog.fields["summary"]
    if not summary.toPlainText():  # type: ignore[attr-defined]
        summary.setPlainText(f"与{earlier_reg_number}号申请内容相同，属于重复申请，不再重复处理。")  # type: ignore[attr-defined]
    return dialog


class SimilarRequestsPanel(QWidget):
    """The list and its buttons; ``set_request`` names the request the actions apply to."""

    repeat_requested = Signal(int, str)  # earlier request id, its registration number
    loaded = Signal(int)  # rows shown

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None, *, case_view: bool = False) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_view = case_view
        self.request_id: int | None = None
        self.rows: list[SimilarRequest] = []
        self.current_dialog: QWidget | None = None
        self._pending_text: tuple[str, date, str | None] | None = None
        self.lookup: BackgroundJob | None = None  # the case view's lookup under way
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._search_text_now)

        self.title = QLabel("相似的既往申请")
        self.title.setObjectName("similar_title")
        self.title.setStyleSheet("font-weight:bold;")
        self.hint = QLabel()
        self.hint.setObjectName("similar_hint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color:#555;")
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("similar_table")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setWordWrap(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())

        self.repeat_button = QPushButton("按重复申请处理（5.2）")
        self.repeat_button.setObjectName("similar_repeat")
        self.repeat_button.clicked.connect(self.mark_repeat)
        self.link_button = QPushButton("关联为同一事项")
        self.link_button.setObjectName("similar_link")
        self.link_button.clicked.connect(self.link_selected)
        self.open_button = QPushButton("查看")
        self.open_button.setObjectName("similar_open")
        self.open_button.clicked.connect(self.open_selected)
        self.publish_button = QPushButton("提请主动公开…")
        self.publish_button.setObjectName("similar_publish")
        self.publish_button.setToolTip("答复予以公开或部分公开、公众普遍需要知晓的，提请列入主动公开（条例第四十四条）。")
        self.publish_button.clicked.connect(lambda: self.propose_publication())
        self.publish_button.setVisible(case_view)

        buttons = QHBoxLayout()
        for b in (self.repeat_button, self.link_button, self.open_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.publish_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._show([])

    # ------------------------------------------------------------ loading

    def set_request(self, request_id: int | None) -> None:
        """The (saved) request the one-click actions apply to."""
        self.request_id = request_id
        self._update_buttons()

    def show_for_request(self, request_id: int) -> BackgroundJob:
        """Earlier requests similar to a stored one (case view), looked up off the UI thread.

        The case shows at once and the list follows (``loaded``, which the case view's
        tab title counts); a result for a request the panel no longer shows is dropped.
        """
        self.request_id = request_id
        db = self.ctx.db

        def found(rows: list[SimilarRequest]) -> None:
            if self.request_id == request_id:
                self._show(rows)

        self.lookup = run_in_background(
            self, "查找相似申请", lambda: similarity_index.similar_to_request(db, request_id), found,
            lambda exc: self.hint.setText(f"未能查找相似申请：{exc}"), cancellable=False)
        return self.lookup

    def forget(self) -> None:
        """Show nothing until the next lookup (the panel moves on to another request)."""
        self.rows = []
        self.table.setRowCount(0)
        self.hint.setText("正在查找相似的既往申请…")
        self._update_buttons()

    def search_text(self, description: str, received: date, applicant: str | None = None) -> None:
        """Look up a description being typed, after a pause in typing."""
        self._pending_text = (description, received, applicant)
        self._timer.start()

    def _search_text_now(self) -> None:
        if self._pending_text is None:
            return
        description, received, applicant = self._pending_text
        self._pending_text = None
        rows = similarity_index.search(self.ctx.db, description, received, applicant=applicant) \
            if len(description.strip()) >= 4 else []
        if self.request_id is not None:
            rows = [r for r in rows if r.request_id != self.request_id]
        self._show(rows)

    def flush(self) -> None:
        """Run a debounced lookup now (tests, and saving)."""
        if self._timer.isActive():
            self._timer.stop()
            self._search_text_now()

    def _show(self, rows: list[SimilarRequest]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            score = "已关联" if row.linked else f"{row.score:.0f}"
            applicant = row.applicant_name + ("（同一申请人）" if row.same_applicant else "")
            cells = [score, row.reg_number, applicant, row.received_date.isoformat(), row.outcome_label,
                     row.description]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(row.description if c == 5 else text)
                if row.same_applicant:
                    item.setBackground(QBrush(QColor(SAME_APPLICANT_COLOUR)))
                self.table.setItem(r, c, item)
        same = sum(1 for row in rows if row.same_applicant)
        if not rows:
            self.hint.setText("没有发现内容相同的既往申请。")
        else:
            extra = f"，其中{same}件为同一申请人（可能属于重复申请，条例第三十六条第六项）" if same else ""
            self.hint.setText(f"发现{len(rows)}件内容相同或相近的既往申请{extra}。")
        self._update_buttons()
        self.loaded.emit(len(rows))

    # ------------------------------------------------------------ actions

    def selected(self) -> SimilarRequest | None:
        row = self.table.currentRow()
        if not self.table.selectedItems() or not 0 <= row < len(self.rows):
            return None
        return self.rows[row]

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _update_buttons(self) -> None:
        chosen = self.selected()
        saved = self.request_id is not None
        self.repeat_button.setEnabled(bool(chosen and saved and chosen.same_applicant))
        if chosen is not None and not chosen.same_applicant:
            self.repeat_button.setToolTip("重复申请（5.2）指同一申请人就相同内容再次申请；所选申请不是同一申请人。")
        elif not saved:
            self.repeat_button.setToolTip("登记后可按重复申请处理。")
        else:
            self.repeat_button.setToolTip("打开答复，办理结果预填“5.2 重复申请”和此前申请的登记编号。")
        self.link_button.setEnabled(bool(chosen and saved and not chosen.linked))
        self.link_button.setToolTip("" if saved else "登记后可关联。")
        self.open_button.setEnabled(chosen is not None)

    def mark_repeat(self) -> None:
        chosen = self.selected()
        if chosen is None or self.request_id is None:
            return
        self.repeat_requested.emit(chosen.request_id, chosen.reg_number)

    def link_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or self.request_id is None:
            return
        try:
            worklist.link_same_subject(self.ctx.db, self.request_id, chosen.request_id, self.ctx.user)
        except DeskError as exc:
            QMessageBox.warning(self, "关联为同一事项", str(exc))
            return
        self.ctx.signals.requests_changed.emit({self.request_id, chosen.request_id})
        if self.case_view:
            self.show_for_request(self.request_id)
        else:
            self._show([r if r.request_id != chosen.request_id else _linked(r) for r in self.rows])

    def open_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.ctx.signals.open_request.emit(chosen.request_id)

    def propose_publication(self, reason: str | None = None) -> object:
        """提请主动公开 the current request's information (the clerk's flag)."""
        if self.request_id is None:
            return None
        if reason is None:
            reason, ok = QInputDialog.getText(self, "提请主动公开", "理由（公众普遍需要知晓的原因）：")
            if not ok:
                return None
        try:
            flag = worklist.raise_flag(self.ctx.db, self.request_id, self.ctx.user, reason)
        except DeskError as exc:
            QMessageBox.warning(self, "提请主动公开", str(exc))
            return None
        self.hint.setText(f"已列入主动公开清单（{flag.reason}）。")
        return flag


def _linked(row: SimilarRequest) -> SimilarRequest:
    return replace(row, linked=True)
