"""Masking personal numbers: ID and phone numbers, in their columns and inside free text.

Masking serves 《个人信息保护法》: registers and exports show ID numbers and
personal phone numbers masked unless the user asks otherwise (docs/domain.md,
"Personal data"). ``mask_id_number`` and ``mask_phone`` mask the 证件号码 and
联系电话 columns.

A phone number can only be masked once it is read: service and 400/800
numbers are public and shown unchanged, a landline keeps its area code, a
mobile its first three digits. So the reading of phone numbers (``parse_phone``,
``phone_parts``) lives here, and ``cases.validation.check_phone`` uses the same
reading — a number is checked and masked alike. The reading is permissive
(mobile, landline with or without area code, extension, service and 400/800
numbers, +86 and foreign numbers, several numbers in one field): an applicant
reached through a number the check did not foresee is still reached.

Applicants write their ID number or mobile number into the description
("本人身份证号 110105…，请电话联系 139…"), and clerks into notes. A masked
register hides the 证件号码 and 联系电话 columns; it must not print the same
numbers in full a few columns later. ``mask_free_text`` finds substrings
shaped like a resident ID number (18 characters, or the 15-digit first
generation) or a mainland mobile number (11 digits, optionally +86 and
grouped 3-4-4) and masks each with the same function as the column, so both
read alike.

Only whole numbers count: digits that continue a longer run (an account
number, a document number) are left alone, because the shape alone would
cut arbitrary numbers; letters next to a number do not protect it ("ID1101…"
is masked: masking too much is the safe side). Landlines and other numbers
are not personal enough to guess at in free text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from request_desk.core.text import compact, describe, fold

__all__ = ["PhoneNumber", "mask_free_text", "mask_id_number", "mask_phone", "parse_phone", "phone_parts"]

# ---------------------------------------------------------------------------
# Reading phone numbers

# Several numbers in one field ("139…/025-…", "139…、139…") are common.
_PHONE_SEPARATORS = re.compile(r"[/,;、]|或")
_EXTENSION = re.compile(r"^(?P<main>.*?)[\s-]*(?:转|分机|ext\.?|x|#)\s*(?P<ext>\d{1,6})$", re.I)
_PHONE_ALLOWED = re.compile(r"[\d\s\-()+.]")
# A Chinese IME types "——" for the hyphen key; NFKC leaves these dashes alone.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))


@dataclass(frozen=True)
class PhoneNumber:
    """One phone number as read from what was typed; ``formatted`` is its normalised form."""

    kind: Literal["mobile", "landline", "local", "service", "intl"]
    number: str  # mobile/local/service: the digits; landline: local part; intl: digits
    area: str = ""
    ext: str = ""

    def formatted(self) -> str:
        ext = f"转{self.ext}" if self.ext else ""
        if self.kind == "landline":
            return f"{self.area}-{self.number}{ext}"
        if self.kind == "service" and len(self.number) == 10:  # 400/800
            return f"{self.number[:3]}-{self.number[3:6]}-{self.number[6:]}{ext}"
        if self.kind == "intl":
            return f"+{self.number}{ext}"
        return self.number + ext


def _landline(digits: str, area_len: int | None = None) -> PhoneNumber | str:
    """Area code + 7/8-digit local number, or a message saying what is off."""
    if area_len is None:
        # 010 and 02X are the only three-digit area codes; all others are 0XXX.
        area_len = 3 if digits[:2] in ("01", "02") else 4
    area, local = digits[:area_len], digits[area_len:]
    if len(local) in (7, 8):
        return PhoneNumber("landline", local, area=area)
    return f"固定电话号码（区号 {area} 之后）应为7或8位，当前为{len(local)}位"


def _classify(digits: str, area_len: int | None) -> PhoneNumber | str:
    n = len(digits)
    if re.fullmatch(r"1[3-9]\d{9}", digits):
        return PhoneNumber("mobile", digits)
    if re.fullmatch(r"(?:0|86)1[3-9]\d{9}", digits):  # long-distance 0 or country code typed
        return PhoneNumber("mobile", digits[-11:])
    if re.fullmatch(r"[48]00\d{7}", digits):
        return PhoneNumber("service", digits)
    if re.fullmatch(r"1[0-2]\d{3,4}|9[56]\d{3,4}", digits):  # 12345, 10086, 95588 …
        return PhoneNumber("service", digits)
    if digits.startswith("0"):
        return _landline(digits, area_len)
    if re.fullmatch(r"[2-9]\d{6,7}", digits):
        return PhoneNumber("local", digits)
    if digits.startswith("1") and n == 11:
        return f"手机号码第2位应为3-9，实际为{digits[1]}"
    if digits.startswith("1"):
        return f"手机号码应为11位，当前为{n}位"
    return f"无法识别的电话号码（共{n}位数字），请核对"


def _international(digits: str) -> PhoneNumber | str:
    """A number written with + or 00: a Chinese one in +86 form, else any 7-15 digits."""
    digits = digits[2:] if digits.startswith("00") else digits
    if digits.startswith("86"):
        rest = digits[2:]
        # In +86 form the landline's leading 0 is dropped: +86 25 84000000.
        return _classify(rest if rest.startswith("1") else "0" + rest, None)
    if 7 <= len(digits) <= 15:
        return PhoneNumber("intl", digits)
    return f"国际电话号码应为7-15位数字（含国家代码），当前为{len(digits)}位"


def _domestic(text: str, digits: str, ext: str) -> tuple[PhoneNumber | str, str]:
    """A number without country code, and its extension (as typed, or read from the grouping)."""
    # Writers mark the area code with brackets or a hyphen: trust that
    # grouping, and read a third hyphen group as the extension.
    area_len: int | None = None
    bracket = re.match(r"^\((0\d{2,3})\)(.*)$", text)
    groups = [re.sub(r"\D", "", g) for g in text.split("-")]
    groups = [g for g in groups if g]
    if bracket:
        area_len = len(bracket[1])
        after = [re.sub(r"\D", "", g) for g in bracket[2].split("-")]
        after = [g for g in after if g]
        if not ext and len(after) == 2 and len(after[0]) in (7, 8) and len(after[1]) <= 6:
            digits, ext = bracket[1] + after[0], after[1]
    elif len(groups) >= 2 and re.fullmatch(r"0\d{2,3}", groups[0]):
        area_len = len(groups[0])
        if not ext and len(groups) == 3 and len(groups[1]) in (7, 8) and len(groups[2]) <= 6:
            digits, ext = groups[0] + groups[1], groups[2]
    parsed = _classify(digits, area_len)
    if isinstance(parsed, str) and not ext and len(groups) >= 2 and len(groups[-1]) <= 6:
        # "0527-812-3456-12"-style writing: last group may still be an extension.
        retry = _classify("".join(groups[:-1]), area_len)
        if isinstance(retry, PhoneNumber) and retry.kind in ("landline", "service"):
            parsed, ext = retry, groups[-1]
    return parsed, ext


def parse_phone(text: str) -> PhoneNumber | str:
    """One number (one of ``phone_parts``): the number read, or the Chinese message of what is wrong."""
    ext = ""
    m = _EXTENSION.match(text)
    if m:
        text, ext = m["main"].strip(), m["ext"]
    strays = sorted({c for c in text if not _PHONE_ALLOWED.fullmatch(c)})
    if strays:
        return "电话号码中有无法识别的字符：" + "、".join(describe(c) for c in strays)
    digits = re.sub(r"\D", "", text)
    if not digits:
        return "电话号码中没有数字"
    if text.startswith("+") or digits.startswith("00"):
        parsed = _international(digits)
    else:
        parsed, ext = _domestic(text, digits, ext)
    if isinstance(parsed, PhoneNumber) and ext:
        parsed = PhoneNumber(parsed.kind, parsed.number, parsed.area, ext)
    return parsed


def phone_parts(value: str | None) -> list[str]:
    """The numbers of one phone field, folded and trimmed ("139…/025-…" is two)."""
    text = fold(value).translate(_DASHES)
    return [p.strip() for p in _PHONE_SEPARATORS.split(text) if p.strip()]


# ---------------------------------------------------------------------------
# Masking

def mask_id_number(value: str | None) -> str:
    """Hide the birth date and sequence: ``320102********1234``.

    Short or malformed input is masked harder, never less, than a full number.
    """
    s = compact(value).upper()
    n = len(s)
    if n == 15:  # area code + YYMMDD + 3-digit sequence: keep area and sequence
        return s[:6] + "*" * 6 + s[-3:]
    if n >= 16:
        return s[:6] + "*" * (n - 10) + s[-4:]
    keep = min(4, n // 3)  # a fragment: show at most a third of it
    return "*" * (n - keep) + s[n - keep :]


def _mask_tail(s: str, keep: int) -> str:
    return "*" * (len(s) - keep) + s[len(s) - keep :]


def mask_phone(value: str | None) -> str:
    """Mask personal phone numbers for display: ``139****5678``, ``025-****0000``.

    Service and 400/800 numbers are public and shown unchanged; anything
    unrecognised keeps at most its last four characters.
    """
    masked: list[str] = []
    for part in phone_parts(value):
        p = parse_phone(part)
        if isinstance(p, str):
            squeezed = "".join(part.split())
            # Unrecognised: reveal at most 4 characters, and only of a long string.
            masked.append(_mask_tail(squeezed, 4 if len(squeezed) >= 8 else 0))
            continue
        ext = f"转{p.ext}" if p.ext else ""
        if p.kind == "mobile":
            masked.append(p.number[:3] + "****" + p.number[-4:] + ext)
        elif p.kind == "landline":
            masked.append(f"{p.area}-{_mask_tail(p.number, 4)}{ext}")
        elif p.kind == "local":
            masked.append(_mask_tail(p.number, 4) + ext)
        elif p.kind == "intl":
            head = min(3, max(0, len(p.number) - 8))  # the country code, roughly
            masked.append("+" + p.number[:head] + _mask_tail(p.number[head:], 4) + ext)
        else:
            masked.append(p.formatted())
    return "、".join(masked)


# \d also matches full-width digits (１３９…), which an IME types; the mask
# functions fold them (NFKC) before masking.
_ID_RE = re.compile(r"(?<!\d)(?:\d{6}[ -]?\d{8}[ -]?\d{3}[\dXxＸｘ]|\d{15})(?!\d)")
_MOBILE_RE = re.compile(r"(?<![\d+＋])(?:[+＋]?[8８][6６][ -]?)?[1１][3-9３-９]\d(?:[ -]?\d{4}){2}(?!\d)")
_GROUPING = re.compile(r"[ -]")


def mask_free_text(text: str) -> str:
    """``text`` with every ID-number-shaped and mobile-number-shaped substring masked."""
    if not text:
        return text
    text = _ID_RE.sub(lambda m: mask_id_number(_GROUPING.sub("", m.group())), text)
    return _MOBILE_RE.sub(lambda m: mask_phone(_GROUPING.sub("", m.group())), text)
