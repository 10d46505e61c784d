"""reportlab's ToUnicode map, corrected for characters beyond U+FFFF (installed when ``fonts`` is imported)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.pdfbase import ttfonts


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's ToUnicode map, with characters beyond U+FFFF written as UTF-16.

    reportlab 5 writes ``<2A6A5>`` for 𪚥, an odd-length code that readers
    reject, so a rare name (Extension B, emoji) could not be searched for or
    copied out of the PDF; the PDF format wants the surrogate pair ``<D869DEA5>``.
    """
    text: str = ttfonts.makeToUnicodeCMap_reportlab(fontname, subset)  # type: ignore[attr-defined]
    for i, cp in enumerate(subset):
        if cp > 0xFFFF:
            utf16 = chr(cp).encode("utf-16-be").hex().upper()
            text = text.replace(f"<{i:02X}> <{cp:04X}>", f"<{i:02X}> <{utf16}>", 1)
    return text


if not hasattr(ttfonts, "makeToUnicodeCMap_reportlab"):
    ttfonts.makeToUnicodeCMap_reportlab = ttfonts.makeToUnicodeCMap  # type: ignore[attr-defined]
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
