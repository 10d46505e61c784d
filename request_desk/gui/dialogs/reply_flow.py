"""答复 as one flow: outcome → the letter of that kind, prefilled → pre-issue check → issue → print → delivery.

The case window's 答复 opens the reply step; once it is recorded the letter
dialog opens on the reply letter for that outcome, dated the reply date, with
the pre-issue check beside the text; after issuing, 打印 and 登记送达 are the
next buttons, and the delivery recorded there is the delivery of that letter
(``cases/letter_delivery.py``). A strip at the top of each dialog says where
the clerk is. Each dialog keeps its own rules: cancelling the letter leaves
the reply recorded, and the letter can be made later from the 文书 tab. While the office reviews letters
(setting ``letter_review``) the flow ends at 提交审核: the strip says the letter
waits for a supervisor's approval, after which it is printed and delivered from
the letter register (发文登记).
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from request_desk.core.cases import case_file
from request_desk.core.cases.workflow import Action
from request_desk.core.letters.kinds import suggested
from request_desk.core.vocab import Status
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.actions import ActionDialog
from request_desk.gui.dialogs.letter import LetterDialog

STAGES = ("办理结果", "答复书与签发前检查", "签发", "打印", "送达")


PRINT_STAGE = STAGES.index("打印")


def stages_text(current: int, *, skipped: frozenset[int] = frozenset()) -> str:
    """The flow as one line, the current stage bold, the done ones ticked, the skipped ones said so."""
    parts = []
    for i, name in enumerate(STAGES):
        if i in skipped and i < current:
            parts.append(f"<span style='color:#777'>{name}（未做）</span>")
        elif i < current:
            parts.append(f"<span style='color:#2e7d32'>✓ {name}</span>")
        elif i == current:
            parts.append(f"<b style='color:#1f4f9c'>{i + 1}. {name}</b>")
        else:
            parts.append(f"<span style='color:#777'>{i + 1}. {name}</span>")
    return "答复流程：" + " → ".join(parts)


def show_stage(label: QLabel, current: int, *, skipped: frozenset[int] = frozenset()) -> None:
    label.setText(stages_text(current, skipped=skipped))
    label.setVisible(True)


def stage_strip(dialog: QDialog, current: int, *, skipped: frozenset[int] = frozenset()) -> QLabel:
    """A stage line put on top of a dialog of the flow."""
    label = QLabel()
    label.setObjectName("replyFlow")
    layout = dialog.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.insertWidget(0, label)
    show_stage(label, current, skipped=skipped)
    return label


SUBMITTED_NOTE = ("已提交审核：由起草人以外的负责人或管理员审核通过并签发后，"
                  "在“发文登记”中打印并登记送达；退回时再打开本案答复书可见审核意见。")


def show_submitted(label: QLabel) -> None:
    """The flow after 提交审核 (review on): signing is the reviewer's, the rest waits for it."""
    label.setText(stages_text(STAGES.index("签发")) + f"<br><span style='color:#1f4f9c'>{SUBMITTED_NOTE}</span>")
    label.setVisible(True)


def reply_kind(outcome_code: str | None) -> str | None:
    """The reply letter for an outcome (the first the picker would suggest)."""
    return next((k.code for k in suggested(Status.REPLIED, outcome_code) if k.is_reply), None)


class ReplyFlow(QObject):
    """Leads one case from 答复 to the delivery of its reply letter."""

    def __init__(self, ctx: DeskContext, case: case_file.CaseRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.parent_widget = ctx, parent
        self.request_id = case.header.request_id
        self.letter_dialog: LetterDialog | None = None
        self.was_printed = False  # printing is the clerk's choice: a letter e-mailed is not printed
        self.reply_dialog = ActionDialog.start(ctx, case, Action.REPLY, parent)
        self.flow_label = stage_strip(self.reply_dialog, 0)
        self.reply_dialog.accepted.connect(self.open_letter)

    def open_letter(self) -> LetterDialog:
        record = self.reply_dialog.result_value
        dialog = LetterDialog.compose(self.ctx, self.request_id, self.parent_widget,
                                      kind=reply_kind(record.outcome_code))
        if record.reply_date is not None:
            dialog.set_date(record.reply_date)
        show_stage(dialog.flow_label, 1)
        dialog.issued.connect(lambda _letter_id: show_stage(dialog.flow_label, PRINT_STAGE))
        dialog.submitted.connect(lambda _review_id: show_submitted(dialog.flow_label))
        dialog.printed.connect(self._printed)
        dialog.delivery_opened.connect(self._delivery_opened)
        self.letter_dialog = dialog
        return dialog

    def _printed(self) -> None:
        self.was_printed = True

    def _delivery_opened(self, dialog: QDialog) -> None:
        assert self.letter_dialog is not None
        skipped = frozenset() if self.was_printed else frozenset({PRINT_STAGE})
        show_stage(self.letter_dialog.flow_label, PRINT_STAGE + 1, skipped=skipped)
        stage_strip(dialog, PRINT_STAGE + 1, skipped=skipped)
