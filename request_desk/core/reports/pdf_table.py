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
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.rl_accel import fp_str
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
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaParser

from request_desk.core.letters.fonts import BODY, HEADING, TITLE, char_name, load_letter_fonts
from request_desk.core.letters.line_breaking import install_cjk_line_rules
from request_desk.core.reports import annual
from request_desk.core.reports.monthly import COLUMNS, RegisterMeta, RegisterRow, Section, SectionTotals
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
PADDING = 1.5  # left and right padding of a cell, points (see _grid)
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


# How Paragraph.drawPara draws one line of a paragraph in one font, by alignment.
_LINE_DRAWERS: dict[Any, Any] = {TA_LEFT: vars(rl_paragraph)["_leftDrawParaLine"],
                                 TA_CENTER: vars(rl_paragraph)["_centerDrawParaLine"]}


class _CellParagraph(Paragraph):
    """A table cell's paragraph, laid out once.

    reportlab's table lays out every cell to measure its row, again when it
    splits the table at a page end, and again to draw it: three line breakings
    per cell. A cell's width never changes, so the first serves all three.
    """

    _laid_out: tuple[float, tuple[float, float]] | None = None
    _simple: list[tuple[float, list[str]]] | None = None
    _simple_known = False
    drawn_as: tuple[Any, str, str] | None = None  # (canvas, colour, text object), by _RegisterTable

    def simple_lines(self) -> list[tuple[float, list[str]]] | None:
        """The laid-out lines if ``_RegisterTable`` may draw them itself (``_draw_paragraph``), else ``None``.

        That is: lines in one font and colour, left aligned or centred, with no indent, bullet,
        border, link or underline, which ``Paragraph.drawPara`` draws line by line.
        """
        if self._simple_known or self._laid_out is None:
            return self._simple
        layout: Any = self.blPara  # type: ignore[attr-defined]
        style = self.style
        decorated = (getattr(layout, "us_lines", None) or getattr(layout, "link", None) or self.bulletText
                     or style.backColor or style.borderWidth or style.leftIndent or style.firstLineIndent
                     or getattr(self, "_offsets", None) or getattr(style, "autoLeading", "") not in ("", "off")
                     or style.wordWrap in ("LTR", "RTL"))
        simple = None
        if (layout.kind == 0 and layout.lines and style.alignment in _LINE_DRAWERS
                and type(layout.textColor) is Color and not decorated):
            simple = layout.lines
        self._simple, self._simple_known = simple, True
        return simple

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        done = self._laid_out
        if done is not None and done[0] == avail_width:
            return done[1]
        size: tuple[float, float] = super().wrap(avail_width, avail_height)
        self._laid_out = (avail_width, size)
        return size


class _Blank(Flowable):
    """An empty cell: the size of an empty paragraph (no lines), and nothing to draw."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return avail_width, 0

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803  (reportlab's)
        pass


class CellMaker:
    """Builds the register's cells, each distinct text once per column width.

    reportlab parses every paragraph's markup with an HTML parser; a cell's
    text in the body font alone, with nothing the markup or reportlab's space
    cleaning would change, is given to it as the one fragment the parser would
    have made (a test compares them). Such a text that the paragraph sets on
    one line is drawn as that line, a plain string, in a column whose leading
    is ``BODY_LEADING``: the same place on the page at a fraction of the cost
    (a paragraph is a flowable, drawn with its own text object and graphics
    state). A text seen before in a column of the same width (a unit, an
    outcome, an empty note) gets the same cell: reportlab draws one flowable
    in any number of places, as it does with the header row on every page.
    """

    def __init__(self, fonts: _Fonts, style: ParagraphStyle) -> None:
        self.fonts, self.style = fonts, style
        parsed = ParaParser().parse("x", style)[1]  # type: ignore[no-untyped-call]
        assert parsed is not None and len(parsed) == 1
        self._frag = parsed[0]
        self._made: dict[tuple[float, str], Flowable | str] = {}

    def __call__(self, text: str, width: float) -> Flowable | str:
        """The cell for cleaned, cut ``text`` in a column ``width`` points wide whose leading is ``BODY_LEADING``."""
        key = (width, text)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self._one_line(self.paragraph(text), width)
        return made

    @staticmethod
    def _one_line(p: Paragraph, width: float) -> Flowable | str:
        if not p.frags:
            return _BLANK if isinstance(p, _CellParagraph) else p
        if len(p.frags) > 1 or not isinstance(p, _CellParagraph):
            return p
        p.wrap(width - PADDING - PADDING, 0x7FFFFFFF)  # as the table does (and then remembered)
        layout: Any = p.blPara  # type: ignore[attr-defined]  # set by wrap
        lines = layout.lines
        if layout.kind != 0 or len(lines) != 1:
            return p
        return " ".join(lines[0][1])  # what the paragraph draws: _leftDrawParaLine

    def paragraph(self, text: str) -> Paragraph:
        """A new paragraph for cleaned, cut ``text`` (``RegisterPdfWriter._cell``)."""
        runs = self.fonts.runs(text, BODY)
        if not runs:
            return _CellParagraph("", self.style, frags=[])  # (drawn as ``_Blank``)
        if len(runs) == 1 and runs[0][0] == self.fonts.body:
            run = runs[0][1]
            if not ("&" in run or "<" in run or ">" in run) and cleanBlockQuotedText(run) == run:
                return _CellParagraph(run, self.style, frags=[self._frag.clone(text=run, link=[], us_lines=[])])
        return Paragraph(self.fonts.runs_markup(runs, BODY), self.style)


_BLANK = _Blank()


class _RegisterTable(LongTable):
    """The register's table: measured once per page, string cells drawn without text objects.

    reportlab draws each string cell with ``canvas.drawString``, which builds
    a text object, sets its origin and encodes the text for the embedded font
    subset: about half of a register page's drawing. Here the same operators
    (``BT … Tm <font, text> T* ET``) are written straight into the page, the
    encoded text kept per font and text (a date, 是/否, a unit's number of days
    recur on every page); an empty cell (``_Blank``) only sets the cell's
    colour and font, as reportlab does before drawing it. Anything else is
    drawn by reportlab as before; a test compares the pages' content.
    """

    _calculated_for: tuple[float, float] | None = None

    def _calc(self, availWidth: float, availHeight: float) -> None:  # noqa: N803  (reportlab's names)
        # The frame asks a table for its size, then to split in the same space: measure once.
        if self._calculated_for != (availWidth, availHeight):
            super()._calc(availWidth, availHeight)  # type: ignore[misc]
            self._calculated_for = (availWidth, availHeight)

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: tuple[float, float],  # noqa: N802  (reportlab's)
                  size: tuple[float, float]) -> None:
        # A flowable cell is a tuple of flowables once the table has measured it.
        if isinstance(cellval, tuple) and len(cellval) == 1:
            cellval = cellval[0]
        blank = cellval is _BLANK
        fast = (type(cellval) is str and "\n" not in cellval) or (
            type(cellval) is _CellParagraph and cellval.simple_lines() is not None)
        if (not blank and not fast) or (
                cellstyle.direction or cellstyle.shaping or cellstyle.href or cellstyle.destination):
            super()._drawCell(cellval, cellstyle, pos, size)  # type: ignore[misc]
            return
        canv: Any = self.canv  # its text state and page code, which the stubs leave out
        if self._curcellstyle is not cellstyle:  # type: ignore[has-type]  # as reportlab's _drawCell
            cur = self._curcellstyle  # type: ignore[has-type]
            if cur is None or cellstyle.color != cur.color:
                canv.setFillColor(cellstyle.color)
            if (cur is None or cellstyle.leading != cur.leading or cellstyle.fontname != cur.fontname
                    or cellstyle.fontsize != cur.fontsize):
                canv.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            self._curcellstyle = cellstyle
        if blank:
            return
        colpos, rowpos = pos
        colwidth, rowheight = size
        just, valign = cellstyle.alignment, cellstyle.valign
        if just not in ("LEFT", "CENTRE", "CENTER") or valign not in ("TOP", "MIDDLE", "BOTTOM") or not canv.bottomup:
            super()._drawCell(cellval, cellstyle, pos, size)  # type: ignore[misc]
            return
        if type(cellval) is _CellParagraph:
            self._draw_paragraph(canv, cellval, cellstyle, pos, size)
            return
        cache: dict[tuple[str, float, float, str], tuple[str, float]] = canv.__dict__.setdefault("_rd_cells", {})
        key = (canv._fontname, canv._fontsize, canv._leading, cellval)  # noqa: SLF001  (the font the cell sets)
        done = cache.get(key)
        if done is None:
            # what drawString's text object writes for the text; the same bytes each time
            done = cache[key] = (canv.beginText()._formatText(cellval),  # noqa: SLF001
                                 pdfmetrics.stringWidth(cellval, key[0], key[1]))
        # The positions as in reportlab's _drawCell (tables.py) for one line of text.
        n = 1
        leading, fontsize = cellstyle.leading, cellstyle.fontsize
        if just == "LEFT":
            x = colpos + cellstyle.leftPadding
        else:
            x = colpos + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding) * 0.5
            x = x - 0.5 * done[1]
        if valign == "BOTTOM":
            y = rowpos + cellstyle.bottomPadding + n * leading - fontsize
        elif valign == "TOP":
            y = rowpos + rowheight - cellstyle.topPadding - fontsize
        else:
            y = rowpos + (cellstyle.bottomPadding + rowheight - cellstyle.topPadding + n * leading) / 2.0 - fontsize
        canv._code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm {done[0]} T* ET")  # noqa: SLF001  (as drawText)

    @staticmethod
    def _draw_paragraph(canv: Any, p: _CellParagraph, cellstyle: Any, pos: tuple[float, float],
                        size: tuple[float, float]) -> None:
        """What reportlab's _drawCell, Flowable.drawOn and Paragraph.drawPara write for a paragraph
        of plain lines, without their graphics-state bookkeeping (the state is back where it was).

        The register's header row is drawn on every page: its centred labels go this way too.
        """
        colpos, rowpos = pos
        colwidth, rowheight = size
        # _listCellGeom: the paragraph's size (laid out once, remembered)
        w, vh = p.wrap(colwidth - cellstyle.leftPadding - cellstyle.rightPadding,
                       rowheight - cellstyle.topPadding - cellstyle.bottomPadding)
        h = vh + 0 + 0 - 0 - 0  # no space before or after
        valign = cellstyle.valign
        if valign == "TOP":
            y = rowpos + rowheight - cellstyle.topPadding
        elif valign == "BOTTOM":
            y = rowpos + cellstyle.bottomPadding + h
        else:
            y = rowpos + (rowheight + cellstyle.bottomPadding - cellstyle.topPadding + h) / 2.0
        if cellstyle.alignment == "LEFT":
            x = colpos + cellstyle.leftPadding
        else:
            x = colpos + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding - w) / 2.0
        y -= 0
        y -= vh
        drawn = p.drawn_as
        if drawn is None or drawn[0] is not canv:
            # The paragraph's colour and text object, in its own coordinates: the same wherever
            # it is drawn (the header row on every page, a unit's name on many lines).
            layout: Any = p.blPara  # type: ignore[attr-defined]
            lines = p.simple_lines()
            assert lines is not None
            tx = canv.beginText(0, p.height - layout.fontSize)  # paraFontSizeHeightOffset
            tx.preformatted = False
            tx.direction = p.style.wordWrap
            tx.setFont(layout.fontName, layout.fontSize, p.style.leading)
            draw_line = _LINE_DRAWERS[p.style.alignment]
            for extra, words in lines:
                draw_line(tx, 0, extra, words, False)  # reportlab's own, as drawPara calls it
            colour = layout.textColor
            drawn = p.drawn_as = (canv, f"{fp_str((colour.red, colour.green, colour.blue))} rg", tx.getCode())
        code = canv._code  # noqa: SLF001
        code += ("q", f"{fp_str(1, 0, 0, 1, x, y)} cm", "q", drawn[1], drawn[2], "Q", "Q")


class _PagedRows(Flowable):
    """A register section's table, handed to reportlab a page at a time: its pagination built once.

    At each page end reportlab splits a long table into that page's rows and a new table of all
    the rest, which it copies, checks and positions again: a section of n lines costs n times its
    pages. This keeps the rows, their heights and styles, and gives reportlab a table of the next
    rows only, as far as one row past the page end: it splits that where it would have split the
    whole table (rows fit by the same sums), and the rest stays here for the next page.
    """

    def __init__(self, rows: list[list[Any]], heights: list[float], styles: list[Any], widths: list[float],
                 commands: TableStyle, start: int = 1) -> None:
        super().__init__()
        self.rows, self.heights, self.styles, self.widths, self.commands = rows, heights, styles, widths, commands
        self.start = start  # the first line still to come; row 0 is the header, repeated on every page
        self._table: _RegisterTable | None = None
        self._end = 0

    def _window(self, avail_height: float) -> tuple[_RegisterTable, int]:
        # The rows reportlab's _getFirstPossibleSplitRowPosition looks at: up to the first that does
        # not fit, and one more.
        heights, end, h = self.heights, len(self.rows), 0.0
        h = h + heights[0]
        for i in range(self.start, len(self.rows)):
            if h + heights[i] > avail_height:
                end = min(i + 2, len(self.rows))
                break
            h = h + heights[i]
        if self._table is None or self._end != end:
            table = _RegisterTable([self.rows[0], *self.rows[self.start:end]], colWidths=self.widths,
                                   rowHeights=[heights[0], *heights[self.start:end]], repeatRows=1,
                                   normalizedData=1, cellStyles=[self.styles[0], *self.styles[self.start:end]])
            table.setStyle(self.commands)
            self._table, self._end = table, end
        return self._table, end

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        table, _ = self._window(avail_height)
        size: tuple[float, float] = table.wrap(avail_width, avail_height)
        return size

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        table, end = self._window(avail_height)
        pieces: list[Flowable] = table.split(avail_width, avail_height)
        if end == len(self.rows) or not pieces:
            return pieces  # all the rest was in the table: reportlab's own answer
        first, rest = pieces  # this page's rows, and the table's rest (the next window replaces it)
        taken = len(first._cellvalues) - 1  # type: ignore[attr-defined]  # noqa: SLF001  (minus the header)
        return [first, _PagedRows(self.rows, self.heights, self.styles, self.widths, _continued(rest),
                                  self.start + taken)]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803  (reportlab's)
        # Drawn whole only when all the rest fits: the table wrap made of it, as reportlab would draw it.
        assert self._table is not None and self._end == len(self.rows)
        table: Any = self._table
        table.drawOn(canvas, x, y, _sW)


def _continued(rest: Any) -> TableStyle:
    """The commands of a table's rest after a split, for any number of rows.

    reportlab rewrites a table's lines and shading for the part after a split (the grid becomes
    its outer lines and inner grid, the repeated header gets its own); the same commands, with
    "the last row" for whatever row is last, serve every later page's table, as reportlab's rest
    of the rest has them again.
    """
    last = len(rest._cellvalues) - 1  # noqa: SLF001
    assert last >= 2  # the rest holds the row past the page end and one more: row 1 is not the last
    commands = []
    for command in (*rest._bkgrndcmds, *rest._linecmds):  # noqa: SLF001  (what setStyle filed them as)
        (sc, sr), (ec, er) = command[1:3]
        commands.append((command[0], (sc, -1 if sr == last else sr), (ec, -1 if er == last else er), *command[3:]))
    return TableStyle(commands)


def _cell_height(cell: Any, style: Any, width: float) -> float:
    """A cell's height with its padding, as reportlab's ``Table._calc_height`` measures it."""
    if isinstance(cell, Flowable):
        # _listCellGeom for one flowable: its height, with its space before and after taken off again
        avail = (width - style.leftPadding - style.rightPadding, 72000 - style.topPadding - style.bottomPadding)
        vh: float = cell.wrap(*avail)[1]
        sb, sa = cell.getSpaceBefore(), cell.getSpaceAfter()
        t: float = vh + sa + sb - sb - sa
    else:
        t = (style.leading or 1.2 * style.fontsize) * len(str(cell).split("\n"))
    t += style.bottomPadding + style.topPadding
    return t


def _row_height(cells: Sequence[Any], styles: Sequence[Any], widths: Sequence[float]) -> float:
    h = 0.0
    for cell, style, width in zip(cells, styles, widths, strict=True):
        t = _cell_height(cell, style, width)
        if t > h:
            h = t
    return h


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
        return [_CellParagraph(escape(label), self.st["head"]) for label in labels]

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
        heights = [_row_height(self.rows[0], header, self.widths)]
        known: dict[tuple[int, Any], float] = {}  # (column, cell) -> its height: cells recur (CellMaker)
        for cells in self.rows[1:]:
            h = 0.0
            for j, cell in enumerate(cells):
                t = known.get((j, cell))
                if t is None:
                    t = known[j, cell] = _cell_height(cell, line[j], self.widths[j])
                if t > h:
                    h = t
            heights.append(h)
        lines_and_shading = TableStyle([c for c in style if c[0] in ("GRID", "BACKGROUND")])
        return _PagedRows(self.rows, heights, styles, self.widths, lines_and_shading)

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
