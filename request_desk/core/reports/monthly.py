"""The monthly register (月度登记台账): what a month's paper register lists.

Three sections, each streamed from SQL in batches of ``BATCH`` rows (keyset
paging, one read transaction, so a register is a consistent snapshot and
never holds a table in memory):

1. ``received``  — every request received in the month;
2. ``open``      — every request still open at the month's end;
3. ``answered``  — every request answered (replied, withdrawn or deemed
   withdrawn) in the month.

Everything is stated *as of the last day of the month*: a reply, delivery or
phone call after that day is not shown, so printing October's register in
December gives the paper that was filed in November. Later changes to a
locked month appear as amendments (``period_lock``).

法定答复期限 is the stored due date (the services keep it current with the
legal clock: extension, pauses, supplement); the annotation says what moved
it. 实际用时 is the working days from the start of the period (receipt or
supplement) to the reply, minus paused working days (docs/domain.md, "The legal clock").
ID numbers and phones are masked unless ``full_personal_data``, in their
columns and, where typed into 申请内容 or 备注, in the free text too
(``masking.mask_free_text``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, tuple_
from sqlmodel import Session

from request_desk.core.deadlines.case_clock import OfficeClock, office_clock
from request_desk.core.deadlines.consultation import consultation_deadline
from request_desk.core.deadlines.workcalendar import WorkCalendar
from request_desk.core.masking import mask_free_text, mask_id_number, mask_phone
from request_desk.core.reports.common import BATCH, Month
from request_desk.core.storage.models import Extension, HandlingUnit, Pause, Request, SatisfactionCall, table_of
from request_desk.core.vocab import (
    APPLICANT_TYPE_LABELS,
    CHANNEL_LABELS,
    DEEMED_WITHDRAWN_OUTCOMES,
    DISCLOSING_OUTCOMES,
    OUTCOME_GROUPS,
    OUTCOMES_BY_CODE,
    ApplicantType,
    Channel,
    PauseKind,
    Satisfaction,
    Status,
)

R = table_of(Request).c
U = table_of(HandlingUnit).c
P = table_of(Pause).c
X = table_of(Extension).c
S = table_of(SatisfactionCall).c


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: float  # Excel character units; the PDF scales them to the page


COLUMNS: tuple[Column, ...] = (
    Column("no", "序号", 5),
    Column("reg_number", "登记编号", 12),
    Column("received", "收到日期", 11),
    Column("channel", "收到方式", 9),
    Column("applicant_type", "申请人类型", 9),
    Column("applicant", "申请人", 14),
    Column("id_number", "证件号码", 20),
    Column("phone", "联系电话", 14),
    Column("description", "申请内容", 34),
    Column("unit", "承办单位", 16),
    Column("due", "法定答复期限", 15),
    Column("reply", "答复日期", 11),
    Column("on_time", "是否按期", 8),
    Column("workdays_used", "实际用时（工作日）", 9),
    Column("outcome", "办理结果", 18),
    Column("delivery", "送达", 14),
    Column("satisfaction", "回访满意度", 9),
    Column("note", "备注", 18),
)
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
_SATISFACTION_LABELS = {s.value: s.label for s in Satisfaction}


class Section(StrEnum):
    RECEIVED = "received"
    OPEN = "open"
    ANSWERED = "answered"

    @property
    def heading(self) -> str:
        # Not ``title``: that is str.title(), which a StrEnum member must keep.
        return {"received": "一、本月收到的申请", "open": "二、月末尚未办结的申请",
                "answered": "三、本月办结的申请"}[self.value]

    @property
    def short(self) -> str:
        return {"received": "本月收到", "open": "月末未办结", "answered": "本月办结"}[self.value]


SECTIONS: tuple[Section, ...] = tuple(Section)


@dataclass(frozen=True)
class RegisterRow:
    """One line of the register; ``values`` follow ``COLUMNS`` (dates as ``date``)."""

    request_id: int
    values: tuple[Any, ...]
    overdue: bool  # replied late, or still open past its due date at month end

    def text(self, key: str) -> str:
        v = self.values[COLUMN_INDEX[key]]
        if v is None:
            return ""
        return v.isoformat() if isinstance(v, date) else str(v)


def _answered_by(day: date) -> ColumnElement[bool]:
    return and_(R.outcome_code.is_not(None), R.reply_date.is_not(None), R.reply_date <= day)


def section_condition(section: Section | str, month: Month) -> ColumnElement[bool]:
    section = Section(section)
    first, last = month.first, month.last
    if section is Section.RECEIVED:
        return and_(R.received_date >= first, R.received_date <= last)
    if section is Section.OPEN:
        # Still open, or answered after the month: each part is an index range
        # (SQLite's multi-index OR), so no request answered long ago is read.
        return and_(R.received_date <= last,
                    or_(R.outcome_code.is_(None), R.reply_date.is_(None),
                        and_(R.outcome_code.is_not(None), R.reply_date > last)))
    return and_(R.outcome_code.is_not(None), R.reply_date >= first, R.reply_date <= last)


def _order(section: Section) -> tuple[Any, Any]:
    return (R.reply_date, R.id) if section is Section.ANSWERED else (R.received_date, R.id)


def count(session: Session, section: Section | str, month: Month) -> int:
    return int(session.execute(select(func.count()).where(section_condition(section, month))).scalar_one())


# ``_Formatter.row`` unpacks a row in this order.
_SELECT = (R.id, R.reg_number, R.received_date, R.channel, R.applicant_type, R.applicant_name,
           R.id_type, R.id_number, R.credit_code, R.phone, R.description, R.status, R.outcome_code,
           R.supplement_notice_date, R.supplemented_date, R.reply_date, R.due_date, R.due_provisional,
           R.later_date, R.delivered_date, R.delivery_channel, R.note, U.name.label("unit_name"))


def stream(session: Session, section: Section | str, month: Month, *, full_personal_data: bool = False,
           batch: int = BATCH) -> Iterator[list[RegisterRow]]:
    """Yield the section's rows in batches, numbered 1, 2, 3 … in register order."""
    section = Section(section)
    # The register's own calendar and fee rule: the same the legal clock uses.
    clock = office_clock(session, month.last)
    fmt = _Formatter(clock.calendar, month, clock.rules.exclude_fee_pauses, full_personal_data)
    key_cols = _order(section)
    cond = section_condition(section, month)
    last: tuple[Any, Any] | None = None
    number = 0
    # Open at the month's end: the keys first, through the indexes of the
    # condition, sorted here. Walking the receipt-date index in register order
    # instead read every request ever answered: 2–5 s at a million.
    open_keys = (sorted(tuple(k) for k in session.execute(select(R.received_date, R.id).where(cond)))
                 if section is Section.OPEN else None)
    while True:
        stmt = select(*_SELECT).select_from(table_of(Request).outerjoin(
            table_of(HandlingUnit), U.id == R.current_unit_id))
        if open_keys is not None:
            chunk = [i for _, i in open_keys[number:number + batch]]
            stmt = stmt.where(R.id.in_(chunk))
        else:
            stmt = stmt.where(cond)
            if last is not None:
                stmt = stmt.where(tuple_(*key_cols) > tuple_(*last))
        rows = session.execute(stmt.order_by(*key_cols).limit(batch)).all()
        if not rows:
            return
        ids = [r.id for r in rows]
        facts = _batch_facts(session, ids, month, clock)
        out = []
        for r in rows:
            number += 1
            out.append(fmt.row(number, r, facts))
        yield out
        tail = rows[-1]
        last = (tail.reply_date if section is Section.ANSWERED else tail.received_date, tail.id)


# A pause as the register needs it: kind, start, end (None if open at the month's end),
# and a consultation's own deadline, beyond which it removes no day (docs/domain.md, "Pauses").
_Pause = tuple[str, date, date | None, date | None]


@dataclass
class _Facts:
    pauses: dict[int, list[_Pause]]
    extended: set[int]
    satisfaction: dict[int, str]


def _batch_facts(session: Session, ids: list[int], month: Month, clock: OfficeClock) -> _Facts:
    pauses: dict[int, list[_Pause]] = {}
    transit = clock.rules.consultation_transit_workdays
    for rid, kind, a, b, received, co_producer in session.execute(
        select(P.request_id, P.kind, P.start_date, P.end_date, P.received_date, P.co_producer)
        .where(P.request_id.in_(ids), P.start_date <= month.last)
    ):
        deadline = consultation_deadline(clock.calendar, kind, a, received, co_producer, transit)
        pauses.setdefault(rid, []).append((kind, a, b if b is not None and b <= month.last else None,
                                           deadline.due if deadline is not None else None))
    extended = set(session.execute(
        select(X.request_id).where(X.request_id.in_(ids), X.approved_date <= month.last)).scalars())
    # The last reached call on or before the month's end (office time ≈ the stored moment's date).
    _, end_utc = month.utc_bounds()
    last_call = (
        select(S.request_id, func.max(S.id).label("call_id"))
        .where(S.request_id.in_(ids), S.reached.is_(True), S.satisfaction.is_not(None), S.called_at < end_utc)
        .group_by(S.request_id).subquery()
    )
    satisfaction = dict(session.execute(
        select(S.request_id, S.satisfaction).join(last_call, S.id == last_call.c.call_id)).all())
    return _Facts(pauses, extended, satisfaction)


def outcome_text(code: str | None) -> str:
    """"部分公开", "不予公开：保护第三方合法权益" … for an outcome code."""
    if not code:
        return ""
    o = OUTCOMES_BY_CODE.get(code)
    if o is None:
        return code
    if o.code in DISCLOSING_OUTCOMES:
        return OUTCOME_GROUPS[o.code]
    return f"{OUTCOME_GROUPS[o.group]}：{o.label}"


class _Formatter:
    def __init__(self, cal: WorkCalendar, month: Month, exclude_fee_pauses: bool, full: bool) -> None:
        self.cal, self.month, self.exclude_fee, self.full = cal, month, exclude_fee_pauses, full
        self.last = month.last  # a property that builds two dates: read once, not per row

    def _paused_days(self, start: date, end: date, pauses: list[_Pause]) -> int:
        spans = []
        for kind, a, b, limit in pauses:
            if kind == PauseKind.FEE.value and not self.exclude_fee:
                continue
            a2, b2 = max(a, start), min(b or end, end, limit or end)
            if b2 > a2:
                spans.append((a2, b2))
        return sum(self.cal.workdays_between(a, b) for a, b in _merge(spans))

    def row(self, number: int, r: Any, facts: _Facts) -> RegisterRow:
        # One unpacking of the SQL row (``_SELECT``'s order): a named access costs as much as a line of code.
        (rid, reg_number, received_date, channel, kind, applicant_name, _id_type, id_number, credit_code, phone,
         description, status, outcome_code, supplement_notice_date, supplemented_date, reply_date, due_date,
         due_provisional, later_date, delivered_date, delivery_channel, note, unit_name) = r
        last = self.last
        answered = outcome_code is not None and reply_date is not None and reply_date <= last
        pauses = facts.pauses.get(rid, [])
        supplemented = supplemented_date is not None and supplemented_date <= last
        start = supplemented_date if supplemented else received_date

        notes: list[str] = []
        due_notes: list[str] = []
        if rid in facts.extended:
            due_notes.append("含延期20个工作日")
        # The same days count against the due date and come off the days used.
        paused = self._paused_days(start, reply_date if answered else last, pauses) if pauses else 0
        if paused:
            due_notes.append(f"暂停扣除{paused}个工作日")
        if supplemented:
            due_notes.append("自补正之日起算")
        if later_date:
            due_notes.append("依第三十五条另定")
        if due_provisional:
            due_notes.append("暂定")
        due = due_date.isoformat() if due_date else ""
        if due and due_notes:
            due += "（" + "，".join(due_notes) + "）"

        withdrawn = outcome_code in DEEMED_WITHDRAWN_OUTCOMES or status == Status.WITHDRAWN.value
        overdue = False
        used: int | None = None
        if answered:
            used = self.cal.workdays_between(start, reply_date) - paused
            if withdrawn or due_date is None:
                on_time = "—"
            else:
                overdue = reply_date > due_date
                on_time = "否" if overdue else "是"
            result = outcome_text(outcome_code)
        else:
            overdue = due_date is not None and last > due_date and not _open_pause_at(pauses, last)
            on_time = "已逾期" if overdue else ""
            result = self._open_status(supplement_notice_date, supplemented, pauses)

        delivery = ""
        if answered and delivered_date and delivered_date <= last:
            delivery = f"{delivered_date.isoformat()} {delivery_channel}".strip()
        sat = facts.satisfaction.get(rid)
        if note:
            notes.append(note)
        organisation = kind in APPLICANT_TYPE_LABELS and ApplicantType(kind).is_organisation
        if organisation:
            ident = credit_code or ""
        else:
            ident = id_number if self.full else mask_id_number(id_number) if id_number else ""
        phone = phone if self.full else mask_phone(phone) if phone else ""
        note = "；".join(notes)
        if not self.full:  # applicants write their numbers into the description, clerks into notes
            description, note = mask_free_text(description), mask_free_text(note)
        values = (
            number, reg_number, received_date,
            CHANNEL_LABELS.get(Channel(channel), channel) if channel in Channel._value2member_map_ else channel,
            APPLICANT_TYPE_LABELS.get(ApplicantType(kind), kind) if kind in ApplicantType._value2member_map_ else kind,
            applicant_name, ident, phone, description, unit_name or "", due,
            reply_date if answered else None, on_time, used, result, delivery,
            _SATISFACTION_LABELS.get(sat, sat) if sat else "",
            note,
        )
        return RegisterRow(rid, values, overdue)

    def _open_status(self, notice: date | None, supplemented: bool, pauses: list[_Pause]) -> str:
        last = self.last
        if _open_pause_at(pauses, last):
            return Status.PAUSED.label
        if notice and notice <= last and not supplemented:
            return Status.AWAITING_SUPPLEMENT.label
        return Status.IN_PROGRESS.label


def _merge(spans: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Union of (A, B] day intervals, so overlapping pauses count each day once."""
    merged: list[tuple[date, date]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _open_pause_at(pauses: list[_Pause], day: date) -> bool:
    # As recorded: a consultation past its deadline still shows as paused until the clerk ends it.
    return any(a <= day and (b is None or b > day) for _, a, b, _ in pauses)


@dataclass
class SectionTotals:
    """Counted while streaming, printed as the section's totals line."""

    rows: int = 0
    on_time: int = 0
    late: int = 0
    open_overdue: int = 0

    def add(self, row: RegisterRow) -> None:
        self.rows += 1
        flag = row.text("on_time")
        if flag == "是":
            self.on_time += 1
        elif flag == "否":
            self.late += 1
        elif flag == "已逾期":
            self.open_overdue += 1

    def text(self, section: Section) -> str:
        parts = [f"合计 {self.rows} 件"]
        if section is Section.ANSWERED:
            parts.append(f"其中按期答复 {self.on_time} 件，逾期答复 {self.late} 件")
        elif self.open_overdue:
            parts.append(f"其中月末已逾期未答复 {self.open_overdue} 件")
        return "；".join(parts) + "。"


@dataclass(frozen=True)
class RegisterMeta:
    agency: str
    month: Month
    full_personal_data: bool
    generated: datetime

    @property
    def title(self) -> str:
        return f"{self.agency}政府信息公开申请登记台账"

    @property
    def subtitle(self) -> str:
        masked = "含完整个人信息，注意保密" if self.full_personal_data else "证件号码、电话已脱敏"
        return f"{self.month.label}（{self.month.first.isoformat()} 至 {self.month.last.isoformat()}）　{masked}"
