"""Render the README screenshots from a demo database (offscreen).

Run from the repository root: ``QT_QPA_PLATFORM=offscreen python docs/make_screenshots.py [FOLDER]``
(FOLDER, e.g. a temporary one to check the pictures render, instead of docs/screenshots).
The user guide's pictures follow (docs/guide_screenshots.py), into docs/guide/images, or
FOLDER/guide when a folder is given.
Needs a CJK font for the window text (the app falls back to its bundled Noto Sans SC).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from request_desk.core import cases
from request_desk.core.cases.validation import id_check_character
from request_desk.core.cases.workflow import Action
from request_desk.core.letters import compose, register, review
from request_desk.core.office import settings as office_settings
from request_desk.core.office import settings_change
from request_desk.core.storage import backup
from request_desk.core.storage.db import Database
from request_desk.core.transfer import demo
from request_desk.core.vocab import ApplicantType, Channel
from request_desk.gui import workers
from request_desk.gui.app import create_application
from request_desk.gui.case_view import CaseWindow
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.letter import LetterDialog
from request_desk.gui.dialogs.registration import RegistrationDialog
from request_desk.gui.dialogs.setup_assistant import SetupAssistant
from request_desk.gui.dialogs.sign_in import SignInDialog
from request_desk.gui.main_window import MainWindow
from request_desk.gui.pages.backup_panel import BackupPanel
from request_desk.gui.pages.reports import ReportsPage

sys.path.insert(0, str(Path(__file__).parent))  # its sibling, when imported rather than run (mypy, tests)
import guide_screenshots

OUT = Path(__file__).parent / "screenshots"
GUIDE_OUT = Path(__file__).parent / "guide" / "images"
LEDGERS = Path(__file__).resolve().parents[1] / "tests" / "data" / "import"
TODAY = date(2026, 11, 27)


def save_backup_panel(db: Database, path: Path) -> None:
    """设置 → 备份与恢复, with a startup and a manual backup listed."""
    for reason in ("startup", "manual"):
        backup.make_backup(path, reason=reason)
    panel = BackupPanel(DeskContext(db=db, user="admin", today=lambda: TODAY))  # backups are the administrator's
    panel.resize(900, 420)
    panel.show()
    QApplication.processEvents()
    panel.grab().save(str(OUT / "backup-panel.png"))
    panel.close()


def reports_tab(ctx: DeskContext, tab: str) -> ReportsPage:
    """The 报表 page at 1024 × 740, on one of its tabs ("quality", "importer" …)."""
    page = ReportsPage(ctx)
    page.tabs.setCurrentWidget(getattr(page, tab))
    page.resize(1024, 740)
    page.show()
    return page


def save_quality(ctx: DeskContext) -> None:
    """报表 → 办理质量: the demo office's figures for October, with the draft paragraph."""
    page = reports_tab(ctx, "quality")
    tab = page.quality
    tab.month.setCurrentIndex(tab.month.findData(10))
    tab.figures = None
    tab.compute()
    while tab.figures is None:
        QTest.qWait(50)
    QApplication.processEvents()
    page.grab().save(str(OUT / "report-quality.png"))
    page.close()


def save_import_steps(ctx: DeskContext) -> None:
    """报表 → 导入历史台账: the value-mapping step, and a dry run listing skipped and inferred rows."""
    page = reports_tab(ctx, "importer")
    tab = page.importer

    folder = Path(tempfile.mkdtemp()) / "历史台账"  # the file label shows where a clerk keeps it, not this repository
    folder.mkdir()

    def dry_run(ledger: str) -> None:
        copy = folder / ledger
        copy.write_bytes((LEDGERS / ledger).read_bytes())
        tab.set_file(copy)
        tab.plan = None
        tab.dry_run()
        while tab.plan is None:
            QTest.qWait(50)
        QApplication.processEvents()

    dry_run("office-values.xlsx")
    for row, code in ((0, "1"), (1, "ordinary_letter"), (3, "3.4")):  # some chosen, the rest still open
        combo = tab.values.cellWidget(row, 3)
        combo.setCurrentIndex(combo.findData(code))  # type: ignore[attr-defined]
    QApplication.processEvents()
    page.grab().save(str(OUT / "import-value-mapping.png"))
    dry_run("office-2025.xlsx")
    page.grab().save(str(OUT / "import-dry-run.png"))
    page.close()
    shutil.rmtree(folder.parent)


def settled() -> None:
    """What the background jobs (a case's similar-requests lookup) had to show, shown."""
    workers.pool().waitForDone()
    QApplication.processEvents()


def save_case_and_step(ctx: DeskContext) -> None:
    """The case area with a case in progress, and the 延期答复 dialog built from the step's fields."""
    rid = cases.register(ctx.db, cases.NewRequest(
        channel=Channel.POST, received_date=date(2026, 11, 16), applicant_type=ApplicantType.NATURAL_PERSON,
        applicant_name="张三", id_number="110101199003074514", phone="13800138000", address="宿迁市宿城区幸福路1号",
        description="2025年宿城区老旧小区改造资金的使用情况"), "xiaoli", today=TODAY).id
    panel = CaseWindow.open_request(ctx, rid)  # a tab of the case area (案件详情)
    assert panel is not None
    area = panel.window()
    area.resize(1024, 740)
    settled()
    area.grab().save(str(OUT / "case-view.png"))
    head = CaseWindow.open_request(DeskContext(db=ctx.db, user="zhuren", today=ctx.today), rid)
    assert head is not None
    dialog = head.perform(Action.EXTEND)  # the supervisor approves it, as the signed-in user
    dialog.show()
    QApplication.processEvents()
    dialog.grab().save(str(OUT / "step-extend.png"))
    dialog.close()
    area.close()
    head.window().close()


def save_applicant_history(ctx: DeskContext) -> None:
    """申请人历史: an applicant with several requests over three months, one of them asked again (5.2)."""
    first17 = "32130219850612002"
    person = {"applicant_name": "王芳", "id_number": first17 + id_check_character(first17), "phone": "13951234567",
              "address": "宿迁市宿城区西湖路18号"}
    asked = [(date(2026, 9, 7), "宿城区2025年城市道路维修养护资金的使用情况"),
             (date(2026, 9, 21), "宿城区2026年义务教育阶段学校招生划片范围"),
             (date(2026, 10, 12), "宿城区2025年度政府信息公开工作年度报告中依申请公开的统计数据"),
             (date(2026, 10, 26), "宿城区西湖路沿街立面改造工程的批准文件"),
             (date(2026, 11, 9), "宿城区2025年度老旧小区加装电梯补助资金的发放名单"),
             (date(2026, 11, 20), "请提供宿城区2025年城市道路维修养护资金使用情况")]
    ids = [cases.register(ctx.db, cases.NewRequest(channel=Channel.ONLINE, received_date=day, description=text,
                                                   applicant_type=ApplicantType.NATURAL_PERSON, **person),
                          "xiaoli", today=TODAY).id for day, text in asked]
    for rid, on in ((ids[0], date(2026, 9, 28)), (ids[1], date(2026, 10, 13)), (ids[2], date(2026, 11, 2))):
        assert rid is not None
        cases.reply(ctx.db, rid, "xiaoli", outcome_code="1", on_date=on, today=TODAY)
    assert ids[-1] is not None
    panel = CaseWindow.open_request(ctx, ids[-1])
    assert panel is not None
    panel.tabs.setCurrentWidget(panel.applicant_history)
    area = panel.window()
    area.resize(1024, 740)
    area.show()
    settled()
    area.grab().save(str(OUT / "applicant-history.png"))
    area.close()


def save_correction(ctx: DeskContext) -> None:
    """更正登记信息 with a name and a phone changed, then the case's timeline showing the correction."""
    rid = cases.register(ctx.db, cases.NewRequest(
        channel=Channel.IN_PERSON, received_date=date(2026, 11, 18), applicant_type=ApplicantType.NATURAL_PERSON,
        applicant_name="刘洋", id_number="110101199003074514", phone="13800138000", address="宿迁市宿城区洪泽湖路8号",
        description="宿城区2026年道路改造工程的招标文件"), "xiaoli", today=TODAY).id
    panel = CaseWindow.open_request(ctx, rid)
    assert panel is not None
    dialog = panel.correct_record()
    name, phone = dialog.fields["applicant_name"], dialog.fields["phone"]
    assert isinstance(name, QLineEdit) and isinstance(phone, QLineEdit)
    name.setText("刘阳")
    phone.setText("13800138001")
    dialog.reason.setText("登记时录入错误，经与申请书原件核对更正")
    QApplication.processEvents()
    dialog.grab().save(str(OUT / "correction.png"))
    dialog.accept()
    area = panel.window()
    area.resize(1024, 700)
    QApplication.processEvents()
    area.grab().save(str(OUT / "correction-timeline.png"))
    area.close()


def save_reply_flow(ctx: DeskContext) -> None:
    """答复 as one flow: the outcome, the letter it leads to, and the delivery of that letter."""
    rid = cases.register(ctx.db, cases.NewRequest(
        channel=Channel.POST, received_date=date(2026, 11, 18), applicant_type=ApplicantType.NATURAL_PERSON,
        applicant_name="陈静", id_number="110101199003074514", phone="13800138000", address="宿迁市宿城区幸福路1号",
        description="2025年宿城区老旧小区改造项目的资金使用情况", delivery_method="邮寄"), "xiaoli", today=TODAY).id
    panel = CaseWindow.open_request(ctx, rid)
    assert panel is not None
    dialog = panel.perform(Action.REPLY)
    dialog.select_outcome("1")
    QApplication.processEvents()
    dialog.grab().save(str(OUT / "reply-flow-1-outcome.png"))
    dialog.accept()
    assert panel.reply_flow is not None and panel.reply_flow.letter_dialog is not None
    letter = panel.reply_flow.letter_dialog
    letter.resize(1024, 740)
    QTest.qWait(1000)  # the preview pages are painted after the PDF has loaded
    letter.grab().save(str(OUT / "reply-flow-2-letter.png"))
    letter.issue()
    delivery = letter.deliver()
    assert delivery is not None
    tracking = delivery.fields["tracking"]
    assert isinstance(tracking, QLineEdit)
    tracking.setText("XA123456789CN")
    QApplication.processEvents()
    delivery.grab().save(str(OUT / "reply-flow-3-delivery.png"))
    delivery.accept()
    letter.close()
    panel.window().close()


def save_registration(ctx: DeskContext) -> None:
    """The registration dialog after a refused save: messages under their fields, the count below."""
    dialog = RegistrationDialog(ctx)
    dialog.resize(1000, 700)
    dialog.show()
    dialog.ui.applicant_name.setText("张三")
    dialog.ui.id_number.setText("110105194912310021")  # a wrong check character
    dialog.ui.phone.setText("1391234")
    dialog.save()
    QTest.qWait(300)
    dialog.grab().save(str(OUT / "registration.png"))
    dialog.keep_as_pristine()  # closing the picture's dialog is not losing work
    dialog.close()


def _letter_pages(pdf: bytes, name: str) -> None:
    """An issued letter as printed: its first page as ``<name>-p1.png`` (pdftoppm, 70 dpi)."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "letter.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(source),
                        str(OUT / f"{name}-p1")], check=True)


def save_pre_issue_checks(ctx: DeskContext) -> None:
    """The letter dialog's pre-issue check: one letter it blocks, one it lets through with a warning."""
    def answered(received: date, on: date, outcome: str, summary: str, delivery: str) -> int:
        rid = cases.register(ctx.db, cases.NewRequest(
            channel=Channel.ONLINE, received_date=received, applicant_type=ApplicantType.NATURAL_PERSON,
            applicant_name="王敏", id_number="110101199003074514", email="wangmin@example.cn",
            description="宿城区2025年城市更新项目招标投标的全部文件", delivery_method=delivery), "xiaoli",
            today=TODAY).id
        cases.reply(ctx.db, rid, "xiaoli", outcome_code=outcome, on_date=on, summary=summary, today=TODAY)
        return rid

    blocked = answered(date(2026, 11, 16), TODAY, "3.4", "", "电子邮件")  # no reason; e-mail, no online channel
    late = answered(date(2026, 10, 9), TODAY, "1", "附件：2025年城市更新项目招标公告及中标结果公示（共5页）", "邮寄")
    with ctx.db.write() as session:  # the online channel not yet set: the e-mailed refusal is blocked
        office_settings.update(session, reconsideration_online="")
    partial = answered(date(2026, 11, 16), TODAY, "2", "第3—5页载有投标人的成本构成和报价策略，属于商业秘密，"
                       "公开会损害其合法权益，已作区分处理", "邮寄")
    letter = register.issue(ctx.db, compose.compose(ctx.db, partial, "reply_2", on_date=TODAY), "zhuren")
    _letter_pages(letter.pdf, "letter-partial-disclosure")
    receipt = register.issue(ctx.db, compose.compose(ctx.db, late, "acknowledgement", on_date=date(2026, 10, 9)),
                             "xiaoli")
    _letter_pages(receipt.pdf, "letter-acknowledgement")
    for rid, kind, name in ((blocked, "reply_3.4", "pre-issue-blocked"), (late, "reply_1", "pre-issue-warning")):
        dialog = LetterDialog(ctx, rid, kind)
        dialog.resize(1024, 740)
        dialog.show()
        QTest.qWait(1000)  # the preview pages are painted after the PDF has loaded
        dialog.grab().save(str(OUT / f"{name}.png"))
        dialog.close()


def save_setup_assistant() -> None:
    """初始设置 on a fresh, unconfigured database: the 文号 page with its live example, and the sample letter."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(Path(tmp) / "new-office.sqlite3")
        assistant = SetupAssistant(DeskContext(db=db, user="xiaozhang", today=lambda: TODAY))
        assistant.show()
        assistant.office.agency_name.setText("宿迁市宿城区人民政府办公室")
        assistant.office.contact_person.setText("李晓")
        assistant.office.contact_phone.setText("0527-84367000")
        assistant.next()
        assistant.numbers.prefix.setText("宿城府依复")
        QApplication.processEvents()
        assistant.grab().save(str(OUT / "setup-assistant-number.png"))
        assistant.next()
        assistant.remedies.edits["reconsideration_body"].setText("宿迁市宿城区人民政府")
        assistant.remedies.edits["court"].setText("宿迁市宿城区人民法院")
        assistant.next()
        assistant.units.lines.setPlainText("区教育局\n区民政局\n区住房和城乡建设局")
        assistant.next()
        assistant.admin.display_name.setText("张晓")
        for _ in range(2):  # 节假日, then 预览
            assistant.next()
        QTest.qWait(1000)  # the preview page is painted after the PDF has loaded
        assistant.grab().save(str(OUT / "setup-assistant-preview.png"))
        assistant.keep_as_pristine()  # closing the picture's assistant is not losing work
        assistant.close()
        db.close()


def save_sign_in(db: Database) -> None:
    """登录: the dialog the desk opens with, the name remembered and the password asked."""
    dialog = SignInDialog(db, "xiaoli")
    dialog.show()
    QApplication.processEvents()
    dialog.grab().save(str(OUT / "sign-in.png"))
    dialog.close()


def save_review(db: Database) -> None:
    """审核后签发: a clerk's reply submitted, and the supervisor's list of letters awaiting review."""
    settings_change.update_settings(db, "admin", {"letter_review": True}, today=TODAY)
    rid = cases.register(db, cases.NewRequest(
        channel=Channel.IN_PERSON, received_date=date(2026, 11, 20), applicant_type=ApplicantType.NATURAL_PERSON,
        applicant_name="王五", id_number="320102198506150014", phone="13912345678", address="宿迁市宿城区健康路8号",
        description="宿城区2026年城市道路维修计划"), "xiaoli", today=TODAY).id
    cases.reply(db, rid, "xiaoli", outcome_code="1", summary="已予公开", on_date=TODAY, today=TODAY)
    review.submit(db, compose.compose(db, rid, "reply_1_published", on_date=TODAY,
                                      extras={"published_where": "宿迁市人民政府门户网站"}), "xiaoli")
    window = MainWindow(DeskContext(db=db, user="zhuren", today=lambda: TODAY))
    window.signed_in("zhuren")
    window.resize(1024, 768)
    window.show()
    window.show_page("letters")
    QApplication.processEvents()
    window.grab().save(str(OUT / "letters-review.png"))
    window.close()
    settings_change.update_settings(db, "admin", {"letter_review": False}, today=TODAY)


def main() -> int:
    global OUT, GUIDE_OUT  # one run, one folder: every save_* writes there
    if len(sys.argv) > 1:
        OUT = Path(sys.argv[1])
        OUT.mkdir(parents=True, exist_ok=True)
        GUIDE_OUT = OUT / "guide"
    app = create_application(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(Path(tmp) / "demo.sqlite3")
        demo.run(db, 1500, today=TODAY)
        office = {"agency_name": "宿迁市人民政府办公室", "contact_person": "李晓", "contact_phone": "0527-84367000",
                  "reconsideration_body": "宿迁市人民政府", "court": "宿迁市宿城区人民法院"}
        settings_change.update_settings(db, "admin", office, today=TODAY)
        for day in (date(2026, 11, 26), TODAY):  # a few issued letters for the 发文登记 page
            for _ in register.issue_acknowledgements(db, day, "xiaoli"):
                pass
        ctx = DeskContext(db=db, user="xiaoli", today=lambda: TODAY)
        save_setup_assistant()
        save_case_and_step(ctx)
        save_pre_issue_checks(ctx)
        save_registration(ctx)
        save_correction(ctx)
        save_reply_flow(ctx)
        save_import_steps(ctx)
        save_quality(ctx)
        save_sign_in(db)
        save_review(db)
        save_applicant_history(ctx)
        window = MainWindow(ctx)
        window.signed_in(ctx.user)  # as after 登录: the status line's 修改密码 and 锁定 are live
        window.resize(1024, 768)  # an ordinary office screen
        window.show()
        for key, name in (("dashboard", "main-dashboard"), ("requests", "main-request-list"),
                          ("letters", "main-letters"), ("units", "units"), ("calls", "main-calls"),
                          ("publication", "main-publication"), ("reports", "main-reports"),
                          ("settings", "settings")):
            window.show_page(key)
            QApplication.processEvents()
            window.grab().save(str(OUT / f"{name}.png"))
        window.close()
        save_backup_panel(db, Path(tmp) / "demo.sqlite3")
        guide_screenshots.save_all(db, TODAY, OUT, GUIDE_OUT)
        db.close()
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
