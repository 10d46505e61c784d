"""Search on the office server finds what it finds on SQLite: the grams index, the contact keys, migration 0020.

Every test here needs the test server (``REQUEST_DESK_TEST_PG``); without it
they are skipped. The comparison registers the same requests in a SQLite file
and in a database on the server and asks both the same queries.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from request_desk.core import cases
from request_desk.core.cases import register_list
from request_desk.core.cases.register_list import RequestFilter
from request_desk.core.office import settings as office_settings
from request_desk.core.office import users
from request_desk.core.storage import contact_keys, postgres_support, search
from request_desk.core.storage import db as db_module
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Request, table_of
from request_desk.core.vocab import Role
from tests.factories import OFFICE, PASSWORD, TODAY, new_request
from tests.support import server

pytestmark = pytest.mark.skipif(not server.enabled(), reason="needs the test server (REQUEST_DESK_TEST_PG)")

# Chinese of the register, Latin letters of both cases, digits, punctuation a clerk meets in descriptions.
_ALPHABET = "征收补偿安置网约车最低生活保障规划许可证小区改造张王李赵年月日的" + "AbCdxYz" + "0123456789-（）、：. "
# Numbers as applicants give them (registration checks them; the key test below also feeds garbage).
_PHONES = ["138-0013-8000", "(025)84361234转12", "13912345678/025-84005678", "+86 137 0000 1111",
           "025-84000000-123", "0527-812-3456", "400-810-8888转2", "00852-91234567", "84000000",
           "(0527)8123456-12", "025——84000000", "１３８００１３８０００"]
_IDS = ["11010519491231002X", "321302198001010018", "", "320102198001010016", "11010519491231002x"]
_GARBAGE = ["abc", "", "139一二三45678", "---", "+852 12", "13912345678 / 139123", "ab-12 34"]


def _office(location: Path | str) -> Database:
    """A desk as the test fixtures make one (the two users, the office's details)."""
    db = Database.open(location)
    users.add_user(db, "supervisor", "王主任", Role.SUPERVISOR, actor="supervisor", initial_password=PASSWORD)
    users.add_user(db, "clerk", "李经办", Role.CLERK, actor="supervisor", initial_password=PASSWORD)
    with db.write() as session:
        office_settings.update(session, **OFFICE)
    return db


def _register_the_same(dbs: list[Database], count: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    texts = []
    for i in range(count):
        description = "".join(rnd.choice(_ALPHABET) for _ in range(rnd.randrange(4, 30))).strip() or "材料"
        name = rnd.choice(["张三", "张三丰", "欧阳娜娜", "Li Lei", "王五"]) + str(i % 3)
        texts.append(description)
        for db in dbs:
            cases.register(db, new_request(date(2026, 10, 1) + timedelta(days=i % 50), applicant_name=name,
                                           description=description, phone=random.Random(i).choice(_PHONES),
                                           id_number=random.Random(-i).choice(_IDS)), "clerk", today=TODAY)
    return texts


def _queries(texts: list[str], seed: int) -> list[str]:
    rnd = random.Random(seed)
    queries = ["征收", "网约车", "最低生活保障", "1234", "8000", "002X", "138 0013 8000", "-", "（）", "、：",
               "abc", "ABC", "xYz", "XYZ", "2026-0000", "张三", "张三 李", "征收 补偿", "网约车 0", "张 三 丰"]
    for _ in range(80):
        source = rnd.choice(texts)
        length = rnd.choice([1, 2, 3, 6])
        start = rnd.randrange(0, max(1, len(source) - length + 1))
        term = source[start:start + length].strip()
        # 1-2 character terms of letters and digits only: in a bigram SQLite's tokenizer drops
        # punctuation ("a-" is searched as "a"), the server reads it as typed (search.py).
        if len(term) < search.TRIGRAM_MIN and not term.isalnum():
            continue
        queries.append(term.swapcase() if rnd.random() < 0.3 else term)
    for _ in range(20):  # several terms, ANDed
        queries.append(" ".join(rnd.choice(texts)[rnd.randrange(3):][:rnd.choice([1, 2, 3])] for _ in range(2)))
    return queries


def _matches(db: Database, query: str) -> list[int]:
    f = RequestFilter(text=query)
    ids = [r.id for r in register_list.fetch_rows(db, f, offset=0, limit=10_000, today=TODAY)]
    assert register_list.count_requests(db, f, TODAY) == len(ids)
    return sorted(ids)


@pytest.fixture
def twins(db: Database, tmp_path: Path) -> Iterator[tuple[Database, Database, list[str]]]:
    sqlite_db = _office(tmp_path / "twin.sqlite3")
    texts = _register_the_same([sqlite_db, db], 90, seed=19)
    yield sqlite_db, db, texts
    sqlite_db.close()


def _walked(db: Database, query: str) -> list[int] | None:
    """The ids a walk of the sort order finds (``match_clause(walk=True)``); None if the query filters nothing."""
    where = search.match_clause(query, db.engine.dialect, walk=True)
    if where is None:
        return None
    with db.read() as session:
        return sorted(session.execute(select(table_of(Request).c.id).where(where)).scalars())


def test_the_server_finds_what_sqlite_finds(twins: tuple[Database, Database, list[str]]) -> None:
    sqlite_db, server_db, texts = twins
    assert server_db.on_server and not sqlite_db.on_server
    queries = _queries(texts, seed=2)
    compared = 0
    for query in queries:
        expected = _matches(sqlite_db, query)
        assert _matches(server_db, query) == expected, query
        assert _walked(server_db, query) in (None, expected), query  # the page found by walking
        if expected and search.filters(query):  # the walk's probe never finds fewer than the matches
            with server_db.read() as session:
                assert search.more_matches_than(session.connection(), query, len(expected) - 1), query
        compared += bool(expected)
    assert compared > len(queries) // 2  # the queries do find requests, not only nothing on both sides


def test_the_walk_probe_reads_the_grams_exactly_for_short_terms(db: Database) -> None:
    for description in ("征收补偿", "征收公告", "网约车", "约车网约"):
        cases.register(db, new_request(date(2026, 11, 2), description=description), "clerk", today=TODAY)
    with db.read() as session:
        conn = session.connection()
        assert search.more_matches_than(conn, "征收", 1) and not search.more_matches_than(conn, "征收", 2)
        assert search.more_matches_than(conn, "网约车", 1)  # 约车网约 holds its grams: towards walking
        assert search.more_matches_than(conn, "-", 0) is None


def test_the_contact_keys_are_computed_alike(db: Database) -> None:
    rnd = random.Random(15)
    pieces = ["1", "3", "8", "0", "2", "5", "-", " ", "(", ")", "+", "转", "ext", "x", "#", "/", "、", "—", "86", "00"]
    phones = [*_PHONES, *_GARBAGE]
    phones += ["".join(rnd.choice(pieces) for _ in range(rnd.randrange(1, 16))) for _ in range(3000)]
    ids = [*_IDS, *_GARBAGE]
    ids += ["".join(rnd.choice("0123456789Xx -") for _ in range(rnd.randrange(0, 20))) for _ in range(200)]
    pairs = [(p, ids[i % len(ids)]) for i, p in enumerate(phones)]
    with db.read() as session:
        computed = session.execute(
            text("SELECT n, rd_contact_keys(p, i) FROM unnest(CAST(:p AS text[]), CAST(:i AS text[])) "
                 "WITH ORDINALITY AS t(p, i, n) ORDER BY n"),
            {"p": [p for p, _ in pairs], "i": [i for _, i in pairs]}).all()
    for (phone, id_number), (_, keys) in zip(pairs, computed, strict=True):
        assert sorted(keys) == sorted(contact_keys.keys(phone, id_number)), (phone, id_number)


def _plan(db: Database, query: str) -> str:
    where = search.match_clause(query, db.engine.dialect)
    assert where is not None
    stmt = select(table_of(Request).c.id).where(where)
    compiled = stmt.compile(dialect=db.engine.dialect, compile_kwargs={"render_postcompile": True})
    with db.engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")  # a test register is small: the planner would scan it
        rows = conn.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params).all()
    return "\n".join(str(r[0]) for r in rows)


@pytest.mark.parametrize("query", ["征", "征收", "网约车", "最低生活保障", "征收 补偿", "Abc"])
def test_a_search_reads_the_grams_index(db: Database, query: str) -> None:
    cases.register(db, new_request(date(2026, 11, 2), description="征收补偿"), "clerk", today=TODAY)
    assert postgres_support.SEARCH_INDEX in _plan(db, query)


def test_a_number_reads_the_grams_index_and_the_key_table(db: Database) -> None:
    cases.register(db, new_request(date(2026, 11, 2), phone="138-0013-8000"), "clerk", today=TODAY)
    plan = _plan(db, "8000")
    assert postgres_support.SEARCH_INDEX in plan and "request_contact_pkey" in plan


def _migrate(db: Database, revision: str, *, down: bool = False) -> None:
    cfg = db_module.alembic_config()
    with db._write_engine.begin() as conn:  # noqa: SLF001 - Alembic needs a writable connection
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


def _objects(db: Database) -> set[str]:
    with db.engine.connect() as conn:
        return {str(r[0]) for r in conn.execute(text(
            "SELECT relname FROM pg_class WHERE relname IN ('request_contact', :index) "
            "UNION SELECT proname FROM pg_proc WHERE proname LIKE 'rd\\_%' "
            "UNION SELECT tgname FROM pg_trigger WHERE tgname LIKE 'request\\_contact\\_%'"),
            {"index": postgres_support.SEARCH_INDEX})}


def test_migration_0020_indexes_existing_requests_and_downgrades_cleanly(db: Database) -> None:
    before = ScriptDirectory.from_config(db_module.alembic_config()).get_revision("0020").down_revision
    assert isinstance(before, str)
    made = _objects(db)
    assert {"request_contact", postgres_support.SEARCH_INDEX, "rd_contact_keys", "request_contact_ai"} <= made
    _migrate(db, before, down=True)
    assert _objects(db) == set()
    # Requests registered before the upgrade (no triggers, no index then) are found after it.
    with db.write() as session:
        session.execute(text("UPDATE request SET phone = '' WHERE false"))  # the table is there, untouched
    cases.register(db, new_request(date(2026, 11, 2), applicant_name="钱七", description="网约车经营许可",
                                   phone="188-0000-1234"), "clerk", today=TODAY)
    _migrate(db, "head")
    assert _objects(db) == made
    for query in ("网约车", "1234"):
        assert [r.applicant_name for r in register_list.fetch_rows(db, RequestFilter(text=query), today=TODAY)] == [
            "钱七"]
