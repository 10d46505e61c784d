"""登记新申请: the registration form (条例第二十九条), checked as the clerk types.

The layout lives in ``ui/registration_dialog.ui`` (Qt Designer), compiled into
``request_desk.gui.forms.ui_registration_dialog``; this module fills the
pickers from the core vocabulary, validates through ``cases.validate_new`` and
saves through ``cases.register``. Nothing typed is ever lost to a refused save.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Protocol, cast

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QWidget,
)

from request_desk.core import cases
from request_desk.core.cases import date_leads
from request_desk.core.cases.validation import FIELD_LIMITS, RESIDENT_ID, Issue, Missing
from request_desk.core.deadlines.case_clock import case_countdown, read_clock
from request_desk.core.errors import DeskError, ValidationFailed
from request_desk.core.publication.similarity_index import applicant_key  # issue 6
from request_desk.core.vocab import (
    DELIVERY_METHODS,
    ID_TYPES,
    PREFERRED_FORMS,
    REGISTRATION_CHANNELS,
    ApplicantType,
    Channel,
)
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.discard import KeepsInput
from request_desk.gui.dialogs.letter import LetterDialog
from request_desk.gui.forms.ui_registration_dialog import Ui_RegistrationDialog
from request_desk.gui.widgets.common import to_qdate
from request_desk.gui.widgets.similar_requests import (  # issue 6
    SimilarRequestsPanel,
    open_repeat_reply,
)

log = logging.getLogger("request_desk.gui.registration")


class Registered(Protocol):
    """What ``cases.register`` returns, as far as this dialog reads it (a plain record)."""

    @property
    def id(self) -> int | None: ...

    @property
    def reg_number(self) -> str: ...

    @property
    def due_date(self) -> date | None: ...

ERROR_COLOUR = "#c62828"
WARNING_COLOUR = "#9a6700"

STYLE = f"""
QLineEdit[issue="error"], QPlainTextEdit[issue="error"], QDateEdit[issue="error"] {{
    border: 1px solid {ERROR_COLOUR}; background: #fdecea; padding: 2px; }}
QLineEdit[issue="warning"], QPlainTextEdit[issue="warning"], QDateEdit[issue="warning"] {{
    border: 1px solid #e0a800; background: #fff8e1; padding: 2px; }}
QLabel[issue="error"] {{ color: {ERROR_COLOUR}; }}
QLabel[issue="warning"] {{ color: {WARNING_COLOUR}; }}
QLabel#channel_hint {{ color: #555; }}
QLabel#missing_label {{ color: {WARNING_COLOUR}; background: #fff8e1; border: 1px solid #e0a800; padding: 4px; }}
QLabel#message_label {{ color: {ERROR_COLOUR}; font-weight: bold; }}
QFrame#result_frame {{ background: #e8f5e9; }}
"""


def _restyle(widget: QWidget, issue: str) -> None:
    if widget.property("issue") == issue:
        return
    widget.setProperty("issue", issue)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def _row_of(form: QFormLayout, widget: QWidget) -> int:
    """The row of ``form`` that holds ``widget``."""
    # PySide6's stubs type getWidgetPosition() as object; it returns (row, role).
    row, _role = cast("tuple[int, QFormLayout.ItemRole]", form.getWidgetPosition(widget))
    return row


class RegistrationDialog(KeepsInput):
    """The 登记 dialog. Tests build it directly, fill the widgets and click save."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_RegistrationDialog()
        self.ui.setupUi(self)
        self.setStyleSheet(STYLE)
        self.saved: Registered | None = None
        self._touched: set[str] = set()
        self._show_all = False
        self._counting_errors = False  # the banner shows the error count: kept current as fields are fixed
        ui = self.ui

        for channel in REGISTRATION_CHANNELS:
            ui.channel.addItem(channel.label, channel.value)
        for kind in ApplicantType:
            ui.applicant_type.addItem(kind.label, kind.value)
        for code, label in ID_TYPES:
            ui.id_type.addItem(label, code)
        ui.id_type.setToolTip("居民身份证号码按国家标准校验；其他证件只要求填写，不校验格式。")
        ui.preferred_form.addItems(list(PREFERRED_FORMS))
        ui.delivery_method.addItems(list(DELIVERY_METHODS))
        today = to_qdate(ctx.today())
        ui.received_date.setMaximumDate(today)
        ui.received_date.setDate(today)
        # The receipt date's reply deadline, by the clock registration itself uses (issue 15, point 9).
        clock = read_clock(ctx.db, ctx.today())
        ui.received_date.show_lead_in(ui.received_lead)
        ui.received_date.use_calendar(clock.calendar, lambda day: date_leads.registration_lead(clock, day))
        ui.description.setMinimumHeight(90)

        # Validated fields by the name validation.Issue uses, with a message under each.
        self.fields: dict[str, QWidget] = {
            "name": ui.applicant_name,
            "id_number": ui.id_number,
            "credit_code": ui.credit_code,
            "contact_person": ui.contact_person,
            "phone": ui.phone,
            "address": ui.address,
            "postal_code": ui.postal_code,
            "email": ui.email,
            "description": ui.description,
            "purpose": ui.purpose,
            "note": ui.note,
            "received_date": ui.received_date,
        }
        self.messages: dict[str, QLabel] = {}
        for name, widget in self.fields.items():
            self.messages[name] = self._add_message_row(name, widget)
        # "At least one contact" has no single field: its message sits under the e-mail.
        self.messages["contact"] = self._add_message_row("contact", ui.email, after=self.messages["email"])
        self._show_limits()
        # What the application lacks, above the buttons: registered all the same, with a
        # supplement notice to follow (条例第三十条、第三十一条; docs/domain.md, "Registration and identity").
        self.missing_label = QLabel()
        self.missing_label.setObjectName("missing_label")
        self.missing_label.setWordWrap(True)
        self.missing_label.setVisible(False)
        ui.root_layout.insertWidget(ui.root_layout.indexOf(ui.message_label), self.missing_label)

        ui.channel.currentIndexChanged.connect(self._channel_changed)
        ui.applicant_type.currentIndexChanged.connect(self._applicant_type_changed)
        ui.id_type.currentIndexChanged.connect(lambda _i: self._edited("id_number"))
        for name, widget in self.fields.items():
            if isinstance(widget, QLineEdit):
                widget.textEdited.connect(lambda _t, n=name: self._edited(n))
            elif isinstance(widget, QPlainTextEdit):
                widget.textChanged.connect(lambda n=name: self._edited(n))
        ui.received_date.dateChanged.connect(lambda _d: self._edited("received_date"))
        ui.save_button.clicked.connect(self.save)
        ui.close_button.clicked.connect(self._close)
        ui.next_button.clicked.connect(self.start_next)
        ui.print_receipt_button.clicked.connect(self.print_receipt)

        self._channel_changed()
        self._applicant_type_changed()

        # --- issue 6: similar earlier requests, looked up as the description is typed
        self.similar = SimilarRequestsPanel(ctx, self)
        self.similar.setMinimumHeight(160)
        # The forms never shrink below what their fields and messages need; the similar-requests
        # panel takes what is left (a message row drawn over the next field loses the clerk's place).
        for group in (ui.applicant_group, ui.contact_group, ui.channel_group, ui.sought_group):
            group.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        # Under the applicant's contact details, where the left column has room: the right column
        # keeps its height for the request's fields and their messages (fits 1024×768).
        ui.left_column.removeItem(ui.left_column_spacer)
        ui.left_column.addWidget(self.similar, 1)
        self.similar.repeat_requested.connect(self.reply_as_repeat)
        ui.description.textChanged.connect(self._look_up_similar)
        ui.received_date.dateChanged.connect(lambda _d: self._look_up_similar())
        for who in (ui.applicant_name, ui.id_number, ui.credit_code):  # "same applicant" depends on them
            who.textEdited.connect(lambda _t: self._look_up_similar())
        # --- end issue 6

    # ------------------------------------------------------------------ layout

    def _form_of(self, widget: QWidget) -> QFormLayout:
        for form in (self.ui.applicant_form, self.ui.contact_form, self.ui.channel_form, self.ui.sought_form):
            if form.indexOf(widget) >= 0:
                return form
        raise LookupError(widget.objectName())

    def _add_message_row(self, name: str, field: QWidget, after: QWidget | None = None) -> QLabel:
        label = QLabel()
        label.setObjectName(f"msg_{name}")
        label.setWordWrap(True)
        form = self._form_of(field)
        form.insertRow(_row_of(form, after or field) + 1, "", label)
        form.setRowVisible(label, False)
        return label

    def _show_limits(self) -> None:
        """State each field's maximum length (validation.FIELD_LIMITS, which the save enforces).

        A tooltip on every limited field, the limit in the description's
        placeholder, and a live count under the description, the one field
        clerks fill with long pasted text. Nothing is cut off silently.
        """
        for name, limit in FIELD_LIMITS.items():
            widget = self.fields.get(name)
            if widget is not None:
                tip = widget.toolTip()
                widget.setToolTip(f"{tip}\n最多{limit}字" if tip else f"最多{limit}字")
        description = self.ui.description
        description.setPlaceholderText(f"{description.placeholderText()}（最多{FIELD_LIMITS['description']}字）")
        self.description_counter = QLabel()
        self.description_counter.setObjectName("description_counter")
        form = self._form_of(description)
        form.insertRow(_row_of(form, description) + 1, "", self.description_counter)
        description.textChanged.connect(self._count_description)
        self._count_description()

    def _count_description(self) -> None:
        n, limit = len(self.ui.description.toPlainText().strip()), FIELD_LIMITS["description"]
        self.description_counter.setText(f"{n} / {limit} 字" + ("（超出上限，请精简）" if n > limit else ""))
        _restyle(self.description_counter, "error" if n > limit else "")

    # ------------------------------------------------------------ interaction

    def _channel_changed(self) -> None:
        channel = Channel(self.ui.channel.currentData())
        self.ui.channel_hint.setText(channel.receipt_rule)

    def applicant_type(self) -> ApplicantType:
        return ApplicantType(self.ui.applicant_type.currentData())

    def _applicant_type_changed(self) -> None:
        organisation = self.applicant_type().is_organisation
        ui = self.ui
        ui.applicant_name_label.setText("单位名称" if organisation else "申请人姓名")
        for widget in (ui.id_type, ui.id_number):
            ui.applicant_form.setRowVisible(widget, not organisation)
        for widget in (ui.credit_code, ui.contact_person):
            ui.applicant_form.setRowVisible(widget, organisation)
        self._revalidate()

    def _edited(self, name: str) -> None:
        self._touched.add(name)
        self._revalidate()

    def is_shown(self, widget: QWidget) -> bool:
        """Whether a field is part of the form for the current applicant type."""
        form = self._form_of(widget)
        return form.isRowVisible(_row_of(form, widget))

    # -------------------------------------------------------------- the data

    def data(self) -> cases.NewRequest:
        """What is on screen as a NewRequest; hidden fields are left out, not cleared."""
        ui = self.ui
        organisation = self.applicant_type().is_organisation
        return cases.NewRequest(
            channel=Channel(ui.channel.currentData()),
            received_date=ui.received_date.date().toPython(),  # type: ignore[arg-type]
            applicant_type=self.applicant_type(),
            applicant_name=ui.applicant_name.text(),
            description=ui.description.toPlainText(),
            id_type=RESIDENT_ID if organisation else str(ui.id_type.currentData()),
            id_number="" if organisation else ui.id_number.text(),
            credit_code=ui.credit_code.text() if organisation else "",
            contact_person=ui.contact_person.text() if organisation else "",
            phone=ui.phone.text(),
            address=ui.address.text(),
            postal_code=ui.postal_code.text(),
            email=ui.email.text(),
            purpose=ui.purpose.text(),
            preferred_form=ui.preferred_form.currentText(),
            delivery_method=ui.delivery_method.currentText(),
            note=ui.note.text(),
        )

    def _revalidate(self) -> list[Issue]:
        data = self.data()
        issues = cases.validate_new(data, self.ctx.today())
        self.show_issues(issues)
        self._show_missing(cases.missing_in_form(data))
        if self._counting_errors:  # after a refused save: the count follows the fixes, then goes
            errors = sum(1 for i in issues if i.severity == "error")
            self._banner(_error_count(errors) if errors else "")
            self._counting_errors = bool(errors)
        return issues

    def _show_missing(self, missing: list[Missing]) -> None:
        """The summary of what is missing, once the clerk has started on the form; it never blocks."""
        started = self._show_all or bool(self._touched)
        self.missing_label.setText(
            "可以登记，登记后可通知补正：" + "；".join(f"{m.message}（未填写{m.detail}）" for m in missing))
        self.missing_label.setVisible(started and bool(missing) and self.ui.result_frame.isHidden())

    def show_issues(self, issues: list[Issue]) -> None:
        """Mark fields red (error) or amber (warning) with the Chinese messages under them.

        A field's messages appear once the clerk has edited it, or for every
        field after a save was attempted: an empty new form is not all red.
        """
        by_field: dict[str, list[Issue]] = {}
        for issue in issues:
            by_field.setdefault(issue.field, []).append(issue)
        for name, label in self.messages.items():
            found = by_field.get(name, []) if (self._show_all or name in self._touched) else []
            severity = "error" if any(i.severity == "error" for i in found) else ("warning" if found else "")
            label.setText("\n".join(i.message for i in found))
            _restyle(label, severity)
            anchor = self.fields.get(name, self.ui.email)
            self._form_of(label).setRowVisible(label, bool(found) and self.is_shown(anchor))
            if name in self.fields:
                _restyle(self.fields[name], severity)
        contact = by_field.get("contact", []) if self._show_all else []
        for name in ("phone", "address", "email"):
            if contact:
                _restyle(self.fields[name], contact[0].severity)

    # ------------------------------------------------------------------ saving

    def save(self) -> Registered | None:
        """Register the request; on any refusal the dialog stays open with everything typed."""
        self._show_all = True
        issues = self._revalidate()
        errors = [i for i in issues if i.severity == "error"]
        if errors:
            self._banner(_error_count(len(errors)))
            self._counting_errors = True
            self._focus_first(errors)
            return None
        try:
            request = cases.register(self.ctx.db, self.data(), self.ctx.user, today=self.ctx.today())
        except ValidationFailed as exc:
            self.show_issues([i for i in exc.issues if isinstance(i, Issue)])
            self._banner(str(exc))
            return None
        except DeskError as exc:
            self._banner(str(exc))
            return None
        self.saved = request
        self.keep_as_pristine()  # saved: closing now loses nothing
        self._show_result(request, cases.missing_in_form(self.data()))
        self.similar.set_request(request.id)  # issue 6: one-click actions now apply to it
        self._look_up_similar()
        self.similar.flush()
        if request.id is not None:
            self.ctx.signals.requests_changed.emit({request.id})
        return request

    def print_receipt(self) -> QDialog | None:
        """The acknowledgement (接收回执) of the request just saved: preview, issue, print."""
        if self.saved is None or self.saved.id is None:
            return None
        self.receipt_dialog = LetterDialog.compose(self.ctx, self.saved.id, self, kind="acknowledgement")
        return self.receipt_dialog

    # --- issue 6: similar earlier requests

    def _look_up_similar(self) -> None:
        data = self.data()
        self.similar.search_text(data.description, data.received_date,
                                 applicant_key(data.applicant_name, data.id_number, data.credit_code))

    def reply_as_repeat(self, earlier_id: int, earlier_reg_number: str) -> QDialog | None:
        """After saving: the new request's reply with 5.2 and the earlier number filled in."""
        if self.saved is None or self.saved.id is None:
            return None
        self.repeat_dialog = open_repeat_reply(self.ctx, self.saved.id, earlier_reg_number, self)
        return self.repeat_dialog

    # --- end issue 6

    def _banner(self, text: str) -> None:
        self.ui.message_label.setText(text)
        self.ui.message_label.setVisible(bool(text))

    def _focus_first(self, errors: list[Issue]) -> None:
        for issue in errors:
            widget = self.fields.get(issue.field, self.ui.phone if issue.field == "contact" else None)
            if widget is not None and self.is_shown(widget):
                widget.setFocus()
                return

    def _show_result(self, request: Registered, missing: list[Missing]) -> None:
        self._banner("")
        self.missing_label.setVisible(False)
        assert request.id is not None
        clock = case_countdown(self.ctx.db, request.id, self.ctx.today())
        provisional = "（暂定：所跨年度的放假安排尚未公布）" if clock.provisional else ""
        due = clock.due_date.isoformat()
        # The supplement notice is due within 7 working days of receipt (条例第三十条).
        supplement = "".join(f"<br><span style='color:{WARNING_COLOUR}'>{m.message}</span>" for m in missing)
        self.ui.result_label.setText(
            f"已登记。登记编号：<b>{clock.reg_number}</b><br>"
            f"答复期限：<b>{due}</b>{provisional}（收到申请之日起20个工作日，"
            f"剩余{clock.workdays_left}个工作日）{supplement}"
        )
        self.ui.result_frame.setVisible(True)
        for group in (self.ui.applicant_group, self.ui.contact_group, self.ui.channel_group, self.ui.sought_group):
            group.setEnabled(False)
        self.ui.save_button.setVisible(False)
        self.ui.next_button.setVisible(True)
        self.ui.close_button.setText("关闭")
        self.ui.next_button.setDefault(True)

    def start_next(self) -> None:
        """Clear the applicant and request for the next registration; keep channel and date."""
        ui = self.ui
        for widget in (ui.applicant_name, ui.id_number, ui.credit_code, ui.contact_person, ui.phone,
                       ui.address, ui.postal_code, ui.email, ui.purpose, ui.note):
            widget.clear()
        ui.description.clear()
        self.similar.set_request(None)  # issue 6
        self._touched.clear()
        self._show_all = False
        self._counting_errors = False
        for group in (ui.applicant_group, ui.contact_group, ui.channel_group, ui.sought_group):
            group.setEnabled(True)
        ui.result_frame.setVisible(False)
        ui.save_button.setVisible(True)
        ui.next_button.setVisible(False)
        ui.close_button.setText("取消")
        ui.save_button.setDefault(True)
        self._revalidate()
        self.keep_as_pristine()
        ui.applicant_name.setFocus()

    def _close(self) -> None:
        if self.saved is not None:
            self.accept()
        else:
            self.reject()

    # ------------------------------------------------------------ entry point

    @classmethod
    def register(cls, ctx: DeskContext, parent: QWidget | None = None) -> Registered | None:
        """Show the dialog modally; the last request registered, or None."""
        dialog = cls(ctx, parent)
        dialog.exec()
        return dialog.saved


def _error_count(n: int) -> str:
    return f"有{n}处需要修改，已用红色标出，请核对后再登记。"


def set_combo(combo: QComboBox, data: object) -> None:
    """Select the item whose data is ``data`` (for callers and tests)."""
    index = combo.findData(data)
    if index < 0:
        raise LookupError(data)
    combo.setCurrentIndex(index)
