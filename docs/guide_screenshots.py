"""The user guide's own pictures (docs/guide/images/), rendered by docs/make_screenshots.py.

The README's pictures that fit a page of the guide are copied into the guide's folder
(``REUSED``), so the guide is whole wherever it is installed; the windows the README
does not show are rendered here from the same demo database.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from request_desk import paths
from request_desk.core import cases
from request_desk.core.cases.workflow import Action
from request_desk.core.storage.db import Database
from request_desk.core.vocab import ApplicantType, Channel
from request_desk.gui import workers
from request_desk.gui.case_view import CaseWindow
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.call import CallDialog
from request_desk.gui.dialogs.registration import RegistrationDialog
from request_desk.gui.main_window import MainWindow
from request_desk.gui.pages.reports import ReportsPage
from request_desk.gui.widgets.help_viewer import HelpViewer

# The README's pictures the guide shows as they are.
REUSED = (
    "setup-assistant-number", "setup-assistant-preview", "sign-in", "settings", "main-dashboard",
    "main-request-list", "registration", "case-view", "correction", "correction-timeline", "units",
    "step-extend", "reply-flow-1-outcome", "reply-flow-2-letter", "reply-flow-3-delivery", "pre-issue-blocked",
    "pre-issue-warning", "main-letters", "letters-review", "letter-partial-disclosure-p1", "main-calls",
    "report-quality", "import-value-mapping", "import-dry-run", "backup-panel", "applicant-history",
)


def save(widget: QWidget, out: Path, name: str) -> None:
    workers.pool().waitForDone()  # what the background jobs had to show, shown
    QApplication.processEvents()
    widget.grab().save(str(out / f"{name}.png"))


def copy_reused(readme: Path, out: Path) -> None:
    for name in REUSED:
        shutil.copyfile(readme / f"{name}.png", out / f"{name}.png")


def _case(ctx: DeskContext, name: str, description: str, received: date) -> cases.RequestRecord:
    return cases.register(ctx.db, cases.NewRequest(
        channel=Channel.POST, received_date=received, applicant_type=ApplicantType.NATURAL_PERSON,
        applicant_name=name, id_number="110101199003074514", phone="13800138000", address="宿迁市宿城区幸福路1号",
        description=description, delivery_method="邮寄"), "xiaoli", today=ctx.today())


def save_registration(ctx: DeskContext, out: Path) -> None:
    """登记新申请 by 平信: the receipt rule under the channel, the missing ID a warning, not an error."""
    dialog = RegistrationDialog(ctx)
    dialog.resize(1000, 700)
    dialog.show()
    ui = dialog.ui
    ui.channel.setCurrentIndex(ui.channel.findData(Channel.ORDINARY_LETTER.value))
    ui.applicant_name.setText("赵敏")
    ui.phone.setText("13951234567")
    ui.address.setText("宿迁市宿城区发展大道88号")
    ui.description.setPlainText("宿城区2026年城市道路维修养护计划及其资金安排")
    QTest.qWait(300)
    save(dialog, out, "registration-ordinary-letter")
    dialog.keep_as_pristine()  # closing the picture's dialog is not losing work
    dialog.close()


def save_step_dialogs(ctx: DeskContext, out: Path) -> None:
    """The forms of 补正告知, 分办承办单位, 征求意见 and 发出收费通知 on one case in progress."""
    rid = _case(ctx, "孙丽", "宿城区2025年度保障性住房分配名单及审核标准", date(2026, 11, 19)).id
    assert rid is not None
    panel = CaseWindow.open_request(ctx, rid)
    assert panel is not None
    for action, name in ((Action.REQUEST_SUPPLEMENT, "step-supplement"), (Action.ASSIGN, "step-assign"),
                         (Action.START_PAUSE, "step-consult"), (Action.ISSUE_FEE_NOTICE, "step-fee-notice")):
        dialog = panel.perform(action)
        if action is Action.START_PAUSE:
            counterpart = dialog.fields["counterpart"]
            assert isinstance(counterpart, QLineEdit)
            counterpart.setText("宿迁市某某置业有限公司")
        if action is Action.REQUEST_SUPPLEMENT:
            what = dialog.fields["what"]
            assert isinstance(what, QPlainTextEdit)
            what.setPlainText("请明确所需“保障性住房”的类型（公共租赁住房或保障性租赁住房）及所涉年度。")
        dialog.show()
        dialog.resize(dialog.width(), dialog.sizeHint().height() + 40)  # the fee form's hint wraps late
        save(dialog, out, name)
        dialog.keep_as_pristine()
        dialog.close()
    panel.window().close()


def save_call(ctx: DeskContext, out: Path) -> None:
    """登记电话回访: reached, satisfied, the applicant's words."""
    record = _case(ctx, "周强", "宿城区2026年老年人助餐点名单", date(2026, 11, 2))
    assert record.id is not None
    dialog = CallDialog.start(ctx, record.id, record.reg_number, "周强", "13800138000")
    satisfaction, said = dialog.fields["satisfaction"], dialog.fields["applicant_said"]
    assert isinstance(satisfaction, QComboBox) and isinstance(said, QPlainTextEdit)
    satisfaction.setCurrentIndex(0)
    said.setPlainText("答复及时，材料齐全")
    dialog.show()
    save(dialog, out, "call-dialog")
    dialog.keep_as_pristine()
    dialog.close()


def save_reports(ctx: DeskContext, out: Path) -> None:
    """报表: October's register previewed, and the annual table computed with its check."""
    page = ReportsPage(DeskContext(db=ctx.db, user="zhuren", today=ctx.today))  # a supervisor locks a month
    page.resize(1024, 740)
    page.show()
    page.monthly.month.setCurrentIndex(9)
    page.monthly.preview()
    save(page, out, "monthly-register")
    page.tabs.setCurrentWidget(page.annual)
    page.annual.year.setValue(2026)
    page.annual.compute()
    save(page, out, "annual-report")
    page.close()


def save_users(db: Database, today: date, out: Path) -> None:
    """设置 → 用户, as the administrator sees it."""
    window = MainWindow(DeskContext(db=db, user="admin", today=lambda: today))
    window.signed_in("admin")
    window.resize(1024, 768)
    window.show()
    settings = window.show_page("settings")
    settings.setCurrentWidget(settings.users)  # type: ignore[attr-defined]
    save(window, out, "users")
    window.close()


def save_help_viewer(out: Path) -> None:
    """F1: the guide's page in the desk's own viewer."""
    viewer = HelpViewer.show_page(paths.guide_dir() / "registration.md")
    viewer.resize(900, 640)
    save(viewer, out, "help-viewer")
    viewer.close()


def save_all(db: Database, today: date, readme: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    copy_reused(readme, out)
    ctx = DeskContext(db=db, user="xiaoli", today=lambda: today)
    save_registration(ctx, out)
    save_step_dialogs(ctx, out)
    save_call(ctx, out)
    save_reports(ctx, out)
    save_users(db, today, out)
    save_help_viewer(out)
