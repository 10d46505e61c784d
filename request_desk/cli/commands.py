"""The everyday subcommands: ``deadline``, ``calendar``, ``demo``, ``letter`` (with ``review``) and ``gui``.

``register`` adds them to the parser; each handler takes the parsed arguments
and returns the exit code. Core modules are imported inside the handlers so
``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from request_desk import paths
from request_desk.cli import common, review
from request_desk.cli.common import Parser, UsageError, current_user, open_db, print_json

if TYPE_CHECKING:
    from request_desk.core.deadlines.workcalendar import WorkCalendar

# A State Council notice is a few dozen lines; a larger file is the wrong file.


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    dl = sub.add_parser("deadline", help="compute the legal reply deadline")
    dl.add_argument("--received", type=common.a_date, required=True, help="date of receipt (YYYY-MM-DD)")
    dl.add_argument("--supplemented", type=common.a_date, help="date the supplement arrived")
    dl.add_argument("--pause", type=common.pause, action="append", default=[], metavar="A:B",
                    help="consultation pause from A (letter sent) to B (answer received); repeatable")
    dl.add_argument("--extended", action="store_true", help="the one 20-working-day extension was granted")
    dl.add_argument("--today", type=common.a_date, help="compute days left as of this date (default: today)")
    dl.add_argument("--json", action="store_true", help="print the full result, with the explanation, as JSON")
    dl.add_argument("--explain", action="store_true", help="list the days counted and skipped")
    dl.set_defaults(func=deadline, signs_in=lambda _args: False)

    cal = sub.add_parser("calendar", help="working-day calendar")
    cal_sub = cal.add_subparsers(dest="calendar_command", parser_class=Parser, metavar="ACTION", required=True)
    show = cal_sub.add_parser("show", help="list a year's holidays and make-up working days")
    show.add_argument("year", type=common.year)
    imp = cal_sub.add_parser("import", help="import a State Council holiday notice (date,holiday|workday,name)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--source", default="", help="the notice's title, kept with the data")
    # Showing a year needs no sign-in: it holds no personal data and changes nothing.
    cal.set_defaults(func=calendar, signs_in=lambda args: args.calendar_command == "import")

    demo_p = sub.add_parser("demo", help="fill the database with realistic fictitious cases")
    demo_p.add_argument("--requests", type=common.demo_count, default=1000,
                        help=f"how many requests to add (default 1000, at most {common.MAX_DEMO_REQUESTS:,})")
    demo_p.add_argument("--seed", type=int, default=2026, help="random seed, for repeatable data")
    # On a database without users the demo office brings its own, with its administrator.
    demo_p.set_defaults(func=demo, first_user=_demo_administrator)

    letter_p = sub.add_parser("letter", help="issue a letter (答复书, 告知书 …) for a request and save its PDF")
    letter_p.add_argument("registration_no", nargs="?", metavar="REGISTRATION_NO", help="e.g. 2026-00015")
    letter_p.add_argument("--kind", help="letter kind code; 'list' lists them")
    letter_p.add_argument("--kinds", action="store_true", help="list the letter kind codes and exit")
    letter_p.add_argument("-o", "--output", type=Path, metavar="FILE.pdf", help="also write the issued PDF here")
    letter_p.add_argument("--date", type=common.a_date, help="date of the letter (default: today)")
    letter_p.add_argument("--set", action="append", default=[], metavar="NAME=TEXT", dest="values",
                          help="fill a placeholder the case record cannot, e.g. published_where=本机关门户网站; "
                               "repeatable")
    letter_p.add_argument("--supersedes", metavar="DOC_NUMBER", help="issue as a correction of this earlier letter")
    letter_p.add_argument("--acknowledge-late", action="store_true",
                          help="issue a reply dated after its deadline; it is recorded as late")
    letter_p.set_defaults(func=letter, signs_in=lambda args: not (args.kinds or args.kind == "list"))

    gui_p = sub.add_parser("gui", help="open the desktop application (the default)")
    gui_p.add_argument("--smoke-test", action="store_true",
                       help="check an installation: sign in as --user with $REQUEST_DESK_PASSWORD, show the main "
                            "window, say what it shows and quit")
    gui_p.set_defaults(func=gui)
    # ``review`` belongs with ``letter``: registered from here, its handlers in cli/review.py.
    review.register(sub)


def _demo_administrator(_args: argparse.Namespace) -> str:
    from request_desk.core.transfer import demo as demo_data  # noqa: PLC0415  (keeps --help fast)

    return demo_data.DEMO_USERS[0][0]


def gui(args: argparse.Namespace) -> int:
    from request_desk.gui.app import run  # noqa: PLC0415

    if getattr(args, "smoke_test", False):  # no dialog is answered in a check: sign in as the commands do
        return run(args.db, common.current_user(args), smoke_test=True)
    # The desktop signs in with its own dialog; --user / $REQUEST_DESK_USER only fills in the name.
    return run(args.db, args.user or os.environ.get(common.USER_ENV, ""))


def deadline(args: argparse.Namespace) -> int:
    from request_desk.core.deadlines.case_clock import read_clock  # noqa: PLC0415
    from request_desk.core.deadlines.clock import ClockInput, PausePeriod  # noqa: PLC0415
    from request_desk.core.vocab import PauseKind  # noqa: PLC0415

    db = open_db()
    try:
        clock = read_clock(db, args.today or date.today())  # the office's calendar and clock rules
    finally:
        db.close()
    if args.supplemented and args.supplemented < args.received:
        raise UsageError("deadline: --supplemented is before --received")
    inp = ClockInput(
        received=args.received,
        supplemented=args.supplemented,
        pauses=tuple(PausePeriod(a, b, PauseKind.THIRD_PARTY.value) for a, b in args.pause),
        extended=args.extended,
    )
    result = clock.of(inp)
    if args.json:
        print_json(result.to_json_dict())
        return 0
    line = result.reply_due.isoformat()
    if result.provisional:
        line += "  (provisional: passes through a year without an official holiday notice)"
    print(line)
    if args.explain:
        print(result.explain_text())
    return 0


def calendar(args: argparse.Namespace) -> int:
    from request_desk.core import cases  # noqa: PLC0415
    from request_desk.core.deadlines import holidays  # noqa: PLC0415
    from request_desk.core.deadlines.notice_file import CalendarFileError, read_notice  # noqa: PLC0415

    user = current_user(args) if args.calendar_command == "import" else ""
    db = open_db()
    try:
        if args.calendar_command == "import":
            text = read_notice(args.file)
            try:
                result = cases.import_calendar(db, text, args.source or args.file.name, user)
            except CalendarFileError as exc:
                # One problem: one line; several: a heading, then one line each.
                problems = [p.message_zh for p in exc.problems]
                count = f"（{len(problems)} 处问题）：\n" if len(problems) > 1 else "："
                print(f"request-desk: 放假通知文件 {args.file.name} 未导入{count}" + "\n".join(problems),
                      file=sys.stderr)
                return 1
            print(f"已导入 {'、'.join(f'{y}年' for y in result['years'])} 的放假安排；"
                  f"{result['due_dates_changed']} 件未办结申请的答复期限随之改变。")
            return 0
        with db.read() as session:
            cal = holidays.calendar(session)
        return _show_year(cal, args.year)
    finally:
        db.close()


def _show_year(cal: WorkCalendar, year: int) -> int:
    from request_desk.core.deadlines import holidays  # noqa: PLC0415
    from request_desk.core.deadlines.workcalendar import SOURCE_LABELS  # noqa: PLC0415
    from request_desk.core.errors import DeskError  # noqa: PLC0415

    if not cal.first_year <= year <= cal.last_year:
        raise DeskError(f"{year}年超出工作日历的范围（{cal.first_year}–{cal.last_year}年）")
    source = cal.source_of(year)
    print(f"{year}: {SOURCE_LABELS[source]}")
    workdays = 0
    for day in holidays.year_days(cal, year):
        info = cal.day_info(day)
        workdays += info.workday
        if info.reason in ("holiday", "makeup_workday"):
            kind = "workday" if info.workday else "holiday"
            print(f"{day.isoformat()}  {kind:8}  {info.name}")
    print(f"{workdays} working days{' (provisional)' if source == 'provisional' else ''}")
    return 0


def demo(args: argparse.Namespace) -> int:
    from request_desk.core.office import users  # noqa: PLC0415
    from request_desk.core.transfer import demo as demo_data  # noqa: PLC0415

    user = current_user(args)
    db = open_db()
    try:
        new_office = not users.list_users(db, active_only=False)
        progress = demo_data.generate(db, args.requests, seed=args.seed, actor=user)
        try:
            while True:
                step = next(progress)
                print(f"\r{step.done:,} / {step.total:,}", end="", file=sys.stderr, flush=True)
        except StopIteration as stop:
            print(file=sys.stderr)
            print(f"added {stop.value:,} demo requests to {paths.default_db_path()}")
            if new_office:
                names = ", ".join(name for name, _shown, _role in demo_data.DEMO_USERS)
                print(f"demo users {names}, each with the password '{demo_data.DEMO_PASSWORD}'; "
                      f"the administrator is 'admin'")
    finally:
        db.close()
    return 0


def letter(args: argparse.Namespace) -> int:
    """``request-desk letter REG --kind KIND [-o FILE.pdf]``: compose and issue with the composed text."""
    from request_desk.cli import output as cli_output  # noqa: PLC0415
    from request_desk.core.cases.case_file import find_request_id  # noqa: PLC0415
    from request_desk.core.errors import DeskError  # noqa: PLC0415
    from request_desk.core.letters import compose, issue_checks, register  # noqa: PLC0415
    from request_desk.core.letters import review as letter_review  # noqa: PLC0415
    from request_desk.core.letters.kinds import KINDS, KINDS_BY_CODE  # noqa: PLC0415

    if args.kinds or args.kind == "list":
        for k in KINDS:
            print(f"{k.code:28} {k.label}")
        return 0
    user = current_user(args)
    if not args.registration_no:
        raise UsageError("letter: REGISTRATION_NO is required")
    if not args.kind:
        raise UsageError("letter: --kind is required (--kinds lists them)")
    if args.kind not in KINDS_BY_CODE:
        raise UsageError(f"letter: unknown kind '{args.kind}' (--kinds lists them)")
    values = common.assignments(args.values, "letter")
    if args.output is not None:  # before issuing: a letter is not issued for a file that cannot be written
        cli_output.check_target(args.output)
    db = open_db()
    try:
        request_id = find_request_id(db, args.registration_no)
        if request_id is None:
            raise DeskError(f"找不到登记编号为 {args.registration_no} 的申请。")
        supersedes = None
        if args.supersedes:
            rows = [r for r in register.register_rows(db, request_id=request_id) if r.doc_number == args.supersedes]
            if not rows:
                raise DeskError(f"申请 {args.registration_no} 没有文号为 {args.supersedes} 的文书。")
            supersedes = rows[0].letter_id
        draft = compose.compose(db, request_id, args.kind, on_date=args.date or date.today(), extras=values)
        for warning in draft.warnings:
            print(f"request-desk: 注意：{warning}", file=sys.stderr)
        blanks = compose.blank_names(draft.document)
        if blanks:
            raise DeskError("文书中仍有待填写的内容，未签发：" + "；".join(compose.unfilled(draft.document))
                            + "。请用 " + " ".join(f"--set {b}=…" for b in blanks) + " 填写，或在程序中编辑后签发。")
        # The pre-issue check: its errors are the refusal of ``issue``, its warnings printed once issued.
        warnings = [f.message for f in issue_checks.pre_issue_findings(db, draft) if not f.blocks]
        if letter_review.enabled(db):  # 审核后签发: submitted, issued when a supervisor approves it
            submitted = letter_review.submit(db, draft, user, supersedes_id=supersedes)
            for warning in warnings:
                print(f"request-desk: 签发前检查（提示，供审核人确认）：{warning}", file=sys.stderr)
            print(f"submitted for review as #{submitted.id}  {submitted.title}  {draft.addressee}"
                  f"（由起草人以外的负责人或管理员审核签发：request-desk review approve {submitted.id}）")
            if args.output is not None:
                print("request-desk: 文书尚未签发，未写出 PDF；审核通过时用 review approve -o 写出。", file=sys.stderr)
            return 0
        try:
            issued = register.issue(db, draft, user, supersedes_id=supersedes, acknowledge_late=args.acknowledge_late)
        except register.LateNotAcknowledged as exc:
            raise DeskError(f"{exc}（命令行请加 --acknowledge-late）") from exc
        for warning in warnings:
            print(f"request-desk: 签发前检查（提示，已随文书记录）：{warning}", file=sys.stderr)
    finally:
        db.close()
    cli_output.report_issued(issued, args.output)
    return 0
