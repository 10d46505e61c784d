"""PDF rendering of official letters (答复书, 告知书 …) after GB/T 9704-2012.

This module is the door: ``render_letter`` / ``render_letters`` print
``LetterDocument``s to a PDF, ``check_letter`` runs the glyph check without
printing. The work is done, in order, by:

* ``page_layout`` — the page: margins, the 22 × 28 type grid, type sizes;
* ``glyphs`` — which font prints each character, and the glyph check;
* ``line_breaking`` — the Chinese line-breaking rules and justification;
* ``typesetting`` — the letter's elements (title … 版记) as rows on the grid;
* ``pagination`` — drawing the rows and splitting them across pages;
* ``page_numbers`` — "— 1 —", counted within each letter.

Fonts come from ``fonts.load_letter_fonts``; each character is drawn with the
first font in its role's chain that has it. A character that no font has
makes rendering raise ``MissingGlyphError`` (listing every such character
and where it is) before anything is written, unless ``allow_missing=True``
(then it prints as the font's empty box and is listed in
``RenderInfo.missing_glyphs``). ``check_letter`` runs the same check without
rendering.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate

from . import fonts as _fonts
from .document import LetterDocument
from .fonts import LetterFonts, UsedFont, clean_text, load_letter_fonts
from .glyphs import MissingGlyph, MissingGlyphError, Shaper
from .line_breaking import install_cjk_line_rules
from .page_layout import (
    BODY_SIZE,
    MARGIN_LEFT,
    MARGIN_TOP,
    PAGE_SIZE,
    PAGE_WIDTH,
    TEXT_BOTTOM,
    TEXT_HEIGHT,
    TEXT_WIDTH,
)
from .page_numbers import NumberingCanvas, PageNumbers
from .pagination import LetterFlowable
from .typesetting import build_rows

__all__ = [
    "LetterDocument",
    "MissingGlyph",
    "MissingGlyphError",
    "PageNumbers",
    "RenderInfo",
    "check_letter",
    "render_letter",
    "render_letters",
]


@dataclass(frozen=True)
class RenderInfo:
    """What a rendering printed: pages, fonts, and the characters that needed help."""

    page_count: int
    letter_page_counts: tuple[int, ...]  # pages of each letter, in order
    fonts_used: tuple[UsedFont, ...]
    fallback_chars: tuple[tuple[str, str], ...]  # (char, family) drawn with a fallback font
    missing_glyphs: tuple[MissingGlyph, ...] = ()  # only with allow_missing=True


@dataclass
class _Layout:
    """The letters laid out, with what the glyph check found on the way."""

    flowables: list[Flowable]
    missing: list[MissingGlyph]
    used: set[str]  # registered names of the fonts drawn with
    fallbacks: dict[str, str]  # character -> the fallback font that has it


def _layout(docs: Sequence[LetterDocument], fonts: LetterFonts, outline: bool) -> _Layout:
    install_cjk_line_rules()
    out = _Layout([], [], set(), {})
    for i, doc in enumerate(docs):
        shaper = Shaper(fonts, i)
        rows, record = build_rows(doc, shaper)
        out.missing += shaper.missing
        out.used |= shaper.used
        for ch, font in shaper.fallbacks.items():
            out.fallbacks.setdefault(ch, font)
        if i:
            out.flowables.append(PageBreak())
        label = None
        if outline:
            label = " ".join(x for x in (doc.doc_number, doc.title.replace("\n", "")) if x)
        out.flowables.append(LetterFlowable(rows, record, i, label))
    return out


def check_letter(doc: LetterDocument, fonts: LetterFonts | None = None) -> list[MissingGlyph]:
    """Characters of ``doc`` that no available font can print (empty when all is well)."""
    fonts = fonts or load_letter_fonts()
    return _layout([doc], fonts, False).missing


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
    laid_out = _layout(docs, fonts, outline=len(docs) > 1)
    if laid_out.missing and not allow_missing:
        raise MissingGlyphError(laid_out.missing)

    body_font = fonts.font_name(_fonts.BODY)
    number_font = fonts.font_name(_fonts.PAGE_NUMBER)
    first = docs[0]
    authors = {d.author or (d.signature[0] if d.signature else None) for d in docs}
    author = authors.pop() if len(authors) == 1 else None
    if title is None:
        title = first.title if len(docs) == 1 else f"{first.title}等{len(docs)}份文书"
    target = os.fspath(path_or_file) if isinstance(path_or_file, os.PathLike) else path_or_file

    template = BaseDocTemplate(
        target,
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
    holder: dict[str, NumberingCanvas] = {}

    def make_canvas(*args: Any, **kwargs: Any) -> NumberingCanvas:
        canv = NumberingCanvas(*args, page_numbers=page_numbers, number_font=number_font, **kwargs)
        holder["canvas"] = canv
        return canv

    template.build(laid_out.flowables, canvasmaker=make_canvas)
    canv = holder["canvas"]
    used = set(laid_out.used)
    if canv.rd_numbered:
        used.add(number_font)
    return RenderInfo(
        page_count=canv.rd_page_count,
        letter_page_counts=tuple(canv.rd_counts),
        fonts_used=tuple(fonts.describe_font(n) for n in sorted(used)),
        fallback_chars=tuple((ch, fonts.describe_font(f).family) for ch, f in laid_out.fallbacks.items()),
        missing_glyphs=tuple(laid_out.missing),
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
