"""Letter wording as editable text files (``resources/letters/*.txt``).

A template is plain UTF-8 text that an office can change without a
programmer. Lines starting with ``#`` are comments. Header lines ``键：值``
come first — 标题, 称呼, 落款 (repeatable: one line each, the last is the
date), 联系, 附注, 抄送 — then a line ``正文：`` and the body, one paragraph
per line. A paragraph that comes out empty is dropped, so an optional
placeholder can stand on a line of its own.

Placeholders are ``${name}`` (``string.Template``; a literal dollar sign is
``$$``): values are substituted as text and never evaluated. ``PLACEHOLDERS``
lists every name with its meaning; an unknown name is reported with the file
and line. Files whose names start with ``_`` are fragments shared by many
letters (recital, remedy paragraph, referral); their rendered text is
available to the letters as ``${recital}``, ``${remedy}`` and so on.

An office words a template its own way by keeping its version, under the same
name, in the database (``storage/office_files.py``; ``request-desk settings
set-file letters/NAME FILE``), so every desk prints the same letter. Reading
a template therefore takes the session; ``None`` reads the shipped file.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources

from sqlmodel import Session

from request_desk.core.errors import DeskError
from request_desk.core.storage.office_files import LETTERS, own_file

# Every placeholder a template may use, with its meaning (also the editors' reference).
PLACEHOLDERS: dict[str, str] = {
    # the office
    "agency_name": "本机关名称（设置）",
    "agency_address": "本机关通信地址（设置）",
    "contact_person": "联系人（设置）",
    "contact_phone": "联系电话（设置）",
    "contact": "联系方式整句，如“（联系人：…，联系电话：…）”",
    "date": "成文日期，如 2026年10月30日",
    "reconsideration_body": "行政复议机关（设置）",
    "court": "管辖人民法院（设置）",
    "reconsideration_online": "网上申请行政复议的渠道（设置）",
    # the application
    "reg_number": "申请登记编号",
    "received_date": "收到申请日期",
    "channel": "申请方式",
    "applicant_name": "申请人姓名或名称",
    "applicant_type": "申请人类型",
    "applicant_id": "申请人身份证件号码或统一社会信用代码",
    "applicant_contact_person": "申请人联系人（法人或其他组织）",
    "applicant_phone": "申请人联系电话",
    "applicant_address": "申请人通信地址",
    "applicant_postal_code": "申请人邮政编码",
    "applicant_email": "申请人电子邮箱",
    "description": "所需政府信息的内容描述",
    "purpose": "申请用途",
    "preferred_form": "指定的提供形式",
    "delivery_method": "指定的获取方式",
    "reply_due_date": "法定答复期限（日期）",
    "addressee_name": "收件人（申请人、第三方、机关或承办单位）",
    "doc_word": "本文书的简称：答复、告知、通知或函",
    # shared fragments (rendered from the _*.txt files)
    "recital": "致申请人的开头语（_recital.txt）",
    "recital_other": "致第三方、机关的开头语（_recital_other.txt）",
    "remedy": "救济途径段落（_remedy.txt，不予公开时为 _remedy_refusal.txt）",
    "remedy_online": "电子送达时告知网上申请行政复议渠道的一句，其他送达方式为空",
    "remedy_route": "部分公开的救济途径：默认复议前置；填 ordinary 表示未依第十四至十六条不予公开，告知复议或诉讼",
    "referral": "告知负责机关的段落（_referral_known.txt 或 _referral_unknown.txt）",
    # the reply
    "outcome_label": "办理结果",
    "legal_basis": "本文书所依据的条款",
    "details": "答复要点（办理记录中的答复摘要，可为空）",
    "search_summary": "检索经过一句，取自检索记录，如“经检索本机关公文管理系统、档案室，"
                      "以“…”为关键词，未检索到相关信息。”；无检索记录时为“经检索，”",
    "reply_date": "答复日期",
    "published_where": "已主动公开信息的获取途径（网址、公报等）",
    "reason": "不予公开、部分公开或无法提供的具体理由（取自答复摘要；“具体理由：”一段，签发前必填）",
    "withheld": "同 ${reason}（旧名称，供机关自定义模板沿用）",
    "responsible_agency": "负责公开该信息的机关名称",
    "responsible_contact": "负责机关的联系方式，已带括号，如“（联系电话：…）”，未知时为空",
    "repeat_reg_number": "重复申请所对应的此前申请编号",
    "repeat_received_date": "此前申请的收到日期",
    "repeat_reply_date": "此前申请的答复日期",
    # supplement, extension, later date
    "supplement_what": "需要补正的事项",
    "supplement_deadline": "补正期限",
    "supplement_notice_date": "补正告知日期",
    "supplemented_date": "收到补正材料日期",
    "extension_reason": "延期理由",
    "extended_due_date": "延长后的答复期限",
    "later_date": "另行确定的答复日期（第三十五条）",
    "later_date_reason": "另行确定答复日期的理由",
    "explanation_deadline": "申请人说明理由的期限",
    "explanation_date": "此前发出说明理由告知书的日期（5.4）",
    "explanation_number": "此前说明理由告知书的文号，已带括号，如“（X政信公开〔2026〕3号）”",
    # consultation
    "third_party": "第三方名称或姓名",
    "consulted_agency": "被征求意见的机关",
    "consult_date": "征求意见日期",
    "consult_reply_by": "被征求意见方答复期限（按当日送达计算的第15个工作日）",
    "consulted_party": "致申请人时对被征求意见方的称谓（“相关第三方”或机关名称）",
    "consult_articles": "征求意见所依据的条款：第三方为“第三十二条”，共同制作机关为“第三十四条”，其他机关为“第十一条”",
    "consult_received_date": "被征求意见方收到征求意见书的日期（办理记录中登记的）",
    "consult_due": "征求意见期限：被征求意见方收到征求意见书之日起第15个工作日（未登记收到日期时按设置推定）",
    "consult_answer_date": "被征求意见方提出意见的日期",
    "consult_reasons": "被征求意见方不同意公开的理由（办理记录中登记的）",
    "third_party_view": "3.4答复中征求第三方意见的经过（_third_party_objected.txt、_third_party_no_answer.txt 或 "
                        "_third_party_not_consulted.txt）",
    "agency_consultation": "致有关机关征求意见书的依据和期限段落（共同制作的为 _agency_co_producer.txt，"
                           "其他机关为 _agency_other.txt）",
    "disclose_content": "决定公开的政府信息内容（依申请公开告知书）",
    "disclose_reason": "决定公开的理由（依申请公开告知书）",
    # handling unit
    "unit_name": "承办单位",
    "unit_due": "承办单位反馈期限",
    # fees
    "fee_method": "计费方式（按件计收/按量计收）",
    "fee_quantity": "计费数量，如“本月第12件”或“共150页”",
    "fee_calculation": "计算过程，如“第31—100页，每页10元，计700元”",
    "fee_amount": "收费金额（元）",
    "fee_basis": "收费依据",
    "fee_payment_due": "缴费期限（自申请人收到收费通知次日起计算，须先登记收到日期）",
    "fee_payment_due_note": "缴费期限括注，如“（2026年11月9日前）”；尚未登记申请人收到通知的日期时为空",
    "fee_notice_date": "收费通知日期",
    "fee_payment_workdays": "缴费期限的工作日数（设置，默认20）",
    "fee_payment_method": "信息处理费缴纳方式（设置），如“通过江苏省非税收入统一缴款平台缴纳（缴款码随本通知书送达）”",
    "fee_pause_note": "收费期间是否计入答复期限的说明：设置为不计入时为“自发出本通知书至您缴纳费用的时间，"
                      "不计算在答复期限内。”，计入时为空",
    # proof of delivery
    "served_title": "送达文书名称",
    "served_number": "送达文书文号",
    "served_date": "送达文书成文日期",
}

HEADER_KEYS = {"标题": "title", "称呼": "salutation", "落款": "signature", "联系": "contact",
               "附注": "footer_note", "抄送": "cc"}
BODY_KEY = "正文"
FRAGMENTS = ("_recital.txt", "_recital_other.txt", "_remedy.txt", "_remedy_refusal.txt",
             "_referral_known.txt", "_referral_unknown.txt",
             "_third_party_objected.txt", "_third_party_no_answer.txt", "_third_party_not_consulted.txt",
             "_agency_co_producer.txt", "_agency_other.txt")


class TemplateError(DeskError):
    """A template cannot be read or uses something unknown; says which file and line."""


@dataclass(frozen=True)
class _Line:
    number: int
    text: str


@dataclass
class ParsedTemplate:
    name: str
    origin: str  # file path, for messages
    headers: dict[str, list[_Line]] = field(default_factory=dict)
    body: list[_Line] = field(default_factory=list)


@dataclass(frozen=True)
class RenderedTemplate:
    title: str
    salutation: str
    body: tuple[str, ...]
    signature: tuple[str, ...]
    contact: str
    footer_note: str
    cc: str


def source(session: Session | None, name: str) -> tuple[str, str]:
    """(text, origin) of template ``name``: the office's version in the database, else the shipped file."""
    own = own_file(session, LETTERS, name)
    if own is not None:
        return own.text, own.origin
    shipped = resources.files("request_desk.resources") / "letters" / name
    if not shipped.is_file():
        raise TemplateError(f"找不到文书模板 {name}（resources/letters/{name}）。")
    return shipped.read_text(encoding="utf-8"), f"resources/letters/{name}"


def shipped_names() -> list[str]:
    folder = resources.files("request_desk.resources") / "letters"
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".txt"))


def parse(name: str, text: str, origin: str, *, fragment: bool = False) -> ParsedTemplate:
    """Split a template into header lines and body lines, checking every placeholder."""
    parsed = ParsedTemplate(name, origin)
    in_body = fragment
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        _check_placeholders(line, origin, number)
        if not in_body:
            key, sep, value = _split_header(line)
            if sep and key == BODY_KEY:
                in_body = True
                if value.strip():
                    parsed.body.append(_Line(number, value.strip()))
                continue
            if sep and key in HEADER_KEYS:
                parsed.headers.setdefault(key, []).append(_Line(number, value.strip()))
                continue
            raise TemplateError(
                f"文书模板 {origin} 第{number}行：“{line[:20]}”不是已知的项目"
                f"（可用：{'、'.join(HEADER_KEYS)}，正文前须有一行“正文：”）。"
            )
        parsed.body.append(_Line(number, line))
    if not fragment and not in_body:
        raise TemplateError(f"文书模板 {origin} 缺少“正文：”一行。")
    return parsed


def _split_header(line: str) -> tuple[str, str, str]:
    for sep in ("：", ":"):
        key, found, value = line.partition(sep)
        if found and key.strip() in (*HEADER_KEYS, BODY_KEY):
            return key.strip(), found, value
    return line, "", ""


def _check_placeholders(line: str, origin: str, number: int) -> None:
    tpl = string.Template(line)
    if not tpl.is_valid():
        raise TemplateError(
            f"文书模板 {origin} 第{number}行：“$”的用法不正确（占位符写作 ${{名称}}，"
            f"字面的 $ 请写作 $$）：{line[:40]}"
        )
    unknown = [n for n in tpl.get_identifiers() if n not in PLACEHOLDERS]
    if unknown:
        raise TemplateError(
            f"文书模板 {origin} 第{number}行：未知的占位符 "
            + "、".join(f"${{{n}}}" for n in unknown)
            + "。可用的占位符见 resources/letters/README.md。"
        )


def _fill(line: _Line, context: Mapping[str, str], origin: str) -> str:
    try:
        return string.Template(line.text).substitute(context)
    except KeyError as exc:  # a known placeholder the caller did not provide: a bug
        raise TemplateError(f"文书模板 {origin} 第{line.number}行：占位符 ${{{exc.args[0]}}} 没有取值。") from None


def load(session: Session | None, name: str, *, fragment: bool = False) -> ParsedTemplate:
    text, origin = source(session, name)
    return parse(name, text, origin, fragment=fragment)


def check(name: str, text: str, origin: str) -> None:
    """Refuse ``text`` as template ``name`` (a fragment when it starts with ``_``) with the line at fault."""
    if name not in shipped_names():
        raise TemplateError(f"没有名为 {name} 的文书模板（可用：{'、'.join(shipped_names())}）。")
    parse(name, text, origin, fragment=name.startswith("_"))


def render_fragment(session: Session | None, name: str, context: Mapping[str, str]) -> str:
    """A fragment's paragraphs joined by newlines (empty ones dropped)."""
    parsed = load(session, name, fragment=True)
    out = [_fill(ln, context, parsed.origin).strip() for ln in parsed.body]
    return "\n".join(p for p in out if p)


def render(parsed: ParsedTemplate, context: Mapping[str, str]) -> RenderedTemplate:
    """Substitute ``context`` into every line of ``parsed``."""

    def one(key: str) -> str:
        lines = parsed.headers.get(key, [])
        return _fill(lines[-1], context, parsed.origin).strip() if lines else ""

    body: list[str] = []
    for ln in parsed.body:
        text = _fill(ln, context, parsed.origin)
        body += [p.strip() for p in text.split("\n") if p.strip()]
    signature = tuple(
        s for s in (_fill(ln, context, parsed.origin).strip() for ln in parsed.headers.get("落款", [])) if s
    )
    return RenderedTemplate(
        title=one("标题"),
        salutation=one("称呼"),
        body=tuple(body),
        signature=signature,
        contact=one("联系"),
        footer_note=one("附注"),
        cc=one("抄送"),
    )
