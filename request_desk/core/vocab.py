"""The vocabulary of the domain, defined once.

Every list that appears in several places (channels, applicant types, statuses,
outcome codes, roles) lives here; pickers, report rows and letters derive from
it. Labels are the Simplified Chinese terms clerks use (docs/domain.md, "Vocabulary").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Channel(StrEnum):
    """How the application reached the office; decides the Art. 31 receipt date."""

    IN_PERSON = "in_person"
    POST = "post"
    ORDINARY_LETTER = "ordinary_letter"
    ONLINE = "online"
    FAX = "fax"
    EMAIL = "email"
    ORAL = "oral"
    # Imported from a ledger that kept no channel (docs/domain.md, "Channels and the receipt date"):
    # a real value, shown and counted as such; never offered for a new registration.
    UNRECORDED = "unrecorded"

    @property
    def label(self) -> str:
        return CHANNEL_LABELS[self]

    @property
    def receipt_rule(self) -> str:
        """Art. 31: which day counts as the day of receipt."""
        return CHANNEL_RECEIPT_RULES[self]


CHANNEL_LABELS = {
    Channel.IN_PERSON: "当面提交",
    Channel.POST: "邮寄（挂号/快递）",
    Channel.ORDINARY_LETTER: "平信",
    Channel.ONLINE: "网上申请",
    Channel.FAX: "传真",
    Channel.EMAIL: "电子邮件",
    Channel.ORAL: "口头申请（代为填写）",
    Channel.UNRECORDED: "未记载",
}

# The channels a new application can arrive by: every channel but the importer's 未记载.
REGISTRATION_CHANNELS: tuple[Channel, ...] = tuple(c for c in Channel if c is not Channel.UNRECORDED)

CHANNEL_RECEIPT_RULES = {
    Channel.IN_PERSON: "当面提交的，以提交之日为收到申请之日（条例第31条第一项）。",
    Channel.POST: "邮寄的，以行政机关签收之日为收到申请之日（条例第31条第二项）。",
    Channel.ORDINARY_LETTER: "平常信函等无需签收的，以与申请人确认之日为收到申请之日（条例第31条第二项）。",
    Channel.ONLINE: "通过互联网渠道提交的，以双方确认之日为收到申请之日（条例第31条第三项）。",
    Channel.FAX: "通过传真提交的，以双方确认之日为收到申请之日（条例第31条第三项）。",
    Channel.EMAIL: "通过电子邮件提交的，以双方确认之日为收到申请之日（条例第31条第三项）。",
    # Art. 29 allows the oral application; the receipt date is Art. 31(1)'s, by analogy: made in
    # person, received that day (docs/domain.md, "Channels and the receipt date").
    Channel.ORAL: ("申请人书写确有困难、当面口头提出并由行政机关代为填写的（条例第29条），参照当面提交，"
                   "以当面提出申请之日为收到申请之日（条例第31条第一项）。"),
    Channel.UNRECORDED: "历史台账未记载收到方式，收到申请之日按台账所记的日期。",
}


class ApplicantType(StrEnum):
    """The applicant columns of the annual report table (自然人 + five organisation types)."""

    NATURAL_PERSON = "natural_person"
    COMMERCIAL = "commercial"
    RESEARCH = "research"
    PUBLIC_INTEREST = "public_interest"
    LEGAL_SERVICES = "legal_services"
    OTHER_ORG = "other_org"

    @property
    def label(self) -> str:
        return APPLICANT_TYPE_LABELS[self]

    @property
    def is_organisation(self) -> bool:
        return self is not ApplicantType.NATURAL_PERSON


APPLICANT_TYPE_LABELS = {
    ApplicantType.NATURAL_PERSON: "自然人",
    ApplicantType.COMMERCIAL: "商业企业",
    ApplicantType.RESEARCH: "科研机构",
    ApplicantType.PUBLIC_INTEREST: "社会公益组织",
    ApplicantType.LEGAL_SERVICES: "法律服务机构",
    ApplicantType.OTHER_ORG: "其他",
}


class Status(StrEnum):
    """States of the workflow (see workflow.py for the transitions)."""

    REGISTERED = "registered"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    SUPPLEMENTED = "supplemented"
    IN_PROGRESS = "in_progress"
    PAUSED = "paused"
    EXTENDED = "extended"
    REPLIED = "replied"
    DELIVERED = "delivered"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    DEEMED_WITHDRAWN = "deemed_withdrawn"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        """Still waiting for a reply: the legal clock is running (or paused)."""
        return self in OPEN_STATUSES


STATUS_LABELS = {
    Status.REGISTERED: "已登记",
    Status.AWAITING_SUPPLEMENT: "待补正",
    Status.SUPPLEMENTED: "已补正",
    Status.IN_PROGRESS: "办理中",
    Status.PAUSED: "暂停计时",
    Status.EXTENDED: "已延期",
    Status.REPLIED: "已答复",
    Status.DELIVERED: "已送达",
    Status.CLOSED: "已归档",
    Status.WITHDRAWN: "申请人撤回",
    Status.DEEMED_WITHDRAWN: "视为放弃申请",
}

# Open and not waiting on anything: the statuses from which a reply can be given.
ANSWERABLE_STATUSES = frozenset({Status.REGISTERED, Status.SUPPLEMENTED, Status.IN_PROGRESS, Status.EXTENDED})

OPEN_STATUSES = frozenset(
    {
        Status.REGISTERED,
        Status.AWAITING_SUPPLEMENT,
        Status.SUPPLEMENTED,
        Status.IN_PROGRESS,
        Status.PAUSED,
        Status.EXTENDED,
    }
)


# ID documents of a natural person (Art. 29 身份证明). Only the resident ID
# (GB 11643; the residence permits of Hong Kong, Macao and Taiwan residents use
# the same number format) is parsed; other documents are only required.
ID_TYPES: tuple[tuple[str, str], ...] = (
    ("resident_id", "居民身份证（含港澳台居民居住证）"),
    ("passport", "护照"),
    ("hk_macao_permit", "港澳居民来往内地通行证"),
    ("taiwan_permit", "台湾居民来往大陆通行证"),
    ("other", "其他证件"),
)

# Art. 29/40: the form and the way of delivery the applicant asks for; stored as shown.
PREFERRED_FORMS: tuple[str, ...] = ("纸质", "电子数据", "其他")
DELIVERY_METHODS: tuple[str, ...] = ("邮寄", "当面领取", "电子邮件", "传真", "网上")
# Served through the internet: the letter must name an online reconsideration channel
# (docs/domain.md, "Remedies").
ONLINE_DELIVERY_METHODS = frozenset({"电子邮件", "网上"})

# 国办函〔2020〕109号: one charging method per application.
FEE_METHODS: tuple[tuple[str, str], ...] = (("per_application", "按件计收"), ("per_page", "按量计收"))


class PauseKind(StrEnum):
    """Periods not counted in the reply period (Art. 32–34, fee rules)."""

    THIRD_PARTY = "third_party"
    OTHER_AGENCY = "other_agency"
    FEE = "fee"

    @property
    def label(self) -> str:
        return PAUSE_KIND_LABELS[self]

    @property
    def is_consultation(self) -> bool:
        """A consultation (征求意见, Arts. 32-34), as opposed to the fee notice's pause."""
        return self is not PauseKind.FEE


PAUSE_KIND_LABELS = {
    PauseKind.THIRD_PARTY: "征求第三方意见",
    PauseKind.OTHER_AGENCY: "征求其他机关意见",
    PauseKind.FEE: "收费通知至缴费",
}


class ConsultationAnswer(StrEnum):
    """What came of a consultation (docs/domain.md, "Pauses"): stored on the pause when it ends."""

    AGREED = "agreed"
    OBJECTED = "objected"
    NO_ANSWER = "no_answer"

    @property
    def label(self) -> str:
        return CONSULTATION_ANSWER_LABELS[self]


CONSULTATION_ANSWER_LABELS = {
    ConsultationAnswer.AGREED: "同意公开",
    ConsultationAnswer.OBJECTED: "不同意公开",
    ConsultationAnswer.NO_ANSWER: "逾期未提出意见",
}


class Role(StrEnum):
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ADMINISTRATOR = "administrator"
    # Works in a handling unit, not at the desk: sees and reports on its unit's assignments only
    # (core/cases/unit_work.py); the user's ``unit_id`` says which unit.
    LIAISON = "liaison"

    @property
    def label(self) -> str:
        return {"clerk": "经办人", "supervisor": "负责人", "administrator": "管理员",
                "liaison": "承办单位联络员"}[self.value]

    @property
    def is_desk(self) -> bool:
        """Works at the disclosure office's desk (every role but a unit's liaison)."""
        return self is not Role.LIAISON


class UnitLevel(StrEnum):
    CITY = "city"
    DISTRICT = "district"
    DEPARTMENT = "department"

    @property
    def label(self) -> str:
        return {"city": "市级", "district": "区县", "department": "部门"}[self.value]


class Satisfaction(StrEnum):
    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    DISSATISFIED = "dissatisfied"

    @property
    def label(self) -> str:
        return {"satisfied": "满意", "basically_satisfied": "基本满意", "dissatisfied": "不满意"}[
            self.value
        ]


class RemedyKind(StrEnum):
    RECONSIDERATION = "reconsideration"
    LITIGATION_DIRECT = "litigation_direct"
    LITIGATION_AFTER_RECONSIDERATION = "litigation_after_reconsideration"

    @property
    def label(self) -> str:
        return {
            "reconsideration": "行政复议",
            "litigation_direct": "行政诉讼（未经复议直接起诉）",
            "litigation_after_reconsideration": "行政诉讼（复议后起诉）",
        }[self.value]


class RemedyResult(StrEnum):
    """Columns of the annual report's reconsideration/litigation table."""

    UPHELD = "upheld"
    CORRECTED = "corrected"
    OTHER = "other"
    PENDING = "pending"

    @property
    def label(self) -> str:
        return {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结"}[
            self.value
        ]


class PublicationState(StrEnum):
    PROPOSED = "proposed"
    REVIEWED = "reviewed"
    PUBLISHED = "published"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return {"proposed": "待审核", "reviewed": "已审核", "published": "已公开", "declined": "不予公开"}[
            self.value
        ]


class OutcomeCode(StrEnum):
    """The official outcome codes (table 三 of the annual report), by name.

    Code writes ``OutcomeCode.REPEAT_APPLICATION``, never ``"5.2"``; the rows
    themselves (labels, legal basis) are ``OUTCOMES`` below.
    """

    DISCLOSED = "1"
    PARTLY_DISCLOSED = "2"
    STATE_SECRET = "3.1"
    PROHIBITED_BY_LAW = "3.2"
    ENDANGERS_SECURITY = "3.3"
    THIRD_PARTY_RIGHTS = "3.4"
    INTERNAL_AFFAIRS = "3.5"
    PROCESS_INFORMATION = "3.6"
    ENFORCEMENT_FILE = "3.7"
    ADMINISTRATIVE_QUERY = "3.8"
    NOT_HELD = "4.1"
    NEEDS_NEW_COMPILATION = "4.2"
    STILL_UNCLEAR_AFTER_SUPPLEMENT = "4.3"
    PETITION_OR_COMPLAINT = "5.1"
    REPEAT_APPLICATION = "5.2"
    PUBLICATION_REQUESTED = "5.3"
    EXCESSIVE_REPEATED = "5.4"
    CONFIRMATION_REQUESTED = "5.5"
    DEEMED_WITHDRAWN_NO_SUPPLEMENT = "6.1"
    DEEMED_WITHDRAWN_NO_PAYMENT = "6.2"
    OTHER = "6.3"


# Outcomes that disclose information (wholly or in part): the candidates for publication.
DISCLOSING_OUTCOMES = frozenset({OutcomeCode.DISCLOSED, OutcomeCode.PARTLY_DISCLOSED})


@dataclass(frozen=True)
class Outcome:
    """One row of table 三 of the official annual report (2021 format)."""

    code: str
    label: str
    legal_basis: str

    @property
    def group(self) -> str:
        return self.code.split(".")[0]

    @property
    def refuses_disclosure(self) -> bool:
        """行政复议法第二十三条第一款第（四）项: refusals go to reconsideration first."""
        return self.group == "3" or self.code == "2"


OUTCOME_GROUPS = {
    "1": "予以公开",
    "2": "部分公开",
    "3": "不予公开",
    "4": "无法提供",
    "5": "不予处理",
    "6": "其他处理",
}

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("1", "予以公开", "条例第三十六条第（一）（二）项"),
    Outcome("2", "部分公开（区分处理的，只计这一情形，不计其他情形）", "条例第三十六条第（二）（三）项、第三十七条"),
    Outcome("3.1", "属于国家秘密", "条例第十四条"),
    Outcome("3.2", "其他法律行政法规禁止公开", "条例第十四条"),
    Outcome("3.3", "危及“三安全一稳定”", "条例第十四条"),
    Outcome("3.4", "保护第三方合法权益", "条例第十五条、第三十二条"),
    Outcome("3.5", "属于三类内部事务信息", "条例第十六条第一款"),
    Outcome("3.6", "属于四类过程性信息", "条例第十六条第二款"),
    Outcome("3.7", "属于行政执法案卷", "条例第十六条第二款"),
    Outcome("3.8", "属于行政查询事项", "条例第三十六条第（七）项"),
    Outcome("4.1", "本机关不掌握相关政府信息", "条例第三十六条第（四）（五）项"),
    Outcome("4.2", "没有现成信息需要另行制作", "条例第三十八条"),
    Outcome("4.3", "补正后申请内容仍不明确", "条例第三十条"),
    Outcome("5.1", "信访举报投诉类申请", "条例第三十九条第一款"),
    Outcome("5.2", "重复申请", "条例第三十六条第（六）项"),
    Outcome("5.3", "要求提供公开出版物", "条例第三十九条第二款"),
    Outcome("5.4", "无正当理由大量反复申请", "条例第三十五条"),
    Outcome("5.5", "要求行政机关确认或重新出具已获取信息", "条例第二条、第二十七条（不属于政府信息公开申请）"),
    Outcome(
        "6.1",
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "条例第三十条",
    ),
    Outcome(
        "6.2",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "条例第四十二条、《政府信息公开信息处理费管理办法》",
    ),
    Outcome("6.3", "其他", ""),
)

OUTCOMES_BY_CODE = {o.code: o for o in OUTCOMES}

# 6.1 and 6.2 are reached only through the deemed-withdrawn transitions.
DEEMED_WITHDRAWN_OUTCOMES = frozenset(
    {OutcomeCode.DEEMED_WITHDRAWN_NO_SUPPLEMENT, OutcomeCode.DEEMED_WITHDRAWN_NO_PAYMENT})
REPLY_OUTCOME_CODES = tuple(o.code for o in OUTCOMES if o.code not in DEEMED_WITHDRAWN_OUTCOMES)
# Ended without an answer on the information (deemed withdrawn, or withdrawn by the applicant): no basis
# for treating a later request as a repeat (Art. 36(6)).
NOT_ANSWERED_OUTCOMES = DEEMED_WITHDRAWN_OUTCOMES | {OutcomeCode.OTHER}


def outcome(code: str) -> Outcome:
    """Look up an official outcome code; raises KeyError for anything else."""
    return OUTCOMES_BY_CODE[code]


class AttachmentKind(StrEnum):
    """What a file kept with a case is (core/cases/attachments.py); the GUI's and CLI's pickers come from here."""

    APPLICATION_SCAN = "application_scan"
    ID_COPY = "id_copy"
    ENVELOPE = "envelope"
    DELIVERY_PROOF = "delivery_proof"
    INFORMATION_PROVIDED = "information_provided"
    OTHER = "other"

    @property
    def label(self) -> str:
        return ATTACHMENT_KIND_LABELS[self]


ATTACHMENT_KIND_LABELS = {
    AttachmentKind.APPLICATION_SCAN: "申请书扫描件",
    AttachmentKind.ID_COPY: "身份证明复印件",
    AttachmentKind.ENVELOPE: "信封或邮戳",
    AttachmentKind.DELIVERY_PROOF: "送达凭证",
    AttachmentKind.INFORMATION_PROVIDED: "提供的信息",
    AttachmentKind.OTHER: "其他",
}
