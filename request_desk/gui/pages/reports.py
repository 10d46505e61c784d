"""报表 page: the monthly register, the annual report table with drill-down, and the ledger import.

Every query and file runs off the UI thread (``run_in_background``); the
page only shows plain rows. File paths are asked through ``ask_save_path`` /
``ask_open_path`` (attributes, so tests answer them without a file dialog).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from request_desk.core.transfer import importer
from request_desk.core.office import permissions
from request_desk.core.errors import DeskError
from request_desk.core.transfer.template import FIELDS, write_template
from request_desk.core.reports import annual, export, monthly, period_lock
from request_desk.core.reports.common import Month
from request_desk.core.vocab import APPLICANT_TYPE_LABELS, ApplicantType, Status
from request_desk.gui.context import DeskContext
from request_desk.gui.workers import BackgroundJob, Cancelled, run_in_background

PREVIEW_ROWS = 500
DRILL_PAGE = 200
_FILTERS = {"xlsx": "Excel 工作簿 (*.xlsx)", "csv": "CSV 文件 (*.csv)", "pdf": "PDF 文件 (*.pdf)",
            "html": "网页 (*.html)", "json": "JSON (*.json)"}
RED, GREEN = QColor("#C00000"), QColor("#2E7D32")


def _table(headers: list[str], stretch: int | None = None) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(24)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)
    return table


def _item(text: object, *, align: Qt.AlignmentFlag | None = None, data: object = None) -> QTableWidgetItem:
    item = QTableWidgetItem("" if text is None else str(text))
    if align is not None:
        item.setTextAlignment(align)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def _save_dialog(parent: QWidget, title: str, suggested: str, fmt: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, _FILTERS.get(fmt, ""))
    return path or None


def _open_dialog(parent: QWidget, title: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, "", "台账 (*.xlsx *.csv)")
    return path or None


class _JobsMixin:
    """Keeps background jobs alive until they finish and reports failures in a label."""

    _jobs: list[BackgroundJob]
    status: QLabel

    def _run(self, title: str, job: Callable[[], Any], done: Callable[[Any], None]) -> BackgroundJob:
        bg = run_in_background(self, title, job, done, self._failed)  # type: ignore[arg-type]
        self._jobs.append(bg)
        bg.done.connect(lambda: self._jobs.remove(bg) if bg in self._jobs else None)
        return bg

    def _say(self, text: str, colour: QColor | None = None) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {colour.name()}" if colour else "")

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            self._say("已取消，未生成文件。")
        elif isinstance(exc, DeskError):
            self._say(str(exc), RED)
        else:
            self._say(f"操作失败：{exc}", RED)
            box = QMessageBox(QMessageBox.Icon.Critical, "报表", f"操作失败：{exc}", parent=self)  # type: ignore[arg-type]
            box.open()


# --------------------------------------------------------------------------
# 月度登记台账
# --------------------------------------------------------------------------


class MonthlyTab(_JobsMixin, QWidget):
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
        with ctx.db.read() as session:
            allowed = permissions.may_view_full_personal_data(session, ctx.user)
        self.full.setEnabled(allowed)
        self.full.setToolTip("完整导出将记入审计日志。" if allowed else "只有负责人或管理员可以查看、导出完整个人信息。")
        self.section = QComboBox()
        for s in monthly.SECTIONS:
            self.section.addItem(s.title, s)
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
        self.table = _table([c.label for c in monthly.COLUMNS], stretch=[c.key for c in monthly.COLUMNS].index("description"))
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

        def job() -> tuple[int, list[monthly.RegisterRow]]:
            with db.read() as session:
                total = monthly.count(session, section, month)
                rows = next(monthly.stream(session, section, month, full_personal_data=full, batch=PREVIEW_ROWS), [])
            return total, rows

        self._say("正在读取…")
        self._run("预览登记台账", job, self._show_preview)

    def _show_preview(self, result: tuple[int, list[monthly.RegisterRow]]) -> None:
        total, rows = result
        self.table.setRowCount(len(rows))
        keys = [c.key for c in monthly.COLUMNS]
        for r, row in enumerate(rows):
            for c, key in enumerate(keys):
                item = _item(row.text(key), data=row.request_id)
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


# --------------------------------------------------------------------------
# 年度报告
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cell:
    row: str
    column: str


class AnnualTab(_JobsMixin, QWidget):
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
        self.table = _table(["项目", *(annual.COLUMN_LABELS[c] for c in annual.COLUMN_KEYS)], stretch=0)
        self.table.setRowCount(len(self.specs))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for r, spec in enumerate(self.specs):
            label = _item(("　" * spec.level) + spec.number + spec.label)
            if spec.level == 0:
                label.setFont(QFont(label.font().family(), -1, QFont.Weight.Bold))
            self.table.setItem(r, 0, label)
        self.table.cellClicked.connect(self._clicked)
        self.check = QLabel()
        self.check.setWordWrap(True)
        self.remedies = _table(["", *(annual.REMEDY_COLUMN_LABELS[c] for c in annual.REMEDY_COLUMNS)], stretch=0)
        self.remedies.setRowCount(len(annual.REMEDY_KINDS))
        for r, kind in enumerate(annual.REMEDY_KINDS):
            self.remedies.setItem(r, 0, _item(("行政诉讼：" if r else "") + annual.REMEDY_KIND_LABELS[kind]))
        self.remedies.setMaximumHeight(130)

        self.drill_title = QLabel("点击表中的数字，列出对应的申请；双击申请打开案件。")
        self.drill = _table(["登记编号", "收到日期", "申请人类型", "申请人", "办理结果", "答复日期", "状态"], stretch=3)
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
                    self.table.setItem(r, c, _item(""))
                    continue
                item = _item(report.table[spec.key][col], align=centre, data=(spec.key, col))
                item.setToolTip("点击列出这些申请")
                self.table.setItem(r, c, item)
        for r, kind in enumerate(annual.REMEDY_KINDS):
            for c, col in enumerate(annual.REMEDY_COLUMNS, start=1):
                self.remedies.setItem(r, c, _item(report.remedies[kind][col], align=centre))
        problems = report.problems()
        if problems:
            self.check.setText("勾稽关系校验未通过，不能导出：\n" + "\n".join(problems))
            self.check.setStyleSheet(f"color: {RED.name()}")
        else:
            self.check.setText("勾稽关系校验通过：每一栏“本年新收 + 上年结转 = 办理结果总计 + 结转下年度”。")
            self.check.setStyleSheet(f"color: {GREEN.name()}")
        self._say(f"{report.year}年度：本年新收 {report.table['new']['total']} 件，"
                  f"办理完结 {report.table['total']['total']} 件，结转下年度 {report.table['carried_out']['total']} 件。")
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

        def job() -> list[annual.CellRequest]:
            with db.read() as session:
                return annual.cell_requests(session, year, cell.row, cell.column, after_id=after, limit=DRILL_PAGE)

        return self._run("列出申请", job, self._add_drill_rows)

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
                self.drill.setItem(i, c, _item(v, data=r.id))
        if rows:
            self.last_id = rows[-1].id
        self.more.setEnabled(len(rows) == DRILL_PAGE)
        self.drilled.emit()

    def drill_ids(self) -> list[int]:
        return [self.drill.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(self.drill.rowCount())]

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
        year, db = self.year.value(), self.ctx.db

        def done(report: annual.AnnualReport) -> None:
            self._say(f"已导出 {path}（勾稽关系校验通过）。", GREEN)
            self.exported.emit(str(path))

        return self._run("导出年度报告", lambda: export.export_annual(db, year, fmt, path), done)


# --------------------------------------------------------------------------
# 导入历史台账
# --------------------------------------------------------------------------


class ImportTab(_JobsMixin, QWidget):
    """File → dry run (every problem, row by row) → import in one transaction."""

    planned = Signal()
    imported = Signal(int)

    def __init__(self, ctx: DeskContext, ask_save: Callable[..., str | None],
                 ask_open: Callable[..., str | None]) -> None:
        super().__init__()
        self.ctx, self.ask_save, self.ask_open, self._jobs = ctx, ask_save, ask_open, []
        self.path: Path | None = None
        self.plan: importer.ImportPlan | None = None
        self.file_label = QLabel("尚未选择文件。导入前会先逐行检查，检查无误才能导入；导入要么全部成功，要么不作任何改动。")
        self.file_label.setWordWrap(True)
        choose = QPushButton("选择台账文件…")
        choose.clicked.connect(self.ask_file)
        template = QPushButton("下载导入模板…")
        template.clicked.connect(self.save_template)
        self.check_button = QPushButton("检查（试导入）")
        self.check_button.setEnabled(False)
        self.check_button.clicked.connect(self.dry_run)
        self.import_button = QPushButton("导入")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run_import)
        top = QHBoxLayout()
        for w in (choose, template, self.check_button, self.import_button):
            top.addWidget(w)
        top.addStretch(1)

        self.mapping = _table(["文件中的列名", "对应字段"], stretch=1)
        self.issues = _table(["行号", "列", "类型", "说明"], stretch=3)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        map_box = QGroupBox("列对应（列名不同的台账可在此指定，再点“检查”）")
        QVBoxLayout(map_box).addWidget(self.mapping)
        issue_box = QGroupBox("检查结果")
        iv = QVBoxLayout(issue_box)
        iv.addWidget(self.summary)
        iv.addWidget(self.issues, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(map_box)
        split.addWidget(issue_box)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.file_label)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)

    def ask_file(self) -> None:
        path = self.ask_open(self, "选择要导入的台账")
        if path:
            self.set_file(Path(path))
            self.dry_run()

    def set_file(self, path: Path) -> None:
        self.path, self.plan = path, None
        self.mapping.setRowCount(0)
        self.file_label.setText(f"文件：{path}")
        self.check_button.setEnabled(True)
        self.import_button.setEnabled(False)

    def save_template(self) -> None:
        path = self.ask_save(self, "保存导入模板", "依申请公开台账导入模板.xlsx", "xlsx")
        if path:
            try:
                write_template(path)
            except OSError as exc:
                self._say(f"无法保存模板：{exc}", RED)
            else:
                self._say(f"已保存导入模板 {path}。", GREEN)

    def user_mapping(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for r in range(self.mapping.rowCount()):
            combo = self.mapping.cellWidget(r, 1)
            header = self.mapping.item(r, 0).text()
            if isinstance(combo, QComboBox):
                out[header] = combo.currentData()
        return out

    def dry_run(self) -> BackgroundJob | None:
        if self.path is None:
            return None
        path, mapping, db, today = self.path, self.user_mapping(), self.ctx.db, self.ctx.today()
        self.import_button.setEnabled(False)
        self._say("正在逐行检查…")
        return self._run("检查台账", lambda: importer.plan_import(db, path, mapping=mapping or None, today=today),
                         self._show_plan)

    def _show_plan(self, plan: importer.ImportPlan) -> None:
        self.plan = plan
        if self.mapping.rowCount() == 0:
            self.mapping.setRowCount(len([h for h in plan.headers if h]))
            r = 0
            for i, header in enumerate(plan.headers):
                if not header:
                    continue
                combo = QComboBox()
                combo.addItem("（忽略此列）", "")
                for f in FIELDS:
                    combo.addItem(f.header + ("（必填）" if f.required else ""), f.key)
                combo.setCurrentIndex(max(0, combo.findData(plan.mapping.get(i, ""))))
                self.mapping.setItem(r, 0, _item(header))
                self.mapping.setCellWidget(r, 1, combo)
                r += 1
        kinds = {"error": "错误", "warning": "提示", "skip": "跳过"}
        self.issues.setRowCount(len(plan.issues))
        for r, issue in enumerate(sorted(plan.issues, key=lambda i: (i.row, i.severity != "error"))):
            values = [issue.row or "文件", issue.column, kinds[issue.severity], issue.message]
            for c, v in enumerate(values):
                item = _item(v)
                if issue.severity == "error":
                    item.setForeground(QBrush(RED))
                self.issues.setItem(r, c, item)
        self.summary.setText(plan.summary())
        can_import = plan.ok and bool(plan.rows)
        self.import_button.setEnabled(can_import)
        if plan.ok:
            self._say("检查通过，可以导入。" if plan.rows else "没有需要导入的新申请。", GREEN)
        else:
            self._say("请在原文件中修正标红的错误后重新检查；数据库未作任何改动。", RED)
        self.planned.emit()

    def run_import(self) -> BackgroundJob | None:
        plan = self.plan
        if plan is None or not plan.ok:
            return None
        db, user, today = self.ctx.db, self.ctx.user, self.ctx.today()
        self.import_button.setEnabled(False)

        def done(added: int) -> None:
            self._say(f"已导入 {added} 件申请。", GREEN)
            self.plan = None
            self.ctx.signals.requests_changed.emit()
            self.ctx.signals.units_changed.emit()
            self.imported.emit(added)

        return self._run("导入台账", lambda: importer.import_plan(db, plan, user, today=today), done)


class ReportsPage(QWidget):
    """报表: 月度登记台账 · 年度报告 · 导入历史台账."""

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        # Replaceable in tests: (parent, title, suggested name, format) -> path or None.
        self.ask_save_path: Callable[..., str | None] = _save_dialog
        self.ask_open_path: Callable[..., str | None] = _open_dialog
        self.monthly = MonthlyTab(ctx, lambda *a: self.ask_save_path(*a))
        self.annual = AnnualTab(ctx, lambda *a: self.ask_save_path(*a))
        self.importer = ImportTab(ctx, lambda *a: self.ask_save_path(*a), lambda *a: self.ask_open_path(*a))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.monthly, "月度登记台账")
        self.tabs.addTab(self.annual, "年度报告")
        self.tabs.addTab(self.importer, "导入历史台账")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
