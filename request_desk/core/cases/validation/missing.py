"""What an application lacks that the applicant can supply by a supplement (条例第三十条).

The receipt date is fixed by the channel whatever the application lacks (条例第三十一条),
so a missing identity or contact never turns an applicant away: the request is
registered, the clerk is warned, and the one supplement notice asks for what is
missing (docs/domain.md, "Registration and identity"). What counts as missing:

- the applicant's proof of identity (条例第二十九条第二款第一项): a natural person's
  ID document number, an organisation's unified social credit code;
- an organisation's contact person;
- any way to reach the applicant: no phone, no postal address and no e-mail.

A number that is present but wrong (a typo in the check character) is not missing:
it stays an error of the form, because the clerk has to correct the typing. The
applicant's name and the description of the information sought are not in this
list; they stay required (see the section of docs/domain.md for why).

``missing_items`` reads the same mapping of form fields as ``validate_applicant``,
so the form's warnings, the case file's list and the proposed text of the
supplement notice come from one rule, computed from what is recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from request_desk.core.text import has_visible
from request_desk.core.vocab import ApplicantType

from .issues import fold

__all__ = ["CONTACT_FIELDS", "Missing", "missing_items", "supplement_request"]

CONTACT_FIELDS = ("phone", "address", "email")


@dataclass(frozen=True)
class Missing:
    """One thing the application lacks, in the words the desk shows and the notice uses."""

    field: str    # the form field (or "contact" for the three contact fields together)
    item: str     # what Art. 29 calls it: 身份证明, 联系方式, 联系人
    detail: str   # the entry the form lacks: 身份证件号码, 统一社会信用代码 …
    message: str  # the warning: 缺少身份证明，可通知补正
    ask: str      # the line proposed for the supplement notice


def _missing(field: str, item: str, detail: str, ask: str) -> Missing:
    return Missing(field, item, detail, f"缺少{item}，可通知补正", ask)


def _blank(fields: Mapping[str, str | None], key: str) -> bool:
    # Only zero-width or control characters (pasted from a web page) are no entry at all.
    return not has_visible(fold(fields.get(key)))


def missing_items(fields: Mapping[str, str | None], applicant_type: ApplicantType | str) -> list[Missing]:
    """What the applicant can still supply, in form order (keys as ``validate_applicant`` reads them)."""
    kind = ApplicantType(applicant_type)
    found: list[Missing] = []
    if kind.is_organisation:
        if _blank(fields, "credit_code"):
            found.append(_missing("credit_code", "身份证明", "统一社会信用代码",
                                  "请补充提供申请人身份证明（统一社会信用代码）"))
        if _blank(fields, "contact_person"):
            found.append(_missing("contact_person", "联系人", "联系人姓名", "请补充提供联系人姓名及其联系方式"))
    elif _blank(fields, "id_number"):
        found.append(_missing("id_number", "身份证明", "身份证件号码", "请补充提供申请人身份证明（身份证件号码）"))
    if all(_blank(fields, key) for key in CONTACT_FIELDS):
        found.append(_missing("contact", "联系方式", "联系电话、通信地址或电子邮箱",
                              "请补充提供申请人的联系方式（联系电话、通信地址或电子邮箱）"))
    return found


def supplement_request(missing: Iterable[Missing]) -> str:
    """The proposed "what to supplement" of the notice: one sentence per item, or "" for none."""
    asks = [m.ask for m in missing]
    return "；".join(asks) + "。" if asks else ""
