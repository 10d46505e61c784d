"""The page of an official letter after GB/T 9704-2012: margins, the type grid, type sizes.

Every other letters module measures in these numbers, so they live on their own:
change the page here and the line breaking, the pagination and the renderer follow.

Page: A4; top margin 37 mm, binding (left) margin 28 mm, text block
156 × 225 mm. The text block is a grid of 22 lines × 28 characters: body text
is 3号 (16 pt) 仿宋 set on a character pitch of 156 mm / 28 (the 16 pt glyphs
are tightened by 0.2 pt, as Word's document grid does) and a line pitch of
225 mm / 22. Every element occupies whole grid lines, so body lines sit at the
same heights on every page.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

__all__ = [
    "BODY_SIZE",
    "BODY_TIGHTEN",
    "CHARS_PER_LINE",
    "CHAR_PITCH",
    "LINES_PER_PAGE",
    "LINE_PITCH",
    "MARGIN_LEFT",
    "MARGIN_TOP",
    "PAGE_HEIGHT",
    "PAGE_NUMBER_GAP",
    "PAGE_SIZE",
    "PAGE_WIDTH",
    "SEAL_BLANK_LINES",
    "SIGNATURE_RIGHT_CHARS",
    "SMALL_SIZE",
    "TEXT_BOTTOM",
    "TEXT_HEIGHT",
    "TEXT_WIDTH",
    "TITLE_LEADING",
    "TITLE_SIZE",
]

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
BODY_TIGHTEN = CHAR_PITCH - BODY_SIZE  # space after each body glyph: the grid's compression
TITLE_LEADING = 1.25 * LINE_PITCH  # between the lines of a multi-line title
TEXT_BOTTOM = PAGE_HEIGHT - MARGIN_TOP - TEXT_HEIGHT  # y of the text block's lower edge
PAGE_NUMBER_GAP = 7 * mm  # 一字线上距版心下边缘 7 mm
SEAL_BLANK_LINES = 2  # blank lines between the body and the signature
SIGNATURE_RIGHT_CHARS = 4  # 成文日期右空四字
