"""Reading a ledger file: the rows of the first sheet of an XLSX, or of a CSV (UTF-8 or GB18030).

Refuses, with a Chinese message saying what to do, anything that is not a
ledger an office could have kept: a password-protected or old ``.xls``
workbook, a damaged or cut-off file, a zip bomb, a file far larger than
years of requests. Finds the header row below title rows and blank lines.
Nothing here looks at the database.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from request_desk.core.errors import ValidationFailed
from request_desk.core.text import decode_text, has_visible, read_limited
from request_desk.core.transfer.template import HEADER_INDEX, normalise_header

#: The header row is looked for among this many first rows (title rows and blank lines above it).
HEADER_SCAN_ROWS = 20

# A ledger is years of one office's requests; anything far larger is a wrong file,
# and reading it whole would only exhaust the PC's memory before saying so.
MAX_ROWS = 200_000
MAX_BYTES = 200 * 1024 * 1024
# Encrypted .xlsx files and old .xls files are OLE compound documents, not zips.
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """(row number as the user sees it, cell values) for every row of the first sheet."""
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
    for n, row in _rows_of(path, head):
        if n > MAX_ROWS:
            raise ValidationFailed(f"{path.name} 超过 {MAX_ROWS:,} 行：请确认选对了文件，或按年度拆分后分批导入。")
        yield n, row


def _rows_of(path: Path, head: bytes) -> Iterator[tuple[int, list[Any]]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        if head == _OLE_SIGNATURE:
            raise ValidationFailed(f"{path.name} 设置了打开密码，或是旧版 .xls 格式：请在 Excel 中取消密码，"
                                   "另存为 .xlsx 后再导入。")
        if suffix == ".xls" or not head.startswith(b"PK"):
            raise ValidationFailed(f"{path.name} 不是 Excel 工作簿（.xlsx）：文件内容与扩展名不符，请确认选对了文件。")
        # openpyxl takes 0.1 s to import; a CSV import never needs it.
        from openpyxl import load_workbook  # noqa: PLC0415

        check_zip_members(path)
        try:
            wb = load_workbook(path, read_only=True, data_only=True)
            try:
                for n, row in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1):
                    yield n, list(row)
            finally:
                wb.close()
        except ValidationFailed:
            raise
        except Exception as exc:  # BadZipFile, KeyError, EOFError, XML errors of a cut-off file …
            raise ValidationFailed(f"无法读取 Excel 文件 {path.name}：文件不完整或已损坏（{_damage(exc)}）。"
                                   "请在 Excel 中打开确认后重新保存。") from exc
        return
    if suffix in (".csv", ".txt"):
        text = decode_text(read_limited(path, MAX_BYTES, "导入文件"), path.name)
        try:
            for n, fields in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
                yield n, fields
        except csv.Error as exc:
            raise ValidationFailed(f"{path.name} 不是有效的 CSV 文件：{exc}") from exc
        return
    raise ValidationFailed(f"不支持的文件类型 {path.suffix or '（无扩展名）'}："
                           "请使用 .xlsx 或 .csv 文件（旧版 .xls 请先另存为 .xlsx）。")


# Zip bombs (issue 11, item 14): openpyxl holds the shared strings in memory whole,
# so one highly compressed 1 GiB string took 2.2 GB. The sizes a zip declares
# bound what zipfile will ever inflate (it stops at ``file_size``), so checking
# them before parsing is enough. A real ledger's parts are a few tens of MB and
# compress 5-20 times; 200 000 rows stay well inside these limits.
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 100
_RATIO_FROM_BYTES = 1024 * 1024  # tiny parts compress oddly; only larger ones are held to the ratio


def check_zip_members(path: Path) -> None:
    """Refuse an .xlsx whose parts would unpack to more than the limits, before any is read."""
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationFailed(f"无法读取 Excel 文件 {path.name}：文件不完整或已损坏（{_damage(exc)}）。"
                               "请在 Excel 中打开确认后重新保存。") from exc
    total = 0
    for m in members:
        total += m.file_size
        ratio = m.file_size / max(m.compress_size, 1)
        if m.file_size > MAX_MEMBER_BYTES or (m.file_size > _RATIO_FROM_BYTES and ratio > MAX_RATIO):
            raise ValidationFailed(
                f"{path.name} 中的部件 {m.filename} 解压后有 {m.file_size / 1024 / 1024:,.0f} MB"
                f"（压缩比 {ratio:,.0f} 倍），超出正常台账的范围（每个部件最多 {MAX_MEMBER_BYTES // 1024 // 1024} MB、"
                f"压缩比最多 {MAX_RATIO} 倍）：文件可能已损坏或是恶意构造的，未导入。")
    if total > MAX_UNZIPPED_BYTES:
        raise ValidationFailed(f"{path.name} 解压后共有 {total / 1024 / 1024:,.0f} MB，超过 "
                               f"{MAX_UNZIPPED_BYTES // 1024 // 1024} MB 的上限：请按年度拆分后分批导入。")


def _damage(exc: BaseException) -> str:
    """What is wrong, in Chinese, for the message: never empty (a MemoryError or bare KeyError has no text)."""
    detail = f"：{exc}" if str(exc) else ""
    if isinstance(exc, zipfile.BadZipFile):
        return "不是完整的 Excel 压缩包，可能只复制或下载了一部分" + detail
    if isinstance(exc, EOFError):
        return "文件在中途被截断" + detail
    if isinstance(exc, KeyError):
        return "缺少工作簿的组成部分" + detail
    if type(exc).__name__ in ("ParseError", "XMLSyntaxError"):  # ElementTree's or lxml's
        return "工作簿内部的 XML 内容不完整或有误" + detail
    if isinstance(exc, IndexError):
        return "工作簿中没有工作表"
    if isinstance(exc, MemoryError):
        return "内容过大，内存不足"
    return f"{type(exc).__name__}{detail}"


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not has_visible(value))


def find_header(rows: list[tuple[int, list[Any]]], user: Mapping[str, str]) -> int | None:
    """Index in ``rows`` of the first row that names at least three known columns."""
    known = {normalise_header(k) for k in user} | set(HEADER_INDEX)
    for i, (_, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        if sum(normalise_header(c) in known for c in cells if not blank(c)) >= 3:
            return i
    return None

