"""A true preview of a letter's PDF (Qt PDF) and printing PDFs faithfully.

The preview shows the very bytes that will be stored and printed, rendered by
QtPdf (``PySide6-Addons`` in 6.11). Printing draws each PDF page as an image at
the printer's resolution (capped at 300 dpi) on a white background — QtPdf
renders pages transparent — on a full-page printer, so the GB/T 9704 margins
are kept exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from request_desk.gui.workers import Cancelled, Progress

MAX_PRINT_DPI = 300


def load_pdf(data: bytes) -> tuple[QPdfDocument, QBuffer]:
    """A loaded document and the buffer it reads from (keep both alive together)."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    doc = QPdfDocument()
    doc.load(buffer)
    if doc.status() != QPdfDocument.Status.Ready:
        raise ValueError(f"PDF could not be loaded: {doc.error()}")
    return doc, buffer


def render_page(doc: QPdfDocument, page: int, dpi: float) -> QImage:
    """Page ``page`` at ``dpi`` on white (QtPdf leaves the page transparent)."""
    points = doc.pagePointSize(page)
    size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
    image = doc.render(page, size, QPdfDocumentRenderOptions())
    out = QImage(size, QImage.Format.Format_RGB32)
    out.fill(QColor("white"))
    painter = QPainter(out)
    painter.drawImage(QPointF(0, 0), image)
    painter.end()
    return out


class PdfPreview(QWidget):
    """Shows PDF bytes, all pages one under another, fitted to the width."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        # Fitted to the width, a scroll bar that comes and goes changes the width it fits to: at
        # some sizes it shows and hides for ever and the desk hangs. Always shown, it cannot.
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.view.setDocument(self.document)
        self.info = QLabel("尚无预览")
        self.info.setObjectName("previewInfo")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.info)
        self._data = b""

    def set_pdf(self, data: bytes) -> None:
        """Show ``data``; the previous buffer is kept until the document has let go of it."""
        old = self._buffer
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        self._buffer = buffer
        if old is not None:
            old.close()
            old.deleteLater()
        self._data = data
        self.info.setText(f"共 {self.page_count()} 页（预览即打印效果）")

    def clear(self, message: str = "尚无预览") -> None:
        self.document.close()
        self._data = b""
        self.info.setText(message)

    def page_count(self) -> int:
        return self.document.pageCount()

    def pdf_bytes(self) -> bytes:
        return self._data

    def page_image(self, page: int, dpi: float = 72) -> QImage:
        return render_page(self.document, page, dpi)


def ask_printer(parent: QWidget | None, title: str = "打印") -> QPrinter | None:
    """The printer dialog; ``None`` when the clerk cancels."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return None
    return printer


def print_pdfs(printer: QPrinter, pdfs: Sequence[bytes],
               should_stop: Callable[[], bool] = lambda: False) -> Generator[Progress, None, int]:
    """Print every page of every PDF as one job; yields progress, returns pages printed.

    Safe to run off the UI thread (QPainter on a QPrinter is thread-safe as
    long as the printer is used by one thread at a time).
    """
    printer.setFullPage(True)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    total = len(pdfs)
    painter = QPainter()
    pages = 0
    try:
        for n, data in enumerate(pdfs, start=1):
            doc, buffer = load_pdf(data)
            try:
                for page in range(doc.pageCount()):
                    if should_stop():
                        raise Cancelled()
                    if pages == 0:
                        if not painter.begin(printer):
                            raise OSError("无法开始打印：打印机不可用或输出文件无法写入。")
                    else:
                        printer.newPage()
                    image = render_page(doc, page, dpi)
                    target = painter.viewport()
                    painter.drawImage(QRect(0, 0, target.width(), target.height()), image)
                    pages += 1
            finally:
                doc.close()
                buffer.close()
            yield Progress(n, total, f"正在打印 {n} / {total} 份")
    finally:
        if painter.isActive():
            painter.end()
    return pages


__all__ = ["PdfPreview", "ask_printer", "load_pdf", "print_pdfs", "render_page"]
