"""The pages of the setup assistant (初始设置), one question each.

Each page reads its starting values from the stored settings (an assistant opened
again shows what the office has) and hands its answers back as plain values;
``setup_assistant.SetupAssistant`` stores them together when the office finishes.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from request_desk.core.deadlines.case_clock import read_clock
from request_desk.core.deadlines.workcalendar import SOURCE_LABELS
from request_desk.core.errors import DeskError
from request_desk.core.office import settings as office_settings
from request_desk.core.office.settings import OfficeSettings
from request_desk.gui.context import DeskContext
from request_desk.gui.pages.settings import SETTING_GUIDANCE, CalendarPanel

ERROR_STYLE = "color: #b3261e"
HELP_STYLE = "color: #555; font-size: 12px"

# 某府依复〔2026〕1号: the usual shape (GB/T 9704: 机关代字, year in 六角括号, sequence without padding).
_DOCUMENT = re.compile(r"^(?P<prefix>[^{}]*)〔\{year\}〕\{seq\}号$")
_REGISTRATION = re.compile(r"^\{year\}-\{seq:0(?P<digits>\d)d\}$")
REGISTRATION_DIGITS = (3, 4, 5, 6)
SAMPLE_PATTERN = OfficeSettings().document_number_pattern


def document_pattern(prefix: str) -> str:
    """The document-number pattern for a 机关代字 such as 某府依复 (braces typed are kept as text)."""
    return prefix.strip().replace("{", "{{").replace("}", "}}") + "〔{year}〕{seq}号"


def registration_pattern(digits: int) -> str:
    return f"{{year}}-{{seq:0{digits}d}}"


def _help(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(HELP_STYLE)
    return label


def _line(text: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(text)
    edit.setPlaceholderText(placeholder)
    return edit


class _Page(QWizardPage):
    """A page that may go on once its required fields hold text.

    Not ``registerField("name*")``: Qt counts a mandatory field as empty while it holds
    its first value, so an assistant opened again (details prefilled) could not go on.
    """

    def __init__(self) -> None:
        super().__init__()
        self.required: list[QLineEdit] = []

    def require(self, *edits: QLineEdit) -> None:
        for edit in edits:
            self.required.append(edit)
            edit.textChanged.connect(self.completeChanged)

    def isComplete(self) -> bool:  # noqa: N802
        return all(edit.text().strip() for edit in self.required)


class OfficePage(_Page):
    """机关信息: the agency's name and how applicants reach it."""

    def __init__(self, conf: OfficeSettings) -> None:
        super().__init__()
        self.setTitle("机关信息")
        self.setSubTitle("这些信息印在每一份文书的落款和联系方式中。带 * 的为必填项。")
        example, guidance = SETTING_GUIDANCE["agency_name"]
        self.agency_name = _line(conf.agency_name, example)
        self.address = _line(conf.address, "例：宿迁市宿城区洪泽湖路88号")
        self.contact_person = _line(conf.contact_person, "例：李晓")
        self.contact_phone = _line(conf.contact_phone, "例：0527-84367000")
        form = QFormLayout(self)
        form.addRow("机关名称*", self.agency_name)
        form.addRow("", _help(guidance))
        form.addRow("通信地址", self.address)
        form.addRow("联系人", self.contact_person)
        form.addRow("联系电话", self.contact_phone)
        self.require(self.agency_name)

    def values(self) -> dict[str, object]:
        return {"agency_name": self.agency_name.text().strip(), "address": self.address.text().strip(),
                "contact_person": self.contact_person.text().strip(),
                "contact_phone": self.contact_phone.text().strip()}


class NumberPage(QWizardPage):
    """文号: the document number as 机关代字 + year + sequence, shown as the numbers it gives."""

    def __init__(self, conf: OfficeSettings, today: date) -> None:
        super().__init__()
        self.today = today
        self.setTitle("文号")
        self.setSubTitle("本机关发出的答复书、告知书等文书的编号（文号），以及收到申请时的登记编号。")
        doc = _DOCUMENT.match(conf.document_number_pattern)
        reg = _REGISTRATION.match(conf.registration_pattern)
        # The shipped default's "X政信公开" is a sample: a new office types its own 机关代字.
        prefix = doc["prefix"] if doc and conf.document_number_pattern != SAMPLE_PATTERN else ""
        self.prefix = _line(prefix.replace("{{", "{").replace("}}", "}"), "例：宿城府依复")
        self.digits = QComboBox()
        for n in REGISTRATION_DIGITS:
            self.digits.addItem(f"{today.year}-{1:0{n}d}（序号{n}位）", n)
        self.digits.setCurrentIndex(self.digits.findData(int(reg["digits"]) if reg else 5))
        self.expert = QCheckBox("直接编辑编号格式（熟悉占位符的管理员使用）")
        self.raw_document = _line(conf.document_number_pattern)
        self.raw_registration = _line(conf.registration_pattern)
        self.raw_box = QWidget()
        raw = QFormLayout(self.raw_box)
        raw.setContentsMargins(0, 0, 0, 0)
        raw.addRow("文号格式", self.raw_document)
        raw.addRow("登记编号格式", self.raw_registration)
        raw.addRow("", _help("{year} 为年份，{seq} 为当年序号；{seq:05d} 表示序号补足5位。"))
        self.example = QLabel()
        self.example.setObjectName("number_example")
        self.example.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("机关代字", self.prefix)
        form.addRow("", _help("文号由机关代字、年份（用六角括号〔〕括入）和当年序号组成，序号不编虚位，"
                              "如“宿城府依复〔2026〕1号”（GB/T 9704）。每年从1号重新编起。"))
        form.addRow("登记编号", self.digits)
        form.addRow(self.expert)
        form.addRow(self.raw_box)
        form.addRow("示例", self.example)
        # Raw editing only if the stored pattern has another shape (or the office asks for it).
        self.expert.setChecked(doc is None or reg is None)
        self.raw_box.setVisible(self.expert.isChecked())
        self.expert.toggled.connect(self._expert_toggled)
        for edit in (self.prefix, self.raw_document, self.raw_registration):
            edit.textChanged.connect(self._update)
        self.digits.currentIndexChanged.connect(self._update)
        self.problem = ""
        self._update()

    def _expert_toggled(self, on: bool) -> None:
        if on:  # start raw editing from what the friendly fields give
            doc, reg = self.friendly_patterns()
            self.raw_document.setText(doc)
            self.raw_registration.setText(reg)
        self.raw_box.setVisible(on)
        self._update()

    def patterns(self) -> tuple[str, str]:
        """(document-number pattern, registration pattern) as chosen."""
        if self.expert.isChecked():
            return self.raw_document.text().strip(), self.raw_registration.text().strip()
        return self.friendly_patterns()

    def friendly_patterns(self) -> tuple[str, str]:
        return document_pattern(self.prefix.text()), registration_pattern(int(self.digits.currentData()))

    def _update(self) -> None:
        doc, reg = self.patterns()
        year = self.today.year
        try:
            if not self.expert.isChecked() and not self.prefix.text().strip():
                raise ValueError("请填写机关代字，如“宿城府依复”。")
            office_settings.check_pattern("document_number_pattern", doc)
            office_settings.check_pattern("registration_pattern", reg)
        except (DeskError, ValueError) as exc:
            self.problem = str(exc)
            self.example.setStyleSheet(ERROR_STYLE)
            self.example.setText(self.problem)
        else:
            self.problem = ""
            conf = OfficeSettings(document_number_pattern=doc, registration_pattern=reg)
            self.example.setStyleSheet("")
            self.example.setText(
                f"本年第一份文书：<b>{conf.format_document_number(year, 1)}</b>，第二份："
                f"{conf.format_document_number(year, 2)}；明年第一份：{conf.format_document_number(year + 1, 1)}<br>"
                f"本年第一件申请的登记编号：<b>{conf.format_registration(year, 1)}</b>")
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return not self.problem

    def values(self) -> dict[str, object]:
        doc, reg = self.patterns()
        return {"document_number_pattern": doc, "registration_pattern": reg}


class RemediesPage(_Page):
    """救济途径: where the applicant may seek reconsideration and sue, with the rules that decide it."""

    NAMES = (("reconsideration_body", "行政复议机关*"), ("court", "管辖人民法院*"),
             ("reconsideration_online", "网上申请行政复议渠道"))

    def __init__(self, conf: OfficeSettings) -> None:
        super().__init__()
        self.setTitle("救济途径")
        self.setSubTitle("答复书告知申请人：不服答复的，可以向哪个机关申请行政复议、向哪个法院提起行政诉讼。")
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        for name, label in self.NAMES:
            example, guidance = SETTING_GUIDANCE[name]
            edit = _line(str(getattr(conf, name)), example)
            self.edits[name] = edit
            form.addRow(label, edit)
            help_text = _help(guidance)
            help_text.setObjectName(f"guidance_{name}")
            form.addRow("", help_text)
            if label.endswith("*"):
                self.require(edit)

    def values(self) -> dict[str, object]:
        return {name: edit.text().strip() for name, edit in self.edits.items()}


class UnitsPage(QWizardPage):
    """承办单位: the first units cases are routed to, one per line."""

    def __init__(self, existing: list[str]) -> None:
        super().__init__()
        self.setTitle("承办单位")
        self.setSubTitle("分办申请时选择的承办单位（本机关内设机构或下属部门）。每行一个；以后可在“承办单位”页"
                         "增加、修改上下级关系和联系人。")
        self.lines = QPlainTextEdit()
        self.lines.setPlaceholderText("例：\n区教育局\n区民政局\n区住房和城乡建设局")
        self.existing = QLabel("已有承办单位：" + "、".join(existing) if existing else "尚无承办单位。")
        self.existing.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.lines, 1)
        layout.addWidget(self.existing)

    def names(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.lines.toPlainText().splitlines() if line.strip())


class AdminPage(_Page):
    """管理员: the person running the assistant becomes the office's first administrator."""

    def __init__(self, username: str, display_name: str) -> None:
        super().__init__()
        self.setTitle("管理员")
        self.setSubTitle("管理员可以修改机关设置、管理用户（新增、停用、更改角色）和查询审计日志。"
                         "通常由运行本初始设置的您担任。")
        self.username = _line(username, "登录用户名")
        self.display_name = _line(display_name, "例：张晓")
        self.password = _line("", "至少8位，含字母和数字")
        self.password_again = _line("", "再输入一次")
        for edit in (self.password, self.password_again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.mismatch = QLabel()
        self.mismatch.setObjectName("password_mismatch")
        self.mismatch.setStyleSheet("color: #b3261e")
        form = QFormLayout(self)
        form.addRow("用户名*", self.username)
        form.addRow("姓名*", self.display_name)
        form.addRow("登录密码*", self.password)
        form.addRow("确认密码*", self.password_again)
        form.addRow("", self.mismatch)
        form.addRow("", _help("用户名预先填写为您当前的登录名。姓名显示在办理记录、审批和审计日志中。"
                              "密码只以加密摘要保存，任何人（包括管理员）都无法查看；忘记时由另一位管理员重置。"))
        self.require(self.username, self.display_name, self.password, self.password_again)
        self.password_again.textChanged.connect(self._compare)
        self.password.textChanged.connect(self._compare)

    def _compare(self) -> None:
        again = self.password_again.text()
        self.mismatch.setText("两次输入的密码不一致。" if again and again != self.password.text() else "")

    def isComplete(self) -> bool:  # noqa: N802
        return super().isComplete() and self.password.text() == self.password_again.text()


class HolidayPage(QWizardPage):
    """节假日: whether this year's and next year's State Council holiday notices are in, and importing one."""

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setTitle("节假日")
        self.setSubTitle("答复期限按工作日计算，须依据国务院办公厅每年发布的放假通知（含调休上班日）。")
        self.status = QLabel()
        self.status.setObjectName("holiday_status")
        self.status.setWordWrap(True)
        self.calendar = CalendarPanel(ctx)  # its import button reads a notice file, as on the settings page
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.calendar, 1)
        ctx.signals.requests_changed.connect(self.refresh)  # a notice imported (the panel says so)
        self.refresh()

    def refresh(self) -> None:
        today = self.ctx.today()
        cal = read_clock(self.ctx.db, today).calendar
        lines = []
        for year in (today.year, today.year + 1):
            source = cal.source_of(year)
            if source == "provisional":
                lines.append(f"<b>{year}年：尚未导入放假通知。</b>答复期限暂按法定节日推算，标为“暂定”；"
                             "国务院办公厅发布通知后，请点击“导入国务院放假通知…”导入。")
            else:
                lines.append(f"{year}年：已有放假安排（{SOURCE_LABELS[source]}），无需导入。")
        self.status.setText("<br>".join(lines))


class PreviewPage(QWizardPage):
    """预览: a sample reply printed with the details typed, through the real letter machinery."""

    def __init__(self) -> None:
        super().__init__()
        # Imported here: the PDF widgets load QtPdf, which the rest of the assistant does not need.
        from PySide6.QtPdfWidgets import QPdfView  # noqa: PLC0415

        from request_desk.gui.widgets.pdf_preview import PdfPreview  # noqa: PLC0415

        self.setTitle("预览")
        self.setSubTitle("按您填写的信息生成的答复书样张（示例申请，不会保存）。确认无误后点击“完成”保存全部设置。")
        self.preview = PdfPreview()
        self.preview.setMinimumHeight(320)
        self.preview.view.setZoomMode(QPdfView.ZoomMode.FitInView)  # the whole page: name, remedies, signature
        self.message = QLabel()
        self.message.setObjectName("setup_message")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.message)

    def show_sample(self, pdf: bytes) -> None:
        self.preview.set_pdf(pdf)

    def show_error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)


def settings_from(conf: OfficeSettings, changes: dict[str, object]) -> OfficeSettings:
    """``conf`` with the assistant's answers (for the sample letter, before anything is saved)."""
    return replace(conf, **changes)  # type: ignore[arg-type]
