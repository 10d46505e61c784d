"""What every subcommand of ``request-desk`` shares: argument types, the user, the database, JSON.

Subcommand modules import this and nothing else of the command line, so the
package has no import cycle: ``request_desk.cli`` builds the parser from each
module's ``register(subparsers)`` and runs ``args.func(args)``.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from request_desk import paths
from request_desk.core.errors import DeskError

if TYPE_CHECKING:
    from request_desk.core.storage.db import Database

USER_ENV = "REQUEST_DESK_USER"
PASSWORD_ENV = "REQUEST_DESK_PASSWORD"
# The years the working-day calendar can hold (workcalendar.NOTICE_YEARS, not imported
# here to keep --help fast): dates, years and months outside them are bad arguments.
YEARS = (2004, 2100)
# A demo of a million requests takes minutes and a few GB; more is a typing mistake.
MAX_DEMO_REQUESTS = 1_000_000

# Exit codes: done, refused by a rule (nothing written), bad arguments.
DONE, REFUSED, BAD_ARGUMENTS = 0, 1, 2

class Parser(argparse.ArgumentParser):
    """Bad arguments: one line on stderr and exit code 2, never a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(BAD_ARGUMENTS, f"{self.prog}: error: {message} (see --help)\n")


class UsageError(Exception):
    """A handler found its arguments wrong after parsing (exit code 2, like a parser error)."""


def db_path(text: str) -> Path | str:
    """A file path, or the office server's ``postgresql://user@host/dbname``."""
    # Path("") is ".", the current folder: say what is wrong instead.
    if not text.strip():
        raise argparse.ArgumentTypeError("the database path is empty")
    return paths.location(text)


def a_date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date in the form YYYY-MM-DD") from None
    _in_years(day.year, text)
    return day


def _in_years(value: int, text: str) -> None:
    if not YEARS[0] <= value <= YEARS[1]:
        raise argparse.ArgumentTypeError(f"'{text}' is outside the years {YEARS[0]}-{YEARS[1]}")


def year(text: str) -> int:
    """A calendar year the desk can work with (report and calendar years)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a year") from None
    _in_years(value, text)
    return value


def month(text: str) -> str:
    """YYYY-MM within ``YEARS``; kept as text for reports.common.Month.parse."""
    head = text.strip()[:4]
    if head.isdigit():
        _in_years(int(head), text)
    return text


def demo_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 1 <= value <= MAX_DEMO_REQUESTS:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_DEMO_REQUESTS:,}")
    return value


def pause(text: str) -> tuple[date, date | None]:
    start, sep, end = text.partition(":")
    if not sep:
        raise argparse.ArgumentTypeError(f"'{text}' is not a pause in the form START:END (END may be empty)")
    a = a_date(start)
    b = a_date(end) if end else None
    if b is not None and b < a:
        raise argparse.ArgumentTypeError(f"pause '{text}' ends before it starts")
    return a, b


def assignments(items: list[str], what: str, shape: str = "NAME=VALUE") -> dict[str, str]:
    """``NAME=VALUE`` items (``--set``) as a dict; UsageError for one without ``=`` or a name."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"{what}: expects {shape}, not '{item}'")
        out[name.strip()] = value
    return out


def current_user(args: argparse.Namespace, *, first_user: str | None = None) -> str:
    """The signed-in user's login name; signs in on the first call (``SignInRequired`` if that fails).

    The name comes from ``--user`` or ``$REQUEST_DESK_USER``, the password from
    ``$REQUEST_DESK_PASSWORD`` or, on a terminal, a prompt (docs/SECURITY.md). On a
    database without users nobody can sign in: commands that create the first user pass
    ``first_user``, the name they act as; every other command is refused.
    """
    signed = getattr(args, "signed_in", None)
    if signed is None:
        signed = args.signed_in = _sign_in(args, first_user)
    return str(signed)


class SignInRequired(DeskError):
    """The command reads personal data or changes something, and nobody has signed in."""


def _sign_in(args: argparse.Namespace, first_user: str | None) -> str:
    from request_desk.core.office import accounts  # noqa: PLC0415  (keeps --help fast)

    db = open_db()
    try:
        if not accounts.has_users(db):
            if first_user is None:
                raise SignInRequired("this database has no users yet: create the first administrator with "
                                     "'request-desk user add LOGIN --role admin --name 显示名 --initial-password …' "
                                     "(or start the desk and follow the setup assistant)")
            return first_user
        username = getattr(args, "user", None) or os.environ.get(USER_ENV, "")
        if not username.strip():
            raise SignInRequired(f"sign in first: give --user NAME (or set ${USER_ENV}) and the password "
                                 f"(${PASSWORD_ENV}, or typed when asked on a terminal)")
        if accounts.needs_first_password(db, username) and getattr(args, "may_choose_first_password", False):
            return username.strip()
        password = _password(username)
        signed = accounts.sign_in(db, username, password)
        _only_what_a_liaison_may(db, args, signed.username)
    finally:
        db.close()
    if getattr(args, "may_change_password", False):
        args.old_password = password  # ``user passwd`` changes it; kept on args for this command only
    elif signed.must_change_password:
        raise SignInRequired(f"the password of '{signed.username}' was set by an administrator and must be "
                             "changed first: request-desk user passwd")
    return signed.username


def _only_what_a_liaison_may(db: Database, args: argparse.Namespace, username: str) -> None:
    """A handling unit's liaison runs only the commands made for it (``for_liaisons``): its unit's work,
    the cases routed to its unit, its own password (docs/SECURITY.md, "Unit liaisons")."""
    from request_desk.core.office import users  # noqa: PLC0415
    from request_desk.core.office.permissions import PermissionDenied  # noqa: PLC0415
    from request_desk.core.vocab import Role  # noqa: PLC0415

    if not getattr(args, "for_liaisons", False) and users.active_role(db, username) is Role.LIAISON:
        raise PermissionDenied("承办单位联络员只能使用 unit-work（本单位承办的申请）、case show（本单位承办过的申请）"
                               "和 user passwd 命令。")


def _password(username: str) -> str:
    given = os.environ.get(PASSWORD_ENV)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise SignInRequired(f"no password for '{username}': set ${PASSWORD_ENV}, or run the command on a terminal")
    return getpass.getpass(f"{username} 的密码：")


def open_db() -> Database:
    """The database every command works on, checked before anything is written to it."""
    from request_desk.core.office.local_files import import_local_files  # noqa: PLC0415
    from request_desk.core.storage.backup import clean_stale_partials  # noqa: PLC0415  (keeps --help fast)
    from request_desk.core.storage.db import Database  # noqa: PLC0415

    path = paths.default_db_path()
    if isinstance(path, Path):
        clean_stale_partials(path)
    db = Database.open(path, check=True)
    import_local_files(db, paths.data_dir())  # an older desk's own templates and tables: into the database, once
    return db


def plain(value: Any) -> Any:
    """Records, dates and enums as JSON values (dataclasses become objects, tuples lists)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value


def print_json(data: object) -> None:
    print(json.dumps(plain(data), ensure_ascii=False, indent=2))
