"""Passwords and signing in (issue 16, point 1): argon2 hashes, the policy, lock-out, audited attempts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from request_desk.core.errors import ValidationFailed
from request_desk.core.office import accounts, permissions, users
from request_desk.core.office import settings as office_settings
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry, User
from request_desk.core.vocab import Role

PASSWORD = "wang2026!"
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
def office(db: Database) -> Database:
    users.add_user(db, "admin", "赵管理", Role.ADMINISTRATOR, actor="supervisor", initial_password="admin2026!")
    users.reset_password(db, "clerk", PASSWORD, actor="admin")
    users.add_user(db, "xiaozhang", "张晓", Role.CLERK, actor="admin")  # no password yet
    return db


def _audit(db: Database, action: str) -> list[AuditEntry]:
    with db.read() as session:
        return list(session.exec(select(AuditEntry).where(AuditEntry.action == action)).all())


def test_the_password_is_kept_only_as_an_argon2_hash(office: Database, tmp_path: Path) -> None:
    with office.read() as session:
        clerk = session.exec(select(User).where(User.username == "clerk")).one()
    assert clerk.password_hash.startswith("$argon2id$") and PASSWORD not in clerk.password_hash
    office.close()
    for file in tmp_path.rglob("*.sqlite3*"):
        assert PASSWORD.encode() not in file.read_bytes(), file  # not in the database, nor in its audit log


def test_a_reset_password_must_be_changed_at_the_next_sign_in(office: Database) -> None:
    signed = accounts.sign_in(office, "clerk", PASSWORD, now=NOW)
    assert (signed.username, signed.display_name, signed.must_change_password) == ("clerk", "李经办", True)
    accounts.change_password(office, "clerk", PASSWORD, "li-jingban-7")
    assert not accounts.sign_in(office, "clerk", "li-jingban-7", now=NOW).must_change_password
    with pytest.raises(accounts.SignInFailed):
        accounts.sign_in(office, "clerk", PASSWORD, now=NOW)
    # A password someone else chose is always temporary, an administrator's too.
    assert accounts.sign_in(office, "admin", "admin2026!", now=NOW).must_change_password


def test_the_first_administrator_of_an_empty_database_chooses_their_own(empty_office: Database) -> None:
    users.add_user(empty_office, "zhao", "赵管理", Role.ADMINISTRATOR, actor="zhao", initial_password="zhao-2026")
    signed = accounts.sign_in(empty_office, "zhao", "zhao-2026", now=NOW)
    assert (signed.role, signed.must_change_password) == ("administrator", False)


@pytest.mark.parametrize(("username", "password", "says"), [
    ("clerk", "wrong-password1", "用户名或密码不正确"),
    ("nobody", PASSWORD, "用户名或密码不正确"),  # the same words: a stranger learns nothing
    ("xiaozhang", "anything-1", "尚未设置密码"),
])
def test_a_failed_sign_in_is_refused_and_recorded(office: Database, username: str, password: str, says: str) -> None:
    with pytest.raises(accounts.SignInFailed, match=says):
        accounts.sign_in(office, username, password, now=NOW)
    [entry] = _audit(office, "sign_in_failed")
    assert entry.user == "" and entry.new is not None and entry.new["username"] == username
    assert password not in str(entry.new)


def test_a_deactivated_user_cannot_sign_in(office: Database) -> None:
    users.deactivate(office, "clerk", actor="admin")
    with pytest.raises(accounts.SignInFailed, match="已停用"):
        accounts.sign_in(office, "clerk", PASSWORD, now=NOW)


def test_repeated_failures_lock_the_account_for_a_while(office: Database) -> None:
    for _ in range(5):  # the default policy: 5 attempts, 15 minutes
        with pytest.raises(accounts.SignInFailed, match="不正确"):
            accounts.sign_in(office, "clerk", "wrong-password1", now=NOW)
    with pytest.raises(accounts.SignInFailed, match="已锁定"):
        accounts.sign_in(office, "clerk", PASSWORD, now=NOW + timedelta(minutes=14))  # even the right one
    assert len(_audit(office, "lock_out")) == 1
    assert accounts.sign_in(office, "clerk", PASSWORD, now=NOW + timedelta(minutes=16)).username == "clerk"
    assert [e.user for e in _audit(office, "sign_in")] == ["clerk"]


def test_an_administrator_reset_unlocks_the_account(office: Database) -> None:
    for _ in range(5):
        with pytest.raises(accounts.SignInFailed):
            accounts.sign_in(office, "clerk", "wrong-password1", now=NOW)
    users.reset_password(office, "clerk", "temporary-9", actor="admin")
    assert accounts.sign_in(office, "clerk", "temporary-9", now=NOW).must_change_password


def test_the_office_policy_decides_what_a_password_must_be(office: Database) -> None:
    with pytest.raises(ValidationFailed, match="至少8位"):
        users.reset_password(office, "clerk", "ab12", actor="admin")
    with pytest.raises(ValidationFailed, match="字母和数字"):
        users.reset_password(office, "clerk", "12345678", actor="admin")
    with office.write() as session:
        office_settings.update(session, password_min_length=12)
    with pytest.raises(ValidationFailed, match="至少12位"):
        users.reset_password(office, "clerk", "abcd-12345", actor="admin")


def test_only_an_administrator_resets_a_password(office: Database) -> None:
    with pytest.raises(permissions.PermissionDenied):
        users.reset_password(office, "clerk", "temporary-9", actor="supervisor")
    with pytest.raises(accounts.SignInFailed):
        accounts.sign_in(office, "clerk", "temporary-9", now=NOW)
