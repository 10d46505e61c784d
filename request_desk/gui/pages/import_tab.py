"""报表 → 导入历史台账: choose a ledger, check it row by row (a dry run), import it in one transaction.

After a dry run, the values the desk cannot place (an outcome, channel or applicant
type in the office's own words) are listed once each with their count, each with a
picker of the codes; the next dry run applies the clerk's choices to every row that
has the value (docs/import-format.md, "Values the desk cannot map").

A saved mapping (``transfer.profiles``) made for a file with the same headers is
offered with one button ("使用上次的列对应：NAME"); the import saves the mapping
it used, values included (docs/import-format.md, "Saved mappings").
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from request_desk.core.jobs import Job
from request_desk.core.transfer import importer, profiles
from request_desk.core.transfer.template import FIELDS, write_template
from request_desk.gui.context import DeskContext
from request_desk.gui.pages.report_widgets import GREEN, RED, ReportJobs, report_item, report_table
from request_desk.gui.workers import BackgroundJob

ValueKey = tuple[str, str]  # (column as the file names it, value as written)


class ImportTab(ReportJobs, QWidget):
    """File → dry run (every problem, row by row) → import in one transaction."""

    planned = Signal()
    imported = Signal(int)

    def __init__(self, ctx: DeskContext, ask_save: Callable[..., str | None],
                 ask_open: Callable[..., str | None]) -> None:
        super().__init__()
        self.ctx, self.ask_save, self.ask_open, self._jobs = ctx, ask_save, ask_open, []
        self.path: Path | None = None
        self.plan: importer.ImportPlan | None = None
        # The clerk's choices for unmapped values, kept across dry runs of the same file.
        self.value_choices: dict[ValueKey, str] = {}
        self._value_fields: dict[ValueKey, str] = {}
        self._value_counts: dict[ValueKey, int] = {}
        self.offered: profiles.Profile | None = None  # a saved mapping for these headers, not yet applied
        self.used_profile: str | None = None  # the saved mapping the combos were set from
        self.file_label = QLabel(
            "尚未选择文件。导入前会先逐行检查，检查无误才能导入；导入要么全部成功，要么不作任何改动。"
        )
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
        self.profile_button = QPushButton()
        self.profile_button.setVisible(False)
        self.profile_button.clicked.connect(self.use_offered_profile)
        top = QHBoxLayout()
        for w in (choose, template, self.check_button, self.import_button, self.profile_button):
            top.addWidget(w)
        top.addStretch(1)

        self.mapping = report_table(["文件中的列名", "对应字段"], stretch=1)
        self.issues = report_table(["行号", "列", "类型", "说明"], stretch=3)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        map_box = QGroupBox("列对应（列名不同的台账可在此指定，再点“检查”）")
        QVBoxLayout(map_box).addWidget(self.mapping)
        self.values = report_table(["列", "台账中的值", "行数", "对应为"], stretch=3)
        self.recheck_button = QPushButton("按所选对应重新检查")
        self.recheck_button.clicked.connect(self.dry_run)
        self.value_box = QGroupBox("值对应（台账中无法识别的值：每个值选择一次，所有这些行随之导入）")
        vv = QVBoxLayout(self.value_box)
        vv.addWidget(self.values, 1)
        vv.addWidget(self.recheck_button)
        self.value_box.setVisible(False)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(map_box)
        left.addWidget(self.value_box)
        issue_box = QGroupBox("检查结果")
        iv = QVBoxLayout(issue_box)
        iv.addWidget(self.summary)
        iv.addWidget(self.issues, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
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
        self.path, self.plan, self.offered, self.used_profile = path, None, None, None
        self.profile_button.setVisible(False)
        self.mapping.setRowCount(0)
        self.value_choices, self._value_fields, self._value_counts = {}, {}, {}
        self.values.setRowCount(0)
        self.value_box.setVisible(False)
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
            combo, header = self.mapping.cellWidget(r, 1), self.mapping.item(r, 0)
            if isinstance(combo, QComboBox) and header is not None:
                out[header.text()] = combo.currentData()
        return out

    def chosen_values(self) -> dict[ValueKey, str]:
        """The value map of the next dry run: each listed value the clerk has placed."""
        return {k: code for k, code in self.value_choices.items() if code}

    def dry_run(self) -> BackgroundJob | None:
        if self.path is None:
            return None
        path, mapping, db, today = self.path, self.user_mapping(), self.ctx.db, self.ctx.today()
        values = self.chosen_values()
        self.import_button.setEnabled(False)
        self._say("正在逐行检查…")

        def check() -> Job[tuple[importer.ImportPlan, profiles.Profile | None]]:
            plan = yield from importer.plan_job(db, path, mapping=mapping or None, values=values or None,
                                                today=today)
            return plan, profiles.matching_profile(db, plan.headers)

        return self._run("检查台账", check, self._show_plan)

    def _show_values(self, plan: importer.ImportPlan) -> None:
        """Each unmapped value once, and each value already placed (so that a choice can be changed)."""
        for u in plan.unmapped:
            key = (u.column, u.value)
            self._value_fields[key] = u.key
            self._value_counts[key] = u.count
            self.value_choices.setdefault(key, "")
        keys = list(self.value_choices)
        self.values.setRowCount(len(keys))
        for r, key in enumerate(keys):
            column, value = key
            self.values.setItem(r, 0, report_item(column))
            self.values.setItem(r, 1, report_item(value))
            self.values.setItem(r, 2, report_item(self._value_counts.get(key, "")))
            combo = QComboBox()
            combo.addItem("（请选择）", "")
            for code, label in importer.value_choices(self._value_fields[key]):
                combo.addItem(label, code)
            combo.setCurrentIndex(max(0, combo.findData(self.value_choices[key])))
            combo.currentIndexChanged.connect(
                lambda _i, k=key, c=combo: self.value_choices.__setitem__(k, c.currentData()))
            self.values.setCellWidget(r, 3, combo)
        self.value_box.setVisible(bool(keys))

    def use_offered_profile(self) -> BackgroundJob | None:
        """Set the column choices from the offered saved mapping and check the file again with them."""
        offered = self.offered
        if offered is None:
            return None
        for r in range(self.mapping.rowCount()):
            combo, header = self.mapping.cellWidget(r, 1), self.mapping.item(r, 0)
            if isinstance(combo, QComboBox) and header is not None and header.text() in offered.columns:
                combo.setCurrentIndex(max(0, combo.findData(offered.columns[header.text()])))
        header_of = {key: self.plan.headers[i] for i, key in self.plan.mapping.items()} if self.plan else {}
        for (key, raw), code in offered.value_choices().items():
            shown = (header_of.get(key, key), raw)
            self._value_fields[shown] = key
            self.value_choices[shown] = code
        self.used_profile, self.offered = offered.name, None
        self.profile_button.setVisible(False)
        return self.dry_run()

    def _show_plan(self, result: tuple[importer.ImportPlan, profiles.Profile | None]) -> None:
        plan, offered = result
        self.plan = plan
        current = profiles.columns_of(plan.headers, plan.mapping)
        self.offered = offered if offered is not None and offered.name != self.used_profile and (any(
            current.get(h) != k for h, k in offered.columns.items() if h in current) or any(
            plan.values.get(k, {}).get(raw) != code for (k, raw), code in offered.value_choices().items())) else None
        if self.offered is not None:
            self.profile_button.setText(f"使用上次的列对应：{self.offered.name}")
        self.profile_button.setVisible(self.offered is not None)
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
                self.mapping.setItem(r, 0, report_item(header))
                self.mapping.setCellWidget(r, 1, combo)
                r += 1
        self._show_values(plan)
        kinds = importer.SEVERITY_LABELS
        self.issues.setRowCount(len(plan.issues))
        sheet_order = {name: i for i, name in enumerate(plan.sheets)}
        shown: list[Any] = sorted(plan.issues, key=lambda i: (sheet_order.get(i.sheet, -1), i.row,
                                                               i.severity != "error"))
        for r, issue in enumerate(shown):
            values = [issue.where if issue.sheet else issue.row or "文件", issue.column, kinds[issue.severity],
                      issue.message]
            for c, v in enumerate(values):
                item = report_item(v)
                if issue.severity == "error":
                    item.setForeground(QBrush(RED))
                self.issues.setItem(r, c, item)
        self.summary.setText(plan.summary())
        can_import = plan.ok and bool(plan.rows)
        self.import_button.setEnabled(can_import)
        if plan.ok:
            self._say("检查通过，可以导入。" if plan.rows else "没有需要导入的新申请。", GREEN)
        elif plan.unmapped:
            self._say("请在“值对应”中为无法识别的值逐一选择，再重新检查；其余标红的错误请在原文件中修正。"
                      "数据库未作任何改动。", RED)
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
            saved = f"列对应已保存为方案“{plan.saved_profile}”。" if plan.saved_profile else ""
            self._say(f"已导入 {added} 件申请。{saved}", GREEN)
            self.plan = None
            self.ctx.signals.requests_changed.emit()
            self.ctx.signals.units_changed.emit()
            self.imported.emit(added)

        used = self.used_profile
        return self._run("导入台账", lambda: importer.import_plan(db, plan, user, today=today, used_profile=used),
                         done)
