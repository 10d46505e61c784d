"""``LetterDocument``: the final text of one letter, the input of the PDF renderer.

Kept apart from the drafting (``compose``) and the rendering (``pdf``) because both
sides speak it: ``compose`` turns a draft into one, ``register`` stores and issues it,
``typesetting`` lays it out and ``pdf`` prints it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["LetterDocument"]


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
