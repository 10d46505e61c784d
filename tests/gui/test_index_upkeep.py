"""The similar-requests index is rebuilt in the background when the desk starts after the word lists changed."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from request_desk.core.office import file_change
from request_desk.core.publication import similarity_index
from request_desk.gui.context import DeskContext
from request_desk.gui.index_upkeep import IndexUpkeep
from request_desk.gui.main_window import MainWindow
from tests import factories


def test_a_changed_word_list_is_indexed_off_the_ui_thread(qtbot: QtBot, ctx: DeskContext) -> None:
    factories.registered(ctx.db, date(2026, 3, 2), description="市妇保院2025年部门预算")
    similarity_index.ensure_indexed(ctx.db)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert IndexUpkeep(window).start() is None  # built with today's lists: nothing to do
    file_change.set_file(ctx.db, "supervisor", "similarity/synonyms.csv",
                         "written,normal,comment\n妇保院,妇幼保健院,本地简称\n")
    upkeep = IndexUpkeep(window)
    job = upkeep.start()
    assert job is not None
    with qtbot.waitSignal(job.done, timeout=20_000):
        pass
    assert not similarity_index.rebuild_needed(ctx.db)
    assert "相似申请索引已按新的词表更新（1 件）" in window.statusBar().currentMessage()
