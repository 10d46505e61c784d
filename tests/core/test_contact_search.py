"""Finding a request by phone or ID number (issue 15, point 7): keys, triggers, migration 0011, the list's query."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from request_desk.core import cases
from request_desk.core.cases import register_list
from request_desk.core.cases.register_list import RequestFilter
from request_desk.core.storage import contact_keys, postgres_support, sqlite_support
from request_desk.core.storage.db import Database
from tests.factories import TODAY, new_request
from tests.support import server

# (name, phone as typed, ID number)
APPLICANTS = [
    ("张三", "138-0013-8000", "11010519491231002X"),
    ("李四", "(025)84361234转12", "321302198001010018"),
    ("王五", "13912345678/025-84005678", ""),
    ("赵六", "+86 137 0000 1111", "320102198001010016"),
]


def found(db: Database, query: str) -> list[str]:
    f = RequestFilter(text=query)
    rows = register_list.fetch_rows(db, f, offset=0, limit=100, today=TODAY)
    assert register_list.count_requests(db, f, TODAY) == len(rows)
    return sorted(r.applicant_name for r in rows)


@pytest.fixture
def applicants(db: Database) -> dict[str, int]:
    ids = {}
    for i, (name, phone, id_number) in enumerate(APPLICANTS):
        r = cases.register(db, new_request(date(2026, 11, 2 + i), applicant_name=name, phone=phone,
                                           id_number=id_number, description="规划许可材料"), "clerk", today=TODAY)
        assert r.id is not None
        ids[name] = r.id
    return ids


@pytest.mark.parametrize(("query", "expected"), [
    ("13800138000", ["张三"]),  # the full mobile number, stored grouped
    ("138-0013-8000", ["张三"]),  # typed grouped
    ("138 0013 8000", ["张三"]),  # grouped with spaces: one number, not three terms
    ("１３８００１３８０００", ["张三"]),  # full-width digits of an IME
    ("8000", ["张三"]),  # the last four digits of the phone
    ("002X", ["张三"]),  # the last four of the ID number, with its X
    ("002x", ["张三"]),
    ("010018", ["李四"]),  # the last six of the ID number
    ("11010519491231002X", ["张三"]),  # the full ID number
    ("02584361234", ["李四"]),  # a landline with area code, without the extension
    ("84361234", ["李四"]),  # without the area code
    ("5678", ["王五"]),  # the first of two numbers in one field
    ("025-84005678", ["王五"]),  # the second
    ("13700001111", ["赵六"]),  # +86 written, not searched
    ("+86 137 0000 1111", ["赵六"]),  # +86 searched: the country code is not part of the number
    ("008613700001111", ["赵六"]),
    ("1111", ["赵六"]),
    ("0013", []),  # digits in the middle of a number are not its end
    ("9999", []),
])
def test_a_number_finds_the_request_whose_phone_or_id_ends_with_it(
        db: Database, applicants: dict[str, int], query: str, expected: list[str]) -> None:
    assert found(db, query) == expected


def test_a_number_also_finds_what_the_text_search_finds(db: Database, applicants: dict[str, int]) -> None:
    # 2026 is in every registration number, and ends no phone or ID number.
    assert found(db, "2026") == ["张三", "李四", "王五", "赵六"]
    # The third registration number (2026-00003), though no phone or ID number ends with it.
    assert found(db, "00003") == ["王五"]


@pytest.mark.parametrize("query", ["-", "（）", "…", "---", "— —", "、，。"])
def test_punctuation_only_filters_nothing(db: Database, applicants: dict[str, int], query: str) -> None:
    assert not register_list.searchable(query)
    assert found(db, query) == ["张三", "李四", "王五", "赵六"]


def test_rows_show_phone_and_id_masked_and_which_matched(db: Database, applicants: dict[str, int]) -> None:
    [by_id] = register_list.fetch_rows(db, RequestFilter(text="002X"), today=TODAY)
    assert (by_id.phone_masked, by_id.id_masked, by_id.matched_id) == ("138****8000", "110105********002X", True)
    [by_phone] = register_list.fetch_rows(db, RequestFilter(text="8000"), today=TODAY)
    assert by_phone.matched_id is False
    [two] = register_list.fetch_rows(db, RequestFilter(text="5678"), today=TODAY)
    assert two.phone_masked == "139****5678、025-****5678"
    assert "13912345678" not in repr(two) and "84005678" not in repr(two)


def test_the_keys_follow_a_changed_and_a_deleted_request(db: Database, applicants: dict[str, int]) -> None:
    with db.write() as session:  # any writer, not only the services: the triggers keep the keys
        session.execute(text("UPDATE request SET phone = '15000002222' WHERE id = :id"), {"id": applicants["张三"]})
    assert found(db, "8000") == []
    assert found(db, "2222") == ["张三"]
    assert found(db, "002X") == ["张三"]  # the ID number's key kept
    with db.write() as session:
        session.execute(text("DELETE FROM request_contact WHERE request_id = :id"), {"id": applicants["李四"]})
        session.execute(text("UPDATE request SET id_number = '' WHERE id = :id"), {"id": applicants["李四"]})
    assert found(db, "010018") == []


def test_one_range_scan_of_the_key_index(db: Database, applicants: dict[str, int]) -> None:
    lo, hi = contact_keys.key_range("1234")
    if db.on_server:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("SET enable_seqscan = off")  # four requests: the planner would read the table
            plan = " ".join(str(r[0]) for r in conn.execute(
                text(f"EXPLAIN {contact_keys.match_sql()}"), {"contact_lo": lo, "contact_hi": hi}))
        assert "request_contact_pkey" in plan and "Index Cond: ((key >= '4321'::text) AND (key < '4322'::text))" in plan
        return
    with db.read() as session:
        plan = " ".join(str(r[-1]) for r in session.execute(
            text(f"EXPLAIN QUERY PLAN {contact_keys.match_sql()}"), {"contact_lo": lo, "contact_hi": hi}))
    assert "SEARCH request_contact USING" in plan and "key>? AND key<?" in plan.replace("=", "")


def test_keys() -> None:
    assert contact_keys.keys("138-0013-8000", "11010519491231002x") == ["00083100831", "X20013219491501011"]
    assert contact_keys.keys("", "") == []
    assert contact_keys.query_digits("138-0013-8000") == "13800138000"
    assert contact_keys.query_digits("张三 1234") is None
    assert contact_keys.query_digits("123") is None
    assert contact_keys.key_range("1234") == ("4321", "4322")


def test_migration_keys_existing_requests(db: Database, applicants: dict[str, int]) -> None:
    # Revision 0011 run on a register that already has requests: drop and re-create as it does.
    if db.on_server:  # migration 0020 makes them there
        drop, create = postgres_support.contact_drop_ddl(), postgres_support.contact_create_ddl()
    else:
        drop, create = contact_keys.drop_ddl(), contact_keys.create_ddl()
    with db.write() as session:
        for statement in drop:
            session.execute(text(statement))
    with db.write() as session:
        for statement in create:
            session.execute(text(statement))
    assert found(db, "002X") == ["张三"]
    assert found(db, "84361234") == ["李四"]


@server.sqlite_only("sqlite_support.bulk_insert defers SQLite's triggers")
def test_bulk_insert_keys_the_new_requests(db: Database) -> None:
    with db.write() as session:
        raw = session.connection().connection.dbapi_connection
        assert raw is not None
        with sqlite_support.bulk_insert(raw, 1):
            raw.execute(
                "INSERT INTO request (id, year, seq, reg_number, channel, received_date, applicant_type, "
                "applicant_name, id_type, id_number, credit_code, contact_person, phone, address, postal_code, "
                "email, description, purpose, preferred_form, delivery_method, status, supplement_notice_late, "
                "due_provisional, note, created_at, created_by, updated_at, version, followed_up, "
                "later_date_reason, reply_summary, delivery_channel, delivery_proof) VALUES (1, 2026, 1, "
                "'2026-00001', 'in_person', '2026-11-02', 'natural_person', '钱七', 'resident_id', '', '', '', "
                "'18800001234', '', '', '', '材料', '', '', '', 'registered', 0, 0, '', '2026-11-02 00:00:00', "
                "'', '2026-11-02 00:00:00', 1, 0, '', '', '', '')")
    assert found(db, "1234") == ["钱七"]
