"""The application form as a whole (条例第二十九条): what must be filled in, and how long each field may be.

``validate_applicant`` combines the identity and contact checks with the rules
of the form: who should give which identity, that at least one way to reach the
applicant is given (both only warnings when missing, see ``missing``), that the
applicant is named and the information sought is described, and that no
field is longer than ``FIELD_LIMITS`` (docs/domain.md, "Registration and
identity").
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from request_desk.core.text import has_visible
from request_desk.core.vocab import ApplicantType

from .contact import check_email, check_phone, check_postal_code
from .identity import check_credit_code, check_id_number
from .issues import Issue, fold
from .missing import CONTACT_FIELDS, missing_items

__all__ = ["CONTACT_FIELDS", "FIELD_LABELS", "FIELD_LIMITS", "RESIDENT_ID", "length_issues", "validate_applicant"]

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
    return has_visible(fold(fields.get(key)))


def validate_applicant(
    fields: Mapping[str, str | None],
    applicant_type: ApplicantType | str,
    *,
    today: date | None = None,
) -> list[Issue]:
    """All issues with an application's applicant and request fields, in form order.

    Keys read: name, id_type, id_number, credit_code, contact_person, phone,
    address, email, postal_code, description, purpose, note. Every field is
    held to its ``FIELD_LIMITS`` length. Every applicant needs a name and the
    description of the information sought (errors). A missing ID number
    (natural person), credit code or contact person (organisation), or the
    lack of any contact, is a warning (``missing.missing_items``): the request
    is registered and the gap filled by a supplement notice. Any
    format-checked field that is filled in is checked, and its errors stay
    errors.
    """
    kind = ApplicantType(applicant_type)
    issues: list[Issue] = []

    def invisible(key: str) -> bool:
        """Something was entered, but nothing that shows: an error, the clerk deletes it."""
        if fold(fields.get(key)) and not _present(fields, key):
            label = FIELD_LABELS.get(key, "此项")
            issues.append(Issue(key, "error", f"{label}只有看不见的字符（如零宽空格），请删除后重新输入"))
            return True
        return False

    def require(key: str, message: str) -> bool:
        if _present(fields, key):
            return True
        if not invisible(key):
            issues.append(Issue(key, "error", message))
        return False

    if kind.is_organisation:
        require("name", "请填写法人或其他组织的名称")
    else:
        require("name", "请填写申请人姓名")

    # What the applicant can supply by a supplement is a warning, never a refusal
    # (条例第三十条、第三十一条; docs/domain.md, "Registration and identity").
    missing = {m.field: m for m in missing_items(fields, kind)}

    def supplementable(key: str) -> bool:
        """Whether ``key`` is filled in; if not, its warning (or the invisible-characters error)."""
        if _present(fields, key):
            return True
        if not invisible(key) and key in missing:
            issues.append(Issue(key, "warning", missing[key].message))
        return False

    resident_id = (fold(fields.get("id_type")) or RESIDENT_ID) == RESIDENT_ID
    if kind.is_organisation:
        if supplementable("credit_code"):
            issues += check_credit_code(fields.get("credit_code")).issues
        supplementable("contact_person")
        if _present(fields, "id_number") and resident_id:  # e.g. the contact person's
            issues += check_id_number(fields.get("id_number"), today=today).issues
    elif supplementable("id_number") and resident_id:
        # A typo in a number that is there (a wrong check character) stays an error.
        issues += check_id_number(fields.get("id_number"), today=today).issues

    checks = {"phone": check_phone, "email": check_email, "postal_code": check_postal_code}
    for key, check in checks.items():
        if _present(fields, key):
            issues += check(fields.get(key)).issues
    if "contact" in missing:
        issues.append(Issue("contact", "warning", missing["contact"].message))

    require(
        "description",
        "请填写所需政府信息的名称、文号或者便于查询的其他特征性描述（条例第二十九条）",
    )
    issues += length_issues(fields)
    return issues

