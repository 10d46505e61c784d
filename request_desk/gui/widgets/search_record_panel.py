"""The case's search record (检索记录): the searches behind a 4.1 reply, and their printable annex.

A read-only table (date, where, keywords, result, who) over
``core.cases.search_records``; searches are added with the case's step
"登记检索记录" (docs/domain.md, "Search record"). The button saves the annex
for the file, ``letters.search_annex.search_record_pdf``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QPushButton, QTableWidgetItem, QVBoxLayout, QWidget

from request_desk.core.cases import search_records
from request_desk.core.errors import DeskError
from request_desk.core.letters.search_annex import search_record_pdf
from request_desk.core.reports.common import atomic_output
from request_desk.core.storage.db import Database
from request_desk.gui.widgets.common import read_only_table
from request_desk.gui.widgets.file_dialogs import ask_save

HEADERS = ["检索日期", "检索范围", "检索关键词", "检索结果", "检索人"]


class SearchRecordPanel(QWidget):
    """The searches recorded for one request, oldest first."""

    def __init__(self, db: Database, request_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.request_id = request_id
        self.reg_number = ""
        self.table = read_only_table(HEADERS, word_wrap=True)
        self.table.setObjectName("search_records")
        self.print_button = QPushButton("保存检索记录（PDF）…")
        self.print_button.setObjectName("save_search_record")
        self.print_button.setToolTip("检索记录（附件，存档用）：答复“经检索没有所申请公开的信息”时附卷备查。")
        self.print_button.clicked.connect(self.save_pdf)
        self.print_button.setEnabled(False)  # until searches are shown (the case view fills the tab when shown)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.print_button)
        layout.addLayout(row)

    def refresh(self, reg_number: str) -> None:
        self.reg_number = reg_number
        rows = search_records.search_rows(self.db, self.request_id)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate((row.searched_on.isoformat(), row.where, row.keywords, row.found,
                                      row.searched_by)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.print_button.setEnabled(bool(rows))

    def save_pdf(self, path: str | Path | None = None) -> None:
        """Save the annex (asking where, unless ``path`` is given)."""
        chosen = str(path) if path else ask_save(self, "保存检索记录", f"检索记录_{self.reg_number}.pdf",
                                                 "PDF 文件 (*.pdf)")
        if not chosen:
            return
        try:
            pdf = search_record_pdf(self.db, self.request_id)
            with atomic_output(Path(chosen)) as tmp:
                tmp.write_bytes(pdf)
        except DeskError as exc:
            QMessageBox.warning(self, "保存检索记录", str(exc))
