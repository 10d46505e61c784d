"""Importing an old Excel/CSV register: row-level problems, all-or-nothing, no duplicates, round trip."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from request_desk.cli import main
from request_desk.core import cases
from request_desk.core.deadlines import holidays
from request_desk.core.deadlines.clock import ClockInput, PausePeriod, compute_clock
from request_desk.core.errors import ValidationFailed
from request_desk.core.jobs import Cancelled, CancelToken, Progress, run
from request_desk.core.reports import annual
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import (
    AuditEntry,
    Event,
    Extension,
    HandlingUnit,
    Pause,
    Request,
    SatisfactionCall,
)
from request_desk.core.transfer import importer
from request_desk.core.transfer.ledger_writer import LedgerWriter
from request_desk.core.transfer.template import (
    TEMPLATE_FIELDS,
    parse_date,
    parse_outcome,
    write_template,
)
from tests.factories import TODAY, new_request
from tests.support import stored

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


dump = stored.dump


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-03-05", date(2026, 3, 5)), ("2026/3/5", date(2026, 3, 5)), ("2026年3月5日", date(2026, 3, 5)),
    ("2026.3.5", date(2026, 3, 5)), ("20260305", date(2026, 3, 5)), (46086, date(2026, 3, 5)),
    ("46086", date(2026, 3, 5)), ("2026-03-05 14:30", date(2026, 3, 5)), (" 2026年3月5日 ", date(2026, 3, 5)),
])
def test_dates_in_the_usual_spellings(text: object, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2026-02-30", "3月5日", "明天", "2026-3"])
def test_bad_dates_are_explained(text: str) -> None:
    with pytest.raises(ValueError, match="日期"):
        parse_date(text)


@pytest.mark.parametrize(("text", "code"), [
    ("予以公开", "1"), ("公开", "1"), ("部分公开", "2"), ("3.4", "3.4"), ("4.1 本机关不掌握相关政府信息", "4.1"),
    ("不予公开-保护第三方合法权益", "3.4"), ("不予公开：属于国家秘密", "3.1"), ("信息不存在", "4.1"),
    ("无法提供（没有现成信息需要另行制作）", "4.2"), ("重复申请", "5.2"), ("逾期不补正", "6.1"),
    ("逾期未缴费", "6.2"), ("申请人撤回", "6.3"),
])
def test_outcome_wordings_map_to_official_codes(text: str, code: str) -> None:
    assert parse_outcome(text) == code


def test_vague_or_unknown_outcomes_are_refused() -> None:
    with pytest.raises(ValueError, match=r"须写明具体情形.*3\.4 保护第三方合法权益"):
        parse_outcome("不予公开")
    with pytest.raises(ValueError, match="无法对应"):
        parse_outcome("已办理完毕")


def test_messy_ledger_is_rejected_row_by_row_and_nothing_changes(db: Database, db_path: Path) -> None:
    before = dump(db_path)
    plan = importer.plan_import(db, DATA / "messy-ledger.xlsx", today=TODAY)
    errors = [(i.row, i.column) for i in plan.errors]
    assert errors == [(9, "身份证号"), (11, "答复结果")]  # file rows, the file's own headers
    assert "校验码应为 X" in plan.errors[0].message and "已办理完毕" in plan.errors[1].message
    assert str(plan.errors[0]).startswith("第9行“身份证号”列【错误】")
    assert plan.header_row == 4 and len(plan.rows) == 4  # merged title rows and the blank line skipped
    assert dump(db_path) == before  # the dry run wrote nothing
    with pytest.raises(ValidationFailed, match="2 处错误"):
        run(importer.import_plan(db, plan, "clerk", today=TODAY))
    assert dump(db_path) == before


def test_clean_ledger_imports_with_clock_units_and_audit(db: Database) -> None:
    plan = importer.plan_import(db, DATA / "clean-ledger.xlsx", today=TODAY)
    assert plan.ok and len(plan.rows) == 6
    assert plan.new_units == sorted(["市住房和城乡建设局", "市自然资源和规划局", "市生态环境局", "市市场监督管理局",
                                     "市发展和改革委员会"])
    assert run(importer.import_plan(db, plan, "clerk", today=TODAY)) == 6
    with db.read() as s:
        by_number = {r.reg_number: r for r in s.exec(select(Request))}
        cal = holidays.calendar(s)
        assert sorted(by_number) == [f"宿公开〔2025〕{i}号" for i in range(1, 7)]  # the ledger's own numbers
        first = by_number["宿公开〔2025〕1号"]
        assert (first.received_date, first.channel, first.status, first.outcome_code) == (
            date(2025, 3, 5), "online", "delivered", "1")
        assert first.due_date == cal.add_workdays(date(2025, 3, 5), 20) and first.replied_on_time is True
        assert first.id_number == "11010519491231002X"
        extended = by_number["宿公开〔2025〕2号"]
        assert extended.due_date == cal.add_workdays(date(2025, 3, 6), 40)
        assert s.exec(select(Extension).where(Extension.request_id == extended.id)).one()
        paused = by_number["宿公开〔2025〕3号"]
        pause = s.exec(select(Pause).where(Pause.request_id == paused.id)).one()
        assert (pause.start_date, pause.end_date) == (date(2025, 4, 3), date(2025, 4, 16))
        consulted = PausePeriod(date(2025, 4, 3), date(2025, 4, 16), "third_party")
        expected = compute_clock(cal, ClockInput(date(2025, 4, 1), pauses=(consulted,)), today=TODAY)
        assert paused.due_date == expected.reply_due and expected.paused_workdays == 8  # 4 Apr: 清明
        assert (paused.applicant_type, paused.credit_code) == ("commercial", "91321300MA1MAB1C2G")
        call = s.exec(select(SatisfactionCall).where(SatisfactionCall.request_id == paused.id)).one()
        assert call.satisfaction == "dissatisfied"
        assert by_number["宿公开〔2025〕4号"].status == "deemed_withdrawn"
        assert by_number["宿公开〔2025〕4号"].received_date == date(2025, 7, 15)  # an Excel serial number
        assert by_number["宿公开〔2025〕5号"].status == "in_progress"
        assert len(s.exec(select(AuditEntry).where(AuditEntry.action == "import")).all()) == 6
        assert len(s.exec(select(AuditEntry).where(AuditEntry.action == "import_file")).all()) == 1
        assert s.exec(select(Event).where(Event.request_id == first.id, Event.kind == "reply")).one()
        assert len(s.exec(select(HandlingUnit)).all()) == 5
    table = annual.annual_report(db, 2025).table
    assert (table["new"]["total"], table["total"]["total"], table["carried_out"]["total"]) == (6, 5, 1)
    assert (table["3.4"]["commercial"], table["6.1"]["natural_person"],
            table["carried_out"]["legal_services"]) == (1, 1, 1)


def test_importing_the_same_file_again_adds_nothing(db: Database, db_path: Path) -> None:
    run(importer.import_plan(db, importer.plan_import(db, DATA / "clean-ledger.xlsx", today=TODAY), "clerk",
                             today=TODAY))
    before = dump(db_path)
    again = importer.plan_import(db, DATA / "clean-ledger.xlsx", today=TODAY)
    assert (len(again.rows), again.skipped) == (0, 6)
    assert {i.severity for i in again.issues if i.column == "登记编号"} == {"skip"}
    run(importer.import_plan(db, again, "clerk", today=TODAY))
    rows = [line for line in dump(db_path) if 'INSERT INTO "request"' in line]
    assert len(rows) == 6
    # The CSV export of the same ledger (GB18030) is recognised as the same requests too.
    csv_plan = importer.plan_import(db, DATA / "ledger-gbk.csv", today=TODAY)
    assert (len(csv_plan.rows), csv_plan.skipped) == (0, 6)
    assert [line for line in dump(db_path) if "INSERT INTO \"request\"" in line] == [
        line for line in before if "INSERT INTO \"request\"" in line]


def test_csv_ledger_imports_like_the_xlsx(db: Database) -> None:
    plan = importer.plan_import(db, DATA / "ledger-gbk.csv", today=TODAY)
    assert plan.ok and plan.header_row == 2 and len(plan.rows) == 6
    run(importer.import_plan(db, plan, "clerk", today=TODAY))
    with db.read() as s:
        r = s.exec(select(Request).where(Request.reg_number == "宿公开〔2025〕3号")).one()
        assert (r.received_date, r.outcome_code, r.reply_date) == (date(2025, 4, 1), "3.4", date(2025, 5, 20))


def test_a_failure_part_way_rolls_everything_back(db: Database, db_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    plan = importer.plan_import(db, DATA / "clean-ledger.xlsx", today=TODAY)
    before = dump(db_path)
    real_add = LedgerWriter.add
    calls = []

    def failing_add(self: LedgerWriter, row: importer.ImportRow) -> None:
        calls.append(row.row)
        if len(calls) == 4:
            raise OSError("disk full")
        real_add(self, row)

    monkeypatch.setattr(LedgerWriter, "add", failing_add)
    with pytest.raises(OSError, match="disk full"):
        run(importer.import_plan(db, plan, "clerk", today=TODAY, batch=2))  # two batches flushed first
    assert len(calls) == 4
    assert dump(db_path) == before


def test_cancelling_rolls_back(db: Database, db_path: Path) -> None:
    plan = importer.plan_import(db, DATA / "clean-ledger.xlsx", today=TODAY)
    before = dump(db_path)
    token = CancelToken()
    seen: list[Progress] = []

    def pressed_cancel_after_two_rows(progress: Progress) -> None:
        seen.append(progress)
        if progress.done == 2:  # started; two rows written and flushed
            token.cancel()

    with pytest.raises(Cancelled):
        run(importer.import_plan(db, plan, "clerk", today=TODAY, batch=2), on_progress=pressed_cancel_after_two_rows,
            token=token)
    assert [p.done for p in seen] == [0, 2]
    assert dump(db_path) == before


def test_template_round_trip_and_numbering(db: Database, tmp_path: Path) -> None:
    template = tmp_path / "template.xlsx"
    write_template(template)
    wb = load_workbook(template)
    ws = wb["申请台账"]
    headers = [c.value for c in ws[1]]
    assert headers == [f.header for f in TEMPLATE_FIELDS]
    assert {"填写说明", "可选值"} <= set(wb.sheetnames)
    assert any("可选值" in dv.formula1 for dv in ws.data_validations.dataValidation)
    col = {h: i + 1 for i, h in enumerate(headers)}
    fill = [
        {"收到日期": "2025-11-03", "收到方式": "网上申请", "申请人类型": "自然人", "申请人": "周八",
         "证件号码": "11010519491231002X", "联系电话": "13912345678", "申请内容": "某文件",
         "答复日期": "2025年11月20日", "办理结果": "予以公开"},
        {"登记编号": "2025-00007", "收到日期": "2025/12/29", "收到方式": "当面提交", "申请人类型": "自然人",
         "申请人": "吴九", "通信地址": "某路1号", "申请内容": "另一文件", "承办单位": "市教育局",
         "暂停期间": "2026-01-05至"},
    ]
    for r, values in enumerate(fill, start=2):
        for header, value in values.items():
            ws.cell(row=r, column=col[header], value=value)
    wb.save(template)

    plan = importer.plan_import(db, template, today=TODAY)
    assert plan.ok, [str(i) for i in plan.issues]
    run(importer.import_plan(db, plan, "clerk", today=TODAY))
    with db.read() as s:
        numbers = sorted(r.reg_number for r in s.exec(select(Request)))
        open_case = s.exec(select(Request).where(Request.reg_number == "2025-00007")).one()
        assert open_case.status == "paused"
    # No number in the row: the office pattern's next number, and the office pattern is read back
    # from a kept number, so a later registration continues after it without a clash.
    assert numbers == ["2025-00001", "2025-00007"]
    later = cases.register(db, new_request(date(2025, 12, 30)), "clerk", today=TODAY)
    assert later.reg_number == "2025-00008"


def test_header_mapping_and_missing_columns(db: Database, tmp_path: Path) -> None:
    # Only what the law needs of every application is a required column: receipt date, applicant, request.
    path = tmp_path / "odd.csv"
    path.write_text("来信时间,来件渠道,申请人类型,申请人,证件号码,事项\n"
                    "2025-05-06,网上,自然人,郑十,11010519491231002X,某信息\n", encoding="utf-8-sig")
    missing = importer.plan_import(db, path, today=TODAY)
    assert not missing.ok and missing.errors[0].message == "缺少必填列：收到日期、申请内容。"
    plan = importer.plan_import(db, path, mapping={"来信时间": "received_date", "来件渠道": "channel",
                                                   "事项": "description"}, today=TODAY)
    assert plan.ok and plan.rows[0].values["received_date"] == date(2025, 5, 6)


def test_row_checks(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "登记编号,收到日期,收到方式,申请人类型,申请人,申请内容,答复日期,办理结果,送达日期\n"
        "A1,2025-05-06,网上,自然人,甲,某信息,2025-05-01,予以公开,\n"           # reply before receipt
        "A2,2025-05-06,网上,外星人,乙,某信息,,,\n"                              # unknown applicant type
        "A3,2025-05-06,网上,自然人,丙,某信息,2025-05-20,,\n"                    # reply without outcome
        "A3,2025-05-07,网上,自然人,丁,某信息,,,\n"                              # duplicate number in file
        "A5,2027-05-06,网上,自然人,戊,某信息,,,\n"                              # in the future
        "A6,2025-05-06,网上,自然人,己,某信息,2025-05-20,予以公开,2025-05-19\n",  # delivered before reply
        encoding="utf-8")
    plan = importer.plan_import(db, path, today=TODAY)
    got = {(i.row, i.column) for i in plan.errors}
    assert got == {(2, "答复日期"), (3, "申请人类型"), (4, "办理结果"), (5, "登记编号"), (6, "收到日期"),
                   (7, "送达日期")}


def test_cli_import_dry_run_and_template(db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    messy = tmp_path / "messy.xlsx"
    shutil.copy(DATA / "messy-ledger.xlsx", messy)
    before = dump(db_path)
    assert main(["--db", str(db_path), "import", str(messy), "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert "第9行“身份证号”列【错误】" in err and "第11行“答复结果”列【错误】" in err
    assert dump(db_path) == before
    assert main(["--db", str(db_path), "import", str(DATA / "clean-ledger.xlsx"), "--dry-run"]) == 0
    assert "可导入 6 件" in capsys.readouterr().out and dump(db_path) == before
    assert main(["--db", str(db_path), "import", str(DATA / "clean-ledger.xlsx")]) == 0
    assert "已导入 6 件" in capsys.readouterr().out
    out = tmp_path / "t.xlsx"
    assert main(["--db", str(db_path), "import", "--template", "-o", str(out)]) == 0
    assert load_workbook(out)["申请台账"]["A1"].value == "登记编号"


def test_rows_lacking_identity_or_contact_import_with_warnings(db: Database, tmp_path: Path) -> None:
    # The form's rule: what a supplement could supply never refuses a row; a typo still does.
    path = tmp_path / "gaps.csv"
    head = "登记编号,收到日期,收到方式,申请人类型,申请人,申请内容,证件号码,统一社会信用代码,联系人,联系电话\n"
    rows = ("B1,2025-05-06,网上,自然人,甲,某信息,,,,13912345678\n"
            "B2,2025-05-07,网上,商业企业,乙公司,某信息,,,,\n")
    path.write_text(head + rows + "B3,2025-05-08,网上,自然人,丙,某信息,110105194912310021,,,13912345678\n",
                    encoding="utf-8")
    plan = importer.plan_import(db, path, today=TODAY)
    assert {(i.row, i.column) for i in plan.errors} == {(4, "证件号码")}
    assert "校验码" in plan.errors[0].message
    warned = {(i.row, i.column): i.message for i in plan.issues if i.severity == "warning"}
    assert warned == {
        (2, "证件号码"): "未记载身份证件号码（缺少身份证明，可通知补正）。",
        (3, "统一社会信用代码"): "未记载统一社会信用代码（缺少身份证明，可通知补正）。",
        (3, "联系人"): "未记载联系人姓名（缺少联系人，可通知补正）。",
        (3, "联系电话"): "未记载联系电话、通信地址或电子邮箱（缺少联系方式，可通知补正）。",
    }
    path.write_text(head + rows, encoding="utf-8")
    plan = importer.plan_import(db, path, today=TODAY)
    assert plan.ok and run(importer.import_plan(db, plan, "clerk", today=TODAY)) == 2
    with db.read() as s:
        stored = {r.reg_number: r for r in s.exec(select(Request))}
        assert [m.field for m in cases.missing_in(stored["B1"])] == ["id_number"]
        assert [m.field for m in cases.missing_in(stored["B2"])] == ["credit_code", "contact_person", "contact"]
