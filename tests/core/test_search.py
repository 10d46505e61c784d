"""Instant search: Chinese substrings of any length, registration numbers, FTS kept in sync, migration 0002."""

from __future__ import annotations

import random
import shutil
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from request_desk.core import cases
from request_desk.core.cases import register_list
from request_desk.core.cases.register_list import RequestFilter
from request_desk.core.storage import db as db_module
from request_desk.core.storage import search, sqlite_support
from request_desk.core.storage.db import Database
from tests.factories import TODAY, new_request
from tests.support import server

PEOPLE = [
    ("张三", "2025年本市老旧小区改造项目的资金使用情况"),
    ("张三丰", "宿城区房屋征收补偿安置方案"),
    ("李四", "拆迁补偿标准文件及测绘报告"),
    ("欧阳娜娜", "最低生活保障审批材料（2024年）"),
    ("王五", "建设工程规划许可证 A-17 号地块"),
]


def found(db: Database, query: str, **filters: object) -> set[str]:
    f = RequestFilter(text=query, **filters)  # type: ignore[arg-type]
    rows = register_list.fetch_rows(db, f, offset=0, limit=1000, today=TODAY)
    assert register_list.count_requests(db, f, TODAY) == len(rows)
    return {r.applicant_name for r in rows}


@pytest.fixture
def people(db: Database) -> dict[str, int]:
    ids = {}
    for i, (name, description) in enumerate(PEOPLE):
        r = cases.register(db, new_request(date(2026, 11, 2 + i), applicant_name=name, description=description),
                           "clerk", today=TODAY)
        assert r.id is not None
        ids[name] = r.id
    return ids


@pytest.mark.parametrize(("query", "expected"), [
    ("张三", {"张三", "张三丰"}),  # 2 characters: the bigram index
    ("三丰", {"张三丰"}),
    ("补偿", {"张三丰", "李四"}),
    ("娜娜", {"欧阳娜娜"}),
    ("张三丰", {"张三丰"}),  # 3 characters: trigram
    ("改造项", {"张三"}),
    ("征收补偿安置", {"张三丰"}),  # 6 characters
    ("老旧小区改造", {"张三"}),
    ("丰", {"张三丰"}),  # 1 character: bigram prefix (last character of a field)
    ("欧", {"欧阳娜娜"}),  # 1 character: first of a field
    ("报", {"李四"}),
    ("补偿 李四", {"李四"}),  # every term must match
    ("张三 测绘", set()),
    ("a-17", {"王五"}),  # case-insensitive, punctuation inside a trigram
    ("2024", {"欧阳娜娜"}),
    ("没有这个", set()),
    ("小区 改造", {"张三"}),
])
def test_search_finds_chinese_substrings(db: Database, people: dict[str, int], query: str,
                                         expected: set[str]) -> None:
    assert found(db, query) == expected


def test_empty_or_punctuation_only_query_filters_nothing(db: Database, people: dict[str, int]) -> None:
    assert found(db, "   ") == set(people)
    assert found(db, "（") == set(people)  # would be an empty FTS5 phrase


def test_search_registration_numbers(db: Database, people: dict[str, int]) -> None:
    assert found(db, "2026-00003") == {"李四"}
    assert found(db, "00004") == {"欧阳娜娜"}
    assert found(db, "2026") == set(people)


def test_search_combines_with_filters(db: Database, people: dict[str, int]) -> None:
    assert found(db, "补偿", received_from=date(2026, 11, 4)) == {"李四"}


def test_quotes_in_a_term_are_not_fts_syntax(db: Database, people: dict[str, int]) -> None:
    assert found(db, '"张三') == set()
    assert found(db, 'OR') == set()
    assert found(db, 'a"b') == set()


def test_index_follows_updates_and_deletes(db: Database, people: dict[str, int]) -> None:
    with db.write() as s:
        s.execute(text("UPDATE request SET description = '政府集中采购目录', applicant_name = '张四'"
                       " WHERE id = :id"), {"id": people["张三"]})
    assert found(db, "改造") == set()  # old text gone from the bigram index
    assert found(db, "老旧小区") == set()  # … and from the trigram index
    assert found(db, "采购") == {"张四"}
    assert found(db, "集中采购目录") == {"张四"}
    assert found(db, "张三") == {"张三丰"}
    with db.write() as s:  # a change of another column leaves the index alone
        s.execute(text("UPDATE request SET status = 'in_progress' WHERE id = :id"), {"id": people["李四"]})
    assert found(db, "测绘") == {"李四"}
    with db.write() as s:
        s.execute(text("DELETE FROM event WHERE request_id = :id"), {"id": people["李四"]})
        s.execute(text("DELETE FROM request WHERE id = :id"), {"id": people["李四"]})
    assert found(db, "测绘") == set()
    assert found(db, "拆迁补偿标准") == set()
    assert found(db, "补偿") == {"张三丰"}
    if db.on_server:  # an expression index: nothing to check against its table
        return
    with db.engine.connect() as conn:  # the external-content index is consistent with its table
        conn.execute(text(f"INSERT INTO {sqlite_support.FTS_TRIGRAM}({sqlite_support.FTS_TRIGRAM}) "
                          "VALUES ('integrity-check')"))


def test_search_agrees_with_a_substring_scan(db: Database) -> None:
    rnd = random.Random(7)
    alphabet = "张王李赵改造补偿安置小区征收规划许可证材料年本市"
    texts = ["".join(rnd.choice(alphabet) for _ in range(rnd.randrange(3, 15))) for _ in range(25)]
    for i, description in enumerate(texts):
        cases.register(db, new_request(date(2026, 11, 2), applicant_name=f"申请人{i}", description=description),
                       "clerk", today=TODAY)
    for _ in range(60):
        source = rnd.choice(texts)
        length = rnd.choice([1, 2, 2, 3, 4])
        start = rnd.randrange(0, max(1, len(source) - length + 1))
        term = source[start:start + length]
        expected = {f"申请人{i}" for i, t in enumerate(texts) if term in t}
        assert found(db, term) == expected, term


def test_terms_are_split_on_spaces_including_full_width() -> None:
    assert search.parse_terms(" 张三\u3000补偿  张三 ") == ["张三", "补偿"]
    assert sqlite_support.bigrams("张三丰") == "张三 三丰 丰"
    assert sqlite_support.bigrams("") == ""


def test_migration_0002_makes_existing_requests_searchable(tmp_path: Path) -> None:
    # The revision-0001 fixture file (tests/data) holds 张三, 李四 and 欧阳明, registered before search existed.
    path = tmp_path / "old.sqlite3"
    shutil.copy(Path(__file__).parents[1] / "data" / "db-rev0001.sqlite3", path)
    db = Database.open(path)
    try:
        assert db.revision() == Database.head_revision()
        assert found(db, "张三") == {"张三"}
        assert found(db, "环评批复") == {"李四"}
        assert found(db, "明") == {"欧阳明"}
        assert found(db, "2026-00002") == {"李四"}
        # New requests after the upgrade are indexed by the triggers.
        cases.register(db, new_request(date(2026, 11, 3), applicant_name="赵六", description="征收公告"),
                       "zhuren", today=TODAY)  # the old file's one user
        assert found(db, "征收") == {"赵六"}
        with db.engine.connect() as conn:
            names = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))}
        assert {"ix_request_status_due", "ix_request_reply", "request_fts", "request_fts2"} <= names
    finally:
        db.close()


@server.sqlite_only("FTS5 tables; migration 0020 on the server: test_server_search.py")
def test_migration_0002_downgrades_cleanly(db_path: Path) -> None:
    db = Database.open(db_path)
    cfg = db_module.alembic_config()
    with db._write_engine.begin() as conn:  # noqa: SLF001 - Alembic needs a writable connection
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    with db.engine.connect() as conn:
        left = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE name LIKE 'request_fts%' "
                                                "OR name = 'ix_request_status_due'"))}
    assert left == set()
    with db.engine.connect() as conn:  # no trigger left behind that would write into a dropped index
        stale = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%request_fts%'"))
        assert stale.all() == []
    db.close()


@server.sqlite_only("FTS5 triggers; the server's index is an expression index, which no migration can lose")
def test_fts_triggers_survive_every_later_migration(db: Database) -> None:
    # A later batch migration that rebuilds the request table would silently
    # drop these triggers (and leave the index stale): it must recreate them.
    with db.engine.connect() as conn:
        triggers = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                                    "AND tbl_name = 'request'"))}
    assert {"request_fts_ai", "request_fts_ad", "request_fts_au"} <= triggers


def test_the_revision_0001_fixture_file_becomes_searchable(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    path.write_bytes((Path(__file__).parent.parent / "data" / "db-rev0001.sqlite3").read_bytes())
    db = Database.open(path)
    try:
        assert found(db, "李四") == {"李四"}
        assert found(db, "2026-00003") == {r.applicant_name for r in register_list.fetch_rows(
            db, RequestFilter(), limit=10, today=TODAY) if r.reg_number == "2026-00003"}
        assert register_list.count_requests(db, RequestFilter(text="2026-0000"), TODAY) == 3
    finally:
        db.close()
