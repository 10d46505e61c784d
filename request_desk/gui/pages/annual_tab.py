"""报表 → 年度报告: the statutory annual table with its own check, drill-down to the requests, export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from request_desk.core.reports import annual, export, monthly
from request_desk.core.vocab import APPLICANT_TYPE_LABELS, ApplicantType, Status
from request_desk.gui.context import DeskContext
from request_desk.gui.pages.report_widgets import GREEN, RED, ReportJobs, report_item, report_table
from request_desk.gui.workers import BackgroundJob

DRILL_PAGE = 200


def _two_lines(label: str) -> str:
    """A column heading over the narrow numbers: "社会公益组织" as "社会公益" over "组织"."""
    return label if len(label) <= 4 else f"{label[:4]}\n{label[4:]}"


@dataclass(frozen=True)
class _Cell:
    row: str
    column: str


class AnnualTab(ReportJobs, QWidget):
    computed = Signal()
    drilled = Signal()
    exported = Signal(str)

    def __init__(self, ctx: DeskContext, ask_save: Callable[..., str | None]) -> None:
        super().__init__()
        self.ctx, self.ask_save, self._jobs = ctx, ask_save, []
        self.report: annual.AnnualReport | None = None
        self.cell: _Cell | None = None
        self.last_id = 0
        today = ctx.today()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year - 1 if today.month == 1 else today.year)
        self.year.setSuffix(" 年度")
        compute = QPushButton("统计")
        compute.clicked.connect(self.compute)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("年度"))
        controls.addWidget(self.year)
        controls.addWidget(compute)
        controls.addStretch(1)
        for fmt, label in (("xlsx", "Excel…"), ("pdf", "PDF…"), ("html", "网页 HTML…"), ("json", "JSON…")):
            b = QPushButton(f"导出 {label}")
            b.clicked.connect(lambda _=False, f=fmt: self.ask_and_export(f))
            controls.addWidget(b)

        self.specs = annual.row_specs()
        self.table = report_table(["项目", *(_two_lines(annual.COLUMN_LABELS[c]) for c in annual.COLUMN_KEYS)],
                                  stretch=0)
        self.table.setRowCount(len(self.specs))
        # At 1024 px the row labels get what the numbers leave: they wrap onto a second line
        # (rows as tall as their text) rather than end in "…" (issue 15.8).
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for r, spec in enumerate(self.specs):
            heading = report_item(("　" * spec.level) + spec.number + spec.label)
            if spec.level == 0:
                heading.setFont(QFont(heading.font().family(), -1, QFont.Weight.Bold))
            self.table.setItem(r, 0, heading)
        self.table.cellClicked.connect(self._clicked)
        self.check = QLabel()
        self.check.setWordWrap(True)
        self.remedies = report_table(["", *(annual.REMEDY_COLUMN_LABELS[c] for c in annual.REMEDY_COLUMNS)], stretch=0)
        self.remedies.setRowCount(len(annual.REMEDY_KINDS))
        for r, kind in enumerate(annual.REMEDY_KINDS):
            self.remedies.setItem(r, 0, report_item(("行政诉讼：" if r else "") + annual.REMEDY_KIND_LABELS[kind]))
        self.remedies.setMaximumHeight(130)

        self.drill_title = QLabel("点击表中的数字，列出对应的申请；双击申请打开案件。")
        self.drill = report_table(
            ["登记编号", "收到日期", "申请人类型", "申请人", "办理结果", "答复日期", "状态"], stretch=3
        )
        self.drill.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.drill.doubleClicked.connect(self._open)
        self.more = QPushButton("加载更多")
        self.more.setEnabled(False)
        self.more.clicked.connect(lambda: self._load_cell(more=True))
        self.status = QLabel()
        self.status.setWordWrap(True)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.table, 1)
        lv.addWidget(self.check)
        lv.addWidget(QLabel("行政复议、行政诉讼情况（本年提起，截至12月31日的结果）"))
        lv.addWidget(self.remedies)
        right = QGroupBox("明细")
        rv = QVBoxLayout(right)
        rv.addWidget(self.drill_title)
        rv.addWidget(self.drill, 1)
        rv.addWidget(self.more)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)

    def compute(self) -> BackgroundJob:
        year, db = self.year.value(), self.ctx.db
        self._say(f"正在统计{year}年度…")
        return self._run("统计年度报告", lambda: annual.annual_report(db, year), self._show)

    def _show(self, report: annual.AnnualReport) -> None:
        self.report = report
        centre = Qt.AlignmentFlag.AlignCenter
        for r, spec in enumerate(self.specs):
            for c, col in enumerate(annual.COLUMN_KEYS, start=1):
                if spec.key.startswith("heading:"):
                    self.table.setItem(r, c, report_item(""))
                    continue
                item = report_item(report.table[spec.key][col], align=centre, data=(spec.key, col))
                item.setToolTip("点击列出这些申请")
                self.table.setItem(r, c, item)
        for r, kind in enumerate(annual.REMEDY_KINDS):
            for c, col in enumerate(annual.REMEDY_COLUMNS, start=1):
                self.remedies.setItem(r, c, report_item(report.remedies[kind][col], align=centre))
        problems = report.problems()
        if problems:
            self.check.setText("勾稽关系校验未通过，不能导出：\n" + "\n".join(problems))
            self.check.setStyleSheet(f"color: {RED.name()}")
        else:
            self.check.setText("勾稽关系校验通过：每一栏“本年新收 + 上年结转 = 办理结果总计 + 结转下年度”。")
            self.check.setStyleSheet(f"color: {GREEN.name()}")
        self._say(f"{report.year}年度：本年新收 {report.table['new']['total']} 件，"
                  f"办理完结 {report.table['total']['total']} 件，"
                  f"结转下年度 {report.table['carried_out']['total']} 件。")
        self.computed.emit()

    def _clicked(self, row: int, column: int) -> None:
        item = self.table.item(row, column)
        data = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if data is None:
            return
        self.show_cell(*data)

    def show_cell(self, row: str, column: str) -> BackgroundJob:
        """List the requests behind one cell (the first page)."""
        self.cell = _Cell(row, column)
        self.last_id = 0
        self.drill.setRowCount(0)
        spec_label = annual.ROW_LABELS[row]
        self.drill_title.setText(f"{self.year.value()}年度 · {spec_label} · {annual.COLUMN_LABELS[column]}")
        return self._load_cell()

    def _load_cell(self, more: bool = False) -> BackgroundJob:
        assert self.cell is not None
        cell, year, after, db = self.cell, self.year.value(), self.last_id if more else 0, self.ctx.db

        return self._run("列出申请",
                         lambda: annual.requests_behind_cell(db, year, cell.row, cell.column, after_id=after,
                                                             limit=DRILL_PAGE),
                         self._add_drill_rows)

    def _add_drill_rows(self, rows: list[annual.CellRequest]) -> None:
        start = self.drill.rowCount()
        self.drill.setRowCount(start + len(rows))
        for i, r in enumerate(rows, start=start):
            kind = APPLICANT_TYPE_LABELS.get(ApplicantType(r.applicant_type), r.applicant_type) \
                if r.applicant_type in ApplicantType._value2member_map_ else r.applicant_type
            status = Status(r.status).label if r.status in Status._value2member_map_ else r.status
            values = [r.reg_number, r.received_date.isoformat(), kind, r.applicant_name,
                      monthly.outcome_text(r.outcome_code), r.reply_date.isoformat() if r.reply_date else "", status]
            for c, v in enumerate(values):
                self.drill.setItem(i, c, report_item(v, data=r.id))
        if rows:
            self.last_id = rows[-1].id
        self.more.setEnabled(len(rows) == DRILL_PAGE)
        self.drilled.emit()

    def drill_ids(self) -> list[int]:
        items = (self.drill.item(r, 0) for r in range(self.drill.rowCount()))
        return [int(item.data(Qt.ItemDataRole.UserRole)) for item in items if item is not None]

    def _open(self, index: Any) -> None:
        rid = index.data(Qt.ItemDataRole.UserRole)
        if rid is not None:
            self.ctx.signals.open_request.emit(int(rid))

    def ask_and_export(self, fmt: str) -> None:
        year = self.year.value()
        path = self.ask_save(self, "导出年度报告", f"年度报告-{year}.{fmt}", fmt)
        if path:
            self.export(fmt, Path(path))

    def export(self, fmt: str, path: Path) -> BackgroundJob:
        year, db, today = self.year.value(), self.ctx.db, self.ctx.today()

        def done(report: annual.AnnualReport) -> None:
            self._say(f"已导出 {path}（勾稽关系校验通过）。", GREEN)
            self.exported.emit(str(path))

        return self._run("导出年度报告", lambda: export.export_annual(db, year, fmt, path, made_on=today), done)
