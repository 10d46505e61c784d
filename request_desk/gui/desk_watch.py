"""Other desks' changes appear here without a manual refresh.

Every ``POLL_MS`` the desk asks for the newest audit entry (one index lookup,
``core.storage.desk_changes``); when it moved, the pages are told what changed
through the same signals this desk's own saves send. On the office server a
listener thread waits for the server's ``NOTIFY`` and asks at once, so a
registration at one desk shows at the others within a fraction of a second;
the poll stays as the fallback (a dropped connection, a missed notice).
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QTimer, Signal
from sqlalchemy.exc import SQLAlchemyError

from request_desk.core.errors import DeskError
from request_desk.core.storage import desk_changes, postgres_support
from request_desk.gui.context import ANY_REQUEST, DeskContext

log = logging.getLogger("request_desk.gui.desk_watch")

POLL_MS = 1000  # on a file: "within two seconds" for a change made at another PC
SERVER_POLL_MS = 5000  # on the server the notices carry it; the poll only catches what they missed
_LISTEN_TIMEOUT_S = 1.0  # how often the listener thread looks whether it should stop


class DeskWatch(QObject):
    """Polls (and on the server, listens) for changes saved at other desks."""

    _nudged = Signal()  # from the listener thread: a notice arrived

    def __init__(self, ctx: DeskContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last = desk_changes.newest(ctx.db)
        self.timer = QTimer(self)
        self.timer.setInterval(SERVER_POLL_MS if ctx.db.on_server else POLL_MS)
        self.timer.timeout.connect(self.check)
        self._nudged.connect(self.check)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.timer.start()
        if self.ctx.db.on_server:
            self._thread = threading.Thread(target=self._listen, name="desk-changes", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self.timer.stop()
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2 * _LISTEN_TIMEOUT_S)
            self._thread = None

    def check(self) -> None:
        """Tell the pages what was saved since the last look (nothing when nothing was)."""
        try:
            changes = desk_changes.since(self.ctx.db, self.last)
        except (DeskError, SQLAlchemyError) as exc:  # the server away for a moment: try again at the next tick
            log.warning("could not look for other desks' changes: %s", exc)
            return
        if changes is None:
            return
        self.last = changes.newest
        signals = self.ctx.signals
        if changes.any_request:
            signals.requests_changed.emit(ANY_REQUEST if changes.requests is None else changes.requests)
        if changes.units:
            signals.units_changed.emit()
        if changes.settings:
            signals.settings_changed.emit()
        if changes.users:
            signals.users_changed.emit()

    def _listen(self) -> None:
        try:
            listener = postgres_support.ChangeListener(self.ctx.db.engine.url)
        except Exception as exc:  # noqa: BLE001  (no notices: the poll alone keeps the desk current)
            log.warning("cannot listen for other desks' changes, polling only: %s", exc)
            return
        try:
            while not self._stop.is_set():
                if listener.wait(_LISTEN_TIMEOUT_S) and not self._stop.is_set():
                    self._nudged.emit()
        except Exception as exc:  # noqa: BLE001
            log.warning("listening for other desks' changes stopped, polling only: %s", exc)
        finally:
            listener.close()
