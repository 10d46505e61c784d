"""申请登记簿: every request, filtered, searched and sorted in SQL, opened with a double-click."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QModelIndex, QObject, QSettings, Qt
from PySide6.QtGui import QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionHeader,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from request_desk.core.cases.register_list import RequestFilter
from request_desk.gui.context import DeskContext
from request_desk.gui.models.request_table import COLUMN_INDEX, RequestTableModel
from request_desk.gui.widgets.filters import RequestFilterBar

SETTINGS_HEADER = "requests/header_state"

# The description takes whatever width is left.
DEFAULT_WIDTHS = {
    "reg_number": 92, "received": 86, "channel": 72, "applicant": 84,
    "unit": 120, "status": 76, "due": 215, "outcome": 110, "reply": 86,
    "contact": 120,
}
# The longest text a key column shows: it is never cut, whatever the font (issue 15.8).
WIDEST = {"reg_number": "2026-00001", "received": "2026-11-27", "due": "2026-12-01（暂定）  超期10个工作日",
          "reply": "2026-11-27"}
CELL_PADDING = 14


_FLIPPED = {
    QStyleOptionHeader.SortIndicator.SortUp: QStyleOptionHeader.SortIndicator.SortDown,
    QStyleOptionHeader.SortIndicator.SortDown: QStyleOptionHeader.SortIndicator.SortUp,
}


class SortArrowStyle(QProxyStyle):
    """Qt draws descending as an upward arrow; a clerk reads ▼ as "newest first".

    The header's arrow points down for a descending sort (the list opens newest
    first), up for an ascending one.
    """

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,  # noqa: N802
                      painter: QPainter, widget: QWidget | None = None) -> None:
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and isinstance(option, QStyleOptionHeader):
            flipped = QStyleOptionHeader(option)
            flipped.sortIndicator = _FLIPPED.get(option.sortIndicator, option.sortIndicator)
            option = flipped
        super().drawPrimitive(element, option, painter, widget)


class RequestsPage(QWidget):
    """The register of requests (申请登记簿)."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.filters = RequestFilterBar(ctx)
        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        self.filters.extra.addWidget(self.count_label)

        self.model = RequestTableModel(ctx.db, ctx.today, self)
        self.view = QTableView()
        self.view.setObjectName("requests")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = self.view.verticalHeader()
        rows.setVisible(False)
        # Fixed heights: Qt never measures a million rows.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)

        header = self.view.horizontalHeader()
        self._arrow_style = SortArrowStyle()  # kept: a widget does not own its style
        header.setStyle(self._arrow_style)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        metrics = self.view.fontMetrics()
        for key, width in DEFAULT_WIDTHS.items():
            widest = metrics.horizontalAdvance(WIDEST[key]) + CELL_PADDING if key in WIDEST else 0
            header.resizeSection(COLUMN_INDEX[key], max(width, widest))
        header.setSectionResizeMode(COLUMN_INDEX["description"], QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.DescendingOrder)
        self._restore_header()
        header.sortIndicatorChanged.connect(self._sort_changed)
        header.sectionResized.connect(lambda *_: self._save_header())

        # activated: double-click, or Enter on the current row.
        self.view.activated.connect(self._open)
        self.filters.changed.connect(self.apply_filter)
        ctx.signals.requests_changed.connect(self.requests_changed)
        ctx.signals.units_changed.connect(self.filters.reload_units)
        ctx.signals.settings_changed.connect(self.refresh)

        # Enter or Down in the search box goes to the results (keyboard first).
        self.filters.search.installEventFilter(self)

        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addWidget(self.view, 1)
        self._update_count()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.filters.search and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down):
            self.filters.apply_now()
            if self.model.rowCount():
                self.view.setFocus()
                self.view.selectRow(0)
            return True
        return super().eventFilter(watched, event)

    # -- actions ---------------------------------------------------------------

    def apply_filter(self, f: RequestFilter) -> None:
        self.model.set_filter(f)
        self._update_count()

    def show_filter(self, f: RequestFilter) -> None:
        """Show the list narrowed to ``f`` (the dashboard's "查看全部")."""
        self.filters.set_filter(f)

    def refresh(self) -> None:
        self.model.refresh()
        self._update_count()

    def requests_changed(self, ids: frozenset[int]) -> None:
        """Re-count and re-read the rows on screen; the rest is read when scrolled to."""
        self.model.requests_changed(ids)
        self._update_count()

    def selected_request_id(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.request_id(index.row()) if index.isValid() else None

    def focus_search(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    def adjacent_id(self, request_id: int, step: int) -> int | None:
        """The case after (or before) ``request_id`` in the list as shown; selects it."""
        row = self.view.currentIndex().row()
        if row < 0 or self.model.request_id(row) != request_id:
            row = -1 if step > 0 else self.model.rowCount()
        target = row + step
        if not 0 <= target < self.model.rowCount():
            return None
        self.view.selectRow(target)
        return self.model.request_id(target)

    def _open(self, index: QModelIndex) -> None:
        request_id = self.model.request_id(index.row())
        if request_id is not None:
            self.ctx.signals.open_request.emit(request_id)

    def _update_count(self) -> None:
        n = self.model.rowCount()
        filtered = self.model.filter != RequestFilter()
        if n == 0 and filtered:
            self.count_label.setText("没有符合条件的申请")
        else:
            self.count_label.setText(f"共 {n:,} 件" + ("（已筛选）" if filtered else ""))

    # -- sorting and remembered columns ------------------------------------------

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        if not self.model.is_sortable(column):
            # Only indexed columns sort; put the indicator back where it was.
            header = self.view.horizontalHeader()
            current = Qt.SortOrder.DescendingOrder if self.model.descending else Qt.SortOrder.AscendingOrder
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column(), current)
            header.blockSignals(False)
            header.viewport().update()
            self.ctx.signals.status_message.emit(self.model.sort_refusal(column))
            return
        self.model.sort(column, order)
        self._save_header()

    def _save_header(self) -> None:
        QSettings().setValue(SETTINGS_HEADER, self.view.horizontalHeader().saveState())

    def _restore_header(self) -> None:
        state = QSettings().value(SETTINGS_HEADER)
        header = self.view.horizontalHeader()
        if isinstance(state, QByteArray) and header.restoreState(state):
            column, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
            if self.model.is_sortable(column):
                self.model.sort(column, order)
            else:
                header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.DescendingOrder)
