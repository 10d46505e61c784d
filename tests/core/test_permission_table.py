"""The permission table (issue 16, point 4): every permission × role, and the services that consult it.

``permissions.ROLES`` is the one place that says who may do what; these tests read it
against real users of every role, and check that each service refuses the roles the
table leaves out, with nothing written.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from request_desk.core import cases
from request_desk.core.errors import DeskError
from request_desk.core.office import permissions, settings_change, users
from request_desk.core.office.permissions import Permission
from request_desk.core.storage.db import Database
from request_desk.core.vocab import Role
from tests import factories
from tests.factories import TODAY

# One active user of every role (the template has 李经办 the clerk and 王主任 the supervisor).
BY_ROLE = {Role.CLERK: "clerk", Role.SUPERVISOR: "supervisor", Role.ADMINISTRATOR: "admin"}


@pytest.fixture
def office(db: Database) -> Database:
    users.add_user(db, "admin", "赵管理", Role.ADMINISTRATOR, actor="supervisor")
    users.add_user(db, "gone", "钱离职", Role.ADMINISTRATOR, actor="admin")
    users.deactivate(db, "gone", actor="admin")
    return db


@pytest.mark.parametrize("permission", list(Permission), ids=[p.value for p in Permission])
@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_every_role_holds_exactly_the_permissions_of_the_table(office: Database, permission: Permission,
                                                               role: Role) -> None:
    with office.read() as session:
        assert permissions.allowed(session, BY_ROLE[role], permission) is (role in permissions.ROLES[permission])


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
}


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
    with pytest.raises(DeskError, match=r"负责人|管理员"):  # the table's refusal, or the extension form's
        act(office, BY_ROLE[role], rid)
    assert _dump(db_path) == before
