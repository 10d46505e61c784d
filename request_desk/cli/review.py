"""``request-desk review list|approve|return``: letters submitted for review (审核后签发).

While the office setting ``letter_review`` is on, ``request-desk letter`` submits the
letter instead of issuing it; a supervisor or administrator other than the drafter
then approves it here (the letter is issued with its document number) or returns it
with a comment. The same core functions as the letter register page's 待审核文书
(``core.letters.review``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from request_desk.cli import output as cli_output
from request_desk.cli.common import Parser, current_user, open_db, print_json


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    rv = sub.add_parser("review", help="letters submitted for review: list, approve and issue, or return (文书审核)")
    rv_sub = rv.add_subparsers(dest="review_command", parser_class=Parser, metavar="ACTION", required=True)
    ls = rv_sub.add_parser("list", help="the letters waiting for review, and those returned to their drafter")
    ls.add_argument("--json", action="store_true", help="print them as JSON")
    ls.set_defaults(func=list_reviews)
    ok = rv_sub.add_parser("approve", help="approve letter #N and issue it (supervisors and administrators, "
                                           "not the drafter)")
    ok.add_argument("review_id", type=int, metavar="N")
    ok.add_argument("-o", "--output", type=Path, metavar="FILE.pdf", help="also write the issued PDF here")
    ok.add_argument("--acknowledge-late", action="store_true",
                    help="issue a reply dated after its deadline; it is recorded as late")
    ok.set_defaults(func=approve)
    back = rv_sub.add_parser("return", help="return letter #N to its drafter with a comment")
    back.add_argument("review_id", type=int, metavar="N")
    back.add_argument("--comment", required=True, help="what the drafter should change")
    back.set_defaults(func=send_back)


def list_reviews(args: argparse.Namespace) -> int:
    from request_desk.core.letters import review  # noqa: PLC0415  (keeps --help fast)

    db = open_db()
    try:
        rows = review.open_reviews(db)
    finally:
        db.close()
    if args.json:
        print_json([{"id": r.id, "state": r.state, "registration_no": r.reg_number, "kind": r.kind,
                     "title": r.title, "date": r.on_date, "submitted_by": r.submitted_by,
                     "submitted_at": r.submitted_at, "reviewed_by": r.reviewed_by or None,
                     "comment": r.comment or None} for r in rows])
        return 0
    if not rows:
        print("没有待审核的文书。")
    for r in rows:
        line = f"#{r.id}  {r.state_label}  {r.reg_number}  {r.title}  {r.on_date}  起草：{r.submitted_by_name}"
        if r.state == review.RETURNED:
            line += f"  退回：{r.reviewed_by_name}：{r.comment}"
        print(line)
    return 0


def approve(args: argparse.Namespace) -> int:
    from request_desk.core.errors import DeskError  # noqa: PLC0415
    from request_desk.core.letters import register as letters  # noqa: PLC0415
    from request_desk.core.letters import review  # noqa: PLC0415

    if args.output is not None:  # before issuing: a letter is not issued for a file that cannot be written
        cli_output.check_target(args.output)
    db = open_db()
    try:
        try:
            issued = review.approve(db, args.review_id, current_user(args), acknowledge_late=args.acknowledge_late)
        except letters.LateNotAcknowledged as exc:
            raise DeskError(f"{exc}（命令行请加 --acknowledge-late）") from exc
    finally:
        db.close()
    cli_output.report_issued(issued, args.output)
    return 0


def send_back(args: argparse.Namespace) -> int:
    from request_desk.core.letters import review  # noqa: PLC0415

    db = open_db()
    try:
        row = review.send_back(db, args.review_id, current_user(args), args.comment)
    finally:
        db.close()
    print(f"returned #{row.id} to {row.submitted_by}: {row.comment}")
    return 0
