"""Managing users: administrators only, audited old → new, never without an administrator."""

from __future__ import annotations

from pathlib import Path

import pytest

from request_desk.core.cases import case_file
from request_desk.core.errors import NotFound, ValidationFailed
from request_desk.core.office import permissions, users
from request_desk.core.storage import audit_view
from request_desk.core.storage.db import Database
from request_desk.core.vocab import Role
from tests import factories


@pytest.fixture
def office(db: Database) -> Database:
    """The template office (a supervisor and a clerk) with one administrator."""
    users.add_user(db, "admin", "赵管理", Role.ADMINISTRATOR, actor="supervisor")
    return db


def _user_audit(db: Database, action: str) -> list[audit_view.AuditRow]:
    return audit_view.search(db, audit_view.AuditQuery(action=action, table_name="user"))


def test_an_administrator_renames_a_user_and_the_change_is_audited(office: Database) -> None:
    renamed = users.update_user(office, "clerk", "李小经", actor="admin")
    assert renamed.display_name == "李小经"
    assert users.display_name(office, "clerk") == "李小经"
    (entry,) = _user_audit(office, "update_user")
    assert (entry.user, entry.old, entry.new) == ("admin", {"display_name": "李经办"}, {"display_name": "李小经"})


@pytest.mark.parametrize("change", [
    lambda db: users.update_user(db, "clerk", "某某", actor="supervisor"),
    lambda db: users.set_role(db, "clerk", Role.SUPERVISOR, actor="supervisor"),
    lambda db: users.deactivate(db, "clerk", actor="supervisor"),
    lambda db: users.activate(db, "clerk", actor="supervisor"),
    lambda db: users.add_user(db, "new", "新人", Role.ADMINISTRATOR, actor="supervisor"),
], ids=["rename", "role", "deactivate", "activate", "add"])
def test_only_an_administrator_manages_users(office: Database, change: object) -> None:
    before = users.list_users(office, active_only=False)
    with pytest.raises(permissions.PermissionDenied, match="只有在用的管理员"):
        change(office)  # type: ignore[operator]
    assert users.list_users(office, active_only=False) == before


def test_a_deactivated_administrator_manages_nothing(office: Database) -> None:
    users.add_user(office, "admin2", "钱管理", Role.ADMINISTRATOR, actor="admin")
    users.deactivate(office, "admin2", actor="admin")
    with pytest.raises(permissions.PermissionDenied):
        users.set_role(office, "clerk", Role.SUPERVISOR, actor="admin2")


def test_before_an_office_has_an_administrator_its_supervisor_adds_the_first_users(new_office: Database) -> None:
    with pytest.raises(permissions.PermissionDenied, match="须由在用的负责人账户操作"):
        users.add_user(new_office, "xiaozhang", "张晓", Role.ADMINISTRATOR, actor="xiaozhang")  # a stranger
    users.add_user(new_office, "xiaozhang", "张晓", Role.ADMINISTRATOR, actor="supervisor")
    with pytest.raises(permissions.PermissionDenied):  # now only the administrator may
        users.add_user(new_office, "other", "别人", Role.ADMINISTRATOR, actor="supervisor")


def test_on_an_empty_database_whoever_starts_the_office_adds_its_first_user(tmp_path: Path) -> None:
    empty = Database.open(tmp_path / "empty.sqlite3")
    try:
        users.add_user(empty, "xiaozhang", "张晓", Role.ADMINISTRATOR, actor="xiaozhang")
        assert [u.username for u in users.list_users(empty)] == ["xiaozhang"]
    finally:
        empty.close()


def test_changing_a_role_is_audited_and_takes_effect(office: Database) -> None:
    users.set_role(office, "clerk", Role.SUPERVISOR, actor="admin")
    assert users.active_role(office, "clerk") is Role.SUPERVISOR
    (entry,) = _user_audit(office, "set_user_role")
    assert (entry.old, entry.new) == ({"role": "clerk"}, {"role": "supervisor"})


def test_a_deactivated_user_keeps_their_history_but_cannot_act(office: Database) -> None:
    rid = factories.register(office, actor="clerk")
    users.deactivate(office, "clerk", actor="admin")
    assert users.active_role(office, "clerk") is None
    assert users.display_name(office, "clerk") == "李经办"
    assert [u.username for u in users.list_users(office)] == ["admin", "supervisor"]
    assert not next(u for u in users.list_users(office, active_only=False) if u.username == "clerk").active
    timeline = case_file.load_case(office, rid, factories.TODAY).events
    assert timeline[0].user == "李经办"  # the timeline still names them
    (entry,) = _user_audit(office, "deactivate_user")
    assert (entry.old, entry.new) == ({"active": True}, {"active": False})

    users.activate(office, "clerk", actor="admin")
    assert users.active_role(office, "clerk") is Role.CLERK
    assert _user_audit(office, "activate_user")[0].new == {"active": True}


def test_the_last_administrator_can_be_neither_demoted_nor_deactivated(office: Database) -> None:
    with pytest.raises(users.LastAdministrator, match="唯一在用的管理员"):
        users.set_role(office, "admin", Role.SUPERVISOR, actor="admin")
    with pytest.raises(users.LastAdministrator, match="唯一在用的管理员"):
        users.deactivate(office, "admin", actor="admin")
    assert users.active_role(office, "admin") is Role.ADMINISTRATOR

    users.set_role(office, "supervisor", Role.ADMINISTRATOR, actor="admin")
    users.set_role(office, "admin", Role.CLERK, actor="admin")  # another administrator now exists
    assert users.active_role(office, "admin") is Role.CLERK


def test_unknown_user_and_empty_name_are_refused(office: Database) -> None:
    with pytest.raises(NotFound, match="没有用户名为“nobody”"):
        users.deactivate(office, "nobody", actor="admin")
    with pytest.raises(ValidationFailed, match="姓名不能为空"):
        users.update_user(office, "clerk", "  ", actor="admin")
