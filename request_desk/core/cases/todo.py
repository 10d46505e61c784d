"""The daily to-do (今日待办): what each open case needs from the office on a given day.

Every section is one bounded SQL read (status and date filters on the existing
indexes, ``LIMIT``, a ``COUNT`` for its size); nothing loads a table into Python.
The rules are the ones the rest of the desk already applies, reused rather than
restated: the reply deadline's amber band and overdue state come from the
register list's filters, the consultation deadline from
``OfficeClock.consultation``, the calls due from ``calls``. See
docs/domain.md, "Daily to-do".

"My cases" (``user``): the requests the user registered (``Request.created_by``).
It is the one column every request carries from its first day, and the clerk who
registers a case is the one who follows it up in this office; assignments to
units and letters are not narrowed by who wrote them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from request_desk.core.cases import calls
from request_desk.core.cases.register_list import RequestFilter, SortKey, count_in, page_in
from request_desk.core.deadlines.case_clock import OfficeClock, office_clock
from request_desk.core.deadlines.consultation import CONSULTATION_WORKDAYS
from request_desk.core.letters.kinds import KINDS_BY_CODE
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import (
    Assignment,
    Fee,
    HandlingUnit,
    Letter,
    LetterDelivery,
    LetterReview,
    Pause,
    Request,
    table_of,
)
from request_desk.core.vocab import OPEN_STATUSES, PauseKind, Status

__all__ = ["KINDS", "Todo", "TodoItem", "TodoSection", "daily_todo"]

R = table_of(Request).c

# (kind, title) of the sections, in the order the dashboard, the CLI and the print show them.
KINDS: tuple[tuple[str, str], ...] = (
    ("overdue", "答复已超期"),
    ("due_soon", "答复期限临近"),
    ("supplement_notice", "补正告知期限内"),
    ("consultation", "征求意见期限将满"),
    ("internal_due", "承办单位内部期限"),
    ("fee_unpaid", "收费待缴纳"),
    ("letter_review", "文书待审核"),
    ("letter_delivery", "文书待送达"),
    ("calls", "待电话回访"),
)
TITLES = dict(KINDS)

# The supplement notice can go out from these statuses (workflow: REQUEST_SUPPLEMENT).
_SUPPLEMENT_FROM = (Status.REGISTERED.value, Status.IN_PROGRESS.value)
_OPEN = tuple(s.value for s in OPEN_STATUSES)
# letters/review.py's PENDING; the review module's own state word.
_REVIEW_PENDING = "pending"
# A letter kept on file (申请登记表) is never delivered to anyone.
_ON_FILE = "file"


@dataclass(frozen=True)
class TodoItem:
    """One thing to do for one case."""

    request_id: int
    reg_number: str
    applicant_name: str
    what: str
    due: date | None = None
    workdays_left: int | None = None  # >0 left, 0 due today, <0 overdue; None without a deadline

    def left_text(self) -> str:
        if self.workdays_left is None:
            return ""
        if self.workdays_left < 0:
            return f"超期{-self.workdays_left}个工作日"
        if self.workdays_left == 0:
            return "今日到期"
        return f"剩{self.workdays_left}个工作日"

    def to_json_dict(self) -> dict[str, Any]:
        return {"request_id": self.request_id, "reg_number": self.reg_number, "applicant": self.applicant_name,
                "what": self.what, "due": self.due.isoformat() if self.due else None,
                "workdays_left": self.workdays_left}


@dataclass(frozen=True)
class TodoSection:
    kind: str
    title: str
    count: int  # all of the kind; ``items`` holds at most ``limit_per_kind`` of them
    items: tuple[TodoItem, ...]


@dataclass(frozen=True)
class Todo:
    today: date
    user: str | None
    amber_days: int
    sections: tuple[TodoSection, ...]

    @property
    def total(self) -> int:
        return sum(s.count for s in self.sections)

    def section(self, kind: str) -> TodoSection:
        return next(s for s in self.sections if s.kind == kind)

    def to_json_dict(self) -> dict[str, Any]:
        return {"today": self.today.isoformat(), "user": self.user, "amber_days": self.amber_days,
                "total": self.total,
                "sections": [{"kind": s.kind, "title": s.title, "count": s.count,
                              "items": [i.to_json_dict() for i in s.items]} for s in self.sections]}


def _mine(user: str | None) -> list[Any]:
    return [R.created_by == user] if user else []


def _left(clock: OfficeClock, due: date | None) -> int | None:
    return None if due is None else clock.standing(due)[0]


def _count(session: Session, stmt: Any) -> int:
    return int(session.execute(select(func.count()).select_from(stmt.order_by(None).limit(None).subquery()))
               .scalar_one())


# --------------------------------------------------------------------------
# The sections; each returns (count, items).
# --------------------------------------------------------------------------

Found = tuple[int, tuple[TodoItem, ...]]


def _reply_deadline(session: Session, clock: OfficeClock, user: str | None, limit: int, which: str) -> Found:
    # The register list's own filter, so the to-do, the dashboard and the list agree.
    f = RequestFilter(deadline="overdue" if which == "overdue" else "due_soon", registered_by=user or "")
    rows = page_in(session, f, SortKey.DUE, False, 0, limit, clock.today, clock)
    items = tuple(TodoItem(r.id, r.reg_number, r.applicant_name, f"答复期限 {r.due_date}"
                           + ("（暂定）" if r.due_provisional else ""), r.due_date, r.workdays_left) for r in rows)
    return count_in(session, f, clock.today), items


def _overdue(session: Session, clock: OfficeClock, user: str | None, limit: int) -> Found:
    return _reply_deadline(session, clock, user, limit, "overdue")


def _due_soon(session: Session, clock: OfficeClock, user: str | None, limit: int) -> Found:
    return _reply_deadline(session, clock, user, limit, "due_soon")


def _supplement_notice(session: Session, clock: OfficeClock, user: str | None, limit: int) -> Found:
    # Art. 30: the one supplement notice goes out by the 7th working day after receipt
    # (stored as supplement_due_date); listed while that day is still ahead or today.
    stmt = (select(R.id, R.reg_number, R.applicant_name, R.supplement_due_date)
            .where(R.status.in_(_SUPPLEMENT_FROM), R.supplement_notice_date.is_(None),
                   R.supplement_due_date >= clock.today, *_mine(user))
            .order_by(R.supplement_due_date, R.id).limit(limit))
    items = tuple(TodoItem(rid, reg, name, f"补正告知最迟 {due} 发出", due, _left(clock, due))
                  for rid, reg, name, due in session.execute(stmt))
    return _count(session, stmt), items


def _consultation(session: Session, clock: OfficeClock, user: str | None, limit: int) -> Found:
    # Open consultations of paused cases whose 15 working days end within the amber band
    # or are already over (the dashboard's 征求意见期满未结束 are among them). Their deadline
    # is at least 15 calendar days after the letter, so older letters only are read.
    cutoff = clock.amber_cutoff()
    stmt = (select(Pause, R.reg_number, R.applicant_name)
            .join(table_of(Request), R.id == col(Pause.request_id))
            .where(col(Pause.end_date).is_(None), col(Pause.kind) != PauseKind.FEE.value,
                   R.status == Status.PAUSED.value,
                   col(Pause.start_date) < cutoff - timedelta(days=CONSULTATION_WORKDAYS), *_mine(user))
            .order_by(col(Pause.start_date), col(Pause.id)))
    found: list[TodoItem] = []
    for pause, reg, name in session.execute(stmt):
        deadline = clock.consultation(pause)
        if deadline is None or deadline.due >= cutoff:
            continue
        who = pause.counterpart or PauseKind(pause.kind).label
        state = "已届满，请登记意见或逾期未提出意见" if deadline.lapsed(clock.today) else "将届满"
        presumed = "（推定收到）" if deadline.presumed else ""
        found.append(TodoItem(pause.request_id, reg, name, f"{who} 征求意见期限 {deadline.due}{presumed} {state}",
                              deadline.due, _left(clock, deadline.due)))
    found.sort(key=lambda i: (i.due or clock.today, i.request_id))
    return len(found), tuple(found[:limit])


def _internal_due(session: Session, clock: OfficeClock, user: str | None, limit: int) -> Found:
    # A unit's internal deadline (Assignment.internal_due_date) within the amber band or
    # past, while the assignment is current, the unit has not reported and the case is open.
    a, u = table_of(Assignment).c, table_of(HandlingUnit).c
    stmt = (select(R.id, R.reg_number, R.applicant_name, u.name, a.internal_due_date)
            .select_from(table_of(Request).join(table_of(Assignment), a.request_id == R.id)
                         .join(table_of(HandlingUnit), u.id == a.unit_id))
            .where(R.status.in_(_OPEN), a.ended_date.is_(None), a.reported_date.is_(None),
                   a.internal_due_date.is_not(None), a.internal_due_date < clock.amber_cutoff(), *_mine(user))
            .order_by(a.internal_due_date, R.id).limit(limit))
    items = tuple(TodoItem(rid, reg, name, f"{unit} 内部办理期限 {due}", due, _left(clock, due))
                  for rid, reg, name, unit, due in session.execute(stmt))
    return _count(session, stmt), items


def _fee_unpaid(session: Session, clock: OfficeClock, user: str | None, limit: int) -> Found:
    # A fee notice without payment while the case waits for it (paused); the payment
    # deadline is known once the applicant's receipt of the notice is recorded.
    fee = table_of(Fee).c
    stmt = (select(R.id, R.reg_number, R.applicant_name, fee.amount_yuan, fee.notice_date, fee.payment_due)
            .select_from(table_of(Request).join(table_of(Fee), fee.request_id == R.id))
            .where(R.status == Status.PAUSED.value, fee.paid_date.is_(None), *_mine(user))
            .order_by(func.coalesce(fee.payment_due, fee.notice_date), R.id).limit(limit))
    items = []
    for rid, reg, name, amount, notice, due in session.execute(stmt):
        what = (f"收费{amount}元，缴费期限 {due}" if due is not None
                else f"收费{amount}元，通知 {notice} 发出，待登记申请人收到日期")
        items.append(TodoItem(rid, reg, name, what, due, _left(clock, due)))
    return _count(session, stmt), tuple(items)


def _letter_review(session: Session, clock: OfficeClock, user: str | None, limit: int) -> Found:
    lr = table_of(LetterReview).c
    stmt = (select(R.id, R.reg_number, R.applicant_name, lr.kind, lr.submitted_by, lr.submitted_at)
            .select_from(table_of(LetterReview).join(table_of(Request), R.id == lr.request_id))
            .where(lr.state == _REVIEW_PENDING, *_mine(user))
            .order_by(lr.id).limit(limit))
    items = []
    for rid, reg, name, kind, by, at in session.execute(stmt):
        title = KINDS_BY_CODE[kind].title if kind in KINDS_BY_CODE else kind
        items.append(TodoItem(rid, reg, name, f"{title} 待审核（{by} {at:%Y-%m-%d} 提交）"))
    return _count(session, stmt), tuple(items)


def _letter_delivery(session: Session, clock: OfficeClock, user: str | None, limit: int) -> Found:
    # Letters of cases not yet delivered (open or replied) issued with no dispatch recorded
    # and not replaced by a corrected letter; a letter kept on file is never sent.
    lt, ld = table_of(Letter).c, table_of(LetterDelivery).c
    newer = aliased(table_of(Letter))
    stmt = (select(R.id, R.reg_number, R.applicant_name, lt.title, lt.kind, lt.doc_number, lt.issued_date)
            .select_from(table_of(Request).join(table_of(Letter), lt.request_id == R.id))
            .where(R.status.in_((*_OPEN, Status.REPLIED.value)), lt.issued_date.is_not(None),
                   lt.addressee_type != _ON_FILE,
                   ~exists().where(ld.letter_id == lt.id), ~exists().where(newer.c.supersedes_id == lt.id),
                   *_mine(user))
            .order_by(lt.issued_date, lt.id).limit(limit))
    items = tuple(TodoItem(rid, reg, name, " ".join(filter(None, (title or kind, number, f"{issued} 签发，未送达"))))
                  for rid, reg, name, title, kind, number, issued in session.execute(stmt))
    return _count(session, stmt), items


def _calls(session: Session, clock: OfficeClock, user: str | None, limit: int) -> Found:
    f = calls.CallFilter(registered_by=user or "")
    rows = calls.due_in(session, clock.today, limit, f=f)
    items = tuple(TodoItem(c.request_id, c.reg_number, c.applicant_name,
                           f"{c.since} 答复，" + (f"已拨打{c.attempts}次未接通" if c.attempts else "尚未回访"))
                  for c in rows)
    return calls.count_due(session, clock.today, f), items


Section = Callable[[Session, OfficeClock, "str | None", int], Found]
_SECTIONS: dict[str, Section] = {
    "overdue": _overdue,
    "due_soon": _due_soon,
    "supplement_notice": _supplement_notice,
    "consultation": _consultation,
    "internal_due": _internal_due,
    "fee_unpaid": _fee_unpaid,
    "letter_review": _letter_review,
    "letter_delivery": _letter_delivery,
    "calls": _calls,
}


def daily_todo(db: Database, today: date, *, user: str | None = None, limit_per_kind: int = 50) -> Todo:
    """The to-do on ``today``, every section at most ``limit_per_kind`` items (its count is complete).

    ``user`` (a username) narrows every section to the requests that user registered.
    """
    limit = max(0, limit_per_kind)
    found: dict[str, Found] = {}
    with db.read() as session:  # one snapshot, one calendar and one set of rules for every section
        clock = office_clock(session, today)
        for kind, build in _SECTIONS.items():
            found[kind] = build(session, clock, user, limit)
    sections = tuple(TodoSection(kind, title, *found[kind]) for kind, title in KINDS)
    return Todo(today, user or None, clock.rules.amber_days, sections)

