"""Checking a ledger's rows: every value parsed, every row checked, every problem located.

``RowChecker.check`` turns the cells of one row into the values of a request
(``ImportRow``) or records why it cannot be imported (``ImportIssue``, with
the file's row number, the column and a Chinese message). It reads the
database only to find requests already there (skipped, so that importing a
file again adds nothing twice) and the handling units that exist.

Decisions for historical data: what the registration form lets a supplement
supply (ID number, credit code, an organisation's contact person, any contact;
``validation.missing_items``) and a missing unit are warnings, so such a row is
imported, not refused; an ID number or credit code that fails its check
character is an error (fix it or clear it); phone and e-mail problems are
warnings. A channel the ledger does not record is 未记载; an applicant type it
does not record is inferred from the name and listed (severity "inferred").
A value the desk cannot map (an outcome, channel or applicant type in the
office's own words) is reported once per distinct value with its rows
(``finish``), and the clerk's choice for it (``ledger_values.ValueMap``) applies
to every row that has it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from request_desk.core.cases.validation import (
    check_credit_code,
    check_email,
    check_id_number,
    check_phone,
    length_issues,
    missing_items,
)
from request_desk.core.storage.models import HandlingUnit
from request_desk.core.text import clean_text
from request_desk.core.transfer.ledger_existing import existing_keys, existing_numbers
from request_desk.core.transfer.ledger_file import blank
from request_desk.core.transfer.ledger_values import (
    VALUE_PARSERS,
    Tally,
    ValueMap,
    infer_applicant_type,
    route_combined_id,
    rows_text,
)
from request_desk.core.transfer.template import (
    FIELDS_BY_KEY,
    is_bare_group,
    parse_date,
    parse_extension,
    parse_pauses,
)
from request_desk.core.vocab import OUTCOMES_BY_CODE, Channel, OutcomeCode, PauseKind

#: How each kind of issue is shown: errors block the import, the others do not.
SEVERITY_LABELS = {"error": "错误", "warning": "提示", "inferred": "推定", "skip": "跳过"}


def location(sheet: str, row: int) -> str:
    """Where a row is, as messages say it: "第12行", or "工作表“3月” 第12行" when the file's sheets are named."""
    at = f"第{row}行" if row else ""
    if sheet:
        return f"工作表“{sheet}”" + (f" {at}" if at else "")
    return at or "文件"


@dataclass(frozen=True)
class ImportIssue:
    """One problem: ``row`` is the file's row number (0 for the file or the sheet as a whole).

    ``sheet`` names the worksheet when the rows come from more than one sheet, or
    not from the first (``importer`` decides), else it is "".
    """

    row: int
    column: str
    severity: str  # "error" | "warning" | "inferred" (a value read from others, to confirm) | "skip"
    message: str
    sheet: str = ""

    @property
    def where(self) -> str:
        return location(self.sheet, self.row)

    def __str__(self) -> str:
        where = self.where
        column = f"“{self.column}”列" if self.column else ""
        kind = SEVERITY_LABELS[self.severity]
        return f"{where}{column}【{kind}】{self.message}"


@dataclass
class ImportRow:
    """A parsed, checked row, ready to be written."""

    row: int
    values: dict[str, Any]
    pauses: list[tuple[PauseKind, date, date | None]] = field(default_factory=list)
    extended: bool = False
    extension_date: date | None = None
    sheet: str = ""

    @property
    def where(self) -> str:
        return location(self.sheet, self.row)


class RowChecker:
    """Checks the rows of one file in order (duplicates within the file are found across rows)."""

    def __init__(self, session: Session, col_map: dict[int, str], headers: list[str], today: date,
                 values: ValueMap | None = None) -> None:
        self.session, self.col_map, self.headers, self.today = session, col_map, headers, today
        self.header_of = {key: headers[i] for i, key in col_map.items()}
        self.values = values or ValueMap()
        self.tally = Tally()
        self.inferred = 0
        self.blank_channel_rows: list[int] = []
        self.blank_channel_sheet = ""  # the sheet of the first of them
        # Issues about the ID number and credit code point at the combined column they came from:
        # always where the file has no column of their own, else in the rows it filled them.
        self.routed_always = {key: "id_or_code" for key in ("id_number", "credit_code")
                              if "id_or_code" in self.header_of and key not in self.header_of}
        self.routed = dict(self.routed_always)
        self._row_unmapped: set[str] = set()
        self.issues: list[ImportIssue] = []
        self.sheet = ""  # the worksheet being checked, as messages name it ("" when they do not)
        self.errors = 0  # errors among ``issues``, counted as they are added (rows are many)
        self._row_start = 0  # index in ``issues`` of the current row's first issue
        self.skipped = 0
        self.seen_numbers: dict[str, str] = {}  # registration number -> where it was first seen
        self.seen_keys: dict[tuple[Any, ...], str] = {}
        self._parsed: dict[tuple[Any, ...], Any] = {}  # (field, type, cell value) -> parsed value or its ValueError
        self.new_units: set[str] = set()
        units = session.execute(select(col(HandlingUnit.id), col(HandlingUnit.name)))
        self.units: dict[str, int] = {name: uid for uid, name in units}

    def _issue(self, row: int, key: str, severity: str, message: str) -> None:
        key = self.routed.get(key, key)
        known = FIELDS_BY_KEY[key].header if key in FIELDS_BY_KEY else key
        self.issues.append(ImportIssue(row, self.header_of.get(key, known), severity, message, self.sheet))
        self.errors += severity == "error"

    def _has_error(self, row: int, key: str) -> bool:
        if key in self._row_unmapped:
            return True
        header = self.header_of.get(key, FIELDS_BY_KEY[key].header)
        return any(i.row == row and i.severity == "error" and i.column == header
                   for i in self.issues[self._row_start:])

    def check(self, n: int, cells: list[Any]) -> ImportRow | None:
        raw = {key: self._clean(n, key, cells[i]) if i < len(cells) else None for i, key in self.col_map.items()}
        v: dict[str, Any] = {}
        self._row_start = len(self.issues)
        errors_before = self.errors
        self._row_unmapped = set()
        self.routed = dict(self.routed_always)

        def text(key: str) -> str:
            value = raw.get(key)
            if blank(value):
                return ""
            if isinstance(value, float) and value.is_integer():
                value = int(value)  # a number typed into a text column: 13912345678.0
            return str(value).strip()

        def parsed(key: str, parser: Any, required: bool = False) -> Any:
            value = raw.get(key)
            if blank(value):
                if required:
                    self._issue(n, key, "error", "必填项为空。")
                return None
            # A ledger repeats its values (a channel, a date) thousands of times: each is parsed once.
            memo = (key, type(value), value)
            if memo not in self._parsed:
                try:
                    self._parsed[memo] = parser(value if not isinstance(value, str) else value.strip())
                except ValueError as exc:
                    self._parsed[memo] = exc
            result = self._parsed[memo]
            if isinstance(result, ValueError):
                self._issue(n, key, "error", str(result) + "。")
                return None
            return result

        for key in ("reg_number", "applicant_name", "id_number", "credit_code", "contact_person", "phone", "address",
                    "email", "description", "unit", "delivery_channel", "note"):
            v[key] = text(key)
        for key in ("applicant_name", "description"):
            if not v[key]:
                self._issue(n, key, "error", "必填项为空。")
        v["received_date"] = parsed("received_date", parse_date, required=True)
        v["channel"] = self._choice(n, "channel", raw)
        if v["channel"] is None and "channel" not in self._row_unmapped:
            v["channel"] = Channel.UNRECORDED  # docs/import-format.md: one warning for the file
            if "channel" in self.header_of:
                if not self.blank_channel_rows:
                    self.blank_channel_sheet = self.sheet
                self.blank_channel_rows.append(n)
        v["applicant_type"] = self._choice(n, "applicant_type", raw)
        if v["applicant_type"] is None and "applicant_type" not in self._row_unmapped and v["applicant_name"]:
            v["applicant_type"] = self._infer_type(n, v["applicant_name"], text("id_or_code") or v["id_number"])
        for key in ("supplement_notice_date", "supplemented_date", "reply_date", "delivered_date"):
            v[key] = parsed(key, parse_date)
        v["outcome_code"] = self._choice(n, "outcome", raw)
        v["satisfaction"] = self._choice(n, "satisfaction", raw)
        ext = parsed("extension", parse_extension) or (False, None)
        pauses = list(parsed("pauses", parse_pauses) or [])  # a copy: parsed values are shared
        combined = text("id_or_code")
        if combined:
            self._route(n, v, combined)
        self._check_identity(n, v)
        self._check_dates(n, v, pauses, ext)
        self._check_lengths(n, v)
        number = v["reg_number"]
        if number in self.seen_numbers:
            self._issue(n, "reg_number", "error", f"登记编号与{self.seen_numbers[number]}重复。")
        elif number:
            self.seen_numbers[number] = location(self.sheet, n)

        if self.errors > errors_before or self._row_unmapped:
            return None
        self._same_in_file(n, v)
        return ImportRow(n, v, pauses, ext[0], ext[1], self.sheet)

    def _choice(self, n: int, key: str, raw: dict[str, Any]) -> Any:
        """A listed value: the clerk's choice for this wording, else the desk's reading, else tallied as unmapped."""
        value = raw.get(key)
        if blank(value):
            return None
        written = str(int(value) if isinstance(value, float) and value.is_integer() else value).strip()
        chosen = self.values.get(key, written)
        if chosen is not None:
            return chosen
        memo = ("value", key, written)  # each distinct wording is read once
        if memo not in self._parsed:
            try:
                self._parsed[memo] = VALUE_PARSERS[key](written)
            except ValueError as exc:
                self._parsed[memo] = exc
        parsed = self._parsed[memo]
        if isinstance(parsed, ValueError):
            self.tally.unmapped_value(key, self._header(key), written, str(parsed), n, self.sheet)
            self._row_unmapped.add(key)
            return None
        if key == "outcome" and is_bare_group(written):
            self.tally.defaulted_value(key, self._header(key), written, parsed, n, self.sheet)
        return parsed

    def _header(self, key: str) -> str:
        return self.header_of.get(key, FIELDS_BY_KEY[key].header)

    def _infer_type(self, n: int, name: str, id_text: str) -> Any:
        """The applicant type from the name: the clerk's choice for this name, else the inference, listed."""
        chosen = self.values.get("applicant_type", name)
        if chosen is not None:
            return chosen
        inferred = infer_applicant_type(name, id_text, today=self.today)
        if inferred is None:
            self.tally.unmapped_value("applicant_type", self._header("applicant_type"), name,
                                      f"申请人类型未填写，无法从申请人名称“{name}”推定", n, self.sheet)
            self._row_unmapped.add("applicant_type")
            return None
        self.inferred += 1
        self._issue(n, "applicant_type", "inferred",
                    f"未填写申请人类型，按申请人“{name}”推定为{inferred.kind.label}（{inferred.because}），请核对。")
        return inferred.kind

    def _route(self, n: int, v: dict[str, Any], combined: str) -> None:
        """A value of the combined ID column into the ID number or the credit code (ledger_values.route_combined_id)."""
        target = route_combined_id(combined, v["applicant_type"], today=self.today)
        if not v[target]:
            v[target] = combined
            self.routed[target] = "id_or_code"
        elif re.sub(r"\s", "", v[target]).upper() != re.sub(r"\s", "", combined).upper():
            self._issue(n, "id_or_code", "warning",
                        f"与“{self._header(target)}”列不一致，以“{self._header(target)}”列为准。")

    def finish(self) -> list[ImportIssue]:
        """The issues about the file as a whole: each unmapped value once, with its count and rows."""
        out: list[ImportIssue] = []
        for u in self.tally.unmapped.values():
            out.append(ImportIssue(u.rows[0], u.column, "error", (
                f"{u.reason}。“{u.value}”共 {u.count} 行（{rows_text(u.rows)}）：请在“值对应”中为它选择一项，"
                f"所有这些行随之导入（命令行：--value {u.column}:{u.value}=代码）。"), u.sheet))
        for u in self.tally.defaulted.values():
            target = OUTCOMES_BY_CODE[u.reason]
            out.append(ImportIssue(u.rows[0], u.column, "warning", (
                f"办理结果“{u.value}”只写了大类，共 {u.count} 行（{rows_text(u.rows)}）按“{target.code} "
                f"其他处理：{target.label}”计入年度报告；如属其他情形，请在“值对应”中指定。"), u.sheet))
        if self.blank_channel_rows:
            out.append(ImportIssue(self.blank_channel_rows[0], self._header("channel"), "warning",
                                   f"{rows_text(self.blank_channel_rows)}未填写收到方式，记为“未记载”。",
                                   self.blank_channel_sheet))
        for key, value in self.values.unused():
            out.append(ImportIssue(0, self._header(key), "warning", f"值对应中的“{value}”在文件中没有出现。"))
        return out

    def _clean(self, n: int, key: str, value: Any) -> Any:
        """The cell without control characters (text.clean_text), with a warning when any were removed."""
        if not isinstance(value, str):
            return value
        cleaned = clean_text(value)
        if cleaned != value:
            self._issue(n, key, "warning", "含有不可见的控制字符（如 NUL、ESC、Word 换行符），已删除或改为换行。")
        return cleaned

    def _check_lengths(self, n: int, v: dict[str, Any]) -> None:
        # The form's limits (validation.FIELD_LIMITS), by the form's field names.
        form = {"name" if key == "applicant_name" else key: v[key] for key in
                ("applicant_name", "id_number", "credit_code", "contact_person", "phone", "address", "email",
                 "description", "note")}
        for issue in length_issues(form):
            self._issue(n, "applicant_name" if issue.field == "name" else issue.field, "error", issue.message + "。")

    def _check_identity(self, n: int, v: dict[str, Any]) -> None:
        kind = v["applicant_type"]
        number = re.sub(r"\s", "", v["id_number"]).upper()
        v["id_number"], v["id_type"] = number, "resident_id"
        if number:
            if re.fullmatch(r"\d{14,17}[\dX]", number):
                for issue in check_id_number(number, today=self.today).issues:
                    self._issue(n, "id_number", issue.severity, issue.message + "。")
            else:
                v["id_type"] = "other"
                self._issue(n, "id_number", "warning", "不是居民身份证号码的格式，已按“其他证件”导入。")
        code = re.sub(r"\s", "", v["credit_code"]).upper()
        v["credit_code"] = code
        if code:
            for issue in check_credit_code(code).issues:
                self._issue(n, "credit_code", issue.severity, issue.message + "。")
        for key, check in (("phone", check_phone), ("email", check_email)):
            if v[key]:
                for issue in check(v[key]).issues:
                    self._issue(n, key, "warning", issue.message + "。")
        if kind is not None:
            # The form's rule (validation.missing_items): what a supplement could supply is a
            # warning, never a refused row (docs/domain.md, "Registration and identity").
            form = {key: v[key] for key in ("id_number", "credit_code", "contact_person", "phone", "address",
                                            "email")}
            for item in missing_items(form, kind):
                key = "phone" if item.field == "contact" else item.field
                self._issue(n, key, "warning", f"未记载{item.detail}（{item.message}）。")

    def _check_dates(self, n: int, v: dict[str, Any], pauses: list[Any], ext: tuple[bool, date | None]) -> None:
        received = v["received_date"]
        for key in ("received_date", "supplement_notice_date", "supplemented_date", "reply_date", "delivered_date"):
            if v[key] is not None and v[key] > self.today:
                self._issue(n, key, "error", f"日期 {v[key]} 晚于今天。")
        if received is None:
            return
        for key in ("supplement_notice_date", "supplemented_date", "reply_date", "delivered_date"):
            if v[key] is not None and v[key] < received:
                self._issue(n, key, "error", f"日期 {v[key]} 早于收到日期 {received}。")
        if v["supplemented_date"] and not v["supplement_notice_date"]:
            self._issue(n, "supplemented_date", "error", "有收到补正日期，但没有补正告知日期。")
        elif v["supplemented_date"] and v["supplemented_date"] < v["supplement_notice_date"]:
            self._issue(n, "supplemented_date", "error", "收到补正日期早于补正告知日期。")
        if v["reply_date"] and v["outcome_code"] is None and not self._has_error(n, "outcome"):
            self._issue(n, "outcome", "error", "已填写答复日期，但没有办理结果。")
        if v["outcome_code"] and v["reply_date"] is None and not self._has_error(n, "reply_date"):
            self._issue(n, "reply_date", "error", "已填写办理结果，但没有答复日期。")
        if v["delivered_date"] and v["reply_date"] and v["delivered_date"] < v["reply_date"]:
            self._issue(n, "delivered_date", "error", f"送达日期早于答复日期 {v['reply_date']}。")
        if v["delivered_date"] and not v["reply_date"]:
            self._issue(n, "delivered_date", "error", "有送达日期，但没有答复日期。")
        if v["satisfaction"] and not v["reply_date"]:
            self._issue(n, "satisfaction", "warning", "尚未答复的申请不应有回访满意度，已忽略。")
            v["satisfaction"] = None
        for _, a, b in pauses:
            if a < received:
                self._issue(n, "pauses", "error", f"暂停开始日期 {a} 早于收到日期。")
            if v["reply_date"] and (b is None or b > v["reply_date"]):
                self._issue(n, "pauses", "error", f"暂停期间 {a} 至 {b or '今'} 超过了答复日期 {v['reply_date']}。")
        if ext[1] is not None and ext[1] < received:
            self._issue(n, "extension", "error", f"延期批准日期 {ext[1]} 早于收到日期。")
        if v["outcome_code"] == OutcomeCode.REPEAT_APPLICATION:
            self._issue(n, "outcome", "warning", "重复申请（5.2）未注明此前的申请，导入后可在案件中补记。")

    def _same_in_file(self, n: int, v: dict[str, Any]) -> None:
        if v["reg_number"]:
            return
        key = (v["received_date"], v["applicant_name"], v["description"])
        if key in self.seen_keys:
            self._issue(n, "description", "warning", f"与{self.seen_keys[key]}的收到日期、申请人和申请内容相同。")
        else:
            self.seen_keys[key] = location(self.sheet, n)

    def keep_new(self, rows: list[ImportRow]) -> list[ImportRow]:
        """``rows`` without those already in the database (reported as skipped), one query per batch.

        A row is the same request as a stored one by its registration number or,
        without one, by receipt date, applicant and description.
        """
        numbers = existing_numbers(self.session, [r.values["reg_number"] for r in rows if r.values["reg_number"]])
        keys = existing_keys(self.session, [(r.values["received_date"], r.values["applicant_name"],
                                             r.values["description"]) for r in rows if not r.values["reg_number"]])
        kept: list[ImportRow] = []
        for row in rows:
            v, sheet = row.values, self.sheet
            self.sheet = row.sheet
            number = v["reg_number"]
            if number and number in numbers:
                self._issue(row.row, "reg_number", "skip", f"登记编号 {number} 已在数据库中，不重复导入。")
                self.skipped += 1
            elif not number and (v["received_date"], v["applicant_name"], v["description"]) in keys:
                self._issue(row.row, "description", "skip",
                            "数据库中已有收到日期、申请人和申请内容都相同的申请，不重复导入。")
                self.skipped += 1
            else:
                kept.append(row)
                if v["unit"] and v["unit"] not in self.units:
                    self.new_units.add(v["unit"])
            self.sheet = sheet
        return kept
