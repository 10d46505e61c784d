"""What every check returns, and how the checks read what a clerk typed.

``Issue`` is one problem with one form field, its message in Simplified Chinese
saying exactly what is wrong and where; ``"error"`` means the value cannot be
right, ``"warning"`` that it may be right and deserves a look. ``Checked`` is
the normalised value with its issues.

The helpers below are shared by the identity and contact checks: full-width
input folded to ASCII, digits in the standards' sense, and a character named
the way a message to the clerk names it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, NamedTuple

__all__ = [
    "LOOKALIKE_HINTS",
    "Checked",
    "Issue",
    "Severity",
    "all_digits",
    "compact",
    "describe",
    "errors_only",
    "fold",
    "is_digit",
]

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    """One problem with one form field; ``message`` is shown to the clerk as is."""

    field: str
    severity: Severity
    message: str


class Checked(NamedTuple):
    """Result of a ``check_*`` function; unpacks as ``value, issues``."""

    value: str
    issues: list[Issue]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]


def errors_only(issues: Iterable[Issue]) -> list[Issue]:
    """The issues that block saving; warnings are for the clerk's attention only."""
    return [i for i in issues if i.severity == "error"]


def fold(raw: str | None) -> str:
    """The entry as the rules read it: full-width folded to ASCII, trimmed ("" for None)."""
    # NFKC turns what a Chinese IME types in full-width mode (３２０１, Ｘ,
    # ＠, （）, ideographic space) into the ASCII the rules are written for.
    return unicodedata.normalize("NFKC", raw or "").strip()


def compact(raw: str | None) -> str:
    """``fold`` without any inner whitespace: numbers are often typed in groups."""
    return "".join(fold(raw).split())


# Letters that are misread or mistyped for digits on handwritten forms.
LOOKALIKE_HINTS = {
    "O": "数字 0",
    "D": "数字 0",
    "Q": "数字 0",
    "I": "数字 1",
    "L": "数字 1",
    "Z": "数字 2",
    "S": "数字 5",
    "G": "数字 6",
    "B": "数字 8",
}


def is_digit(char: str) -> bool:
    """0-9 only."""
    # str.isdigit() also accepts "²" and Arabic-Indic digits; the standards mean 0-9.
    return "0" <= char <= "9"


def all_digits(text: str) -> bool:
    """Every character is 0-9 (true for "")."""
    return all(is_digit(c) for c in text)


def describe(char: str) -> str:
    """A character as a message names it: "字母 O", "数字 0", or the character in quotes."""
    if "A" <= char <= "Z":
        return f"字母 {char}"
    if is_digit(char):
        return f"数字 {char}"
    return f"“{char}”"

