"""User text as it goes into an exported file: one rule per output, used by every exporter.

Text typed into a form or imported from a ledger is stored as it came (it
is the record). Exporters must not let it act as anything but text:

* ``safe_cell_text`` — control characters already in the database (stored
  before the input rule existed, or written by another tool) make openpyxl
  raise ``IllegalCharacterError`` and a whole month's register fail, and are
  invalid in XML and invisible in print. The rule is the input side's,
  ``core.text.clean_text`` (line-break controls become line breaks, the rest
  are removed; tab and line breaks stay), applied again on the way out, with
  carriage returns kept as stored.
* ``xlsx_text`` — a string cell that openpyxl would turn into a formula
  (``=HYPERLINK(…)``) or an error value (``#N/A``) is typed as a string and
  marked with Excel's quote prefix, so editing the cell keeps it text too.
* ``csv_cell`` — the OWASP rule for CSV injection: a text starting with
  ``= + - @``, tab or carriage return gets a leading ``'``.
* ``html_text`` — cleaned and escaped.

Numbers and dates the program itself writes are left as they are, so
spreadsheet sums and date filters keep working.
"""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # openpyxl costs ~0.1 s to import; CSV and HTML exports and start-up do without it
    from openpyxl.cell import Cell

from request_desk.core.text import clean_text

# What a spreadsheet program reads as the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell_text(text: str) -> str:
    """``text`` without the characters no export format can hold: the input rule (see the module doc)."""
    return clean_text(text, keep_cr=True)


def _as_text(value: Any) -> Any:
    """Strings cleaned; numbers and dates unchanged; anything else as its cleaned text."""
    if value is None or isinstance(value, (bool, int, float, date, datetime)):
        return value
    return safe_cell_text(value if isinstance(value, str) else str(value))


def csv_cell(value: Any) -> str:
    """One CSV field: program numbers and dates as written, user text defused."""
    value = _as_text(value)
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)


def xlsx_text(cell: Cell, value: Any) -> Cell:
    """Put ``value`` into an openpyxl cell (normal or write-only); a string stays a string.

    Returns the cell, so write-only rows can be built in one expression.
    """
    value = _as_text(value)
    cell.value = value
    if isinstance(value, str):
        if cell.data_type != "s":  # openpyxl saw a formula ("=…") or an error value ("#N/A")
            cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # Excel keeps it text when the cell is edited, too
    return cell


def html_text(value: Any) -> str:
    """Text for an HTML element or attribute: cleaned, then escaped."""
    cleaned = _as_text(value)
    return escape("" if cleaned is None else str(cleaned))
