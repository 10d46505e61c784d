"""The monthly register (月度登记台账): sections, columns, masking, and every format read back."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import select

from request_desk.cli import main
from request_desk.core import cases
from request_desk.core.cases import calls
from request_desk.core.errors import ValidationFailed
from request_desk.core.jobs import Cancelled, CancelToken, Progress, run
from request_desk.core.office import units
from request_desk.core.office.permissions import PermissionDenied
from request_desk.core.reports import export, monthly, period_lock
from request_desk.core.reports.common import OFFICE_TZ, Month
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry
from request_desk.core.vocab import ApplicantType, PauseKind, Satisfaction, UnitLevel
from tests import factories
from tests.factories import TODAY
from tests.support.pdf import assert_fonts_embedded

OCT = Month(2026, 10)
FULL_ID = "11010519491231002X"
MASKED_ID = "110105********002X"
MASKED_PHONE = "139****5678"


@dataclass
class Scenario:
    r1: int
    r2: int
    r3: int
    r4: int
    r5: int
    r6: int
    reg: dict[int, str]


@pytest.fixture
def scenario(db: Database) -> Scenario:
    unit = units.add_unit(db, units.UnitData("市住房和城乡建设局", UnitLevel.DEPARTMENT), actor="supervisor")
    reg: dict[int, str] = {}

    def new(received: date, **kw: object) -> int:
        r = factories.registered(db, received, **kw)
        reg[r.id] = r.reg_number
        return r.id

    r1 = new(date(2026, 10, 9))
    factories.assigned(db, unit.id, rid=r1, on=date(2026, 10, 9))
    factories.replied(db, "1", rid=r1, on=date(2026, 10, 20), delivered=date(2026, 10, 21))
    calls.log_call(db, r1, "clerk", datetime.combine(date(2026, 10, 23), time(10), OFFICE_TZ), "李经办",
                       True, Satisfaction.SATISFIED, today=TODAY)
    r2 = new(date(2026, 9, 10), applicant_name="王五")
    r3 = new(date(2026, 9, 1), applicant_name="赵六")
    factories.replied(db, "2", rid=r3, on=date(2026, 10, 12))
    r4 = new(date(2026, 10, 15), applicant_type=ApplicantType.COMMERCIAL, applicant_name="宿迁某某建设有限公司",
             id_number="", credit_code="91321300MA1MAB1C2G", contact_person="王经理")
    cases.extend(db, r4, "supervisor", reason="需协调", on_date=date(2026, 10, 20), today=TODAY)
    cases.start_pause(db, r4, "clerk", kind=PauseKind.THIRD_PARTY, counterpart="某公司",
                      on_date=date(2026, 10, 22), today=TODAY)
    cases.end_pause(db, r4, "clerk", answer="objected", reasons="涉及本公司商业秘密", on_date=date(2026, 10, 29),
                    today=TODAY)
    factories.replied(db, "3.4", rid=r4, on=date(2026, 11, 20))
    r5 = new(date(2026, 11, 2))
    r6 = new(date(2026, 10, 20), applicant_name="孙七")
    cases.withdraw(db, r6, "clerk", on_date=date(2026, 10, 26), today=TODAY)
    return Scenario(r1, r2, r3, r4, r5, r6, reg)


def _rows(db: Database, section: monthly.Section, *, full: bool = False,
          batch: int = 1000) -> list[monthly.RegisterRow]:
    with db.read() as session:
        return [r for b in monthly.stream(session, section, OCT, full_personal_data=full, batch=batch) for r in b]


def test_sections_hold_the_right_requests_in_register_order(db: Database, scenario: Scenario) -> None:
    s = scenario
    assert [r.request_id for r in _rows(db, monthly.Section.RECEIVED)] == [s.r1, s.r4, s.r6]
    assert [r.request_id for r in _rows(db, monthly.Section.OPEN)] == [s.r2, s.r4]
    assert [r.request_id for r in _rows(db, monthly.Section.ANSWERED)] == [s.r3, s.r1, s.r6]
    # Streaming in tiny batches gives the same rows, numbered on across batches.
    small = _rows(db, monthly.Section.RECEIVED, batch=1)
    assert [r.values for r in small] == [r.values for r in _rows(db, monthly.Section.RECEIVED)]
    assert [r.text("no") for r in small] == ["1", "2", "3"]


def test_columns_as_of_month_end(db: Database, scenario: Scenario) -> None:
    s = scenario
    rows = {r.request_id: r for r in _rows(db, monthly.Section.RECEIVED)}
    r1 = rows[s.r1]
    assert [c.label for c in monthly.COLUMNS][:4] == ["序号", "登记编号", "收到日期", "收到方式"]
    assert r1.text("reg_number") == s.reg[s.r1] and r1.values[2] == date(2026, 10, 9)
    assert (r1.text("channel"), r1.text("applicant_type"), r1.text("applicant")) == ("当面提交", "自然人", "张三")
    assert (r1.text("id_number"), r1.text("phone")) == (MASKED_ID, MASKED_PHONE)
    assert r1.text("unit") == "市住房和城乡建设局"
    assert r1.text("due") == "2026-11-05"  # 20th working day after 9 Oct; Sat 10 Oct is a make-up working day
    assert (r1.text("reply"), r1.text("on_time"), r1.text("workdays_used")) == ("2026-10-20", "是", "8")
    assert (r1.text("outcome"), r1.text("delivery"), r1.text("satisfaction")) == ("予以公开", "2026-10-21 邮寄", "满意")

    r4 = rows[s.r4]  # replied on 20 Nov: at the end of October still open, no reply shown
    assert r4.text("id_number") == "91321300MA1MAB1C2G"  # a credit code is not personal data
    assert r4.text("due").endswith("（含延期20个工作日，暂停扣除5个工作日）")
    assert (r4.text("reply"), r4.text("outcome"), r4.text("on_time")) == ("", "办理中", "")

    r6 = rows[s.r6]
    assert (r6.text("outcome"), r6.text("on_time")) == ("其他处理：其他", "—")

    late = {r.request_id: r for r in _rows(db, monthly.Section.ANSWERED)}[s.r3]
    assert (late.text("on_time"), late.overdue, late.text("outcome")) == ("否", True, "部分公开")
    open_late = {r.request_id: r for r in _rows(db, monthly.Section.OPEN)}[s.r2]
    assert (open_late.text("on_time"), open_late.overdue) == ("已逾期", True)


def test_full_personal_data_only_when_asked(db: Database, scenario: Scenario) -> None:
    r1 = _rows(db, monthly.Section.RECEIVED, full=True)[0]
    assert (r1.text("id_number"), r1.text("phone")) == (FULL_ID, "13912345678")


def test_xlsx_register(db: Database, scenario: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "register.xlsx"
    summary = export.run(export.export_register(db, OCT, "xlsx", out))
    assert summary.counts == {"received": 3, "open": 2, "answered": 3}
    wb = load_workbook(out)
    assert wb.sheetnames == ["本月收到", "月末未办结", "本月办结", "已归档月份更正"]
    ws = wb["本月收到"]
    assert ws["A1"].value == "宿迁市宿城区人民政府办公室政府信息公开申请登记台账"
    assert "2026年10月" in ws["A2"].value and "一、本月收到的申请" in ws["A2"].value
    assert {"A1:R1", "A2:R2", "A7:R7"} <= {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[3]] == [c.label for c in monthly.COLUMNS]
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$3:$3"
    ps = ws.page_setup
    assert (ps.orientation, ps.paperSize, ps.fitToWidth, ps.fitToHeight) == ("landscape", 9, 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["I"].width == 34 and ws["I4"].alignment.wrap_text
    expected = [scenario.reg[i] for i in (scenario.r1, scenario.r4, scenario.r6)]
    assert [ws.cell(row=r, column=2).value for r in (4, 5, 6)] == expected
    assert ws["C4"].value == datetime(2026, 10, 9) and ws["C4"].number_format == "yyyy-mm-dd"
    assert (ws["G4"].value, ws["H4"].value) == (MASKED_ID, MASKED_PHONE)
    assert ws["A7"].value == "合计 3 件。"
    answered = wb["本月办结"]
    assert answered["A7"].value == "合计 3 件；其中按期答复 1 件，逾期答复 1 件。"
    assert wb["月末未办结"]["A6"].value == "合计 2 件；其中月末已逾期未答复 1 件。"
    assert FULL_ID not in {c.value for row in ws.iter_rows() for c in row}


def test_csv_register_has_bom_and_one_table(db: Database, scenario: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "register.csv"
    export.run(export.export_register(db, OCT, "csv", out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["栏目", *(c.label for c in monthly.COLUMNS)]
    assert [r[0] for r in rows[1:]] == ["本月收到"] * 3 + ["月末未办结"] * 2 + ["本月办结"] * 3
    assert rows[1][2] == scenario.reg[scenario.r1] and rows[1][3] == "2026-10-09"
    assert rows[1][7] == MASKED_ID and FULL_ID not in raw.decode("utf-8-sig")
    export.run(export.export_register(db, OCT, "csv", out, full_personal_data=True, actor="supervisor"))
    assert FULL_ID in out.read_text(encoding="utf-8-sig")


def test_full_personal_data_export_needs_the_role_and_is_audited(db: Database, scenario: Scenario,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "full.csv"
    with pytest.raises(PermissionDenied, match="负责人或管理员"):
        export.run(export.export_register(db, OCT, "csv", out, full_personal_data=True, actor="clerk"))
    assert not out.exists()
    export.run(export.export_register(db, OCT, "csv", out, full_personal_data=True, actor="supervisor"))
    with db.read() as s:
        entries = s.exec(select(AuditEntry).where(AuditEntry.action == "full_personal_data_export")).all()
    assert [(e.user, e.new["month"], e.new["file"]) for e in entries] == [("supervisor", "2026-10", str(out))]  # type: ignore[index]


def test_pdf_register(db: Database, scenario: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "register.pdf"
    export.run(export.export_register(db, OCT, "pdf", out))
    reader = PdfReader(out)
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    text = "".join(p.extract_text() for p in reader.pages)
    for i in (scenario.r1, scenario.r2, scenario.r3, scenario.r4, scenario.r6):
        assert scenario.reg[i] in text
    assert scenario.reg[scenario.r5] not in text  # received in November
    assert MASKED_ID in text and FULL_ID not in text and "第 1 页" in text
    assert "一、本月收到的申请（3 件）" in text and "合计 3 件；其中按期答复 1 件，逾期答复 1 件。" in text
    assert_fonts_embedded(out)


def test_cancelled_export_leaves_no_file(db: Database, scenario: Scenario, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    job = export.export_register(db, OCT, "xlsx", out_dir / "register.xlsx")
    first = next(job)
    assert first.total == 8 and first.done == 0
    token = CancelToken()
    token.cancel()  # pressed after the first batch is written

    def one_batch_written(progress: Progress) -> None:
        assert progress.done > 0, "cancelled only once a batch is in the temporary file"

    with pytest.raises(Cancelled):
        run(job, on_progress=one_batch_written, token=token)
    assert list(out_dir.iterdir()) == []


def test_bad_month_and_format(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match="有效的月份"):
        Month.parse("2026-13")
    assert Month.parse("2026年3月") == Month(2026, 3) and Month(2026, 12).next() == Month(2027, 1)
    with pytest.raises(ValidationFailed, match="不支持"):
        export.run(export.export_register(db, OCT, "docx", tmp_path / "x.docx"))


def test_locked_month_changes_appear_as_amendments(db: Database, scenario: Scenario, tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match="尚未结束"):
        period_lock.lock_month(db, Month(2026, 11), "supervisor", now=datetime(2026, 11, 2, 9, 0, tzinfo=OFFICE_TZ))
    # Locked at a fixed moment after every change the services stamped with the wall clock.
    locked_at = datetime(2030, 1, 2, 9, 0, tzinfo=OFFICE_TZ)
    period_lock.lock_month(db, OCT, "supervisor", now=locked_at)
    with pytest.raises(ValidationFailed, match="已于"):
        period_lock.lock_month(db, OCT, "supervisor", now=locked_at)
    # Changes as the audit log records them (the log is append-only, so they are added with their moments):
    # one to an October case after the lock, one before it, one to a November case.
    with db.write() as session:
        for rid, at in ((scenario.r3, datetime(2030, 1, 10, 2, 0, tzinfo=UTC)),
                        (scenario.r1, datetime(2030, 1, 2, 0, 30, tzinfo=UTC)),
                        (scenario.r5, datetime(2030, 1, 11, 2, 0, tzinfo=UTC))):
            session.add(AuditEntry(at=at, user="clerk", action="deliver", table_name="request", record_id=rid,
                                   new={"delivered_date": "2030-01-10", "version": 3}))
    with db.read() as session:
        items = period_lock.amendments(session, Month(2030, 1))
        assert period_lock.amendments(session, Month(2029, 12)) == []
    assert [(a.reg_number, a.locked_month, a.user) for a in items] == [(scenario.reg[scenario.r3], OCT, "clerk")]
    assert items[0].what == "送达（delivered_date）" and items[0].at == datetime(2030, 1, 10, 10, 0)
    out = tmp_path / "jan.xlsx"
    summary = export.run(export.export_register(db, Month(2030, 1), "xlsx", out))
    assert summary.amendments == 1
    sheet = load_workbook(out)["已归档月份更正"]
    assert [c.value for c in sheet[4]] == [scenario.reg[scenario.r3], "2026年10月", "2030-01-10 10:00",
                                          "送达（delivered_date）", "clerk"]


def test_cli_register(db_path: Path, scenario: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.csv"
    assert main(["--db", str(db_path), "register", "--month", "2026-10", "--format", "csv", "-o", str(out)]) == 0
    assert "本月收到 3 件，月末未办结 2 件，本月办结 3 件" in capsys.readouterr().out
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert main(["--db", str(db_path), "register", "--month", "2026-13"]) == 1
