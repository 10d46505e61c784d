"""Upgrading databases written by earlier versions (fixture files per schema revision)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from request_desk.core import cases
from request_desk.core.errors import TransitionError
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry, Fee
from request_desk.core.vocab import Status

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture
def rev0001(tmp_path: Path) -> Path:
    """A database made by revision 0001: three cases (replied, paused, registered)."""
    path = tmp_path / "old.sqlite3"
    shutil.copy(DATA / "db-rev0001.sqlite3", path)
    return path


def test_revision_0001_database_upgrades_and_keeps_every_case(rev0001: Path) -> None:
    db = Database.open(rev0001)
    try:
        assert db.revision() == Database.head_revision()
        first, second, third = (cases.get(db, i) for i in (1, 2, 3))
        assert (first.reg_number, first.status, first.outcome_code) == ("2026-00001", Status.REPLIED, "2")
        assert (second.applicant_name, second.status) == ("李四", Status.PAUSED)
        assert third.due_date == date(2026, 11, 30)
        with db.read() as s:
            assert len(s.exec(select(AuditEntry)).all()) >= 6  # history survives the upgrade
        # The upgraded database keeps working: the paused case resumes, numbering continues.
        # zhuren, the office's one user then, goes on working (an account of the old file).
        resumed = cases.end_pause(db, 2, "zhuren", answer="agreed", on_date=date(2026, 10, 20),
                                  today=date(2026, 11, 27))
        assert resumed.status == Status.REGISTERED
        from tests.factories import new_request

        fresh = cases.register(db, new_request(date(2026, 11, 3)), "zhuren", today=date(2026, 11, 27))
        assert fresh.reg_number == "2026-00004"
    finally:
        db.close()


def test_revision_0006_asks_for_the_receipt_of_unpaid_fee_notices(db: Database) -> None:
    """Fees computed by the old rule (from the notice date) lose their deadline until the receipt is recorded."""
    from alembic import command

    from request_desk.core.storage import db as db_module
    from tests.factories import new_request

    today = date(2026, 11, 27)
    unpaid = cases.register(db, new_request(date(2026, 9, 28)), "clerk", today=today).id
    paid = cases.register(db, new_request(date(2026, 9, 28)), "clerk", today=today).id
    assert unpaid is not None and paid is not None
    for rid in (unpaid, paid):
        cases.issue_fee_notice(db, rid, "clerk", method="per_page", quantity=60, received=date(2026, 10, 12),
                               on_date=date(2026, 10, 12), today=today)
    cases.record_payment(db, paid, "clerk", on_date=date(2026, 10, 20), today=today)
    cfg = db_module.alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
    assert db.revision() == "0005"
    db.migrate()
    assert db.revision() == Database.head_revision()
    with db.read() as s:
        fees = {f.request_id: f for f in s.exec(select(Fee)).all()}
        indexes = {row[1] for row in s.connection().exec_driver_sql("PRAGMA index_list('request')")}
    assert fees[unpaid].payment_due is None  # 6.2 now waits for the receipt to be recorded
    assert fees[paid].payment_due == date(2026, 11, 9)  # history of a paid fee is kept
    assert "ix_request_created" in indexes
    with pytest.raises(TransitionError, match="尚未登记申请人收到收费通知的日期"):
        cases.deem_withdrawn_no_payment(db, unpaid, "clerk", on_date=date(2026, 11, 27), today=today)


def test_the_head_the_desk_checks_at_start_is_alembics_own() -> None:
    """``migrations.HEAD`` spares Alembic's import on every start; a new migration must move it."""
    from request_desk.core.storage import migrations

    assert Database.head_revision() == migrations.HEAD


def test_a_database_behind_the_head_is_still_upgraded(rev0001: Path) -> None:
    db = Database.open(rev0001)
    try:
        assert db.revision() == Database.head_revision()
    finally:
        db.close()


def test_an_older_database_is_backed_up_and_verified_before_it_is_upgraded(rev0001: Path) -> None:
    """The way back to the older version (README, "Upgrading and going back") is this backup."""
    from request_desk.core.storage.backup import list_backups, verify
    from tests.support.stored import dump

    before = dump(rev0001)
    Database.open(rev0001).close()
    [kept] = list_backups(rev0001)
    assert kept.reason == "before-upgrade" and kept.label.startswith("升级前")
    checked = verify(kept.path)
    assert (checked.revision, checked.requests) == ("0001", 3)
    assert dump(kept.path) == before  # the old file row for row, not the upgraded one
    Database.open(rev0001).close()  # up to date now: no second copy
    assert list_backups(rev0001) == [kept]


def test_a_failed_upgrade_leaves_the_database_as_it_was(rev0001: Path) -> None:
    """Revision 0016 creates the attachment table; one already there makes the upgrade fail part-way."""
    import sqlite3

    from request_desk.core.errors import DatabaseUnusable
    from request_desk.core.storage.backup import list_backups
    from tests.support.stored import dump

    con = sqlite3.connect(rev0001)
    con.execute("CREATE TABLE attachment (note TEXT)")
    con.commit()
    con.close()
    before = dump(rev0001)
    with pytest.raises(DatabaseUnusable, match=r"升级失败.*attachment already exists.*仍是原来的版本") as refused:
        Database.open(rev0001)
    [kept] = list_backups(rev0001)
    assert str(kept.path) in str(refused.value)  # where the copy made before is
    assert dump(rev0001) == before  # revisions 0002–0015 were undone with it: still 0001, every row
    assert kept.reason == "before-upgrade"


def test_no_upgrade_without_its_backup(rev0001: Path) -> None:
    from request_desk.core.storage.backup import BackupFailed
    from tests.support.stored import dump

    (rev0001.parent / "backups").write_text("a file where the backup folder should be", encoding="utf-8")
    before = dump(rev0001)
    with pytest.raises(BackupFailed, match="无法写入备份"):
        Database.open(rev0001)
    assert dump(rev0001) == before
