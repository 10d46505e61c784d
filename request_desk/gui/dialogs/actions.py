"""The dialog behind each workflow step of the case view, and the remedy dialogs.

An ``ActionDialog`` is built from the step's declaration (``cases.step_form``):
the date of the step, one row per declared field (``step_fields``), the hint
of law above them. Only the fee notice and its receipt add live figures
(``fee_fields``). On 确定 it performs the step with ``expected_version`` so a
stale view cannot overwrite a colleague's work. ``start()`` opens a dialog
without blocking (the case view and the tests use it); ``ask()`` runs it
modally and returns the result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from request_desk.core import cases
from request_desk.core.cases import case_file, date_leads, remedies
from request_desk.core.cases.workflow import Action
from request_desk.core.errors import StaleRecord
from request_desk.core.vocab import RemedyKind, RemedyResult
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs import fee_fields
from request_desk.gui.dialogs.form import FormDialog, date_edit, py_date
from request_desk.gui.dialogs.step_fields import add_step_fields
from request_desk.gui.widgets.calendar_date import CalendarDateEdit

__all__ = ["ActionDialog", "FormDialog", "RemedyDialog", "RemedyResultDialog", "date_edit", "py_date"]

# The steps whose form shows more than its declared fields (live quote, deadline, pre-filled date).
SPECIAL_FORMS: dict[Action, Callable[[ActionDialog], Callable[[], dict[str, Any]]]] = {
    Action.ISSUE_FEE_NOTICE: fee_fields.issue_fee_notice,
    Action.RECORD_FEE_NOTICE_RECEIVED: fee_fields.record_fee_notice_received,
}


class ActionDialog(FormDialog):
    """One workflow step of one case, its form built from the step's declared fields."""

    def __init__(self, ctx: DeskContext, case: case_file.CaseRecord, action: Action,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"{action.label} — {case.header.reg_number}", parent)
        self.case = case
        self.action = action
        today = ctx.today()
        self.step_form = cases.step_form(ctx.db, case.header.request_id, action, today)
        form = self.step_form
        start = form.defaults.get("on_date", today)
        self.on_date_edit: CalendarDateEdit = date_edit(start, minimum=form.received_date, maximum=today)
        request_id = case.header.request_id
        self.add_date("date", form.step.date_label, self.on_date_edit,
                      lambda chosen: date_leads.step_lead(ctx.db, request_id, action, chosen, today))
        self.say(form.hint)
        special = SPECIAL_FORMS.get(action)
        self._collect = special(self) if special else add_step_fields(self, form)

    def select_outcome(self, code: str) -> None:
        combo = self.fields["outcome"]
        assert isinstance(combo, QComboBox)
        index = combo.findData(code)
        if index < 0:
            raise LookupError(code)
        combo.setCurrentIndex(index)

    def values(self) -> dict[str, Any]:
        """The declared fields' values as the form holds them."""
        return self._collect()

    def changed_requests(self) -> frozenset[int]:
        return frozenset({self.case.header.request_id})

    def perform(self) -> Any:
        try:
            return cases.do_step(self.ctx.db, self.action, self.case.header.request_id, self.ctx.user, self.values(),
                                 on_date=py_date(self.on_date_edit), today=self.ctx.today(),
                                 expected_version=self.case.header.version)
        except StaleRecord as exc:
            # Take the colleague's version, keep what the clerk typed: the next 确定 is checked
            # against the case as it now stands (and refused there if the step no longer fits).
            self.case = case_file.load_case(self.ctx.db, self.case.header.request_id, self.ctx.today())
            raise StaleRecord(f"{exc}\n已载入最新的案件信息，您填写的内容仍保留；请核对后再次点击“确定”。") from exc

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
        self.kind = QComboBox()
        for k in RemedyKind:
            self.kind.addItem(k.label, k.value)
        self.add("kind", "类型", self.kind)
        minimum = case.header.reply_date or case.header.received_date
        self.filed = date_edit(ctx.today(), minimum=minimum, maximum=ctx.today())
        self.add_date("filed", "提起日期", self.filed)
        self.body = QLineEdit()
        self.body.setPlaceholderText("不填则使用设置中的复议机关或人民法院")
        self.add("body", "复议机关或法院", self.body)
        self.note = QLineEdit()
        self.add("note", "说明", self.note)

    def changed_requests(self) -> frozenset[int]:
        return frozenset({self.case.header.request_id})

    def perform(self) -> Any:
        return remedies.add_remedy(self.ctx.db, self.case.header.request_id, self.ctx.user,
                                   RemedyKind(self.kind.currentData()), py_date(self.filed), self.body.text(),
                                   self.note.text(), today=self.ctx.today())

    @classmethod
    def start(cls, ctx: DeskContext, case: case_file.CaseRecord, parent: QWidget | None = None) -> RemedyDialog:
        return cls._launch(cls(ctx, case, parent))  # type: ignore[return-value]


class RemedyResultDialog(FormDialog):
    """登记复议决定或判决结果 (the columns of the annual report's remedy table)."""

    def __init__(self, ctx: DeskContext, remedy: case_file.RemedyRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"登记结果 — {remedy.kind.label}", parent)
        self.remedy = remedy
        self.result_box = QComboBox()
        for r in RemedyResult:
            self.result_box.addItem(r.label, r.value)
        self.result_box.setCurrentIndex(self.result_box.findData(remedy.result.value))
        self.add("result", "结果", self.result_box)
        self.day = date_edit(remedy.result_date or ctx.today(), minimum=remedy.filed, maximum=ctx.today())
        self.add_date("result_date", "结果日期", self.day)
        self.result_box.currentIndexChanged.connect(
            lambda _i: self.day.setEnabled(self.result_box.currentData() != RemedyResult.PENDING))
        self.day.setEnabled(self.result_box.currentData() != RemedyResult.PENDING)
        self.note = QLineEdit(remedy.note)
        self.add("note", "说明", self.note)

    def perform(self) -> Any:
        return remedies.set_result(self.ctx.db, self.remedy.id, self.ctx.user,
                                   RemedyResult(self.result_box.currentData()), py_date(self.day), self.note.text(),
                                   today=self.ctx.today())

    @classmethod
    def start(cls, ctx: DeskContext, remedy: case_file.RemedyRow, parent: QWidget | None = None) -> RemedyResultDialog:
        return cls._launch(cls(ctx, remedy, parent))  # type: ignore[return-value]
