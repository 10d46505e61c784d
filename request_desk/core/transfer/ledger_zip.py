"""An .xlsx is a zip: its parts are checked before any reader inflates them (zip bombs, damage).

Zip bombs (issue 11, item 14): a reader holds a sheet's shared strings in memory
whole, so one highly compressed 1 GiB string took 2.2 GB. ``check_zip_members``
refuses a workbook whose parts *declare* more than the limits, and then
inflates every part once, counting, without keeping it: a part that inflates to
more than it declares (the declaration is only a claim, and python-calamine,
unlike Python's zipfile, does not stop at it) or beyond the limits is refused
too. A real ledger's parts are a few tens of MB and compress 5-20 times;
200 000 rows stay well inside these limits, and the counting pass costs about a
tenth of the reading.
"""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

from request_desk.core.errors import ValidationFailed

MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 100
_RATIO_FROM_BYTES = 1024 * 1024  # tiny parts compress oddly; only larger ones are held to the ratio
_CHUNK = 1024 * 1024


def check_zip_members(path: Path) -> None:
    """Refuse an .xlsx whose parts would unpack to more than the limits, before any reader parses them."""
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
            _check_declared(path, members)
            for m in members:
                _check_inflated(path, zf, m)
    except ValidationFailed:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise ValidationFailed(f"无法读取 Excel 文件 {path.name}：文件不完整或已损坏（{damage(exc)}）。"
                               "请在 Excel 中打开确认后重新保存。") from exc


def _too_big(path: Path, name: str, size: int, ratio: float) -> ValidationFailed:
    return ValidationFailed(
        f"{path.name} 中的部件 {name} 解压后有 {size / 1024 / 1024:,.0f} MB"
        f"（压缩比 {ratio:,.0f} 倍），超出正常台账的范围（每个部件最多 {MAX_MEMBER_BYTES // 1024 // 1024} MB、"
        f"压缩比最多 {MAX_RATIO} 倍）：文件可能已损坏或是恶意构造的，未导入。")


def _check_declared(path: Path, members: list[zipfile.ZipInfo]) -> None:
    total = 0
    for m in members:
        total += m.file_size
        ratio = m.file_size / max(m.compress_size, 1)
        if m.file_size > MAX_MEMBER_BYTES or (m.file_size > _RATIO_FROM_BYTES and ratio > MAX_RATIO):
            raise _too_big(path, m.filename, m.file_size, ratio)
    if total > MAX_UNZIPPED_BYTES:
        raise ValidationFailed(f"{path.name} 解压后共有 {total / 1024 / 1024:,.0f} MB，超过 "
                               f"{MAX_UNZIPPED_BYTES // 1024 // 1024} MB 的上限：请按年度拆分后分批导入。")


def _check_inflated(path: Path, zf: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Inflate ``member`` counting its bytes: refuse it if it is longer than it says (or than the limits)."""
    if member.is_dir():
        return
    # zipfile stops reading at the declared size; declaring the limit instead lets it read to the
    # stream's real end (or one byte past the limit), and its CRC check still runs at that end.
    probe = copy.copy(member)
    probe.file_size = MAX_MEMBER_BYTES + 1
    inflated = 0
    with zf.open(probe) as fh:
        while chunk := fh.read(_CHUNK):
            inflated += len(chunk)
            if inflated > member.file_size:
                raise _too_big(path, member.filename, max(inflated, member.file_size),
                               inflated / max(member.compress_size, 1))


def damage(exc: BaseException) -> str:
    """What is wrong, in Chinese, for the message: never empty (a MemoryError or bare KeyError has no text)."""
    detail = f"：{exc}" if str(exc) else ""
    if isinstance(exc, zipfile.BadZipFile):
        return "不是完整的 Excel 压缩包，可能只复制或下载了一部分" + detail
    if isinstance(exc, EOFError):
        return "文件在中途被截断" + detail
    if isinstance(exc, KeyError):
        return "缺少工作簿的组成部分" + detail
    if type(exc).__name__ in ("ParseError", "XMLSyntaxError", "XmlError"):  # ElementTree's, lxml's, calamine's
        return "工作簿内部的 XML 内容不完整或有误" + detail
    if isinstance(exc, IndexError):
        return "工作簿中没有工作表"
    if isinstance(exc, MemoryError):
        return "内容过大，内存不足"
    return f"{type(exc).__name__}{detail}"
