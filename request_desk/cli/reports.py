"""The report and import subcommands of ``request-desk``.

    request-desk register --month 2026-10 --format xlsx|csv|pdf [-o FILE] [--full-personal-data]
    request-desk register --month 2026-10 --lock
    request-desk report annual --year 2026 --format json|xlsx|pdf|html [-o FILE]
    request-desk report quality --year 2026 | --month 2026-10 [--json]
    request-desk import FILE [--dry-run] [--map 原列名=字段] [--value 列名:原值=代码]
                       [--profile NAME] [--save-profile NAME]
    request-desk import --profiles
    request-desk import --template -o FILE.xlsx

Heavy modules are imported only when a command runs, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from request_desk.cli import common
from request_desk.cli import output as cli_output
from request_desk.cli.common import Parser, current_user, open_db


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    """Add the subcommands to the command line's subparsers."""
    reg = sub.add_parser("register", help="export the monthly register (月度登记台账), or lock a filed month")
    reg.add_argument("--month", type=common.month, required=True, metavar="YYYY-MM", help="e.g. 2026-10")
    reg.add_argument("--format", choices=("xlsx", "csv", "pdf"), default="xlsx")
    reg.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: 登记台账-YYYY-MM.<format>")
    reg.add_argument("--full-personal-data", action="store_true",
                     help="show ID numbers and phones in full (default: masked)")
    reg.add_argument("--lock", action="store_true",
                     help="record that the month's register was filed; later changes are listed as amendments")

    rep = sub.add_parser("report", help="statutory reports")
    rep_sub = rep.add_subparsers(dest="report_command", parser_class=type(rep), metavar="REPORT", required=True)
    ann = rep_sub.add_parser("annual", help="the annual report table (年度报告统计表), checked before export")
    ann.add_argument("--year", type=common.year, required=True)
    ann.add_argument("--format", choices=("json", "xlsx", "pdf", "html"), default="json")
    ann.add_argument("-o", "--output", type=Path, metavar="FILE",
                     help="default: JSON on stdout, else 年度报告-YYYY.<format>")

    qual = rep_sub.add_parser("quality", help="quality figures of a year or month (办理质量), with the draft "
                                               "paragraph for the annual report")
    when = qual.add_mutually_exclusive_group(required=True)
    when.add_argument("--year", type=common.year)
    when.add_argument("--month", type=common.month, metavar="YYYY-MM")
    qual.add_argument("--json", action="store_true", help="the figures as JSON, with the draft text")

    imp = sub.add_parser("import", help="import an existing register (XLSX, XLS or CSV), or write the template")
    imp.add_argument("file", nargs="?", type=Path, metavar="FILE", help=".xlsx, .xls or .csv ledger")
    imp.add_argument("--dry-run", action="store_true", help="check every row and report, write nothing")
    imp.add_argument("--map", action="append", default=[], metavar="HEADER=FIELD",
                     help="map a column header of the file to a field, e.g. 受理时间=received_date; repeatable")
    imp.add_argument("--value", action="append", default=[], metavar="HEADER:VALUE=CODE", dest="values",
                     help="what a value the desk cannot place stands for, e.g. 处理结果:已答复=1 or "
                          "申请人类别:个体户=商业企业; repeatable")
    imp.add_argument("--profile", metavar="NAME",
                     help="use a saved column mapping (see --profiles); --map overrides it")
    imp.add_argument("--save-profile", metavar="NAME",
                     help="save this import's mapping under NAME (default: only a mapping the desk needed, "
                          "under the profile used or one named after the file)")
    imp.add_argument("--profiles", action="store_true", help="list the saved column mappings")
    imp.add_argument("--template", action="store_true", help="write the empty import template (with -o)")
    imp.add_argument("-o", "--output", type=Path, metavar="FILE.xlsx", help="where to write the template")
    reg.set_defaults(func=_register)
    ann.set_defaults(func=_annual)
    qual.set_defaults(func=_quality)
    imp.set_defaults(func=_import, signs_in=lambda args: not args.template)


def _register(args: argparse.Namespace) -> int:
    user = current_user(args)
    from request_desk.core.reports import export, period_lock  # noqa: PLC0415
    from request_desk.core.reports.common import Month  # noqa: PLC0415

    month = Month.parse(args.month)
    db = open_db()
    try:
        if args.lock:
            lock = period_lock.lock_month(db, month, user)
            print(f"{month.label}已归档锁定（{lock.by}）；此后对该月案件的修改将在下月台账中列为更正。")
            return 0
        out = cli_output.check_target(args.output or Path(f"登记台账-{month.key}.{args.format}"))
        with cli_output.writing(out):  # the export writes a temporary file, fsyncs and renames it when complete
            summary = export.run(export.export_register(db, month, args.format, out,
                                                        full_personal_data=args.full_personal_data, actor=user))
    finally:
        db.close()
    counts = "，".join(f"{label} {summary.counts[key]} 件" for key, label in
                      (("received", "本月收到"), ("open", "月末未办结"), ("answered", "本月办结")))
    print(f"{out}：{counts}；更正 {summary.amendments} 条")
    return 0


def _annual(args: argparse.Namespace) -> int:
    from request_desk.core.reports import export  # noqa: PLC0415

    db = open_db()
    try:
        if args.format == "json" and args.output is None:
            from request_desk.core.reports import annual  # noqa: PLC0415

            report = annual.annual_report(db, args.year)
            report.check()
            print(json.dumps(report.to_json_dict(), ensure_ascii=False, indent=2))
            return 0
        out = cli_output.check_target(args.output or Path(f"年度报告-{args.year}.{args.format}"))
        with cli_output.writing(out):
            export.run(export.export_annual(db, args.year, args.format, out))
    finally:
        db.close()
    print(out)
    return 0


def _quality(args: argparse.Namespace) -> int:
    from request_desk.core.reports import quality  # noqa: PLC0415
    from request_desk.core.reports.common import Month  # noqa: PLC0415

    period = quality.Period.of_year(args.year) if args.year else quality.Period.of_month(Month.parse(args.month))
    db = open_db()
    try:
        figures = quality.quality_figures(db, period)
    finally:
        db.close()
    if args.json:
        print(json.dumps({**figures.to_json_dict(), "narrative": quality.narrative(figures)},
                         ensure_ascii=False, indent=2))
        return 0
    for label, value in quality.figure_lines(figures):
        print(f"{label}\t{value}")
    print()
    print(quality.narrative(figures))
    return 0


def _import(args: argparse.Namespace) -> int:
    from request_desk.core.errors import DeskError  # noqa: PLC0415

    if args.template:
        if args.output is None:
            raise DeskError("--template needs -o FILE.xlsx")
        import io  # noqa: PLC0415

        from request_desk.core.transfer.template import write_template  # noqa: PLC0415

        cli_output.check_target(args.output)
        workbook = io.BytesIO()  # built in memory (it is small), so nothing touches the disk until it is whole
        write_template(workbook)  # type: ignore[arg-type]  # openpyxl saves to any binary file object
        cli_output.write_bytes(args.output, workbook.getvalue())
        print(args.output)
        return 0
    from request_desk.core.transfer import profiles  # noqa: PLC0415

    user = current_user(args)
    if args.profiles:
        return _list_profiles()
    if args.file is None:
        raise DeskError("import needs a FILE (or --template -o FILE.xlsx, or --profiles)")
    from request_desk.core.reports.export import run  # noqa: PLC0415
    from request_desk.core.transfer import importer  # noqa: PLC0415
    from request_desk.core.transfer.ledger_values import parse_value_option  # noqa: PLC0415

    mapping: dict[str, str] = {}
    for item in args.map:
        header, sep, key = item.partition("=")
        if not sep:
            raise DeskError(f"--map '{item}' is not HEADER=FIELD")
        mapping[header] = key
    values = dict(parse_value_option(item) for item in args.values)
    db = open_db()
    try:
        used = profiles.get_profile(db, args.profile) if args.profile else None
        if used is not None:
            mapping = {**used.columns, **mapping}
            values = {**used.value_choices(), **values}
        plan = importer.plan_import(db, args.file, mapping=mapping, values=values)
        if used is None:
            offered = profiles.matching_profile(db, plan.headers)
            if offered is not None:
                print(f"提示：已保存的列对应方案“{offered.name}”与本文件的列名相同，"
                      f"可加 --profile {offered.name} 使用。")
        for issue in plan.issues:
            print(issue, file=sys.stderr if issue.severity == "error" else sys.stdout)
        print(plan.summary())
        if not plan.ok:
            print("导入未执行：请修正以上错误后重试，数据库未作任何改动。", file=sys.stderr)
            return 1
        if args.dry_run:
            print("试导入（--dry-run）：未写入数据库。")
            return 0
        added = run(importer.import_plan(db, plan, user, profile=args.save_profile,
                                          used_profile=used.name if used else None))
    finally:
        db.close()
    print(f"已导入 {added} 件。")
    if plan.saved_profile:
        print(f"列对应已保存为方案“{plan.saved_profile}”，下次导入同样列名的台账可加 --profile {plan.saved_profile}。")
    return 0


def _list_profiles() -> int:
    from request_desk.core.transfer import profiles  # noqa: PLC0415

    db = open_db()
    try:
        saved = profiles.list_profiles(db)
    finally:
        db.close()
    if not saved:
        print("尚未保存任何列对应方案（成功导入一次需要指定列对应的台账后自动保存，或用 --save-profile NAME）。")
    for p in saved:
        when = p.updated_at.strftime("%Y-%m-%d %H:%M") if p.updated_at else ""
        mapped = "、".join(f"{h}→{k}" for h, k in p.columns.items() if k)
        print(f"{p.name}\t{len(p.headers)} 列\t{when} {p.updated_by}\t{mapped}")
    return 0
