"""Starting the desktop application: QApplication, locale, fonts, crash handling."""

from __future__ import annotations

import getpass
import logging
import sys
import traceback
from importlib import resources
from pathlib import Path
from types import TracebackType

# The desk's own core first, Qt after: once imported, PySide6 reads the source of every module
# imported after it, looking for its own name (its ``__feature__`` import hook). The data layer
# (SQLAlchemy, SQLModel, pydantic: some 300 modules) read that way cost every start about a tenth
# of a second (issue 18); ``users`` brings it in.
from request_desk import logs, paths
from request_desk.core.errors import DeskError
from request_desk.core.office import users
from request_desk.core.office.accounts import SignedIn
from request_desk.core.office.local_files import import_local_files
from request_desk.core.storage.db import Database

# isort: split
from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from request_desk.gui.context import DeskContext
from request_desk.gui.desk_watch import DeskWatch
from request_desk.gui.dialogs.sign_in import SignInDialog, remembered_user
from request_desk.gui.help import install_help
from request_desk.gui.index_upkeep import IndexUpkeep
from request_desk.gui.main_window import MainWindow
from request_desk.gui.view_copies import remove_view_copies
from request_desk.gui.widgets.focus_ring import install_focus_ring

log = logging.getLogger("request_desk.gui")


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setOrganizationName("RequestDesk")
    app.setApplicationName("RequestDesk")
    app.setApplicationDisplayName("依申请公开办理台")
    # Dates in Chinese order and words, whatever the system locale
    # (docs/ARCHITECTURE.md, "Platform notes").
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    install_qt_translations(app)
    install_focus_ring(app)  # every focused control framed (issue 15.6)
    install_help(app)  # F1 in any window: its page of the user guide (docs/guide/)
    bundled = load_bundled_fonts()
    system_cjk = set(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)) - set(bundled)
    if not system_cjk and "Noto Sans SC" in bundled:
        # A PC (or CI box) without any Chinese font: use ours rather than boxes.
        app.setFont(QFont("Noto Sans SC", app.font().pointSize()))
    return app


# Qt's own words (OK/Cancel/Yes/No, file and print dialogs, the text fields' context menu):
# without these catalogues they stay English (docs/ARCHITECTURE.md, "Platform notes").
QT_CATALOGUES = ("qtbase_zh_CN", "qt_zh_CN")


_translators: list[QTranslator] = []  # installed once per process, kept alive here


def install_qt_translations(app: QApplication) -> list[str]:
    """Load Qt's Simplified Chinese catalogues once; returns the files installed."""
    if not _translators:
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name in QT_CATALOGUES:
            translator = QTranslator(app)
            if translator.load(name, folder) and app.installTranslator(translator):
                _translators.append(translator)
            else:
                log.warning("Qt translation %s not found in %s: Qt's own dialogs stay English", name, folder)
    return [t.filePath() for t in _translators]


def load_bundled_fonts() -> list[str]:
    """Register the bundled CJK fonts so Chinese shows on PCs without them."""
    families: list[str] = []
    try:
        folder = resources.files("request_desk.resources") / "fonts"
    except ModuleNotFoundError:
        return families
    if not folder.is_dir():
        return families
    for entry in folder.iterdir():
        if entry.name.lower().endswith((".ttf", ".otf", ".ttc")):
            font_id = QFontDatabase.addApplicationFont(str(entry))
            families += QFontDatabase.applicationFontFamilies(font_id)
    return families


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    details = "".join(traceback.format_exception(kind, value, tb))
    log.critical("unhandled exception\n%s", details)
    if isinstance(value, DeskError):
        QMessageBox.warning(None, "操作未完成", str(value))
        return
    box = QMessageBox(QMessageBox.Icon.Critical, "程序出错", "发生了意外错误。您的数据已保存到上一次成功操作时的状态。"
                      "请将下面的详细信息复制给技术支持人员。")
    box.setDetailedText(details)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()


def _login() -> str:
    try:
        return getpass.getuser()
    except OSError:
        return ""


def name_to_offer(db: Database, user: str) -> str:
    """The user name the sign-in dialog starts with (the password is asked anyway).

    ``user`` (``--user`` / ``REQUEST_DESK_USER``) when given, else the one signed in last on
    this PC, else the system login if it is a user of the desk.
    """
    if user:
        return user
    remembered = remembered_user()
    if remembered:
        return remembered
    login = _login()
    return login if login in {u.username for u in users.list_users(db)} else ""


def _report_shown(app: QApplication, window: MainWindow, db: Database) -> int:
    """Once the event loop has shown the main window: say what is on screen, close it and quit.

    Background work (the start-up backup, the index upkeep) is not started: it would still be
    running when the window closes, and a check of the installed program adds no backups.
    """
    shown: list[bool] = []

    def report() -> None:
        shown.append(window.isVisible())
        catalogues = ", ".join(Path(f).stem for f in install_qt_translations(app)) or "无"
        page = window.nav.currentItem().text()  # the main window always opens on a page
        print(f"主窗口已显示：{window.windowTitle()}（{window.width()}×{window.height()}），"
              f"当前页面：{page}，{window.who.text()}，Qt 中文译文：{catalogues}", flush=True)
        window.close()
        app.quit()

    QTimer.singleShot(0, report)
    try:
        app.exec()
    finally:
        db.close()
    return 0 if shown == [True] else 1


def run(db_path: Path | str | None, user: str, *, smoke_test: bool = False) -> int:
    """The desktop. ``smoke_test`` (``request-desk gui --smoke-test``): ``user`` has already signed
    in on the command line; the main window is shown, reported and closed (packaging/smoke_test.py)."""
    logs.setup()
    app = create_application()
    path = db_path or paths.default_db_path()
    # --- issue 8: a damaged database is explained and the newest good backup offered ---
    # Imported here, not at the top: create_application() (tests, screenshots) need not load
    # the backup machinery.
    from request_desk.gui.pages.backup_panel import AutoBackup, open_database  # noqa: PLC0415

    db = open_database(path, user or _login())  # a damaged file's recovery: nobody can sign in yet
    if db is None:
        return 1
    # --- issue 19: an older desk's own letter templates, fee table and word lists go into the database ---
    import_local_files(db, paths.data_dir())
    sys.excepthook = _excepthook
    # --- issue 16: who works at the desk signs in; a database without users starts as before
    # and its setup assistant makes the administrator, who is then the signed-in user ---
    signed: SignedIn | None = None
    if users.list_users(db) and not smoke_test:
        signed = SignInDialog.ask(db, name_to_offer(db, user))
        if signed is None:  # 退出
            db.close()
            return 0
        user = signed.username
    window = MainWindow(DeskContext(db=db, user=user))
    if signed is not None or smoke_test:
        window.signed_in(user)
    window.show()
    if smoke_test:
        return _report_shown(app, window, db)
    window.offer_setup()  # a new office: the setup assistant (初始设置) over the window
    # --- issue 8: backup on every start, then at most daily while open ---
    auto_backup = AutoBackup(window.ctx, window)
    auto_backup.finished.connect(lambda text: window.statusBar().showMessage(text, 10_000))
    auto_backup.start()
    reindex = IndexUpkeep(window)  # the similar-requests index, when the word lists changed
    QTimer.singleShot(0, reindex.start)
    remove_view_copies()  # what an earlier session left open in a viewer
    watch = DeskWatch(window.ctx, window)  # --- issue 19: other desks' changes appear here ---
    watch.start()
    try:
        return app.exec()
    finally:
        watch.stop()
        remove_view_copies()
        db.close()
