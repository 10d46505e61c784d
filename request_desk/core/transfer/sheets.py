"""Which worksheets of a workbook are imported: those laid out like the first one with a header row.

Offices keep one sheet per month or quarter in one workbook, beside sheets
that are not ledgers (填表说明, a summary, the template's lists of values,
Excel's empty Sheet2 and Sheet3). The first sheet whose first rows hold a
header row (``ledger_layout.locate_header``, one or two rows) sets the layout; every later sheet
whose header row names the same columns in the same order is imported with
it, each under its own header and title rows. Hidden sheets, empty sheets,
sheets without a header row and sheets with other columns are skipped, each
with a note that says so (docs/import-format.md, "Workbooks with several
sheets").

When the rows come from more than one sheet, or not from the first one,
every message names the sheet ("工作表“3月” 第12行"); otherwise messages keep
the plain row number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from request_desk.core.transfer.ledger_file import HEADER_SCAN_ROWS, LedgerBook, SheetInfo, blank
from request_desk.core.transfer.ledger_layout import HeaderLayout, locate_header
from request_desk.core.transfer.ledger_rows import ImportIssue
from request_desk.core.transfer.template import normalise_header


@dataclass
class SheetChoice:
    """The sheets to import, in workbook order, and the notes on those left out."""

    sheets: list[SheetInfo]
    labels: list[str]  # each sheet's name as messages give it ("" when messages name no sheet)
    header_rows: list[int]  # the row number of each sheet's (last) header row: data follow it
    header: HeaderLayout  # the first chosen sheet's header
    notes: list[ImportIssue] = field(default_factory=list)
    first_rows: list[int] = field(default_factory=list)  # the row number of each sheet's first header row
    total_rows: int | None = None  # rows below the header rows, when the file says

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.sheets]


def layout(names: list[str]) -> list[str]:
    """A header as compared between sheets: normalised names by position, trailing blanks dropped."""
    out = [normalise_header(c) if c else "" for c in names]
    while out and not out[-1]:
        out.pop()
    return out


def choose_sheets(book: LedgerBook, mapping: dict[str, str] | Any) -> SheetChoice | None:
    """The sheets of ``book`` to import, or None when no sheet has a header row."""
    chosen: list[tuple[SheetInfo, HeaderLayout, int]] = []  # (sheet, header, row number of its last row)
    skipped: list[tuple[SheetInfo, str]] = []
    first: list[str] | None = None
    for sheet in book.sheets:
        if sheet.hidden:
            skipped.append((sheet, "工作表已隐藏，未导入（如需导入，请在 Excel 中取消隐藏后重新检查）。"))
            continue
        head = book.head(sheet, HEADER_SCAN_ROWS)
        if all(blank(c) for _, cells in head for c in cells):
            skipped.append((sheet, "工作表是空的，已跳过。"))
            continue
        h = locate_header(head, mapping)
        if h is None:
            skipped.append((sheet, f"前{HEADER_SCAN_ROWS}行中没有列名行（如说明、汇总页），未导入。"))
            continue
        if first is None:
            first = layout(h.headers)
        elif layout(h.headers) != first:
            skipped.append((sheet, f"列名与工作表“{chosen[0][0].name}”不同，未导入（各工作表的列相同才能一并导入）。"))
            continue
        chosen.append((sheet, h, head[h.index][0]))
    if not chosen:
        return None
    named = len(chosen) > 1 or chosen[0][0].index != 0
    labels = [sheet.name if named else "" for sheet, _, _ in chosen]
    heights = [book.height(sheet) for sheet, _, _ in chosen]
    total = None if None in heights else sum(max(0, (height or 0) - last)
                                              for height, (_, _, last) in zip(heights, chosen, strict=True))
    # A sheet is named in its note whenever the workbook has more than one sheet.
    notes = [ImportIssue(0, "", "skip", message, sheet.name) for sheet, message in skipped]
    return SheetChoice([s for s, _, _ in chosen], labels, [last for _, _, last in chosen], chosen[0][1],
                       notes, [h.row for _, h, _ in chosen], total)
