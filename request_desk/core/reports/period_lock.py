"""Period lock (归档锁定): a filed month's register and the database must not silently disagree.

Locking a month records who filed it and when (office-wide, in the settings
table). Cases of a locked month can still be changed — the law and the
clerk's work do not stop — but every change to such a case after the lock
is listed as an amendment (更正) in the register of the month in which the
change was made, from the audit log. A case belongs to a month when it was
received or answered in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from request_desk.core.cases.workflow import Action
from request_desk.core.deadlines.clock import OFFICE_TZ
from request_desk.core.errors import ValidationFailed
from request_desk.core.office import permissions
from request_desk.core.reports.common import Month
from request_desk.core.storage.audit import audit
from request_desk.core.storage.models import AuditEntry, Request, Setting, table_of

_KEY = "period_locks"
A = table_of(AuditEntry).c
R = table_of(Request).c

_ACTION_LABELS = {a.value: a.label for a in Action}
_ACTION_LABELS.update({"recompute_due_date": "节假日安排变更，重算答复期限", "register": "登记",
                       "import": "自历史台账导入"})


@dataclass(frozen=True)
class Lock:
    month: Month
    at: datetime  # aware UTC, like the audit log
    by: str


def locks(session: Session) -> dict[Month, Lock]:
    row = session.get(Setting, _KEY)
    stored: dict[str, Any] = dict(row.value) if row and isinstance(row.value, dict) else {}
    return {Month.parse(k): Lock(Month.parse(k), _aware(datetime.fromisoformat(v["at"])), v["by"])
            for k, v in stored.items()}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def lock_month(db: Any, month: Month, actor: str, *, now: datetime | None = None) -> Lock:
    """Record that ``month``'s register was filed; a month is locked once."""
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    today_office = moment.astimezone(OFFICE_TZ).date()
    if today_office < month.last:
        raise ValidationFailed(f"{month.label}尚未结束，不能归档锁定。")
    with db.write() as session:
        permissions.require(session, actor, permissions.Permission.LOCK_PERIOD)
        row = session.get(Setting, _KEY)
        stored = dict(row.value) if row and isinstance(row.value, dict) else {}
        if month.key in stored:
            locked = stored[month.key]
            raise ValidationFailed(f"{month.label}已于 {locked['at']} 由 {locked['by']} 归档锁定。")
        stored[month.key] = {"at": moment.isoformat(), "by": actor}
        if row is None:
            session.add(Setting(key=_KEY, value=stored))
        else:
            row.value = stored
            session.add(row)
        audit(session, actor, "lock_month", "setting", None, None, {"month": month.key})
    return Lock(month, moment, actor)


@dataclass(frozen=True)
class Amendment:
    """A change, made in the register's month, to a case of an earlier locked month."""

    request_id: int
    reg_number: str
    locked_month: Month
    at: datetime  # office time
    user: str
    what: str


AMENDMENT_COLUMNS = ("登记编号", "所属归档月份", "更正时间", "更正内容", "操作人")


def amendments(session: Session, month: Month) -> list[Amendment]:
    """Changes made during ``month`` to cases of months locked before the change."""
    locked = [lk for lk in locks(session).values() if lk.month < month.next()]
    if not locked:
        return []
    start, end = month.utc_bounds()
    belongs = []
    for lk in locked:
        in_month = or_(and_(R.received_date >= lk.month.first, R.received_date <= lk.month.last),
                       and_(R.reply_date >= lk.month.first, R.reply_date <= lk.month.last))
        belongs.append(and_(in_month, A.at > lk.at))
    stmt = (
        select(A.record_id, R.reg_number, R.received_date, R.reply_date, A.at, A.user, A.action, A.new)
        .join(table_of(Request), R.id == A.record_id)
        .where(A.table_name == "request", A.at >= start, A.at < end, or_(*belongs))
        .order_by(A.at, A.id)
    )
    out: list[Amendment] = []
    for rid, reg, received, replied, at, user, action, new in session.execute(stmt):
        lk = next(lk for lk in locked
                  if (lk.month == Month.of(received) or (replied and lk.month == Month.of(replied))) and at > lk.at)
        what = _ACTION_LABELS.get(action, action)
        if isinstance(new, dict) and new:
            fields = "、".join(k for k in new if k not in ("version", "updated_at"))
            if fields:
                what += f"（{fields}）"
        local = at.astimezone(OFFICE_TZ).replace(tzinfo=None)
        out.append(Amendment(rid, reg, lk.month, local, user, what))
    return out
