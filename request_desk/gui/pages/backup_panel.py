"""备份与恢复: the backup list, back up now, restore with confirmation; automatic backups.

``BackupPanel`` is a tab of the settings page. ``AutoBackup`` makes the backup
on every start and at most one a day while the desk stays open, in the
background. On a desk of the office server the panel makes and restores
``pg_dump`` files on this PC (``core.storage.server_backup``) and says that
the server's own backups are the primary ones; there are no automatic
backups. ``open_database`` is how ``app.run`` opens the file: a damaged
database is explained and the newest good backup offered (``RecoveryDialog``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from request_desk.core.errors import DatabaseUnusable, DeskError
from request_desk.core.office import permissions, safekeeping
from request_desk.core.storage import backup, restore, server_backup
from request_desk.core.storage.db import Database
from request_desk.gui.context import DeskContext
from request_desk.gui.widgets.file_dialogs import ask_save
from request_desk.gui.workers import BackgroundJob, run_in_background

log = logging.getLogger("request_desk.backup")

CHECK_EVERY_MS = 60 * 60 * 1000  # look once an hour whether the daily backup is due

ON_FILE = ("每次启动时及运行期间每天自动备份一次；每份备份写入后都会校验。"
           "恢复前，当前数据库会先保留一份副本。")
ON_SERVER = ("数据库在办公室的服务器上。服务器上的记录主要由服务器自己的备份保护：请信息技术人员定期用 "
             "pg_dump 或 pg_basebackup 备份服务器，并妥善保存、定期演练恢复。"
             "办理台不在启动时自动备份服务器（每台电脑各存一份既不完整也难以管理）。\n"
             "“立即备份”用 pg_dump 把服务器上的数据库导出一份到本机，作为补充（例如重大变更之前），"
             "每份都会在服务器上的临时数据库中还原校验。从备份恢复时，当前内容先导出保留一份；"
             "恢复前请让其他办理台关闭，恢复后再打开。")
_FILTER = {False: "数据库备份 (*.sqlite3);;所有文件 (*)", True: "PostgreSQL 备份 (*.dump);;所有文件 (*)"}


def db_path_of(ctx: DeskContext) -> Path:
    """The database file of a desk on SQLite (a desk on the server has no file: ``ctx.db.on_server``)."""
    location = ctx.db.location
    return location if isinstance(location, Path) else Path()


def _notify_changed(ctx: DeskContext) -> None:
    ctx.signals.requests_changed.emit()
    ctx.signals.units_changed.emit()
    ctx.signals.settings_changed.emit()


class RecoveryDialog(QDialog):
    """The database is damaged: what happened, and the newest good backup to restore."""

    RESTORE, CHOOSE = 1, 2

    def __init__(self, problem: str, good: backup.BackupInfo | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("数据库已损坏")
        self.good = good
        self.choice = 0
        text = QLabel(problem + "\n\n" + (
            f"最新的完好备份：{good.created:%Y-%m-%d %H:%M}（{good.label}），\n{good.path}\n\n"
            "恢复后，该备份之后录入的内容需要重新录入。当前的损坏文件会先原样保留一份，不会被删除。"
            if good else "没有找到可用的备份。请选择一个备份文件，或退出并联系信息技术人员。"))
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox()
        if good is not None:
            restore = buttons.addButton("从此备份恢复", QDialogButtonBox.ButtonRole.AcceptRole)
            restore.clicked.connect(lambda: self._done(self.RESTORE))
        choose = buttons.addButton("选择其他备份…", QDialogButtonBox.ButtonRole.ActionRole)
        choose.clicked.connect(lambda: self._done(self.CHOOSE))
        buttons.addButton("退出", QDialogButtonBox.ButtonRole.RejectRole).clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)

    def _done(self, choice: int) -> None:
        self.choice = choice
        self.accept()

    @classmethod
    def ask(cls, problem: str, good: backup.BackupInfo | None, parent: QWidget | None = None) -> Path | None:
        """The backup file the user chose to restore, or None to give up."""
        dialog = cls(problem, good, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        if dialog.choice == cls.RESTORE and good is not None:
            return good.path
        name, _ = QFileDialog.getOpenFileName(parent, "选择备份文件", str(good.path.parent if good else ""),
                                              "数据库备份 (*.sqlite3);;所有文件 (*)")
        return Path(name) if name else None


def open_database(path: Path | str, user: str, parent: QWidget | None = None) -> Database | None:
    """Open the database; if it is damaged or empty, explain and offer the newest good backup."""
    if not isinstance(path, Path):  # the office server: its own backups restore it, not this desk
        try:
            return Database.open(path, check=True)
        except DeskError as exc:
            QMessageBox.critical(parent, "无法打开数据库", str(exc))
            return None
    backup.clean_stale_partials(path)
    try:
        return Database.open(path, check=True)
    except DatabaseUnusable as exc:
        problem = backup.diagnose(path)
        if problem is None:
            QMessageBox.critical(parent, "无法打开数据库", str(exc))
            return None
        if not recover(path, problem, user, parent):
            return None
        return Database.open(path)
    except DeskError as exc:
        QMessageBox.critical(parent, "无法打开数据库", str(exc))
        return None


def recover(path: Path, problem: str, user: str, parent: QWidget | None = None) -> bool:
    """Ask, then restore the chosen backup over the damaged file (kept aside first)."""
    log.error("damaged database %s: %s", path, problem)
    chosen = RecoveryDialog.ask(problem, backup.newest_good_backup(path), parent)
    if chosen is None:
        return False
    try:
        # Nobody can sign in to a damaged database: the audit entry keeps the name only as a claim.
        result = restore.restore(chosen, path, claimed_by=user)
    except DeskError as exc:
        QMessageBox.critical(parent, "恢复失败", str(exc))
        return False
    QMessageBox.information(parent, "已恢复", f"已从 {result.restored_from.name} 恢复数据库。"
                            + (f"\n损坏的原文件保留在 {result.kept_aside}。" if result.kept_aside else ""))
    return True


class AutoBackup(QObject):
    """A backup on every start, then at most one a day while the desk stays open."""

    finished = Signal(str)  # a one-line message for the status bar

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.parent_widget = parent
        self.path = db_path_of(ctx)
        self.job: BackgroundJob | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check_daily)

    def start(self) -> None:
        if self.ctx.db.on_server:
            return  # the server's own backup regime keeps an office server's records
        self.run("startup")
        self.timer.start()

    def check_daily(self) -> None:
        if self.job is None and backup.backup_due(self.path):
            self.run("daily")

    def run(self, reason: str) -> None:
        policy = backup.policy_of(self.ctx.db)
        self.job = run_in_background(
            self.parent_widget, "自动备份",
            lambda: backup.backup_job(self.path, reason=reason, policy=policy),
            self._succeeded, self._failed, cancellable=False,
        )

    def _succeeded(self, info: backup.BackupInfo) -> None:
        self.job = None
        log.info("backup written: %s", info.path)
        self.ctx.signals.backups_changed.emit()
        self.finished.emit(f"已自动备份：{info.path.name}")

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        log.error("automatic backup failed: %s", exc)
        problem = backup.diagnose(self.path)
        if problem is not None:  # the backup failed because the database itself is damaged
            if recover(self.path, problem, self.ctx.user, self.parent_widget):
                self.ctx.db.migrate()
                _notify_changed(self.ctx)
            return
        self.finished.emit(f"自动备份失败：{exc}")


class BackupPanel(QWidget):
    """设置 → 备份与恢复."""

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.path = db_path_of(ctx)
        self.on_server = ctx.db.on_server
        self.location: Path | str = ctx.db.location  # the file, or the server's URL
        if isinstance(self.location, str):  # a file desk cleans up at start (``open_database``)
            server_backup.clean_stale_partials(self.location)
        self.job: BackgroundJob | None = None
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["备份时间", "类型", "文件"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.backup_now = QPushButton("立即备份")
        self.backup_now.clicked.connect(lambda: self.make_backup())
        self.backup_to_file = QPushButton("备份到文件…")
        self.backup_to_file.setToolTip("把备份另存到U盘或其他文件夹")
        self.backup_to_file.clicked.connect(self.choose_target)
        self.restore_selected = QPushButton("从所选备份恢复…")
        self.restore_selected.clicked.connect(self.restore_selection)
        self.restore_file = QPushButton("从文件恢复…")
        self.restore_file.clicked.connect(self.choose_file)
        self.keep = QSpinBox()
        self.keep.setRange(1, 1000)
        self.keep.setValue(backup.policy_of(ctx.db).keep)
        self.keep.setToolTip("自动和手动备份保留的份数（另外每天保留一份，最多 7 天）")
        self.keep.editingFinished.connect(self.save_policy)
        self.status = QLabel()
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(f"备份文件夹：{self.folder()}"), 1)
        top.addWidget(QLabel("保留份数"))
        top.addWidget(self.keep)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_now)
        buttons.addWidget(self.backup_to_file)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_selected)
        buttons.addWidget(self.restore_file)
        layout = QVBoxLayout(self)
        self.intro = QLabel(ON_SERVER if self.on_server else ON_FILE)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        ctx.signals.backups_changed.connect(self.refresh)  # the start-up backup finishes after the page is built
        ctx.signals.users_changed.connect(self.check_role)
        self.refresh()
        self.check_role()

    def check_role(self) -> None:
        """Grey out what only an administrator may do, saying so (the core refuses it anyway)."""
        may_back_up = permissions.user_may(self.ctx.db, self.ctx.user, permissions.Permission.MAKE_BACKUP)
        may_restore = permissions.user_may(self.ctx.db, self.ctx.user, permissions.Permission.RESTORE_BACKUP)
        for button, may in ((self.backup_now, may_back_up), (self.backup_to_file, may_back_up),
                            (self.keep, may_back_up), (self.restore_selected, may_restore),
                            (self.restore_file, may_restore)):
            button.setEnabled(may)
            if not may:
                button.setToolTip("只有管理员可以操作备份和恢复。")

    def folder(self) -> Path:
        """Where this desk's backups are: beside the database file, or in this PC's folder for the server."""
        if isinstance(self.location, str):
            return server_backup.backup_dir(self.location)
        return backup.backup_dir(self.path)

    def refresh(self) -> None:
        if isinstance(self.location, str):
            self.backups = server_backup.list_backups(self.location)
        else:
            self.backups = backup.list_backups(self.path)
        self.table.setRowCount(len(self.backups))
        for i, info in enumerate(self.backups):
            self.table.setItem(i, 0, QTableWidgetItem(f"{info.created:%Y-%m-%d %H:%M:%S}"))
            self.table.setItem(i, 1, QTableWidgetItem(info.label))
            self.table.setItem(i, 2, QTableWidgetItem(info.path.name))
        self.table.resizeColumnsToContents()  # the full time, not "2026-12-01 …"

    def _say(self, text: str, ok: bool = True) -> None:
        self.status.setStyleSheet("" if ok else "color: #b3261e")
        self.status.setText(text)

    def save_policy(self) -> None:
        try:
            safekeeping.set_keep(self.ctx.db, self.keep.value(), self.ctx.user)
        except DeskError as exc:
            self._say(str(exc), ok=False)

    def make_backup(self, target: Path | None = None) -> None:
        """Back up to the backup folder, or to ``target`` (already confirmed if it exists)."""
        self.backup_now.setEnabled(False)
        self.backup_to_file.setEnabled(False)
        self._say("正在备份…")
        policy = backup.policy_of(self.ctx.db)

        def finish() -> None:
            self.check_role()

        def done(info: backup.BackupInfo) -> None:
            finish()
            self._say(f"已备份并校验通过：{info.path}")
            self.refresh()

        def failed(exc: BaseException) -> None:
            finish()
            self._say(str(exc), ok=False)

        self.job = run_in_background(
            self, "备份数据库",
            lambda: safekeeping.backup_job(self.location, self.ctx.user, policy=policy, target=target,
                                           overwrite=True),
            done, failed, cancellable=False)

    def choose_target(self) -> None:
        target = self.ask_target(self, self.location)
        if target is None:
            return
        try:  # the database itself, a rotated backup or a folder: refused before any work
            if isinstance(self.location, str):
                server_backup.check_target(self.location, target, overwrite=True)
            else:
                backup.check_target(self.path, target, overwrite=True)
        except DeskError as exc:
            self._say(str(exc), ok=False)
            return
        self.make_backup(target)

    @staticmethod
    def ask_target(parent: QWidget, db_path: Path | str) -> Path | None:
        """The file to back up to; Qt's save dialog asks before an existing file is replaced (tests replace this)."""
        if isinstance(db_path, str):
            suggested = f"{server_backup.stem(db_path)}-备份{server_backup.DUMP_SUFFIX}"
        else:
            suggested = f"{db_path.stem}-备份.sqlite3"
        name = ask_save(parent, "备份到文件", suggested, _FILTER[isinstance(db_path, str)])
        return Path(name) if name else None

    def selected(self) -> backup.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def restore_selection(self) -> None:
        info = self.selected()
        if info is None:
            self._say("请先在列表中选择一份备份。", ok=False)
            return
        self.restore(info.path)

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择备份文件", str(self.folder()), _FILTER[self.on_server])
        if name:
            self.restore(Path(name))

    @staticmethod
    def confirm(parent: QWidget, source: Path) -> bool:
        """Ask before restoring (tests replace this)."""
        on_server = isinstance(parent, BackupPanel) and parent.on_server
        others = ("恢复会替换服务器上的数据库，所有办理台都受影响：请先让其他办理台关闭，恢复完成后再打开。"
                  if on_server else "其他办理台会在刷新后看到恢复后的内容。")
        answer = QMessageBox.question(
            parent, "恢复数据库",
            f"用备份 {source.name} 替换当前数据库的全部内容？\n\n该备份之后录入的内容将不再显示；"
            f"当前数据库会先完整保留一份副本。{others}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def restore(self, source: Path) -> None:
        """Restore in the background: copying and re-indexing a large office's file takes a while."""
        if not self.confirm(self, source):
            return
        self.restore_selected.setEnabled(False)
        self.restore_file.setEnabled(False)
        self._say("正在恢复…其他办理台此时的保存会等待，恢复完成后即可继续。")

        def finish() -> None:
            self.check_role()

        def done(result: restore.RestoreResult) -> None:
            finish()
            aside = f"原数据库已保留在 {result.kept_aside}。" if result.kept_aside else ""
            carried = (f"该备份之后的 {result.carried_audit_entries} 条审计记录已转入。"
                       if result.carried_audit_entries else "")
            self._say(f"已从 {source.name} 恢复。{aside}{carried}")
            self.refresh()
            _notify_changed(self.ctx)

        def failed(exc: BaseException) -> None:
            finish()
            self._say(str(exc), ok=False)

        self.job = run_in_background(self, "恢复数据库",
                                     lambda: safekeeping.restore_job(source, self.location, self.ctx.user),
                                     done, failed, cancellable=False)
