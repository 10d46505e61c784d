"""Changing office settings: role, audit, and due dates that follow the fee-pause rule."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from request_desk.core import cases
from request_desk.core.cases import recompute
from request_desk.core.deadlines.case_clock import clock_for
from request_desk.core.office import settings as office_settings
from request_desk.core.office import settings_change
from request_desk.core.office.permissions import PermissionDenied
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry
from tests import factories
from tests.factories import TODAY


def test_only_supervisors_change_settings_and_every_change_is_audited(db: Database) -> None:
    with pytest.raises(PermissionDenied, match="负责人或管理员"):
        settings_change.update_settings(db, "clerk", {"agency_name": "宿迁市人民政府办公室"})
    settings_change.update_settings(db, "supervisor", {"agency_name": "宿迁市人民政府办公室"})
    with db.read() as s:
        assert office_settings.load(s).agency_name == "宿迁市人民政府办公室"
        entry = s.exec(select(AuditEntry).where(AuditEntry.action == "update_settings")).one()
    assert (entry.user, entry.new) == ("supervisor", {"agency_name": "宿迁市人民政府办公室"})


def test_fee_pause_setting_recomputes_open_due_dates(db: Database) -> None:
    rid = factories.register(db, date(2026, 9, 28))
    cases.issue_fee_notice(db, rid, "clerk", method="per_page", quantity=60, amount_yuan=300,
                           on_date=date(2026, 10, 12), today=TODAY)
    cases.record_payment(db, rid, "clerk", on_date=date(2026, 10, 16), today=TODAY)
    # Excluded (default): (12 Oct, 16 Oct] = 13, 14, 15, 16 → four working days after 30 Oct = 5 Nov.
    assert cases.get(db, rid).due_date == date(2026, 11, 5)
    moved = settings_change.update_settings(db, "supervisor", {"exclude_fee_pauses": False}, today=TODAY)
    assert moved == 1
    assert cases.get(db, rid).due_date == date(2026, 10, 30)  # counted: back to the plain 20 days


def test_batched_recompute_equals_the_clock_of_each_case(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    # recompute_open_due_dates reads settings, calendar, pauses and extensions per batch;
    # every open case must end with what the per-case clock_for gives, one audit entry per change.
    from request_desk.core.storage.models import Extension, Pause, Request
    from request_desk.core.transfer import demo
    from request_desk.core.vocab import Status

    today = date(2026, 11, 27)
    demo.run(db, 400, today=today, actor="supervisor")
    monkeypatch.setattr(recompute, "RECOMPUTE_BATCH", 4)  # several batches, one partly filled
    open_codes = [s.value for s in Status if s.is_open]
    with db.write() as session:
        office_settings.update(session, exclude_fee_pauses=False)
        # Wrong stored dates for some cases, so that they must change.
        session.connection().exec_driver_sql(
            "UPDATE request SET due_date = '2020-01-01', due_provisional = 1 WHERE id % 7 = 0")
        # Pauses (fee, consultation, open) and extensions on open cases, two pauses on some.
        open_now = sorted(session.exec(select(Request.id).where(Request.status.in_(open_codes))).all())  # type: ignore[attr-defined]
        for i, rid in enumerate(open_now):
            if i % 3 == 0:
                session.add(Pause(request_id=rid, kind="fee", start_date=date(2026, 11, 2),
                                  end_date=date(2026, 11, 9), previous_status="in_progress"))
            if i % 4 == 0:
                session.add(Pause(request_id=rid, kind="third_party", start_date=date(2026, 11, 16),
                                  end_date=None if i % 8 == 0 else date(2026, 11, 20), previous_status="in_progress"))
            if i % 5 == 0:
                session.add(Extension(request_id=rid, approver="主任", reason="t", approved_date=date(2026, 11, 10)))
    with db.read() as session:
        open_ids = set(session.exec(select(Request.id).where(Request.status.in_(open_codes))).all())  # type: ignore[attr-defined]
        assert len(open_ids) > 3 * recompute.RECOMPUTE_BATCH
        assert set(session.exec(select(Pause.request_id)).all()) & open_ids
        assert set(session.exec(select(Extension.request_id)).all()) & open_ids
        audits_before = len(session.exec(select(AuditEntry).where(AuditEntry.action == "recompute_due_date")).all())
    with db.write() as session:
        changed = cases.recompute_open_due_dates(session, "t", today)
    assert changed > 0
    with db.read() as session:
        for r in session.exec(select(Request).where(Request.status.in_(open_codes))).all():  # type: ignore[attr-defined]
            clock = clock_for(session, r, today)
            assert (r.due_date, r.due_provisional, r.supplement_due_date) == (
                clock.reply_due, clock.provisional, clock.supplement_notice_due), r.id
        audits = len(session.exec(select(AuditEntry).where(AuditEntry.action == "recompute_due_date")).all())
    assert audits - audits_before == changed
    with db.write() as session:
        assert cases.recompute_open_due_dates(session, "t", today) == 0
