"""The setup assistant (初始设置): a new office from an empty database to its first letter, on screen only."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QWizard
from pytestqt.qtbot import QtBot

from request_desk.core import cases
from request_desk.core.letters import compose, register
from request_desk.core.office import accounts, settings_view, units, users
from request_desk.core.office.settings import OfficeSettings
from request_desk.core.storage.db import Database
from request_desk.core.vocab import Role
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.setup_assistant import SetupAssistant
from request_desk.gui.main_window import MainWindow
from tests import factories
from tests.support.gui import type_text

NOTICE = Path(__file__).parent.parent / "data" / "notice-2027-sample.csv"
B = QWizard.WizardButton


@pytest.fixture
def new_ctx(empty_office: Database) -> DeskContext:
    """Someone starting the desk of a new office on its first start: no users, no office details yet."""
    return DeskContext(db=empty_office, user="xiaozhang", today=lambda: factories.TODAY)


@pytest.fixture
def window(qtbot: QtBot, new_ctx: DeskContext) -> MainWindow:
    win = MainWindow(new_ctx)
    qtbot.addWidget(win)
    win.show()
    return win


def click(qtbot: QtBot, assistant: SetupAssistant, button: QWizard.WizardButton) -> None:
    qtbot.mouseClick(assistant.button(button), Qt.MouseButton.LeftButton)


ADMIN_PASSWORD = "zhang-2026"


def fill_in(qtbot: QtBot, assistant: SetupAssistant, password: str = ADMIN_PASSWORD) -> None:
    """Every page answered as a new district office would, ending on the preview."""
    type_text(qtbot, assistant.office.agency_name, "宿迁市宿城区人民政府办公室")
    type_text(qtbot, assistant.office.contact_person, "李晓")
    type_text(qtbot, assistant.office.contact_phone, "0527-84367000")
    click(qtbot, assistant, B.NextButton)
    type_text(qtbot, assistant.numbers.prefix, "宿城府依复")
    click(qtbot, assistant, B.NextButton)
    type_text(qtbot, assistant.remedies.edits["reconsideration_body"], "宿迁市宿城区人民政府")
    type_text(qtbot, assistant.remedies.edits["court"], "宿迁市宿城区人民法院")
    click(qtbot, assistant, B.NextButton)
    type_text(qtbot, assistant.units.lines, "区教育局\n区民政局")
    click(qtbot, assistant, B.NextButton)
    assert assistant.admin.username.text() == "xiaozhang"  # the person running it
    type_text(qtbot, assistant.admin.display_name, "张晓")
    type_text(qtbot, assistant.admin.password, password)
    type_text(qtbot, assistant.admin.password_again, password)
    click(qtbot, assistant, B.NextButton)
    click(qtbot, assistant, B.NextButton)
    assert assistant.currentPage() is assistant.preview


def test_a_new_office_goes_from_an_empty_database_to_its_first_letter_without_restart(
        qtbot: QtBot, window: MainWindow, new_ctx: DeskContext) -> None:
    settings_page = window.pages["settings"]
    form = settings_page.office  # type: ignore[attr-defined]
    assert form.save_button.isEnabled()  # no users yet: whoever starts the desk sets the office up
    notice = window.pages["dashboard"].setup_notice  # type: ignore[attr-defined]
    assert not notice.isHidden()
    assert "未填写机关信息" in notice.text.text() and "尚无管理员" in notice.text.text()

    assistant = window.offer_setup()
    assert assistant is not None and assistant.isVisible()
    fill_in(qtbot, assistant)
    assert assistant.preview.preview.page_count() == 1
    click(qtbot, assistant, B.FinishButton)
    assert not assistant.isVisible()

    # Unlocked at once: the settings form shows what was set and saves through its own button.
    assert form.save_button.isEnabled() and form.editors["agency_name"].isEnabled()
    assert form.editors["agency_name"].text() == "宿迁市宿城区人民政府办公室"
    window.show_page("settings")
    settings_page.setCurrentWidget(form)  # type: ignore[attr-defined]
    form.editors["contact_phone"].clear()
    type_text(qtbot, form.editors["contact_phone"], "0527-84367001")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.message.text().startswith("设置已保存")
    assert notice.isHidden()  # nothing missing any more
    assert "张晓" in window.who.text()

    rid = factories.register(new_ctx.db, date(2026, 11, 20), actor="xiaozhang")
    cases.reply(new_ctx.db, rid, "xiaozhang", outcome_code="1", on_date=factories.TODAY,
                summary="附件：2025年老旧小区改造资金使用情况（共2页）", today=factories.TODAY)
    letter = register.issue(new_ctx.db, compose.compose(new_ctx.db, rid, "reply_1", on_date=factories.TODAY),
                            "xiaozhang")
    assert letter.doc_number == "宿城府依复〔2026〕1号"
    # The administrator signs in with the password chosen in the assistant, their own.
    assert not accounts.sign_in(new_ctx.db, "xiaozhang", ADMIN_PASSWORD).must_change_password
    assert settings_view.current(new_ctx.db).contact_phone == "0527-84367001"


def test_the_assistant_speaks_chinese(qtbot: QtBot, new_ctx: DeskContext) -> None:
    assistant = SetupAssistant(new_ctx)
    qtbot.addWidget(assistant)
    assistant.show()
    assert [assistant.button(b).text() for b in (B.NextButton, B.BackButton, B.FinishButton, B.CancelButton)] \
        == ["下一步", "上一步", "完成", "取消"]
    assert assistant.windowTitle() == "初始设置"


def test_the_document_number_is_shown_as_the_numbers_it_gives(qtbot: QtBot, new_ctx: DeskContext) -> None:
    assistant = SetupAssistant(new_ctx)
    qtbot.addWidget(assistant)
    assistant.show()
    type_text(qtbot, assistant.office.agency_name, "宿迁市宿城区人民政府办公室")
    click(qtbot, assistant, B.NextButton)
    page = assistant.numbers
    assert page.prefix.text() == ""  # the shipped "X政信公开" is no office's own
    assert not assistant.button(B.NextButton).isEnabled()
    type_text(qtbot, page.prefix, "某府依复")
    assert "某府依复〔2026〕1号" in page.example.text() and "某府依复〔2027〕1号" in page.example.text()
    assert "2026-00001" in page.example.text()
    assert "{" not in page.example.text() and page.raw_box.isHidden()
    assert assistant.button(B.NextButton).isEnabled()

    page.digits.setCurrentIndex(page.digits.findData(4))
    assert "2026-0001" in page.example.text()
    qtbot.mouseClick(page.expert, Qt.MouseButton.LeftButton, pos=QPoint(8, page.expert.height() // 2))  # for experts
    assert page.raw_document.text() == "某府依复〔{year}〕{seq}号"
    page.raw_document.setText("某府依复〔{year}〕号")
    assert "缺少序号" in page.example.text()
    assert not assistant.button(B.NextButton).isEnabled()


def test_the_remedies_page_explains_which_body_and_court(qtbot: QtBot, new_ctx: DeskContext) -> None:
    assistant = SetupAssistant(new_ctx)
    qtbot.addWidget(assistant)
    page = assistant.remedies
    body = page.findChild(QLabel, "guidance_reconsideration_body")
    court = page.findChild(QLabel, "guidance_court")
    assert "第二十四条" in body.text() and "区政府办公室 → 区人民政府" in body.text()
    assert "第十四条" in court.text() and "基层人民法院" in court.text()
    assert set(page.edits) == {"reconsideration_body", "court", "reconsideration_online"}


def test_the_holiday_page_says_which_notices_are_in_and_imports_one(qtbot: QtBot, new_ctx: DeskContext) -> None:
    assistant = SetupAssistant(new_ctx)
    qtbot.addWidget(assistant)
    page = assistant.holidays
    assert "2026年：已有放假安排" in page.status.text()
    assert "2027年：尚未导入放假通知" in page.status.text()
    page.calendar.import_file(NOTICE)  # what its 导入国务院放假通知… button does with the chosen file
    qtbot.waitUntil(lambda: "2027年：已有放假安排（管理员录入的国务院通知）" in page.status.text(), timeout=10_000)


def test_a_refused_finish_changes_nothing_and_keeps_what_was_typed(
        qtbot: QtBot, new_ctx: DeskContext) -> None:
    users.add_user(new_ctx.db, "admin", "赵管理", Role.ADMINISTRATOR, actor="setup")  # someone else is administrator
    assistant = SetupAssistant(new_ctx)
    qtbot.addWidget(assistant)
    assistant.show()
    fill_in(qtbot, assistant)
    click(qtbot, assistant, B.FinishButton)
    assert assistant.isVisible()
    assert "未保存任何设置" in assistant.preview.message.text() and "管理员" in assistant.preview.message.text()
    assert assistant.office.agency_name.text() == "宿迁市宿城区人民政府办公室"
    assert assistant.units.lines.toPlainText() == "区教育局\n区民政局"
    assert settings_view.current(new_ctx.db) == OfficeSettings()
    assert units.list_units(new_ctx.db) == []
    assert users.active_role(new_ctx.db, "xiaozhang") is None


def test_the_administrators_password_is_typed_twice_and_follows_the_policy(
        qtbot: QtBot, new_ctx: DeskContext) -> None:
    assistant = SetupAssistant(new_ctx)
    qtbot.addWidget(assistant)
    assistant.show()
    admin = assistant.admin
    type_text(qtbot, admin.password, "zhang-2026")
    type_text(qtbot, admin.password_again, "zhang-2025")
    assert not admin.isComplete() and admin.mismatch.text() == "两次输入的密码不一致。"
    admin.password.clear()
    admin.password_again.clear()
    fill_in(qtbot, assistant, password="short1")
    click(qtbot, assistant, B.FinishButton)
    assert assistant.isVisible() and "密码至少8位" in assistant.preview.message.text()
    assert users.list_users(new_ctx.db) == [] and settings_view.current(new_ctx.db) == OfficeSettings()


def test_cancelled_the_dashboard_says_what_is_missing_and_reopens_it(
        qtbot: QtBot, window: MainWindow, new_ctx: DeskContext, monkeypatch: pytest.MonkeyPatch) -> None:
    assistant = window.offer_setup()
    assert assistant is not None
    asked: list[bool] = []
    monkeypatch.setattr(SetupAssistant, "confirm_discard", lambda self: asked.append(True) or False)
    type_text(qtbot, assistant.office.agency_name, "宿迁市")
    click(qtbot, assistant, B.CancelButton)
    assert asked and assistant.isVisible()  # typed: asked, and kept when the answer is "continue"
    assistant.office.agency_name.clear()
    click(qtbot, assistant, B.CancelButton)
    assert not assistant.isVisible() and len(asked) == 1  # nothing typed: closes without asking

    notice = window.pages["dashboard"].setup_notice  # type: ignore[attr-defined]
    for words in ("未填写机关信息：本机关名称、行政复议机关、管辖人民法院", "尚无承办单位", "尚无管理员"):
        assert words in notice.text.text()
    qtbot.mouseClick(notice.button, Qt.MouseButton.LeftButton)
    assert window.setup_assistant is not None and window.setup_assistant.isVisible()


def test_a_configured_office_does_not_get_the_assistant(qtbot: QtBot, ctx: DeskContext) -> None:
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    assert win.offer_setup() is None
    assert win.pages["dashboard"].setup_notice.isHidden() is False  # type: ignore[attr-defined]
    assert "尚无管理员" in win.pages["dashboard"].setup_notice.text.text()  # type: ignore[attr-defined]
