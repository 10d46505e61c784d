"""Administrative reconsideration and litigation sought against a reply (条例第五十一条).

The annual report has a table of their results (维持 / 纠正 / 其他 / 尚未审结,
litigation split into 未经复议直接起诉 and 复议后起诉), so every remedy the
office learns of is recorded with its kind and, later, its result. Callers get
``Remedy`` records, plain and immutable, never the stored rows.

The windows to seek them run from the delivery of the reply
(``deadlines.remedy_windows``; docs/domain.md, "Remedy windows"): ``windows_of`` for
one case, ``open_windows`` for the 工作台's list 救济期内, and each remedy recorded says
whether it was filed within its window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, exists, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from request_desk.core.cases.lookup import load_request
from request_desk.core.deadlines import rules
from request_desk.core.deadlines.remedy_windows import (
    LITIGATION_MONTHS,
    RECONSIDERATION_DAYS,
    RemedyWindows,
    add_months,
    remedy_windows,
    suit_after_decision_until,
)
from request_desk.core.deadlines.workcalendar import WorkCalendar
from request_desk.core.errors import NotFound, ValidationFailed
from request_desk.core.letters.kinds import KINDS, RECONSIDERATION_FIRST
from request_desk.core.office import permissions
from request_desk.core.office import settings as office_settings
from request_desk.core.storage.audit import audit, diff, event, snapshot
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Letter, RemedyCase, Request
from request_desk.core.vocab import RemedyKind, RemedyResult

__all__ = [
    "OpenWindow",
    "OpenWindows",
    "Remedy",
    "add_remedy",
    "open_windows",
    "reconsideration_first",
    "remedies_for",
    "remedy_of",
    "set_result",
    "windows_of",
]

_REPLY_KINDS = tuple(k.code for k in KINDS if k.is_reply)


@dataclass(frozen=True)
class Remedy:
    """One reconsideration or lawsuit as plain values."""

    id: int
    request_id: int
    kind: str  # a RemedyKind value
    filed_date: date
    body: str
    result: str  # a RemedyResult value
    result_date: date | None
    note: str
    # Filed within its window from the reply's delivery (a suit after reconsideration: within 15 days of
    # the decision); None when that cannot be said (delivery not recorded; no decision recorded, or a suit
    # filed later, since the 15 days run from the decision's receipt, which is not recorded).
    within_window: bool | None = None


def _reply_letters(request_id: object) -> ColumnElement[bool]:
    """Issued reply letters of the request that no later letter corrects."""
    newer = aliased(Letter)
    return and_(col(Letter.request_id) == request_id, col(Letter.kind).in_(_REPLY_KINDS),
                col(Letter.issued_date).is_not(None),
                ~select(newer.id).where(col(newer.supersedes_id) == col(Letter.id)).exists())


def reconsideration_first(session: Session, request: Request) -> bool:
    """Whether the reply sends the applicant to reconsideration first (复议前置), so no direct suit.

    Refusals under 3.x always do (行政复议法 第23条第一款第（四）项; the pre-issue check holds the
    letter to it), outcomes 1, 4.x, 5.x and 6.x never do. Outcome 2 does unless its reply letter
    took the ordinary route (``remedy_route=ordinary``): the letter's remedy paragraph decides,
    and without a letter on record (an imported ledger) it does.
    """
    code = request.outcome_code or ""
    if code != "2":
        return code.startswith("3.")
    texts = session.exec(select(Letter.final_text).where(_reply_letters(request.id or 0))).all()
    return not texts or any(RECONSIDERATION_FIRST in text for text in texts)


def _first_clause() -> ColumnElement[bool]:
    """``reconsideration_first`` as an SQL condition on the Request row (letters read for outcome 2 only)."""
    outcome = col(Request.outcome_code)
    says_first = exists().where(_reply_letters(col(Request.id)),
                                col(Letter.final_text).contains(RECONSIDERATION_FIRST, autoescape=True))
    ordinary = and_(exists().where(_reply_letters(col(Request.id))), ~says_first)
    return or_(outcome.like("3.%"), and_(outcome == "2", ~ordinary))


def windows_of(session: Session, request: Request, calendar: WorkCalendar | None = None) -> RemedyWindows | None:
    """The request's remedy windows; None while it has no reply (nothing to challenge yet)."""
    if request.reply_date is None:
        return None
    return remedy_windows(request.delivered_date, calendar or rules.calendar(session),
                          litigation_allowed=not reconsideration_first(session, request))


def remedy_of(db: Database, request_id: int) -> RemedyWindows | None:
    """``windows_of`` in its own read session."""
    with db.read() as session:
        return windows_of(session, load_request(session, request_id))


def _suit_until(session: Session, remedy: RemedyCase) -> date | None:
    """For a suit after reconsideration: the last day counted from the latest decision before it."""
    if remedy.kind != RemedyKind.LITIGATION_AFTER_RECONSIDERATION.value:
        return None
    decided = session.exec(
        select(func.max(RemedyCase.result_date)).where(
            RemedyCase.request_id == remedy.request_id, RemedyCase.kind == RemedyKind.RECONSIDERATION.value,
            col(RemedyCase.result_date) <= remedy.filed_date)
    ).one()
    return None if decided is None else suit_after_decision_until(decided, rules.calendar(session))


def _within(windows: RemedyWindows | None, kind: RemedyKind, filed: date, suit_until: date | None) -> bool | None:
    if kind is RemedyKind.LITIGATION_AFTER_RECONSIDERATION:
        return True if suit_until is not None and filed <= suit_until else None
    if windows is None or not windows.known:
        return None
    if kind is RemedyKind.LITIGATION_DIRECT and windows.litigation_until is None:
        return False  # reconsideration first: no window to sue directly
    return windows.within(kind is not RemedyKind.RECONSIDERATION, filed)


def _record(session: Session, remedy: RemedyCase, windows: RemedyWindows | None) -> Remedy:
    assert remedy.id is not None
    within = _within(windows, RemedyKind(remedy.kind), remedy.filed_date, _suit_until(session, remedy))
    return Remedy(id=remedy.id, request_id=remedy.request_id, kind=remedy.kind, filed_date=remedy.filed_date,
                  body=remedy.body, result=remedy.result, result_date=remedy.result_date, note=remedy.note,
                  within_window=within)


def add_remedy(
    db: Database,
    request_id: int,
    actor: str,
    kind: RemedyKind,
    filed: date,
    body: str = "",
    note: str = "",
    *,
    today: date | None = None,
) -> Remedy:
    """Record that the applicant sought a remedy; its result starts as 尚未审结.

    An empty ``body`` takes the office's setting (reconsideration body or court).
    Litigation after reconsideration needs the reconsideration recorded first.
    """
    today = today or date.today()
    kind = RemedyKind(kind)
    if filed > today:
        raise ValidationFailed(f"{kind.label}的日期 {filed} 晚于今天，不能预先登记。")
    with db.write() as session:
        permissions.require(session, actor, permissions.Permission.RUN_CASE)
        request = load_request(session, request_id)
        if request.reply_date is None:
            raise ValidationFailed(f"申请 {request.reg_number} 尚未答复，不能登记行政复议或行政诉讼。")
        if filed < request.reply_date:
            raise ValidationFailed(f"{kind.label}的日期不能早于答复日期 {request.reply_date}。")
        if kind is RemedyKind.LITIGATION_AFTER_RECONSIDERATION:
            earlier = session.exec(
                select(RemedyCase).where(
                    RemedyCase.request_id == request_id,
                    RemedyCase.kind == RemedyKind.RECONSIDERATION.value,
                    col(RemedyCase.filed_date) <= filed,
                )
            ).first()
            if earlier is None:
                raise ValidationFailed("“复议后起诉”须先登记本申请的行政复议。")
        if not body.strip():
            conf = office_settings.load(session)
            body = conf.reconsideration_body if kind is RemedyKind.RECONSIDERATION else conf.court
        remedy = RemedyCase(request_id=request_id, kind=kind.value, filed_date=filed, body=body.strip(),
                            result=RemedyResult.PENDING.value, note=note.strip())
        session.add(remedy)
        session.flush()
        event(session, request_id, "remedy_filed", filed, actor, f"{kind.label}（{remedy.body}）",
              {"remedy_id": remedy.id, "kind": kind.value})
        audit(session, actor, "add_remedy", "remedycase", remedy.id, None, snapshot(remedy))
        return _record(session, remedy, windows_of(session, request))


def set_result(
    db: Database,
    remedy_id: int,
    actor: str,
    result: RemedyResult,
    result_date: date | None,
    note: str = "",
    *,
    today: date | None = None,
) -> Remedy:
    """Record the decision or judgment (or set it back to 尚未审结)."""
    today = today or date.today()
    result = RemedyResult(result)
    if result is RemedyResult.PENDING:
        result_date = None
    elif result_date is None:
        raise ValidationFailed("请填写复议决定或判决的日期。")
    elif result_date > today:
        raise ValidationFailed(f"结果日期 {result_date} 晚于今天，不能预先登记。")
    with db.write() as session:
        permissions.require(session, actor, permissions.Permission.RUN_CASE)
        remedy = session.get(RemedyCase, remedy_id)
        if remedy is None:
            raise NotFound(f"找不到编号为 {remedy_id} 的复议或诉讼记录。")
        if result_date is not None and result_date < remedy.filed_date:
            raise ValidationFailed(f"结果日期不能早于提起日期 {remedy.filed_date}。")
        before = snapshot(remedy)
        remedy.result = result.value
        remedy.result_date = result_date
        remedy.note = note.strip()
        session.add(remedy)
        session.flush()
        old, new = diff(before, snapshot(remedy))
        kind = RemedyKind(remedy.kind)
        event(session, remedy.request_id, "remedy_result", result_date or today, actor,
              f"{kind.label}：{result.label}", {"remedy_id": remedy.id, "result": result.value})
        audit(session, actor, "set_remedy_result", "remedycase", remedy.id, old, new)
        return _record(session, remedy, windows_of(session, load_request(session, remedy.request_id)))


def remedies_for(db: Database, request_id: int) -> list[Remedy]:
    """The request's remedies in the order they were filed."""
    with db.read() as session:
        return remedies_in(session, request_id)


def remedies_in(session: Session, request_id: int) -> list[Remedy]:
    """``remedies_for`` inside a read already open (the case file reads a case in one)."""
    rows = session.exec(
        select(RemedyCase).where(RemedyCase.request_id == request_id)
        .order_by(col(RemedyCase.filed_date), col(RemedyCase.id))
    ).all()
    windows = windows_of(session, load_request(session, request_id)) if rows else None
    return [_record(session, m, windows) for m in rows]


# --------------------------------------------------------------------------
# The 工作台's list 救济期内
# --------------------------------------------------------------------------

# The longest run of rest days a period can end in (春节 and 国庆 are 8–9 days with the weekend).
_LONGEST_REST = 31


@dataclass(frozen=True)
class OpenWindow:
    request_id: int
    reg_number: str
    applicant_name: str
    delivered: date
    windows: RemedyWindows

    def line(self, today: date) -> str:
        """One line of the list: number, applicant, the window still open."""
        w = self.windows
        if w.reconsideration_until is not None and today <= w.reconsideration_until:
            what = f"复议至 {w.reconsideration_until}"
            if w.litigation_until is not None:
                what += f"，诉讼至 {w.litigation_until}"
        else:
            what = f"诉讼至 {w.litigation_until}"
        return f"{self.reg_number}  {self.applicant_name}  {self.delivered} 送达  {what}"


@dataclass(frozen=True)
class OpenWindows:
    count: int
    rows: tuple[OpenWindow, ...]  # newest delivery first, at most ``top``


def _earliest_open(calendar: WorkCalendar, today: date, start: date,
                   last_day: Callable[[date], date]) -> date:
    """The earliest delivery date whose window (``last_day(delivered)``, moved off rest days) includes today.

    The last day never decreases with the delivery date, so a short walk from a date
    certainly too early finds the bound; SQL then filters on it exactly.
    """
    day = start
    while calendar.add_workdays(last_day(day) - timedelta(days=1), 1) < today:
        day += timedelta(days=1)
    return day


def open_windows(session: Session, today: date, top: int = 8) -> OpenWindows:
    """Replies whose reconsideration or litigation window is open today, counted and listed in SQL.

    Exact: the calendar gives the earliest delivery date still open for each remedy, so the
    query reads only replies delivered in the last six months and a few weeks (the index
    ``ix_request_delivered``), and the Python windows are computed for the rows listed only.
    """
    cal = rules.calendar(session)
    rec_from = _earliest_open(cal, today, today - timedelta(days=RECONSIDERATION_DAYS + _LONGEST_REST),
                              lambda d: d + timedelta(days=RECONSIDERATION_DAYS))
    lit_from = _earliest_open(cal, today, add_months(today, -LITIGATION_MONTHS) - timedelta(days=_LONGEST_REST),
                              lambda d: add_months(d, LITIGATION_MONTHS))
    low = min(rec_from, lit_from)
    delivered = col(Request.delivered_date)
    where = [
        delivered.is_not(None), delivered >= low, delivered <= today,  # ix_request_delivered
        or_(delivered >= rec_from, and_(delivered >= lit_from, ~_first_clause())),
    ]
    count = session.exec(select(func.count()).select_from(Request).where(*where)).one()
    found = session.exec(select(Request).where(*where).order_by(delivered.desc(), col(Request.id).desc())
                         .limit(top)).all()
    rows = []
    for r in found:
        assert r.id is not None and r.delivered_date is not None
        windows = remedy_windows(r.delivered_date, cal, litigation_allowed=not reconsideration_first(session, r))
        rows.append(OpenWindow(r.id, r.reg_number, r.applicant_name, r.delivered_date, windows))
    return OpenWindows(int(count), tuple(rows))
