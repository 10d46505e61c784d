"""The case area (案件详情): one window per desk, one tab per opened case (issue 15.8).

Opening a case from a list adds its tab or selects the one already open, so a
day's work never piles up windows. A case's widgets are built once and reused
(``CaseWindow.show_request``): stepping shows the next case in the same panel, and
the panel of a closed tab is kept, hidden, for the next case opened while others are open.
Ctrl+PgDown / Ctrl+PgUp move the *current* tab on to the next / previous case of
the register list (its own order and filter: ``DeskSignals.step_request``,
answered by the main window), so working down a list keeps one tab. Ctrl+W closes
a tab; the window closes with its last.

A case with a form open (a step, a letter, the clock explanation) is never
replaced by stepping: the next case opens in a tab of its own and the form stays
with its case, as typed. Asking instead would interrupt the clerk for nothing,
and a letter dialog is not modal, so the form may well be wanted again.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING, ClassVar, cast

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox, QTabWidget, QVBoxLayout, QWidget

from request_desk.core.errors import DeskError
from request_desk.gui.context import DeskContext
from request_desk.gui.widgets.screen_fit import fit_to_screen

if TYPE_CHECKING:  # the panels are made by the factory handed in: case_view imports this module
    from request_desk.gui.case_view import CaseWindow

#: Makes the panel of one request (``CaseWindow.new_panel``), None if it cannot be read.
PanelFactory = Callable[[DeskContext, int, QWidget], "CaseWindow | None"]

TITLE = "案件详情"


class CaseArea(QWidget):
    """The desk's window of open cases."""

    _areas: ClassVar[dict[int, CaseArea]] = {}

    def __init__(self, ctx: DeskContext, new_panel: PanelFactory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._make_panel = new_panel
        self._panels: set[QWidget] = set()
        # A closed tab's panel, hidden in this window, for the next case opened. It keeps its parent:
        # taken out of the window and put back, every widget of it would be styled again.
        self._spare: CaseWindow | None = None
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(TITLE)
        self.ctx = ctx
        self._closing = False
        self.tabs = QTabWidget()
        self.tabs.setObjectName("cases")
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.tabs.currentChanged.connect(self._current_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        for keys, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            QShortcut(QKeySequence(keys), self).activated.connect(lambda s=step: self.step(s))
        QShortcut(QKeySequence("Ctrl+W"), self).activated.connect(lambda: self.close_tab(self.tabs.currentIndex()))
        fit_to_screen(self, QSize(1180, 720))
        key = id(ctx)
        self.destroyed.connect(lambda _=None: self._areas.pop(key, None) if self._areas.get(key) is self else None)

    @classmethod
    def of(cls, ctx: DeskContext, new_panel: PanelFactory, parent: QWidget | None = None) -> CaseArea:
        """The desk's case area, made when first needed."""
        area = cls._areas.get(id(ctx))
        if area is None or area.ctx is not ctx:  # a new desk context at a recycled address
            area = cls(ctx, new_panel, parent)
            cls._areas[id(ctx)] = area
        return area

    @classmethod
    def existing(cls, ctx: DeskContext) -> CaseArea | None:
        area = cls._areas.get(id(ctx))
        return area if area is not None and area.ctx is ctx else None

    # ------------------------------------------------------------------ tabs

    def panels(self) -> list[CaseWindow]:
        """The open cases, in the order of their tabs."""
        return [cast("CaseWindow", w) for i in range(self.tabs.count()) if (w := self.tabs.widget(i)) in self._panels]

    def current(self) -> CaseWindow | None:
        panel = self.tabs.currentWidget()
        return cast("CaseWindow", panel) if panel in self._panels else None

    def _index(self, request_id: int) -> int:
        return next((i for i, p in enumerate(self.panels()) if p.request_id == request_id), -1)

    def show_case(self, request_id: int) -> CaseWindow | None:
        """Select the request's tab, adding it if it is not open; bring the window up."""
        index = self._index(request_id)
        if index < 0:
            panel = self._new_panel(request_id)
            if panel is None:
                return None
            index = self.tabs.addTab(panel, panel.tab_title())
        self.tabs.setCurrentIndex(index)
        self.show()
        self.raise_()
        self.activateWindow()
        return self.current()

    def _new_panel(self, request_id: int) -> CaseWindow | None:
        spare, self._spare = self._spare, None
        if spare is not None:
            if not self._shown_in(spare, request_id):
                self._spare = spare
                return None
            return spare
        panel = self._make_panel(self.ctx, request_id, self)
        if panel is None:
            return None
        self._panels.add(panel)
        panel.destroyed.connect(lambda _=None, p=panel: self._panels.discard(p))
        panel.windowTitleChanged.connect(lambda _=None, p=panel: self._retitle(p))
        return panel

    def _shown_in(self, panel: CaseWindow, request_id: int) -> bool:
        """Show ``request_id`` in an existing panel; False (and a message) if it cannot be read."""
        try:
            panel.show_request(request_id)
        except DeskError as exc:
            QMessageBox.warning(self, "无法打开申请", str(exc))
            return False
        return True

    def _retitle(self, panel: CaseWindow) -> None:
        index = self.tabs.indexOf(panel)
        if index >= 0:
            self.tabs.setTabText(index, panel.tab_title())
            self.tabs.setTabToolTip(index, panel.windowTitle())
        self._show_title()

    def _show_title(self) -> None:
        panel = self.current()
        self.setWindowTitle(f"{panel.tab_title()} — {TITLE}" if panel is not None else TITLE)

    def close_tab(self, index: int) -> bool:
        """Close one case; False if its open form was kept (the clerk chose to go on typing)."""
        panel = self.tabs.widget(index)
        if panel is None:
            return True
        if not panel.close():
            return False
        self.tabs.removeTab(index)
        self._keep_or_delete(panel)
        if not self._closing and self.tabs.count() == 0:
            self.close()
        return True

    def _keep_or_delete(self, panel: QWidget) -> None:
        """Keep a closed tab's panel as the spare while the window stays open; delete it otherwise."""
        if self._spare is None and not self._closing and self.tabs.count() and panel in self._panels:
            self._spare = cast("CaseWindow", panel)  # hidden by close()
        else:
            panel.deleteLater()

    def _current_changed(self, index: int) -> None:
        with suppress(RuntimeError):  # the area itself being destroyed
            self._show_title()
            if index < 0 and not self._closing:
                QTimer.singleShot(0, self, self._close_if_empty)

    def _close_if_empty(self) -> None:
        # A panel closed and deleted from outside (a test's teardown) leaves no empty window behind.
        if not self._closing and self.tabs.count() == 0:
            self.close()

    # -------------------------------------------------------------- stepping

    def step(self, step: int) -> None:
        """Ask for the case after (+1) or before (-1) the current one in the register list."""
        panel = self.current()
        if panel is not None:
            self.ctx.signals.step_request.emit(panel.request_id, step)

    def step_to(self, from_id: int, to_id: int) -> CaseWindow | None:
        """Show ``to_id`` in place of ``from_id``'s tab (in a new tab if that case has a form open)."""
        old = next((p for p in self.panels() if p.request_id == from_id), None)
        if old is None or old.open_dialog() is not None:
            return self.show_case(to_id)  # the form stays with its case, as typed
        if self._index(to_id) >= 0:  # already open: go there, and keep no second tab behind
            shown = self.show_case(to_id)
            if shown is not old:
                self.close_tab(self.tabs.indexOf(old))
            return shown
        if not self._shown_in(old, to_id):  # the same panel, its widgets reused
            return None
        self._retitle(old)
        return old

    def say(self, text: str) -> None:
        """A passing sentence in the current case's status line."""
        panel = self.current()
        if panel is not None:
            panel.status_line.showMessage(text, 6000)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._closing = True
        try:
            for index in reversed(range(self.tabs.count())):
                if not self.close_tab(index):
                    self.tabs.setCurrentIndex(index)
                    event.ignore()
                    return
        finally:
            self._closing = False
        self._areas.pop(id(self.ctx), None)
        super().closeEvent(event)
