"""初始设置: the assistant that takes a new office from an empty database to its first letter.

It opens at start-up while the office details every letter needs are missing
(``MainWindow.offer_setup``), can be cancelled (the dashboard then lists what is missing and
reopens it) and run again. 完成 stores everything in one transaction
(``office.setup.finish_setup``); if that is refused the assistant stays open on
the preview page with the reason, and keeps everything typed. On success it
tells every page: the settings page unlocks at once for the new administrator.
"""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget, QWizard

from request_desk.core.errors import DeskError
from request_desk.core.letters.sample import sample_letter
from request_desk.core.office import settings_view, setup, units, users
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.discard import ask_to_discard, input_values
from request_desk.gui.dialogs.setup_pages import (
    AdminPage,
    HolidayPage,
    NumberPage,
    OfficePage,
    PreviewPage,
    RemediesPage,
    UnitsPage,
    settings_from,
)

# Qt's zh_CN catalogue covers QWizard's buttons only partly; say them ourselves.
BUTTON_TEXTS = {
    QWizard.WizardButton.NextButton: "下一步",
    QWizard.WizardButton.BackButton: "上一步",
    QWizard.WizardButton.FinishButton: "完成",
    QWizard.WizardButton.CancelButton: "取消",
}


class SetupAssistant(QWizard):
    """The first start of an office (初始设置).

    Asks before 取消 throws away what was typed, as ``discard.KeepsInput`` does for
    dialogs (a Python mix-in of QDialog cannot sit under a QWizard).
    """

    _pristine: tuple[object, ...] | None = None

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("初始设置")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        for button, text in BUTTON_TEXTS.items():
            self.setButtonText(button, text)
        conf = settings_view.current(ctx.db)
        self.conf = conf
        self.office = OfficePage(conf)
        self.numbers = NumberPage(conf, ctx.today())
        self.remedies = RemediesPage(conf)
        self.units = UnitsPage([u.name for u in units.list_units(ctx.db)])
        known = users.display_name(ctx.db, ctx.user)
        self.admin = AdminPage(ctx.user, known if known != ctx.user else "")
        self.holidays = HolidayPage(ctx)
        self.preview = PreviewPage()
        for page in (self.office, self.numbers, self.remedies, self.units, self.admin, self.holidays,
                     self.preview):
            self.addPage(page)
        self.currentIdChanged.connect(self._page_shown)
        self.resize(860, 680)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._pristine is None:
            self.keep_as_pristine()

    def keep_as_pristine(self) -> None:
        self._pristine = input_values(self)

    def has_input(self) -> bool:
        return self._pristine is not None and input_values(self) != self._pristine

    def confirm_discard(self) -> bool:
        """Ask whether to throw away what was typed (tests set the answer instead of clicking)."""
        return ask_to_discard(self, "放弃初始设置？", "您填写的初始设置尚未保存，关闭后将丢失。是否放弃？"
                              "（以后可在工作台点击“完成初始设置”重新打开。）", "放弃内容", "继续填写")

    def reject(self) -> None:
        if self.has_input() and not self.confirm_discard():
            return
        super().reject()

    def settings(self) -> dict[str, object]:
        """The settings as answered on the pages."""
        return {**self.office.values(), **self.numbers.values(), **self.remedies.values()}

    def plan(self) -> setup.SetupPlan:
        return setup.SetupPlan(settings=self.settings(), admin_username=self.admin.username.text().strip(),
                               admin_display_name=self.admin.display_name.text().strip(),
                               admin_password=self.admin.password.text(), units=self.units.names())

    def _page_shown(self, page_id: int) -> None:
        if self.page(page_id) is self.preview:
            self.show_sample()

    def show_sample(self) -> None:
        try:
            pdf = sample_letter(self.ctx.db, settings_from(self.conf, self.settings()), self.ctx.today())
        except DeskError as exc:
            self.preview.show_error(f"无法生成样张：{exc}")
            return
        self.preview.show_sample(pdf)

    def accept(self) -> None:
        """完成: store everything at once; a refusal keeps the assistant open with what was typed."""
        plan = self.plan()
        # On a database without users nobody has signed in: the person at the desk becomes its
        # administrator, with the password they typed here (their own, not one to change).
        first_user = not users.list_users(self.ctx.db)
        actor = plan.admin_username if first_user else self.ctx.user
        try:
            setup.finish_setup(self.ctx.db, plan, actor=actor, today=self.ctx.today())
        except DeskError as exc:
            self.preview.show_error(f"未保存任何设置：{exc}")
            return
        signals = self.ctx.signals
        if first_user:
            self.ctx.user = plan.admin_username
            signals.signed_in.emit(plan.admin_username)
        signals.users_changed.emit()
        signals.settings_changed.emit()
        signals.units_changed.emit()
        signals.status_message.emit("初始设置已完成，可以登记申请、签发文书了。")
        self.keep_as_pristine()
        super().accept()

