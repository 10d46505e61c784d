"""The documented column layout of an importable ledger, its value vocabularies and the template.

One list (``FIELDS``) defines the Chinese headers, the accepted alternative
headers of older ledgers, which columns are required and what each accepts;
the importer, the template the user exports from the app, and
docs/import-format.md all derive from it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import TypeVar

from request_desk.core.vocab import (
    APPLICANT_TYPE_LABELS,
    CHANNEL_LABELS,
    OUTCOME_GROUPS,
    OUTCOMES,
    REGISTRATION_CHANNELS,
    ApplicantType,
    Channel,
    OutcomeCode,
    PauseKind,
    Satisfaction,
)


@dataclass(frozen=True)
class ImportField:
    key: str
    header: str
    required: bool
    help: str
    aliases: tuple[str, ...] = ()
    in_template: bool = True  # the combined ID column is read, never written into the template


# Only what the law needs of every application is required: the day of receipt (Art. 31),
# who applied and what was asked for (Art. 29). A ledger without a channel column records
# 未记载; a missing applicant type is inferred from the name (docs/import-format.md).
FIELDS: tuple[ImportField, ...] = (
    ImportField("reg_number", "登记编号", False,
                "台账原有编号，重复导入时以此识别同一申请；留空则按本机关编号规则自动编号。",
                ("编号", "登记号", "申请编号", "受理编号")),
    ImportField("received_date", "收到日期", True, "收到申请之日（条例第三十一条）。",
                ("收到申请日期", "申请日期", "受理日期", "受理时间", "收件日期", "登记日期", "收到时间",
                 "收到申请时间", "申请时间", "来件日期")),
    ImportField("channel", "收到方式", False,
                "当面提交、邮寄、平信、网上申请、传真、电子邮件、口头申请。台账没有此列的，记为“未记载”。",
                ("申请方式", "提交方式", "申请渠道", "渠道", "收件方式", "来件方式", "受理方式", "申请形式")),
    ImportField("applicant_type", "申请人类型", False,
                "自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他。未填写的按申请人名称推定，"
                "试导入时逐行列出以便核对。",
                ("申请人类别", "申请人性质", "申请人身份", "申请人分类", "申请主体", "主体类型", "类型", "类别")),
    ImportField("applicant_name", "申请人", True, "自然人姓名或法人、其他组织名称。",
                ("申请人姓名", "申请人名称", "姓名", "姓名或名称", "申请人姓名/名称", "申请人姓名或名称",
                 "姓名/名称", "名称", "申请单位")),
    ImportField("id_number", "证件号码", False, "自然人的身份证件号码；居民身份证号码按国家标准校验。",
                ("身份证号", "身份证号码", "公民身份号码", "证件号", "身份证", "身份证件号码")),
    ImportField("credit_code", "统一社会信用代码", False, "法人或其他组织的统一社会信用代码。",
                ("信用代码", "社会信用代码", "组织机构代码")),
    ImportField("id_or_code", "证件号码/统一社会信用代码", False,
                "自然人和组织共用一列的：自然人的按身份证号码校验，组织的按统一社会信用代码校验；"
                "申请人类型不明的按号码的样式区分。",
                ("身份证号码/统一社会信用代码", "身份证号/统一社会信用代码", "申请人证件号码", "申请人证件号",
                 "证照号码"), in_template=False),
    ImportField("contact_person", "联系人", False, "法人或其他组织的联系人。", ()),
    ImportField("phone", "联系电话", False, "", ("电话", "手机", "手机号码", "联系方式")),
    ImportField("address", "通信地址", False, "", ("地址", "联系地址", "邮寄地址")),
    ImportField("email", "电子邮箱", False, "", ("邮箱", "email", "e-mail")),
    ImportField("description", "申请内容", True, "所需政府信息的名称、文号或特征性描述。",
                ("所需信息", "申请公开内容", "所需政府信息", "申请事项", "申请信息内容", "申请公开的信息",
                 "申请公开的内容", "申请获取的政府信息", "信息名称")),
    ImportField("unit", "承办单位", False, "按名称匹配已有承办单位；名称未登记过的将新建。",
                ("办理单位", "承办部门", "责任单位", "承办科室", "承办处室", "承办机构", "办理科室", "办理部门",
                 "办理处室", "承办科（处）室", "经办科室", "责任科室", "责任部门")),
    ImportField("supplement_notice_date", "补正告知日期", False, "发出补正告知书之日。",
                ("补正通知日期", "补正告知")),
    ImportField("supplemented_date", "收到补正日期", False, "收到补正材料之日，答复期限自此重新起算。",
                ("补正日期", "补正材料收到日期", "补正收到日期")),
    ImportField("extension", "延期", False, "经批准延期答复的，填写批准日期或“是”；未延期留空或填“否”。",
                ("是否延期", "延期答复", "延期批准日期")),
    ImportField("pauses", "暂停期间", False,
                "征求第三方或其他机关意见、收费通知至缴费等不计入答复期限的期间，写作“2026-03-02至2026-03-10”；"
                "多段用分号隔开，可在前面注明“征求其他机关意见：”或“收费：”，未注明的按征求第三方意见计。",
                ("征求意见期间", "暂停计时", "中止期间")),
    ImportField("reply_date", "答复日期", False, "作出答复（或撤回、视为放弃）之日；未办结的留空。",
                ("办结日期", "答复时间", "办结时间", "回复日期")),
    ImportField("outcome", "办理结果", False,
                "年度报告的办理结果：规范表述（如“予以公开”“部分公开”“本机关不掌握相关政府信息”）或代码（如 4.1）。",
                ("答复结果", "答复类型", "处理结果", "办理情况", "答复情况", "处理情况", "办结情况")),
    ImportField("delivered_date", "送达日期", False, "", ("送达时间",)),
    ImportField("delivery_channel", "送达方式", False, "邮寄、当面领取、电子邮件等。", ()),
    ImportField("satisfaction", "回访满意度", False, "满意、基本满意、不满意。", ("满意度", "回访结果", "回访情况")),
    ImportField("note", "备注", False, "", ("说明",)),
)
FIELDS_BY_KEY = {f.key: f for f in FIELDS}
TEMPLATE_FIELDS = tuple(f for f in FIELDS if f.in_template)


_BRACKETED_END = re.compile(r"[（(][^（）()]*[)）]$")


def _squash(text: object) -> str:
    return re.sub(r"[\s*＊:：]", "", str(text or "")).lower()


def normalise_header(text: object) -> str:
    """Header text without spaces, asterisks and a trailing remark in brackets: "收到日期（必填）" → "收到日期"."""
    return _BRACKETED_END.sub("", _squash(text))


HEADER_INDEX: dict[str, str] = {}
for _f in FIELDS:
    for _name in (_f.header, *_f.aliases):
        HEADER_INDEX.setdefault(normalise_header(_name), _f.key)

# A header naming both a person's document and an organisation's code is one combined column:
# 身份证号码/统一社会信用代码, 证件号码（代码）, 身份证或组织机构代码 …
_PERSON_ID_WORDS = ("身份证", "证件", "公民身份")
_CODE_WORDS = ("信用代码", "机构代码", "代码")


def header_field(text: object) -> str | None:
    """The field key a ledger's header names, or None. The bracketed part counts when it names a code:
    "证件号码（代码）" is the combined column, "证件号码（必填）" the ID number."""
    whole = _squash(text)
    if any(w in whole for w in _PERSON_ID_WORDS) and any(w in whole for w in _CODE_WORDS):
        return "id_or_code"
    return HEADER_INDEX.get(_BRACKETED_END.sub("", whole))  # normalise_header, squashed once


# --------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------

EXCEL_EPOCH = date(1899, 12, 30)
_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def parse_date(value: object) -> date:
    """A date from the usual Chinese spellings: 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日,
    20260305, or an Excel serial day number. Raises ``ValueError`` with a Chinese message."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial(value)
    text = str(value).strip()
    m = _DATE_RE.match(text) if text[:4].isdigit() else None
    if m and re.fullmatch(r"(\s*\d{1,2}:\d{2}(:\d{2})?)?", text[m.end():]):
        return _ymd(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    if re.fullmatch(r"\d{8}", text):
        return _ymd(int(text[:4]), int(text[4:6]), int(text[6:]), text)
    if re.fullmatch(r"\d{1,6}(\.\d+)?", text):
        return _serial(float(text))
    raise ValueError(f"“{text}”不是可识别的日期（可写作 2026-03-05、2026/3/5 或 2026年3月5日）")


def _ymd(y: int, m: int, d: int, text: str) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise ValueError(f"“{text}”不是有效的日期") from None


def _serial(n: float) -> date:
    if 20_000_000 <= n <= 21_001_231 and float(n).is_integer():
        s = str(int(n))
        return _ymd(int(s[:4]), int(s[4:6]), int(s[6:]), s)
    if not 1 <= n < 2_958_466:
        raise ValueError(f"“{n}”不是有效的 Excel 日期")
    return EXCEL_EPOCH + timedelta(days=int(n))


def _key(text: object) -> str:
    return re.sub(r"[\s　、,，.。:：;；\-—_/（）()“”\"'《》]", "", str(text or "")).lower()


_CHANNEL_WORDS: tuple[tuple[str, Channel], ...] = (
    ("平信", Channel.ORDINARY_LETTER), ("挂号", Channel.POST), ("快递", Channel.POST), ("ems", Channel.POST),
    ("邮寄", Channel.POST), ("信函", Channel.POST), ("邮政", Channel.POST),
    ("电子邮件", Channel.EMAIL), ("邮箱", Channel.EMAIL), ("email", Channel.EMAIL),
    ("网", Channel.ONLINE), ("在线", Channel.ONLINE), ("平台", Channel.ONLINE),
    ("传真", Channel.FAX), ("口头", Channel.ORAL), ("代为填写", Channel.ORAL), ("电话", Channel.ORAL),
    ("当面", Channel.IN_PERSON), ("现场", Channel.IN_PERSON), ("窗口", Channel.IN_PERSON), ("来访", Channel.IN_PERSON),
)


E = TypeVar("E", bound=Enum)


def _match(value: object, members: Iterable[E], words: Iterable[tuple[str, E]], what: str) -> E:
    """An enum member by code or exact label, else by a telling word in the ledger's wording."""
    k = _key(value)
    options = list(members)
    for m in options:
        if k in (m.value, _key(m.label)):  # type: ignore[attr-defined]
            return m
    for word, m in words:
        if word in k:
            return m
    raise ValueError(f"{what}“{value}”无法识别（可填：{'、'.join(m.label for m in options)}）")  # type: ignore[attr-defined]


def parse_channel(value: object) -> Channel:
    return _match(value, Channel, _CHANNEL_WORDS, "收到方式")


_TYPE_WORDS: tuple[tuple[str, ApplicantType], ...] = (
    ("自然人", ApplicantType.NATURAL_PERSON), ("个人", ApplicantType.NATURAL_PERSON),
    ("公民", ApplicantType.NATURAL_PERSON),
    ("商业企业", ApplicantType.COMMERCIAL), ("企业", ApplicantType.COMMERCIAL), ("公司", ApplicantType.COMMERCIAL),
    ("科研", ApplicantType.RESEARCH), ("公益", ApplicantType.PUBLIC_INTEREST),
    ("法律服务", ApplicantType.LEGAL_SERVICES), ("律师", ApplicantType.LEGAL_SERVICES),
    ("律所", ApplicantType.LEGAL_SERVICES), ("其他", ApplicantType.OTHER_ORG),
)


def parse_applicant_type(value: object) -> ApplicantType:
    return _match(value, ApplicantType, _TYPE_WORDS, "申请人类型")


# Common ledger wordings of the official outcomes (normalised with ``_key``).
OUTCOME_SYNONYMS: dict[str, str] = {
    "公开": "1", "同意公开": "1", "全部公开": "1", "已公开": "1", "予以公开": "1", "主动公开": "1",
    "部分公开": "2", "部分予以公开": "2",
    "国家秘密": "3.1", "第三方合法权益": "3.4", "涉及第三方": "3.4", "涉及商业秘密": "3.4", "涉及个人隐私": "3.4",
    "内部事务信息": "3.5", "过程性信息": "3.6", "行政执法案卷": "3.7", "行政查询事项": "3.8",
    "信息不存在": "4.1", "政府信息不存在": "4.1", "本机关不掌握": "4.1", "非本机关政府信息": "4.1",
    "不属于本机关公开职责": "4.1", "需另行制作": "4.2", "需要另行制作": "4.2", "补正后仍不明确": "4.3",
    "信访": "5.1", "信访举报投诉": "5.1", "重复申请": "5.2", "公开出版物": "5.3", "大量反复申请": "5.4",
    "逾期不补正": "6.1", "视为放弃申请逾期不补正": "6.1", "未补正": "6.1",
    "逾期未缴费": "6.2", "未缴纳费用": "6.2", "撤回": "6.3", "申请人撤回": "6.3", "撤回申请": "6.3", "其他": "6.3",
}
_OUTCOME_INDEX: dict[str, str] = {}
for _o in OUTCOMES:
    _OUTCOME_INDEX[_key(_o.label)] = _o.code
    _OUTCOME_INDEX[_key(OUTCOME_GROUPS[_o.group] + _o.label)] = _o.code
_OUTCOME_INDEX[_key("部分公开")] = "2"
_OUTCOME_INDEX.update({_key(k): v for k, v in OUTCOME_SYNONYMS.items()})
_AMBIGUOUS = {_key(OUTCOME_GROUPS[g]): g for g in ("3", "4", "5")}
# A bare group name whose group has an "other" row counts in that row (the importer warns):
# 其他处理 alone is 6.3 其他处理：其他. The other groups have no such row and need the clerk.
BARE_GROUP_OTHER = {_key(OUTCOME_GROUPS["6"]): OutcomeCode.OTHER.value}
_OUTCOME_INDEX.update(BARE_GROUP_OTHER)


def is_bare_group(value: object) -> bool:
    """The outcome was written as a group name alone (其他处理), counted in its group's "other" row."""
    return _key(value) in BARE_GROUP_OTHER


def parse_outcome(value: object) -> str:
    """The official outcome code for a ledger's wording, e.g. "不予公开-保护第三方合法权益" → "3.4"."""
    text = str(value).strip()
    m = re.match(r"^([1-6](?:\.[1-8])?)(?![\d.])", text)
    if m and m.group(1) in {o.code for o in OUTCOMES}:
        return m.group(1)
    k = _key(text)
    if k in _OUTCOME_INDEX:
        return _OUTCOME_INDEX[k]
    for sep in ("-", "—", "：", ":", "（", "(", "/"):
        if sep in text:
            tail = _key(text.split(sep, 1)[1])
            if tail in _OUTCOME_INDEX:
                return _OUTCOME_INDEX[tail]
    if k in _AMBIGUOUS:
        group = _AMBIGUOUS[k]
        options = "、".join(f"{o.code} {o.label}" for o in OUTCOMES if o.group == group)
        raise ValueError(f"办理结果“{text}”只写了大类，年度报告须写明具体情形（{options}）")
    raise ValueError(f"办理结果“{text}”无法对应年度报告的办理结果，"
                     "请改为规范表述（如“予以公开”“本机关不掌握相关政府信息”）或代码（如 4.1）")


def parse_satisfaction(value: object) -> Satisfaction:
    k = _key(value)
    for s in (Satisfaction.BASICALLY_SATISFIED, Satisfaction.DISSATISFIED, Satisfaction.SATISFIED):
        if k in (s.value, _key(s.label)) or _key(s.label) in k:
            return s
    raise ValueError(f"回访满意度“{value}”无法识别（可填：满意、基本满意、不满意）")


_YES = {"是", "已延期", "延期", "y", "yes", "1", "true", "√", "有"}
_NO = {"否", "无", "未延期", "不延期", "n", "no", "0", "false", ""}


def parse_extension(value: object) -> tuple[bool, date | None]:
    """(extended, approval date if given)."""
    if isinstance(value, (date, datetime, int, float)) and not isinstance(value, bool):
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value), None
        return True, parse_date(value)
    k = _key(value)
    if k in _YES:
        return True, None
    if k in _NO:
        return False, None
    try:
        return True, parse_date(str(value).strip())
    except ValueError:
        raise ValueError(f"延期“{value}”无法识别：请填写批准延期的日期，或“是”“否”") from None


def parse_pauses(value: object) -> list[tuple[PauseKind, date, date | None]]:
    """"2026-03-02至2026-03-10；征求其他机关意见：2026-04-01至2026-04-08" → pause periods."""
    out: list[tuple[PauseKind, date, date | None]] = []
    for part in re.split(r"[；;\n]+", str(value)):
        part = part.strip()
        if not part:
            continue
        kind = PauseKind.THIRD_PARTY
        if "收费" in part or "缴费" in part:
            kind = PauseKind.FEE
        elif "机关" in part:
            kind = PauseKind.OTHER_AGENCY
        found = [_ymd(int(a), int(b), int(c), part) for a, b, c in _DATE_RE.findall(part)]
        if len(found) == 2:
            if found[1] < found[0]:
                raise ValueError(f"暂停期间“{part}”的结束日期早于开始日期")
            out.append((kind, found[0], found[1]))
        elif len(found) == 1 and re.search(r"(至今|至\s*$|起)", part):
            out.append((kind, found[0], None))
        else:
            raise ValueError(f"暂停期间“{part}”应写作“2026-03-02至2026-03-10”")
    return out


# --------------------------------------------------------------------------
# The template
# --------------------------------------------------------------------------

TEMPLATE_SHEET = "申请台账"


def write_template(path: Path | str) -> None:
    """An empty ledger with the documented headers, drop-down lists and a sheet of instructions."""
    # openpyxl takes 0.1 s to import; only writing the template needs it.
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.styles import Alignment, Font, PatternFill  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415
    from openpyxl.worksheet.worksheet import Worksheet  # noqa: PLC0415

    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook has one sheet, active
    ws.title = TEMPLATE_SHEET
    required_fill = PatternFill("solid", fgColor="FCE4D6")
    for i, f in enumerate(TEMPLATE_FIELDS, start=1):
        cell = ws.cell(row=1, column=i, value=f.header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if f.required:
            cell.fill = required_fill
        ws.column_dimensions[get_column_letter(i)].width = 30 if f.key in ("description", "pauses") else 14
    ws.freeze_panes = "A2"

    lists = wb.create_sheet("可选值")
    choices = {
        "channel": [CHANNEL_LABELS[c] for c in REGISTRATION_CHANNELS],
        "applicant_type": list(APPLICANT_TYPE_LABELS.values()),
        "outcome": [OUTCOME_GROUPS[o.code] if o.code in ("1", "2") else f"{OUTCOME_GROUPS[o.group]}：{o.label}"
                    for o in OUTCOMES],
        "satisfaction": [s.label for s in Satisfaction],
    }
    col_of = {f.key: i for i, f in enumerate(TEMPLATE_FIELDS, start=1)}
    for j, (key, values) in enumerate(choices.items(), start=1):
        letter = get_column_letter(j)
        lists.cell(row=1, column=j, value=FIELDS_BY_KEY[key].header).font = Font(bold=True)
        for r, v in enumerate(values, start=2):
            lists.cell(row=r, column=j, value=v)
        lists.column_dimensions[letter].width = 40 if key == "outcome" else 18
        # Drop-downs that still accept other text (the importer maps common wordings).
        dv = DataValidation(type="list", formula1=f"='可选值'!${letter}$2:${letter}${len(values) + 1}",
                            allow_blank=True, showErrorMessage=False)
        target = get_column_letter(col_of[key])
        dv.add(f"{target}2:{target}5000")
        ws.add_data_validation(dv)

    notes = wb.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "说明"])
    for f in TEMPLATE_FIELDS:
        notes.append([f.header, "必填" if f.required else "", f.help])
    notes.append([])
    notes.append(["日期可写作 2026-03-05、2026/3/5、2026年3月5日，或使用 Excel 日期格式。"])
    notes.append(["第一行为列名，请勿修改；标题行、空行会被跳过。同一登记编号重复导入时不会重复添加。"])
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 90
    for cell in notes[1]:
        cell.font = Font(bold=True)
    wb.save(path)
