"""The office settings as the settings page shows them, read in one short session each.

Saving goes through ``settings_change.update_settings`` (validation, permission,
audit, recomputed due dates); this module only answers the page's questions,
with plain values, so the page opens no database session.
"""

from __future__ import annotations

from request_desk.core.office import permissions
from request_desk.core.office import settings as office_settings
from request_desk.core.office.settings import OfficeSettings
from request_desk.core.storage.db import Database


def current(db: Database) -> OfficeSettings:
    """The stored office settings (defaults for anything never saved)."""
    with db.read() as session:
        return office_settings.load(session)


def may_change(db: Database, username: str) -> bool:
    """Whether ``username`` is an active supervisor or administrator."""
    with db.read() as session:
        return permissions.allowed(session, username, permissions.Permission.CHANGE_SETTINGS)
