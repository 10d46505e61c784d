"""Checking what a clerk types into the application form (条例第二十九条).

Every check returns the normalised value and a list of :class:`Issue` whose
message, in Simplified Chinese, says exactly what is wrong and where, so the
clerk can compare it with the document in front of them. ``"error"`` means the
value cannot be right; ``"warning"`` means it may be right and deserves a look.

Guiding rule: a validator that turns away a real applicant is worse than no
validator. So only what is fixed by a national standard is an error — length,
character set, birth date, check character — and nothing that changes by
decree is hard-coded.

- ``issues``: ``Issue``, ``Checked`` and the reading of full-width input;
- ``identity``: resident ID numbers (GB 11643) and unified social credit codes
  (GB 32100) and their check characters;
- ``contact``: phone numbers, postal codes, e-mail;
- ``missing``: what an application lacks that a supplement can supply
  (identity, contact): warnings, and the proposed text of the supplement notice;
- ``applicant``: the form as a whole — required fields, field limits.

Callers import from the package (``validation.check_phone``); the modules are
where each rule lives. The masking of ID and phone numbers lives in
``request_desk.core.masking`` (with the reading of phone numbers it needs);
``mask_id_number`` and ``mask_phone`` are re-exported here for the callers
that check and mask side by side.
"""

from __future__ import annotations

from request_desk.core.masking import mask_id_number, mask_phone

from .applicant import CONTACT_FIELDS, FIELD_LABELS, FIELD_LIMITS, RESIDENT_ID, length_issues, validate_applicant
from .contact import check_email, check_phone, check_postal_code
from .identity import (
    check_credit_code,
    check_id_number,
    credit_code_check_character,
    id_check_character,
    upgrade_legacy_id_number,
)
from .issues import Checked, Issue, Severity, errors_only
from .missing import Missing, missing_items, supplement_request

__all__ = [
    "CONTACT_FIELDS",
    "FIELD_LABELS",
    "FIELD_LIMITS",
    "RESIDENT_ID",
    "Checked",
    "Issue",
    "Missing",
    "Severity",
    "check_credit_code",
    "check_email",
    "check_id_number",
    "check_phone",
    "check_postal_code",
    "credit_code_check_character",
    "errors_only",
    "id_check_character",
    "length_issues",
    "mask_id_number",
    "mask_phone",
    "missing_items",
    "supplement_request",
    "upgrade_legacy_id_number",
    "validate_applicant",
]
