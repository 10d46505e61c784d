"""A letter's rows on the type grid, and how they are split across pages.

Every element of a letter occupies whole grid lines (``page_layout``): a row is
one line of text, a blank line, or the title block. A letter is one reportlab
flowable that paginates its own rows, so the rules of GB/T 9704 hold:

* at least two lines of a paragraph stay on each page (widows and orphans);
* a heading stays with the text after it;
* the signature block stays with the last two lines of the body (GB/T 9704
  7.3.5.4 forbids a signature page without text);
* the 版记 (抄送 between two rules) sits at the bottom of the last page, with
  lines of the body carried over to it when it does not fit.

Which row may start a page is decided when the rows are built
(``typesetting``); this module only honours ``break_before``.
"""

from __future__ import annotations

import math

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from .fonts import font_face
from .line_breaking import Line
from .page_layout import (
    LINE_PITCH,
    SMALL_SIZE,
    TEXT_HEIGHT,
    TEXT_WIDTH,
    TITLE_LEADING,
    TITLE_SIZE,
)
from .page_numbers import NumberingCanvas

__all__ = ["BlankRow", "LetterFlowable", "Row", "TextRow", "TitleRow", "VersionRecord"]

_RULE_WIDTH = 0.35 * mm  # the 版记's rules


class Row:
    """One or more whole grid lines of a letter."""

    slots = 1
    blank = False
    break_before = True  # may a page start with this row?

    def draw(self, canv: Canvas, x: float, top: float) -> None:  # pragma: no cover
        pass


class BlankRow(Row):
    blank = True

    def __init__(self, break_before: bool = True) -> None:
        self.break_before = break_before


def _baseline_offset(font: str, size: float, slot: float) -> float:
    """Distance from a slot's top to the baseline that centres the em box in it."""
    face = font_face(font)
    ascent = float(face.ascent) / 1000.0 * size
    descent = -abs(float(face.descent)) / 1000.0 * size
    return (slot - (ascent - descent)) / 2 + ascent


def _draw_line(canv: Canvas, line: Line, x: float, baseline: float) -> None:
    """One text object per line: font runs follow each other as the PDF advances."""
    glyphs = line.glyphs
    if not glyphs:
        return
    gaps = line.gaps
    text = canv.beginText(x + line.x, baseline)
    font: str | None = None
    gap: float | None = None
    i = 0
    while i < len(glyphs):
        if glyphs[i].font != font:
            font = glyphs[i].font
            text.setFont(font, line.size)
        if gaps[i] != gap:
            gap = gaps[i]
            text.setCharSpace(gap)
        j = i + 1
        while j < len(glyphs) and glyphs[j].font == font and gaps[j] == gap:
            j += 1
        text.textOut("".join(g.ch for g in glyphs[i:j]))
        i = j
    text.setCharSpace(0)  # Tc outlives the text object
    canv.drawText(text)


class TextRow(Row):
    """One line of text; ``ref_font`` (the body face) fixes the baseline on the grid."""

    def __init__(self, line: Line, ref_font: str, break_before: bool = True) -> None:
        self.line = line
        self.ref_font = ref_font
        self.break_before = break_before

    def draw(self, canv: Canvas, x: float, top: float) -> None:
        baseline = top - _baseline_offset(self.ref_font, self.line.size, LINE_PITCH)
        _draw_line(canv, self.line, x, baseline)


class TitleRow(Row):
    """The title's lines, centred in as many whole grid lines as they need."""

    break_before = False

    def __init__(self, lines: list[Line], ref_font: str) -> None:
        self.lines = lines
        self.ref_font = ref_font
        content = TITLE_LEADING * len(lines)
        self.slots = max(1, math.ceil(content / LINE_PITCH - 1e-6))
        self._pad = (self.slots * LINE_PITCH - content) / 2

    def draw(self, canv: Canvas, x: float, top: float) -> None:
        y = top - self._pad
        for line in self.lines:
            _draw_line(canv, line, x, y - _baseline_offset(self.ref_font, TITLE_SIZE, TITLE_LEADING))
            y -= TITLE_LEADING


class VersionRecord:
    """版记: 抄送 lines between a thick rule above and below, at the page bottom."""

    def __init__(self, lines: list[Line], ref_font: str) -> None:
        self.lines = lines
        self.ref_font = ref_font
        self.slots = len(lines)

    def draw(self, canv: Canvas, x: float, bottom: float) -> None:
        top = bottom + self.slots * LINE_PITCH
        canv.saveState()
        canv.setLineWidth(_RULE_WIDTH)
        canv.line(x, top, x + TEXT_WIDTH, top)
        canv.line(x, bottom, x + TEXT_WIDTH, bottom)
        canv.restoreState()
        y = top
        for line in self.lines:
            _draw_line(canv, line, x, y - _baseline_offset(self.ref_font, SMALL_SIZE, LINE_PITCH))
            y -= LINE_PITCH


class LetterFlowable(Flowable):
    """One letter (or the part of it still to print): paginates its own rows on the grid.

    ``letter`` is the letter's index in a batch (page numbers count per letter);
    ``outline`` the PDF bookmark of its first page, if any.
    """

    def __init__(
        self,
        rows: list[Row],
        record: VersionRecord | None,
        letter: int,
        outline: str | None = None,
        fill: bool = False,
    ) -> None:
        super().__init__()
        self.rows = rows
        self.record = record
        self.letter = letter
        self.outline = outline
        self.fill = fill  # take the rest of the frame: the text goes on on the next page
        self._height = 0.0

    def _slots(self) -> int:
        return sum(r.slots for r in self.rows) + (self.record.slots if self.record else 0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        height = self._slots() * LINE_PITCH
        if (self.fill or self.record is not None) and height <= availHeight + 1e-3:
            height = availHeight  # a 版记 sits at the page's bottom
        self._height = height
        return TEXT_WIDTH, height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803 - reportlab's names
        capacity = int(availHeight / LINE_PITCH + 1e-3)
        rows = self.rows
        used = 0
        fits = 0  # number of leading rows that fit
        for r in rows:
            if used + r.slots > capacity:
                break
            used += r.slots
            fits += 1
        if not rows:
            return []  # a 版记 alone: on the next page
        only_record_left = fits == len(rows)
        if only_record_left:  # carry the last lines over with the 版记, if the rules allow
            fits -= 1
        cut = fits
        while cut > 0 and not rows[cut].break_before:
            cut -= 1
        if cut == 0:
            if only_record_left:  # the 版记 gets a page of its own
                return [
                    LetterFlowable(rows, None, self.letter, self.outline, fill=True),
                    LetterFlowable([], self.record, self.letter),
                ]
            if availHeight < TEXT_HEIGHT - 1e-3:
                return []  # try again on a fresh page
            cut = max(fits, 1)  # no allowed break on a whole page: cut where it is full
        rest = rows[cut:]
        while rest and rest[0].blank:
            rest = rest[1:]
        return [
            LetterFlowable(rows[:cut], None, self.letter, self.outline, fill=True),
            LetterFlowable(rest, self.record, self.letter),
        ]

    def draw(self) -> None:
        canv = self.canv
        if isinstance(canv, NumberingCanvas):
            canv.rd_letter = self.letter  # pages are numbered per letter
        if self.outline is not None:
            key = f"letter{self.letter}"
            canv.bookmarkPage(key)
            canv.addOutlineEntry(self.outline, key, level=0)
        top = self._height
        for r in self.rows:
            r.draw(canv, 0.0, top)
            top -= r.slots * LINE_PITCH
        if self.record is not None:
            self.record.draw(canv, 0.0, 0.0)
