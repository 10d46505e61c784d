"""F1 opens the user guide's page for the window in front; the guide's pages, links and pictures exist."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

import request_desk.gui
from request_desk import paths
from request_desk.core.cases.workflow import Action
from request_desk.gui import help as desk_help
from request_desk.gui.case_view import CaseWindow
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.sign_in import SignInDialog
from request_desk.gui.main_window import MainWindow
from request_desk.gui.widgets.help_viewer import HelpViewer
from tests import factories

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide"
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


@pytest.fixture(autouse=True)
def _help_keys(qapp: QApplication) -> Iterator[None]:
    desk_help.install_help(qapp)  # as create_application installs it
    yield
    HelpViewer._current = None  # noqa: SLF001  (the desk's one viewer; qtbot closed it)


def press_f1(qtbot: QtBot, window: QWidget) -> HelpViewer:
    window.show()
    qtbot.waitUntil(window.isActiveWindow)
    focused = QApplication.focusWidget()
    qtbot.keyClick(focused if focused is not None and focused.window() is window else window, Qt.Key.Key_F1)
    viewer = HelpViewer._current  # noqa: SLF001
    assert viewer is not None and viewer.isVisible()
    if viewer.parentWidget() is None:  # a modal dialog's viewer goes with the dialog
        qtbot.addWidget(viewer)
    return viewer


def shown_heading(viewer: HelpViewer) -> str:
    return viewer.browser.toPlainText().strip().splitlines()[0]


def test_f1_in_the_main_window_opens_the_page_of_the_page_and_tab_shown(qtbot: QtBot, ctx: DeskContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    reports = window.show_page("reports")
    reports.tabs.setCurrentWidget(reports.importer)  # type: ignore[attr-defined]
    viewer = press_f1(qtbot, window)
    assert viewer.page() == paths.guide_dir() / "import.md"
    assert shown_heading(viewer) == "导入台账"  # rendered, not shown as Markdown source
    assert viewer.windowTitle() == "导入台账 — 使用指南"
    window.show_page("requests")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert HelpViewer._current is viewer  # noqa: SLF001  (the same viewer, the next page)
    assert viewer.page().name == "registration.md"
    viewer.home.click()
    assert viewer.page().name == "README.md"
    shortcuts = window.findChildren(QShortcut, desk_help.HELP_KEY)
    assert len(shortcuts) == 1  # one per window however often it is focused, or F1 would be ambiguous


def test_f1_in_the_case_window_and_in_a_step_dialog(qtbot: QtBot, ctx: DeskContext) -> None:
    head = DeskContext(db=ctx.db, user="supervisor", today=ctx.today, signals=ctx.signals)  # who may extend
    panel = CaseWindow.open_request(head, factories.register(ctx.db, date(2026, 11, 2)))
    assert panel is not None
    qtbot.addWidget(panel.window())
    assert press_f1(qtbot, panel.window()).page().name == "case.md"
    dialog = panel.perform(Action.EXTEND)
    qtbot.addWidget(dialog)
    viewer = press_f1(qtbot, dialog)
    assert viewer.page().name == "extension.md"
    assert "延期" in shown_heading(viewer)


def test_f1_over_a_modal_dialog_opens_a_viewer_the_dialog_does_not_block(qtbot: QtBot, ctx: DeskContext) -> None:
    dialog = SignInDialog(ctx.db, "clerk")  # run modally at start-up, before any other window
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    qtbot.addWidget(dialog)
    viewer = press_f1(qtbot, dialog)
    assert viewer.page().name == "first-start.md"
    assert viewer.parentWidget() is dialog  # a window of the modal dialog's own, so it can be read and scrolled
    assert not viewer.testAttribute(Qt.WidgetAttribute.WA_QuitOnClose)


def test_a_missing_page_is_said_not_shown_blank(qtbot: QtBot, tmp_path: Path) -> None:
    viewer = HelpViewer.show_page(tmp_path / "no-such-page.md")
    qtbot.addWidget(viewer)
    assert viewer.missing.isVisible() and "未找到" in viewer.missing.text()


def guide_pages() -> list[Path]:
    return sorted(GUIDE.glob("*.md"))


def relative_links(page: Path) -> list[str]:
    return [target.split("#")[0] for target in LINK.findall(page.read_text(encoding="utf-8"))
            if "://" not in target and not target.startswith("#")]


def test_the_app_reads_the_guide_written_in_docs() -> None:
    assert paths.guide_dir().resolve() == GUIDE


def test_every_page_the_mapping_names_exists() -> None:
    named = {desk_help.CONTENTS, *desk_help.PAGES.values(), *desk_help.STEP_PAGES.values()}
    assert sorted(p for p in named if not (GUIDE / p).is_file()) == []


def test_every_step_and_every_class_of_the_mapping_is_real() -> None:
    assert set(desk_help.STEP_PAGES) == {a.value for a in Action}  # a new step needs its page
    classes: set[str] = set()
    for module in pkgutil.walk_packages(request_desk.gui.__path__, "request_desk.gui."):
        loaded = importlib.import_module(module.name)
        classes |= {n for n, v in vars(loaded).items() if isinstance(v, type) and issubclass(v, QWidget)}
    assert sorted(set(desk_help.PAGES) - classes) == []


def test_every_picture_and_link_of_every_page_exists() -> None:
    missing = [f"{page.name}: {target}" for page in guide_pages() for target in relative_links(page)
               if target and not (page.parent / target).is_file()]
    assert missing == []
    pictures = {t for page in guide_pages() for t in relative_links(page) if t.endswith(".png")}
    assert len(pictures) >= 15  # the guide has pictures, not only words


def test_every_page_in_the_index_exists_and_every_page_is_in_the_index() -> None:
    listed = {t for t in relative_links(GUIDE / "README.md") if t.endswith(".md")}
    assert sorted(p for p in listed if not (GUIDE / p).is_file()) == []
    assert {p.name for p in guide_pages()} - {"README.md"} == listed
