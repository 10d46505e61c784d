"""The two fee steps whose forms do more than their declared fields: the live quote and deadline.

Issuing a fee notice shows the amount the fee rules give as the clerk picks the
method and the pages (``cases.quote_fee``), and the payment deadline once the
applicant's receipt is known (``cases.payment_due_after``); recording the
receipt pre-fills the date the letter register has for the signed fee notice.
Everything comes from core functions; no session is opened here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLabel, QSpinBox

from request_desk.core import cases
from request_desk.core.cases.fees import PER_PAGE, Quote
from request_desk.core.errors import DeskError, ValidationFailed
from request_desk.core.letters import register as letter_register
from request_desk.gui.dialogs.form import date_edit, py_date
from request_desk.gui.widgets.common import to_qdate

if TYPE_CHECKING:
    from request_desk.gui.dialogs.actions import ActionDialog


def _label(dialog: ActionDialog, name: str, title: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    dialog.add(name, title, label)
    return label


def issue_fee_notice(dialog: ActionDialog) -> Callable[[], dict[str, Any]]:
    ctx, form = dialog.ctx, dialog.step_form
    rid, workdays = form.request_id, form.facts.fee_payment_workdays
    method = QComboBox()
    for code, label in form.choices["method"]:
        method.addItem(label, code)
    dialog.add("method", "计收方式", method)
    ordinal = _label(dialog, "ordinal", "本月第几件申请")
    pages = QSpinBox()
    pages.setRange(1, 100000)
    pages.setSuffix(" 页")
    dialog.add("pages", "页数", pages)
    amount = _label(dialog, "amount", "应缴金额")
    received_known = QCheckBox("申请人已收到通知（如当面送达并签收）")
    dialog.add("received_known", "", received_known)
    notice = dialog.on_date_edit
    received = date_edit(py_date(notice), minimum=py_date(notice), maximum=ctx.today())
    dialog.add_date("received", "申请人收到通知日期", received)
    due = _label(dialog, "payment_due", "缴费期限")
    quote: list[Quote | None] = [None]

    def recompute() -> None:
        per_page = method.currentData() == PER_PAGE
        dialog.form.setRowVisible(pages, per_page)
        dialog.form.setRowVisible(ordinal, not per_page)
        try:
            q = cases.quote_fee(ctx.db, rid, method.currentData(), pages.value() if per_page else None)
        except DeskError as exc:
            quote[0] = None
            amount.setText(str(exc))
            return
        quote[0] = q
        ordinal.setText(f"第 {q.first} 件（同一申请人本自然月内的申请件数，系统自动计算）")
        if q.amount_yuan > 0:
            amount.setText(f"{q.amount_yuan} 元（{q.describe()}）")
        else:
            amount.setText(f"0 元：在免费范围内（{q.describe()}），不应收费。")

    def deadline() -> None:
        received.setMinimumDate(notice.date())
        if not received_known.isChecked():
            received.setDate(notice.date())  # handed over: the same day, unless the clerk says otherwise
        received.setEnabled(received_known.isChecked())
        if received_known.isChecked():
            due.setText(f"{cases.payment_due_after(ctx.db, py_date(received))}（收到通知次日起{workdays}个工作日）")
        else:
            due.setText(f"自申请人收到通知次日起{workdays}个工作日。收到日期尚未确定的（如邮寄），"
                        "待申请人签收后在办理操作中登记“申请人收到收费通知”，系统据此计算缴费期限。")

    method.currentIndexChanged.connect(lambda _i: recompute())
    pages.valueChanged.connect(lambda _v: recompute())
    received_known.toggled.connect(lambda _on: deadline())
    received.dateChanged.connect(lambda _d: deadline())
    notice.dateChanged.connect(lambda _d: deadline())
    recompute()
    deadline()

    def collect() -> dict[str, Any]:
        recompute()
        q = quote[0]
        if q is None:
            raise ValidationFailed(amount.text())
        per_page = method.currentData() == PER_PAGE
        return {"method": method.currentData(), "quantity": pages.value() if per_page else None,
                "amount_yuan": q.amount_yuan, "received": py_date(received) if received_known.isChecked() else None}
    return collect


def record_fee_notice_received(dialog: ActionDialog) -> Callable[[], dict[str, Any]]:
    ctx, form = dialog.ctx, dialog.step_form
    workdays, fee = form.facts.fee_payment_workdays, form.facts.open_fee
    on: QDateEdit = dialog.on_date_edit
    if fee is not None:
        on.setMinimumDate(to_qdate(fee.notice_date))
    text = form.hint
    signed = letter_register.latest_signed(ctx.db, form.request_id, "fee_notice")
    if signed is not None and signed <= ctx.today():
        on.setDate(to_qdate(signed))
        text += f"已按发文登记中收费通知书的签收日期（{signed}）预填。"
    dialog.say(text)
    due = _label(dialog, "payment_due", "缴费期限")

    def deadline() -> None:
        due.setText(f"{cases.payment_due_after(ctx.db, py_date(on))}（收到通知次日起{workdays}个工作日）")
    on.dateChanged.connect(lambda _d: deadline())
    deadline()
    return dict
