"""Real font files standing in for an office's 仿宋 / 小标宋, made with fontTools.

This machine has no 仿宋: a bundled OFL font is copied with a new family name
(and, for refusals, a restricting OS/2 ``fsType``), or a small CFF font is
built from scratch. Only the ``name`` and ``OS/2`` tables are rewritten; the
glyphs stay the bundled font's, so a letter set in one really prints.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from request_desk.core.letters import fonts as letter_fonts

tt_lib = pytest.importorskip("fontTools.ttLib", reason="fontTools (the [test] extra) makes the test fonts")

CHINESE = 0x804
ENGLISH = 0x409


def renamed_font(source: str, target: Path, family: str, english: str, *, fs_type: int = 0) -> Path:
    """A copy of the bundled font ``source`` at ``target`` named ``family`` (Chinese) / ``english``."""
    with tt_lib.TTFont(str(letter_fonts.bundled_fonts_dir() / source), lazy=True) as font:
        name = font["name"]
        for record in list(name.names):
            if record.nameID in (1, 4, 16, 6):
                name.removeNames(nameID=record.nameID)
        ps_name = "".join(ch for ch in english if ch.isascii() and ch.isalnum()) or "TestFont"
        for name_id, text in ((1, english), (4, english), (6, ps_name)):
            name.setName(text, name_id, 3, 1, ENGLISH)
        for name_id, text in ((1, family), (4, family)):
            name.setName(text, name_id, 3, 1, CHINESE)
        font["OS/2"].fsType = fs_type
        target.parent.mkdir(parents=True, exist_ok=True)
        font.save(str(target))
    return target


def cff_font(target: Path, family: str, english: str) -> Path:
    """A small font with PostScript (CFF) outlines named ``family``: what reportlab cannot embed."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    builder = FontBuilder(1000, isTTF=False)
    glyphs = [".notdef", "uni4EFF"]
    builder.setupGlyphOrder(glyphs)
    builder.setupCharacterMap({0x4EFF: "uni4EFF"})
    strings = {}
    for glyph in glyphs:
        pen = T2CharStringPen(1000, None)
        pen.moveTo((100, 100))
        pen.lineTo((900, 100))
        pen.lineTo((900, 900))
        pen.closePath()
        strings[glyph] = pen.getCharString()
    builder.setupCFF(english.replace(" ", ""), {"FullName": english}, strings, {})
    builder.setupHorizontalMetrics(dict.fromkeys(glyphs, (1000, 100)))
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": english, "styleName": "Regular"})
    builder.font["name"].setName(family, 1, 3, 1, CHINESE)
    builder.setupOS2(sTypoAscender=880, usWinAscent=880, usWinDescent=120, fsType=0)
    builder.setupPost()
    target.parent.mkdir(parents=True, exist_ok=True)
    builder.save(str(target))
    return target


def collection(target: Path, *faces: Path) -> Path:
    """A .ttc collection of the fonts ``faces``, in that order."""
    fonts = [tt_lib.TTFont(str(face)) for face in faces]
    try:
        ttc = tt_lib.TTCollection()
        ttc.fonts = fonts
        ttc.save(str(target))
    finally:
        for font in fonts:
            font.close()
    return target
