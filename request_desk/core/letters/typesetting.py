"""Typesetting a ``LetterDocument``: its elements, in GB/T 9704 order, as rows on the grid.

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

Here each row also learns whether a page may start with it (``break_before``);
``pagination`` then splits the rows across pages by those marks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from . import fonts as _fonts
from .document import LetterDocument
from .fonts import clean_text
from .glyphs import Shaper
from .line_breaking import Line, advance, balanced_title, layout_paragraph
from .page_layout import (
    BODY_SIZE,
    BODY_TIGHTEN,
    CHAR_PITCH,
    SEAL_BLANK_LINES,
    SIGNATURE_RIGHT_CHARS,
    SMALL_SIZE,
    TEXT_WIDTH,
    TITLE_SIZE,
)
from .pagination import BlankRow, Row, TextRow, TitleRow, VersionRecord

__all__ = ["build_rows"]

_H1_RE = re.compile(r"^[一二三四五六七八九十百零〇]+、")
_H2_RE = re.compile(r"^[（(][一二三四五六七八九十百零〇]+[）)]")
_LEADING_SPACE_RE = re.compile(r"^[\s\u3000]+")
_MIN_LINES_AT_BREAK = 2  # lines of a paragraph kept together on each side of a page break


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


def _rows_for_paragraph(lines: list[Line], ref_font: str, *, keep_first: bool = False) -> list[Row]:
    """Rows for a paragraph, with widow/orphan control (≥ 2 lines on each side of a break)."""
    n = len(lines)
    rows: list[Row] = []
    for i, line in enumerate(lines):
        ok = not keep_first if i == 0 else i >= _MIN_LINES_AT_BREAK and n - i >= _MIN_LINES_AT_BREAK
        rows.append(TextRow(line, ref_font, break_before=ok))
    return rows


def _printed(value: str | None) -> str:
    """The field as printed: characters that never print dropped, trimmed ("" for none)."""
    return clean_text(value).strip() if value else ""


def _head_rows(doc: LetterDocument, shaper: Shaper) -> list[Row]:
    """Title, document number, the blank line under them, and the salutation."""
    fonts = shaper.fonts
    body_font = fonts.font_name(_fonts.BODY)
    rows: list[Row] = []
    title = clean_text(doc.title).strip()
    if title:
        parts = [p.strip() for p in title.split("\n") if p.strip()]
        offset = 0
        title_lines: list[Line] = []
        for part in parts:
            base = title.find(part, offset)
            offset = base + len(part)
            glyphs = shaper.shape(part, _fonts.TITLE, TITLE_SIZE, "title", base)
            for chunk in balanced_title(glyphs):
                title_lines += layout_paragraph(chunk, TITLE_SIZE, align="center", tighten=0.0)
        rows.append(TitleRow(title_lines, fonts.font_name(_fonts.TITLE)))

    number = _printed(doc.doc_number)
    if number:
        glyphs = shaper.shape(number, _fonts.BODY, BODY_SIZE, "doc_number")
        for line in layout_paragraph(glyphs, BODY_SIZE, align="right"):
            rows.append(TextRow(line, body_font, break_before=False))

    if rows:
        rows.append(BlankRow(break_before=False))

    salutation = _printed(doc.salutation)
    if salutation:
        glyphs = shaper.shape(salutation, _fonts.BODY, BODY_SIZE, "salutation")
        lines = layout_paragraph(glyphs, BODY_SIZE)
        rows += [TextRow(line, body_font, break_before=False) for line in lines]
    return rows


def _body_rows(doc: LetterDocument, shaper: Shaper) -> list[Row]:
    """The body paragraphs; a standalone heading is kept with the paragraph after it."""
    body_font = shaper.fonts.font_name(_fonts.BODY)
    rows: list[Row] = []
    keep_next = True  # the first paragraph stays with the salutation
    for idx, offset, text in _paragraphs(doc.body):
        role, cut = _heading_split(text)
        field_name = f"body[{idx}]"
        if role is None:
            glyphs = shaper.shape(text, _fonts.BODY, BODY_SIZE, field_name, offset)
        else:
            glyphs = shaper.shape(text[:cut], role, BODY_SIZE, field_name, offset)
            glyphs += shaper.shape(text[cut:], _fonts.BODY, BODY_SIZE, field_name, offset + cut)
        lines = layout_paragraph(glyphs, BODY_SIZE, first_indent=2 * CHAR_PITCH)
        rows += _rows_for_paragraph(lines, body_font, keep_first=keep_next)
        keep_next = role is not None and cut == len(text)  # a standalone heading
    return rows


def _signature_rows(doc: LetterDocument, shaper: Shaper) -> list[Row]:
    """Room for the seal, then the agency centred over the date, the date 4 characters from the right."""
    if not any(_printed(s) for s in doc.signature):
        return []
    body_font = shaper.fonts.font_name(_fonts.BODY)
    rows: list[Row] = [BlankRow(break_before=False) for _ in range(SEAL_BLANK_LINES)]
    # The offsets of a missing character count in the line as entered, so shape it unchanged.
    shaped = [
        shaper.shape(s, _fonts.BODY, BODY_SIZE, f"signature[{i}]")
        for i, s in enumerate(doc.signature)
        if _printed(s)
    ]
    date_w = advance(shaped[-1], BODY_TIGHTEN)
    date_right = TEXT_WIDTH - SIGNATURE_RIGHT_CHARS * CHAR_PITCH
    centre = date_right - date_w / 2
    for glyphs in shaped:
        w = advance(glyphs, BODY_TIGHTEN)
        x = min(max(centre - w / 2, 0.0), TEXT_WIDTH - w)
        if glyphs is shaped[-1]:
            x = max(date_right - w, 0.0)
        line = Line(glyphs, x, [BODY_TIGHTEN] * len(glyphs), BODY_SIZE)
        rows.append(TextRow(line, body_font, break_before=False))
    return rows


def _version_record(doc: LetterDocument, shaper: Shaper) -> VersionRecord | None:
    """版记: "抄送：" hanging before the addressees, in 4号, ending with "。"."""
    cc = _printed(doc.cc)
    if not cc:
        return None
    cc = re.sub(r"^抄送[：:]\s*", "", cc)
    if not cc.endswith("。"):
        cc += "。"
    label = shaper.shape("抄送：", _fonts.BODY, SMALL_SIZE, "cc")
    glyphs = shaper.shape(cc, _fonts.BODY, SMALL_SIZE, "cc")
    label_w = advance(label, 0.0)
    lines = layout_paragraph(
        label + glyphs,
        SMALL_SIZE,
        first_indent=-label_w,
        indent=SMALL_SIZE + label_w,
        right_indent=SMALL_SIZE,
        tighten=0.0,
    )
    return VersionRecord(lines, shaper.fonts.font_name(_fonts.BODY))


def build_rows(doc: LetterDocument, shaper: Shaper) -> tuple[list[Row], VersionRecord | None]:
    """The rows of ``doc`` top to bottom, and its 版记 (None without ``cc``)."""
    body_font = shaper.fonts.font_name(_fonts.BODY)
    rows = _head_rows(doc, shaper) + _body_rows(doc, shaper)

    tail = _signature_rows(doc, shaper)
    for name, value in (("contact", doc.contact), ("footer_note", doc.footer_note)):
        text = _printed(value)
        if text:
            if not tail:
                tail.append(BlankRow(break_before=False))
            glyphs = shaper.shape(text, _fonts.BODY, BODY_SIZE, name)
            lines = layout_paragraph(glyphs, BODY_SIZE, first_indent=2 * CHAR_PITCH)
            tail += [TextRow(line, body_font, break_before=False) for line in lines]

    if tail:
        # keep the signature with the last two lines of the body
        text_rows = [i for i, r in enumerate(rows) if isinstance(r, TextRow)]
        for i in text_rows[-1:]:
            rows[i].break_before = False
        rows += tail
    return rows, _version_record(doc, shaper)
