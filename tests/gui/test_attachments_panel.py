"""The case view's 附件 tab: a file added with its kind shows in the table, 打开 hands a checked copy over."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from request_desk import paths
from request_desk.core.cases import attachments
from request_desk.core.vocab import AttachmentKind
from request_desk.gui import view_copies
from request_desk.gui.context import DeskContext
from request_desk.gui.widgets import attachments_panel
from tests import factories
from tests.support.gui import case_window

POSTMARK = b"\xff\xd8\xff\xe0 envelope with postmark 2026-11-02"


def test_a_file_added_in_the_tab_is_listed_and_opens_as_a_checked_copy(
        qtbot: QtBot, ctx: DeskContext, tmp_path: Path) -> None:
    rid = factories.register(ctx.db, date(2026, 11, 2))
    win = case_window(qtbot, ctx, rid)
    panel = win.attachments
    assert win.tabs.tabText(win.tabs.indexOf(panel)) == "附件"
    win.tabs.setCurrentWidget(panel)
    assert panel.table.rowCount() == 0 and not panel.open_button.isEnabled() and panel.add_button.isEnabled()
    source = tmp_path / "信封.jpg"
    source.write_bytes(POSTMARK)
    panel.kind.setCurrentIndex(panel.kind.findData(AttachmentKind.ENVELOPE))
    panel.note.setText("邮戳日期11月2日")
    with qtbot.waitSignal(ctx.signals.requests_changed):
        added = panel.add_file(source)
    assert added is not None and added.sha256 == attachments.list_attachments(ctx.db, rid)[0].sha256
    table = panel.table
    assert [table.item(0, c).text() for c in (0, 1, 2, 3, 5, 6)] == [
        "信封或邮戳", "信封.jpg", "38 字节", "李经办", added.sha256[:12], "邮戳日期11月2日"]
    assert any(e.shown_label == "添加附件" for e in win.case.events)
    opened: list[QUrl] = []
    panel.open_url = opened.append  # type: ignore[assignment]
    table.selectRow(0)
    copy = panel.open_selected()
    assert copy is not None and copy.read_bytes() == POSTMARK
    assert copy.is_relative_to(paths.data_dir()) and opened == [QUrl.fromLocalFile(str(copy))]
    view_copies.remove_view_copies()  # as when the desk closes: no ID copy left in clear
    assert not copy.exists() and not view_copies.view_folder().exists()


def test_a_duplicate_is_refused_with_a_message(qtbot: QtBot, ctx: DeskContext, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    rid = factories.register(ctx.db, date(2026, 11, 2))
    win = case_window(qtbot, ctx, rid)
    source = tmp_path / "scan.pdf"
    source.write_bytes(POSTMARK)
    assert win.attachments.add_file(source) is not None
    warned: list[str] = []
    monkeypatch.setattr(attachments_panel.QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    assert win.attachments.add_file(source) is None
    assert "已有内容相同的附件" in warned[0] and win.attachments.table.rowCount() == 1
