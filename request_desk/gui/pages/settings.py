"""设置: office-wide settings, holiday notices (calendar years), the office's own templates and fee table
(``office_files_panel``), users (``users_panel``), backups, audit."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from request_desk.core import cases
from request_desk.core.deadlines import holidays
from request_desk.core.deadlines.case_clock import read_clock
from request_desk.core.deadlines.notice_file import CalendarFileError, read_notice
from request_desk.core.deadlines.workcalendar import SOURCE_LABELS
from request_desk.core.errors import DeskError
from request_desk.core.office import permissions, settings_change, settings_view
from request_desk.gui.context import DeskContext
from request_desk.gui.pages.audit_panel import AuditPanel
from request_desk.gui.pages.backup_panel import BackupPanel
from request_desk.gui.pages.letter_fonts_panel import LetterFontsPanel
from request_desk.gui.pages.office_files_panel import OfficeFilesPanel
from request_desk.gui.pages.users_panel import UsersPanel
from request_desk.gui.widgets.file_dialogs import ask_open
from request_desk.gui.workers import BackgroundJob, run_in_background

# Label and help text of each office setting, in form order.
SETTING_LABELS: dict[str, tuple[str, str]] = {
    "agency_name": ("机关名称", "信函落款和报表标题使用"),
    "registration_pattern": ("登记编号格式", "{year} 为年份，{seq} 为当年序号，如 {year}-{seq:05d}"),
    "document_number_pattern": ("文书编号格式", "如 X政信公开〔{year}〕{seq}号；年份用全称，序号不编虚位"),
    "amber_days": ("临期提醒（工作日）", "剩余工作日不多于此数时显示为黄色"),
    "exclude_fee_pauses": ("收费通知至缴费期间不计入答复期限",
                           "现行文件未明确规定，默认不计入；不计入时收费通知书告知申请人，计入时不作说明"),
    "supplement_period_workdays": ("默认补正期限（工作日）", "补正告知中给申请人的合理期限"),
    "consultation_transit_workdays": ("征求意见书在途时间（工作日）",
                                      "未登记被征求意见方收到日期时，按发出后此数个工作日推定收到；"
                                      "征求意见期限为收到之日起15个工作日（条例第三十二条、第三十四条）"),
    "fee_payment_workdays": ("缴费期限（工作日）", "自收到收费通知次日起计算"),
    "fee_payment_method": ("信息处理费缴纳方式", "印在收费通知书上，如：通过江苏省非税收入统一缴款平台缴纳"
                                          "（缴款码随本通知书送达）；未填写时收费通知书留有待填写项，不能签发"),
    "reconsideration_body": ("行政复议机关", "答复书救济途径中载明"),
    "court": ("行政诉讼管辖法院", "答复书救济途径中载明"),
    "reconsideration_online": ("网上申请行政复议渠道", "电子邮件或网上送达的答复书须载明"),
    "contact_person": ("联系人", ""),
    "contact_phone": ("联系电话", ""),
    "address": ("通信地址", ""),
    "unit_internal_workdays": ("承办单位内部办理期限（工作日）", "分办时默认给承办单位的期限，不晚于法定答复期限"),
    "publication_threshold": ("主动公开建议阈值（申请人数）", "不同申请人申请相同信息达到此数时建议主动公开"),
    "follow_up_after_days": ("答复后几天开始回访", ""),
    "password_min_length": ("密码最短长度", "密码还须同时包含字母和数字（或符号）"),
    "lockout_attempts": ("连续输错几次密码后锁定账户", "锁定和解锁均记入审计日志"),
    "lockout_minutes": ("账户锁定时长（分钟）", "到时自动解锁；管理员重置密码也可解锁"),
    "idle_lock_minutes": ("无操作几分钟后锁定桌面", "锁定后须重新输入密码；0 表示不自动锁定"),
    "letter_review": ("文书审核后签发",
                      "开启后，起草的文书须提交审核，由起草人以外的负责人或管理员审核通过后签发、取文号"),
}

# What to type in the fields every letter needs, shown under the field: the rules that
# decide the reconsideration body and the court (docs/domain.md, "Remedies").
SETTING_GUIDANCE: dict[str, tuple[str, str]] = {
    "agency_name": ("例：宿迁市宿城区人民政府办公室", "填写本机关的全称，与公章一致。未填写时不能签发任何文书。"),
    "reconsideration_body": (
        "例：宿迁市宿城区人民政府",
        "《行政复议法》第二十四条：县级以上地方人民政府工作部门（含政府办公室）的复议机关是本级人民政府；"
        "乡镇人民政府和县级以上地方人民政府的复议机关是上一级人民政府。第二十七条：海关、金融、外汇管理等"
        "实行垂直领导的机关，税务和国家安全机关，复议机关是上一级主管部门。"
        "例：区政府办公室 → 区人民政府；区人民政府 → 市人民政府。"),
    "court": (
        "例：宿迁市宿城区人民法院",
        "《行政诉讼法》第十四条、第十五条：被告为县级以上地方人民政府的，由中级人民法院管辖；被告为政府工作部门的，"
        "一般由本机关所在地的基层人民法院管辖。本地实行行政案件集中管辖的，填写指定管辖的法院。"
        "例：区政府办公室 → 区人民法院（或集中管辖法院）；区人民政府 → 市中级人民法院。"),
    "reconsideration_online": (
        "例：江苏省行政复议网上申请平台",
        "以电子邮件或网上方式送达答复时，答复书须告知网上申请行政复议的渠道（《行政复议法》第二十二条第二款），"
        "可填写平台名称或网址。"),
}


class OfficeSettingsForm(QWidget):
    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.editors: dict[str, QWidget] = {}
        form = QFormLayout()
        current = settings_view.current(ctx.db)
        for f in fields(current):
            if f.name in settings_change.FONT_SETTINGS:  # chosen in the 公文字体 group below, with their check
                continue
            label, hint = SETTING_LABELS[f.name]
            value = getattr(current, f.name)
            editor: QWidget
            if isinstance(value, bool):
                editor = QCheckBox()
                editor.setChecked(value)
            elif isinstance(value, int):
                editor = QSpinBox()
                editor.setRange(0, 365)
                editor.setValue(value)
            else:
                editor = QLineEdit(str(value))
            editor.setToolTip(hint)
            self.editors[f.name] = editor
            form.addRow(label, editor)
            if f.name in SETTING_GUIDANCE:
                example, guidance = SETTING_GUIDANCE[f.name]
                assert isinstance(editor, QLineEdit)
                editor.setPlaceholderText(example)
                help_text = QLabel(guidance)
                help_text.setObjectName(f"guidance_{f.name}")
                help_text.setWordWrap(True)
                help_text.setStyleSheet("color: #555; font-size: 12px")
                form.addRow("", help_text)
        self.message = QLabel()
        self.message.setWordWrap(True)
        save = QPushButton("保存设置")
        save.clicked.connect(self.save)
        self.save_button = save
        self._loaded = self.values()  # as stored when shown: what the clerk changed since differs
        self.apply_role()
        # A role given or taken (users panel, setup assistant) counts at once, not after a restart.
        ctx.signals.users_changed.connect(self.apply_role)
        ctx.signals.settings_changed.connect(self.reload)
        box = QWidget()
        box.setMaximumWidth(760)  # a form, not a spreadsheet: keep fields readable
        inner = QVBoxLayout(box)
        inner.addLayout(form)
        inner.addWidget(self.message)
        inner.addWidget(save, alignment=Qt.AlignmentFlag.AlignRight)
        self.fonts = LetterFontsPanel(ctx)
        inner.addWidget(self.fonts)
        inner.addStretch(1)
        # Scrolls, so every guidance text keeps its full height on a small screen.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def apply_role(self) -> None:
        """Editable for an active supervisor or administrator only."""
        allowed = settings_view.may_change(self.ctx.db, self.ctx.user)
        for editor in self.editors.values():
            editor.setEnabled(allowed)
        self.save_button.setEnabled(allowed)
        if not allowed:
            self.message.setStyleSheet("")
            self.message.setText("只有负责人或管理员可以修改机关设置。")
        elif self.message.text() == "只有负责人或管理员可以修改机关设置。":
            self.message.setText("")

    def reload(self) -> None:
        """Show the stored settings (saved here, or by the setup assistant).

        A field the clerk has changed and not yet saved keeps what was typed; only the
        untouched ones follow the stored values.
        """
        current = settings_view.current(self.ctx.db)
        typed = self.values()
        for name, editor in self.editors.items():
            if typed[name] != self._loaded[name]:
                continue
            value = getattr(current, name)
            if isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QSpinBox):
                editor.setValue(int(value))
            elif isinstance(editor, QLineEdit):
                editor.setText(str(value))
        untouched = {name for name in self.editors if typed[name] == self._loaded[name]}
        self._loaded.update({name: value for name, value in self.values().items() if name in untouched})

    def values(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QCheckBox):
                out[name] = editor.isChecked()
            elif isinstance(editor, QSpinBox):
                out[name] = editor.value()
            elif isinstance(editor, QLineEdit):
                out[name] = editor.text().strip()
        return out

    def save(self) -> None:
        try:
            moved = settings_change.update_settings(self.ctx.db, self.ctx.user, self.values(), today=self.ctx.today())
        except DeskError as exc:
            self.message.setStyleSheet("color: #b3261e")
            self.message.setText(str(exc))
            return
        self._loaded = self.values()
        self.message.setStyleSheet("color: #1b6e20")
        self.message.setText("设置已保存。" + (f"{moved} 件在办申请的答复期限已按新设置重新计算。" if moved else ""))
        self.ctx.signals.settings_changed.emit()
        if moved:
            self.ctx.signals.requests_changed.emit()


class CalendarPanel(QWidget):
    """Which years have official holiday data, each year's exceptions, and importing a notice."""

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.year = QComboBox()
        self.year.currentIndexChanged.connect(self.show_year)
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.days = QTableWidget(0, 3)
        self.days.setHorizontalHeaderLabels(["日期", "安排", "名称"])
        self.days.horizontalHeader().setStretchLastSection(True)
        self.days.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.import_button = import_button = QPushButton("导入国务院放假通知…")
        import_button.clicked.connect(self.choose_file)
        ctx.signals.users_changed.connect(self.check_role)
        self.check_role()
        top = QHBoxLayout()
        top.addWidget(QLabel("年份"))
        top.addWidget(self.year)
        top.addStretch(1)
        top.addWidget(import_button)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.source)
        layout.addWidget(self.days)
        layout.addWidget(self.status)
        self.job: BackgroundJob | None = None
        self.reload()

    def check_role(self) -> None:
        """Every due date moves with the calendar: only an administrator imports it (the core refuses others)."""
        may = permissions.user_may(self.ctx.db, self.ctx.user, permissions.Permission.IMPORT_CALENDAR)
        self.import_button.setEnabled(may)
        hint = "文本文件，每行一天：日期,放假|上班,名称"
        self.import_button.setToolTip(hint if may else "只有管理员可以导入放假通知。")

    def reload(self, year: int | None = None) -> None:
        """Refill the years and show ``year`` (default: the one shown, or this year)."""
        today = self.ctx.today()
        selected = year or self.year.currentData() or today.year
        self.year.blockSignals(True)
        self.year.clear()
        for y in sorted({*range(today.year - 2, today.year + 3), selected}):
            self.year.addItem(str(y), y)
        self.year.setCurrentIndex(max(0, self.year.findData(selected)))
        self.year.blockSignals(False)
        self.show_year()

    def show_year(self) -> None:
        year = self.year.currentData()
        if year is None:
            return
        cal = read_clock(self.ctx.db, self.ctx.today()).calendar
        source = cal.source_of(year)
        self.source.setText(f"{year}年数据来源：{SOURCE_LABELS[source]}")
        self.source.setStyleSheet("color: #8a5300; font-weight: bold" if source == "provisional" else "")
        rows = [cal.day_info(d) for d in holidays.year_days(cal, year)]
        rows = [r for r in rows if r.reason in ("holiday", "makeup_workday")]
        self.days.setRowCount(len(rows))
        for i, info in enumerate(rows):
            self.days.setItem(i, 0, QTableWidgetItem(info.day.isoformat()))
            self.days.setItem(i, 1, QTableWidgetItem("上班" if info.workday else "放假"))
            self.days.setItem(i, 2, QTableWidgetItem(info.name))

    def choose_file(self) -> None:
        path = ask_open(self, "选择放假通知文件", "文本文件 (*.csv *.txt);;所有文件 (*)")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        try:
            text = read_notice(path)
        except DeskError as exc:
            QMessageBox.warning(self, "导入放假通知", str(exc))
            return
        self.status.setText("正在导入并重新计算在办申请的答复期限…")

        def failed(exc: BaseException) -> None:
            message = exc.message_zh if isinstance(exc, CalendarFileError) else str(exc)
            self.status.setStyleSheet("color: #b3261e")
            self.status.setText(f"未导入任何数据。{message}")

        def done(result: dict[str, object]) -> None:
            self.status.setStyleSheet("")
            imported: list[int] = list(result["years"])  # type: ignore[call-overload]
            years = "、".join(str(y) for y in imported)
            self.status.setText(
                f"已导入{years}年放假安排；{result['due_dates_changed']} 件在办申请的答复期限已重新计算。"
            )
            self.reload(imported[0] if imported else None)  # show what was just imported
            self.ctx.signals.requests_changed.emit()

        self.job = run_in_background(
            self, "导入放假通知",
            lambda: cases.import_calendar(self.ctx.db, text, path.name, self.ctx.user, today=self.ctx.today()),
            done, failed, cancellable=False,
        )


class SettingsPage(QTabWidget):
    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.office = OfficeSettingsForm(ctx)
        self.calendar = CalendarPanel(ctx)
        self.users = UsersPanel(ctx)
        self.addTab(self.office, "机关信息与规则")
        self.addTab(self.calendar, "节假日安排")
        self.office_files = OfficeFilesPanel(ctx)
        self.addTab(self.office_files, "文书模板与收费标准")
        self.addTab(self.users, "用户")
        self.backups = BackupPanel(ctx)
        self.addTab(self.backups, "备份与恢复")
        self.audit = AuditPanel(ctx)
        self.addTab(self.audit, "审计日志")
