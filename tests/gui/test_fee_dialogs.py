"""Fee steps in the case window: the amount from the fee rules, the deadline from the applicant's receipt."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialogButtonBox, QSpinBox
from pytestqt.qtbot import QtBot

from request_desk.core import cases
from request_desk.core.cases.workflow import Action
from request_desk.core.letters import compose
from request_desk.core.letters import register as letter_register
from request_desk.core.office import settings
from request_desk.core.vocab import Status
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.actions import FormDialog
from tests import factories
from tests.factories import new_request
from tests.support.gui import case_window


def press_ok(qtbot: QtBot, dialog: FormDialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_fee_notice_receipt_and_deemed_withdrawal_show_the_payment_deadline(qtbot: QtBot, ctx: DeskContext) -> None:
    with ctx.db.write() as s:
        settings.update(s, contact_person="李四", contact_phone="0527-84371234", address="某某区人民路88号",
                        fee_payment_method="通过江苏省非税收入统一缴款平台缴纳（缴款码随本通知书送达）")
    ids = [cases.register(ctx.db, new_request(date(2026, 11, 2)), "clerk", today=ctx.today()).id
           for _ in range(12)]  # the same applicant, twelve times in November
    rid = ids[-1]
    assert rid is not None
    win = case_window(qtbot, ctx, rid)

    fee = win.perform(Action.ISSUE_FEE_NOTICE)
    method, pages = fee.fields["method"], fee.fields["pages"]
    assert isinstance(method, QComboBox) and isinstance(pages, QSpinBox)
    assert method.currentData() == "per_application" and not pages.isVisibleTo(fee)
    assert fee.fields["ordinal"].text().startswith("第 12 件")  # type: ignore[attr-defined]
    assert fee.fields["amount"].text() == "100 元（第12件，每件100元，计100元）"  # type: ignore[attr-defined]
    method.setCurrentIndex(method.findData("per_page"))
    pages.setValue(150)
    assert pages.isVisibleTo(fee) and not fee.fields["ordinal"].isVisibleTo(fee)
    assert fee.fields["amount"].text().startswith("1700 元（第1—30页免费")  # type: ignore[attr-defined]
    method.setCurrentIndex(method.findData("per_application"))
    assert "收到日期尚未确定" in fee.fields["payment_due"].text()  # type: ignore[attr-defined]
    fee.fields["date"].setDate(QDate(2026, 11, 20))  # type: ignore[attr-defined]
    press_ok(qtbot, fee)
    stored = cases.pending_fee(ctx.db, rid)
    assert stored is not None and (stored.method, stored.quantity, stored.amount_yuan) == ("per_application", 12, 100)
    assert stored.notice_date == date(2026, 11, 20) and stored.payment_due is None

    # 6.2 before the receipt is known: the dialog says why, and the step is refused.
    deem = win.perform(Action.DEEM_WITHDRAWN_NO_PAYMENT)
    assert deem.intro.text().startswith("缴费期限：尚未确定")
    press_ok(qtbot, deem)
    qtbot.waitUntil(lambda: deem.error_box is not None and deem.error_box.isVisible())
    assert deem.error_box is not None and "尚未登记申请人收到收费通知的日期" in deem.error_box.text()
    deem.error_box.accept()
    deem.reject()
    assert cases.get(ctx.db, rid).status == Status.PAUSED

    # The fee notice went out by post and was signed for on Mon 23 Nov (送达登记).
    letter = letter_register.issue(ctx.db, compose.compose(ctx.db, rid, "fee_notice", on_date=date(2026, 11, 20)),
                                   "clerk")
    sent = letter_register.record_dispatch(ctx.db, letter.id, "clerk", method="post", sent=date(2026, 11, 20),
                                           tracking_number="1151234567890")
    letter_register.record_signed(ctx.db, sent.id, "clerk", signed=date(2026, 11, 23))
    received = win.perform(Action.RECORD_FEE_NOTICE_RECEIVED)
    assert received.fields["date"].date() == QDate(2026, 11, 23)  # type: ignore[attr-defined]
    assert "签收日期（2026-11-23）预填" in received.intro.text()
    # 20 working days after 23 Nov: 24-27 (4) | 30 Nov-4 Dec (9) | 7-11 (14) | 14-18 (19) | 21 Dec (20).
    assert received.fields["payment_due"].text().startswith("2026-12-21")  # type: ignore[attr-defined]
    with qtbot.waitSignal(ctx.signals.requests_changed):
        press_ok(qtbot, received)
    assert cases.pending_fee(ctx.db, rid).payment_due == date(2026, 12, 21)  # type: ignore[union-attr]

    deem = win.perform(Action.DEEM_WITHDRAWN_NO_PAYMENT)
    assert deem.intro.text().startswith("缴费期限：2026-12-21（收到收费通知次日起20个工作日）")
    deem.reject()


def test_fee_handed_over_in_person_gets_its_deadline_at_once(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = factories.register(ctx.db, date(2026, 11, 2))
    assert rid is not None
    win = case_window(qtbot, ctx, rid)
    fee = win.perform(Action.ISSUE_FEE_NOTICE)
    assert fee.fields["amount"].text().startswith("0 元：在免费范围内")  # type: ignore[attr-defined]
    method, pages, known = fee.fields["method"], fee.fields["pages"], fee.fields["received_known"]
    assert isinstance(method, QComboBox) and isinstance(pages, QSpinBox) and isinstance(known, QCheckBox)
    method.setCurrentIndex(method.findData("per_page"))
    pages.setValue(40)
    assert fee.fields["amount"].text() == "100 元（第1—30页免费；第31—40页，每页10元，计100元）"  # type: ignore[attr-defined]
    fee.fields["date"].setDate(QDate(2026, 11, 20))  # type: ignore[attr-defined]
    assert not fee.fields["received"].isEnabled()
    known.setChecked(True)
    # Received 20 Nov: 23-27 (5) | 30 Nov-4 Dec (10) | 7-11 (15) | 14-18 Dec (20).
    assert fee.fields["payment_due"].text().startswith("2026-12-18")  # type: ignore[attr-defined]
    with qtbot.waitSignal(ctx.signals.requests_changed):
        press_ok(qtbot, fee)
    stored = cases.pending_fee(ctx.db, rid)
    assert stored is not None and (stored.quantity, stored.amount_yuan, stored.payment_due) == (
        40, 100, date(2026, 12, 18))
