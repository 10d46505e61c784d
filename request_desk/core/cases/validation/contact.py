"""Contact details: phone numbers, postal codes and e-mail addresses.

Phone numbers are parsed permissively (mobile, landline with or without area
code, extension, service and 400/800 numbers, +86 and foreign numbers,
several numbers in one field): an applicant reached through a number the
check did not foresee is still reached. The reading itself is
``masking.parse_phone``, shared with ``mask_phone`` so that a number is
checked and masked alike; this module turns it into issues for the clerk.
E-mail gets a sanity check, not RFC 5322.
"""

from __future__ import annotations

from request_desk.core.masking import parse_phone, phone_parts

from .issues import Checked, Issue, all_digits, compact, describe, fold, is_digit

__all__ = ["check_email", "check_phone", "check_postal_code"]

# ---------------------------------------------------------------------------
# Phone numbers


def check_phone(value: str | None, *, field: str = "phone") -> Checked:
    """Check one or more phone numbers.

    Normalised forms: ``13912345678``, ``025-84000000``, ``0527-8123456转123``,
    ``84000000`` (no area code), ``12345``, ``400-810-8888``, ``+85291234567``;
    several numbers are joined with ``、``.
    """
    parts = phone_parts(value)
    if not parts:
        return Checked("", [Issue(field, "error", "未填写联系电话")])
    issues: list[Issue] = []
    normalised: list[str] = []
    for part in parts:
        # With several numbers, say which one a message is about.
        label = f"电话“{part}”：" if len(parts) > 1 else ""
        parsed = parse_phone(part)
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


# ---------------------------------------------------------------------------
# Postal codes and e-mail


def check_postal_code(value: str | None, *, field: str = "postal_code") -> Checked:
    """Check a mainland postal code: exactly six digits."""
    code = compact(value)
    if not code:
        return Checked("", [Issue(field, "error", "未填写邮政编码")])
    if not all_digits(code):
        bad = "、".join(describe(c) for c in sorted(set(code)) if not is_digit(c))
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

