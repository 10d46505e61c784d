"""A handling unit's liaison (issue 16, point 4): sees and reports on its own unit's assignments only."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from request_desk.core.cases import case_file, unit_work
from request_desk.core.errors import ValidationFailed
from request_desk.core.office import users
from request_desk.core.office.permissions import PermissionDenied
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry
from request_desk.core.vocab import Role, UnitLevel
from tests import factories
from tests.factories import TODAY
from tests.support import migrations


@pytest.fixture
def units(db: Database) -> tuple[int, int]:
    """Two units, each with a liaison (孙联络 of 市教育局, 周联络 of 市财政局) and cases routed to it."""
    education, finance = factories.add_unit(db, "市教育局"), factories.add_unit(db, "市财政局")
    factories.add_user(db, "liaison", "孙联络", Role.LIAISON, unit_id=education)
    factories.add_user(db, "other", "周联络", Role.LIAISON, unit_id=finance)
    factories.assigned(db, education, on=date(2026, 10, 9), internal_due=date(2026, 10, 23),
                       description="学校招生划片方案，本人电话13912345678")
    factories.assigned(db, finance, on=date(2026, 10, 9), description="2025年度财政预算执行情况")
    return education, finance


def _dump(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def test_a_liaison_sees_only_its_own_units_assignments_with_personal_numbers_masked(
        db: Database, units: tuple[int, int]) -> None:
    _education, finance = units
    rows = unit_work.unit_assignments(db, "liaison")
    assert [r.unit_name for r in rows] == ["市教育局"]
    row = rows[0]
    assert row.reg_number and row.received_date == factories.RECEIVED
    assert row.internal_due_date == date(2026, 10, 23) and row.state_label == "待反馈"
    assert "13912345678" not in row.description and "139****5678" in row.description
    assert [r.unit_name for r in unit_work.unit_assignments(db, "other")] == ["市财政局"]
    with pytest.raises(PermissionDenied, match="本单位"):
        unit_work.unit_assignments(db, "liaison", unit_id=finance)
    # The desk sees any unit's, or all of them.
    assert len(unit_work.unit_assignments(db, "clerk")) == 2
    assert [r.unit_id for r in unit_work.unit_assignments(db, "clerk", unit_id=finance)] == [finance]


def test_an_assignment_routed_on_leaves_the_open_list(db: Database, units: tuple[int, int]) -> None:
    _education, finance = units
    rid = unit_work.unit_assignments(db, "liaison")[0].request_id
    factories.assigned(db, finance, rid=rid, on=date(2026, 10, 12))
    assert unit_work.unit_assignments(db, "liaison") == []
    (ended,) = unit_work.unit_assignments(db, "liaison", open_only=False)
    assert ended.ended_date == date(2026, 10, 12) and ended.state_label == "已结束"


def test_the_liaison_reports_for_its_unit_audited_and_on_the_timeline(db: Database, units: tuple[int, int]) -> None:
    row = unit_work.unit_assignments(db, "liaison")[0]
    done = unit_work.report(db, row.id, "liaison", "已查到2026年招生划片方案，拟全部公开。", date(2026, 10, 20),
                            today=TODAY)
    assert (done.report, done.reported_date, done.reported_by) == (
        "已查到2026年招生划片方案，拟全部公开。", date(2026, 10, 20), "孙联络")
    assert unit_work.unit_assignments(db, "liaison")[0].report == done.report
    with db.read() as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "unit_report")).one()
    assert entry.user == "liaison" and entry.record_id == row.id and entry.new is not None
    assert entry.new["unit_report"] == done.report
    case = case_file.load_case(db, row.request_id, TODAY)
    (event,) = [e for e in case.events if e.kind == unit_work.EVENT_KIND]
    assert (event.label, event.user, event.on_date) == ("承办单位反馈", "孙联络", date(2026, 10, 20))
    assert "市教育局" in event.note and "招生划片方案" in event.note
    assert case.assignments[-1].report == done.report and case.assignments[-1].reported_by == "孙联络"


@pytest.mark.parametrize("who", ["clerk", "supervisor"])
def test_the_desk_records_a_units_report(db: Database, units: tuple[int, int], who: str) -> None:
    row = unit_work.unit_assignments(db, who, unit_id=units[1])[0]
    assert unit_work.report(db, row.id, who, "电话告知：未制作该信息。", today=TODAY).reported_by != ""


def test_a_refused_report_writes_nothing(db: Database, db_path: Path, units: tuple[int, int]) -> None:
    education, finance = units
    theirs = unit_work.unit_assignments(db, "clerk", unit_id=finance)[0]
    ours = unit_work.unit_assignments(db, "liaison")[0]
    factories.add_user(db, "gone", "吴离职", Role.LIAISON, unit_id=education)
    users.deactivate(db, "gone", actor="supervisor")
    before = _dump(db_path)
    with pytest.raises(PermissionDenied, match="本单位"):  # another unit's assignment
        unit_work.report(db, theirs.id, "liaison", "越权", today=TODAY)
    with pytest.raises(PermissionDenied):  # no longer an active user
        unit_work.report(db, ours.id, "gone", "已离职", today=TODAY)
    with pytest.raises(PermissionDenied):  # nobody at all
        unit_work.report(db, ours.id, "nobody", "冒名", today=TODAY)
    with pytest.raises(ValidationFailed):
        unit_work.report(db, ours.id, "liaison", "   ", today=TODAY)
    with pytest.raises(ValidationFailed, match="早于分办日期"):
        unit_work.report(db, ours.id, "liaison", "太早", date(2026, 10, 1), today=TODAY)
    assert _dump(db_path) == before


def test_an_ended_assignment_takes_no_more_reports(db: Database, db_path: Path, units: tuple[int, int]) -> None:
    _education, finance = units
    ours = unit_work.unit_assignments(db, "liaison")[0]
    factories.assigned(db, finance, rid=ours.request_id, on=date(2026, 10, 12))
    before = _dump(db_path)
    for who in ("liaison", "clerk"):
        with pytest.raises(PermissionDenied, match="已改由其他单位承办"):
            unit_work.report(db, ours.id, who, "迟到的反馈", today=TODAY)
    assert _dump(db_path) == before


def test_a_liaison_sees_only_cases_ever_routed_to_its_unit(db: Database, units: tuple[int, int]) -> None:
    _education, finance = units
    ours = unit_work.unit_assignments(db, "liaison")[0].request_id
    theirs = unit_work.unit_assignments(db, "other")[0].request_id
    never = factories.register(db)
    with db.read() as session:
        assert unit_work.can_see_case(session, "liaison", ours)
        assert not unit_work.can_see_case(session, "liaison", theirs)
        assert not unit_work.can_see_case(session, "liaison", never)
        assert unit_work.can_see_case(session, "clerk", theirs) and unit_work.can_see_case(session, "clerk", never)
        assert not unit_work.can_see_case(session, "nobody", ours)
    # Routed on to another unit: the unit worked on it, it still sees the case.
    factories.assigned(db, finance, rid=ours, on=date(2026, 10, 12))
    with db.read() as session:
        assert unit_work.can_see_case(session, "liaison", ours)


def test_a_liaison_needs_an_active_unit(db: Database, units: tuple[int, int]) -> None:
    with pytest.raises(ValidationFailed, match="须指定其所在的承办单位"):
        users.add_user(db, "nounit", "郑联络", Role.LIAISON, actor="supervisor")
    with pytest.raises(ValidationFailed, match="须指定其所在的承办单位"):
        users.set_role(db, "clerk", Role.LIAISON, actor="supervisor")
    closed = factories.add_unit(db, "已撤销局")
    from request_desk.core.office import units as unit_service

    unit_service.update_unit(db, closed, unit_service.UnitData("已撤销局", UnitLevel.DEPARTMENT, active=False),
                             actor="supervisor")
    with pytest.raises(ValidationFailed, match="已停用"):
        users.add_user(db, "nounit", "郑联络", Role.LIAISON, actor="supervisor", unit_id=closed)
    assert "nounit" not in {u.username for u in users.list_users(db, active_only=False)}
    moved = users.set_role(db, "clerk", Role.LIAISON, actor="supervisor", unit_id=units[1])
    assert (moved.role, moved.unit_id, moved.unit_name) == ("liaison", units[1], "市财政局")
    back = users.set_role(db, "clerk", Role.CLERK, actor="supervisor", unit_id=units[1])
    assert back.unit_id is None  # the desk's roles belong to no unit


def test_migration_0014_matches_the_model_and_goes_down_and_up(db: Database, units: tuple[int, int]) -> None:
    assert migrations.differences(db, "'user'", "assignment") == []
    migrations.down_and_up(db, "0013")
    # The liaison lost its unit on the way down; the assignments are all still there.
    assert len(unit_work.unit_assignments(db, "clerk")) == 2


def test_a_liaison_runs_no_step_even_on_its_own_units_case(db: Database, db_path: Path,
                                                          units: tuple[int, int]) -> None:
    from request_desk.core import cases

    ours = unit_work.unit_assignments(db, "liaison")[0].request_id
    before = _dump(db_path)
    with pytest.raises(PermissionDenied, match="无权办理申请"):
        cases.reply(db, ours, "liaison", outcome_code="1", on_date=date(2026, 10, 20), today=TODAY)
    assert _dump(db_path) == before
