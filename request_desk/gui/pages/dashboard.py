"""工作台: what needs attention today, and how the year is going.

Counts and short lists come from ``register_list.dashboard`` (SQL COUNT / GROUP BY,
at most a few rows per list); double-click or Enter on a line opens the case,
“查看全部” shows the whole list in the register (``open_list``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from request_desk.core.cases import register_list
from request_desk.core.cases.consultations import LapsedConsultation
from request_desk.core.cases.register_list import RequestRow, ShortList
from request_desk.core.cases.remedies import OpenWindows
from request_desk.core.office import setup
from request_desk.core.vocab import OUTCOME_GROUPS
from request_desk.gui.context import DeskContext
from request_desk.gui.models.request_table import COLOURS, clock_text
from request_desk.gui.widgets.charts import (
    HorizontalBarChart,
    MonthlyBarChart,
    RateRing,
)
from request_desk.gui.widgets.todo_panel import TodoPanel

_WEEKDAYS = "一二三四五六日"
_ACCENT = {"overdue": COLOURS["red"][1], "due_soon": COLOURS["amber"][1]}


def _line(key: str, row: RequestRow) -> str:
    """One line of a short list: number, applicant, and what matters for this list."""
    if key == "provisional":
        what = f"{row.due_date}（暂定）"
    elif row.clock == "running" and key in ("overdue", "due_soon"):
        what = clock_text(row).split("  ")[-1]  # "超期3个工作日" / "今日到期" / "剩2个工作日"
    elif key == "awaiting_supplement":
        what = f"补正期限 {row.supplement_deadline}" if row.supplement_deadline else "待补正"
    elif key == "replied_not_delivered":
        what = f"{row.reply_date} 答复"
    else:
        what = f"{row.received_date} 收到"
    return f"{row.reg_number}  {row.applicant_name}  {what}"


class _Card(QFrame):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("card")
        self.title = QLabel(title)
        self.count = QLabel("—")
        self.count.setObjectName("count")
        big = QFont(self.font())
        big.setPointSizeF(self.font().pointSizeF() * 1.8)
        big.setBold(True)
        self.count.setFont(big)
        self.more = QPushButton("在登记簿中查看全部")
        self.more.setFlat(True)
        self.more.setCursor(Qt.CursorShape.PointingHandCursor)
        self.list = QListWidget()
        self.list.setObjectName("list")
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A narrow card (1024 px) wraps a line onto two rather than hide the days left (issue 15.8).
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        # Three rows of cards and the to-do share 768 px: a list may shrink to two lines (it scrolls).
        self.list.setMinimumHeight(2 * self.list.fontMetrics().lineSpacing() + 6)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        layout.addLayout(head)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.more, 0, Qt.AlignmentFlag.AlignRight)


class SetupNotice(QFrame):
    """Until a new office is set up: what is still missing, each with what to do, and 完成初始设置."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setup_notice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("QFrame#setup_notice { background: #fff4e0; border: 1px solid #e0a030; }")
        self.text = QLabel()
        self.text.setObjectName("setup_missing")
        self.text.setWordWrap(True)
        self.button = QPushButton("完成初始设置")
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)

    def show_missing(self, missing: list[setup.Missing]) -> None:
        self.setVisible(bool(missing))
        lines = "".join(f"<li><b>{m.what}</b>——{m.todo}</li>" for m in missing)
        self.text.setText(f"<b>本机关尚未完成初始设置：</b><ul style='margin: 0'>{lines}</ul>")


class DashboardPage(QWidget):
    """The clerk's start page (工作台)."""

    # Emitted with a RequestFilter when the clerk asks for a whole list.
    open_list = Signal(object)
    # 完成初始设置 clicked: the main window opens the setup assistant.
    setup_requested = Signal()

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        refresh = QPushButton("刷新")
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(refresh)

        self.cards: dict[str, _Card] = {}
        grid = QGridLayout()
        grid.setSpacing(8)
        for i, (key, title, f) in enumerate(register_list.DASHBOARD_LISTS):
            card = _Card(title)
            card.setObjectName(f"card_{key}")
            if key in _ACCENT:
                card.count.setStyleSheet(f"color: {_ACCENT[key].name()}")
            card.list.itemActivated.connect(self._open_item)
            card.more.clicked.connect(lambda _=False, f=f: self.open_list.emit(f))
            self.cards[key] = card
            grid.addWidget(card, i // 4, i % 4)
        self.calls_card = _Card("待电话回访")
        self.calls_card.setObjectName("card_calls")
        self.calls_card.more.hide()
        self.calls_card.list.hide()
        self.calls_note = QLabel()
        self.calls_note.setWordWrap(True)
        self.calls_card.layout().addWidget(self.calls_note)  # type: ignore[union-attr]
        self.calls_card.layout().addStretch(1)  # type: ignore[union-attr]
        grid.addWidget(self.calls_card, 1, 2)
        # docs/domain.md, "Pauses": consultations still open after the consulted side's
        # 15 working days; the clock runs again and the clerk must record what follows.
        self.consultations_card = _Card("征求意见期满未结束")
        self.consultations_card.setObjectName("card_lapsed_consultations")
        self.consultations_card.count.setStyleSheet(f"color: {_ACCENT['overdue'].name()}")
        self.consultations_card.more.hide()
        self.consultations_card.list.itemActivated.connect(self._open_item)
        grid.addWidget(self.consultations_card, 2, 0, 1, 2)
        # docs/domain.md, "Remedy windows": replies the applicant may still challenge.
        self.remedy_card = _Card("救济期内")
        self.remedy_card.setObjectName("card_remedy_windows")
        self.remedy_card.more.hide()
        self.remedy_card.list.itemActivated.connect(self._open_item)
        grid.addWidget(self.remedy_card, 2, 2, 1, 2)

        self.intake = MonthlyBarChart()
        self.outcomes = HorizontalBarChart("本年答复的办理结果")
        self.on_time = RateRing("本年按期答复率")
        rate_card = QFrame()
        rate_card.setFrameShape(QFrame.Shape.StyledPanel)
        QVBoxLayout(rate_card).addWidget(self.on_time)
        grid.addWidget(rate_card, 1, 3)
        charts = QHBoxLayout()
        charts.addWidget(self.intake, 1)
        charts.addSpacing(24)
        charts.addWidget(self.outcomes, 1)

        self.setup_notice = SetupNotice()
        self.setup_notice.button.clicked.connect(self.setup_requested)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.setup_notice)
        layout.addLayout(grid, 3)
        # The daily to-do and the charts share the lower half, so the page still fits 1024x768.
        self.todo = TodoPanel(ctx)
        chart_page = QWidget()
        chart_page.setLayout(charts)
        self.lower_tabs = QTabWidget()
        self.lower_tabs.addTab(self.todo, "今日待办")
        self.lower_tabs.addTab(chart_page, "统计图表")
        layout.addWidget(self.lower_tabs, 2)

        ctx.signals.requests_changed.connect(self.refresh)
        ctx.signals.settings_changed.connect(self.refresh)
        # What a new office lacks changes with the settings, units, users and holiday notices, never with
        # one registration: a change of "many or unknown" requests (a notice imported) re-checks it.
        for changed in (ctx.signals.settings_changed, ctx.signals.units_changed, ctx.signals.users_changed):
            changed.connect(self.refresh_setup)
        ctx.signals.requests_changed.connect(lambda ids: None if ids else self.refresh_setup())
        refresh.clicked.connect(self.refresh_setup)
        self.refresh_setup()
        self.board: register_list.Dashboard | None = None
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        # The date may have changed since the page was last seen.
        if self.board is not None and self.board.today != self.ctx.today():
            self.refresh()
        super().showEvent(event)

    def refresh_setup(self) -> None:
        self.setup_notice.show_missing(setup.what_is_missing(self.ctx.db, self.ctx.today()))

    def refresh(self) -> None:
        today = self.ctx.today()
        if hasattr(self, "todo"):
            self.todo.refresh()
        board = register_list.dashboard(self.ctx.db, today)
        self.board = board
        self.heading.setText(f"<b>工作台</b>　今天是 {today.year}年{today.month}月{today.day}日"
                             f" 星期{_WEEKDAYS[today.weekday()]}　临期提醒：剩余不多于 {board.amber_days} 个工作日")
        for short in board.lists:
            self._fill(self.cards[short.key], short)
        self._fill_calls(board.calls_due)
        self._fill_consultations(board.lapsed_consultations)
        self._fill_remedy_windows(board.remedy_windows)
        self.intake.set_data(list(board.monthly_intake))
        self.outcomes.set_data([(OUTCOME_GROUPS[g], n) for g, n in board.outcomes_by_group.items()])
        rate = board.on_time
        self.on_time.set_data(rate.on_time, rate.replied, f"按期 {rate.on_time} 件 / 答复 {rate.replied} 件")
        (y0, m0, _), (y1, m1, _) = board.monthly_intake[0], board.monthly_intake[-1]
        self.intake.title = f"近12个月收到申请（{y0}年{m0}月至{y1}年{m1}月）"
        self.intake.update()

    def _fill(self, card: _Card, short: ShortList) -> None:
        card.count.setText(str(short.count))
        card.list.clear()
        for row in short.rows:
            item = QListWidgetItem(_line(short.key, row))
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setToolTip(f"{row.reg_number} {row.applicant_name}：{row.description}\n双击打开")
            card.list.addItem(item)
        if not short.rows:
            empty = QListWidgetItem("无")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            card.list.addItem(empty)

    def _fill_calls(self, due: int) -> None:
        self.calls_card.count.setText(str(due))
        self.calls_note.setText("答复后应回访而尚未接通回访的申请，请在“电话回访”页办理。")

    def _fill_consultations(self, lapsed: tuple[LapsedConsultation, ...]) -> None:
        card = self.consultations_card
        card.count.setText(str(len(lapsed)))
        card.list.clear()
        for c in lapsed:
            item = QListWidgetItem(c.line())
            item.setData(Qt.ItemDataRole.UserRole, c.request_id)
            item.setToolTip(f"{c.reg_number} {c.applicant_name}：{c.kind.label}（{c.counterpart}）\n"
                            f"{c.deadline.describe(self.ctx.today())}\n已恢复计算答复期限；请登记意见或逾期未提出意见。"
                            "\n双击打开")
            card.list.addItem(item)
        if not lapsed:
            empty = QListWidgetItem("无")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            card.list.addItem(empty)

    def _fill_remedy_windows(self, found: OpenWindows) -> None:
        card = self.remedy_card
        card.count.setText(str(found.count))
        card.list.clear()
        today = self.ctx.today()
        for w in found.rows:
            item = QListWidgetItem(w.line(today))
            item.setData(Qt.ItemDataRole.UserRole, w.request_id)
            item.setToolTip(f"{w.reg_number} {w.applicant_name}：{w.delivered} 送达答复\n"
                            f"{w.windows.describe()}\n双击打开")
            card.list.addItem(item)
        if not found.rows:
            empty = QListWidgetItem("无")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            card.list.addItem(empty)

    def _open_item(self, item: QListWidgetItem) -> None:
        request_id = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(request_id, int):
            self.ctx.signals.open_request.emit(request_id)
