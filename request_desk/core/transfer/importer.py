"""Bringing an existing Excel/CSV register (历史台账) into Request Desk.

Two steps, as the clerk sees them:

1. ``plan_job`` — a job too — (or ``plan_import``, which runs it) reads the
   file (XLSX, XLS or CSV, UTF-8 or GB18030), finds the header row (title rows,
   merged cells and blank lines are skipped), maps the columns
   (``template.FIELDS``, or the user's mapping for headers that differ),
   parses every value and checks every row. Every sheet of a workbook with the
   first one's columns is read (``sheets``); other sheets are skipped with a
   note. Nothing is written; the plan lists every problem with sheet, row
   number, column and a Chinese message.
2. ``import_plan`` — a job (``core.jobs.Job``) — writes the plan in **one
   transaction**: every request with its clock (computed by the legal clock),
   timeline events, pauses, extension, assignment, satisfaction call and one
   audit entry. A plan with errors is refused; a failure or cancellation part
   way rolls everything back, so the database is exactly as before.

Importing the same file again adds nothing twice: a row whose registration
number (or, without one, whose receipt date, applicant and description)
already exists is skipped and reported.

The work is split by what it looks at: ``ledger_file`` reads the file and
finds the header row, ``sheets`` picks the worksheets to import,
``ledger_rows`` parses and checks each row, ``ledger_existing`` finds rows
already stored, ``ledger_writer`` writes the rows into the transaction. This
module maps the columns and ties the steps together.
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
from request_desk.core.storage.audit import audit
from request_desk.core.storage.models import Request
from request_desk.core.transfer import profiles
from request_desk.core.transfer.ledger_file import (
    HEADER_SCAN_ROWS,
    LedgerBook,
    blank,
    check_zip_members,
    open_ledger,
)
from request_desk.core.transfer.ledger_rows import ImportIssue, ImportRow, RowChecker
from request_desk.core.transfer.ledger_writer import IMPORT_ACTOR_NOTE, LedgerWriter
from request_desk.core.transfer.sheets import SheetChoice, choose_sheets
from request_desk.core.transfer.template import FIELDS, FIELDS_BY_KEY, HEADER_INDEX, normalise_header

__all__ = ["IGNORED_HEADERS", "IMPORT_ACTOR_NOTE", "ImportIssue", "ImportPlan", "ImportRow", "check_zip_members",
           "count_requests", "import_plan", "plan_import", "plan_job"]

#: Rows checked (or written) between two progress reports, where 取消 takes effect.
BATCH = 500

# Running numbers of the old sheet carry no information; ignored without a warning.
IGNORED_HEADERS = frozenset({"序号", "序", "no", "no."})


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
        if self.new_units:
            lines.append("将新建承办单位：" + "、".join(self.new_units))
        return "\n".join(lines)


def plan_import(db: Any, path: Path | str, *, mapping: Mapping[str, str] | None = None,
                today: date | None = None) -> ImportPlan:
    """Read and check ``path`` without writing anything (``plan_job`` run to its end)."""
    return run(plan_job(db, path, mapping=mapping, today=today))


def plan_job(db: Any, path: Path | str, *, mapping: Mapping[str, str] | None = None,
             today: date | None = None, batch: int = BATCH) -> Job[ImportPlan]:
    """Read and check ``path`` without writing anything; yields progress every ``batch`` rows.

    ``mapping`` maps a header of the file to a field key of ``FIELDS`` (or to
    "" to ignore that column), for ledgers whose headers differ.
    """
    path = Path(path)
    yield Progress(0, None, f"正在读取 {path.name}…")
    with open_ledger(path) as book:
        return (yield from _plan(db, book, mapping or {}, today or date.today(), batch))


def _plan(db: Any, book: LedgerBook, mapping: Mapping[str, str], today: date, batch: int) -> Job[ImportPlan]:
    path = book.path
    user = {normalise_header(k): v for k, v in mapping.items()}
    choice = choose_sheets(book, mapping)
    if choice is None:
        raise ValidationFailed(
            f"{path.name} 的前{HEADER_SCAN_ROWS}行中没有找到列名行：请使用本软件导出的导入模板，"
            "或在“列对应”中指定各列的含义。")
    header_row, header_cells = choice.header
    headers = ["" if blank(c) else str(c).strip() for c in header_cells]
    issues: list[ImportIssue] = list(choice.notes)
    col_map: dict[int, str] = {}
    for i, name in enumerate(headers):
        if not name:
            continue
        norm = normalise_header(name)
        key = user.get(norm, HEADER_INDEX.get(norm))
        if key is None and norm in IGNORED_HEADERS:
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
    missing = [f.header for f in FIELDS if f.required and f.key not in col_map.values()]
    if missing:
        issues.append(ImportIssue(0, "", "error", "缺少必填列：" + "、".join(missing) + "。"))
        return ImportPlan(path, col_map, headers, header_row, [], issues, sheets=choice.names)

    with db.read() as session:
        checker = RowChecker(session, col_map, headers, today)
        plan_rows: list[ImportRow] = []
        for done, total, rows in _checked(book, choice, checker, batch):
            plan_rows += checker.keep_new(rows)
            yield Progress(done, total, f"已检查 {done:,} / {total:,} 行" if total else f"已检查 {done:,} 行")
        order = {name: i for i, name in enumerate(choice.labels)}
        found = sorted(checker.issues, key=lambda i: (order.get(i.sheet, -1), i.row))
        plan = ImportPlan(path, col_map, headers, header_row, plan_rows, issues + found,
                          checker.skipped, sorted(checker.new_units), choice.names)
    return plan


def _checked(book: LedgerBook, choice: SheetChoice, checker: RowChecker,
             batch: int) -> Iterator[tuple[int, int | None, list[ImportRow]]]:
    """(rows read so far, rows in all, the checked rows of the last ``batch``) of every chosen sheet."""
    done, total, rows = 0, choice.total_rows, []
    for sheet, label, header_index in zip(choice.sheets, choice.labels, choice.header_rows, strict=True):
        checker.sheet = label
        for n, cells in book.rows(sheet):
            if n <= header_index:
                continue
            done += 1
            if not all(blank(c) for c in cells):
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

    The plan's mapping is saved as a profile in the same transaction
    (``profiles.profile_name``): under ``profile`` if given, else under
    ``used_profile`` (the profile the plan was made with), else when the
    mapping holds anything the desk does not recognise by itself;
    ``plan.saved_profile`` then names it.
    """
    if not plan.ok:
        raise ValidationFailed(f"导入文件有 {len(plan.errors)} 处错误，请修正后重新检查；数据库未作任何改动。")
    today = today or date.today()
    total = len(plan.rows)
    yield Progress(0, total, f"正在导入 {plan.path.name}…")
    with db.write() as session:
        writer = LedgerWriter(session, actor, today, plan.path.name)
        for i, row in enumerate(plan.rows, start=1):
            writer.add(row)
            if i % batch == 0:
                writer.flush()
                yield Progress(i, total, f"已导入 {i:,} / {total:,} 件")
        writer.finish()
        columns = profiles.columns_of(plan.headers, plan.mapping)
        name = profiles.profile_name(session, requested=profile, used=used_profile, headers=plan.headers,
                                     columns=columns, values=plan.values, file_name=plan.path.name)
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
