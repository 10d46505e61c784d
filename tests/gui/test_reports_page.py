"""报表 page: exports run in the background and produce files; the annual table drills down; imports check first."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QPushButton, QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from request_desk.core.reports import annual
from request_desk.core.storage.models import Request
from request_desk.gui.context import DeskContext
from request_desk.gui.pages.reports import ReportsPage
from request_desk.gui.workers import run_in_background
from tests import factories

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
WAIT = 20_000


def _cases(ctx: DeskContext) -> dict[str, int]:
    ids = {}
    for tag, received, reply, outcome in (("a", date(2026, 10, 9), date(2026, 10, 20), "1"),
                                          ("b", date(2026, 10, 12), date(2026, 10, 30), "4.1"),
                                          ("c", date(2026, 10, 13), None, None),
                                          ("d", date(2025, 12, 29), date(2026, 1, 15), "1")):
        ids[tag] = factories.register(ctx.db, received, applicant_name=f"申请人{tag}")
        if outcome and reply:
            factories.replied(ctx.db, outcome, rid=ids[tag], on=reply)
    return ids


def double_click(qtbot: QtBot, table: QTableWidget, row: int, column: int) -> None:
    """A real double-click: the first click's press/release, then the double-click event."""
    centre = table.visualItemRect(table.item(row, column)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)


@pytest.fixture
def page(qtbot: QtBot, ctx: DeskContext, tmp_path: Path) -> ReportsPage:
    p = ReportsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1200, 760)
    p.show()
    qtbot.waitExposed(p)
    p.ask_save_path = lambda _parent, _title, name, _fmt: str(tmp_path / name)
    return p


def test_register_preview_and_background_export(qtbot: QtBot, ctx: DeskContext, page: ReportsPage,
                                                tmp_path: Path) -> None:
    ids = _cases(ctx)
    tab = page.monthly
    assert tab.selected_month().key == "2026-10"  # last month, by the desk's today
    with qtbot.waitSignal(tab.previewed, timeout=WAIT):
        tab.preview()
    assert [tab.table.item(r, 5).text() for r in range(tab.table.rowCount())] == ["申请人a", "申请人b", "申请人c"]
    assert tab.table.item(0, 6).text() == "110105********002X"
    with qtbot.waitSignal(ctx.signals.open_request, timeout=WAIT) as opened:
        double_click(qtbot, tab.table, 1, 1)
    assert opened.args == [ids["b"]]

    with qtbot.waitSignal(tab.exported, timeout=WAIT) as done:
        tab.ask_and_export("xlsx")
    out = Path(done.args[0])
    assert out == tmp_path / "登记台账-2026-10.xlsx"
    ws = load_workbook(out)["本月收到"]
    assert [ws.cell(row=r, column=6).value for r in (4, 5, 6)] == ["申请人a", "申请人b", "申请人c"]
    assert "本月收到 3 件" in tab.status.text()


def test_cancel_pressed_during_an_export_leaves_no_file(qtbot: QtBot, ctx: DeskContext, page: ReportsPage,
                                                        tmp_path: Path) -> None:
    _cases(ctx)
    tab = page.monthly
    # Jobs run one at a time: hold the worker so that 取消 is pressed while the export waits its turn.
    gate = threading.Event()
    holding = run_in_background(None, "占用", lambda: gate.wait(WAIT / 1000))
    out = tmp_path / "out" / "登记台账.xlsx"
    export = tab.export("xlsx", out)
    export.cancel.cancel()  # what the progress dialog's 取消 button does
    gate.set()
    qtbot.waitUntil(lambda: tab.status.text() == "已取消，未生成文件。", timeout=WAIT)
    assert holding.error is None and export.result is None
    assert list(out.parent.iterdir()) == []  # the temporary file was removed too


def test_annual_table_drills_down_to_the_requests(qtbot: QtBot, ctx: DeskContext, page: ReportsPage) -> None:
    ids = _cases(ctx)
    tab = page.annual
    page.tabs.setCurrentWidget(tab)
    assert tab.year.value() == 2026
    with qtbot.waitSignal(tab.computed, timeout=WAIT):
        tab.compute()
    row_of = {spec.key: r for r, spec in enumerate(tab.specs)}
    col_total = len(annual.COLUMN_KEYS)  # the 总计 column (column 0 holds the labels)
    assert tab.table.item(row_of["new"], col_total).text() == "3"
    assert tab.table.item(row_of["carried_in"], col_total).text() == "1"
    assert tab.table.item(row_of["1"], 1).text() == "2"
    assert "校验通过" in tab.check.text()

    with qtbot.waitSignal(tab.drilled, timeout=WAIT):
        rect = tab.table.visualItemRect(tab.table.item(row_of["1"], 1))
        qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.drill_ids() == sorted([ids["a"], ids["d"]])
    assert "予以公开" in tab.drill_title.text() and "自然人" in tab.drill_title.text()
    with qtbot.waitSignal(ctx.signals.open_request, timeout=WAIT) as opened:
        double_click(qtbot, tab.drill, 1, 0)
    assert opened.args == [tab.drill_ids()[1]]

    with qtbot.waitSignal(tab.drilled, timeout=WAIT):
        tab.show_cell("carried_out", "total")
    assert tab.drill_ids() == [ids["c"]]


def test_annual_export_refused_when_the_check_fails(qtbot: QtBot, ctx: DeskContext, page: ReportsPage,
                                                   tmp_path: Path) -> None:
    _cases(ctx)
    with ctx.db.write() as session:  # a damaged record: replied before it was received
        session.add(Request(year=2026, seq=99, reg_number="X-99", channel="online", received_date=date(2026, 3, 2),
                            applicant_type="research", applicant_name="某研究院", description="x", status="replied",
                            outcome_code="1", reply_date=date(2025, 12, 1)))
    tab = page.annual
    with qtbot.waitSignal(tab.computed, timeout=WAIT):
        tab.compute()
    assert "科研机构" in tab.check.text() and "不能导出" in tab.check.text()
    job = tab.export("xlsx", tmp_path / "a.xlsx")
    qtbot.waitUntil(lambda: job.error is not None, timeout=WAIT)
    assert "科研机构" in tab.status.text()
    assert not (tmp_path / "a.xlsx").exists()


def test_import_checks_first_then_imports(qtbot: QtBot, ctx: DeskContext, page: ReportsPage) -> None:
    tab = page.importer
    tab.set_file(DATA / "messy-ledger.xlsx")
    with qtbot.waitSignal(tab.planned, timeout=WAIT):
        tab.dry_run()
    assert not tab.import_button.isEnabled()
    errors = [(tab.issues.item(r, 0).text(), tab.issues.item(r, 1).text()) for r in range(tab.issues.rowCount())
              if tab.issues.item(r, 2).text() == "错误"]
    assert errors == [("9", "身份证号"), ("11", "答复结果")]
    assert tab.mapping.rowCount() == 23  # every header of the file, with its field

    page.ask_open_path = lambda *_a: str(DATA / "clean-ledger.xlsx")
    with qtbot.waitSignal(tab.planned, timeout=WAIT):
        tab.ask_file()
    assert tab.import_button.isEnabled()
    with qtbot.waitSignal(tab.imported, timeout=WAIT) as done, qtbot.waitSignal(ctx.signals.requests_changed):
        qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    assert done.args == [6]
    with ctx.db.read() as session:
        assert session.execute(select(func.count()).select_from(Request)).scalar_one() == 6


def test_template_is_saved(qtbot: QtBot, page: ReportsPage, tmp_path: Path) -> None:
    page.importer.save_template()
    assert load_workbook(tmp_path / "依申请公开台账导入模板.xlsx")["申请台账"]["B1"].value == "收到日期"


def test_full_personal_data_is_offered_only_to_supervisors(qtbot: QtBot, ctx: DeskContext) -> None:
    assert ctx.user == "clerk"
    clerk_page = ReportsPage(ctx)
    qtbot.addWidget(clerk_page)
    assert not clerk_page.monthly.full.isEnabled()
    supervisor = DeskContext(db=ctx.db, user="supervisor", today=ctx.today)
    page = ReportsPage(supervisor)
    qtbot.addWidget(page)
    assert page.monthly.full.isEnabled() and "审计" in page.monthly.full.toolTip()


def _annual_pdf_text(qtbot: QtBot, page: ReportsPage, year: int, tmp_path: Path) -> str:
    tab = page.annual
    tab.year.setValue(year)
    button = next(b for b in tab.findChildren(QPushButton) if b.text() == "导出 PDF…")
    with qtbot.waitSignal(tab.exported, timeout=WAIT):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    pdf = tmp_path / f"年度报告-{year}.pdf"
    return "".join(p.extract_text() for p in PdfReader(pdf).pages).replace("\n", "")


def test_an_annual_pdf_of_a_year_not_over_says_the_data_run_to_the_day_it_was_made(
        qtbot: QtBot, ctx: DeskContext, page: ReportsPage, tmp_path: Path) -> None:
    _cases(ctx)
    assert ctx.today() == date(2026, 11, 27)
    text = _annual_pdf_text(qtbot, page, 2026, tmp_path)
    assert "数据截至 2026-11-27（制表日）" in text and "2026年度尚未结束" in text
    assert "2026-12-31" not in text
    text = _annual_pdf_text(qtbot, page, 2025, tmp_path)  # a year that is over runs to its end
    assert "数据截至 2025-12-31。" in text and "尚未结束" not in text


def test_import_lists_unmapped_values_once_and_rechecks_with_the_clerk_s_choices(
        qtbot: QtBot, ctx: DeskContext, page: ReportsPage) -> None:
    tab = page.importer
    tab.set_file(DATA / "office-values.xlsx")
    assert not tab.value_box.isVisibleTo(tab)
    with qtbot.waitSignal(tab.planned, timeout=WAIT):
        tab.dry_run()
    assert tab.value_box.isVisibleTo(tab) and not tab.import_button.isEnabled()
    listed = [tuple(tab.values.item(r, c).text() for c in range(3)) for r in range(tab.values.rowCount())]
    assert listed == [("处理结果", "已答复", "3"), ("申请方式", "来信", "2"), ("申请人类型", "个体户", "1"),
                      ("处理结果", "不予公开", "1"), ("处理结果", "无法提供", "1"), ("处理结果", "不予处理", "1")]
    for r, code in enumerate(("1", "ordinary_letter", "commercial", "3.4", "4.1", "5.1")):
        combo = tab.values.cellWidget(r, 3)
        assert isinstance(combo, QComboBox) and combo.currentData() == ""
        combo.setCurrentIndex(combo.findData(code))
    assert tab.chosen_values()[("处理结果", "不予公开")] == "3.4"
    with qtbot.waitSignal(tab.planned, timeout=WAIT):
        qtbot.mouseClick(tab.recheck_button, Qt.MouseButton.LeftButton)
    assert tab.plan is not None and tab.plan.ok and tab.import_button.isEnabled()
    assert tab.values.rowCount() == 6  # the choices stay listed, and can be changed
    combo = tab.values.cellWidget(3, 3)
    assert isinstance(combo, QComboBox) and combo.currentData() == "3.4"
    with qtbot.waitSignal(tab.imported, timeout=WAIT) as done:
        qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    assert done.args == [8]


def test_import_shows_inferred_and_skipped_rows(qtbot: QtBot, ctx: DeskContext, page: ReportsPage) -> None:
    tab = page.importer
    tab.set_file(DATA / "office-2025.xlsx")
    with qtbot.waitSignal(tab.planned, timeout=WAIT):
        tab.dry_run()
    kinds = [(tab.issues.item(r, 0).text(), tab.issues.item(r, 2).text()) for r in range(tab.issues.rowCount())]
    assert {row for row, kind in kinds if kind == "推定"} == {"8", "9", "11", "16"}
    assert {row for row, kind in kinds if kind == "跳过"} == {"1", "2", "17", "18"}
    assert tab.import_button.isEnabled() and not tab.value_box.isVisibleTo(tab)
