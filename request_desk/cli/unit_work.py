"""``request-desk unit-work list|report``: a handling unit's assignments and its reports on them.

    request-desk unit-work list [--all] [--unit 市教育局] [--json]
    request-desk unit-work report ASSIGNMENT_ID --text 已查到相关文件 [--date 2026-10-20]

The same core functions as the desk's 本单位承办 page (``cases.unit_work``): a unit
liaison lists and reports on its own unit's assignments only; the desk's roles may
name any unit (``--unit``) or list every unit's. A refusal exits 1 with nothing written.
"""

from __future__ import annotations

import argparse
from datetime import date

from request_desk.cli import common
from request_desk.cli.common import Parser, current_user, open_db, print_json


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    uw = sub.add_parser("unit-work", help="a handling unit's assignments and its reports (承办单位反馈)")
    uw_sub = uw.add_subparsers(dest="unit_work_command", parser_class=Parser, metavar="ACTION", required=True)
    listing = uw_sub.add_parser("list", help="the assignments of your unit (a liaison) or of --unit")
    listing.add_argument("--unit", metavar="UNIT", help="the unit, by its name (the desk's roles; default: every unit)")
    listing.add_argument("--all", action="store_true", help="also ended assignments and answered requests")
    listing.add_argument("--limit", type=int, default=500, help="at most this many (default 500)")
    listing.add_argument("--json", action="store_true", help="as JSON")
    listing.set_defaults(func=list_work, for_liaisons=True)
    report = uw_sub.add_parser("report", help="record the unit's report on one assignment (登记办理情况)")
    report.add_argument("assignment_id", type=int, metavar="ASSIGNMENT_ID", help="the id `unit-work list` shows")
    report.add_argument("--text", required=True, help="what the unit found or provides")
    report.add_argument("--date", type=common.a_date, help="the day of the report (default: today)")
    report.add_argument("--json", action="store_true", help="print the assignment as JSON")
    report.set_defaults(func=report_work, for_liaisons=True)


def list_work(args: argparse.Namespace) -> int:
    from request_desk.core.cases import unit_work  # noqa: PLC0415  (keeps --help fast)
    from request_desk.core.office import units  # noqa: PLC0415

    actor = current_user(args)
    db = open_db()
    try:
        unit_id = units.unit_named(db, args.unit).id if args.unit else None
        rows = unit_work.unit_assignments(db, actor, unit_id=unit_id, open_only=not args.all,
                                          limit=max(0, args.limit))
    finally:
        db.close()
    if args.json:
        print_json([{**common.plain(r), "status_label": r.status_label, "state_label": r.state_label} for r in rows])
        return 0
    if not rows:
        print("没有待办的分办记录。")
    for r in rows:
        due = r.internal_due_date.isoformat() if r.internal_due_date else "—"
        print(f"{r.id}\t{r.reg_number}\t{r.unit_name}\t分办 {r.assigned_date}\t内部期限 {due}\t"
              f"{r.status_label}\t{r.state_label}\t{r.description}")
    return 0


def report_work(args: argparse.Namespace) -> int:
    from request_desk.core.cases import unit_work  # noqa: PLC0415

    actor = current_user(args)
    db = open_db()
    try:
        done = unit_work.report(db, args.assignment_id, actor, args.text, args.date or date.today())
    finally:
        db.close()
    if args.json:
        print_json(done)
    else:
        print(f"已登记办理情况：{done.reg_number}（{done.unit_name}，{done.reported_date}）")
    return 0
