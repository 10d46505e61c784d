"""The check before every signature: what a reconsideration body would find wrong with a letter.

``findings`` reads the draft as the clerk edited it, with the case and the
office settings, and lists what it finds (docs/domain.md, "Letters", The check
before issuing):

* the office's own details are set (no sample names, no empty agency);
* no ``【请填写：…】`` blank is left;
* a refusal, a partial disclosure or an "unable to provide" reply states its
  specific reason (Arts. 36(3), 36(5), 37, 38);
* a reply cites the article it rests on;
* a letter that must carry the remedy paragraph does, with the body and the
  periods of its route — and the online channel when it is served online;
* the outcome recorded in the case is the one the letter answers;
* a "does not exist" reply (4.1, 第36条(四)) has a search record behind it
  (指导性案例101号; docs/domain.md, "Search record");
* the letter is not dated after the reply deadline — a late reply may go out,
  but the clerk acknowledges it and it is recorded as late;
* the 仿宋 / 小标宋 the office chose are installed on this PC (without them the
  letter prints in the bundled fonts: a warning, ``office_fonts``).

Errors block issuing; warnings are shown and stored with the letter.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from enum import StrEnum

from sqlmodel import Session

from request_desk.core.cases import search_records
from request_desk.core.deadlines.case_clock import clock_for
from request_desk.core.office import settings as office_settings
from request_desk.core.office.settings import OfficeSettings
from request_desk.core.storage.models import Request
from request_desk.core.vocab import ONLINE_DELIVERY_METHODS, OUTCOMES_BY_CODE

from . import office_fonts
from .compose import FILL_MARK, Draft, unfilled
from .document import LetterDocument
from .kinds import RECONSIDERATION_FIRST, LetterKind
from .kinds import kind as kind_of

_ARTICLE = re.compile(r"第[一二三四五六七八九十百]+条")
# The paragraph of a refusal or "unable to provide" reply that states the case's own reason
# (each such template has one line ``具体理由：${reason}``).
REASON_LEAD = "具体理由："
# "Other handling" (6.3) has no article of its own (docs/domain.md, "Outcomes").
OTHER_HANDLING = "reply_6.3"
# "Searched, does not exist" (第36条(四)): issued only with a search on record (指导性案例101号).
NOT_EXISTING = "reply_4.1"
# A reason shorter than this is almost always a restatement of the outcome.
SHORT_REASON = 10


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "不能签发" if self is Severity.ERROR else "提示"


class Rule(StrEnum):
    """What each finding is about (stored with the letter, so a register can count them)."""

    OFFICE_DETAILS = "office_details"
    BLANKS = "blanks"
    REASON = "reason"
    LEGAL_BASIS = "legal_basis"
    REMEDY = "remedy"
    OUTCOME = "outcome"
    LATE = "late"
    SEARCH = "search"
    FONTS = "fonts"


@dataclass(frozen=True)
class Finding:
    rule: Rule
    severity: Severity
    message: str

    @property
    def blocks(self) -> bool:
        return self.severity is Severity.ERROR

    def as_json(self) -> dict[str, str]:
        return {key: str(value) for key, value in asdict(self).items()}


def _error(rule: Rule, message: str) -> Finding:
    return Finding(rule, Severity.ERROR, message)


def _warning(rule: Rule, message: str) -> Finding:
    return Finding(rule, Severity.WARNING, message)


def findings(session: Session, draft: Draft) -> list[Finding]:
    """Everything the check finds in ``draft`` (its edited document), errors first."""
    k = kind_of(draft.kind)
    doc = draft.document
    conf = office_settings.load(session)
    request = session.get(Request, draft.request_id) if draft.request_id is not None else None
    found = _office_details(conf)
    blanks = list(dict.fromkeys(unfilled(doc)))
    if blanks:
        found.append(_error(Rule.BLANKS, "文书中仍有待填写的内容：" + "；".join(blanks)))
    if k.reason_hint:
        found += _reason(doc, k)
    if k.is_reply and not any(_ARTICLE.search(p) for p in doc.body):
        if k.code == OTHER_HANDLING:  # e.g. a withdrawal: the basis is the clerk's to state
            found.append(_warning(Rule.LEGAL_BASIS, "告知未引用任何条款：请在正文中写明本次处理的依据。"))
        else:
            found.append(_error(Rule.LEGAL_BASIS, f"答复未引用法律依据（本文书应依据{k.articles}）。"))
    if k.remedy:
        found += _remedy(doc, conf, request, k)
    if request is not None and k.is_reply:
        found += _outcome_and_date(session, request, k, draft)
    if request is not None and request.id is not None and k.code == NOT_EXISTING \
            and not search_records.rows_in(session, request.id):
        found.append(_error(Rule.SEARCH, "答复“经检索没有所申请公开的信息”须先登记检索记录"
                                         "（检索了哪些系统、档案或单位，用什么关键词，结果如何）："
                                         "请在办理操作中“登记检索记录”。"))
    found += [_warning(Rule.FONTS, warning) for warning in office_fonts.warnings(conf)]
    return sorted(found, key=lambda f: f.severity is not Severity.ERROR)


def is_late(found: list[Finding]) -> bool:
    return any(f.rule is Rule.LATE for f in found)


def _office_details(conf: OfficeSettings) -> list[Finding]:
    missing = conf.missing_office_details()
    if not missing:
        return []
    return [_error(Rule.OFFICE_DETAILS,
                   f"尚未填写{'、'.join(missing)}：文书不能以空白或示例名称（“某某……”）签发。"
                   "请负责人或管理员在“设置”→“机关信息与规则”中填写后再签发。")]


def _paragraphs(doc: LetterDocument) -> list[str]:
    return [p.strip() for p in doc.body]


def _reason(doc: LetterDocument, k: LetterKind) -> list[Finding]:
    """The specific reason, in the paragraph that starts with ``REASON_LEAD``."""
    paragraph = next((p for p in _paragraphs(doc) if p.startswith(REASON_LEAD)), None)
    if paragraph is None:
        return [_error(Rule.REASON, f"文书中没有“{REASON_LEAD}”段落：{k.note}的答复必须说明本案的具体理由"
                                    f"（{k.reason_hint}）。")]
    reason = paragraph.removeprefix(REASON_LEAD).strip(" 。；，,;")
    if FILL_MARK in reason:
        return []  # still the blank: reported once, by the blanks rule
    generic = {o.label for o in OUTCOMES_BY_CODE.values()} | {k.note, k.note.split("：")[-1]}
    if not reason or reason in generic:
        return [_error(Rule.REASON, f"尚未写明本案的具体理由（{k.reason_hint}）：只写答复结果不足以说明理由。")]
    if len(reason) < SHORT_REASON:
        return [_warning(Rule.REASON, f"具体理由只有{len(reason)}个字，复议机关可能认为未说明理由，"
                                      "请写明所涉信息和事实。")]
    return []


def _remedy(doc: LetterDocument, conf: OfficeSettings, request: Request | None, k: LetterKind) -> list[Finding]:
    """The remedy paragraph: the body and periods of its route, and the online channel."""
    text = "".join(p for p in _paragraphs(doc) if "行政复议" in p)
    if not text:
        return [_error(Rule.REMEDY, "缺少救济途径段落（申请行政复议的机关和期限、提起行政诉讼的法院和期限）。")]
    found: list[Finding] = []
    first = RECONSIDERATION_FIRST in text
    group = k.outcome_codes[0].split(".")[0] if k.is_reply else ""
    if group == "3" and not first:
        found.append(_error(Rule.REMEDY, "不予公开的答复应当告知先申请行政复议"
                                         "（行政复议法第二十三条第一款第（四）项），"
                                         "不能告知直接起诉。"))
    elif group not in ("2", "3") and first:
        found.append(_error(Rule.REMEDY, "本答复不属于不予公开，应当告知申请行政复议或者提起行政诉讼两种途径，"
                                         "不能告知复议前置。"))
    needed = [("行政复议机关", conf.reconsideration_body), ("复议期限", "60日")]
    if first:
        needed.append(("复议后起诉期限", "15日"))
    else:
        needed += [("管辖法院", conf.court), ("起诉期限", "6个月")]
    missing = [label for label, words in needed if not words or words not in text]
    if missing:
        found.append(_error(Rule.REMEDY, f"救济途径段落缺少{'、'.join(missing)}：漏告期限或机关会使申请人的复议、"
                                         "起诉期限延长至一年。"))
    if request is not None and request.delivery_method in ONLINE_DELIVERY_METHODS:
        channel = conf.reconsideration_online.strip()
        if not channel and FILL_MARK not in text:  # a blank left for it is reported by the blanks rule
            found.append(_error(Rule.REMEDY, f"本申请以“{request.delivery_method}”方式送达，"
                                             "文书须告知网上申请行政复议的"
                                             "渠道；请在“设置”→“机关信息与规则”中填写“网上申请行政复议渠道”。"))
        elif channel not in text:
            found.append(_error(Rule.REMEDY, f"本申请以“{request.delivery_method}”方式送达，救济途径段落须写明网上申请"
                                             f"行政复议的渠道（{channel}）。"))
    return found


def _outcome_and_date(session: Session, request: Request, k: LetterKind, draft: Draft) -> list[Finding]:
    found: list[Finding] = []
    if request.outcome_code is None:
        found.append(_warning(Rule.OUTCOME, "本申请尚未登记答复结果：签发后请在办理操作中登记“答复”。"))
    elif request.outcome_code not in k.outcome_codes:
        label = OUTCOMES_BY_CODE[request.outcome_code].label
        found.append(_error(Rule.OUTCOME, f"本申请登记的办理结果为“{request.outcome_code} {label}”，"
                                          f"与所选文书（{k.label}）不一致：请改选文书或更正办理结果。"))
    due = clock_for(session, request, draft.on_date).reply_due
    if draft.on_date > due:
        found.append(_warning(Rule.LATE, f"成文日期 {draft.on_date} 晚于答复期限 {due}，属于逾期答复："
                                         "可以签发，但须确认，并记录为逾期答复。"))
    return found
