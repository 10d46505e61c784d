"""Reconsideration and litigation records (for the annual report's remedy table)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from request_desk.core.cases import remedies
from request_desk.core.errors import NotFound, ValidationFailed
from request_desk.core.office import settings as office_settings
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry, Event
from request_desk.core.vocab import RemedyKind, RemedyResult
from tests import factories
from tests.factories import OFFICE
from tests.factories import YEAR_END as TODAY


def test_add_remedy_defaults_body_from_settings_and_is_audited(db: Database) -> None:
    rid = factories.replied(db, "3.4", on=date(2026, 10, 12), today=TODAY)
    with db.write() as s:
        office_settings.update(s, reconsideration_body="宿迁市人民政府")
    remedy = remedies.add_remedy(db, rid, "clerk", RemedyKind.RECONSIDERATION, date(2026, 11, 2), today=TODAY)
    assert remedy.body == "宿迁市人民政府" and remedy.result == RemedyResult.PENDING
    with db.read() as s:
        entry = s.exec(select(AuditEntry).where(AuditEntry.action == "add_remedy")).one()
        ev = s.exec(select(Event).where(Event.kind == "remedy_filed")).one()
    assert entry.record_id == remedy.id and entry.user == "clerk"
    assert ev.on_date == date(2026, 11, 2) and "行政复议" in ev.note


def test_set_result_records_date_and_audits_old_and_new(db: Database) -> None:
    rid = factories.replied(db, "3.4", on=date(2026, 10, 12), today=TODAY)
    remedy = remedies.add_remedy(db, rid, "clerk", RemedyKind.LITIGATION_DIRECT, date(2026, 11, 2), "某区法院",
                                 today=TODAY)
    assert remedy.id is not None
    with pytest.raises(ValidationFailed, match="日期"):
        remedies.set_result(db, remedy.id, "clerk", RemedyResult.UPHELD, None, today=TODAY)
    with pytest.raises(ValidationFailed, match="早于提起日期"):
        remedies.set_result(db, remedy.id, "clerk", RemedyResult.UPHELD, date(2026, 11, 1), today=TODAY)
    done = remedies.set_result(db, remedy.id, "clerk", RemedyResult.CORRECTED, date(2026, 12, 20), today=TODAY)
    assert (done.result, done.result_date) == ("corrected", date(2026, 12, 20))
    with db.read() as s:
        entry = s.exec(select(AuditEntry).where(AuditEntry.action == "set_remedy_result")).one()
    assert entry.old == {"result": "pending", "result_date": None}
    assert entry.new == {"result": "corrected", "result_date": "2026-12-20"}
    assert [r.result for r in remedies.remedies_for(db, rid)] == [RemedyResult.CORRECTED.value]
    with pytest.raises(NotFound):
        remedies.set_result(db, 999, "clerk", RemedyResult.UPHELD, date(2026, 12, 20), today=TODAY)


def test_remedy_needs_a_reply_and_plausible_dates(db: Database) -> None:
    open_id = factories.register(db, today=TODAY)
    assert open_id is not None
    with pytest.raises(ValidationFailed, match="尚未答复"):
        remedies.add_remedy(db, open_id, "clerk", RemedyKind.RECONSIDERATION, date(2026, 11, 2), today=TODAY)
    rid = factories.replied(db, "3.4", on=date(2026, 10, 12), today=TODAY)
    with pytest.raises(ValidationFailed, match="早于答复日期"):
        remedies.add_remedy(db, rid, "clerk", RemedyKind.RECONSIDERATION, date(2026, 10, 1), today=TODAY)
    with pytest.raises(ValidationFailed, match="晚于今天"):
        remedies.add_remedy(db, rid, "clerk", RemedyKind.RECONSIDERATION, date(2027, 1, 1), today=TODAY)
    assert remedies.remedies_for(db, rid) == []


def test_litigation_after_reconsideration_needs_the_reconsideration(db: Database) -> None:
    rid = factories.replied(db, "3.4", on=date(2026, 10, 12), today=TODAY)
    with pytest.raises(ValidationFailed, match="须先登记"):
        remedies.add_remedy(db, rid, "clerk", RemedyKind.LITIGATION_AFTER_RECONSIDERATION, date(2026, 12, 1),
                            today=TODAY)
    remedies.add_remedy(db, rid, "clerk", RemedyKind.RECONSIDERATION, date(2026, 11, 2), today=TODAY)
    later = remedies.add_remedy(db, rid, "clerk", RemedyKind.LITIGATION_AFTER_RECONSIDERATION,
                                date(2026, 12, 1), today=TODAY)
    assert later.body == OFFICE["court"]  # the office's court, from its settings
    assert [r.kind for r in remedies.remedies_for(db, rid)] == [
        "reconsideration", "litigation_after_reconsideration"]
