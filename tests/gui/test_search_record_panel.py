"""The case view's 检索记录 tab: the step's dialog adds a search, the tab shows it, the annex saves."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from request_desk.core.cases.workflow import Action
from request_desk.gui.context import DeskContext
from tests import factories
from tests.support.gui import case_window
from tests.support.pdf import pdf_text


def test_a_search_recorded_through_the_dialog_shows_in_its_tab_and_saves_as_the_annex(
        qtbot: QtBot, ctx: DeskContext, tmp_path: Path) -> None:
    rid = factories.register(ctx.db, date(2026, 11, 2))
    win = case_window(qtbot, ctx, rid)
    win.tabs.setCurrentWidget(win.search_records)  # the tab shown: it follows the step at once
    button = win.action_buttons[Action.RECORD_SEARCH]
    assert button.text().startswith("登记检索记录") and button.is_available()
    assert win.search_records.table.rowCount() == 0 and not win.search_records.print_button.isEnabled()
    dialog = win.perform(Action.RECORD_SEARCH)
    dialog.fields["date"].setDate(QDate(2026, 11, 20))  # type: ignore[attr-defined]
    dialog.fields["where"].setPlainText("本机关公文管理系统、档案室")  # type: ignore[attr-defined]
    dialog.fields["keywords"].setText("老旧小区改造")  # type: ignore[attr-defined]
    with qtbot.waitSignal(ctx.signals.requests_changed):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    table = win.search_records.table
    assert [table.item(0, c).text() for c in range(5)] == [
        "2026-11-20", "本机关公文管理系统、档案室", "老旧小区改造", "未检索到相关信息", "李经办"]
    assert win.status.text() == "状态：已登记"
    target = tmp_path / "检索记录.pdf"
    win.search_records.save_pdf(target)
    assert "检索记录（附件，存档用）" in pdf_text(target.read_bytes())
