"""A reply's delivery is the delivery of its letter: one record, in the case and in 发文登记 (issue 15, point 3)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from request_desk.core import cases
from request_desk.core.cases.workflow import Action
from request_desk.core.errors import ValidationFailed
from request_desk.core.letters import compose
from request_desk.core.letters import register as letter_register
from request_desk.core.office import settings as office_settings
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import LetterDelivery
from request_desk.core.vocab import Status
from tests.factories import CLERK, TODAY, register, replied

REPLIED = date(2026, 10, 26)


@pytest.fixture
def office(db: Database) -> Database:
    with db.write() as session:
        office_settings.update(session, contact_person="李四", contact_phone="0527-84371234")
    return db


def _reply_letter(db: Database, rid: int, kind: str = "reply_1") -> int:
    return letter_register.issue(db, compose.compose(db, rid, kind, on_date=REPLIED), CLERK).id


def _deliveries(db: Database) -> list[LetterDelivery]:
    with db.read() as session:
        return list(session.exec(select(LetterDelivery)).all())


def test_the_delivery_step_offers_the_reply_letter_and_records_its_delivery(office: Database) -> None:
    rid = replied(office, "1", on=REPLIED)
    letter_id = _reply_letter(office, rid)
    form = cases.step_form(office, rid, Action.DELIVER, TODAY)
    assert form.defaults["letter"] == str(letter_id)
    assert [value for value, _label in form.choices["letter"]] == [str(letter_id)]
    cases.deliver(office, rid, CLERK, channel="邮寄", on_date=date(2026, 10, 27), letter_id=letter_id,
                  tracking="XA123456789CN", today=TODAY)
    assert cases.get(office, rid).status == Status.DELIVERED
    [row] = letter_register.register_rows(office, request_id=rid)
    assert row.delivery == "邮寄送达 XA123456789CN，2026-10-27发出"
    [served] = _deliveries(office)
    assert (served.letter_id, served.sent_date) == (letter_id, date(2026, 10, 27))


def test_posting_a_letter_needs_its_tracking_number(office: Database) -> None:
    rid = replied(office, "1", on=REPLIED)
    letter_id = _reply_letter(office, rid)
    with pytest.raises(ValidationFailed, match="邮件单号"):
        cases.deliver(office, rid, CLERK, channel="邮寄", on_date=date(2026, 10, 27), letter_id=letter_id,
                      today=TODAY)
    assert cases.get(office, rid).status == Status.REPLIED and _deliveries(office) == []


def test_dispatch_in_the_register_is_the_cases_delivery(office: Database) -> None:
    rid = replied(office, "1", on=REPLIED)
    letter_id = _reply_letter(office, rid)
    cases.dispatch_letter(office, letter_id, CLERK, method="in_person", sent=date(2026, 10, 28), today=TODAY)
    record = cases.get(office, rid)
    assert (record.status, record.delivered_date, record.delivery_channel) == (
        Status.DELIVERED, date(2026, 10, 28), "当面领取")
    assert len(_deliveries(office)) == 1  # recorded once, seen from both sides


def test_dispatch_of_another_letter_leaves_the_case_alone(office: Database) -> None:
    rid = register(office)
    cases.request_supplement(office, rid, CLERK, what="请说明所需信息的年份", on_date=date(2026, 9, 29), today=TODAY)
    notice = letter_register.issue(office, compose.compose(office, rid, "supplement", on_date=date(2026, 9, 29)),
                                   CLERK).id
    cases.dispatch_letter(office, notice, CLERK, method="post", sent=date(2026, 9, 30), tracking_number="XA1",
                          today=TODAY)
    assert cases.get(office, rid).status == Status.AWAITING_SUPPLEMENT and len(_deliveries(office)) == 1


def test_a_corrected_letter_is_no_longer_served(office: Database) -> None:
    rid = replied(office, "1", on=REPLIED)
    first = _reply_letter(office, rid)
    draft = compose.compose(office, rid, "reply_1", on_date=REPLIED)
    second = letter_register.issue(office, draft, CLERK, supersedes_id=first).id
    form = cases.step_form(office, rid, Action.DELIVER, TODAY)
    assert form.defaults["letter"] == str(second)
    with pytest.raises(ValidationFailed, match="没有可送达的文书"):
        cases.deliver(office, rid, CLERK, channel="当面领取", on_date=date(2026, 10, 27), letter_id=first, today=TODAY)


def test_undoing_the_delivery_removes_the_letters_delivery_line(office: Database) -> None:
    rid = replied(office, "1", on=REPLIED)
    letter_id = _reply_letter(office, rid)
    cases.deliver(office, rid, CLERK, channel="当面领取", on_date=date(2026, 10, 27), letter_id=letter_id,
                  today=TODAY)
    cases.undo_last_step(office, rid, "送达日期登记错误", "supervisor", today=TODAY)
    assert cases.get(office, rid).status == Status.REPLIED and _deliveries(office) == []
    assert letter_register.register_rows(office, request_id=rid)[0].delivery == ""
