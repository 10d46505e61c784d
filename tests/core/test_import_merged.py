"""Both halves of issue 14 together: an office's own ledger layout in a workbook of several sheets,
and its value mapping kept in a saved profile."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from request_desk.core.jobs import Progress, run
from request_desk.core.storage.db import Database
from request_desk.core.transfer import importer, profiles
from tests.factories import TODAY

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
CHOICES = {("处理结果", "已答复"): "1", ("申请方式", "来信"): "ordinary_letter",
           ("申请人类型", "个体户"): "commercial", ("处理结果", "不予公开"): "3.4",
           ("处理结果", "无法提供"): "4.1", ("outcome", "不予处理"): "5.1"}


def test_the_value_mapping_is_saved_in_the_profile_and_comes_back(db: Database) -> None:
    plan = importer.plan_import(db, DATA / "office-values.xlsx", values=CHOICES, today=TODAY)
    assert plan.ok and len(plan.rows) == 8
    assert plan.values["outcome"] == {"不予公开": "3.4", "不予处理": "5.1", "已答复": "1", "无法提供": "4.1"}
    assert plan.values["channel"] == {"来信": "ordinary_letter"}
    assert plan.values["applicant_type"] == {"个体户": "commercial"}
    run(importer.import_plan(db, plan, "clerk", today=TODAY, profile="本办台账"))
    saved = profiles.get_profile(db, "本办台账")
    assert saved.values == plan.values
    # The saved choices, turned back into the planner's form, place every value again.
    again = importer.plan_import(db, DATA / "office-values.xlsx", values=saved.value_choices(), today=TODAY)
    assert not again.unmapped and again.ok and again.skipped == 8  # all already imported


def test_a_workbook_of_two_row_header_sheets_is_read_sheet_by_sheet(db: Database, tmp_path: Path) -> None:
    wb = load_workbook(DATA / "office-two-row-header.xlsx")
    first = wb.worksheets[0]
    first.title = "5月"
    second = wb.copy_worksheet(first)
    second.title = "6月"
    for r, (received, name) in enumerate((("2025-06-03", "李娜"), ("2025-06-04", "王小明")), start=4):
        second.cell(r, 2, received)
        second.cell(r, 4, name)
        second.cell(r, 8, "2025-06-20")
    second.append([None, "合计2件"])
    path = tmp_path / "两个月.xlsx"
    wb.save(path)
    job = importer.plan_job(db, path, today=TODAY, batch=1)
    progress = []
    try:
        while True:
            progress.append(next(job))
    except StopIteration as stop:
        plan = stop.value
    assert all(isinstance(p, Progress) for p in progress)
    assert plan.sheets == ["5月", "6月"] and len(plan.rows) == 4
    assert [(r.sheet, r.row) for r in plan.rows] == [("5月", 4), ("5月", 5), ("6月", 4), ("6月", 5)]
    assert plan.mapping[4] == "id_or_code"  # 申请人 over 证件号码: a person's or an organisation's
    skipped = [(i.sheet, i.row, i.message) for i in plan.issues if i.severity == "skip"]
    assert ("5月", 1, "标题行，不是申请，已跳过。") in skipped and ("6月", 1, "标题行，不是申请，已跳过。") in skipped
    assert ("6月", 6, "合计行，不是申请，已跳过。") in skipped
    assert plan.not_requests == 3
    run(importer.import_plan(db, plan, "clerk", today=TODAY))
    assert importer.count_requests(db) == 4
    # The desk read the two-row header by itself: nothing to keep in a profile.
    assert plan.saved_profile is None and profiles.list_profiles(db) == []
