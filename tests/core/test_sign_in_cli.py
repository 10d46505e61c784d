"""The command line signs in (issue 16): ``--user`` / ``$REQUEST_DESK_USER`` and ``$REQUEST_DESK_PASSWORD``.

Real subprocesses on real database files. Commands that read personal data or change
anything are refused without a valid sign-in (exit 1, one line); ``deadline`` and
``calendar show`` need none; the first user of an empty database needs none either.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from request_desk.core.office import accounts, users
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry, CalendarYear, User
from request_desk.core.vocab import Role
from tests.factories import PASSWORD

NOTICE = Path(__file__).parent.parent / "data" / "notice-2027-sample.csv"
ADMIN_PASSWORD = "zhao-2026-pw"


def run(db: Path, *args: str, user: str | None = None, password: str | None = None,
        stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REQUEST_DESK_USER", "REQUEST_DESK_PASSWORD")}
    env["REQUEST_DESK_DB"] = str(db)
    if user is not None:
        env["REQUEST_DESK_USER"] = user
    if password is not None:
        env["REQUEST_DESK_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "request_desk", *args], capture_output=True, text=True,
                          env=env, input=stdin, timeout=120, check=False)


def calendar_years(db_path: Path) -> list[int]:
    database = Database.open(db_path)
    try:
        with database.read() as session:
            return [y.year for y in session.exec(select(CalendarYear)).all()]
    finally:
        database.close()


def audit_users(db_path: Path) -> list[tuple[str, str]]:
    database = Database.open(db_path)
    try:
        with database.read() as session:
            return [(a.user, a.action) for a in session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()]
    finally:
        database.close()


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """An office whose administrator 赵管理 (zhao) and clerk 李经办 (li) have chosen their passwords."""
    path = tmp_path / "office.sqlite3"
    database = Database.open(path)
    users.add_user(database, "zhao", "赵管理", Role.ADMINISTRATOR, actor="zhao", initial_password=ADMIN_PASSWORD)
    users.add_user(database, "li", "李经办", Role.CLERK, actor="zhao", initial_password=PASSWORD)
    accounts.change_password(database, "li", PASSWORD, "li-own-2026")
    database.close()
    return path


def test_the_first_user_of_a_new_database_is_its_administrator_and_needs_no_sign_in(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    first = run(path, "user", "add", "zhao", "--name", "赵管理", "--role", "admin",
                "--initial-password", ADMIN_PASSWORD)
    assert first.returncode == 0, first.stderr
    database = Database.open(path)
    try:
        assert users.active_role(database, "zhao") is Role.ADMINISTRATOR
        with database.read() as session:
            zhao = session.exec(select(User).where(User.username == "zhao")).one()
            assert not zhao.must_change_password  # chosen by the administrator themselves
    finally:
        database.close()
    # Afterwards, adding a user needs an administrator's sign-in.
    again = run(path, "user", "add", "wang", "--name", "王五", "--role", "admin", "--initial-password", "wang-2026")
    assert again.returncode == 1 and again.stderr.count("\n") == 1 and "--user" in again.stderr
    by_zhao = run(path, "user", "add", "wang", "--name", "王五", "--initial-password", "wang-2026",
                  user="zhao", password=ADMIN_PASSWORD)
    assert by_zhao.returncode == 0, by_zhao.stderr


@pytest.mark.parametrize(("user", "password", "says"), [
    ("zhao", "wrong-2026", "用户名或密码不正确"),
    ("nobody", ADMIN_PASSWORD, "用户名或密码不正确"),
    ("li", "li-own-2026", "无权导入节假日安排"),
    ("zhao", None, "REQUEST_DESK_PASSWORD"),
    (None, None, "--user"),
])
def test_only_the_signed_in_administrator_imports_the_holiday_calendar(office: Path, user: str | None,
                                                                        password: str | None, says: str) -> None:
    refused = run(office, "calendar", "import", str(NOTICE), user=user, password=password)
    assert refused.returncode == 1, refused.stdout
    assert refused.stdout == "" and refused.stderr.count("\n") == 1 and says in refused.stderr
    assert 2027 not in calendar_years(office)

    done = run(office, "calendar", "import", str(NOTICE), user="zhao", password=ADMIN_PASSWORD)
    assert done.returncode == 0, done.stderr
    assert 2027 in calendar_years(office)
    entries = audit_users(office)
    assert ("zhao", "sign_in") in entries
    # Every entry names a signed-in user; only failed sign-ins name nobody.
    assert {who for who, _ in entries} <= {"zhao", "li", ""}
    assert {action for who, action in entries if who == ""} <= {"sign_in_failed"}


def test_a_password_not_read_from_a_terminal_or_the_environment_is_refused(office: Path) -> None:
    # stdin is a pipe: the password is not read from it (a script must use the environment).
    piped = run(office, "case", "show", "2026-00001", user="zhao", stdin=f"{ADMIN_PASSWORD}\n")
    assert piped.returncode == 1 and "REQUEST_DESK_PASSWORD" in piped.stderr


def test_deadline_and_calendar_show_need_no_sign_in(office: Path) -> None:
    assert run(office, "deadline", "--received", "2026-09-28").stdout.strip() == "2026-10-30"
    shown = run(office, "calendar", "show", "2026")
    assert shown.returncode == 0 and "国庆节" in shown.stdout


@pytest.mark.parametrize("command", [
    ("case", "show", "2026-00001"),
    ("case", "undo", "2026-00001", "--reason", "登记错误"),
    ("register", "--month", "2026-11"),
    ("report", "annual", "--year", "2026"),
    ("settings", "show"),
    ("user", "list"),
    ("backup",),
    ("demo", "--requests", "1"),
])
def test_commands_that_read_personal_data_or_change_anything_need_a_sign_in(office: Path,
                                                                             command: tuple[str, ...]) -> None:
    before = audit_users(office)
    refused = run(office, *command)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1, refused.stderr
    assert "sign in first" in refused.stderr
    assert audit_users(office) == before


def test_a_reset_password_must_be_changed_before_anything_else(office: Path) -> None:
    reset = run(office, "user", "reset-password", "li", "--password", "temp-2026", user="zhao", password=ADMIN_PASSWORD)
    assert reset.returncode == 0, reset.stderr
    refused = run(office, "case", "show", "2026-00001", user="li", password="temp-2026")
    assert refused.returncode == 1 and "user passwd" in refused.stderr
    weak = run(office, "user", "passwd", "--new-password", "short", user="li", password="temp-2026")
    assert weak.returncode == 1 and "密码至少" in weak.stderr
    changed = run(office, "user", "passwd", "--new-password", "li-new-2026", user="li", password="temp-2026")
    assert changed.returncode == 0, changed.stderr
    assert run(office, "user", "list", user="li", password="li-new-2026").returncode == 0
    assert run(office, "user", "list", user="li", password="temp-2026").returncode == 1


def test_an_upgraded_office_without_passwords_lets_its_administrator_choose_the_first(tmp_path: Path) -> None:
    path = tmp_path / "upgraded.sqlite3"
    database = Database.open(path)
    users.add_user(database, "zhao", "赵管理", Role.ADMINISTRATOR, actor="zhao")  # no password: as before
    users.add_user(database, "li", "李经办", Role.CLERK, actor="zhao")
    database.close()

    by_clerk = run(path, "user", "passwd", "--new-password", "li-own-2026", user="li", password="")
    assert by_clerk.returncode == 1 and "管理员" in by_clerk.stderr
    chosen = run(path, "user", "passwd", "--new-password", ADMIN_PASSWORD, user="zhao", password="")
    assert chosen.returncode == 0, chosen.stderr
    assert run(path, "user", "list", user="zhao", password=ADMIN_PASSWORD).returncode == 0
    # Once one password exists, the others come from an administrator's reset, never by choosing.
    late = run(path, "user", "passwd", "--new-password", "li-own-2026", user="li", password="")
    assert late.returncode == 1
