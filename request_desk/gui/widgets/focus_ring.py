"""A clear focus frame around whichever control has the keyboard (issue 15.6).

Styles draw focus differently and some hardly at all (a dotted line on a button,
nothing around a table). One ``QFocusFrame`` follows the application's focus and
paints a solid ring just outside the focused control, the same on every platform
style and untouched by the style sheets of single widgets. Its mask (from the
style) keeps the control itself clear, so nothing under the ring is hidden.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QFocusFrame, QWidget
from shiboken6 import isValid

# The navigation's selection blue (gui/main_window.py): one colour says "here" across the desk.
RING = QColor("#2f6fd1")


class FocusRing(QFocusFrame):
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), RING)  # the mask leaves only the ring


def ring_target(widget: QWidget) -> QWidget:
    """The control a clerk sees: the date box, not the line edit inside it."""
    parent = widget.parentWidget()
    while parent is not None and isinstance(parent, (QAbstractSpinBox, QComboBox)):
        widget, parent = parent, parent.parentWidget()
    return widget


class FocusRings:
    """Moves the one ring to each newly focused control (made again if its window went)."""

    def __init__(self, app: QApplication) -> None:
        self.ring: FocusRing | None = None
        app.focusChanged.connect(self.focus_changed)

    def focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self.ring is None or not isValid(self.ring):
            self.ring = FocusRing()
        if new is None or new.isWindow():
            self.ring.setWidget(None)  # type: ignore[arg-type]
            return
        self.ring.setWidget(ring_target(new))


_installed: list[FocusRings] = []  # once per process, kept alive here


def install_focus_ring(app: QApplication) -> FocusRings:
    if not _installed:
        _installed.append(FocusRings(app))
    return _installed[0]
