"""The statutory annual report table: hand-worked cases, the table's own check, every format read back."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import insert

from request_desk.cli import main
from request_desk.core import cases
from request_desk.core.cases import remedies
from request_desk.core.reports import annual, export
from request_desk.core.reports.annual import COLUMN_KEYS, ROW_KEYS, ReportCheckFailed
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Request
from request_desk.core.vocab import OUTCOMES, ApplicantType, PauseKind, RemedyKind, RemedyResult
from tests.factories import new_request
from tests.support.pdf import assert_fonts_embedded

NP, COM, RES, PUB, LEG, OTH = (t.value for t in ApplicantType)


def _insert(db: Database, rows: list[tuple[str, date, str, str | None, date | None]]) -> dict[str, int]:
    """Insert requests directly: (tag, received, applicant type, outcome, reply date) → id by tag."""
    ids: dict[str, int] = {}
    with db.write() as session:
        for n, (tag, received, kind, outcome, reply) in enumerate(rows, start=1):
            result = session.execute(insert(Request).values(
                year=received.year, seq=n, reg_number=f"T-{n:04d}", channel="online", received_date=received,
                applicant_type=kind, applicant_name=f"申请人{tag}", description=f"申请内容{tag}",
                status="replied" if outcome else "in_progress", outcome_code=outcome, reply_date=reply,
                due_date=received, created_by="test", version=1))
            ids[tag] = int(result.inserted_primary_key[0])
    return ids


# Worked by hand (docs/domain.md, "Annual report": received in N and not answered by
# 31 Dec → carried into N+1).
CASES: list[tuple[str, date, str, str | None, date | None]] = [
    ("A", date(2025, 6, 10), NP, "1", date(2025, 7, 1)),      # 2025 only
    ("B", date(2025, 12, 15), NP, "1", date(2025, 12, 31)),   # replied on 31 Dec: not carried over
    ("C", date(2025, 12, 16), NP, "1", date(2026, 1, 1)),     # replied on 1 Jan: carried into 2026
    ("D", date(2025, 11, 20), COM, None, None),               # open for years: carried in and out
    ("E", date(2026, 3, 2), RES, "2", date(2026, 3, 20)),     # partial disclosure: row 2 only
    ("F", date(2026, 12, 20), PUB, "4.1", date(2026, 12, 31)),
    ("G", date(2026, 12, 21), LEG, "3.4", date(2027, 1, 4)),  # carried into 2027
    ("H", date(2026, 5, 5), OTH, "6.3", date(2026, 5, 10)),
] + [(f"I{o.code}", date(2026, 2, 2), NP, o.code, date(2026, 2, 27)) for o in OUTCOMES]

EXPECTED: dict[int, dict[tuple[str, str], int]] = {
    2025: {("new", NP): 3, ("new", COM): 1, ("1", NP): 2, ("total", NP): 2,
           ("carried_out", NP): 1, ("carried_out", COM): 1},
    2026: {("new", NP): 21, ("new", RES): 1, ("new", PUB): 1, ("new", LEG): 1, ("new", OTH): 1,
           ("carried_in", NP): 1, ("carried_in", COM): 1,
           **{(o.code, NP): 1 for o in OUTCOMES},
           ("1", NP): 2, ("2", RES): 1, ("4.1", PUB): 1, ("6.3", OTH): 1,
           ("total", NP): 22, ("total", RES): 1, ("total", PUB): 1, ("total", OTH): 1,
           ("carried_out", COM): 1, ("carried_out", LEG): 1},
    2027: {("carried_in", COM): 1, ("carried_in", LEG): 1, ("3.4", LEG): 1, ("total", LEG): 1,
           ("carried_out", COM): 1},
}


def _expected_table(cells: dict[tuple[str, str], int]) -> dict[str, dict[str, int]]:
    table = {row: dict.fromkeys(COLUMN_KEYS, 0) for row in ROW_KEYS}
    for (row, col), n in cells.items():
        table[row][col] = n
    for row in ROW_KEYS:
        table[row]["total"] = sum(table[row][c] for c in COLUMN_KEYS if c != "total")
    return table


@pytest.mark.parametrize("year", sorted(EXPECTED))
def test_table_matches_hand_worked_cases(db: Database, year: int) -> None:
    _insert(db, CASES)
    report = annual.annual_report(db, year)
    assert report.table == _expected_table(EXPECTED[year])
    report.check()  # balanced in every column


def test_every_row_and_column_is_reached(db: Database) -> None:
    _insert(db, CASES)
    table = annual.annual_report(db, 2026).table
    assert [row for row in ROW_KEYS if not table[row]["total"]] == []
    assert [col for col in COLUMN_KEYS if not table["new"][col] + table["carried_in"][col]] == []


def test_each_cell_traces_back_to_its_requests(db: Database) -> None:
    ids = _insert(db, CASES)
    with db.read() as session:
        assert annual.cell_request_ids(session, 2026, "carried_in", COM) == [ids["D"]]
        assert annual.cell_request_ids(session, 2026, "carried_in", "total") == sorted([ids["C"], ids["D"]])
        assert annual.cell_request_ids(session, 2026, "1", NP) == sorted([ids["C"], ids["I1"]])
        assert annual.cell_request_ids(session, 2026, "carried_out", "total") == sorted([ids["D"], ids["G"]])
        assert annual.cell_request_ids(session, 2025, "1", NP) == sorted([ids["A"], ids["B"]])
        # Paging: a page of one, then the next after it.
        first = annual.cell_request_ids(session, 2026, "new", NP, limit=1)
        second = annual.cell_request_ids(session, 2026, "new", NP, after_id=first[0], limit=1)
        assert len(first) == len(second) == 1 and second[0] > first[0]
        # Every cell's list has exactly as many requests as the cell says.
        table = annual.compute(session, 2026).table
        for row in ROW_KEYS:
            for col in COLUMN_KEYS:
                assert annual.cell_count(session, 2026, row, col) == table[row][col], (row, col)
        listed = annual.cell_requests(session, 2026, "2", RES)
        assert [(r.reg_number, r.outcome_code) for r in listed] == [("T-0005", "2")]


def test_workflow_outcomes_land_in_their_rows(db: Database) -> None:
    """Partial disclosure only in row 2; withdrawn → 6.3; deemed withdrawn → 6.1 / 6.2."""
    today = date(2026, 12, 31)
    partial = cases.register(db, new_request(date(2026, 3, 2)), "clerk", today=today)
    cases.reply(db, partial.id, "clerk", outcome_code="2", on_date=date(2026, 3, 10), today=today)
    withdrawn = cases.register(db, new_request(date(2026, 3, 3)), "clerk", today=today)
    cases.withdraw(db, withdrawn.id, "clerk", on_date=date(2026, 3, 5), today=today)
    no_supp = cases.register(db, new_request(date(2026, 4, 1)), "clerk", today=today)
    cases.request_supplement(db, no_supp.id, "clerk", what="请写明文号", on_date=date(2026, 4, 2),
                             deadline=date(2026, 4, 20), today=today)
    cases.deem_withdrawn_no_supplement(db, no_supp.id, "clerk", on_date=date(2026, 4, 21), today=today)
    no_fee = cases.register(db, new_request(date(2026, 5, 6)), "clerk", today=today)
    # 50 pages: 31–50 at 10 yuan = 200; handed over on 7 May, so payment is due by the 20th working
    # day after it: 8, Sat 9 (make-up day) | 11-15 (7) | 18-22 (12) | 25-29 (17) | 1, 2, 3 Jun → 3 Jun.
    cases.issue_fee_notice(db, no_fee.id, "clerk", method="per_page", quantity=50, amount_yuan=200,
                           received=date(2026, 5, 7), on_date=date(2026, 5, 7), today=today)
    cases.deem_withdrawn_no_payment(db, no_fee.id, "clerk", on_date=date(2026, 6, 30), today=today)
    cases.register(db, new_request(date(2026, 12, 30)), "clerk", today=today)  # open at year end

    table = annual.annual_report(db, 2026).table
    nonzero = {row for row in ROW_KEYS if table[row]["total"]}
    assert nonzero == {"new", "2", "6.3", "6.1", "6.2", "total", "carried_out"}
    assert (table["new"][NP], table["total"][NP], table["carried_out"][NP]) == (5, 4, 1)


def test_check_fails_and_names_the_column(db: Database, tmp_path: Path) -> None:
    _insert(db, [*CASES, ("bad", date(2026, 1, 5), RES, "1", date(2025, 12, 30))])  # reply before receipt
    report = annual.annual_report(db, 2026)
    problems = report.problems()
    assert len(problems) == 2  # 科研机构 and 总计; the other columns still balance
    assert "“科研机构”栏不平衡" in problems[0] and "“总计”栏不平衡" in problems[1]
    out = tmp_path / "exports" / "annual.xlsx"
    with pytest.raises(ReportCheckFailed, match="科研机构"):
        export.run(export.export_annual(db, 2026, "xlsx", out))
    assert not out.parent.exists() or list(out.parent.iterdir()) == []


def test_check_reports_codes_and_types_outside_the_table(db: Database) -> None:
    _insert(db, [("x", date(2026, 2, 2), NP, "7", date(2026, 3, 2)), ("y", date(2026, 2, 3), "person", None, None)])
    problems = annual.annual_report(db, 2026).problems()
    assert any("“7”" in p for p in problems)
    assert any("“person”" in p for p in problems)
    assert any("“自然人”栏不平衡" in p for p in problems)


def test_remedy_table(db: Database) -> None:
    today = date(2027, 3, 1)
    r1 = cases.register(db, new_request(date(2025, 11, 3)), "clerk", today=today)
    cases.reply(db, r1.id, "clerk", outcome_code="3.4", on_date=date(2025, 11, 20), today=today)
    old = remedies.add_remedy(db, r1.id, "clerk", RemedyKind.RECONSIDERATION, date(2025, 12, 1), today=today)
    remedies.set_result(db, old.id, "clerk", RemedyResult.UPHELD, date(2026, 2, 1), today=today)  # filed 2025
    r2 = cases.register(db, new_request(date(2026, 1, 5)), "clerk", today=today)
    cases.reply(db, r2.id, "clerk", outcome_code="3.4", on_date=date(2026, 1, 20), today=today)
    rec = remedies.add_remedy(db, r2.id, "clerk", RemedyKind.RECONSIDERATION, date(2026, 2, 10), today=today)
    remedies.set_result(db, rec.id, "clerk", RemedyResult.UPHELD, date(2026, 4, 10), today=today)
    after = remedies.add_remedy(db, r2.id, "clerk", RemedyKind.LITIGATION_AFTER_RECONSIDERATION,
                                date(2026, 4, 20), today=today)
    remedies.set_result(db, after.id, "clerk", RemedyResult.CORRECTED, date(2027, 1, 15), today=today)  # after year end
    r3 = cases.register(db, new_request(date(2026, 6, 1)), "clerk", today=today)
    cases.reply(db, r3.id, "clerk", outcome_code="4.1", on_date=date(2026, 6, 10), today=today)
    direct = remedies.add_remedy(db, r3.id, "clerk", RemedyKind.LITIGATION_DIRECT, date(2026, 7, 1), today=today)
    remedies.set_result(db, direct.id, "clerk", RemedyResult.OTHER, date(2026, 11, 1), today=today)

    got = annual.annual_report(db, 2026).remedies
    zero = dict.fromkeys(("upheld", "corrected", "other", "pending", "total"), 0)
    assert got == {
        "reconsideration": {**zero, "upheld": 1, "total": 1},
        "litigation_direct": {**zero, "other": 1, "total": 1},
        "litigation_after_reconsideration": {**zero, "pending": 1, "total": 1},  # decided only in 2027
    }
    assert annual.annual_report(db, 2027).remedies["litigation_after_reconsideration"]["total"] == 0
    with db.read() as session:
        assert annual.remedy_request_ids(session, 2026, "litigation_direct", "other") == [r3.id]
        assert annual.remedy_request_ids(session, 2026, "reconsideration", "total") == [r2.id]


def test_json_has_exactly_the_documented_keys(db: Database, tmp_path: Path) -> None:
    _insert(db, CASES)
    out = tmp_path / "a.json"
    export.run(export.export_annual(db, 2026, "json", out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert list(data) == ["year", "table", "remedies"] and data["year"] == 2026
    assert list(data["table"]) == ["new", "carried_in", "1", "2", *[f"3.{i}" for i in range(1, 9)],
                                   "4.1", "4.2", "4.3", *[f"5.{i}" for i in range(1, 6)], "6.1", "6.2", "6.3",
                                   "total", "carried_out"]
    for row in data["table"].values():
        assert list(row) == ["natural_person", "commercial", "research", "public_interest", "legal_services",
                             "other_org", "total"]
    assert data["table"] == _expected_table(EXPECTED[2026])
    assert set(data["remedies"]) == {"reconsideration", "litigation_direct", "litigation_after_reconsideration"}


def test_xlsx_is_laid_out_like_the_official_table(db: Database, tmp_path: Path) -> None:
    _insert(db, CASES)
    out = tmp_path / "a.xlsx"
    export.run(export.export_annual(db, 2026, "xlsx", out))
    wb = load_workbook(out)
    ws = wb["申请情况"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A3:C5", "D3:J3", "D4:D5", "E4:I4", "J4:J5", "A6:C6", "A7:C7", "A8:A29", "B10:B17", "A30:C30"} <= merged
    assert (ws["D4"].value, ws["E4"].value, ws["J4"].value) == ("自然人", "法人或其他组织", "总计")
    assert [ws.cell(row=5, column=c).value for c in range(5, 10)] == ["商业企业", "科研机构", "社会公益组织",
                                                                      "法律服务机构", "其他"]
    assert ws["A6"].value.startswith("一、本年新收") and ws["A30"].value.startswith("四、结转下年度")
    assert ws["B10"].value == "（三）不予公开" and ws["C13"].value == "4.保护第三方合法权益"
    expected = _expected_table(EXPECTED[2026])
    for i, row in enumerate(ROW_KEYS):
        assert [ws.cell(row=6 + i, column=4 + j).value for j in range(7)] == [expected[row][c] for c in COLUMN_KEYS]
    rs = wb["行政复议和诉讼"]
    assert {"A2:E3", "F2:O2", "F3:J3", "K3:O3"} <= {str(r) for r in rs.merged_cells.ranges}
    assert [rs.cell(row=5, column=c).value for c in range(1, 16)] == [0] * 15


def test_html_and_pdf(db: Database, tmp_path: Path) -> None:
    _insert(db, CASES)
    html = tmp_path / "a.html"
    export.run(export.export_annual(db, 2026, "html", html))
    text = html.read_text(encoding="utf-8")
    assert '<td rowspan="22">三、本年度办理结果</td>' in text  # (一) … (六) with 21 sub-rows, and (七)
    assert '<td rowspan="8">（三）不予公开</td>' in text
    assert "<script" not in text and text.count("<table") == 2
    assert "<tr><td colspan=\"3\" class=\"label\">二、上年结转政府信息公开申请数量</td><td>1</td><td>1</td>" in text

    pdf = tmp_path / "a.pdf"
    export.run(export.export_annual(db, 2026, "pdf", pdf))
    reader = PdfReader(pdf)
    page = "".join(p.extract_text() for p in reader.pages)
    assert "本年新收政府信息公开申请数量" in page and "结转下年度继续办理" in page and "复议后起诉" in page
    assert_fonts_embedded(pdf)


def test_cli_annual_json_and_check(db_path: Path, db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    _insert(db, CASES)
    assert main(["--db", str(db_path), "report", "annual", "--year", "2026"]) == 0
    assert json.loads(capsys.readouterr().out)["table"]["carried_out"]["total"] == 2
    with db.write() as session:
        session.execute(insert(Request).values(
            year=2026, seq=999, reg_number="T-bad", channel="online", received_date=date(2026, 1, 5),
            applicant_type=RES, applicant_name="x", description="x", status="replied", outcome_code="1",
            reply_date=date(2025, 12, 30), created_by="t", version=1))
    assert main(["--db", str(db_path), "report", "annual", "--year", "2026"]) == 1
    assert "科研机构" in capsys.readouterr().err


def test_fee_pause_is_not_a_separate_row(db: Database) -> None:
    """A paused case open at year end is carried over like any open case."""
    today = date(2026, 12, 31)
    r = cases.register(db, new_request(date(2026, 12, 1)), "clerk", today=today)
    cases.start_pause(db, r.id, "clerk", kind=PauseKind.THIRD_PARTY, counterpart="某公司",
                      on_date=date(2026, 12, 3), today=today)
    t = annual.annual_report(db, 2026).table
    assert (t["new"]["total"], t["total"]["total"], t["carried_out"]["total"]) == (1, 0, 1)
