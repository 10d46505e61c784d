"""The pages of the main window, in navigation order: (key, title, factory)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from request_desk.gui.context import DeskContext


def _placeholder(title: str, issue: str) -> Callable[[DeskContext], QWidget]:
    """A page whose work is planned in a later issue: say so plainly."""

    def make(ctx: DeskContext) -> QWidget:
        label = QLabel(f"{title}：此功能尚在开发中（{issue}）。")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    return make


def _page(module: str, cls: str) -> Callable[[DeskContext], QWidget]:
    """Import a page when the window is built, keeping start-up imports small."""

    def make(ctx: DeskContext) -> QWidget:
        page_cls = getattr(importlib.import_module(f"request_desk.gui.pages.{module}"), cls)
        return page_cls(ctx)  # type: ignore[no-any-return]

    return make


PAGES: list[tuple[str, str, Callable[[DeskContext], QWidget]]] = [
    ("dashboard", "工作台", _page("dashboard", "DashboardPage")),
    ("requests", "申请登记簿", _page("requests", "RequestsPage")),
    ("letters", "发文登记", _page("letters", "LettersPage")),
    ("units", "承办单位", _page("units", "UnitsPage")),
    ("calls", "电话回访", _page("calls", "CallsPage")),
    ("publication", "主动公开", _placeholder("主动公开", "#6")),
    ("reports", "报表", _placeholder("报表", "#5")),
    ("settings", "设置", _page("settings", "SettingsPage")),
]
