"""The idle lock: after ``idle_lock_minutes`` without keyboard or mouse input the desk locks (issue 16).

An application-wide event filter restarts a single-shot timer on every key,
click, wheel turn and mouse move. When it runs out, every open window of the
desk (the main window, the case area, open forms) is covered by an opaque
panel and ``LockDialog`` asks, application-modal, for the SAME user's password
(``accounts.sign_in`` again, so failures count toward the lock-out). Nothing is
closed: a form keeps what was typed, and shows it again once unlocked. The other
way out is 退出程序. ``idle_lock_minutes`` = 0 means the desk never locks itself;
the setting is read at start and again on ``settings_changed``.

The lock is armed only once someone has signed in (``arm``): a new office before
its setup has no password to unlock with.
"""

from __future__ import annotations

import logging
from contextlib import suppress

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from request_desk.core.office import settings_view
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.sign_in import LockDialog

log = logging.getLogger("request_desk.gui")

#: What counts as someone working at the desk.
INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.InputMethod,
})


class Cover(QWidget):
    """An opaque panel over one window while the desk is locked (the window's widgets stay as they are)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.covered = window
        self.setObjectName("idle_cover")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("QWidget#idle_cover { background: #3a4556; }")
        label = QLabel("办理台已锁定")
        label.setStyleSheet("color: white; font-size: 20px")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.covered and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.covered.rect())
            self.raise_()
        return False


class IdleLock(QObject):
    """Locks the desk after the office's idle time; ``set_timeout_ms`` lets tests make it short."""

    locked = Signal()
    unlocked = Signal()
    quit_requested = Signal()

    def __init__(self, ctx: DeskContext, window: QWidget) -> None:
        super().__init__(window)
        self.ctx = ctx
        self.window = window
        self.timeout_ms = 0  # 0: never locks
        self.armed = False
        self.dialog: LockDialog | None = None
        self.covers: list[Cover] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)  # one timer: the exact time is cheap
        self.timer.timeout.connect(self.lock)
        ctx.signals.settings_changed.connect(self.reload)

    @property
    def is_locked(self) -> bool:
        return self.dialog is not None

    def arm(self) -> None:
        """From now on the desk locks itself after the idle time (someone has signed in)."""
        if not self.armed:
            self.armed = True
            app = QApplication.instance()
            if app is not None:
                app.installEventFilter(self)
        self.reload()

    def disarm(self) -> None:
        if self.armed:
            self.armed = False
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
        self.timer.stop()

    def reload(self) -> None:
        """Read ``idle_lock_minutes`` again (at start and when the settings change)."""
        minutes = settings_view.current(self.ctx.db).idle_lock_minutes
        self.set_timeout_ms(max(0, minutes) * 60_000)

    def set_timeout_ms(self, milliseconds: int) -> None:
        self.timeout_ms = milliseconds
        self._restart()

    def _restart(self) -> None:
        if self.armed and self.timeout_ms > 0 and not self.is_locked:
            self.timer.start(self.timeout_ms)
        else:
            self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in INPUT_EVENTS and self.timer.isActive():
            self.timer.start()  # the same interval again
        return False

    def lock(self) -> None:
        """Cover every open window of the desk and ask for the signed-in user's password."""
        if self.is_locked or not self.armed:
            return
        self.timer.stop()
        log.info("desk locked after %s ms without input", self.timeout_ms)
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and not isinstance(widget, LockDialog):
                self.covers.append(Cover(widget))
        dialog = LockDialog(self.ctx.db, self.ctx.user, self.window)
        dialog.unlocked.connect(self._unlocked)
        dialog.quit_requested.connect(self.quit_requested.emit)
        self.dialog = dialog
        dialog.show()  # not open(): that would make it modal to the main window only, not the case area
        dialog.raise_()
        dialog.activateWindow()
        self.locked.emit()

    def _unlocked(self) -> None:
        for cover in self.covers:
            with suppress(RuntimeError):  # a window closed while locked took its cover with it
                cover.covered.removeEventFilter(cover)
                cover.hide()
                cover.deleteLater()
        self.covers = []
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
        self._restart()
        self.unlocked.emit()
