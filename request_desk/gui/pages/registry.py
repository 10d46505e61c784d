"""The pages of the main window, in navigation order: (key, title, factory)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from request_desk.gui.context import DeskContext


def _page(module: str, cls: str, **options: object) -> Callable[[DeskContext], QWidget]:
    """Import a page when the window is built, keeping start-up imports small."""

    def make(ctx: DeskContext) -> QWidget:
        page_cls = getattr(importlib.import_module(f"request_desk.gui.pages.{module}"), cls)
        page: QWidget = page_cls(ctx, **options)
        return page

    return make


PAGES: list[tuple[str, str, Callable[[DeskContext], QWidget]]] = [
    ("dashboard", "工作台", _page("dashboard", "DashboardPage")),
    ("requests", "申请登记簿", _page("requests", "RequestsPage")),
    ("letters", "发文登记", _page("letters", "LettersPage")),
    ("units", "承办单位", _page("units", "UnitsPage")),
    ("calls", "电话回访", _page("calls", "CallsPage", load_when_shown=True)),
    ("publication", "主动公开", _page("publication", "PublicationPage")),
    ("reports", "报表", _page("reports", "ReportsPage")),
    ("settings", "设置", _page("settings", "SettingsPage")),
]

# A handling unit's liaison (承办单位联络员) sees its unit's work and nothing else (docs/SECURITY.md).
LIAISON_PAGES: list[tuple[str, str, Callable[[DeskContext], QWidget]]] = [
    ("unit_work", "本单位承办", _page("unit_work", "UnitWorkPage")),
]
