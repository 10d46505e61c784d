"""Nothing typed is lost: Esc, 取消 or the close button on a form with input asks first.

``KeepsInput`` is mixed into a dialog: it remembers what the inputs held when the
dialog was first shown (defaults included), and ``reject`` asks before throwing
away anything changed since. A dialog opens with the focus in its first input,
so Tab or Enter cannot reach 取消 before the clerk has typed anything.
"""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

INPUTS = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox, QCheckBox)


def input_values(root: QWidget) -> tuple[object, ...]:
    """What every input under ``root`` holds, in a fixed order (to compare, not to read)."""
    values: list[object] = []
    for w in root.findChildren(QWidget):
        if isinstance(w, QLineEdit) and not isinstance(w.parent(), (QComboBox, QAbstractSpinBox)):
            values.append(w.text())
        elif isinstance(w, (QPlainTextEdit, QTextEdit)):
            values.append(w.toPlainText())
        elif isinstance(w, QComboBox):
            values.append(w.currentText())
        elif isinstance(w, QAbstractSpinBox):
            values.append(w.text())
        elif isinstance(w, QCheckBox):
            values.append(w.isChecked())
    return tuple(values)


def first_input(root: QWidget) -> QWidget | None:
    """The first enabled, visible input under ``root``, in the order the form was built."""
    for w in root.findChildren(QWidget):
        if isinstance(w, INPUTS) and w.isEnabled() and w.isVisibleTo(root) \
                and not isinstance(w.parent(), (QComboBox, QAbstractSpinBox)):
            return w
    return None


def ask_to_discard(parent: QWidget, title: str, text: str, discard: str, keep: str) -> bool:
    """A question whose default answer keeps the clerk's work; True if they chose ``discard``."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, parent)
    box.button(QMessageBox.StandardButton.Discard).setText(discard)
    box.button(QMessageBox.StandardButton.Cancel).setText(keep)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Discard


class KeepsInput(QDialog):
    """A dialog that asks before discarding what was typed (mix in before the dialog's own class)."""

    _pristine: tuple[object, ...] | None = None

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._pristine is None:
            self.keep_as_pristine()
            first = first_input(self)
            if first is not None:
                first.setFocus()

    def keep_as_pristine(self) -> None:
        """What the inputs hold now counts as nothing typed (on opening, after a save)."""
        self._pristine = input_values(self)

    def has_input(self) -> bool:
        return self._pristine is not None and input_values(self) != self._pristine

    def confirm_discard(self) -> bool:
        """Ask whether to throw away the input (tests override this instead of clicking)."""
        return ask_to_discard(self, "放弃已填写的内容？", "您已填写的内容尚未保存，关闭后将丢失。是否放弃？",
                              "放弃内容", "继续填写")

    def reject(self) -> None:
        if self.has_input() and not self.confirm_discard():
            return
        super().reject()
