"""``request-desk user …`` as a real subprocess on a real database file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from request_desk.core.office import accounts, users
from request_desk.core.storage.db import Database
from request_desk.core.vocab import Role
from tests.factories import PASSWORD, add_user


def run(*args: str, db: Path, user: str = "admin", password: str = PASSWORD) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REQUEST_DESK_DB": str(db), "REQUEST_DESK_USER": user, "REQUEST_DESK_PASSWORD": password}
    return subprocess.run([sys.executable, "-m", "request_desk", "user", *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)


def test_an_administrator_manages_users_from_the_command_line(db_path: Path) -> None:
    database = Database.open(db_path)
    add_user(database, "admin", "赵管理", Role.ADMINISTRATOR)
    database.close()

    assert run("rename", "clerk", "李小经", db=db_path).returncode == 0
    changed = run("set-role", "clerk", "负责人", db=db_path)
    assert changed.returncode == 0, changed.stderr
    assert "已更改角色：clerk\t李小经\t负责人" in changed.stdout
    assert run("deactivate", "clerk", db=db_path).returncode == 0
    listed = json.loads(run("list", "--json", db=db_path).stdout)
    assert {k: v for k, v in next(u for u in listed if u["username"] == "clerk").items() if k != "id"} \
        == {"username": "clerk", "display_name": "李小经", "role": "supervisor", "active": False, "unit_id": None,
            "unit_name": ""}
    assert "（已停用）" in run("list", db=db_path).stdout
    assert run("activate", "clerk", db=db_path).returncode == 0
    added = run("add", "xiaowang", "王晓", "--role", "clerk", db=db_path)
    assert added.returncode == 0, added.stderr


def test_refusals_exit_1_with_the_reason_and_change_nothing(db_path: Path) -> None:
    database = Database.open(db_path)
    add_user(database, "admin", "赵管理", Role.ADMINISTRATOR)
    database.close()

    by_clerk = run("set-role", "clerk", "administrator", db=db_path, user="clerk")
    assert (by_clerk.returncode, by_clerk.stdout) == (1, "")
    assert "只有在用的管理员账户可以管理用户" in by_clerk.stderr
    last = run("deactivate", "admin", db=db_path)
    assert last.returncode == 1 and "唯一在用的管理员" in last.stderr
    bad_role = run("set-role", "clerk", "boss", db=db_path)
    assert bad_role.returncode == 2 and "not a role" in bad_role.stderr
    database = Database.open(db_path)
    try:
        assert users.active_role(database, "admin") is Role.ADMINISTRATOR
        assert users.active_role(database, "clerk") is Role.CLERK
    finally:
        database.close()


def test_the_first_administrator_and_a_password_reset_from_the_command_line(tmp_path: Path) -> None:
    empty = tmp_path / "new-office.sqlite3"
    first = run("add", "zhao", "赵管理", "--role", "管理员", "--initial-password", "zhao-2026", db=empty, user="zhao",
                password="zhao-2026")
    assert first.returncode == 0, first.stderr
    added = run("add", "li", "李经办", "--initial-password", "li-start-1", db=empty, user="zhao", password="zhao-2026")
    assert added.returncode == 0, added.stderr
    short = run("reset-password", "li", "--password", "abc", db=empty, user="zhao", password="zhao-2026")
    assert short.returncode == 1 and "密码至少8位" in short.stderr
    reset = run("reset-password", "li", "--password", "li-temp-22", db=empty, user="zhao", password="zhao-2026")
    assert reset.returncode == 0 and "下次登录时须修改" in reset.stdout, reset.stderr
    database = Database.open(empty)
    try:
        assert accounts.sign_in(database, "zhao", "zhao-2026").must_change_password is False
        assert accounts.sign_in(database, "li", "li-temp-22").must_change_password is True
    finally:
        database.close()
