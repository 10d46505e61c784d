"""Satisfaction follow-up calls (电话回访) after a reply.

Every attempt is kept, reached or not: an unreached attempt leaves the request
on the list of calls due, so it comes back until someone reaches the
applicant. Lists and rates are computed in SQL, never by loading every
request into Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, case, exists, func, or_
from sqlmodel import Session, col, select

from request_desk.core.cases.lookup import load_request
from request_desk.core.deadlines.clock import OFFICE_TZ
from request_desk.core.errors import ValidationFailed
from request_desk.core.office import permissions
from request_desk.core.office import settings as office_settings
from request_desk.core.storage import search
from request_desk.core.storage.audit import audit, event, snapshot
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Request, SatisfactionCall, User, table_of
from request_desk.core.vocab import Satisfaction, Status

__all__ = [
    "OFFICE_TZ",
    "CallDue",
    "CallFilter",
    "CallRow",
    "SatisfactionStats",
    "call_records",
    "calls_due",
    "calls_for",
    "count_call_records",
    "count_calls_due",
    "count_due",
    "log_call",
    "office_time",
    "recent_calls",
    "satisfaction_rate",
]

EVENT_KIND = "satisfaction_call"


@dataclass(frozen=True)
class CallFilter:
    """What the 电话回访 page is narrowed to; every field left empty means "all".

    ``text`` is the register's search (registration number, applicant, the
    request's text; a number also the phone or ID number, whole or its last
    digits). ``called`` narrows the calls due: False never called yet, True
    called but not reached. ``reached`` and ``satisfaction`` narrow the logged
    calls.
    """

    text: str = ""
    called: bool | None = None
    reached: bool | None = None
    satisfaction: str | None = None
    # The username that registered the requests (Request.created_by): the to-do's "my cases".
    registered_by: str = ""


def _text_clause(session: Session, f: CallFilter) -> list[Any]:
    if not search.filters(f.text):
        return []
    match = search.match_clause(f.text, session.get_bind().dialect)
    return [] if match is None else [match]


def office_time(moment: datetime) -> datetime:
    """``moment`` in office time; a naive value is taken as office time already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=OFFICE_TZ)
    return moment.astimezone(OFFICE_TZ)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=OFFICE_TZ)


@dataclass(frozen=True)
class CallDue:
    """A replied request whose applicant has not been reached yet."""

    request_id: int
    reg_number: str
    applicant_name: str
    phone: str
    reply_date: date | None
    delivered_date: date | None
    since: date  # delivery date, or the reply date if not delivered yet
    attempts: int
    last_attempt: datetime | None  # office time


@dataclass(frozen=True)
class CallRow:
    """One logged attempt, with the request it belongs to."""

    id: int
    request_id: int
    reg_number: str
    applicant_name: str
    called_at: datetime  # office time
    caller: str
    reached: bool
    satisfaction: str | None
    applicant_said: str
    follow_up_needed: bool
    note: str

    @property
    def satisfaction_label(self) -> str:
        return Satisfaction(self.satisfaction).label if self.satisfaction else ""


@dataclass(frozen=True)
class SatisfactionStats:
    """Reached calls in a period and how satisfied the applicants were."""

    reached: int
    satisfied: int
    basically_satisfied: int
    dissatisfied: int

    @property
    def rate(self) -> float | None:
        """(满意 + 基本满意) / reached calls; None when nobody was reached."""
        if not self.reached:
            return None
        return (self.satisfied + self.basically_satisfied) / self.reached

    def rate_text(self) -> str:
        rate = self.rate
        return "—" if rate is None else f"{rate:.1%}"


def log_call(
    db: Database,
    request_id: int,
    actor: str,
    called_at: datetime,
    caller: str,
    reached: bool,
    satisfaction: Satisfaction | str | None = None,
    applicant_said: str = "",
    follow_up_needed: bool = False,
    note: str = "",
    *,
    today: date | None = None,
) -> CallRow:
    """Record one call attempt: the call, its timeline event and one audit entry."""
    today = today or date.today()
    caller = caller.strip()
    if not caller:
        raise ValidationFailed("请填写回访人。")
    if reached and not satisfaction:
        raise ValidationFailed("已接通的回访须选择满意程度。")
    if not reached and satisfaction:
        raise ValidationFailed("未接通的回访不能登记满意程度。")
    level = Satisfaction(satisfaction) if satisfaction else None
    called_at = office_time(called_at).replace(microsecond=0)
    if called_at.date() > today:
        raise ValidationFailed(f"回访时间 {called_at:%Y-%m-%d %H:%M} 晚于今天，不能预先登记。")
    with db.write() as session:
        permissions.require(session, actor, permissions.Permission.LOG_CALL)
        request = load_request(session, request_id)
        if request.reply_date is None:
            raise ValidationFailed(f"申请 {request.reg_number} 尚未答复，不能登记电话回访。")
        if called_at.date() < request.reply_date:
            raise ValidationFailed(f"回访日期不能早于答复日期 {request.reply_date}。")
        call = SatisfactionCall(
            request_id=request_id,
            called_at=called_at,
            caller=caller,
            reached=reached,
            satisfaction=level.value if level else None,
            applicant_said=applicant_said.strip(),
            follow_up_needed=follow_up_needed,
            note=note.strip(),
        )
        session.add(call)
        session.flush()
        summary = f"已接通，{level.label}" if level else "未接通"
        if follow_up_needed:
            summary += "，需后续处理"
        event(session, request_id, EVENT_KIND, called_at.date(), actor, summary,
              {"call_id": call.id, "reached": reached, "satisfaction": call.satisfaction})
        audit(session, actor, "log_call", "satisfactioncall", call.id, None, snapshot(call))
        return _to_row(call, request.reg_number, request.applicant_name)


def _not_followed_up() -> Any:
    # "No reached call yet", kept in request.followed_up by triggers (migration 0005). Written
    # as the partial index ix_request_call_due's own condition, so SQLite reads only that index.
    return table_of(Request).c.followed_up.is_(False)


def _due_conditions(session: Session, today: date) -> tuple[list[Any], Any]:
    """WHERE clauses of "a call is due" and the date the follow-up counts from."""
    after_days = office_settings.load(session).follow_up_after_days
    cutoff = today - timedelta(days=after_days)
    since = func.coalesce(col(Request.delivered_date), col(Request.reply_date))
    return [
        col(Request.reply_date).is_not(None),
        or_(col(Request.status) == Status.REPLIED.value, col(Request.delivered_date).is_not(None)),
        since <= cutoff,
        _not_followed_up(),
    ], since


def _filtered_due(session: Session, today: date, f: CallFilter) -> tuple[list[Any], Any]:
    where, since = _due_conditions(session, today)
    if f.called is not None:
        # Through the call index: one lookup per due request.
        attempted = exists().where(col(SatisfactionCall.request_id) == col(Request.id))
        where.append(attempted if f.called else ~attempted)
    if f.registered_by:
        where.append(col(Request.created_by) == f.registered_by)
    return where + _text_clause(session, f), since


def count_due(session: Session, today: date, f: CallFilter | None = None) -> int:
    """How many answered requests still wait for a reached follow-up call, in the caller's session."""
    where, _since = _filtered_due(session, today, f or CallFilter())
    return int(session.exec(select(func.count()).select_from(Request).where(*where)).one())


def count_calls_due(db: Database, today: date, f: CallFilter | None = None) -> int:
    """How many answered requests still wait for a reached follow-up call (the dashboard card)."""
    with db.read() as session:
        return count_due(session, today, f)


def calls_due(db: Database, today: date, limit: int = 200, *, f: CallFilter | None = None,
              offset: int = 0) -> list[CallDue]:
    """Requests replied or delivered at least ``follow_up_after_days`` ago with no reached call.

    Only requests the applicant actually got an answer to: still "replied", or
    delivered (later archived or not); withdrawals are never called. The most
    recent answers come first — the applicant still remembers the reply — and an
    unreached request keeps its place, so it is called again. ``f`` narrows
    the list in SQL; ``offset`` and ``limit`` give one page of it.
    """
    with db.read() as session:
        return due_in(session, today, limit, f=f, offset=offset)


def due_in(session: Session, today: date, limit: int = 200, *, f: CallFilter | None = None,
           offset: int = 0) -> list[CallDue]:
    """``calls_due`` in the caller's session."""
    where, since = _filtered_due(session, today, f or CallFilter())
    # The page first, then the attempts of its requests only (correlated, through the call index):
    # counting them for every due request before the limit cost seconds at a million requests
    # (270,000 due), on every start, for the 今日待办's first lines (issue 18).
    page = (
        select(col(Request.id).label("rid"), since.label("since"))
        .where(*where)
        .order_by(since.desc(), col(Request.id).desc())
        .offset(max(0, offset))
        .limit(limit)
        .subquery()
    )
    of_request = col(SatisfactionCall.request_id) == col(Request.id)
    n = select(func.count()).where(of_request).correlate(Request).scalar_subquery()
    last = select(func.max(col(SatisfactionCall.called_at))).where(of_request).correlate(Request).scalar_subquery()
    query = (
        select(  # type: ignore[call-overload]  # nine columns: more than select's typed overloads
            col(Request.id).label("request_id"), Request.reg_number, Request.applicant_name, Request.phone,
            Request.reply_date, Request.delivered_date, page.c.since.label("since"), n.label("attempts"),
            last.label("last_attempt"),
        )
        .join(page, page.c.rid == col(Request.id))
        .order_by(page.c.since.desc(), col(Request.id).desc())
    )
    rows = session.execute(query).mappings().all()
    return [CallDue(**{**row, "last_attempt": office_time(row["last_attempt"]) if row["last_attempt"] else None})
            for row in rows]


def _call_rows(where: list[object], limit: int, offset: int = 0) -> object:
    return (
        select(SatisfactionCall, Request.reg_number, Request.applicant_name, User.display_name)
        .join(Request, col(Request.id) == col(SatisfactionCall.request_id))
        # Older records (and the demo) name the caller by login: shown by the name people know.
        .join(User, col(User.username) == col(SatisfactionCall.caller), isouter=True)
        .where(*where)  # type: ignore[arg-type]
        .order_by(col(SatisfactionCall.called_at).desc(), col(SatisfactionCall.id).desc())
        .offset(max(0, offset))
        .limit(limit)
    )


def _record_conditions(session: Session, f: CallFilter) -> list[Any]:
    where: list[Any] = []
    if f.reached is not None:
        where.append(col(SatisfactionCall.reached).is_(f.reached))
    if f.satisfaction:
        where.append(col(SatisfactionCall.satisfaction) == f.satisfaction)
    return where + _text_clause(session, f)


def call_records(db: Database, f: CallFilter, offset: int = 0, limit: int = 100) -> list[CallRow]:
    """One page of the logged calls ``f`` selects, newest first."""
    with db.read() as session:
        query = _call_rows(_record_conditions(session, f), limit, offset)
        return [_to_row(*r) for r in session.exec(query).all()]  # type: ignore[call-overload]


def count_call_records(db: Database, f: CallFilter) -> int:
    """How many logged calls ``f`` selects."""
    with db.read() as session:
        query = (select(func.count()).select_from(SatisfactionCall)
                 .join(Request, col(Request.id) == col(SatisfactionCall.request_id))
                 .where(*_record_conditions(session, f)))
        return int(session.exec(query).one())


def _to_row(call: SatisfactionCall, reg_number: str, name: str, caller_name: str | None = None) -> CallRow:
    assert call.id is not None
    return CallRow(id=call.id, request_id=call.request_id, reg_number=reg_number, applicant_name=name,
                   called_at=office_time(call.called_at), caller=caller_name or call.caller, reached=call.reached,
                   satisfaction=call.satisfaction, applicant_said=call.applicant_said,
                   follow_up_needed=call.follow_up_needed, note=call.note)


def recent_calls(db: Database, limit: int = 100) -> list[CallRow]:
    """The latest call attempts over all requests, newest first."""
    with db.read() as session:
        return [_to_row(*r) for r in session.exec(_call_rows([], limit)).all()]  # type: ignore[call-overload]


def calls_for(db: Database, request_id: int) -> list[CallRow]:
    """Every attempt for one request, newest first."""
    with db.read() as session:
        return calls_in(session, request_id)


def calls_in(session: Session, request_id: int) -> list[CallRow]:
    """``calls_for`` inside a read already open (the case file reads a case in one)."""
    query = _call_rows([col(SatisfactionCall.request_id) == request_id], 1000)
    return [_to_row(*r) for r in session.exec(query).all()]  # type: ignore[call-overload]


def satisfaction_rate(db: Database, start: date, end: date) -> SatisfactionStats:
    """Reached calls made from ``start`` to ``end`` (inclusive), counted in SQL."""
    if end < start:
        raise ValidationFailed("统计期间的结束日期不能早于开始日期。")
    level = col(SatisfactionCall.satisfaction)

    def count_if(value: Satisfaction):  # type: ignore[no-untyped-def]
        return func.coalesce(func.sum(case((level == value.value, 1), else_=0)), 0)

    query = select(
        func.count(col(SatisfactionCall.id)),
        count_if(Satisfaction.SATISFIED),
        count_if(Satisfaction.BASICALLY_SATISFIED),
        count_if(Satisfaction.DISSATISFIED),
    ).where(
        and_(
            col(SatisfactionCall.reached).is_(True),
            col(SatisfactionCall.called_at) >= _start_of(start),
            col(SatisfactionCall.called_at) < _start_of(end + timedelta(days=1)),
        )
    )
    with db.read() as session:
        reached, sat, basic, dis = session.exec(query).one()
    return SatisfactionStats(int(reached), int(sat), int(basic), int(dis))
