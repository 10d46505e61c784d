"""Changing office settings: role, audit, and due dates that follow the fee-pause rule."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from request_desk.core import cases, office, settings as office_settings
from request_desk.core.db import Database
from request_desk.core.models import AuditEntry
from request_desk.core.permissions import PermissionDenied
from tests.conftest import person_request

TODAY = date(2026, 12, 31)


def test_only_supervisors_change_settings_and_every_change_is_audited(db: Database) -> None:
    with pytest.raises(PermissionDenied, match="负责人或管理员"):
        office.update_settings(db, "clerk", {"agency_name": "宿迁市人民政府办公室"})
    office.update_settings(db, "supervisor", {"agency_name": "宿迁市人民政府办公室"})
    with db.read() as s:
        assert office_settings.load(s).agency_name == "宿迁市人民政府办公室"
        entry = s.exec(select(AuditEntry).where(AuditEntry.action == "update_settings")).one()
    assert (entry.user, entry.new) == ("supervisor", {"agency_name": "宿迁市人民政府办公室"})


def test_fee_pause_setting_recomputes_open_due_dates(db: Database) -> None:
    rid = cases.register(db, person_request(date(2026, 9, 28)), "clerk", today=TODAY).id
    cases.issue_fee_notice(db, rid, "clerk", method="per_page", quantity=60, amount_yuan=300,
                           on_date=date(2026, 10, 12), today=TODAY)
    cases.record_payment(db, rid, "clerk", paid=date(2026, 10, 16), today=TODAY)
    # Excluded (default): (12 Oct, 16 Oct] = 13, 14, 15, 16 → four working days after 30 Oct = 5 Nov.
    assert cases.get(db, rid).due_date == date(2026, 11, 5)
    moved = office.update_settings(db, "supervisor", {"exclude_fee_pauses": False}, today=TODAY)
    assert moved == 1
    assert cases.get(db, rid).due_date == date(2026, 10, 30)  # counted: back to the plain 20 days
