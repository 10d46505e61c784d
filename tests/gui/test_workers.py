"""Background jobs: one whose window was closed while it ran ends quietly."""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from request_desk.gui.workers import run_in_background


def test_a_job_whose_window_closed_meanwhile_ends_quietly(qtbot: QtBot) -> None:
    """A case closed while its similar-requests lookup runs: the result has nobody to go to, and no error."""
    gate = threading.Event()
    owner = QWidget()
    shown: list[object] = []
    job = run_in_background(owner, "查找相似申请", lambda: gate.wait(10) and "found", shown.append)
    signals = job.signals  # not the window's: it outlives it
    owner.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the window, and the job with it, gone
    with qtbot.waitSignal(signals.finished, timeout=10_000):
        gate.set()
    QApplication.processEvents()
    assert shown == []  # and no exception was raised in the event loop (pytest-qt fails the test on one)
