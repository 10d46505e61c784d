"""设置 → 备份与恢复, the automatic backups, and the damaged-database offer at start-up."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from request_desk.core import cases
from request_desk.core.storage import backup
from request_desk.core.storage.db import Database
from request_desk.gui.context import DeskContext
from request_desk.gui.pages import backup_panel
from request_desk.gui.pages.backup_panel import AutoBackup, BackupPanel, RecoveryDialog
from tests import factories
from tests.factories import TODAY
from tests.support import server

pytestmark = server.sqlite_only("the backups of the SQLite file; the server's are in test_server_backup.py")


@pytest.fixture
def ctx(db: Database) -> DeskContext:
    # Backups are an administrator's; the template office has none, so its supervisor stands in.
    return DeskContext(db=db, user="supervisor", today=lambda: TODAY)


def test_back_up_now_lists_the_verified_backup(qtbot: QtBot, ctx: DeskContext) -> None:
    panel = BackupPanel(ctx)
    qtbot.addWidget(panel)
    assert panel.table.rowCount() == 0
    panel.backup_now.click()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1)
    assert "校验通过" in panel.status.text() and panel.table.item(0, 1).text() == "手动备份"
    assert backup.verify(panel.backups[0].path).requests == 0


def test_restore_asks_first_then_restores_and_refreshes_every_page(qtbot: QtBot, ctx: DeskContext, db_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    factories.register(ctx.db, applicant_name="张三")
    backup.make_backup(db_path)
    factories.register(ctx.db, applicant_name="李四")
    panel = BackupPanel(ctx)
    qtbot.addWidget(panel)
    panel.table.selectRow(0)
    monkeypatch.setattr(BackupPanel, "confirm", staticmethod(lambda parent, source: False))
    panel.restore_selection()
    assert cases.get(ctx.db, 2).applicant_name == "李四"  # declined: nothing changed
    monkeypatch.setattr(BackupPanel, "confirm", staticmethod(lambda parent, source: True))
    with qtbot.waitSignal(ctx.signals.requests_changed):
        panel.restore_selection()
    assert "原数据库已保留在" in panel.status.text()
    assert [b.reason for b in panel.backups] == ["before-restore", "manual"]
    with pytest.raises(Exception, match="找不到"):
        cases.get(ctx.db, 2)


def test_keep_count_is_saved_for_the_office(qtbot: QtBot, ctx: DeskContext) -> None:
    panel = BackupPanel(ctx)
    qtbot.addWidget(panel)
    panel.keep.setValue(4)
    panel.save_policy()
    assert backup.policy_of(ctx.db).keep == 4


def test_automatic_backup_at_start(qtbot: QtBot, ctx: DeskContext, db_path: Path) -> None:
    auto = AutoBackup(ctx)
    with qtbot.waitSignal(auto.finished) as blocker:
        auto.start()
    assert "已自动备份" in blocker.args[0]
    assert [b.reason for b in backup.list_backups(db_path)] == ["startup"]
    auto.check_daily()  # not due again the same day
    assert auto.job is None and len(backup.list_backups(db_path)) == 1
    auto.timer.stop()


def test_damaged_database_at_start_offers_the_newest_good_backup(qtbot: QtBot, db_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database.open(db_path)
    factories.register(db, applicant_name="䶮")
    good = backup.make_backup(db_path).path
    db.close()
    db_path.write_bytes(b"\x00" * 8192)  # the header is gone: SQLite cannot open it at all
    offered: list[object] = []
    monkeypatch.setattr(backup_panel.QMessageBox, "information", lambda *a: None)

    def decline(problem: str, newest: backup.BackupInfo | None, parent: object = None) -> Path | None:
        offered.append((problem, newest))
        return None

    monkeypatch.setattr(RecoveryDialog, "ask", decline)
    assert backup_panel.open_database(db_path, "admin") is None
    problem, newest = offered[0]  # type: ignore[misc]
    assert "已损坏" in problem and newest is not None and newest.path == good
    monkeypatch.setattr(RecoveryDialog, "ask", lambda problem, newest, parent=None: newest.path)
    reopened = backup_panel.open_database(db_path, "admin")
    assert reopened is not None
    try:
        assert cases.get(reopened, 1).applicant_name == "䶮"
    finally:
        reopened.close()


def test_recovery_dialog_names_the_backup(qtbot: QtBot, db_path: Path) -> None:
    info = backup.make_backup(db_path)
    dialog = RecoveryDialog("数据库文件已损坏", info)
    qtbot.addWidget(dialog)
    texts = " ".join(w.text() for w in dialog.findChildren(backup_panel.QLabel))
    assert str(info.path) in texts and "保留一份" in texts


def test_the_panel_refuses_the_database_and_replaces_a_file_the_user_confirmed(
        qtbot: QtBot, ctx: DeskContext, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    panel = BackupPanel(ctx)
    qtbot.addWidget(panel)
    monkeypatch.setattr(BackupPanel, "ask_target", staticmethod(lambda parent, db: db))
    before = db_path.read_bytes()
    panel.choose_target()
    assert "正在使用的数据库" in panel.status.text() and db_path.read_bytes() == before
    chosen = tmp_path / "U盘" / "备份.sqlite3"
    chosen.parent.mkdir()
    chosen.write_bytes(b"old")  # Qt's save dialog asked before returning an existing name
    monkeypatch.setattr(BackupPanel, "ask_target", staticmethod(lambda parent, db: chosen))
    panel.choose_target()
    qtbot.waitUntil(lambda: "校验通过" in panel.status.text(), timeout=10_000)
    assert backup.is_good(chosen)


def test_the_backup_list_shows_the_start_up_backup_made_after_it_opened(qtbot: QtBot, ctx: DeskContext) -> None:
    panel = BackupPanel(ctx)  # the settings page is built before the start-up backup is written
    qtbot.addWidget(panel)
    assert panel.table.rowCount() == 0
    auto = AutoBackup(ctx)
    with qtbot.waitSignal(auto.finished):
        auto.start()
    auto.timer.stop()
    assert panel.table.rowCount() == 1
