"""报表 → 办理质量: a year's or a month's quality figures, and the draft paragraph for the annual report.

The figures are counted off the UI thread (``reports/quality.py``); the draft
is plain text the clerk may edit before copying it into the report's text —
editing it changes nothing stored.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from request_desk.core.reports import quality
from request_desk.core.reports.common import Month
from request_desk.gui.context import DeskContext
from request_desk.gui.pages.report_widgets import ReportJobs, report_item, report_table
from request_desk.gui.workers import BackgroundJob

WHOLE_YEAR = 0


class QualityTab(ReportJobs, QWidget):
    computed = Signal()

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx, self._jobs = ctx, []
        self.figures: quality.QualityFigures | None = None
        today = ctx.today()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year - 1 if today.month == 1 else today.year)
        self.year.setSuffix(" 年")
        self.month = QComboBox()
        self.month.addItem("全年", WHOLE_YEAR)
        for m in range(1, 13):
            self.month.addItem(f"{m} 月", m)
        compute = QPushButton("统计")
        compute.clicked.connect(self.compute)
        controls = QHBoxLayout()
        for w in (QLabel("期间"), self.year, self.month, compute):
            controls.addWidget(w)
        controls.addStretch(1)

        self.table = report_table(["指标", "数值"], stretch=1)
        self.draft = QPlainTextEdit()
        self.draft.setPlaceholderText("统计后，这里给出可写入年度报告正文的一段文字（草稿，可修改后复制）。")
        copy = QPushButton("复制文字")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.draft.toPlainText()))
        draft_box = QGroupBox("年度报告文字稿（草稿）")
        dv = QVBoxLayout(draft_box)
        dv.addWidget(QLabel("按答复日期统计；用时自收到申请（或补正）之日起，扣除依法不计入期限的暂停时间。"))
        dv.addWidget(self.draft, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(copy)
        dv.addLayout(row)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.table, 3)
        layout.addWidget(draft_box, 2)
        layout.addWidget(self.status)

    def period(self) -> quality.Period:
        month = self.month.currentData()
        if month == WHOLE_YEAR:
            return quality.Period.of_year(self.year.value())
        return quality.Period.of_month(Month(self.year.value(), month))

    def compute(self) -> BackgroundJob:
        period, db = self.period(), self.ctx.db
        self._say(f"正在统计{period.label}的办理质量…")
        return self._run("统计办理质量", lambda: quality.quality_figures(db, period), self._show)

    def _show(self, figures: quality.QualityFigures) -> None:
        self.figures = figures
        lines = quality.figure_lines(figures)
        self.table.setRowCount(len(lines))
        for r, (label, value) in enumerate(lines):
            self.table.setItem(r, 0, report_item(label))
            self.table.setItem(r, 1, report_item(value))
        self.draft.setPlainText(quality.narrative(figures))
        self._say(f"{figures.period.label}：答复 {figures.replies} 件。")
        self.computed.emit()
