"""报表 → 导入历史台账 offers the saved column mapping for a file with the same headers (issue 14, point 7)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from request_desk.core.transfer import profiles
from request_desk.gui.context import DeskContext
from request_desk.gui.pages.reports import ReportsPage

WAIT = 20_000
HEAD = "受理时间,来件方式,申请人类型,申请人,申请内容\n"


def test_the_saved_mapping_is_offered_applied_and_kept(qtbot: QtBot, ctx: DeskContext, tmp_path: Path) -> None:
    with ctx.db.write() as session:
        profiles.save_profile(session, "本办台账", HEAD.strip().split(","),
                              {"受理时间": "received_date", "来件方式": "channel"}, {}, "clerk")
    ledger = tmp_path / "六月.csv"
    ledger.write_text(HEAD + "2025-06-02,网上,自然人,吴九,某信息\n", encoding="utf-8")
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    tab = page.importer
    tab.set_file(ledger)
    with qtbot.waitSignal(tab.planned, timeout=WAIT):
        tab.dry_run()
    assert not tab.import_button.isEnabled()  # 受理时间 and 来件方式 not recognised: required columns missing
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
