"""Checking what a clerk types into the application form (条例第二十九条).

Every check returns the normalised value and a list of :class:`Issue` whose
message, in Simplified Chinese, says exactly what is wrong and where, so the
clerk can compare it with the document in front of them. ``"error"`` means the
value cannot be right; ``"warning"`` means it may be right and deserves a look.

Guiding rule: a validator that turns away a real applicant is worse than no
validator. So only what is fixed by a national standard is an error — length,
character set, birth date, check character — and nothing that changes by
decree is hard-coded.

Resident ID numbers (公民身份号码, GB 11643-1999)
    18 characters: 6-digit area code, birth date YYYYMMDD, 3-digit sequence,
    check character (ISO 7064 MOD 11-2, 0-9 or X). The area code is *not*
    checked against any table: it records where the number was first issued
    and never changes, so numbers with the codes of abolished or renamed
    counties (110103 崇文区, 320802 清河区 …) stay valid for life, and the
    same format is used by the residence permits of Hong Kong, Macao and
    Taiwan residents (810000 / 820000 / 830000) and the 2023 foreigners'
    permanent-residence ID (leading 9). 15-digit first-generation numbers
    (no check character, YYMMDD with 19YY) are accepted with a warning.

Unified social credit codes (统一社会信用代码, GB 32100-2015)
    18 characters from 0-9 and A-Z without I, O, Z, S, V; check character mod
    31. The first two characters (registration authority, organisation
    category) are not checked against a table either: authorities have been
    added since 2015 (A 军队, N 农业农村 …) and may be again.

Why not python-stdnum (2.2, ``stdnum.cn.ric`` / ``stdnum.cn.uscc``)
    We read its source and ran it on well-formed numbers with correct check
    characters:

    * ``cn.ric.validate`` ends with ``get_birth_place``, which looks the
      first six digits up in a copy of Wikipedia's area-code tables (loc.dat)
      and raises ``InvalidComponent`` if the code is unknown *or was not in
      force in the birth year*. Numbers are assigned where the holder is
      registered when the number is first issued, usually years after birth,
      so this rejects real people: 110112 通州区 (code from 1997) born 1990,
      110111 房山区 (from 1986) born 1970, 320802 清河区 (from 1983) born
      1970, every Hong Kong resident-permit number (810000 "[1997-]") of
      someone born before 1997, every Taiwan one (830000, absent). Its own
      test suite asserts this behaviour. For a code under a known province
      with no county entry (e.g. 133100) ``is_valid`` even raises
      ``KeyError`` instead of returning False. It also does not strip inner spaces, nor check future or
      pre-1900 dates.
    * ``cn.uscc.validate`` requires the first eight characters to be digits,
      so it rejects real codes whose registration-authority character is a
      letter: Y (其他, in GB 32100-2015 itself), A (军队事业单位) and N
      (村、组、乡镇集体经济组织, given codes in large numbers since 2018).

    What is safe in the library is only the two check-character formulas,
    a single ``sum(...)`` each; depending on a package for them while writing
    all the structure checks and messages ourselves buys nothing, so this
    module uses no third-party code and python-stdnum is not a dependency.

Phone numbers are parsed permissively (mobile, landline with or without area
code, extension, service and 400/800 numbers, +86 and foreign numbers,
several numbers in one field). E-mail gets a sanity check, not RFC 5322.

The ``mask_*`` helpers serve 《个人信息保护法》: registers and exports show
ID numbers and phones masked unless the user asks otherwise (DOMAIN.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple

from request_desk.core.text import has_visible
from request_desk.core.vocab import ApplicantType

__all__ = [
    "CONTACT_FIELDS",
    "FIELD_LIMITS",
    "RESIDENT_ID",
    "Checked",
    "Issue",
    "Severity",
    "check_credit_code",
    "check_email",
    "check_id_number",
    "check_phone",
    "check_postal_code",
    "credit_code_check_character",
    "errors_only",
    "length_issues",
    "id_check_character",
    "mask_id_number",
    "mask_phone",
    "upgrade_legacy_id_number",
    "validate_applicant",
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


# ---------------------------------------------------------------------------
# Shared helpers


def _fold(raw: str | None) -> str:
    # NFKC turns what a Chinese IME types in full-width mode (３２０１, Ｘ,
    # ＠, （）, ideographic space) into the ASCII the rules are written for.
    return unicodedata.normalize("NFKC", raw or "").strip()


def _compact(raw: str | None) -> str:
    return "".join(_fold(raw).split())


# Letters that are misread or mistyped for digits on handwritten forms.
_LOOKALIKE_HINTS = {
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


def _is_digit(char: str) -> bool:
    # str.isdigit() also accepts "²" and Arabic-Indic digits; the standards mean 0-9.
    return "0" <= char <= "9"


def _all_digits(text: str) -> bool:
    return all(_is_digit(c) for c in text)


def _describe(char: str) -> str:
    if "A" <= char <= "Z":
        return f"字母 {char}"
    if _is_digit(char):
        return f"数字 {char}"
    return f"“{char}”"


# ---------------------------------------------------------------------------
# Resident ID numbers (GB 11643-1999)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# Index = weighted sum mod 11; value = the character that makes the total ≡ 1.
_ID_CHECK_CHARS = "10X98765432"
_EARLIEST_BIRTH = date(1900, 1, 1)


def id_check_character(first17: str) -> str:
    """The GB 11643 check character (0-9 or X) for the first 17 digits."""
    if len(first17) != 17 or not _all_digits(first17):
        raise ValueError(f"expected 17 digits, got {first17!r}")
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def upgrade_legacy_id_number(number15: str) -> str:
    """The 18-character number a 15-digit first-generation number became.

    GB 11643 transition rule: insert the century "19" before YYMMDD and append
    the check character; area code and sequence number are unchanged.
    """
    number15 = _compact(number15)
    if len(number15) != 15 or not _all_digits(number15):
        raise ValueError(f"expected 15 digits, got {number15!r}")
    first17 = number15[:6] + "19" + number15[6:]
    return first17 + id_check_character(first17)


def _birth_date_issues(number: str, field: str, today: date) -> list[Issue]:
    """Birth date of an 18-digit (YYYYMMDD) or 15-digit (YYMMDD, 19YY) number."""
    y = 4 if len(number) == 18 else 2  # digits of the year, which start at position 7
    shown = number[6 : 10 + y]
    year = int(number[6 : 6 + y]) + (0 if y == 4 else 1900)
    month, day = int(number[6 + y : 8 + y]), int(number[8 + y : 10 + y])

    def err(text: str, first: int, last: int) -> list[Issue]:
        where = f"请核对第{first}-{last}位"
        return [Issue(field, "error", f"身份证号码中的出生日期 {shown} 无效：{text}，{where}")]

    if year < _EARLIEST_BIRTH.year:
        return err(f"年份 {year} 早于1900年", 7, 6 + y)
    if not 1 <= month <= 12:
        return err(f"月份应为01-12，实际为{month:02d}", 7 + y, 8 + y)
    if not 1 <= day <= 31:
        return err(f"日应为01-31，实际为{day:02d}", 9 + y, 10 + y)
    try:
        born = date(year, month, day)
    except ValueError:
        return err(f"{year}年{month}月没有{day}日", 9 + y, 10 + y)
    if born > today:
        return err(f"{year}年{month}月{day}日晚于今天", 7, 10 + y)
    return []


def check_id_number(
    value: str | None, *, field: str = "id_number", today: date | None = None
) -> Checked:
    """Check a resident ID number; the normalised form has no spaces and upper-case X.

    ``today`` bounds the birth date (default: the system date).
    """
    today = today or date.today()
    number = _compact(value).upper()
    n = len(number)
    if not number:
        return Checked("", [Issue(field, "error", "未填写身份证号码")])
    if n == 15 and _all_digits(number):
        return _check_legacy_id(number, field)
    issues: list[Issue] = []
    if n != 18:
        issues.append(Issue(field, "error", f"身份证号码应为18位，当前为{n}位"))
        # With the length wrong we cannot tell which X is "the last"; skip X.
        strays = sorted({c for c in number if not (_is_digit(c) or c == "X")})
        if strays:
            shown = "、".join(_describe(c) for c in strays)
            issues.append(
                Issue(field, "error", f"身份证号码只能由数字和末位的 X 组成，发现{shown}")
            )
        return Checked(number, issues)

    for pos, char in enumerate(number[:17], start=1):
        if not _is_digit(char):
            hint = _LOOKALIKE_HINTS.get(char)
            tail = f"（可能是{hint}）" if hint else ""
            issues.append(
                Issue(field, "error", f"身份证号码第{pos}位应为数字，实际为{_describe(char)}{tail}")
            )
    last = number[17]
    if not (_is_digit(last) or last == "X"):
        issues.append(
            Issue(
                field,
                "error",
                f"身份证号码第18位校验码只能是数字 0-9 或字母 X，实际为{_describe(last)}",
            )
        )
    if issues:
        # Without 17 digits there is no birth date or check character to test.
        return Checked(number, issues)

    issues.extend(_birth_date_issues(number, field, today))
    expected = id_check_character(number[:17])
    if last != expected:
        issues.append(
            Issue(
                field,
                "error",
                f"身份证号码第18位校验码应为 {expected}，实际为 {last}，请核对是否抄错",
            )
        )
    return Checked(number, issues)


def _check_legacy_id(number: str, field: str) -> Checked:
    issues = _birth_date_issues(number, field, date.max)
    if issues:
        return Checked(number, issues)
    issues.append(
        Issue(
            field,
            "warning",
            "这是15位的第一代身份证号码（第一代身份证已于2013年1月1日停止使用），"
            f"请核对申请人现用证件；对应的18位号码应为 {upgrade_legacy_id_number(number)}",
        )
    )
    return Checked(number, issues)


def mask_id_number(value: str | None) -> str:
    """Hide the birth date and sequence: ``320102********1234``.

    Short or malformed input is masked harder, never less, than a full number.
    """
    s = _compact(value).upper()
    n = len(s)
    if n == 15:  # area code + YYMMDD + 3-digit sequence: keep area and sequence
        return s[:6] + "*" * 6 + s[-3:]
    if n >= 16:
        return s[:6] + "*" * (n - 10) + s[-4:]
    keep = min(4, n // 3)  # a fragment: show at most a third of it
    return "*" * (n - keep) + s[n - keep :]


# ---------------------------------------------------------------------------
# Unified social credit codes (GB 32100-2015)

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_FORBIDDEN_HINTS = {
    "I": "数字 1",
    "O": "数字 0",
    "Z": "数字 2",
    "S": "数字 5",
    "V": "字母 U 或 Y",
}


def credit_code_check_character(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters."""
    if len(first17) != 17 or any(c not in _USCC_ALPHABET for c in first17):
        raise ValueError(f"expected 17 characters of {_USCC_ALPHABET}, got {first17!r}")
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def check_credit_code(value: str | None, *, field: str = "credit_code") -> Checked:
    """Check a unified social credit code; normalised to upper case without spaces."""
    code = _compact(value).upper()
    n = len(code)
    if not code:
        return Checked("", [Issue(field, "error", "未填写统一社会信用代码")])

    issues: list[Issue] = []
    for pos, char in enumerate(code, start=1):
        if char in _USCC_ALPHABET:
            continue
        if char in _USCC_FORBIDDEN_HINTS:
            msg = (
                f"统一社会信用代码第{pos}位不能是字母 {char}（可能是{_USCC_FORBIDDEN_HINTS[char]}）"
            )
        else:
            msg = f"统一社会信用代码第{pos}位含有无效字符{_describe(char)}"
        issues.append(Issue(field, "error", msg))

    if n != 18:
        msg = f"统一社会信用代码应为18位，当前为{n}位"
        # Clerks sometimes copy the number that preceded the USCC (三证合一, 2015-2017).
        if n == 15 and _all_digits(code):
            msg += "（这可能是旧的营业执照注册号，请填写营业执照上的18位统一社会信用代码）"
        elif n == 9 or (n == 10 and code[8] == "-"):
            msg += "（这可能是旧的组织机构代码，请填写18位统一社会信用代码）"
        issues.insert(0, Issue(field, "error", msg))
        return Checked(code, issues)
    if issues:
        return Checked(code, issues)

    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        issues.append(
            Issue(
                field,
                "error",
                f"统一社会信用代码第18位校验码应为 {expected}，实际为 {code[17]}，请核对是否抄错",
            )
        )
    elif not _all_digits(code[2:8]):
        # Positions 3-8 are the registering authority's area code, digits in
        # every code we know of; the check character passed, so only a hint.
        issues.append(
            Issue(
                field,
                "warning",
                f"统一社会信用代码第3-8位通常是登记机关的行政区划代码（6位数字），当前为 {code[2:8]}，请核对",
            )
        )
    return Checked(code, issues)


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


def _parse_phone(text: str) -> _Phone | str:
    """One number; returns the parsed number or the Chinese message of the error."""
    ext = ""
    m = _EXTENSION.match(text)
    if m:
        text, ext = m["main"].strip(), m["ext"]
    strays = sorted({c for c in text if not _PHONE_ALLOWED.fullmatch(c)})
    if strays:
        return "电话号码中有无法识别的字符：" + "、".join(_describe(c.upper()) for c in strays)
    digits = re.sub(r"\D", "", text)
    if not digits:
        return "电话号码中没有数字"

    international = text.startswith("+") or digits.startswith("00")
    if international:
        digits = digits[2:] if digits.startswith("00") else digits
        if digits.startswith("86"):
            rest = digits[2:]
            # In +86 form the landline's leading 0 is dropped: +86 25 84000000.
            parsed = _classify(rest if rest.startswith("1") else "0" + rest, None)
        elif 7 <= len(digits) <= 15:
            parsed = _Phone("intl", digits)
        else:
            return f"国际电话号码应为7-15位数字（含国家代码），当前为{len(digits)}位"
    else:
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
    if isinstance(parsed, _Phone) and ext:
        parsed = _Phone(parsed.kind, parsed.number, parsed.area, ext)
    return parsed


def _phone_parts(value: str | None) -> list[str]:
    text = _fold(value).translate(_DASHES)
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
            compact = "".join(part.split())
            # Unrecognised: reveal at most 4 characters, and only of a long string.
            masked.append(_mask_tail(compact, 4 if len(compact) >= 8 else 0))
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
    code = _compact(value)
    if not code:
        return Checked("", [Issue(field, "error", "未填写邮政编码")])
    if not _all_digits(code):
        bad = "、".join(_describe(c.upper()) for c in sorted(set(code)) if not _is_digit(c))
        return Checked(code, [Issue(field, "error", f"邮政编码只能由数字组成，发现{bad}")])
    if len(code) != 6:
        return Checked(code, [Issue(field, "error", f"邮政编码应为6位数字，当前为{len(code)}位")])
    return Checked(code, [])


_TLD_TYPOS = {"con": "com", "cmo": "com", "ocm": "com", "comm": "com"}


def check_email(value: str | None, *, field: str = "email") -> Checked:
    """Sanity-check an e-mail address: one @, a name before it, a dotted domain after it."""
    text = _fold(value)
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


# ---------------------------------------------------------------------------
# Required fields (条例第二十九条)

#: At least one of these must be filled in; issues about it use field "contact".
CONTACT_FIELDS = ("phone", "address", "email")
#: Value of the optional ``id_type`` field meaning a mainland resident ID; any
#: other document (passport, 港澳居民来往内地通行证 …) is only required, not parsed.
RESIDENT_ID = "resident_id"


#: The longest text each field of the form takes, in characters (issue 11, item 10).
#: The short fields are their database columns' lengths (models.Request); the
#: long ones are what a register row and a letter can still print sensibly —
#: a description of 2,000 characters already fills a page of the register.
FIELD_LIMITS: dict[str, int] = {
    "name": 128,
    "id_number": 32,
    "credit_code": 32,
    "contact_person": 64,
    "phone": 64,
    "address": 256,
    "postal_code": 16,
    "email": 128,
    "description": 2000,
    "purpose": 500,
    "note": 1000,
}
FIELD_LABELS: dict[str, str] = {
    "name": "申请人姓名或名称",
    "id_number": "身份证件号码",
    "credit_code": "统一社会信用代码",
    "contact_person": "联系人",
    "phone": "联系电话",
    "address": "通信地址",
    "postal_code": "邮政编码",
    "email": "电子邮箱",
    "description": "所需信息描述",
    "purpose": "用途",
    "note": "备注",
}


def length_issues(fields: Mapping[str, str | None]) -> list[Issue]:
    """An error for every field of ``fields`` longer than its ``FIELD_LIMITS`` entry."""
    issues = []
    for key, limit in FIELD_LIMITS.items():
        n = len((fields.get(key) or "").strip())
        if n > limit:
            issues.append(Issue(key, "error", f"{FIELD_LABELS[key]}最多{limit}字，当前为{n}字，请精简"))
    return issues


def _present(fields: Mapping[str, str | None], key: str) -> bool:
    # Only zero-width or control characters (pasted from a web page) are no entry at all.
    return has_visible(_fold(fields.get(key)))


def validate_applicant(
    fields: Mapping[str, str | None],
    applicant_type: ApplicantType | str,
    *,
    today: date | None = None,
) -> list[Issue]:
    """All issues with an application's applicant and request fields, in form order.

    Keys read: name, id_type, id_number, credit_code, contact_person, phone,
    address, email, postal_code, description, purpose, note. Every field is
    held to its ``FIELD_LIMITS`` length. Natural persons need name and
    ID number; organisations need name, credit code and contact person; both
    need one contact and the description of the information sought. Any
    format-checked field that is filled in is checked, required or not.
    """
    kind = ApplicantType(applicant_type)
    issues: list[Issue] = []

    def require(key: str, message: str) -> bool:
        if _present(fields, key):
            return True
        if _fold(fields.get(key)):  # something was entered, but nothing that shows
            message = f"{FIELD_LABELS.get(key, '此项')}只有看不见的字符（如零宽空格），请删除后重新输入"
        issues.append(Issue(key, "error", message))
        return False

    if kind.is_organisation:
        require("name", "请填写法人或其他组织的名称")
    else:
        require("name", "请填写申请人姓名")

    resident_id = (_fold(fields.get("id_type")) or RESIDENT_ID) == RESIDENT_ID
    if kind.is_organisation:
        if require("credit_code", "请填写统一社会信用代码"):
            issues += check_credit_code(fields.get("credit_code")).issues
        require("contact_person", "请填写联系人姓名")
        if _present(fields, "id_number") and resident_id:  # e.g. the contact person's
            issues += check_id_number(fields.get("id_number"), today=today).issues
    elif require("id_number", "请填写身份证件号码") and resident_id:
        issues += check_id_number(fields.get("id_number"), today=today).issues

    checks = {"phone": check_phone, "email": check_email, "postal_code": check_postal_code}
    for key, check in checks.items():
        if _present(fields, key):
            issues += check(fields.get(key)).issues
    if not any(_present(fields, key) for key in CONTACT_FIELDS):
        issues.append(
            Issue("contact", "error", "请至少填写一种联系方式：联系电话、通信地址或电子邮箱")
        )

    require(
        "description",
        "请填写所需政府信息的名称、文号或者便于查询的其他特征性描述（条例第二十九条）",
    )
    issues += length_issues(fields)
    return issues


def errors_only(issues: Iterable[Issue]) -> list[Issue]:
    """The issues that block saving; warnings are for the clerk's attention only."""
    return [i for i in issues if i.severity == "error"]
