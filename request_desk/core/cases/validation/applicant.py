"""The application form as a whole (条例第二十九条): what must be filled in, and how long each field may be.

``validate_applicant`` combines the identity and contact checks with the rules
of the form: who must give which identity, that at least one way to reach the
applicant is given, that the information sought is described, and that no
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

__all__ = ["CONTACT_FIELDS", "FIELD_LABELS", "FIELD_LIMITS", "RESIDENT_ID", "length_issues", "validate_applicant"]

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
        if fold(fields.get(key)):  # something was entered, but nothing that shows
            message = f"{FIELD_LABELS.get(key, '此项')}只有看不见的字符（如零宽空格），请删除后重新输入"
        issues.append(Issue(key, "error", message))
        return False

    if kind.is_organisation:
        require("name", "请填写法人或其他组织的名称")
    else:
        require("name", "请填写申请人姓名")

    resident_id = (fold(fields.get("id_type")) or RESIDENT_ID) == RESIDENT_ID
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

