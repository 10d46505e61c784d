"""Tab pages read when the clerk opens them, not each time their window shows a case (issue 18).

A case shows a dozen tabs, and reading all of them whenever a case opens costs more
than a clerk should wait: most cases are opened for their header, timeline and steps.
A page added here is filled by its own function when its tab becomes the current one,
once per ``stale()`` (the case shown anew); a page current at that moment is filled at once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QTabWidget, QWidget


class LazyTabs(QObject):
    """The pages of ``tabs`` that are filled only when shown."""

    def __init__(self, tabs: QTabWidget) -> None:
        super().__init__(tabs)
        self.tabs = tabs
        self._fill: dict[QWidget, Callable[[], None]] = {}
        self._stale: set[QWidget] = set()
        tabs.currentChanged.connect(self._shown)

    def add(self, page: QWidget, title: str, fill: Callable[[], None]) -> int:
        """Add the tab; ``fill`` reads and shows its content (the next time it is shown after ``stale``)."""
        self._fill[page] = fill
        return self.tabs.addTab(page, title)

    def stale(self) -> None:
        """Every page is read again when next shown; the page shown now, at once."""
        self._stale = set(self._fill)
        self._shown(self.tabs.currentIndex())

    def is_stale(self, page: QWidget) -> bool:
        return page in self._stale

    def _shown(self, index: int) -> None:
        page = self.tabs.widget(index)
        if page in self._stale:
            self._stale.discard(page)
            self._fill[page]()
