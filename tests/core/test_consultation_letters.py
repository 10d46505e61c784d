"""Letters about a consultation state what the case record says happened (issue 13, points 13 and 15).

docs/domain.md, "Letters" / "What the letters say about a consultation": the
3.4 reply tells an objection with its reasons from a lapse and from no
consultation at all, and never claims an objection nobody made; the letter to
an agency promises deemed consent only to a co-producing agency. Each letter
is composed, issued and read back from its PDF.
"""

from __future__ import annotations

from datetime import date

import pytest

from request_desk.core import cases
from request_desk.core.errors import ValidationFailed
from request_desk.core.letters import compose, register
from request_desk.core.office import settings
from request_desk.core.storage.db import Database
from request_desk.core.vocab import ConsultationAnswer, PauseKind
from tests import factories
from tests.factories import TODAY
from tests.support.pdf import pdf_text

L = "《中华人民共和国政府信息公开条例》"
SENT = date(2026, 10, 9)  # Fri; the request came in on Mon 28 Sep
RECEIVED = date(2026, 10, 12)  # Mon: the third party signs for the letter
# 15 working days from 12 Oct: 13-16 (4) | 19-23 (9) | 26-30 (14) | Mon 2 Nov (15).
DUE = "2026年11月2日"
REASONS = "该信息含有本公司的投标报价和成本构成，属于商业秘密"


@pytest.fixture
def office(db: Database) -> Database:
    with db.write() as s:
        settings.update(s, agency_name="某某市某某区人民政府办公室", contact_person="李四",
                        contact_phone="0527-84371234", document_number_pattern="某政信公开〔{year}〕{seq}号")
    return db


def _consulted(db: Database, kind: PauseKind = PauseKind.THIRD_PARTY, *, co_producer: bool = False,
               counterpart: str = "宿迁宏达建设有限公司") -> int:
    rid = factories.register(db)
    cases.start_pause(db, rid, "clerk", kind=kind, counterpart=counterpart, co_producer=co_producer,
                      on_date=SENT, today=TODAY)
    cases.record_consultation_received(db, rid, "clerk", on_date=RECEIVED, today=TODAY)
    return rid


def _issued_text(db: Database, rid: int, kind: str, on: date = date(2026, 11, 20)) -> str:
    draft = compose.compose(db, rid, kind, on_date=on)
    assert compose.unfilled(draft.document) == []
    return pdf_text(register.issue(db, draft, "clerk").pdf)


# The reply's own reason (a refusal is not issued without one, docs/domain.md, "Letters").
REASON = "所申请的投标文件载有投标人的成本构成和报价策略，属于商业秘密"


def test_a_3_4_reply_after_an_objection_gives_its_date_reasons_and_the_finding(office: Database) -> None:
    rid = _consulted(office)
    cases.end_pause(office, rid, "clerk", answer=ConsultationAnswer.OBJECTED, reasons=REASONS + "。",
                    on_date=date(2026, 10, 20), today=TODAY)
    factories.replied(office, "3.4", rid=rid, on=date(2026, 11, 3), summary=REASON)
    text = _issued_text(office, rid, "reply_3.4", date(2026, 11, 3))
    assert f"根据{L}第十五条的规定" in text
    assert "本机关于2026年10月9日依照条例第三十二条的规定书面征求了第三方意见" in text
    assert f"第三方于2026年10月20日书面提出不同意公开，理由为：{REASONS}。" in text
    assert "本机关认为第三方不同意公开有合理理由，且不公开不会对公共利益造成重大影响" in text
    assert "根据条例第三十六条第（三）项的规定，本机关决定不予公开" in text
    assert "未提出意见" not in text and "未就此征求" not in text


def test_a_3_4_reply_after_the_third_party_let_its_time_pass(office: Database) -> None:
    rid = _consulted(office)
    with pytest.raises(ValidationFailed, match="尚未届满"):
        cases.end_pause(office, rid, "clerk", answer=ConsultationAnswer.NO_ANSWER, on_date=date(2026, 11, 2),
                        today=TODAY)
    cases.end_pause(office, rid, "clerk", answer=ConsultationAnswer.NO_ANSWER, on_date=date(2026, 11, 3),
                    today=TODAY)
    factories.replied(office, "3.4", rid=rid, on=date(2026, 11, 10), summary=REASON)
    text = _issued_text(office, rid, "reply_3.4", date(2026, 11, 10))
    assert f"第三方自收到征求意见书之日起15个工作日内（至{DUE}）未提出意见" in text
    assert "由本机关依照条例的规定决定是否公开" in text
    assert "本机关认为公开该政府信息会对第三方合法权益造成损害，且不公开不会对公共利益造成重大影响" in text
    assert "不同意公开" not in text


def test_a_3_4_reply_without_a_consultation_does_not_claim_one(office: Database) -> None:
    rid = factories.replied(office, "3.4", on=date(2026, 10, 20), summary=REASON)
    draft = compose.compose(office, rid, "reply_3.4", on_date=date(2026, 10, 30))
    assert any("没有征求第三方意见" in w for w in draft.warnings)
    text = _issued_text(office, rid, "reply_3.4", date(2026, 10, 30))
    assert "本机关未就此征求第三方意见" in text
    assert "征求了第三方意见" not in text and "不同意公开" not in text


def test_a_3_4_reply_after_consent_or_without_the_answer_is_left_blank(office: Database) -> None:
    agreed = _consulted(office)
    cases.end_pause(office, agreed, "clerk", answer=ConsultationAnswer.AGREED, on_date=date(2026, 10, 20),
                    today=TODAY)
    factories.replied(office, "3.4", rid=agreed, on=date(2026, 11, 3), summary=REASON)
    draft = compose.compose(office, agreed, "reply_3.4", on_date=date(2026, 11, 20))
    assert compose.blank_names(draft.document) == ["third_party_view"]
    assert any("同意公开：依条例第十五条应予公开" in w for w in draft.warnings)
    with pytest.raises(ValidationFailed, match="待填写"):
        register.issue(office, draft, "clerk")
    # The consultation is withdrawn with the request, its answer never recorded.
    unknown = _consulted(office)
    cases.withdraw(office, unknown, "clerk", on_date=date(2026, 10, 20), today=TODAY)
    draft = compose.compose(office, unknown, "reply_3.4", on_date=date(2026, 11, 20))
    assert compose.blank_names(draft.document) == ["third_party_view", "reason"]  # withdrawn: no reply summary
    assert any("未登记第三方的意见" in w for w in draft.warnings)


@pytest.mark.parametrize(("co_producer", "present", "absent"), [
    (True, ["由本机关牵头、与贵机关共同制作", f"根据{L}第十条第三款、第三十四条的规定",
            "逾期未提出意见的，视为同意公开"], ["第十一条"]),
    (False, ["该政府信息涉及贵机关", f"根据{L}第十一条的规定",
             "逾期未提出意见的，本机关将依照条例的规定自行决定是否公开"], ["视为同意", "第三十四条", "共同制作"]),
], ids=["co_producer", "other_agency"])
def test_the_letter_to_an_agency_promises_deemed_consent_only_to_a_co_producer(
        office: Database, co_producer: bool, present: list[str], absent: list[str]) -> None:
    rid = _consulted(office, PauseKind.OTHER_AGENCY, co_producer=co_producer, counterpart="某某区财政局")
    text = _issued_text(office, rid, "consult_agency")
    assert text.startswith("政府信息公开征求意见书") and "某某区财政局：" in text
    assert "自收到本征求意见书之日起15个工作日内" in text
    for phrase in present:
        assert phrase in text, phrase
    for phrase in absent:
        assert phrase not in text, phrase


@pytest.mark.parametrize(("kind", "co_producer", "article"), [
    (PauseKind.THIRD_PARTY, False, "第三十二条"),
    (PauseKind.OTHER_AGENCY, True, "第三十四条"),
    (PauseKind.OTHER_AGENCY, False, "第十一条"),
], ids=["third_party", "co_producer", "other_agency"])
def test_the_notice_to_the_applicant_cites_the_consultation_made(office: Database, kind: PauseKind,
                                                                 co_producer: bool, article: str) -> None:
    rid = _consulted(office, kind, co_producer=co_producer, counterpart="某某区财政局")
    text = _issued_text(office, rid, "consult_notice")
    assert f"本机关已于2026年10月9日依照{L}{article}的规定书面征求意见" in text
