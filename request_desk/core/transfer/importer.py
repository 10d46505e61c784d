"""Bringing an existing Excel/CSV register (历史台账) into Request Desk.

Two steps, as the clerk sees them:

1. ``plan_import`` reads the file (XLSX or CSV, UTF-8 or GB18030), finds the
   header row (title rows, merged cells and blank lines are skipped), maps the
   columns (``template.FIELDS``, or the user's mapping for headers that
   differ), parses every value and checks every row. Nothing is written; the
   plan lists every problem with row number, column and a Chinese message.
2. ``import_plan`` — a job (``core.jobs.Job``) — writes the plan in **one
   transaction**: every request with its clock (computed by the legal clock),
   timeline events, pauses, extension, assignment, satisfaction call and one
   audit entry. A plan with errors is refused; a failure or cancellation part
   way rolls everything back, so the database is exactly as before.

Importing the same file again adds nothing twice: a row whose registration
number (or, without one, whose receipt date, applicant and description)
already exists is skipped and reported.

The work is split by what it looks at: ``ledger_file`` reads the file and
finds the header row, ``ledger_rows`` parses and checks each row,
``ledger_writer`` writes a row into the transaction. This module maps the
columns and ties the steps together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from request_desk.core.errors import ValidationFailed
from request_desk.core.jobs import Job, Progress
from request_desk.core.storage.audit import audit
from request_desk.core.storage.models import Request
from request_desk.core.transfer.ledger_file import (
    HEADER_SCAN_ROWS,
    blank,
    check_zip_members,
    find_header,
    read_rows,
)
from request_desk.core.transfer.ledger_rows import ImportIssue, ImportRow, RowChecker
from request_desk.core.transfer.ledger_writer import IMPORT_ACTOR_NOTE, LedgerWriter
from request_desk.core.transfer.template import FIELDS, FIELDS_BY_KEY, HEADER_INDEX, normalise_header

__all__ = ["IGNORED_HEADERS", "IMPORT_ACTOR_NOTE", "ImportIssue", "ImportPlan", "ImportRow", "check_zip_members",
           "count_requests", "import_plan", "plan_import"]

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

    @property
    def errors(self) -> list[ImportIssue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        lines = [f"可导入 {len(self.rows)} 件，已存在跳过 {self.skipped} 件，错误 {len(self.errors)} 处，"
                 f"提示 {sum(i.severity == 'warning' for i in self.issues)} 处。"]
        if self.new_units:
            lines.append("将新建承办单位：" + "、".join(self.new_units))
        return "\n".join(lines)


def plan_import(db: Any, path: Path | str, *, mapping: Mapping[str, str] | None = None,
                today: date | None = None) -> ImportPlan:
    """Read and check ``path`` without writing anything.

    ``mapping`` maps a header of the file to a field key of ``FIELDS`` (or to
    "" to ignore that column), for ledgers whose headers differ.
    """
    path = Path(path)
    today = today or date.today()
    user = {normalise_header(k): v for k, v in (mapping or {}).items()}
    all_rows = list(read_rows(path))
    h = find_header(all_rows, mapping or {})
    if h is None:
        raise ValidationFailed(
            f"{path.name} 的前{HEADER_SCAN_ROWS}行中没有找到列名行：请使用本软件导出的导入模板，"
            "或在“列对应”中指定各列的含义。")
    header_row, header_cells = all_rows[h]
    headers = ["" if blank(c) else str(c).strip() for c in header_cells]
    issues: list[ImportIssue] = []
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
        return ImportPlan(path, col_map, headers, header_row, [], issues)

    with db.read() as session:
        checker = RowChecker(session, col_map, headers, today)
        plan_rows: list[ImportRow] = []
        for n, cells in all_rows[h + 1:]:
            if all(blank(c) for c in cells):
                continue
            parsed = checker.check(n, cells)
            if parsed is not None:
                plan_rows.append(parsed)
        plan = ImportPlan(path, col_map, headers, header_row, plan_rows, issues + checker.issues,
                          checker.skipped, sorted(checker.new_units))
    return plan


def import_plan(db: Any, plan: ImportPlan, actor: str, *, today: date | None = None,
                batch: int = 200) -> Job[int]:
    """Write a checked plan in one transaction; yields progress; returns the number of requests added."""
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
                session.flush()
                yield Progress(i, total, f"已导入 {i:,} / {total:,} 件")
        audit(session, actor, "import_file", "request", None, None,
              {"file": plan.path.name, "rows": total, "skipped": plan.skipped, "units_created": writer.created_units})
        yield Progress(total, total, "正在提交…")
    return total


def count_requests(db: Any) -> int:
    with db.read() as session:
        return int(session.execute(select(func.count()).select_from(Request)).scalar_one())
