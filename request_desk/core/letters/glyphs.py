"""Characters to glyphs: which font prints each character, how wide it is, and the glyph check.

A letter names people and places, and a rare character (𪚥, a 生僻字 of a name)
may be in no font the office has. Printing it as an empty box would put a wrong
name on an official document, so every character is resolved here, before any
page is drawn: the ``Shaper`` picks the first font in the role's chain that has
the character (``fonts.LetterFonts``), measures it, and lists every character
no font has as a ``MissingGlyph``, with the field and position a clerk can find.
``MissingGlyphError`` is the refusal the renderer raises with that list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics

from request_desk.core.errors import DeskError

from .fonts import LetterFonts

__all__ = ["Glyph", "MissingGlyph", "MissingGlyphError", "Shaper"]

_FIELD_LABELS = {
    "title": "标题",
    "doc_number": "文号",
    "salutation": "称呼",
    "contact": "联系方式",
    "footer_note": "附注",
    "cc": "抄送",
}

_TOO_MANY_TO_LIST = 10  # the error message names this many characters, then counts the rest


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
        listed = "；".join(str(m) for m in self.missing[:_TOO_MANY_TO_LIST])
        more = f"等{len(self.missing)}处" if len(self.missing) > _TOO_MANY_TO_LIST else ""
        super().__init__(
            f"字体缺字，无法打印：{listed}{more}。请安装含这些字的字体（放入字体目录），"
            "或改用其他写法后再打印。"
        )


@dataclass
class Glyph:
    """One character as it will be printed: the font that has it and its advance."""

    ch: str
    font: str
    width: float  # natural advance at the run's size


class Shaper:
    """Resolves fonts per character, measures, and records misses and fallbacks.

    One shaper per letter: ``letter`` is the letter's index in a batch, so a
    missing character can say which letter it is in.
    """

    def __init__(self, fonts: LetterFonts, letter: int) -> None:
        self.fonts = fonts
        self.letter = letter
        self.missing: list[MissingGlyph] = []
        self.used: set[str] = set()
        self.fallbacks: dict[str, str] = {}
        self._width_cache: dict[tuple[str, str], float] = {}

    def shape(self, text: str, role: str, size: float, field: str, base: int = 0) -> list[Glyph]:
        """Glyphs of ``text`` in ``role``'s fonts at ``size``; ``base`` is its offset in ``field``."""
        primary = self.fonts.font_name(role)
        out: list[Glyph] = []
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
            out.append(Glyph(ch, font, w * size))
        return out
