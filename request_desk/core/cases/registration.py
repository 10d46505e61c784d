"""Registering a new request (条例第二十九条): validate the form, number it, start its legal clock.

An application that lacks the applicant's identity or contact is registered all
the same, with warnings: the receipt date stands whatever the application lacks
(条例第三十一条) and the gap is filled by the supplement notice (条例第三十条);
``missing_in`` says, from the stored row, what is still missing.

One transaction: the request, its registration event, exactly one audit entry
and the first computed clock are written together or not at all. The caller
gets a plain ``RequestRecord``, never the ORM row.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from request_desk.core.cases import numbering
from request_desk.core.cases.lookup import load_request
from request_desk.core.cases.records import RequestRecord, request_record
from request_desk.core.cases.step_machinery import refresh_clock
from request_desk.core.cases.validation import Issue, Missing, errors_only, missing_items, validate_applicant
from request_desk.core.errors import ValidationFailed
from request_desk.core.office import permissions
from request_desk.core.office import settings as office_settings
from request_desk.core.storage.audit import audit, event, snapshot
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Request
from request_desk.core.text import clean_text
from request_desk.core.vocab import REGISTRATION_CHANNELS, ApplicantType, Channel, Status


@dataclass
class NewRequest:
    """What the registration form collects (Art. 29)."""

    channel: Channel
    received_date: date
    applicant_type: ApplicantType
    applicant_name: str
    description: str
    id_type: str = "resident_id"
    id_number: str = ""
    credit_code: str = ""
    contact_person: str = ""
    phone: str = ""
    address: str = ""
    postal_code: str = ""
    email: str = ""
    purpose: str = ""
    preferred_form: str = ""
    delivery_method: str = ""
    note: str = ""


def validate_new(data: NewRequest, today: date | None = None) -> list[Issue]:
    """Every problem with a registration form, errors and warnings, in form order."""
    today = today or date.today()
    issues = validate_applicant(_form_values(data), data.applicant_type, today=today)
    if data.received_date > today:
        issues.append(Issue("received_date", "error", "收到申请日期不能晚于今天。"))
    if data.channel not in REGISTRATION_CHANNELS:  # 未记载 is only what an imported ledger left out
        issues.append(Issue("channel", "error", "请选择申请的收到方式（“未记载”只用于导入的历史台账）。"))
    return issues


def missing_in_form(data: NewRequest) -> list[Missing]:
    """What the application on the form lacks that a supplement can supply (its warnings)."""
    return missing_items(_form_values(data), data.applicant_type)


def _form_values(data: NewRequest) -> dict[str, Any]:
    # Checked as it will be stored: control characters removed (text.clean_text).
    values = {f.name: normalised(f.name, getattr(data, f.name)) for f in fields(data)}
    values["name"] = values["applicant_name"]
    return values


def register(db: Database, data: NewRequest, actor: str, today: date | None = None) -> RequestRecord:
    """Register a new request: validate, number it, start its legal clock."""
    today = today or date.today()
    issues = validate_new(data, today)
    errors = errors_only(issues)
    if errors:
        raise ValidationFailed("；".join(i.message for i in errors), issues)
    with db.write() as session:
        permissions.require(session, actor, permissions.Permission.REGISTER)
        conf = office_settings.load(session)
        year = data.received_date.year
        seq = numbering.next_number(session, numbering.REGISTRATION, year)
        request = Request(
            year=year,
            seq=seq,
            reg_number=conf.format_registration(year, seq),
            status=Status.REGISTERED,
            created_by=actor,
            **{f.name: normalised(f.name, getattr(data, f.name)) for f in fields(data)},
        )
        session.add(request)
        session.flush()
        assert request.id is not None
        refresh_clock(session, request, today)
        event(session, request.id, "registered", data.received_date, actor, data.channel.label,
              {"reg_number": request.reg_number})
        audit(session, actor, "register", "request", request.id, None, snapshot(request))
        return request_record(request)


def missing_in(request: Request) -> list[Missing]:
    """What the recorded application lacks that a supplement can supply (条例第三十条).

    Computed from the row as it stands, never stored: once the missing entry is
    recorded, it is no longer listed (docs/domain.md, "Registration and identity").
    """
    return missing_items({"name": request.applicant_name, "id_number": request.id_number,
                          "credit_code": request.credit_code, "contact_person": request.contact_person,
                          "phone": request.phone, "address": request.address, "email": request.email},
                         request.applicant_type)


def normalised(name: str, value: Any) -> Any:
    if isinstance(value, str):
        value = clean_text(value).strip()
        if name in {"id_number", "credit_code"}:
            value = value.replace(" ", "").upper()
    return value


def get(db: Database, request_id: int) -> RequestRecord:
    """The request as stored now."""
    with db.read() as session:
        return request_record(load_request(session, request_id))
