"""Rare characters round-trip and are found; the audit log per case and for administrators;
no full ID number or phone in the request list."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from request_desk.core import cases
from request_desk.core.cases import register_list
from request_desk.core.storage import audit_view, backup, restore
from request_desk.core.storage.db import Database
from tests.factories import TODAY, new_request

RARE_NAMES = ["𠀀", "䶮明", "王𠈌", "欧阳𠀀䶮", "\U0002a6d6\U0002a6d6\U0002a6d6"]


@pytest.fixture
def rare(db: Database) -> dict[str, int]:
    return {name: cases.register(db, new_request(applicant_name=name, description=f"关于{name}的信息"), "clerk",
                                 today=TODAY).id or 0 for name in RARE_NAMES}


def test_rare_characters_are_stored_and_read_back_exactly(db: Database, rare: dict[str, int]) -> None:
    for name, rid in rare.items():
        assert cases.get(db, rid).applicant_name == name
    with db.read() as s:  # stored as the characters themselves, not as replacement marks
        stored = s.execute(text("SELECT applicant_name, length(applicant_name) FROM request ORDER BY id")).all()
    assert [(n, len(n)) for n in RARE_NAMES] == [tuple(r) for r in stored]


@pytest.mark.parametrize("term", ["𠀀", "䶮明", "王𠈌", "欧阳𠀀䶮", "\U0002a6d6\U0002a6d6", "\U0002a6d6" * 3])
def test_rare_characters_are_found_by_the_list_search(db: Database, rare: dict[str, int], term: str) -> None:
    rows = register_list.fetch_rows(db, register_list.RequestFilter(text=term), today=TODAY)
    expected = {rid for name, rid in rare.items() if term in name}
    assert expected and {r.id for r in rows} == expected
    assert register_list.count_requests(db, register_list.RequestFilter(text=term), TODAY) == len(expected)


def test_rare_characters_survive_backup_and_restore(db: Database, db_path: Path, rare: dict[str, int]) -> None:
    saved = backup.make_backup(db_path).path
    db.close()
    restore.restore(saved, db_path)
    reopened = Database.open(db_path)
    try:
        assert [cases.get(reopened, rid).applicant_name for rid in rare.values()] == RARE_NAMES
    finally:
        reopened.close()


def test_case_history_lists_every_change_of_one_case_in_order(db: Database) -> None:
    r = cases.register(db, new_request(), "clerk", today=TODAY)
    other = cases.register(db, new_request(applicant_name="李四"), "clerk", today=TODAY)
    cases.request_supplement(db, r.id, "clerk", what="请说明年份", on_date=TODAY, today=TODAY)
    cases.receive_supplement(db, r.id, "supervisor", on_date=TODAY, today=TODAY)
    history = audit_view.case_history(db, r.id or 0)
    assert [h.action for h in history] == ["register", "request_supplement", "receive_supplement"]
    assert [h.user for h in history] == ["clerk", "clerk", "supervisor"]
    assert all(h.record_id == r.id for h in history) and history[0].at.tzinfo is not None
    assert [h.action for h in audit_view.case_history(db, other.id or 0)] == ["register"]


def test_administrator_search_over_the_audit_log(db: Database) -> None:
    a = cases.register(db, new_request(applicant_name="𠀀明"), "clerk", today=TODAY)
    cases.register(db, new_request(applicant_name="李四"), "supervisor", today=TODAY)
    assert {e.record_id for e in audit_view.search(db, audit_view.AuditQuery(text="𠀀明"))} == {a.id}
    assert {e.user for e in audit_view.search(db, audit_view.AuditQuery(action="register"))} == {"clerk", "supervisor"}
    by_user = audit_view.search(db, audit_view.AuditQuery(user="supervisor", table_name="request"))
    assert [e.new["applicant_name"] for e in by_user if e.new] == ["李四"]
    today = date.today()
    assert len(audit_view.search(db, audit_view.AuditQuery(since=today, until=today, action="register"))) == 2
    assert audit_view.search(db, audit_view.AuditQuery(until=date(2000, 1, 1))) == []
    assert len(audit_view.search(db, audit_view.AuditQuery(), limit=1)) == 1
    newest_first = audit_view.search(db, audit_view.AuditQuery())
    assert [e.id for e in newest_first] == sorted((e.id for e in newest_first), reverse=True)
    assert audit_view.search(db, audit_view.AuditQuery(text="100%_")) == []  # LIKE wildcards are literal
    with pytest.raises(Exception, match="结束日期"):
        audit_view.search(db, audit_view.AuditQuery(since=today, until=date(2000, 1, 1)))


def test_the_request_list_shows_no_full_id_number_or_phone(db: Database, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from request_desk.gui.models.request_table import RequestTableModel

    r = cases.register(db, new_request(), "clerk", today=TODAY)
    model = RequestTableModel(db, lambda: TODAY)
    model.set_filter(register_list.RequestFilter())
    shown = [str(model.data(model.index(row, col), role))
             for row in range(model.rowCount()) for col in range(model.columnCount())
             for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)]
    assert model.rowCount() == 1 and any(r.reg_number in s for s in shown)
    assert not any(r.id_number in s or r.phone in s for s in shown)
