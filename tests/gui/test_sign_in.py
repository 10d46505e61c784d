"""Signing in at the desk (issue 16, point 1): 登录, the first password, the forced change,
修改密码…, and the idle lock that covers the desk until the same user's password is typed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot
from sqlmodel import select

from request_desk.core.errors import ValidationFailed
from request_desk.core.office import accounts, settings_change, users
from request_desk.core.office.accounts import SignedIn
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import User
from request_desk.gui import app as desk_app
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.registration import RegistrationDialog
from request_desk.gui.dialogs.setup_assistant import SetupAssistant
from request_desk.gui.dialogs.sign_in import (
    SETTINGS_LAST_USER,
    ChangePasswordDialog,
    LockDialog,
    SignInDialog,
    remembered_user,
)
from request_desk.gui.idle_lock import Cover
from request_desk.gui.main_window import MainWindow
from tests import factories
from tests.support.gui import case_window, type_text

PASSWORD = "li-jingban-7"
NEW_PASSWORD = "li-jingban-8"


def set_password(db: Database, username: str, password: str, *, temporary: bool = False) -> None:
    with db.write() as session:
        user = session.exec(select(User).where(User.username == username)).one()
        accounts.set_password(session, user, password, "test", temporary=temporary)


@pytest.fixture
def office(db: Database) -> Database:
    """The template office, its clerk with a password of their own."""
    set_password(db, "clerk", PASSWORD)
    set_password(db, "supervisor", "wang-zhuren-1")
    return db


def dialog_for(qtbot: QtBot, db: Database, username: str = "") -> SignInDialog:
    dialog = SignInDialog(db, username)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def press_enter(qtbot: QtBot, dialog: QDialog) -> None:
    focused = dialog.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, Qt.Key.Key_Return)


def sign_in(qtbot: QtBot, dialog: SignInDialog, password: str) -> None:
    dialog.password.clear()
    type_text(qtbot, dialog.password, password)
    press_enter(qtbot, dialog)


# -- 登录 -----------------------------------------------------------------------------------


def test_the_right_password_signs_in_with_the_keyboard_only(qtbot: QtBot, office: Database) -> None:
    dialog = dialog_for(qtbot, office)
    assert dialog.windowTitle() == "登录"
    assert dialog.findChild(type(dialog.message), "office_name").text() == factories.OFFICE["agency_name"]
    assert dialog.focusWidget() is dialog.username  # nothing remembered: the name first
    type_text(qtbot, dialog.username, "clerk")
    qtbot.keyClick(dialog.username, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.password
    sign_in(qtbot, dialog, PASSWORD)
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
    assert dialog.signed == SignedIn("clerk", "李经办", "clerk", False)


@pytest.mark.parametrize(("username", "says"), [
    ("clerk", "用户名或密码不正确。"),
    ("nobody", "用户名或密码不正确。"),  # the same words: a stranger learns nothing
])
def test_a_refusal_is_shown_the_password_cleared_and_the_name_kept(qtbot: QtBot, office: Database,
                                                                  username: str, says: str) -> None:
    dialog = dialog_for(qtbot, office, username)
    assert dialog.focusWidget() is dialog.password  # the name given: straight to the password
    sign_in(qtbot, dialog, "wrong-password-1")
    assert dialog.isVisible() and dialog.signed is None
    assert dialog.message.text() == says
    assert dialog.username.text() == username
    assert dialog.password.text() == "" and dialog.focusWidget() is dialog.password


def test_a_deactivated_user_is_told_so(qtbot: QtBot, office: Database) -> None:
    users.deactivate(office, "clerk", actor="supervisor")
    dialog = dialog_for(qtbot, office, "clerk")
    sign_in(qtbot, dialog, PASSWORD)
    assert dialog.signed is None and "已停用" in dialog.message.text()


def test_five_failures_lock_the_account_and_the_dialog_says_until_when(qtbot: QtBot, office: Database) -> None:
    dialog = dialog_for(qtbot, office, "clerk")
    for _ in range(5):
        sign_in(qtbot, dialog, "wrong-password-1")
    sign_in(qtbot, dialog, PASSWORD)  # even the right one, for a while
    assert dialog.signed is None
    assert "已锁定" in dialog.message.text() and "后再试" in dialog.message.text()


def test_quit_at_the_sign_in_leaves(qtbot: QtBot, office: Database) -> None:
    dialog = dialog_for(qtbot, office, "clerk")
    qtbot.mouseClick(dialog.quit, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected and dialog.signed is None


def test_the_last_user_name_is_remembered_on_this_pc_not_in_the_database(
        qtbot: QtBot, office: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert QSettings().fileName().startswith(str(tmp_path))  # tests/gui/conftest.py: never the user's own
    sign_in(qtbot, dialog_for(qtbot, office, "clerk"), PASSWORD)
    assert remembered_user() == "clerk" == QSettings().value(SETTINGS_LAST_USER)
    again = dialog_for(qtbot, office, remembered_user())
    assert again.username.text() == "clerk" and again.focusWidget() is again.password
    # What the desk offers at start: --user / REQUEST_DESK_USER when given, else the remembered name.
    monkeypatch.setattr(desk_app.getpass, "getuser", lambda: "xiaoli")
    assert desk_app.name_to_offer(office, "") == "clerk"
    assert desk_app.name_to_offer(office, "supervisor") == "supervisor"
    QSettings().remove(SETTINGS_LAST_USER)
    assert desk_app.name_to_offer(office, "") == ""  # a system login that is no user of the desk
    monkeypatch.setattr(desk_app.getpass, "getuser", lambda: "supervisor")
    assert desk_app.name_to_offer(office, "") == "supervisor"  # one that is
    with office.read() as session:  # nothing of it in the office's database
        assert "last_user" not in str(session.exec(select(User.username)).all())


# -- the forced change and the first password --------------------------------------------


def test_a_reset_password_is_changed_before_the_desk_opens(qtbot: QtBot, office: Database) -> None:
    set_password(office, "clerk", "temporary-9", temporary=True)
    dialog = dialog_for(qtbot, office, "clerk")
    sign_in(qtbot, dialog, "temporary-9")
    assert dialog.isVisible() and dialog.pages.currentWidget() is dialog.change_page
    assert dialog.windowTitle() == "修改密码" and dialog.focusWidget() is dialog.change.password
    for first, second, says in (("abc1", "abc1", "密码至少8位。"),  # the core's policy, in its words
                                ("temporary-9", "temporary-9", "新密码不能与原密码相同。"),
                                (NEW_PASSWORD, "li-jingban-9", "两次输入的密码不一致。")):
        type_text(qtbot, dialog.change.password, first)
        type_text(qtbot, dialog.change.again, second)
        press_enter(qtbot, dialog)
        assert dialog.isVisible() and dialog.message.text() == says
        assert dialog.change.password.text() == "" and dialog.focusWidget() is dialog.change.password
    type_text(qtbot, dialog.change.password, NEW_PASSWORD)
    type_text(qtbot, dialog.change.again, NEW_PASSWORD)
    press_enter(qtbot, dialog)
    assert dialog.signed == SignedIn("clerk", "李经办", "clerk", False)
    with office.read() as session:
        assert not session.exec(select(User).where(User.username == "clerk")).one().must_change_password
    assert not accounts.sign_in(office, "clerk", NEW_PASSWORD).must_change_password


def test_leaving_the_forced_change_goes_back_to_signing_in(qtbot: QtBot, office: Database) -> None:
    set_password(office, "clerk", "temporary-9", temporary=True)
    dialog = dialog_for(qtbot, office, "clerk")
    sign_in(qtbot, dialog, "temporary-9")
    qtbot.keyClick(dialog.change.password, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.pages.currentWidget() is dialog.sign_in_page
    assert dialog.signed is None and dialog.password.text() == ""
    qtbot.mouseClick(dialog.quit, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected and dialog.signed is None


def test_an_upgraded_offices_manager_chooses_the_first_password(qtbot: QtBot, db: Database) -> None:
    # The template office as it was before passwords: two users, no administrator (the supervisor
    # manages users), and no password yet.
    with db.write() as session:
        for user in session.exec(select(User)).all():
            user.password_hash = ""
            session.add(user)
    clerk = dialog_for(qtbot, db, "clerk")
    sign_in(qtbot, clerk, "")
    assert clerk.signed is None and "尚未设置密码，请管理员为您设置" in clerk.message.text()
    dialog = dialog_for(qtbot, db, "supervisor")
    sign_in(qtbot, dialog, "")
    assert dialog.pages.currentWidget() is dialog.first_page and dialog.windowTitle() == "设置密码"
    assert "尚未设置任何密码" in dialog.message.text()
    type_text(qtbot, dialog.first.password, "12345678")
    type_text(qtbot, dialog.first.again, "12345678")
    press_enter(qtbot, dialog)
    assert dialog.signed is None and "字母和数字" in dialog.message.text()
    type_text(qtbot, dialog.first.password, "wang-zhuren-1")
    type_text(qtbot, dialog.first.again, "wang-zhuren-1")
    press_enter(qtbot, dialog)
    assert dialog.signed == SignedIn("supervisor", "王主任", "supervisor", False)
    assert accounts.sign_in(db, "supervisor", "wang-zhuren-1").username == "supervisor"
    assert not accounts.needs_first_password(db, "supervisor")


# -- the signed-in desk ----------------------------------------------------------------------


@pytest.fixture
def desk(qtbot: QtBot, office: Database) -> MainWindow:
    """The desk as ``app.run`` opens it after the clerk signed in."""
    window = MainWindow(DeskContext(db=office, user="clerk", today=lambda: factories.TODAY))
    qtbot.addWidget(window)
    window.signed_in("clerk")
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_status_line_names_the_signed_in_user_and_role(desk: MainWindow) -> None:
    assert desk.who.text().startswith("当前用户：李经办（经办人）")
    assert desk.change_password_action.isEnabled() and desk.lock_action.isEnabled()


def test_change_password_at_any_time(qtbot: QtBot, desk: MainWindow) -> None:
    desk.change_password_action.trigger()
    dialog = desk.password_dialog
    assert isinstance(dialog, ChangePasswordDialog) and dialog.isVisible()
    type_text(qtbot, dialog.old, "wrong-password-1")
    type_text(qtbot, dialog.new.password, NEW_PASSWORD)
    type_text(qtbot, dialog.new.again, NEW_PASSWORD)
    press_enter(qtbot, dialog)
    assert dialog.isVisible() and dialog.message.text() == "原密码不正确。"
    assert dialog.old.text() == dialog.new.password.text() == "" and dialog.focusWidget() is dialog.old
    type_text(qtbot, dialog.old, PASSWORD)
    type_text(qtbot, dialog.new.password, NEW_PASSWORD)
    type_text(qtbot, dialog.new.again, NEW_PASSWORD)
    press_enter(qtbot, dialog)
    assert dialog.changed and not dialog.isVisible()
    assert accounts.sign_in(desk.ctx.db, "clerk", NEW_PASSWORD).username == "clerk"


def test_not_signed_in_nothing_to_change_or_unlock_with(qtbot: QtBot, ctx: DeskContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert not window.change_password_action.isEnabled() and not window.lock_action.isEnabled()
    window.idle_lock.set_timeout_ms(10)
    assert not window.idle_lock.timer.isActive()
    window.idle_lock.lock()
    assert not window.idle_lock.is_locked


def _lock_dialog(desk: MainWindow) -> LockDialog:
    dialog = desk.idle_lock.dialog
    assert isinstance(dialog, LockDialog) and dialog.isVisible()
    return dialog


def test_idle_the_desk_locks_covers_and_unlocks_only_with_the_same_users_password(
        qtbot: QtBot, desk: MainWindow) -> None:
    assert desk.idle_lock.timeout_ms == 15 * 60_000  # idle_lock_minutes, 15 by default
    with qtbot.waitSignal(desk.idle_lock.locked, timeout=5000):
        desk.idle_lock.set_timeout_ms(50)
    lock = _lock_dialog(desk)
    assert lock.isModal() and lock.windowModality() == Qt.WindowModality.ApplicationModal
    [cover] = [c for c in desk.findChildren(Cover) if c.isVisible()]
    assert cover.geometry() == desk.rect()  # the whole window: no data shows
    assert "李经办（clerk）" in lock.findChild(type(lock.message), "lock_text").text()
    qtbot.keyClick(lock.password, Qt.Key.Key_Escape)
    assert lock.isVisible()  # Esc does not unlock
    type_text(qtbot, lock.password, "wang-zhuren-1")  # another user's password does not unlock
    press_enter(qtbot, lock)
    assert desk.idle_lock.is_locked and lock.message.text() == "用户名或密码不正确。" and lock.password.text() == ""
    with qtbot.waitSignal(desk.idle_lock.unlocked, timeout=2000):
        type_text(qtbot, lock.password, PASSWORD)
        press_enter(qtbot, lock)
    assert not desk.idle_lock.is_locked and not cover.isVisible()
    assert desk.idle_lock.timer.isActive()  # counting again


def test_failures_at_the_lock_count_toward_the_lock_out(qtbot: QtBot, desk: MainWindow) -> None:
    desk.lock_action.trigger()  # 锁定 (Ctrl+L): leaving the desk
    lock = _lock_dialog(desk)
    for _ in range(5):
        type_text(qtbot, lock.password, "wrong-password-1")
        press_enter(qtbot, lock)
    type_text(qtbot, lock.password, PASSWORD)
    press_enter(qtbot, lock)
    assert desk.idle_lock.is_locked and "已锁定" in lock.message.text()


def test_input_keeps_the_desk_unlocked(qtbot: QtBot, desk: MainWindow) -> None:
    desk.idle_lock.set_timeout_ms(10_000)
    qtbot.wait(300)
    assert desk.idle_lock.timer.remainingTime() < 9_800
    qtbot.keyClick(desk.nav, Qt.Key.Key_Down)
    assert desk.idle_lock.timer.remainingTime() > 9_800


def test_a_form_keeps_what_was_typed_through_a_lock(qtbot: QtBot, desk: MainWindow) -> None:
    form = RegistrationDialog(desk.ctx, desk)
    qtbot.addWidget(form)
    form.open()
    qtbot.waitExposed(form)
    type_text(qtbot, form.ui.applicant_name, "张三")
    type_text(qtbot, form.ui.description, "2025年本市老旧小区改造项目的资金使用情况")
    desk.idle_lock.lock()
    lock = _lock_dialog(desk)
    assert form.isVisible()  # covered, not closed
    assert any(c.isVisible() and c.geometry() == form.rect() for c in form.findChildren(Cover))
    type_text(qtbot, lock.password, PASSWORD)
    press_enter(qtbot, lock)
    assert form.isVisible() and not [c for c in form.findChildren(Cover) if c.isVisible()]
    assert form.ui.applicant_name.text() == "张三"
    assert "老旧小区" in form.ui.description.toPlainText()


def test_the_case_area_is_covered_too(qtbot: QtBot, desk: MainWindow) -> None:
    rid = factories.register(desk.ctx.db, factories.TODAY)
    area = case_window(qtbot, desk.ctx, rid).window()
    area.show()
    qtbot.waitExposed(area)
    desk.idle_lock.lock()
    assert area is not desk and any(c.isVisible() and c.geometry() == area.rect() for c in area.findChildren(Cover))
    lock = _lock_dialog(desk)
    type_text(qtbot, lock.password, PASSWORD)
    press_enter(qtbot, lock)
    assert area.isVisible() and not [c for c in area.findChildren(Cover) if c.isVisible()]


def test_the_idle_time_follows_the_setting_and_zero_never_locks(qtbot: QtBot, desk: MainWindow) -> None:
    db = desk.ctx.db
    settings_change.update_settings(db, "supervisor", {"idle_lock_minutes": 0})
    desk.ctx.signals.settings_changed.emit()
    assert desk.idle_lock.timeout_ms == 0 and not desk.idle_lock.timer.isActive()
    settings_change.update_settings(db, "supervisor", {"idle_lock_minutes": 5})
    desk.ctx.signals.settings_changed.emit()
    assert desk.idle_lock.timeout_ms == 5 * 60_000 and desk.idle_lock.timer.isActive()
    with pytest.raises(ValidationFailed, match="不能为负数"):
        settings_change.update_settings(db, "supervisor", {"idle_lock_minutes": -1})
    form = desk.pages["settings"].office  # type: ignore[attr-defined]
    assert "idle_lock_minutes" in form.editors and "0 表示不自动锁定" in form.editors["idle_lock_minutes"].toolTip()


# -- a new office, and the start-up --------------------------------------------------------


def test_the_setup_assistants_administrator_is_the_signed_in_user(qtbot: QtBot, empty_office: Database) -> None:
    ctx = DeskContext(db=empty_office, user="xiaozhang", today=lambda: factories.TODAY)  # the system login
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assistant = SetupAssistant(ctx, window)
    qtbot.addWidget(assistant)
    for page, values in ((assistant.office, {"agency_name": "宿迁市宿城区人民政府办公室"}),):
        for name, text in values.items():
            type_text(qtbot, getattr(page, name), text)
    assistant.admin.username.setText("zhangxiao")
    type_text(qtbot, assistant.admin.display_name, "张晓")
    type_text(qtbot, assistant.admin.password, "zhang-2026")
    type_text(qtbot, assistant.admin.password_again, "zhang-2026")
    assistant.accept()
    assert ctx.user == "zhangxiao"
    assert window.who.text().startswith("当前用户：张晓（管理员）")
    assert window.idle_lock.armed and window.change_password_action.isEnabled()
    # Their own password, typed in the assistant: nothing to change at the next sign-in.
    assert accounts.sign_in(empty_office, "zhangxiao", "zhang-2026") == SignedIn(
        "zhangxiao", "张晓", "administrator", False)


def test_the_desk_starts_only_after_signing_in(qtbot: QtBot, office: Database, db_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run() installs its own
    monkeypatch.setattr("request_desk.gui.pages.backup_panel.AutoBackup.start", lambda self: None)
    offered: list[str] = []

    def quits(db: Database, username: str = "", parent: object = None) -> SignedIn | None:
        offered.append(username)
        return None

    monkeypatch.setattr(SignInDialog, "ask", quits)
    assert desk_app.run(db_path, "supervisor") == 0  # 退出 at the sign-in: a clean exit
    assert offered == ["supervisor"] and not [w for w in QApplication.topLevelWidgets()
                                              if isinstance(w, MainWindow) and w.isVisible()]

    opened: list[DeskContext] = []

    def signs_in(db: Database, username: str = "", parent: object = None) -> SignedIn | None:
        def look() -> None:
            windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
            opened.extend(w.ctx for w in windows)
            for w in windows:
                w.close()
            QApplication.exit(0)

        QTimer.singleShot(0, look)
        return SignedIn("clerk", "李经办", "clerk", False)

    monkeypatch.setattr(SignInDialog, "ask", signs_in)
    assert desk_app.run(db_path, "supervisor") == 0
    [ctx] = opened
    assert ctx.user == "clerk"  # whoever signed in, not the command line's user
