"""Masking personal numbers inside free text (申请内容, 备注) for masked exports.

Applicants write their ID number or mobile number into the description
("本人身份证号 110105…，请电话联系 139…"), and clerks into notes. A masked
register hides the 证件号码 and 联系电话 columns; it must not print the same
numbers in full a few columns later. ``mask_free_text`` finds substrings
shaped like a resident ID number (18 characters, or the 15-digit first
generation) or a mainland mobile number (11 digits, optionally +86 and
grouped 3-4-4) and masks each with the same function as the column
(``validation.mask_id_number`` / ``mask_phone``), so both read alike.

Only whole numbers count: digits that continue a longer run (an account
number, a document number) are left alone, because the shape alone would
cut arbitrary numbers; letters next to a number do not protect it ("ID1101…"
is masked: masking too much is the safe side). Landlines and other numbers
are not personal enough to guess at in free text.
"""

from __future__ import annotations

import re

from request_desk.core.cases.validation import mask_id_number, mask_phone

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
