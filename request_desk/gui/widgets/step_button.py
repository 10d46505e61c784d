"""A step's button that can say why the step is unavailable, to the keyboard as well as the mouse.

A disabled ``QPushButton`` takes no focus, so a clerk working with the keyboard
never learns why 送达 cannot be done. A ``StepButton`` stays focusable when its
step is unavailable: it looks greyed, and focus, hover, a click or its shortcut
emit ``explained`` with the reason (the step's ``why_not`` sentence) for the
window's status line instead of doing nothing. Only an available step emits
``chosen``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QFocusEvent, QPalette
from PySide6.QtWidgets import QPushButton, QWidget


class StepButton(QPushButton):
    chosen = Signal()
    explained = Signal(str)

    def __init__(self, label: str, key: str | None = None, parent: QWidget | None = None) -> None:
        # "答复(R)": the Windows convention for Alt+R, without a Qt mnemonic, so the window's
        # own shortcut also reaches a button on a tab page not shown.
        super().__init__(f"{label}({key})" if key else label, parent)
        self.label = label
        self.key = key
        self.reason: str | None = None
        self._shown: tuple[str | None] | None = None  # the reason the button looks as, once set
        self._normal = QPalette(self.palette())
        self.clicked.connect(self._clicked)

    def set_reason(self, reason: str | None) -> None:
        """None: the step can be done now; otherwise the sentence that says why not."""
        self.reason = reason or None
        if self._shown == (self.reason,):  # as it looks already: a new palette would style it again for nothing
            return
        self._shown = (self.reason,)
        self.setToolTip(self.reason or "")
        self.setAccessibleDescription(self.reason or "")
        self.setProperty("unavailable", self.reason is not None)
        palette = QPalette(self._normal)
        if self.reason is not None:
            for role in (QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
                palette.setColor(role, self._normal.color(QPalette.ColorGroup.Disabled, role))
        self.setPalette(palette)

    def is_available(self) -> bool:
        return self.reason is None

    def _clicked(self) -> None:
        if self.reason is not None:
            self.explained.emit(self.reason)
        else:
            self.chosen.emit()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusInEvent(event)
        if self.reason is not None:
            self.explained.emit(self.reason)

    def enterEvent(self, event: QEvent) -> None:  # noqa: N802
        super().enterEvent(event)  # type: ignore[arg-type]
        if self.reason is not None:
            self.explained.emit(self.reason)
