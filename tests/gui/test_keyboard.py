"""Issue 15.6: keyboard first — step shortcuts, reasons read by keyboard, Ctrl+N/Ctrl+F everywhere, focus seen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from request_desk.core import cases
from request_desk.core.cases.workflow import Action
from request_desk.gui.case_area import CaseArea
from request_desk.gui.case_view import CaseWindow
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.actions import ActionDialog
from request_desk.gui.dialogs.letter import LetterDialog
from request_desk.gui.dialogs.registration import RegistrationDialog
from request_desk.gui.main_window import MainWindow
from request_desk.gui.pages.requests import RequestsPage
from request_desk.gui.widgets.focus_ring import RING, FocusRings
from tests import factories

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def case(qtbot: QtBot, ctx: DeskContext, rid: int) -> CaseWindow:
    panel = CaseWindow.open_request(ctx, rid)
    assert panel is not None
    qtbot.addWidget(panel)
    qtbot.waitUntil(panel.isActiveWindow)
    return panel


def test_alt_letters_open_the_common_steps_even_on_a_tab_not_shown(qtbot: QtBot, ctx: DeskContext) -> None:
    head = DeskContext(db=ctx.db, user="supervisor", today=ctx.today, signals=ctx.signals)  # who may extend
    panel = case(qtbot, head, factories.register(ctx.db, date(2026, 11, 2)))
    assert panel.action_buttons[Action.REPLY].text() == "答复(R)"  # the key is on the button
    qtbot.keyClick(panel, Qt.Key.Key_E, ALT)
    extend = panel.current_dialog
    assert isinstance(extend, ActionDialog) and extend.action is Action.EXTEND
    extend.reject()

    assert panel.tabs.currentWidget() is panel.events  # the 文书 tab with its button is not shown
    qtbot.keyClick(panel, Qt.Key.Key_L, ALT)
    assert isinstance(panel.current_dialog, LetterDialog) and panel.current_dialog.isVisible()


def test_only_the_current_case_of_the_area_answers_its_keys(qtbot: QtBot, ctx: DeskContext) -> None:
    first = case(qtbot, ctx, factories.register(ctx.db, date(2026, 11, 2)))
    second = case(qtbot, ctx, factories.register(ctx.db, date(2026, 11, 3)))
    assert first.window() is second.window()
    qtbot.keyClick(second.window(), Qt.Key.Key_A, ALT)
    assert isinstance(second.current_dialog, ActionDialog) and first.current_dialog is None


def test_an_unavailable_step_says_why_in_the_status_line_on_focus_hover_and_its_key(qtbot: QtBot,
                                                                                   ctx: DeskContext) -> None:
    rid = factories.register(ctx.db, date(2026, 11, 2))
    panel = case(qtbot, ctx, rid)
    reason = cases.available(ctx.db, rid, ctx.today())[Action.DELIVER]
    assert reason is not None
    deliver, reply = panel.action_buttons[Action.DELIVER], panel.action_buttons[Action.REPLY]
    assert deliver.toolTip() == reason and deliver.focusPolicy() != Qt.FocusPolicy.NoFocus

    qtbot.keyClick(panel, Qt.Key.Key_D, ALT)  # its shortcut: the reason instead of nothing
    assert panel.current_dialog is None
    assert panel.status_line.currentMessage() == reason

    panel.status_line.clearMessage()
    reply.setFocus()
    qtbot.waitUntil(reply.hasFocus)
    qtbot.keyClick(reply, Qt.Key.Key_Tab)  # Tab from 答复 reaches 送达, although it cannot be done
    assert deliver.hasFocus()
    assert panel.status_line.currentMessage() == reason

    panel.status_line.clearMessage()
    qtbot.keyClick(deliver, Qt.Key.Key_Space)  # pressed: still the reason, no form
    assert panel.current_dialog is None and panel.status_line.currentMessage() == reason

    panel.status_line.clearMessage()
    qtbot.mouseMove(deliver, QPoint(5, 5))
    qtbot.waitUntil(lambda: panel.status_line.currentMessage() == reason)


def main_and_case(qtbot: QtBot, ctx: DeskContext) -> tuple[MainWindow, CaseArea]:
    rid = factories.register(ctx.db, date(2026, 11, 2))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.open_request(rid)
    area = CaseArea.existing(ctx)
    assert area is not None
    qtbot.waitUntil(area.isActiveWindow)
    return window, area


def test_ctrl_f_from_the_case_window_brings_up_the_search_box(qtbot: QtBot, ctx: DeskContext) -> None:
    window, area = main_and_case(qtbot, ctx)
    qtbot.keyClick(area, Qt.Key.Key_F, CTRL)
    page = window.pages["requests"]
    assert isinstance(page, RequestsPage) and window.stack.currentWidget() is page
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(page.filters.search.hasFocus)


def test_ctrl_n_from_the_case_window_opens_the_registration_form(qtbot: QtBot, ctx: DeskContext) -> None:
    _window, area = main_and_case(qtbot, ctx)
    seen: list[QWidget | None] = []

    def answer() -> None:  # the form is modal: note it and cancel it (nothing typed, nothing asked)
        form = QApplication.activeModalWidget()
        seen.append(form)
        if form is not None:
            form.close()

    QTimer.singleShot(0, answer)
    qtbot.keyClick(area, Qt.Key.Key_N, CTRL)
    assert len(seen) == 1 and isinstance(seen[0], RegistrationDialog)


# -- the focus ring -----------------------------------------------------------------


@pytest.fixture
def rings(qapp: QCoreApplication) -> Iterator[FocusRings]:
    assert isinstance(qapp, QApplication)
    installed = FocusRings(qapp)
    yield installed
    qapp.focusChanged.disconnect(installed.focus_changed)
    if installed.ring is not None and isValid(installed.ring):  # else gone with the test's window
        installed.ring.deleteLater()


def ring_pixels(image: QImage, widget: QWidget, root: QWidget) -> float:
    """The share of the 2-px band just outside ``widget`` that has the ring's colour."""
    top_left = widget.mapTo(root, QPoint(0, 0))
    x0, y0, w, h = top_left.x(), top_left.y(), widget.width(), widget.height()
    band = [(x, y0 - 1) for x in range(x0, x0 + w)] + [(x, y0 + h) for x in range(x0, x0 + w)]
    band += [(x0 - 1, y) for y in range(y0, y0 + h)] + [(x0 + w, y) for y in range(y0, y0 + h)]
    ring = RING.rgb()
    hits = sum(1 for x, y in band if QColor(image.pixel(x, y)).rgb() == ring)
    return hits / len(band)


def test_every_kind_of_control_shows_a_clear_ring_when_focused(qtbot: QtBot, rings: FocusRings) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    layout.setContentsMargins(12, 12, 12, 12)
    layout.setSpacing(10)
    combo = QComboBox()
    combo.addItems(["甲", "乙"])
    tabs = QTabWidget()
    tabs.addTab(QWidget(), "办理过程")
    tabs.addTab(QWidget(), "文书")
    listing = QListWidget()
    listing.addItems(["2026-00001 张三"])
    controls: list[QWidget] = [QPushButton("答复(R)"), QLineEdit(), QDateEdit(), combo, QTableWidget(2, 2), listing]
    for control in controls:
        layout.addWidget(control)
    layout.addWidget(tabs)
    controls.append(tabs.tabBar())
    root.resize(420, 620)
    root.show()
    qtbot.waitUntil(root.isActiveWindow)
    for control in controls:
        control.setFocus()
        qtbot.waitUntil(control.hasFocus)
        QApplication.processEvents()
        image = root.grab().toImage()
        # The tab bar's lower edge lies under the page it heads: its ring shows on the other sides.
        wanted = 0.45 if control is tabs.tabBar() else 0.9
        assert ring_pixels(image, control, root) > wanted, type(control).__name__
        others = [c for c in controls if c is not control and c is not tabs.tabBar()]
        assert all(ring_pixels(image, other, root) < 0.2 for other in others), "only the focused control"
