"""One case (案件详情): header with the legal clock, details, timeline, actions.

``CaseWindow`` is the panel of one request; on a desk the panels are the tabs of
the one case area (``gui/case_area.py``), and ``CaseWindow.open_request`` adds or
selects a request's tab there. Everything shown comes from
``core.cases.case_file.load_case``, a read model of plain dataclasses, reloaded
after every change. The common steps have Alt+letter shortcuts; an unavailable
step's button stays focusable and says why in the panel's status line.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import date
from typing import ClassVar, cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStatusBar,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from request_desk.core import cases
from request_desk.core.cases import case_file
from request_desk.core.cases.case_file import AssignmentRow
from request_desk.core.cases.workflow import Action
from request_desk.core.errors import DeskError
from request_desk.core.letters import register as letter_register
from request_desk.core.storage import audit_view
from request_desk.core.vocab import DISCLOSING_OUTCOMES, Status
from request_desk.gui.case_area import CaseArea
from request_desk.gui.context import DeskContext, affects
from request_desk.gui.dialogs.actions import (
    ActionDialog,
    RemedyDialog,
    RemedyResultDialog,
)
from request_desk.gui.dialogs.call import CallDialog
from request_desk.gui.dialogs.correction import CorrectionDialog, UndoDialog
from request_desk.gui.dialogs.letter import LetterDialog
from request_desk.gui.dialogs.reply_flow import ReplyFlow
from request_desk.gui.models.request_table import PROVISIONAL_TIP
from request_desk.gui.pages.audit_panel import audit_table, fill_audit_table
from request_desk.gui.widgets.applicant_history import ApplicantHistoryPanel
from request_desk.gui.widgets.attachments_panel import AttachmentsPanel
from request_desk.gui.widgets.common import read_only_table
from request_desk.gui.widgets.lazy_tabs import LazyTabs
from request_desk.gui.widgets.search_record_panel import SearchRecordPanel
from request_desk.gui.widgets.similar_requests import (  # issue 6
    SimilarRequestsPanel,
    open_repeat_reply,
)
from request_desk.gui.widgets.step_button import StepButton

COLOURS = {"green": "#2e7d32", "amber": "#b26a00", "red": "#c62828"}

# Alt+letter for the common steps (issue 15.6). Letters clear of the desk's Ctrl shortcuts
# and of Alt+1…8 (the main window's pages); shown on the button as "答复(R)".
STEP_KEYS: dict[Action, str] = {
    Action.ASSIGN: "A",
    Action.REQUEST_SUPPLEMENT: "B",
    Action.RECEIVE_SUPPLEMENT: "M",
    Action.START_PAUSE: "C",
    Action.END_PAUSE: "J",
    Action.EXTEND: "E",
    Action.REPLY: "R",
    Action.DELIVER: "D",
    Action.WITHDRAW: "W",
    Action.CLOSE: "G",
}
LETTER_KEY, CALL_KEY, REMEDY_KEY, EXPLAIN_KEY = "L", "P", "F", "T"
CORRECT_KEY, UNDO_KEY = "K", "U"  # 更正 (jiūzhèng: K), undo


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))


def _unit_report(a: AssignmentRow) -> str:
    """The unit's latest report (承办单位反馈) with its date and who recorded it."""
    return f"{_d(a.reported)} {a.reported_by}：{a.report}" if a.report else ""


_WITHIN: dict[bool | None, str] = {True: "是", False: "已过期限"}  # a remedy filed within its window from the delivery


def _d(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def _received(p: case_file.PauseRow) -> str:
    if p.received is None:
        return ""
    return _d(p.received) + ("（推定）" if p.received_presumed else "")


def _consultation_due(p: case_file.PauseRow) -> str:
    if p.consultation_due is None:
        return ""
    return _d(p.consultation_due) + ("（已届满）" if p.lapsed else "")


class CaseWindow(QWidget):
    """One request: what it is, where it stands, what happened, what can be done next.

    A panel: a tab of the case area on a desk, a window of its own when shown alone.
    """

    _open_windows: ClassVar[dict[tuple[int, int], CaseWindow]] = {}

    def __init__(self, ctx: DeskContext, request_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.request_id = request_id
        self.current_dialog: QDialog | None = None
        self.reply_flow: ReplyFlow | None = None
        self._build()
        self.refresh()
        ctx.signals.requests_changed.connect(self.requests_changed)
        self._listening = True

    # ----------------------------------------------------------------- layout

    def _build(self) -> None:
        root = QVBoxLayout(self)
        header = QHBoxLayout()
        self.reg_number = QLabel()
        font = QFont(self.reg_number.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.reg_number.setFont(font)
        self.applicant = QLabel()
        self.status = QLabel()
        self.status.setObjectName("status")
        self.due = QLabel()
        self.days_left = QLabel()
        self.days_left.setObjectName("days_left")
        self.provisional = QLabel("暂定")
        self.provisional.setToolTip(PROVISIONAL_TIP)
        self.provisional.setStyleSheet("background:#fff3cd; color:#7a5a00; border:1px solid #e0a800;"
                                       "border-radius:3px; padding:0 4px;")
        self.explain_button = StepButton("期限计算说明", EXPLAIN_KEY)
        self.explain_button.chosen.connect(self.show_explanation)
        for w in (self.reg_number, self.applicant, self.status, self.due, self.days_left, self.provisional):
            header.addWidget(w)
            header.addSpacing(12)
        header.addStretch(1)
        header.addWidget(self.explain_button)
        root.addLayout(header)
        # What the application lacks (条例第三十条), computed from the record: gone once it is recorded.
        self.missing = QLabel()
        self.missing.setObjectName("missing")
        self.missing.setWordWrap(True)
        self.missing.setStyleSheet("background:#fff8e1; color:#9a6700; border:1px solid #e0a800; padding:4px;")
        root.addWidget(self.missing)
        # docs/domain.md, "Pauses": an open consultation past its deadline no longer stops the clock.
        self.consultation_warning = QLabel()
        self.consultation_warning.setObjectName("consultation_warning")
        self.consultation_warning.setWordWrap(True)
        self.consultation_warning.setStyleSheet("color:#c62828;")
        root.addWidget(self.consultation_warning)

        splitter = QSplitter()
        self.details = QFormLayout()
        self.details.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        details_box = QWidget()
        details_box.setLayout(self.details)
        scroll = QScrollArea()
        scroll.setWidget(details_box)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(300)
        splitter.addWidget(scroll)

        self.tabs = QTabWidget()
        self.lazy = LazyTabs(self.tabs)  # pages read when first shown, not with every case opened
        self.events = read_only_table(["日期", "事项", "经办人", "说明"], word_wrap=True)
        self.assignments = read_only_table(
            ["承办单位", "分办日期", "内部期限", "结束日期", "分办人", "说明", "承办单位反馈"], word_wrap=True
        )
        self.pauses = read_only_table(
            ["原因", "开始", "被征求意见方收到", "征求意见期限", "结束", "对象", "意见", "说明"], word_wrap=True
        )
        self.calls = read_only_table(
            ["回访时间", "回访人", "接通", "满意程度", "申请人意见", "后续处理"], word_wrap=True
        )
        self.remedies = read_only_table(["类型", "提起日期", "机关", "结果", "结果日期", "说明", "期限内"],
                                        word_wrap=True)
        self.letters = read_only_table(["文号", "日期", "文书", "收件人", "送达"], word_wrap=True)
        self.letter_button = StepButton("制作文书…", LETTER_KEY)
        self.letter_button.setObjectName("compose_letter")
        self.letter_button.chosen.connect(self.compose_letter)
        self.call_button = StepButton("登记电话回访", CALL_KEY)
        self.call_button.chosen.connect(self.log_call)
        self.remedy_button = StepButton("登记复议/诉讼", REMEDY_KEY)
        self.remedy_button.chosen.connect(self.add_remedy)
        self.remedy_result_button = QPushButton("登记结果")
        self.remedy_result_button.clicked.connect(self.set_remedy_result)
        self.remedies.itemSelectionChanged.connect(self._remedy_selection)
        self.tabs.addTab(self.events, "办理过程")
        self.tabs.addTab(self.assignments, "承办单位")
        self.tabs.addTab(self.pauses, "暂停计时")
        self.tabs.addTab(self._with_buttons(self.calls, self.call_button), "电话回访")
        remedy_tab = self._with_buttons(self.remedies, self.remedy_button, self.remedy_result_button)
        # The windows from the reply's delivery (docs/domain.md, "Remedy windows").
        self.remedy_windows = QLabel()
        self.remedy_windows.setObjectName("remedy_windows")
        self.remedy_windows.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        remedy_tab.layout().insertWidget(0, self.remedy_windows)  # type: ignore[union-attr]
        self.tabs.addTab(remedy_tab, "复议诉讼")
        # --- issue 6: similar earlier requests (repeat 5.2, same subject, proactive publication)
        self.similar = SimilarRequestsPanel(self.ctx, case_view=True)
        self.similar.repeat_requested.connect(self.reply_as_repeat)
        self.similar.loaded.connect(lambda n: self.tabs.setTabText(self.tabs.indexOf(self.similar), f"相似申请（{n}）"))
        self.tabs.addTab(self.similar, "相似申请")
        # --- end issue 6
        self.applicant_history = ApplicantHistoryPanel(self.ctx)
        self.tabs.addTab(self.applicant_history, "申请人历史")
        self.letters_tab = self._with_buttons(self.letters, self.letter_button)
        self.lazy.add(self.letters_tab, "文书", self._show_letters)
        self.search_records = SearchRecordPanel(self.ctx.db, self.request_id)  # the search behind a 4.1 reply
        self.lazy.add(self.search_records, "检索记录", lambda: self.search_records.refresh(self.case.header.reg_number))
        self.attachments = AttachmentsPanel(self.ctx, self.request_id)  # scans, envelopes, delivery proofs
        self.lazy.add(self.attachments, "附件", self.attachments.refresh)
        self.audit = audit_table()
        self.lazy.add(self.audit, "审计记录",
                      lambda: fill_audit_table(self.audit, audit_view.case_history(self.ctx.db, self.request_id)))
        splitter.addWidget(self.tabs)

        actions = QGroupBox("办理操作")
        grid = QGridLayout(actions)
        self.action_buttons: dict[Action, StepButton] = {}
        for i, action in enumerate(Action):
            button = StepButton(action.label, STEP_KEYS.get(action))
            button.setObjectName(f"action_{action.value}")
            button.chosen.connect(lambda a=action: self.perform(a))
            grid.addWidget(button, i, 0)
            self.action_buttons[action] = button
        # Putting a mistake right (issue 15): any registered field, or the last step (supervisors).
        self.correct_button = StepButton("更正登记信息…", CORRECT_KEY)
        self.correct_button.setObjectName("correct")
        self.correct_button.chosen.connect(self.correct_record)
        self.undo_button = StepButton("撤销上一步…", UNDO_KEY)
        self.undo_button.setObjectName("undo")
        self.undo_button.chosen.connect(self.undo_step)
        grid.addWidget(self.correct_button, len(Action) + 1, 0)
        grid.addWidget(self.undo_button, len(Action) + 2, 0)
        grid.setRowMinimumHeight(len(Action), 12)
        grid.setRowStretch(len(Action) + 3, 1)
        # Every step is a button: on a 768-pixel screen the column scrolls rather than push the
        # case area past the screen's bottom.
        steps = QScrollArea()
        steps.setWidget(actions)
        steps.setWidgetResizable(True)
        steps.setFrameShape(QFrame.Shape.NoFrame)
        steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        steps.setMinimumWidth(actions.sizeHint().width() + steps.verticalScrollBar().sizeHint().width())
        splitter.addWidget(steps)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([280, 520, 200])
        root.addWidget(splitter, 1)
        # The panel's own status line: why a step is unavailable, read on focus, hover or its key.
        self.status_line = QStatusBar()
        self.status_line.setObjectName("status_line")
        self.status_line.setSizeGripEnabled(False)
        root.addWidget(self.status_line)
        for button in (*self.action_buttons.values(), self.letter_button, self.call_button, self.remedy_button,
                       self.explain_button, self.correct_button, self.undo_button):
            button.explained.connect(self.status_line.showMessage)
            if button.key:
                # Window-wide, so a button on a tab page not shown answers too; a hidden panel
                # (another tab of the case area) does not.
                key = QShortcut(QKeySequence(f"Alt+{button.key}"), self)
                key.activated.connect(button.click)

    @staticmethod
    def _with_buttons(table: QTableWidget, *buttons: QPushButton) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(table)
        row = QHBoxLayout()
        row.addStretch(1)
        for b in buttons:
            row.addWidget(b)
        layout.addLayout(row)
        return box

    # ---------------------------------------------------------------- showing

    def refresh(self) -> None:
        """Reload the case from the database and show it."""
        self.case, steps = case_file.load_case_for(self.ctx.db, self.request_id, self.ctx.today(), self.ctx.user)
        h = self.case.header
        self.setWindowTitle(f"{h.reg_number} {h.applicant_name} — 案件详情")
        self.reg_number.setText(h.reg_number)
        self.applicant.setText(f"{h.applicant_name}（{h.applicant_type.label}）")
        self.status.setText(f"状态：{h.status_label}")
        self._show_clock(h)
        self.missing.setText(self.case.missing_note)
        self.missing.setVisible(bool(self.case.missing))
        self._show_details()
        _fill(self.events, [[_d(e.on_date), e.shown_label, e.user, e.note] for e in self.case.events])
        _fill(self.assignments, [[a.unit, _d(a.assigned), _d(a.internal_due), _d(a.ended), a.assigned_by, a.note,
                                  _unit_report(a)] for a in self.case.assignments])
        _fill(self.pauses, [[p.label, _d(p.start), _received(p), _consultation_due(p), _d(p.end) or "进行中",
                             p.counterpart + ("（共同制作）" if p.co_producer else ""),
                             p.answer_label + (f"：{p.objection}" if p.objection else ""), p.note]
                            for p in self.case.pauses])
        self.pauses.setToolTip("\n".join(f"{p.label}（{p.counterpart}）：{p.consultation}"
                                         for p in self.case.pauses if p.consultation))
        _fill(self.calls, [[f"{c.called_at:%Y-%m-%d %H:%M}", c.caller, "是" if c.reached else "否",
                            c.satisfaction_label, c.applicant_said, "需要" if c.follow_up_needed else ""]
                           for c in self.case.calls])
        _fill(self.remedies, [[m.kind.label, _d(m.filed), m.body, m.result.label, _d(m.result_date), m.note,
                               _WITHIN.get(m.within_window, "")] for m in self.case.remedies])
        remedy = self.case.remedy
        self.remedy_windows.setText("尚未答复。" if remedy is None else remedy.describe() + "。")
        self.lazy.stale()  # letters, searches, attachments, audit: read when their tab is shown
        for action, reason in steps.why_not.items():
            self.action_buttons[action].set_reason(reason)
        self.last_step, refusal = steps.last_step, steps.undo_refusal
        self.undo_button.set_reason(refusal)
        if refusal is None:
            self.undo_button.setToolTip(f"撤销：{self.last_step}")
        replied = h.reply_date is not None
        for button in (self.call_button, self.remedy_button):
            button.set_reason(None if replied else "申请尚未答复。")
        self.status_line.clearMessage()  # a reason shown before may no longer hold
        self._remedy_selection()
        # --- issue 6
        self.similar.show_for_request(self.request_id)  # its tab's count follows (``similar.loaded``)
        self.similar.publish_button.setEnabled(h.outcome_code in DISCLOSING_OUTCOMES)
        # --- end issue 6
        self.applicant_history.show_for_request(self.request_id)  # read when its tab is first shown

    def _show_details(self) -> None:
        """The registered fields, in the rows kept from the case shown before (new labels are styled anew)."""
        shown = self.case.details
        while self.details.rowCount() < len(shown):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.details.addRow(QLabel(), value)
        for row in range(self.details.rowCount()):
            if row < len(shown):
                label, text = shown[row]
                for role, words in ((QFormLayout.ItemRole.LabelRole, f"{label}："),
                                    (QFormLayout.ItemRole.FieldRole, text)):
                    item = self.details.itemAt(row, role)
                    assert item is not None
                    cast(QLabel, item.widget()).setText(words)
            self.details.setRowVisible(row, row < len(shown))

    def _show_letters(self) -> None:
        _fill(self.letters, [[r.doc_number + ("（已更正）" if r.superseded else "")
                              + ("（更正前签发）" if r.letter_id in self.case.letters_before_correction else ""),
                              _d(r.issued_date), r.kind_label, r.addressee, r.delivery]
                             for r in letter_register.register_rows(self.ctx.db, request_id=self.request_id)])

    def show_request(self, request_id: int) -> None:
        """Show another request in this panel, its widgets reused: opening a case costs reading it, not building.

        The case area does this when stepping down a list and when a closed tab's panel is
        opened again; never while a form is open (the form belongs to its case). Raises
        ``DeskError``, the panel unchanged, when the request cannot be read.
        """
        assert self.open_dialog() is None, "a panel with a form open keeps its case"
        previous, tab = self.request_id, self.tabs.currentIndex()
        self.tabs.setCurrentIndex(0)  # before the refresh, which reads the tab shown now
        self._point_at(request_id)
        try:
            self.refresh()
        except DeskError:
            self._point_at(previous)
            self.tabs.setCurrentIndex(tab)
            raise
        key = (id(self.ctx), previous)
        if self._open_windows.get(key) is self:
            del self._open_windows[key]
        self._open_windows[(id(self.ctx), request_id)] = self
        if not self._listening:  # closed before: it listens again
            self.ctx.signals.requests_changed.connect(self.requests_changed)
            self._listening = True
        self.reply_flow = None

    def _point_at(self, request_id: int) -> None:
        self.request_id = self.search_records.request_id = self.attachments.request_id = request_id
        self.similar.forget()  # the other case's similar requests go; this one's are looked up by refresh
        self.tabs.setTabText(self.tabs.indexOf(self.similar), "相似申请")

    def requests_changed(self, ids: frozenset[int]) -> None:
        """Reload only when this request changed (or when the change names no request)."""
        if affects(ids, self.request_id):
            self.refresh()

    def _show_clock(self, h: case_file.CaseHeader) -> None:
        self.consultation_warning.setText(h.consultation_warning)
        self.consultation_warning.setVisible(bool(h.consultation_warning))
        self.due.setText(f"答复期限：{_d(h.due_date) or '—'}")
        self.provisional.setVisible(h.due_provisional and h.status.is_open)
        if h.status == Status.AWAITING_SUPPLEMENT:
            # Art. 30: no clock runs while the applicant supplements; the reply period
            # starts again from the day the supplement arrives. Same words as the list.
            self.due.setText("答复期限：收到补正材料后重新计算")
            until = f"，补正期限 {_d(h.supplement_deadline)}" if h.supplement_deadline else ""
            self.days_left.setText(f"待补正，停止计时{until}")
            self.days_left.setToolTip("答复期限自收到补正材料之日起重新计算。")
            self.days_left.setStyleSheet("font-weight:bold;")
            return
        self.days_left.setToolTip("")
        if h.workdays_left is None:
            if h.reply_date:
                on_time = {True: "，按期", False: "，逾期", None: ""}[h.replied_on_time]
                if on_time and h.workdays_used is not None:
                    on_time += f"，用时 {h.workdays_used} 个工作日"
                self.days_left.setText(f"已于 {h.reply_date} 答复{on_time}")
            else:
                self.days_left.setText("")
            self.days_left.setStyleSheet("")
            return
        if h.workdays_left < 0:
            text = f"已逾期 {-h.workdays_left} 个工作日"
        elif h.workdays_left == 0:
            text = "今日到期"
        else:
            text = f"剩余 {h.workdays_left} 个工作日"
        if h.clock_stopped:
            text += "（暂停计时中）"
        self.days_left.setText(text)
        self.days_left.setStyleSheet(f"color:{COLOURS.get(h.colour, '')}; font-weight:bold;")

    def _remedy_selection(self) -> None:
        row = self.remedies.currentRow()
        self.remedy_result_button.setEnabled(0 <= row < len(self.case.remedies) and bool(self.remedies.selectedItems()))

    # ---------------------------------------------------------------- actions

    def reply_as_repeat(self, earlier_id: int, earlier_reg_number: str) -> ActionDialog | None:
        """Issue 6: the reply with 5.2 重复申请 and the earlier registration number filled in."""
        why_not = cases.available(self.ctx.db, self.request_id, self.ctx.today(), actor=self.ctx.user).get(Action.REPLY)
        if why_not is not None:
            QMessageBox.information(self, "按重复申请处理", why_not)
            return None
        dialog = open_repeat_reply(self.ctx, self.request_id, earlier_reg_number, self)
        self.current_dialog = dialog
        return dialog

    def perform(self, action: Action) -> ActionDialog:
        """Open the dialog of a workflow step (non-blocking); 答复 starts the reply flow."""
        if action is Action.REPLY:
            self.reply_flow = ReplyFlow(self.ctx, self.case, self)
            dialog = self.reply_flow.reply_dialog
        else:
            dialog = ActionDialog.start(self.ctx, self.case, action, self)
        self.current_dialog = dialog
        return dialog

    def correct_record(self) -> CorrectionDialog:
        dialog = CorrectionDialog.start(self.ctx, self.request_id, self)
        self.current_dialog = dialog
        return dialog

    def undo_step(self) -> UndoDialog:
        dialog = UndoDialog.start(self.ctx, self.case, self.last_step, self)
        self.current_dialog = dialog
        return dialog

    def compose_letter(self) -> QDialog:
        """Pick, edit, preview and issue a letter for this case."""
        dialog = LetterDialog.compose(self.ctx, self.request_id, self)
        self.current_dialog = dialog
        return dialog

    def log_call(self) -> CallDialog:
        h = self.case.header
        phone = next((v for k, v in self.case.details if k == "联系电话"), "")
        dialog = CallDialog.start(self.ctx, h.request_id, h.reg_number, h.applicant_name, phone, self)
        self.current_dialog = dialog
        return dialog

    def add_remedy(self) -> RemedyDialog:
        dialog = RemedyDialog.start(self.ctx, self.case, self)
        self.current_dialog = dialog
        return dialog

    def set_remedy_result(self) -> RemedyResultDialog | None:
        row = self.remedies.currentRow()
        if not 0 <= row < len(self.case.remedies):
            return None
        dialog = RemedyResultDialog.start(self.ctx, self.case.remedies[row], self)
        self.current_dialog = dialog
        return dialog

    def show_explanation(self) -> QDialog:
        """期限计算说明: the legal clock's day-by-day account, selectable for copying."""
        dialog = QDialog(self)
        dialog.setWindowTitle(f"期限计算说明 — {self.case.header.reg_number}")
        text = QPlainTextEdit(case_file.clock_explanation(self.ctx.db, self.request_id, self.ctx.today()))
        text.setObjectName("explanation")
        text.setReadOnly(True)
        layout = QVBoxLayout(dialog)
        layout.addWidget(text)
        close = QPushButton("关闭")
        close.clicked.connect(dialog.accept)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        dialog.resize(560, 520)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.current_dialog = dialog
        return dialog

    # ------------------------------------------------------- one per request

    def tab_title(self) -> str:
        """Registration number and applicant: the case area's tab and window title."""
        h = self.case.header
        return f"{h.reg_number} {h.applicant_name}"

    def open_dialogs(self) -> list[QDialog]:
        """Every form, letter or explanation this case has open, newest first.

        All of them are children of the panel (the reply flow's letter and its delivery
        form too), so none is forgotten when a tab steps on or closes.
        """
        return [d for d in reversed(self.findChildren(QDialog)) if d.isVisible()]

    def open_dialog(self) -> QDialog | None:
        """The newest form this case has open, if any."""
        return next(iter(self.open_dialogs()), None)

    @classmethod
    def window_of(cls, ctx: DeskContext, request_id: int) -> CaseWindow | None:
        """The request's panel if it is open on this desk."""
        return cls._open_windows.get((id(ctx), request_id))

    @classmethod
    def new_panel(cls, ctx: DeskContext, request_id: int, parent: QWidget | None = None) -> CaseWindow | None:
        """A new panel for the request, known to ``window_of``; None (and a message) if it cannot be read."""
        try:
            panel = cls(ctx, request_id, parent)
        except DeskError as exc:
            QMessageBox.warning(parent, "无法打开申请", str(exc))
            return None
        cls._open_windows[(id(ctx), request_id)] = panel
        # Whatever request it shows by then (``show_request`` moves a panel on).
        panel.destroyed.connect(lambda _=None, p=panel: cls._forget(p))
        return panel

    @classmethod
    def _forget(cls, panel: CaseWindow) -> None:
        for key in [k for k, v in cls._open_windows.items() if v is panel]:
            del cls._open_windows[key]

    @classmethod
    def open_request(cls, ctx: DeskContext, request_id: int, parent: QWidget | None = None) -> CaseWindow | None:
        """Show the request in the desk's case area: its tab if open, else a new one."""
        return CaseArea.of(ctx, cls.new_panel, parent).show_case(request_id)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # An open form closes first, asking before it drops what was typed; kept, the case stays.
        for dialog in self.open_dialogs():  # each asks before it drops what was typed
            if not dialog.close():
                event.ignore()
                return
        if self._open_windows.get((id(self.ctx), self.request_id)) is self:
            self._open_windows.pop((id(self.ctx), self.request_id), None)
        if self._listening:  # a panel may be closed twice (its tab, then the test's or the area's close)
            self._listening = False
            with suppress(RuntimeError, TypeError):  # the signal's owner already gone
                self.ctx.signals.requests_changed.disconnect(self.requests_changed)
        super().closeEvent(event)
