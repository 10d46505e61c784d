"""The applicant's history: one rule of "the same applicant", for the panel and the fee ordinal."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from request_desk.core.cases import applicant_history, fees
from request_desk.core.cases.applicant_history import KeyKind
from request_desk.core.cases.validation import id_check_character
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Request
from request_desk.core.vocab import ApplicantType
from tests.factories import register, replied

COMPANY = {"applicant_type": ApplicantType.COMMERCIAL, "applicant_name": "宿迁某某建设有限公司", "id_number": "",
           "credit_code": "91321300MA1MAB1C2G", "contact_person": "王经理"}
NO_ID = {"applicant_name": "李四", "id_number": ""}


def _id(first17: str) -> str:
    return first17 + id_check_character(first17)


OTHER_ID = _id("32130219800101001")


def ids(db: Database, rid: int) -> list[int]:
    return [r.request_id for r in applicant_history.history(db, rid).rows]


def test_same_applicant_by_id_number_whatever_the_name_or_phone_or_typing(db: Database) -> None:
    a = register(db, date(2026, 10, 9))
    b = register(db, date(2026, 10, 12), applicant_name="张 三", phone="025-84361234",
                 id_number="110105 19491231 002x")
    other = register(db, date(2026, 10, 12), id_number=OTHER_ID)
    h = applicant_history.history(db, b)
    assert h.key.kind is KeyKind.ID_NUMBER
    assert "19491231" not in h.key.display and h.key.display.endswith("002X")
    assert [r.request_id for r in h.rows] == [b, a]  # newest first
    assert other not in ids(db, a) and ids(db, other) == [other]


def test_same_applicant_by_credit_code_for_a_legal_person(db: Database) -> None:
    a = register(db, date(2026, 10, 9), **COMPANY)
    b = register(db, date(2026, 10, 20), **(COMPANY | {"applicant_name": "宿迁某某建设公司",
                                                      "credit_code": "91321300ma1mab1c2g"}))
    person = register(db, date(2026, 10, 20))  # its contact person's ID is no part of the company's key
    h = applicant_history.history(db, a)
    assert h.key.kind is KeyKind.CREDIT_CODE and h.key.display == "91321300MA1MAB1C2G"
    assert [r.request_id for r in h.rows] == [b, a] and person not in ids(db, a)


def test_without_an_id_number_by_name_and_phone(db: Database) -> None:
    a = register(db, date(2026, 10, 9), **NO_ID, phone="13812345678")
    b = register(db, date(2026, 10, 10), **NO_ID, phone="+86 138-1234-5678")
    other_phone = register(db, date(2026, 10, 11), **NO_ID, phone="13900001111")
    other_name = register(db, date(2026, 10, 11), applicant_name="王五", id_number="", phone="13812345678")
    with_id = register(db, date(2026, 10, 12), applicant_name="李四", phone="13812345678")
    h = applicant_history.history(db, a)
    assert h.key.kind is KeyKind.NAME_PHONE and h.key.display == "李四，138****5678"
    assert [r.request_id for r in h.rows] == [b, a]
    for apart in (other_phone, other_name, with_id):
        assert apart not in ids(db, a) and a not in ids(db, apart)


def test_counts_per_calendar_month_and_the_limit(db: Database) -> None:
    for day in (date(2026, 9, 28), date(2026, 9, 30), date(2026, 10, 9), date(2026, 10, 9), date(2026, 10, 30)):
        last = register(db, day)
    register(db, date(2026, 10, 9), id_number=OTHER_ID)
    h = applicant_history.history(db, last, limit=2)
    assert h.by_month == (("2026-09", 2), ("2026-10", 3))
    assert h.total == 5 and len(h.rows) == 2 and h.truncated
    assert h.rows[0].current and h.rows[0].status_label


def test_repeat_candidates_are_earlier_requests_of_the_applicant_with_the_same_description(db: Database) -> None:
    same = "2025年本市老旧小区改造项目的资金使用情况"
    first = register(db, date(2026, 9, 28), description=same)
    replied(db, "1", on=date(2026, 10, 9), rid=first)
    register(db, date(2026, 10, 9), description="2024年度区政府信息公开工作年度报告")
    register(db, date(2026, 10, 9), id_number=OTHER_ID, description=same)  # another applicant: not 5.2
    again = register(db, date(2026, 10, 20), description="本市2025年老旧小区改造项目资金的使用情况",
                     phone="13912345678")
    later = register(db, date(2026, 10, 21), description=same)
    h = applicant_history.history(db, again)
    assert [r.request_id for r in h.candidates] == [first]
    assert h.candidates[0].outcome_label == "1 予以公开"
    assert later not in [r.request_id for r in h.candidates]  # only earlier requests


def test_personal_numbers_in_descriptions_are_masked(db: Database) -> None:
    rid = register(db, description="请公开本人13912345678反映问题的办理情况")
    (row,) = applicant_history.history(db, rid).rows
    assert "13912345678" not in row.description and "139****5678" in row.description


def test_the_fee_ordinal_follows_the_same_rule(db: Database) -> None:
    """The 109号 count: the k-th application of the applicant in the calendar month."""
    register(db, date(2026, 9, 30))  # September: not counted in October
    for _ in range(2):
        register(db, date(2026, 10, 9))
    register(db, date(2026, 10, 9), id_number=OTHER_ID)
    register(db, date(2026, 10, 9), **NO_ID, phone="13912345678")  # same name and phone, but no ID: apart
    rid = register(db, date(2026, 10, 12), applicant_name="张三丰")  # same ID, another name
    nameless = register(db, date(2026, 10, 12), **NO_ID, phone="139 1234 5678")
    with db.read() as s:
        r, n = s.get(Request, rid), s.get(Request, nameless)
        assert r is not None and n is not None
        assert fees.month_ordinal(s, r) == 3
        assert fees.month_ordinal(s, n) == 2
    assert applicant_history.history(db, rid).by_month[-1] == ("2026-10", 3)


@pytest.mark.sqlite_only("reads SQLite's query plan")
def test_a_legal_persons_history_is_looked_up_by_its_credit_code_not_scanned(db: Database) -> None:
    clause, params = applicant_history.same_applicant_clause(
        applicant_history.applicant_key("宿迁某某建设有限公司", "", "91321300MA1MAB1C2G", ""), db.engine)
    with db.read() as s:
        plan = " ".join(str(row[-1]) for row in s.execute(
            text(f"EXPLAIN QUERY PLAN SELECT r.id FROM request AS r WHERE {clause}"), params))
    assert "USING INDEX ix_request_credit_code" in plan, plan
