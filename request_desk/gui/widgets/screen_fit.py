"""Windows sized for the screen they open on: a 1024×768 office PC with a taskbar included."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget

# What the title bar and the window frame take beyond the size given to resize().
FRAME = QSize(16, 40)


def free_size(window: QWidget) -> QSize:
    """The room a window's contents have on its screen (taskbar and frame taken off)."""
    return window.screen().availableGeometry().size() - FRAME


def fit_to_screen(window: QWidget, preferred: QSize) -> None:
    """Open at ``preferred`` where the screen allows, never larger than the screen."""
    window.resize(preferred.boundedTo(free_size(window)))
