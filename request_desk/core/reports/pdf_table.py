"""Printable PDFs of the register (A4 landscape) and the annual table (A4 portrait).

reportlab tables with the letter engine's embedded CJK TrueType fonts
(``letters.fonts.load_letter_fonts``: the office's override, Windows fonts,
or the bundled OFL Noto fonts), so every PC prints the same. The register's
header row repeats on every page; every page carries the title and
"第 N 页".

Every text goes through ``_Fonts.markup``: control characters are removed
(``safe_text``), each run of characters is set in the first font of the
chain that has it (bundled fallbacks for Latin/Greek/Cyrillic, Hangul, CJK
Extensions B–F and emoji, see ``letters.fonts``), and a character that no
font has is printed as 〓 (the typesetters' mark for a missing character)
and listed in a note under the register, which points to the Excel/CSV file
for the original. A month's register is not refused for one such character:
the clerk needs the paper, and the note says what is marked.

A cell is cut at ``MAX_CELL_LINES`` lines with "……（全文见登记表）", so a
description of any length still fits a page (reportlab cannot split a row).

The register's table is made and paginated by ``pdf_cells``: the pages reportlab's
own table would give, in a fraction of the time (issue 18).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from request_desk.core.letters.fonts import BODY, HEADING, TITLE, char_name, load_letter_fonts
from request_desk.core.letters.line_breaking import install_cjk_line_rules
from request_desk.core.reports import annual
from request_desk.core.reports.monthly import COLUMNS, RegisterMeta, RegisterRow, Section, SectionTotals
from request_desk.core.reports.pdf_cells import (
    PADDING,
    CellMaker,
    CellParagraph,
    PagedRows,
    cell_height,
    row_height,
)
from request_desk.core.reports.period_lock import AMENDMENT_COLUMNS, Amendment
from request_desk.core.reports.safe_text import safe_cell_text

# Column widths in mm before scaling to the page (A4 landscape, 10 mm margins).
_PDF_WIDTHS = {
    "no": 7, "reg_number": 16, "received": 15, "channel": 11, "applicant_type": 11, "applicant": 14,
    "id_number": 22, "phone": 16, "description": 32, "unit": 17, "due": 18, "reply": 15, "on_time": 9,
    "workdays_used": 9, "outcome": 18, "delivery": 13, "satisfaction": 10, "note": 11,
}
_PLAIN = {"no", "reg_number", "received", "reply", "on_time", "workdays_used"}  # never wrap: no Paragraph
BODY_SIZE = 6.5
CELL_PADDING = 2 * PADDING
# A paragraph's line pitch: a one-line text drawn as a plain string with this
# leading sits on the same baseline, and gives its row the same height.
BODY_LEADING = BODY_SIZE * 1.25
MAX_CELL_LINES = 30  # 30 lines of 6.5-point text: far less than a page, whatever the row's other cells
CUT_NOTE = "……（全文见登记表）"
MISSING_MARK = "〓"  # GB 2312 A1FE: present in every CJK role font
LATE_COLOUR = colors.HexColor("#C00000")  # 是否按期 of a late line


def fit_cell(text: str, width: float, size: float = BODY_SIZE, max_lines: int = MAX_CELL_LINES) -> str:
    """``text`` cut to at most ``max_lines`` lines of a column ``width`` points wide.

    A CJK character is one em wide (Latin ones are narrower), so the cut is on
    the safe side; the note says where the rest is.
    """
    per_line = max(1, int((width - CELL_PADDING) / size))
    limit = per_line * max_lines
    if len(text) <= limit:
        return text
    return text[: max(0, limit - len(CUT_NOTE))] + CUT_NOTE


class _Fonts:
    def __init__(self) -> None:
        install_cjk_line_rules()
        self.chain = load_letter_fonts()
        self.body = self.chain.font_name(BODY)
        self.bold = self.chain.font_name(HEADING)
        self.title = self.chain.font_name(TITLE)
        self.missing: dict[str, None] = {}  # characters no font has, in order of appearance
        self._primary = {BODY: self.body, HEADING: self.bold, TITLE: self.title}
        self._plain_chars: dict[str, set[str]] = {}  # role -> characters its primary font prints (runs)

    def runs(self, text: str, role: str = BODY) -> list[tuple[str, str]]:
        """(font, text) runs of cleaned ``text``; characters no font has become 〓 in the role's font."""
        primary = self._primary.get(role) or self.chain.font_name(role)
        text = safe_cell_text(text)
        # Characters seen printing in the role's own font: a text of those alone is one run of
        # it (as the chain would cut it), known without asking for each character again.
        plain = self._plain_chars.setdefault(role, set())
        if text and plain.issuperset(text):
            return [(primary, text)]
        out: list[tuple[str, str]] = []
        for font, run in self.chain.runs(text, role):
            if font is None:
                self.missing.update(dict.fromkeys(run))
                font, run = primary, MISSING_MARK * len(run)
            if out and out[-1][0] == font:
                out[-1] = (font, out[-1][1] + run)
            else:
                out.append((font, run))
        if len(out) == 1 and out[0] == (primary, text):  # every character kept, in the role's font
            plain.update(text)
        return out

    def markup(self, text: str, role: str = BODY) -> str:
        """Paragraph markup for ``text``: escaped, each run in a font that has its characters."""
        return self.runs_markup(self.runs(text, role), role)

    def runs_markup(self, runs: list[tuple[str, str]], role: str = BODY) -> str:
        """Paragraph markup for ``runs`` (from ``runs``)."""
        primary = self._primary.get(role) or self.chain.font_name(role)
        return "".join(escape(run) if font == primary else f'<font name="{font}">{escape(run)}</font>'
                       for font, run in runs)

    def plain(self, text: str) -> str | None:
        """``text`` itself if the body font prints all of it (a cheap table cell), else ``None``."""
        runs = self.runs(text)
        return runs[0][1] if len(runs) == 1 and runs[0][0] == self.body else ("" if not runs else None)

    def draw(self, canv: Any, x: float, y: float, text: str, size: float, *, right: bool = False) -> None:
        """``canv.drawString`` with per-run fonts (page headers carry the agency's name)."""
        runs = self.runs(text)
        if right:
            x -= sum(pdfmetrics.stringWidth(run, font, size) for font, run in runs)
        for font, run in runs:
            canv.setFont(font, size)
            canv.drawString(x, y, run)
            x += pdfmetrics.stringWidth(run, font, size)

    def missing_note(self) -> str | None:
        """The sentence under the register that lists what was printed as 〓."""
        if not self.missing:
            return None
        listed = "；".join(char_name(ch) for ch in list(self.missing)[:20])
        more = f"等{len(self.missing)}个字符" if len(self.missing) > 20 else ""
        return (f"注：表中“{MISSING_MARK}”处的字符没有任何可用字体能够打印（{listed}{more}），"
                "原文见 Excel 或 CSV 格式的登记表。")


def _styles(f: _Fonts, size: float = BODY_SIZE) -> dict[str, ParagraphStyle]:
    return {
        "cell": ParagraphStyle("cell", fontName=f.body, fontSize=size, leading=size * 1.25, wordWrap="CJK"),
        "head": ParagraphStyle("head", fontName=f.bold, fontSize=size, leading=size * 1.25, alignment=1,
                               wordWrap="CJK"),
        "title": ParagraphStyle("title", fontName=f.title, fontSize=15, leading=20, alignment=1),
        "subtitle": ParagraphStyle("subtitle", fontName=f.body, fontSize=9, leading=12, alignment=1),
        "section": ParagraphStyle("section", fontName=f.bold, fontSize=10, leading=14, spaceBefore=6, spaceAfter=3),
        "total": ParagraphStyle("total", fontName=f.body, fontSize=8, leading=11, spaceBefore=3),
        "label": ParagraphStyle("label", fontName=f.body, fontSize=8, leading=10, wordWrap="CJK"),
        "centre": ParagraphStyle("centre", fontName=f.body, fontSize=8, leading=10, alignment=1, wordWrap="CJK"),
    }


def _grid(font: str, size: float, header_font: str) -> list[tuple[Any, ...]]:
    return [
        ("FONT", (0, 0), (-1, -1), font, size),
        ("FONT", (0, 0), (-1, 0), header_font, size),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 1.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
    ]


class RegisterPdfWriter:
    """Collects the register's flowables batch by batch; builds the PDF on ``close``.

    A month's register is at most a few thousand rows, which reportlab lays
    out in seconds; the rows themselves were streamed from SQL.
    """

    def __init__(self, path: Path, meta: RegisterMeta) -> None:
        self.path, self.meta = path, meta
        self.fonts = _Fonts()
        self.st = _styles(self.fonts)
        page_w = landscape(A4)[0] - 20 * mm
        scale = page_w / sum(_PDF_WIDTHS.values())
        self.widths = [_PDF_WIDTHS[c.key] * scale for c in COLUMNS]
        self.story: list[Any] = [Paragraph(self.fonts.markup(meta.title, TITLE), self.st["title"]),
                                 Paragraph(self.fonts.markup(meta.subtitle), self.st["subtitle"])]
        self.rows: list[list[Any]] = []
        self.late_rows: list[int] = []
        self._paragraph = CellMaker(self.fonts, self.st["cell"])
        self._made: list[dict[Any, Any]] = [{} for _ in COLUMNS]  # per column: value -> its cell

    @property
    def missing_glyphs(self) -> tuple[str, ...]:
        """Characters printed as 〓 because no font has them (for the export summary)."""
        return tuple(self.fonts.missing)

    def _header(self, labels: Sequence[str]) -> list[Any]:
        return [CellParagraph(escape(label), self.st["head"]) for label in labels]

    def _cell(self, text: str, width: float, plain: bool = False) -> Any:
        """A table cell: a plain string where no wrapping or fallback font is needed, else a paragraph."""
        text = fit_cell(safe_cell_text(text), width)
        if plain:
            simple = self.fonts.plain(text)
            if simple is not None:
                return simple
        return Paragraph(self.fonts.markup(text, BODY), self.st["cell"])

    def begin_section(self, section: Section, total: int) -> None:
        self.story.append(CondPageBreak(40 * mm))
        self.story.append(Paragraph(escape(f"{section.heading}（{total} 件）"), self.st["section"]))
        self.rows = [self._header([c.label for c in COLUMNS])]
        self.late_rows = []

    def add_rows(self, rows: Sequence[RegisterRow]) -> None:
        made = self._made
        for r in rows:
            cells: list[Any] = []
            for i, value in enumerate(r.values):
                cell = made[i].get(value)  # a column's cell is a function of its value
                if cell is None:
                    cell = made[i][value] = self._new_cell(i, value)
                cells.append(cell)
            if r.overdue:
                self.late_rows.append(len(self.rows))
            self.rows.append(cells)

    def _new_cell(self, column: int, value: Any) -> Any:
        text = "" if value is None else value.isoformat() if isinstance(value, date) else str(value)  # as .text()
        width = self.widths[column]
        if COLUMNS[column].key in _PLAIN:
            return self._cell(text, width, True)
        return self._paragraph(fit_cell(safe_cell_text(text), width), width)

    def end_section(self, section: Section, totals: SectionTotals) -> None:
        if len(self.rows) > 1:
            self.story.append(self._table())
        self.story.append(Paragraph(escape(totals.text(section)), self.st["total"]))
        self.rows = []

    def table_style(self) -> list[tuple[Any, ...]]:
        """The register table's style commands (a late line's 是否按期 is red besides)."""
        style = _grid(self.fonts.body, BODY_SIZE, self.fonts.bold)
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8E8E8")))
        keys = [c.key for c in COLUMNS]
        for key in ("no", "received", "reply", "on_time", "workdays_used"):
            style.append(("ALIGN", (keys.index(key), 1), (keys.index(key), -1), "CENTER"))
        for i, key in enumerate(keys):  # the paragraph columns' one-line texts, drawn as strings (CellMaker)
            if key not in _PLAIN:
                style.append(("LEADING", (i, 1), (i, -1), BODY_LEADING))
        return style

    def _table(self) -> Flowable:
        style = self.table_style()
        keys = [c.key for c in COLUMNS]
        # A table keeps a style object per cell, each set by every command that covers it: 18 columns
        # times a month's rows times 20 commands. The register's rows have three styles (the header,
        # a line, a late line): a three-row table works them out, and every row shares its row's.
        late = ("TEXTCOLOR", (keys.index("on_time"), 2), (keys.index("on_time"), 2), LATE_COLOUR)
        model = Table([[""] * len(keys) for _ in range(3)], colWidths=self.widths)
        model.setStyle(TableStyle([*style, late]))
        header, line, late_line = model._cellStyles  # type: ignore[attr-defined]  # noqa: SLF001
        late_rows = set(self.late_rows)
        styles = [header] + [late_line if i in late_rows else line for i in range(1, len(self.rows))]
        heights = [row_height(self.rows[0], header, self.widths)]
        known: dict[tuple[int, Any], float] = {}  # (column, cell) -> its height: cells recur (CellMaker)
        for cells in self.rows[1:]:
            h = 0.0
            for j, cell in enumerate(cells):
                t = known.get((j, cell))
                if t is None:
                    t = known[j, cell] = cell_height(cell, line[j], self.widths[j])
                if t > h:
                    h = t
            heights.append(h)
        lines_and_shading = TableStyle([c for c in style if c[0] in ("GRID", "BACKGROUND")])
        return PagedRows(self.rows, heights, styles, self.widths, lines_and_shading)

    def add_amendments(self, items: Sequence[Amendment]) -> None:
        self.story.append(CondPageBreak(30 * mm))
        self.story.append(Paragraph("四、已归档月份的更正", self.st["section"]))
        if not items:
            self.story.append(Paragraph("本月无已归档月份的更正。", self.st["total"]))
            return
        data: list[list[Any]] = [self._header(AMENDMENT_COLUMNS)]
        page_w = landscape(A4)[0] - 20 * mm
        widths = [30 * mm, 25 * mm, 30 * mm, page_w - 115 * mm, 30 * mm]
        for a in items:
            data.append([self._cell(a.reg_number, widths[0], True), a.locked_month.label, f"{a.at:%Y-%m-%d %H:%M}",
                         self._cell(a.what, widths[3]), self._cell(a.user, widths[4], True)])
        table = LongTable(data, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle(_grid(self.fonts.body, BODY_SIZE, self.fonts.bold)))
        self.story.append(table)

    def _on_page(self, canv: Any, doc: Any) -> None:
        canv.saveState()
        w, _ = landscape(A4)
        self.fonts.draw(canv, 10 * mm, 6 * mm, f"{self.meta.title}　{self.meta.month.label}", 7)
        self.fonts.draw(canv, w - 10 * mm, 6 * mm, f"第 {doc.page} 页", 7, right=True)
        canv.restoreState()

    def abort(self) -> None:
        self.story = []

    def close(self) -> None:
        note = self.fonts.missing_note()
        if note:
            self.story.append(Paragraph(escape(note), self.st["total"]))
        doc = SimpleDocTemplate(str(self.path), pagesize=landscape(A4), leftMargin=10 * mm, rightMargin=10 * mm,
                                topMargin=10 * mm, bottomMargin=12 * mm, title=safe_cell_text(self.meta.title),
                                author=safe_cell_text(self.meta.agency), subject=self.meta.month.label,
                                creator="Request Desk",
                                lang="zh-CN", initialFontName=self.fonts.body, initialFontSize=BODY_SIZE)
        doc.build(self.story, onFirstPage=self._on_page, onLaterPages=self._on_page)


def data_date_note(year: int, made_on: date) -> str:
    """The sentence under the annual table saying how far its data run.

    A year that is over runs to its 31 December; a report made before the year
    ends runs only to the day it was made, and says the year is not over.
    """
    year_end = date(year, 12, 31)
    if made_on > year_end:
        return f"数据截至 {year_end.isoformat()}。"
    return f"数据截至 {made_on.isoformat()}（制表日）；{year}年度尚未结束，本表不是全年数据。"


def write_annual_pdf(path: Path, report: annual.AnnualReport, agency: str, made_on: date) -> None:
    """The annual table and the remedy table on A4 portrait, laid out as the official format."""
    f = _Fonts()
    st = _styles(f, 8)
    page_w = A4[0] - 30 * mm
    label_w = [12 * mm, 20 * mm]
    data_w = 13 * mm
    label_w.append(page_w - sum(label_w) - data_w * len(annual.COLUMN_KEYS))
    widths = label_w + [data_w] * len(annual.COLUMN_KEYS)

    def p(text: str, style: str = "centre") -> Paragraph:
        return Paragraph(escape(text), st[style])

    n = len(annual.COLUMN_KEYS)
    rows: list[list[Any]] = [
        [p("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"), "", "", p("申请人情况"),
         *[""] * (n - 1)],
        ["", "", "", p("自然人"), p("法人或其他组织")] + [""] * 4 + [p("总计")],
        ["", "", "", ""] + [p(annual.COLUMN_LABELS[t]) for t in annual.TYPE_COLUMNS[1:]] + [""],
    ]
    spans: list[tuple[Any, ...]] = [
        ("SPAN", (0, 0), (2, 2)), ("SPAN", (3, 0), (n + 2, 0)), ("SPAN", (3, 1), (3, 2)),
        ("SPAN", (4, 1), (8, 1)), ("SPAN", (9, 1), (9, 2)),
    ]
    row_of: dict[str, int] = {}
    for key in annual.ROW_KEYS:
        row_of[key] = len(rows)
        rows.append(["", "", ""] + [str(report.table[key][c]) for c in annual.COLUMN_KEYS])
    for key in ("new", "carried_in", "carried_out"):
        rows[row_of[key]][0] = p(annual.ROW_LABELS[key], "label")
        spans.append(("SPAN", (0, row_of[key]), (2, row_of[key])))
    rows[row_of["1"]][0] = p("三、本年度办理结果")
    spans.append(("SPAN", (0, row_of["1"]), (0, row_of["total"])))
    for spec in annual.row_specs():
        if spec.key in ("1", "2", "total"):
            rows[row_of[spec.key]][1] = p(spec.number + spec.label, "label")
            spans.append(("SPAN", (1, row_of[spec.key]), (2, row_of[spec.key])))
        elif spec.key.startswith("heading:") and spec.key != "heading:results":
            codes = [k for k in annual.OUTCOME_ROWS if k.split(".")[0] == spec.key.split(":")[1]]
            rows[row_of[codes[0]]][1] = p(spec.number + spec.label)
            spans.append(("SPAN", (1, row_of[codes[0]]), (1, row_of[codes[-1]])))
        elif spec.level == 2:
            rows[row_of[spec.key]][2] = p(spec.number + spec.label, "label")
    table = Table(rows, colWidths=widths, repeatRows=3)
    style = _grid(f.body, 8, f.bold) + spans + [("ALIGN", (3, 3), (-1, -1), "CENTER")]
    table.setStyle(TableStyle(style))

    rem_head: list[list[Any]] = [
        [p("行政复议")] + [""] * 4 + [p("行政诉讼")] + [""] * 9,
        [""] * 5 + [p("未经复议直接起诉")] + [""] * 4 + [p("复议后起诉")] + [""] * 4,
        [p(annual.REMEDY_COLUMN_LABELS[c]) for _ in annual.REMEDY_KINDS for c in annual.REMEDY_COLUMNS],
        [str(report.remedies[k][c]) for k in annual.REMEDY_KINDS for c in annual.REMEDY_COLUMNS],
    ]
    rem = Table(rem_head, colWidths=[page_w / 15] * 15)
    rem.setStyle(TableStyle([*_grid(f.body, 8, f.bold),
        ("SPAN", (0, 0), (4, 1)), ("SPAN", (5, 0), (14, 0)), ("SPAN", (5, 1), (9, 1)), ("SPAN", (10, 1), (14, 1)),
        ("ALIGN", (0, 3), (-1, 3), "CENTER"),
    ]))
    title = safe_cell_text(f"{agency}{report.year}年政府信息公开工作年度报告（统计表）")
    story = [
        Paragraph(f.markup(title, TITLE), st["title"]), Spacer(1, 4 * mm),
        Paragraph("三、收到和处理政府信息公开申请情况", st["section"]), table, Spacer(1, 6 * mm),
        Paragraph("四、政府信息公开行政复议、行政诉讼情况", st["section"]), rem,
        Spacer(1, 4 * mm), Paragraph(escape(data_date_note(report.year, made_on)), st["total"]),
    ]
    note = f.missing_note()
    if note:
        story.append(Paragraph(escape(note), st["total"]))
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, title=title, author=safe_cell_text(agency),
                            creator="Request Desk", lang="zh-CN", initialFontName=f.body, initialFontSize=8)
    doc.build(story)
