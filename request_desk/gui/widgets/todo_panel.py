"""今日待办 on the 工作台: the daily to-do by kind (``cases.todo``), each line opening its case.

只看我的 narrows it to the requests the signed-in user registered; 打印待办… saves the
printable PDF (``reports.todo_pdf``) where the clerk chooses.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from request_desk.core.cases.todo import Todo, daily_todo
from request_desk.core.office import settings_view
from request_desk.gui.context import DeskContext
from request_desk.gui.widgets import file_dialogs


class TodoPanel(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.todo: Todo | None = None
        self.summary = QLabel()
        self.mine = QCheckBox("只看我的")
        self.mine.setToolTip("只列出本人登记的申请")
        self.mine.toggled.connect(self.refresh)
        self.print_button = QPushButton("打印待办…")
        self.print_button.clicked.connect(self.save_pdf)
        head = QHBoxLayout()
        head.addWidget(self.summary, 1)
        head.addWidget(self.mine)
        head.addWidget(self.print_button)
        self.tree = QTreeWidget()
        self.tree.setObjectName("todo_tree")
        self.tree.setHeaderLabels(["待办事项", "期限", "剩余"])
        self.tree.setColumnWidth(0, 560)
        self.tree.setColumnWidth(1, 100)
        self.tree.itemActivated.connect(self._open_item)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.tree, 1)
        # Filled by the 工作台's refresh, with the rest of the page (once, at start-up).

    def refresh(self) -> None:
        user = self.ctx.user if self.mine.isChecked() else None
        todo = daily_todo(self.ctx.db, self.ctx.today(), user=user)
        self.todo = todo
        self.summary.setText(f"今日待办共 {todo.total} 项" + ("（本人登记的申请）" if user else ""))
        self.tree.clear()
        for section in todo.sections:
            top = QTreeWidgetItem([f"{section.title}（{section.count}）"])
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for item in section.items:
                line = QTreeWidgetItem([f"{item.reg_number}  {item.applicant_name}  {item.what}",
                                        item.due.isoformat() if item.due else "", item.left_text()])
                line.setData(0, Qt.ItemDataRole.UserRole, item.request_id)
                line.setToolTip(0, "双击打开")
                top.addChild(line)
            self.tree.addTopLevelItem(top)
            top.setExpanded(bool(section.items))

    def _open_item(self, item: QTreeWidgetItem) -> None:
        request_id = item.data(0, Qt.ItemDataRole.UserRole)
        if isinstance(request_id, int):
            self.ctx.signals.open_request.emit(request_id)

    def save_pdf(self) -> None:
        if self.todo is None:
            return
        t = self.todo.today
        chosen = file_dialogs.ask_save(self, "打印待办", f"今日待办-{t.isoformat()}.pdf", "PDF 文件 (*.pdf)")
        if chosen:
            self.write_pdf(Path(chosen))

    def write_pdf(self, path: Path) -> None:
        from request_desk.core.reports.todo_pdf import todo_pdf  # noqa: PLC0415  (reportlab: not at start-up)

        assert self.todo is not None
        agency = settings_view.current(self.ctx.db).agency_name
        try:
            path.write_bytes(todo_pdf(self.todo, agency))
        except OSError as exc:
            QMessageBox.warning(self, "打印待办", f"无法写入 {path}：{exc.strerror or exc}")
