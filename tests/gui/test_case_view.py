"""The case window: header and clock, actions by status, steps through the dialogs."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot
from sqlmodel import func, select

from request_desk.core import cases
from request_desk.core.cases import calls
from request_desk.core.cases.workflow import Action
from request_desk.core.letters import compose
from request_desk.core.letters import register as letter_register
from request_desk.core.office import settings as office_settings
from request_desk.core.office import units
from request_desk.core.storage.models import AuditEntry, Event, Request
from request_desk.core.vocab import ConsultationAnswer, PauseKind, RemedyKind, RemedyResult, Status, UnitLevel
from request_desk.gui.case_view import CaseWindow
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.actions import ActionDialog, FormDialog
from tests import factories
from tests.support.gui import case_window

# Offscreen platform plugin noise (size hints, raise), not bugs of ours.



def press_ok(qtbot: QtBot, ctx: DeskContext, dialog: FormDialog) -> None:
    with qtbot.waitSignal(ctx.signals.requests_changed):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def status(ctx: DeskContext, rid: int) -> str:
    return cases.get(ctx.db, rid).status


def test_header_shows_number_applicant_status_and_clock(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = factories.register(ctx.db, date(2026, 11, 2))
    win = case_window(qtbot, ctx, rid)
    assert win.reg_number.text() == "2026-00001"
    assert "张三" in win.applicant.text() and win.status.text() == "状态：已登记"
    # Received Mon 2 Nov: due Mon 30 Nov; on Fri 27 Nov one working day is left (amber).
    assert win.due.text() == "答复期限：2026-11-30"
    assert win.days_left.text() == "剩余 1 个工作日" and "#b26a00" in win.days_left.styleSheet()
    assert not win.provisional.isVisibleTo(win)
    details = dict(win.case.details)
    assert details["证件号码"] != "11010519491231002X" and details["证件号码"].endswith("002X"), "ID masked"


def test_overdue_is_red_and_provisional_is_marked(qtbot: QtBot, ctx: DeskContext, db: object) -> None:
    late = case_window(qtbot, ctx, factories.register(ctx.db, date(2026, 9, 28)))
    assert late.days_left.text().startswith("已逾期") and "#c62828" in late.days_left.styleSheet()
    december = DeskContext(db=ctx.db, user="clerk", today=lambda: date(2026, 12, 30))
    rid = factories.register(ctx.db, date(2026, 12, 28), today=date(2026, 12, 30))
    assert rid is not None
    win = case_window(qtbot, december, rid)
    assert win.provisional.isVisibleTo(win) and "尚未公布" in win.provisional.toolTip()


def test_open_brings_the_same_window_back(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = factories.register(ctx.db, date(2026, 11, 2))
    first = case_window(qtbot, ctx, rid)
    assert CaseWindow.open_request(ctx, rid) is first
    other = case_window(qtbot, ctx, factories.register(ctx.db, date(2026, 11, 2)))
    assert other is not first


def test_action_buttons_follow_the_state_machine(qtbot: QtBot, ctx: DeskContext) -> None:
    win = case_window(qtbot, ctx, factories.register(ctx.db, date(2026, 11, 2)))
    buttons = win.action_buttons
    assert buttons[Action.ASSIGN].is_available() and buttons[Action.REPLY].is_available()
    assert buttons[Action.ASSIGN].toolTip() == ""
    deliver = buttons[Action.DELIVER]
    assert not deliver.is_available()
    assert deliver.toolTip() == "当前状态为“已登记”，不能送达（仅在已答复时可以）。"
    assert not buttons[Action.CLOSE].is_available() and "不能归档" in buttons[Action.CLOSE].toolTip()
    assert not win.call_button.is_available() and win.call_button.toolTip() == "申请尚未答复。"


def test_assign_reply_deliver_through_the_dialogs(qtbot: QtBot, ctx: DeskContext) -> None:
    unit = units.add_unit(ctx.db, units.UnitData("市住房和城乡建设局", UnitLevel.DEPARTMENT), actor="supervisor")
    rid = factories.register(ctx.db, date(2026, 11, 2))
    win = case_window(qtbot, ctx, rid)

    qtbot.mouseClick(win.action_buttons[Action.ASSIGN], Qt.MouseButton.LeftButton)
    dialog = win.current_dialog
    assert isinstance(dialog, ActionDialog) and dialog.action is Action.ASSIGN
    combo = dialog.fields["unit"]
    assert isinstance(combo, QComboBox) and combo.currentData() == unit.id
    dialog.fields["date"].setDate(QDate(2026, 11, 3))  # type: ignore[attr-defined]
    dialog.fields["internal_due"].setDate(QDate(2026, 11, 20))  # type: ignore[attr-defined]
    press_ok(qtbot, ctx, dialog)
    assert status(ctx, rid) == Status.IN_PROGRESS
    assert win.status.text() == "状态：办理中"
    assert win.assignments.item(0, 0).text() == "市住房和城乡建设局"
    assert win.assignments.item(0, 2).text() == "2026-11-20"

    reply = win.perform(Action.REPLY)
    labels = [reply.fields["outcome"].itemText(i) for i in range(reply.fields["outcome"].count())]  # type: ignore[attr-defined]
    assert labels[:4] == ["1 予以公开", "2 部分公开（区分处理的，只计这一情形，不计其他情形）", "3 不予公开",
                          "    3.1 属于国家秘密"]
    assert not any("6.1" in label or "6.2" in label for label in labels), "6.1/6.2 only via deemed withdrawal"
    reply.select_outcome("4.1")
    assert reply.fields["legal_basis"].text() == "条例第三十六条第（四）（五）项"  # type: ignore[attr-defined]
    reply.fields["date"].setDate(QDate(2026, 11, 20))  # type: ignore[attr-defined]
    reply.fields["summary"].setPlainText("经检索，本机关未制作、获取该信息")  # type: ignore[attr-defined]
    press_ok(qtbot, ctx, reply)
    stored = cases.get(ctx.db, rid)
    assert (stored.status, stored.outcome_code, stored.reply_date) == ("replied", "4.1", date(2026, 11, 20))
    # (2 Nov, 20 Nov]: three working weeks less Monday 2 November.
    assert win.days_left.text() == "已于 2026-11-20 答复，按期，用时 14 个工作日"

    deliver = win.perform(Action.DELIVER)
    assert deliver.fields["channel"].currentText() == "邮寄", "defaults to what the applicant asked for"  # type: ignore[attr-defined]
    deliver.fields["proof"].setText("XA123456789CN")  # type: ignore[attr-defined]
    deliver.fields["date"].setDate(QDate(2026, 11, 23))  # type: ignore[attr-defined]
    press_ok(qtbot, ctx, deliver)
    stored = cases.get(ctx.db, rid)
    assert (stored.status, stored.delivered_date, stored.delivery_proof) == ("delivered", date(2026, 11, 23),
                                                                             "XA123456789CN")
    rows = [[win.events.item(r, c).text() for c in range(4)] for r in range(win.events.rowCount())]
    assert [r[1] for r in rows] == ["登记", "分办承办单位", "答复", "送达"]
    assert rows[1][0] == "2026-11-03" and rows[2][2] == "李经办" and rows[3][3] == "XA123456789CN"
    assert win.action_buttons[Action.CLOSE].is_available() and not win.action_buttons[Action.REPLY].is_available()


def _trace(ctx: DeskContext) -> tuple[int, int]:
    with ctx.db.read() as s:
        return (s.exec(select(func.count()).select_from(Event)).one(),
                s.exec(select(func.count()).select_from(AuditEntry)).one())


def test_domain_error_is_shown_and_changes_nothing(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = factories.register(ctx.db, date(2026, 11, 2))
    win = case_window(qtbot, ctx, rid)
    dialog = win.perform(Action.REQUEST_SUPPLEMENT)
    dialog.fields["what"].setPlainText("请说明所需信息的年份")  # type: ignore[attr-defined]
    # Meanwhile a colleague answers the request at another desk.
    cases.reply(ctx.db, rid, "supervisor", outcome_code="1", on_date=date(2026, 11, 27), today=ctx.today())
    before = (cases.get(ctx.db, rid), _trace(ctx))

    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error_box is not None and dialog.error_box.isVisible())
    assert dialog.error_box is not None and "已被他人修改" in dialog.error_box.text()
    assert dialog.isVisible() and dialog.fields["what"].toPlainText() == "请说明所需信息的年份"  # type: ignore[attr-defined]
    assert (cases.get(ctx.db, rid), _trace(ctx)) == before
    dialog.error_box.accept()



def test_a_step_refused_as_stale_keeps_the_input_and_succeeds_on_the_next_ok(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = factories.register(ctx.db, date(2026, 11, 2))
    unit = factories.add_unit(ctx.db, "市住建局")
    win = case_window(qtbot, ctx, rid)
    dialog = win.perform(Action.REQUEST_SUPPLEMENT)
    dialog.fields["what"].setPlainText("请说明所需信息的年份")  # type: ignore[attr-defined]
    cases.assign(ctx.db, rid, "supervisor", unit_id=unit, on_date=date(2026, 11, 3), today=ctx.today())  # elsewhere
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error_box is not None and dialog.error_box.isVisible())
    assert dialog.error_box is not None and "已载入最新的案件信息" in dialog.error_box.text()
    dialog.error_box.accept()
    assert dialog.fields["what"].toPlainText() == "请说明所需信息的年份"  # type: ignore[attr-defined]
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cases.get(ctx.db, rid).status == Status.AWAITING_SUPPLEMENT)
    assert cases.get(ctx.db, rid).current_unit_id == unit  # the colleague's assignment stands

def test_repeat_application_needs_a_known_registration_number(qtbot: QtBot, ctx: DeskContext) -> None:
    earlier = factories.register(ctx.db, date(2026, 10, 9))
    cases.reply(ctx.db, earlier, "clerk", outcome_code="1", on_date=date(2026, 10, 20), today=ctx.today())  # answered
    rid = factories.register(ctx.db, date(2026, 11, 2))
    win = case_window(qtbot, ctx, rid)
    dialog = win.perform(Action.REPLY)
    dialog.select_outcome("5.2")
    repeat = dialog.fields["repeat_of"]
    assert isinstance(repeat, QLineEdit) and repeat.isVisibleTo(dialog)
    repeat.setText("2026-09999")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dialog.error_box is not None and "找不到登记编号为“2026-09999”" in dialog.error_box.text()
    assert status(ctx, rid) == Status.REGISTERED
    dialog.error_box.accept()
    repeat.setText(cases.get(ctx.db, earlier).reg_number)
    press_ok(qtbot, ctx, dialog)
    assert cases.get(ctx.db, rid).repeat_of_id == earlier


def test_explanation_shows_the_legal_clock(qtbot: QtBot, ctx: DeskContext) -> None:
    win = case_window(qtbot, ctx, factories.register(ctx.db, date(2026, 11, 2)))
    qtbot.mouseClick(win.explain_button, Qt.MouseButton.LeftButton)
    text = win.current_dialog.findChild(QPlainTextEdit, "explanation")  # type: ignore[union-attr]
    assert text is not None and text.isReadOnly()
    assert text.toPlainText().startswith("收到申请：2026-11-02（星期一），当日不计。")
    assert "计算所得答复期限：2026-11-30（第20个工作日）" in text.toPlainText()


def test_a_consultation_past_its_deadline_is_flagged_with_what_follows(qtbot: QtBot, ctx: DeskContext) -> None:
    # docs/domain.md, "Pauses": sent Fri 9 Oct, receipt not recorded: presumed Tue 13 Oct (Sat 10 Oct is a
    # make-up working day), 15 working days to Tue 3 Nov; on 27 Nov the clock runs again.
    rid = factories.register(ctx.db, date(2026, 9, 28))
    cases.start_pause(ctx.db, rid, "clerk", kind=PauseKind.THIRD_PARTY, counterpart="某某建设有限公司",
                      on_date=date(2026, 10, 9), today=ctx.today())
    win = case_window(qtbot, ctx, rid)
    assert win.consultation_warning.isVisibleTo(win)
    warning = win.consultation_warning.text()
    assert "推定为 2026-10-13" in warning and "至 2026-11-03，已届满" in warning
    assert "由本机关依照条例的规定决定是否公开（条例第三十二条）" in warning and "视为同意" not in warning
    assert "暂停计时中" not in win.days_left.text()
    row = [win.pauses.item(0, c).text() for c in range(win.pauses.columnCount())]
    assert row[:5] == ["征求第三方意见", "2026-10-09", "2026-10-13（推定）", "2026-11-03（已届满）", "进行中"]
    cases.end_pause(ctx.db, rid, "clerk", answer=ConsultationAnswer.OBJECTED, reasons="涉及商业秘密",
                    on_date=date(2026, 11, 5), today=ctx.today())
    win.refresh()
    assert not win.consultation_warning.isVisibleTo(win)
    assert win.pauses.item(0, 6).text() == "不同意公开：涉及商业秘密"


def test_call_and_remedy_from_the_case_window(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = factories.register(ctx.db, date(2026, 11, 2))
    cases.reply(ctx.db, rid, "clerk", outcome_code="3.4", on_date=date(2026, 11, 20), today=ctx.today())
    win = case_window(qtbot, ctx, rid)
    assert win.call_button.is_available()
    call = win.log_call()
    call.set_called_at(datetime(2026, 11, 26, 9, 30))
    call.fields["satisfaction"].setCurrentIndex(1)  # type: ignore[attr-defined]
    press_ok(qtbot, ctx, call)
    assert win.calls.item(0, 0).text() == "2026-11-26 09:30" and win.calls.item(0, 3).text() == "基本满意"
    assert calls.calls_for(ctx.db, rid)[0].caller == "李经办"

    remedy = win.add_remedy()
    remedy.fields["kind"].setCurrentIndex(remedy.fields["kind"].findData(RemedyKind.RECONSIDERATION.value))  # type: ignore[attr-defined]
    remedy.fields["filed"].setDate(QDate(2026, 11, 25))  # type: ignore[attr-defined]
    press_ok(qtbot, ctx, remedy)
    assert win.remedies.item(0, 0).text() == "行政复议" and win.remedies.item(0, 3).text() == "尚未审结"
    assert not win.remedy_result_button.isEnabled()
    win.remedies.selectRow(0)
    assert win.remedy_result_button.isEnabled()
    result = win.set_remedy_result()
    assert result is not None
    result.fields["result"].setCurrentIndex(result.fields["result"].findData(RemedyResult.UPHELD.value))  # type: ignore[attr-defined]
    result.fields["result_date"].setDate(QDate(2026, 11, 27))  # type: ignore[attr-defined]
    press_ok(qtbot, ctx, result)
    assert win.remedies.item(0, 3).text() == "结果维持" and win.remedies.item(0, 4).text() == "2026-11-27"
    kinds = [win.events.item(r, 1).text() for r in range(win.events.rowCount())]
    assert kinds == ["登记", "答复", "申请人寻求救济", "电话回访", "复议/诉讼结果"]
    with ctx.db.read() as s:
        assert s.exec(select(Request)).one().version == 2, "calls and remedies do not touch the request row"


def test_letters_tab_lists_issued_letters_and_opens_the_letter_dialog(qtbot: QtBot, ctx: DeskContext) -> None:
    with ctx.db.write() as s:
        office_settings.update(s, contact_person="李四", contact_phone="0527-84000000")
    rid = factories.register(ctx.db)
    draft = compose.compose(ctx.db, rid, "acknowledgement", on_date=ctx.today())
    letter = letter_register.issue(ctx.db, draft, "clerk")
    window = CaseWindow(ctx, rid)
    qtbot.addWidget(window)
    window.tabs.setCurrentWidget(window.letters_tab)  # read when the clerk opens the tab (issue 18)
    assert window.letters.rowCount() == 1
    assert window.letters.item(0, 0).text() == letter.doc_number
    dialog = window.compose_letter()
    qtbot.addWidget(dialog)
    assert dialog.isVisible()


def test_audit_tab_shows_the_case_history(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = factories.register(ctx.db)
    cases.withdraw(ctx.db, rid, "supervisor", on_date=ctx.today(), today=ctx.today())
    window = CaseWindow(ctx, rid)
    qtbot.addWidget(window)
    window.tabs.setCurrentWidget(window.audit)
    actions = [window.audit.item(r, 2).text() for r in range(window.audit.rowCount())]
    assert actions == ["登记", "申请人撤回申请"]
    assert window.audit.item(1, 1).text() == "supervisor"
    assert "状态：已登记 → 申请人撤回" in window.audit.item(1, 4).text()


def test_what_the_application_lacks_is_shown_and_the_supplement_notice_proposes_it(
    qtbot: QtBot, ctx: DeskContext
) -> None:
    # 条例第三十条: registered without an ID number, the case says so and the one notice asks for it.
    rid = factories.register(ctx.db, date(2026, 11, 2), id_number="")
    win = case_window(qtbot, ctx, rid)
    assert not win.missing.isHidden()
    assert win.missing.text() == "申请材料不全：缺少身份证明，可通知补正（未填写身份证件号码）"
    dialog = win.perform(Action.REQUEST_SUPPLEMENT)
    what = dialog.fields["what"]
    assert what.toPlainText() == "请补充提供申请人身份证明（身份证件号码）。"  # type: ignore[attr-defined]
    what.setPlainText(what.toPlainText() + "另请写明所需信息的年度。")  # type: ignore[attr-defined]
    press_ok(qtbot, ctx, dialog)
    assert status(ctx, rid) == Status.AWAITING_SUPPLEMENT
    assert win.case.events[-1].note == "请补充提供申请人身份证明（身份证件号码）。另请写明所需信息的年度。"
    assert win.missing.text() == "申请材料不全（已发出补正告知）：缺少身份证明（未填写身份证件号码）"

    complete = case_window(qtbot, ctx, factories.register(ctx.db, date(2026, 11, 2), applicant_name="李四"))
    assert complete.missing.isHidden()
    blank = complete.perform(Action.REQUEST_SUPPLEMENT)
    assert blank.fields["what"].toPlainText() == ""  # type: ignore[attr-defined]
    blank.reject()


def test_an_awaiting_supplement_case_shows_a_stopped_clock_and_its_supplement_deadline(
        qtbot: QtBot, ctx: DeskContext) -> None:
    """Issue 15.11: the header showed a running green countdown while the list said 待补正."""
    rid = factories.register(ctx.db, date(2026, 11, 20))
    win = case_window(qtbot, ctx, rid)
    assert win.days_left.text().startswith("剩余")  # running before the notice
    qtbot.mouseClick(win.action_buttons[Action.REQUEST_SUPPLEMENT], Qt.MouseButton.LeftButton)
    dialog = win.current_dialog
    assert isinstance(dialog, ActionDialog) and dialog.action is Action.REQUEST_SUPPLEMENT
    dialog.fields["what"].setPlainText("请写明具体地块。")  # type: ignore[attr-defined]
    dialog.fields["date"].setDate(QDate(2026, 11, 23))  # type: ignore[attr-defined]
    dialog.fields["deadline"].setDate(QDate(2026, 12, 11))  # type: ignore[attr-defined]
    press_ok(qtbot, ctx, dialog)
    assert status(ctx, rid) == Status.AWAITING_SUPPLEMENT
    assert win.status.text() == "状态：待补正"
    assert win.days_left.text() == "待补正，停止计时，补正期限 2026-12-11"
    assert "剩余" not in win.days_left.text() and "#" not in win.days_left.styleSheet()  # no traffic-light colour
    assert win.due.text() == "答复期限：收到补正材料后重新计算"
