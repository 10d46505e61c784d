"""Quality figures of a month or a year (办理质量): how well requests were answered, not only how many.

For the replies dated in the period (replies only: a withdrawal or a deemed
withdrawal met no deadline; docs/domain.md, "Quality figures"):

* on-time rate: replies made by their legal deadline, of all replies;
* working days used, from receipt (or the supplement) to the reply with the
  counted pauses left out (``Request.workdays_used``): the average and the
  90th percentile by nearest rank, the fewest days within which at least 90 %
  of the replies were made;
* replies 4.1 (本机关不掌握相关政府信息) and how many have a search record, the
  evidence a court asks for (docs/domain.md, "Search record");
* reconsiderations and suits filed in the period, by result as of its last day
  (as the annual report's table counts them).

Each figure is one aggregate in SQL: the working days are grouped by value
(a few dozen rows, whatever the number of replies), so the percentile needs
no list of replies in Python. ``narrative`` drafts the paragraph of the annual
report's text about them (第五十条), for the clerk to edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, exists, func, select
from sqlmodel import Session

from request_desk.core.reports.annual import REMEDY_KINDS, remedies_filed
from request_desk.core.reports.common import Month
from request_desk.core.storage.models import Request, SearchRecord, table_of
from request_desk.core.vocab import OutcomeCode, RemedyKind, RemedyResult

R = table_of(Request).c
SR = table_of(SearchRecord).c

PERCENTILE = 90


@dataclass(frozen=True)
class Period:
    """A month or a year of replies."""

    first: date
    last: date
    label: str  # "2026年11月", "2026年度"
    key: str  # "2026-11", "2026"

    @classmethod
    def of_month(cls, month: Month) -> Period:
        return cls(month.first, month.last, month.label, month.key)

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), f"{year}年度", f"{year:04d}")


@dataclass(frozen=True)
class QualityFigures:
    period: Period
    replies: int
    on_time: int
    measured: int  # replies with their working days stored (all, once revision 0018 has run)
    average_workdays: float | None
    p90_workdays: int | None
    not_held: int  # replies 4.1
    not_held_searched: int  # … with at least one search record
    remedies: dict[str, dict[str, int]]  # kind -> result column -> count, as annual.remedies_filed

    @property
    def late(self) -> int:
        return self.replies - self.on_time

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.replies if self.replies else None

    @property
    def search_share(self) -> float | None:
        return self.not_held_searched / self.not_held if self.not_held else None

    def remedy_count(self, kind: str, column: str = "total") -> int:
        return self.remedies[kind][column]

    @property
    def corrected_rate(self) -> float | None:
        """Of the remedies decided, the share whose result corrected the reply (被纠错率)."""
        decided = sum(self.remedies[k]["total"] - self.remedies[k][RemedyResult.PENDING.value] for k in REMEDY_KINDS)
        corrected = sum(self.remedies[k][RemedyResult.CORRECTED.value] for k in REMEDY_KINDS)
        return corrected / decided if decided else None

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "period": self.period.key, "first": self.period.first.isoformat(), "last": self.period.last.isoformat(),
            "replies": self.replies, "on_time": self.on_time, "late": self.late,
            "on_time_rate": _rounded(self.on_time_rate, 4),
            "workdays_used": {"measured": self.measured, "average": _rounded(self.average_workdays, 1),
                              f"p{PERCENTILE}": self.p90_workdays},
            "not_held": {"replies": self.not_held, "with_search_record": self.not_held_searched,
                         "share": _rounded(self.search_share, 4)},
            "remedies": {kind: dict(self.remedies[kind]) for kind in REMEDY_KINDS},
            "corrected_rate": _rounded(self.corrected_rate, 4),
        }


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def nearest_rank(histogram: list[tuple[int, int]], percent: int) -> int | None:
    """The ``percent``-th percentile by nearest rank of values given as sorted (value, count) pairs."""
    total = sum(n for _, n in histogram)
    if not total:
        return None
    rank = -(-total * percent // 100)  # ceil: the smallest value with at least percent % at or below it
    seen = 0
    for value, n in histogram:
        seen += n
        if seen >= rank:
            return value
    raise AssertionError("unreachable: the counts add up to the total")


def compute(session: Session, period: Period) -> QualityFigures:
    """The period's figures, three aggregates and the remedy table's GROUP BY."""
    replied = (R.replied_on_time.is_not(None), R.reply_date >= period.first, R.reply_date <= period.last)
    replies = on_time = 0
    histogram: list[tuple[int, int]] = []
    for used, punctual, n in session.execute(
        select(R.workdays_used, R.replied_on_time, func.count()).where(*replied)
        .group_by(R.workdays_used, R.replied_on_time).order_by(R.workdays_used)
    ):
        replies += n
        on_time += n if punctual else 0
        if used is not None:
            if histogram and histogram[-1][0] == used:
                histogram[-1] = (used, histogram[-1][1] + n)
            else:
                histogram.append((used, n))
    measured = sum(n for _, n in histogram)
    average = sum(v * n for v, n in histogram) / measured if measured else None

    searched = exists().where(SR.request_id == R.id)
    not_held, not_held_searched = session.execute(
        select(func.count(), func.coalesce(func.sum(case((searched, 1), else_=0)), 0))
        .where(*replied, R.outcome_code == OutcomeCode.NOT_HELD.value)
    ).one()
    return QualityFigures(
        period=period, replies=replies, on_time=on_time, measured=measured, average_workdays=average,
        p90_workdays=nearest_rank(histogram, PERCENTILE), not_held=int(not_held),
        not_held_searched=int(not_held_searched), remedies=remedies_filed(session, period.first, period.last),
    )


def quality_figures(db: Any, period: Period) -> QualityFigures:
    """``compute`` in its own read transaction (the 报表 page's job, the command line)."""
    with db.read() as session:
        return compute(session, period)


def _percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def _remedy_text(f: QualityFigures, kinds: tuple[str, ...]) -> str:
    total = sum(f.remedy_count(k) for k in kinds)
    if not total:
        return "0 件"
    results = "、".join(f"{RemedyResult(col).label} {sum(f.remedy_count(k, col) for k in kinds)}"
                        for col in (r.value for r in RemedyResult))
    return f"{total} 件（{results}）"


def figure_lines(f: QualityFigures) -> list[tuple[str, str]]:
    """The figures as the 报表 page and the command line list them: (指标, 数值)."""
    none = "—"
    lines = [
        ("统计期间", f"{f.period.first.isoformat()} 至 {f.period.last.isoformat()}（按答复日期）"),
        ("答复件数", f"{f.replies} 件"),
        ("按期答复", f"{f.on_time} 件（{_percent(f.on_time_rate)}）" if f.on_time_rate is not None else "0 件"),
        ("逾期答复", f"{f.late} 件"),
        ("平均用时（扣除暂停）", f"{f.average_workdays:.1f} 个工作日" if f.average_workdays is not None else none),
        (f"{PERCENTILE}%的答复用时不超过", f"{f.p90_workdays} 个工作日" if f.p90_workdays is not None else none),
    ]
    if f.measured < f.replies:
        lines.append(("未计用时的答复", f"{f.replies - f.measured} 件"))
    lines += [
        ("以“本机关不掌握相关政府信息”答复（4.1）", f"{f.not_held} 件"),
        ("其中留存检索记录", f"{f.not_held_searched} 件（{_percent(f.search_share)}）"
         if f.search_share is not None else none),
        ("行政复议（本期提起）", _remedy_text(f, (RemedyKind.RECONSIDERATION.value,))),
        ("行政诉讼（本期提起）", _remedy_text(f, (RemedyKind.LITIGATION_DIRECT.value,
                                            RemedyKind.LITIGATION_AFTER_RECONSIDERATION.value))),
        ("被纠错率（已审结的复议、诉讼）", _percent(f.corrected_rate) if f.corrected_rate is not None else none),
    ]
    return lines


def narrative(f: QualityFigures) -> str:
    """A draft of the annual report's paragraph on the quality of the replies, in the report's plain style."""
    parts: list[str] = []
    if not f.replies:
        parts.append(f"{f.period.label}，本机关未作出政府信息公开申请答复。")
    else:
        rate = f.on_time_rate or 0.0
        text = (f"{f.period.label}，本机关共答复政府信息公开申请{f.replies}件，其中在法定期限内答复{f.on_time}件，"
                f"按期答复率{_percent(rate)}")
        text += f"，逾期答复{f.late}件。" if f.late else "。"
        if f.average_workdays is not None and f.p90_workdays is not None:
            text += (f"自收到申请（或补正）之日起、扣除依法不计入答复期限的时间计算，平均每件用时"
                     f"{f.average_workdays:.1f}个工作日，90%的申请在{f.p90_workdays}个工作日内答复。")
        parts.append(text)
    if f.not_held:
        text = f"以“本机关不掌握相关政府信息”答复{f.not_held}件，"
        if f.not_held_searched == f.not_held:
            text += "均留存了检索记录。"
        else:
            text += (f"其中{f.not_held_searched}件留存了检索记录（占{_percent(f.search_share or 0.0)}），"
                     f"{f.not_held - f.not_held_searched}件未记录检索情况，"
                     "今后以此答复前均应记录检索的系统、档案和关键词。")
        parts.append(text)
    parts.append(_remedy_sentence(f))
    return "".join(parts)


def _remedy_sentence(f: QualityFigures) -> str:
    reconsidered = f.remedy_count(RemedyKind.RECONSIDERATION.value)
    sued = (f.remedy_count(RemedyKind.LITIGATION_DIRECT.value)
            + f.remedy_count(RemedyKind.LITIGATION_AFTER_RECONSIDERATION.value))
    if not reconsidered and not sued:
        return "未发生因政府信息公开申请引发的行政复议、行政诉讼。"
    counts = {col: sum(f.remedy_count(k, col) for k in REMEDY_KINDS) for col in
              (RemedyResult.UPHELD.value, RemedyResult.CORRECTED.value, RemedyResult.OTHER.value,
               RemedyResult.PENDING.value)}
    filed = [f"{what}{n}件" for what, n in (("被申请行政复议", reconsidered), ("被提起行政诉讼", sued)) if n]
    text = "因政府信息公开申请" + "、".join(filed)
    decided = [f"{RemedyResult(col).label}{n}件" for col, n in counts.items()
               if n and col != RemedyResult.PENDING.value]
    if decided:
        text += "，" + "、".join(decided)
    if counts[RemedyResult.PENDING.value]:
        text += f"，尚未审结{counts[RemedyResult.PENDING.value]}件"
    text += "。"
    if f.corrected_rate is not None and counts[RemedyResult.CORRECTED.value]:
        text += f"已审结案件中被纠错率{_percent(f.corrected_rate)}，须逐件分析纠错原因、改进答复工作。"
    return text
