"""报表 → 导入历史台账 offers the saved column mapping for a file with the same headers (issue 14, point 7)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from request_desk.core.transfer import importer, profiles
from request_desk.gui.context import DeskContext
from request_desk.gui.pages.reports import ReportsPage

WAIT = 20_000
HEAD = "来信时间,递交途径,申请人类型,申请人,申请内容\n"


def test_the_saved_mapping_is_offered_applied_and_kept(qtbot: QtBot, ctx: DeskContext, tmp_path: Path) -> None:
    with ctx.db.write() as session:
        profiles.save_profile(session, "本办台账", HEAD.strip().split(","),
                              {"来信时间": "received_date", "递交途径": "channel"}, {}, "clerk")
    ledger = tmp_path / "六月.csv"
    ledger.write_text(HEAD + "2025-06-02,网上,自然人,吴九,某信息\n", encoding="utf-8")
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    tab = page.importer
    tab.set_file(ledger)
    with qtbot.waitSignal(tab.planned, timeout=WAIT):
        tab.dry_run()
    assert not tab.import_button.isEnabled()  # 来信时间 and 递交途径 not recognised: required columns missing
    assert not tab.profile_button.isHidden() and tab.profile_button.text() == "使用上次的列对应：本办台账"
    with qtbot.waitSignal(tab.planned, timeout=WAIT):
        qtbot.mouseClick(tab.profile_button, Qt.MouseButton.LeftButton)
    combo = tab.mapping.cellWidget(0, 1)
    assert isinstance(combo, QComboBox) and combo.currentData() == "received_date"
    assert tab.profile_button.isHidden() and tab.import_button.isEnabled()
    with qtbot.waitSignal(tab.imported, timeout=WAIT):
        qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    assert "列对应已保存为方案“本办台账”" in tab.status.text()
    assert [p.name for p in profiles.list_profiles(ctx.db)] == ["本办台账"]


def test_a_saved_value_mapping_is_offered_and_places_the_values(qtbot: QtBot, ctx: DeskContext) -> None:
    ledger = Path(__file__).resolve().parents[1] / "data" / "import" / "office-values.xlsx"
    choices = {("处理结果", "已答复"): "1", ("申请方式", "来信"): "ordinary_letter",
               ("申请人类型", "个体户"): "commercial", ("处理结果", "不予公开"): "3.4",
               ("处理结果", "无法提供"): "4.1", ("处理结果", "不予处理"): "5.1"}
    plan = importer.plan_import(ctx.db, ledger, values=choices, today=ctx.today())
    with ctx.db.write() as session:
        profiles.save_profile(session, "本办台账", plan.headers, profiles.columns_of(plan.headers, plan.mapping),
                              plan.values, "clerk")
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    tab = page.importer
    tab.set_file(ledger)
    with qtbot.waitSignal(tab.planned, timeout=WAIT):
        tab.dry_run()
    assert not tab.import_button.isEnabled() and tab.values.rowCount() == 6  # six values to place
    assert tab.profile_button.text() == "使用上次的列对应：本办台账"
    with qtbot.waitSignal(tab.planned, timeout=WAIT):
        qtbot.mouseClick(tab.profile_button, Qt.MouseButton.LeftButton)
    assert tab.plan is not None and not tab.plan.unmapped and tab.import_button.isEnabled()
