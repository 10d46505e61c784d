"""The register PDF's table: its cells, their drawing, and its pagination (``pdf_table`` uses it).

reportlab's general table cost the register 3 s per 1,000 lines: every cell a
paragraph parsed and laid out three times and drawn through a text object and two
graphics states, every cell its own style object, and at each page end all the
rest of the section copied, re-styled and measured again. Here each distinct
cell text is made once per column (``CellMaker``), row heights are worked out once
(``row_height``), reportlab gets one page's rows at a time (``PagedRows``), and
cells are written into the page as reportlab writes them (``RegisterTable``). The
pages are reportlab's own, byte for byte (tests/core/test_register_writers.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, LongTable, Paragraph, TableStyle
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaParser

from request_desk.core.letters.fonts import BODY

if TYPE_CHECKING:
    from request_desk.core.reports.pdf_table import _Fonts

PADDING = 1.5  # left and right padding of a cell, points (pdf_table's grid)


# How Paragraph.drawPara draws one line of a paragraph in one font, by alignment.
LINE_DRAWERS: dict[Any, Any] = {TA_LEFT: vars(rl_paragraph)["_leftDrawParaLine"],
                                 TA_CENTER: vars(rl_paragraph)["_centerDrawParaLine"]}


class CellParagraph(Paragraph):
    """A table cell's paragraph, laid out once.

    reportlab's table lays out every cell to measure its row, again when it
    splits the table at a page end, and again to draw it: three line breakings
    per cell. A cell's width never changes, so the first serves all three.
    """

    _laid_out: tuple[float, tuple[float, float]] | None = None
    _simple: list[tuple[float, list[str]]] | None = None
    _simple_known = False
    drawn_as: tuple[Any, str, str] | None = None  # (canvas, colour, text object), by RegisterTable

    def simple_lines(self) -> list[tuple[float, list[str]]] | None:
        """The laid-out lines if ``RegisterTable`` may draw them itself (``_draw_paragraph``), else ``None``.

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
        if (layout.kind == 0 and layout.lines and style.alignment in LINE_DRAWERS
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


class Blank(Flowable):
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
            return BLANK if isinstance(p, CellParagraph) else p
        if len(p.frags) > 1 or not isinstance(p, CellParagraph):
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
            return CellParagraph("", self.style, frags=[])  # (drawn as ``Blank``)
        if len(runs) == 1 and runs[0][0] == self.fonts.body:
            run = runs[0][1]
            if not ("&" in run or "<" in run or ">" in run) and cleanBlockQuotedText(run) == run:
                return CellParagraph(run, self.style, frags=[self._frag.clone(text=run, link=[], us_lines=[])])
        return Paragraph(self.fonts.runs_markup(runs, BODY), self.style)


BLANK = Blank()


class RegisterTable(LongTable):
    """The register's table: measured once per page, string cells drawn without text objects.

    reportlab draws each string cell with ``canvas.drawString``, which builds
    a text object, sets its origin and encodes the text for the embedded font
    subset: about half of a register page's drawing. Here the same operators
    (``BT … Tm <font, text> T* ET``) are written straight into the page, the
    encoded text kept per font and text (a date, 是/否, a unit's number of days
    recur on every page); an empty cell (``Blank``) only sets the cell's
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
        blank = cellval is BLANK
        fast = (type(cellval) is str and "\n" not in cellval) or (
            type(cellval) is CellParagraph and cellval.simple_lines() is not None)
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
        if type(cellval) is CellParagraph:
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
    def _draw_paragraph(canv: Any, p: CellParagraph, cellstyle: Any, pos: tuple[float, float],
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
            draw_line = LINE_DRAWERS[p.style.alignment]
            for extra, words in lines:
                draw_line(tx, 0, extra, words, False)  # reportlab's own, as drawPara calls it
            colour = layout.textColor
            drawn = p.drawn_as = (canv, f"{fp_str((colour.red, colour.green, colour.blue))} rg", tx.getCode())
        code = canv._code  # noqa: SLF001
        code += ("q", f"{fp_str(1, 0, 0, 1, x, y)} cm", "q", drawn[1], drawn[2], "Q", "Q")


class PagedRows(Flowable):
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
        self._table: RegisterTable | None = None
        self._end = 0

    def _window(self, avail_height: float) -> tuple[RegisterTable, int]:
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
            table = RegisterTable([self.rows[0], *self.rows[self.start:end]], colWidths=self.widths,
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
        return [first, PagedRows(self.rows, self.heights, self.styles, self.widths, continued_style(rest),
                                  self.start + taken)]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803  (reportlab's)
        # Drawn whole only when all the rest fits: the table wrap made of it, as reportlab would draw it.
        assert self._table is not None and self._end == len(self.rows)
        table: Any = self._table
        table.drawOn(canvas, x, y, _sW)


def continued_style(rest: Any) -> TableStyle:
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


def cell_height(cell: Any, style: Any, width: float) -> float:
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


def row_height(cells: Sequence[Any], styles: Sequence[Any], widths: Sequence[float]) -> float:
    h = 0.0
    for cell, style, width in zip(cells, styles, widths, strict=True):
        t = cell_height(cell, style, width)
        if t > h:
            h = t
    return h
