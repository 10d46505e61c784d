"""The layout of an office's ledger: where its header is, and which rows below it are not requests.

``locate_header`` finds the header row below title rows and blank lines — the first
of the first rows that names at least three known columns — and reads a two-row
header (a merged group header such as 申请人 over the sub-headers 类别 | 姓名/名称 |
证件号码) as one row of column names. ``not_a_request`` says why a row below the
header is not an application: a total (合计, 小计, "91件"), a note (注：, 填表说明),
the form's 填表单位 … 填表日期 line, the header repeated (on each printed page), or a
blank row. Such rows are skipped with a note (docs/import-format.md, "How the file is read").
Nothing here looks at the database.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from request_desk.core.transfer.ledger_file import HEADER_SCAN_ROWS, blank
from request_desk.core.transfer.template import header_field, normalise_header

Rows = list[tuple[int, list[Any]]]


@dataclass(frozen=True)
class HeaderLayout:
    """The header of a ledger: ``index`` into the rows of its last row (data follow it)."""

    index: int
    row: int  # the file's row number of the (first) header row
    headers: list[str]  # a name per column; a two-row header's as "申请人 证件号码"
    keys: list[str | None]  # the field each name stands for, when the desk knows it
    two_rows: bool = False


def _text(cell: Any) -> str:
    return "" if blank(cell) else str(cell).strip()


def _known(name: str, user: Collection[str]) -> bool:
    return bool(name) and (normalise_header(name) in user or header_field(name) is not None)


def _is_sub_header_row(cells: list[Any]) -> bool:
    """Only short words, no dates or numbers: a data row always has its receipt date."""
    texts = [c for c in cells if not blank(c)]
    return bool(texts) and all(isinstance(c, str) and not re.search(r"\d", c) and len(c.strip()) <= 20
                               for c in texts)


def _joined(top: list[Any], sub: list[Any]) -> tuple[list[str], list[str | None]]:
    """Column names of a two-row header; a group header carries over the sub-headers its merge spans."""
    width = max(len(top), len(sub))
    names: list[str] = []
    keys: list[str | None] = []
    group = ""
    for c in range(width):
        t = _text(top[c]) if c < len(top) else ""
        s = _text(sub[c]) if c < len(sub) else ""
        if t:
            group = t if s else ""
        elif not s:
            group = ""
        head = t or group
        if not s:
            names.append(head)
            keys.append(header_field(head) if head else None)
            continue
        if not head:
            names.append(s)
            keys.append(header_field(s))
            continue
        names.append(f"{head} {s}")
        # 申请人 over 证件号码 is the applicant's document, a person's or an organisation's.
        candidates = [head + s, *(["申请人" + s] if "申请人" in head else []), s]
        keys.append(next((k for k in map(header_field, candidates) if k is not None), None))
    return names, keys


def locate_header(rows: Rows, user: Mapping[str, str]) -> HeaderLayout | None:
    """The header among the first ``HEADER_SCAN_ROWS`` rows; ``user`` is the clerk's column mapping."""
    user_names = {normalise_header(k) for k in user}
    for i, (number, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        names = [_text(c) for c in cells]
        one = sum(_known(n, user_names) for n in names)
        # A group row names a column itself and has several cells (a title is one merged cell).
        group_row = one and sum(bool(n) for n in names) >= 2
        if group_row and i + 1 < len(rows) and _is_sub_header_row(rows[i + 1][1]):
            joined, keys = _joined(cells, rows[i + 1][1])
            two = sum(bool(n) and (k is not None or normalise_header(n) in user_names)
                      for n, k in zip(joined, keys, strict=True))
            if two > one and two >= 3:
                return HeaderLayout(i + 1, number, joined, keys, two_rows=True)
        if one >= 3:
            return HeaderLayout(i, number, names, [header_field(n) if n else None for n in names])
    return None


# --------------------------------------------------------------------------
# Rows that are not requests
# --------------------------------------------------------------------------

_TOTAL = re.compile(r"(本[年月季度]+|全年|年度|第?[一二三四1-4]季度|\d{1,2}月份?)?(合计|小计|总计|共计|总数|累计)"
                    r"(\d+件?)?")
_COUNT = re.compile(r"[共计]?\d+件")
_NOTE = re.compile(r"(注|说明|填表说明|填报说明|附注|备注)\d*[:：]|填表说明|填报说明")
_FORM_LINE = re.compile(r"填表单位|填报单位|制表单位|填表人|填报人|制表人|审核人|填表日期|填报日期|制表日期|报送日期")
_REQUIRED = ("received_date", "applicant_name", "description")


def _squashed(cell: Any) -> str:
    if isinstance(cell, (date, datetime)):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return re.sub(r"[\s:：]", "", str(cell)) if not isinstance(cell, str) else re.sub(r"\s", "", cell)


def _running_number(cell: Any) -> bool:
    return isinstance(cell, (int, float)) or (isinstance(cell, str) and cell.strip().isdigit())


def is_blank_row(cells: list[Any], ignored: set[int]) -> bool:
    """Nothing but, perhaps, a running number (序号 filled in ahead of the entries)."""
    return all(blank(c) or (i in ignored and _running_number(c)) for i, c in enumerate(cells))


def title_row(cells: list[Any]) -> str | None:
    """What a non-blank row above the header is: the ledger's title, or the 填表单位 … 填表日期 line."""
    texts = [_squashed(c) for c in cells if not blank(c)]
    if not texts:
        return None
    return "填表单位、填表日期等落款行" if any(_FORM_LINE.search(t) for t in texts) else "标题行"


@lru_cache(maxsize=1 << 16)
def _names_column(cell: str) -> bool:
    """A text cell is a column name (not a total): a ledger repeats its channels and units thousands of times."""
    t = _squashed(cell)
    return not _TOTAL.fullmatch(t) and header_field(t) is not None


def not_a_request(cells: list[Any], col_map: Mapping[int, str], ignored: set[int]) -> str | None:
    """Why this row below the header is not an application, in Chinese; None for a row to check."""
    if is_blank_row(cells, ignored):
        return "空行"
    # Called for every row: only text cells can name a column (a date or a number never does).
    known = 0
    for c in cells:
        if isinstance(c, str) and not blank(c) and _names_column(c):
            known += 1
            if known == 3:
                return "重复的列名行"
    present = {key for i, key in col_map.items() if i < len(cells) and not blank(cells[i])}
    if all(key in present for key in _REQUIRED if key in col_map.values()):
        return None  # a row with everything an application needs is checked, whatever else it says
    texts = [_squashed(c) for c in cells if not blank(c)]
    if any(_TOTAL.fullmatch(t) or _COUNT.fullmatch(t) for t in texts):
        return "合计行"
    if _NOTE.match(texts[0]):
        return "注释或说明行"
    if any(_FORM_LINE.search(t) for t in texts):
        return "填表单位、填表日期等落款行"
    return None
