"""The proactive-publication worklist (主动公开, 条例第四十四条).

A *flag* is one subject proposed for proactive publication; it covers every
request that asked for that information (``PublicationFlagRequest``), so a
subject is flagged once, not once per request. Flags are raised

* by the clerk at reply time ("the public at large should know this"):
  ``raise_flag``; or
* automatically when a reply is saved (``suggest_after_reply``, called by
  ``cases.reply`` in its own transaction): when at least
  ``OfficeSettings.publication_threshold`` (default 2) *different* applicants
  asked for similar information that was disclosed (outcome 1 or 2). A
  request similar to an already-flagged subject joins that flag instead.

The publishing team works the list: proposed (待审核) → reviewed (已审核) →
published (已公开: channel, link, date) or declined (不予公开: reason), each
step audited. ``export_xlsx`` writes the list for the file;
``annual_counts``/``narrative`` give the figures for the annual report.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from request_desk.core.cases.lookup import load_request
from request_desk.core.errors import NotFound, TransitionError, ValidationFailed
from request_desk.core.office import permissions
from request_desk.core.office import settings as office_settings
from request_desk.core.office.permissions import Permission
from request_desk.core.publication import similarity_index
from request_desk.core.reports.common import atomic_output
from request_desk.core.storage.audit import audit, snapshot
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import PublicationFlag, PublicationFlagRequest, Request, RequestLink
from request_desk.core.vocab import DISCLOSING_OUTCOMES, PublicationState

__all__ = [
    "DISCLOSED_OUTCOMES",
    "FlagRow",
    "PublicationCounts",
    "annual_counts",
    "decline",
    "export_xlsx",
    "flag_of",
    "link_same_subject",
    "may_decide",
    "narrative",
    "publish",
    "raise_flag",
    "review",
    "suggest_after_reply",
    "why_not_decide",
    "worklist",
]

DISCLOSED_OUTCOMES = DISCLOSING_OUTCOMES
ORIGIN_LABELS = {"clerk": "经办人提出", "suggested": "系统提示（多人申请）"}
# Which states each step leaves from, and where it goes.
STEPS: dict[str, tuple[frozenset[PublicationState], PublicationState]] = {
    "review": (frozenset({PublicationState.PROPOSED}), PublicationState.REVIEWED),
    "publish": (frozenset({PublicationState.REVIEWED}), PublicationState.PUBLISHED),
    "decline": (frozenset({PublicationState.PROPOSED, PublicationState.REVIEWED}), PublicationState.DECLINED),
}


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _applicant(r: Request) -> str:
    return similarity_index.applicant_key(r.applicant_name, r.id_number, r.credit_code)


# ------------------------------------------------------------------ linking


def link_same_subject(db: Database, request_id: int, other_id: int, actor: str) -> RequestLink:
    """A clerk says two requests ask for the same information (同一事项)."""
    if request_id == other_id:
        raise ValidationFailed("不能将申请与其自身关联。")
    with db.write() as session:
        permissions.require(session, actor, Permission.RUN_CASE)
        request, other = session.get(Request, request_id), session.get(Request, other_id)
        if request is None or other is None:
            raise NotFound("所关联的申请不存在。")
        pair = {request_id, other_id}
        existing = session.exec(select(RequestLink).where(col(RequestLink.request_id).in_(pair),
                                                          col(RequestLink.other_id).in_(pair))).first()
        if existing is not None:
            raise TransitionError(f"申请 {request.reg_number} 与 {other.reg_number} 已关联为同一事项。")
        link = RequestLink(request_id=request_id, other_id=other_id, created_by=actor)
        session.add(link)
        session.flush()
        audit(session, actor, "link_same_subject", "request_link", link.id, None, snapshot(link))
        return link


# ------------------------------------------------------------------ raising


def flag_of(session: Session, request_id: int) -> PublicationFlag | None:
    """The flag covering this request, if any."""
    row = session.get(PublicationFlagRequest, request_id)
    return session.get(PublicationFlag, row.flag_id) if row is not None else None


def _disclosed_peers(session: Session, request: Request) -> list[similarity_index.SimilarRequest]:
    """Other requests for the same information that were disclosed: similar or linked."""
    assert request.id is not None
    found = similarity_index.find_similar(session, request.description, request.received_date,
                                          exclude_ids=[request.id], limit=100)
    peers = {s.request_id: s for s in found if s.disclosed}
    for other_id in similarity_index.linked_ids(session, request.id) - set(peers):
        other = session.get(Request, other_id)
        if other is not None and other.outcome_code in DISCLOSED_OUTCOMES:
            peers[other_id] = similarity_index.SimilarRequest(
                other_id, other.reg_number, other.applicant_name, _applicant(other), other.received_date,
                other.status, other.outcome_code, other.reply_date, other.description, 0.0, linked=True)  # type: ignore[arg-type]
    return list(peers.values())


def _cover(session: Session, flag: PublicationFlag, request_ids: Iterable[int], actor: str) -> list[int]:
    added = []
    for rid in request_ids:
        if session.get(PublicationFlagRequest, rid) is None:
            session.add(PublicationFlagRequest(request_id=rid, flag_id=flag.id, added_by=actor))  # type: ignore[arg-type]
            added.append(rid)
    return added


def _join_existing(session: Session, request: Request, peers: list[similarity_index.SimilarRequest],
                   actor: str) -> PublicationFlag | None:
    """If a peer is already flagged, this request joins that flag (one flag per subject)."""
    for peer in sorted(peers, key=lambda p: p.request_id):
        flag = flag_of(session, peer.request_id)
        if flag is not None:
            added = _cover(session, flag, [request.id], actor)  # type: ignore[list-item]
            if added:
                audit(session, actor, "publication_cover", "publicationflag", flag.id, None,
                      {"request": request.reg_number})
            return flag
    return None


def _create(session: Session, request: Request, peers: list[similarity_index.SimilarRequest], actor: str,
            origin: str, reason: str) -> PublicationFlag:
    flag = PublicationFlag(request_id=request.id, state=PublicationState.PROPOSED, reason=reason,  # type: ignore[arg-type]
                           raised_by=actor, subject=request.description, origin=origin)
    session.add(flag)
    session.flush()
    assert request.id is not None  # a stored request
    _cover(session, flag, [request.id, *(p.request_id for p in peers)], actor)
    audit(session, actor, "publication_raise", "publicationflag", flag.id, None,
          {**snapshot(flag), "requests": [request.reg_number] + [p.reg_number for p in peers]})
    return flag


def suggest_after_reply(session: Session, request: Request, actor: str) -> PublicationFlag | None:
    """Art. 44: after a disclosing reply, propose the subject when enough applicants asked for it.

    Runs inside the reply's transaction (``cases.reply``). Returns the flag the
    request now belongs to, or None. Never creates a second flag for a subject.
    """
    if request.outcome_code not in DISCLOSED_OUTCOMES or request.id is None:
        return None
    if flag_of(session, request.id) is not None:
        return None
    peers = _disclosed_peers(session, request)
    joined = _join_existing(session, request, peers, actor)
    if joined is not None:
        return joined
    applicants = {_applicant(request)} | {p.applicant for p in peers}
    threshold = office_settings.load(session).publication_threshold
    if len(applicants) < max(threshold, 1):
        return None
    reason = (f"{len(applicants)}位不同申请人申请获取相同信息且已予公开（条例第四十四条），"
              f"涉及申请{len(peers) + 1}件。")
    return _create(session, request, peers, actor, "suggested", reason)


def raise_flag(db: Database, request_id: int, actor: str, reason: str = "") -> FlagRow:
    """The clerk proposes the information of a disclosing reply for proactive publication."""
    with db.write() as session:
        permissions.require(session, actor, Permission.PROPOSE_PUBLICATION)
        request = load_request(session, request_id)
        if request.outcome_code not in DISCLOSED_OUTCOMES:
            raise ValidationFailed("只有予以公开或部分公开的答复才能提请主动公开。")
        existing = flag_of(session, request_id)
        if existing is not None:
            state = PublicationState(existing.state).label
            raise TransitionError(f"申请 {request.reg_number} 已在主动公开清单中（{state}）。")
        peers = _disclosed_peers(session, request)
        joined = _join_existing(session, request, peers, actor)
        flag = joined or _create(session, request, peers, actor, "clerk",
                                 reason.strip() or "公众普遍需要知晓（经办人提出）。")
        return _row(session, flag)


# ------------------------------------------------------------------ the list


# Who may take each step: approving and declining are the head's decisions, and never the
# proposer's own (four eyes, docs/SECURITY.md); registering where it was published is the desk's.
_STEP_PERMISSIONS = {"review": Permission.APPROVE_PUBLICATION, "publish": Permission.PROPOSE_PUBLICATION,
                     "decline": Permission.APPROVE_PUBLICATION}


def why_not_decide(session: Session, flag: PublicationFlag, step: str, actor: str) -> str | None:
    """Why ``actor`` may not take ``step`` on ``flag`` (their role, or their own proposal), or None."""
    permission = _STEP_PERMISSIONS[step]
    if not permissions.allowed(session, actor, permission):
        who = permissions.roles_text(permission)
        return f"“{actor}”无权对主动公开事项“{_STEP_LABELS[step]}”：只有在用的{who}账户可以。"
    if permission is Permission.APPROVE_PUBLICATION and flag.origin == "clerk" and flag.raised_by == actor:
        return "提出主动公开建议的人不能同时审核或否决该建议，请由另一位负责人决定。"
    return None


def may_decide(db: Database, flag_id: int, step: str, actor: str) -> str | None:
    """``why_not_decide`` in a read of its own: what the worklist greys out."""
    with db.read() as session:
        flag = session.get(PublicationFlag, flag_id)
        return "找不到该事项。" if flag is None else why_not_decide(session, flag, step, actor)


def _transition(db: Database, flag_id: int, step: str, actor: str, **changes: object) -> FlagRow:
    sources, target = STEPS[step]
    with db.write() as session:
        flag = session.get(PublicationFlag, flag_id)
        if flag is None:
            raise NotFound(f"找不到编号为 {flag_id} 的主动公开事项。")
        refusal = why_not_decide(session, flag, step, actor)
        if refusal is not None:
            raise permissions.PermissionDenied(refusal)
        state = PublicationState(flag.state)
        if state not in sources:
            allowed = "、".join(s.label for s in sources)
            raise TransitionError(f"该事项当前为“{state.label}”，只有“{allowed}”的事项才能{_STEP_LABELS[step]}。")
        before = snapshot(flag)
        for name, value in changes.items():
            setattr(flag, name, value)
        flag.state = target
        session.add(flag)
        session.flush()
        after = snapshot(flag)
        changed = [k for k in after if before.get(k) != after[k]]
        audit(session, actor, f"publication_{step}", "publicationflag", flag.id,
              {k: before.get(k) for k in changed}, {k: after[k] for k in changed})
        return _row(session, flag)


_STEP_LABELS = {"review": "审核", "publish": "登记公开", "decline": "不予公开"}


def review(db: Database, flag_id: int, actor: str) -> FlagRow:
    """待审核 → 已审核."""
    return _transition(db, flag_id, "review", actor, reviewed_by=actor, reviewed_at=_now())


def publish(db: Database, flag_id: int, actor: str, *, channel: str, link: str, published: date,
            today: date | None = None) -> FlagRow:
    """已审核 → 已公开: where (channel), the link, and the date it went out."""
    if not channel.strip():
        raise ValidationFailed("请填写公开渠道（如政府网站“政府信息公开”专栏）。")
    if published > (today or date.today()):
        raise ValidationFailed("公开日期不能晚于今天。")
    return _transition(db, flag_id, "publish", actor, channel=channel.strip(), link=link.strip(),
                       published_date=published, decided_by=actor, decided_at=_now())


def decline(db: Database, flag_id: int, actor: str, *, reason: str) -> FlagRow:
    """待审核/已审核 → 不予公开, with the reason."""
    if not reason.strip():
        raise ValidationFailed("不予主动公开须写明理由。")
    return _transition(db, flag_id, "decline", actor, declined_reason=reason.strip(), decided_by=actor,
                       decided_at=_now())


@dataclass(frozen=True)
class FlagRow:
    """One line of the worklist, plain and detached."""

    id: int
    state: PublicationState
    subject: str
    origin: str
    reason: str
    raised_by: str
    raised_at: datetime
    reviewed_by: str
    channel: str
    link: str
    published_date: date | None
    declined_reason: str
    decided_by: str | None = None
    reg_numbers: tuple[str, ...] = field(default_factory=tuple)
    applicants: int = 0

    @property
    def origin_label(self) -> str:
        return ORIGIN_LABELS.get(self.origin, self.origin)


_STATE_ORDER = {s: i for i, s in enumerate(PublicationState)}


def worklist(db: Database, states: Iterable[PublicationState] | None = None) -> list[FlagRow]:
    """The flags, open ones first (待审核, 已审核), newest first within a state."""
    wanted = [s.value for s in states] if states is not None else None
    with db.read() as session:
        query = select(PublicationFlag)
        if wanted is not None:
            query = query.where(col(PublicationFlag.state).in_(wanted))
        out = _rows(session, session.exec(query).all())
    out.sort(key=lambda r: (_STATE_ORDER[r.state], -r.raised_at.timestamp(), -r.id))
    return out


def _rows(session: Session, flags: Sequence[PublicationFlag]) -> list[FlagRow]:
    """Plain rows for ``flags``, with the requests each covers (two queries for any number of flags)."""
    ids = [f.id for f in flags if f.id is not None]
    covered: dict[int, list[Request]] = {i: [] for i in ids}
    if ids:
        rows = session.exec(select(PublicationFlagRequest, Request)
                            .join(Request, col(Request.id) == PublicationFlagRequest.request_id)
                            .where(col(PublicationFlagRequest.flag_id).in_(ids))
                            .order_by(col(Request.received_date), col(Request.id))).all()
        for link, request in rows:
            covered[link.flag_id].append(request)
    return [
        FlagRow(id=f.id or 0, state=PublicationState(f.state), subject=f.subject or "", origin=f.origin or "clerk",
                reason=f.reason, raised_by=f.raised_by, raised_at=f.raised_at, reviewed_by=f.reviewed_by,
                channel=f.channel, link=f.link, published_date=f.published_date, declined_reason=f.declined_reason,
                decided_by=f.decided_by, reg_numbers=tuple(r.reg_number for r in covered[f.id or 0]),
                applicants=len({_applicant(r) for r in covered[f.id or 0]}))
        for f in flags
    ]


def _row(session: Session, flag: PublicationFlag) -> FlagRow:
    session.flush()
    return _rows(session, [flag])[0]


# ------------------------------------------------------------ annual report


@dataclass(frozen=True)
class PublicationCounts:
    year: int
    raised: int  # flags raised in the year
    suggested: int  # of which suggested because several applicants asked (Art. 44)
    published: int  # published in the year (by publication date)
    declined: int  # declined in the year
    open: int  # still 待审核 / 已审核 at the end of the query
    requests_covered: int  # requests of the flags raised in the year


def annual_counts(db: Database, year: int) -> PublicationCounts:
    start, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    flag = PublicationFlag
    with db.read() as session:
        def count(*where: ColumnElement[bool]) -> int:
            return int(session.exec(select(func.count()).select_from(flag).where(*where)).one())
        in_year = (col(flag.raised_at) >= start, col(flag.raised_at) < end)
        covered = session.exec(select(func.count()).select_from(PublicationFlagRequest)
                               .join(flag, col(flag.id) == PublicationFlagRequest.flag_id).where(*in_year)).one()
        return PublicationCounts(
            year=year,
            raised=count(*in_year),
            suggested=count(*in_year, col(flag.origin) == "suggested"),
            published=count(col(flag.state) == PublicationState.PUBLISHED,
                            col(flag.published_date) >= date(year, 1, 1),
                            col(flag.published_date) < date(year + 1, 1, 1)),
            declined=count(col(flag.state) == PublicationState.DECLINED,
                           col(flag.decided_at) >= start, col(flag.decided_at) < end),
            open=count(col(flag.state).in_([PublicationState.PROPOSED.value, PublicationState.REVIEWED.value])),
            requests_covered=int(covered),
        )


def narrative(c: PublicationCounts) -> str:
    """A sentence for the annual report's text (年度报告 — 依申请公开转主动公开)."""
    return (f"{c.year}年，本机关对依申请公开中公众普遍关注的政府信息提出主动公开建议{c.raised}项"
            f"（其中因多名申请人申请相同信息提出{c.suggested}项，涉及申请{c.requests_covered}件），"
            f"已转为主动公开{c.published}项，经审核不予主动公开{c.declined}项，尚在办理{c.open}项。")


# ------------------------------------------------------------------- export

EXPORT_HEADERS = ("序号", "状态", "拟公开事项", "涉及申请（登记编号）", "申请人数", "提出方式", "提出理由", "提出人",
                  "提出时间", "审核人", "公开渠道", "链接", "公开日期", "不予公开理由")


def export_xlsx(db: Database, path: Path | str, states: Iterable[PublicationState] | None = None) -> Path:
    """The worklist as an Excel file (openpyxl), one row per subject."""
    # openpyxl takes 0.1 s to import and only this export needs it here.
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.cell import Cell  # noqa: PLC0415
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415

    from request_desk.core.reports.safe_text import xlsx_text  # noqa: PLC0415  (imports openpyxl)

    path = Path(path)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "主动公开清单"
    ws.append(list(EXPORT_HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, r in enumerate(worklist(db, states), 1):
        values = [i, r.state.label, r.subject, "、".join(r.reg_numbers), r.applicants, r.origin_label, r.reason,
                  r.raised_by, r.raised_at.strftime("%Y-%m-%d %H:%M"), r.reviewed_by, r.channel, r.link,
                  r.published_date, r.declined_reason]
        # User text stays text (no formulas); append() gives each cell its real row and column.
        ws.append([xlsx_text(Cell(ws, row=1, column=1), v) for v in values])
        ws.cell(row=i + 1, column=13).number_format = "yyyy-mm-dd"
    for letter, width in zip("ABCDEFGHIJKLMN", (6, 10, 48, 28, 8, 16, 40, 10, 17, 10, 20, 30, 12, 30), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    with atomic_output(path) as tmp:  # never a half-written file, never over a folder or device
        wb.save(tmp)
    return path
