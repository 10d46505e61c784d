"""The ``request-desk`` command: the GUI without arguments, headless jobs as subcommands."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from request_desk import __version__, paths
from request_desk.core.errors import DeskError

USER_ENV = "REQUEST_DESK_USER"
# The years the working-day calendar can hold (workcalendar.NOTICE_YEARS, not imported
# here to keep --help fast): dates, years and months outside them are bad arguments.
YEARS = (2004, 2100)
# A demo of a million requests takes minutes and a few GB; more is a typing mistake.
MAX_DEMO_REQUESTS = 1_000_000


class _Parser(argparse.ArgumentParser):
    """Bad arguments: one line on stderr and exit code 2, never a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _db_path(text: str) -> Path:
    # Path("") is ".", the current folder: say what is wrong instead.
    if not text.strip():
        raise argparse.ArgumentTypeError("the database path is empty")
    return Path(text)


def _date(text: str) -> date:
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


def _demo_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 1 <= value <= MAX_DEMO_REQUESTS:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_DEMO_REQUESTS:,}")
    return value


def _pause(text: str) -> tuple[date, date | None]:
    start, sep, end = text.partition(":")
    if not sep:
        raise argparse.ArgumentTypeError(f"'{text}' is not a pause in the form START:END (END may be empty)")
    a = _date(start)
    b = _date(end) if end else None
    if b is not None and b < a:
        raise argparse.ArgumentTypeError(f"pause '{text}' ends before it starts")
    return a, b


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="request-desk", description="依申请公开办理台 Request Desk")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--db", type=_db_path, help=f"database file (default: ${paths.DB_ENV} or the user data dir)")
    parser.add_argument("--user", help=f"user name recorded in the audit log (default: ${USER_ENV} or the login name)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    dl = sub.add_parser("deadline", help="compute the legal reply deadline")
    dl.add_argument("--received", type=_date, required=True, help="date of receipt (YYYY-MM-DD)")
    dl.add_argument("--supplemented", type=_date, help="date the supplement arrived")
    dl.add_argument("--pause", type=_pause, action="append", default=[], metavar="A:B",
                    help="consultation pause from A (letter sent) to B (answer received); repeatable")
    dl.add_argument("--extended", action="store_true", help="the one 20-working-day extension was granted")
    dl.add_argument("--today", type=_date, help="compute days left as of this date (default: today)")
    dl.add_argument("--json", action="store_true", help="print the full result, with the explanation, as JSON")
    dl.add_argument("--explain", action="store_true", help="list the days counted and skipped")

    cal = sub.add_parser("calendar", help="working-day calendar")
    cal_sub = cal.add_subparsers(dest="calendar_command", parser_class=_Parser, metavar="ACTION", required=True)
    show = cal_sub.add_parser("show", help="list a year's holidays and make-up working days")
    show.add_argument("year", type=year)
    imp = cal_sub.add_parser("import", help="import a State Council holiday notice (date,holiday|workday,name)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--source", default="", help="the notice's title, kept with the data")

    demo = sub.add_parser("demo", help="fill the database with realistic fictitious cases")
    demo.add_argument("--requests", type=_demo_count, default=1000,
                      help=f"how many requests to add (default 1000, at most {MAX_DEMO_REQUESTS:,})")
    demo.add_argument("--seed", type=int, default=2026, help="random seed, for repeatable data")

    letter = sub.add_parser("letter", help="issue a letter (答复书, 告知书 …) for a request and save its PDF")
    letter.add_argument("registration_no", nargs="?", metavar="REGISTRATION_NO", help="e.g. 2026-00015")
    letter.add_argument("--kind", help="letter kind code; 'list' lists them")
    letter.add_argument("--kinds", action="store_true", help="list the letter kind codes and exit")
    letter.add_argument("-o", "--output", type=Path, metavar="FILE.pdf", help="also write the issued PDF here")
    letter.add_argument("--date", type=_date, help="date of the letter (default: today)")
    letter.add_argument("--set", action="append", default=[], metavar="NAME=TEXT", dest="values",
                        help="fill a placeholder the case record cannot, e.g. published_where=本机关门户网站; repeatable")
    letter.add_argument("--supersedes", metavar="DOC_NUMBER", help="issue as a correction of this earlier letter")

    from request_desk.cli import backup as cli_backup  # noqa: PLC0415  (issue 8: backup, restore)
    cli_backup.add_parsers(sub)
    from request_desk.cli import reports as cli_reports  # noqa: PLC0415  (issue 5: register, annual report, import)
    cli_reports.add_parsers(sub)
    sub.add_parser("gui", help="open the desktop application (the default)")
    return parser


def current_user(args: argparse.Namespace) -> str:
    if args.user:
        return str(args.user)
    try:
        return os.environ.get(USER_ENV) or getpass.getuser()
    except OSError:
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.db is not None:
        os.environ[paths.DB_ENV] = str(args.db)
    from request_desk.cli import commands  # noqa: PLC0415  (keeps --help fast)
    from request_desk.cli import backup as cli_backup  # noqa: PLC0415
    from request_desk.core.deadlines.workcalendar import CalendarRangeError  # noqa: PLC0415

    try:
        if (handled := cli_backup.dispatch(args, current_user(args))) is not None:
            return handled
        from request_desk.cli import reports as cli_reports  # noqa: PLC0415  (issue 5)
        if (handled := cli_reports.dispatch(args, current_user(args))) is not None:
            return handled
        if args.command in (None, "gui"):
            return commands.gui(args, current_user(args))
        if args.command == "deadline":
            return commands.deadline(args)
        if args.command == "calendar":
            return commands.calendar(args, current_user(args))
        if args.command == "demo":
            return commands.demo(args, current_user(args))
        if args.command == "letter":
            return commands.letter(args, current_user(args), parser)
    except DeskError as exc:
        print(f"request-desk: {exc}", file=sys.stderr)
        cli_backup.hint(exc)  # a damaged database: name the newest good backup
        return 1
    except CalendarRangeError as exc:  # a date the working-day calendar does not reach yet
        print(f"request-desk: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a file the command reads or writes; the message says which and why
        from request_desk.cli.output import reason  # noqa: PLC0415

        where = f" {exc.filename}" if exc.filename else ""
        print(f"request-desk: 无法读写文件{where}：{reason(exc)}。", file=sys.stderr)
        return 1
    parser.error(f"unknown command {args.command}")
    return 2


def print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))
