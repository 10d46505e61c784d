"""公文字体: the 仿宋 and 小标宋 on this PC an administrator may choose for letters (``letters.office_fonts``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from request_desk.core.errors import DeskError
from request_desk.core.letters import installed_fonts, issue_checks, office_fonts
from request_desk.core.letters.fonts import BODY, TITLE
from request_desk.core.office import settings_view
from request_desk.core.office.settings import OfficeSettings
from request_desk.gui.context import DeskContext

DEFAULT_LABEL = "默认（内置字体）"
ROLE_TITLES = {BODY: "正文（仿宋）", TITLE: "标题（小标宋）"}
ORIGIN_LABELS = {"chosen": "机关选定", "override": "字体目录", "system": "本机系统字体", "bundled": "内置"}
ONLY_ADMIN = "只有管理员可以修改公文字体。"


class LetterFontsPanel(QGroupBox):
    """Two lists, 正文 and 标题: the default, then the matching fonts installed on this PC."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__("公文字体", parent)
        self.ctx = ctx
        self.combos = {role: QComboBox() for role in (BODY, TITLE)}
        for role, combo in self.combos.items():
            combo.setObjectName(f"letter_font_{role}")
            combo.setToolTip("GB/T 9704：正文用仿宋，标题用小标宋。只列出本机已安装的 TrueType 字体；"
                             "其他电脑未安装所选字体时，该电脑打印的文书改用内置字体。")
        self.in_use = QLabel()
        self.in_use.setWordWrap(True)
        self.in_use.setStyleSheet("color: #555; font-size: 12px")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.apply_button = QPushButton("保存公文字体")
        self.apply_button.clicked.connect(self.apply)
        form = QFormLayout()
        for role, combo in self.combos.items():
            form.addRow(ROLE_TITLES[role], combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.in_use)
        layout.addWidget(self.message)
        layout.addWidget(self.apply_button)
        self.loaded = False
        ctx.signals.users_changed.connect(self.apply_role)
        ctx.signals.settings_changed.connect(self._settings_changed)
        self.apply_role()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if not self.loaded:  # reading the installed fonts waits until the page is looked at
            self.reload()
        super().showEvent(event)

    def _settings_changed(self) -> None:
        if self.loaded:
            self.reload()

    def apply_role(self) -> None:
        allowed = settings_view.may_change(self.ctx.db, self.ctx.user)
        for combo in self.combos.values():
            combo.setEnabled(allowed)
        self.apply_button.setEnabled(allowed)
        if not allowed:
            self.message.setStyleSheet("")
            self.message.setText(ONLY_ADMIN)
        elif self.message.text() == ONLY_ADMIN:
            self.message.setText("")

    def reload(self) -> None:
        """Fill the lists from this PC's fonts and select the office's choice."""
        self.loaded = True
        conf = settings_view.current(self.ctx.db)
        files = installed_fonts.font_files()
        for role, choice in office_fonts.choices(conf).items():
            combo = self.combos[role]
            combo.clear()
            combo.addItem(DEFAULT_LABEL, ("", ""))
            for face in installed_fonts.candidates(role, files):
                unusable = "（不可用）" if face.refusal() else ""
                combo.addItem(f"{face.family}（{face.file_name}）{unusable}", (face.family, face.file_name))
                combo.setItemData(combo.count() - 1, face.refusal() or str(face.path), Qt.ItemDataRole.ToolTipRole)
            if choice.family:
                # findData compares a Python tuple by identity: look it up by value
                wanted = (choice.family, choice.file_name)
                at = next((i for i in range(combo.count()) if combo.itemData(i) == wanted), -1)
                if at < 0:
                    combo.addItem(f"{choice.family}（{choice.file_name}，本机未安装）",
                                  (choice.family, choice.file_name))
                    at = combo.count() - 1
                combo.setCurrentIndex(at)
        self._show_in_use(conf)

    def _show_in_use(self, conf: OfficeSettings) -> None:
        used = issue_checks.letter_fonts(self.ctx.db).describe()
        parts = [f"{label} {used[role].family}（{ORIGIN_LABELS.get(used[role].origin, '')}）"
                 for role, label in installed_fonts.ROLE_LABELS.items()]
        text = "本机打印文书使用：" + "，".join(parts) + "。"
        warnings = office_fonts.warnings(conf)
        if warnings:
            text += "<br><span style='color:#9a6700'>" + "<br>".join(warnings) + "</span>"
        self.in_use.setText(text)

    def apply(self) -> None:
        """Store the chosen fonts; a font that cannot be used is refused, in Chinese, and nothing changes."""
        conf = settings_view.current(self.ctx.db)
        stored = {role: (c.family, c.file_name) for role, c in office_fonts.choices(conf).items()}
        changed = [role for role, combo in self.combos.items() if combo.currentData() != stored[role]]
        saved = 0
        try:
            for role in changed:
                family, file_name = self.combos[role].currentData()
                office_fonts.choose_font(self.ctx.db, self.ctx.user, role, family or office_fonts.DEFAULT,
                                         file_name=file_name)
                saved += 1
        except DeskError as exc:
            self.message.setStyleSheet("color: #b3261e")
            self.message.setText(f"{'已保存正文字体；标题字体' if saved else ''}未保存：{exc}")
            if saved:
                self.ctx.signals.settings_changed.emit()
            return
        self.message.setStyleSheet("color: #1b6e20")
        self.message.setText("公文字体已保存。" if changed else "公文字体未改变。")
        if changed:
            self.ctx.signals.settings_changed.emit()
