"""The register writers' fast paths write what the slow, general ones wrote (issue 18).

The XLSX lines go into the sheet as XML written by ``RegisterXlsxWriter``
itself; the same lines through openpyxl's cells must give the same bytes.
The PDF's cells skip reportlab's markup parser, and a one-line text is drawn
as a plain string: the same fragments, and the same place on the page; the
register's table (``pdf_cells``) gives the page content reportlab's own table
gives, byte for byte.
"""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Table, TableStyle

from request_desk.core.reports import monthly, pdf_cells, pdf_table, xlsx
from request_desk.core.reports.common import Month
from request_desk.core.reports.monthly import COLUMNS, RegisterMeta, RegisterRow, Section, SectionTotals

OCT = Month(2026, 10)
META = RegisterMeta("某市人民政府办公室", OCT, False, datetime(2026, 11, 2, tzinfo=UTC))


def _row(number: int, **values: object) -> RegisterRow:
    base: dict[str, object] = {
        "no": number, "reg_number": f"2026-{number:05d}", "received": date(2026, 10, 9), "channel": "网络",
        "applicant_type": "自然人", "applicant": "张三", "id_number": "110105********002X",
        "phone": "139****5678", "description": "申请公开2025年本市企业职工基本养老保险基金收支情况",
        "unit": "市住房和城乡建设局", "due": "2026-10-30（暂停扣除3个工作日）", "reply": date(2026, 10, 20),
        "on_time": "是", "workdays_used": 9, "outcome": "予以公开", "delivery": "2026-10-21 邮寄",
        "satisfaction": "满意", "note": "",
    }
    base.update(values)
    return RegisterRow(number, tuple(base[c.key] for c in COLUMNS), overdue=number in (6, 7))


ROWS = [
    _row(1),
    _row(2, description="=HYPERLINK(\"http://x\")", note="+1 备注", applicant="@某人"),
    _row(3, description="  前后有空格  ", note="a & b < c > d", phone=""),
    _row(4, description="控制\x01字符\x07与\r回车\n换行" * 40, reply=None, workdays_used=None, on_time="已逾期"),
    _row(5, description="长" * 40_000, unit=None, satisfaction=None),
    _row(6, on_time="否"),  # overdue
    _row(7, on_time=None, reply=None, received=date(2026, 10, 31)),  # overdue
    _row(8, description="#N/A", note="-5", channel="\t制表符"),
]


def _write(path: Path) -> Path:
    writer = xlsx.RegisterXlsxWriter(path, META)
    for section in monthly.SECTIONS:
        writer.begin_section(section, len(ROWS))
        totals = SectionTotals()
        writer.add_rows(ROWS[:3])
        writer.add_rows(ROWS[3:])
        for r in ROWS:
            totals.add(r)
        writer.end_section(section, totals)
    writer.add_amendments([])
    writer.close()
    return path


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}  # core.xml: the time written


def test_xml_lines_are_the_bytes_openpyxl_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _parts(_write(tmp_path / "fast.xlsx"))
    monkeypatch.setattr(xlsx, "RAW_XML", False)
    slow = _parts(_write(tmp_path / "cells.xlsx"))
    assert fast.keys() == slow.keys()
    for name in fast:
        assert fast[name] == slow[name], name


def test_xml_lines_read_back(tmp_path: Path) -> None:
    ws = load_workbook(_write(tmp_path / "r.xlsx"))[Section.RECEIVED.short]
    col = {c.key: i + 1 for i, c in enumerate(COLUMNS)}
    first = ws.cell(4, 1)
    assert first.value == 1 and first.font.name == "宋体" and first.border.left.style == "thin"
    formula = ws.cell(5, col["description"])
    assert formula.data_type == "s" and formula.value.startswith("=HYPERLINK") and formula.quotePrefix
    assert ws.cell(6, col["description"]).value == "  前后有空格  "
    assert ws.cell(6, col["note"]).value == "a & b < c > d"
    assert "\x01" not in ws.cell(7, col["description"]).value
    assert ws.row_dimensions[4].height == xlsx.LINE_HEIGHT * 2 + 3 and ws.row_dimensions[7].height > 100
    assert len(ws.cell(8, col["description"]).value) == xlsx.MAX_TEXT
    assert ws.cell(9, col["on_time"]).font.color.rgb.endswith("C00000")
    assert ws.cell(4, col["on_time"]).font.color is None
    received = ws.cell(4, col["received"])
    assert received.value == datetime(2026, 10, 9) and received.number_format == xlsx.DATE_FORMAT
    assert ws.cell(11, col["description"]).value == "#N/A" and ws.cell(11, col["description"]).data_type == "s"
    assert ws.cell(12, 1).value.startswith("合计 8 件")


# --------------------------------------------------------------------------
# PDF: cells made without the markup parser, one-line texts drawn as strings


TEXTS = ["网络", "申请公开2025年本市企业职工基本养老保险基金收支情况", "Zhang San 张三", "2026-10-21 邮寄",
         "\"引号\"与'单引号'", "a & b", "x < y > z", "两个  空格", " 前导空格", "换\n行", "", "〓",
         "市住房和城乡建设局（市人民防空办公室）" * 3]


def _fonts_and_style() -> tuple[pdf_table._Fonts, ParagraphStyle]:
    fonts = pdf_table._Fonts()  # noqa: SLF001  (the register's fonts and styles)
    return fonts, pdf_table._styles(fonts)["cell"]  # noqa: SLF001


def test_cell_fragments_are_the_parsers() -> None:
    fonts, style = _fonts_and_style()
    maker = pdf_cells.CellMaker(fonts, style)
    for text in TEXTS:
        made = maker.paragraph(text)
        parsed = Paragraph(fonts.markup(text), style)
        assert [f.__dict__ for f in made.frags] == [f.__dict__ for f in parsed.frags], text


def _positions(cells: list[object], leading: float | None, tmp_path: Path) -> list[tuple[str, float, float]]:
    fonts, _ = _fonts_and_style()
    table = Table([cells], colWidths=[60, 80, 60])
    commands = pdf_table._grid(fonts.body, pdf_table.BODY_SIZE, fonts.bold)  # noqa: SLF001  (the register's grid)
    if leading is not None:
        commands.append(("LEADING", (0, 0), (1, -1), leading))
    table.setStyle(TableStyle(commands))
    path = tmp_path / f"t{leading}.pdf"
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build([table])
    found: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            found.append((text.strip(), round(cm[4] + tm[4], 3), round(cm[5] + tm[5], 3)))

    PdfReader(path).pages[0].extract_text(visitor_text=visit)
    return found


def test_a_one_line_cell_drawn_as_a_string_sits_where_its_paragraph_did(tmp_path: Path) -> None:
    fonts, style = _fonts_and_style()
    maker = pdf_cells.CellMaker(fonts, style)
    tall = "申请公开2025年本市企业职工基本养老保险基金收支情况" * 2
    cell = maker("网络申请", 60)
    assert cell == "网络申请"  # one line: a string
    assert isinstance(maker(tall, 80), Paragraph)  # several lines: the paragraph
    as_paragraphs = _positions([Paragraph("网络申请", style), Paragraph(tall, style), "2026-10-01"], None, tmp_path)
    as_string = _positions([cell, maker(tall, 80), "2026-10-01"], pdf_table.BODY_LEADING, tmp_path)
    assert as_paragraphs == as_string
    assert len(as_string) >= 3


def _page_contents(table_class: type[LongTable], rows: list[list[object]], tmp_path: Path) -> list[bytes]:
    fonts, _ = _fonts_and_style()
    table = table_class(rows, colWidths=[40, 60, 50], repeatRows=1)
    commands = pdf_table._grid(fonts.body, pdf_table.BODY_SIZE, fonts.bold)  # noqa: SLF001
    commands += [("ALIGN", (2, 1), (2, -1), "CENTER"), ("LEADING", (1, 1), (1, -1), pdf_table.BODY_LEADING),
                 ("TEXTCOLOR", (2, 3), (2, 3), colors.HexColor("#C00000"))]
    table.setStyle(TableStyle(commands))
    path = tmp_path / f"{table_class.__name__}.pdf"
    SimpleDocTemplate(str(path), pagesize=landscape(A4), invariant=1).build([table])
    return [page.get_contents().get_data() for page in PdfReader(path).pages]


def test_the_register_table_draws_what_reportlab_draws(tmp_path: Path) -> None:
    fonts, style = _fonts_and_style()
    maker = pdf_cells.CellMaker(fonts, style)
    header = [Paragraph("序号", style), Paragraph("申请内容", style), Paragraph("是否按期", style)]
    rows: list[list[object]] = [header]
    for i in range(120):  # three pages: the header repeats, the split pieces are register tables too
        rows.append([str(i + 1), maker(TEXTS[i % len(TEXTS)], 60), ["是", "否", "", "已逾期"][i % 4]])
    rows[5][1] = maker("", 60)
    fast = _page_contents(pdf_cells.RegisterTable, rows, tmp_path)
    plain = _page_contents(LongTable, rows, tmp_path)
    assert len(fast) == len(plain) > 1
    assert fast == plain


def test_the_register_table_is_reportlabs_table(tmp_path: Path) -> None:
    """Shared cell styles, heights worked out by the writer, cells written directly: the same pages."""
    writer = pdf_table.RegisterPdfWriter(tmp_path / "register.pdf", META)
    writer.begin_section(Section.RECEIVED, 15 * len(ROWS))
    for _ in range(15):
        writer.add_rows(ROWS)
    fast = writer._table()  # noqa: SLF001
    # reportlab's own: a table measuring itself, every command applied to every cell, as the writer did before
    on_time = [c.key for c in COLUMNS].index("on_time")
    style = writer.table_style() + [("TEXTCOLOR", (on_time, i), (on_time, i), pdf_table.LATE_COLOUR)
                                    for i in writer.late_rows]
    rows = [[Paragraph(c.text, c.style, frags=c.frags) if isinstance(c, pdf_cells.CellParagraph) else c
             for c in r] for r in writer.rows]  # paragraphs drawn by reportlab's drawPara
    assert sum(isinstance(c, Paragraph) for r in rows[1:] for c in r) > 100
    reference = LongTable(rows, colWidths=writer.widths, repeatRows=1)
    reference.setStyle(TableStyle(style))
    pages = []
    for table in (fast, reference):
        path = tmp_path / f"{len(pages)}.pdf"
        SimpleDocTemplate(str(path), pagesize=landscape(A4), invariant=1).build([table])
        pages.append([page.get_contents().get_data() for page in PdfReader(path).pages])
    assert len(pages[0]) > 3 and writer.late_rows
    assert pages[0] == pages[1]


def test_runs_of_known_characters_are_the_chains() -> None:
    fonts, _ = _fonts_and_style()
    texts = [*TEXTS, "Ωμέγα 한국어 😀", "𠀀字", "两个  空格", "\u200b零宽", "申请公开2025年", "2025年申请公开"]
    first = [fonts.runs(t) for t in texts]
    again = [fonts.runs(t) for t in texts]  # now partly from the characters already seen
    assert again == first
    fresh = _fonts_and_style()[0]
    assert [fresh.runs(t) for t in reversed(texts)][::-1] == first
