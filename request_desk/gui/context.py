"""What every page needs, passed explicitly (no global singletons)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QObject, Signal

from request_desk.core.storage.db import Database


class DeskSignals(QObject):
    """Changes any page may care about; pages refresh themselves on these."""

    requests_changed = Signal()
    units_changed = Signal()
    settings_changed = Signal()
    open_request = Signal(int)
    # (request id, +1 or -1): "next/previous case" from a case window, in list order.
    step_request = Signal(int, int)


@dataclass
class DeskContext:
    db: Database
    user: str
    today: Callable[[], date] = date.today
    signals: DeskSignals = field(default_factory=DeskSignals)
