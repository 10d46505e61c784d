"""The permission table (issue 16, point 4): every permission × role, and the services that consult it.

``permissions.ROLES`` is the one place that says who may do what; these tests read it
against real users of every role, and check that each service refuses the roles the
table leaves out, with nothing written.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from request_desk.core import cases, jobs
from request_desk.core.cases import calls, unit_work
from request_desk.core.cases.workflow import Action
from request_desk.core.errors import DeskError
from request_desk.core.letters import compose, register
from request_desk.core.office import permissions, safekeeping, settings_change, users
from request_desk.core.office import settings as office_settings
from request_desk.core.office.permissions import Permission
from request_desk.core.publication import worklist
from request_desk.core.reports import period_lock
from request_desk.core.reports.common import Month
from request_desk.core.storage import backup
from request_desk.core.storage.db import Database
from request_desk.core.transfer import demo
from request_desk.core.vocab import Role
from tests import factories
from tests.factories import TODAY

# One active user of every role (the template has 李经办 the clerk and 王主任 the supervisor).
BY_ROLE = {Role.CLERK: "clerk", Role.SUPERVISOR: "supervisor", Role.ADMINISTRATOR: "admin",
           Role.LIAISON: "liaison"}


@pytest.fixture
def office(db: Database) -> Database:
    users.add_user(db, "admin", "赵管理", Role.ADMINISTRATOR, actor="supervisor")
    users.add_user(db, "liaison", "孙联络", Role.LIAISON, actor="admin",
                   unit_id=factories.add_unit(db, "市教育局", actor="admin"))
    users.add_user(db, "gone", "钱离职", Role.ADMINISTRATOR, actor="admin")
    users.deactivate(db, "gone", actor="admin")
    return db


@pytest.mark.parametrize("permission", list(Permission), ids=[p.value for p in Permission])
@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_every_role_holds_exactly_the_permissions_of_the_table(office: Database, permission: Permission,
                                                               role: Role) -> None:
    with office.read() as session:
        assert permissions.allowed(session, BY_ROLE[role], permission) is (role in permissions.ROLES[permission])


def test_all_permissions_read_at_once_are_the_ones_allowed_one_by_one(office: Database) -> None:
    """``permissions.granted`` (the case view's buttons) follows the same rule as ``allowed``."""
    with office.read() as session:
        for user in [*BY_ROLE.values(), "gone", "nobody"]:
            assert permissions.granted(session, user) == {p for p in Permission
                                                           if permissions.allowed(session, user, p)}, user


def test_without_an_administrator_the_supervisor_is_granted_theirs(db: Database) -> None:
    with db.read() as session:  # the template office: a supervisor and a clerk, no administrator
        held = permissions.granted(session, "supervisor")
        assert Permission.MANAGE_USERS in held and Permission.REPORT_FOR_UNIT in held
        assert held == {p for p in Permission if permissions.allowed(session, "supervisor", p)}


def test_a_liaison_holds_only_the_report_for_its_unit(office: Database) -> None:
    with office.read() as session:
        held = {p for p in Permission if permissions.allowed(session, "liaison", p)}
    assert held == {Permission.REPORT_FOR_UNIT}


@pytest.mark.parametrize("permission", list(Permission), ids=[p.value for p in Permission])
def test_deactivated_and_unknown_users_hold_nothing(office: Database, permission: Permission) -> None:
    with office.read() as session:
        assert not permissions.allowed(session, "gone", permission)
        assert not permissions.allowed(session, "nobody", permission)
        with pytest.raises(permissions.PermissionDenied, match=permission.label):
            permissions.require(session, "nobody", permission)


def _dump(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def _registered(db: Database) -> int:
    return factories.register(db)


def _replied(db: Database) -> int:
    return factories.replied(db, "1", on=date(2026, 10, 26))


def _with_contact(db: Database) -> int:
    """A registered case in an office whose letters have everything they need."""
    with db.write() as session:
        office_settings.update(session, contact_person="李经办", contact_phone="0527-84371234")
    return _registered(db)


def _proposed(db: Database) -> int:
    flag = worklist.raise_flag(db, _replied(db), "clerk", "涉及众多居民切身利益")
    return flag.id


def _backed_up(db: Database) -> int:
    backup.make_backup(_path(db), reason="manual")
    return 0


def _path(db: Database) -> Path:
    return Path(str(db.engine.url.database))


NOTICE = (Path(__file__).parent.parent / "data" / "notice-2027-sample.csv").read_text(encoding="utf-8")


def _assigned_to_the_liaisons_unit(db: Database) -> int:
    """A case routed to the liaison's unit; the id of its assignment."""
    unit = next(u.unit_id for u in users.list_users(db) if u.username == "liaison")
    assert unit is not None
    factories.assigned(db, unit, on=date(2026, 10, 9))
    return unit_work.unit_assignments(db, "clerk", unit_id=unit)[0].id


Prepare = Callable[[Database], int]
Act = Callable[[Database, str, int], object]

# Each service that consults the table: what it needs first (a case), and the call by ``actor``.
SERVICES: dict[Permission, tuple[Prepare, Act]] = {
    Permission.CORRECT_RECORD: (_registered, lambda db, actor, rid: cases.correct(
        db, rid, {"applicant_name": "张山"}, "录错", actor, today=TODAY)),
    Permission.CORRECT_RECEIPT_DATE_AFTER_REPLY: (_replied, lambda db, actor, rid: cases.correct(
        db, rid, {"received_date": date(2026, 9, 1)}, "收件日期录错", actor, today=TODAY)),
    Permission.UNDO_STEP: (_replied, lambda db, actor, rid: cases.undo_last_step(db, rid, "录错", actor, today=TODAY)),
    Permission.APPROVE_EXTENSION: (_registered, lambda db, actor, rid: cases.extend(
        db, rid, actor, reason="需要调取档案", on_date=date(2026, 10, 20), today=TODAY)),
    Permission.CHANGE_SETTINGS: (_registered, lambda db, actor, _rid: settings_change.update_settings(
        db, actor, {"amber_days": 4}, today=TODAY)),
    Permission.MANAGE_USERS: (_registered, lambda db, actor, _rid: users.set_role(
        db, "clerk", Role.SUPERVISOR, actor=actor)),
    Permission.REGISTER: (_registered, lambda db, actor, _rid: cases.register(db, factories.new_request(), actor,
                                                                              today=TODAY)),
    Permission.RUN_CASE: (_registered, lambda db, actor, rid: cases.do_step(
        db, Action.REQUEST_SUPPLEMENT, rid, actor, {"what": "请说明所需信息的年份"}, on_date=date(2026, 9, 29),
        today=TODAY)),
    Permission.ISSUE_LETTER: (_with_contact, lambda db, actor, rid: register.issue(
        db, compose.compose(db, rid, "acknowledgement", on_date=date(2026, 9, 28)), actor)),
    Permission.LOG_CALL: (_replied, lambda db, actor, rid: calls.log_call(
        db, rid, actor, datetime(2026, 10, 28, 10, 0), "李经办", False, today=TODAY)),
    Permission.PROPOSE_PUBLICATION: (_replied, lambda db, actor, rid: worklist.raise_flag(db, rid, actor, "理由")),
    Permission.APPROVE_PUBLICATION: (_proposed, lambda db, actor, fid: worklist.review(db, fid, actor)),
    Permission.LOCK_PERIOD: (_registered, lambda db, actor, _rid: period_lock.lock_month(
        db, Month(2026, 9), actor, now=datetime(2026, 10, 9, 9, 0, tzinfo=UTC))),
    Permission.IMPORT_CALENDAR: (_registered, lambda db, actor, _rid: cases.import_calendar(
        db, NOTICE, "2027年放假通知", actor, today=TODAY)),
    Permission.MAKE_BACKUP: (_registered, lambda db, actor, _rid: jobs.run(safekeeping.backup_job(_path(db), actor))),
    Permission.RESTORE_BACKUP: (_backed_up, lambda db, actor, _rid: jobs.run(safekeeping.restore_job(
        backup.list_backups(_path(db))[0].path, _path(db), actor))),
    Permission.MAKE_DEMO: (_registered, lambda db, actor, _rid: demo.run(db, 3, today=TODAY, actor=actor)),
    Permission.REPORT_FOR_UNIT: (_assigned_to_the_liaisons_unit, lambda db, actor, aid: unit_work.report(
        db, aid, actor, "已查到相关文件", date(2026, 10, 20), today=TODAY)),
}
# The permissions whose services need more than one call to reach, proved in their own tests.
PROVED_ELSEWHERE = {
    Permission.REVIEW_LETTER: "tests/core/test_letter_review.py::test_a_clerk_cannot_approve_or_return",
    Permission.VIEW_FULL_PERSONAL_DATA: "tests/reliability/test_personal_data.py",
}


def test_every_permission_is_proved_on_its_service() -> None:
    assert set(SERVICES) | set(PROVED_ELSEWHERE) == set(Permission)


@pytest.mark.parametrize("permission", list(SERVICES), ids=[p.value for p in SERVICES])
@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_each_service_follows_the_table_and_a_refusal_writes_nothing(office: Database, db_path: Path,
                                                                     permission: Permission, role: Role) -> None:
    prepare, act = SERVICES[permission]
    rid = prepare(office)
    if role in permissions.ROLES[permission]:
        act(office, BY_ROLE[role], rid)
        return
    before = _dump(db_path)
    with pytest.raises(DeskError, match=r"负责人|管理员"):
        act(office, BY_ROLE[role], rid)
    assert _dump(db_path) == before


@pytest.mark.parametrize("permission", list(SERVICES), ids=[p.value for p in SERVICES])
@pytest.mark.parametrize("who", ["nobody", "gone"])
def test_the_audit_log_names_signed_in_users_only(office: Database, db_path: Path, permission: Permission,
                                                  who: str) -> None:
    """No service acts for a name that is not an active account: unknown or deactivated, nothing is written."""
    prepare, act = SERVICES[permission]
    rid = prepare(office)
    before = _dump(db_path)
    with pytest.raises(permissions.PermissionDenied):
        act(office, who, rid)
    assert _dump(db_path) == before
