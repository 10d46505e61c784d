"""Reading a ledger file: the sheets of a workbook (.xlsx, .xlsm, .xls) or a CSV (UTF-8 or GB18030).

``open_ledger`` opens the file and lists its sheets (``LedgerBook.sheets``);
``LedgerBook.rows`` gives one sheet's rows, numbered as Excel shows them. A
workbook is read with python-calamine (one reader for Excel 2007+ and Excel
97-2003 files, dates converted with the workbook's own date system, 1900 or
1904); should it fail on an .xlsx, openpyxl reads the file instead, or says
precisely what is damaged. A CSV is one sheet without a name.

Refuses, with a Chinese message saying what to do, anything that is not a
ledger an office could have kept: a password-protected workbook, a damaged or
cut-off file, a zip bomb, a file far larger than years of requests. Finds the
header row below title rows and blank lines. Nothing here looks at the
database.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from request_desk.core.errors import ValidationFailed
from request_desk.core.text import decode_text, has_visible, read_limited
from request_desk.core.transfer.ledger_zip import check_zip_members, damage

__all__ = ["HEADER_SCAN_ROWS", "MAX_BYTES", "MAX_ROWS", "LedgerBook", "SheetInfo", "blank", "check_zip_members",
           "open_ledger", "read_rows"]

#: The header row is looked for among this many first rows (title rows and blank lines above it).
HEADER_SCAN_ROWS = 20

# A ledger is years of one office's requests; anything far larger is a wrong file,
# and reading it whole would only exhaust the PC's memory before saying so.
MAX_ROWS = 200_000
MAX_BYTES = 200 * 1024 * 1024
# Encrypted .xlsx files and Excel 97-2003 .xls files are OLE compound documents, not zips.
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")


@dataclass(frozen=True)
class SheetInfo:
    """One sheet of a ledger file; ``name`` is "" for a CSV. ``hidden``: hidden in Excel, or not a worksheet."""

    index: int
    name: str
    hidden: bool = False


class LedgerBook:
    """An opened ledger file: its sheets, each read on demand. Use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sheets: list[SheetInfo] = []

    def rows(self, sheet: SheetInfo) -> Iterator[tuple[int, list[Any]]]:
        """(row number as the user sees it, cell values) for every row of ``sheet``."""
        self.check_height(sheet)
        for n, row in self._rows(sheet):
            if n > MAX_ROWS:
                raise self._too_long()
            yield n, row

    def check_height(self, sheet: SheetInfo) -> None:
        """Refuse a sheet longer than ``MAX_ROWS`` before its rows become Python objects, when the file says."""
        height = self.height(sheet)
        if height is not None and height > MAX_ROWS:
            raise self._too_long()

    def _too_long(self) -> ValidationFailed:
        return ValidationFailed(f"{self.path.name} 超过 {MAX_ROWS:,} 行：请确认选对了文件，或按年度拆分后分批导入。")

    def _rows(self, sheet: SheetInfo) -> Iterator[tuple[int, list[Any]]]:
        raise NotImplementedError

    def head(self, sheet: SheetInfo, count: int) -> list[tuple[int, list[Any]]]:
        """The first ``count`` rows of ``sheet`` (where the header row is looked for)."""
        self.check_height(sheet)
        return list(itertools.islice(self.rows(sheet), count))

    def height(self, sheet: SheetInfo) -> int | None:
        """How many rows ``sheet`` has, when the file says without being read (for progress)."""
        return None

    def close(self) -> None:
        """Release the file."""

    def __enter__(self) -> LedgerBook:
        return self

    def __exit__(self, _type: type[BaseException] | None, _exc: BaseException | None,
                 _tb: TracebackType | None) -> None:
        self.close()


def open_ledger(path: Path) -> LedgerBook:
    """Open ``path`` as a ledger (checks type, size and, for a workbook, its parts) and list its sheets."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ValidationFailed(f"无法读取文件 {path.name}：{exc.strerror or exc}") from exc
    if size > MAX_BYTES:
        raise ValidationFailed(f"{path.name} 有 {size / 1024 / 1024:.0f} MB，"
                               f"超过导入上限 {MAX_BYTES // 1024 // 1024} MB："
                               "请确认选对了文件，或按年度拆分后分批导入。")
    suffix = path.suffix.lower()
    if suffix in _WORKBOOK_SUFFIXES:
        if head == _OLE_SIGNATURE:
            return _CalamineBook(path, legacy=True)
        if suffix == ".xls" or not head.startswith(b"PK"):
            raise ValidationFailed(f"{path.name} 不是 Excel 工作簿：文件内容与扩展名不符，请确认选对了文件"
                                   "（网页或文本另存的“.xls”请在 Excel 中另存为 .xlsx）。")
        check_zip_members(path)
        try:
            book: LedgerBook = _CalamineBook(path, legacy=False)
        except ValidationFailed:
            raise
        except Exception:  # noqa: BLE001 - any failure of the fast reader: openpyxl reads the file or names the damage
            return _OpenpyxlBook(path)
        if not book.sheets:  # calamine reads a workbook without its workbook part as one without sheets
            book.close()
            return _OpenpyxlBook(path)
        return book
    if suffix in (".csv", ".txt"):
        return _CsvBook(path)
    raise ValidationFailed(f"不支持的文件类型 {path.suffix or '（无扩展名）'}：请使用 .xlsx、.xls 或 .csv 文件。")


def read_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """(row number as the user sees it, cell values) for every row of the first sheet."""
    with open_ledger(path) as book:
        if book.sheets:
            yield from book.rows(book.sheets[0])


def _unreadable(path: Path, exc: BaseException) -> ValidationFailed:
    return ValidationFailed(f"无法读取 Excel 文件 {path.name}：文件不完整或已损坏（{damage(exc)}）。"
                            "请在 Excel 中打开确认后重新保存。")


class _CalamineBook(LedgerBook):
    """.xlsx, .xlsm and .xls (BIFF8) through python-calamine: about fifteen times faster than openpyxl."""

    def __init__(self, path: Path, *, legacy: bool) -> None:
        super().__init__(path)
        # The reader is imported when a workbook is opened; a CSV import never needs it.
        import python_calamine  # noqa: PLC0415

        self._calamine = python_calamine
        try:
            if legacy:
                # Sniffed from the content, so an .xls saved under .xlsx is read too.
                with path.open("rb") as fh:
                    self.book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(fh.read()))
            else:
                self.book = python_calamine.CalamineWorkbook.from_path(str(path))
        except OSError as exc:
            raise ValidationFailed(f"无法读取文件 {path.name}：{exc.strerror or exc}") from exc
        except Exception as exc:
            if legacy:
                raise _locked_or_damaged(path, exc) from exc
            raise
        worksheet = python_calamine.SheetTypeEnum.WorkSheet
        visible = python_calamine.SheetVisibleEnum.Visible
        self.sheets = [SheetInfo(i, m.name, m.typ != worksheet or m.visible != visible)
                       for i, m in enumerate(self.book.sheets_metadata)]
        self.legacy = legacy
        self._parsed: dict[int, Any] = {}

    def _sheet(self, sheet: SheetInfo) -> Any:
        """The parsed sheet (parsed once: the header scan and the reading share it)."""
        if sheet.index not in self._parsed:
            self._parsed[sheet.index] = self.book.get_sheet_by_index(sheet.index)
        return self._parsed[sheet.index]

    def head(self, sheet: SheetInfo, count: int) -> list[tuple[int, list[Any]]]:
        self.check_height(sheet)
        try:
            rows = self._sheet(sheet).to_python(skip_empty_area=False, nrows=count)
        except Exception:  # noqa: BLE001 - the full reading below says what is wrong, or falls back
            return super().head(sheet, count)
        return list(enumerate(rows, start=1))

    def height(self, sheet: SheetInfo) -> int | None:
        try:
            data = self._sheet(sheet)
        except Exception:  # noqa: BLE001 - unknown; the reading reports the damage
            return None
        end = data.end
        return None if end is None else int(end[0]) + 1

    def _rows(self, sheet: SheetInfo) -> Iterator[tuple[int, list[Any]]]:
        try:
            data = self._sheet(sheet)
            # skip_empty_area=False: row i of the list is Excel's row i + 1, column A first.
            rows = data.to_python(skip_empty_area=False)
        except ValidationFailed:
            raise
        except Exception as exc:
            if self.legacy:
                raise _locked_or_damaged(self.path, exc) from exc
            # A part calamine could not parse: openpyxl's reading of it, or its precise diagnosis.
            with _OpenpyxlBook(self.path) as fallback:
                same = next((s for s in fallback.sheets if s.name == sheet.name), None)
                if same is None:
                    raise _unreadable(self.path, exc) from exc
                yield from fallback.rows(same)
            return
        yield from enumerate(rows, start=1)

    def close(self) -> None:
        self._parsed.clear()
        self.book.close()


def _locked_or_damaged(path: Path, exc: BaseException) -> ValidationFailed:
    if "password" in str(exc).lower() or "encrypt" in str(exc).lower() or type(exc).__name__ == "PasswordError":
        return ValidationFailed(f"{path.name} 设置了打开密码：请在 Excel 中取消密码并另存为 .xlsx 后再导入。")
    return ValidationFailed(f"{path.name} 设置了打开密码，或不是完整的 Excel 工作簿（{damage(exc)}）："
                            "请在 Excel 中打开，取消密码后另存为 .xlsx 再导入。")


class _OpenpyxlBook(LedgerBook):
    """.xlsx through openpyxl (read-only): the fallback, and the reader whose errors name the damage."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        # openpyxl takes 0.1 s to import; only this fallback needs it.
        from openpyxl import load_workbook  # noqa: PLC0415

        try:
            self.book = load_workbook(path, read_only=True, data_only=True)
            self.sheets = [SheetInfo(i, ws.title, ws.sheet_state != "visible")
                           for i, ws in enumerate(self.book.worksheets)]  # chart sheets are not worksheets
        except Exception as exc:  # BadZipFile, KeyError, EOFError, XML errors of a cut-off file …
            raise _unreadable(path, exc) from exc
        if not self.sheets:
            raise _unreadable(path, IndexError())

    def _rows(self, sheet: SheetInfo) -> Iterator[tuple[int, list[Any]]]:
        try:
            ws = self.book.worksheets[sheet.index]
            for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
                yield n, list(row)
        except ValidationFailed:
            raise
        except Exception as exc:
            raise _unreadable(self.path, exc) from exc

    def height(self, sheet: SheetInfo) -> int | None:
        rows: object = self.book.worksheets[sheet.index].max_row  # None in read-only mode without a dimension
        return rows if isinstance(rows, int) else None

    def close(self) -> None:
        self.book.close()


class _CsvBook(LedgerBook):
    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.text = decode_text(read_limited(path, MAX_BYTES, "导入文件"), path.name)
        self.sheets = [SheetInfo(0, "")]

    def height(self, sheet: SheetInfo) -> int | None:
        return self.text.count("\n") + (not self.text.endswith("\n"))

    def _rows(self, sheet: SheetInfo) -> Iterator[tuple[int, list[Any]]]:
        try:
            for n, fields in enumerate(csv.reader(io.StringIO(self.text, newline="")), start=1):
                yield n, list(fields)
        except csv.Error as exc:
            raise ValidationFailed(f"{self.path.name} 不是有效的 CSV 文件：{exc}") from exc


def blank(value: Any) -> bool:
    """An empty cell: nothing, or text that shows nothing (called for every cell: the common cases first)."""
    if value is None or value == "":
        return True
    if not isinstance(value, str):
        return False
    return not (value[0].isalnum() or has_visible(value))
