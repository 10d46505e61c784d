"""The plain, immutable records the case services hand out instead of ORM rows.

A ``RequestRecord`` is a detached copy of one request's columns, taken inside
the transaction that wrote it: the GUI and the command line can keep it, compare
it, show it, and never trigger a lazy load or pass a live row into another
session. A ``FeeRecord`` is the same for a fee notice.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from request_desk.core.storage.models import Fee, Request
from request_desk.core.vocab import Status


@dataclass(frozen=True)
class RequestRecord:
    """One request as stored (the columns of ``Request``), with its status as a ``Status``."""

    id: int
    year: int
    seq: int
    reg_number: str
    channel: str
    received_date: date
    applicant_type: str
    applicant_name: str
    id_type: str
    id_number: str
    credit_code: str
    contact_person: str
    phone: str
    address: str
    postal_code: str
    email: str
    description: str
    purpose: str
    preferred_form: str
    delivery_method: str
    status: Status
    outcome_code: str | None
    current_unit_id: int | None
    repeat_of_id: int | None
    supplement_notice_date: date | None
    supplement_notice_late: bool
    supplement_deadline: date | None
    supplemented_date: date | None
    later_date: date | None
    later_date_reason: str
    reply_date: date | None
    replied_on_time: bool | None
    reply_summary: str
    delivered_date: date | None
    delivery_channel: str
    delivery_proof: str
    closed_date: date | None
    supplement_due_date: date | None
    due_date: date | None
    due_provisional: bool
    note: str
    created_at: datetime
    created_by: str
    updated_at: datetime
    version: int

    def to_json_dict(self) -> dict[str, Any]:
        """Dates and times as ISO text, everything else as stored."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = value.isoformat() if isinstance(value, date | datetime) else (
                value.value if isinstance(value, Status) else value)
        return out


_REQUEST_FIELDS = tuple(f.name for f in fields(RequestRecord))


def request_record(request: Request) -> RequestRecord:
    """A detached copy of ``request`` (flushed, so it has its id)."""
    values = {name: getattr(request, name) for name in _REQUEST_FIELDS}
    values["status"] = Status(request.status)
    return RequestRecord(**values)


@dataclass(frozen=True)
class FeeRecord:
    """One fee notice: what was charged, when the applicant must pay, when they paid."""

    id: int
    request_id: int
    method: str
    quantity: int
    amount_yuan: int
    notice_date: date
    payment_due: date | None
    paid_date: date | None


def fee_record(fee: Fee) -> FeeRecord:
    assert fee.id is not None
    return FeeRecord(fee.id, fee.request_id, fee.method, fee.quantity, fee.amount_yuan, fee.notice_date,
                     fee.payment_due, fee.paid_date)
