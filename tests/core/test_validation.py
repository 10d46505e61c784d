"""Tests for request_desk.core.cases.validation (identity numbers, contact details, the form).

Check characters are never taken from the code under test: the oracles below
use the *recursive* forms of the two algorithms (ISO 7064 MOD 11-2 for GB
11643, Horner's rule with base 3 for GB 32100), not the weight tables the
module uses, and are themselves pinned to published numbers (the GB 11643
example, real unified social credit codes).
"""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any

import pytest

from request_desk.core.cases.validation import (
    CONTACT_FIELDS,
    Issue,
    Severity,
    check_credit_code,
    check_email,
    check_id_number,
    check_phone,
    check_postal_code,
    credit_code_check_character,
    errors_only,
    id_check_character,
    mask_id_number,
    mask_phone,
    missing_items,
    supplement_request,
    upgrade_legacy_id_number,
    validate_applicant,
)
from request_desk.core.vocab import ApplicantType
from tests.factories import ID_CHECK_DAY as TODAY

# ---------------------------------------------------------------------------
# Independent oracles


def gb11643_check(body: str) -> str:
    """ISO 7064 MOD 11-2, recursive form: p ← 2(p + d) mod 11, check = (1 − p) mod 11."""
    p = 0
    for digit in body:
        p = (p + int(digit)) * 2 % 11
    return "0123456789X"[(12 - p) % 11]


# GB 32100: digits, then capital letters without I, O, Z, S, V.
USCC_ALPHABET = string.digits + "".join(c for c in string.ascii_uppercase if c not in "IOZSV")


def gb32100_check(body: str) -> str:
    """Σ value·3^i mod 31 by Horner's rule from the right; check = −Σ mod 31."""
    acc = 0
    for char in reversed(body):
        acc = (acc * 3 + USCC_ALPHABET.index(char)) % 31
    return USCC_ALPHABET[-acc % 31]


def with_id_check(body: str) -> str:
    return body + gb11643_check(body)


def with_uscc_check(body: str) -> str:
    return body + gb32100_check(body)


def test_oracles_match_published_numbers() -> None:
    # GB 11643-1999's own example (北京市朝阳区, 1949-12-31). By hand:
    # 1·7+1·9+0·10+1·5+0·8+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+0·8+0·4+2·2
    # = 167 ≡ 2 (mod 11), and 2 + 10 ≡ 1, so the check value is 10 = X.
    assert gb11643_check("11010519491231002") == "X"
    assert USCC_ALPHABET == "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for code in REAL_CREDIT_CODES:
        assert gb32100_check(code[:17]) == code[17], code


# ---------------------------------------------------------------------------
# Resident ID numbers

# 17-digit bodies; the check character is derived by the oracle.
VALID_ID_BODIES = {
    "GB 11643 example": "11010519491231002",
    "110103 崇文区, abolished 2010": "11010319850506001",
    "320802 清河区 (old 淮阴), abolished 2016, born before the code existed": "32080219700506001",
    "320811 清浦区, abolished 2016": "32081120050815001",
    "110112 通州区, code from 1997, holder born 1990": "11011219900301001",
    "810000 Hong Kong resident permit, born before 1997": "81000019800101001",
    "830000 Taiwan resident permit": "83000019751231001",
    "born 1905": "11010119050101001",
    "born on the earliest accepted day": "11010119000101001",
    "leap day 2000": "11010120000229001",
    "born today (newborn)": "110101" + TODAY.strftime("%Y%m%d") + "001",
    "foreigner's permanent-residence ID, 2023 format": "93184019850101001",
    "first area code digit unknown to any table": "99999919900101001",
}

# Bodies chosen so that the check character is X (asserted below).
X_ID_BODIES = [
    "11010519491231002",
    "11010319850506009",
    "32080219700506017",
    "32081120050815008",
    "81000019800101009",
    "83000019751231000",
    "11010119050101007",
]


@pytest.mark.parametrize("body", VALID_ID_BODIES.values(), ids=VALID_ID_BODIES.keys())
def test_valid_id_numbers_pass(body: str) -> None:
    number = with_id_check(body)
    assert check_id_number(number, today=TODAY) == (number, [])


@pytest.mark.parametrize("body", X_ID_BODIES)
def test_id_numbers_ending_in_x_pass(body: str) -> None:
    assert gb11643_check(body) == "X"
    assert check_id_number(body + "X", today=TODAY) == (body + "X", [])


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("11010519491231002x", "11010519491231002X"),
        ("110105 19491231 002X", "11010519491231002X"),
        ("  11010519491231002X\t", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),  # full-width IME input
        ("110105\u300019491231002x", "11010519491231002X"),  # ideographic space
    ],
)
def test_id_number_is_normalised(typed: str, normalised: str) -> None:
    result = check_id_number(typed, today=TODAY)
    assert result.value == normalised
    assert result.ok and result.issues == []


@pytest.mark.parametrize("body", list(VALID_ID_BODIES.values())[:6])
def test_every_wrong_check_character_is_reported(body: str) -> None:
    right = gb11643_check(body)
    for wrong in "0123456789X".replace(right, ""):
        result = check_id_number(body + wrong, today=TODAY)
        assert result.issues == [
            Issue(
                "id_number",
                "error",
                f"身份证号码第18位校验码应为 {right}，实际为 {wrong}，请核对是否抄错",
            )
        ]


def test_brief_example_check_character_message() -> None:
    # 3+2·9+0·10+1·5+0·8+2·4+1·2+9·1+9·6+0·3+0·7+1·9+0·10+1·5+1·8+2·4+3·2:
    # 21+18+0+5+0+8+2+9+54+0+0+9+0+5+8+8+6 = 153 ≡ 10 (mod 11) → check 2.
    assert check_id_number("320102199001011234", today=TODAY).issues == [
        Issue("id_number", "error", "身份证号码第18位校验码应为 2，实际为 4，请核对是否抄错")
    ]


@pytest.mark.parametrize("body", ["11010519491231002", "32080219700506001", "81000019800101001"])
def test_adjacent_transpositions_are_caught(body: str) -> None:
    number = with_id_check(body)
    swapped = 0
    for i in range(17):  # positions i+1, i+2; the last pair includes the check char
        a, b = number[i], number[i + 1]
        if a == b or not (a.isdigit() and b.isdigit()):
            continue
        typo = number[:i] + b + a + number[i + 2 :]
        assert not check_id_number(typo, today=TODAY).ok, typo
        swapped += 1
    assert swapped >= 10


def test_every_single_digit_mistype_is_caught() -> None:
    number = with_id_check("32080219700506001")
    for i in range(17):
        for d in string.digits:
            if d != number[i]:
                typo = number[:i] + d + number[i + 1 :]
                assert not check_id_number(typo, today=TODAY).ok, typo


@pytest.mark.parametrize(
    ("typed", "messages"),
    [
        ("1101051949123100X", ["身份证号码应为18位，当前为17位"]),
        ("11010519491231002X1", ["身份证号码应为18位，当前为19位"]),
        ("1101051949123", ["身份证号码应为18位，当前为13位"]),
        (
            "110105-19491231-002X",
            ["身份证号码应为18位，当前为20位", "身份证号码只能由数字和末位的 X 组成，发现“-”"],
        ),
        ("3201021990O1011234", ["身份证号码第11位应为数字，实际为字母 O（可能是数字 0）"]),
        ("I10105194912310021", ["身份证号码第1位应为数字，实际为字母 I（可能是数字 1）"]),
        ("110105X94912310021", ["身份证号码第7位应为数字，实际为字母 X"]),
        (
            "1101051949123100A",  # 17 characters
            ["身份证号码应为18位，当前为17位", "身份证号码只能由数字和末位的 X 组成，发现字母 A"],
        ),
        ("11010519491231002A", ["身份证号码第18位校验码只能是数字 0-9 或字母 X，实际为字母 A"]),
        ("11010519491231002?", ["身份证号码第18位校验码只能是数字 0-9 或字母 X，实际为“?”"]),
        ("", ["未填写身份证号码"]),
        (None, ["未填写身份证号码"]),
        ("   ", ["未填写身份证号码"]),
    ],
)
def test_malformed_id_numbers(typed: str | None, messages: list[str]) -> None:
    result = check_id_number(typed, today=TODAY)
    assert [i.message for i in result.issues] == messages
    assert all(i.severity == "error" and i.field == "id_number" for i in result.issues)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("11010519900230001", "出生日期 19900230 无效：1990年2月没有30日，请核对第13-14位"),
        ("11010519900229001", "出生日期 19900229 无效：1990年2月没有29日，请核对第13-14位"),
        ("11010519000229001", "出生日期 19000229 无效：1900年2月没有29日，请核对第13-14位"),
        ("11010519900431001", "出生日期 19900431 无效：1990年4月没有31日，请核对第13-14位"),
        ("11010519901301001", "出生日期 19901301 无效：月份应为01-12，实际为13，请核对第11-12位"),
        ("11010519900001001", "出生日期 19900001 无效：月份应为01-12，实际为00，请核对第11-12位"),
        ("11010519900100001", "出生日期 19900100 无效：日应为01-31，实际为00，请核对第13-14位"),
        ("11010519900132001", "出生日期 19900132 无效：日应为01-31，实际为32，请核对第13-14位"),
        ("11010518991231001", "出生日期 18991231 无效：年份 1899 早于1900年，请核对第7-10位"),
        ("11010520260602001", "出生日期 20260602 无效：2026年6月2日晚于今天，请核对第7-14位"),
        ("11010530000101001", "出生日期 30000101 无效：3000年1月1日晚于今天，请核对第7-14位"),
    ],
)
def test_impossible_birth_dates(body: str, message: str) -> None:
    result = check_id_number(with_id_check(body), today=TODAY)
    assert result.issues == [Issue("id_number", "error", "身份证号码中的" + message)]


def test_future_birth_date_uses_the_system_date_by_default() -> None:
    assert not check_id_number(with_id_check("11010520991231001")).ok
    assert check_id_number(with_id_check("11010519491231001")).ok


def test_date_and_check_errors_are_both_reported() -> None:
    body = "11010519900230001"
    wrong = "0" if gb11643_check(body) != "0" else "1"
    messages = [i.message for i in check_id_number(body + wrong, today=TODAY).issues]
    assert len(messages) == 2
    assert "1990年2月没有30日" in messages[0]
    assert messages[1].startswith("身份证号码第18位校验码应为")


def test_legacy_15_digit_number_is_a_warning_with_its_18_digit_form() -> None:
    result = check_id_number("110105491231002", today=TODAY)
    assert result.ok
    assert result.value == "110105491231002"
    [warning] = result.issues
    assert warning.severity == "warning" and warning.field == "id_number"
    assert "15位" in warning.message
    # GB 11643's own upgrade example: 110105491231002 → 11010519491231002X.
    assert warning.message.endswith("对应的18位号码应为 11010519491231002X")


@pytest.mark.parametrize("legacy", ["320802700506001", "810000800101001", "110101000101123"])
def test_upgrade_legacy_id_number(legacy: str) -> None:
    expected = with_id_check(legacy[:6] + "19" + legacy[6:])
    assert upgrade_legacy_id_number(legacy) == expected
    assert check_id_number(expected, today=TODAY).ok


@pytest.mark.parametrize(
    ("legacy", "message"),
    [
        (
            "110105490230002",
            "身份证号码中的出生日期 490230 无效：1949年2月没有30日，请核对第11-12位",
        ),
        (
            "110105491301002",
            "身份证号码中的出生日期 491301 无效：月份应为01-12，实际为13，请核对第9-10位",
        ),
        (
            "110105010229002",
            "身份证号码中的出生日期 010229 无效：1901年2月没有29日，请核对第11-12位",
        ),
    ],
)
def test_legacy_number_with_impossible_date_is_an_error(legacy: str, message: str) -> None:
    assert check_id_number(legacy, today=TODAY).issues == [Issue("id_number", "error", message)]


@pytest.mark.parametrize(
    "bad", ["1101051949123100", "1101051949123100222", "11010519491231002X", "ABC"]
)
def test_check_character_helpers_reject_bad_input(bad: str) -> None:
    with pytest.raises(ValueError):
        id_check_character(bad)
    with pytest.raises(ValueError):
        upgrade_legacy_id_number(bad)


def test_id_check_character_agrees_with_oracle_on_many_bodies() -> None:
    for seq in range(0, 1000, 7):
        body = f"32080219700506{seq:03d}"
        assert id_check_character(body) == gb11643_check(body)


# ---------------------------------------------------------------------------
# Unified social credit codes

REAL_CREDIT_CODES = {
    "91110000600037341L": "python-stdnum documentation example",
    "121200004013590816": "a Tianjin 事业单位 (python-stdnum test list, found online)",
    "914403001922038216": "华为技术有限公司",
    "91440300708461136T": "深圳市腾讯计算机系统有限公司",
    "91330100716105852F": "阿里巴巴（中国）有限公司",
    "91110000802100433B": "北京百度网讯科技有限公司",
    "91110108551385082Q": "小米科技有限责任公司",
    "91340600MA2PBM9HXD": "an 淮北 enterprise with letters in the body (python-stdnum list)",
    "92340602MA2PBMEM24": "an 个体工商户 (python-stdnum list)",
    "11100000000013338W": "中华人民共和国住房和城乡建设部 (prefix of its e-licence type codes)",
}


@pytest.mark.parametrize("code", REAL_CREDIT_CODES, ids=REAL_CREDIT_CODES.values())
def test_real_credit_codes_pass(code: str) -> None:
    assert check_credit_code(code) == (code, [])


# Registration authority + category codes (GB 32100-2015 and later additions),
# including those python-stdnum rejects (A, N, Y as first character).
SYNTHETIC_CREDIT_BODIES = {
    "11 机关": "11320800MB1234567",
    "12 事业单位": "12320800MB1234567",
    "31 律师事务所": "31320000MD1234567",
    "51 社会团体": "51320800MJ1234567",
    "52 民办非企业单位": "52320800MJ1234567",
    "53 基金会": "53320000MJ1234567",
    "71 宗教活动场所": "71320800MC1234567",
    "81 基层工会": "81320800MC1234567",
    "93 农民专业合作社": "93320800MA1234567",
    "A1 军队事业单位": "A1100000MB0000001",
    "N2 村级集体经济组织": "N2320802MF0000001",
    "N3 乡镇级集体经济组织": "N3320802MF0000001",
    "Y1 其他": "Y1110000MA0000001",
}


@pytest.mark.parametrize(
    "body", SYNTHETIC_CREDIT_BODIES.values(), ids=SYNTHETIC_CREDIT_BODIES.keys()
)
def test_credit_codes_of_every_registration_authority_pass(body: str) -> None:
    code = with_uscc_check(body)
    assert check_credit_code(code) == (code, [])


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("91110000600037341l", "91110000600037341L"),
        ("9111 0000 6000 3734 1L", "91110000600037341L"),
        (" 914403001922038216 ", "914403001922038216"),
        ("９１４４０３００７０８４６１１３６Ｔ", "91440300708461136T"),
    ],
)
def test_credit_code_is_normalised(typed: str, normalised: str) -> None:
    assert check_credit_code(typed) == (normalised, [])


@pytest.mark.parametrize("code", list(REAL_CREDIT_CODES)[:4])
def test_wrong_credit_code_check_character(code: str) -> None:
    right = code[17]
    for wrong in "0A9Y":
        if wrong == right:
            continue
        assert check_credit_code(code[:17] + wrong).issues == [
            Issue(
                "credit_code",
                "error",
                f"统一社会信用代码第18位校验码应为 {right}，实际为 {wrong}，请核对是否抄错",
            )
        ]


@pytest.mark.parametrize("code", ["91340600MA2PBM9HXD", "N2320802MF00000016"])
def test_credit_code_substitutions_and_transpositions_are_caught(code: str) -> None:
    code = with_uscc_check(code[:17])
    for i in range(17):
        for c in USCC_ALPHABET:
            if c != code[i]:
                typo = code[:i] + c + code[i + 1 :]
                assert not check_credit_code(typo).ok, typo
        if code[i] != code[i + 1]:
            typo = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            assert not check_credit_code(typo).ok, typo


@pytest.mark.parametrize(
    ("position", "letter", "hint"),
    [
        (5, "O", "数字 0"),
        (10, "O", "数字 0"),
        (18, "O", "数字 0"),
        (12, "I", "数字 1"),
        (1, "I", "数字 1"),
        (15, "Z", "数字 2"),
        (9, "S", "数字 5"),
        (16, "V", "字母 U 或 Y"),
    ],
)
def test_forbidden_letters_name_their_position(position: int, letter: str, hint: str) -> None:
    code = "91110000600037341L"
    typo = code[: position - 1] + letter + code[position:]
    assert check_credit_code(typo).issues == [
        Issue(
            "credit_code",
            "error",
            f"统一社会信用代码第{position}位不能是字母 {letter}（可能是{hint}）",
        )
    ]


def test_lowercase_forbidden_letter_is_reported_as_typed() -> None:
    assert check_credit_code("9111000o600037341L").issues == [
        Issue("credit_code", "error", "统一社会信用代码第8位不能是字母 o（可能是数字 0）")
    ]


@pytest.mark.parametrize(
    ("typed", "messages"),
    [
        ("9111000060003734", ["统一社会信用代码应为18位，当前为16位"]),
        ("91110000600037341LL", ["统一社会信用代码应为18位，当前为19位"]),
        (
            "600037341",
            [
                "统一社会信用代码应为18位，当前为9位（这可能是旧的组织机构代码，请填写18位统一社会信用代码）"
            ],
        ),
        (
            "110108001234567",
            [
                "统一社会信用代码应为18位，当前为15位"
                "（这可能是旧的营业执照注册号，请填写营业执照上的18位统一社会信用代码）"
            ],
        ),
        ("911100006000373#1L", ["统一社会信用代码第16位含有无效字符“#”"]),
        ("91110000中00037341L", ["统一社会信用代码第9位含有无效字符“中”"]),
        (
            "9111000O60003734",
            [
                "统一社会信用代码应为18位，当前为16位",
                "统一社会信用代码第8位不能是字母 O（可能是数字 0）",
            ],
        ),
        ("", ["未填写统一社会信用代码"]),
        (None, ["未填写统一社会信用代码"]),
    ],
)
def test_malformed_credit_codes(typed: str | None, messages: list[str]) -> None:
    result = check_credit_code(typed)
    assert [i.message for i in result.issues] == messages
    assert not result.ok


def test_letters_in_the_area_code_part_are_only_a_warning() -> None:
    code = with_uscc_check("9132A800MA1234567")
    result = check_credit_code(code)
    assert result.ok
    assert [i.severity for i in result.issues] == ["warning"]
    assert "第3-8位" in result.issues[0].message


def test_credit_code_check_character_helper() -> None:
    for code in REAL_CREDIT_CODES:
        assert credit_code_check_character(code[:17]) == code[17]
    with pytest.raises(ValueError):
        credit_code_check_character("9111000060003734O")
    with pytest.raises(ValueError):
        credit_code_check_character("911100006000373")


# ---------------------------------------------------------------------------
# Phone numbers


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("13912345678", "13912345678"),
        ("139 1234 5678", "13912345678"),
        ("139-1234-5678", "13912345678"),
        ("+86 139 1234 5678", "13912345678"),
        ("+8613912345678", "13912345678"),
        ("0086 13912345678", "13912345678"),
        ("8613912345678", "13912345678"),
        ("013912345678", "13912345678"),
        ("１９９１２３４５６７８", "19912345678"),
        ("16612345678", "16612345678"),
        ("025-84000000", "025-84000000"),
        ("02584000000", "025-84000000"),
        ("025 8400 0000", "025-84000000"),
        ("010-12345678", "010-12345678"),
        ("0527-8123456", "0527-8123456"),
        ("05278123456", "0527-8123456"),
        ("0755-86013388", "0755-86013388"),
        ("(0527)8123456", "0527-8123456"),
        ("（0527）8123456", "0527-8123456"),
        ("(0527) 812 3456", "0527-8123456"),
        ("0527-812-3456", "0527-8123456"),
        ("0527—8123456", "0527-8123456"),  # em dash from a Chinese IME
        ("025——84000000", "025-84000000"),
        ("+86 25 8400 0000", "025-84000000"),
        ("025-84000000-123", "025-84000000转123"),
        ("025-84000000转123", "025-84000000转123"),
        ("025-84000000 转 123", "025-84000000转123"),
        ("025-84000000分机123", "025-84000000转123"),
        ("025-84000000 ext. 123", "025-84000000转123"),
        ("0527-8123456-1", "0527-8123456转1"),
        ("(0527)8123456-12", "0527-8123456转12"),
        ("12345", "12345"),
        ("12315", "12315"),
        ("10086", "10086"),
        ("95588", "95588"),
        ("400-810-8888", "400-810-8888"),
        ("4008108888", "400-810-8888"),
        ("800 820 8820", "800-820-8820"),
        ("400-810-8888转2", "400-810-8888转2"),
        ("+852 9123 4567", "+85291234567"),
        ("00852-91234567", "+85291234567"),
        ("+1 415 555 2671", "+14155552671"),
        ("13912345678/025-84000000", "13912345678、025-84000000"),
        ("13912345678、13812345678", "13912345678、13812345678"),
        ("13912345678，025-84000000", "13912345678、025-84000000"),
    ],
)
def test_valid_phone_numbers(typed: str, normalised: str) -> None:
    assert check_phone(typed) == (normalised, [])


@pytest.mark.parametrize(
    ("typed", "normalised", "warning"),
    [
        ("84000000", "84000000", "固定电话未填写区号"),
        ("8123456", "8123456", "固定电话未填写区号"),
        ("13912345678转1", "13912345678转1", "手机号码一般没有分机号"),
    ],
)
def test_phone_numbers_with_warnings(typed: str, normalised: str, warning: str) -> None:
    result = check_phone(typed)
    assert result.ok and result.value == normalised
    [issue] = result.issues
    assert issue.severity == "warning" and warning in issue.message


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1391234567", "手机号码应为11位，当前为10位"),
        ("139123456789", "手机号码应为11位，当前为12位"),
        ("12345678901", "手机号码第2位应为3-9，实际为2"),
        ("025-840000", "固定电话号码（区号 025 之后）应为7或8位，当前为6位"),
        ("0527-812345678", "固定电话号码（区号 0527 之后）应为7或8位，当前为9位"),
        ("abc", "电话号码中有无法识别的字符：字母 a、字母 b、字母 c"),
        ("139一二三45678", "电话号码中有无法识别的字符：“一”、“三”、“二”"),
        ("---", "电话号码中没有数字"),
        ("123", "手机号码应为11位，当前为3位"),
        ("555", "无法识别的电话号码（共3位数字），请核对"),
        ("+852 12", "国际电话号码应为7-15位数字（含国家代码），当前为5位"),
        ("", "未填写联系电话"),
    ],
)
def test_garbage_phone_numbers(typed: str, message: str) -> None:
    assert check_phone(typed).issues == [Issue("phone", "error", message)]


def test_each_of_several_numbers_is_checked_and_named() -> None:
    result = check_phone("13912345678 / 139123")
    assert result.value == "13912345678、139123"
    assert result.issues == [Issue("phone", "error", "电话“139123”：手机号码应为11位，当前为6位")]


# ---------------------------------------------------------------------------
# Postal codes and e-mail


@pytest.mark.parametrize(
    ("typed", "normalised", "messages"),
    [
        ("210000", "210000", []),
        (" 223 300 ", "223300", []),
        ("０１００００", "010000", []),
        ("21000", "21000", ["邮政编码应为6位数字，当前为5位"]),
        ("2100001", "2100001", ["邮政编码应为6位数字，当前为7位"]),
        ("2100OO", "2100OO", ["邮政编码只能由数字组成，发现字母 O"]),
        ("210-000", "210-000", ["邮政编码只能由数字组成，发现“-”"]),
        ("", "", ["未填写邮政编码"]),
    ],
)
def test_postal_codes(typed: str, normalised: str, messages: list[str]) -> None:
    result = check_postal_code(typed)
    assert result.value == normalised
    assert [i.message for i in result.issues] == messages


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("zhangsan@163.com", "zhangsan@163.com"),
        ("12345678@qq.com", "12345678@qq.com"),
        (" Zhang.San@Example.GOV.cn ", "Zhang.San@example.gov.cn"),
        ("zhangsan＠163.com", "zhangsan@163.com"),
        ("a+tag@sub.example.org", "a+tag@sub.example.org"),
        ("张三@例子.中国", "张三@例子.中国"),
    ],
)
def test_valid_email(typed: str, normalised: str) -> None:
    assert check_email(typed) == (normalised, [])


@pytest.mark.parametrize(
    ("typed", "severity", "message"),
    [
        ("zhangsan163.com", "error", "电子邮箱应包含且只包含一个 @，当前有0个"),
        ("a@b@163.com", "error", "电子邮箱应包含且只包含一个 @，当前有2个"),
        ("@163.com", "error", "电子邮箱 @ 前面缺少用户名"),
        ("zhangsan@", "error", "电子邮箱 @ 后面缺少域名（如 qq.com）"),
        ("zhangsan@qq", "error", "电子邮箱的域名“qq”不完整，应类似 qq.com、163.com"),
        ("zhangsan@qq..com", "error", "电子邮箱的域名“qq..com”不完整，应类似 qq.com、163.com"),
        ("zhangsan@.com", "error", "电子邮箱的域名“.com”不完整，应类似 qq.com、163.com"),
        ("zhang san@qq.com", "error", "电子邮箱中不能有空格"),
        ("zhangsan@qq.con", "warning", "电子邮箱的域名“qq.con”可能拼写有误（是否应为 .com？）"),
        ("zhangsan@qq。com", "warning", "电子邮箱中的中文句号“。”已改为英文句点“.”，请核对"),
        ("", "error", "未填写电子邮箱"),
    ],
)
def test_questionable_email(typed: str, severity: Severity, message: str) -> None:
    assert check_email(typed).issues == [Issue("email", severity, message)]


# ---------------------------------------------------------------------------
# Required fields (Art. 29)

GOOD_ID = with_id_check("32080219700506001")
GOOD_CREDIT_CODE = "914403001922038216"

PERSON = {
    "name": "张三",
    "id_number": GOOD_ID,
    "phone": "13912345678",
    "address": "江苏省淮安市清江浦区某路1号",
    "email": "",
    "description": "2025年本区老旧小区改造项目的批复文件",
}
ORGANISATION = {
    "name": "某某律师事务所",
    "credit_code": GOOD_CREDIT_CODE,
    "contact_person": "李四",
    "phone": "025-84000000",
    "description": "某地块的国有土地使用权出让合同",
}
ORG_TYPES = [t for t in ApplicantType if t.is_organisation]


def fields_of(issues: list[Issue]) -> list[str]:
    return [i.field for i in issues]


def test_complete_natural_person_has_no_issues() -> None:
    assert validate_applicant(PERSON, ApplicantType.NATURAL_PERSON, today=TODAY) == []


@pytest.mark.parametrize("org_type", ORG_TYPES)
def test_complete_organisation_has_no_issues(org_type: ApplicantType) -> None:
    assert validate_applicant(ORGANISATION, org_type, today=TODAY) == []


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("name", "请填写申请人姓名"),
        (
            "description",
            "请填写所需政府信息的名称、文号或者便于查询的其他特征性描述（条例第二十九条）",
        ),
    ],
)
@pytest.mark.parametrize("blank", [None, "", "  \u3000 "])
def test_natural_person_required_fields(missing: str, message: str, blank: str | None) -> None:
    fields = {**PERSON, missing: blank}
    assert validate_applicant(fields, ApplicantType.NATURAL_PERSON, today=TODAY) == [
        Issue(missing, "error", message)
    ]


@pytest.mark.parametrize("blank", [None, "", "  \u3000 "])
def test_a_missing_id_number_is_a_warning_not_a_refusal(blank: str | None) -> None:
    # 条例第三十条、第三十一条: registered, and the identity is asked for by a supplement notice.
    issues = validate_applicant({**PERSON, "id_number": blank}, ApplicantType.NATURAL_PERSON, today=TODAY)
    assert issues == [Issue("id_number", "warning", "缺少身份证明，可通知补正")]
    assert errors_only(issues) == []


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("name", "请填写法人或其他组织的名称"),
        (
            "description",
            "请填写所需政府信息的名称、文号或者便于查询的其他特征性描述（条例第二十九条）",
        ),
    ],
)
@pytest.mark.parametrize("org_type", ORG_TYPES)
def test_organisation_required_fields(missing: str, message: str, org_type: ApplicantType) -> None:
    fields = {k: v for k, v in ORGANISATION.items() if k != missing}
    assert validate_applicant(fields, org_type, today=TODAY) == [Issue(missing, "error", message)]


@pytest.mark.parametrize(
    ("missing", "message"),
    [("credit_code", "缺少身份证明，可通知补正"), ("contact_person", "缺少联系人，可通知补正")],
)
@pytest.mark.parametrize("org_type", ORG_TYPES)
def test_an_organisation_without_credit_code_or_contact_person_is_warned(
    missing: str, message: str, org_type: ApplicantType
) -> None:
    fields = {k: v for k, v in ORGANISATION.items() if k != missing}
    assert validate_applicant(fields, org_type, today=TODAY) == [Issue(missing, "warning", message)]


def test_organisation_does_not_need_an_id_number_and_person_no_credit_code() -> None:
    assert "id_number" not in ORGANISATION
    assert "credit_code" not in PERSON
    assert validate_applicant(ORGANISATION, ApplicantType.COMMERCIAL, today=TODAY) == []
    assert validate_applicant(PERSON, ApplicantType.NATURAL_PERSON, today=TODAY) == []


@pytest.mark.parametrize("applicant_type", list(ApplicantType))
def test_no_contact_at_all_is_a_warning(applicant_type: ApplicantType) -> None:
    base = ORGANISATION if applicant_type.is_organisation else PERSON
    no_contact = {k: v for k, v in base.items() if k not in CONTACT_FIELDS}
    assert validate_applicant(no_contact, applicant_type, today=TODAY) == [
        Issue("contact", "warning", "缺少联系方式，可通知补正")
    ]
    for contact, value in [("phone", "13912345678"), ("address", "某路1号"), ("email", "a@b.cn")]:
        assert validate_applicant({**no_contact, contact: value}, applicant_type, today=TODAY) == []


def test_everything_missing_lists_every_requirement_in_form_order() -> None:
    def found(issues: list[Issue]) -> list[tuple[str, str]]:
        return [(i.field, i.severity) for i in issues]

    assert found(validate_applicant({}, ApplicantType.NATURAL_PERSON)) == [
        ("name", "error"),
        ("id_number", "warning"),
        ("contact", "warning"),
        ("description", "error"),
    ]
    assert found(validate_applicant({}, ApplicantType.RESEARCH)) == [
        ("name", "error"),
        ("credit_code", "warning"),
        ("contact_person", "warning"),
        ("contact", "warning"),
        ("description", "error"),
    ]


def test_a_present_number_with_a_wrong_check_character_stays_an_error() -> None:
    # A typo is the clerk's to correct, not the applicant's to supplement.
    typo = GOOD_ID[:17] + ("1" if GOOD_ID[17] != "1" else "2")
    assert [(i.field, i.severity) for i in validate_applicant(
        {**PERSON, "id_number": typo}, ApplicantType.NATURAL_PERSON, today=TODAY)] == [("id_number", "error")]
    code_typo = GOOD_CREDIT_CODE[:17] + ("0" if GOOD_CREDIT_CODE[17] != "0" else "1")
    issues = validate_applicant({**ORGANISATION, "credit_code": code_typo}, ApplicantType.COMMERCIAL, today=TODAY)
    assert [(i.field, i.severity) for i in issues] == [("credit_code", "error")]
    assert "校验码" in issues[0].message
    # Invisible characters only are an entry to delete, not a missing one.
    issues = validate_applicant({**PERSON, "id_number": "\u200b"}, ApplicantType.NATURAL_PERSON, today=TODAY)
    assert [(i.field, i.severity) for i in issues] == [("id_number", "error")]


def test_missing_items_propose_the_supplement_notice() -> None:
    nothing = {"name": "张三", "description": "某信息"}
    person = missing_items(nothing, ApplicantType.NATURAL_PERSON)
    assert [(m.field, m.message) for m in person] == [
        ("id_number", "缺少身份证明，可通知补正"), ("contact", "缺少联系方式，可通知补正")]
    assert supplement_request(person) == (
        "请补充提供申请人身份证明（身份证件号码）；"
        "请补充提供申请人的联系方式（联系电话、通信地址或电子邮箱）。")
    organisation = missing_items({**nothing, "phone": "025-84000000"}, ApplicantType.LEGAL_SERVICES)
    assert supplement_request(organisation) == (
        "请补充提供申请人身份证明（统一社会信用代码）；请补充提供联系人姓名及其联系方式。")
    assert missing_items(PERSON, ApplicantType.NATURAL_PERSON) == []
    assert supplement_request([]) == ""


def test_filled_in_fields_are_format_checked() -> None:
    fields = {
        **PERSON,
        "id_number": GOOD_ID[:17] + ("1" if GOOD_ID[17] != "1" else "2"),
        "phone": "1391234567",
        "email": "zhangsan@qq",
        "postal_code": "22300",
    }
    issues = validate_applicant(fields, ApplicantType.NATURAL_PERSON, today=TODAY)
    assert fields_of(issues) == ["id_number", "phone", "email", "postal_code"]
    assert all(i.severity == "error" for i in issues)


def test_invalid_credit_code_is_reported_for_organisations() -> None:
    fields = {**ORGANISATION, "credit_code": "9144O3001922038216"}
    assert validate_applicant(fields, ApplicantType.LEGAL_SERVICES, today=TODAY) == [
        Issue("credit_code", "error", "统一社会信用代码第5位不能是字母 O（可能是数字 0）")
    ]


def test_warnings_do_not_block() -> None:
    fields = {**PERSON, "id_number": "320802700506001"}  # legacy 15 digits
    issues = validate_applicant(fields, ApplicantType.NATURAL_PERSON, today=TODAY)
    assert [i.severity for i in issues] == ["warning"]
    assert errors_only(issues) == []


def test_other_identity_documents_are_asked_for_but_not_parsed() -> None:
    passport = {**PERSON, "id_type": "passport", "id_number": "E12345678"}
    assert validate_applicant(passport, ApplicantType.NATURAL_PERSON, today=TODAY) == []
    resident = {**PERSON, "id_type": "resident_id", "id_number": "E12345678"}
    issues = validate_applicant(resident, ApplicantType.NATURAL_PERSON, today=TODAY)
    assert [i.message for i in issues] == [
        "身份证号码应为18位，当前为9位",
        "身份证号码只能由数字和末位的 X 组成，发现字母 E",
    ]
    missing = {**PERSON, "id_type": "passport", "id_number": ""}
    assert validate_applicant(missing, ApplicantType.NATURAL_PERSON, today=TODAY) == [
        Issue("id_number", "warning", "缺少身份证明，可通知补正")
    ]


def test_applicant_type_may_be_given_as_its_stored_value() -> None:
    assert validate_applicant(ORGANISATION, "commercial", today=TODAY) == []
    with pytest.raises(ValueError):
        validate_applicant(ORGANISATION, "company", today=TODAY)


# ---------------------------------------------------------------------------
# Masking


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("320102199001011234", "320102********1234"),
        ("11010519491231002x", "110105********002X"),
        ("110105 19491231 002X", "110105********002X"),
        ("110105491231002", "110105******002"),
        ("1101051949123100", "110105******3100"),
        ("1234567890", "*******890"),
        ("12", "**"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(value: str | None, masked: str) -> None:
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13912345678", "139****5678"),
        ("+86 139-1234-5678", "139****5678"),
        ("025-84000000", "025-****0000"),
        ("(0527)8123456", "0527-***3456"),
        ("025-84000000转123", "025-****0000转123"),
        ("84000000", "****0000"),
        ("+852 9123 4567", "+852****4567"),
        ("12345", "12345"),
        ("400-810-8888", "400-810-8888"),
        ("13912345678/025-84000000", "139****5678、025-****0000"),
        ("1391234567", "******4567"),
        ("139123", "******"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(value: str | None, masked: str) -> None:
    assert mask_phone(value) == masked


@pytest.mark.parametrize("number", [with_id_check(b) for b in VALID_ID_BODIES.values()])
def test_masked_id_hides_the_birth_date(number: str) -> None:
    masked = mask_id_number(number)
    assert len(masked) == 18
    assert number[6:14] not in masked
    assert masked[6:14] == "********"


@pytest.mark.parametrize(("check", "typed", "shown", "not_shown"), [
    (lambda v: check_id_number(v, today=TODAY), "11010519491231002a", "字母 a", "字母 A"),
    (lambda v: check_id_number(v, today=TODAY), "1101051949123100o2", "字母 o", "字母 O"),
    (check_credit_code, "91320500o1234567xy", "字母 o", "字母 O"),
    (check_postal_code, "2238oo", "字母 o", "字母 O"),
])
def test_messages_show_what_was_typed_never_upper_cased(check: Callable[[str], Any], typed: str, shown: str,
                                                        not_shown: str) -> None:
    messages = " ".join(i.message for i in check(typed).issues)
    assert shown in messages and not_shown not in messages, messages
