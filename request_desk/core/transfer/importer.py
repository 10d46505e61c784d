"""Bringing an existing Excel/CSV register (历史台账) into Request Desk.

Two steps, as the clerk sees them:

1. ``plan_job`` — a job too — (or ``plan_import``, which runs it) reads the
   file (XLSX, XLS or CSV, UTF-8 or GB18030), finds the header row (title rows,
   merged cells and blank lines are skipped; a two-row header is read as one),
   maps the columns (``template.FIELDS``, or the user's mapping for headers
   that differ), skips the rows that are not requests (totals, notes, repeated
   headers), parses every value — with the clerk's choices for values in the
   office's own words — and checks every row. Every sheet of a workbook with
   the first one's columns is read (``sheets``); other sheets are skipped with
   a note. Nothing is written; the plan lists every problem with sheet, row
   number, column and a Chinese message, each unmapped value once with its
   count.
2. ``import_plan`` — a job (``core.jobs.Job``) — writes the plan in **one
   transaction**: every request with its clock (computed by the legal clock),
   timeline events, pauses, extension, assignment, satisfaction call and one
   audit entry. A plan with errors is refused; a failure or cancellation part
   way rolls everything back, so the database is exactly as before.

Importing the same file again adds nothing twice: a row whose registration
number (or, without one, whose receipt date, applicant and description)
already exists is skipped and reported.

The work is split by what it looks at: ``ledger_file`` reads the file,
``sheets`` picks the worksheets to import, ``ledger_layout`` finds the header
and the rows that are not requests, ``ledger_values`` reads values the
office's own way (value map, inferred applicant types, the combined ID
column), ``ledger_rows`` parses and checks each row, ``ledger_existing`` finds
rows already stored, ``ledger_writer`` writes the rows into the transaction.
This module maps the columns and ties the steps together.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from request_desk.core.errors import ValidationFailed
from request_desk.core.jobs import Job, Progress, run
from request_desk.core.office import permissions
from request_desk.core.storage.audit import audit
from request_desk.core.storage.models import Request
from request_desk.core.transfer import profiles
from request_desk.core.transfer.ledger_file import HEADER_SCAN_ROWS, LedgerBook, check_zip_members, open_ledger
from request_desk.core.transfer.ledger_layout import not_a_request, title_row
from request_desk.core.transfer.ledger_rows import SEVERITY_LABELS, ImportIssue, ImportRow, RowChecker
from request_desk.core.transfer.ledger_values import Unmapped, ValueMap, value_choices
from request_desk.core.transfer.ledger_writer import IMPORT_ACTOR_NOTE, LedgerWriter
from request_desk.core.transfer.sheets import SheetChoice, choose_sheets
from request_desk.core.transfer.template import FIELDS, FIELDS_BY_KEY, normalise_header

__all__ = ["IGNORED_HEADERS", "IMPORT_ACTOR_NOTE", "SEVERITY_LABELS", "ImportIssue", "ImportPlan", "ImportRow",
           "Unmapped", "check_zip_members", "count_requests", "import_plan", "plan_import", "plan_job",
           "value_choices"]

#: Rows checked (or written) between two progress reports, where 取消 takes effect.
BATCH = 500

# Running numbers of the old sheet carry no information; ignored without a warning.
IGNORED_HEADERS = frozenset({"序号", "序", "no", "no."})

Values = Mapping[tuple[str, str], str]


@dataclass
class ImportPlan:
    path: Path
    mapping: dict[int, str]  # file column index -> field key
    headers: list[str]
    header_row: int
    rows: list[ImportRow]
    issues: list[ImportIssue]
    skipped: int = 0
    new_units: list[str] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)  # the worksheets read, in order ([""] for a CSV)
    # The value mapping the plan was made with (field -> {the file's value: code}), kept in a saved profile.
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    saved_profile: str | None = None  # set by ``import_plan``: the profile its mapping was saved under
    recognised: dict[str, str] = field(default_factory=dict)  # header -> the field the desk read it as by itself
    unmapped: list[Unmapped] = field(default_factory=list)  # each value the clerk must place, once
    inferred: int = 0  # rows whose applicant type was read from the name
    not_requests: int = 0  # totals, notes, repeated headers, blank rows below the header

    @property
    def errors(self) -> list[ImportIssue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        lines = [f"可导入 {len(self.rows)} 件，已存在跳过 {self.skipped} 件，错误 {len(self.errors)} 处，"
                 f"提示 {sum(i.severity == 'warning' for i in self.issues)} 处。"]
        if len(self.sheets) > 1:
            lines.append(f"共读取 {len(self.sheets)} 张工作表：" + "、".join(self.sheets))
        if self.not_requests or self.inferred:
            lines.append(f"非申请行跳过 {self.not_requests} 行（合计、说明、空行等），"
                         f"按名称推定申请人类型 {self.inferred} 件（请核对）。")
        if self.unmapped:
            lines.append("无法对应的值（请逐一指定）：" + "、".join(
                f"{u.column}“{u.value}”×{u.count}" for u in self.unmapped))
        if self.new_units:
            lines.append("将新建承办单位：" + "、".join(self.new_units))
        return "\n".join(lines)


def plan_import(db: Any, path: Path | str, *, mapping: Mapping[str, str] | None = None,
                values: Values | None = None, today: date | None = None) -> ImportPlan:
    """Read and check ``path`` without writing anything (``plan_job`` run to its end)."""
    return run(plan_job(db, path, mapping=mapping, values=values, today=today))


def plan_job(db: Any, path: Path | str, *, mapping: Mapping[str, str] | None = None, values: Values | None = None,
             today: date | None = None, batch: int = BATCH) -> Job[ImportPlan]:
    """Read and check ``path`` without writing anything; yields progress every ``batch`` rows.

    ``mapping`` maps a header of the file to a field key of ``FIELDS`` (or to
    "" to ignore that column), for ledgers whose headers differ. ``values`` maps
    (column, value as written) to a code — ("处理结果", "已答复") → "1" — for the
    values the desk cannot place itself (``ImportPlan.unmapped``); the column is the
    file's header, the template's header or the field key (``Profile.value_choices``).
    """
    path = Path(path)
    yield Progress(0, None, f"正在读取 {path.name}…")
    with open_ledger(path) as book:
        return (yield from _plan(db, book, mapping or {}, values or {}, today or date.today(), batch))


def _columns(headers: list[str], keys: list[str | None], user: Mapping[str, str],
             issues: list[ImportIssue]) -> tuple[dict[int, str], set[int]]:
    """File column index -> field key, and the running-number columns ignored."""
    col_map: dict[int, str] = {}
    ignored: set[int] = set()
    for i, name in enumerate(headers):
        if not name:
            continue
        norm = normalise_header(name)
        key = user.get(norm, keys[i])
        if key is None and norm in IGNORED_HEADERS:
            ignored.add(i)
            continue
        if key is None:
            issues.append(ImportIssue(0, name, "warning", "无法识别此列，已忽略（可在“列对应”中指定）。"))
            continue
        if key == "":
            continue
        if key not in FIELDS_BY_KEY:
            raise ValidationFailed(f"列对应中的“{key}”不是可导入的字段。")
        if key in col_map.values():
            issues.append(ImportIssue(0, name, "error", f"与另一列都对应“{FIELDS_BY_KEY[key].header}”，请只保留一列。"))
            continue
        col_map[i] = key
    return col_map, ignored


def _plan(db: Any, book: LedgerBook, mapping: Mapping[str, str], values: Values, today: date,
          batch: int) -> Job[ImportPlan]:
    path = book.path
    user = {normalise_header(k): v for k, v in mapping.items()}
    choice = choose_sheets(book, mapping)
    if choice is None:
        raise ValidationFailed(
            f"{path.name} 的前{HEADER_SCAN_ROWS}行中没有找到列名行：请使用本软件导出的导入模板，"
            "或在“列对应”中指定各列的含义。")
    layout = choice.header
    headers = layout.headers
    issues: list[ImportIssue] = list(choice.notes)
    col_map, ignored = _columns(headers, layout.keys, user, issues)
    missing = [f.header for f in FIELDS if f.required and f.key not in col_map.values()]
    if missing:
        issues.append(ImportIssue(0, "", "error", "缺少必填列：" + "、".join(missing) + "。"))
        return ImportPlan(path, col_map, headers, layout.row, [], issues, sheets=choice.names)
    # Not needed by the law for every application: the file imports, with one warning each.
    if "channel" not in col_map.values():
        issues.append(ImportIssue(0, "", "warning", "台账没有“收到方式”列：各件的收到方式记为“未记载”。"))
    if "applicant_type" not in col_map.values():
        issues.append(ImportIssue(0, "", "warning",
                                  "台账没有“申请人类型”列：按申请人名称推定，推定结果逐行列出，请核对。"))
    value_map = ValueMap(values)
    value_map.resolve({key: headers[i] for i, key in col_map.items()})

    with db.read() as session:
        checker = RowChecker(session, col_map, headers, today, value_map)
        plan_rows: list[ImportRow] = []
        notes: list[ImportIssue] = []
        for done, total, rows in _checked(book, choice, checker, ignored, notes, batch):
            plan_rows += checker.keep_new(rows)
            yield Progress(done, total, f"已检查 {done:,} / {total:,} 行" if total else f"已检查 {done:,} 行")
        order = {name: i for i, name in enumerate(choice.labels)}
        # Stable: a row's own issues keep their order.
        found = sorted(checker.issues + checker.finish() + notes, key=lambda i: (order.get(i.sheet, -1), i.row))
        plan = ImportPlan(path, col_map, headers, layout.row, plan_rows, issues + found, checker.skipped,
                          sorted(checker.new_units), choice.names, value_map.by_key(),
                          recognised={h: k or "" for h, k in zip(headers, layout.keys, strict=True) if h},
                          unmapped=list(checker.tally.unmapped.values()), inferred=checker.inferred,
                          not_requests=len(notes))
    return plan


def _checked(book: LedgerBook, choice: SheetChoice, checker: RowChecker, ignored: set[int],
             notes: list[ImportIssue], batch: int) -> Iterator[tuple[int, int | None, list[ImportRow]]]:
    """(rows read so far, rows in all, the checked rows of the last ``batch``) of every chosen sheet.

    The rows that are not requests (``ledger_layout``) go into ``notes``, each with the reason it was skipped.
    """
    done, total, rows = 0, choice.total_rows, []
    for sheet, label, first, header_index in zip(choice.sheets, choice.labels, choice.first_rows,
                                                 choice.header_rows, strict=True):
        checker.sheet = label
        blank_rows: list[int] = []  # noted only when a later row follows: trailing empty rows are no news
        for n, cells in book.rows(sheet):
            if n < first:
                if (what := title_row(cells)) is not None:
                    notes.append(ImportIssue(n, "", "skip", f"{what}，不是申请，已跳过。", label))
                continue
            if n <= header_index:
                continue
            done += 1
            reason = not_a_request(cells, checker.col_map, ignored)
            if reason == "空行":
                blank_rows.append(n)
            else:
                notes.extend(ImportIssue(b, "", "skip", "空行，已跳过。", label) for b in blank_rows)
                blank_rows = []
                if reason is not None:
                    notes.append(ImportIssue(n, "", "skip", f"{reason}，不是申请，已跳过。", label))
                else:
                    parsed = checker.check(n, cells)
                    if parsed is not None:
                        rows.append(parsed)
            if done % batch == 0:
                yield done, total, rows
                rows = []
    yield done, total, rows


def import_plan(db: Any, plan: ImportPlan, actor: str, *, today: date | None = None, batch: int = BATCH,
                profile: str | None = None, used_profile: str | None = None) -> Job[int]:
    """Write a checked plan in one transaction; yields progress; returns the number of requests added.

    The plan's mapping (columns and values) is saved as a profile in the same
    transaction (``profiles.profile_name``): under ``profile`` if given, else
    under ``used_profile`` (the profile the plan was made with), else when the
    mapping holds anything the desk does not recognise by itself;
    ``plan.saved_profile`` then names it.
    """
    if not plan.ok:
        raise ValidationFailed(f"导入文件有 {len(plan.errors)} 处错误，请修正后重新检查；数据库未作任何改动。")
    today = today or date.today()
    total = len(plan.rows)
    yield Progress(0, total, f"正在导入 {plan.path.name}…")
    with db.write() as session:
        permissions.require(session, actor, permissions.Permission.REGISTER)
        writer = LedgerWriter(session, actor, today, plan.path.name)
        for i, row in enumerate(plan.rows, start=1):
            writer.add(row)
            if i % batch == 0:
                writer.flush()
                yield Progress(i, total, f"已导入 {i:,} / {total:,} 件")
        writer.finish()
        columns = profiles.columns_of(plan.headers, plan.mapping)
        name = profiles.profile_name(session, requested=profile, used=used_profile, headers=plan.headers,
                                     columns=columns, values=plan.values, file_name=plan.path.name,
                                     auto=plan.recognised or None)
        if name is not None:
            name = profiles.save_profile(session, name, plan.headers, columns, plan.values, actor)
        audit(session, actor, "import_file", "request", None, None,
              {"file": plan.path.name, "rows": total, "skipped": plan.skipped, "units_created": writer.created_units,
               "sheets": [s for s in plan.sheets if s], "profile": name})
        yield Progress(total, total, "正在提交…")
    plan.saved_profile = name
    return total


def count_requests(db: Any) -> int:
    with db.read() as session:
        return int(session.execute(select(func.count()).select_from(Request)).scalar_one())
