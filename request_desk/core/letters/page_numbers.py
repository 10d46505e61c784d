"""Page numbers of letters, "— 1 —", counted within each letter of a batch.

Page numbers "— 1 —" (4号 宋体-style, digits half-width) sit 7 mm below the
text block, one character in from the outer edge (odd pages right, even pages
left). By default (``page_numbers="auto"``) only letters of two or more pages
are numbered; ``"always"`` and ``"never"`` are available. In a batch each
letter is numbered on its own.

Whether a letter is numbered depends on how many pages it turns out to have,
which is known only once it is laid out, so the canvas holds every page back
and draws the numbers when the PDF is saved.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from .page_layout import (
    MARGIN_LEFT,
    PAGE_NUMBER_GAP,
    SMALL_SIZE,
    TEXT_BOTTOM,
    TEXT_WIDTH,
)

__all__ = ["NumberingCanvas", "PageNumbers"]

PageNumbers = Literal["auto", "always", "never"]

_DASH_TOP = 0.29  # top of "—" above the baseline, in em (Noto Serif SC: 0.293)


class NumberingCanvas(Canvas):
    """Holds pages back until the end so each letter's page count is known.

    The letter being drawn sets ``rd_letter`` (``pagination.LetterFlowable``);
    after ``save`` the ``rd_*`` results say how many pages each letter has.
    Our attributes carry the ``rd_`` prefix to stay clear of reportlab's own.
    """

    def __init__(self, *args: Any, page_numbers: PageNumbers, number_font: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._rd_mode = page_numbers
        self._rd_font = number_font
        self.rd_letter = 0
        self._rd_states: list[dict[str, Any]] = []
        self._rd_letters: list[int] = []
        self.rd_page_count = 0
        self.rd_counts: list[int] = []
        self.rd_numbered = False

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._rd_states.append(dict(self.__dict__))
        self._rd_letters.append(self.rd_letter)
        self._startPage()  # type: ignore[attr-defined]  # reportlab's own page reset, not in the stubs

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
        # one character in from the outer edge: right on odd pages, left on even ones
        x = MARGIN_LEFT + TEXT_WIDTH - SMALL_SIZE - width if number % 2 else MARGIN_LEFT + SMALL_SIZE
        self.drawString(x, y, text)
