"""Chinese line breaking: where a line of a letter may end, and how each line is set.

Line breaking follows the Chinese rules: no line starts with closing
punctuation (，。、；：？！）》”…) and none ends with opening punctuation
(（《“…); the offending character is pushed to the next line with its
neighbour and the shortened line is justified. Runs of Latin letters and
digits (``2026``, ``0527-12345678``) are not split. "——" and "……" stay whole.

The rules are the letter's own (reportlab's ``wordWrap='CJK'`` knows too few
Chinese marks); ``install_cjk_line_rules`` teaches reportlab the same marks for
the other PDFs the app draws with its paragraphs (the annual report).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from reportlab.lib import textsplit
from reportlab.platypus import paragraph

from .glyphs import Glyph
from .page_layout import BODY_SIZE, BODY_TIGHTEN, TEXT_WIDTH, TITLE_SIZE

__all__ = [
    "CANNOT_END",
    "CANNOT_START",
    "Align",
    "Line",
    "advance",
    "balanced_title",
    "break_lines",
    "install_cjk_line_rules",
    "is_wordish",
    "layout_paragraph",
]

CANNOT_START = (
    "，。、；：？！）》」』”’】〕〗〙〛〉｝］％‰℃°．"
    ",.;:?!)]}%"
)
CANNOT_END = "（《「『“‘【〔〖〘〚〈｛［(<[{"
_UNSPLITTABLE_PAIRS = "—…"

_CN_CLOSING_FOR_REPORTLAB = "，。、；：？！）》」』”’】〕〗〙〛〉｝］％‰℃"
_LAST_BEFORE_CJK = 0x2E80  # first code point of the CJK radicals: no "word" character beyond
_MAX_STRETCH = 0.5  # per gap, in em: a looser line is left ragged instead of justified

Align = Literal["justify", "center", "right"]


def install_cjk_line_rules() -> None:
    """Teach reportlab's own CJK wrapping (``wordWrap='CJK'``) the Chinese closing marks.

    Adds them to both ``reportlab.lib.textsplit.ALL_CANNOT_START`` and
    ``reportlab.platypus.paragraph.ALL_CANNOT_START`` (a copy made at import),
    once; calling again changes nothing. The letter layout uses its own
    breaker with the same rules, so this matters for any other ``Paragraph``
    the app draws with ``wordWrap='CJK'``.
    """
    for module in (textsplit, paragraph):
        # vars(): the constant is reportlab's, declared final; patching it is the point.
        names = vars(module)
        current: str = names["ALL_CANNOT_START"]
        extra = "".join(c for c in _CN_CLOSING_FOR_REPORTLAB if c not in current)
        if extra:
            names["ALL_CANNOT_START"] = current + extra


def is_wordish(ch: str) -> bool:
    """Latin letters, digits and ASCII punctuation that glue into one word."""
    return "!" <= ch <= "~" or (ch.isalnum() and ord(ch) < _LAST_BEFORE_CJK)


def _can_break(glyphs: Sequence[Glyph], i: int) -> bool:
    """May a line end between ``glyphs[i-1]`` and ``glyphs[i]``?"""
    prev, cur = glyphs[i - 1].ch, glyphs[i].ch
    if cur in CANNOT_START or prev in CANNOT_END:
        return False
    if prev == cur and cur in _UNSPLITTABLE_PAIRS:
        return False
    return not (is_wordish(prev) and is_wordish(cur))


@dataclass
class Line:
    """One printed line: its glyphs, where it starts and the space after each glyph."""

    glyphs: list[Glyph]
    x: float  # start offset from the text block's left edge
    gaps: list[float]  # space after each glyph (grid compression + justification)
    size: float


def advance(glyphs: Sequence[Glyph], gap: float) -> float:
    """Width of the glyphs' cells: each glyph advances by its width plus ``gap``."""
    return sum(g.width for g in glyphs) + gap * len(glyphs)


def break_lines(
    glyphs: list[Glyph], widths: Callable[[int], float], tighten: float
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


def _justified(line: list[Glyph], gaps: list[float], slack: float, size: float) -> None:
    """Spread ``slack`` over the gaps of a wrapped line so its last cell ends at the edge.

    A hanging mark makes the slack negative: the line is squeezed instead;
    letters and digits of one word keep their natural spacing.
    """
    stretchable = [
        i for i in range(len(line) - 1) if not (is_wordish(line[i].ch) and is_wordish(line[i + 1].ch))
    ]
    if stretchable:
        extra = slack / len(stretchable)
        if extra <= size * _MAX_STRETCH:
            for i in stretchable:
                gaps[i] += extra


def layout_paragraph(
    glyphs: list[Glyph],
    size: float,
    *,
    first_indent: float = 0.0,
    indent: float = 0.0,
    right_indent: float = 0.0,
    align: Align = "justify",
    tighten: float | None = None,
) -> list[Line]:
    """Lay ``glyphs`` out on the text width; returns one ``Line`` per line."""
    if tighten is None:
        tighten = BODY_TIGHTEN if size == BODY_SIZE else 0.0
    full = TEXT_WIDTH - indent - right_indent

    def room(n: int) -> float:
        return full - (first_indent if n == 0 else 0.0)

    out: list[Line] = []
    for k, (s, e, wrapped) in enumerate(break_lines(glyphs, room, tighten)):
        line = glyphs[s:e]
        while line and line[-1].ch == " ":
            line = line[:-1]
        x0 = indent + (first_indent if k == 0 else 0.0)
        natural = advance(line, tighten)
        gaps = [tighten] * len(line)
        x = x0
        avail = room(k)
        if align == "justify" and wrapped and len(line) > 1:
            _justified(line, gaps, avail - natural, size)
        elif align == "center":
            x = x0 + (avail - natural) / 2
        elif align == "right":
            x = x0 + avail - natural
        out.append(Line(line, x, gaps, size))
    return out


def _fixed_width(width: float) -> Callable[[int], float]:
    return lambda _line: width


def balanced_title(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Split a title into the fewest lines, as even in length as the rules allow."""
    total = advance(glyphs, 0.0)
    if total <= TEXT_WIDTH + 1e-3:
        return [glyphs]
    k = math.ceil(total / TEXT_WIDTH)
    target = total / k
    while True:
        lines = break_lines(glyphs, _fixed_width(target), 0.0)
        if len(lines) <= k or target >= TEXT_WIDTH:
            break
        target = min(TEXT_WIDTH, target + TITLE_SIZE / 2)
    return [glyphs[s:e] for s, e, _ in lines]
