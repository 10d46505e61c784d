"""审核文书: one submitted letter's preview, its pre-issue check, and 审核通过并签发 or 退回….

Opened from the letter register page's 待审核文书 list (``pages/review_panel.py``)
while the office reviews letters (setting ``letter_review``). The preview is the
PDF the letter will be, with the number the next letter would get; approving
issues it (``letters.review.approve``: the number is drawn then, the approver
signs). 退回… asks for the comment the drafter will see. Both buttons are greyed,
with the reason as tooltip, for the drafter and for a role that may not review.
"""

from __future__ import annotations

import html
import io

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from request_desk.core.errors import DeskError
from request_desk.core.letters import compose, issue_checks, pre_issue, review
from request_desk.core.letters.kinds import KINDS_BY_CODE
from request_desk.core.letters.pdf import LetterDocument, render_letter
from request_desk.gui.context import DeskContext
from request_desk.gui.widgets.pdf_preview import PdfPreview
from request_desk.gui.widgets.screen_fit import fit_to_screen


class CommentDialog(QDialog):
    """退回修改: the reviewer's comment, required."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("退回修改")
        self.text = QPlainTextEdit()
        self.text.setObjectName("comment")
        self.text.setPlaceholderText("请写明需要修改的内容，起草人重新打开此文书时可见")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("退回")
        ok.setEnabled(False)
        self.text.textChanged.connect(lambda: ok.setEnabled(bool(self.comment())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("审核意见"))
        layout.addWidget(self.text)
        layout.addWidget(self.buttons)

    def comment(self) -> str:
        return self.text.toPlainText().strip()


class ReviewDialog(QDialog):
    """Review one submitted letter: approve and issue it, or return it with a comment."""

    approved = Signal(int)  # letter id
    sent_back = Signal(int)  # review id

    def __init__(self, ctx: DeskContext, review_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row = review.get(ctx.db, review_id)
        self.comment_dialog: CommentDialog | None = None
        draft = self.row.draft
        self.setWindowTitle(f"审核文书 #{self.row.id} — {self.row.reg_number} {self.row.title}")
        fit_to_screen(self, QSize(1100, 800))
        self.header = QLabel(
            f"<b>{html.escape(self.row.title)}</b>　申请 {html.escape(self.row.reg_number)}"
            f" {html.escape(self.row.applicant_name)}　成文日期 {compose.cn_date(draft.on_date)}<br>"
            f"起草：{html.escape(self.row.submitted_by_name)}，"
            f"提交于 {self.row.submitted_at.astimezone().strftime('%Y-%m-%d %H:%M')}")
        self.header.setObjectName("reviewHeader")
        self.check_label = QLabel()
        self.check_label.setObjectName("preIssueCheck")
        self.check_label.setWordWrap(True)
        self.check_label.setTextFormat(Qt.TextFormat.RichText)
        self.acknowledge_late = QCheckBox("已知悉本答复逾期，确认签发并记录为逾期答复")
        self.acknowledge_late.setObjectName("acknowledgeLate")
        self.status = QLabel()
        self.status.setObjectName("reviewStatus")
        self.status.setWordWrap(True)
        self.preview = PdfPreview()
        self.preview.setObjectName("preview")
        self.approve_button = QPushButton("审核通过并签发")
        self.approve_button.setObjectName("approve")
        self.approve_button.clicked.connect(self._approve_clicked)
        self.return_button = QPushButton("退回…")
        self.return_button.setObjectName("sendBack")
        self.return_button.clicked.connect(self.ask_comment)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for b in (self.approve_button, self.return_button, close):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.check_label)
        layout.addWidget(self.acknowledge_late)
        layout.addLayout(buttons)
        self.findings = issue_checks.pre_issue_findings(ctx.db, draft)
        self._show_findings()
        self._show_preview()
        self.acknowledge_late.toggled.connect(lambda _on: self._update_buttons())
        self.why_not = review.why_not_review(ctx.db, self.row.id, ctx.user)
        self._update_buttons()

    def _show_findings(self) -> None:
        if not self.findings:
            self.check_label.setText("<b>签发前检查</b>：<span style='color:#1b6e20'>通过</span>")
        else:
            lines = [f"<span style='color:{'#b00020' if f.blocks else '#9a6700'}'>"
                     f"{'✗' if f.blocks else '!'} {f.severity.label}：{html.escape(f.message)}</span>"
                     for f in self.findings]
            self.check_label.setText("<b>签发前检查</b><br>" + "<br>".join(lines))
        self.acknowledge_late.setVisible(pre_issue.is_late(self.findings))

    def _show_preview(self) -> None:
        doc = self.row.draft.document
        number = None
        if KINDS_BY_CODE[self.row.kind].numbered:
            number = issue_checks.preview_number(self.ctx.db, self.row.draft.on_date.year)
        shown = LetterDocument(doc.title, number, doc.salutation, doc.body, doc.signature, doc.contact,
                               doc.footer_note, doc.cc, doc.author)
        buf = io.BytesIO()
        try:
            render_letter(shown, buf, fonts=issue_checks.letter_fonts(self.ctx.db), allow_missing=True)
        except (DeskError, ValueError) as exc:
            self.preview.clear(f"无法预览：{exc}")
        else:
            self.preview.set_pdf(buf.getvalue())

    def _update_buttons(self) -> None:
        blocked = any(f.blocks for f in self.findings)
        late_ok = not pre_issue.is_late(self.findings) or self.acknowledge_late.isChecked()
        for button in (self.approve_button, self.return_button):
            button.setEnabled(self.why_not is None)
            button.setToolTip(self.why_not or "")
        if self.why_not is None:
            self.approve_button.setEnabled(not blocked and late_ok)
            if blocked:
                self.approve_button.setToolTip("签发前检查未通过：请退回修改")
        if self.why_not is not None:
            self.status.setText(self.why_not)

    def _done(self, message: str) -> None:
        self.why_not = message
        self._update_buttons()
        self.acknowledge_late.setEnabled(False)
        self.ctx.signals.requests_changed.emit({self.row.request_id} if self.row.request_id else set())

    def approve(self) -> int:
        """审核通过并签发: issue the letter; returns its id (raises ``DeskError``, shown by the click)."""
        letter = review.approve(self.ctx.db, self.row.id, self.ctx.user,
                                acknowledge_late=self.acknowledge_late.isChecked())
        self.preview.set_pdf(letter.pdf)
        self._done(f"已审核通过并签发：{letter.doc_number or letter.title}。可在发文登记中打印、登记送达。")
        self.approved.emit(letter.id)
        return letter.id

    def _approve_clicked(self) -> None:
        try:
            self.approve()
        except DeskError as exc:
            self.status.setText(str(exc))
            self.status.setStyleSheet("color: #b00020;")

    def ask_comment(self) -> CommentDialog:
        """退回…: ask for the comment (window-modal, opened, not exec'd)."""
        dialog = CommentDialog(self)
        dialog.accepted.connect(lambda: self._send_back_clicked(dialog.comment()))
        self.comment_dialog = dialog
        dialog.open()
        return dialog

    def send_back(self, comment: str) -> None:
        review.send_back(self.ctx.db, self.row.id, self.ctx.user, comment)
        self._done(f"已退回修改：{comment}")
        self.sent_back.emit(self.row.id)

    def _send_back_clicked(self, comment: str) -> None:
        try:
            self.send_back(comment)
        except DeskError as exc:
            self.status.setText(str(exc))
            self.status.setStyleSheet("color: #b00020;")
