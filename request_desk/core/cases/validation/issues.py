"""What every check returns, and how the checks read what a clerk typed.

``Issue`` is one problem with one form field, its message in Simplified Chinese
saying exactly what is wrong and where; ``"error"`` means the value cannot be
right, ``"warning"`` that it may be right and deserves a look. ``Checked`` is
the normalised value with its issues.

The helpers shared by the identity and contact checks — full-width input
folded to ASCII, digits in the standards' sense, a character named the way a
message to the clerk names it — live in ``request_desk.core.text``, because
the masking of personal numbers (``request_desk.core.masking``) reads numbers
the same way; they are re-exported here for the checks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, NamedTuple

from request_desk.core.text import compact, describe, fold, is_digit

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


def all_digits(text: str) -> bool:
    """Every character is 0-9 (true for "")."""
    return all(is_digit(c) for c in text)
