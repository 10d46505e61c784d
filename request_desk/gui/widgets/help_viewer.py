"""使用指南: the guide's Markdown pages shown inside the desk (no browser needed).

A ``QTextBrowser`` renders the page as Markdown; links to the other pages of the
guide open in the same window, with 后退 / 前进 / 目录. Pictures are the real windows
at 1024 pixels: they are scaled down to the viewer's width so a page reads without
scrolling sideways.

One viewer for the desk. While a modal dialog is in front (a form opened with
``exec``), the viewer belongs to that dialog, or the dialog would block it.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QBrush, QColor, QImage, QTextDocument, QTextFrameFormat, QTextTable
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget
from shiboken6 import isValid

from request_desk.gui.widgets.screen_fit import fit_to_screen

TITLE = "使用指南"
MARGIN = 40  # the text's margins and the scroll bar


class GuideBrowser(QTextBrowser):
    """Markdown pages with their pictures fitted to the width."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(True)
        self.document().setDocumentMargin(14)
        self.zoomIn(1)  # a page to read, not a form to fill
        self.sourceChanged.connect(lambda _url: self._rule_tables())

    def _rule_tables(self) -> None:
        """Markdown tables come without lines; the guide's tables read as tables with them."""
        for frame in self.document().rootFrame().childFrames():
            if isinstance(frame, QTextTable):
                fmt = frame.format()
                fmt.setBorder(1)
                fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
                fmt.setBorderBrush(QBrush(QColor("#b0b7c3")))
                fmt.setBorderCollapse(True)
                fmt.setCellPadding(4)
                fmt.setCellSpacing(0)
                frame.setFormat(fmt)

    def loadResource(self, kind: int, name: QUrl | str) -> object:  # noqa: N802
        if kind == QTextDocument.ResourceType.ImageResource.value:
            link = QUrl(name)
            url = self.source().resolved(link) if link.isRelative() else link
            image = QImage(url.toLocalFile())
            if image.isNull():
                return super().loadResource(kind, name)
            width = max(320, self.viewport().width() - MARGIN)
            if image.width() > width:
                image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            return image
        return super().loadResource(kind, name)


class HelpViewer(QWidget):
    _current: ClassVar[HelpViewer | None] = None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)  # closing the desk's last window quits
        self.setWindowTitle(TITLE)
        self.browser = GuideBrowser()
        self.browser.setObjectName("guide")
        self.back = QPushButton("后退")
        self.forward = QPushButton("前进")
        self.home = QPushButton("目录")
        self.missing = QLabel()
        self.missing.setObjectName("missing_page")
        self.missing.setWordWrap(True)
        self.missing.setStyleSheet("color:#c62828;")
        self.missing.hide()
        self.back.clicked.connect(self.browser.backward)
        self.forward.clicked.connect(self.browser.forward)
        self.home.clicked.connect(self.browser.home)
        self.browser.backwardAvailable.connect(self.back.setEnabled)
        self.browser.forwardAvailable.connect(self.forward.setEnabled)
        self.browser.sourceChanged.connect(self._titled)
        self.back.setEnabled(False)
        self.forward.setEnabled(False)
        buttons = QHBoxLayout()
        for button in (self.back, self.forward, self.home):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.missing)
        layout.addWidget(self.browser, 1)
        fit_to_screen(self, QSize(900, 720))

    def open_page(self, page: Path) -> None:
        if not page.is_file():
            self.missing.setText(f"未找到使用指南的这一页：{page}。请联系管理员重新安装办理台。")
            self.missing.show()
            return
        self.missing.hide()
        contents = page.parent / "README.md"
        if contents.is_file() and self.browser.historyUrl(0).isEmpty():
            self.browser.setSource(QUrl.fromLocalFile(str(contents)), QTextDocument.ResourceType.MarkdownResource)
            self.browser.clearHistory()  # 目录 is the guide's contents page, whatever page F1 opened first
        self.browser.setSource(QUrl.fromLocalFile(str(page)), QTextDocument.ResourceType.MarkdownResource)

    def page(self) -> Path:
        """The file of the page shown."""
        return Path(self.browser.source().toLocalFile())

    @staticmethod
    def heading(page: Path) -> str:
        """A page's title: its first line, a Markdown heading."""
        try:
            first = page.read_text(encoding="utf-8").lstrip().splitlines()[0]
        except (OSError, IndexError, UnicodeDecodeError):
            return ""
        return first.lstrip("#").strip()

    def _titled(self, url: QUrl) -> None:
        heading = self.heading(Path(url.toLocalFile()))
        self.setWindowTitle(f"{heading} — {TITLE}" if heading else TITLE)

    @classmethod
    def show_page(cls, page: Path) -> HelpViewer:
        """The desk's viewer (made, or moved under the modal dialog in front) showing ``page``."""
        owner = QApplication.activeModalWidget()
        viewer = cls._current
        if viewer is None or not isValid(viewer) or viewer.parentWidget() is not owner:
            if viewer is not None and isValid(viewer):
                viewer.close()
            viewer = cls._current = cls(owner)
        viewer.open_page(page)
        viewer.show()
        viewer.raise_()
        viewer.activateWindow()
        return viewer
