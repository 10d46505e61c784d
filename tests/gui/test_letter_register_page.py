"""发文登记 page: the register model, batch printing of today's acknowledgements, delivery."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from request_desk.core import cases, settings
from request_desk.core.letters import compose, register
from request_desk.gui.context import DeskContext
from request_desk.gui.pages.letters import DeliveryDialog, LettersPage, RegisterModel
from tests.conftest import person_request

TODAY = date(2026, 11, 27)


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
    rid = cases.register(ctx.db, person_request(date(2026, 11, 2)), "clerk", today=TODAY).id
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
    assert m.data(m.index(0, 0), Qt.ItemDataRole.ForegroundRole) is not None  # greyed out


def test_todays_acknowledgements_are_issued_and_printed_as_one_job(qtbot: QtBot, page: LettersPage,
                                                                    ctx: DeskContext, tmp_path: Path) -> None:
    for _ in range(3):
        cases.register(ctx.db, person_request(TODAY), "clerk", today=TODAY)
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


def test_delivery_dialog_records_dispatch_then_signature(qtbot: QtBot, page: LettersPage, ctx: DeskContext) -> None:
    rid = cases.register(ctx.db, person_request(date(2026, 11, 2)), "clerk", today=TODAY).id
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
    rid = cases.register(ctx.db, person_request(date(2026, 11, 2)), "clerk", today=TODAY).id
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
