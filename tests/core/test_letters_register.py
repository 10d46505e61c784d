"""Issuing, numbering, corrections, delivery and batches of the outgoing-letter register."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import textwrap
import threading
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import event as sa_event
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from request_desk.core.errors import NotFound, TransitionError, ValidationFailed
from request_desk.core.letters import compose, register
from request_desk.core.letters.register import DeliveryMethod
from request_desk.core.office import settings
from request_desk.core.office.permissions import PermissionDenied
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry, Event, Letter, Request
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


def setup_office(db: Database) -> None:
    with db.write() as s:
        settings.update(s, contact_person="李四", contact_phone="0527-84371234")


@pytest.fixture
def office(db: Database) -> Database:
    setup_office(db)
    return db


def ack(db: Database, rid: int, on: date = date(2026, 9, 28)) -> register.IssuedLetter:
    return register.issue(db, compose.compose(db, rid, "acknowledgement", on_date=on), "clerk")


def test_numbers_run_per_year_from_one_and_only_numbered_kinds_draw(office: Database) -> None:
    rid = factories.register(office)
    a = ack(office, rid)
    form = register.issue(office, compose.compose(office, rid, "registration_form", on_date=date(2026, 9, 28)),
                          "supervisor")
    b = ack(office, rid, date(2026, 12, 31))
    late = factories.register(office, date(2027, 1, 4), today=date(2027, 1, 4))
    c = register.issue(office, compose.compose(office, late, "acknowledgement", on_date=date(2027, 1, 4)), "clerk")
    assert [a.doc_number, form.doc_number, b.doc_number, c.doc_number] == [
        "X政信公开〔2026〕1号", None, "X政信公开〔2026〕2号", "X政信公开〔2027〕1号"]


def test_registration_form_is_a_full_view_of_personal_data(office: Database) -> None:
    """It prints the full ID and phone: the role and audit entry of a full register export (issue 11.17)."""
    rid = factories.register(office)
    draft = compose.compose(office, rid, "registration_form", on_date=date(2026, 9, 28))
    with pytest.raises(PermissionDenied, match="无权打印或签发《政府信息公开申请登记表》"):
        register.issue(office, draft, "clerk")
    with office.read() as s:
        assert s.exec(select(Letter)).all() == []
        assert register.may_issue(s, "registration_form", "clerk") is not None
        assert register.may_issue(s, "registration_form", "supervisor") is None
        assert register.may_issue(s, "acknowledgement", "clerk") is None
    form = register.issue(office, draft, "supervisor")
    assert "11010519491231002X" in PdfReader(io.BytesIO(form.pdf)).pages[0].extract_text()
    with office.read() as s:
        views = s.exec(select(AuditEntry).where(AuditEntry.action == "full_personal_data_export")).all()
    assert [(v.user, v.table_name) for v in views] == [("supervisor", "letter:registration_form")]
    assert views[0].new["request_id"] == rid
    ack(office, rid)  # other letters stay open to every clerk, and are not full views
    with office.read() as s:
        assert len(s.exec(select(AuditEntry).where(AuditEntry.action == "full_personal_data_export")).all()) == 1


def full_views(db: Database) -> list[AuditEntry]:
    with db.read() as s:
        return list(s.exec(select(AuditEntry).where(AuditEntry.action == "full_personal_data_export")
                           .order_by(AuditEntry.id)).all())


def test_reprinting_a_registration_form_needs_the_role_and_is_audited(office: Database) -> None:
    """A reprint shows the full ID and phone as issuing did: same role, same audit entry (issue 11.17)."""
    rid = factories.register(office)
    form = register.issue(office, compose.compose(office, rid, "registration_form", on_date=date(2026, 9, 28)),
                          "supervisor")
    other = ack(office, rid)
    issued_views = len(full_views(office))
    readers = [
        lambda who: register.stored_pdf(office, form.id, who),
        lambda who: register.get(office, form.id, who),
        lambda who: register.stored_document(office, form.id, who),
        lambda who: list(register.stored_pdfs(office, [other.id, form.id], who)),
        lambda who: register.batch_pdf(office, [other.id, form.id], who),
    ]
    for read in readers:
        with pytest.raises(PermissionDenied, match="无权重新打印或导出《政府信息公开申请登记表》"):
            read("clerk")
    assert len(full_views(office)) == issued_views  # a refusal audits nothing
    assert "所选 2 份文书中有 1 份" in (register.may_reprint(office, [other.id, form.id], "clerk") or "")
    assert register.may_reprint(office, [other.id], "clerk") is None  # other letters stay open to every clerk
    assert register.stored_pdf(office, other.id, "clerk") == other.pdf
    assert len(full_views(office)) == issued_views

    assert register.may_reprint(office, [form.id], "supervisor") is None
    assert register.stored_pdf(office, form.id, "supervisor") == form.pdf
    reprint = full_views(office)[-1]
    assert (reprint.user, reprint.table_name) == ("supervisor", "letter:registration_form")
    assert reprint.new == {"letter_id": form.id, "request_id": rid, "kind": "registration_form",
                           "doc_number": None, "reprint": True}
    combined = PdfReader(io.BytesIO(register.batch_pdf(office, [other.id, form.id], "supervisor")))
    assert "11010519491231002X" in "".join(page.extract_text() for page in combined.pages)
    assert len(full_views(office)) == issued_views + 2  # one entry per registration form handed out


def test_issue_stores_text_pdf_event_and_audit_and_reprint_is_identical(office: Database) -> None:
    rid = factories.register(office)
    draft = compose.compose(office, rid, "acknowledgement", on_date=date(2026, 9, 28))
    body = (*draft.document.body[:-1], "特此回执，谨致问候。")
    edited = draft.with_document(draft.document.__class__(**{**draft.document.__dict__, "body": body}))
    issued = register.issue(office, edited, "clerk")
    assert register.stored_pdf(office, issued.id, "clerk") == issued.pdf
    stored = register.stored_document(office, issued.id, "clerk")
    assert stored.doc_number == issued.doc_number and stored.body[-1] == "特此回执，谨致问候。"
    assert "特此回执，谨致问候。" in PdfReader(io.BytesIO(issued.pdf)).pages[0].extract_text()
    with office.read() as s:
        ev = s.exec(select(Event).where(Event.request_id == rid, Event.kind == register.EVENT_ISSUED)).one()
        assert ev.data["doc_number"] == issued.doc_number and ev.on_date == date(2026, 9, 28)
        entry = s.exec(select(AuditEntry).where(AuditEntry.table_name == "letter")).one()
        assert entry.action == "issue_letter" and entry.new["doc_number"] == issued.doc_number
        assert len(entry.new["pdf_sha256"]) == 64


def test_issued_letters_cannot_be_edited_or_deleted(office: Database) -> None:
    issued = ack(office, factories.register(office))
    with pytest.raises(IntegrityError, match="append-only"), office.write() as s:
        row = s.get(Letter, issued.id)
        row.doc_number = "X政信公开〔2026〕99号"
        s.add(row)
    with pytest.raises(IntegrityError, match="append-only"), office.write() as s:
        s.delete(s.get(Letter, issued.id))
    assert register.get(office, issued.id, "clerk").doc_number == "X政信公开〔2026〕1号"


def test_correction_supersedes_and_both_stay_in_the_register(office: Database) -> None:
    rid = factories.register(office)
    old = ack(office, rid)
    draft = compose.compose(office, rid, "acknowledgement", on_date=date(2026, 9, 29))
    new = register.issue(office, draft, "clerk", supersedes_id=old.id)
    rows = register.register_rows(office)
    assert [(r.doc_number, r.superseded_by, r.supersedes) for r in rows] == [
        ("X政信公开〔2026〕1号", "X政信公开〔2026〕2号", ""),
        ("X政信公开〔2026〕2号", "", "X政信公开〔2026〕1号"),
    ]
    assert register.stored_pdf(office, old.id, "clerk") and new.supersedes_id == old.id
    with pytest.raises(TransitionError, match="已被 X政信公开〔2026〕2号 更正替代"):
        register.issue(office, draft, "clerk", supersedes_id=old.id)
    other = factories.register(office)
    with pytest.raises(ValidationFailed, match="同一申请"):
        register.issue(office, compose.compose(office, other, "acknowledgement", on_date=date(2026, 9, 29)),
                       "clerk", supersedes_id=new.id)
    assert [r.doc_number for r in register.register_rows(office)][-1] == "X政信公开〔2026〕2号"  # no gap used


def test_delivery_by_post_signed_and_returned(office: Database) -> None:
    letter = ack(office, factories.register(office))
    with pytest.raises(ValidationFailed, match="邮件单号"):
        register.record_dispatch(office, letter.id, "clerk", method="post", sent=date(2026, 9, 29))
    with pytest.raises(ValidationFailed, match="早于成文日期"):
        register.record_dispatch(office, letter.id, "clerk", method="in_person", sent=date(2026, 9, 27))
    first = register.record_dispatch(office, letter.id, "clerk", method=DeliveryMethod.POST, sent=date(2026, 9, 29),
                                     tracking_number="1151234567890")
    returned = register.record_returned(office, first.id, "clerk", returned=date(2026, 10, 9), reason="查无此人")
    assert returned.returned_date == date(2026, 10, 9)
    with pytest.raises(TransitionError):
        register.record_signed(office, first.id, "clerk", signed=date(2026, 10, 10))
    second = register.record_dispatch(office, letter.id, "clerk", method="post", sent=date(2026, 10, 12),
                                      tracking_number="1151234567999")
    with pytest.raises(ValidationFailed, match="早于发出日期"):
        register.record_signed(office, second.id, "clerk", signed=date(2026, 10, 11))
    register.record_signed(office, second.id, "clerk", signed=date(2026, 10, 14), signed_by="张三")
    assert [d.text for d in register.deliveries(office, letter.id)] == [
        "邮寄送达 1151234567890，2026-10-09退回", "邮寄送达 1151234567999，2026-10-14签收"]
    assert register.register_rows(office)[0].delivery == "邮寄送达 1151234567999，2026-10-14签收"
    with pytest.raises(NotFound):
        register.record_signed(office, 999, "clerk", signed=date(2026, 10, 14))


def test_batch_acknowledgements_of_a_day_skip_those_already_issued(office: Database) -> None:
    day = date(2026, 9, 28)
    ids = [factories.register(office, day) for _ in range(3)]
    other_day = factories.register(office, date(2026, 9, 25))
    done = ack(office, ids[1])
    todo = register.requests_without_acknowledgement(office, day)
    assert todo == [ids[0], ids[2]] and other_day not in todo
    job = register.issue_acknowledgements(office, day, "clerk")
    progress = []
    try:
        while True:
            progress.append(next(job))
    except StopIteration as stop:
        letters = stop.value
    assert progress[-1].done == progress[-1].total == len(todo) == len(letters)
    assert register.requests_without_acknowledgement(office, day) == []
    of_day = register.acknowledgements_of(office, day)
    assert done.id in of_day and set(letters) <= set(of_day)
    pdfs = list(register.stored_pdfs(office, of_day, "clerk"))  # progress only; exhausting the generator
    assert len(pdfs) == len(of_day)
    combined = PdfReader(io.BytesIO(register.batch_pdf(office, of_day, "clerk")))
    assert len(combined.pages) == len(of_day)
    numbers = [register.get(office, i, "clerk").doc_number for i in of_day]
    assert all(n in combined.pages[k].extract_text() for k, n in enumerate(numbers))


def test_register_reads_only_its_columns_a_page_at_a_time(office: Database) -> None:
    rid = factories.register(office)
    days = [date(2026, 9, 28), date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 9)]
    issued = [ack(office, rid, d).id for d in days]
    statements: list[str] = []

    def capture(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    sa_event.listen(office.engine, "before_cursor_execute", capture)
    try:
        rows = register.register_rows(office)
    finally:
        sa_event.remove(office.engine, "before_cursor_execute", capture)
    assert [r.letter_id for r in rows] == issued
    assert statements and not any(re.search(r"\.pdf\b|final_text", s) for s in statements)  # no PDF bytes
    # Pages follow the register's order (issued_date, id) from the last line shown.
    first = register.register_rows(office, limit=2)
    second = register.register_rows(office, limit=2, after=first[-1].key)
    third = register.register_rows(office, limit=2, after=second[-1].key)
    assert [len(first), len(second), len(third)] == [2, 2, 1] and first + second + third == rows
    assert register.register_count(office) == 5
    assert register.register_count(office, start=date(2026, 10, 1), kind="acknowledgement") == 2


@pytest.mark.sqlite_only("reads SQLite's query plan")
def test_the_days_requests_are_found_through_indexes(office: Database) -> None:
    day = date(2026, 9, 28)
    earlier = factories.register(office, date(2026, 9, 25))
    same_day = factories.register(office, day)
    factories.register(office, date(2026, 9, 25))  # received and registered on other days
    with office.write() as s:  # received on Friday, registered on Monday 28 Sep (noon, local time)
        request = s.get(Request, earlier)
        assert request is not None
        request.created_at = datetime.combine(day, time(12)).astimezone(UTC)
        s.add(request)
    assert register.requests_without_acknowledgement(office, day) == [earlier, same_day]
    with office.read() as s:
        conn = s.connection()
        compiled = register.unacknowledged_query(day).compile(dialect=conn.dialect)
        plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled),
                                                       (None,) * len(compiled.positiontup or ()))]
    on_request = [step for step in plan if re.search(r"\brequest\b", step)]
    assert len(on_request) == 2 and all(step.startswith("SEARCH request USING") for step in on_request), plan


# -- numbers under concurrency -----------------------------------------------------


def _issue_many(db_path: Path, request_id: int, n: int, errors: list[BaseException]) -> None:
    db = Database.open(db_path)
    try:
        for _ in range(n):
            draft = compose.compose(db, request_id, "acknowledgement", on_date=date(2026, 9, 28))
            register.issue(db, draft, "clerk")
    except BaseException as exc:  # noqa: BLE001 - reported to the test thread
        errors.append(exc)
    finally:
        db.close()


def _assert_gapless(db_path: Path, expected: int) -> None:
    db = Database.open(db_path)
    try:
        with db.read() as s:
            seqs = sorted(s.exec(select(Letter.doc_seq).where(Letter.doc_year == 2026)).all())
    finally:
        db.close()
    assert seqs == list(range(1, expected + 1))


def test_two_threads_issuing_at_once_get_unique_gapless_numbers(office: Database, db_path: Path) -> None:
    rid = factories.register(office)
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_issue_many, args=(db_path, rid, 8, errors)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    _assert_gapless(db_path, 16)


_WORKER = textwrap.dedent("""
    import sys
    from datetime import date
    from request_desk.core.storage.db import Database
    from request_desk.core.letters import compose, register
    db = Database.open(sys.argv[1])
    sys.stdout.write("ready\\n"); sys.stdout.flush()
    sys.stdin.readline()  # start together
    for _ in range(int(sys.argv[3])):
        register.issue(db, compose.compose(db, int(sys.argv[2]), "acknowledgement", on_date=date(2026, 9, 28)), "clerk")
    db.close()
""")


def test_two_processes_issuing_at_once_get_unique_gapless_numbers(office: Database, db_path: Path,
                                                                   tmp_path: Path) -> None:
    rid = factories.register(office)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", _WORKER, str(db_path), str(rid), "10"], cwd=ROOT, env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    _assert_gapless(db_path, 20)
