"""The fee notice (收费通知书) as issued and read back from its PDF: its wording follows the law
and the office's settings (docs/domain.md, "Fees"; 条例第四十二条, 国办函〔2020〕109号)."""

from __future__ import annotations

import io
import re
from datetime import date
from importlib import resources

import pytest
from pypdf import PdfReader

from request_desk.core import cases
from request_desk.core.errors import ValidationFailed
from request_desk.core.letters import compose, register
from request_desk.core.office import settings_change
from request_desk.core.storage.db import Database
from tests import factories
from tests.factories import TODAY

NOTICE_DATE = date(2026, 10, 9)
PAY = "通过江苏省非税收入统一缴款平台缴纳（缴款码随本通知书送达）"
PAUSE_SENTENCE = "自发出本通知书至您缴纳费用的时间，不计算在答复期限内。"


@pytest.fixture
def office(db: Database) -> Database:
    settings_change.update_settings(db, "supervisor", {
        "contact_person": "李四", "contact_phone": "0527-84371234", "address": "宿城区人民路88号",
        "fee_payment_method": PAY}, today=TODAY)
    return db


def fee_noticed(db: Database) -> int:
    """A request charged per page (150 pages: 700 + 1000 = 1700 yuan), the receipt not yet known."""
    rid = factories.register(db)
    cases.issue_fee_notice(db, rid, "clerk", method="per_page", quantity=150, on_date=NOTICE_DATE, today=TODAY)
    return rid


def issued_text(db: Database, rid: int) -> str:
    draft = compose.compose(db, rid, "fee_notice", on_date=NOTICE_DATE)
    pdf = register.issue(db, draft, "clerk").pdf
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def test_the_pause_sentence_follows_the_fee_pause_setting(office: Database) -> None:
    # Excluded (the default): the notice tells the applicant the reply period stops meanwhile.
    excluded = fee_noticed(office)
    assert PAUSE_SENTENCE in issued_text(office, excluded)
    # Counted: the notice says nothing about the reply period at all.
    settings_change.update_settings(office, "supervisor", {"exclude_fee_pauses": False}, today=TODAY)
    counted = fee_noticed(office)
    text = issued_text(office, counted)
    assert "答复期限" not in text
    assert "视为您放弃申请，本机关不再处理该政府信息公开申请。特此通知。" in text


def test_the_payment_period_is_the_office_setting(office: Database) -> None:
    settings_change.update_settings(office, "supervisor", {"fee_payment_workdays": 30}, today=TODAY)
    text = issued_text(office, fee_noticed(office))
    assert "请您自收到本通知书次日起30个工作日内按上述方式缴纳" in text
    assert "20个工作日" not in text


def test_the_way_to_pay_is_office_data_and_its_blank_blocks_issuing(office: Database) -> None:
    settings_change.update_settings(office, "supervisor", {"fee_payment_method": ""}, today=TODAY)
    rid = fee_noticed(office)
    draft = compose.compose(office, rid, "fee_notice", on_date=NOTICE_DATE)
    assert compose.unfilled(draft.document) == [compose.marker("fee_payment_method")]
    assert "可在“设置”中填写" in compose.marker("fee_payment_method")
    assert compose.blank_names(draft.document) == ["fee_payment_method"]
    with pytest.raises(ValidationFailed, match="待填写"):
        register.issue(office, draft, "clerk")
    assert register.register_rows(office) == []

    settings_change.update_settings(office, "supervisor", {"fee_payment_method": PAY}, today=TODAY)
    text = issued_text(office, rid)
    assert f"缴纳方式：{PAY}。" in text
    assert "到本机关" not in text and "宿城区人民路88号" not in text.split("特此通知")[0]


def test_the_ground_is_article_42s_number_and_frequency(office: Database) -> None:
    text = issued_text(office, fee_noticed(office))
    assert "经审查，您申请公开政府信息的数量、频次明显超过合理范围。" in text
    assert "页数" not in text.split("计收方式")[0]
    # No letter of the set still gives the page count as the ground for charging.
    letters = resources.files("request_desk.resources") / "letters"
    for template in letters.iterdir():
        if template.name.endswith(".txt"):
            wording = template.read_text(encoding="utf-8")
            assert "页数明显超过" not in wording and "数量或者页数" not in wording, template.name


def test_a_per_page_fee_of_unknown_form_is_allowed_and_the_letter_warns(office: Database) -> None:
    # Imported ledgers carry no provision form: the desk cannot tell, so it charges and warns.
    rid = factories.register(office, preferred_form="", delivery_method="")
    cases.issue_fee_notice(office, rid, "clerk", method="per_page", quantity=60, on_date=NOTICE_DATE, today=TODAY)
    draft = compose.compose(office, rid, "fee_notice", on_date=NOTICE_DATE)
    assert any("无法判断能否按量计收" in w and "未登记提供形式" in w for w in draft.warnings), draft.warnings
    # A known paper request gives no such warning.
    paper = compose.compose(office, fee_noticed(office), "fee_notice", on_date=NOTICE_DATE)
    assert not any("按量计收" in w for w in paper.warnings), paper.warnings
