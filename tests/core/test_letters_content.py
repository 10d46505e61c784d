"""Every letter kind, composed for a suitable case, issued, and read back from its PDF."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pytest
from pypdf import PdfReader

from request_desk.core import cases
from request_desk.core.letters import compose, register
from request_desk.core.letters.glyphs import MissingGlyphError
from request_desk.core.letters.kinds import KINDS, kind
from request_desk.core.office import settings
from request_desk.core.storage.db import Database
from request_desk.core.vocab import OUTCOMES, OUTCOMES_BY_CODE, PauseKind
from tests import factories
from tests.factories import TODAY

LETTER_DATE = date(2026, 10, 30)
AGENCY = "宿迁市宿城区人民政府办公室"
BODY = "宿迁市人民政府"
COURT = "宿迁市中级人民法院"
RECITAL = "本机关于2026年9月28日收到您提出的政府信息公开申请，申请获取“2025年本市老旧小区改造项目的资金使用情况”。"
REMEDY = f"可以自收到本答复之日起60日内向{BODY}申请行政复议，或者自收到本答复之日起6个月内向{COURT}提起行政诉讼"
REFUSAL_REMEDY = (f"可以自收到本答复之日起60日内向{BODY}申请行政复议。依照《中华人民共和国行政复议法》第二十三条"
                  f"第一款第（四）项的规定，对不予公开的答复应当先申请行政复议；对行政复议决定不服，或者"
                  f"行政复议机关决定不予受理、受理后超过行政复议期限不作答复的，可以自收到行政复议决定书、不予受理决定书之日起"
                  f"或者行政复议期限届满之日起15日内向{COURT}提起行政诉讼")
L = "《中华人民共和国政府信息公开条例》"
# The case's own reason of every reply that must state one (the reply summary of the case).
REASONS = {
    "2": "其中第3页载有申请人以外的自然人的身份证件号码和住址，属于个人隐私",
    "3.1": "所申请的《城市防汛应急预案（2025年修订）》经宿迁市国家保密局确定为秘密级",
    "3.2": "所申请的统计调查对象原始资料，依照《中华人民共和国统计法》第三十九条不得对外提供",
    "3.3": "所申请的水厂取水口防护方案一旦公开，可能危及城市供水安全",
    "3.4": "所申请的投标文件载有投标人的成本构成和报价策略，属于商业秘密",
    "3.5": "所申请的是本机关内部考勤和车辆调度记录，属于内部事务信息",
    "3.6": "所申请的是会议讨论记录和征求意见过程稿，方案尚未最终形成",
    "3.7": "所申请的是对某企业行政处罚的调查询问笔录，属于行政执法案卷",
    "3.8": "所申请的企业股东登记信息，应依照《企业信息公示暂行条例》向市场监督管理部门查询",
    "4.1": "该执法文书由宿城区市场监督管理局制作并保存，本机关未制作也未获取",
    "4.2": "需要将十年间各街道的台账逐项汇总、统计后才能形成，本机关没有现成的统计表",
    "4.3": "补正后仍未写明所需文件的名称、年份或者涉及的具体项目",
}
PAY = "通过江苏省非税收入统一缴款平台缴纳（缴款码随本通知书送达）"


@pytest.fixture
def office(db: Database) -> Database:
    with db.write() as s:
        settings.update(s, agency_name=AGENCY, reconsideration_body=BODY, court=COURT,
                        contact_person="李四", contact_phone="0527-84371234", address="宿城区人民路88号",
                        document_number_pattern="宿城政信公开〔{year}〕{seq}号", fee_payment_method=PAY)
    return db


def replied(code: str, summary: str = "") -> Callable[[Database], int]:
    def setup(db: Database) -> int:
        return factories.replied(db, code, on=date(2026, 10, 20), summary=summary)
    return setup


def searched_not_found(db: Database) -> int:
    """A 4.1 "does not exist" reply with the search it rests on (指导性案例101号)."""
    rid = factories.replied(db, "4.1", on=date(2026, 10, 20))
    cases.record_search(db, rid, "clerk", where="本机关公文管理系统、档案室", keywords="老旧小区改造资金",
                        on_date=date(2026, 10, 16), today=factories.TODAY)
    return rid


def paused(kind_: PauseKind, counterpart: str, *, co_producer: bool = False) -> Callable[[Database], int]:
    def setup(db: Database) -> int:
        rid = factories.register(db)
        cases.start_pause(db, rid, "clerk", kind=kind_, counterpart=counterpart, co_producer=co_producer,
                          on_date=date(2026, 10, 9), today=TODAY)
        return rid
    return setup


def supplement_asked(db: Database) -> int:
    rid = factories.register(db)
    cases.request_supplement(db, rid, "clerk", what="请写明所需资金使用情况的具体项目名称和年度。",
                             on_date=date(2026, 9, 30), deadline=date(2026, 10, 23), today=TODAY)
    return rid


def supplemented_unclear(db: Database) -> int:
    rid = supplement_asked(db)
    cases.receive_supplement(db, rid, "clerk", on_date=date(2026, 10, 12), today=TODAY)
    return factories.replied(db, "4.3", rid=rid, on=date(2026, 10, 22), summary=REASONS["4.3"])


def deemed_no_supplement(db: Database) -> int:
    rid = supplement_asked(db)
    cases.deem_withdrawn_no_supplement(db, rid, "clerk", on_date=date(2026, 10, 26), today=TODAY)
    return rid


def fee_noticed(db: Database) -> int:
    rid = factories.register(db)
    # 150 pages: pages 31–100 at 10 yuan (700) + 101–150 at 20 yuan (1000) = 1700.
    cases.issue_fee_notice(db, rid, "clerk", method="per_page", quantity=150, amount_yuan=1700,
                           on_date=date(2026, 10, 9), today=TODAY)
    # Posted on Fri 9 Oct, signed for on Mon 12 Oct: payment is due by the 20th working day after
    # the receipt: 13-16 (4) | 19-23 (9) | 26-30 (14) | 2-6 Nov (19) | 9 Nov (20). From the notice
    # date it would have been 5 Nov (Sat 10 Oct is a make-up working day).
    cases.record_fee_notice_received(db, rid, "clerk", on_date=date(2026, 10, 12), today=TODAY)
    return rid


def fee_unpaid(db: Database) -> int:
    rid = fee_noticed(db)
    cases.deem_withdrawn_no_payment(db, rid, "clerk", on_date=date(2026, 11, 20), today=TODAY)
    return rid


def extended(db: Database) -> int:
    rid = factories.register(db)
    cases.extend(db, rid, "supervisor", reason="所需信息涉及多个部门，需调取核实的档案较多",
                 on_date=date(2026, 10, 26), today=TODAY)
    return rid


def assigned(db: Database) -> int:
    rid = factories.register(db)
    unit = factories.add_unit(db, "宿城区住房和城乡建设局", actor="supervisor")
    return factories.assigned(db, unit, rid=rid, internal_due=date(2026, 10, 20), on=date(2026, 9, 29))


def later_date(db: Database) -> int:
    rid = factories.register(db)
    cases.set_later_date(db, rid, "clerk", later=date(2026, 12, 31), reason="申请涉及的文件数量较多，需逐件审查",
                         on_date=date(2026, 10, 12), today=TODAY)
    return rid


def repeated(db: Database) -> int:
    first = factories.replied(db, "1", on=date(2026, 10, 20))
    again = factories.register(db, date(2026, 10, 26))
    return factories.replied(db, "5.2", rid=again, repeat_of_id=first, on=date(2026, 10, 28))


def reasons_asked_in_vain(db: Database) -> int:
    """Art. 35: asked for reasons on 12 October, no reasons given; 不予处理 (5.4)."""
    rid = factories.register(db)
    register.issue(db, compose.compose(db, rid, "explanation", on_date=date(2026, 10, 12)), "clerk")
    return factories.replied(db, "5.4", rid=rid, on=date(2026, 10, 28))


def reply_issued(db: Database) -> int:
    rid = replied("1")(db)
    draft = compose.compose(db, rid, "reply_1", on_date=LETTER_DATE)
    register.issue(db, draft, "clerk")
    return rid


@dataclass
class Case:
    setup: Callable[[Database], int]
    expect: list[str]  # outcome text and legal article, in the PDF
    extras: dict[str, str] = field(default_factory=dict)
    remedy: str | None = None  # "normal" | "refusal" | None (no remedy paragraph)
    salutation: str | None = "张三："


_REFUSE = ["经研究，现答复如下：", "根据条例第三十六条第（三）项的规定，本机关决定不予公开。"]

CASES: dict[str, Case] = {
    "registration_form": Case(
        factories.register,
        ["登记编号：2026-00001", "收到日期：2026年9月28日", "申请方式：当面提交", "证件号码：11010519491231002X",
         "法定答复期限：2026年10月30日"],
        salutation=None,
    ),
    "acknowledgement": Case(
        factories.register,
        ["本机关于2026年9月28日收到您以当面提交方式提出的政府信息公开申请", "登记编号为2026-00001",
         f"根据{L}第三十一条、第三十三条的规定", "答复期限至2026年10月30日"],
    ),
    "supplement": Case(
        supplement_asked,
        [RECITAL, f"根据{L}第三十条的规定", "请写明所需资金使用情况的具体项目名称和年度。",
         "请于2026年10月23日前将补正后的申请提交本机关", "视为您放弃申请"],
    ),
    "explanation": Case(factories.register, [RECITAL, f"根据{L}第三十五条的规定", "以书面形式向本机关说明理由"]),
    "extension": Case(
        extended,
        [RECITAL, "因所需信息涉及多个部门，需调取核实的档案较多，本机关不能在规定的期限内作出答复",
         f"根据{L}第三十三条第二款的规定", "答复期限延长20个工作日，本机关将于2026年11月27日前作出答复"],
    ),
    "consult_third_party": Case(
        paused(PauseKind.THIRD_PARTY, "宿迁宏达建设有限公司"),
        ["本机关于2026年9月28日收到申请人提出的政府信息公开申请", f"根据{L}第三十二条的规定",
         "自收到本征求意见书之日起15个工作日内"],
        salutation="宿迁宏达建设有限公司：",
    ),
    # A co-producing agency (Arts. 10(3), 34); another agency's wording: tests/core/test_consultation_letters.py.
    "consult_agency": Case(
        paused(PauseKind.OTHER_AGENCY, "宿城区财政局", co_producer=True),
        ["由本机关牵头、与贵机关共同制作", f"根据{L}第十条第三款、第三十四条的规定",
         "逾期未提出意见的，视为同意公开"],
        salutation="宿城区财政局：",
    ),
    "consult_notice": Case(
        paused(PauseKind.THIRD_PARTY, "宿迁宏达建设有限公司"),
        [RECITAL, "需要征求相关第三方的意见", f"本机关已于2026年10月9日依照{L}第三十二条的规定书面征求意见",
         "根据条例第三十三条第三款的规定，征求意见所需时间不计算在答复期限内"],
    ),
    "disclosure_notice": Case(
        paused(PauseKind.THIRD_PARTY, "宿迁宏达建设有限公司"),
        ["本机关于2026年10月9日就该申请书面征求您（贵单位）的意见", f"根据{L}第三十二条的规定，本机关决定予以公开",
         "决定公开的政府信息内容：2025年改造项目资金拨付总额。",
         "决定公开的理由：涉及公共资金使用，公众知情利益重大。"],
        extras={
            "disclose_content": "2025年改造项目资金拨付总额",
            "disclose_reason": "涉及公共资金使用，公众知情利益重大",
        },
        remedy="normal",
        salutation="宿迁宏达建设有限公司：",
    ),
    "assist": Case(
        assigned,
        ["收到张三提出的政府信息公开申请（登记编号：2026-00001）", f"根据{L}第三十三条的规定",
         "于2026年10月20日前将该政府信息", "法定期限（2026年10月30日）"],
        salutation="宿城区住房和城乡建设局：",
    ),
    "fee_notice": Case(
        fee_noticed,
        [f"根据{L}第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定",
         "计收方式：按量计收（本申请共150页）",
         "第1—30页免费；第31—100页，每页10元，计700元；第101—150页，每页20元，计1000元", "应缴金额：人民币1700元",
         f"缴纳方式：{PAY}。", "自收到本通知书次日起20个工作日内（2026年11月9日前）按上述方式缴纳"],
        remedy=None,  # challenged with the final reply, not on its own (国办函〔2021〕132号)
    ),
    "provision_date": Case(
        later_date,
        [RECITAL, "根据条例第三十五条的规定，本机关确定于2026年12月31日前向您提供",
         "理由：申请涉及的文件数量较多，需逐件审查。"],
    ),
    "reply_1": Case(
        replied("1", "附件：2025年老旧小区改造资金使用情况表（共3页）"),
        ["经研究，现答复如下：", f"根据{L}第三十六条第（二）项、第四十条的规定，本机关向您提供该政府信息",
         "附件：2025年老旧小区改造资金使用情况表（共3页）"],
        remedy="normal",
    ),
    "reply_1_published": Case(
        replied("1"),
        [f"根据{L}第三十六条第（一）项的规定", "获取该政府信息的方式和途径：宿城区人民政府门户网站“政府信息公开”栏目"],
        extras={"published_where": "宿城区人民政府门户网站“政府信息公开”栏目"},
        remedy="normal",
    ),
    "reply_2": Case(
        replied("2", REASONS["2"]),
        [f"根据{L}第三十六条第（二）项、第三十七条的规定",
         "对不应当公开的部分，根据条例第三十六条第（三）项的规定不予公开。"],
        remedy="refusal",
    ),
    "reply_3.1": Case(
        replied("3.1", REASONS["3.1"]), [*_REFUSE, "属于国家秘密", f"根据{L}第十四条的规定"], remedy="refusal"),
    "reply_3.2": Case(
        replied("3.2", REASONS["3.2"]),
        [*_REFUSE, "法律、行政法规禁止公开", f"根据{L}第十四条的规定"], remedy="refusal"),
    "reply_3.3": Case(
        replied("3.3", REASONS["3.3"]),
        [*_REFUSE, "国家安全、公共安全、经济安全、社会稳定", f"根据{L}第十四条的规定"],
        remedy="refusal",
    ),
    # No consultation on record: the reply says so (the other accounts: tests/core/test_consultation_letters.py).
    "reply_3.4": Case(replied("3.4", REASONS["3.4"]), [*_REFUSE, "商业秘密、个人隐私", f"根据{L}第十五条的规定",
                                       "本机关未就此征求第三方意见"], remedy="refusal"),
    "reply_3.5": Case(
        replied("3.5", REASONS["3.5"]),
        [*_REFUSE, "人事管理、后勤管理、内部工作流程", f"根据{L}第十六条第一款的规定"],
        remedy="refusal",
    ),
    "reply_3.6": Case(
        replied("3.6", REASONS["3.6"]),
        [*_REFUSE, "讨论记录、过程稿、磋商信函、请示报告", f"根据{L}第十六条第二款的规定"],
        remedy="refusal",
    ),
    "reply_3.7": Case(
        replied("3.7", REASONS["3.7"]),
        [*_REFUSE, "行政执法案卷信息", f"根据{L}第十六条第二款的规定"], remedy="refusal"),
    "reply_3.8": Case(
        replied("3.8", REASONS["3.8"]),
        ["工商、不动产登记资料", f"根据{L}第三十六条第（七）项的规定"], remedy="refusal"),
    "reply_4.1": Case(
        searched_not_found,
        ["经研究，现告知如下：",
         "经检索本机关公文管理系统、档案室，以“老旧小区改造资金”为关键词，未检索到相关信息。本机关没有制作或者获取",
         f"根据{L}第三十六条第（四）项的规定，告知您该政府信息不存在"],
        remedy="normal",
    ),
    "reply_4.1_not_responsible": Case(
        replied("4.1", REASONS["4.1"]),
        [f"根据{L}第三十六条第（五）项的规定", "该政府信息由宿城区市场监督管理局负责公开",
         "（联系方式：0527-84370000）"],
        extras={"responsible_agency": "宿城区市场监督管理局", "responsible_contact": "0527-84370000"},
        remedy="normal",
    ),
    "reply_4.2": Case(
        replied("4.2", REASONS["4.2"]), ["加工、分析", f"根据{L}第三十八条的规定，本机关不予提供"], remedy="normal"),
    "reply_4.3": Case(
        supplemented_unclear,
        ["本机关于2026年9月30日向您发出补正告知，并于2026年10月12日收到您的补正",
         f"根据{L}第三十条的规定，本机关无法向您提供"],
        remedy="normal",
    ),
    "reply_5.1": Case(
        replied("5.1"),
        ["信访、投诉、举报", f"根据{L}第三十九条第一款的规定，本机关不作为政府信息公开申请处理"],
        remedy="normal",
    ),
    "reply_5.2": Case(
        repeated,
        ["您于2026年9月28日提出的内容相同的政府信息公开申请（登记编号：2026-00001），本机关已于2026年10月20日作出答复",
         f"根据{L}第三十六条第（六）项的规定，本机关不予重复处理"],
        remedy="normal",
    ),
    "reply_5.3": Case(
        replied("5.3"),
        ["公开出版物", f"根据{L}第三十九条第二款的规定", "获取的途径：宿迁市档案馆阅览室"],
        extras={"published_where": "宿迁市档案馆阅览室"},
        remedy="normal",
    ),
    "reply_5.4": Case(
        reasons_asked_in_vain,
        ["数量、频次明显超过合理范围", "本机关已于2026年10月12日向您发出《政府信息公开申请说明理由告知书》"
         "（宿城政信公开〔2026〕1号），要求您说明理由", f"根据{L}第三十五条的规定，本机关不予处理"],
        remedy="normal",
    ),
    "reply_5.5": Case(
        replied("5.5"),
        ["确认或者重新出具", "第二条、第二十七条所称的政府信息公开申请，本机关不作为政府信息公开申请处理"],
        remedy="normal",
    ),
    "reply_6.3": Case(
        replied("6.3", "您已于2026年10月20日书面撤回申请，本机关终止办理。"),
        ["您已于2026年10月20日书面撤回申请，本机关终止办理。"],
        remedy="normal",
    ),
    "withdrawn_6.1": Case(
        deemed_no_supplement,
        ["本机关于2026年9月30日向您发出《政府信息公开申请补正告知书》，请您于2026年10月23日前补正申请",
         f"根据{L}第三十条的规定，视为您放弃申请"],
        remedy="normal",
    ),
    "withdrawn_6.2": Case(
        fee_unpaid,
        ["本机关于2026年10月9日向您发出《政府信息公开信息处理费收费通知书》",
         "请您于2026年11月9日前缴纳信息处理费人民币1700元", "视为您放弃申请"],
        remedy="normal",
    ),
    "delivery_receipt": Case(
        reply_issued,
        ["送达文书：《政府信息公开申请答复书》（宿城政信公开〔2026〕1号）", "受送达人：张三",
         "送达地址：江苏省宿迁市宿城区幸福路1号", "受送达人（签名或盖章）："],
        salutation=None,
    ),
}


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
    return re.sub(r"—\d+—", "", text)  # page numbers of multi-page letters


def test_every_kind_is_covered_here_and_every_outcome_has_a_reply_kind() -> None:
    assert set(CASES) == {k.code for k in KINDS}
    for o in OUTCOMES:
        assert any(o.code in k.outcome_codes for k in KINDS), o.code


@pytest.mark.parametrize("code", list(CASES))
def test_each_kind_composes_issues_and_reads_back(office: Database, code: str) -> None:
    case = CASES[code]
    k = kind(code)
    rid = case.setup(office)
    draft = compose.compose(office, rid, code, on_date=LETTER_DATE, extras=case.extras)
    assert compose.unfilled(draft.document) == [], compose.unfilled(draft.document)
    # the registration form shows full personal data: a supervisor's letter (test_letters_register)
    issued = register.issue(office, draft, "supervisor" if k.full_personal_data else "clerk")
    text = pdf_text(issued.pdf)
    assert text.startswith(re.sub(r"\s+", "", k.title))
    if k.numbered:
        seq = issued.doc_number and re.search(r"〔2026〕(\d+)号", issued.doc_number)
        assert seq, issued.doc_number
        assert f"宿城政信公开〔2026〕{seq.group(1)}号" in text
    else:
        assert issued.doc_number is None and "政信公开〔" not in text.split("送达文书")[0]
    if case.salutation:
        assert case.salutation in text
    for phrase in case.expect:
        assert re.sub(r"\s+", "", phrase) in text, phrase
    assert "某某" not in text and "请填写" not in text  # no sample office details, no blank
    if k.reason_hint:  # the specific reason, never empty
        assert f"具体理由：{REASONS[k.outcome_codes[0]]}" in text
    if code == "reply_5.5":
        assert "第三十九条" not in text  # not a publication: no article of the Regulations governs 5.5
    assert f"{AGENCY}2026年10月30日" in text  # signature: agency, then the date in Chinese form
    if k.addressee.value != "file" and code != "delivery_receipt":
        assert "（联系人：李四，联系电话：0527-84371234）" in text
    word = "通知" if k.title.endswith("通知书") else "告知" if k.title.endswith("告知书") else "答复"
    if case.remedy == "refusal":
        assert REFUSAL_REMEDY in text
        assert "6个月内" not in text  # no direct litigation offered
    elif case.remedy is not None:
        assert REMEDY.replace("本答复", f"本{word}") in text
    else:
        assert "行政复议" not in text
    assert k.remedy == (case.remedy is not None)


def test_not_responsible_without_a_known_agency_says_so(office: Database) -> None:
    rid = replied("4.1")(office)
    draft = compose.compose(office, rid, "reply_4.1_not_responsible", on_date=LETTER_DATE)
    body = "".join(draft.document.body)
    assert "本机关无法确定负责公开该政府信息的行政机关" in body
    assert "负责公开，请您向该机关" not in body


def test_blanks_the_record_cannot_fill_are_marked_and_block_issuing(office: Database) -> None:
    rid = replied("1")(office)
    draft = compose.compose(office, rid, "reply_1_published", on_date=LETTER_DATE)
    assert compose.unfilled(draft.document) == ["【请填写：已主动公开信息的获取途径（网址、公报等）】"]
    assert compose.blank_names(draft.document) == ["published_where"]
    with pytest.raises(Exception, match="待填写") as err:
        register.issue(office, draft, "clerk")
    assert type(err.value).__name__ == "ValidationFailed"
    assert register.register_rows(office) == []  # nothing stored, no number used
    fixed = draft.with_document(draft.document.__class__(
        **{**draft.document.__dict__, "body": [b.replace(compose.unfilled(draft.document)[0], "本机关门户网站")
                                               for b in draft.document.body]}))
    assert register.issue(office, fixed, "clerk").doc_number == "宿城政信公开〔2026〕1号"


def test_fee_notice_per_application_counts_the_applicants_month(office: Database) -> None:
    ids = [factories.register(office) for _ in range(12)]  # the same applicant, twelve times in September
    factories.register(office, id_number="321302198001010018", applicant_name="李四")  # someone else
    draft = compose.compose(office, ids[-1], "fee_notice", on_date=LETTER_DATE)
    body = "".join(draft.document.body)
    assert "按件计收（同一申请人一个自然月内累计申请的第12件）" in body
    assert "第12件，每件100元，计100元" in body and "人民币100元" in body
    first = compose.compose(office, ids[0], "fee_notice", on_date=LETTER_DATE)
    assert "人民币0元" in "".join(first.document.body)
    assert any("不应收费" in w for w in first.warnings)


def test_fee_notice_per_application_agrees_with_the_stored_fee(office: Database) -> None:
    ids = [factories.register(office) for _ in range(12)]  # the same applicant, twelve times in September
    # The amount is computed, not typed: the 12th application of the month costs 100 yuan.
    cases.issue_fee_notice(office, ids[-1], "clerk", method="per_application", on_date=LETTER_DATE, today=TODAY)
    fee = cases.pending_fee(office, ids[-1])
    assert fee is not None and (fee.method, fee.quantity, fee.amount_yuan) == ("per_application", 12, 100)
    draft = compose.compose(office, ids[-1], "fee_notice", on_date=LETTER_DATE)
    body = "".join(draft.document.body)
    assert "的第12件" in body and "第12件，每件100元，计100元" in body and "人民币100元" in body
    assert draft.warnings == ()


def test_fee_notice_before_the_receipt_is_known_gives_the_rule_not_a_date(office: Database) -> None:
    rid = factories.register(office)
    cases.issue_fee_notice(office, rid, "clerk", method="per_page", quantity=150, on_date=date(2026, 10, 9),
                           today=TODAY)
    draft = compose.compose(office, rid, "fee_notice", on_date=date(2026, 10, 9))
    body = "".join(draft.document.body)
    # Not “（2026年11月5日前）”: that would count from the notice date, not from the receipt.
    assert "请您自收到本通知书次日起20个工作日内按上述方式缴纳" in body and "11月5日" not in body
    assert compose.unfilled(draft.document) == []  # issuable: the deadline follows from the receipt


def test_applicant_name_the_fonts_lack_is_reported_before_anything_is_stored(office: Database) -> None:
    rid = factories.register(office, applicant_name="王𰀀")
    draft = compose.compose(office, rid, "acknowledgement", on_date=LETTER_DATE)
    with pytest.raises(MissingGlyphError) as err:
        register.issue(office, draft, "clerk")
    message = str(err.value)
    assert "“𰀀”（U+30000）位于称呼第2字" in message and "字体缺字" in message
    assert register.register_rows(office) == []
    # The number was not used: the next letter still gets 1.
    second = compose.compose(office, factories.register(office), "acknowledgement", on_date=LETTER_DATE)
    ok = register.issue(office, second, "clerk")
    assert ok.doc_number == "宿城政信公开〔2026〕1号"


def test_issued_pdf_embeds_every_font(office: Database) -> None:
    rid = replied("2")(office)
    draft = compose.compose(office, rid, "reply_2", on_date=LETTER_DATE, extras={"withheld": "第3页含个人信息"})
    reader = PdfReader(io.BytesIO(register.issue(office, draft, "clerk").pdf))
    seen = set()
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            seen.add(str(font["/BaseFont"]))
            assert font["/Subtype"] == "/TrueType"
            assert "/FontFile2" in font["/FontDescriptor"]
    assert seen and not any("Helvetica" in s for s in seen)


def test_a_confirmation_request_cites_no_article_39_2(office: Database) -> None:
    # 5.5: no article of the Regulations governs it; Art. 39(2) is about publications (docs/domain.md, "Outcomes").
    rid = CASES["reply_5.5"].setup(office)
    issued = register.issue(office, compose.compose(office, rid, "reply_5.5", on_date=LETTER_DATE), "clerk")
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(issued.pdf)).pages))
    assert "第三十九条" not in text and "第二条、第二十七条" in text
    assert "第三十九条" not in kind("reply_5.5").articles and "第三十九条" not in OUTCOMES_BY_CODE["5.5"].legal_basis


def test_the_supplement_notice_asks_for_what_the_application_lacks(office: Database) -> None:
    # 条例第三十条: one notice listing everything missing; the record says what that is.
    rid = factories.register(office, id_number="", phone="", address="")
    draft = compose.compose(office, rid, "supplement", on_date=date(2026, 9, 29))
    body = "".join(draft.document.body)
    assert ("请补充提供申请人身份证明（身份证件号码）；"
            "请补充提供申请人的联系方式（联系电话、通信地址或电子邮箱）。") in body
    assert "内容不明确" not in body, "a missing identity is not an unclear request"
    # The step proposes the same text; what the clerk made of it is what the notice says.
    form = cases.step_form(office, rid, cases.step_named("request_supplement").action, today=TODAY)
    proposed = form.defaults["what"]
    assert proposed == ("请补充提供申请人身份证明（身份证件号码）；"
                        "请补充提供申请人的联系方式（联系电话、通信地址或电子邮箱）。")
    edited = proposed + "另请写明所需资金使用情况的年度。"
    cases.request_supplement(office, rid, "clerk", what=edited, on_date=date(2026, 9, 29), today=TODAY)
    draft = compose.compose(office, rid, "supplement", on_date=date(2026, 9, 29))
    assert edited in "".join(draft.document.body)
    # A complete application proposes nothing: the clerk writes what is unclear.
    complete = factories.register(office, applicant_name="李四")
    assert "what" not in cases.step_form(office, complete, form.step.action, today=TODAY).defaults
    blank = compose.compose(office, complete, "supplement", on_date=date(2026, 9, 29)).document
    assert "【请填写：需要补正的事项】" in compose.unfilled(blank)
