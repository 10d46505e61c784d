"""Finding a request by the phone or ID number an applicant reads out.

On the phone an applicant says "我的手机是138 0013 8000" or "身份证后四位
1234"; the clerk types the digits, grouped or not. The numbers are stored as
typed (``138-0013-8000``, ``(025)84361234转12``), and the last digits of a
column cannot be found through an ordinary index. So every request has a few
*contact keys* in the table ``request_contact`` (migration 0011): the digits
of each phone number in the field (as read by ``masking.parse_phone``: area
code + local number, without the extension; and all the digits as typed) and
of the ID number, each **reversed**. "Ends with 1234" is then "key starts
with 4321": one range scan of the table's primary key, ``key >= '4321' AND
key < '4322'``, at any size. A full number is a suffix of itself, so the same
range finds it.

The keys are written by triggers on ``request`` that call the SQL function
``rd_contact_keys`` (registered on every connection by ``sqlite_support``),
so any code writing requests keeps them right, as with the search indexes.
On the office server (migration 0020) the same triggers call a PL/pgSQL
function of that name that computes the same keys (``postgres_support``,
``contact_create_ddl``; a test holds the two equal).
"""

from __future__ import annotations

import json
import re

from request_desk.core.masking import parse_phone, phone_parts
from request_desk.core.text import compact, fold

TABLE = "request_contact"
FUNCTION = "rd_contact_keys"
# Fewer digits than this would match a good share of the register.
MIN_DIGITS = 4
_TRIGGERS = ("request_contact_ai", "request_contact_au", "request_contact_ad")

# What a clerk types for a number: digits grouped by spaces, dashes, dots or
# brackets, +86, and an ID number's final X.
_NUMBER_SHAPED = re.compile(r"[+(]?\d[\d\s\-().]*[Xx]?")


def _phone_digits(value: str | None) -> list[str]:
    digits: list[str] = []
    for part in phone_parts(value):
        parsed = parse_phone(part)
        if not isinstance(parsed, str):
            digits.append(parsed.area + parsed.number)
        digits.append(re.sub(r"\D", "", part))  # as typed, extension included
    return digits


def keys(phone: str | None, id_number: str | None) -> list[str]:
    """The reversed digit strings by which the request is found, without duplicates."""
    found = _phone_digits(phone)
    ident = re.sub(r"[^0-9A-Z]", "", compact(id_number).upper())
    if ident:
        found.append(ident)
    result: list[str] = []
    for digits in found:
        key = digits[::-1]
        if len(digits) >= MIN_DIGITS and key not in result:
            result.append(key)
    return result


def keys_json(phone: str | None, id_number: str | None) -> str:
    """``keys`` as a JSON array: the SQL function's result, read by the triggers through ``json_each``."""
    return json.dumps(keys(phone, id_number))


def query_digits(query: str) -> str | None:
    """The digits of a number-shaped search ("138-0013-8000" → "13800138000"), or None.

    None when the query holds anything but a number, or fewer than
    ``MIN_DIGITS`` digits.
    """
    text = fold(query)
    if not _NUMBER_SHAPED.fullmatch(text):
        return None
    # China's country code (+86, 0086) is how a number is said, not part of the stored one.
    text = re.sub(r"^\s*(?:\+|00)86[\s-]*", "", text)
    digits = re.sub(r"[^0-9X]", "", text.upper())
    return digits if len(digits) >= MIN_DIGITS else None  # an ID number's X is its last digit


def key_range(digits: str) -> tuple[str, str]:
    """The keys of numbers ending with ``digits``: ``lo <= key < hi``."""
    lo = digits[::-1]
    return lo, lo[:-1] + chr(ord(lo[-1]) + 1)


def matches_id(id_number: str | None, digits: str) -> bool:
    """Whether an ID number ends with the searched digits (the list then shows the ID, masked)."""
    return re.sub(r"[^0-9A-Z]", "", compact(id_number).upper()).endswith(digits)


def match_sql() -> str:
    """Ids of the requests whose phone or ID number ends with ``:contact_lo``'s digits."""
    return f"SELECT request_id FROM {TABLE} WHERE key >= :contact_lo AND key < :contact_hi"


def _fill(where: str = "") -> str:
    return (f"INSERT OR IGNORE INTO {TABLE} (key, request_id) "
            f"SELECT k.value, r.id FROM request AS r, json_each({FUNCTION}(r.phone, r.id_number)) AS k{where}")


def create_ddl() -> list[str]:
    """The key table, the triggers that keep it, and the backfill of every request."""
    insert_new = (f"INSERT OR IGNORE INTO {TABLE} (key, request_id) "
                  f"SELECT value, new.id FROM json_each({FUNCTION}(new.phone, new.id_number)); ")
    delete_old = f"DELETE FROM {TABLE} WHERE request_id = old.id; "
    return [
        f"CREATE TABLE {TABLE} (key TEXT NOT NULL, request_id INTEGER NOT NULL, "
        "PRIMARY KEY (key, request_id)) WITHOUT ROWID",
        f"CREATE INDEX ix_{TABLE}_request ON {TABLE} (request_id)",
        f"CREATE TRIGGER request_contact_ai AFTER INSERT ON request BEGIN {insert_new}END",
        "CREATE TRIGGER request_contact_au AFTER UPDATE OF phone, id_number ON request "
        f"WHEN old.phone IS NOT new.phone OR old.id_number IS NOT new.id_number BEGIN {delete_old}{insert_new}END",
        f"CREATE TRIGGER request_contact_ad AFTER DELETE ON request BEGIN {delete_old}END",
        _fill(),
    ]


def bulk_fill_sql() -> str:
    """What ``request_contact_ai`` does, for every request with ``id >= :first`` at once."""
    return _fill(" WHERE r.id >= :first")


def drop_ddl() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {t}" for t in _TRIGGERS] + [f"DROP TABLE IF EXISTS {TABLE}"]
