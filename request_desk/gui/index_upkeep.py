"""The similar-requests index brought up to date after the word lists changed, off the UI thread.

An upgrade or an office's own rows (``similarity_vocab``) change how descriptions
are normalised, so every request is indexed again (``similarity_index.rebuild_job``):
at a million requests, minutes. It runs in the background right after the desk
opens, with progress and 取消 (the old index serves lookups until the new one is
whole; cancelled, it runs again at the next start).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow

from request_desk.gui.context import DeskContext
from request_desk.gui.workers import BackgroundJob, run_in_background

log = logging.getLogger(__name__)


class IndexUpkeep(QObject):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ctx: DeskContext = window.ctx  # type: ignore[attr-defined]
        self.job: BackgroundJob | None = None

    def start(self) -> BackgroundJob | None:
        from request_desk.core.publication import similarity_index  # noqa: PLC0415  (after the first window)

        db = self.ctx.db
        if not similarity_index.rebuild_needed(db):
            return None
        self.job = run_in_background(self.window, "更新相似申请索引", lambda: similarity_index.rebuild_job(db),
                                     self._done, self._stopped)
        return self.job

    def _done(self, count: int) -> None:
        self.job = None
        self.window.statusBar().showMessage(f"相似申请索引已按新的词表更新（{count:,} 件）。", 10_000)

    def _stopped(self, exc: BaseException) -> None:
        self.job = None
        log.warning("similarity index not rebuilt: %r", exc)
        self.window.statusBar().showMessage("相似申请索引未更新完（旧索引仍可使用），下次启动时重新更新。", 10_000)
