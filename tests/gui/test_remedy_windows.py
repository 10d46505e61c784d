"""救济期内 on the 工作台 and the windows in the case window (docs/domain.md, "Remedy windows")."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from request_desk.core.cases import remedies
from request_desk.core.vocab import RemedyKind
from request_desk.gui.context import DeskContext
from request_desk.gui.pages.dashboard import DashboardPage
from tests import factories
from tests.support.gui import case_window

D = date.fromisoformat


def _replied(ctx: DeskContext, outcome: str, on: str, delivered: str | None, name: str) -> int:
    return factories.replied(ctx.db, outcome, on=D(on), delivered=D(delivered) if delivered else None,
                             received=D("2026-05-04"), applicant_name=name, today=ctx.today())


def test_the_dashboard_lists_the_replies_still_open_to_a_remedy(qtbot: QtBot, ctx: DeskContext) -> None:
    # Today is Fri 27 Nov 2026.
    recent = _replied(ctx, "1", "2026-10-09", "2026-10-10", "张三")  # reconsideration until 9 Dec
    _replied(ctx, "3.4", "2026-06-01", "2026-06-02", "李四")  # refusal: reconsideration ended in August
    suing = _replied(ctx, "1", "2026-06-01", "2026-06-02", "王五")  # litigation until Wed 2 Dec
    _replied(ctx, "1", "2026-11-20", None, "赵六")  # delivery not recorded: windows unknown
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    card = page.remedy_card
    assert card.count.text() == "2"
    items = [card.list.item(i) for i in range(card.list.count())]
    assert [i.data(Qt.ItemDataRole.UserRole) for i in items] == [recent, suing]
    assert items[0].text().endswith("张三  2026-10-10 送达  复议至 2026-12-09，诉讼至 2027-04-12")
    assert items[1].text().endswith("王五  2026-06-02 送达  诉讼至 2026-12-02")
    with qtbot.waitSignal(ctx.signals.open_request, check_params_cb=lambda i: i == suing):
        card.list.itemActivated.emit(items[1])


def test_an_empty_list_says_so(qtbot: QtBot, ctx: DeskContext) -> None:
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    assert page.remedy_card.count.text() == "0" and page.remedy_card.list.item(0).text() == "无"


def test_the_case_window_shows_the_windows_and_a_late_remedy(qtbot: QtBot, ctx: DeskContext) -> None:
    refused = _replied(ctx, "3.4", "2026-06-01", "2026-06-02", "李四")
    remedies.add_remedy(ctx.db, refused, "clerk", RemedyKind.RECONSIDERATION, D("2026-11-02"), today=ctx.today())
    win = case_window(qtbot, ctx, refused)
    assert win.remedy_windows.text() == "申请行政复议期限至 2026-08-03；复议前置，不能直接提起行政诉讼。"
    assert win.remedies.item(0, 6).text() == "已过期限"
    unknown = case_window(qtbot, ctx, _replied(ctx, "1", "2026-11-20", None, "赵六"))
    assert unknown.remedy_windows.text() == "送达日期未登记，救济期限未知。"
