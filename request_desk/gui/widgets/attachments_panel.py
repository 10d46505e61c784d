"""The case's attachments (附件): the files kept with it, added here and opened with the system viewer.

A read-only table over ``core.cases.attachments`` (kind, file name, size, who added it
and when, the start of the SHA-256); 添加附件… asks for a file and keeps it with the
chosen kind; 打开 writes a checked copy into the data folder (``paths.data_dir()``,
附件查看; audited, and emptied when the desk starts and closes) and hands it to the
system viewer. Attachments are never edited or removed (docs/domain.md,
"Attachments"), so the panel offers neither.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from request_desk.core.cases import attachments
from request_desk.core.errors import DeskError
from request_desk.core.office import permissions
from request_desk.core.vocab import AttachmentKind
from request_desk.gui.context import DeskContext
from request_desk.gui.view_copies import view_folder
from request_desk.gui.widgets.common import read_only_table
from request_desk.gui.widgets.file_dialogs import ask_open

HEADERS = ["类别", "文件名", "大小", "添加人", "添加时间", "SHA-256", "说明"]
FILTERS = "扫描件和文档 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.ofd *.doc *.docx *.xls *.xlsx *.txt);;所有文件 (*)"
NEVER_REMOVED = "附件一经添加不能修改或删除；添加错了，请再添加正确的文件并在说明中注明。"


class AttachmentsPanel(QWidget):
    """The files kept with one request, oldest first."""

    # How a copy is shown: the system viewer; tests replace it to look at the copy instead.
    open_url: Callable[[QUrl], object] = staticmethod(QDesktopServices.openUrl)

    def __init__(self, ctx: DeskContext, request_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.request_id = request_id
        self.rows: list[attachments.AttachmentRow] = []
        self.table = read_only_table(HEADERS)
        self.table.setObjectName("attachments")
        self.table.setToolTip(NEVER_REMOVED)
        self.table.itemSelectionChanged.connect(self._selection)
        self.table.cellDoubleClicked.connect(lambda *_: self.open_selected())
        self.kind = QComboBox()
        self.kind.setObjectName("attachment_kind")
        for kind in AttachmentKind:
            self.kind.addItem(kind.label, kind)
        self.note = QLineEdit()
        self.note.setObjectName("attachment_note")
        self.note.setPlaceholderText("说明（可不填）")
        self.add_button = QPushButton("添加附件…")
        self.add_button.setObjectName("add_attachment")
        self.add_button.clicked.connect(lambda: self.add_file())
        self.open_button = QPushButton("打开")
        self.open_button.setObjectName("open_attachment")
        self.open_button.clicked.connect(lambda: self.open_selected())
        self.open_button.setEnabled(False)  # nothing selected yet (the case view fills the tab when shown)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        row.addWidget(QLabel("类别："))
        row.addWidget(self.kind)
        row.addWidget(self.note, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.open_button)
        layout.addLayout(row)

    def refresh(self) -> None:
        self.rows = attachments.list_attachments(self.ctx.db, self.request_id)
        self.table.setRowCount(len(self.rows))
        for r, a in enumerate(self.rows):
            texts = (a.kind_label, a.file_name, attachments.size_text(a.size), a.added_by_name,
                     f"{a.added_at.astimezone():%Y-%m-%d %H:%M}", a.sha256[:12], a.note)
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if c == 5:
                    item.setToolTip(a.sha256)
                self.table.setItem(r, c, item)
        may = permissions.user_may(self.ctx.db, self.ctx.user, permissions.Permission.RUN_CASE)
        self.add_button.setEnabled(may)
        self.add_button.setToolTip(NEVER_REMOVED if may else "添加附件须由办理申请的账户操作。")
        self._selection()

    def _selection(self) -> None:
        self.open_button.setEnabled(self.selected() is not None)

    def selected(self) -> attachments.AttachmentRow | None:
        rows = {i.row() for i in self.table.selectedItems()}
        return self.rows[rows.pop()] if len(rows) == 1 and max(rows) < len(self.rows) else None

    def add_file(self, path: str | Path | None = None) -> attachments.AttachmentRow | None:
        """Keep a file with the case (asking which, unless ``path`` is given), as the chosen kind."""
        chosen = str(path) if path else ask_open(self, "添加附件", FILTERS)
        if not chosen:
            return None
        try:
            row = attachments.add_attachment(self.ctx.db, self.request_id, self.ctx.user, Path(chosen),
                                             kind=self.kind.currentData(), note=self.note.text(),
                                             today=self.ctx.today())
        except DeskError as exc:
            QMessageBox.warning(self, "添加附件", str(exc))
            return None
        self.note.clear()
        self.ctx.signals.requests_changed.emit([self.request_id])
        self.refresh()  # also when the case view is not listening (a panel on its own)
        return row

    def open_selected(self) -> Path | None:
        """Write a checked copy of the selected attachment to the data folder and show it."""
        row = self.selected()
        if row is None:
            return None
        try:
            copy = attachments.export_to(self.ctx.db, row.id, view_folder() / str(row.id), self.ctx.user)
        except DeskError as exc:
            QMessageBox.warning(self, "打开附件", str(exc))
            return None
        self.open_url(QUrl.fromLocalFile(str(copy)))
        return copy
