"""Changing the office-wide settings: one audited transaction, due dates kept true.

The fee-pause setting changes how long the reply period is, so saving it
recomputes every open case's stored due date in the same transaction.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date
from typing import Any

from request_desk.core.cases.recompute import recompute_open_due_dates
from request_desk.core.office import permissions, settings as office_settings
from request_desk.core.storage.audit import audit, diff
from request_desk.core.storage.db import Database

# Settings that move legal due dates.
CLOCK_SETTINGS = frozenset({"exclude_fee_pauses"})


def update_settings(db: Database, actor: str, changes: dict[str, Any], today: date | None = None) -> int:
    """Validate and store ``changes``; returns how many open cases got a new due date."""
    with db.write() as session:
        if not permissions.has_role(session, actor, permissions.SETTINGS_ROLES):
            raise permissions.PermissionDenied(f"“{actor}”无权修改机关设置：只有负责人或管理员可以修改。")
        before = office_settings.load(session)
        after = office_settings.save(session, replace(before, **changes))
        old, new = diff(asdict(before), asdict(after))
        if not new:
            return 0
        audit(session, actor, "update_settings", "setting", None, old, new)
        if CLOCK_SETTINGS & new.keys():
            session.flush()
            return recompute_open_due_dates(session, actor, today or date.today())
        return 0
