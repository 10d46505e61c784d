"""Pieces shared by the tabs of the 报表 page: tables, file dialogs, and the jobs a tab keeps running.

``ReportJobs`` runs a tab's core jobs with ``run_in_background`` (off the UI
thread, with progress and 取消), keeps them alive until they finish and says
in the tab's status line what happened, including a cancelled export.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from request_desk.core.errors import DeskError
from request_desk.gui.widgets.file_dialogs import ask_open, ask_save
from request_desk.gui.workers import BackgroundJob, Cancelled, run_in_background

_FILTERS = {"xlsx": "Excel 工作簿 (*.xlsx)", "csv": "CSV 文件 (*.csv)", "pdf": "PDF 文件 (*.pdf)",
            "html": "网页 (*.html)", "json": "JSON (*.json)"}
RED, GREEN = QColor("#C00000"), QColor("#2E7D32")


def report_table(headers: list[str], stretch: int | None = None) -> QTableWidget:
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


def report_item(text: object, *, align: Qt.AlignmentFlag | None = None, data: object = None) -> QTableWidgetItem:
    item = QTableWidgetItem("" if text is None else str(text))
    if align is not None:
        item.setTextAlignment(align)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def save_dialog(parent: QWidget, title: str, suggested: str, fmt: str) -> str | None:
    return ask_save(parent, title, suggested, _FILTERS.get(fmt, "")) or None


def open_dialog(parent: QWidget, title: str) -> str | None:
    return ask_open(parent, title, "台账 (*.xlsx *.csv)") or None


class ReportJobs:
    """Keeps background jobs alive until they finish and reports failures in a label."""

    _jobs: list[BackgroundJob]
    status: QLabel

    def _run(self, title: str, job: Callable[[], Any], done: Callable[[Any], None]) -> BackgroundJob:
        bg = run_in_background(cast(QWidget, self), title, job, done, self._failed)
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
            box = QMessageBox(QMessageBox.Icon.Critical, "报表", f"操作失败：{exc}", parent=cast(QWidget, self))
            box.open()
