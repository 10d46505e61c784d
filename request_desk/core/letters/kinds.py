"""Every kind of letter the office prints, defined once.

The list follows docs/domain.md, "Letters" / "The document set" (a city office's
document set): forms and notices along the way, one reply (答复书/告知书)
for every outcome code of ``vocab.OUTCOMES``, and the proof of delivery.
Pickers, the CLI's ``--kinds``, the outgoing register and the template files
(``resources/letters/<code>.txt``) all derive from ``KINDS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from request_desk.core.vocab import ANSWERABLE_STATUSES, OPEN_STATUSES, OUTCOMES, OutcomeCode, Status

# The words of the reconsideration-first route (_remedy_refusal.txt): the pre-issue check holds a
# refusal's letter to them, and the remedy windows read them (no direct suit).
RECONSIDERATION_FIRST = "应当先申请行政复议"

S = Status


class Addressee(StrEnum):
    """Who the letter is addressed to (decides the salutation and the register line)."""

    APPLICANT = "applicant"
    THIRD_PARTY = "third_party"
    AGENCY = "agency"  # an agency consulted: a co-producer (Art. 34) or another agency (Art. 11)
    UNIT = "unit"  # the handling unit (协办函)
    FILE = "file"  # a form kept on file (申请登记表)

    @property
    def label(self) -> str:
        return {
            "applicant": "申请人",
            "third_party": "第三方",
            "agency": "有关行政机关",
            "unit": "承办单位",
            "file": "存档",
        }[self.value]


@dataclass(frozen=True)
class LetterKind:
    """One kind of letter.

    ``outcome_codes``: the outcomes a reply kind answers (empty for letters
    written along the way). ``statuses``: where a non-reply kind is useful, so
    the picker can offer it first. ``numbered``: carries a document number
    (文号) drawn when it is issued. ``remedy``: states the remedy paragraph
    (every reply must, docs/domain.md, "Remedies").
    ``reason_hint``: set for the replies that must state the case's own reason
    (refusals, partial disclosure, "unable to provide", Arts. 36(3), 36(5), 37, 38;
    docs/domain.md, "Reply evidence"); the letter cannot be issued without it.
    ``full_personal_data``: the letter reproduces the applicant's full ID
    number and phone, so printing it is a full view of personal data (the
    role and the audit entry of a full-data register export, ``permissions``).
    """

    code: str
    title: str
    addressee: Addressee
    articles: str
    outcome_codes: tuple[str, ...] = ()
    statuses: frozenset[Status] = frozenset()
    numbered: bool = True
    remedy: bool = False
    note: str = ""  # when to use it, shown in the picker
    full_personal_data: bool = False
    reason_hint: str = ""  # what the case's specific reason must say; empty where none is required

    @property
    def template_name(self) -> str:
        return f"{self.code}.txt"

    @property
    def is_reply(self) -> bool:
        return bool(self.outcome_codes)

    @property
    def label(self) -> str:
        """Title plus the distinguishing note, for pickers."""
        return f"{self.title}（{self.note}）" if self.note else self.title


_EARLY = ANSWERABLE_STATUSES
_OPEN = OPEN_STATUSES
_ANSWERED = frozenset({S.REPLIED, S.DELIVERED, S.CLOSED, S.DEEMED_WITHDRAWN, S.WITHDRAWN})

_REPLY = "政府信息公开申请答复书"
_NOTICE = "政府信息公开申请告知书"

# Reply kinds: outcome code → (kind code, title, articles, note). 1 and 4.1 have
# two wordings each: already published (Art. 36(1)) and not this agency's (36(5)).
_REPLIES: tuple[tuple[str, str, str, str, str], ...] = (
    ("1", "reply_1", _REPLY, "条例第三十六条第（二）项、第四十条", "予以公开"),
    ("1", "reply_1_published", _REPLY, "条例第三十六条第（一）项", "予以公开：已主动公开，告知获取方式"),
    ("2", "reply_2", _REPLY, "条例第三十六条第（二）（三）项、第三十七条", "部分公开"),
    ("3.1", "reply_3.1", _REPLY, "条例第十四条、第三十六条第（三）项", "不予公开：属于国家秘密"),
    ("3.2", "reply_3.2", _REPLY, "条例第十四条、第三十六条第（三）项", "不予公开：其他法律行政法规禁止公开"),
    ("3.3", "reply_3.3", _REPLY, "条例第十四条、第三十六条第（三）项", "不予公开：危及“三安全一稳定”"),
    ("3.4", "reply_3.4", _REPLY, "条例第十五条、第三十二条、第三十六条第（三）项", "不予公开：保护第三方合法权益"),
    ("3.5", "reply_3.5", _REPLY, "条例第十六条第一款、第三十六条第（三）项", "不予公开：属于三类内部事务信息"),
    ("3.6", "reply_3.6", _REPLY, "条例第十六条第二款、第三十六条第（三）项", "不予公开：属于四类过程性信息"),
    ("3.7", "reply_3.7", _REPLY, "条例第十六条第二款、第三十六条第（三）项", "不予公开：属于行政执法案卷"),
    ("3.8", "reply_3.8", _REPLY, "条例第三十六条第（七）项", "不予公开：属于行政查询事项"),
    ("4.1", "reply_4.1", _NOTICE, "条例第三十六条第（四）项", "无法提供：本机关不掌握，信息不存在"),
    ("4.1", "reply_4.1_not_responsible", _NOTICE, "条例第三十六条第（五）项",
     "无法提供：不属于本机关公开职责"),
    ("4.2", "reply_4.2", _NOTICE, "条例第三十八条", "无法提供：没有现成信息需要另行制作"),
    ("4.3", "reply_4.3", _NOTICE, "条例第三十条", "无法提供：补正后申请内容仍不明确"),
    ("5.1", "reply_5.1", _NOTICE, "条例第三十九条第一款", "不予处理：信访举报投诉类申请"),
    ("5.2", "reply_5.2", _NOTICE, "条例第三十六条第（六）项", "不予处理：重复申请"),
    ("5.3", "reply_5.3", _NOTICE, "条例第三十九条第二款", "不予处理：要求提供公开出版物"),
    ("5.4", "reply_5.4", _NOTICE, "条例第三十五条", "不予处理：无正当理由大量反复申请"),
    ("5.5", "reply_5.5", _NOTICE, "条例第二条、第二十七条（不属于政府信息公开申请）",
     "不予处理：要求确认或重新出具已获取信息"),
    ("6.3", "reply_6.3", _NOTICE, "条例第三十六条", "其他处理"),
)

_WHICH = "所涉信息是什么、属于哪种情形、依据的事实"
# What the specific reason of each refusing or "unable to provide" reply must say.
REASON_HINTS: dict[str, str] = {
    "reply_2": "不予公开的是哪些内容、各自依据哪一条款和什么事实",
    **{f"reply_3.{n}": _WHICH for n in range(1, 9)},
    "reply_3.1": "所涉信息经哪个机关依法确定为国家秘密、密级",
    "reply_3.2": "禁止公开的法律、行政法规的名称和条款",
    "reply_4.1_not_responsible": "该信息由哪个机关制作或者最初获取（条例第十条），故不属于本机关公开职责",
    "reply_4.2": "申请的信息需要如何加工、分析才能形成，本机关现有哪些信息",
    "reply_4.3": "补正后仍不明确之处",
}

KINDS: tuple[LetterKind, ...] = (
    LetterKind("registration_form", "政府信息公开申请登记表", Addressee.FILE, "条例第二十九条、第四十五条",
               statuses=_OPEN, numbered=False, note="登记存档", full_personal_data=True),
    LetterKind("acknowledgement", "政府信息公开申请接收回执", Addressee.APPLICANT, "条例第三十一条、第三十三条",
               statuses=frozenset({S.REGISTERED, S.IN_PROGRESS}), note="登记回执"),
    LetterKind("supplement", "政府信息公开申请补正告知书", Addressee.APPLICANT, "条例第三十条",
               statuses=frozenset({S.AWAITING_SUPPLEMENT})),
    LetterKind("explanation", "政府信息公开申请说明理由告知书", Addressee.APPLICANT, "条例第三十五条",
               statuses=_EARLY, note="要求说明理由"),
    LetterKind("extension", "政府信息公开申请延期答复告知书", Addressee.APPLICANT, "条例第三十三条第二款",
               statuses=frozenset({S.EXTENDED})),
    LetterKind("consult_third_party", "政府信息公开征求意见书", Addressee.THIRD_PARTY, "条例第三十二条",
               statuses=frozenset({S.PAUSED}) | _EARLY, note="致第三方"),
    # Two wordings, by the consultation's co-producer flag (docs/domain.md, "Letters"): a co-producing
    # agency (Arts. 10(3), 34: silence is consent) or another agency consulted (Art. 11: it is not);
    # the composed letter cites only its own articles.
    LetterKind("consult_agency", "政府信息公开征求意见书", Addressee.AGENCY,
               "条例第三十三条第三款；共同制作的第十条第三款、第三十四条，涉及其他机关的第十一条",
               statuses=frozenset({S.PAUSED}) | _EARLY, note="致有关行政机关"),
    LetterKind("consult_notice", "政府信息公开申请征求意见告知书", Addressee.APPLICANT,
               "条例第三十二条、第三十三条第三款", statuses=frozenset({S.PAUSED}), note="致申请人"),
    LetterKind("disclosure_notice", "政府信息依申请公开告知书", Addressee.THIRD_PARTY, "条例第三十二条",
               statuses=frozenset({S.PAUSED, S.IN_PROGRESS, S.REPLIED}), remedy=True, note="致提出异议的第三方"),
    LetterKind("assist", "政府信息公开申请协办函", Addressee.UNIT, "条例第三十三条",
               statuses=frozenset({S.IN_PROGRESS, S.EXTENDED}), note="致承办单位"),
    LetterKind("fee_notice", "政府信息公开信息处理费收费通知书", Addressee.APPLICANT,
               # No remedy paragraph: a fee is challenged with the final reply (国办函〔2021〕132号).
               "条例第四十二条、《政府信息公开信息处理费管理办法》", statuses=frozenset({S.PAUSED}) | _EARLY),
    LetterKind("provision_date", "政府信息提供日期通知书", Addressee.APPLICANT, "条例第三十五条",
               statuses=_EARLY, note="另行确定答复期限"),
    *(
        LetterKind(code, title, Addressee.APPLICANT, articles, outcome_codes=(outcome,),
                   statuses=_ANSWERED, remedy=True, note=note, reason_hint=REASON_HINTS.get(code, ""))
        for outcome, code, title, articles, note in _REPLIES
    ),
    LetterKind("withdrawn_6.1", "视为放弃申请告知书", Addressee.APPLICANT, "条例第三十条",
               outcome_codes=(OutcomeCode.DEEMED_WITHDRAWN_NO_SUPPLEMENT,), statuses=frozenset({S.DEEMED_WITHDRAWN}),
               remedy=True,
               note="逾期未补正"),
    LetterKind("withdrawn_6.2", "视为放弃申请告知书", Addressee.APPLICANT,
               "条例第四十二条、《政府信息公开信息处理费管理办法》",
               outcome_codes=(OutcomeCode.DEEMED_WITHDRAWN_NO_PAYMENT,),
               statuses=frozenset({S.DEEMED_WITHDRAWN}), remedy=True, note="逾期未缴费"),
    LetterKind("delivery_receipt", "送达回证", Addressee.APPLICANT, "条例第四十五条",
               statuses=_ANSWERED | _OPEN, numbered=False),
)

KINDS_BY_CODE: dict[str, LetterKind] = {k.code: k for k in KINDS}

# Every outcome code has at least one reply kind (the test checks it).
REPLY_KINDS_BY_OUTCOME: dict[str, tuple[LetterKind, ...]] = {
    o.code: tuple(k for k in KINDS if o.code in k.outcome_codes) for o in OUTCOMES
}


def kind(code: str) -> LetterKind:
    """Look up a kind by its code; raises ``KeyError`` for an unknown code."""
    return KINDS_BY_CODE[code]


def suggested(status: Status | str, outcome_code: str | None) -> list[LetterKind]:
    """Kinds that make sense for a case now: the replies for its outcome first, then
    the other kinds its status makes useful, each in the order of ``KINDS``."""
    status = Status(status)
    replies = [k for k in KINDS if k.is_reply and outcome_code in k.outcome_codes]
    others = [k for k in KINDS if not k.is_reply and status in k.statuses]
    return replies + others


def ordered_for(status: Status | str, outcome_code: str | None) -> tuple[list[LetterKind], list[LetterKind]]:
    """(suggested kinds, every other kind) for a picker."""
    first = suggested(status, outcome_code)
    codes = {k.code for k in first}
    return first, [k for k in KINDS if k.code not in codes]
