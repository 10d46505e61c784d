"""The demo's bulk path (issue 7): same rows as a Core insert, indexes in sync, triggers back."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from request_desk.core import cases
from request_desk.core.storage import search, sqlite_support
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Request
from request_desk.core.transfer import demo
from tests.factories import TODAY, new_request

pytestmark = pytest.mark.sqlite_only("SQLite's bulk path: its FTS5 and trigger bookkeeping (the server has none)")

_SKIP = {"audit_log", "alembic_version", "user"}  # stamped with the time of the run


def _dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = sqlite3.connect(path)
    try:
        tables = [t for (t,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'request_fts%' ORDER BY name") if t not in _SKIP]
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in tables}
    finally:
        con.close()


def _triggers(db: Database) -> dict[str, str]:
    with db.read() as s:
        return dict(s.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all())


def test_bulk_rows_are_exactly_what_a_core_insert_stores(template_db: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    paths = []
    for name in ("bulk", "core"):
        path = tmp_path / f"{name}.sqlite3"
        path.write_bytes(template_db.read_bytes())
        db = Database.open(path)
        if name == "core":  # the previous path: SQLAlchemy Core executemany, triggers per row
            monkeypatch.setattr(demo._Batch, "flush", lambda self, session: [  # noqa: SLF001
                session.connection().execute(t.__table__.insert(), rows) for t, rows in self.tables.items() if rows])
        demo.run(db, 400, today=TODAY, actor="supervisor")
        db.close()
        monkeypatch.undo()
        paths.append(path)
    bulk, core = (_dump(p) for p in paths)
    assert bulk.keys() == core.keys()
    for table in bulk:
        assert bulk[table] == core[table], table
    assert len(bulk["request"]) == 400 and len(bulk["event"]) > 400


def test_full_text_index_is_complete_after_a_bulk_load(db: Database) -> None:
    before = _triggers(db)
    demo.run(db, 600, today=TODAY, actor="supervisor")
    assert _triggers(db) == before  # re-created exactly as they were
    with db.read() as s:
        s.execute(text("INSERT INTO request_fts(request_fts, rank) VALUES ('integrity-check', 1)"))
        pending = s.execute(text("SELECT count(*) FROM similarity_pending")).scalar_one()
        assert pending == s.execute(text("SELECT count(*) FROM request")).scalar_one() == 600
        rows = s.execute(text("SELECT id, reg_number, applicant_name, description FROM request")).all()
        terms = ("征收", "小区", "王", "网约车", "最低生活保障", "2025年", rows[17].reg_number, rows[3].applicant_name)
        for term in terms:
            clause = search.match_clause(term, s.get_bind().dialect)
            assert clause is not None
            found = set(s.execute(select(Request.__table__.c.id).where(clause)).scalars())
            expected = {r.id for r in rows if any(term.lower() in (v or "").lower() for v in r[1:])}
            assert found == expected, term


def test_triggers_keep_the_index_in_sync_after_a_bulk_load(db: Database) -> None:
    demo.run(db, 50, today=TODAY, actor="supervisor")

    new = cases.register(db, new_request(date(2026, 11, 2), applicant_name="欧阳修文",
                                            description="关于某某水库移民安置资金的拨付文件"), "clerk", today=TODAY)

    def hits(term: str) -> set[int]:
        with db.read() as s:
            clause = search.match_clause(term, s.get_bind().dialect)
            return set(s.execute(select(Request.__table__.c.id).where(clause)).scalars())

    assert hits("欧阳") == {new.id} and hits("水库移民") == {new.id}
    with db.write() as s:
        s.execute(text("UPDATE request SET description = '关于某某码头搬迁的批复' WHERE id = :i"), {"i": new.id})
    assert hits("水库移民") == set() and hits("码头搬迁") == {new.id}
    with db.write() as s:
        for t in ("event", "assignment", "similarity_pending", "similarity_key"):
            s.execute(text(f"DELETE FROM {t} WHERE request_id = :i"), {"i": new.id})
        s.execute(text("DELETE FROM request WHERE id = :i"), {"i": new.id})
    assert hits("码头搬迁") == set() and hits("欧阳") == set()
    with db.read() as s:
        s.execute(text("INSERT INTO request_fts(request_fts, rank) VALUES ('integrity-check', 1)"))


def test_bulk_insert_defers_nothing_when_request_has_an_unknown_insert_trigger(db: Database) -> None:
    with db.write() as s:
        s.execute(text("CREATE TRIGGER request_custom_ai AFTER INSERT ON request BEGIN SELECT 1; END"))
    before = _triggers(db)
    with db.write() as s:
        raw = s.connection().connection.driver_connection
        with sqlite_support.bulk_insert(raw, 1):
            names = {n for (n,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
            assert {"request_fts_ai", "request_similarity_ai", "request_custom_ai"} <= names
    assert _triggers(db) == before


def test_a_failed_bulk_load_rolls_the_triggers_back_with_the_rows(db: Database) -> None:
    before = _triggers(db)
    with pytest.raises(RuntimeError), db.write() as s:
        raw = s.connection().connection.driver_connection
        with sqlite_support.bulk_insert(raw, 1):
            assert "request_fts_ai" not in {n for (n,) in raw.execute("SELECT name FROM sqlite_master")}
            raise RuntimeError("disk on fire")
    assert _triggers(db) == before
