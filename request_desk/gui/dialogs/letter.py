"""The letter dialog: pick a kind → edit the composed text → true preview → issue → print or save.

Kinds that fit the case's status and outcome are offered first. The text is
edited as plain text: title, salutation, the body one paragraph per line,
the signature lines and the contact. The preview is the PDF the letter will
be, rendered by the same engine (with the number the next letter would get;
the real number is drawn when the letter is issued). Unfilled blanks
(【请填写…】) and characters the fonts lack are listed in red and block
issuing, so nothing prints as a box. An issued letter is read-only here;
printing and saving use the stored PDF, so a reprint is the same document.

While the office reviews letters (setting ``letter_review``), 签发 reads 提交审核:
the letter is submitted (``letters.review``) and issued when a supervisor or
administrator other than the drafter approves it (``dialogs/review.py``). Opening
the letter of that kind again shows the submitted draft, or the returned one with
the reviewer's comment, to edit and submit again.
"""

from __future__ import annotations

import html
import io
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from request_desk.core import cases
from request_desk.core.cases import case_file
from request_desk.core.cases.workflow import Action
from request_desk.core.errors import DeskError
from request_desk.core.letters import compose, issue_checks, pre_issue, register, review
from request_desk.core.letters.kinds import KINDS_BY_CODE, ordered_for
from request_desk.core.letters.pdf import LetterDocument, check_letter, render_letter
from request_desk.core.reports.common import atomic_output
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.actions import ActionDialog
from request_desk.gui.dialogs.discard import ask_to_discard
from request_desk.gui.widgets.common import to_date, to_qdate
from request_desk.gui.widgets.file_dialogs import ask_save
from request_desk.gui.widgets.pdf_preview import PdfPreview, ask_printer, print_pdfs
from request_desk.gui.widgets.screen_fit import fit_to_screen
from request_desk.gui.workers import BackgroundJob, run_in_background

PREVIEW_DELAY_MS = 400
# The kind whose remedy route the clerk chooses (outcome 2).
PARTIAL_REPLY = "reply_2"


class LetterDialog(QDialog):
    """Compose, preview and issue one letter for a case."""

    issued = Signal(int)  # letter id
    delivery_opened = Signal(QDialog)  # the 送达 step's dialog, opened from here
    printed = Signal()  # the issued letter went to the printer
    submitted = Signal(int)  # review id: submitted for review instead of issued (setting letter_review)

    def __init__(self, ctx: DeskContext, request_id: int, kind: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.request_id = request_id
        self.draft: compose.Draft | None = None
        self._composed: tuple[str, ...] = ()
        self.letter: register.IssuedLetter | None = None
        self.delivery_dialog: QDialog | None = None
        self.notice: QMessageBox | None = None
        self.problems: list[str] = []
        self.findings: list[pre_issue.Finding] = []
        self.job: BackgroundJob | None = None
        # 审核后签发: submit instead of issue; the open review of this case and kind, if any.
        self.review_on = review.enabled(ctx.db)
        self.review: review.ReviewRow | None = None
        request = cases.get(ctx.db, request_id)
        self.setWindowTitle(f"文书 — {request.reg_number} {request.applicant_name}")
        fit_to_screen(self, QSize(1280, 820))
        self._build(request.status, request.outcome_code)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.refresh_preview)
        if kind is None and self.review_on:  # a draft returned for this case: open on it
            returned = review.open_reviews(ctx.db, (review.RETURNED,), request_id=request_id)
            kind = returned[-1].kind if returned and self.kind_box.findData(returned[-1].kind) >= 0 else None
        if kind is not None:
            self.set_kind(kind)
        else:
            self._kind_chosen()

    # -- building ---------------------------------------------------------

    def _build(self, status: str, outcome: str | None) -> None:
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("kind")
        first, rest = ordered_for(status, outcome)
        for k in first:
            self.kind_box.addItem(k.label, k.code)
        if first and rest:
            self.kind_box.insertSeparator(self.kind_box.count())
        for k in rest:
            self.kind_box.addItem(f"{k.label}", k.code)
            index = self.kind_box.count() - 1
            self.kind_box.setItemData(index, "与本案当前状态不太相符", Qt.ItemDataRole.ToolTipRole)
        self.kind_box.activated.connect(lambda _i: self.kind_changed())
        self.date_edit = QDateEdit(to_qdate(self.ctx.today()))
        self.date_edit.setObjectName("letterDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy年M月d日")
        # Not dateChanged: it fires on every keystroke while a date is typed.
        self.date_edit.editingFinished.connect(self.date_changed)
        self.date_edit.calendarWidget().clicked.connect(lambda _d: QTimer.singleShot(0, self.date_changed))
        # Outcome 2 may take the ordinary route when nothing was withheld under Arts. 14–16
        # (docs/domain.md, "Letters"); the default is reconsideration first.
        self.ordinary_route = QCheckBox("未依第十四至十六条不予公开：告知复议或诉讼")
        self.ordinary_route.setObjectName("ordinaryRoute")
        self.ordinary_route.toggled.connect(lambda _on: self._route_changed())
        top = QHBoxLayout()
        top.addWidget(QLabel("文书种类"))
        top.addWidget(self.kind_box, 1)
        top.addWidget(self.ordinary_route)
        top.addWidget(QLabel("成文日期"))
        top.addWidget(self.date_edit)

        self.number_label = QLabel()
        self.number_label.setObjectName("docNumber")
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("title")
        self.salutation_edit = QLineEdit()
        self.salutation_edit.setObjectName("salutation")
        self.body_edit = QPlainTextEdit()
        self.body_edit.setObjectName("body")
        self.body_edit.setPlaceholderText("每行一个自然段，首行缩进由排版自动完成")
        self.signature_edit = QPlainTextEdit()
        self.signature_edit.setObjectName("signature")
        self.signature_edit.setFixedHeight(64)
        self.contact_edit = QLineEdit()
        self.contact_edit.setObjectName("contact")
        form = QFormLayout()
        form.addRow("文号", self.number_label)
        form.addRow("标题", self.title_edit)
        form.addRow("称呼", self.salutation_edit)
        form.addRow("正文", self.body_edit)
        form.addRow("落款", self.signature_edit)
        form.addRow("联系方式", self.contact_edit)
        for w in (self.title_edit, self.salutation_edit, self.contact_edit):
            w.textEdited.connect(self._edited)
        for p in (self.body_edit, self.signature_edit):
            p.textChanged.connect(self._edited)

        self.warnings = QLabel()
        self.warnings.setObjectName("warnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #9a6700;")
        self.problems_label = QLabel()
        self.problems_label.setObjectName("problems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #b00020;")
        # The pre-issue check (docs/domain.md, "Letters"): what blocks issuing, and what is
        # recorded with the letter; a late reply is issued only once acknowledged.
        self.check_label = QLabel()
        self.check_label.setObjectName("preIssueCheck")
        self.check_label.setWordWrap(True)
        self.check_label.setTextFormat(Qt.TextFormat.RichText)
        self.acknowledge_late = QCheckBox("已知悉本答复逾期，确认签发并记录为逾期答复")
        self.acknowledge_late.setObjectName("acknowledgeLate")
        self.acknowledge_late.setVisible(False)
        self.acknowledge_late.toggled.connect(lambda _on: self._update_buttons())
        # The review of this letter: submitted and waiting, or returned with the reviewer's comment.
        self.review_label = QLabel()
        self.review_label.setObjectName("reviewState")
        self.review_label.setWordWrap(True)
        self.review_label.setVisible(False)
        editor = QWidget()
        left = QVBoxLayout(editor)
        left.setContentsMargins(0, 0, 0, 0)
        left.addLayout(form, 1)
        left.addWidget(self.review_label)
        left.addWidget(self.warnings)
        left.addWidget(self.check_label)
        left.addWidget(self.acknowledge_late)
        left.addWidget(self.problems_label)

        self.preview = PdfPreview()
        self.preview.setObjectName("preview")
        splitter = QSplitter()
        splitter.addWidget(editor)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)

        self.issue_button = QPushButton("提交审核" if self.review_on else "签发（取文号并存档）")
        self.issue_button.setObjectName("issue")
        if self.review_on:
            self.issue_button.setToolTip("本机关已开启文书审核：由起草人以外的负责人或管理员审核通过后签发、取文号")
        self.issue_button.clicked.connect(self._issue_clicked)
        self.print_button = QPushButton("打印…")
        self.print_button.setObjectName("print")
        self.print_button.clicked.connect(self._print_clicked)
        self.save_button = QPushButton("另存为 PDF…")
        self.save_button.setObjectName("save")
        self.save_button.clicked.connect(self._save_clicked)
        # The reply's delivery is this letter's delivery (cases/letter_delivery.py): recorded from here.
        self.deliver_button = QPushButton("登记送达…")
        self.deliver_button.setObjectName("deliver")
        self.deliver_button.clicked.connect(self.deliver)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.issue_button, self.print_button, self.save_button, self.deliver_button, close):
            buttons.addWidget(b)
        # Where the clerk is in the reply flow, when the letter is part of it (reply_flow.py).
        self.flow_label = QLabel()
        self.flow_label.setObjectName("replyFlow")
        self.flow_label.setVisible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.flow_label)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    # -- composing and editing --------------------------------------------

    def kind(self) -> str:
        return str(self.kind_box.currentData())

    def set_kind(self, code: str) -> None:
        index = self.kind_box.findData(code)
        if index < 0:
            raise KeyError(code)
        self.kind_box.setCurrentIndex(index)
        self.kind_changed()

    def set_date(self, on: date) -> None:
        """Change the letter's date as if the clerk had typed it."""
        self.date_edit.setDate(to_qdate(on))
        self.date_changed()

    # -- keeping the clerk's edits ------------------------------------------

    def _form_texts(self) -> tuple[str, ...]:
        return (self.title_edit.text(), self.salutation_edit.text(), self.body_edit.toPlainText(),
                self.signature_edit.toPlainText(), self.contact_edit.text())

    def is_edited(self) -> bool:
        """Has the clerk changed the composed text?"""
        return self.draft is not None and self._form_texts() != self._composed

    def confirm_discard_edits(self, question: str) -> bool:
        """Ask before recomposing over the clerk's edits (tests override this instead of clicking)."""
        return ask_to_discard(self, "文书内容已修改", question, "重新生成", "保留修改")

    def confirm_discard(self) -> bool:
        """Ask before closing over the clerk's edits (tests override this instead of clicking)."""
        return ask_to_discard(self, "文书内容已修改", "您已修改了文书内容，尚未签发。关闭后修改将丢失。是否关闭？",
                              "放弃修改并关闭", "继续编辑")

    def reject(self) -> None:
        """Esc, 关闭 or the window's close button: ask before an unissued, edited letter is lost."""
        if self.letter is None and not self.waiting_for_review() and self.is_edited() and not self.confirm_discard():
            return
        super().reject()

    def kind_changed(self) -> None:
        """Another kind was picked: recompose, unless the clerk wants to keep the edited text."""
        if self.draft is not None and self.kind() == self.draft.kind:
            return  # the same kind picked again: nothing to do
        if self.draft is not None and self.is_edited() \
                and not self.confirm_discard_edits("您已修改了文书内容。改为另一种文书将按模板重新生成，"
                                                   "您的修改将丢失。是否重新生成？"):
            self.kind_box.setCurrentIndex(self.kind_box.findData(self.draft.kind))  # keep the edited letter
            return
        self._kind_chosen()

    def _route_changed(self) -> None:
        """The remedy route of a partial disclosure was changed: recompose, keeping edits only if asked."""
        if self.draft is None or self.letter is not None:
            return
        if self.is_edited() and not self.confirm_discard_edits(
                "您已修改了文书内容。改变救济途径将按模板重新生成，您的修改将丢失。是否重新生成？"):
            self.ordinary_route.blockSignals(True)
            self.ordinary_route.setChecked(not self.ordinary_route.isChecked())
            self.ordinary_route.blockSignals(False)
            return
        self._kind_chosen()

    def date_changed(self) -> None:
        """The letter's date was changed (typing finished, or picked in the calendar)."""
        if self.letter is not None or self.draft is None:
            return
        on = to_date(self.date_edit.date())
        old = self.draft.on_date
        if on == old:
            return
        if not self.is_edited() or self.confirm_discard_edits(
                "您已修改了文书内容。按新的成文日期重新生成文书，您的修改将丢失。\n"
                "选择“保留修改”则只更新落款日期，正文中随日期计算的内容（如期限）请自行核对。"):
            self._kind_chosen()
            return
        # Keep the edits: only the signature's date line follows the new date.
        old_text, new_text = compose.cn_date(old), compose.cn_date(on)
        lines = self.signature_edit.toPlainText().splitlines()
        self.signature_edit.setPlainText("\n".join(new_text if ln.strip() == old_text else ln for ln in lines))
        d = self.draft
        self.draft = compose.Draft(d.kind, d.request_id, d.document, d.addressee, d.addressee_type, on,
                                   d.serves_letter_id, d.warnings)
        self.warnings.setText("\n".join([*(f"注意：{w}" for w in d.warnings),
                                         f"注意：成文日期已改为{new_text}，正文未重新生成，其中随日期计算的内容请核对。"]))
        self.refresh_preview()

    def _kind_chosen(self) -> None:
        if self.letter is not None:
            return
        refusal = issue_checks.may_issue(self.ctx.db, self.kind(), self.ctx.user)
        if refusal is not None:
            # Not even composed: the draft and preview would show the full ID and phone.
            self._refuse(refusal, "无权查看此文书", clear_text=True)
            return
        self.ordinary_route.setVisible(self.kind() == PARTIAL_REPLY)
        extras = {"remedy_route": compose.ORDINARY_ROUTE} if self.ordinary_route.isVisible() \
            and self.ordinary_route.isChecked() else None
        try:
            self.draft = compose.compose(self.ctx.db, self.request_id, self.kind(),
                                         on_date=to_date(self.date_edit.date()), extras=extras)
        except DeskError as exc:
            self._refuse(str(exc), "无法生成此文书")
            return
        self._show_review(self.draft)
        self.warnings.setText("\n".join(f"注意：{w}" for w in self.draft.warnings))
        self.refresh_preview()

    def _show_review(self, composed: compose.Draft) -> None:
        """The composed text, or, under review, the text of this case's open review of that kind."""
        self.review = review.latest_open(self.ctx.db, self.request_id, composed.kind) if self.review_on else None
        if self.review is None:
            self.review_label.setVisible(False)
            self._show_document(composed.document)
            return
        r = self.review
        self.draft = r.draft
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(to_qdate(r.draft.on_date))
        self.date_edit.blockSignals(False)
        self._show_document(r.draft.document)
        if r.state == review.RETURNED:
            self.review_label.setStyleSheet("color: #b00020;")
            self.review_label.setText(f"{r.reviewed_by_name}退回修改：{r.comment}\n"
                                      "以下为退回的文书，修改后请重新提交审核。")
        else:
            self.review_label.setStyleSheet("color: #1f4f9c;")
            self.review_label.setText(f"此文书已由{r.submitted_by_name}提交审核（#{r.id}），"
                                      "待起草人以外的负责人或管理员审核签发。")
        self.review_label.setVisible(True)

    def _refuse(self, message: str, preview_text: str, *, clear_text: bool = False) -> None:
        """No draft for this kind: say why, clear the preview (and the editor), block issuing."""
        self.draft = None
        if clear_text:
            self._show_document(LetterDocument(""))
        self.warnings.setText("")
        self.problems_label.setText(message)
        self.preview.clear(preview_text)
        self._update_buttons()

    def _show_document(self, doc: LetterDocument) -> None:
        widgets = (self.title_edit, self.salutation_edit, self.body_edit, self.signature_edit, self.contact_edit)
        for w in widgets:
            w.blockSignals(True)
        self.title_edit.setText(doc.title)
        self.salutation_edit.setText(doc.salutation or "")
        self.body_edit.setPlainText("\n".join(doc.body))
        self.signature_edit.setPlainText("\n".join(doc.signature))
        self.contact_edit.setText(doc.contact or "")
        for w in widgets:
            w.blockSignals(False)
        self._composed = self._form_texts()

    def document(self) -> LetterDocument:
        """The letter as the clerk has edited it (number not yet drawn)."""
        body = [ln.strip() for ln in self.body_edit.toPlainText().splitlines() if ln.strip()]
        signature = [ln.strip() for ln in self.signature_edit.toPlainText().splitlines() if ln.strip()]
        base = self.draft.document if self.draft else LetterDocument("")
        return LetterDocument(
            title=self.title_edit.text().strip(), doc_number=None,
            salutation=self.salutation_edit.text().strip() or None, body=body, signature=signature,
            contact=self.contact_edit.text().strip() or None, footer_note=base.footer_note, cc=base.cc,
            author=base.author,
        )

    def _edited(self) -> None:
        self._timer.start()

    def refresh_preview(self) -> None:
        """Render the current text (with the would-be number) and list what blocks issuing."""
        self._timer.stop()
        if self.draft is None or self.letter is not None:
            return
        doc = self.document()
        kind = KINDS_BY_CODE[self.draft.kind]
        number = None
        if kind.numbered:
            number = issue_checks.preview_number(self.ctx.db, self.draft.on_date.year)
            self.number_label.setText(f"{number}（预览；签发时正式取号）")
        else:
            self.number_label.setText("（本文书不编文号）")
        shown = LetterDocument(doc.title, number, doc.salutation, doc.body, doc.signature, doc.contact,
                               doc.footer_note, doc.cc, doc.author)
        fonts = issue_checks.letter_fonts(self.ctx.db)
        self._show_findings(issue_checks.pre_issue_findings(self.ctx.db, self.draft.with_document(doc)))
        # What the check does not cover; the check's own errors are listed in its panel.
        problems = [f"字体缺字：{m}，打印前请改写或安装含此字的字体" for m in check_letter(shown, fonts)]
        if not doc.title:
            problems.append("标题不能为空。")
        self.problems_label.setText("\n".join(problems))
        self.problems = problems + [f.message for f in self.findings if f.blocks]
        buf = io.BytesIO()
        try:
            render_letter(shown, buf, fonts=fonts, allow_missing=True)
        except (DeskError, ValueError) as exc:
            self.preview.clear(f"无法预览：{exc}")
        else:
            self.preview.set_pdf(buf.getvalue())
        self._update_buttons()

    def _show_findings(self, found: list[pre_issue.Finding]) -> None:
        """List the pre-issue check's findings: errors in red, warnings in amber, or that it passed."""
        self.findings = found
        if not found:
            self.check_label.setText("<b>签发前检查</b>：<span style='color:#1b6e20'>通过</span>"
                                     "（理由、法律依据、救济途径、答复期限和办理结果均已核对）")
        else:
            lines = [f"<span style='color:{'#b00020' if f.blocks else '#9a6700'}'>"
                     f"{'✗' if f.blocks else '!'} {f.severity.label}：{html.escape(f.message)}</span>" for f in found]
            self.check_label.setText("<b>签发前检查</b><br>" + "<br>".join(lines))
        late = pre_issue.is_late(found)
        # Under review the reviewer, who signs, acknowledges a late reply (dialogs/review.py).
        self.acknowledge_late.setVisible(late and not self.review_on)
        if not late:
            self.acknowledge_late.setChecked(False)

    def waiting_for_review(self) -> bool:
        """Submitted and not yet approved or returned: the text is the reviewer's to judge now."""
        return self.review is not None and self.review.state == review.PENDING

    def _update_buttons(self) -> None:
        issued = self.letter is not None or self.waiting_for_review()
        late_ok = self.review_on or not pre_issue.is_late(self.findings) or self.acknowledge_late.isChecked()
        self.issue_button.setEnabled(not issued and self.draft is not None and not self.problems and late_ok)
        self.print_button.setEnabled(self.letter is not None)
        self.save_button.setEnabled(self.letter is not None)
        self.deliver_button.setVisible(self.letter is not None and self._deliverable())
        for w in (self.title_edit, self.salutation_edit, self.contact_edit):
            w.setReadOnly(issued)
        for p in (self.body_edit, self.signature_edit):
            p.setReadOnly(issued)
        self.kind_box.setEnabled(not issued)
        self.date_edit.setEnabled(not issued)

    # -- issuing, printing, saving ------------------------------------------

    def issue(self) -> register.IssuedLetter:
        """Issue the edited letter; raises ``DeskError`` (the dialog shows it in ``_issue_clicked``)."""
        self.date_changed()  # a date typed but not yet committed (focus still in the field)
        self.refresh_preview()
        if self.draft is None:
            raise DeskError("请先选择文书种类。")
        if self.problems:
            raise DeskError("；".join(self.problems))
        letter = register.issue(self.ctx.db, self.draft.with_document(self.document()), self.ctx.user,
                                acknowledge_late=self.acknowledge_late.isChecked())
        self.letter = letter
        self.preview.set_pdf(letter.pdf)
        self.number_label.setText(letter.doc_number or "（本文书不编文号）")
        self.setWindowTitle(f"{self.windowTitle()} — 已签发 {letter.doc_number or letter.title}")
        self._update_buttons()
        self.issued.emit(letter.id)
        self.ctx.signals.requests_changed.emit({self.request_id})
        return letter

    def submit(self) -> review.ReviewRow:
        """Submit the edited letter for review (setting ``letter_review``); raises ``DeskError``."""
        self.date_changed()
        self.refresh_preview()
        if self.draft is None:
            raise DeskError("请先选择文书种类。")
        if self.problems:
            raise DeskError("；".join(self.problems))
        row = review.submit(self.ctx.db, self.draft.with_document(self.document()), self.ctx.user)
        self.review = row
        self.number_label.setText("（审核通过、签发时取号）")
        self.review_label.setStyleSheet("color: #1f4f9c;")
        self.review_label.setText(f"已提交审核（#{row.id}）：由起草人以外的负责人或管理员在“发文登记 → 待审核文书”中"
                                  "审核，通过后签发、取文号；退回时再打开本文书可见审核意见。")
        self.review_label.setVisible(True)
        self.setWindowTitle(f"{self.windowTitle()} — 已提交审核 #{row.id}")
        self._update_buttons()
        self.submitted.emit(row.id)
        self.ctx.signals.requests_changed.emit({self.request_id})
        return row

    def _issue_clicked(self) -> None:
        try:
            if self.review_on:
                self.submit()
            else:
                self.issue()
        except DeskError as exc:
            QMessageBox.warning(self, "提交审核" if self.review_on else "签发文书", str(exc))

    def print_to(self, printer: object) -> BackgroundJob:
        """Print the issued letter's stored PDF on ``printer`` (a configured ``QPrinter``), off the UI thread."""
        assert self.letter is not None
        pdf = self.letter.pdf
        job = run_in_background(self, "打印文书", lambda: print_pdfs(printer, [pdf]))  # type: ignore[arg-type]
        job.done.connect(lambda: self.printed.emit() if job.error is None else None)
        self.job = job
        return job

    def _print_clicked(self) -> None:
        printer = ask_printer(self, "打印文书")
        if printer is not None:
            self.print_to(printer)

    def save_pdf(self, path: Path) -> None:
        assert self.letter is not None
        with atomic_output(path) as tmp:
            tmp.write_bytes(self.letter.pdf)

    def _save_clicked(self) -> None:
        assert self.letter is not None
        name = f"{self.letter.doc_number or self.letter.title}.pdf".replace("/", "-")
        target = ask_save(self, "另存为 PDF", name, "PDF 文件 (*.pdf)")
        if target:
            try:
                self.save_pdf(Path(target))
            except DeskError as exc:
                QMessageBox.warning(self, "另存为 PDF", str(exc))

    def _deliverable(self) -> bool:
        """An issued reply letter, still the one to serve, whose case waits for its delivery."""
        kind = KINDS_BY_CODE.get(self.letter.kind if self.letter else "")
        if kind is None or not kind.is_reply or self.letter is None:
            return False
        form = cases.step_form(self.ctx.db, self.request_id, Action.DELIVER, self.ctx.today())
        return form.why_not is None and str(self.letter.id) in {v for v, _ in form.choices.get("letter", ())}

    def deliver(self) -> ActionDialog | None:
        """The case's 送达 step with this letter chosen as the letter served."""
        assert self.letter is not None
        if not self._deliverable():  # corrected by another letter, or delivered from 发文登记 meanwhile
            self.notice = QMessageBox(QMessageBox.Icon.Information, "登记送达",
                                      "本文书已不是本案待送达的答复书（已被更正或本案已登记送达）。",
                                      QMessageBox.StandardButton.Ok, self)
            self.notice.open()
            self.deliver_button.setVisible(False)
            return None
        case = case_file.load_case(self.ctx.db, self.request_id, self.ctx.today())
        dialog = ActionDialog.start(self.ctx, case, Action.DELIVER, self)
        letter_box = dialog.fields["letter"]
        assert isinstance(letter_box, QComboBox)
        letter_box.setCurrentIndex(letter_box.findData(str(self.letter.id)))
        dialog.accepted.connect(lambda: self.deliver_button.setVisible(False))
        self.delivery_dialog = dialog
        self.delivery_opened.emit(dialog)
        return dialog

    # -- entry points ---------------------------------------------------------

    @classmethod
    def compose(cls, ctx: DeskContext, request_id: int, parent: QWidget | None = None,
                kind: str | None = None) -> LetterDialog:
        """Open the dialog for a case (the case view's 文书 button); returns it, already shown."""
        dialog = cls(ctx, request_id, kind, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog
