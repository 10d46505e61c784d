"""报表 → 月度登记台账: preview one section of a month, export it (xlsx, csv, pdf), lock a filed month."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from request_desk.core.errors import DeskError
from request_desk.core.reports import export, monthly, period_lock
from request_desk.core.reports.common import Month
from request_desk.gui.context import DeskContext
from request_desk.gui.pages.report_widgets import GREEN, RED, ReportJobs, report_item, report_table
from request_desk.gui.workers import BackgroundJob

PREVIEW_ROWS = 500


class MonthlyTab(ReportJobs, QWidget):
    exported = Signal(str)
    previewed = Signal()

    def __init__(self, ctx: DeskContext, ask_save: Callable[..., str | None]) -> None:
        super().__init__()
        self.ctx, self.ask_save, self._jobs = ctx, ask_save, []
        last = Month.of(ctx.today()).previous()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(last.year)
        self.year.setSuffix(" 年")
        self.month = QComboBox()
        self.month.addItems([f"{m} 月" for m in range(1, 13)])
        self.month.setCurrentIndex(last.month - 1)
        self.full = QCheckBox("显示完整证件号码和电话（默认脱敏）")
        allowed = export.may_export_full_personal_data(ctx.db, ctx.user)
        self.full.setEnabled(allowed)
        self.full.setToolTip(
            "完整导出将记入审计日志。" if allowed else "只有负责人或管理员可以查看、导出完整个人信息。"
        )
        self.section = QComboBox()
        for s in monthly.SECTIONS:
            self.section.addItem(s.heading, s)
        controls = QHBoxLayout()
        for w in (QLabel("月份"), self.year, self.month, QLabel("栏目"), self.section, self.full):
            controls.addWidget(w)
        controls.addStretch(1)
        preview = QPushButton("预览")
        preview.clicked.connect(self.preview)
        controls.addWidget(preview)
        buttons = QHBoxLayout()
        for fmt, label in (("xlsx", "导出 Excel…"), ("csv", "导出 CSV…"), ("pdf", "导出 PDF（打印）…")):
            b = QPushButton(label)
            b.clicked.connect(lambda _=False, f=fmt: self.ask_and_export(f))
            buttons.addWidget(b)
        lock = QPushButton("归档锁定本月…")
        lock.setToolTip("台账已打印归档：此后对该月案件的修改将在下月台账中列为更正")
        lock.clicked.connect(self.lock_month)
        buttons.addStretch(1)
        buttons.addWidget(lock)
        description = [c.key for c in monthly.COLUMNS].index("description")
        self.table = report_table([c.label for c in monthly.COLUMNS], stretch=description)
        self.table.doubleClicked.connect(self._open)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

    def selected_month(self) -> Month:
        return Month(self.year.value(), self.month.currentIndex() + 1)

    def preview(self) -> None:
        month, full = self.selected_month(), self.full.isChecked()
        section = monthly.Section(self.section.currentData())
        db = self.ctx.db
        self._say("正在读取…")
        self._run("预览登记台账",
                  lambda: export.preview_register(db, section, month, full_personal_data=full, limit=PREVIEW_ROWS),
                  self._show_preview)

    def _show_preview(self, preview: export.RegisterPreview) -> None:
        total, rows = preview.total, preview.rows
        self.table.setRowCount(len(rows))
        keys = [c.key for c in monthly.COLUMNS]
        for r, row in enumerate(rows):
            for c, key in enumerate(keys):
                item = report_item(row.text(key), data=row.request_id)
                if key == "on_time" and row.overdue:
                    item.setForeground(QBrush(RED))
                self.table.setItem(r, c, item)
        more = f"（预览前 {len(rows)} 行，导出文件包含全部）" if total > len(rows) else ""
        self._say(f"{self.selected_month().label} {self.section.currentText()}：共 {total} 件{more}。")
        self.previewed.emit()

    def ask_and_export(self, fmt: str) -> None:
        month = self.selected_month()
        path = self.ask_save(self, "导出登记台账", f"登记台账-{month.key}.{fmt}", fmt)
        if path:
            self.export(fmt, Path(path))

    def export(self, fmt: str, path: Path) -> BackgroundJob:
        month, full, db = self.selected_month(), self.full.isChecked(), self.ctx.db
        self._say(f"正在导出 {path.name}…")

        def done(summary: export.RegisterSummary) -> None:
            c = summary.counts
            marked = (f"其中 {len(summary.missing_glyphs)} 个字符没有可用字体，PDF 中以“〓”标出并在表后列明，"
                      "原文见 Excel 或 CSV 登记表。") if summary.missing_glyphs else ""
            self._say(f"已导出 {path}：本月收到 {c['received']} 件，月末未办结 {c['open']} 件，"
                      f"本月办结 {c['answered']} 件，更正 {summary.amendments} 条。{marked}", GREEN)
            self.exported.emit(str(path))

        user = self.ctx.user
        return self._run("导出登记台账",
                         lambda: export.export_register(db, month, fmt, path, full_personal_data=full, actor=user),
                         done)

    def lock_month(self) -> None:
        month = self.selected_month()
        answer = QMessageBox.question(self, "归档锁定", f"确认{month.label}的登记台账已打印归档？锁定后对该月案件的修改"
                                      "将在以后的台账中列为更正。")
        if answer == QMessageBox.StandardButton.Yes:
            try:
                period_lock.lock_month(self.ctx.db, month, self.ctx.user)
            except DeskError as exc:
                self._say(str(exc), RED)
            else:
                self._say(f"{month.label}已归档锁定。", GREEN)

    def _open(self, index: Any) -> None:
        rid = index.data(Qt.ItemDataRole.UserRole)
        if rid is not None:
            self.ctx.signals.open_request.emit(int(rid))
