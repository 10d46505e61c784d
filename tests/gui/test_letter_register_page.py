"""发文登记 page: the register model, batch printing of today's acknowledgements, delivery."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlmodel import select

from request_desk.core.letters import compose, register
from request_desk.core.office import settings
from request_desk.core.office.permissions import PermissionDenied
from request_desk.core.storage.models import AuditEntry
from request_desk.gui.context import DeskContext
from request_desk.gui.pages.letters import DeliveryDialog, LettersPage, RegisterModel
from tests import factories
from tests.factories import TODAY


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


@pytest.fixture
def page(qtbot: QtBot, ctx: DeskContext) -> LettersPage:
    with ctx.db.write() as s:
        settings.update(s, contact_person="李四", contact_phone="0527-84371234")
    widget = LettersPage(ctx)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_model_passes_the_model_tester_and_shows_corrections(qtmodeltester, page: LettersPage,
                                                             ctx: DeskContext) -> None:
    rid = factories.register(ctx.db, date(2026, 11, 2))
    old = register.issue(ctx.db, compose.compose(ctx.db, rid, "acknowledgement", on_date=date(2026, 11, 2)), "clerk")
    register.issue(ctx.db, compose.compose(ctx.db, rid, "acknowledgement", on_date=date(2026, 11, 3)), "clerk",
                   supersedes_id=old.id)
    page.refresh()
    qtmodeltester.check(page.model)
    m = page.model
    assert m.rowCount() == 2
    assert m.data(m.index(0, 0)) == "X政信公开〔2026〕1号"
    assert m.data(m.index(0, 7)) == "已被 X政信公开〔2026〕2号 更正替代"
    assert m.data(m.index(1, 7)) == "更正 X政信公开〔2026〕1号"
    assert m.data(m.index(0, 6)) == "李经办"  # the clerk's name, not the login "clerk"
    assert m.data(m.index(0, 0), Qt.ItemDataRole.ForegroundRole) is not None  # greyed out


def test_todays_acknowledgements_are_issued_and_printed_as_one_job(qtbot: QtBot, page: LettersPage,
                                                                    ctx: DeskContext, tmp_path: Path) -> None:
    for _ in range(3):
        factories.register(ctx.db, TODAY)
    out = tmp_path / "acks.pdf"
    job = page.print_acknowledgements(TODAY, pdf_printer(out))
    with qtbot.waitSignal(job.done, timeout=60_000):
        pass
    assert job.error is None and job.result == 3
    assert page.model.rowCount() == 3  # the page refreshed itself
    assert len(PdfReader(str(out)).pages) == 3
    assert register.requests_without_acknowledgement(ctx.db, TODAY) == []

    sel = page.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    sel.select(page.model.index(0, 0), flags)
    sel.select(page.model.index(2, 0), flags)
    assert len(page.selected_ids()) == 2
    job = page.print_letters(page.selected_ids(), pdf_printer(tmp_path / "sel.pdf"))
    with qtbot.waitSignal(job.done, timeout=60_000):
        pass
    assert job.result == 2 and len(PdfReader(str(tmp_path / "sel.pdf")).pages) == 2
    page.save_selected(tmp_path / "saved.pdf")
    assert len(PdfReader(str(tmp_path / "saved.pdf")).pages) == 2
    job = page.save_selected_in_background(tmp_path / "saved-off-the-ui-thread.pdf")  # what 另存为 PDF… does
    with qtbot.waitSignal(job.done, timeout=60_000):
        pass
    assert job.error is None and job.result == tmp_path / "saved-off-the-ui-thread.pdf"
    assert len(PdfReader(str(job.result)).pages) == 2


def test_delivery_dialog_records_dispatch_then_signature(qtbot: QtBot, page: LettersPage, ctx: DeskContext) -> None:
    rid = factories.register(ctx.db, date(2026, 11, 2))
    letter = register.issue(ctx.db, compose.compose(ctx.db, rid, "acknowledgement", on_date=date(2026, 11, 2)),
                            "clerk")
    page.refresh()
    row = page.model.rows[0]
    dialog = DeliveryDialog(ctx, row, page)
    qtbot.addWidget(dialog)
    dialog.tracking.setText("1151234567890")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    dialog = DeliveryDialog(ctx, row, page)
    qtbot.addWidget(dialog)
    assert dialog.action.currentData() == "signed"
    dialog.text.setText("张三")
    dialog.save()
    page.refresh()
    assert page.model.rows[0].delivery == f"邮寄送达 1151234567890，{TODAY.isoformat()}签收"
    assert [d.signed_date for d in register.deliveries(ctx.db, letter.id)] == [TODAY]


def test_register_is_read_a_page_at_a_time(qtmodeltester, qtbot: QtBot, page: LettersPage, ctx: DeskContext,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RegisterModel, "PAGE", 2)
    rid = factories.register(ctx.db, date(2026, 11, 2))
    ids = [register.issue(ctx.db, compose.compose(ctx.db, rid, "acknowledgement", on_date=date(2026, 11, d)),
                          "clerk").id for d in (2, 3, 4, 5, 6)]
    page.refresh()
    m = page.model
    assert [r.letter_id for r in m.rows] == ids[:2] and m.canFetchMore(QModelIndex())
    assert page.count.text() == "共 5 件，已显示 2 件" and page.more_button.isVisibleTo(page)
    page.more_button.click()  # 加载更多
    assert [r.letter_id for r in m.rows] == ids[:4] and page.count.text() == "共 5 件，已显示 4 件"
    page.table.scrollToBottom()  # the view fetches the rest by itself as the clerk scrolls
    qtbot.waitUntil(lambda: m.rowCount() == 5)
    assert [r.letter_id for r in m.rows] == ids and not m.canFetchMore(QModelIndex())
    assert page.count.text() == "共 5 件" and not page.more_button.isVisibleTo(page)
    page.refresh()  # starts over from the first page
    assert [r.letter_id for r in m.rows] == ids[:2]

    alone = RegisterModel()
    alone.set_source(lambda after, limit: register.register_rows(ctx.db, after=after, limit=limit))
    qtmodeltester.check(alone)  # fetchMore included


def close_modals(found: list[tuple[str, str]]) -> QTimer:
    """Record and close every modal window that opens (a warning, or a print or file dialog)."""

    def check() -> None:
        box = QApplication.activeModalWidget()
        if box is not None:
            found.append((type(box).__name__, box.text() if isinstance(box, QMessageBox) else box.windowTitle()))
            box.close()

    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(20)
    return timer


def select_all(page: LettersPage) -> None:
    page.table.selectAll()
    assert len(page.selected_ids()) == page.model.rowCount()


def test_a_clerk_may_not_reprint_a_registration_form_and_is_told_why(qtbot: QtBot, page: LettersPage,
                                                                     ctx: DeskContext, tmp_path: Path) -> None:
    """The form carries the full ID and phone: reprint and export need the full-view role (issue 11.17)."""
    rid = factories.register(ctx.db, date(2026, 11, 2))
    register.issue(ctx.db, compose.compose(ctx.db, rid, "acknowledgement", on_date=date(2026, 11, 2)), "clerk")
    register.issue(ctx.db, compose.compose(ctx.db, rid, "registration_form", on_date=date(2026, 11, 2)),
                   "supervisor")
    page.refresh()
    select_all(page)
    views = len(full_views(ctx))
    found: list[tuple[str, str]] = []
    closer = close_modals(found)
    for button in ("printSelected", "saveSelected"):
        qtbot.mouseClick(page.findChild(QPushButton, button), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(found) == 1)
        kind, text = found.pop()
        assert kind == "QMessageBox", "no printer or file may be asked for first"
        assert "“clerk”无权重新打印或导出《政府信息公开申请登记表》" in text and "请由负责人操作" in text
        assert "所选 2 份文书中有 1 份" in text
    # The page's own paths are refused by the core as well, and print or write nothing.
    out = tmp_path / "printed.pdf"
    job = page.print_letters(page.selected_ids(), pdf_printer(out))
    with qtbot.waitSignal(job.done, timeout=60_000):
        pass
    qtbot.waitUntil(lambda: len(found) == 1)  # the job's failure is shown as a warning
    closer.stop()
    assert isinstance(job.error, PermissionDenied) and not out.exists()
    with pytest.raises(PermissionDenied):
        page.save_selected(tmp_path / "saved.pdf")
    assert not (tmp_path / "saved.pdf").exists() and list(tmp_path.glob("*.pdf")) == []
    assert len(full_views(ctx)) == views


def test_a_supervisor_reprints_a_registration_form_and_it_is_audited(qtbot: QtBot, ctx: DeskContext,
                                                                      tmp_path: Path) -> None:
    ctx = DeskContext(db=ctx.db, user="supervisor", today=ctx.today)
    with ctx.db.write() as s:
        settings.update(s, contact_person="李四", contact_phone="0527-84371234")
    rid = factories.register(ctx.db, date(2026, 11, 2))
    form = register.issue(ctx.db, compose.compose(ctx.db, rid, "registration_form", on_date=date(2026, 11, 2)),
                          "supervisor")
    page = LettersPage(ctx)
    qtbot.addWidget(page)
    select_all(page)
    assert page.refuse_reprint("打印", page.selected_ids()) is False
    before = len(full_views(ctx))
    job = page.print_letters(page.selected_ids(), pdf_printer(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(job.done, timeout=60_000):
        pass
    assert job.error is None and job.result == form.page_count
    page.save_selected(tmp_path / "saved.pdf")
    assert "11010519491231002X" in "".join(p.extract_text() for p in PdfReader(str(tmp_path / "saved.pdf")).pages)
    entries = full_views(ctx)[before:]
    assert [(e.user, e.table_name, e.new["letter_id"], e.new["reprint"]) for e in entries] == [
        ("supervisor", "letter:registration_form", form.id, True)] * 2


def full_views(ctx: DeskContext) -> list[AuditEntry]:
    with ctx.db.read() as s:
        return list(s.exec(select(AuditEntry).where(AuditEntry.action == "full_personal_data_export")).all())


def test_the_batch_receipt_dialog_says_what_will_be_issued_and_cancelling_issues_nothing(
        qtbot: QtBot, page: LettersPage, ctx: DeskContext) -> None:
    """The printer dialog opens before anything is issued: it may not say "新签发 3 份" (issue 15.11)."""
    first = factories.register(ctx.db, TODAY)
    register.issue(ctx.db, compose.compose(ctx.db, first, "acknowledgement", on_date=TODAY), "clerk")
    for _ in range(3):
        factories.register(ctx.db, TODAY)
    found: list[tuple[str, str]] = []
    closer = close_modals(found)
    qtbot.mouseClick(page.findChild(QPushButton, "printAcknowledgements"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(found) == 1)
    closer.stop()
    kind, title = found[0]
    assert kind == "QPrintDialog"
    assert title == "打印今日接收回执（将签发 3 份，连同已签发的 1 份共打印 4 份）"
    assert "新签发" not in title
    assert len(register.requests_without_acknowledgement(ctx.db, TODAY)) == 3  # cancelled: nothing issued
    assert len(register.acknowledgements_of(ctx.db, TODAY)) == 1
