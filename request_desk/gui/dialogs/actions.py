"""The small dialogs behind each workflow action of the case view, and the remedy dialogs.

Each dialog collects what the matching service in ``cases.py`` (or
``remedies.py``) needs and calls it itself when the clerk presses 确定, with
``expected_version`` so a stale view cannot overwrite a colleague's work. A
domain error is shown in a message box over the dialog, which stays open with
everything typed. ``start()`` opens a dialog without blocking (the case view
and the tests use it); ``ask()`` runs it modally and returns the result.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from request_desk.core import cases
from request_desk.core.deadlines import holidays
from request_desk.core.cases import remedies, case_file
from request_desk.core.office import settings as office_settings, units, users
from request_desk.core.errors import DeskError, ValidationFailed
from request_desk.core.letters import register as letter_register
from request_desk.core.vocab import (
    DELIVERY_METHODS,
    FEE_METHODS,
    OUTCOME_GROUPS,
    OUTCOMES,
    REPLY_OUTCOME_CODES,
    PauseKind,
    RemedyKind,
    RemedyResult,
)
from request_desk.core.cases.workflow import Action
from request_desk.gui.context import DeskContext

# The keyword under which each service takes the date of the step, and its label.
DATE_FIELDS: dict[Action, tuple[str, str]] = {
    Action.REQUEST_SUPPLEMENT: ("notice_date", "告知日期"),
    Action.RECEIVE_SUPPLEMENT: ("received", "收到补正日期"),
    Action.DEEM_WITHDRAWN_NO_SUPPLEMENT: ("on_date", "认定日期"),
    Action.ASSIGN: ("on_date", "分办日期"),
    Action.START_PAUSE: ("on_date", "发出征求意见日期"),
    Action.END_PAUSE: ("on_date", "收到意见（或期限届满）日期"),
    Action.ISSUE_FEE_NOTICE: ("on_date", "收费通知日期"),
    Action.RECORD_FEE_NOTICE_RECEIVED: ("received", "申请人收到通知日期"),
    Action.RECORD_PAYMENT: ("paid", "缴费日期"),
    Action.DEEM_WITHDRAWN_NO_PAYMENT: ("on_date", "认定日期"),
    Action.EXTEND: ("approved", "批准日期"),
    Action.SET_LATER_DATE: ("on_date", "决定日期"),
    Action.REPLY: ("replied", "答复日期"),
    Action.DELIVER: ("delivered", "送达日期"),
    Action.WITHDRAW: ("on_date", "撤回日期"),
    Action.CLOSE: ("on_date", "归档日期"),
}
WITH_NOTE = {Action.RECEIVE_SUPPLEMENT, Action.ASSIGN, Action.START_PAUSE, Action.END_PAUSE,
             Action.WITHDRAW, Action.CLOSE}


def date_edit(value: date, *, minimum: date | None = None, maximum: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    if minimum is not None:
        edit.setMinimumDate(QDate(minimum))
    if maximum is not None:
        edit.setMaximumDate(QDate(maximum))
    edit.setDate(QDate(value))
    return edit


def py_date(edit: QDateEdit) -> date:
    return edit.date().toPython()  # type: ignore[return-value]


class FormDialog(QDialog):
    """A form with 确定/取消 that runs ``perform()`` on 确定 and stays open on a domain error."""

    def __init__(self, ctx: DeskContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.result_value: Any = None
        self.error_box: QMessageBox | None = None
        self.fields: dict[str, QWidget] = {}
        self.form = QFormLayout()
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def add(self, name: str, label: str, widget: QWidget) -> QWidget:
        widget.setObjectName(name)
        self.fields[name] = widget
        self.form.addRow(label, widget)
        return widget

    def say(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.setVisible(bool(text))

    def perform(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def accept(self) -> None:
        try:
            self.result_value = self.perform()
        except DeskError as exc:
            self.show_error(str(exc))
            return
        self.ctx.signals.requests_changed.emit()
        super().accept()

    def show_error(self, text: str) -> None:
        """A window-modal message box over the dialog; the dialog keeps its input."""
        self.error_box = QMessageBox(QMessageBox.Icon.Warning, "操作未完成", text, QMessageBox.StandardButton.Ok, self)
        self.error_box.open()

    @classmethod
    def _launch(cls, dialog: FormDialog) -> FormDialog:
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog


class ActionDialog(FormDialog):
    """One workflow step of one case."""

    def __init__(self, ctx: DeskContext, case: case_file.CaseRecord, action: Action,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"{action.label} — {case.header.reg_number}", parent)
        self.case = case
        self.action = action
        h = case.header
        today = ctx.today()
        key, label = DATE_FIELDS[action]
        self.date_key = key
        self.add("date", label, date_edit(today, minimum=h.received_date, maximum=today))
        self._collect: Callable[[], dict[str, Any]] = getattr(self, f"_build_{action.value}")()
        if action in WITH_NOTE:
            self.add("note", "说明", QLineEdit())

    # ------------------------------------------------------------ per action

    def _text(self, name: str, label: str, placeholder: str = "", multiline: bool = False) -> QWidget:
        widget: QWidget
        if multiline:
            widget = QPlainTextEdit()
            widget.setTabChangesFocus(True)
            widget.setFixedHeight(72)
            widget.setPlaceholderText(placeholder)
        else:
            widget = QLineEdit()
            widget.setPlaceholderText(placeholder)
        return self.add(name, label, widget)

    def text(self, name: str) -> str:
        widget = self.fields[name]
        return widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()  # type: ignore[attr-defined]

    def _build_request_supplement(self) -> Callable[[], dict[str, Any]]:
        h = self.case.header
        if h.supplement_notice_due:
            self.say(f"条例第三十条：补正告知应在收到申请后7个工作日内（{h.supplement_notice_due}前）一次性发出。")
        self._text("what", "需要补正的事项", "一次性写明需要补正的全部内容", multiline=True)
        with self.ctx.db.read() as session:
            period = office_settings.load(session).supplement_period_workdays
            default = holidays.calendar(session).add_workdays(self.ctx.today(), period)
        self.add("deadline", "补正期限", date_edit(default, minimum=self.ctx.today() + timedelta(days=1)))
        return lambda: {"what": self.text("what"), "deadline": py_date(self.fields["deadline"])}  # type: ignore[arg-type]

    def _build_receive_supplement(self) -> Callable[[], dict[str, Any]]:
        self.say("收到补正材料后，答复期限自次日起重新计算20个工作日。")
        return dict

    def _build_deem_withdrawn_no_supplement(self) -> Callable[[], dict[str, Any]]:
        self.say(f"补正期限：{self.case.header.supplement_deadline or '—'}。期限届满后仍未补正的，"
                 "视为放弃申请（办理结果6.1）。")
        return dict

    def _build_assign(self) -> Callable[[], dict[str, Any]]:
        h = self.case.header
        combo = QComboBox()
        for unit in units.list_units(self.ctx.db, active_only=True):
            current = "（当前承办）" if unit.id == h.current_unit_id else ""
            combo.addItem(f"{unit.name}{current}", unit.id)
        self.add("unit", "承办单位", combo)
        use_due = QCheckBox("设定内部办理期限")
        use_due.setChecked(True)
        self.add("use_internal_due", "", use_due)
        with self.ctx.db.read() as session:
            workdays = office_settings.load(session).unit_internal_workdays
            default = holidays.calendar(session).add_workdays(self.ctx.today(), workdays)
        if h.due_date:
            default = min(default, h.due_date)
        due = self.add("internal_due", "内部办理期限", date_edit(max(default, self.ctx.today())))
        use_due.toggled.connect(due.setEnabled)
        if h.due_date:
            self.say(f"法定答复期限：{h.due_date}。内部期限宜留出审核、制作答复书的时间。")

        def collect() -> dict[str, Any]:
            if combo.currentIndex() < 0:
                raise ValidationFailed("请先在“承办单位”页面添加承办单位。")
            return {"unit_id": combo.currentData(),
                    "internal_due": py_date(due) if use_due.isChecked() else None}  # type: ignore[arg-type]
        return collect

    def _build_start_pause(self) -> Callable[[], dict[str, Any]]:
        kind = QComboBox()
        for k in (PauseKind.THIRD_PARTY, PauseKind.OTHER_AGENCY):
            kind.addItem(k.label, k.value)
        self.add("kind", "征求意见对象", kind)
        self._text("counterpart", "第三方或机关名称")
        self.say("条例第三十二条、第三十三条：征求第三方或其他机关意见所需时间不计算在答复期限内。")
        return lambda: {"kind": PauseKind(kind.currentData()), "counterpart": self.text("counterpart")}

    def _build_end_pause(self) -> Callable[[], dict[str, Any]]:
        self.say("第三方应在15个工作日内提出意见；逾期未提出的，填写期限届满之日。")
        return dict

    # -- fees: the amount from the fee rules, the deadline from the applicant's receipt

    def _fee_workdays(self) -> int:
        with self.ctx.db.read() as session:
            return office_settings.load(session).fee_payment_workdays

    def _payment_due(self, received: date) -> date:
        """The last day to pay: the Nth working day after the applicant received the notice."""
        with self.ctx.db.read() as session:
            workdays = office_settings.load(session).fee_payment_workdays
            return holidays.calendar(session).add_workdays(received, workdays)

    def _build_issue_fee_notice(self) -> Callable[[], dict[str, Any]]:
        rid = self.case.header.request_id
        workdays = self._fee_workdays()
        method = QComboBox()
        for code, label in FEE_METHODS:
            method.addItem(label, code)
        self.add("method", "计收方式", method)
        ordinal = QLabel()
        ordinal.setWordWrap(True)
        self.add("ordinal", "本月第几件申请", ordinal)
        pages = QSpinBox()
        pages.setRange(1, 100000)
        pages.setSuffix(" 页")
        self.add("pages", "页数", pages)
        amount = QLabel()
        amount.setWordWrap(True)
        self.add("amount", "应缴金额", amount)
        received_known = QCheckBox("申请人已收到通知（如当面送达并签收）")
        self.add("received_known", "", received_known)
        notice = self.fields["date"]
        assert isinstance(notice, QDateEdit)
        received = self.add("received", "申请人收到通知日期",
                            date_edit(py_date(notice), minimum=py_date(notice), maximum=self.ctx.today()))
        assert isinstance(received, QDateEdit)
        due = QLabel()
        due.setWordWrap(True)
        self.add("payment_due", "缴费期限", due)
        self.say(f"《政府信息公开信息处理费管理办法》：收费金额按收费标准自动计算；申请人应自收到收费通知次日起"
                 f"{workdays}个工作日内缴费。")
        quote: list[Any] = [None]

        def recompute() -> None:
            per_page = method.currentData() == "per_page"
            self.form.setRowVisible(pages, per_page)
            self.form.setRowVisible(ordinal, not per_page)
            try:
                q = cases.quote_fee(self.ctx.db, rid, method.currentData(), pages.value() if per_page else None)
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
                due.setText(f"{self._payment_due(py_date(received))}（收到通知次日起{workdays}个工作日）")
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
            per_page = method.currentData() == "per_page"
            return {"method": method.currentData(), "quantity": pages.value() if per_page else None,
                    "amount_yuan": q.amount_yuan,
                    "received": py_date(received) if received_known.isChecked() else None}
        return collect

    def _build_record_fee_notice_received(self) -> Callable[[], dict[str, Any]]:
        rid = self.case.header.request_id
        workdays = self._fee_workdays()
        fee = cases.pending_fee(self.ctx.db, rid)
        on = self.fields["date"]
        assert isinstance(on, QDateEdit)
        text = (f"《政府信息公开信息处理费管理办法》：申请人应自收到收费通知次日起{workdays}个工作日内缴费。"
                "当面送达的填写签收日期，邮寄送达的填写申请人签收（妥投）日期。")
        if fee is not None:
            on.setMinimumDate(QDate(fee.notice_date))
            text += f"收费通知于 {fee.notice_date} 发出，金额 {fee.amount_yuan} 元。"
            if fee.payment_due is not None:
                text += f"已登记的缴费期限为 {fee.payment_due}，重新登记将更正。"
        signed = letter_register.latest_signed(self.ctx.db, rid, "fee_notice")
        if signed is not None and signed <= self.ctx.today():
            on.setDate(QDate(signed))
            text += f"已按发文登记中收费通知书的签收日期（{signed}）预填。"
        self.say(text)
        due = QLabel()
        due.setWordWrap(True)
        self.add("payment_due", "缴费期限", due)

        def deadline() -> None:
            due.setText(f"{self._payment_due(py_date(on))}（收到通知次日起{workdays}个工作日）")
        on.dateChanged.connect(lambda _d: deadline())
        deadline()
        return dict

    def _build_record_payment(self) -> Callable[[], dict[str, Any]]:
        return dict

    def _build_deem_withdrawn_no_payment(self) -> Callable[[], dict[str, Any]]:
        workdays = self._fee_workdays()
        fee = cases.pending_fee(self.ctx.db, self.case.header.request_id)
        if fee is None:
            self.say("没有待缴费的收费通知。")
        elif fee.payment_due is None:
            self.say(f"缴费期限：尚未确定。收费通知于 {fee.notice_date} 发出，但尚未登记申请人收到通知的日期；"
                     f"缴费期限自收到通知次日起计算{workdays}个工作日。请先登记“申请人收到收费通知”，"
                     "期限届满仍未缴费的，才能视为放弃申请（办理结果6.2）。")
        else:
            self.say(f"缴费期限：{fee.payment_due}（收到收费通知次日起{workdays}个工作日）。"
                     "期限届满仍未缴费的，视为放弃申请（办理结果6.2）。")
        return dict

    def _build_extend(self) -> Callable[[], dict[str, Any]]:
        approver = QComboBox()
        for user in users.supervisors(self.ctx.db):
            approver.addItem(f"{user.display_name}（{user.username}）", user.username)
        self.add("approver", "批准人", approver)
        self._text("reason", "延期理由", multiline=True)
        self.say(f"条例第三十三条：经政府信息公开工作机构负责人同意，可延长不超过20个工作日，"
                 f"须在期限（{self.case.header.due_date or '—'}）届满前告知申请人。")

        def collect() -> dict[str, Any]:
            if approver.currentIndex() < 0:
                raise ValidationFailed("没有可选的负责人账户，请先在设置中添加负责人。")
            return {"approver": approver.currentData(), "reason": self.text("reason")}
        return collect

    def _build_set_later_date(self) -> Callable[[], dict[str, Any]]:
        h = self.case.header
        default = (h.due_date or self.ctx.today()) + timedelta(days=30)
        later = self.add("later", "另行确定的答复期限", date_edit(default, minimum=self.ctx.today() + timedelta(days=1)))
        self._text("reason", "理由", multiline=True)
        self.say("条例第三十五条：申请数量、频次明显超过合理范围，有正当理由但无法在规定期限内答复的，"
                 "可确定延迟答复的合理期限并告知申请人。")
        return lambda: {"later": py_date(later), "reason": self.text("reason")}  # type: ignore[arg-type]

    def _build_reply(self) -> Callable[[], dict[str, Any]]:
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
        combo.setPlaceholderText("请选择办理结果（按年度报告分类）")
        combo.setCurrentIndex(-1)
        self.add("outcome", "办理结果", combo)
        basis = QLabel()
        basis.setWordWrap(True)
        self.add("legal_basis", "依据", basis)
        repeat = self._text("repeat_of", "此前申请的登记编号", "重复申请（5.2）须注明")
        self._text("summary", "答复摘要", multiline=True)

        def changed() -> None:
            code = combo.currentData()
            outcome = next((o for o in OUTCOMES if o.code == code), None)
            basis.setText(outcome.legal_basis if outcome and outcome.legal_basis else "—")
            self.form.setRowVisible(repeat, code == "5.2")
        combo.currentIndexChanged.connect(changed)
        changed()

        def collect() -> dict[str, Any]:
            code = combo.currentData()
            if not code:
                raise ValidationFailed("请选择办理结果。")
            kwargs: dict[str, Any] = {"outcome_code": code, "summary": self.text("summary").strip()}
            if code == "5.2":
                number = self.text("repeat_of").strip()
                if not number:
                    raise ValidationFailed("按重复申请（5.2）不予处理，须注明此前申请的登记编号。")
                earlier = case_file.find_request_id(self.ctx.db, number)
                if earlier is None:
                    raise ValidationFailed(f"找不到登记编号为“{number}”的申请。")
                kwargs["repeat_of_id"] = earlier
            return kwargs
        return collect

    def select_outcome(self, code: str) -> None:
        combo = self.fields["outcome"]
        assert isinstance(combo, QComboBox)
        index = combo.findData(code)
        if index < 0:
            raise LookupError(code)
        combo.setCurrentIndex(index)

    def _build_deliver(self) -> Callable[[], dict[str, Any]]:
        channel = QComboBox()
        channel.addItems(list(DELIVERY_METHODS))
        if self.case.header.delivery_method in DELIVERY_METHODS:
            channel.setCurrentText(self.case.header.delivery_method)
        self.add("channel", "送达方式", channel)
        self._text("proof", "送达凭证", "如挂号信单号、签收人、电子邮件发送记录")
        return lambda: {"channel": channel.currentText(), "proof": self.text("proof").strip()}

    def _build_withdraw(self) -> Callable[[], dict[str, Any]]:
        self.say("申请人撤回申请的，在年度报告中计入“6.3 其他”。")
        return dict

    def _build_close(self) -> Callable[[], dict[str, Any]]:
        return dict

    # --------------------------------------------------------------- running

    def kwargs(self) -> dict[str, Any]:
        kwargs = self._collect()
        kwargs[self.date_key] = py_date(self.fields["date"])  # type: ignore[arg-type]
        if self.action in WITH_NOTE:
            kwargs["note"] = self.text("note").strip()
        return kwargs

    def perform(self) -> Any:
        service = cases.ACTIONS[self.action]
        return service(self.ctx.db, self.case.header.request_id, self.ctx.user, **self.kwargs(),
                       today=self.ctx.today(), expected_version=self.case.header.version)

    @classmethod
    def start(cls, ctx: DeskContext, case: case_file.CaseRecord, action: Action,
              parent: QWidget | None = None) -> ActionDialog:
        """Open without blocking; the step runs when the clerk presses 确定."""
        return cls._launch(cls(ctx, case, action, parent))  # type: ignore[return-value]

    @classmethod
    def ask(cls, ctx: DeskContext, case: case_file.CaseRecord, action: Action, parent: QWidget | None = None) -> Any:
        """Run modally; the updated request, or None if cancelled."""
        dialog = cls(ctx, case, action, parent)
        return dialog.result_value if dialog.exec() else None


class RemedyDialog(FormDialog):
    """登记复议/诉讼: the applicant sought administrative reconsideration or litigation."""

    def __init__(self, ctx: DeskContext, case: case_file.CaseRecord, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"登记行政复议或行政诉讼 — {case.header.reg_number}", parent)
        self.case = case
        kind = QComboBox()
        for k in RemedyKind:
            kind.addItem(k.label, k.value)
        self.add("kind", "类型", kind)
        minimum = case.header.reply_date or case.header.received_date
        self.add("filed", "提起日期", date_edit(ctx.today(), minimum=minimum, maximum=ctx.today()))
        body = QLineEdit()
        body.setPlaceholderText("不填则使用设置中的复议机关或人民法院")
        self.add("body", "复议机关或法院", body)
        self.add("note", "说明", QLineEdit())

    def perform(self) -> Any:
        kind = self.fields["kind"]
        assert isinstance(kind, QComboBox)
        return remedies.add_remedy(self.ctx.db, self.case.header.request_id, self.ctx.user,
                                   RemedyKind(kind.currentData()), py_date(self.fields["filed"]),  # type: ignore[arg-type]
                                   self.fields["body"].text(), self.fields["note"].text(),  # type: ignore[attr-defined]
                                   today=self.ctx.today())

    @classmethod
    def start(cls, ctx: DeskContext, case: case_file.CaseRecord, parent: QWidget | None = None) -> RemedyDialog:
        return cls._launch(cls(ctx, case, parent))  # type: ignore[return-value]


class RemedyResultDialog(FormDialog):
    """登记复议决定或判决结果 (the columns of the annual report's remedy table)."""

    def __init__(self, ctx: DeskContext, remedy: case_file.RemedyRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"登记结果 — {remedy.kind.label}", parent)
        self.remedy = remedy
        result = QComboBox()
        for r in RemedyResult:
            result.addItem(r.label, r.value)
        result.setCurrentIndex(result.findData(remedy.result.value))
        self.add("result", "结果", result)
        day = self.add("result_date", "结果日期",
                       date_edit(remedy.result_date or ctx.today(), minimum=remedy.filed, maximum=ctx.today()))
        result.currentIndexChanged.connect(lambda _i: day.setEnabled(result.currentData() != RemedyResult.PENDING))
        day.setEnabled(result.currentData() != RemedyResult.PENDING)
        self.add("note", "说明", QLineEdit(remedy.note))

    def perform(self) -> Any:
        result = self.fields["result"]
        assert isinstance(result, QComboBox)
        return remedies.set_result(self.ctx.db, self.remedy.id, self.ctx.user, RemedyResult(result.currentData()),
                                   py_date(self.fields["result_date"]),  # type: ignore[arg-type]
                                   self.fields["note"].text(), today=self.ctx.today())  # type: ignore[attr-defined]

    @classmethod
    def start(cls, ctx: DeskContext, remedy: case_file.RemedyRow, parent: QWidget | None = None) -> RemedyResultDialog:
        return cls._launch(cls(ctx, remedy, parent))  # type: ignore[return-value]
