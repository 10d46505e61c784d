"""Bringing an existing Excel/CSV register (历史台账) into Request Desk.

Two steps, as the clerk sees them:

1. ``plan_import`` reads the file (XLSX or CSV, UTF-8 or GB18030), finds the
   header row (title rows, merged cells and blank lines are skipped), maps the
   columns (``import_template.FIELDS``, or the user's mapping for headers that
   differ), parses every value and checks every row. Nothing is written; the
   plan lists every problem with row number, column and a Chinese message.
2. ``import_plan`` writes the plan in **one transaction**: every request with
   its clock (computed by the legal clock), timeline events, pauses,
   extension, assignment, satisfaction call and one audit entry. A plan with
   errors is refused; a failure or cancellation part way rolls everything
   back, so the database is exactly as before.

Importing the same file again adds nothing twice: a row whose registration
number (or, without one, whose receipt date, applicant and description)
already exists is skipped and reported.

Decisions for historical data: a missing ID number, contact or unit is a
warning; an ID number or credit code that fails its check character is an
error (fix it or clear it); phone and e-mail problems are warnings.
"""

from __future__ import annotations

import csv
import io
import re
import string
from collections.abc import Generator, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlmodel import Session

from request_desk.core.deadlines import holidays
from request_desk.core.cases import numbering
from request_desk.core.office import settings as office_settings
from request_desk.core.storage.audit import audit, event
from request_desk.core.deadlines.clock import ClockInput, PausePeriod, compute_clock
from request_desk.core.errors import ValidationFailed
from request_desk.core.transfer.template import (
    FIELDS,
    FIELDS_BY_KEY,
    HEADER_INDEX,
    normalise_header,
    parse_applicant_type,
    parse_channel,
    parse_date,
    parse_extension,
    parse_outcome,
    parse_pauses,
    parse_satisfaction,
)
from request_desk.core.storage.models import (
    Assignment,
    Counter,
    Extension,
    HandlingUnit,
    Pause,
    Request,
    SatisfactionCall,
)
from request_desk.core.reports.common import OFFICE_TZ, ExportProgress
from request_desk.core.text import clean_text, decode_text, has_visible, read_limited
from request_desk.core.cases.validation import (
    check_credit_code,
    check_email,
    check_id_number,
    check_phone,
    length_issues,
)
from request_desk.core.vocab import ApplicantType, PauseKind, Status, UnitLevel

IMPORT_ACTOR_NOTE = "自历史台账导入"
_HEADER_SCAN_ROWS = 20
# Running numbers of the old sheet carry no information; ignored without a warning.
IGNORED_HEADERS = frozenset({"序号", "序", "no", "no."})


@dataclass(frozen=True)
class ImportIssue:
    """One problem: ``row`` is the file's row number (0 for the file as a whole)."""

    row: int
    column: str
    severity: str  # "error" | "warning" | "skip"
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else "文件"
        col = f"“{self.column}”列" if self.column else ""
        kind = {"error": "错误", "warning": "提示", "skip": "跳过"}[self.severity]
        return f"{where}{col}【{kind}】{self.message}"


@dataclass
class ImportRow:
    """A parsed, checked row, ready to be written."""

    row: int
    values: dict[str, Any]
    pauses: list[tuple[PauseKind, date, date | None]] = field(default_factory=list)
    extended: bool = False
    extension_date: date | None = None


@dataclass
class ImportPlan:
    path: Path
    mapping: dict[int, str]  # file column index -> field key
    headers: list[str]
    header_row: int
    rows: list[ImportRow]
    issues: list[ImportIssue]
    skipped: int = 0
    new_units: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[ImportIssue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        lines = [f"可导入 {len(self.rows)} 件，已存在跳过 {self.skipped} 件，错误 {len(self.errors)} 处，"
                 f"提示 {sum(i.severity == 'warning' for i in self.issues)} 处。"]
        if self.new_units:
            lines.append("将新建承办单位：" + "、".join(self.new_units))
        return "\n".join(lines)


# --------------------------------------------------------------------------
# Reading the file
# --------------------------------------------------------------------------


# A ledger is years of one office's requests; anything far larger is a wrong file,
# and reading it whole would only exhaust the PC's memory before saying so.
MAX_ROWS = 200_000
MAX_BYTES = 200 * 1024 * 1024
# Encrypted .xlsx files and old .xls files are OLE compound documents, not zips.
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _read_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """(row number as the user sees it, cell values) for every row of the first sheet."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ValidationFailed(f"无法读取文件 {path.name}：{exc.strerror or exc}") from exc
    if size > MAX_BYTES:
        raise ValidationFailed(f"{path.name} 有 {size / 1024 / 1024:.0f} MB，超过导入上限 {MAX_BYTES // 1024 // 1024} MB："
                               "请确认选对了文件，或按年度拆分后分批导入。")
    for n, row in _rows_of(path, head):
        if n > MAX_ROWS:
            raise ValidationFailed(f"{path.name} 超过 {MAX_ROWS:,} 行：请确认选对了文件，或按年度拆分后分批导入。")
        yield n, row


def _rows_of(path: Path, head: bytes) -> Iterator[tuple[int, list[Any]]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        if head == _OLE_SIGNATURE:
            raise ValidationFailed(f"{path.name} 设置了打开密码，或是旧版 .xls 格式：请在 Excel 中取消密码，"
                                   "另存为 .xlsx 后再导入。")
        if suffix == ".xls" or not head.startswith(b"PK"):
            raise ValidationFailed(f"{path.name} 不是 Excel 工作簿（.xlsx）：文件内容与扩展名不符，请确认选对了文件。")
        from openpyxl import load_workbook

        check_zip_members(path)
        try:
            wb = load_workbook(path, read_only=True, data_only=True)
            try:
                for n, row in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1):
                    yield n, list(row)
            finally:
                wb.close()
        except ValidationFailed:
            raise
        except Exception as exc:  # BadZipFile, KeyError, EOFError, XML errors of a cut-off file …
            raise ValidationFailed(f"无法读取 Excel 文件 {path.name}：文件不完整或已损坏（{_damage(exc)}）。"
                                   "请在 Excel 中打开确认后重新保存。") from exc
        return
    if suffix in (".csv", ".txt"):
        text = decode_text(read_limited(path, MAX_BYTES, "导入文件"), path.name)
        try:
            for n, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
                yield n, row
        except csv.Error as exc:
            raise ValidationFailed(f"{path.name} 不是有效的 CSV 文件：{exc}") from exc
        return
    raise ValidationFailed(f"不支持的文件类型 {path.suffix or '（无扩展名）'}：请使用 .xlsx 或 .csv 文件（旧版 .xls 请先另存为 .xlsx）。")


# Zip bombs (issue 11, item 14): openpyxl holds the shared strings in memory whole,
# so one highly compressed 1 GiB string took 2.2 GB. The sizes a zip declares
# bound what zipfile will ever inflate (it stops at ``file_size``), so checking
# them before parsing is enough. A real ledger's parts are a few tens of MB and
# compress 5-20 times; 200 000 rows stay well inside these limits.
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 100
_RATIO_FROM_BYTES = 1024 * 1024  # tiny parts compress oddly; only larger ones are held to the ratio


def check_zip_members(path: Path) -> None:
    """Refuse an .xlsx whose parts would unpack to more than the limits, before any is read."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationFailed(f"无法读取 Excel 文件 {path.name}：文件不完整或已损坏（{_damage(exc)}）。"
                               "请在 Excel 中打开确认后重新保存。") from exc
    total = 0
    for m in members:
        total += m.file_size
        ratio = m.file_size / max(m.compress_size, 1)
        if m.file_size > MAX_MEMBER_BYTES or (m.file_size > _RATIO_FROM_BYTES and ratio > MAX_RATIO):
            raise ValidationFailed(
                f"{path.name} 中的部件 {m.filename} 解压后有 {m.file_size / 1024 / 1024:,.0f} MB"
                f"（压缩比 {ratio:,.0f} 倍），超出正常台账的范围（每个部件最多 {MAX_MEMBER_BYTES // 1024 // 1024} MB、"
                f"压缩比最多 {MAX_RATIO} 倍）：文件可能已损坏或是恶意构造的，未导入。")
    if total > MAX_UNZIPPED_BYTES:
        raise ValidationFailed(f"{path.name} 解压后共有 {total / 1024 / 1024:,.0f} MB，超过 "
                               f"{MAX_UNZIPPED_BYTES // 1024 // 1024} MB 的上限：请按年度拆分后分批导入。")


def _damage(exc: BaseException) -> str:
    """What is wrong, in Chinese, for the message: never empty (a MemoryError or bare KeyError has no text)."""
    import zipfile

    detail = f"：{exc}" if str(exc) else ""
    if isinstance(exc, zipfile.BadZipFile):
        return "不是完整的 Excel 压缩包，可能只复制或下载了一部分" + detail
    if isinstance(exc, EOFError):
        return "文件在中途被截断" + detail
    if isinstance(exc, KeyError):
        return "缺少工作簿的组成部分" + detail
    if type(exc).__name__ in ("ParseError", "XMLSyntaxError"):  # ElementTree's or lxml's
        return "工作簿内部的 XML 内容不完整或有误" + detail
    if isinstance(exc, IndexError):
        return "工作簿中没有工作表"
    if isinstance(exc, MemoryError):
        return "内容过大，内存不足"
    return f"{type(exc).__name__}{detail}"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not has_visible(value))


def _find_header(rows: list[tuple[int, list[Any]]], user: Mapping[str, str]) -> int | None:
    """Index in ``rows`` of the first row that names at least three known columns."""
    known = {normalise_header(k) for k in user} | set(HEADER_INDEX)
    for i, (_, cells) in enumerate(rows[:_HEADER_SCAN_ROWS]):
        if sum(normalise_header(c) in known for c in cells if not _blank(c)) >= 3:
            return i
    return None


def plan_import(db: Any, path: Path | str, *, mapping: Mapping[str, str] | None = None,
                today: date | None = None) -> ImportPlan:
    """Read and check ``path`` without writing anything.

    ``mapping`` maps a header of the file to a field key of ``FIELDS`` (or to
    "" to ignore that column), for ledgers whose headers differ.
    """
    path = Path(path)
    today = today or date.today()
    user = {normalise_header(k): v for k, v in (mapping or {}).items()}
    all_rows = list(_read_rows(path))
    h = _find_header(all_rows, mapping or {})
    if h is None:
        raise ValidationFailed(
            f"{path.name} 的前{_HEADER_SCAN_ROWS}行中没有找到列名行：请使用本软件导出的导入模板，"
            "或在“列对应”中指定各列的含义。")
    header_row, header_cells = all_rows[h]
    headers = ["" if _blank(c) else str(c).strip() for c in header_cells]
    issues: list[ImportIssue] = []
    col_map: dict[int, str] = {}
    for i, name in enumerate(headers):
        if not name:
            continue
        norm = normalise_header(name)
        key = user.get(norm, HEADER_INDEX.get(norm))
        if key is None and norm in IGNORED_HEADERS:
            continue
        if key is None:
            issues.append(ImportIssue(0, name, "warning", "无法识别此列，已忽略（可在“列对应”中指定）。"))
            continue
        if key == "":
            continue
        if key not in FIELDS_BY_KEY:
            raise ValidationFailed(f"列对应中的“{key}”不是可导入的字段。")
        if key in col_map.values():
            issues.append(ImportIssue(0, name, "error", f"与另一列都对应“{FIELDS_BY_KEY[key].header}”，请只保留一列。"))
            continue
        col_map[i] = key
    missing = [f.header for f in FIELDS if f.required and f.key not in col_map.values()]
    if missing:
        issues.append(ImportIssue(0, "", "error", "缺少必填列：" + "、".join(missing) + "。"))
        return ImportPlan(path, col_map, headers, header_row, [], issues)

    with db.read() as session:
        checker = _RowChecker(session, col_map, headers, today)
        plan_rows: list[ImportRow] = []
        for n, cells in all_rows[h + 1:]:
            if all(_blank(c) for c in cells):
                continue
            parsed = checker.check(n, cells)
            if parsed is not None:
                plan_rows.append(parsed)
        plan = ImportPlan(path, col_map, headers, header_row, plan_rows, issues + checker.issues,
                          checker.skipped, sorted(checker.new_units))
    return plan


class _RowChecker:
    def __init__(self, session: Session, col_map: dict[int, str], headers: list[str], today: date) -> None:
        self.session, self.col_map, self.headers, self.today = session, col_map, headers, today
        self.header_of = {key: headers[i] for i, key in col_map.items()}
        self.issues: list[ImportIssue] = []
        self.skipped = 0
        self.seen_numbers: dict[str, int] = {}
        self.seen_keys: dict[tuple[Any, ...], int] = {}
        self.new_units: set[str] = set()
        self.units = {name: uid for uid, name in session.execute(select(HandlingUnit.id, HandlingUnit.name))}

    def _issue(self, row: int, key: str, severity: str, message: str) -> None:
        self.issues.append(ImportIssue(row, self.header_of.get(key, FIELDS_BY_KEY[key].header if key in FIELDS_BY_KEY else key),
                                       severity, message))

    def _has_error(self, row: int, key: str) -> bool:
        header = self.header_of.get(key, FIELDS_BY_KEY[key].header)
        return any(i.row == row and i.severity == "error" and i.column == header for i in self.issues)

    def check(self, n: int, cells: list[Any]) -> ImportRow | None:
        raw = {key: self._clean(n, key, cells[i]) if i < len(cells) else None for i, key in self.col_map.items()}
        v: dict[str, Any] = {}
        errors_before = len([i for i in self.issues if i.severity == "error"])

        def text(key: str) -> str:
            value = raw.get(key)
            if _blank(value):
                return ""
            if isinstance(value, float) and value.is_integer():
                value = int(value)  # a number typed into a text column: 13912345678.0
            return str(value).strip()

        def parsed(key: str, parser: Any, required: bool = False) -> Any:
            value = raw.get(key)
            if _blank(value):
                if required:
                    self._issue(n, key, "error", "必填项为空。")
                return None
            try:
                return parser(value if not isinstance(value, str) else value.strip())
            except ValueError as exc:
                self._issue(n, key, "error", str(exc) + "。")
                return None

        for key in ("reg_number", "applicant_name", "id_number", "credit_code", "contact_person", "phone", "address",
                    "email", "description", "unit", "delivery_channel", "note"):
            v[key] = text(key)
        for key in ("applicant_name", "description"):
            if not v[key]:
                self._issue(n, key, "error", "必填项为空。")
        v["received_date"] = parsed("received_date", parse_date, required=True)
        v["channel"] = parsed("channel", parse_channel, required=True)
        v["applicant_type"] = parsed("applicant_type", parse_applicant_type, required=True)
        for key in ("supplement_notice_date", "supplemented_date", "reply_date", "delivered_date"):
            v[key] = parsed(key, parse_date)
        v["outcome_code"] = parsed("outcome", parse_outcome)
        v["satisfaction"] = parsed("satisfaction", parse_satisfaction)
        ext = parsed("extension", parse_extension) or (False, None)
        pauses = parsed("pauses", parse_pauses) or []
        self._check_identity(n, v)
        self._check_dates(n, v, pauses, ext)
        self._check_lengths(n, v)
        number = v["reg_number"]
        if number in self.seen_numbers:
            self._issue(n, "reg_number", "error", f"登记编号与第{self.seen_numbers[number]}行重复。")
        elif number:
            self.seen_numbers[number] = n

        if len([i for i in self.issues if i.severity == "error"]) > errors_before:
            return None
        if self._duplicate(n, v):
            return None
        if v["unit"] and v["unit"] not in self.units:
            self.new_units.add(v["unit"])
        return ImportRow(n, v, pauses, ext[0], ext[1])

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
        elif kind is ApplicantType.NATURAL_PERSON:
            self._issue(n, "id_number", "warning", "自然人申请未记载身份证件号码。")
        code = re.sub(r"\s", "", v["credit_code"]).upper()
        v["credit_code"] = code
        if code:
            for issue in check_credit_code(code).issues:
                self._issue(n, "credit_code", issue.severity, issue.message + "。")
        for key, check in (("phone", check_phone), ("email", check_email)):
            if v[key]:
                for issue in check(v[key]).issues:
                    self._issue(n, key, "warning", issue.message + "。")
        if not (v["phone"] or v["address"] or v["email"]):
            self._issue(n, "phone", "warning", "未记载任何联系方式。")

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
        if v["outcome_code"] == "5.2":
            self._issue(n, "outcome", "warning", "重复申请（5.2）未注明此前的申请，导入后可在案件中补记。")

    def _duplicate(self, n: int, v: dict[str, Any]) -> bool:
        number = v["reg_number"]
        if number:
            if self.session.execute(select(Request.id).where(Request.reg_number == number)).first():
                self._issue(n, "reg_number", "skip", f"登记编号 {number} 已在数据库中，不重复导入。")
                self.skipped += 1
                return True
            return False
        key = (v["received_date"], v["applicant_name"], v["description"])
        if key in self.seen_keys:
            self._issue(n, "description", "warning", f"与第{self.seen_keys[key]}行的收到日期、申请人和申请内容相同。")
        self.seen_keys[key] = n
        exists = self.session.execute(select(Request.id).where(
            tuple_(Request.received_date, Request.applicant_name, Request.description) == tuple_(*key))).first()
        if exists:
            self._issue(n, "description", "skip", "数据库中已有收到日期、申请人和申请内容都相同的申请，不重复导入。")
            self.skipped += 1
            return True
        return False


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def _number_regex(pattern: str) -> re.Pattern[str]:
    """A regex that reads (year, seq) back out of a number made by the office's pattern."""
    parts = []
    for literal, name, _spec, _conv in string.Formatter().parse(pattern):
        parts.append(re.escape(literal))
        if name == "year":
            parts.append(r"(?P<year>\d{4})")
        elif name == "seq":
            parts.append(r"(?P<seq>\d+)")
    return re.compile("".join(parts))


def import_plan(db: Any, plan: ImportPlan, actor: str, *, today: date | None = None,
                batch: int = 200) -> Generator[ExportProgress, None, int]:
    """Write a checked plan in one transaction; yields progress; returns the number of requests added."""
    if not plan.ok:
        raise ValidationFailed(f"导入文件有 {len(plan.errors)} 处错误，请修正后重新检查；数据库未作任何改动。")
    today = today or date.today()
    total = len(plan.rows)
    yield ExportProgress(0, total, f"正在导入 {plan.path.name}…")
    with db.write() as session:
        writer = _Writer(session, actor, today, plan.path.name)
        for i, row in enumerate(plan.rows, start=1):
            writer.add(row)
            if i % batch == 0:
                session.flush()
                yield ExportProgress(i, total, f"已导入 {i:,} / {total:,} 件")
        audit(session, actor, "import_file", "request", None, None,
              {"file": plan.path.name, "rows": total, "skipped": plan.skipped, "units_created": writer.created_units})
        yield ExportProgress(total, total, "正在提交…")
    return total


class _Writer:
    def __init__(self, session: Session, actor: str, today: date, file_name: str) -> None:
        self.session, self.actor, self.today, self.file_name = session, actor, today, file_name
        self.conf = office_settings.load(session)
        self.cal = holidays.calendar(session)
        self.number_re = _number_regex(self.conf.registration_pattern)
        self.units = {name: uid for uid, name in session.execute(select(HandlingUnit.id, HandlingUnit.name))}
        self.created_units: list[str] = []
        self.added_keys: set[tuple[Any, ...]] = set()

    def _check_not_imported(self, row: ImportRow) -> None:
        """Refuse a row another desk stored after the check (issue 11, item 15).

        ``plan_import`` looked in a read transaction; two desks importing the same
        ledger at once both found nothing and both wrote every row. Here the
        same lookup runs inside the write transaction, which holds the write
        lock from its start (BEGIN IMMEDIATE), so the second import sees the
        first one's rows and is rolled back whole. Identical rows of this very
        file (a warning in the plan) are not held against each other.
        """
        v = row.values
        if v["reg_number"]:
            if self.session.execute(select(Request.id).where(Request.reg_number == v["reg_number"])).first():
                raise ValidationFailed(f"第{row.row}行：登记编号 {v['reg_number']} 在检查之后已被他人登记或导入，"
                                       "本次导入未执行，数据库未作任何改动；请重新检查。")
            return
        key = (v["received_date"], v["applicant_name"], v["description"])
        if key not in self.added_keys and self.session.execute(select(Request.id).where(
                tuple_(Request.received_date, Request.applicant_name, Request.description) == tuple_(*key))).first():
            raise ValidationFailed(f"第{row.row}行：数据库中已有收到日期、申请人和申请内容都相同的申请——"
                                   f"{self.file_name} 可能已由另一台电脑导入。本次导入未执行，数据库未作任何改动；"
                                   "请重新检查，已导入的行将被跳过。")
        self.added_keys.add(key)

    def _unit(self, name: str) -> int | None:
        if not name:
            return None
        if name not in self.units:
            unit = HandlingUnit(name=name, level=UnitLevel.DEPARTMENT.value, note=IMPORT_ACTOR_NOTE)
            self.session.add(unit)
            self.session.flush()
            assert unit.id is not None
            self.units[name] = unit.id
            self.created_units.append(name)
            audit(self.session, self.actor, "import_unit", "handlingunit", unit.id, None, {"name": name})
        return self.units[name]

    def _number(self, reg_number: str, received: date) -> tuple[int, int, str]:
        m = self.number_re.fullmatch(reg_number) if reg_number else None
        if m and "seq" in m.groupdict():
            year = int(m.group("year")) if m.groupdict().get("year") else received.year
            seq = int(m.group("seq"))
            if self.conf.format_registration(year, seq) == reg_number:
                taken = self.session.execute(select(Request.id).where(Request.year == year, Request.seq == seq)).first()
                if taken:
                    raise ValidationFailed(f"登记编号 {reg_number} 的年份和序号已被另一件申请使用。")
                counter = self.session.get(Counter, (numbering.REGISTRATION, year))
                if counter is None:
                    self.session.add(Counter(name=numbering.REGISTRATION, year=year, value=seq))
                elif counter.value < seq:
                    counter.value = seq
                    self.session.add(counter)
                self.session.flush()
                return year, seq, reg_number
        year = received.year
        seq = numbering.next_number(self.session, numbering.REGISTRATION, year)
        return year, seq, reg_number or self.conf.format_registration(year, seq)

    def add(self, row: ImportRow) -> None:
        v = row.values
        self._check_not_imported(row)
        year, seq, number = self._number(v["reg_number"], v["received_date"])
        unit_id = self._unit(v["unit"])
        start = v["supplemented_date"] or v["received_date"]
        clock = compute_clock(
            self.cal,
            ClockInput(received=v["received_date"], supplemented=v["supplemented_date"],
                       pauses=tuple(PausePeriod(a, b, k.value) for k, a, b in row.pauses), extended=row.extended),
            today=self.today, amber_days=self.conf.amber_days, exclude_fee_pauses=self.conf.exclude_fee_pauses)
        outcome = v["outcome_code"]
        status = _status(v, row, unit_id)
        request = Request(
            year=year, seq=seq, reg_number=number, channel=v["channel"].value, received_date=v["received_date"],
            applicant_type=v["applicant_type"].value, applicant_name=v["applicant_name"], id_type=v["id_type"],
            id_number=v["id_number"], credit_code=v["credit_code"], contact_person=v["contact_person"],
            phone=v["phone"], address=v["address"], email=v["email"], description=v["description"],
            status=status.value, outcome_code=outcome, current_unit_id=unit_id,
            supplement_notice_date=v["supplement_notice_date"], supplemented_date=v["supplemented_date"],
            reply_date=v["reply_date"], delivered_date=v["delivered_date"], delivery_channel=v["delivery_channel"],
            replied_on_time=None if v["reply_date"] is None else v["reply_date"] <= clock.reply_due,
            supplement_due_date=clock.supplement_notice_due, due_date=clock.reply_due,
            due_provisional=clock.provisional, note=v["note"], created_by=self.actor,
        )
        if v["supplement_notice_date"]:
            request.supplement_notice_late = v["supplement_notice_date"] > clock.supplement_notice_due
        self.session.add(request)
        self.session.flush()
        rid = request.id
        assert rid is not None
        where = f"{IMPORT_ACTOR_NOTE}（{self.file_name} 第{row.row}行）"
        event(self.session, rid, "registered", v["received_date"], self.actor, where, {"reg_number": number})
        if unit_id is not None:
            self.session.add(Assignment(request_id=rid, unit_id=unit_id, assigned_date=start,
                                        assigned_by=self.actor, note=IMPORT_ACTOR_NOTE))
        if v["supplement_notice_date"]:
            event(self.session, rid, "request_supplement", v["supplement_notice_date"], self.actor, IMPORT_ACTOR_NOTE)
        if v["supplemented_date"]:
            event(self.session, rid, "receive_supplement", v["supplemented_date"], self.actor, IMPORT_ACTOR_NOTE)
        for kind, a, b in row.pauses:
            self.session.add(Pause(request_id=rid, kind=kind.value, start_date=a, end_date=b,
                                   previous_status=Status.IN_PROGRESS.value, counterpart="（历史台账未记载）",
                                   note=IMPORT_ACTOR_NOTE))
        if row.extended:
            approved = row.extension_date or min(clock.base_due, v["reply_date"] or clock.base_due)
            self.session.add(Extension(request_id=rid, approver="（历史台账）", reason=IMPORT_ACTOR_NOTE,
                                       approved_date=approved))
        if v["reply_date"]:
            event(self.session, rid, "reply", v["reply_date"], self.actor, IMPORT_ACTOR_NOTE, {"outcome": outcome})
        if v["delivered_date"]:
            event(self.session, rid, "deliver", v["delivered_date"], self.actor, IMPORT_ACTOR_NOTE)
        if v["satisfaction"] is not None:
            called = v["delivered_date"] or v["reply_date"]
            self.session.add(SatisfactionCall(
                request_id=rid, called_at=datetime.combine(called, time(12), OFFICE_TZ).astimezone(UTC),
                caller=self.actor, reached=True, satisfaction=v["satisfaction"].value, note=IMPORT_ACTOR_NOTE))
        audit(self.session, self.actor, "import", "request", rid, None,
              {"reg_number": number, "file": self.file_name, "row": row.row})


def _status(v: dict[str, Any], row: ImportRow, unit_id: int | None) -> Status:
    outcome = v["outcome_code"]
    if outcome in ("6.1", "6.2"):
        return Status.DEEMED_WITHDRAWN
    if outcome is not None:
        return Status.DELIVERED if v["delivered_date"] else Status.REPLIED
    if any(b is None for _, _, b in row.pauses):
        return Status.PAUSED
    if v["supplement_notice_date"] and not v["supplemented_date"]:
        return Status.AWAITING_SUPPLEMENT
    if row.extended:
        return Status.EXTENDED
    if unit_id is not None:
        return Status.IN_PROGRESS
    return Status.SUPPLEMENTED if v["supplemented_date"] else Status.REGISTERED


def count_requests(db: Any) -> int:
    with db.read() as session:
        return int(session.execute(select(func.count()).select_from(Request)).scalar_one())
