"""The ``request-desk`` command: the GUI without arguments, headless jobs as subcommands.

Each subcommand module (``commands``, ``case``, ``settings``, ``users``,
``backup``, ``reports``, ``unit_work``, ``todo``, ``similarity``, ``server_move``) has
``register(subparsers)``, which adds its parsers and sets ``func`` to the
handler; ``main`` parses and runs ``args.func(args)``. Shared helpers are in
``common``; no module here imports this one.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from request_desk import __version__, paths
from request_desk.cli import backup, case, commands, reports, server_move, settings, similarity, todo, unit_work, users
from request_desk.cli.common import (
    BAD_ARGUMENTS,
    REFUSED,
    USER_ENV,
    Parser,
    UsageError,
    current_user,
    month,
    print_json,
    year,
)
from request_desk.cli.common import a_date as _date
from request_desk.cli.common import db_path as _db_path
from request_desk.cli.common import pause as _pause
from request_desk.core.errors import DeskError, FieldError

__all__ = ["_date", "_pause", "build_parser", "current_user", "main", "month", "print_json", "year"]


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="request-desk", description="依申请公开办理台 Request Desk")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--db", type=_db_path, help=f"database file (default: ${paths.DB_ENV} or the user data dir)")
    parser.add_argument("--user", help=f"user name recorded in the audit log (default: ${USER_ENV} or the login name)")
    sub = parser.add_subparsers(dest="command", parser_class=Parser, metavar="COMMAND")
    commands.register(sub)
    case.register(sub)
    settings.register(sub)
    users.register(sub)
    backup.register(sub)
    reports.register(sub)
    unit_work.register(sub)
    todo.register(sub)
    similarity.register(sub)
    server_move.register(sub)
    return parser


def _always(_args: argparse.Namespace) -> bool:
    return True


def _nobody(_args: argparse.Namespace) -> None:
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.db is not None:
        os.environ[paths.DB_ENV] = str(args.db)
    from request_desk.core.deadlines.workcalendar import CalendarRangeError  # noqa: PLC0415

    handler = getattr(args, "func", commands.gui)  # no command: the desktop application
    try:
        # Signed in before the command looks at anything (docs/SECURITY.md); a parser's
        # ``signs_in`` says when it need not, its ``first_user`` who acts on an empty database.
        if handler is not commands.gui and getattr(args, "signs_in", _always)(args):
            current_user(args, first_user=getattr(args, "first_user", _nobody)(args))
        return int(handler(args))
    except (UsageError, FieldError) as exc:  # arguments a parser could not check: exit 2, like its own errors
        print(f"{parser.prog}: error: {exc} (see --help)", file=sys.stderr)
        return BAD_ARGUMENTS
    except DeskError as exc:  # refused by a rule, or the database cannot be used: nothing written
        print(f"request-desk: {exc}", file=sys.stderr)
        backup.hint(exc)  # a damaged database: name the newest good backup
        return REFUSED
    except CalendarRangeError as exc:  # a date the working-day calendar does not reach yet
        print(f"request-desk: {exc}", file=sys.stderr)
        return REFUSED
    except OSError as exc:  # a file the command reads or writes; the message says which and why
        from request_desk.core.reports.common import os_reason  # noqa: PLC0415

        where = f" {exc.filename}" if exc.filename else ""
        print(f"request-desk: 无法读写文件{where}：{os_reason(exc)}。", file=sys.stderr)
        return REFUSED
