"""The main window: navigation on the left, one page at a time on the right."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QToolButton,
    QWidget,
)

from request_desk.core.office import users
from request_desk.core.vocab import Role
from request_desk.gui.case_area import CaseArea
from request_desk.gui.context import DeskContext
from request_desk.gui.idle_lock import IdleLock
from request_desk.gui.pages import registry
from request_desk.gui.widgets.screen_fit import fit_to_screen

if TYPE_CHECKING:
    from request_desk.gui.dialogs.setup_assistant import SetupAssistant

SETTINGS_GEOMETRY = "main_window/geometry"
SETTINGS_STATE = "main_window/state"
SETTINGS_PAGE = "main_window/page"


class _Pages(dict[str, QWidget]):
    """The main window's pages by key; a page not yet built is built when first asked for."""

    def __init__(self, keys: list[str], build: Callable[[str], QWidget]) -> None:
        super().__init__()
        self._keys, self._build = keys, build

    def __contains__(self, key: object) -> bool:  # a page of the window, built or not yet
        return key in self._keys

    def __missing__(self, key: str) -> QWidget:
        if key not in self._keys:
            raise KeyError(key)
        page = self[key] = self._build(key)
        return page


class MainWindow(QMainWindow):
    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle("依申请公开办理台")
        # A handling unit's liaison gets its unit's page only: no register, no case area (docs/SECURITY.md).
        self.liaison = users.active_role(ctx.db, ctx.user) is Role.LIAISON
        self.page_list = registry.LIAISON_PAGES if self.liaison else registry.PAGES
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(132)
        self.stack = QStackedWidget()
        # Each page is built the first time it is shown or used (start-up builds only the one shown).
        self.pages = _Pages(self._keys, self._build_page)
        for _key, title, _factory in self.page_list:
            self.stack.addWidget(QWidget())  # its place in the stack until it is built
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, _key)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(lambda row: self.stack.setCurrentWidget(self.pages[self._keys[row]]))
        self.nav.setStyleSheet(
            "QListWidget#navigation { font-size: 15px; border: none; background: #f3f5f8; outline: 0; }"
            "QListWidget#navigation::item { padding: 10px 14px; }"
            "QListWidget#navigation::item:selected { background: #2f6fd1; color: white; }"
        )
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._actions()
        # Permanent, so a passing message (a backup made, a sort refused) never hides who is working where.
        self.who = QLabel()
        self.who.setObjectName("who")
        self._show_who()
        self.statusBar().addPermanentWidget(self.who)
        for action in (self.change_password_action, self.lock_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setObjectName(f"button_{action.objectName()}")
            button.setAutoRaise(True)
            self.statusBar().addPermanentWidget(button)
        self.idle_lock = IdleLock(ctx, self)
        self.idle_lock.quit_requested.connect(self.quit_while_locked)
        ctx.signals.signed_in.connect(self.signed_in)
        ctx.signals.status_message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        if not self.liaison:
            ctx.signals.open_request.connect(self.open_request)
            ctx.signals.step_request.connect(self.step_request)
        ctx.signals.users_changed.connect(self._show_who)
        self.setup_assistant: SetupAssistant | None = None
        self.password_dialog: QDialog | None = None
        self._restore()

    @property
    def _keys(self) -> list[str]:
        return [key for key, _, _ in self.page_list]

    def _build_page(self, key: str) -> QWidget:
        index = self._keys.index(key)
        page = self.page_list[index][2](self.ctx)
        page.setObjectName(f"page_{key}")
        placeholder = self.stack.widget(index)
        assert placeholder is not None
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        if key == "dashboard":
            page.open_list.connect(  # type: ignore[attr-defined]
                lambda f: self.show_page("requests").show_filter(f)  # type: ignore[attr-defined]
            )
            page.setup_requested.connect(self.open_setup)  # type: ignore[attr-defined]
        return page

    def _show_who(self) -> None:
        role = users.active_role(self.ctx.db, self.ctx.user)
        name = users.display_name(self.ctx.db, self.ctx.user) + (f"（{role.label}）" if role is not None else "")
        self.who.setText(f"当前用户：{name}    数据库：{self.ctx.db.where}")

    def signed_in(self, _username: str = "") -> None:
        """``ctx.user`` has signed in (at start, or as the setup assistant's new administrator)."""
        self.change_password_action.setEnabled(True)
        self.lock_action.setEnabled(True)
        self._show_who()
        self.idle_lock.arm()

    def change_password(self) -> None:
        """修改密码…: the signed-in user's own password."""
        from request_desk.gui.dialogs.sign_in import ChangePasswordDialog  # noqa: PLC0415

        dialog = ChangePasswordDialog(self.ctx.db, self.ctx.user, self)
        dialog.accepted.connect(lambda: self.statusBar().showMessage("密码已修改。", 6000))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.password_dialog = dialog

    def quit_while_locked(self) -> None:
        """退出程序 from the lock: leave without asking the covered forms (no one signed in may answer)."""
        QApplication.exit(0)

    def open_setup(self) -> SetupAssistant:
        """The setup assistant (初始设置), opened without blocking; the one already open is raised."""
        from request_desk.gui.dialogs.setup_assistant import SetupAssistant  # noqa: PLC0415  (see register_request)

        if self.setup_assistant is None or not self.setup_assistant.isVisible():
            self.setup_assistant = SetupAssistant(self.ctx, self)
            self.setup_assistant.open()
        self.setup_assistant.raise_()
        return self.setup_assistant

    def offer_setup(self) -> SetupAssistant | None:
        """At start-up: open the assistant while the office details every letter needs are missing."""
        from request_desk.core.office import setup  # noqa: PLC0415

        return self.open_setup() if setup.needs_setup(self.ctx.db) else None

    def _actions(self) -> None:
        new = QAction("登记新申请", self)
        new.setShortcut(QKeySequence.StandardKey.New)
        new.triggered.connect(self.register_request)
        search = QAction("搜索申请", self)
        search.setShortcut(QKeySequence.StandardKey.Find)
        search.triggered.connect(self.find_request)
        if not self.liaison:  # a liaison neither registers nor searches the register
            self.addAction(new)
            self.addAction(search)
        # Not signed in (a new office before its setup): nothing to change, nothing to unlock with.
        self.change_password_action = QAction("修改密码…", self)
        self.change_password_action.setObjectName("change_password")
        self.change_password_action.triggered.connect(self.change_password)
        self.change_password_action.setEnabled(False)
        self.lock_action = QAction("锁定", self)
        self.lock_action.setObjectName("lock")
        self.lock_action.setToolTip("锁定办理台（Ctrl+L），离开座位时使用")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(lambda: self.idle_lock.lock())
        self.lock_action.setEnabled(False)
        self.addAction(self.lock_action)
        # Also added to the case area: Ctrl+N and Ctrl+F work wherever the clerk is (issue 15.6).
        self.desk_actions = [new, search, self.lock_action]
        for index in range(self.nav.count()):
            go = QAction(self)
            go.setShortcut(QKeySequence(f"Alt+{index + 1}"))
            go.triggered.connect(lambda _=False, i=index: self.nav.setCurrentRow(i))
            self.addAction(go)

    def show_page(self, key: str) -> QWidget:
        self.nav.setCurrentRow(self._keys.index(key))
        return self.pages[key]

    def find_request(self) -> None:
        """Ctrl+F, from any window of the desk: the register list, the cursor in its search box."""
        self.show_page("requests")
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()
        self.pages["requests"].focus_search()  # type: ignore[attr-defined]

    def register_request(self) -> None:
        # Imported when first used: the case window and the form pull in the letters and PDF
        # machinery, about half a second that start-up need not pay.
        from request_desk.gui.dialogs.registration import RegistrationDialog  # noqa: PLC0415

        RegistrationDialog.register(self.ctx, self)

    def open_request(self, request_id: int) -> None:
        from request_desk.gui.case_view import CaseWindow  # noqa: PLC0415  (see register_request)

        if CaseWindow.open_request(self.ctx, request_id, self) is not None:
            area = CaseArea.existing(self.ctx)
            assert area is not None
            area.addActions(self.desk_actions)

    def step_request(self, request_id: int, step: int) -> None:
        """Move the case area's current tab to the next (or previous) case of the register list."""
        following = self.pages["requests"].adjacent_id(request_id, step)  # type: ignore[attr-defined]
        area = CaseArea.existing(self.ctx)
        if following is None:
            text = "已是列表中的最后一件" if step > 0 else "已是列表中的第一件"
            if area is not None:
                area.say(text)
            else:
                self.statusBar().showMessage(text, 4000)
            return
        if area is None:
            self.open_request(following)
        else:
            area.step_to(request_id, following)

    def _restore(self) -> None:
        settings = QSettings()
        geometry = settings.value(SETTINGS_GEOMETRY)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            fit_to_screen(self, QSize(1280, 800))
        state = settings.value(SETTINGS_STATE)
        if isinstance(state, QByteArray):
            self.restoreState(state)
        # A native store gives back the int written; an INI file, its text.
        page = settings.value(SETTINGS_PAGE, 0)
        row = int(page) if isinstance(page, int) or (isinstance(page, str) and page.isdigit()) else 0
        self.nav.setCurrentRow(row if row < self.nav.count() else 0)  # a liaison's window has one page

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        settings = QSettings()
        settings.setValue(SETTINGS_GEOMETRY, self.saveGeometry())
        settings.setValue(SETTINGS_STATE, self.saveState())
        settings.setValue(SETTINGS_PAGE, self.nav.currentRow())
        super().closeEvent(event)
