"""Information-processing fees (国办函〔2020〕109号), worked out by hand, and the fee table as data."""

from __future__ import annotations

import pytest

from request_desk.core.cases import fees
from request_desk.core.cases.fees import PER_APPLICATION, PER_PAGE, FeeRulesError, PerPageForm
from request_desk.core.errors import ValidationFailed
from request_desk.core.office import file_change
from request_desk.core.storage.db import Database


@pytest.fixture(scope="module")
def rules() -> fees.FeeRules:
    return fees.load_rules(None)  # the shipped table


# The k-th application of one applicant in a calendar month: 1–10 free; 11–30 100;
# 31–40 200; 41–50 300; 51–60 400 (every further block of 10 costs 100 more each).
@pytest.mark.parametrize(("k", "yuan"), [
    (1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400), (101, 900),
])
def test_rate_of_the_kth_application(rules: fees.FeeRules, k: int, yuan: int) -> None:
    assert rules.quote(PER_APPLICATION, 1, already=k - 1).amount_yuan == yuan


# All of a month's applications charged together: the sum of the rates above.
@pytest.mark.parametrize(("count", "yuan"), [
    (10, 0),  # free
    (11, 100),  # 1 × 100
    (30, 2000),  # 20 × 100
    (31, 2200),  # 2000 + 200
    (45, 2000 + 10 * 200 + 5 * 300),  # 5500
    (60, 2000 + 2000 + 3000 + 4000),  # 11000
])
def test_a_months_applications(rules: fees.FeeRules, count: int, yuan: int) -> None:
    assert rules.quote(PER_APPLICATION, count).amount_yuan == yuan


# Pages of one application: 1–30 free; 31–100 10 a page; 101–200 20; from 201 40 — each band on its own pages.
@pytest.mark.parametrize(("pages", "yuan"), [
    (1, 0), (30, 0), (31, 10), (100, 700), (101, 720), (150, 1700), (200, 2700), (201, 2740), (250, 4700),
    (1000, 700 + 2000 + 800 * 40),
])
def test_pages_of_one_application(rules: fees.FeeRules, pages: int, yuan: int) -> None:
    assert rules.quote(PER_PAGE, pages).amount_yuan == yuan


def test_quote_describes_each_band(rules: fees.FeeRules) -> None:
    q = rules.quote(PER_PAGE, 150)
    assert [(ln.first, ln.last, ln.yuan) for ln in q.lines] == [(1, 30, 0), (31, 100, 10), (101, 150, 20)]
    assert q.describe() == "第1—30页免费；第31—100页，每页10元，计700元；第101—150页，每页20元，计1000元"
    assert rules.quote(PER_APPLICATION, 1, already=11).describe() == "第12件，每件100元，计100元"
    assert "109号" in q.basis


def test_office_fee_table_overrides_and_bad_tables_are_refused(db: Database) -> None:
    table = "fees/fee_rules.toml"
    file_change.set_file(db, "supervisor", table,
                         '[per_application]\nlabel="按件"\nunit="件"\nbands=[{from=1,to=5,yuan=0},{from=6,yuan=50}]\n'
                         '[per_page]\nlabel="按量"\nunit="页"\nbands=[{from=1,yuan=1}]\n')
    with db.read() as session:
        custom = fees.load_rules(session)
    assert custom.quote(PER_APPLICATION, 1, already=5).amount_yuan == 50
    with pytest.raises(ValidationFailed, match="第2档应从第6个单位开始"):
        file_change.set_file(db, "supervisor", table,
                             '[per_application]\nlabel="x"\nunit="件"\nbands=[{from=1,to=5,yuan=0},{from=7,yuan=50}]\n'
                             '[per_page]\nlabel="y"\nunit="页"\nbands=[{from=1,yuan=1}]\n')
    with pytest.raises(ValidationFailed, match="无法读取"):
        file_change.set_file(db, "supervisor", table, "[per_application\n")
    with db.read() as session:  # the refused tables changed nothing
        assert fees.load_rules(session).quote(PER_APPLICATION, 1, already=5).amount_yuan == 50
    with pytest.raises(FeeRulesError, match=r"本机关的 fees/fee_rules\.toml 无法读取"):
        fees.parse_rules("[per_application\n", "本机关的 fees/fee_rules.toml")


def test_quantities_must_be_positive(rules: fees.FeeRules) -> None:
    with pytest.raises(FeeRulesError):
        rules.quote(PER_PAGE, 0)
    with pytest.raises(FeeRulesError, match="未知的计费方式"):
        rules.quote("per_minute", 1)


# 国办函〔2020〕109号 Art. 5: per page only for paper, e-mail and copied electronic data (docs/domain.md, "Fees").
@pytest.mark.parametrize(("form", "way", "verdict"), [
    ("纸质", "邮寄", PerPageForm.APPLIES),  # paper, however delivered
    ("纸质", "当面领取", PerPageForm.APPLIES),
    ("纸质", "传真", PerPageForm.APPLIES),
    ("电子数据", "电子邮件", PerPageForm.APPLIES),  # e-mail
    ("其他", "电子邮件", PerPageForm.APPLIES),
    ("电子数据", "邮寄", PerPageForm.APPLIES),  # copied onto a carrier and posted or handed over
    ("电子数据", "当面领取", PerPageForm.APPLIES),
    ("光盘", "", PerPageForm.APPLIES),
    ("当场阅读", "", PerPageForm.EXCLUDED),  # read, not copied
    ("纸质", "当场查阅", PerPageForm.EXCLUDED),
    ("电子数据", "网上", PerPageForm.EXCLUDED),  # looked up online
    ("其他", "网上", PerPageForm.EXCLUDED),
    ("", "", PerPageForm.UNKNOWN),  # imported ledgers carry no form
    ("其他", "邮寄", PerPageForm.UNKNOWN),
    ("电子数据", "传真", PerPageForm.UNKNOWN),
    ("电子数据", "", PerPageForm.UNKNOWN),
])
def test_which_provision_forms_allow_per_page_charging(form: str, way: str, verdict: PerPageForm) -> None:
    assert fees.per_page_form(form, way) is verdict
    assert (fees.per_page_refusal(form, way) is None) == (verdict is not PerPageForm.EXCLUDED)
