"""Contact details: phone numbers, postal codes and e-mail addresses.

Phone numbers are parsed permissively (mobile, landline with or without area
code, extension, service and 400/800 numbers, +86 and foreign numbers,
several numbers in one field): an applicant reached through a number the
check did not foresee is still reached. E-mail gets a sanity check, not
RFC 5322.

``mask_phone`` serves 《个人信息保护法》: registers and exports show personal
phone numbers masked unless the user asks otherwise (docs/domain.md,
"Personal data").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .issues import Checked, Issue, all_digits, compact, describe, fold, is_digit

__all__ = ["check_email", "check_phone", "check_postal_code", "mask_phone"]

# ---------------------------------------------------------------------------
# Phone numbers

# Several numbers in one field ("139…/025-…", "139…、139…") are common.
_PHONE_SEPARATORS = re.compile(r"[/,;、]|或")
_EXTENSION = re.compile(r"^(?P<main>.*?)[\s-]*(?:转|分机|ext\.?|x|#)\s*(?P<ext>\d{1,6})$", re.I)
_PHONE_ALLOWED = re.compile(r"[\d\s\-()+.]")
# A Chinese IME types "——" for the hyphen key; NFKC leaves these dashes alone.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))


@dataclass(frozen=True)
class _Phone:
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


def _landline(digits: str, area_len: int | None = None) -> _Phone | str:
    """Area code + 7/8-digit local number, or a message saying what is off."""
    if area_len is None:
        # 010 and 02X are the only three-digit area codes; all others are 0XXX.
        area_len = 3 if digits[:2] in ("01", "02") else 4
    area, local = digits[:area_len], digits[area_len:]
    if len(local) in (7, 8):
        return _Phone("landline", local, area=area)
    return f"固定电话号码（区号 {area} 之后）应为7或8位，当前为{len(local)}位"


def _classify(digits: str, area_len: int | None) -> _Phone | str:
    n = len(digits)
    if re.fullmatch(r"1[3-9]\d{9}", digits):
        return _Phone("mobile", digits)
    if re.fullmatch(r"(?:0|86)1[3-9]\d{9}", digits):  # long-distance 0 or country code typed
        return _Phone("mobile", digits[-11:])
    if re.fullmatch(r"[48]00\d{7}", digits):
        return _Phone("service", digits)
    if re.fullmatch(r"1[0-2]\d{3,4}|9[56]\d{3,4}", digits):  # 12345, 10086, 95588 …
        return _Phone("service", digits)
    if digits.startswith("0"):
        return _landline(digits, area_len)
    if re.fullmatch(r"[2-9]\d{6,7}", digits):
        return _Phone("local", digits)
    if digits.startswith("1") and n == 11:
        return f"手机号码第2位应为3-9，实际为{digits[1]}"
    if digits.startswith("1"):
        return f"手机号码应为11位，当前为{n}位"
    return f"无法识别的电话号码（共{n}位数字），请核对"


def _international(digits: str) -> _Phone | str:
    """A number written with + or 00: a Chinese one in +86 form, else any 7-15 digits."""
    digits = digits[2:] if digits.startswith("00") else digits
    if digits.startswith("86"):
        rest = digits[2:]
        # In +86 form the landline's leading 0 is dropped: +86 25 84000000.
        return _classify(rest if rest.startswith("1") else "0" + rest, None)
    if 7 <= len(digits) <= 15:
        return _Phone("intl", digits)
    return f"国际电话号码应为7-15位数字（含国家代码），当前为{len(digits)}位"


def _domestic(text: str, digits: str, ext: str) -> tuple[_Phone | str, str]:
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
        if isinstance(retry, _Phone) and retry.kind in ("landline", "service"):
            parsed, ext = retry, groups[-1]
    return parsed, ext


def _parse_phone(text: str) -> _Phone | str:
    """One number; returns the parsed number or the Chinese message of the error."""
    ext = ""
    m = _EXTENSION.match(text)
    if m:
        text, ext = m["main"].strip(), m["ext"]
    strays = sorted({c for c in text if not _PHONE_ALLOWED.fullmatch(c)})
    if strays:
        return "电话号码中有无法识别的字符：" + "、".join(describe(c.upper()) for c in strays)
    digits = re.sub(r"\D", "", text)
    if not digits:
        return "电话号码中没有数字"
    if text.startswith("+") or digits.startswith("00"):
        parsed = _international(digits)
    else:
        parsed, ext = _domestic(text, digits, ext)
    if isinstance(parsed, _Phone) and ext:
        parsed = _Phone(parsed.kind, parsed.number, parsed.area, ext)
    return parsed


def _phone_parts(value: str | None) -> list[str]:
    text = fold(value).translate(_DASHES)
    return [p.strip() for p in _PHONE_SEPARATORS.split(text) if p.strip()]


def check_phone(value: str | None, *, field: str = "phone") -> Checked:
    """Check one or more phone numbers.

    Normalised forms: ``13912345678``, ``025-84000000``, ``0527-8123456转123``,
    ``84000000`` (no area code), ``12345``, ``400-810-8888``, ``+85291234567``;
    several numbers are joined with ``、``.
    """
    parts = _phone_parts(value)
    if not parts:
        return Checked("", [Issue(field, "error", "未填写联系电话")])
    issues: list[Issue] = []
    normalised: list[str] = []
    for part in parts:
        # With several numbers, say which one a message is about.
        label = f"电话“{part}”：" if len(parts) > 1 else ""
        parsed = _parse_phone(part)
        if isinstance(parsed, str):
            issues.append(Issue(field, "error", label + parsed))
            normalised.append(part)
            continue
        normalised.append(parsed.formatted())
        if parsed.kind == "local":
            issues.append(
                Issue(
                    field, "warning", label + "固定电话未填写区号，外地申请人请补上区号（如 025-）"
                )
            )
        elif parsed.kind == "mobile" and parsed.ext:
            issues.append(Issue(field, "warning", label + "手机号码一般没有分机号，请核对"))
    return Checked("、".join(normalised), issues)


def _mask_tail(s: str, keep: int) -> str:
    return "*" * (len(s) - keep) + s[len(s) - keep :]


def mask_phone(value: str | None) -> str:
    """Mask personal phone numbers for display: ``139****5678``, ``025-****0000``.

    Service and 400/800 numbers are public and shown unchanged; anything
    unrecognised keeps at most its last four characters.
    """
    masked: list[str] = []
    for part in _phone_parts(value):
        p = _parse_phone(part)
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


# ---------------------------------------------------------------------------
# Postal codes and e-mail


def check_postal_code(value: str | None, *, field: str = "postal_code") -> Checked:
    """Check a mainland postal code: exactly six digits."""
    code = compact(value)
    if not code:
        return Checked("", [Issue(field, "error", "未填写邮政编码")])
    if not all_digits(code):
        bad = "、".join(describe(c.upper()) for c in sorted(set(code)) if not is_digit(c))
        return Checked(code, [Issue(field, "error", f"邮政编码只能由数字组成，发现{bad}")])
    if len(code) != 6:
        return Checked(code, [Issue(field, "error", f"邮政编码应为6位数字，当前为{len(code)}位")])
    return Checked(code, [])


_TLD_TYPOS = {"con": "com", "cmo": "com", "ocm": "com", "comm": "com"}


def check_email(value: str | None, *, field: str = "email") -> Checked:
    """Sanity-check an e-mail address: one @, a name before it, a dotted domain after it."""
    text = fold(value)
    if not text:
        return Checked("", [Issue(field, "error", "未填写电子邮箱")])
    issues: list[Issue] = []
    if "。" in text:  # the Chinese full stop does not fold to "." under NFKC
        text = text.replace("。", ".")
        issues.append(Issue(field, "warning", "电子邮箱中的中文句号“。”已改为英文句点“.”，请核对"))
    if any(c.isspace() for c in text):
        issues.append(Issue(field, "error", "电子邮箱中不能有空格"))
        text = "".join(text.split())
    if text.count("@") != 1:
        issues.append(
            Issue(field, "error", f"电子邮箱应包含且只包含一个 @，当前有{text.count('@')}个")
        )
        return Checked(text, issues)
    local, domain = text.split("@")
    domain = domain.lower()
    normalised = f"{local}@{domain}"
    if not local:
        issues.append(Issue(field, "error", "电子邮箱 @ 前面缺少用户名"))
    labels = domain.split(".")
    if not domain:
        issues.append(Issue(field, "error", "电子邮箱 @ 后面缺少域名（如 qq.com）"))
    elif len(labels) < 2 or not all(labels):
        issues.append(
            Issue(field, "error", f"电子邮箱的域名“{domain}”不完整，应类似 qq.com、163.com")
        )
    elif labels[-1] in _TLD_TYPOS:
        likely = _TLD_TYPOS[labels[-1]]
        issues.append(
            Issue(field, "warning", f"电子邮箱的域名“{domain}”可能拼写有误（是否应为 .{likely}？）")
        )
    return Checked(normalised, issues)

