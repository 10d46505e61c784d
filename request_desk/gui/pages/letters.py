"""发文登记: the outgoing-letter register, reprints, batch printing and delivery.

Every issued letter is a line (文号, 成文日期, 文书, 申请, 收件人, 送达) that
cannot be edited; a corrected letter shows which letter replaced it. Batch
jobs run off the UI thread with progress: issue and print today's
acknowledgements, or print the selected letters, as one print job. While the
office reviews letters (setting ``letter_review``) the page starts with the
letters submitted for review (``review_panel``), and the day's acknowledgements
are not issued as a batch: each is submitted and approved like any letter.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from request_desk.core import cases, jobs
from request_desk.core.errors import DeskError
from request_desk.core.jobs import Job
from request_desk.core.letters import register, review
from request_desk.core.letters.kinds import KINDS
from request_desk.core.letters.register import DeliveryMethod, RegisterRow
from request_desk.gui.context import DeskContext
from request_desk.gui.pages.review_panel import ReviewPanel
from request_desk.gui.widgets.common import to_date, to_qdate
from request_desk.gui.widgets.file_dialogs import ask_save
from request_desk.gui.widgets.pdf_preview import ask_printer, print_pdfs
from request_desk.gui.workers import BackgroundJob, run_in_background

COLUMNS = ["文号", "成文日期", "文书", "申请编号", "收件人", "页数", "经办人", "更正情况", "送达"]

_Index = QModelIndex | QPersistentModelIndex


class RegisterModel(QAbstractTableModel):
    """The register lines of one date range, read a page at a time as the clerk scrolls.

    ``set_source`` gives a function ``fetch(after, limit)`` that returns the
    next lines after the key of the last one shown (``register.register_rows``);
    ``fetchMore`` asks it for the next page when the view reaches the bottom.
    """

    PAGE = 200

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[RegisterRow] = []
        self._fetch: Callable[[tuple[date, int] | None, int], list[RegisterRow]] | None = None
        self._more = False
        self._resetting = False

    def set_rows(self, rows: list[RegisterRow]) -> None:
        """Show exactly ``rows`` (nothing more to fetch)."""
        self.beginResetModel()
        self.rows = rows
        self._fetch = None
        self._more = False
        self.endResetModel()

    def set_source(self, fetch: Callable[[tuple[date, int] | None, int], list[RegisterRow]]) -> None:
        """Start over with the first page of ``fetch``."""
        first = fetch(None, self.PAGE)
        self._resetting = True  # a view may ask for more while the reset is announced: not then
        self.beginResetModel()
        self.rows = first
        self._fetch = fetch
        self._more = len(first) == self.PAGE
        self.endResetModel()
        self._resetting = False

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: N802, B008
        return not parent.isValid() and self._fetch is not None and self._more and not self._resetting

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: N802, B008
        if not self.canFetchMore(parent):
            return
        assert self._fetch is not None
        page = self._fetch(self.rows[-1].key if self.rows else None, self.PAGE)
        self._more = len(page) == self.PAGE
        if page:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page) - 1)
            self.rows.extend(page)
            self.endInsertRows()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            correction = ""
            if r.superseded_by:
                correction = f"已被 {r.superseded_by} 更正替代"
            elif r.supersedes:
                correction = f"更正 {r.supersedes}"
            kind = f"{r.kind_label}（逾期答复）" if r.late else r.kind_label
            values = [r.doc_number or "（不编号）", r.issued_date.isoformat(), kind, r.reg_number,
                      r.addressee, str(r.page_count), r.created_by_name, correction, r.delivery]
            return values[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and r.superseded:
            return QColor("#8a8a8a")
        if role == Qt.ItemDataRole.UserRole:
            return r.letter_id
        return None


class DeliveryDialog(QDialog):
    """Record how a letter went out, or that it was signed for / returned."""

    def __init__(self, ctx: DeskContext, row: RegisterRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.row = ctx, row
        self.setWindowTitle(f"送达登记 — {row.doc_number or row.title}")
        self.open_delivery = next((d for d in reversed(register.deliveries(ctx.db, row.letter_id))
                                   if not d.signed_date and not d.returned_date), None)
        self.action = QComboBox()
        self.action.setObjectName("action")
        self.action.addItem("登记发出", "dispatch")
        if self.open_delivery is not None:
            self.action.addItem(f"登记签收（{self.open_delivery.text}）", "signed")
            self.action.addItem(f"登记退回（{self.open_delivery.text}）", "returned")
            self.action.setCurrentIndex(1)
        self.method = QComboBox()
        for m in DeliveryMethod:
            self.method.addItem(m.label, m.value)
        self.method.setCurrentIndex(self.method.findData(DeliveryMethod.POST.value))
        self.tracking = QLineEdit()
        self.tracking.setObjectName("tracking")
        self.on_date = QDateEdit(to_qdate(ctx.today()))
        self.on_date.setCalendarPopup(True)
        self.text = QLineEdit()
        self.text.setPlaceholderText("签收人，或退回原因")
        form = QFormLayout()
        form.addRow("操作", self.action)
        form.addRow("送达方式", self.method)
        form.addRow("邮件单号", self.tracking)
        form.addRow("日期", self.on_date)
        form.addRow("签收人 / 退回原因", self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def save(self) -> None:
        on = to_date(self.on_date.date())
        try:
            action = self.action.currentData()
            if action == "dispatch":
                # A replied case's reply letter: this is the case's 送达 too (one record, both places).
                cases.dispatch_letter(self.ctx.db, self.row.letter_id, self.ctx.user,
                                      method=self.method.currentData(), sent=on,
                                      tracking_number=self.tracking.text(), today=self.ctx.today())
            elif action == "signed":
                assert self.open_delivery is not None
                register.record_signed(self.ctx.db, self.open_delivery.id, self.ctx.user, signed=on,
                                       signed_by=self.text.text())
            else:
                assert self.open_delivery is not None
                register.record_returned(self.ctx.db, self.open_delivery.id, self.ctx.user, returned=on,
                                         reason=self.text.text())
        except DeskError as exc:
            QMessageBox.warning(self, "送达登记", str(exc))
            return
        if self.row.request_id is not None:  # the case may now be 已送达
            self.ctx.signals.requests_changed.emit({self.row.request_id})
        self.accept()


class LettersPage(QWidget):
    """The outgoing-letter register (发文登记)."""

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.job: BackgroundJob | None = None
        today = ctx.today()
        self.start = QDateEdit(to_qdate(date(today.year, 1, 1)))
        self.start.setObjectName("start")
        self.end = QDateEdit(to_qdate(today))
        self.end.setObjectName("end")
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(lambda _d: self.refresh())
        self.kind = QComboBox()
        self.kind.setObjectName("kindFilter")
        self.kind.addItem("全部文书", None)
        for k in KINDS:
            self.kind.addItem(k.label, k.code)
        self.kind.currentIndexChanged.connect(lambda _i: self.refresh())
        filters = QHBoxLayout()
        for label, w in (("成文日期自", self.start), ("至", self.end), ("文书", self.kind)):
            filters.addWidget(QLabel(label))
            filters.addWidget(w)
        filters.addStretch(1)

        self.model = RegisterModel(self)
        self.table = QTableView()
        self.table.setObjectName("register")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._open_case)

        self.count = QLabel()
        self.total = 0
        self.more_button = QPushButton("加载更多")
        self.more_button.setObjectName("loadMore")
        self.more_button.clicked.connect(self.load_more)
        self.model.rowsInserted.connect(lambda *_: self._show_count())
        buttons = QHBoxLayout()
        actions = [
            ("printSelected", "打印所选…", self._print_selected),
            ("saveSelected", "所选另存为 PDF…", self._save_selected),
            ("printAcknowledgements", "签发并打印今日接收回执…", self._print_acknowledgements),
            ("delivery", "送达登记…", self._delivery),
        ]
        self.action_buttons: dict[str, QPushButton] = {}
        for name, text, slot in actions:
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.action_buttons[name] = button
        buttons.addStretch(1)
        buttons.addWidget(self.count)
        buttons.addWidget(self.more_button)

        self.review_panel = ReviewPanel(ctx)
        layout = QVBoxLayout(self)
        layout.addWidget(self.review_panel)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        ctx.signals.requests_changed.connect(self.refresh)
        ctx.signals.settings_changed.connect(self._settings_changed)
        self._settings_changed()

    def _settings_changed(self) -> None:
        """The review setting is read once per settings change, not on every refresh."""
        reviewed = review.enabled(self.ctx.db)
        batch = self.action_buttons["printAcknowledgements"]
        batch.setEnabled(not reviewed)
        batch.setToolTip("本机关已开启文书审核：接收回执也须逐份提交审核，由负责人审核签发" if reviewed else "")
        self.refresh()

    def refresh(self) -> None:
        """Reload the first page of the register (the rest follows as the clerk scrolls or asks)."""
        db = self.ctx.db
        filters: dict[str, Any] = {"start": to_date(self.start.date()), "end": to_date(self.end.date()),
                                   "kind": self.kind.currentData()}
        self.model.set_source(lambda after, limit: register.register_rows(db, after=after, limit=limit, **filters))
        self.total = register.register_count(db, **filters)
        self._show_count()

    def load_more(self) -> None:
        """加载更多: the next page of the register."""
        self.model.fetchMore(QModelIndex())
        self._show_count()

    def _show_count(self) -> None:
        shown = self.model.rowCount()
        self.count.setText(f"共 {self.total} 件" if shown >= self.total else f"共 {self.total} 件，已显示 {shown} 件")
        self.more_button.setVisible(self.model.canFetchMore(QModelIndex()))

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.rows[r].letter_id for r in rows]

    def _open_case(self, index: QModelIndex) -> None:
        request_id = self.model.rows[index.row()].request_id
        if request_id is not None:
            self.ctx.signals.open_request.emit(request_id)

    # -- batch jobs ---------------------------------------------------------

    def print_letters(self, letter_ids: list[int], printer: object) -> BackgroundJob:
        """Print the stored PDFs of ``letter_ids`` as one job, off the UI thread."""
        db, user = self.ctx.db, self.ctx.user

        def job() -> Job[int]:
            pdfs = yield from register.stored_pdfs(db, letter_ids, user)
            return (yield from print_pdfs(printer, [p for _, p in pdfs]))  # type: ignore[arg-type]

        self.job = run_in_background(self, f"打印 {len(letter_ids)} 份文书", job)
        return self.job

    def print_acknowledgements(self, day: date, printer: object) -> BackgroundJob:
        """Issue the missing acknowledgements of ``day``, then print all of that day's, as one job."""
        db, user = self.ctx.db, self.ctx.user

        def job() -> Job[int]:
            yield from register.issue_acknowledgements(db, day, user)
            ids = register.acknowledgements_of(db, day)
            pdfs = yield from register.stored_pdfs(db, ids, user)
            return (yield from print_pdfs(printer, [p for _, p in pdfs]))  # type: ignore[arg-type]

        self.job = run_in_background(self, "打印今日接收回执", job,
                                     on_success=lambda _pages: self._after_batch())
        return self.job

    def _after_batch(self) -> None:
        self.ctx.signals.requests_changed.emit()  # this page listens too: it refreshes once, with the others

    def refuse_reprint(self, title: str, letter_ids: list[int]) -> bool:
        """Say why, before a printer or file is asked for, if the user may not reprint these letters.

        The registration form carries the full ID number and phone: only a role
        allowed a full view may reprint it (the core checks and audits again).
        """
        try:
            refusal = register.may_reprint(self.ctx.db, letter_ids, self.ctx.user)
        except DeskError as exc:
            refusal = str(exc)
        if refusal is None:
            return False
        QMessageBox.warning(self, title, refusal)
        return True

    def _print_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            QMessageBox.information(self, "打印", "请先在登记簿中选择要打印的文书。")
            return
        if self.refuse_reprint("打印", ids):
            return
        printer = ask_printer(self, f"打印 {len(ids)} 份文书")
        if printer is not None:
            self.print_letters(ids, printer)

    def _print_acknowledgements(self) -> None:
        day = self.ctx.today()
        todo = len(register.requests_without_acknowledgement(self.ctx.db, day))
        done = len(register.acknowledgements_of(self.ctx.db, day))
        if todo + done == 0:
            QMessageBox.information(self, "接收回执", "今天没有需要打印的接收回执。")
            return
        # Nothing is issued until the printer is chosen: say what will happen, not what has.
        if todo and done:
            title = f"打印今日接收回执（将签发 {todo} 份，连同已签发的 {done} 份共打印 {todo + done} 份）"
        elif todo:
            title = f"打印今日接收回执（将签发并打印 {todo} 份）"
        else:
            title = f"打印今日接收回执（均已签发，将打印 {done} 份）"
        printer = ask_printer(self, title)
        if printer is not None:
            self.print_acknowledgements(day, printer)

    def save_selected(self, path: Path) -> None:
        """The selected letters as one PDF, written whole or not at all, on this thread (tests, scripts)."""
        jobs.run(register.save_batch_pdf(self.ctx.db, self.selected_ids(), self.ctx.user, path))

    def save_selected_in_background(self, path: Path) -> BackgroundJob:
        """``save_selected`` off the UI thread, with progress and 取消; failures are shown as a warning."""
        db, ids, user = self.ctx.db, self.selected_ids(), self.ctx.user
        self.job = run_in_background(self, "另存为 PDF", lambda: register.save_batch_pdf(db, ids, user, path))
        return self.job

    def _save_selected(self) -> None:
        if not self.selected_ids():
            QMessageBox.information(self, "另存为 PDF", "请先在登记簿中选择文书。")
            return
        if self.refuse_reprint("另存为 PDF", self.selected_ids()):
            return
        target = ask_save(self, "另存为 PDF", "文书.pdf", "PDF 文件 (*.pdf)")
        if target:
            self.save_selected_in_background(Path(target))

    def _delivery(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            QMessageBox.information(self, "送达登记", "请选择一份文书。")
            return
        row = next(r for r in self.model.rows if r.letter_id == ids[0])
        if DeliveryDialog(self.ctx, row, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh()
