"""Free text at the service boundary, and text files read from the user's disk.

``clean_text`` is the one rule for what text may be stored: every service that
stores what a clerk typed, pasted or imported passes it through here (the
registration form in ``cases``, the ledger importer, and — as a safety net for
every other service — the ORM flush hook in ``install_flush_cleaning``).

Decision (issue 11, item 9): control characters are *removed*, not refused.
They are never typed on purpose; they arrive with pasted or exported text and
are invisible, so a refusal would name a problem the clerk cannot see or fix.
Those that mean "new line" in some program become a newline, so text pasted
from Word keeps its line breaks:

* ``\\x0b`` (VT — Word's manual line break, kept by Qt on paste), ``\\x0c``
  (form feed / page break), ``\\r`` and ``\\r\\n``, ``\\x1c``-``\\x1e``,
  NEL (U+0085), U+2028 and U+2029 → ``\\n``;
* every other C0 control except tab and newline (NUL, ESC …), DEL, the C1
  controls, lone surrogates and the non-characters U+FFFE/U+FFFF → removed.

Zero-width characters (U+200B …) are kept inside text — a zero-width joiner
is part of some emoji — but a *name* made only of invisible characters is no
name: ``has_visible`` lets the validators refuse it with a message.

``fold``, ``compact``, ``is_digit`` and ``describe`` are how the rules read a
number a clerk typed (full-width folded to ASCII, 0-9 only) and how a message
names a character; the checks of ``cases.validation`` and the masking of
personal numbers (``masking``) share them so a number is checked and masked
alike.

``decode_text`` is the one decoding of text files (ledger CSV and holiday
notices alike): UTF-8 with or without BOM, else GB18030, which is what Excel
and WPS save on a Chinese Windows PC. ``read_limited`` reads a file the user
picked without ever reading more than a cap (``/dev/zero`` or a 10 GB file
is refused before it fills the memory).
"""

from __future__ import annotations

import stat
import unicodedata
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, UOWTransaction

from request_desk.core.errors import ValidationFailed

__all__ = [
    "clean_text",
    "compact",
    "decode_text",
    "describe",
    "fold",
    "has_visible",
    "install_flush_cleaning",
    "is_digit",
    "read_limited",
]

_NEWLINE_LIKE = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_REMOVED = (
    [c for c in range(0x20) if chr(c) not in "\t\n" + _NEWLINE_LIKE]
    + [0x7F]
    + [c for c in range(0x80, 0xA0) if chr(c) not in _NEWLINE_LIKE]
    + list(range(0xD800, 0xE000))  # lone surrogates: not encodable as UTF-8, so not storable
    + [0xFFFE, 0xFFFF]
)
_TABLE: dict[int, str | None] = dict.fromkeys(_REMOVED) | {ord(c): "\n" for c in _NEWLINE_LIKE}
_TABLE_KEEP_CR = {c: v for c, v in _TABLE.items() if c != ord("\r")}
# Invisible characters that are not whitespace to str.isspace() (Hangul fillers, braille blank).
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def clean_text(value: str, *, keep_cr: bool = False) -> str:
    """``value`` without control characters; line-break controls become ``\\n``.

    ``keep_cr`` leaves carriage returns (and CRLF) as they are and applies the rest
    of the rule: the exporters' use (``reports.safe_text``), which write what is
    already stored — every export format holds a CR, and the CSV formula rule
    looks for a leading one.
    """
    if value.isprintable():  # the common case: nothing to do, and no copy made
        return value
    if keep_cr:
        return value.translate(_TABLE_KEEP_CR)
    return value.replace("\r\n", "\n").translate(_TABLE)


def clean_value(value: Any) -> Any:
    """``clean_text`` for strings, anything else unchanged."""
    return clean_text(value) if isinstance(value, str) else value


def has_visible(value: str | None) -> bool:
    """Whether ``value`` shows anything: not only spaces, controls and zero-width characters."""
    return any(not (c.isspace() or c in _BLANK_LOOKING or unicodedata.category(c) in ("Cc", "Cf"))
               for c in value or "")


# --------------------------------------------------------------------------
# Numbers as a clerk types them
# --------------------------------------------------------------------------


def fold(raw: str | None) -> str:
    """The entry as the rules read it: full-width folded to ASCII, trimmed ("" for None)."""
    # NFKC turns what a Chinese IME types in full-width mode (３２０１, Ｘ,
    # ＠, （）, ideographic space) into the ASCII the rules are written for.
    return unicodedata.normalize("NFKC", raw or "").strip()


def compact(raw: str | None) -> str:
    """``fold`` without any inner whitespace: numbers are often typed in groups."""
    return "".join(fold(raw).split())


def is_digit(char: str) -> bool:
    """0-9 only."""
    # str.isdigit() also accepts "²" and Arabic-Indic digits; the standards mean 0-9.
    return "0" <= char <= "9"


def describe(char: str) -> str:
    """A character as a message names it: "字母 O", "字母 o", "数字 0", or the character in quotes.

    As typed: a message never upper-cases the clerk's input (a lower-case o is shown as o).
    """
    if "A" <= char <= "Z" or "a" <= char <= "z":
        return f"字母 {char}"
    if is_digit(char):
        return f"数字 {char}"
    return f"“{char}”"



# --------------------------------------------------------------------------
# The safety net: every string an ORM flush writes
# --------------------------------------------------------------------------


def _clean_instance(obj: object) -> None:
    table = getattr(type(obj), "__table__", None)
    if table is None:
        return
    for column in table.columns:
        value = obj.__dict__.get(column.key)
        if isinstance(value, str):
            cleaned = clean_text(value)
            if cleaned != value:
                setattr(obj, column.key, cleaned)


def _before_flush(session: Session, _context: UOWTransaction, _instances: object) -> None:
    for obj in (*session.new, *session.dirty):
        _clean_instance(obj)


def install_flush_cleaning() -> None:
    """Clean the string columns of every row an ORM session inserts or updates.

    The services that store free text (notes, reasons, unit names, settings …)
    are many; the rule is one. Registering it on the Session class makes it
    hold for every service, including ones written later, and costs one
    ``isprintable`` per string. Idempotent.
    """
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)


# --------------------------------------------------------------------------
# Text files picked by the user
# --------------------------------------------------------------------------

_BINARY_PROBE = 4096


def read_limited(path: Path, max_bytes: int, what: str) -> bytes:
    """The bytes of the regular file ``path``, refusing (in Chinese) anything larger than ``max_bytes``.

    ``what`` names the file for the message ("节假日通知文件", "导入文件").
    Devices, pipes and folders are refused before reading, and at most
    ``max_bytes + 1`` bytes are ever read, so a file that grows while it is
    read cannot exhaust the memory either.
    """
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise ValidationFailed(f"{path} 是文件夹，不是{what}：请选择一个文件。")
        if not stat.S_ISREG(info.st_mode):
            raise ValidationFailed(f"{path} 不是普通文件（设备或管道），不能作为{what}。")
        if info.st_size > max_bytes:
            raise ValidationFailed(_too_large(path, what, max_bytes))
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise ValidationFailed(f"无法读取{what} {path}：{exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise ValidationFailed(_too_large(path, what, max_bytes))
    return data


def _too_large(path: Path, what: str, max_bytes: int) -> str:
    limit = f"{max_bytes // (1024 * 1024)} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes // 1024} KB"
    return f"{path.name} 超过{what}的大小上限 {limit}：请确认选对了文件。"


def decode_text(data: bytes, name: str) -> str:
    """Text of a file saved as UTF-8 (with or without BOM) or GB18030; binary content is refused."""
    if b"\x00" in data[:_BINARY_PROBE]:
        # UTF-8 and GB18030 text never contains NUL; in the first few KB it means a binary file.
        raise ValidationFailed(f"{name} 不是文本文件（含二进制内容）：请导出为 .csv 或使用 .xlsx。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationFailed(f"{name} 既不是 UTF-8 也不是 GB18030 编码的文本文件：请另存为 UTF-8 后重试。")

