"""设置 → 用户: who works at the desk, and (administrators only) adding, editing, deactivating them
and resetting their passwords.

Every change goes through ``core.office.users`` (permission, audit, the last
administrator kept) and is announced with ``users_changed``, so pages that depend
on a role (the settings form, the audit log) re-check it at once. A refusal is
shown in the panel or in the dialog, which stays open with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from request_desk.core.errors import DeskError, ValidationFailed
from request_desk.core.office import permissions, units, users
from request_desk.core.office.units import Unit
from request_desk.core.office.users import DeskUser
from request_desk.core.vocab import Role
from request_desk.gui.context import DeskContext

ERROR_STYLE = "color: #b3261e"
NOT_ADMIN = "只有管理员可以新增、修改、停用用户或更改角色。"


class _SavingDialog(QDialog):
    """A small form whose ``save`` runs on OK; a refusal is shown in it and it stays open with what was typed."""

    # ``save`` gets the dialog itself (a UserDialog, a PasswordDialog) to read its fields.
    def __init__(self, save: Callable[[Any], None], title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.save = save
        self.setWindowTitle(title)
        self.message = QLabel()
        self.message.setObjectName("user_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.form = QFormLayout(self)

    def finish_form(self) -> None:
        self.form.addRow(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.form.addRow(buttons)

    def accept(self) -> None:
        try:
            self.save(self)
        except DeskError as exc:
            self.message.setText(str(exc))
            return
        super().accept()


class UserDialog(_SavingDialog):
    """新增用户 / 编辑用户."""

    def __init__(self, save: Callable[[UserDialog], None], parent: QWidget | None = None,
                 user: DeskUser | None = None, unit_choices: list[Unit] | None = None) -> None:
        super().__init__(save, "编辑用户" if user else "新增用户", parent)
        self.username = QLineEdit(user.username if user else "")
        self.username.setReadOnly(user is not None)  # the login is what the history refers to
        self.display_name = QLineEdit(user.display_name if user else "")
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(role.label, role.value)
        if user is not None:
            self.role.setCurrentIndex(self.role.findData(user.role))
        self.form.addRow("用户名*", self.username)
        self.form.addRow("姓名*", self.display_name)
        self.form.addRow("角色", self.role)
        # A liaison's handling unit: shown for that role only (users.add_user / set_role refuse none).
        self.unit = QComboBox()
        self.unit.setObjectName("unit")
        self.unit.setPlaceholderText("请选择承办单位")
        for unit in unit_choices or []:
            self.unit.addItem(unit.name, unit.id)
        self.unit.setCurrentIndex(self.unit.findData(user.unit_id) if user is not None and user.unit_id else -1)
        self.form.addRow("所在承办单位*", self.unit)
        self.role.currentIndexChanged.connect(lambda _i: self._show_unit())
        self._show_unit()
        if user is None:  # the first password, to be changed at the first sign-in
            self.password = QLineEdit()
            self.password.setEchoMode(QLineEdit.EchoMode.Password)
            self.password.setPlaceholderText("初始密码，用户首次登录时须修改")
            self.form.addRow("初始密码*", self.password)
        self.finish_form()

    def chosen_role(self) -> Role:
        return Role(self.role.currentData())

    def chosen_unit(self) -> int | None:
        """The liaison's unit (None for the desk's roles, or none chosen)."""
        data = self.unit.currentData()
        return int(data) if self.chosen_role() is Role.LIAISON and data is not None else None

    def _show_unit(self) -> None:
        self.form.setRowVisible(self.unit, self.chosen_role() is Role.LIAISON)


class PasswordDialog(_SavingDialog):
    """重置密码: a temporary password, typed twice, which the user must change at the next sign-in."""

    def __init__(self, save: Callable[[PasswordDialog], None], user: DeskUser, parent: QWidget | None = None) -> None:
        super().__init__(save, f"重置密码 — {user.display_name}（{user.username}）", parent)
        self.password, self.again = QLineEdit(), QLineEdit()
        for edit in (self.password, self.again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow("临时密码*", self.password)
        self.form.addRow("再输入一次*", self.again)
        self.form.addRow("", QLabel("用户下次登录时须改为自己的密码；账户如已锁定，同时解锁。"))
        self.finish_form()

    def typed(self) -> str:
        if self.password.text() != self.again.text():
            raise ValidationFailed("两次输入的密码不一致。")
        return self.password.text()


class UsersPanel(QWidget):
    COLUMNS = ("用户名", "姓名", "角色", "状态")

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.itemSelectionChanged.connect(self._enable)
        self.table.itemDoubleClicked.connect(lambda _item: self.edit())
        self.add_button = QPushButton("新增用户")
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton("编辑…")
        self.edit_button.setToolTip("修改姓名或角色")
        self.edit_button.clicked.connect(self.edit)
        self.deactivate_button = QPushButton("停用")
        self.deactivate_button.setToolTip("停用后不能再办理，已办理的记录仍显示其姓名")
        self.deactivate_button.clicked.connect(lambda: self._switch(active=False))
        self.activate_button = QPushButton("启用")
        self.activate_button.clicked.connect(lambda: self._switch(active=True))
        self.reset_button = QPushButton("重置密码…")
        self.reset_button.setToolTip("设置临时密码（用户下次登录时须修改），并解除锁定")
        self.reset_button.clicked.connect(self.reset_password)
        self.message = QLabel()
        self.message.setObjectName("users_message")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        for button in (self.add_button, self.edit_button, self.deactivate_button, self.activate_button,
                       self.reset_button):
            buttons.addWidget(button, 0, Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("延期答复须由“负责人”或“管理员”角色的用户批准；停用的用户保留其办理记录。"))
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.dialog: _SavingDialog | None = None
        self.rows: list[DeskUser] = []
        ctx.signals.users_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        chosen = self.selected()
        self.rows = users.list_users(self.ctx.db, active_only=False)
        self.table.setRowCount(len(self.rows))
        for i, user in enumerate(self.rows):
            shown_role = Role(user.role).label + (f"（{user.unit_name}）" if user.unit_name else "")
            cells = (user.username, user.display_name, shown_role, "在用" if user.active else "已停用")
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(text))
            if chosen is not None and user.username == chosen.username:
                self.table.selectRow(i)
        # The core's rule (users.require_administrator): an administrator; while the office has
        # none, a supervisor; on a database without users, whoever starts the desk.
        self.is_admin = self.may_add = permissions.user_may(self.ctx.db, self.ctx.user,
                                                            permissions.Permission.MANAGE_USERS)
        if not self.is_admin and self.message.styleSheet() != ERROR_STYLE:
            self.message.setText(NOT_ADMIN)
        self._enable()

    def selected(self) -> DeskUser | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.rows):
            return None
        return self.rows[rows[0].row()]

    def _enable(self) -> None:
        user = self.selected()
        self.add_button.setEnabled(self.may_add)
        self.edit_button.setEnabled(self.is_admin and user is not None)
        self.deactivate_button.setEnabled(self.is_admin and user is not None and user.active)
        self.activate_button.setEnabled(self.is_admin and user is not None and not user.active)
        self.reset_button.setEnabled(self.is_admin and user is not None and user.active)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "color: #1b6e20")
        self.message.setText(text)

    def _changed(self, text: str) -> None:
        self._say(text)
        self.ctx.signals.users_changed.emit()  # refreshes this panel too

    def add(self) -> None:
        def save(dialog: UserDialog) -> None:
            added = users.add_user(self.ctx.db, dialog.username.text(), dialog.display_name.text(),
                                   dialog.chosen_role(), actor=self.ctx.user,
                                   initial_password=dialog.password.text(), unit_id=dialog.chosen_unit())
            self._changed(f"已新增用户“{added.display_name}”。")

        self._open(UserDialog(save, self, unit_choices=self._units()))

    def _units(self) -> list[Unit]:
        return units.list_units(self.ctx.db, active_only=True)

    def edit(self) -> None:
        user = self.selected()
        if user is None or not self.is_admin:
            return

        def save(dialog: UserDialog) -> None:
            name = dialog.display_name.text().strip()
            if not name:
                raise ValidationFailed("姓名不能为空。")
            # The role first: the refusal that can happen (the last administrator) comes before any change.
            if dialog.chosen_role().value != user.role or dialog.chosen_unit() != user.unit_id:
                users.set_role(self.ctx.db, user.username, dialog.chosen_role(), actor=self.ctx.user,
                               unit_id=dialog.chosen_unit())
            if name != user.display_name:
                users.update_user(self.ctx.db, user.username, name, actor=self.ctx.user)
            self._changed(f"已保存用户“{name}”。")

        self._open(UserDialog(save, self, user, self._units()))

    def reset_password(self) -> None:
        user = self.selected()
        if user is None or not self.is_admin:
            return

        def save(dialog: PasswordDialog) -> None:
            users.reset_password(self.ctx.db, user.username, dialog.typed(), actor=self.ctx.user)
            self._changed(f"已为“{user.display_name}”设置临时密码，其下次登录时须修改。")

        self._open(PasswordDialog(save, user, self))

    def _open(self, dialog: _SavingDialog) -> None:
        self.dialog = dialog
        dialog.open()  # window-modal without blocking: the panel (and a test) keeps running

    def _switch(self, *, active: bool) -> None:
        user = self.selected()
        if user is None:
            return
        try:
            if active:
                users.activate(self.ctx.db, user.username, actor=self.ctx.user)
            else:
                users.deactivate(self.ctx.db, user.username, actor=self.ctx.user)
        except DeskError as exc:
            self._say(str(exc), error=True)
            return
        self._changed(f"已{'启用' if active else '停用'}用户“{user.display_name}”"
                      + ("。" if active else "；其办理记录仍保留。"))
