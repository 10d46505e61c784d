"""Whole workbooks, Excel 97-2003 files, progress and cancel of the check (issue 14, points 6 and 8)."""

from __future__ import annotations

import shutil
import struct
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from request_desk.core.errors import ValidationFailed
from request_desk.core.jobs import Cancelled, CancelToken, Progress, run
from request_desk.core.reports import annual
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry, Counter, Event, Request
from request_desk.core.transfer import importer, ledger_zip
from tests.factories import TODAY

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
MONTHS = ["1月", "2月", "3月"]


def test_sheets_with_the_same_columns_import_together_and_the_others_are_noted(db: Database) -> None:
    plan = importer.plan_import(db, DATA / "monthly-workbook.xlsx", today=TODAY)
    assert plan.ok, [str(i) for i in plan.errors]
    assert plan.sheets == MONTHS and len(plan.rows) == 12
    assert [(r.sheet, r.row) for r in plan.rows][:5] == [("1月", 3), ("1月", 4), ("1月", 5), ("1月", 6), ("2月", 4)]
    notes = {i.sheet: i.message for i in plan.issues if i.row == 0 and i.severity == "skip"}
    assert set(notes) == {"说明", "1月（旧）", "Sheet6", "汇总"}
    assert "已隐藏" in notes["1月（旧）"] and "空的" in notes["Sheet6"] and "没有列名行" in notes["说明"]
    assert str(next(i for i in plan.issues if i.sheet == "Sheet6")) == "工作表“Sheet6”【跳过】工作表是空的，已跳过。"
    assert "共读取 3 张工作表：1月、2月、3月" in plan.summary()

    assert run(importer.import_plan(db, plan, "clerk", today=TODAY)) == 12
    with db.read() as s:
        received = sorted(r.received_date for r in s.exec(select(Request)))
        audited = [e.new for e in s.exec(select(AuditEntry).where(AuditEntry.action == "import"))]
        registered = s.exec(select(Event).where(Event.kind == "registered")).all()
    assert received[0] == date(2025, 1, 4) and received[-1] == date(2025, 3, 7)
    assert {(a["sheet"], a["row"]) for a in audited if a["reg_number"] == "宿公开〔2025〕0201号"} == {("2月", 4)}
    assert any("工作表“3月” 第2行" in e.note for e in registered)
    table = annual.annual_report(db, 2025).table
    assert (table["new"]["total"], table["1"]["total"], table["carried_out"]["total"]) == (12, 9, 3)


def test_every_message_names_the_sheet_of_its_row(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    wb = load_workbook(DATA / "monthly-workbook.xlsx")
    wb["3月"]["C4"] = "2025-02-30"
    wb["2月"]["B5"] = "宿公开〔2025〕0101号"  # the number of 1月's first row
    april = wb.create_sheet("4月")
    april.append(["序号", "收到日期", "申请人", "申请内容", "备注"])
    wb.save(path)
    plan = importer.plan_import(db, path, today=TODAY)
    errors = [str(i) for i in plan.errors]
    assert errors[0] == "工作表“2月” 第5行“登记编号”列【错误】登记编号与工作表“1月” 第3行重复。"
    assert errors[1].startswith("工作表“3月” 第4行“收到日期”列【错误】")
    assert any(i.sheet == "4月" and "列名与工作表“1月”不同" in i.message for i in plan.issues)
    assert plan.sheets == MONTHS


def test_a_single_ledger_sheet_after_others_is_named_and_one_first_sheet_is_not(db: Database,
                                                                                tmp_path: Path) -> None:
    path = tmp_path / "三月.xlsx"
    wb = load_workbook(DATA / "monthly-workbook.xlsx")
    for name in ("1月", "2月"):
        del wb[name]
    wb["3月"]["C4"] = "明天"
    wb.save(path)
    plan = importer.plan_import(db, path, today=TODAY)
    assert plan.sheets == ["3月"] and str(plan.errors[0]).startswith("工作表“3月” 第4行")
    del wb["说明"]
    wb.save(path)
    plan = importer.plan_import(db, path, today=TODAY)
    assert str(plan.errors[0]).startswith("第4行“收到日期”列")


@pytest.mark.parametrize("name", ["legacy-ledger.xls", "legacy-1904.xls"])
def test_excel_97_2003_workbooks_import_with_their_own_date_system(db: Database, name: str) -> None:
    plan = importer.plan_import(db, DATA / name, today=TODAY)
    assert plan.ok, [str(i) for i in plan.errors]
    months = MONTHS if name == "legacy-ledger.xls" else ["3月"]
    assert plan.sheets == months
    assert run(importer.import_plan(db, plan, "clerk", today=TODAY)) == len(plan.rows)
    with db.read() as s:
        by_number = {r.reg_number: r for r in s.exec(select(Request))}
    first = by_number["宿公开〔2025〕0301号"]  # an Excel date cell: 2025-03-04 in both date systems
    assert (first.received_date, first.reply_date, first.outcome_code) == (date(2025, 3, 4), date(2025, 3, 21), "1")
    assert by_number["宿公开〔2025〕0302号"].received_date == date(2025, 3, 5)  # text
    if name == "legacy-ledger.xls":
        assert len(by_number) == 15
        assert by_number["宿公开〔2025〕0305号"].received_date == date(2025, 3, 4)  # a serial day number


def test_an_xls_saved_under_xlsx_is_still_read(db: Database, tmp_path: Path) -> None:
    renamed = tmp_path / "台账.xlsx"
    shutil.copy(DATA / "legacy-1904.xls", renamed)
    plan = importer.plan_import(db, renamed, today=TODAY)
    assert plan.ok and len(plan.rows) == 4


def test_a_part_that_inflates_beyond_what_it_declares_is_refused(db: Database, tmp_path: Path) -> None:
    """The declared size is a claim: the counting pass measures what the part really inflates to."""
    path = tmp_path / "lying.xlsx"
    shutil.copy(DATA / "clean-ledger.xlsx", path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/padding.bin", b"\0" * (900 * 1024))  # under the ratio check's 1 MiB
    with zipfile.ZipFile(path) as zf:
        member = zf.getinfo("xl/padding.bin")
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, member.header_offset + 22, 1000)  # local header: uncompressed size
    central = next(i for i in range(len(data) - 46, 0, -1) if data[i:i + 4] == b"PK\x01\x02"
                   and struct.unpack_from("<I", data, i + 42)[0] == member.header_offset)
    struct.pack_into("<I", data, central + 24, 1000)  # central directory: uncompressed size
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo("xl/padding.bin").file_size == 1000
    with pytest.raises(ValidationFailed, match=r"中的部件 xl/padding\.bin 解压后有"):
        ledger_zip.check_zip_members(path)
    with pytest.raises(ValidationFailed, match="解压后有"):
        importer.plan_import(db, path, today=TODAY)


def test_the_check_reports_progress_and_can_be_cancelled(db: Database) -> None:
    seen: list[Progress] = []
    plan = run(importer.plan_job(db, DATA / "monthly-workbook.xlsx", today=TODAY, batch=4), on_progress=seen.append)
    assert plan.ok and seen[0].done == 0 and "正在读取" in seen[0].message
    assert [p.done for p in seen[1:]] == [4, 8, 12, 12] and all(p.total == 12 for p in seen[1:])
    token = CancelToken()

    def cancel_at_the_first_batch(progress: Progress) -> None:
        if progress.done:
            token.cancel()

    with pytest.raises(Cancelled):
        run(importer.plan_job(db, DATA / "monthly-workbook.xlsx", today=TODAY, batch=4),
            on_progress=cancel_at_the_first_batch, token=token)


def test_a_big_batch_keeps_numbers_counters_and_dates_of_the_row_by_row_writer(db: Database, tmp_path: Path) -> None:
    """Rows without a number get the next ones; kept office numbers move the counter past them."""
    path = tmp_path / "numbers.csv"
    path.write_text("登记编号,收到日期,收到方式,申请人类型,申请人,申请内容\n"
                    ",2025-05-06,网上,自然人,甲,某信息\n"
                    "2025-00010,2025-05-07,网上,自然人,乙,某信息\n"
                    ",2025-05-08,网上,自然人,丙,某信息\n"
                    ",2024-12-30,网上,自然人,丁,某信息\n", encoding="utf-8")
    plan = importer.plan_import(db, path, today=TODAY)
    assert plan.ok
    run(importer.import_plan(db, plan, "clerk", today=TODAY))
    with db.read() as s:
        numbers = {r.applicant_name: (r.reg_number, r.year, r.seq) for r in s.exec(select(Request))}
        counters = {(c.year, c.value) for c in s.exec(select(Counter))}
        created = {r.created_at for r in s.exec(select(Request))}
    assert numbers == {"甲": ("2025-00001", 2025, 1), "乙": ("2025-00010", 2025, 10),
                       "丙": ("2025-00011", 2025, 11), "丁": ("2024-00001", 2024, 1)}
    assert counters == {(2025, 11), (2024, 1)}
    assert all(c is not None for c in created)
