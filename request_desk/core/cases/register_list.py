"""Read-only queries behind the request list (申请登记簿) and the dashboard (工作台).

Everything is filtered, sorted, counted and aggregated in SQL; nothing here
loads a whole table into Python. The list asks for one page at a time
(``fetch_rows`` with ``offset``/``limit``), always with a total order (the
sort key plus ``id``) so that pages never overlap or skip rows. Sorting is
offered only on columns with a composite index (see models.py and migration
0002), so a page deep in a million rows costs one index walk.

The legal clock of a shown row is derived from its stored due date by
``OfficeClock.countdown`` (deadlines.case_clock, two calendar index lookups per
row), for the visible page only; the same clock gives the SQL cutoff of "due
soon", so the filter and the colours agree. Only cases whose clock is running
can be overdue or due soon: a paused case's deadline moves with every day of
the pause, and a case awaiting supplement restarts its period when the
supplement arrives.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, case, extract, func, select
from sqlmodel import Session

from request_desk.core.cases import calls, remedies
from request_desk.core.cases.consultations import LapsedConsultation, lapsed_consultations
from request_desk.core.deadlines.case_clock import OfficeClock, office_clock, read_clock
from request_desk.core.deadlines.clock import Colour
from request_desk.core.masking import mask_id_number, mask_phone
from request_desk.core.storage import contact_keys, search
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import HandlingUnit, Request, table_of
from request_desk.core.vocab import OUTCOME_GROUPS, Status

R = table_of(Request).c
U = table_of(HandlingUnit).c

# The reply period is running (not paused, not waiting for a supplement).
RUNNING_STATUSES: tuple[str, ...] = (
    Status.REGISTERED.value,
    Status.SUPPLEMENTED.value,
    Status.IN_PROGRESS.value,
    Status.EXTENDED.value,
)

Deadline = Literal["overdue", "due_soon"]
Clock = Literal["running", "paused", "supplement", "done"]
DESCRIPTION_CHARS = 80


class SortKey(StrEnum):
    """The sortable columns; each is backed by an index."""

    RECEIVED = "received"
    REG_NUMBER = "reg_number"
    DUE = "due"
    STATUS = "status"
    APPLICANT = "applicant"
    UNIT = "unit"
    OUTCOME = "outcome"
    REPLY = "reply"


# Index behind each: (received_date, id); unique (year, seq); (due_date, id);
# (status, received_date, id); (applicant_name, received_date [, rowid]);
# (current_unit_id, received_date, id) — units are grouped by id, the order
# they were created in, not by name: sorting by name would need a join that
# no index can serve for a million rows; (outcome_code, received_date [, rowid]);
# ix_request_reply (reply_date, outcome_code, replied_on_time, applicant_type,
# received_date [, rowid]) — same-day replies follow that index's order.
_ORDER: dict[SortKey, tuple[ColumnElement[object], ...]] = {
    SortKey.RECEIVED: (R.received_date, R.id),
    SortKey.REG_NUMBER: (R.year, R.seq),
    SortKey.DUE: (R.due_date, R.id),
    SortKey.STATUS: (R.status, R.received_date, R.id),
    SortKey.APPLICANT: (R.applicant_name, R.received_date, R.id),
    SortKey.UNIT: (R.current_unit_id, R.received_date, R.id),
    SortKey.OUTCOME: (R.outcome_code, R.received_date, R.id),
    SortKey.REPLY: (R.reply_date, R.outcome_code, R.replied_on_time, R.applicant_type, R.received_date, R.id),
}


def _order(session: Session, key: SortKey, descending: bool) -> list[ColumnElement[object]]:
    """The list's ORDER BY. Empty values (no unit yet, no reply) come first ascending, last descending,
    on both engines: SQLite's own order, which PostgreSQL is told in so many words."""
    if session.get_bind().dialect.name != "postgresql":
        return [c.desc() if descending else c.asc() for c in _ORDER[key]]
    return [c.desc().nulls_last() if descending else c.asc().nulls_first() for c in _ORDER[key]]


@dataclass(frozen=True)
class RequestFilter:
    """What the clerk narrowed the list to; every field left empty means "all"."""

    statuses: tuple[str, ...] = ()
    unit_id: int | None = None
    received_from: date | None = None
    received_to: date | None = None
    # An official outcome code ("3.4") or a group ("3" = every 不予公开 code).
    outcome: str | None = None
    deadline: Deadline | None = None
    provisional_only: bool = False
    text: str = ""
    # The username that registered the requests (Request.created_by): the to-do's "my cases".
    registered_by: str = ""

    def with_(self, **changes: object) -> RequestFilter:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class RequestRow:
    """One line of the request list: plain values, safe to hold on the UI thread."""

    id: int
    reg_number: str
    received_date: date
    channel: str
    applicant_type: str
    applicant_name: str
    description: str  # the first DESCRIPTION_CHARS characters
    unit_id: int | None
    unit_name: str
    status: str
    due_date: date | None
    due_provisional: bool
    supplement_deadline: date | None
    outcome_code: str | None
    reply_date: date | None
    replied_on_time: bool | None
    # Masked (《个人信息保护法》): the list never holds a full phone or ID number.
    phone_masked: str = ""
    id_masked: str = ""
    # The search was a number and this request's ID number ends with it (else its phone did, or the text).
    matched_id: bool = False
    clock: Clock = "done"
    workdays_left: int | None = None  # >0 left, 0 due today, <0 overdue
    colour: Colour | None = None


# --------------------------------------------------------------------------
# Filtering
# --------------------------------------------------------------------------


def _outcome_clause(outcome: str, walk: bool = False) -> ColumnElement[bool]:
    # ``walk=True`` tests ``outcome_code || ''``, the same values but no use of
    # ``ix_request_outcome``: SQLite then walks the sort order's index and stops
    # after a page instead of reading every match and sorting them (a group
    # holds one request in nine: 110,000 at a million).
    code = R.outcome_code.concat("") if walk else R.outcome_code
    if outcome in OUTCOME_GROUPS:
        # "3" <= code < "4" covers "3" and "3.1"…"3.8" and uses the index.
        return and_(code >= outcome, code < str(int(outcome) + 1))
    return code == outcome


# Above this many full-text matches (or requests of the outcome filtered on) a
# page is found by walking the sort index (``search.match_clause(walk=True)``,
# ``_outcome_clause(walk=True)``), below it by looking up the matches.
WALK_MATCHES = 5_000


def _where(session: Session, f: RequestFilter, today: date, *, walk: bool = False) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if f.statuses:
        where.append(R.status.in_(list(f.statuses)))
    if f.unit_id is not None:
        where.append(R.current_unit_id == f.unit_id)
    if f.received_from is not None:
        where.append(R.received_date >= f.received_from)
    if f.received_to is not None:
        where.append(R.received_date <= f.received_to)
    if f.outcome:
        where.append(_outcome_clause(f.outcome, walk))
    if f.deadline is not None:
        where.append(R.status.in_(RUNNING_STATUSES))
        if f.deadline == "overdue":
            where.append(R.due_date < today)
        else:
            cutoff = office_clock(session, today).amber_cutoff()
            where.append(and_(R.due_date >= today, R.due_date < cutoff))
    if f.provisional_only:
        where.append(R.due_provisional.is_(True))
        where.append(R.status.in_((*RUNNING_STATUSES, Status.PAUSED.value, Status.AWAITING_SUPPLEMENT.value)))
    if f.registered_by:
        where.append(R.created_by == f.registered_by)
    if f.text.strip():
        bind = session.get_bind()
        match = search.match_clause(f.text, bind.dialect, walk=walk)
        if match is not None:
            where.append(match)
    return where


def _walks(session: Session, f: RequestFilter, offset: int, limit: int) -> bool:
    """Whether the page at ``offset`` of ``f`` is best found by walking the sort order's index.

    A search counts its matches in the FTS indexes. A filter on the outcome
    alone walks when the walk is the shorter read: reaching row ``offset +
    limit`` walks about ``(offset + limit) * total / matches`` index entries,
    reading every match reads ``matches``. So it walks for the first pages of
    a large group (a page of 110,000 matches sorted by due date: 6 ms instead
    of 246 ms) and reads the matches for a deep page or a small group (where
    the walk would pass most of the table). The probe counts at most the
    ``sqrt((offset + limit) * total)`` matches the decision needs, in the
    outcome index. Other filters' columns have indexes that SQLite weighs
    against the sort order's by itself.
    """
    if f.text.strip():
        if session.get_bind().dialect.name == "postgresql":
            # The server counts only by reading every match: probe, as for the outcome below.
            total = int(session.execute(select(func.coalesce(func.max(R.id), 0))).scalar_one())
            needed = math.isqrt((offset + limit) * total) + 1
            return bool(search.more_matches_than(session.connection(), f.text, needed))
        matches = search.match_count(session.connection(), f.text)
        return matches is not None and matches > WALK_MATCHES
    if f.outcome and replace(f, outcome=None) == RequestFilter():
        total = int(session.execute(select(func.coalesce(func.max(R.id), 0))).scalar_one())
        needed = math.isqrt((offset + limit) * total) + 1
        probe = select(R.id).where(_outcome_clause(f.outcome)).limit(needed).subquery()
        return int(session.execute(select(func.count()).select_from(probe)).scalar_one()) >= needed
    return False


def count_in(session: Session, f: RequestFilter, today: date) -> int:
    """``count_requests`` in the caller's session."""
    if f.text.strip() and replace(f, text="") == RequestFilter():  # only a search: count in the FTS indexes
        counted = search.match_count(session.connection(), f.text)
        if counted is not None:
            return counted
    stmt = select(func.count()).select_from(table_of(Request)).where(*_where(session, f, today))
    return int(session.execute(stmt).scalar_one())


def count_requests(db: Database, f: RequestFilter, today: date) -> int:
    """How many requests the filter selects (the list's row count)."""
    with db.read() as session:
        return count_in(session, f, today)


# The page's columns, each labelled with the RequestRow field it fills.
_ROW_COLUMNS: tuple[ColumnElement[object], ...] = (
    R.id, R.reg_number, R.received_date, R.channel, R.applicant_type, R.applicant_name,
    func.substr(R.description, 1, DESCRIPTION_CHARS).label("description"),
    R.current_unit_id.label("unit_id"), func.coalesce(U.name, "").label("unit_name"), R.status, R.due_date,
    R.due_provisional, R.supplement_deadline, R.outcome_code, R.reply_date, R.replied_on_time,
    R.phone, R.id_number,
)


def searchable(text: str) -> bool:
    """Whether the search box's ``text`` narrows the list (not empty, not punctuation only)."""
    return search.filters(text)


def page_in(session: Session, f: RequestFilter, sort_key: SortKey, descending: bool, offset: int, limit: int,
            today: date, clock: OfficeClock | None = None) -> list[RequestRow]:
    """``fetch_rows`` in the caller's session."""
    order = _order(session, SortKey(sort_key), descending)
    # Deferred join: walk the (covering) sort index for the page's ids
    # only, then read those rows. Reading every skipped row instead made
    # a page 250,000 rows down cost 0.5-0.8 s instead of ~30 ms.
    walk = _walks(session, f, max(0, offset), max(0, limit))
    ids = (select(R.id).where(*_where(session, f, today, walk=walk)).order_by(*order)
           .offset(max(0, offset)).limit(max(0, limit)))
    stmt = (select(*_ROW_COLUMNS)
            .select_from(table_of(Request).outerjoin(table_of(HandlingUnit), U.id == R.current_unit_id))
            .where(R.id.in_(ids)).order_by(*order))
    result = session.execute(stmt)
    names = tuple(result.keys())  # the RequestRow field of each column, read once per page
    found = result.all()
    if not found:
        return []
    if clock is None or clock.today != today:
        clock = office_clock(session, today)
    digits = contact_keys.query_digits(f.text)
    return [_with_clock(_masked(dict(zip(names, values, strict=True)), digits), clock) for values in found]


def _masked(values: dict[str, Any], digits: str | None) -> dict[str, Any]:
    """The row's phone and ID number replaced by their masked forms."""
    phone, id_number = values.pop("phone"), values.pop("id_number")
    values["phone_masked"] = mask_phone(phone)
    values["id_masked"] = mask_id_number(id_number) if id_number else ""
    values["matched_id"] = digits is not None and bool(id_number) and contact_keys.matches_id(id_number, digits)
    return values


def fetch_rows(db: Database, f: RequestFilter, sort_key: SortKey = SortKey.RECEIVED,
               descending: bool = True, offset: int = 0, limit: int = 200,
               today: date | None = None, clock: OfficeClock | None = None) -> list[RequestRow]:
    """One page of the list, in a total order (sort key, then id).

    ``clock`` (from ``clock_context``) spares reading the calendar and the
    settings again for every page: the list model keeps one per refresh.
    """
    today = today or date.today()
    with db.read() as session:
        return page_in(session, f, sort_key, descending, offset, limit, today, clock)


def clock_context(db: Database, today: date) -> OfficeClock:
    """What the rows' clocks are computed with, to pass to ``fetch_rows`` for many pages."""
    return read_clock(db, today)


def clock_state(status: str) -> Clock:
    if status in RUNNING_STATUSES:
        return "running"
    if status == Status.PAUSED:
        return "paused"
    if status == Status.AWAITING_SUPPLEMENT:
        return "supplement"
    return "done"


def _with_clock(values: dict[str, Any], clock: OfficeClock) -> RequestRow:
    """A row of the list from its SQL values (by column label), with its clock."""
    state = clock_state(str(values["status"]))
    due = values["due_date"]
    if state != "running" or due is None:
        return RequestRow(**values, clock=state)
    left, colour = clock.standing(due)
    return RequestRow(**values, clock=state, workdays_left=left, colour=colour)


# --------------------------------------------------------------------------
# Dashboard
# --------------------------------------------------------------------------

# (key, title, filter) of the dashboard's short lists; each opens cases.
DASHBOARD_LISTS: tuple[tuple[str, str, RequestFilter], ...] = (
    ("overdue", "已超期", RequestFilter(deadline="overdue")),
    ("due_soon", "临近期限", RequestFilter(deadline="due_soon")),
    ("awaiting_supplement", "待补正", RequestFilter(statuses=(Status.AWAITING_SUPPLEMENT.value,))),
    ("paused", "暂停计时", RequestFilter(statuses=(Status.PAUSED.value,))),
    ("replied_not_delivered", "已答复未送达", RequestFilter(statuses=(Status.REPLIED.value,))),
    ("provisional", "期限暂定", RequestFilter(provisional_only=True)),
)
# Sort of each short list: what needs attention first.
_LIST_SORT: dict[str, tuple[SortKey, bool]] = {
    "overdue": (SortKey.DUE, False),
    "due_soon": (SortKey.DUE, False),
    "awaiting_supplement": (SortKey.RECEIVED, False),
    "paused": (SortKey.RECEIVED, False),
    "replied_not_delivered": (SortKey.RECEIVED, False),
    "provisional": (SortKey.DUE, False),
}


@dataclass(frozen=True)
class ShortList:
    key: str
    title: str
    filter: RequestFilter
    count: int
    rows: tuple[RequestRow, ...]


@dataclass(frozen=True)
class OnTime:
    replied: int
    on_time: int

    @property
    def rate(self) -> float | None:
        return None if self.replied == 0 else self.on_time / self.replied


@dataclass(frozen=True)
class Dashboard:
    today: date
    amber_days: int
    lists: tuple[ShortList, ...]
    monthly_intake: tuple[tuple[int, int, int], ...]  # (year, month, requests received)
    outcomes_by_group: dict[str, int] = field(default_factory=dict)  # group → replies this year
    on_time: OnTime = OnTime(0, 0)
    calls_due: int = 0  # answered requests still waiting for a reached follow-up call
    # Open consultations past their deadline (docs/domain.md, "Pauses"): the clock runs again.
    lapsed_consultations: tuple[LapsedConsultation, ...] = ()
    # Replies whose reconsideration or litigation window is still open (docs/domain.md, "Remedy windows").
    remedy_windows: remedies.OpenWindows = field(default_factory=lambda: remedies.OpenWindows(0, ()))


def _short_lists(session: Session, clock: OfficeClock, top: int) -> tuple[ShortList, ...]:
    result = []
    for key, title, f in DASHBOARD_LISTS:
        sort, desc = _LIST_SORT[key]
        rows = page_in(session, f, sort, desc, 0, top, clock.today, clock)
        result.append(ShortList(key, title, f, count_in(session, f, clock.today), tuple(rows)))
    return tuple(result)


def _months_back(today: date, months: int) -> list[tuple[int, int]]:
    index = today.year * 12 + today.month - 1
    return [(i // 12, i % 12 + 1) for i in range(index - months + 1, index + 1)]


def _monthly_intake(session: Session, today: date, months: int) -> tuple[tuple[int, int, int], ...]:
    span = _months_back(today, months)
    first = date(span[0][0], span[0][1], 1)
    year, month = extract("year", R.received_date), extract("month", R.received_date)
    stmt = (select(year, month, func.count())
            .where(R.received_date >= first, R.received_date <= today)
            .group_by(year, month))
    counts = {(int(y), int(m)): int(n) for y, m, n in session.execute(stmt).all()}
    return tuple((y, m, counts.get((y, m), 0)) for y, m in span)


def monthly_intake(db: Database, today: date, months: int = 12) -> tuple[tuple[int, int, int], ...]:
    """Requests received per calendar month, the last ``months`` months up to today's."""
    with db.read() as session:
        return _monthly_intake(session, today, months)


def _replied_in(year: int) -> ColumnElement[bool]:
    return and_(R.reply_date >= date(year, 1, 1), R.reply_date <= date(year, 12, 31),
                R.outcome_code.is_not(None))


def _outcomes_by_group(session: Session, year: int) -> dict[str, int]:
    stmt = select(R.outcome_code, func.count()).where(_replied_in(year)).group_by(R.outcome_code)
    counts = dict.fromkeys(OUTCOME_GROUPS, 0)
    for code, n in session.execute(stmt).all():
        counts[str(code).split(".")[0]] += int(n)
    return counts


def outcomes_by_group(db: Database, year: int) -> dict[str, int]:
    """Replies dated in ``year`` per outcome group ("1"…"6"), every group present."""
    with db.read() as session:
        return _outcomes_by_group(session, year)


def _on_time(session: Session, year: int) -> OnTime:
    stmt = select(func.count(), func.coalesce(func.sum(case((R.replied_on_time.is_(True), 1), else_=0)), 0)
                  ).where(_replied_in(year), R.replied_on_time.is_not(None))
    replied, punctual = session.execute(stmt).one()
    return OnTime(int(replied), int(punctual))


def on_time(db: Database, year: int) -> OnTime:
    """Replies dated in ``year`` and how many met their legal deadline.

    Deemed withdrawals (6.1, 6.2) and withdrawals carry no "on time" flag and
    are not replies within the reply period, so they are not counted.
    """
    with db.read() as session:
        return _on_time(session, year)


def dashboard(db: Database, today: date, top: int = 8) -> Dashboard:
    """Everything the 工作台 shows, aggregated in SQL in one read session (one clock)."""
    with db.read() as session:
        clock = office_clock(session, today)  # one calendar and one set of rules for every list
        return Dashboard(
            today=today,
            amber_days=clock.rules.amber_days,
            lists=_short_lists(session, clock, top),
            monthly_intake=_monthly_intake(session, today, 12),
            outcomes_by_group=_outcomes_by_group(session, today.year),
            on_time=_on_time(session, today.year),
            calls_due=calls.count_due(session, today),
            lapsed_consultations=lapsed_consultations(session, clock),
            remedy_windows=remedies.open_windows(session, today, top),
        )


__all__: Sequence[str] = (
    "RUNNING_STATUSES", "Dashboard", "OnTime", "RequestFilter", "RequestRow", "ShortList", "SortKey",
    "clock_context", "clock_state", "count_requests", "dashboard", "fetch_rows", "monthly_intake",
    "on_time", "outcomes_by_group", "searchable",
)
