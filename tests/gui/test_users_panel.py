"""设置 → 用户: an administrator edits, deactivates and reactivates users; roles count at once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from request_desk.core.office import accounts, users
from request_desk.core.storage import audit_view
from request_desk.core.storage.db import Database
from request_desk.core.vocab import Role
from request_desk.gui.context import DeskContext
from request_desk.gui.pages.settings import SettingsPage
from request_desk.gui.pages.users_panel import PasswordDialog, UserDialog, UsersPanel
from tests.support.gui import type_text


@pytest.fixture
def admin_ctx(ctx: DeskContext) -> DeskContext:
    """The administrator's desk on the same database (and, for the role tests, the same signals)."""
    users.add_user(ctx.db, "admin", "赵管理", Role.ADMINISTRATOR, actor="supervisor")
    return DeskContext(db=ctx.db, user="admin", today=ctx.today, signals=ctx.signals)


@pytest.fixture
def panel(qtbot: QtBot, admin_ctx: DeskContext) -> UsersPanel:
    widget = UsersPanel(admin_ctx)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def rows(panel: UsersPanel) -> list[list[str]]:
    t = panel.table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def choose(panel: UsersPanel, username: str) -> None:
    panel.table.selectRow(next(i for i, r in enumerate(rows(panel)) if r[0] == username))


def save(qtbot: QtBot, dialog: UserDialog | PasswordDialog) -> None:
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_an_administrator_renames_a_user_and_changes_the_role(qtbot: QtBot, panel: UsersPanel, db: Database) -> None:
    choose(panel, "clerk")
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert dialog is not None and dialog.isVisible() and dialog.username.isReadOnly()
    dialog.display_name.clear()
    type_text(qtbot, dialog.display_name, "李小经")
    dialog.role.setCurrentIndex(dialog.role.findData(Role.SUPERVISOR.value))
    save(qtbot, dialog)
    assert not dialog.isVisible()
    assert ["clerk", "李小经", "负责人", "在用"] in rows(panel)
    actions = {r.action for r in audit_view.search(db, audit_view.AuditQuery(user="admin", table_name="user"))}
    assert actions == {"update_user", "set_user_role"}


def test_deactivated_users_stay_listed_and_can_be_reactivated(qtbot: QtBot, panel: UsersPanel, db: Database) -> None:
    choose(panel, "clerk")
    qtbot.mouseClick(panel.deactivate_button, Qt.MouseButton.LeftButton)
    assert ["clerk", "李经办", "经办人", "已停用"] in rows(panel)
    assert "其办理记录仍保留" in panel.message.text()
    assert users.active_role(db, "clerk") is None
    choose(panel, "clerk")
    assert not panel.deactivate_button.isEnabled() and panel.activate_button.isEnabled()
    qtbot.mouseClick(panel.activate_button, Qt.MouseButton.LeftButton)
    assert ["clerk", "李经办", "经办人", "在用"] in rows(panel)
    assert users.active_role(db, "clerk") is Role.CLERK


def test_the_last_administrator_is_kept_and_the_panel_says_why(qtbot: QtBot, panel: UsersPanel, db: Database) -> None:
    choose(panel, "admin")
    qtbot.mouseClick(panel.deactivate_button, Qt.MouseButton.LeftButton)
    assert "唯一在用的管理员" in panel.message.text()
    assert users.active_role(db, "admin") is Role.ADMINISTRATOR

    choose(panel, "admin")
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert dialog is not None
    dialog.display_name.clear()
    type_text(qtbot, dialog.display_name, "赵大管")
    dialog.role.setCurrentIndex(dialog.role.findData(Role.CLERK.value))
    save(qtbot, dialog)
    assert dialog.isVisible() and "唯一在用的管理员" in dialog.message.text()
    assert dialog.display_name.text() == "赵大管"  # kept for another try
    assert users.display_name(db, "admin") == "赵管理"  # nothing of the edit was stored


def test_only_an_administrator_gets_the_buttons(qtbot: QtBot, ctx: DeskContext, admin_ctx: DeskContext) -> None:
    clerk_panel = UsersPanel(ctx)
    qtbot.addWidget(clerk_panel)
    choose(clerk_panel, "supervisor")
    assert not any(b.isEnabled() for b in (clerk_panel.add_button, clerk_panel.edit_button,
                                            clerk_panel.deactivate_button, clerk_panel.activate_button))
    assert "只有管理员" in clerk_panel.message.text()


def test_a_new_role_unlocks_the_settings_at_once(qtbot: QtBot, ctx: DeskContext, admin_ctx: DeskContext,
                                                 panel: UsersPanel) -> None:
    clerk_page = SettingsPage(ctx)
    qtbot.addWidget(clerk_page)
    assert not clerk_page.office.save_button.isEnabled()
    assert not clerk_page.audit.search_button.isEnabled()

    choose(panel, "clerk")
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    assert panel.dialog is not None
    panel.dialog.role.setCurrentIndex(panel.dialog.role.findData(Role.ADMINISTRATOR.value))
    save(qtbot, panel.dialog)
    assert clerk_page.office.save_button.isEnabled()  # no restart
    assert clerk_page.office.editors["agency_name"].isEnabled()
    assert clerk_page.audit.search_button.isEnabled()
    assert clerk_page.users.edit_button.isEnabled() is False  # nothing chosen yet, but …
    assert clerk_page.users.add_button.isEnabled()  # … the clerk's own panel now manages users


def test_an_administrator_adds_a_user_and_a_refusal_keeps_the_dialog(qtbot: QtBot, panel: UsersPanel) -> None:
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert dialog is not None
    type_text(qtbot, dialog.username, "clerk")  # taken
    type_text(qtbot, dialog.display_name, "王晓")
    save(qtbot, dialog)
    assert dialog.isVisible() and "已存在" in dialog.message.text()
    dialog.username.clear()
    type_text(qtbot, dialog.username, "xiaowang")
    save(qtbot, dialog)
    assert dialog.isVisible() and "密码至少8位" in dialog.message.text()  # a first password is needed
    type_text(qtbot, dialog.password, "wang-start-1")
    save(qtbot, dialog)
    assert not dialog.isVisible()
    assert ["xiaowang", "王晓", "经办人", "在用"] in rows(panel)
    assert accounts.sign_in(panel.ctx.db, "xiaowang", "wang-start-1").must_change_password


def test_an_administrator_resets_a_password(qtbot: QtBot, panel: UsersPanel) -> None:
    choose(panel, "clerk")
    qtbot.mouseClick(panel.reset_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, PasswordDialog)
    type_text(qtbot, dialog.password, "temp-pass-1")
    type_text(qtbot, dialog.again, "temp-pass-2")
    save(qtbot, dialog)
    assert dialog.isVisible() and "不一致" in dialog.message.text()
    dialog.again.clear()
    type_text(qtbot, dialog.again, "temp-pass-1")
    save(qtbot, dialog)
    assert not dialog.isVisible() and "下次登录时须修改" in panel.message.text()
    assert accounts.sign_in(panel.ctx.db, "clerk", "temp-pass-1").must_change_password


def test_a_clerk_cannot_reset_passwords(qtbot: QtBot, ctx: DeskContext) -> None:
    clerks_panel = UsersPanel(ctx)
    qtbot.addWidget(clerks_panel)
    choose(clerks_panel, "supervisor")
    assert not clerks_panel.reset_button.isEnabled()
