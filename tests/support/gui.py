"""Typing into the desk's widgets as a clerk does."""

from __future__ import annotations

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from request_desk.gui.case_view import CaseWindow
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.registration import RegistrationDialog
from request_desk.gui.widgets.similar_requests import SimilarRequestsPanel


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type as a clerk does: Chinese arrives committed by the input method, ASCII as keys."""
    widget.setFocus()
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def fill_person(qtbot: QtBot, dialog: RegistrationDialog, id_number: str = "11010519491231002X") -> None:
    """The registration dialog filled in for the natural person of ``tests.factories.new_request``."""
    ui = dialog.ui
    type_text(qtbot, ui.applicant_name, "张三")
    type_text(qtbot, ui.id_number, id_number)
    type_text(qtbot, ui.phone, "13912345678")
    type_text(qtbot, ui.address, "江苏省宿迁市宿城区幸福路1号")
    type_text(qtbot, ui.description, "2025年本市老旧小区改造项目的资金使用情况")


def case_window(qtbot: QtBot, ctx: DeskContext, rid: int) -> CaseWindow:
    """The case's panel, opened as from the register list (a tab of the case area)."""
    win = CaseWindow.open_request(ctx, rid)
    assert win is not None
    qtbot.addWidget(win)
    return win


def similar_loaded(qtbot: QtBot, win: CaseWindow) -> SimilarRequestsPanel:
    """The case's similar-requests panel once its lookup (off the UI thread) has come back."""
    panel = win.similar
    job = panel.lookup
    if job is not None and job.result is None and job.error is None:  # its result arrives through the event loop
        with qtbot.waitSignal(job.done, timeout=10_000):
            pass
    return panel
