"""文书模板与收费标准: the office's own letter templates, fee table and similarity word lists.

They are kept in the database for every desk (``core/office/file_change.py``). The
list shows, for each file the desk ships, whether the office uses its own version
(who saved it, when) or the shipped one; the editor shows the text in use. 保存
checks the text as the desk reads it and keeps it for every desk, 从文件读入… puts
a file's text in the editor, 恢复软件自带 drops the office's version. Changing
needs the role that changes the settings (an administrator); anyone may read.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from request_desk.core.errors import DeskError
from request_desk.core.office import file_change, settings_view
from request_desk.gui.context import DeskContext
from request_desk.gui.widgets.file_dialogs import ask_open

KIND_LABELS = {"letters": "文书模板", "fees": "收费标准", "similarity": "相似度词表"}
_ERROR = "color: #b3261e"
_DONE = "color: #1b6e20"


class OfficeFilesPanel(QWidget):
    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["文件", "类别", "使用的版本"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.currentCellChanged.connect(lambda *_: self.show_text())
        self.editor = QPlainTextEdit()
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setAccessibleName("文件内容")
        self.save_button = QPushButton("保存（各台电脑使用）")
        self.save_button.clicked.connect(self.save)
        self.open_button = QPushButton("从文件读入…")
        self.open_button.clicked.connect(self.choose_file)
        self.reset_button = QPushButton("恢复软件自带")
        self.reset_button.clicked.connect(self.reset)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.save_button)
        hint = QLabel("本机关修改的文书模板、收费标准和相似度词表保存在数据库中，各台电脑都使用同一版本；"
                      "保存前按程序读取的方式检查（占位符、计费档次、词表列），有误时指出行号。")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.editor, 3)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        ctx.signals.users_changed.connect(self.apply_role)
        self.apply_role()
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802  (Qt's name)
        """Another desk may have changed a file meanwhile: show what the database holds now."""
        super().showEvent(event)
        self.reload()

    def apply_role(self) -> None:
        allowed = settings_view.may_change(self.ctx.db, self.ctx.user)
        for button in (self.save_button, self.open_button, self.reset_button):
            button.setEnabled(allowed)
        self.editor.setReadOnly(not allowed)
        if not allowed:
            self.message.setStyleSheet("")
            self.message.setText(file_change.who_may_change())

    def current_path(self) -> str | None:
        item = self.table.item(self.table.currentRow(), 0)
        return item.text() if item is not None else None

    def reload(self) -> None:
        """Refill the list, keeping the selected file (and the editor, unless it shows another file)."""
        selected = self.current_path()
        states = file_change.files(self.ctx.db)
        self.table.blockSignals(True)
        self.table.setRowCount(len(states))
        for row, state in enumerate(states):
            own = state.own
            used = (f"本机关修改版（{own.updated_by or '自本机数据文件夹移入'}，{own.updated_at:%Y-%m-%d %H:%M}）"
                    if own else "软件自带")
            for column, text in enumerate((state.path, KIND_LABELS[state.path.split("/")[0]], used)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        paths = [s.path for s in states]
        self.table.setCurrentCell(paths.index(selected) if selected in paths else 0, 0)
        self.table.blockSignals(False)
        if selected != self.current_path() or not self.editor.document().isModified():
            self.show_text()

    def show_text(self) -> None:
        path = self.current_path()
        if path is None:
            return
        text, _origin = file_change.text_in_use(self.ctx.db, path)
        self.editor.setPlainText(text)
        self.editor.document().setModified(False)

    def save(self) -> None:
        path = self.current_path()
        if path is None:
            return
        try:
            changed = file_change.set_file(self.ctx.db, self.ctx.user, path, self.editor.toPlainText())
        except DeskError as exc:  # kept in the editor to correct
            self.message.setStyleSheet(_ERROR)
            self.message.setText(f"未保存。{exc}")
            return
        self.editor.document().setModified(False)
        self.message.setStyleSheet(_DONE)
        self.message.setText(f"已保存 {path}，各台电脑都将使用此版本。" if changed else f"{path} 没有改动。")
        if path.startswith("similarity/") and changed:
            self.message.setText(self.message.text() + "相似申请索引将在下次启动时按新词表更新"
                                 "（或运行 request-desk similarity reindex）。")
        self.reload()

    def choose_file(self) -> None:
        path = ask_open(self, "选择文件（文本文件）", "文本文件 (*.txt *.toml *.csv);;所有文件 (*)")
        if path:
            self.read_file(Path(path))

    def read_file(self, path: Path) -> None:
        """Put ``path``'s text in the editor (saved only by 保存)."""
        try:
            text = file_change.read_text_file(path)
        except DeskError as exc:
            self.message.setStyleSheet(_ERROR)
            self.message.setText(str(exc))
            return
        self.editor.setPlainText(text)
        self.editor.document().setModified(True)
        self.message.setStyleSheet("")
        self.message.setText(f"已读入 {path.name}，检查无误后请按“保存”。")

    def reset(self) -> None:
        path = self.current_path()
        if path is None:
            return
        asked = QMessageBox.question(self, "恢复软件自带", f"各台电脑都将改用软件自带的 {path}，本机关的修改版将删除"
                                     "（审计日志中保留其全文）。确定吗？")
        if asked != QMessageBox.StandardButton.Yes:
            return
        self.reset_now(path)

    def reset_now(self, path: str) -> None:
        try:
            removed = file_change.reset_file(self.ctx.db, self.ctx.user, path)
        except DeskError as exc:
            self.message.setStyleSheet(_ERROR)
            self.message.setText(str(exc))
            return
        self.message.setStyleSheet(_DONE if removed else "")
        self.message.setText(f"已恢复软件自带的 {path}。" if removed else f"本机关没有修改过 {path}。")
        self.editor.document().setModified(False)
        self.reload()
