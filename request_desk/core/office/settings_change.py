"""Changing the office-wide settings: one audited transaction, due dates kept true.

The fee-pause and the consultation-transit settings change how long the reply
period is, so saving either recomputes every open case's stored due date in the same transaction. The GUI's
settings page and ``request-desk settings set`` both come through
``update_settings``: the same permission check, validation and audit.
"""

from __future__ import annotations

from dataclasses import asdict, fields, replace
from datetime import date
from typing import Any

from sqlmodel import Session

from request_desk.core.cases.recompute import recompute_open_due_dates
from request_desk.core.errors import ValidationFailed
from request_desk.core.office import permissions
from request_desk.core.office import settings as office_settings
from request_desk.core.storage.audit import audit, diff
from request_desk.core.storage.db import Database

# Settings that move legal due dates.
CLOCK_SETTINGS = frozenset({"exclude_fee_pauses", "consultation_transit_workdays"})
# The letter fonts: set only by ``letters.office_fonts.choose_font``, which checks the font on the PC that has it.
FONT_SETTINGS = frozenset({"letter_body_font", "letter_body_font_file", "letter_title_font", "letter_title_font_file"})

_TRUE = {"1", "true", "yes", "是"}
_FALSE = {"0", "false", "no", "否"}


class BadSetting(ValidationFailed):
    """A setting that does not exist, or a value that is not of its kind."""


def parse_setting(key: str, text: str) -> tuple[str, Any]:
    """``key`` and ``text`` read as the setting's own type (whole number, yes/no, text)."""
    kinds = {f.name: f.type for f in fields(office_settings.OfficeSettings)}
    if key not in kinds:
        raise BadSetting(f"没有名为“{key}”的设置；可用设置：{'、'.join(k for k in kinds if k not in FONT_SETTINGS)}。")
    if key in FONT_SETTINGS:
        raise BadSetting("公文字体请用 request-desk settings set-font body|title 字体名|default 设置"
                         "（在装有该字体的电脑上检查后保存）。")
    declared = kinds[key]
    kind = declared if isinstance(declared, str) else declared.__name__
    value = text.strip()
    if kind == "int":
        try:
            return key, int(value)
        except ValueError:
            raise BadSetting(f"设置“{key}”须为整数，不是“{text}”。") from None
    if kind == "bool":
        if value.lower() in _TRUE | _FALSE:
            return key, value.lower() in _TRUE
        raise BadSetting(f"设置“{key}”须为 是/否（yes/no），不是“{text}”。")
    return key, text


def update_settings(db: Database, actor: str, changes: dict[str, Any], today: date | None = None) -> int:
    """Validate and store ``changes``; returns how many open cases got a new due date."""
    with db.write() as session:
        permissions.require(session, actor, permissions.Permission.CHANGE_SETTINGS,
                            f"“{actor}”无权修改机关设置：只有负责人或管理员可以修改。")
        return apply_settings(session, actor, changes, today)


def apply_settings(session: Session, actor: str, changes: dict[str, Any], today: date | None = None) -> int:
    """``update_settings`` in the caller's transaction, after the caller checked the role."""
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
