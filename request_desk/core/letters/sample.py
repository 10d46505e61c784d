"""A sample letter for office details not yet saved: what the setup assistant previews.

It goes through the real machinery (``compose.compose_for``, the kind's template,
the GB/T 9704 typesetting and the PDF renderer) for a made-up request that is
never stored, so the office sees exactly how its name, document number, contact
and remedy bodies will print, before anything is written to the database.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from request_desk.core.deadlines.holidays import calendar
from request_desk.core.letters.compose import compose_for, letter_fonts
from request_desk.core.letters.kinds import kind
from request_desk.core.letters.pdf import render_letter
from request_desk.core.office.settings import OfficeSettings
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Request
from request_desk.core.vocab import ApplicantType, Channel, Status

SAMPLE_KIND = "reply_1"  # a reply that discloses: it carries the remedies paragraph and the contact line
SAMPLE_ID = 0  # no stored request has id 0, so nothing of another case is drawn into the sample


def sample_request(conf: OfficeSettings, on_date: date) -> Request:
    received = on_date - timedelta(days=14)
    return Request(
        id=SAMPLE_ID, year=on_date.year, seq=1, reg_number=conf.format_registration(on_date.year, 1),
        channel=Channel.POST, received_date=received, applicant_type=ApplicantType.NATURAL_PERSON,
        applicant_name="张三（示例）", address="某某市某某路1号",
        description=f"{on_date.year - 1}年本机关部门预算执行情况",
        delivery_method="邮寄", status=Status.REPLIED, outcome_code="1", reply_date=on_date,
        reply_summary="附件：部门预算执行情况说明（共3页）", due_date=received + timedelta(days=28),
    )


def sample_letter(db: Database, conf: OfficeSettings, on_date: date) -> bytes:
    """The PDF of a sample reply with ``conf``'s details and the first document number of the year."""
    with db.read() as session:
        cal = calendar(session)
        request = sample_request(conf, on_date)
        request.due_date = cal.add_workdays(request.received_date, 20)
        draft = compose_for(session, request, kind(SAMPLE_KIND), on_date=on_date, conf=conf)
    document = draft.document
    number = conf.format_document_number(on_date.year, 1)
    shown = type(document)(**{**document.__dict__, "doc_number": number})
    buffer = io.BytesIO()
    render_letter(shown, buffer, fonts=letter_fonts(conf), allow_missing=True)
    return buffer.getvalue()
