"""The letter dialog: compose → edit → true preview → issue → print; missing glyphs block issuing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import ClassVar

from pypdf import PdfReader
from PySide6.QtCore import QDate
from PySide6.QtGui import QColor, QPageSize
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from request_desk.core.letters import register
from request_desk.core.office import settings
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.letter import LetterDialog
from request_desk.gui.widgets.pdf_preview import print_pdfs
from tests import factories
from tests.factories import TODAY

# The specific reason of the 3.6 replies below (a refusal cannot be issued without one).
PROCESS_DRAFT = "所申请的是方案起草过程中的讨论记录和征求意见稿，方案尚未最终形成"


def office_case(ctx: DeskContext, outcome: str | None = None, **kw: object) -> int:
    with ctx.db.write() as s:
        settings.update(s, contact_person="李四", contact_phone="0527-84371234")
    if outcome:  # answered inside the period, so a letter dated today is not late
        return factories.replied(ctx.db, outcome, received=date(2026, 11, 16), on=date(2026, 11, 20), **kw)
    return factories.register(ctx.db, **kw)


def make(qtbot: QtBot, ctx: DeskContext, rid: int, kind: str | None = None) -> LetterDialog:
    dialog = LetterDialog(ctx, rid, kind)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_kinds_that_fit_the_case_come_first(qtbot: QtBot, ctx: DeskContext) -> None:
    dialog = make(qtbot, ctx, office_case(ctx, "3.6", summary=PROCESS_DRAFT))
    codes = [dialog.kind_box.itemData(i) for i in range(dialog.kind_box.count())]
    assert codes[0] == "reply_3.6" and dialog.kind() == "reply_3.6"
    assert codes.index("reply_1") > codes.index("delivery_receipt")  # other replies only after a separator
    assert "答复书" in dialog.title_edit.text() and dialog.issue_button.isEnabled()


def test_a_clerk_is_told_why_the_registration_form_is_not_shown(qtbot: QtBot, ctx: DeskContext) -> None:
    dialog = make(qtbot, ctx, office_case(ctx), "registration_form")
    assert "无权打印或签发《政府信息公开申请登记表》" in dialog.problems_label.text()
    assert "负责人" in dialog.problems_label.text()
    assert dialog.draft is None and not dialog.issue_button.isEnabled()
    assert "11010519491231002X" not in dialog.body_edit.toPlainText()
    dialog.set_kind("acknowledgement")  # another kind composes as usual
    assert dialog.draft is not None and dialog.issue_button.isEnabled() and dialog.problems_label.text() == ""


def test_a_supervisor_issues_the_registration_form(qtbot: QtBot, ctx: DeskContext) -> None:
    ctx = DeskContext(db=ctx.db, user="supervisor", today=ctx.today)
    dialog = make(qtbot, ctx, office_case(ctx), "registration_form")
    assert "证件号码：11010519491231002X" in dialog.body_edit.toPlainText()
    dialog.issue()
    assert register.register_rows(ctx.db)[0].kind == "registration_form"


def test_compose_edit_preview_issue_and_print(qtbot: QtBot, ctx: DeskContext, tmp_path: Path) -> None:
    rid = office_case(ctx, "3.6", summary=PROCESS_DRAFT)
    dialog = make(qtbot, ctx, rid, "reply_3.6")
    assert dialog.preview.page_count() >= 1
    assert "X政信公开〔2026〕1号（预览" in dialog.number_label.text()
    page = dialog.preview.page_image(0, dpi=36)
    assert page.pixelColor(5, 5) == QColor("white")  # painted on white, not transparent

    before = dialog.preview.pdf_bytes()
    dialog.body_edit.appendPlainText("本答复附件：会议纪要目录一份。")
    qtbot.waitUntil(lambda: dialog.preview.pdf_bytes() != before)  # the debounced preview follows the edit
    before = dialog.preview.pdf_bytes()

    with qtbot.waitSignal(dialog.issued) as sig:
        dialog.issue_button.click()
    letter = register.get(ctx.db, sig.args[0], "clerk")
    assert letter.doc_number == "X政信公开〔2026〕1号"
    issued_text = "".join(p.extract_text() for p in PdfReader(_write(tmp_path, letter.pdf)).pages)
    assert "本答复附件：会议纪要目录一份。" in issued_text
    assert dialog.preview.pdf_bytes() == letter.pdf != before  # the preview now shows the issued letter
    assert dialog.body_edit.isReadOnly() and not dialog.issue_button.isEnabled() and dialog.print_button.isEnabled()

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    job = dialog.print_to(printer)
    with qtbot.waitSignal(job.done, timeout=30_000):
        pass
    assert job.error is None and job.result == letter.page_count
    assert len(PdfReader(str(out)).pages) == letter.page_count
    dialog.save_pdf(tmp_path / "saved.pdf")
    assert (tmp_path / "saved.pdf").read_bytes() == letter.pdf


def _write(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "issued.pdf"
    path.write_bytes(data)
    return str(path)


def test_blanks_and_missing_glyphs_block_issuing_and_say_where(qtbot: QtBot, ctx: DeskContext) -> None:
    dialog = make(qtbot, ctx, office_case(ctx, "1"), "reply_1_published")
    assert "文书中仍有待填写的内容：【请填写：已主动公开信息的获取途径" in dialog.check_label.text()
    assert not dialog.issue_button.isEnabled()
    placeholder = "【请填写：已主动公开信息的获取途径（网址、公报等）】"
    text = dialog.body_edit.toPlainText().replace(placeholder, "本机关门户网站")
    dialog.body_edit.setPlainText(text)
    dialog.refresh_preview()
    assert dialog.problems_label.text() == "" and dialog.issue_button.isEnabled()
    dialog.salutation_edit.setText("王𰀀：")
    dialog.refresh_preview()
    assert "“𰀀”（U+30000）位于称呼第2字" in dialog.problems_label.text()
    assert not dialog.issue_button.isEnabled()
    assert register.register_rows(ctx.db) == []


def test_batch_print_of_several_letters_is_one_job(qtbot: QtBot, ctx: DeskContext, tmp_path: Path) -> None:
    rid = office_case(ctx)
    ids = []
    for on in (date(2026, 9, 28), date(2026, 9, 29)):
        dialog = make(qtbot, ctx, rid, "acknowledgement")
        dialog.date_edit.setDate(dialog.date_edit.date().fromString(on.isoformat(), "yyyy-MM-dd"))
        ids.append(dialog.issue().id)
    pdfs = [register.stored_pdf(ctx.db, i, "clerk") for i in ids]
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setOutputFileName(str(tmp_path / "batch.pdf"))
    job = print_pdfs(printer, pdfs)
    steps = []
    try:
        while True:
            steps.append(next(job))
    except StopIteration as stop:
        assert stop.value == 2
    assert [s.done for s in steps] == [1, 2]
    assert len(PdfReader(str(tmp_path / "batch.pdf")).pages) == 2


class Answering(LetterDialog):
    """Answers the “discard your edits?” question without a message box, and records it."""

    answer = False
    # A class-wide default until ``answering()`` gives each dialog a list of its own.
    asked: ClassVar[list[str]] = []

    def confirm_discard_edits(self, question: str) -> bool:
        self.asked.append(question)
        return self.answer


def answering(qtbot: QtBot, ctx: DeskContext, rid: int, kind: str) -> Answering:
    dialog = Answering(ctx, rid, kind)
    dialog.answer, dialog.asked = False, []
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_changing_the_date_keeps_the_clerks_edits_unless_they_agree(qtbot: QtBot, ctx: DeskContext) -> None:
    dialog = answering(qtbot, ctx, office_case(ctx, "3.6", summary=PROCESS_DRAFT), "reply_3.6")
    assert dialog.signature_edit.toPlainText().splitlines()[-1] == "2026年11月27日"
    dialog.body_edit.appendPlainText("本答复附件：会议纪要目录一份。")
    # Typing a date fires dateChanged on every keystroke: nothing is recomposed yet.
    dialog.date_edit.setDate(QDate(2026, 11, 2))
    dialog.date_edit.setDate(QDate(2026, 11, 20))
    assert "会议纪要目录" in dialog.body_edit.toPlainText() and dialog.asked == []
    assert dialog.draft is not None and dialog.draft.on_date == TODAY
    # Editing finished: the clerk is asked, keeps the edits; only the signature's date follows.
    dialog.date_edit.editingFinished.emit()
    assert len(dialog.asked) == 1 and "修改将丢失" in dialog.asked[0]
    assert "会议纪要目录" in dialog.body_edit.toPlainText()
    assert dialog.signature_edit.toPlainText().splitlines()[-1] == "2026年11月20日"
    assert dialog.draft.on_date == date(2026, 11, 20) and "正文未重新生成" in dialog.warnings.text()
    # Agreeing recomposes for the new date.
    dialog.answer = True
    dialog.set_date(date(2026, 11, 23))
    assert len(dialog.asked) == 2 and "会议纪要目录" not in dialog.body_edit.toPlainText()
    assert dialog.draft.on_date == date(2026, 11, 23) and not dialog.is_edited()
    # Without edits there is nothing to ask.
    dialog.set_date(date(2026, 11, 24))
    assert len(dialog.asked) == 2 and dialog.signature_edit.toPlainText().endswith("2026年11月24日")


def test_changing_the_kind_asks_before_discarding_edits(qtbot: QtBot, ctx: DeskContext) -> None:
    dialog = answering(qtbot, ctx, office_case(ctx, "3.6", summary=PROCESS_DRAFT), "reply_3.6")
    title = dialog.title_edit.text()
    dialog.body_edit.appendPlainText("本答复附件：会议纪要目录一份。")
    dialog.set_kind("reply_1")
    assert len(dialog.asked) == 1
    assert dialog.kind() == "reply_3.6" and dialog.draft is not None and dialog.draft.kind == "reply_3.6"
    assert "会议纪要目录" in dialog.body_edit.toPlainText()
    dialog.answer = True
    dialog.set_kind("reply_1")
    assert dialog.kind() == "reply_1" and dialog.draft.kind == "reply_1" and len(dialog.asked) == 2
    assert "会议纪要目录" not in dialog.body_edit.toPlainText() and dialog.title_edit.text() == title


def test_the_pre_issue_check_blocks_a_refusal_without_its_reason_until_it_is_written(
        qtbot: QtBot, ctx: DeskContext) -> None:
    dialog = make(qtbot, ctx, office_case(ctx, "3.6", summary=""), "reply_3.6")
    assert "不能签发" in dialog.check_label.text() and "具体理由" in dialog.check_label.text()
    assert not dialog.issue_button.isEnabled()
    lines = dialog.body_edit.toPlainText().splitlines()
    dialog.body_edit.setPlainText("\n".join("具体理由：" + PROCESS_DRAFT if ln.startswith("具体理由：") else ln
                                            for ln in lines))
    dialog.refresh_preview()
    assert "通过" in dialog.check_label.text() and dialog.issue_button.isEnabled()


def test_a_late_reply_is_issued_only_once_the_clerk_acknowledges_it(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = office_case(ctx)  # received 28 September, due 30 October
    factories.replied(ctx.db, "1", rid=rid, on=date(2026, 11, 20))
    dialog = make(qtbot, ctx, rid, "reply_1")  # dated today, 27 November
    assert "逾期答复" in dialog.check_label.text() and dialog.acknowledge_late.isVisible()
    assert not dialog.issue_button.isEnabled()
    dialog.acknowledge_late.setChecked(True)
    assert dialog.issue_button.isEnabled()
    dialog.issue()
    row = register.register_rows(ctx.db)[0]
    assert row.late and "晚于答复期限" in row.check_warnings[0]


def test_a_partial_disclosure_can_take_the_ordinary_route(qtbot: QtBot, ctx: DeskContext) -> None:
    dialog = make(qtbot, ctx, office_case(ctx, "2", summary=PROCESS_DRAFT), "reply_2")
    assert dialog.ordinary_route.isVisible() and "应当先申请行政复议" in dialog.body_edit.toPlainText()
    dialog.ordinary_route.setChecked(True)
    assert "应当先申请行政复议" not in dialog.body_edit.toPlainText()
    assert "6个月内" in dialog.body_edit.toPlainText() and dialog.issue_button.isEnabled()
    dialog.set_kind("reply_1")
    assert not dialog.ordinary_route.isVisible()
