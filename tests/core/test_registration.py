"""Registering requests: numbering, validation, the clock's first due date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from request_desk.core import cases
from request_desk.core.errors import ValidationFailed
from request_desk.core.office import settings
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry, Event, Request
from request_desk.core.vocab import ApplicantType, Channel, Status
from tests.factories import TODAY, new_request
from tests.support import stored


def test_registration_numbers_run_per_year_without_gaps(db: Database) -> None:
    numbers = [cases.register(db, new_request(date(2026, 9, 28)), "clerk", today=TODAY).reg_number
               for _ in range(3)]
    with pytest.raises(ValidationFailed):  # a failed save must not consume a number
        cases.register(db, new_request(applicant_name=""), "clerk", today=TODAY)
    numbers.append(cases.register(db, new_request(date(2026, 10, 9)), "clerk", today=TODAY).reg_number)
    numbers.append(cases.register(db, new_request(date(2025, 12, 30)), "clerk", today=TODAY).reg_number)
    assert numbers == ["2026-00001", "2026-00002", "2026-00003", "2026-00004", "2025-00001"]


def test_registration_pattern_is_configurable(db: Database) -> None:
    with db.write() as s:
        settings.update(s, registration_pattern="宿政公开申〔{year}〕{seq}号")
    r = cases.register(db, new_request(), "clerk", today=TODAY)
    assert r.reg_number == "宿政公开申〔2026〕1号"


def test_pattern_without_sequence_is_refused(db: Database) -> None:
    with pytest.raises(ValidationFailed, match="seq"), db.write() as s:
        settings.update(s, registration_pattern="{year}号")


def test_new_request_gets_due_dates_event_and_audit(db: Database) -> None:
    r = cases.register(db, new_request(date(2026, 9, 28)), "clerk", today=TODAY)
    assert r.status == Status.REGISTERED
    assert r.due_date == date(2026, 10, 30)
    # 7 working days after Mon 28 Sep 2026: 29, 30 Sep; 1-7 Oct off; 8, 9, 10 (Sat make-up), 12, 13 Oct.
    assert r.supplement_due_date == date(2026, 10, 13)
    assert r.due_provisional is False
    with db.read() as s:
        assert [e.kind for e in s.exec(select(Event).where(Event.request_id == r.id))] == ["registered"]
        entries = s.exec(
            select(AuditEntry).where(AuditEntry.table_name == "request", AuditEntry.record_id == r.id)).all()
    assert [(a.action, a.new["applicant_name"]) for a in entries] == [("register", "张三")]  # type: ignore[index]


def test_december_request_is_provisional(db: Database) -> None:
    r = cases.register(db, new_request(date(2026, 12, 15)), "clerk", today=date(2026, 12, 15))
    assert r.due_date == date(2027, 1, 13) and r.due_provisional


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"id_number": "110105194912310021"}, "校验码"),
        ({"applicant_type": ApplicantType.COMMERCIAL, "id_number": "", "credit_code": "914403001922038210",
          "contact_person": "李四"}, "校验码"),
        ({"applicant_name": " "}, "申请人姓名"),
        ({"description": "  "}, "特征性描述"),
        ({"received_date": date(2026, 11, 28)}, "晚于今天"),
    ],
)
def test_invalid_registration_is_refused_and_leaves_database_unchanged(
    db: Database, db_path: Path, overrides: dict[str, object], message: str
) -> None:
    before = stored.content(db_path)
    with pytest.raises(ValidationFailed, match=message):
        cases.register(db, new_request(**overrides), "clerk", today=TODAY)
    with db.read() as s:
        assert s.exec(select(Request)).all() == []
    assert stored.content(db_path) == before


def _uscc(first17: str) -> str:
    """GB 32100 check character, computed here independently of the validator."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(alphabet.index(c) * w for c, w in zip(first17, weights, strict=True))
    return first17 + alphabet[(31 - total % 31) % 31]


def test_organisation_registration(db: Database) -> None:
    code = _uscc("31320000MD0123456")
    r = cases.register(db, new_request(applicant_type=ApplicantType.LEGAL_SERVICES,
                                          applicant_name="江苏某某律师事务所", id_number="",
                                          credit_code=code.lower(), contact_person="赵律师"),
                       "clerk", today=TODAY)
    assert r.applicant_type == ApplicantType.LEGAL_SERVICES
    assert r.credit_code == code  # stored normalised


@pytest.mark.parametrize(
    ("overrides", "missing"),
    [
        ({"id_number": ""}, [("id_number", "缺少身份证明，可通知补正")]),
        ({"phone": "", "address": "", "email": ""}, [("contact", "缺少联系方式，可通知补正")]),
        ({"applicant_type": ApplicantType.COMMERCIAL, "id_number": "", "credit_code": "", "contact_person": ""},
         [("credit_code", "缺少身份证明，可通知补正"), ("contact_person", "缺少联系人，可通知补正")]),
    ],
)
def test_an_application_lacking_identity_or_contact_is_registered_with_warnings(
    db: Database, overrides: dict[str, object], missing: list[tuple[str, str]]
) -> None:
    # 条例第三十一条: the receipt date stands whatever the application lacks; 第三十条: a supplement asks for it.
    data = new_request(date(2026, 9, 28), **overrides)
    assert [(i.field, i.message) for i in cases.validate_new(data, TODAY) if i.severity == "warning"] == missing
    r = cases.register(db, data, "clerk", today=TODAY)
    assert (r.reg_number, r.status, r.received_date, r.due_date) == (
        "2026-00001", Status.REGISTERED, date(2026, 9, 28), date(2026, 10, 30))
    with db.read() as s:
        assert [(m.field, m.message) for m in cases.missing_in(s.get(Request, r.id))] == missing


def test_an_oral_application_is_received_the_day_it_is_made_in_person(db: Database) -> None:
    # Art. 29 allows it, Art. 31(1) by analogy dates it: not a later day of "filling in and confirming".
    rule = Channel.ORAL.receipt_rule
    assert "条例第31条第一项" in rule and "当面提出申请之日" in rule and "填写确认之日" not in rule
    oral = cases.register(db, new_request(date(2026, 9, 28), channel=Channel.ORAL), "clerk", today=TODAY)
    in_person = cases.register(db, new_request(date(2026, 9, 28), applicant_name="李四"), "clerk", today=TODAY)
    assert (oral.received_date, oral.due_date, oral.supplement_due_date) == (
        in_person.received_date, in_person.due_date, in_person.supplement_due_date) == (
        date(2026, 9, 28), date(2026, 10, 30), date(2026, 10, 13))
