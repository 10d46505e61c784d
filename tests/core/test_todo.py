"""The daily to-do (今日待办) at fixed todays: each kind lists its cases and no others."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from request_desk.cli import main
from request_desk.core import cases
from request_desk.core.cases.todo import daily_todo
from request_desk.core.letters import compose, delivery, review
from request_desk.core.letters import register as letter_register
from request_desk.core.office import settings as office_settings
from request_desk.core.reports.todo_pdf import todo_pdf
from request_desk.core.storage.db import Database
from request_desk.core.vocab import PauseKind
from tests.factories import CLERK, RECEIVED, add_unit, assigned, register, replied
from tests.support.pdf import pdf_text

# Received Mon 28 Sep 2026: supplement notice due Tue 13 Oct (7th working day), reply due Fri 30 Oct.
NOTICE_DAY = date(2026, 10, 13)


def ids(db: Database, today: date, kind: str, user: str | None = None) -> list[int]:
    return [i.request_id for i in daily_todo(db, today, user=user).section(kind).items]


def _office(db: Database, **changes: object) -> None:
    with db.write() as session:
        office_settings.update(session, contact_person="李四", contact_phone="0527-84371234", **changes)


def test_a_supplement_notice_is_listed_to_its_7th_working_day_and_not_once_sent(db: Database) -> None:
    due = register(db)
    sent = register(db)
    cases.request_supplement(db, sent, CLERK, what="请写明文号", on_date=date(2026, 10, 9), today=NOTICE_DAY)
    earlier = register(db, date(2026, 9, 21))
    todo = daily_todo(db, NOTICE_DAY)
    [item] = todo.section("supplement_notice").items
    assert (item.request_id, item.due, item.workdays_left) == (due, NOTICE_DAY, 0)
    assert earlier not in ids(db, NOTICE_DAY, "supplement_notice")
    assert ids(db, date(2026, 10, 14), "supplement_notice") == []


def test_reply_deadlines_in_the_amber_band_and_overdue(db: Database) -> None:
    soon = register(db)
    later = register(db, date(2026, 10, 20))
    assert ids(db, date(2026, 10, 26), "due_soon") == [soon]  # due 30 Oct: 4 working days left
    assert later not in ids(db, date(2026, 10, 26), "due_soon")
    assert ids(db, date(2026, 11, 2), "overdue") == [soon]


def test_a_consultation_at_its_15th_working_day(db: Database) -> None:
    rid = register(db)
    cases.start_pause(db, rid, CLERK, kind=PauseKind.THIRD_PARTY, counterpart="某公司", on_date=date(2026, 10, 12),
                      today=date(2026, 10, 12))
    # Letter Mon 12 Oct, presumed received Thu 15 Oct, 15 working days: Thu 5 Nov.
    [item] = daily_todo(db, date(2026, 11, 5)).section("consultation").items
    assert (item.request_id, item.due, item.workdays_left) == (rid, date(2026, 11, 5), 0)
    assert "某公司" in item.what
    assert ids(db, date(2026, 10, 26), "consultation") == []  # 8 working days left: not yet


def test_a_units_internal_deadline(db: Database) -> None:
    unit = add_unit(db)
    near = assigned(db, unit, on=date(2026, 10, 9), internal_due=date(2026, 10, 16), today=date(2026, 10, 9))
    assigned(db, unit, on=date(2026, 10, 9), internal_due=date(2026, 11, 20), today=date(2026, 10, 9))
    [item] = daily_todo(db, date(2026, 10, 15)).section("internal_due").items
    assert (item.request_id, item.due, item.workdays_left) == (near, date(2026, 10, 16), 1)
    assert "市教育局" in item.what


def test_an_unpaid_fee(db: Database) -> None:
    unpaid, paid = register(db), register(db)
    for rid in (unpaid, paid):
        cases.issue_fee_notice(db, rid, CLERK, method="per_page", quantity=60, received=date(2026, 10, 9),
                               on_date=date(2026, 10, 9), today=date(2026, 10, 9))
    cases.record_payment(db, paid, CLERK, on_date=date(2026, 10, 12), today=date(2026, 10, 12))
    [item] = daily_todo(db, date(2026, 10, 13)).section("fee_unpaid").items
    assert item.request_id == unpaid and item.due is not None and "缴费期限" in item.what


def test_letters_pending_review_and_issued_without_delivery(db: Database) -> None:
    _office(db)
    sent, waiting = replied(db, on=date(2026, 10, 26)), replied(db, on=date(2026, 10, 26))
    for rid in (sent, waiting):
        letter = letter_register.issue(db, compose.compose(db, rid, "reply_1", on_date=date(2026, 10, 26)), CLERK)
        if rid == sent:
            delivery.record_dispatch(db, letter.id, CLERK, method="post", sent=date(2026, 10, 27),
                                     tracking_number="XA123456789CN")
    assert ids(db, date(2026, 10, 28), "letter_delivery") == [waiting]
    _office(db, letter_review=True)
    pending = replied(db, on=date(2026, 10, 26))
    review.submit(db, compose.compose(db, pending, "reply_1", on_date=date(2026, 10, 26)), CLERK)
    assert ids(db, date(2026, 10, 28), "letter_review") == [pending]


def test_a_call_due(db: Database) -> None:
    due = replied(db, on=date(2026, 10, 26), delivered=date(2026, 10, 28))
    register(db)
    assert ids(db, date(2026, 11, 27), "calls") == [due]


def test_my_cases_are_those_i_registered(db: Database) -> None:
    mine = register(db, actor=CLERK)
    theirs = register(db, actor="supervisor")
    assert ids(db, NOTICE_DAY, "supplement_notice") == [mine, theirs]
    assert ids(db, NOTICE_DAY, "supplement_notice", user="supervisor") == [theirs]
    assert daily_todo(db, NOTICE_DAY, user="nobody").total == 0


def test_the_printed_list_reads_back(db: Database) -> None:
    register(db)
    text = pdf_text(todo_pdf(daily_todo(db, NOTICE_DAY), "宿城区政府办"))
    assert "宿城区政府办今日待办" in text and "补正告知期限内" in text and "2026-00001" in text


def test_the_cli_prints_json_and_writes_the_pdf(db_path: Path, capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    db = Database.open(db_path)
    try:
        register(db, RECEIVED)
    finally:
        db.close()
    capsys.readouterr()
    out_pdf = tmp_path / "todo.pdf"
    assert main(["--db", str(db_path), "--user", CLERK, "todo", "--date", "2026-10-13", "--mine", "--json",
                 "-o", str(out_pdf)]) == 0
    data = json.loads(capsys.readouterr().out)
    section = next(s for s in data["sections"] if s["kind"] == "supplement_notice")
    assert data["user"] == CLERK and section["count"] == 1 and section["items"][0]["reg_number"] == "2026-00001"
    assert "补正告知期限内" in pdf_text(out_pdf.read_bytes())
