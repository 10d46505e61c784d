"""Reading a ledger's values the office's own way: the clerk's value map, inferred applicant types, combined IDs.

Three things an office's ledger does that the template does not (docs/import-format.md,
"Values the desk cannot map", "Applicant type not recorded", "One column for IDs and codes"):

* it spells outcomes, channels and applicant types its own way. ``ValueMap`` holds
  the clerk's choice for each such value (one choice per distinct value, not per
  row); ``Tally`` collects what is still unmapped, with its count and rows, so the
  dry run lists each value once;
* it has no applicant type at all. ``infer_applicant_type`` reads it from the
  applicant's name (…公司 → 商业企业, a 2–4 character personal name → 自然人 …), and
  every inference is listed for the clerk to confirm;
* it keeps natural persons' ID numbers and organisations' credit codes in one
  column. ``route_combined_id`` sends each value to the field it belongs to, by the
  applicant type, or by the value's shape where the type is unknown.

Nothing here looks at the database or the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from request_desk.core.cases.validation import check_credit_code, check_id_number
from request_desk.core.errors import ValidationFailed
from request_desk.core.transfer.template import (
    FIELDS_BY_KEY,
    normalise_header,
    parse_applicant_type,
    parse_channel,
    parse_outcome,
    parse_satisfaction,
)
from request_desk.core.vocab import OUTCOME_GROUPS, OUTCOMES, OUTCOMES_BY_CODE, ApplicantType, Channel, Satisfaction

#: The fields whose values come from a fixed list, with the parser that reads the office's wording.
VALUE_PARSERS: dict[str, Callable[[object], Any]] = {
    "channel": parse_channel,
    "applicant_type": parse_applicant_type,
    "outcome": parse_outcome,
    "satisfaction": parse_satisfaction,
}


def value_choices(key: str) -> list[tuple[str, str]]:
    """(code, label) of every value a clerk can pick for a field of ``VALUE_PARSERS``."""
    if key == "channel":
        return [(c.value, c.label) for c in Channel]
    if key == "applicant_type":
        return [(t.value, t.label) for t in ApplicantType]
    if key == "outcome":
        return [(o.code, f"{o.code} {outcome_wording(o.code)}") for o in OUTCOMES]
    if key == "satisfaction":
        return [(s.value, s.label) for s in Satisfaction]
    raise KeyError(key)


def outcome_wording(code: str) -> str:
    """The template's wording of an outcome: 予以公开, 不予公开：属于国家秘密 …"""
    o = OUTCOMES_BY_CODE[code]
    return OUTCOME_GROUPS[o.code] if o.code in ("1", "2") else f"{OUTCOME_GROUPS[o.group]}：{o.label}"


def _value_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class ValueMap:
    """The clerk's choices: (column, value as written) → code, for the columns of one file.

    A column is named by the file's header, the template's header or the field key;
    ``resolve`` ties the names to the file's columns once they are known.
    """

    def __init__(self, choices: Mapping[tuple[str, str], str] | None = None) -> None:
        self.choices = dict(choices or {})
        self.by_field: dict[tuple[str, str], Any] = {}
        self.used: set[tuple[str, str]] = set()

    def resolve(self, header_of: Mapping[str, str]) -> None:
        """Bind each choice to a field; ``header_of`` is field key → the file's header."""
        names: dict[str, str] = {}
        for key, f in FIELDS_BY_KEY.items():
            names[normalise_header(f.header)] = key
            names[key] = key
        for key, header in header_of.items():
            names[normalise_header(header)] = key
        for (column, value), code in self.choices.items():
            key = names.get(column) or names.get(normalise_header(column)) or ""
            if key not in VALUE_PARSERS:
                raise ValidationFailed(f"值对应“{column}:{value}”：“{column}”不是收到方式、申请人类型、办理结果或"
                                       "回访满意度的列，无法指定值的对应。")
            try:
                parsed = _exact(key, code) or VALUE_PARSERS[key](code)
            except ValueError as exc:
                raise ValidationFailed(f"值对应“{column}:{value}={code}”中的“{code}”不是有效的选项：{exc}。") from None
            self.by_field[(key, _value_text(value))] = parsed

    def get(self, key: str, value: object) -> Any:
        """The clerk's choice for this value, or None."""
        k = (key, _value_text(value))
        if k in self.by_field:
            self.used.add(k)
            return self.by_field[k]
        return None

    def unused(self) -> list[tuple[str, str]]:
        return sorted(set(self.by_field) - self.used)

    def by_key(self) -> dict[str, dict[str, str]]:
        """The resolved choices as field -> {value as written: code}, the form a saved profile keeps."""
        out: dict[str, dict[str, str]] = {}
        for (key, value), chosen in sorted(self.by_field.items()):
            out.setdefault(key, {})[value] = str(getattr(chosen, "value", chosen))
        return out


def _exact(key: str, code: str) -> Any:
    """A code exactly as a picker offers it (ordinary_letter, 3.4) or its label, else None."""
    for value, label in value_choices(key):
        if code in (value, label):
            return value if key == "outcome" else {"channel": Channel, "applicant_type": ApplicantType,
                                                   "satisfaction": Satisfaction}[key](value)
    return None


def parse_value_option(text: str) -> tuple[tuple[str, str], str]:
    """``处理结果:已答复=1`` (the CLI's ``--value``) → ((column, value), code)."""
    left, sep, code = text.rpartition("=")
    m = re.fullmatch(r"\s*([^:：]+?)\s*[:：]\s*(.+?)\s*", left)
    if not sep or m is None or not code.strip():
        raise ValidationFailed(f"值对应“{text}”应写作 列名:原值=代码，例如 处理结果:已答复=1。")
    return (m.group(1), m.group(2)), code.strip()


@dataclass
class Unmapped:
    """One distinct value the desk cannot place, with every row it occurs in."""

    key: str
    column: str
    value: str
    reason: str  # why it is unmapped; for a value mapped with a warning (其他处理), the code it counts as
    rows: list[int] = field(default_factory=list)
    sheet: str = ""  # the worksheet of its first row, when messages name sheets

    @property
    def count(self) -> int:
        return len(self.rows)


class Tally:
    """Values seen once per distinct text across the file: the unmapped ones and those mapped with a warning."""

    def __init__(self) -> None:
        self.unmapped: dict[tuple[str, str], Unmapped] = {}
        self.defaulted: dict[tuple[str, str], Unmapped] = {}

    @staticmethod
    def _add(book: dict[tuple[str, str], Unmapped], key: str, column: str, value: str, reason: str,
             row: int, sheet: str) -> None:
        entry = book.setdefault((key, value), Unmapped(key, column, value, reason, sheet=sheet))
        entry.rows.append(row)

    def unmapped_value(self, key: str, column: str, value: str, reason: str, row: int, sheet: str = "") -> None:
        self._add(self.unmapped, key, column, value, reason, row, sheet)

    def defaulted_value(self, key: str, column: str, value: str, reason: str, row: int, sheet: str = "") -> None:
        self._add(self.defaulted, key, column, value, reason, row, sheet)


def rows_text(rows: list[int], limit: int = 10) -> str:
    """第3、5、8行 … (at most ``limit`` rows named)."""
    shown = "、".join(str(r) for r in rows[:limit])
    return f"第{shown}行" + (f"等 {len(rows)} 行" if len(rows) > limit else "")


# --------------------------------------------------------------------------
# The applicant type from the name
# --------------------------------------------------------------------------

# Checked in this order: the first word found decides (律师事务所 before 事务所, 研究所 before 所).
_NAME_WORDS: tuple[tuple[str, ApplicantType], ...] = (
    ("律师事务所", ApplicantType.LEGAL_SERVICES), ("律所", ApplicantType.LEGAL_SERVICES),
    ("法律服务所", ApplicantType.LEGAL_SERVICES), ("公证处", ApplicantType.LEGAL_SERVICES),
    ("研究所", ApplicantType.RESEARCH), ("研究院", ApplicantType.RESEARCH), ("科学院", ApplicantType.RESEARCH),
    ("大学", ApplicantType.RESEARCH), ("研究中心", ApplicantType.RESEARCH),
    ("协会", ApplicantType.PUBLIC_INTEREST), ("基金会", ApplicantType.PUBLIC_INTEREST),
    ("公益", ApplicantType.PUBLIC_INTEREST), ("志愿", ApplicantType.PUBLIC_INTEREST),
    ("有限公司", ApplicantType.COMMERCIAL), ("公司", ApplicantType.COMMERCIAL), ("集团", ApplicantType.COMMERCIAL),
    ("商行", ApplicantType.COMMERCIAL), ("企业", ApplicantType.COMMERCIAL),
)
_PERSONAL_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,10}[·•][\u4e00-\u9fff]{1,10}")


@dataclass(frozen=True)
class Inferred:
    kind: ApplicantType
    because: str  # the Chinese reason shown in the dry run


def infer_applicant_type(name: str, id_text: str = "", *, today: date | None = None) -> Inferred | None:
    """The applicant type a ledger left out, read from the applicant's name; None when the name says nothing.

    A name with an organisation's word (…公司, 律师事务所, 大学 …) gives that type; a
    name of two to four Chinese characters (or a minority name with a middle dot) is a
    person's; failing both, a valid resident ID number in the ID column makes a person.
    """
    compact = re.sub(r"\s", "", name)
    for word, kind in _NAME_WORDS:
        if word in compact:
            return Inferred(kind, f"名称含“{word}”")
    if _PERSONAL_NAME.fullmatch(compact):
        return Inferred(ApplicantType.NATURAL_PERSON, "像是个人姓名")
    if id_text and is_resident_id(id_text, today=today):
        return Inferred(ApplicantType.NATURAL_PERSON, "证件号码是居民身份证号码")
    return None


# --------------------------------------------------------------------------
# One column for ID numbers and credit codes
# --------------------------------------------------------------------------

def _compact(text: str) -> str:
    return re.sub(r"\s", "", text).upper()


def is_resident_id(text: str, *, today: date | None = None) -> bool:
    """A resident ID number (GB 11643) that passes its check."""
    number = _compact(text)
    if not re.fullmatch(r"\d{17}[\dX]|\d{15}", number):
        return False
    return not any(i.severity == "error" for i in check_id_number(number, today=today).issues)


def is_credit_code(text: str) -> bool:
    """A unified social credit code (GB 32100) that passes its check."""
    code = _compact(text)
    return len(code) == 18 and not any(i.severity == "error" for i in check_credit_code(code).issues)


def route_combined_id(text: str, kind: ApplicantType | None, *, today: date | None = None) -> str:
    """The field ("id_number" or "credit_code") a value of the combined column belongs to.

    By the applicant type: a natural person's is an ID number, an organisation's a
    credit code (each then gets its own check). Without a type, by the value's shape:
    a valid credit code that is not a valid ID number is a credit code, else an ID number.
    """
    if kind is not None:
        return "credit_code" if kind.is_organisation else "id_number"
    if is_credit_code(text) and not is_resident_id(text, today=today):
        return "credit_code"
    return "id_number"
