"""What every page needs, passed explicitly (no global singletons)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

from request_desk.core.storage.db import Database

#: "Many requests, or which is not known" (an import, a restore, a settings change).
ANY_REQUEST: frozenset[int] = frozenset()


def affects(changed: frozenset[int], request_id: int | None) -> bool:
    """Whether a change of ``changed`` (empty: any request) concerns ``request_id``."""
    return not changed or request_id in changed


class RequestChanges:
    """``requests_changed``: which requests changed, as a frozenset of ids (empty: any).

    A thin front on a Qt signal carrying one object, so that ``emit()`` with no
    ids still means "many or unknown" for callers that cannot say which, while
    ``emit(ids)`` lets each listener refresh only what it shows. ``connect``,
    ``disconnect`` and ``pytest-qt``'s ``waitSignal`` work as on the signal.
    """

    def __init__(self, signal: SignalInstance) -> None:
        self.qt_signal = signal

    def emit(self, ids: Iterable[int] = ANY_REQUEST) -> None:
        self.qt_signal.emit(frozenset(ids))

    def connect(self, slot: Callable[..., Any]) -> Any:
        return self.qt_signal.connect(slot)

    def disconnect(self, slot: Callable[..., Any] | None = None) -> Any:
        return self.qt_signal.disconnect(slot) if slot is not None else self.qt_signal.disconnect()


class DeskSignals(QObject):
    """Changes any page may care about; pages refresh themselves on these."""

    _requests_changed = Signal(object)  # frozenset[int]
    units_changed = Signal()
    settings_changed = Signal()
    # Users added, renamed, given another role or (de)activated: pages that depend on a role re-check it.
    users_changed = Signal()
    open_request = Signal(int)
    # (request id, +1 or -1): "next/previous case" from a case window, in list order.
    step_request = Signal(int, int)
    # A short sentence for the main window's status line (why a click did nothing, …).
    status_message = Signal(str)
    # A backup was written (the automatic ones run in the background): backup lists reload.
    backups_changed = Signal()
    # Someone signed in as this user name (``DeskContext.user`` already says who): the desk
    # arms its idle lock and offers 修改密码… (the setup assistant's new administrator).
    signed_in = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.requests_changed = RequestChanges(self._requests_changed)


@dataclass
class DeskContext:
    db: Database  # handed to core services; the GUI opens no session on it
    user: str
    today: Callable[[], date] = date.today
    signals: DeskSignals = field(default_factory=DeskSignals)
