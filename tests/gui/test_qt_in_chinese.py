"""Qt's own words — buttons, message boxes, file dialogs, context menus — are Chinese (issue 15, point 5)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLineEdit, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from request_desk.gui.app import create_application, install_qt_translations

B = QDialogButtonBox.StandardButton


def test_the_application_loads_qts_chinese_catalogues(qapp: QCoreApplication) -> None:
    create_application()  # the running QApplication, set up as the desk sets it up
    assert [f.rsplit("/", 1)[-1] for f in install_qt_translations(QApplication.instance())] == [  # type: ignore[arg-type]
        "qtbase_zh_CN.qm", "qt_zh_CN.qm"]


def test_standard_buttons_message_boxes_and_context_menus_are_chinese(qtbot: QtBot) -> None:
    create_application()
    box = QDialogButtonBox(B.Ok | B.Cancel | B.Yes | B.No | B.Save | B.Close)
    qtbot.addWidget(box)
    assert [box.button(b).text() for b in (B.Ok, B.Cancel, B.Save, B.Close)] == ["确定", "取消", "保存", "关闭"]
    assert box.button(B.Yes).text().startswith("是") and box.button(B.No).text().startswith("否")
    message = QMessageBox(QMessageBox.Icon.Question, "确认", "是否继续？",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(message)
    assert message.button(QMessageBox.StandardButton.Yes).text().startswith("是")
    field = QLineEdit()
    qtbot.addWidget(field)
    menu = field.createStandardContextMenu()
    words = [a.text().split("(")[0] for a in menu.actions() if a.text()]
    assert {"撤消", "复制", "粘贴"} <= set(words)
    assert not any(w.startswith(("Undo", "Copy", "Paste")) for w in words)


def test_the_file_dialog_is_chinese(qtbot: QtBot) -> None:
    create_application()
    dialog = QFileDialog(None, "选择文件")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # the dialog Qt draws itself, as on Linux desks
    qtbot.addWidget(dialog)
    texts = {b.text() for b in dialog.findChildren(QPushButton) if b.text()}
    assert "取消" in texts and not {"Cancel", "Open"} & texts, texts
