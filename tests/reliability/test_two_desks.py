"""Two desks on one database file: changes seen on refresh, no silent overwrite, no long lock-out."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, text
from sqlmodel import select

from request_desk.core import cases
from request_desk.core.cases import register_list
from request_desk.core.errors import StaleRecord
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry, Counter, Event, Request
from request_desk.core.transfer import demo
from tests.factories import TODAY, new_request

ROOT = Path(__file__).resolve().parents[2]
NOTICE = ROOT / "tests" / "data" / "notice-2027-sample.csv"
CLI = "import sys; from request_desk.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.fixture
def desks(db_path: Path):  # type: ignore[no-untyped-def]
    a, b = Database.open(db_path), Database.open(db_path)
    yield a, b
    a.close()
    b.close()


def _trace(db: Database) -> tuple[int, int]:
    with db.read() as s:
        return (s.exec(select(func.count()).select_from(Event)).one(),
                s.exec(select(func.count()).select_from(AuditEntry)).one())


def test_the_second_desk_sees_the_first_desks_changes_on_refresh(desks: tuple[Database, Database]) -> None:
    a, b = desks
    assert register_list.count_requests(b, register_list.RequestFilter(), TODAY) == 0
    r = cases.register(a, new_request(), "clerk", today=TODAY)
    assert register_list.count_requests(b, register_list.RequestFilter(), TODAY) == 1
    cases.request_supplement(a, r.id, "clerk", what="请说明年份", on_date=TODAY, today=TODAY)
    assert cases.get(b, r.id).supplement_notice_date == TODAY


def test_a_stale_save_fails_naming_who_and_when_and_loses_nothing(desks: tuple[Database, Database]) -> None:
    a, b = desks
    r = cases.register(a, new_request(), "clerk", today=TODAY)
    loaded_at_b = cases.get(b, r.id)
    answered = cases.reply(a, r.id, "supervisor", outcome_code="1", on_date=TODAY, today=TODAY,
                           expected_version=r.version)
    before = (cases.get(a, r.id), _trace(a))
    with pytest.raises(StaleRecord) as err:
        cases.request_supplement(b, r.id, "clerk", what="补正", on_date=TODAY, today=TODAY,
                                 expected_version=loaded_at_b.version)
    message = str(err.value)
    assert "已被他人修改" in message and "王主任（supervisor）" in message and "重新载入" in message
    assert answered.updated_at.strftime("%Y-%m-%d") in message
    assert (cases.get(b, r.id), _trace(b)) == before  # the first desk's answer stands, nothing half-written


@pytest.mark.sqlite_only("SQLite's WAL readers and busy timeout; the server's readers take no lock at all")
def test_a_reader_is_never_locked_out_by_a_long_write(desks: tuple[Database, Database]) -> None:
    a, b = desks
    cases.register(a, new_request(), "clerk", today=TODAY)
    with a.write() as s:  # a long import is half-way through its transaction
        s.execute(text("INSERT INTO request (year, seq, reg_number, channel, received_date, applicant_type, "
                       "applicant_name, id_type, id_number, credit_code, contact_person, phone, address, postal_code, "
                       "email, description, purpose, preferred_form, delivery_method, status, supplement_notice_late, "
                       "later_date_reason, reply_summary, delivery_channel, delivery_proof, due_provisional, note, "
                       "created_at, created_by, updated_at, version) SELECT year, 99, 'X-99', channel, received_date, "
                       "applicant_type, applicant_name, id_type, id_number, credit_code, contact_person, phone, "
                       "address, postal_code, email, description, purpose, preferred_form, delivery_method, status, "
                       "supplement_notice_late, later_date_reason, reply_summary, delivery_channel, delivery_proof, "
                       "due_provisional, note, created_at, created_by, updated_at, version FROM request"))
        with b.read() as other:
            # No waiting allowed: under WAL a reader gets the last committed state at once.
            other.execute(text("PRAGMA busy_timeout = 0"))
            assert other.exec(select(func.count()).select_from(Request)).one() == 1
            other.execute(text("PRAGMA busy_timeout = 10000"))
    assert register_list.count_requests(b, register_list.RequestFilter(), TODAY) == 2


@pytest.mark.sqlite_only("SQLite's busy timeout; on the server writers queue on the advisory lock (four desks below)")
def test_a_second_writer_waits_for_a_long_write_instead_of_failing(desks: tuple[Database, Database]) -> None:
    a, b = desks
    with b.engine.connect() as conn:
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    demo.run(a, 300, today=TODAY, seed=5, actor="supervisor")
    notice = NOTICE.read_text(encoding="utf-8-sig")
    started = threading.Event()
    outcome: list[object] = []

    def second_desk() -> None:
        started.set()
        try:
            outcome.append(cases.register(b, new_request(), "clerk", today=TODAY))
        except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
            outcome.append(exc)

    worker = threading.Thread(target=second_desk)
    worker.start()
    started.wait()
    # One long transaction: store a year and recompute every open case's deadline.
    assert cases.import_calendar(a, notice, "2027", "supervisor", today=TODAY)["years"] == [2027]
    worker.join()
    assert len(outcome) == 1 and isinstance(outcome[0], cases.RequestRecord), outcome
    with a.read() as s:
        numbers = s.exec(select(Request.reg_number)).all()
    assert len(numbers) == len(set(numbers)) == 301


def test_the_cli_as_second_desk_while_the_app_is_open(db_path: Path, desks: tuple[Database, Database]) -> None:
    a, _ = desks
    cases.register(a, new_request(), "clerk", today=TODAY)
    env = {**os.environ, "REQUEST_DESK_DB": str(db_path), "REQUEST_DESK_USER": "supervisor"}  # the office's head
    done = subprocess.run([sys.executable, "-c", CLI, "demo", "--requests", "40"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert register_list.count_requests(a, register_list.RequestFilter(), TODAY) == 41
    assert cases.register(a, new_request(), "clerk", today=TODAY).seq >= 2


# --- issue 11, item 15: two desks importing the same unnumbered ledger at once


def _unnumbered_ledger(path: Path, rows: int) -> Path:
    lines = ["收到日期,收到方式,申请人类型,申请人,联系电话,申请内容"]
    lines += [f"2026-03-{1 + i % 28:02d},网上申请,自然人,申请人{i:03d},13912345678,第{i}号地块的征收补偿方案"
              for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _import_after_barrier(db_path: str, ledger: str, barrier, results) -> None:  # type: ignore[no-untyped-def]
    """One desk: check the file, wait until the other desk has checked it too, then import."""
    from request_desk.core.errors import DeskError
    from request_desk.core.reports.export import run
    from request_desk.core.transfer import importer

    db = Database.open(db_path)
    try:
        plan = importer.plan_import(db, ledger, today=TODAY)
        barrier.wait(timeout=60)  # both plans found nothing in the database: the race of the report
        try:
            results.put(("imported", run(importer.import_plan(db, plan, "clerk", today=TODAY))))
        except DeskError as exc:
            results.put(("refused", str(exc)))
    finally:
        db.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="starts the two desks with fork() (POSIX)")
def test_two_desks_importing_the_same_unnumbered_ledger_at_once_import_it_once(db_path: Path, tmp_path: Path) -> None:
    import multiprocessing

    ledger = _unnumbered_ledger(tmp_path / "台账.csv", 300)
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    desks = [ctx.Process(target=_import_after_barrier, args=(str(db_path), str(ledger), barrier, results))
             for _ in range(2)]
    for p in desks:
        p.start()
    outcomes = sorted(results.get(timeout=120) for _ in desks)
    for p in desks:
        p.join(timeout=60)
        assert p.exitcode == 0
    db = Database.open(db_path)
    try:
        with db.read() as s:
            stored = s.exec(select(func.count()).select_from(Request)).one()
    finally:
        db.close()
    assert stored == 300, outcomes
    assert outcomes[0] == ("imported", 300)
    kind, message = outcomes[1]
    assert kind == "refused" and "可能已由另一台电脑导入" in message and "未作任何改动" in message


_DESK_SCRIPT = """
import sys, time
from request_desk.core import cases
from request_desk.core.cases import numbering
from request_desk.core.storage.db import Database
from tests.factories import TODAY, new_request
db = Database.open(sys.argv[1])
start, desk = float(sys.argv[2]), sys.argv[3]
while time.time() < start:  # every desk starts at the same moment
    time.sleep(0.002)
for i in range(int(sys.argv[4])):
    cases.register(db, new_request(applicant_name=f"申请人{desk}-{i}"), "clerk", today=TODAY)
    with db.write() as session:  # a letter's document number, drawn as issuing draws it
        numbering.next_number(session, numbering.DOCUMENT, TODAY.year)
db.close()
"""


def test_four_desks_registering_at_the_same_moment_get_gapless_unique_numbers(db_path: Path) -> None:
    desks, each = 4, 12
    start = time.time() + 3  # after every process has imported and connected
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    running = [subprocess.Popen([sys.executable, "-c", _DESK_SCRIPT, str(db_path), str(start), str(d), str(each)],
                                env=env, stderr=subprocess.PIPE, text=True) for d in range(desks)]
    for process in running:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    db = Database.open(db_path)
    try:
        with db.read() as s:
            seqs = sorted(s.exec(select(Request.seq)).all())
            document = s.exec(select(Counter.value).where(Counter.name == "document")).one()
    finally:
        db.close()
    assert seqs == list(range(1, desks * each + 1)), "registration numbers: no gap, no duplicate"
    assert document == desks * each, "every document number drawn once"
