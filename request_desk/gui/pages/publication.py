"""主动公开: the publishing team's worklist (条例第四十四条).

One row per subject: 待审核 → 已审核 → 已公开 (channel, link, date) or 不予公开
(reason). Steps run through ``core.publication`` (audited); the list exports
to Excel, and the figures for the annual report's text are shown underneath.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from request_desk.core.cases import case_file
from request_desk.core.errors import DeskError
from request_desk.core.publication import worklist
from request_desk.core.publication.worklist import FlagRow
from request_desk.core.vocab import PublicationState
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.actions import FormDialog, date_edit, py_date
from request_desk.gui.widgets.file_dialogs import ask_save

HEADERS = ["状态", "拟公开事项", "涉及申请", "申请人数", "提出方式", "提出时间", "公开渠道 / 不予公开理由", "公开日期"]
STATE_COLOURS = {PublicationState.PROPOSED: "#b26a00", PublicationState.REVIEWED: "#1565c0",
                 PublicationState.PUBLISHED: "#2e7d32", PublicationState.DECLINED: "#757575"}


class PublishDialog(FormDialog):
    """登记公开: where it was published, the link and the date."""

    def __init__(self, ctx: DeskContext, row: FlagRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "登记已主动公开", parent)
        self.row = row
        self.say(f"拟公开事项：{row.subject}")
        channel = QLineEdit("政府网站“政府信息公开”专栏")
        self.add("channel", "公开渠道", channel)
        link = QLineEdit()
        link.setPlaceholderText("https://")
        self.add("link", "链接", link)
        self.add("published", "公开日期", date_edit(ctx.today(), maximum=ctx.today()))

    def perform(self) -> Any:
        return worklist.publish(self.ctx.db, self.row.id, self.ctx.user,
                                   channel=self.fields["channel"].text(),  # type: ignore[attr-defined]
                                   link=self.fields["link"].text(),  # type: ignore[attr-defined]
                                   published=py_date(self.fields["published"]),  # type: ignore[arg-type]
                                   today=self.ctx.today())

    @classmethod
    def start(cls, ctx: DeskContext, row: FlagRow, parent: QWidget | None = None) -> PublishDialog:
        return cls._launch(cls(ctx, row, parent))  # type: ignore[return-value]


class DeclineDialog(FormDialog):
    """不予主动公开, with the reason."""

    def __init__(self, ctx: DeskContext, row: FlagRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "不予主动公开", parent)
        self.row = row
        self.say(f"拟公开事项：{row.subject}")
        reason = QPlainTextEdit()
        reason.setTabChangesFocus(True)
        reason.setFixedHeight(80)
        self.add("reason", "理由", reason)

    def perform(self) -> Any:
        return worklist.decline(self.ctx.db, self.row.id, self.ctx.user,
                                   reason=self.fields["reason"].toPlainText())  # type: ignore[attr-defined]

    @classmethod
    def start(cls, ctx: DeskContext, row: FlagRow, parent: QWidget | None = None) -> DeclineDialog:
        return cls._launch(cls(ctx, row, parent))  # type: ignore[return-value]


class PublicationPage(QWidget):
    """The 主动公开 page of the main window."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[FlagRow] = []
        self.current_dialog: FormDialog | None = None

        self.state_filter = QComboBox()
        self.state_filter.setObjectName("state_filter")
        self.state_filter.addItem("未办结（待审核、已审核）", "open")
        self.state_filter.addItem("全部", "all")
        for state in PublicationState:
            self.state_filter.addItem(state.label, state.value)
        self.state_filter.currentIndexChanged.connect(lambda _i: self.refresh())

        self.review_button = QPushButton("审核通过")
        self.review_button.setObjectName("review")
        self.review_button.clicked.connect(self.review_selected)
        self.publish_button = QPushButton("登记已公开…")
        self.publish_button.setObjectName("publish")
        self.publish_button.clicked.connect(self.publish_selected)
        self.decline_button = QPushButton("不予公开…")
        self.decline_button.setObjectName("decline")
        self.decline_button.clicked.connect(self.decline_selected)
        self.export_button = QPushButton("导出 Excel…")
        self.export_button.setObjectName("export")
        self.export_button.clicked.connect(self.ask_export)

        top = QHBoxLayout()
        top.addWidget(QLabel("显示："))
        top.addWidget(self.state_filter)
        top.addStretch(1)
        for b in (self.review_button, self.publish_button, self.decline_button, self.export_button):
            top.addWidget(b)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("flags")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self._open_first_request)

        self.detail = QLabel()
        self.detail.setObjectName("detail")
        self.detail.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("color:#444;")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.summary)
        # A new or answered request may raise a flag; a hidden page catches up when shown.
        self._stale = False
        ctx.signals.requests_changed.connect(self._requests_changed)
        self.refresh()

    def _requests_changed(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if self._stale:
            self.refresh()
        super().showEvent(event)

    # ------------------------------------------------------------ showing

    def _states(self) -> list[PublicationState] | None:
        choice = self.state_filter.currentData()
        if choice == "all":
            return None
        if choice == "open":
            return [PublicationState.PROPOSED, PublicationState.REVIEWED]
        return [PublicationState(choice)]

    def refresh(self) -> None:
        self._stale = False
        selected = self.selected()
        self.rows = worklist.worklist(self.ctx.db, self._states())
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            outcome = row.channel if row.state == PublicationState.PUBLISHED else row.declined_reason
            cells = [row.state.label, row.subject, "、".join(row.reg_numbers), str(row.applicants), row.origin_label,
                     row.raised_at.astimezone().strftime("%Y-%m-%d"), outcome,
                     row.published_date.isoformat() if row.published_date else ""]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(row.reason if c == 4 else text)
                if c == 0:
                    item.setForeground(QColor(STATE_COLOURS[row.state]))
                self.table.setItem(r, c, item)
            if selected is not None and row.id == selected.id:
                self.table.selectRow(r)
        counts = worklist.annual_counts(self.ctx.db, self.ctx.today().year)
        self.summary.setText("年度报告用语：" + worklist.narrative(counts))
        self._update_buttons()

    def selected(self) -> FlagRow | None:
        row = self.table.currentRow()
        if not self.table.selectedItems() or not 0 <= row < len(self.rows):
            return None
        return self.rows[row]

    def select_flag(self, flag_id: int) -> None:
        for r, row in enumerate(self.rows):
            if row.id == flag_id:
                self.table.selectRow(r)
                return
        raise LookupError(flag_id)

    def _update_buttons(self) -> None:
        row = self.selected()
        state = row.state if row else None
        self.review_button.setEnabled(state == PublicationState.PROPOSED)
        self.publish_button.setEnabled(state == PublicationState.REVIEWED)
        self.decline_button.setEnabled(state in (PublicationState.PROPOSED, PublicationState.REVIEWED))
        self.publish_button.setToolTip("" if state != PublicationState.PROPOSED else "请先审核。")
        if row is None:
            self.detail.setText("")
            return
        # The core's own refusal (role, or one's own proposal) greys the button and says why.
        for step, button in (("review", self.review_button), ("publish", self.publish_button),
                             ("decline", self.decline_button)):
            why = worklist.may_decide(self.ctx.db, row.id, step, self.ctx.user) if button.isEnabled() else None
            if why is not None:
                button.setEnabled(False)
                button.setToolTip(why)
            elif button is not self.publish_button:
                button.setToolTip("")
        parts = [f"提出理由：{row.reason.rstrip('。')}", f"提出人：{row.raised_by}"]
        if row.reviewed_by:
            parts.append(f"审核人：{row.reviewed_by}")
        if row.link:
            parts.append(f"链接：{row.link}")
        self.detail.setText("；".join(parts))

    # ------------------------------------------------------------ actions

    def review_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            worklist.review(self.ctx.db, row.id, self.ctx.user)
        except DeskError as exc:
            QMessageBox.warning(self, "审核", str(exc))
        self.refresh()

    def publish_selected(self) -> PublishDialog | None:
        row = self.selected()
        if row is None:
            return None
        dialog = PublishDialog.start(self.ctx, row, self)
        dialog.accepted.connect(self.refresh)
        self.current_dialog = dialog
        return dialog

    def decline_selected(self) -> DeclineDialog | None:
        row = self.selected()
        if row is None:
            return None
        dialog = DeclineDialog.start(self.ctx, row, self)
        dialog.accepted.connect(self.refresh)
        self.current_dialog = dialog
        return dialog

    def export_to(self, path: Path | str) -> Path:
        """The list as shown (state filter applied) to an Excel file."""
        return worklist.export_xlsx(self.ctx.db, path, self._states())

    def ask_export(self) -> None:
        name = ask_save(self, "导出主动公开清单", f"主动公开清单-{self.ctx.today():%Y%m%d}.xlsx",
                        "Excel 工作簿 (*.xlsx)")
        if not name:
            return
        try:
            path = self.export_to(name)
        except DeskError as exc:
            QMessageBox.warning(self, "导出", str(exc))
            return
        QMessageBox.information(self, "导出", f"已导出到 {path}")

    def _open_first_request(self) -> None:
        row = self.selected()
        if row is None or not row.reg_numbers:
            return
        request_id = case_file.find_request_id(self.ctx.db, row.reg_numbers[-1])
        if request_id is not None:
            self.ctx.signals.open_request.emit(request_id)
