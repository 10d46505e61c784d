"""The request list as a lazy table model (Anki's browser ``DataModel`` pattern).

``rowCount`` is the SQL count of the current filter, so the scrollbar tells
the truth; ``data()`` fetches the page of ~200 rows a cell falls in and keeps
a few pages in a small LRU cache, so jumping to row 900,000 costs one page
query. Sorting re-queries SQL, and only columns backed by an index sort.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from request_desk.core.cases import register_list
from request_desk.core.cases.register_list import RequestFilter, RequestRow, SortKey
from request_desk.core.deadlines.case_clock import OfficeClock
from request_desk.core.storage.db import Database
from request_desk.core.vocab import (
    APPLICANT_TYPE_LABELS,
    CHANNEL_LABELS,
    OUTCOME_GROUPS,
    OUTCOMES_BY_CODE,
    STATUS_LABELS,
)

Index = QModelIndex | QPersistentModelIndex
# The invalid index, Qt's "no parent": the default parent of a flat model's queries.
NO_PARENT = QModelIndex()

# Tints readable in print-outs and by clerks with weak colour vision: the
# text says the same thing as the colour.
COLOURS = {
    "green": (QColor("#e3f4e8"), QColor("#1d6b35")),
    "amber": (QColor("#fff1cc"), QColor("#8a5300")),
    "red": (QColor("#fde0dd"), QColor("#b3261e")),
}
PAUSED_FOREGROUND = QColor("#5f6368")

PROVISIONAL_TIP = (
    "此期限跨入尚未公布放假安排的年份，暂按法定节日规则推算，为暂定日期。\n"
    "国务院办公厅公布当年节假日安排后，请管理员在“设置”中录入，期限将自动重新计算。"
)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    sort: SortKey | None = None
    tip: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("reg_number", "登记编号", SortKey.REG_NUMBER),
    Column("received", "收到日期", SortKey.RECEIVED),
    Column("channel", "渠道", tip="此列不支持排序：渠道只有几种，按渠道筛选请用上方的条件"),
    Column("applicant", "申请人", SortKey.APPLICANT),
    Column("description", "申请内容", tip="此列不支持排序：按内容查找请用上方的搜索框"),
    Column("unit", "承办单位", SortKey.UNIT, "按承办单位分组排序（按单位登记顺序）"),
    Column("status", "状态", SortKey.STATUS, "按状态分组排序，组内按收到日期"),
    Column("due", "答复期限", SortKey.DUE),
    Column("outcome", "办理结果", SortKey.OUTCOME, "按办理结果分组排序，组内按收到日期"),
    Column("reply", "答复日期", SortKey.REPLY),
    Column("contact", "联系电话", tip="此列不支持排序：按电话或证件号码查找请在上方搜索框输入号码（后4–6位即可）；"
           "号码已遮盖"),
)
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}


def outcome_text(code: str | None) -> str:
    if not code:
        return ""
    group = code.split(".")[0]
    if code not in OUTCOMES_BY_CODE:
        return code
    # The group names the reply; the code pins the row of the annual report.
    return OUTCOME_GROUPS[group] if code == group else f"{OUTCOME_GROUPS[group]}（{code}）"


def clock_text(row: RequestRow) -> str:
    """The deadline cell: the date and, while the clock runs, the working days left."""
    mark = "（暂定）" if row.due_provisional else ""
    due = row.due_date.isoformat() if row.due_date else ""
    if row.clock == "running" and row.workdays_left is not None:
        left = row.workdays_left
        state = f"剩{left}个工作日" if left > 0 else "今日到期" if left == 0 else f"超期{-left}个工作日"
        return f"{due}{mark}  {state}"
    if row.clock == "paused":
        return f"{due}{mark}  暂停计时"
    if row.clock == "supplement":
        until = row.supplement_deadline.isoformat() if row.supplement_deadline else ""
        return f"待补正，补正期限 {until}" if until else "待补正"
    if row.replied_on_time is False:
        return f"{due}  逾期答复"
    return due


def clock_tip(row: RequestRow) -> str:
    tips = []
    if row.clock == "paused":
        tips.append("征求意见或收费期间暂停计时，期限随暂停天数顺延。")
    if row.clock == "supplement":
        tips.append("答复期限自收到补正材料之日起重新计算。")
    if row.due_provisional:
        tips.append(PROVISIONAL_TIP)
    return "\n".join(tips)


class RequestTableModel(QAbstractTableModel):
    PAGE_SIZE = 200
    CACHE_PAGES = 8

    def __init__(self, db: Database, today: Callable[[], date], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._today = today
        self._filter = RequestFilter()
        self._sort = SortKey.RECEIVED
        self._descending = True
        self._count = 0
        self._pages: OrderedDict[int, list[RequestRow]] = OrderedDict()
        # The calendar and rules the rows' clocks use, read once per refresh.
        self._clock: OfficeClock | None = None
        self.page_fetches = 0  # how many page queries ran (for tests and the curious)
        self._count = self._query_count()

    # -- state -------------------------------------------------------------

    @property
    def filter(self) -> RequestFilter:
        return self._filter

    @property
    def sort_key(self) -> SortKey:
        return self._sort

    @property
    def descending(self) -> bool:
        return self._descending

    def set_filter(self, f: RequestFilter) -> None:
        if f != self._filter:
            self._filter = f
            self.refresh()

    def refresh(self) -> None:
        """Re-count and forget cached pages (after a filter change or another desk's edit)."""
        self.beginResetModel()
        self._pages.clear()
        self._clock = None
        self._count = self._query_count()
        self.endResetModel()

    def requests_changed(self, ids: frozenset[int]) -> None:
        """Some requests changed (``ids``; empty: any): re-count, re-read only the rows shown.

        Any shown row may have moved (a new status or due date re-sorts the list,
        a new request enters it), so the cached pages go; but while the count
        stays the same the view keeps its selection and scroll position, and asks
        again only for the rows on screen. A new count resets the model.
        """
        count = self._query_count()
        self._pages.clear()
        if count != self._count:
            self.beginResetModel()
            self._count = count
            self.endResetModel()
        elif count:
            self.dataChanged.emit(self.index(0, 0), self.index(count - 1, len(COLUMNS) - 1))

    def _query_count(self) -> int:
        return register_list.count_requests(self._db, self._filter, self._today())

    def row_at(self, row: int) -> RequestRow | None:
        if not 0 <= row < self._count:
            return None
        page_no, offset = divmod(row, self.PAGE_SIZE)
        page = self._pages.get(page_no)
        if page is None:
            today = self._today()
            if self._clock is None or self._clock.today != today:
                self._clock = register_list.clock_context(self._db, today)
            page = register_list.fetch_rows(self._db, self._filter, self._sort, self._descending,
                                            page_no * self.PAGE_SIZE, self.PAGE_SIZE, today, self._clock)
            self.page_fetches += 1
            self._pages[page_no] = page
            while len(self._pages) > self.CACHE_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        # Another desk may have deleted rows since the count: a short page.
        return page[offset] if offset < len(page) else None

    def request_id(self, row: int) -> int | None:
        found = self.row_at(row)
        return found.id if found else None

    @property
    def cached_pages(self) -> set[int]:
        """Numbers of the pages held in memory (like ``page_fetches``, for tests and the curious)."""
        return set(self._pages)

    @staticmethod
    def is_sortable(column: int) -> bool:
        return 0 <= column < len(COLUMNS) and COLUMNS[column].sort is not None

    @staticmethod
    def sort_refusal(column: int) -> str:
        """Why ``column`` does not sort, for the status line (its tooltip says the same)."""
        tip = COLUMNS[column].tip if 0 <= column < len(COLUMNS) else ""
        return tip if tip.startswith("此列不支持排序") else "此列不支持排序"

    def sort_column(self) -> int:
        return next(i for i, c in enumerate(COLUMNS) if c.sort == self._sort)

    # -- Qt interface -----------------------------------------------------------

    def rowCount(self, parent: Index = NO_PARENT) -> int:  # noqa: N802
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = NO_PARENT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        column = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tip or ("点击按此列排序" if column.sort else "此列不支持排序")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() >= len(COLUMNS):
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole,
                        Qt.ItemDataRole.UserRole):
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        key = COLUMNS[index.column()].key
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(key, row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(key, row)
        if key != "due":
            return None
        if row.clock == "paused":
            return QBrush(PAUSED_FOREGROUND) if role == Qt.ItemDataRole.ForegroundRole else None
        if row.colour is None:
            return None
        background, foreground = COLOURS[row.colour]
        return QBrush(background if role == Qt.ItemDataRole.BackgroundRole else foreground)

    @staticmethod
    def _display(key: str, row: RequestRow) -> str:
        if key == "reg_number":
            return row.reg_number
        if key == "received":
            return row.received_date.isoformat()
        if key == "channel":
            label = CHANNEL_LABELS.get(row.channel, row.channel)  # type: ignore[call-overload]
            return str(label).split("（")[0]  # "邮寄（挂号/快递）" → "邮寄"; the tooltip has it all
        if key == "applicant":
            return row.applicant_name
        if key == "description":
            return row.description.replace("\n", " ")
        if key == "unit":
            return row.unit_name or "未分办"
        if key == "status":
            return STATUS_LABELS.get(row.status, row.status)  # type: ignore[call-overload]
        if key == "due":
            return clock_text(row)
        if key == "outcome":
            return outcome_text(row.outcome_code)
        if key == "reply":
            return row.reply_date.isoformat() if row.reply_date else ""
        if key == "contact":
            # A search by the ID number's last digits shows the ID, so the clerk sees what matched.
            return f"证件 {row.id_masked}" if row.matched_id else row.phone_masked
        return ""

    @staticmethod
    def _tooltip(key: str, row: RequestRow) -> str | None:
        if key == "due":
            return clock_tip(row) or None
        if key == "applicant":
            return APPLICANT_TYPE_LABELS.get(row.applicant_type)  # type: ignore[call-overload]
        if key == "description":
            return row.description
        if key == "channel":
            return CHANNEL_LABELS.get(row.channel)  # type: ignore[call-overload]
        if key == "unit":
            return row.unit_name or "尚未分办承办单位"
        if key == "contact":
            return f"联系电话：{row.phone_masked or '无'}\n证件号码：{row.id_masked or '无'}"
        if key == "outcome" and row.outcome_code:
            known = OUTCOMES_BY_CODE.get(row.outcome_code)
            return f"{row.outcome_code} {known.label}" if known else row.outcome_code
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not self.is_sortable(column):
            return
        sort_key = COLUMNS[column].sort
        assert sort_key is not None
        descending = order == Qt.SortOrder.DescendingOrder
        if (sort_key, descending) == (self._sort, self._descending):
            return
        # A reset, not layoutChanged: every row may move and the model does
        # not know where (it never holds the whole result).
        self.beginResetModel()
        self._sort, self._descending = sort_key, descending
        self._pages.clear()
        self.endResetModel()
