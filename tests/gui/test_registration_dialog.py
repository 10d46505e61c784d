"""登记 dialog: fields by applicant type, validation as you type, saving."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot
from sqlmodel import func, select

from request_desk.core.storage.models import Request
from request_desk.core.vocab import ID_TYPES, ApplicantType, Channel
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.registration import RegistrationDialog, set_combo
from tests.support.gui import fill_person, type_text

# The offscreen platform plugin does not implement size-hint propagation and
# says so whenever a shown window's layout changes; it is not a bug of ours.

def make(qtbot: QtBot, ctx: DeskContext) -> RegistrationDialog:
    dialog = RegistrationDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def request_count(ctx: DeskContext) -> int:
    with ctx.db.read() as s:
        return s.exec(select(func.count()).select_from(Request)).one()


def test_fields_switch_with_the_applicant_type(qtbot: QtBot, ctx: DeskContext) -> None:
    dialog = make(qtbot, ctx)
    ui = dialog.ui
    assert [ui.applicant_type.itemText(i) for i in range(ui.applicant_type.count())] == [
        "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert dialog.is_shown(ui.id_number) and dialog.is_shown(ui.id_type)
    assert not dialog.is_shown(ui.credit_code) and not dialog.is_shown(ui.contact_person)
    assert ui.applicant_name_label.text() == "申请人姓名"

    qtbot.keyClicks(ui.id_number, "123")
    set_combo(ui.applicant_type, ApplicantType.COMMERCIAL.value)
    assert dialog.is_shown(ui.credit_code) and dialog.is_shown(ui.contact_person)
    assert not dialog.is_shown(ui.id_number) and not ui.id_number.isVisible()
    assert ui.applicant_name_label.text() == "单位名称"
    assert dialog.data().id_number == "", "a hidden person field is not submitted"
    assert not dialog.messages["id_number"].isVisible()

    set_combo(ui.applicant_type, ApplicantType.NATURAL_PERSON.value)
    assert ui.id_number.text() == "123", "switching back keeps what was typed"
    assert dialog.messages["id_number"].isVisible()


def test_channel_hint_follows_article_31(qtbot: QtBot, ctx: DeskContext) -> None:
    dialog = make(qtbot, ctx)
    assert dialog.ui.channel_hint.text() == Channel.IN_PERSON.receipt_rule
    set_combo(dialog.ui.channel, Channel.POST.value)
    assert "签收之日" in dialog.ui.channel_hint.text()
    assert dialog.ui.received_date.date() == QDate(2026, 11, 27)
    assert dialog.ui.received_date.maximumDate() == QDate(2026, 11, 27), "no receipt date after today"
    assert dialog.ui.received_date.calendarPopup()
    # An oral application is received the day it is made in person: Art. 31(1) by analogy.
    set_combo(dialog.ui.channel, Channel.ORAL.value)
    assert "以当面提出申请之日为收到申请之日（条例第31条第一项）" in dialog.ui.channel_hint.text()
    assert "填写确认之日" not in dialog.ui.channel_hint.text()
    # 未记载 is only what an imported ledger left out: never offered for a new application.
    offered = [dialog.ui.channel.itemData(i) for i in range(dialog.ui.channel.count())]
    assert Channel.UNRECORDED.value not in offered and Channel.ONLINE.value in offered


def test_id_types_offer_resident_id_and_other_documents() -> None:
    codes = [code for code, _ in ID_TYPES]
    assert codes[0] == "resident_id" and {"passport", "hk_macao_permit", "taiwan_permit", "other"} <= set(codes)


def test_bad_id_number_turns_red_and_save_keeps_the_input(qtbot: QtBot, ctx: DeskContext) -> None:
    dialog = make(qtbot, ctx)
    ui = dialog.ui
    assert ui.applicant_name.property("issue") in (None, ""), "an untouched form is not red"
    fill_person(qtbot, dialog, id_number="110105194912310021")
    assert ui.id_number.property("issue") == "error"
    message = dialog.messages["id_number"]
    assert message.isVisible() and "第18位校验码应为 X" in message.text()
    assert message.property("issue") == "error"

    qtbot.mouseClick(ui.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is None and request_count(ctx) == 0
    assert ui.message_label.isVisible() and "1处需要修改" in ui.message_label.text()
    assert ui.applicant_name.text() == "张三" and ui.id_number.text() == "110105194912310021"
    assert ui.description.toPlainText().startswith("2025年")
    assert dialog.isVisible()

    # A passport number is only required, not parsed: the same text becomes fine.
    set_combo(ui.id_type, "passport")
    assert ui.id_number.property("issue") == ""
    assert not message.isVisible()
    assert not ui.message_label.isVisible()  # the error count goes once the error is fixed


def test_warning_is_amber_and_does_not_block(qtbot: QtBot, ctx: DeskContext) -> None:
    dialog = make(qtbot, ctx)
    fill_person(qtbot, dialog)
    qtbot.keyClicks(dialog.ui.email, "zhang@qq.con")
    assert dialog.ui.email.property("issue") == "warning"
    assert "可能拼写有误" in dialog.messages["email"].text()
    assert dialog.save() is not None


def test_empty_form_on_save_marks_required_fields(qtbot: QtBot, ctx: DeskContext) -> None:
    dialog = make(qtbot, ctx)
    qtbot.mouseClick(dialog.ui.save_button, Qt.MouseButton.LeftButton)
    assert dialog.ui.applicant_name.property("issue") == "error"
    assert dialog.messages["name"].text() == "请填写申请人姓名"
    # No contact is a warning (a supplement can supply it); the name still blocks the save.
    assert dialog.messages["contact"].text() == "缺少联系方式，可通知补正"
    assert dialog.ui.phone.property("issue") == "warning"
    assert request_count(ctx) == 0


def test_without_an_id_number_the_warning_shows_before_saving_and_the_request_is_registered(
    qtbot: QtBot, ctx: DeskContext
) -> None:
    # 条例第三十一条: the receipt date stands whatever is missing; 第三十条: the supplement asks for it.
    dialog = make(qtbot, ctx)
    ui = dialog.ui
    assert not dialog.missing_label.isVisible(), "an untouched form says nothing"
    fill_person(qtbot, dialog, id_number="")
    assert dialog.missing_label.isVisible()
    assert dialog.missing_label.text() == "可以登记，登记后可通知补正：缺少身份证明，可通知补正（未填写身份证件号码）"
    assert ui.save_button.isEnabled()

    with qtbot.waitSignal(ctx.signals.requests_changed):
        qtbot.mouseClick(ui.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None and request_count(ctx) == 1
    assert ui.id_number.property("issue") == "warning"
    assert dialog.messages["id_number"].text() == "缺少身份证明，可通知补正"
    assert "缺少身份证明，可通知补正" in ui.result_label.text()
    assert not dialog.missing_label.isVisible()
    with ctx.db.read() as s:
        assert s.exec(select(Request)).one().id_number == ""

    qtbot.mouseClick(ui.next_button, Qt.MouseButton.LeftButton)
    assert not dialog.missing_label.isVisible(), "the next, untouched form says nothing yet"


def test_an_organisation_without_credit_code_is_registered_with_the_warning(qtbot: QtBot, ctx: DeskContext) -> None:
    dialog = make(qtbot, ctx)
    ui = dialog.ui
    set_combo(ui.applicant_type, ApplicantType.COMMERCIAL.value)
    type_text(qtbot, ui.applicant_name, "某某置业有限公司")
    type_text(qtbot, ui.contact_person, "李四")
    type_text(qtbot, ui.phone, "025-84000000")
    type_text(qtbot, ui.description, "某地块的国有土地使用权出让合同")
    assert "缺少身份证明，可通知补正（未填写统一社会信用代码）" in dialog.missing_label.text()
    assert dialog.save() is not None and request_count(ctx) == 1
    # A present code with a wrong check character is still refused.
    qtbot.mouseClick(ui.next_button, Qt.MouseButton.LeftButton)
    type_text(qtbot, ui.applicant_name, "某某置业有限公司")
    type_text(qtbot, ui.credit_code, "914403001922038210")
    type_text(qtbot, ui.phone, "025-84000000")
    type_text(qtbot, ui.description, "另一地块的出让合同")
    assert dialog.save() is None and request_count(ctx) == 1
    assert ui.credit_code.property("issue") == "error" and "校验码" in dialog.messages["credit_code"].text()


def test_valid_form_saves_and_shows_number_and_due_date(qtbot: QtBot, ctx: DeskContext) -> None:
    dialog = make(qtbot, ctx)
    ui = dialog.ui
    ui.received_date.setDate(QDate(2026, 11, 2))
    fill_person(qtbot, dialog)
    set_combo(ui.channel, Channel.POST.value)
    ui.delivery_method.setCurrentText("当面领取")
    with qtbot.waitSignal(ctx.signals.requests_changed):
        qtbot.mouseClick(ui.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None
    with ctx.db.read() as s:
        stored = s.exec(select(Request)).one()
    assert (stored.reg_number, stored.channel, stored.received_date) == ("2026-00001", "post", date(2026, 11, 2))
    assert (stored.applicant_name, stored.delivery_method, stored.created_by) == ("张三", "当面领取", "clerk")
    assert ui.result_frame.isVisible()
    text = ui.result_label.text()
    # Received Mon 2 Nov 2026: the 20th working day after it is Mon 30 Nov; 1 working day left on 27 Nov.
    assert "2026-00001" in text and "2026-11-30" in text and "剩余1个工作日" in text
    assert "暂定" not in text
    assert ui.print_receipt_button.isEnabled()
    receipt = dialog.print_receipt()
    assert receipt is not None
    qtbot.addWidget(receipt)
    assert receipt.kind_box.currentData() == "acknowledgement"  # type: ignore[attr-defined]

    qtbot.mouseClick(ui.next_button, Qt.MouseButton.LeftButton)
    assert ui.applicant_name.text() == "" and ui.save_button.isVisible()
    assert ui.channel.currentData() == Channel.POST.value, "channel and date stay for a batch of letters"


def test_provisional_due_date_is_marked(qtbot: QtBot, db: object) -> None:
    ctx = DeskContext(db=db, user="clerk", today=lambda: date(2026, 12, 30))  # type: ignore[arg-type]
    dialog = make(qtbot, ctx)
    fill_person(qtbot, dialog)
    assert dialog.save() is not None
    # Due in January 2027, a year without an official notice in the package data.
    assert "暂定" in dialog.ui.result_label.text()


def test_the_form_states_the_length_limits_and_refuses_a_description_that_is_too_long(
        qtbot: QtBot, ctx: DeskContext) -> None:
    # Issue 11, item 10: the limits come from validation.FIELD_LIMITS, which the save enforces.
    dialog = make(qtbot, ctx)
    ui = dialog.ui
    assert "最多2000字" in ui.description.placeholderText()
    assert "最多128字" in ui.applicant_name.toolTip() and "最多1000字" in ui.note.toolTip()
    assert dialog.description_counter.text() == "0 / 2000 字"
    fill_person(qtbot, dialog)
    ui.description.setPlainText("长" * 2001)
    assert dialog.description_counter.text() == "2001 / 2000 字（超出上限，请精简）"
    assert dialog.save() is None
    assert "所需信息描述最多2000字，当前为2001字" in dialog.messages["description"].text()
    assert request_count(ctx) == 0
    ui.description.setPlainText("长" * 2000)
    assert dialog.save() is not None
    assert request_count(ctx) == 1


def test_messages_never_cover_the_next_field_and_the_form_fits_1024_by_768(qtbot: QtBot, ctx: DeskContext) -> None:
    dialog = make(qtbot, ctx)
    dialog.resize(1000, 700)
    ui = dialog.ui
    type_text(qtbot, ui.applicant_name, "张三")
    type_text(qtbot, ui.id_number, "110105194912310021")
    qtbot.mouseClick(ui.save_button, Qt.MouseButton.LeftButton)  # every message shown, description's too
    qtbot.wait(50)
    assert dialog.height() <= 740 and dialog.minimumSizeHint().height() <= 740  # a 768-pixel screen's room
    message = dialog.messages["description"]
    assert message.isVisible()
    below = message.mapTo(dialog, message.rect().topLeft()).y()
    box = ui.description.mapTo(dialog, ui.description.rect().bottomLeft()).y()
    assert below > box, "the description's message is drawn below the field, not over it"
