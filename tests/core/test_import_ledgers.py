"""Ledgers as offices keep them (issue 14): imported without editing the file first.

The files are in tests/data/import/ (described and built by tests/support/office_ledgers.py),
one per trait and one, office-2025.xlsx, with all of them.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from request_desk.cli import main
from request_desk.core import cases
from request_desk.core.errors import ValidationFailed
from request_desk.core.jobs import run
from request_desk.core.letters import compose
from request_desk.core.reports import annual, export
from request_desk.core.reports.common import Month
from request_desk.core.reports.monthly import COLUMNS
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Request
from request_desk.core.transfer import importer
from request_desk.core.transfer.ledger_values import parse_value_option, route_combined_id
from request_desk.core.transfer.template import header_field, write_template
from request_desk.core.vocab import REGISTRATION_CHANNELS, Channel
from tests.factories import TODAY, new_request
from tests.support import office_ledgers as ledgers

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


def cli(db_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``request-desk --db DB ARGS``, in-process: (exit code, stdout, stderr)."""
    capsys.readouterr()
    try:
        code = main(["--db", str(db_path), "--user", "clerk", *args])
    except SystemExit as exc:  # argparse's own refusals
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def plan_of(db: Database, name: str | Path, **kw: object) -> importer.ImportPlan:
    return importer.plan_import(db, DATA / name, today=TODAY, **kw)  # type: ignore[arg-type]


def issues(plan: importer.ImportPlan, severity: str) -> dict[tuple[int, str], str]:
    return {(i.row, i.column): i.message for i in plan.issues if i.severity == severity}


def stored(db: Database) -> dict[str, Request]:
    with db.read() as s:
        return {r.applicant_name: r for r in s.exec(select(Request))}


# ---------------------------------------------------------------- 1. headers

@pytest.mark.parametrize(("header", "key"), [
    ("申请人类别", "applicant_type"), ("申请人性质", "applicant_type"), ("申请人身份", "applicant_type"),
    ("承办科室", "unit"), ("承办处室", "unit"), ("承办机构", "unit"), ("办理科室", "unit"),
    ("受理日期", "received_date"), ("受理时间", "received_date"),
    ("身份证号码/统一社会信用代码", "id_or_code"), ("证件号码（代码）", "id_or_code"),
    ("证件号码(统一社会信用代码)", "id_or_code"), ("身份证号或组织机构代码", "id_or_code"),
    ("申请人证件号码", "id_or_code"),
    ("处理结果", "outcome"), ("答复结果", "outcome"), ("答复时间", "reply_date"), ("办结时间", "reply_date"),
    # A remark in brackets is still ignored when it names no code.
    ("证件号码（必填）", "id_number"), ("统一社会信用代码", "credit_code"), ("申请人姓名/名称", "applicant_name"),
])
def test_header_spellings_offices_use(header: str, key: str) -> None:
    assert header_field(header) == key


def test_a_ledger_with_other_header_spellings_imports(db: Database) -> None:
    plan = plan_of(db, "office-spellings.xlsx")
    assert plan.ok, [str(i) for i in plan.errors]
    assert sorted(plan.mapping.values()) == sorted(["reg_number", "received_date", "channel", "applicant_type",
                                                    "applicant_name", "id_or_code", "description", "unit",
                                                    "reply_date", "outcome"])
    run(importer.import_plan(db, plan, "clerk", today=TODAY))
    rows = stored(db)
    builder, zhang = rows["宿迁某某建设有限公司"], rows["张伟"]
    assert (builder.credit_code, builder.id_number, builder.reply_date) == (ledgers.BUILDER, "", date(2025, 4, 20))
    assert (zhang.id_number, zhang.credit_code, zhang.channel, zhang.outcome_code) == (
        ledgers.ZHANG_WEI, "", "in_person", "2")


def test_a_two_row_header_is_read_as_one(db: Database) -> None:
    plan = plan_of(db, "office-two-row-header.xlsx")
    assert plan.ok, [str(i) for i in plan.errors]
    assert plan.headers == ["序号", "受理日期", "申请人 类别", "申请人 姓名/名称", "申请人 证件号码", "申请内容",
                            "承办科室", "答复情况 答复日期", "答复情况 处理结果", "备注"]
    assert [plan.mapping.get(i) for i in range(10)] == [
        None, "received_date", "applicant_type", "applicant_name", "id_or_code", "description", "unit",
        "reply_date", "outcome", "note"]
    assert plan.header_row == 2 and [r.row for r in plan.rows] == [4, 5]  # data start below the sub-headers
    run(importer.import_plan(db, plan, "clerk", today=TODAY))
    rows = stored(db)
    assert (rows["张伟"].id_number, rows["宿迁某某建设有限公司"].credit_code) == (ledgers.ZHANG_WEI, ledgers.BUILDER)
    assert rows["宿迁某某建设有限公司"].outcome_code == "2"
    # A column mapping by the joined name reaches the sub-header's column.
    remapped = plan_of(db, "office-two-row-header.xlsx", mapping={"申请人 证件号码": ""})
    assert 4 not in remapped.mapping


def test_the_date_spellings_of_one_office(db: Database) -> None:
    plan = plan_of(db, "office-dates.xlsx")
    assert plan.ok and {r.values["received_date"] for r in plan.rows} == {date(2025, 3, 5)}
    assert [r.values["reply_date"].day for r in plan.rows] == [20, 21, 24, 25, 26]


# ---------------------------------------------------------------- 2. the combined ID column

def test_the_combined_id_column_is_routed_by_applicant_type_and_shape(db: Database) -> None:
    plan = plan_of(db, "office-combined-id.xlsx")
    column = "证件号码/统一社会信用代码"
    errors = issues(plan, "error")
    assert set(errors) == {(5, column), (6, column)}
    assert "身份证号码第18位校验码" in errors[(5, column)]  # a person's: GB 11643
    assert "统一社会信用代码第18位校验码" in errors[(6, column)]  # an organisation's: GB 32100
    assert not any("出生日期" in i.message for i in plan.issues)  # no credit code read as an ID number
    values = {r.row: (r.values["id_number"], r.values["credit_code"]) for r in plan.rows}
    assert values == {2: (ledgers.ZHANG_WEI, ""), 3: ("", ledgers.BUILDER), 4: ("", ledgers.LAW_FIRM),
                      7: (ledgers.WANG_XM, "")}
    # Row 7 has no type: the valid resident ID number makes it a person's (and the type is listed).
    assert "证件号码是居民身份证号码" in issues(plan, "inferred")[(7, "申请人类型")]


def test_a_separate_column_wins_over_the_combined_one(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "both.csv"
    path.write_text("收到日期,申请人类型,申请人,申请内容,证件号码,身份证号码/统一社会信用代码\n"
                    f"2025-05-06,自然人,张伟,某信息,{ledgers.ZHANG_WEI},{ledgers.LI_NA}\n", encoding="utf-8")
    plan = importer.plan_import(db, path, today=TODAY)
    assert plan.ok and plan.rows[0].values["id_number"] == ledgers.ZHANG_WEI
    assert issues(plan, "warning")[(2, "身份证号码/统一社会信用代码")] == "与“证件号码”列不一致，以“证件号码”列为准。"
    # A message about a number names the column the number was in.
    bad = ledgers.ZHANG_WEI[:-1] + ("0" if ledgers.ZHANG_WEI[-1] != "0" else "1")
    path.write_text("收到日期,申请人类型,申请人,申请内容,证件号码,身份证号码/统一社会信用代码\n"
                    f"2025-05-06,自然人,张伟,某信息,,{bad}\n2025-05-07,自然人,李娜,某信息,{bad},\n", encoding="utf-8")
    assert set(issues(importer.plan_import(db, path, today=TODAY), "error")) == {
        (2, "身份证号码/统一社会信用代码"), (3, "证件号码")}


def test_under_an_applicant_group_the_document_column_is_the_combined_one(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "group.csv"
    path.write_text("收到日期,申请人信息,,,申请内容\n,类型,姓名,证件号码,\n"
                    f"2025-05-06,商业企业,宿迁某某建设有限公司,{ledgers.BUILDER},某信息\n", encoding="utf-8")
    plan = importer.plan_import(db, path, today=TODAY)
    assert plan.ok and plan.mapping[3] == "id_or_code" and plan.rows[0].values["credit_code"] == ledgers.BUILDER


@pytest.mark.parametrize(("value", "field"), [
    (ledgers.BUILDER, "credit_code"), (ledgers.ZHANG_WEI, "id_number"), ("E12345678", "id_number"),
    (ledgers.ZHANG_WEI[:-1] + "0", "id_number"),  # neither valid: the ID check says what is wrong
])
def test_without_a_type_the_value_s_shape_decides(value: str, field: str) -> None:
    assert route_combined_id(value, None, today=TODAY) == field


# ---------------------------------------------------------------- 3. missing columns

def test_a_ledger_without_a_channel_column_records_unrecorded(db: Database, tmp_path: Path) -> None:
    plan = plan_of(db, "office-no-channel.xlsx")
    assert plan.ok
    about_channel = [i for i in plan.issues if "收到方式" in i.message or i.column == "收到方式"]
    assert [(i.row, i.severity) for i in about_channel] == [(0, "warning")]  # once for the file
    run(importer.import_plan(db, plan, "clerk", today=TODAY))
    assert {r.channel for r in stored(db).values()} == {"unrecorded"}
    assert Channel.UNRECORDED.label == "未记载" and Channel.UNRECORDED not in REGISTRATION_CHANNELS
    # Counted in the annual table like any other channel, and the table adds up.
    report = annual.annual_report(db, 2025)
    report.check()
    assert (report.table["new"]["total"], report.table["total"]["total"], report.table["carried_out"]["total"]) == (
        3, 2, 1)
    # Shown as such in the monthly register.
    out = tmp_path / "register.xlsx"
    run(export.export_register(db, Month(2025, 6), "xlsx", out))
    channel_col = [c.label for c in COLUMNS].index("收到方式") + 1
    assert {load_workbook(out)["本月收到"].cell(row=r, column=channel_col).value for r in (4, 5)} == {"未记载"}
    # A letter that states the way of applying leaves it for the clerk to fill in, never "以未记载方式".
    open_case = stored(db)["李娜"]
    assert open_case.id is not None
    draft = compose.compose(db, open_case.id, "acknowledgement", on_date=TODAY)
    assert "channel" in compose.blank_names(draft.document)
    filled = compose.compose(db, open_case.id, "acknowledgement", on_date=TODAY, extras={"channel": "邮寄"})
    assert "channel" not in compose.blank_names(filled.document) and "以邮寄方式" in str(filled.document)


def test_blank_channel_cells_are_unrecorded_with_one_warning(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text("收到日期,收到方式,申请人类型,申请人,申请内容\n2025-05-06,,自然人,甲,某信息\n"
                    "2025-05-07,网上,自然人,乙,某信息\n2025-05-08,,自然人,丙,某信息\n", encoding="utf-8")
    plan = importer.plan_import(db, path, today=TODAY)
    assert plan.ok and [r.values["channel"] for r in plan.rows] == [Channel.UNRECORDED, Channel.ONLINE,
                                                                   Channel.UNRECORDED]
    assert [i.message for i in plan.issues if i.column == "收到方式"] == ["第2、4行未填写收到方式，记为“未记载”。"]


def test_a_new_registration_cannot_choose_unrecorded(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    problems = cases.validate_new(new_request(channel=Channel.UNRECORDED), TODAY)
    assert [(i.field, i.severity) for i in problems] == [("channel", "error")]
    code, _, err = cli(db_path, capsys, "case", "new", "--set", "channel=unrecorded", "--set", "applicant_type=自然人",
                            "--set", "applicant_name=张三", "--set", "description=某文件")
    assert code == 2 and "channel must be one of" in err


def test_a_missing_applicant_type_is_inferred_from_the_name_and_listed(db: Database) -> None:
    plan = plan_of(db, "office-no-type.xlsx")
    inferred = issues(plan, "inferred")
    expected = {row: kind for row, (_, kind) in enumerate(ledgers.NO_TYPE_ROWS, start=2)}
    assert set(inferred) == {(row, "申请人类型") for row, kind in expected.items() if kind}
    assert {r.row: r.values["applicant_type"].value for r in plan.rows} == {
        row: kind for row, kind in expected.items() if kind}
    assert plan.inferred == 12 and "推定申请人类型 12 件" in plan.summary()
    # A name that says nothing is the clerk's to place, once for the name.
    (row, column), message = next(iter(issues(plan, "error").items()))
    assert (row, column) == (13, "申请人类型") and "某某街道办事处" in message
    placed = plan_of(db, "office-no-type.xlsx", values={("申请人类型", "某某街道办事处"): "其他",
                                                        ("申请人类型", "张伟"): "法律服务机构"})
    assert placed.ok and placed.inferred == 11  # the clerk's choice for a name overrides the inference
    run(importer.import_plan(db, placed, "clerk", today=TODAY))
    rows = stored(db)
    assert (rows["某某街道办事处"].applicant_type, rows["张伟"].applicant_type) == ("other_org", "legal_services")


# ---------------------------------------------------------------- 4. rows that are not requests

def test_rows_that_are_not_requests_are_skipped_with_a_note(db: Database) -> None:
    plan = plan_of(db, "office-not-requests.xlsx")
    assert plan.ok, [str(i) for i in plan.errors]
    notes = {i.row: i.message.split("，")[0] for i in plan.issues if i.severity == "skip"}
    assert notes == {1: "标题行", 5: "合计行", 6: "重复的列名行", 8: "空行", 9: "空行", 11: "合计行", 12: "合计行",
                     13: "合计行", 14: "注释或说明行", 15: "注释或说明行", 16: "填表单位、填表日期等落款行"}
    assert [r.row for r in plan.rows] == [3, 4, 7, 10] and plan.not_requests == 11
    assert not [i for i in plan.issues if i.row > 16]  # Excel's formatted empty rows below are no news


def test_a_request_that_mentions_a_total_or_a_note_is_still_a_request(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "words.csv"
    path.write_text("收到日期,收到方式,申请人类型,申请人,申请内容,备注\n"
                    "2025-05-06,网上,自然人,甲,合计,注：加急\n", encoding="utf-8")
    plan = importer.plan_import(db, path, today=TODAY)
    assert plan.ok and [r.row for r in plan.rows] == [2]


# ---------------------------------------------------------------- 5. values in the office's own words

def test_each_unmapped_value_is_listed_once_until_the_clerk_places_it(db: Database) -> None:
    plan = plan_of(db, "office-values.xlsx")
    assert [(u.column, u.value, u.count) for u in plan.unmapped] == [
        ("处理结果", "已答复", 3), ("申请方式", "来信", 2), ("申请人类型", "个体户", 1), ("处理结果", "不予公开", 1),
        ("处理结果", "无法提供", 1), ("处理结果", "不予处理", 1)]
    errors = issues(plan, "error")
    assert len(errors) == 6 and "“已答复”共 3 行（第2、3、4行）" in errors[(2, "处理结果")]
    assert "--value 处理结果:不予公开=代码" in errors[(7, "处理结果")]
    # A bare 其他处理 has an "other" row to go to: 6.3, with a warning naming its rows.
    assert "共 2 行（第5、6行）按“6.3 其他处理：其他”" in issues(plan, "warning")[(5, "处理结果")]

    choices = {("处理结果", "已答复"): "1", ("申请方式", "来信"): "ordinary_letter",
               ("申请人类型", "个体户"): "commercial", ("处理结果", "不予公开"): "3.4",
               ("处理结果", "无法提供"): "4.1", ("outcome", "不予处理"): "5.1"}
    placed = plan_of(db, "office-values.xlsx", values=choices)
    assert placed.ok and not placed.unmapped and len(placed.rows) == 8
    run(importer.import_plan(db, placed, "clerk", today=TODAY))
    rows = stored(db)
    assert [rows[n].outcome_code for n in ("张伟", "李娜", "王小明", "某某小吃店", "赵刚", "陈静", "孙丽", "周八")] == [
        "1", "1", "1", "6.3", "6.3", "3.4", "4.1", "5.1"]
    assert (rows["李娜"].channel, rows["某某小吃店"].applicant_type) == ("ordinary_letter", "commercial")
    # The clerk may send a bare 其他处理 elsewhere too.
    other = plan_of(db, "office-values.xlsx", values={**choices, ("处理结果", "其他处理"): "6.2"})
    assert not any("6.3" in i.message for i in other.issues)


def test_a_value_map_that_cannot_apply_is_refused(db: Database) -> None:
    with pytest.raises(ValidationFailed, match=r"“9\.9”不是有效的选项"):
        plan_of(db, "office-values.xlsx", values={("处理结果", "已答复"): "9.9"})
    with pytest.raises(ValidationFailed, match="“申请内容”不是收到方式、申请人类型、办理结果"):
        plan_of(db, "office-values.xlsx", values={("申请内容", "甲"): "1"})
    unused = plan_of(db, "office-values.xlsx", values={("处理结果", "已办结"): "1"})
    assert issues(unused, "warning")[(0, "处理结果")] == "值对应中的“已办结”在文件中没有出现。"
    assert parse_value_option("处理结果:不予公开：国家秘密=3.1") == (("处理结果", "不予公开：国家秘密"), "3.1")
    with pytest.raises(ValidationFailed, match="列名:原值=代码"):
        parse_value_option("已答复=1")


def test_cli_value_option(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ledger = str(DATA / "office-values.xlsx")
    code, _, err = cli(db_path, capsys, "import", ledger, "--dry-run")
    assert code == 1 and "“来信”共 2 行" in err
    values = ["处理结果:已答复=1", "申请方式:来信=平信", "申请人类型:个体户=商业企业", "处理结果:不予公开=3.4",
              "处理结果:无法提供=4.1", "处理结果:不予处理=5.1"]
    code, out, err = cli(db_path, capsys, "import", ledger, *(f"--value={v}" for v in values))
    assert code == 0, err
    assert "已导入 8 件" in out
    code, _, err = cli(db_path, capsys, "import", ledger, "--dry-run", "--value", "处理结果=1")
    assert code == 1 and "列名:原值=代码" in err


# ---------------------------------------------------------------- all of them: the office's 2025 ledger

def test_the_office_ledger_imports_as_it_stands_and_its_annual_table_is_exact(
        db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(db_path, capsys, "import", str(DATA / "office-2025.xlsx"), "--dry-run")
    assert code == 0, err
    assert "可导入 13 件" in out and "试导入（--dry-run）：未写入数据库。" in out
    assert "第2行【跳过】填表单位、填表日期等落款行" in out and "第17行【跳过】空行" in out
    assert "第18行【跳过】合计行，不是申请，已跳过。" in out
    for row, name, kind in ((8, "南京某某大学", "科研机构"), (9, "王小明", "自然人"),
                            (11, "宿迁某某科技有限公司", "商业企业"), (16, "陈静", "自然人")):
        assert f"第{row}行“申请人类别”列【推定】未填写申请人类型，按申请人“{name}”推定为{kind}" in out
    assert "文件【提示】台账没有“收到方式”列" in out and "“其他处理”只写了大类，共 1 行（第7行）" in out
    code, out, err = cli(db_path, capsys, "import", str(DATA / "office-2025.xlsx"))
    assert code == 0 and "已导入 13 件" in out, err

    rows = stored(db)
    assert {r.channel for r in rows.values()} == {"unrecorded"}
    assert rows["南京某某大学"].credit_code == ledgers.UNIVERSITY and rows["张伟"].id_number == ledgers.ZHANG_WEI
    # The four date spellings and an Excel date cell:
    names = ("张伟", "宿迁某某建设有限公司", "江苏某某律师事务所", "李娜", "南京某某大学")
    assert [rows[n].received_date for n in names] == [
        date(2025, 1, 6), date(2025, 2, 10), date(2025, 3, 5), date(2025, 4, 8), date(2025, 5, 12)]

    # The table counted by hand from the ledger (office_ledgers.OFFICE_ROWS):
    #   new: 自然人 张伟 李娜 王小明 赵刚 孙丽 陈静; 商业企业 建设 科技 商贸; 科研 大学; 公益 协会;
    #        法律 律所; 其他 居委会
    #   answered in 2025: 1 张伟 协会 居委会; 2 建设 陈静; 3.1 大学; 4.1 律所 王小明; 5.2 科技; 6.3 李娜 孙丽
    #   still open at the year's end: 赵刚 (自然人), 商贸 (商业企业)
    hand: dict[str, dict[str, int]] = {row: dict.fromkeys(annual.COLUMN_KEYS, 0) for row in annual.ROW_KEYS}
    for row, column, n in (
        ("new", "natural_person", 6), ("new", "commercial", 3), ("new", "research", 1),
        ("new", "public_interest", 1), ("new", "legal_services", 1), ("new", "other_org", 1),
        ("1", "natural_person", 1), ("1", "public_interest", 1), ("1", "other_org", 1),
        ("2", "commercial", 1), ("2", "natural_person", 1), ("3.1", "research", 1),
        ("4.1", "legal_services", 1), ("4.1", "natural_person", 1), ("5.2", "commercial", 1),
        ("6.3", "natural_person", 2),
        ("total", "natural_person", 5), ("total", "commercial", 2), ("total", "research", 1),
        ("total", "public_interest", 1), ("total", "legal_services", 1), ("total", "other_org", 1),
        ("carried_out", "natural_person", 1), ("carried_out", "commercial", 1),
    ):
        hand[row][column] = n
    for cells in hand.values():
        cells["total"] = sum(cells[c] for c in annual.TYPE_COLUMNS)
    report = annual.annual_report(db, 2025)
    report.check()
    for row in annual.ROW_KEYS:
        for column in annual.COLUMN_KEYS:
            assert report.table[row][column] == hand[row][column], (row, column)


# ---------------------------------------------------------------- round trip

def test_round_trip_template_import_monthly_register(db: Database, tmp_path: Path) -> None:
    template = tmp_path / "模板.xlsx"
    write_template(template)
    wb = load_workbook(template)
    ws = wb["申请台账"]
    col = {c.value: c.column for c in ws[1]}
    filled = [
        {"登记编号": "2025-00011", "收到日期": "2025-10-09", "收到方式": "网上申请", "申请人类型": "自然人",
         "申请人": "张伟", "证件号码": ledgers.ZHANG_WEI, "联系电话": "13912345678", "申请内容": "某文件",
         "承办单位": "市教育局", "答复日期": "2025-10-27", "办理结果": "予以公开", "备注": "当场答复"},
        {"登记编号": "2025-00012", "收到日期": "2025-10-13", "收到方式": "邮寄（挂号/快递）", "申请人类型": "商业企业",
         "申请人": "宿迁某某建设有限公司", "统一社会信用代码": ledgers.BUILDER, "联系人": "王经理",
         "联系电话": "13800000000", "申请内容": "某批复", "承办单位": "市生态环境局", "答复日期": "2025-10-31",
         "办理结果": "不予公开：保护第三方合法权益"},
    ]
    for r, values in enumerate(filled, start=2):
        for header, value in values.items():
            ws.cell(row=r, column=col[header], value=value)
    wb.save(template)
    plan = importer.plan_import(db, template, today=TODAY)
    assert plan.ok, [str(i) for i in plan.errors]
    run(importer.import_plan(db, plan, "clerk", today=TODAY))

    out = tmp_path / "登记台账.xlsx"
    run(export.export_register(db, Month(2025, 10), "xlsx", out, full_personal_data=True, actor="supervisor"))
    sheet = load_workbook(out)["本月收到"]
    labels = [c.label for c in COLUMNS]
    got = [{label: sheet.cell(row=r, column=i + 1).value for i, label in enumerate(labels)} for r in (4, 5)]
    for row, values in zip(got, filled, strict=True):
        assert (row["登记编号"], row["收到日期"], row["收到方式"], row["申请人类型"], row["申请人"], row["申请内容"],
                row["承办单位"], row["答复日期"], row["办理结果"], row["联系电话"]) == (
            values["登记编号"], datetime.fromisoformat(values["收到日期"]), values["收到方式"], values["申请人类型"],
            values["申请人"], values["申请内容"], values["承办单位"], datetime.fromisoformat(values["答复日期"]),
            values["办理结果"], values["联系电话"])
        assert row["证件号码"] == values.get("证件号码") or values.get("统一社会信用代码")
    assert got[0]["备注"] == "当场答复"
