"""``request-desk case …``: the desk without the desktop, over the step registry.

    request-desk case new --set applicant_name=张三 --set channel=in_person … [--json]
    request-desk case show 2026-00001 [--json]
    request-desk case actions 2026-00001 [--json]
    request-desk case do 2026-00001 reply --date 2026-10-20 --set outcome=4.1 [--json]
    request-desk case correct 2026-00001 --set applicant_name=张山 --reason 登记时录入错误 [--json]
    request-desk case undo 2026-00001 --reason 答复日期登记错误 [--json]
    request-desk case attach 2026-00001 信封.jpg --kind envelope [--note T]
    request-desk case attachments 2026-00001 [--json]
    request-desk case attachment-save 3 -o 信封.jpg
    request-desk case search-annex 2026-00001 -o 检索记录.pdf

The steps, their fields and the reasons a step is refused are the ones the
GUI uses (``cases.STEPS``); a refusal prints the rule in one Chinese line and
exits 1 with nothing written; an unknown field, an unreadable value or a
missing required field exits 2. ``case new`` prints the warnings of the form
(e.g. 缺少身份证明，可通知补正) and still registers; ``case show`` lists what the
application still lacks (``missing`` in JSON), computed from the record.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import MISSING, fields
from datetime import date
from pathlib import Path
from typing import Any

from request_desk.cli import common
from request_desk.cli import output as cli_output
from request_desk.cli.common import Parser, UsageError, current_user, open_db, plain, print_json


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    case = sub.add_parser("case", help="register a request, show it, list and perform its workflow steps")
    case_sub = case.add_subparsers(dest="case_command", parser_class=Parser, metavar="ACTION", required=True)
    new = case_sub.add_parser("new", help="register a new request (fields of the registration form)")
    new.add_argument("--set", action="append", default=[], dest="values", metavar="FIELD=VALUE",
                     help="a field of the form, e.g. applicant_name=张三; repeatable")
    new.add_argument("--json", action="store_true", help="print the registered record with its due date and warnings")
    new.set_defaults(func=new_case)
    for name, func, text in (("show", show_case, "print the case: applicant, status, clock, events, letters"),
                             ("actions", list_actions, "list every step: allowed or why not, and its fields")):
        p = case_sub.add_parser(name, help=text)
        p.add_argument("registration_no", metavar="REG", help="registration number, e.g. 2026-00015")
        p.add_argument("--json", action="store_true")
        p.set_defaults(func=func)
        if name == "actions":
            p.add_argument("--date", type=common.a_date,
                           help="whether each step could be done on this day (default: today)")
        else:  # a unit's liaison too, for the cases routed to its unit (unit_work.can_see_case)
            p.set_defaults(for_liaisons=True)
    do = case_sub.add_parser("do", help="perform a workflow step")
    do.add_argument("registration_no", metavar="REG")
    do.add_argument("step", metavar="STEP", help="the step's name, as `case actions` lists it")
    do.add_argument("--date", type=common.a_date, help="the day of the step (default: today)")
    do.add_argument("--set", action="append", default=[], dest="values", metavar="FIELD=VALUE",
                    help="a field of the step; repeatable")
    do.add_argument("--json", action="store_true", help="print the request after the step")
    do.set_defaults(func=do_step)
    fix = case_sub.add_parser("correct", help="correct registered fields, with a reason (audited old -> new)")
    fix.add_argument("registration_no", metavar="REG")
    fix.add_argument("--set", action="append", default=[], dest="values", metavar="FIELD=VALUE", required=True,
                     help="a registration field and its corrected value, e.g. applicant_name=张山; repeatable")
    fix.add_argument("--reason", required=True, help="why the record is corrected")
    fix.add_argument("--json", action="store_true", help="print the request after the correction")
    fix.set_defaults(func=correct_case)
    undo = case_sub.add_parser("undo", help="undo the case's last workflow step (supervisors), with a reason")
    undo.add_argument("registration_no", metavar="REG")
    undo.add_argument("--reason", required=True, help="why the step is undone")
    undo.add_argument("--json", action="store_true", help="print the request after the undo")
    undo.set_defaults(func=undo_step)
    _register_attachments(case_sub)
    annex = case_sub.add_parser("search-annex", help="print the case's search record (检索记录) as a PDF for the file")
    annex.add_argument("registration_no", metavar="REG")
    annex.add_argument("-o", "--output", type=Path, metavar="FILE.pdf", help="default: 检索记录-REG.pdf")
    annex.set_defaults(func=search_annex, for_liaisons=True)


def _register_attachments(case_sub: argparse._SubParsersAction[Parser]) -> None:
    from request_desk.core.vocab import AttachmentKind  # noqa: PLC0415

    attach = case_sub.add_parser("attach", help="keep a file with the case (scan, ID copy, envelope, delivery proof)")
    attach.add_argument("registration_no", metavar="REG")
    attach.add_argument("file", type=Path, metavar="FILE")
    attach.add_argument("--kind", required=True, choices=[k.value for k in AttachmentKind],
                        help="; ".join(f"{k.value}: {k.label}" for k in AttachmentKind))
    attach.add_argument("--note", default="", help="a note kept with the file")
    attach.add_argument("--json", action="store_true", help="print the attachment (without its bytes)")
    attach.set_defaults(func=attach_file)
    listing = case_sub.add_parser("attachments", help="list the case's attachments with their SHA-256")
    listing.add_argument("registration_no", metavar="REG")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=list_attachments)
    save = case_sub.add_parser("attachment-save", help="save a checked copy of an attachment")
    save.add_argument("attachment_id", type=int, metavar="ID",
                      help="the attachment's number, as `case attachments` lists it")
    save.add_argument("-o", "--output", type=Path, required=True, metavar="FILE", help="the file (or folder) to write")
    save.set_defaults(func=save_attachment)


# ------------------------------------------------------------------ case new


def _enum_value(members: Any, name: str, text: str) -> Any:
    """A channel or applicant type by its code (in_person) or its Chinese label (当面提交)."""
    for member in members:
        if text in (member.value, member.label):
            return member
    allowed = "、".join(f"{m.value}（{m.label}）" for m in members)
    raise UsageError(f"case new: {name} must be one of {allowed}, not '{text}'")


def _new_request(texts: dict[str, str]) -> Any:
    from request_desk.core.cases import NewRequest  # noqa: PLC0415  (keeps --help fast)
    from request_desk.core.vocab import REGISTRATION_CHANNELS, ApplicantType  # noqa: PLC0415

    declared = {f.name: f for f in fields(NewRequest)}
    unknown = sorted(set(texts) - set(declared))
    if unknown:
        raise UsageError(f"case new: unknown field {', '.join(unknown)} (fields: {', '.join(declared)})")
    values: dict[str, Any] = dict(texts)
    values.setdefault("received_date", date.today().isoformat())
    try:
        values["received_date"] = date.fromisoformat(values["received_date"].strip())
    except ValueError:
        raise UsageError(f"case new: received_date '{values['received_date']}' is not a date YYYY-MM-DD") from None
    if "channel" in values:
        values["channel"] = _enum_value(REGISTRATION_CHANNELS, "channel", values["channel"].strip())
    if "applicant_type" in values:
        values["applicant_type"] = _enum_value(ApplicantType, "applicant_type", values["applicant_type"].strip())
    missing = [n for n, f in declared.items() if f.default is MISSING and n not in values]
    if missing:
        raise UsageError(f"case new: missing required field {', '.join(missing)} (--set FIELD=VALUE)")
    return NewRequest(**values)


def new_case(args: argparse.Namespace) -> int:
    from request_desk.core import cases  # noqa: PLC0415

    data = _new_request(common.assignments(args.values, "case new"))
    warnings = [i.message for i in cases.validate_new(data) if i.severity == "warning"]
    db = open_db()
    try:
        record = cases.register(db, data, current_user(args))
    finally:
        db.close()
    if args.json:
        print_json({**record.to_json_dict(), "warnings": warnings})
        return 0
    for warning in warnings:
        print(f"request-desk: 注意：{warning}", file=sys.stderr)
    print(record.reg_number)
    return 0


# ------------------------------------------------------------------ case show / actions


def _request_id(db: Any, registration_no: str) -> int:
    from request_desk.core.cases.case_file import find_request_id  # noqa: PLC0415
    from request_desk.core.errors import NotFound  # noqa: PLC0415

    rid = find_request_id(db, registration_no)
    if rid is None:
        raise NotFound(f"找不到登记编号为 {registration_no} 的申请。")
    return rid


def show_case(args: argparse.Namespace) -> int:
    from request_desk.core.cases import attachments, case_file, search_records  # noqa: PLC0415
    from request_desk.core.letters import register as letter_register  # noqa: PLC0415

    db = open_db()
    try:
        rid = _visible_request_id(db, args)
        case = case_file.load_case(db, rid, date.today())
        letters = letter_register.register_rows(db, request_id=rid)
        searches = search_records.search_rows(db, rid)
        kept = attachments.list_attachments(db, rid)
    finally:
        db.close()
    h = case.header
    clock = {"due_date": h.due_date, "workdays_left": h.workdays_left, "provisional": h.due_provisional,
             "colour": h.colour, "clock_stopped": h.clock_stopped, "extended": h.extended,
             "replied_on_time": h.replied_on_time, "workdays_used": h.workdays_used}
    # docs/domain.md, "Remedy windows": null before the reply; both dates null while the delivery is unknown.
    w = case.remedy
    remedy = None if w is None else {"reconsideration_until": w.reconsideration_until,
                                     "litigation_until": w.litigation_until, "known": w.known,
                                     "provisional": w.provisional, "text": w.describe()}
    if args.json:
        print_json({"header": h, "status_label": h.status_label, "outcome_label": h.outcome_label, "clock": clock,
                    "details": [{"label": k, "value": v} for k, v in case.details], "missing": case.missing,
                    "missing_note": case.missing_note, "events": case.events,
                    "pauses": case.pauses, "assignments": case.assignments, "calls": case.calls,
                    "remedy": remedy, "remedies": case.remedies, "letters": letters,
                    "search_records": searches, "attachments": [a.to_json_dict() for a in kept]})
        return 0
    print(f"{h.reg_number}  {h.applicant_name}（{h.applicant_type.label}）  状态：{h.status_label}")
    left = "" if h.workdays_left is None else f"，剩余 {h.workdays_left} 个工作日"
    print(f"收到申请：{h.received_date}  答复期限：{h.due_date or '—'}{left}"
          + ("（暂定：跨越尚未公布放假安排的年份）" if h.due_provisional else "")
          + ("（暂停计时中）" if h.clock_stopped else ""))
    if h.consultation_warning:
        print(f"注意：{h.consultation_warning}")
    if h.outcome_code:
        print(f"办理结果：{h.outcome_label}（{h.reply_date}）")
    if w is not None:
        print(f"救济期限：{w.describe()}")
    for label, value in case.details:
        print(f"  {label}：{value}")
    if case.missing:  # 条例第三十条: what a supplement notice can ask for
        print(f"注意：{case.missing_note}")
    for p in case.pauses:
        if p.consultation:  # docs/domain.md, "Pauses": receipt, deadline, answer
            print(f"{p.label}（{p.counterpart}）：{p.start} 发出；{p.consultation}")
    print("办理记录：")
    for e in case.events:
        print(f"  {e.on_date}  {e.shown_label}  {e.user}" + (f"  {e.note}" if e.note else ""))
    for search in searches:
        print(f"检索记录：{search.searched_on}  {search.searched_by}  {search.where}；关键词 {search.keywords}；"
              f"{search.found}")
    if kept:
        print("附件：" + "、".join(f"{a.kind_label}（{a.file_name}）" for a in kept))
    if letters:
        print("文书：")
        for row in letters:
            before = "  （更正前签发）" if row.letter_id in case.letters_before_correction else ""
            print(f"  {row.issued_date}  {row.doc_number or '（无文号）'}  {row.kind_label}  {row.delivery}{before}")
    return 0


def _visible_request_id(db: Any, args: argparse.Namespace) -> int:
    """The case's id, if the signed-in user may see it (a liaison only their unit's cases)."""
    from request_desk.core.cases import unit_work  # noqa: PLC0415
    from request_desk.core.office.permissions import PermissionDenied  # noqa: PLC0415

    rid = _request_id(db, args.registration_no)
    with db.read() as session:
        if not unit_work.can_see_case(session, common.current_user(args), rid):
            raise PermissionDenied(f"无权查看申请 {args.registration_no}：{unit_work.NOT_OWN_UNIT}")
    return rid


def search_annex(args: argparse.Namespace) -> int:
    from request_desk.core.letters.search_annex import search_record_pdf  # noqa: PLC0415  (reportlab)

    out = cli_output.check_target(args.output or Path(f"检索记录-{args.registration_no}.pdf"))
    db = open_db()
    try:
        pdf = search_record_pdf(db, _visible_request_id(db, args))
    finally:
        db.close()
    cli_output.write_bytes(out, pdf)
    print(out)
    return 0


def list_actions(args: argparse.Namespace) -> int:
    from request_desk.core import cases  # noqa: PLC0415

    db = open_db()
    try:
        rid = _request_id(db, args.registration_no)
        reasons = cases.available(db, rid, on_date=args.date, actor=current_user(args))
        # The values the GUI's form starts with, e.g. the supplement notice's proposed text.
        defaults = {a: cases.step_form(db, rid, a).defaults for a, why in reasons.items() if why is None}
    finally:
        db.close()
    rows: list[dict[str, Any]] = []
    for action, step in cases.STEPS.items():
        start = defaults.get(action, {})
        rows.append({"step": step.name, "label": step.label, "allowed": reasons[action] is None,
                     "reason": reasons[action], "date_label": step.date_label,
                     "fields": [{"name": f.name, "kind": f.kind.value, "label": f.label, "required": f.required,
                                 "choices": [value for value, _ in f.choices], "default": plain(start.get(f.name))}
                                for f in step.fields]})
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        mark = "可以" if row["allowed"] else "不可"
        print(f"[{mark}] {row['step']}  {row['label']}" + ("" if row["allowed"] else f"：{row['reason']}"))
        for f in row["fields"]:
            required = "，必填" if f["required"] else ""
            default = f"，默认：{f['default']}" if f["default"] not in (None, "") else ""
            print(f"        --set {f['name']}=…  {f['label']}（{f['kind']}{required}{default}）")
    return 0


# ------------------------------------------------------------------ case do


def do_step(args: argparse.Namespace) -> int:
    from request_desk.core import cases  # noqa: PLC0415

    step = cases.step_named(args.step)  # FieldError: exit 2
    values = {name: cases.parse_value(step.field(name), text)
              for name, text in common.assignments(args.values, "case do").items()}
    db = open_db()
    try:
        rid = _request_id(db, args.registration_no)
        record = cases.do_step(db, step.action, rid, current_user(args), values, on_date=args.date)
    finally:
        db.close()
    if args.json:
        print_json(record.to_json_dict())
        return 0
    print(f"{record.reg_number}  {step.label}：已登记。状态：{record.status.label}；答复期限：{record.due_date or '—'}")
    return 0


# ------------------------------------------------------------------ case correct / undo


def _print_record(args: argparse.Namespace, record: Any, done: str) -> int:
    if args.json:
        print_json(record.to_json_dict())
    else:
        print(f"{record.reg_number}  {done}。状态：{record.status.label}；答复期限：{record.due_date or '—'}")
    return 0


def correct_case(args: argparse.Namespace) -> int:
    from request_desk.core import cases  # noqa: PLC0415

    values = {name: cases.parse_correction(name, text)
              for name, text in common.assignments(args.values, "case correct").items()}
    db = open_db()
    try:
        record = cases.correct(db, _request_id(db, args.registration_no), values, args.reason, current_user(args))
    finally:
        db.close()
    return _print_record(args, record, "已更正")


def undo_step(args: argparse.Namespace) -> int:
    from request_desk.core import cases  # noqa: PLC0415

    db = open_db()
    try:
        rid = _request_id(db, args.registration_no)
        step, _refusal = cases.undo_check(db, rid, current_user(args))  # the refusal is raised below
        record = cases.undo_last_step(db, rid, args.reason, current_user(args))
    finally:
        db.close()
    return _print_record(args, record, f"已撤销“{step}”")


# ------------------------------------------------------------------ case attach / attachments / attachment-save


def attach_file(args: argparse.Namespace) -> int:
    from request_desk.core.cases import attachments  # noqa: PLC0415

    db = open_db()
    try:
        row = attachments.add_attachment(db, _request_id(db, args.registration_no), current_user(args), args.file,
                                         kind=args.kind, note=args.note)
    finally:
        db.close()
    if args.json:
        print_json(row.to_json_dict())
    else:
        print(f"{args.registration_no}  已添加附件 {row.id}：{row.kind_label}“{row.file_name}”"
              f"（{attachments.size_text(row.size)}，SHA-256 {row.sha256}）")
    return 0


def list_attachments(args: argparse.Namespace) -> int:
    from request_desk.core.cases import attachments  # noqa: PLC0415

    db = open_db()
    try:
        current_user(args)
        rows = attachments.list_attachments(db, _request_id(db, args.registration_no))
    finally:
        db.close()
    if args.json:
        print_json([r.to_json_dict() for r in rows])
        return 0
    if not rows:
        print(f"{args.registration_no}  尚无附件。")
    for r in rows:
        print(f"{r.id}\t{r.kind_label}\t{r.file_name}\t{attachments.size_text(r.size)}\t{r.added_by_name}\t"
              f"{r.added_at:%Y-%m-%d %H:%M}\t{r.sha256[:12]}\t{r.note}")
    return 0


def save_attachment(args: argparse.Namespace) -> int:
    from request_desk.core.cases import attachments  # noqa: PLC0415

    db = open_db()
    try:
        user = current_user(args)
        output = args.output
        path = (attachments.export_to(db, args.attachment_id, output, user) if output.is_dir()
                else attachments.save_as(db, args.attachment_id, output, user))
    finally:
        db.close()
    print(f"已保存附件 {args.attachment_id}：{path}（已核对 SHA-256）")
    return 0
