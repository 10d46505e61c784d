"""``request-desk todo``: the daily to-do (今日待办), as on the 工作台.

    request-desk todo [--date 2026-10-13] [--mine] [--json] [-o 今日待办.pdf]

The same core function as the dashboard's list (``cases.todo.daily_todo``); ``--mine``
keeps the requests the signed-in user registered, ``-o`` writes the printable PDF.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from request_desk.cli import common
from request_desk.cli.common import Parser, current_user, open_db, print_json


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    todo = sub.add_parser("todo", help="the daily to-do: reminders of what is due (今日待办)")
    todo.add_argument("--date", type=common.a_date, help="the day of the to-do (default: today)")
    todo.add_argument("--mine", action="store_true", help="only the requests you registered")
    todo.add_argument("--limit", type=int, default=50, help="at most this many items per kind (default 50)")
    todo.add_argument("--json", action="store_true", help="as JSON")
    todo.add_argument("-o", "--output", type=Path, metavar="FILE.pdf", help="write the printable list (PDF)")
    todo.set_defaults(func=show_todo)


def show_todo(args: argparse.Namespace) -> int:
    from request_desk.cli import output  # noqa: PLC0415  (keeps --help fast)
    from request_desk.core.cases.todo import daily_todo  # noqa: PLC0415
    from request_desk.core.office import settings as office_settings  # noqa: PLC0415
    from request_desk.core.reports.todo_pdf import todo_pdf  # noqa: PLC0415

    user = current_user(args)
    if args.output is not None:
        output.check_target(args.output)
    db = open_db()
    try:
        todo = daily_todo(db, args.date or date.today(), user=user if args.mine else None,
                          limit_per_kind=max(0, args.limit))
        with db.read() as session:
            agency = office_settings.load(session).agency_name
    finally:
        db.close()
    if args.output is not None:
        output.write_bytes(args.output, todo_pdf(todo, agency))
    if args.json:
        print_json(todo.to_json_dict())
        return 0
    if args.output is not None:
        print(f"已写入 {args.output}")
    for section in todo.sections:
        print(f"{section.title}：{section.count} 项")
        for item in section.items:
            due = f"\t{item.due}\t{item.left_text()}" if item.due else ""
            print(f"  {item.reg_number}\t{item.applicant_name}\t{item.what}{due}")
    return 0
