"""Checks on the PDFs the desk writes."""

from __future__ import annotations

import io
import re
from pathlib import Path

from pypdf import PdfReader


def assert_fonts_embedded(pdf: Path) -> None:
    """Every font in the PDF is an embedded TrueType subset; no stray Helvetica."""
    assert b"Helvetica" not in pdf.read_bytes()
    seen = set()
    for page in PdfReader(pdf).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            seen.add(str(font["/BaseFont"]))
            assert font["/Subtype"] == "/TrueType"
            assert "/FontFile2" in font["/FontDescriptor"]
    assert any("NotoSerifSC" in name for name in seen)


def pdf_text(pdf: bytes) -> str:
    """The text of a letter's PDF without white space or page numbers, for phrase checks."""
    reader = PdfReader(io.BytesIO(pdf))
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
    return re.sub(r"—\d+—", "", text)
