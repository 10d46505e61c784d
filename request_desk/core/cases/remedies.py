"""Administrative reconsideration and litigation sought against a reply (条例第五十一条).

The annual report has a table of their results (维持 / 纠正 / 其他 / 尚未审结,
litigation split into 未经复议直接起诉 and 复议后起诉), so every remedy the
office learns of is recorded with its kind and, later, its result. Callers get
``Remedy`` records, plain and immutable, never the stored rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from request_desk.core.cases.lookup import load_request
from request_desk.core.errors import NotFound, ValidationFailed
from request_desk.core.office import permissions
from request_desk.core.office import settings as office_settings
from request_desk.core.storage.audit import audit, diff, event, snapshot
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import RemedyCase
from request_desk.core.vocab import RemedyKind, RemedyResult

__all__ = ["Remedy", "add_remedy", "remedies_for", "set_result"]


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


def _record(remedy: RemedyCase) -> Remedy:
    assert remedy.id is not None
    return Remedy(id=remedy.id, request_id=remedy.request_id, kind=remedy.kind, filed_date=remedy.filed_date,
                  body=remedy.body, result=remedy.result, result_date=remedy.result_date, note=remedy.note)


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
        return _record(remedy)


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
        return _record(remedy)


def remedies_for(db: Database, request_id: int) -> list[Remedy]:
    """The request's remedies in the order they were filed."""
    with db.read() as session:
        return [_record(m) for m in session.exec(
            select(RemedyCase).where(RemedyCase.request_id == request_id)
            .order_by(col(RemedyCase.filed_date), col(RemedyCase.id))
        ).all()]
