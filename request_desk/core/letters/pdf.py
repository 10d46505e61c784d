"""PDF rendering of official letters (答复书, 告知书 …) after GB/T 9704-2012.

Page: A4; top margin 37 mm, binding (left) margin 28 mm, text block
156 × 225 mm. The text block is a grid of 22 lines × 28 characters: body text
is 3号 (16 pt) 仿宋 set on a character pitch of 156 mm / 28 (the 16 pt glyphs
are tightened by 0.2 pt, as Word's document grid does) and a line pitch of
225 mm / 22. Every element occupies whole grid lines, so body lines sit at the
same heights on every page.

Elements, top to bottom:

* title — 2号 (22 pt) 小标宋-style, centred; a long title is split into
  balanced lines (a ``\\n`` in the title forces the break);
* document number — body face, right-aligned on the line under the title;
* one blank line, then the salutation flush left (主送机关 居左顶格);
* body paragraphs — first line indented two characters, justified. A
  paragraph starting with ``一、`` is a first-level heading (黑体), one starting
  with ``（一）`` a second-level heading (楷体; the bundled fonts have no 楷体,
  so the body face stands in). When the heading sentence ends with ``。`` and
  text follows, only the heading sentence takes the heading face;
* two blank lines (room for the seal), then the signature: the last line (the
  date) ends four characters from the right edge, the lines above it (the
  agency) are centred over it (GB/T 9704 7.3.5.1, sealed letters);
* contact and footer note — on the lines under the date, indented two
  characters (附注 position);
* ``cc`` — 抄送 in 4号 (14 pt) between rules at the bottom of the last page
  (版记).

Line breaking follows the Chinese rules: no line starts with closing
punctuation (，。、；：？！）》”…) and none ends with opening punctuation
(（《“…); the offending character is pushed to the next line with its
neighbour and the shortened line is justified. Runs of Latin letters and
digits (``2026``, ``0527-12345678``) are not split. "——" and "……" stay whole.

Page breaks keep at least two lines of a paragraph on each page, keep a
heading with the text after it, and keep the signature block with the last two
lines of the body (GB/T 9704 7.3.5.4 forbids a signature page without text).

Page numbers "— 1 —" (4号 宋体-style, digits half-width) sit 7 mm below the
text block, one character in from the outer edge (odd pages right, even pages
left). By default (``page_numbers="auto"``) only letters of two or more pages
are numbered; ``"always"`` and ``"never"`` are available. In a batch each
letter is numbered on its own.

Fonts come from ``fonts.load_letter_fonts``; each character is drawn with the
first font in its role's chain that has it. A character that no font has
makes rendering raise ``MissingGlyphError`` (listing every such character
and where it is) before anything is written, unless ``allow_missing=True``
(then it prints as the font's empty box and is listed in
``RenderInfo.missing_glyphs``). ``check_letter`` runs the same check without
rendering.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import BinaryIO, Literal

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate

from request_desk.core.errors import DeskError

from . import fonts as _fonts
from .fonts import LetterFonts, UsedFont, clean_text, load_letter_fonts

__all__ = [
    "LetterDocument",
    "MissingGlyph",
    "MissingGlyphError",
    "RenderInfo",
    "check_letter",
    "install_cjk_line_rules",
    "render_letter",
    "render_letters",
    "PAGE_SIZE",
    "MARGIN_TOP",
    "MARGIN_LEFT",
    "TEXT_WIDTH",
    "TEXT_HEIGHT",
    "LINES_PER_PAGE",
    "CHARS_PER_LINE",
    "BODY_SIZE",
    "LINE_PITCH",
    "CHAR_PITCH",
]

# --------------------------------------------------------------------------
# GB/T 9704-2012 geometry
# --------------------------------------------------------------------------

PAGE_SIZE = A4
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_TOP = 37 * mm
MARGIN_LEFT = 28 * mm
TEXT_WIDTH = 156 * mm
TEXT_HEIGHT = 225 * mm
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
BODY_SIZE = 16.0  # 3号
TITLE_SIZE = 22.0  # 2号
SMALL_SIZE = 14.0  # 4号: page numbers, 版记
LINE_PITCH = TEXT_HEIGHT / LINES_PER_PAGE  # ≈ 28.99 pt
CHAR_PITCH = TEXT_WIDTH / CHARS_PER_LINE  # ≈ 15.79 pt
TITLE_LEADING = 1.25 * LINE_PITCH  # between the lines of a multi-line title
TEXT_BOTTOM = PAGE_HEIGHT - MARGIN_TOP - TEXT_HEIGHT  # y of the text block's lower edge
PAGE_NUMBER_GAP = 7 * mm  # 一字线上距版心下边缘 7 mm
SEAL_BLANK_LINES = 2  # blank lines between the body and the signature
SIGNATURE_RIGHT_CHARS = 4  # 成文日期右空四字

# --------------------------------------------------------------------------
# Line-breaking rules
# --------------------------------------------------------------------------

CANNOT_START = (
    "，。、；：？！）》」』”’】〕〗〙〛〉｝］％‰℃°．"
    ",.;:?!)]}%"
)
CANNOT_END = "（《「『“‘【〔〖〘〚〈｛［(<[{"
_UNSPLITTABLE_PAIRS = "—…"

_CN_CLOSING_FOR_REPORTLAB = "，。、；：？！）》」』”’】〕〗〙〛〉｝］％‰℃"


def install_cjk_line_rules() -> None:
    """Teach reportlab's own CJK wrapping (``wordWrap='CJK'``) the Chinese closing marks.

    Adds them to both ``reportlab.lib.textsplit.ALL_CANNOT_START`` and
    ``reportlab.platypus.paragraph.ALL_CANNOT_START`` (a copy made at import),
    once; calling again changes nothing. The letter layout below uses its own
    breaker with the same rules, so this matters for any other ``Paragraph``
    the app draws with ``wordWrap='CJK'``.
    """
    import reportlab.lib.textsplit as textsplit
    import reportlab.platypus.paragraph as paragraph

    for module in (textsplit, paragraph):
        current = module.ALL_CANNOT_START
        extra = "".join(c for c in _CN_CLOSING_FOR_REPORTLAB if c not in current)
        if extra:
            module.ALL_CANNOT_START = current + extra


# --------------------------------------------------------------------------
# Public data types
# --------------------------------------------------------------------------


def _tuple(value: Iterable[str] | str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


@dataclass(frozen=True)
class LetterDocument:
    """The final text of one letter, as the clerk approved it.

    ``body`` holds the paragraphs (a ``\\n`` inside one also starts a new
    paragraph; leading spaces/全角空格 are dropped since indentation is
    automatic). ``signature`` is the agency name line(s) then the date.
    ``author`` (PDF metadata) defaults to the first signature line.
    Lists are stored as tuples.
    """

    title: str
    doc_number: str | None = None
    salutation: str | None = None
    body: Sequence[str] = ()
    signature: Sequence[str] = ()
    contact: str | None = None
    footer_note: str | None = None
    cc: str | None = None
    author: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "body", _tuple(self.body))
        object.__setattr__(self, "signature", _tuple(self.signature))


_FIELD_LABELS = {
    "title": "标题",
    "doc_number": "文号",
    "salutation": "称呼",
    "contact": "联系方式",
    "footer_note": "附注",
    "cc": "抄送",
}


@dataclass(frozen=True)
class MissingGlyph:
    """A character that no available font can print, and where it is."""

    char: str
    field: str  # "title", "body[2]", "signature[0]", "contact", …
    offset: int  # index of the character in that field's text
    letter: int = 0  # index of the letter in a batch

    @property
    def codepoint(self) -> str:
        return f"U+{ord(self.char):04X}"

    def where(self) -> str:
        m = re.fullmatch(r"(body|signature)\[(\d+)\]", self.field)
        if m:
            kind = "正文第{}段" if m.group(1) == "body" else "落款第{}行"
            place = kind.format(int(m.group(2)) + 1)
        else:
            place = _FIELD_LABELS.get(self.field, self.field)
        prefix = f"第{self.letter + 1}份文书" if self.letter else ""
        return f"{prefix}{place}第{self.offset + 1}字"

    def __str__(self) -> str:
        return f"“{self.char}”（{self.codepoint}）位于{self.where()}"


class MissingGlyphError(DeskError):
    """Rendering refused: some characters have no glyph in any available font."""

    def __init__(self, missing: Sequence[MissingGlyph]) -> None:
        self.missing = list(missing)
        listed = "；".join(str(m) for m in self.missing[:10])
        more = f"等{len(self.missing)}处" if len(self.missing) > 10 else ""
        super().__init__(
            f"字体缺字，无法打印：{listed}{more}。请安装含这些字的字体（放入字体目录），"
            "或改用其他写法后再打印。"
        )


@dataclass(frozen=True)
class RenderInfo:
    page_count: int
    letter_page_counts: tuple[int, ...]  # pages of each letter, in order
    fonts_used: tuple[UsedFont, ...]
    fallback_chars: tuple[tuple[str, str], ...]  # (char, family) drawn with a fallback font
    missing_glyphs: tuple[MissingGlyph, ...] = ()  # only with allow_missing=True


PageNumbers = Literal["auto", "always", "never"]

# --------------------------------------------------------------------------
# Shaping: characters → glyphs with fonts and widths
# --------------------------------------------------------------------------


@dataclass
class _Glyph:
    ch: str
    font: str
    width: float  # natural advance at the run's size


class _Shaper:
    """Resolves fonts per character, measures, and records misses and fallbacks."""

    def __init__(self, fonts: LetterFonts, letter: int) -> None:
        self.fonts = fonts
        self.letter = letter
        self.missing: list[MissingGlyph] = []
        self.used: set[str] = set()
        self.fallbacks: dict[str, str] = {}
        self._width_cache: dict[tuple[str, str], float] = {}

    def shape(self, text: str, role: str, size: float, field: str, base: int = 0) -> list[_Glyph]:
        primary = self.fonts.font_name(role)
        out: list[_Glyph] = []
        for i, ch in enumerate(text):
            font = self.fonts.font_for_char(role, ch)
            if font is None:
                self.missing.append(MissingGlyph(ch, field, base + i, self.letter))
                font = primary
            elif font != primary:
                self.fallbacks.setdefault(ch, font)
            self.used.add(font)
            key = (font, ch)
            w = self._width_cache.get(key)
            if w is None:
                w = self._width_cache[key] = pdfmetrics.stringWidth(ch, font, 1000.0) / 1000.0
            out.append(_Glyph(ch, font, w * size))
        return out


# --------------------------------------------------------------------------
# Line breaking
# --------------------------------------------------------------------------


def _is_wordish(ch: str) -> bool:
    """Latin letters, digits and ASCII punctuation that glue into one word."""
    return "!" <= ch <= "~" or ch.isalnum() and ord(ch) < 0x2E80


def _can_break(glyphs: Sequence[_Glyph], i: int) -> bool:
    """May a line end between ``glyphs[i-1]`` and ``glyphs[i]``?"""
    prev, cur = glyphs[i - 1].ch, glyphs[i].ch
    if cur in CANNOT_START or prev in CANNOT_END:
        return False
    if prev == cur and cur in _UNSPLITTABLE_PAIRS:
        return False
    if _is_wordish(prev) and _is_wordish(cur):
        return False
    return True


@dataclass
class _Line:
    glyphs: list[_Glyph]
    x: float  # start offset from the text block's left edge
    gaps: list[float]  # space after each glyph (grid compression + justification)
    size: float


def _advance(glyphs: Sequence[_Glyph], gap: float) -> float:
    """Width of the glyphs' cells: each glyph advances by its width plus ``gap``."""
    return sum(g.width for g in glyphs) + gap * len(glyphs)


def _break(
    glyphs: list[_Glyph], widths: Callable[[int], float], tighten: float
) -> list[tuple[int, int, bool]]:
    """Split ``glyphs`` into lines: (start, end, ended_by_wrap) triples.

    ``widths(n)`` is the room on line ``n``; every glyph advances by its width
    plus ``tighten`` (negative: the grid compression).
    """
    lines: list[tuple[int, int, bool]] = []
    n = len(glyphs)
    start = 0
    while start < n:
        if lines:
            while start < n and glyphs[start].ch == " ":
                start += 1
            if start >= n:
                break
        room = widths(len(lines)) + 1e-3
        x = 0.0
        end = start
        while end < n:
            w = glyphs[end].width + tighten
            if x + w > room and glyphs[end].ch != " ":
                break
            x += w
            end += 1
        if end >= n:
            lines.append((start, n, False))
            break
        # Push characters to the next line until the break is allowed.
        brk = end
        while brk > start + 1 and not _can_break(glyphs, brk):
            brk -= 1
        if brk <= start or not _can_break(glyphs, brk):
            # Nowhere to break inside the line: let one closing mark hang in
            # the margin, else cut where the line is full.
            if glyphs[end].ch in CANNOT_START and (end + 1 >= n or _can_break(glyphs, end + 1)):
                brk = end + 1
            else:
                brk = max(end, start + 1)
        lines.append((start, brk, True))
        start = brk
    return lines


def _layout_paragraph(
    glyphs: list[_Glyph],
    size: float,
    *,
    first_indent: float = 0.0,
    indent: float = 0.0,
    right_indent: float = 0.0,
    align: str = "justify",
    tighten: float | None = None,
) -> list[_Line]:
    """Lay ``glyphs`` out on the text width; returns one ``_Line`` per line."""
    if tighten is None:
        tighten = CHAR_PITCH - BODY_SIZE if size == BODY_SIZE else 0.0
    full = TEXT_WIDTH - indent - right_indent

    def room(n: int) -> float:
        return full - (first_indent if n == 0 else 0.0)

    out: list[_Line] = []
    for k, (s, e, wrapped) in enumerate(_break(glyphs, room, tighten)):
        line = glyphs[s:e]
        while line and line[-1].ch == " ":
            line = line[:-1]
        x0 = indent + (first_indent if k == 0 else 0.0)
        natural = _advance(line, tighten)
        gaps = [tighten] * len(line)
        x = x0
        avail = room(k)
        if align == "justify" and wrapped and len(line) > 1:
            # Spread the slack over the gaps so the last cell ends at the edge
            # (a hanging mark makes it negative: the line is squeezed instead);
            # letters and digits of one word keep their natural spacing.
            stretchable = [
                i
                for i in range(len(line) - 1)
                if not (_is_wordish(line[i].ch) and _is_wordish(line[i + 1].ch))
            ]
            if stretchable:
                extra = (avail - natural) / len(stretchable)
                if extra <= size * 0.5:  # a very loose line is left ragged instead
                    for i in stretchable:
                        gaps[i] += extra
        elif align == "center":
            x = x0 + (avail - natural) / 2
        elif align == "right":
            x = x0 + avail - natural
        out.append(_Line(line, x, gaps, size))
    return out


def _balanced_title(glyphs: list[_Glyph]) -> list[list[_Glyph]]:
    """Split a title into the fewest lines, as even in length as the rules allow."""
    total = _advance(glyphs, 0.0)
    if total <= TEXT_WIDTH + 1e-3:
        return [glyphs]
    k = math.ceil(total / TEXT_WIDTH)
    target = total / k
    while True:
        lines = _break(glyphs, lambda n, room=target: room, 0.0)
        if len(lines) <= k or target >= TEXT_WIDTH:
            break
        target = min(TEXT_WIDTH, target + TITLE_SIZE / 2)
    return [glyphs[s:e] for s, e, _ in lines]


# --------------------------------------------------------------------------
# Rows: everything occupies whole grid lines
# --------------------------------------------------------------------------


class _Row:
    slots = 1
    blank = False
    break_before = True  # may a page start with this row?

    def draw(self, canv: Canvas, x: float, top: float) -> None:  # pragma: no cover
        pass


class _BlankRow(_Row):
    blank = True

    def __init__(self, break_before: bool = True) -> None:
        self.break_before = break_before


def _baseline_offset(font: str, size: float, slot: float) -> float:
    """Distance from a slot's top to the baseline that centres the em box in it."""
    face = pdfmetrics.getFont(font).face
    ascent = face.ascent / 1000.0 * size
    descent = -abs(face.descent) / 1000.0 * size
    return (slot - (ascent - descent)) / 2 + ascent


def _draw_line(canv: Canvas, line: _Line, x: float, baseline: float) -> None:
    """One text object per line: font runs follow each other as the PDF advances."""
    glyphs = line.glyphs
    if not glyphs:
        return
    gaps = line.gaps
    text = canv.beginText(x + line.x, baseline)
    font = gap = None
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


class _TextRow(_Row):
    def __init__(self, line: _Line, ref_font: str, break_before: bool = True) -> None:
        self.line = line
        self.ref_font = ref_font
        self.break_before = break_before

    def draw(self, canv: Canvas, x: float, top: float) -> None:
        baseline = top - _baseline_offset(self.ref_font, self.line.size, LINE_PITCH)
        _draw_line(canv, self.line, x, baseline)


class _TitleRow(_Row):
    break_before = False

    def __init__(self, lines: list[_Line], ref_font: str) -> None:
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


class _VersionRecord:
    """版记: 抄送 lines between a thick rule above and below, at the page bottom."""

    def __init__(self, lines: list[_Line], ref_font: str) -> None:
        self.lines = lines
        self.ref_font = ref_font
        self.slots = len(lines)

    def draw(self, canv: Canvas, x: float, bottom: float) -> None:
        top = bottom + self.slots * LINE_PITCH
        canv.saveState()
        canv.setLineWidth(0.35 * mm)
        canv.line(x, top, x + TEXT_WIDTH, top)
        canv.line(x, bottom, x + TEXT_WIDTH, bottom)
        canv.restoreState()
        y = top
        for line in self.lines:
            _draw_line(canv, line, x, y - _baseline_offset(self.ref_font, SMALL_SIZE, LINE_PITCH))
            y -= LINE_PITCH


# --------------------------------------------------------------------------
# The letter flowable: paginates its own rows on the grid
# --------------------------------------------------------------------------


class _LetterFlowable(Flowable):
    def __init__(
        self,
        rows: list[_Row],
        record: _VersionRecord | None,
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

    def _slots(self) -> int:
        return sum(r.slots for r in self.rows) + (self.record.slots if self.record else 0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        height = self._slots() * LINE_PITCH
        if (self.fill or self.record is not None) and height <= availHeight + 1e-3:
            height = availHeight  # a 版记 sits at the page's bottom
        self._height = height
        return TEXT_WIDTH, height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
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
                    _LetterFlowable(rows, None, self.letter, self.outline, fill=True),
                    _LetterFlowable([], self.record, self.letter),
                ]
            if availHeight < TEXT_HEIGHT - 1e-3:
                return []  # try again on a fresh page
            cut = max(fits, 1)  # no allowed break on a whole page: cut where it is full
        rest = rows[cut:]
        while rest and rest[0].blank:
            rest = rest[1:]
        return [
            _LetterFlowable(rows[:cut], None, self.letter, self.outline, fill=True),
            _LetterFlowable(rest, self.record, self.letter),
        ]

    def draw(self) -> None:
        canv = self.canv
        canv._rd_letter = self.letter  # type: ignore[attr-defined]
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


# --------------------------------------------------------------------------
# Building rows from a LetterDocument
# --------------------------------------------------------------------------

_H1_RE = re.compile(r"^[一二三四五六七八九十百零〇]+、")
_H2_RE = re.compile(r"^[（(][一二三四五六七八九十百零〇]+[）)]")
_LEADING_SPACE_RE = re.compile(r"^[\s\u3000]+")


def _paragraphs(texts: Iterable[str]) -> list[tuple[int, int, str]]:
    """(field index, offset in field, text) for each printed paragraph."""
    out = []
    for idx, raw in enumerate(texts):
        offset = 0
        for part in raw.split("\n"):
            stripped = _LEADING_SPACE_RE.sub("", part)
            lead = len(part) - len(stripped)
            text = clean_text(stripped).rstrip()
            if text:
                out.append((idx, offset + lead, text))
            offset += len(part) + 1
    return out


def _heading_split(text: str) -> tuple[str | None, int]:
    """(role, length of the heading part) for a heading paragraph, else (None, 0)."""
    if _H1_RE.match(text):
        role = _fonts.HEADING
    elif _H2_RE.match(text):
        role = _fonts.SUBHEADING
    else:
        return None, 0
    stop = text.find("。")
    if 0 <= stop < len(text) - 1:
        return role, stop + 1
    return role, len(text)


def _rows_for_paragraph(lines: list[_Line], ref_font: str, *, keep_first: bool = False) -> list[_Row]:
    """Rows for a paragraph, with widow/orphan control (≥ 2 lines on each side of a break)."""
    n = len(lines)
    rows: list[_Row] = []
    for i, line in enumerate(lines):
        if i == 0:
            ok = not keep_first
        else:
            ok = i >= 2 and n - i >= 2
        rows.append(_TextRow(line, ref_font, break_before=ok))
    return rows


def _build_rows(doc: LetterDocument, shaper: _Shaper) -> tuple[list[_Row], _VersionRecord | None]:
    fonts = shaper.fonts
    body_font = fonts.font_name(_fonts.BODY)
    title_font = fonts.font_name(_fonts.TITLE)
    rows: list[_Row] = []

    # Title
    title = clean_text(doc.title).strip()
    if title:
        parts = [p.strip() for p in title.split("\n") if p.strip()]
        offset = 0
        title_lines: list[_Line] = []
        for part in parts:
            base = title.find(part, offset)
            offset = base + len(part)
            glyphs = shaper.shape(part, _fonts.TITLE, TITLE_SIZE, "title", base)
            for chunk in _balanced_title(glyphs):
                title_lines += _layout_paragraph(chunk, TITLE_SIZE, align="center", tighten=0.0)
        rows.append(_TitleRow(title_lines, title_font))

    if doc.doc_number and clean_text(doc.doc_number).strip():
        number = clean_text(doc.doc_number).strip()
        glyphs = shaper.shape(number, _fonts.BODY, BODY_SIZE, "doc_number")
        for line in _layout_paragraph(glyphs, BODY_SIZE, align="right"):
            rows.append(_TextRow(line, body_font, break_before=False))

    if rows:
        rows.append(_BlankRow(break_before=False))

    if doc.salutation and clean_text(doc.salutation).strip():
        text = clean_text(doc.salutation).strip()
        glyphs = shaper.shape(text, _fonts.BODY, BODY_SIZE, "salutation")
        lines = _layout_paragraph(glyphs, BODY_SIZE)
        rows += [_TextRow(line, body_font, break_before=False) for line in lines]

    # Body
    first_indent = 2 * CHAR_PITCH
    paragraphs = _paragraphs(doc.body)
    keep_next = True  # the first paragraph stays with the salutation
    for idx, offset, text in paragraphs:
        role, cut = _heading_split(text)
        field_name = f"body[{idx}]"
        if role is None:
            glyphs = shaper.shape(text, _fonts.BODY, BODY_SIZE, field_name, offset)
        else:
            glyphs = shaper.shape(text[:cut], role, BODY_SIZE, field_name, offset)
            glyphs += shaper.shape(text[cut:], _fonts.BODY, BODY_SIZE, field_name, offset + cut)
        lines = _layout_paragraph(glyphs, BODY_SIZE, first_indent=first_indent)
        rows += _rows_for_paragraph(lines, body_font, keep_first=keep_next)
        keep_next = role is not None and cut == len(text)  # a standalone heading

    # Signature: agency centred over the date, the date 4 characters from the right
    signature = [clean_text(s).strip() for s in doc.signature]
    signature = [s for s in signature if s]
    tail: list[_Row] = []
    if signature:
        tail += [_BlankRow(break_before=False) for _ in range(SEAL_BLANK_LINES)]
        shaped = [
            shaper.shape(s, _fonts.BODY, BODY_SIZE, f"signature[{i}]")
            for i, s in enumerate(doc.signature)
            if clean_text(s).strip()
        ]
        tighten = CHAR_PITCH - BODY_SIZE
        date_w = _advance(shaped[-1], tighten)
        date_right = TEXT_WIDTH - SIGNATURE_RIGHT_CHARS * CHAR_PITCH
        centre = date_right - date_w / 2
        for glyphs in shaped:
            w = _advance(glyphs, tighten)
            x = min(max(centre - w / 2, 0.0), TEXT_WIDTH - w)
            if glyphs is shaped[-1]:
                x = max(date_right - w, 0.0)
            line = _Line(glyphs, x, [tighten] * len(glyphs), BODY_SIZE)
            tail.append(_TextRow(line, body_font, break_before=False))

    for name in ("contact", "footer_note"):
        value = getattr(doc, name)
        if value and clean_text(value).strip():
            text = clean_text(value).strip()
            if not tail:
                tail.append(_BlankRow(break_before=False))
            glyphs = shaper.shape(text, _fonts.BODY, BODY_SIZE, name)
            lines = _layout_paragraph(glyphs, BODY_SIZE, first_indent=2 * CHAR_PITCH)
            tail += [_TextRow(line, body_font, break_before=False) for line in lines]

    if tail:
        # keep the signature with the last two lines of the body
        text_rows = [i for i, r in enumerate(rows) if isinstance(r, _TextRow)]
        for i in text_rows[-1:]:
            rows[i].break_before = False
        rows += tail

    record = None
    if doc.cc and clean_text(doc.cc).strip():
        cc = re.sub(r"^抄送[：:]\s*", "", clean_text(doc.cc).strip())
        if not cc.endswith("。"):
            cc += "。"
        small_font = fonts.font_name(_fonts.BODY)
        label = shaper.shape("抄送：", _fonts.BODY, SMALL_SIZE, "cc")
        glyphs = shaper.shape(cc, _fonts.BODY, SMALL_SIZE, "cc")
        label_w = _advance(label, 0.0)
        lines = _layout_paragraph(
            label + glyphs,
            SMALL_SIZE,
            first_indent=-label_w,
            indent=SMALL_SIZE + label_w,
            right_indent=SMALL_SIZE,
            tighten=0.0,
        )
        record = _VersionRecord(lines, small_font)
    return rows, record


# --------------------------------------------------------------------------
# Canvas with deferred page numbers and no stray Helvetica
# --------------------------------------------------------------------------


class _LetterCanvas(Canvas):
    """Holds pages back until the end so each letter's page count is known."""

    def __init__(self, *args, page_numbers: PageNumbers, number_font: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._rd_mode = page_numbers
        self._rd_font = number_font
        self._rd_letter = 0
        self._rd_states: list[dict] = []
        self._rd_letters: list[int] = []
        self.rd_page_count = 0
        self.rd_counts: list[int] = []
        self.rd_numbered = False

    def showPage(self) -> None:
        self._rd_states.append(dict(self.__dict__))
        self._rd_letters.append(self._rd_letter)
        self._startPage()

    def save(self) -> None:
        states, letters = self._rd_states, self._rd_letters
        totals = Counter(letters)
        seen: Counter[int] = Counter()
        numbered = False
        for state, letter in zip(states, letters, strict=True):
            self.__dict__.update(state)  # restores this page's content stream
            seen[letter] += 1
            if self._rd_mode == "always" or (self._rd_mode == "auto" and totals[letter] > 1):
                self._draw_page_number(seen[letter])
                numbered = True
            Canvas.showPage(self)
        Canvas.save(self)
        self.rd_page_count = len(states)
        self.rd_counts = [totals[k] for k in sorted(totals)]
        self.rd_numbered = numbered

    def _draw_page_number(self, number: int) -> None:
        text = f"— {number} —"
        self.setFont(self._rd_font, SMALL_SIZE)
        width = pdfmetrics.stringWidth(text, self._rd_font, SMALL_SIZE)
        # the dashes' top edge 7 mm below the text block
        y = TEXT_BOTTOM - PAGE_NUMBER_GAP - _DASH_TOP * SMALL_SIZE
        if number % 2:
            x = MARGIN_LEFT + TEXT_WIDTH - SMALL_SIZE - width
        else:
            x = MARGIN_LEFT + SMALL_SIZE
        self.drawString(x, y, text)


_DASH_TOP = 0.29  # top of "—" above the baseline, in em (Noto Serif SC: 0.293)


# --------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------


def _layout(docs: Sequence[LetterDocument], fonts: LetterFonts, outline: bool):
    install_cjk_line_rules()
    flowables: list[Flowable] = []
    missing: list[MissingGlyph] = []
    used: set[str] = set()
    fallbacks: dict[str, str] = {}
    for i, doc in enumerate(docs):
        shaper = _Shaper(fonts, i)
        rows, record = _build_rows(doc, shaper)
        missing += shaper.missing
        used |= shaper.used
        for ch, font in shaper.fallbacks.items():
            fallbacks.setdefault(ch, font)
        if i:
            flowables.append(PageBreak())
        label = None
        if outline:
            label = " ".join(x for x in (doc.doc_number, doc.title.replace("\n", "")) if x)
        flowables.append(_LetterFlowable(rows, record, i, label))
    return flowables, missing, used, fallbacks


def check_letter(doc: LetterDocument, fonts: LetterFonts | None = None) -> list[MissingGlyph]:
    """Characters of ``doc`` that no available font can print (empty when all is well)."""
    fonts = fonts or load_letter_fonts()
    return _layout([doc], fonts, False)[1]


def _metadata_text(s: str | None) -> str | None:
    return clean_text(s).replace("\n", "") if s else None


def render_letters(
    docs: Sequence[LetterDocument],
    path_or_file: str | os.PathLike[str] | BinaryIO,
    *,
    fonts: LetterFonts | None = None,
    page_numbers: PageNumbers = "auto",
    allow_missing: bool = False,
    title: str | None = None,
) -> RenderInfo:
    """Render several letters into one PDF, each starting on a new page.

    Page numbers count within each letter. A batch of more than one letter
    gets a PDF outline entry per letter. Raises ``MissingGlyphError`` (before
    writing anything) when a character has no glyph in any font, unless
    ``allow_missing``.
    """
    docs = list(docs)
    if not docs:
        raise ValueError("no letters to render")
    if page_numbers not in ("auto", "always", "never"):
        raise ValueError(f"page_numbers must be 'auto', 'always' or 'never', not {page_numbers!r}")
    fonts = fonts or load_letter_fonts()
    flowables, missing, used, fallbacks = _layout(docs, fonts, outline=len(docs) > 1)
    if missing and not allow_missing:
        raise MissingGlyphError(missing)

    body_font = fonts.font_name(_fonts.BODY)
    number_font = fonts.font_name(_fonts.PAGE_NUMBER)
    first = docs[0]
    authors = {d.author or (d.signature[0] if d.signature else None) for d in docs}
    author = authors.pop() if len(authors) == 1 else None
    if title is None:
        title = first.title if len(docs) == 1 else f"{first.title}等{len(docs)}份文书"
    if isinstance(path_or_file, os.PathLike):
        path_or_file = os.fspath(path_or_file)

    template = BaseDocTemplate(
        path_or_file,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN_LEFT,
        rightMargin=PAGE_WIDTH - MARGIN_LEFT - TEXT_WIDTH,
        topMargin=MARGIN_TOP,
        bottomMargin=TEXT_BOTTOM,
        title=_metadata_text(title),
        author=_metadata_text(author),
        subject=_metadata_text(first.doc_number) if len(docs) == 1 else None,
        creator="Request Desk",
        lang="zh-CN",
        displayDocTitle=True,
        initialFontName=body_font,  # no unused, unembedded Helvetica in the PDF
        initialFontSize=BODY_SIZE,
    )
    frame = Frame(
        MARGIN_LEFT,
        TEXT_BOTTOM,
        TEXT_WIDTH,
        TEXT_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="text",
    )
    template.addPageTemplates([PageTemplate(id="letter", frames=[frame])])
    holder: dict[str, _LetterCanvas] = {}

    def make_canvas(*args, **kwargs) -> _LetterCanvas:
        canv = _LetterCanvas(*args, page_numbers=page_numbers, number_font=number_font, **kwargs)
        holder["canvas"] = canv
        return canv

    template.build(flowables, canvasmaker=make_canvas)
    canv = holder["canvas"]
    if canv.rd_numbered:
        used.add(number_font)
    return RenderInfo(
        page_count=canv.rd_page_count,
        letter_page_counts=tuple(canv.rd_counts),
        fonts_used=tuple(fonts.describe_font(n) for n in sorted(used)),
        fallback_chars=tuple((ch, fonts.describe_font(f).family) for ch, f in fallbacks.items()),
        missing_glyphs=tuple(missing),
    )


def render_letter(
    doc: LetterDocument,
    path_or_file: str | os.PathLike[str] | BinaryIO,
    *,
    fonts: LetterFonts | None = None,
    page_numbers: PageNumbers = "auto",
    allow_missing: bool = False,
) -> RenderInfo:
    """Render one letter to a PDF file (path or binary file object)."""
    return render_letters(
        [doc], path_or_file, fonts=fonts, page_numbers=page_numbers, allow_missing=allow_missing
    )
