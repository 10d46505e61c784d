"""The check before every signature: each rule refuses (or warns) and nothing is stored.

Table-driven: each row builds a case, composes the letter the clerk would get, lets
the clerk's edit break one rule, and expects the issue to be refused with a message
naming the rule (docs/domain.md, "Letters", The check before issuing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import pytest

from request_desk.core import cases
from request_desk.core.errors import ValidationFailed
from request_desk.core.letters import compose, issue_checks, pre_issue, register
from request_desk.core.letters.document import LetterDocument
from request_desk.core.letters.kinds import KINDS, kind
from request_desk.core.office import settings as office_settings
from request_desk.core.storage.db import Database
from tests import factories
from tests.factories import OFFICE

ON_TIME = date(2026, 10, 28)  # received 28 Sep, due 30 Oct
REASON = "所申请的会议纪要载有参会企业的报价和成本构成，属于商业秘密，公开会损害其合法权益"
REASON_KINDS = [k.code for k in KINDS if k.reason_hint]


@pytest.fixture(autouse=True)
def _contact(db: Database) -> None:
    with db.write() as s:  # every letter to the applicant names a contact
        office_settings.update(s, contact_person="李四", contact_phone="0527-84371234")


def answered(db: Database, outcome: str, summary: str = REASON, **overrides: object) -> int:
    rid = None
    if outcome == "4.3":  # "still unclear after the supplement": a supplement asked for and received
        rid = factories.register(db, **overrides)
        cases.request_supplement(db, rid, "clerk", what="请写明所需文件的名称和年份。", on_date=date(2026, 9, 30),
                                 deadline=date(2026, 10, 23), today=factories.TODAY)
        cases.receive_supplement(db, rid, "clerk", on_date=date(2026, 10, 12), today=factories.TODAY)
    rid = factories.replied(db, outcome, rid=rid, on=date(2026, 10, 20), summary=summary, **overrides)
    if outcome == "4.1":  # "does not exist" rests on a search record (指导性案例101号)
        cases.record_search(db, rid, "clerk", where="本机关公文管理系统", keywords="会议纪要",
                            on_date=date(2026, 10, 20), today=factories.TODAY)
    return rid


def edited(draft: compose.Draft, change: Callable[[list[str]], list[str]]) -> compose.Draft:
    """The draft as the clerk left it after changing its body paragraphs."""
    return draft.with_document(replace(draft.document, body=tuple(change(list(draft.document.body)))))


def refused(db: Database, draft: compose.Draft, words: str) -> None:
    with pytest.raises(ValidationFailed, match=words):
        register.issue(db, draft, "clerk")
    assert register.register_rows(db) == []  # nothing stored, no number drawn


def test_the_kinds_that_need_a_reason_are_every_refusal_partial_and_unable_to_provide() -> None:
    assert set(REASON_KINDS) == {"reply_2", *(f"reply_3.{n}" for n in range(1, 9)), "reply_4.1_not_responsible",
                                 "reply_4.2", "reply_4.3"}


@pytest.mark.parametrize("code", REASON_KINDS)
def test_a_reply_without_its_specific_reason_is_refused(db: Database, code: str) -> None:
    outcome = kind(code).outcome_codes[0]
    # No reason recorded: the letter shows a blank saying what the reason must say.
    rid = answered(db, outcome, summary="")
    draft = compose.compose(db, rid, code, on_date=ON_TIME)
    refused(db, draft, kind(code).reason_hint)
    # The clerk removed the blank but wrote nothing, or only the outcome, or dropped the paragraph.
    for change in (
        lambda body: [pre_issue.REASON_LEAD if p.startswith(pre_issue.REASON_LEAD) else p for p in body],
        lambda body: [pre_issue.REASON_LEAD + kind(code).note.split("：")[-1] if p.startswith(pre_issue.REASON_LEAD)
                      else p for p in body],
        lambda body: [p for p in body if not p.startswith(pre_issue.REASON_LEAD)],
    ):
        refused(db, edited(draft, change), "具体理由")
    # With the case's reason it goes out, and the letter states it.
    good = compose.compose(db, answered(db, outcome), code, on_date=ON_TIME)
    assert f"{pre_issue.REASON_LEAD}{REASON}。" in good.document.body
    assert register.issue(db, good, "clerk").doc_number


def test_a_terse_reason_is_a_warning_kept_with_the_letter(db: Database) -> None:
    draft = compose.compose(db, answered(db, "3.4", summary="涉及商业秘密"), "reply_3.4", on_date=ON_TIME)
    found = issue_checks.pre_issue_findings(db, draft)
    assert [(f.rule, f.severity) for f in found] == [(pre_issue.Rule.REASON, pre_issue.Severity.WARNING)]
    register.issue(db, draft, "clerk")
    assert "具体理由只有6个字" in register.register_rows(db)[0].check_warnings[0]


def test_not_this_agencys_information_needs_its_reason_not_only_the_referral(db: Database) -> None:
    # Art. 36(5): the reason (normally Art. 10: who made or first obtained it), and the agency where known.
    rid = answered(db, "4.1", summary="")
    draft = compose.compose(db, rid, "reply_4.1_not_responsible", on_date=ON_TIME,
                            extras={"responsible_agency": "宿城区市场监督管理局"})
    refused(db, draft, "第十条")
    draft = compose.compose(db, rid, "reply_4.1_not_responsible", on_date=ON_TIME,
                            extras={"responsible_agency": "宿城区市场监督管理局",
                                    "reason": "该执法文书由宿城区市场监督管理局制作并保存，本机关未制作也未获取"})
    assert register.issue(db, draft, "clerk").doc_number


@dataclass(frozen=True)
class Breach:
    """One rule of the check, broken by one edit of an otherwise issuable letter."""

    outcome: str
    code: str
    change: Callable[[list[str]], list[str]]
    words: str  # in the refusal


def _drop(words: str) -> Callable[[list[str]], list[str]]:
    return lambda body: [p for p in body if words not in p]


def _swap(old: str, new: str) -> Callable[[list[str]], list[str]]:
    return lambda body: [p.replace(old, new) for p in body]


_ORDINARY = "，或者自收到本答复之日起6个月内向宿迁市宿城区人民法院提起行政诉讼。"

BREACHES = {
    "no remedy paragraph": Breach("1", "reply_1", _drop("行政复议"), "缺少救济途径段落"),
    "no litigation period": Breach("4.2", "reply_4.2", _swap("6个月内", ""), "起诉期限"),
    "no reconsideration body": Breach("5.1", "reply_5.1", _swap(OFFICE["reconsideration_body"], "复议机关"),
                                      "行政复议机关"),
    "refusal offered direct litigation": Breach(
        "3.1", "reply_3.1",
        lambda body: [p.split("申请行政复议。")[0] + "申请行政复议" + _ORDINARY if "行政复议" in p else p
                      for p in body],
        "复议前置|先申请行政复议"),
    "reconsideration first for a procedural refusal": Breach(
        "4.1", "reply_4.1", _swap("或者自收到本告知之日起6个月内", "依法应当先申请行政复议，对复议决定不服的，15日内"),
        "两种途径"),
    "no 15 days after reconsideration": Breach("3.6", "reply_3.6", _swap("15日", "30日"), "复议后起诉期限"),
    "no article cited": Breach("1", "reply_1",
                               lambda body: [p for p in body if "第三十六条" not in p and "第四十条" not in p],
                               "未引用法律依据"),
}


@pytest.mark.parametrize("name", list(BREACHES))
def test_a_letter_that_breaks_a_rule_of_the_check_is_refused(db: Database, name: str) -> None:
    b = BREACHES[name]
    draft = compose.compose(db, answered(db, b.outcome), b.code, on_date=ON_TIME,
                            extras={"published_where": "本机关门户网站"} if b.code == "reply_1_published" else None)
    assert [f for f in issue_checks.pre_issue_findings(db, draft) if f.blocks] == []  # issuable as composed
    refused(db, edited(draft, b.change), b.words)


def test_a_reply_for_another_outcome_is_refused(db: Database) -> None:
    rid = answered(db, "3.4")
    wrong = compose.compose(db, rid, "reply_1", on_date=ON_TIME)
    assert [f.rule for f in issue_checks.pre_issue_findings(db, wrong) if f.blocks] == [pre_issue.Rule.OUTCOME]
    refused(db, wrong, "3.4")


def test_a_reply_before_the_outcome_is_recorded_is_a_warning(db: Database) -> None:
    rid = factories.register(db)
    draft = compose.compose(db, rid, "reply_1", on_date=ON_TIME)
    assert [f.rule for f in issue_checks.pre_issue_findings(db, draft)] == [pre_issue.Rule.OUTCOME]
    register.issue(db, draft, "clerk")
    assert "尚未登记答复结果" in register.register_rows(db)[0].check_warnings[0]


def test_a_late_reply_must_be_acknowledged_and_is_recorded_as_late(db: Database) -> None:
    rid = answered(db, "1")
    draft = compose.compose(db, rid, "reply_1", on_date=date(2026, 11, 2))  # due 30 October
    with pytest.raises(register.LateNotAcknowledged, match="逾期答复"):
        register.issue(db, draft, "clerk")
    assert register.register_rows(db) == []
    late = register.issue(db, draft, "clerk", acknowledge_late=True)
    on_time = compose.compose(db, answered(db, "1"), "reply_1", on_date=date(2026, 10, 30))
    in_time = register.issue(db, on_time, "clerk")
    rows = {r.letter_id: r for r in register.register_rows(db)}
    assert rows[late.id].late and "晚于答复期限 2026-10-30" in rows[late.id].check_warnings[0]
    assert not rows[in_time.id].late  # the deadline day itself is on time


def test_a_letter_served_online_names_the_online_reconsideration_channel(db: Database) -> None:
    rid = answered(db, "4.2", delivery_method="电子邮件")
    draft = compose.compose(db, rid, "reply_4.2", on_date=ON_TIME)
    remedy = next(p for p in draft.document.body if "行政复议" in p)
    assert f"您也可以通过{OFFICE['reconsideration_online']}在网上提交行政复议申请。" in remedy
    refused(db, edited(draft, _swap(OFFICE["reconsideration_online"], "网上")), "网上申请行政复议的渠道")
    by_post = compose.compose(db, answered(db, "4.2", delivery_method="邮寄"), "reply_4.2", on_date=ON_TIME)
    assert not any("在网上提交" in p for p in by_post.document.body)
    with db.write() as s:
        office_settings.update(s, reconsideration_online="")
    draft = compose.compose(db, rid, "reply_4.2", on_date=ON_TIME)
    refused(db, draft, "网上申请行政复议的渠道")


def test_partial_disclosure_may_take_the_ordinary_route_when_the_clerk_says_so(db: Database) -> None:
    # Outcome 2 where nothing was withheld under Arts. 14–16 (docs/domain.md, "Remedies").
    rid = answered(db, "2")
    first = compose.compose(db, rid, "reply_2", on_date=ON_TIME)
    assert any(pre_issue.RECONSIDERATION_FIRST in p for p in first.document.body)  # the default
    ordinary = compose.compose(db, rid, "reply_2", on_date=ON_TIME, extras={"remedy_route": "ordinary"})
    remedy = next(p for p in ordinary.document.body if "行政复议" in p)
    assert "6个月内" in remedy and pre_issue.RECONSIDERATION_FIRST not in remedy
    assert register.issue(db, ordinary, "clerk").doc_number
    with pytest.raises(ValidationFailed, match="救济途径"):
        compose.compose(db, rid, "reply_2", on_date=ON_TIME, extras={"remedy_route": "direct"})


def test_a_new_office_cannot_issue_any_letter_until_its_details_are_set(new_office: Database) -> None:
    rid = factories.register(new_office, actor="supervisor")
    for code in ("acknowledgement", "supplement"):
        draft = compose.compose(new_office, rid, code, on_date=ON_TIME)
        assert "某某" not in "".join(draft.document.body) + "".join(draft.document.signature)
        with pytest.raises(ValidationFailed, match=r"本机关名称、行政复议机关、管辖人民法院.*设置"):
            register.issue(new_office, draft, "supervisor")
    with new_office.write() as s:
        office_settings.update(s, **OFFICE, contact_person="李四", contact_phone="0527-84371234")
    draft = compose.compose(new_office, rid, "acknowledgement", on_date=ON_TIME)
    assert register.issue(new_office, draft, "supervisor").doc_number


def test_the_sample_names_of_earlier_versions_count_as_not_set(new_office: Database) -> None:
    with new_office.write() as s:  # what an earlier version saved as its defaults
        office_settings.update(s, agency_name="某某市人民政府办公室", reconsideration_body="某某市人民政府",
                               court="某某市某某区人民法院")
    with new_office.read() as s:
        conf = office_settings.load(s)
    assert conf.missing_office_details() == ["本机关名称", "行政复议机关", "管辖人民法院"]


def test_the_check_reads_the_edited_text_not_the_composed_one(db: Database) -> None:
    # A letter the clerk rewrote entirely is checked as rewritten.
    draft = compose.compose(db, answered(db, "1"), "reply_1", on_date=ON_TIME)
    bare = draft.with_document(LetterDocument(title=draft.document.title, doc_number=None,
                                              salutation="张三：", body=("经研究，同意公开。",),
                                              signature=draft.document.signature))
    rules = {f.rule for f in issue_checks.pre_issue_findings(db, bare) if f.blocks}
    assert rules == {pre_issue.Rule.LEGAL_BASIS, pre_issue.Rule.REMEDY}
