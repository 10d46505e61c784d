"""The applicant's history: every request of the same applicant, by month, and the 5.2 candidates.

This module holds the one rule of "the same applicant" for the fee quote
(国办函〔2020〕109号 counts one applicant's applications per calendar month,
``fees.month_ordinal``) and for the case view's panel 申请人历史, which shows
what 第三十五条 (volume and frequency) and 第三十六条第（六）项 (repeat
requests, outcome 5.2) ask the clerk to look at.

The rule, by the request at hand (docs/domain.md, "The applicant's history"):

1. it has a 统一社会信用代码 (a legal person): every request with the same code;
2. else it has a 证件号码: every request without a credit code and with the
   same ID number (spaces, dashes and case ignored, as in the contact keys);
3. else by 姓名 + 电话: every request with neither credit code nor ID number,
   the same name, and a phone number in common (``+86`` and grouping
   ignored: the contact keys of ``storage.contact_keys``);
4. with neither identity nor phone, by name among the requests that have no
   identity and no phone either.

Each kind only gathers requests of the same kind, so the relation is
symmetric: two requests are the same applicant seen from either side, and
the k-th application of a month is the k-th whichever request asks.

Indexes (designed for a million requests): the ID number is found through
``request_contact``'s primary key (its reversed digits, migration 0011) and
the name through ``ix_request_applicant`` (applicant_name, received_date).
The credit code is found through ``ix_request_credit_code``, an index on
the very expression the condition compares (``models.CREDIT_CODE_KEY``,
migration 0018).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from request_desk.core.masking import mask_free_text, mask_id_number, mask_phone
from request_desk.core.publication import similarity, similarity_vocab
from request_desk.core.storage import contact_keys, dialects
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Request
from request_desk.core.text import compact
from request_desk.core.vocab import OUTCOME_GROUPS, OUTCOMES_BY_CODE, OutcomeCode, Status


class KeyKind(StrEnum):
    """By what the applicant is recognised (the value is the label the panel shows)."""

    CREDIT_CODE = "统一社会信用代码"
    ID_NUMBER = "证件号码"
    NAME_PHONE = "姓名+电话"
    NAME = "姓名"


@dataclass(frozen=True)
class ApplicantKey:
    kind: KeyKind
    value: str  # the normalised credit code or ID number, or the name
    phone_keys: tuple[str, ...] = ()  # reversed phone digits (NAME_PHONE)
    display: str = ""  # masked, for the panel

    def describe(self) -> str:
        return f"按{self.kind.value}：{self.display}"


def _ident(value: str | None) -> str:
    """An ID number or credit code as the contact keys store it: letters upper-cased, nothing but 0-9A-Z."""
    return re.sub(r"[^0-9A-Z]", "", compact(value).upper())


def applicant_key(applicant_name: str, id_number: str | None, credit_code: str | None,
                  phone: str | None) -> ApplicantKey:
    """The key of the rule for a request's applicant columns."""
    if code := _ident(credit_code):
        return ApplicantKey(KeyKind.CREDIT_CODE, code, display=code)  # a legal person's code is public
    if ident := _ident(id_number):
        return ApplicantKey(KeyKind.ID_NUMBER, ident, display=mask_id_number(ident))
    name = applicant_name  # as stored, so that ix_request_applicant finds it
    phones = tuple(contact_keys.keys(phone, None))
    if phones:
        return ApplicantKey(KeyKind.NAME_PHONE, name, phones, f"{name}，{mask_phone(phone)}")
    return ApplicantKey(KeyKind.NAME, name, display=f"{name}（未登记证件号码和电话）")


def key_of(request: Request) -> ApplicantKey:
    return applicant_key(request.applicant_name, request.id_number, request.credit_code, request.phone)


_NO_CODE = "trim(r.credit_code) = ''"
_NO_ID = "trim(r.id_number) = ''"
_NO_PHONE = "trim(r.phone) = ''"


def same_applicant_clause(key: ApplicantKey, bind: Connection | Engine,
                          alias: str = "r") -> tuple[str, dict[str, object]]:
    """A SQL condition on ``request AS r`` (or ``alias``): the requests of the applicant ``key`` names.

    The single rule of "the same applicant" (module docstring); returns the
    condition and its parameters, which are named ``ah_*``.
    """
    params: dict[str, object] = {}
    if key.kind is KeyKind.CREDIT_CODE:
        # upper/replace keep codes typed with spaces or in lower case together; ix_request_credit_code
        # holds the same expression (models.CREDIT_CODE_KEY), so SQLite looks the code up.
        sql = "upper(replace(replace(r.credit_code, ' ', ''), '-', '')) = :ah_value"
        params["ah_value"] = key.value
    elif key.kind is KeyKind.ID_NUMBER:
        # request_contact's primary key finds the few requests; the function re-reads the ID
        # column the same way, so a phone with the same digits is not taken for it.
        keys_of_id = dialects.support(bind).contact_keys_contain(f"{contact_keys.FUNCTION}('', r.id_number)",
                                                                  ":ah_key")
        sql = (f"r.id IN (SELECT request_id FROM {contact_keys.TABLE} WHERE key = :ah_key) AND {_NO_CODE} "
               f"AND {keys_of_id}")
        params["ah_key"] = key.value[::-1]
    else:
        # ix_request_applicant: the name exactly as stored.
        sql = f"r.applicant_name = :ah_value AND {_NO_CODE} AND {_NO_ID}"
        params["ah_value"] = key.value
        if key.kind is KeyKind.NAME_PHONE:
            names = [f":ah_phone{i}" for i in range(len(key.phone_keys))]
            sql += f" AND r.id IN (SELECT request_id FROM {contact_keys.TABLE} WHERE key IN ({', '.join(names)}))"
            params.update({n[1:]: k for n, k in zip(names, key.phone_keys, strict=True)})
        else:
            sql += f" AND {_NO_PHONE}"
    if alias != "r":
        sql = sql.replace("r.", f"{alias}.")
    return f"({sql})", params


def month_ordinal(session: Session, request: Request) -> int:
    """Which application of its applicant this is within its calendar month (1-based).

    Ties on the same day are ordered by registration; the month's range keeps
    it on ``ix_request_received`` whatever the key.
    """
    start = request.received_date.replace(day=1)
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    clause, params = same_applicant_clause(key_of(request), session.get_bind())
    sql = ("SELECT count(*) FROM request AS r WHERE r.received_date >= :start AND r.received_date < :end "
           "AND (r.received_date < :day OR (r.received_date = :day AND r.id <= :rid)) AND " + clause)
    params |= {"start": start.isoformat(), "end": end.isoformat(), "day": request.received_date.isoformat(),
               "rid": request.id if request.id is not None else 2**62}
    return int(session.execute(text(sql), params).scalar_one())


@dataclass(frozen=True)
class HistoryRow:
    request_id: int
    reg_number: str
    received_date: date
    description: str  # personal numbers masked
    status: Status
    outcome_code: str | None
    repeat_candidate: bool = False  # earlier, and the matcher finds the same description (5.2)
    score: float = 0.0
    current: bool = False  # the request the history was asked for

    @property
    def outcome_label(self) -> str:
        if self.outcome_code in OUTCOME_GROUPS:
            return f"{self.outcome_code} {OUTCOME_GROUPS[self.outcome_code]}"
        if self.outcome_code:
            return f"{self.outcome_code} {OUTCOMES_BY_CODE[self.outcome_code].label}"
        return ""

    @property
    def status_label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class ApplicantHistory:
    request_id: int
    key: ApplicantKey
    rows: tuple[HistoryRow, ...]  # newest first, at most ``limit``
    total: int  # all requests of the applicant (rows may be fewer)
    by_month: tuple[tuple[str, int], ...]  # ("YYYY-MM", n), oldest first, over all requests

    @property
    def candidates(self) -> tuple[HistoryRow, ...]:
        """The 5.2 candidates: earlier requests of this applicant asking for the same information."""
        return tuple(r for r in self.rows if r.repeat_candidate)

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def history(db: Database, request_id: int, *, limit: int = 200) -> ApplicantHistory:
    """The requests of the applicant of ``request_id`` (newest ``limit``), counts per month, 5.2 candidates.

    The candidates are looked for among the listed requests received before
    this one, with the matcher of ``publication.similarity`` (at most
    ``limit`` comparisons, each after the cheap prefilter).
    """
    with db.read() as session:
        request = session.get(Request, request_id)
        if request is None:
            raise LookupError(f"no request {request_id}")
        key = key_of(request)
        clause, params = same_applicant_clause(key, session.get_bind())
        found = session.execute(text(
            "SELECT r.id, r.reg_number, r.received_date, r.description, r.status, r.outcome_code "
            f"FROM request AS r WHERE {clause} ORDER BY r.received_date DESC, r.id DESC LIMIT :ah_limit"),
            params | {"ah_limit": limit}).all()
        months = session.execute(text(
            f"SELECT {dialects.support(session.get_bind()).month_of('r.received_date')} AS month, count(*) "
            f"FROM request AS r WHERE {clause} "
            "GROUP BY month ORDER BY month"), params).all()
        vocab = similarity_vocab.vocabulary(session)  # the office's word lists, as the similar-requests panel
    by_month = tuple((str(m), int(n)) for m, n in months)
    this = similarity.normalise(request.description, request.received_date, vocab)
    here = (request.received_date, request_id)
    rows: list[HistoryRow] = []
    for rid, reg, received, description, status, outcome in found:
        received = _as_date(received)
        score, candidate = 0.0, False
        if (received, int(rid)) < here and this.content and outcome != OutcomeCode.REPEAT_APPLICATION:
            other = similarity.normalise(str(description), received, vocab)
            if similarity.quick_score(this, other) >= similarity.PREFILTER:
                result = similarity.compare(this, other)
                score, candidate = result.score, result.same
        rows.append(HistoryRow(int(rid), str(reg), received, mask_free_text(str(description)), Status(str(status)),
                               outcome and str(outcome), candidate, score, int(rid) == request_id))
    return ApplicantHistory(request_id, key, tuple(rows), sum(n for _m, n in by_month), by_month)
