"""Text at the service boundary (issue 11, items 9 and 10): control characters, invisible names, lengths."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from request_desk.core import cases
from request_desk.core.cases.validation import FIELD_LIMITS
from request_desk.core.errors import ValidationFailed
from request_desk.core.office import units
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry, Event, HandlingUnit, Pause, Request, table_of
from request_desk.core.text import clean_text, decode_text, has_visible
from request_desk.core.vocab import PauseKind, UnitLevel
from tests.factories import TODAY, new_request


@pytest.mark.parametrize(("raw", "stored"), [
    ("第一行\x0b第二行", "第一行\n第二行"),  # Word's manual line break, kept by Qt on paste
    ("a\r\nb\rc\x0cd\u2028e", "a\nb\nc\nd\ne"),
    ("NUL\x00ESC\x1b[0mDEL\x7fC1\x9b", "NULESC[0mDELC1"),
    ("制表符\t和换行\n保留", "制表符\t和换行\n保留"),
    ("表情👍🏽与𠮷", "表情👍🏽与𠮷"),
    ("零宽\u200b连接\u200d保留", "零宽\u200b连接\u200d保留"),
    ("孤立代理\ud800", "孤立代理"),
])
def test_clean_text(raw: str, stored: str) -> None:
    assert clean_text(raw) == stored


def test_has_visible() -> None:
    assert not has_visible("\u200b\u200c\u200d\u2060\ufeff \u3000\t\u3164")
    assert has_visible("\u200b张")


def test_pasted_control_characters_are_removed_at_registration_and_the_register_exports(
        db: Database, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from request_desk.core.reports import export
    from request_desk.core.reports.common import Month

    r = cases.register(db, new_request(applicant_name="张\x1b三", description="旧城改造\x0b资金\x00使用情况",
                                          address="幸福路\x001号"), "clerk", today=TODAY)
    with db.read() as s:
        stored = s.get(Request, r.id)
        audit = s.exec(select(AuditEntry).where(AuditEntry.action == "register")).one()
    assert stored is not None
    assert (stored.applicant_name, stored.description, stored.address) == ("张三", "旧城改造\n资金使用情况",
                                                                           "幸福路1号")
    assert audit.new is not None and audit.new["description"] == "旧城改造\n资金使用情况"
    out = tmp_path / "register.xlsx"
    export.run(export.export_register(db, Month(2026, 9), "xlsx", out))  # IllegalCharacterError before
    sheet = load_workbook(out).worksheets[0]
    texts = {c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)}
    assert "旧城改造\n资金使用情况" in texts


@pytest.mark.parametrize("name", ["\u200b", "\u200b\u200d\u2060", "\ufeff \u200c"])
def test_a_name_of_only_invisible_characters_is_refused_with_a_message(db: Database, name: str) -> None:
    with pytest.raises(ValidationFailed, match="只有看不见的字符"):
        cases.register(db, new_request(applicant_name=name), "clerk", today=TODAY)
    with pytest.raises(ValidationFailed, match="看不见的字符"):
        units.add_unit(db, units.UnitData(name=name, level=UnitLevel.DEPARTMENT), actor="supervisor")
    with db.read() as s:
        assert s.exec(select(Request)).all() == []


def test_every_other_service_stores_text_without_control_characters(db: Database) -> None:
    # start_pause stands for the services without their own cleaning: the flush hook cleans their rows.
    r = cases.register(db, new_request(), "clerk", today=TODAY)
    assert r.id is not None
    cases.start_pause(db, r.id, "clerk", kind=PauseKind.THIRD_PARTY, counterpart="某\x00公司",
                      note="征求意见\x0b函已寄出\x1b", on_date=TODAY, today=TODAY)
    unit = units.add_unit(db, units.UnitData(name="市\x1b教育局", level=UnitLevel.DEPARTMENT, note="备\x00注"),
                          actor="supervisor")
    with db.read() as s:
        pause = s.exec(select(Pause)).one()
        note = s.exec(select(Event.note).where(Event.kind == "start_pause")).one()
        stored_unit = s.get(HandlingUnit, unit.id)
    assert (pause.counterpart, pause.note) == ("某公司", "征求意见\n函已寄出")
    assert note == "征求意见\n函已寄出"
    assert stored_unit is not None
    assert (stored_unit.name, stored_unit.note) == ("市教育局", "备注")


@pytest.mark.parametrize(("field", "form_field"), [
    ("description", "description"), ("applicant_name", "name"), ("address", "address"), ("note", "note"),
])
def test_registration_fields_have_a_maximum_length(db: Database, field: str, form_field: str) -> None:
    limit = FIELD_LIMITS[form_field]
    with pytest.raises(ValidationFailed, match=f"最多{limit}字，当前为{limit + 1}字") as caught:
        cases.register(db, new_request(**{field: "长" * (limit + 1)}), "clerk", today=TODAY)
    assert [i.field for i in caught.value.issues if i.severity == "error"] == [form_field]
    cases.register(db, new_request(**{field: "长" * limit}), "clerk", today=TODAY)


def test_short_limits_fit_the_database_columns() -> None:
    columns = {"name": "applicant_name"}
    for key, limit in FIELD_LIMITS.items():
        length = getattr(table_of(Request).c[columns.get(key, key)].type, "length", None)
        assert length is None or limit <= length, key


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_text_files_decode_as_utf8_or_gb18030(encoding: str) -> None:
    assert decode_text("2027-01-01,放假,元旦".encode(encoding), "x.csv") == "2027-01-01,放假,元旦"
