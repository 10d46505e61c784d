"""登录, 修改密码 and the idle lock's 已锁定: who works at the desk is true (issue 16; docs/SECURITY.md).

``SignInDialog`` opens before the main window on a database that has users. It
asks for a user name and a password (``accounts.sign_in``); the refusal the core
gives is shown in the dialog, the password cleared, the user name kept. Two
things can follow in the same dialog before it closes:

* an upgraded office's manager, while no account has a password yet
  (``FirstPasswordNeeded``), chooses the office's first password, typed twice
  (``accounts.set_first_password``);
* a password someone else set (``SignedIn.must_change_password``) is changed
  first, the new one typed twice (``accounts.change_password``).

退出 (or Esc) on the sign-in page leaves the program; on the other two pages it goes
back to signing in. The user name signed in last is remembered per PC in QSettings
(the user's own settings, never the database) and offered next time.

``ChangePasswordDialog`` is 修改密码… for the signed-in user at any time;
``LockDialog`` is what the idle lock (``gui/idle_lock.py``) shows over the desk.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from request_desk.core.errors import DeskError
from request_desk.core.office import accounts, settings_view, users
from request_desk.core.office.accounts import SignedIn
from request_desk.core.storage.db import Database
from request_desk.core.vocab import Role

#: QSettings key of the user name signed in last on this PC.
SETTINGS_LAST_USER = "sign_in/last_user"

_ERROR_STYLE = "color: #b3261e"


def remembered_user() -> str:
    """The user name signed in last on this PC (empty the first time)."""
    value = QSettings().value(SETTINGS_LAST_USER, "")
    return value if isinstance(value, str) else ""


def remember_user(username: str) -> None:
    QSettings().setValue(SETTINGS_LAST_USER, username)


def who(signed: SignedIn) -> str:
    """王主任（负责人）: how the status line and the lock name the signed-in user."""
    try:
        role = Role(signed.role).label
    except ValueError:
        role = signed.role
    return f"{signed.display_name}（{role}）"


def _password_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    return edit


def _message_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(_ERROR_STYLE)
    return label


class NewPassword(QWidget):
    """A new password typed twice; ``value()`` is None (and says so) while the two differ."""

    def __init__(self, min_length: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.password = _password_edit(f"至少{min_length}位，含字母和数字")
        self.again = _password_edit("再输入一次")
        self.password.setObjectName("new_password")
        self.again.setObjectName("new_password_again")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("新密码", self.password)
        form.addRow("确认新密码", self.again)

    def value(self) -> str | None:
        return self.password.text() if self.password.text() == self.again.text() else None

    def clear(self) -> None:
        self.password.clear()
        self.again.clear()
        self.password.setFocus()


class SignInDialog(QDialog):
    """登录: user name and password; then, if needed, the first password or the forced change."""

    def __init__(self, db: Database, username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.signed: SignedIn | None = None
        self._pending: SignedIn | None = None  # signed in, the forced change still to do
        self._old_password = ""
        settings = settings_view.current(db)
        self.setWindowTitle("登录")
        self.setModal(True)
        heading = QLabel(settings.agency_name or "依申请公开办理台")
        heading.setObjectName("office_name")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        heading.setWordWrap(True)
        heading.setStyleSheet("font-size: 18px; font-weight: bold; padding: 6px")
        subtitle = QLabel("依申请公开办理台" if settings.agency_name else "")
        subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        subtitle.setVisible(bool(settings.agency_name))

        self.username = QLineEdit(username)
        self.username.setObjectName("username")
        self.username.setPlaceholderText("登录用户名")
        self.password = _password_edit()
        self.password.setObjectName("password")
        sign_in_page = QWidget()
        form = QFormLayout(sign_in_page)
        form.addRow("用户名", self.username)
        form.addRow("密码", self.password)

        self.first = NewPassword(settings.password_min_length)
        first_page = QWidget()
        first_layout = QVBoxLayout(first_page)
        first_intro = QLabel("本机关尚未设置任何密码。您是本机关的用户管理人，请为自己的账户设置密码"
                             "（其他用户的密码由您在“设置 → 用户”中设置）。")
        first_intro.setWordWrap(True)
        first_layout.addWidget(first_intro)
        first_layout.addWidget(self.first)

        self.change = NewPassword(settings.password_min_length)
        change_page = QWidget()
        change_layout = QVBoxLayout(change_page)
        change_intro = QLabel("您的密码由管理员设置，须先修改为只有您知道的新密码。")
        change_intro.setWordWrap(True)
        change_layout.addWidget(change_intro)
        change_layout.addWidget(self.change)

        self.pages = QStackedWidget()
        for page in (sign_in_page, first_page, change_page):
            self.pages.addWidget(page)
        self.sign_in_page, self.first_page, self.change_page = sign_in_page, first_page, change_page

        self.message = _message_label("sign_in_message")
        self.ok = QPushButton("登录")
        self.ok.setObjectName("sign_in")
        self.ok.setDefault(True)
        self.ok.setAutoDefault(True)
        self.ok.clicked.connect(self.submit)
        self.quit = QPushButton("退出")
        self.quit.setObjectName("quit")
        self.quit.setAutoDefault(False)
        self.quit.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok)
        buttons.addWidget(self.quit)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(subtitle)
        layout.addWidget(self.pages)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.setMinimumWidth(420)
        self._focus_first_empty()

    # -- what is shown -----------------------------------------------------------------

    def _focus_first_empty(self) -> None:
        (self.password if self.username.text().strip() else self.username).setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self.pages.currentWidget() is self.sign_in_page:
            self._focus_first_empty()

    def _show_page(self, page: QWidget, title: str, ok: str, cancel: str) -> None:
        self.pages.setCurrentWidget(page)
        self.setWindowTitle(title)
        self.ok.setText(ok)
        self.quit.setText(cancel)

    def _refused(self, text: str) -> None:
        self.message.setText(text)
        page = self.pages.currentWidget()
        if page is self.first_page:
            self.first.clear()
        elif page is self.change_page:
            self.change.clear()
        else:
            self.password.clear()
            self.password.setFocus()

    def back_to_sign_in(self) -> None:
        self._pending = None
        self._old_password = ""
        self.first.clear()
        self.change.clear()
        self._show_page(self.sign_in_page, "登录", "登录", "退出")
        self.password.clear()
        self._focus_first_empty()

    # -- what the buttons do -----------------------------------------------------------

    def submit(self) -> None:
        """登录 (or Enter): whatever the current page asks for."""
        page = self.pages.currentWidget()
        if page is self.first_page:
            self._choose_first_password()
        elif page is self.change_page:
            self._change_password()
        else:
            self._sign_in()

    def _sign_in(self) -> None:
        name = self.username.text().strip()
        if not name:
            self.message.setText("请输入用户名。")
            self.username.setFocus()
            return
        password = self.password.text()
        try:
            signed = accounts.sign_in(self.db, name, password)
        except accounts.FirstPasswordNeeded as exc:
            self.message.setText(str(exc))
            self._show_page(self.first_page, "设置密码", "设置密码并登录", "返回")
            self.first.clear()
            return
        except DeskError as exc:
            self._refused(str(exc))
            return
        if signed.must_change_password:
            self._pending = signed
            self._old_password = password
            self.message.setText("")
            self._show_page(self.change_page, "修改密码", "修改密码并登录", "返回")
            self.change.clear()
            return
        self._finish(signed)

    def _choose_first_password(self) -> None:
        chosen = self.first.value()
        if chosen is None:
            self._refused("两次输入的密码不一致。")
            return
        try:
            signed = accounts.set_first_password(self.db, self.username.text().strip(), chosen)
        except DeskError as exc:
            self._refused(str(exc))
            return
        self._finish(signed)

    def _change_password(self) -> None:
        assert self._pending is not None
        chosen = self.change.value()
        if chosen is None:
            self._refused("两次输入的密码不一致。")
            return
        try:
            accounts.change_password(self.db, self._pending.username, self._old_password, chosen)
        except DeskError as exc:
            self._refused(str(exc))
            return
        self._finish(replace(self._pending, must_change_password=False))

    def _finish(self, signed: SignedIn) -> None:
        self._old_password = ""
        self._pending = None
        self.signed = signed
        remember_user(signed.username)
        self.accept()

    def reject(self) -> None:
        """退出 / Esc: back to signing in from the other pages; from signing in, leave."""
        if self.pages.currentWidget() is not self.sign_in_page:
            self.message.setText("")
            self.back_to_sign_in()
            return
        super().reject()

    @classmethod
    def ask(cls, db: Database, username: str = "", parent: QWidget | None = None) -> SignedIn | None:
        """Modal: the signed-in user, or None when they chose 退出."""
        dialog = cls(db, username, parent)
        dialog.exec()
        return dialog.signed


class ChangePasswordDialog(QDialog):
    """修改密码…: the signed-in user changes their own password (the old one, the new one twice)."""

    def __init__(self, db: Database, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.username = username
        self.changed = False
        self.setWindowTitle("修改密码")
        self.old = _password_edit()
        self.old.setObjectName("old_password")
        self.new = NewPassword(settings_view.current(db).password_min_length)
        form = QFormLayout()
        form.addRow("用户", QLabel(users.display_name(db, username)))
        form.addRow("原密码", self.old)
        self.message = _message_label("change_message")
        self.ok = QPushButton("修改密码")
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.submit)
        cancel = QPushButton("取消")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.new)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.setMinimumWidth(400)
        self.old.setFocus()

    def submit(self) -> None:
        chosen = self.new.value()
        if chosen is None:
            self.message.setText("两次输入的新密码不一致。")
            self.new.clear()
            return
        try:
            accounts.change_password(self.db, self.username, self.old.text(), chosen)
        except accounts.SignInFailed as exc:  # the old password is wrong: all three typed again
            self.message.setText(str(exc))
            self.new.clear()
            self.old.clear()
            self.old.setFocus()
            return
        except DeskError as exc:  # the policy
            self.message.setText(str(exc))
            self.new.clear()
            return
        self.changed = True
        self.accept()


class LockDialog(QDialog):
    """已锁定: the same user's password unlocks (failures count toward the lock-out), or 退出程序."""

    unlocked = Signal()
    quit_requested = Signal()

    def __init__(self, db: Database, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.username = username
        self.setWindowTitle("办理台已锁定")
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        name = users.display_name(db, username)
        text = QLabel(f"办理台因长时间无操作已锁定。\n请输入 {name}（{username}）的密码解锁。")
        text.setObjectName("lock_text")
        text.setWordWrap(True)
        self.password = _password_edit()
        self.password.setObjectName("unlock_password")
        form = QFormLayout()
        form.addRow("密码", self.password)
        self.message = _message_label("lock_message")
        note = QLabel("退出程序将关闭所有窗口，尚未保存的填写内容会丢失。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555; font-size: 12px")
        self.ok = QPushButton("解锁")
        self.ok.setObjectName("unlock")
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.submit)
        leave = QPushButton("退出程序")
        leave.setObjectName("quit_program")
        leave.setAutoDefault(False)
        leave.clicked.connect(self.quit_requested.emit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok)
        buttons.addWidget(leave)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(note)
        layout.addLayout(buttons)
        self.setMinimumWidth(400)
        self.password.setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.password.setFocus()

    def submit(self) -> None:
        try:
            accounts.sign_in(self.db, self.username, self.password.text())
        except DeskError as exc:
            self.message.setText(str(exc))
            self.password.clear()
            self.password.setFocus()
            return
        self.password.clear()
        self.message.setText("")
        self.accept()
        self.unlocked.emit()

    def reject(self) -> None:
        """Esc does not unlock: only the password (or 退出程序)."""
