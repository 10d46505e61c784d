"""报表 page: the monthly register, the annual report table with drill-down, the quality figures, the ledger import.

One module per tab (``monthly_tab``, ``annual_tab``, ``quality_tab``, ``import_tab``), their
shared pieces in ``report_widgets``. Every query and file runs off the UI
thread as a core job (``run_in_background``); the page only shows plain
records and opens no database session. File paths are asked through ``ask_save_path`` /
``ask_open_path`` (attributes, so tests answer them without a file dialog).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from request_desk.gui.context import DeskContext
from request_desk.gui.pages.annual_tab import AnnualTab
from request_desk.gui.pages.import_tab import ImportTab
from request_desk.gui.pages.monthly_tab import MonthlyTab
from request_desk.gui.pages.quality_tab import QualityTab
from request_desk.gui.pages.report_widgets import open_dialog, save_dialog

__all__ = ["AnnualTab", "ImportTab", "MonthlyTab", "QualityTab", "ReportsPage"]


class ReportsPage(QWidget):
    """报表: 月度登记台账 · 年度报告 · 办理质量 · 导入历史台账."""

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        # Replaceable in tests: (parent, title, suggested name, format) -> path or None.
        self.ask_save_path: Callable[..., str | None] = save_dialog
        self.ask_open_path: Callable[..., str | None] = open_dialog
        self.monthly = MonthlyTab(ctx, lambda *a: self.ask_save_path(*a))
        self.annual = AnnualTab(ctx, lambda *a: self.ask_save_path(*a))
        self.quality = QualityTab(ctx)
        self.importer = ImportTab(ctx, lambda *a: self.ask_save_path(*a), lambda *a: self.ask_open_path(*a))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.monthly, "月度登记台账")
        self.tabs.addTab(self.annual, "年度报告")
        self.tabs.addTab(self.quality, "办理质量")
        self.tabs.addTab(self.importer, "导入历史台账")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
