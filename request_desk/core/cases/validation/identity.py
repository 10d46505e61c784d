"""Identity numbers: resident ID numbers (GB 11643) and unified social credit codes (GB 32100).

Only what the national standards fix is an error here — length, character
set, birth date, check character; nothing that changes by decree is
hard-coded. Passports, 港澳居民来往内地通行证 and the other documents are
recorded, not parsed (``applicant.RESIDENT_ID``).

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

Masking the number (``mask_id_number``) is in ``request_desk.core.masking``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from .issues import LOOKALIKE_HINTS, Checked, Issue, all_digits, compact, describe, is_digit

__all__ = [
    "check_credit_code",
    "check_id_number",
    "credit_code_check_character",
    "id_check_character",
    "upgrade_legacy_id_number",
]

# ---------------------------------------------------------------------------
# Resident ID numbers (GB 11643-1999)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# Index = weighted sum mod 11; value = the character that makes the total ≡ 1.
_ID_CHECK_CHARS = "10X98765432"
_EARLIEST_BIRTH = date(1900, 1, 1)


def id_check_character(first17: str) -> str:
    """The GB 11643 check character (0-9 or X) for the first 17 digits."""
    if len(first17) != 17 or not all_digits(first17):
        raise ValueError(f"expected 17 digits, got {first17!r}")
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def upgrade_legacy_id_number(number15: str) -> str:
    """The 18-character number a 15-digit first-generation number became.

    GB 11643 transition rule: insert the century "19" before YYMMDD and append
    the check character; area code and sequence number are unchanged.
    """
    number15 = compact(number15)
    if len(number15) != 15 or not all_digits(number15):
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
    typed = compact(value)
    number = typed.upper()
    shown = _as_typed(typed, number)
    n = len(number)
    if not number:
        return Checked("", [Issue(field, "error", "未填写身份证号码")])
    if n == 15 and all_digits(number):
        return _check_legacy_id(number, field)
    issues: list[Issue] = []
    if n != 18:
        issues.append(Issue(field, "error", f"身份证号码应为18位，当前为{n}位"))
        # With the length wrong we cannot tell which X is "the last"; skip X.
        strays = sorted({shown(i) for i, c in enumerate(number) if not (is_digit(c) or c == "X")})
        if strays:
            found = "、".join(describe(c) for c in strays)
            issues.append(
                Issue(field, "error", f"身份证号码只能由数字和末位的 X 组成，发现{found}")
            )
        return Checked(number, issues)

    for pos, char in enumerate(number[:17], start=1):
        if not is_digit(char):
            hint = LOOKALIKE_HINTS.get(char)
            tail = f"（可能是{hint}）" if hint else ""
            issues.append(
                Issue(field, "error", f"身份证号码第{pos}位应为数字，实际为{describe(shown(pos - 1))}{tail}")
            )
    last = number[17]
    if not (is_digit(last) or last == "X"):
        issues.append(
            Issue(
                field,
                "error",
                f"身份证号码第18位校验码只能是数字 0-9 或字母 X，实际为{describe(shown(17))}",
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


def _as_typed(typed: str, upper: str) -> Callable[[int], str]:
    """The character at a position as the clerk typed it: messages never upper-case their input."""
    same = len(typed) == len(upper)  # upper() can change the length ("ß" → "SS")
    return lambda i: typed[i] if same else upper[i]


def check_credit_code(value: str | None, *, field: str = "credit_code") -> Checked:
    """Check a unified social credit code; normalised to upper case without spaces."""
    typed = compact(value)
    code = typed.upper()
    shown = _as_typed(typed, code)
    n = len(code)
    if not code:
        return Checked("", [Issue(field, "error", "未填写统一社会信用代码")])

    issues: list[Issue] = []
    for pos, char in enumerate(code, start=1):
        if char in _USCC_ALPHABET:
            continue
        if char in _USCC_FORBIDDEN_HINTS:
            msg = (
                f"统一社会信用代码第{pos}位不能是字母 {shown(pos - 1)}（可能是{_USCC_FORBIDDEN_HINTS[char]}）"
            )
        else:
            msg = f"统一社会信用代码第{pos}位含有无效字符{describe(shown(pos - 1))}"
        issues.append(Issue(field, "error", msg))

    if n != 18:
        msg = f"统一社会信用代码应为18位，当前为{n}位"
        # Clerks sometimes copy the number that preceded the USCC (三证合一, 2015-2017).
        if n == 15 and all_digits(code):
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
    elif not all_digits(code[2:8]):
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

