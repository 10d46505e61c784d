"""承办单位: the hierarchy of handling units, added and edited by the office."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from request_desk.core.errors import DeskError
from request_desk.core.office import permissions, units
from request_desk.core.vocab import UnitLevel
from request_desk.gui.context import DeskContext

COLUMNS = ["单位名称", "层级", "联系人", "联系电话", "状态"]


class UnitDialog(QDialog):
    """Add or edit one unit. ``ask`` returns the saved unit or None."""

    def __init__(self, ctx: DeskContext, all_units: list[units.Unit], unit: units.Unit | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.unit = ctx, unit
        self.setWindowTitle("编辑承办单位" if unit else "新增承办单位")
        self.name = QLineEdit(unit.name if unit else "")
        self.level = QComboBox()
        for level in UnitLevel:
            self.level.addItem(level.label, level.value)
        self.parent_unit = QComboBox()
        self.parent_unit.addItem("（无）", None)
        for other in all_units:
            if unit is None or other.id != unit.id:
                self.parent_unit.addItem(other.name, other.id)
        self.contact = QLineEdit(unit.contact_person if unit else "")
        self.phone = QLineEdit(unit.phone if unit else "")
        self.email = QLineEdit(unit.email if unit else "")
        self.address = QLineEdit(unit.address if unit else "")
        self.active = QCheckBox("在用（停用后不能再分办新申请，历史记录保留）")
        self.active.setChecked(unit.active if unit else True)
        if unit is not None:
            self.level.setCurrentIndex(self.level.findData(unit.level))
            self.parent_unit.setCurrentIndex(max(0, self.parent_unit.findData(unit.parent_id)))
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow("单位名称*", self.name)
        form.addRow("层级", self.level)
        form.addRow("上级单位", self.parent_unit)
        form.addRow("联系人", self.contact)
        form.addRow("联系电话", self.phone)
        form.addRow("电子邮箱", self.email)
        form.addRow("地址", self.address)
        form.addRow("", self.active)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.saved: units.Unit | None = None

    def data(self) -> units.UnitData:
        return units.UnitData(
            name=self.name.text(), level=UnitLevel(self.level.currentData()), parent_id=self.parent_unit.currentData(),
            contact_person=self.contact.text().strip(), phone=self.phone.text().strip(),
            email=self.email.text().strip(), address=self.address.text().strip(), active=self.active.isChecked(),
        )

    def save(self) -> None:
        try:
            if self.unit is None:
                self.saved = units.add_unit(self.ctx.db, self.data(), actor=self.ctx.user)
            else:
                assert self.unit.id is not None
                self.saved = units.update_unit(self.ctx.db, self.unit.id, self.data(), actor=self.ctx.user)
        except DeskError as exc:
            self.error.setText(str(exc))  # the dialog stays open with everything typed
            return
        self.accept()

    @classmethod
    def ask(cls, ctx: DeskContext, unit: units.Unit | None, parent: QWidget | None = None) -> units.Unit | None:
        dialog = cls(ctx, units.list_units(ctx.db), unit, parent)
        dialog.exec()
        return dialog.saved


class UnitsPage(QWidget):
    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setColumnWidth(0, 280)
        self.tree.itemDoubleClicked.connect(lambda item, _col: self.edit(item))
        self.add_button = add = QPushButton("新增单位")
        add.clicked.connect(self.add)
        self.edit_button = edit = QPushButton("编辑")
        edit.clicked.connect(lambda: self.edit(self.tree.currentItem()))
        self.show_inactive = QCheckBox("显示已停用单位")
        self.show_inactive.toggled.connect(self.refresh)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("承办单位"))
        bar.addStretch(1)
        bar.addWidget(self.show_inactive)
        bar.addWidget(add)
        bar.addWidget(edit)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tree)
        ctx.signals.units_changed.connect(self.refresh)
        ctx.signals.users_changed.connect(self.check_role)
        self.refresh()
        self.check_role()

    def check_role(self) -> None:
        """The units are part of the office's settings: greyed for whoever may not change them."""
        self.may_change = permissions.user_may(self.ctx.db, self.ctx.user, permissions.Permission.CHANGE_SETTINGS)
        for button in (self.add_button, self.edit_button):
            button.setEnabled(self.may_change)
            button.setToolTip("" if self.may_change else "只有管理员可以增改承办单位。")

    def refresh(self) -> None:
        self.tree.clear()
        all_units = units.list_units(self.ctx.db)
        shown = [u for u in all_units if u.active or self.show_inactive.isChecked()]
        items: dict[int | None, QTreeWidgetItem] = {}
        for unit in shown:
            item = QTreeWidgetItem([unit.name, UnitLevel(unit.level).label, unit.contact_person, unit.phone,
                                    "在用" if unit.active else "已停用"])
            item.setData(0, Qt.ItemDataRole.UserRole, unit)
            items[unit.id] = item
        for unit in shown:
            item = items[unit.id]
            parent = items.get(unit.parent_id) if unit.parent_id is not None else None
            if parent is not None:
                parent.addChild(item)
            else:
                self.tree.addTopLevelItem(item)
        self.tree.expandAll()

    def add(self) -> None:
        if UnitDialog.ask(self.ctx, None, self) is not None:
            self.ctx.signals.units_changed.emit()

    def edit(self, item: QTreeWidgetItem | None) -> None:
        if not self.may_change:  # a double click on a row, for someone the buttons are greyed for
            return
        if item is None:
            QMessageBox.information(self, "编辑承办单位", "请先选择一个单位。")
            return
        if UnitDialog.ask(self.ctx, item.data(0, Qt.ItemDataRole.UserRole), self) is not None:
            self.ctx.signals.units_changed.emit()
