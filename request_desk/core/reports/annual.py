"""The statutory annual report table (政府信息公开工作年度报告, 2021 format).

Rows and columns are those of table 三 of the official format (docs/domain.md,
"Annual report"; the outcome codes in "Outcomes"): 一 本年新收, 二 上年结转, 三 every outcome code and (七) 总计,
四 结转下年度继续办理; columns 自然人, the five organisation types, 总计.
The reconsideration/litigation table (表四) comes from ``RemedyCase``.

Definitions, for year Y with D = 31 December Y. A request is *answered by a
day* when it has an outcome code and a reply date on or before that day.

* new (一): received in Y;
* carried_in (二): received before Y and not answered by 31 December Y−1;
* outcome rows (三): answered in Y, i.e. reply date in Y, by outcome code
  (a partial disclosure has code 2 and so counts only in row 2);
* total (三(七)): the sum of the outcome rows;
* carried_out (四): received by D and not answered by D.

So 一 + 二 = 三(七) + 四 in every column, whenever the records are
consistent; ``check`` verifies it before anything is exported and names the
column that fails (a reply dated before its receipt, an outcome code outside
the official list, an applicant type outside the columns …).

Every count is a ``GROUP BY`` in SQL; ``cell_request_ids`` returns, a page at
a time, the requests behind any cell, with the same conditions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlmodel import Session

from request_desk.core.errors import ValidationFailed
from request_desk.core.storage.models import RemedyCase, Request, table_of
from request_desk.core.vocab import OUTCOMES, ApplicantType, RemedyKind, RemedyResult

R = table_of(Request).c
RC = table_of(RemedyCase).c

OUTCOME_ROWS: tuple[str, ...] = tuple(o.code for o in OUTCOMES)
ROW_KEYS: tuple[str, ...] = ("new", "carried_in", *OUTCOME_ROWS, "total", "carried_out")
TYPE_COLUMNS: tuple[str, ...] = tuple(t.value for t in ApplicantType)
COLUMN_KEYS: tuple[str, ...] = (*TYPE_COLUMNS, "total")

COLUMN_LABELS: dict[str, str] = {**{t.value: t.label for t in ApplicantType}, "total": "总计"}

#: Remedy table: (kind, results) in the order of the official table.
REMEDY_KINDS: tuple[str, ...] = tuple(k.value for k in RemedyKind)
REMEDY_COLUMNS: tuple[str, ...] = (*(r.value for r in RemedyResult), "total")
REMEDY_COLUMN_LABELS: dict[str, str] = {**{r.value: r.label for r in RemedyResult}, "total": "总计"}
REMEDY_KIND_LABELS: dict[str, str] = {
    RemedyKind.RECONSIDERATION.value: "行政复议",
    RemedyKind.LITIGATION_DIRECT.value: "未经复议直接起诉",
    RemedyKind.LITIGATION_AFTER_RECONSIDERATION.value: "复议后起诉",
}


@dataclass(frozen=True)
class RowSpec:
    """One row of the official table as printed: its key, number and label."""

    key: str
    number: str  # "一、", "（一）", "1." … as printed in the first columns
    label: str
    level: int  # 0: 一/二/三/四, 1: (一)…(七), 2: 3.1 … 6.3


def row_specs() -> tuple[RowSpec, ...]:
    """The printed rows, including the group headings of 三 (which have no numbers)."""
    groups = {"3": "（三）不予公开", "4": "（四）无法提供", "5": "（五）不予处理", "6": "（六）其他处理"}
    specs: list[RowSpec] = [
        RowSpec("new", "一、", "本年新收政府信息公开申请数量", 0),
        RowSpec("carried_in", "二、", "上年结转政府信息公开申请数量", 0),
        RowSpec("heading:results", "三、", "本年度办理结果", 0),
        RowSpec("1", "（一）", "予以公开", 1),
        RowSpec("2", "（二）", "部分公开（区分处理的，只计这一情形，不计其他情形）", 1),
    ]
    seen: set[str] = set()
    for o in OUTCOMES:
        if o.group in groups and o.group not in seen:
            seen.add(o.group)
            specs.append(RowSpec(f"heading:{o.group}", groups[o.group][:3], groups[o.group][3:], 1))
        if o.group in groups:
            specs.append(RowSpec(o.code, f"{o.code.split('.')[1]}.", o.label, 2))
    specs.append(RowSpec("total", "（七）", "总计", 1))
    specs.append(RowSpec("carried_out", "四、", "结转下年度继续办理", 0))
    return tuple(specs)


ROW_LABELS: dict[str, str] = {s.key: s.number + s.label for s in row_specs() if not s.key.startswith("heading:")}


class ReportCheckFailed(ValidationFailed):
    """The table's own check (一 + 二 = 三(七) + 四) fails; ``problems`` lists each.

    The problems are sentences about columns of the table, not about input
    fields, so they are kept apart from ``ValidationFailed.issues`` (which
    stays empty).
    """

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class AnnualReport:
    """The figures of one year; ``table[row][column]`` and ``remedies[kind][column]``."""

    year: int
    table: dict[str, dict[str, int]]
    remedies: dict[str, dict[str, int]]
    unknown: dict[str, int] = field(default_factory=dict)  # uncountable records, by reason

    def problems(self) -> list[str]:
        """Every failure of the table's check, in Chinese, naming the column."""
        out: list[str] = []
        for col in COLUMN_KEYS:
            t = {row: self.table[row][col] for row in ROW_KEYS}
            left, right = t["new"] + t["carried_in"], t["total"] + t["carried_out"]
            if left != right:
                out.append(
                    f"“{COLUMN_LABELS[col]}”栏不平衡：本年新收 {t['new']} + 上年结转 {t['carried_in']} = {left}，"
                    f"而办理结果总计 {t['total']} + 结转下年度 {t['carried_out']} = {right}。"
                )
        for reason, n in self.unknown.items():
            out.append(f"有 {n} 件申请{reason}，无法计入年报。")
        return out

    def check(self) -> None:
        """Raise ``ReportCheckFailed`` unless 一 + 二 = 三(七) + 四 holds in every column."""
        problems = self.problems()
        if problems:
            raise ReportCheckFailed(
                f"{self.year}年度报告统计表校验未通过，请先核对数据：" + "；".join(problems), problems
            )

    def to_json_dict(self) -> dict[str, Any]:
        """``{"year": 2026, "table": {ROW: {COLUMN: n}}, "remedies": {KIND: {COLUMN: n}}}``."""
        return {
            "year": self.year,
            "table": {row: dict(self.table[row]) for row in ROW_KEYS},
            "remedies": {kind: dict(self.remedies[kind]) for kind in REMEDY_KINDS},
        }


# --------------------------------------------------------------------------
# Conditions (shared by the counts and the drill-down)
# --------------------------------------------------------------------------


def _answered_by(day: date) -> ColumnElement[bool]:
    return and_(R.outcome_code.is_not(None), R.reply_date.is_not(None), R.reply_date <= day)


def _not_answered_by(day: date) -> ColumnElement[bool]:
    return or_(R.outcome_code.is_(None), R.reply_date.is_(None), R.reply_date > day)


def row_condition(year: int, row: str) -> ColumnElement[bool]:
    """The SQL condition that puts a request into ``row`` of ``year``'s table."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    before = date(year - 1, 12, 31)
    if row == "new":
        return and_(R.received_date >= start, R.received_date <= end)
    if row == "carried_in":
        return and_(R.received_date < start, _not_answered_by(before))
    if row == "carried_out":
        return and_(R.received_date <= end, _not_answered_by(end))
    answered = and_(R.outcome_code.is_not(None), R.reply_date >= start, R.reply_date <= end)
    if row == "total":
        return and_(answered, R.outcome_code.in_(OUTCOME_ROWS))
    if row in OUTCOME_ROWS:
        return and_(answered, R.outcome_code == row)
    raise ValueError(f"unknown annual report row {row!r}")


def _count_conditions(year: int, row: str) -> list[ColumnElement[bool]]:
    """``row_condition`` as disjoint parts that indexes answer without reading the table.

    "Not answered by day D" is *still open* (no outcome or no reply date: a
    few thousand requests, found through ``ix_request_outcome`` and
    ``ix_request_reply``) or *answered after D* (a range of
    ``ix_request_reply``, which also holds applicant type and receipt date).
    As one OR it walked every request received before D: 0.7–0.8 s each for
    carried-in and carried-out at a million requests.
    """
    if row not in ("carried_in", "carried_out"):
        return [row_condition(year, row)]
    received = (R.received_date < date(year, 1, 1) if row == "carried_in"
                else R.received_date <= date(year, 12, 31))
    day = date(year - 1, 12, 31) if row == "carried_in" else date(year, 12, 31)
    still_open = or_(R.outcome_code.is_(None), R.reply_date.is_(None))
    answered_later = and_(R.outcome_code.is_not(None), R.reply_date > day)
    return [and_(received, still_open), and_(received, answered_later)]


def _column_condition(column: str) -> ColumnElement[bool] | None:
    if column == "total":
        return None
    if column not in TYPE_COLUMNS:
        raise ValueError(f"unknown annual report column {column!r}")
    return R.applicant_type == column


# --------------------------------------------------------------------------
# Computing the table
# --------------------------------------------------------------------------


def _empty() -> dict[str, dict[str, int]]:
    return {row: dict.fromkeys(COLUMN_KEYS, 0) for row in ROW_KEYS}


def compute(session: Session, year: int) -> AnnualReport:
    """Count every cell of ``year``'s table in SQL (one GROUP BY per row kind)."""
    table = _empty()
    unknown: dict[str, int] = {}

    def add(row: str, kind: str, n: int) -> None:
        if kind in TYPE_COLUMNS:
            table[row][kind] += n
        elif row in ("new", "carried_in"):  # each request of the year's population once
            reason = f"的申请人类型为“{kind}”，不属于年报的申请人栏目"
            unknown[reason] = unknown.get(reason, 0) + n
        table[row]["total"] += n

    for row in ("new", "carried_in", "carried_out"):
        for cond in _count_conditions(year, row):
            stmt = select(R.applicant_type, func.count()).where(cond).group_by(R.applicant_type)
            for kind, n in session.execute(stmt):
                add(row, kind, n)

    start, end = date(year, 1, 1), date(year, 12, 31)
    stmt = (
        select(R.outcome_code, R.applicant_type, func.count())
        .where(R.outcome_code.is_not(None), R.reply_date >= start, R.reply_date <= end)
        .group_by(R.outcome_code, R.applicant_type)
    )
    for code, kind, n in session.execute(stmt):
        if code in OUTCOME_ROWS:
            add(code, kind, n)
            add("total", kind, n)
        else:
            reason = f"的办理结果代码为“{code}”，不是年报规定的办理结果"
            unknown[reason] = unknown.get(reason, 0) + n
    return AnnualReport(year=year, table=table, remedies=compute_remedies(session, year), unknown=unknown)


def compute_remedies(session: Session, year: int) -> dict[str, dict[str, int]]:
    """The reconsideration/litigation table: remedies filed in ``year``, results as of 31 December.

    A result decided after the year's end (or not yet recorded) counts as 尚未审结.
    """
    return remedies_filed(session, date(year, 1, 1), date(year, 12, 31))


def remedies_filed(session: Session, first: date, last: date) -> dict[str, dict[str, int]]:
    """``compute_remedies`` for any period: filed from ``first`` to ``last``, results as of ``last``."""
    out = {kind: dict.fromkeys(REMEDY_COLUMNS, 0) for kind in REMEDY_KINDS}
    # Grouped in an outer query: PostgreSQL does not take two renderings of the
    # CASE (each with its own parameters) for the same expression.
    filed = (select(RC.kind, _remedy_result_as_of(last).label("result"))
             .where(RC.filed_date >= first, RC.filed_date <= last).subquery())
    stmt = select(filed.c.kind, filed.c.result, func.count()).group_by(filed.c.kind, filed.c.result)
    for kind, result, n in session.execute(stmt):
        if kind in out:
            out[kind][result] += n
            out[kind]["total"] += n
    return out


def _remedy_result_as_of(end: date) -> Any:
    return case(
        (or_(RC.result_date.is_(None), RC.result_date > end), RemedyResult.PENDING.value),
        else_=RC.result,
    )


def annual_report(db: Any, year: int) -> AnnualReport:
    """Compute ``year``'s report in one read transaction (a consistent snapshot)."""
    with db.read() as session:
        return compute(session, year)


# --------------------------------------------------------------------------
# Tracing a cell back to its requests
# --------------------------------------------------------------------------


def _cell_where(year: int, row: str, column: str) -> ColumnElement[bool]:
    cond = row_condition(year, row)
    col_cond = _column_condition(column)
    return cond if col_cond is None else and_(cond, col_cond)


def cell_count(session: Session, year: int, row: str, column: str) -> int:
    return int(session.execute(select(func.count()).where(_cell_where(year, row, column))).scalar_one())


def cell_request_ids(session: Session, year: int, row: str, column: str, *,
                     after_id: int = 0, limit: int = 200) -> list[int]:
    """Ids of the requests behind one cell, in id order, a page at a time (keyset: ``after_id``)."""
    stmt = (
        select(R.id).where(_cell_where(year, row, column), R.id > after_id)
        .order_by(R.id).limit(limit)
    )
    return list(session.execute(stmt).scalars())


@dataclass(frozen=True)
class CellRequest:
    """One request behind a cell, as listed in the drill-down."""

    id: int
    reg_number: str
    received_date: date
    applicant_type: str
    applicant_name: str
    outcome_code: str | None
    reply_date: date | None
    status: str


def cell_requests(session: Session, year: int, row: str, column: str, *,
                  after_id: int = 0, limit: int = 200) -> list[CellRequest]:
    """Like ``cell_request_ids`` with the fields the drill-down list shows."""
    stmt = (
        select(R.id, R.reg_number, R.received_date, R.applicant_type, R.applicant_name,
               R.outcome_code, R.reply_date, R.status)
        .where(_cell_where(year, row, column), R.id > after_id)
        .order_by(R.id).limit(limit)
    )
    return [CellRequest(**r._asdict()) for r in session.execute(stmt)]


def requests_behind_cell(db: Any, year: int, row: str, column: str, *,
                         after_id: int = 0, limit: int = 200) -> list[CellRequest]:
    """``cell_requests`` in its own read transaction (the drill-down list of the 年度报告 tab)."""
    with db.read() as session:
        return cell_requests(session, year, row, column, after_id=after_id, limit=limit)


def remedy_request_ids(session: Session, year: int, kind: str, column: str, *,
                       after_id: int = 0, limit: int = 200) -> list[int]:
    """Ids of the requests behind one cell of the remedy table (a request may have several remedies)."""
    end = date(year, 12, 31)
    cond = [RC.kind == kind, RC.filed_date >= date(year, 1, 1), RC.filed_date <= end, RC.request_id > after_id]
    if column != "total":
        cond.append(_remedy_result_as_of(end) == column)
    stmt = select(RC.request_id).where(*cond).group_by(RC.request_id).order_by(RC.request_id).limit(limit)
    return list(session.execute(stmt).scalars())


def total_check_rows(report: AnnualReport) -> Sequence[tuple[str, int, int]]:
    """(column, 一+二, 三(七)+四) per column, for showing the check beside the table."""
    return [
        (c, report.table["new"][c] + report.table["carried_in"][c],
         report.table["total"][c] + report.table["carried_out"][c])
        for c in COLUMN_KEYS
    ]
