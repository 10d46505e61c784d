"""Running core jobs off the UI thread (Anki's QueryOp shape).

``run_in_background(parent, title, make_job, ...)`` calls ``make_job`` on a
worker thread. What it returns is either a job in the core's one shape
(``core.jobs.Job``: a generator yielding ``Progress``), driven by
``core.jobs.run`` with this window's cancel token, or a plain value (a quick
read with nothing to report). Jobs run on a single-thread pool, so database
writes never race each other; a progress dialog appears only if the job takes
longer than ~600 ms; its 取消 button throws ``Cancelled`` into the job at its
next yield. The result or the error comes back on the UI thread.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Generator
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from request_desk.core import jobs
from request_desk.core.errors import DeskError
from request_desk.core.jobs import Cancelled, CancelToken, Progress

log = logging.getLogger(__name__)

__all__ = ["BackgroundJob", "Cancelled", "Progress", "pool", "run_in_background"]

SHOW_PROGRESS_AFTER_MS = 600


class _Signals(QObject):
    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(object, str)


class _Runnable(QRunnable):
    def __init__(self, job: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.job, self.signals = job, signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.job()
        # Whatever the job raises, even SystemExit, is delivered to the UI thread, never lost:
        # a job that died silently would leave its progress dialog waiting forever.
        except BaseException as exc:  # noqa: BLE001
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.finished.emit(result)


_pool: QThreadPool | None = None


def pool() -> QThreadPool:
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
    return _pool


class BackgroundJob(QObject):
    """One job run off the UI thread; keep a reference until ``done`` fires."""

    done = Signal()

    def __init__(self, parent: QWidget | None, title: str, cancellable: bool = True) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.title = title
        self.cancel = CancelToken()
        self.signals = _Signals()
        self.dialog: QProgressDialog | None = None
        self.cancellable = cancellable
        self.result: Any = None
        self.error: BaseException | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_dialog)

    def _show_dialog(self) -> None:
        dialog = QProgressDialog(self.title, "取消" if self.cancellable else "", 0, 0, self.parent_widget)
        dialog.setWindowTitle(self.title)
        dialog.setMinimumDuration(0)
        if not self.cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(self.cancel.cancel)
        dialog.show()
        self.dialog = dialog

    def _on_progress(self, progress: Progress) -> None:
        if self.dialog is None:
            return
        if progress.total:
            self.dialog.setMaximum(progress.total)
            self.dialog.setValue(min(progress.done, progress.total))
        if progress.message:
            self.dialog.setLabelText(progress.message)

    def _finish(self) -> None:
        self._timer.stop()
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.deleteLater()
            self.dialog = None
        self.done.emit()

    def start(
        self,
        job: Callable[[], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> BackgroundJob:
        # A job that must not stop half-way (a backup, a restore) never sees the token.
        signals, token = self.signals, (self.cancel if self.cancellable else None)

        def work() -> Any:
            outcome = job()
            if not isinstance(outcome, Generator):
                return outcome  # a plain call: nothing to report, nothing to cancel
            return jobs.run(outcome, on_progress=signals.progress.emit, token=token)

        def succeeded(result: Any) -> None:
            if not shiboken6.isValid(self):  # its owner (a closed case, a closed window) is gone: nobody to tell
                return
            self.result = result
            self._finish()
            if on_success is not None:
                on_success(result)

        def failed(exc: BaseException, details: str) -> None:
            if not shiboken6.isValid(self):
                log.warning("a background job ended after its window was closed: %r", exc)
                return
            self.error = exc
            self._finish()
            if on_failure is not None:
                on_failure(exc)
            elif isinstance(exc, Cancelled):
                pass
            elif isinstance(exc, DeskError):
                QMessageBox.warning(self.parent_widget, self.title, str(exc))
            else:
                box = QMessageBox(QMessageBox.Icon.Critical, self.title, "操作失败，数据未作改动。",
                                  parent=self.parent_widget)
                box.setDetailedText(details)
                box.exec()

        signals.progress.connect(self._on_progress)
        signals.finished.connect(succeeded)
        signals.failed.connect(failed)
        self._timer.start(SHOW_PROGRESS_AFTER_MS)
        pool().start(_Runnable(work, signals))
        return self


def run_in_background(parent: QWidget | None, title: str, job: Callable[[], Any],
                      on_success: Callable[[Any], None] | None = None,
                      on_failure: Callable[[BaseException], None] | None = None,
                      cancellable: bool = True) -> BackgroundJob:
    return BackgroundJob(parent, title, cancellable).start(job, on_success, on_failure)
