"""Widgets for a workflow step's declared fields, built from the step itself.

``add_step_fields`` puts one row per ``StepField`` of a ``StepForm`` into a
``FormDialog`` — a date edit, a line, a text box, a combo box of the field's
choices (units and supervisors included), a spin box, a check box, the
grouped outcome picker — named after the field, filled with the form's
starting values, shown only while its ``shown_when`` holds. It returns the
function that reads the values back by field name, so a new step needs no
code here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLabel, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from request_desk.core.cases import FieldKind, StepField, StepForm
from request_desk.core.vocab import OUTCOME_GROUPS, OUTCOMES, OUTCOMES_BY_CODE, REPLY_OUTCOME_CODES
from request_desk.gui.dialogs.form import FormDialog, date_edit, py_date

Reader = Callable[[], Any]


def add_step_fields(dialog: FormDialog, form: StepForm) -> Callable[[], dict[str, Any]]:
    """Add a row per declared field; returns the reader of ``{field name: value}``."""
    readers: dict[str, Reader] = {}
    for f in form.fields:
        readers[f.name] = _add_field(dialog, form, f)
    for f in form.fields:
        if f.shown_when is not None:
            _follow(dialog, f, readers)

    def collect() -> dict[str, Any]:
        values = {name: read() for name, read in readers.items()}
        return {f.name: values[f.name] for f in form.fields if f.applies(values)}
    return collect


def _add_field(dialog: FormDialog, form: StepForm, f: StepField) -> Reader:
    default = form.defaults.get(f.name)
    if f.kind is FieldKind.DATE:
        edit = date_edit(default or form.today)
        if not f.toggle:
            dialog.add_date(f.name, f.label, edit)
            return lambda: py_date(edit)
        use = QCheckBox(f.toggle)
        use.setChecked(True)
        dialog.add(f"use_{f.name}", "", use)
        dialog.add_date(f.name, f.label, edit)
        use.toggled.connect(edit.setEnabled)
        use.toggled.connect(edit.lead_label.setEnabled)
        return lambda: py_date(edit) if use.isChecked() else None
    if f.kind is FieldKind.OUTCOME:
        return _outcome_picker(dialog, f)
    if f.kind in (FieldKind.CHOICE, FieldKind.UNIT, FieldKind.LETTER):
        combo = QComboBox()
        if f.kind is FieldKind.LETTER:  # "no letter" stays a choice, e.g. an answer given on the spot
            combo.addItem(f.placeholder, "")
        for value, label in form.choices.get(f.name, ()):
            combo.addItem(label, int(value) if f.kind is FieldKind.UNIT else value)
        if default is not None:
            index = combo.findData(int(default) if f.kind is FieldKind.UNIT else default)
            if index >= 0:
                combo.setCurrentIndex(index)
        elif f.placeholder:  # nothing chosen until the clerk chooses (e.g. a consulted side's answer)
            combo.setPlaceholderText(f.placeholder)
            combo.setCurrentIndex(-1)
        dialog.add(f.name, f.label, combo)
        return lambda: combo.currentData() if combo.currentIndex() >= 0 else None
    if f.kind is FieldKind.INT:
        spin = QSpinBox()
        spin.setRange(0, 1_000_000)
        spin.setValue(int(default or 0))
        dialog.add(f.name, f.label, spin)
        return spin.value
    if f.kind is FieldKind.BOOL:
        box = QCheckBox(f.label)
        box.setChecked(bool(default))
        dialog.add(f.name, "", box)
        return box.isChecked
    if f.kind is FieldKind.LONG_TEXT:
        text = QPlainTextEdit(str(default or ""))
        text.setTabChangesFocus(True)
        text.setFixedHeight(72)
        text.setPlaceholderText(f.placeholder)
        dialog.add(f.name, f.label, text)
        return lambda: text.toPlainText().strip()
    line = QLineEdit(str(default or ""))  # TEXT, REQUEST: a line of text
    line.setPlaceholderText(f.placeholder)
    dialog.add(f.name, f.label, line)
    return lambda: line.text().strip()


def _outcome_picker(dialog: FormDialog, f: StepField) -> Reader:
    """The official outcome codes grouped as in the annual report, with the legal basis of the chosen one."""
    combo = QComboBox()
    model = QStandardItemModel(combo)
    for group, title in OUTCOME_GROUPS.items():
        members = [o for o in OUTCOMES if o.group == group and o.code in REPLY_OUTCOME_CODES]
        if len(members) == 1 and members[0].code == group:  # rows 1 and 2 have no sub-rows
            item = QStandardItem(f"{group} {members[0].label}")
            item.setData(group, Qt.ItemDataRole.UserRole)
            model.appendRow(item)
            continue
        header = QStandardItem(f"{group} {title}")
        header.setFlags(Qt.ItemFlag.NoItemFlags)
        model.appendRow(header)
        for o in members:
            item = QStandardItem(f"    {o.code} {o.label}")
            item.setData(o.code, Qt.ItemDataRole.UserRole)
            model.appendRow(item)
    combo.setModel(model)
    combo.setPlaceholderText(f.placeholder)
    combo.setCurrentIndex(-1)
    dialog.add(f.name, f.label, combo)
    basis = QLabel()
    basis.setWordWrap(True)
    dialog.add("legal_basis", "依据", basis)

    def changed() -> None:
        outcome = OUTCOMES_BY_CODE.get(combo.currentData() or "")
        basis.setText(outcome.legal_basis if outcome and outcome.legal_basis else "—")
    combo.currentIndexChanged.connect(changed)
    changed()
    return lambda: combo.currentData() or None


def _follow(dialog: FormDialog, f: StepField, readers: dict[str, Reader]) -> None:
    """Show ``f`` only while the field it depends on has the wanted value."""
    assert f.shown_when is not None
    other, wanted = f.shown_when
    source = dialog.fields[other]

    def update() -> None:
        dialog.set_row_visible(f.name, str(readers[other]() or "") == wanted)
    _changed_signal(source)(update)
    update()


def _changed_signal(widget: QWidget) -> Callable[[Callable[[], None]], Any]:
    if isinstance(widget, QComboBox):
        return lambda slot: widget.currentIndexChanged.connect(lambda _i: slot())
    if isinstance(widget, QLineEdit):
        return lambda slot: widget.textChanged.connect(lambda _t: slot())
    if isinstance(widget, QDateEdit):
        return lambda slot: widget.dateChanged.connect(lambda _d: slot())
    if isinstance(widget, QSpinBox):
        return lambda slot: widget.valueChanged.connect(lambda _v: slot())
    if isinstance(widget, QCheckBox):
        return lambda slot: widget.toggled.connect(lambda _b: slot())
    return lambda slot: None
