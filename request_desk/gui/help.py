"""F1: the page of the user guide (使用指南, docs/guide/) for the window in front of the clerk.

One mapping, window or page class → guide page, read along the class's MRO so a
subclass gets its base's page. The main window answers for the page it shows (and
that page's tab); a step's dialog for its step; a window not named here (a message
box, a file dialog) for the window it stands over; anything else gets the guide's
contents page.

F1 is one shortcut per top-level window, added by ``install_help`` the first time a
widget of that window takes the focus or the window becomes active: no window's
constructor needs to know about help, and no Python event filter sits on every
event of the application.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QWindow
from PySide6.QtWidgets import QApplication, QStackedWidget, QTabWidget, QWidget
from shiboken6 import isValid

from request_desk import paths

CONTENTS = "README.md"
HELP_KEY = "help_key"  # the object name of a window's F1 shortcut

# The guide page of each window, dialog, main-window page and tab, by class name.
PAGES: dict[str, str] = {
    # start, sign-in, the office
    "SetupAssistant": "first-start.md",
    "SignInDialog": "first-start.md",
    "ChangePasswordDialog": "first-start.md",
    "LockDialog": "first-start.md",
    "OfficeSettingsForm": "first-start.md",
    "CalendarPanel": "first-start.md",
    # the main window's pages
    "DashboardPage": CONTENTS,
    "RequestsPage": "registration.md",
    "LettersPage": "letters.md",
    "UnitsPage": "routing.md",
    "CallsPage": "calls.md",
    "PublicationPage": "reply.md",
    "MonthlyTab": "monthly-register.md",
    "AnnualTab": "annual-report.md",
    "QualityTab": "annual-report.md",
    "ImportTab": "import.md",
    "UsersPanel": "users.md",
    "AuditPanel": "users.md",
    "BackupPanel": "backup.md",
    "RecoveryDialog": "backup.md",
    "UnitWorkPage": "routing.md",
    # a case and its forms
    "RegistrationDialog": "registration.md",
    "CaseArea": "case.md",
    "CaseWindow": "case.md",
    "CorrectionDialog": "case.md",
    "UndoDialog": "case.md",
    "RemedyDialog": "letters.md",
    "RemedyResultDialog": "letters.md",
    "LetterDialog": "letters.md",
    "DeliveryDialog": "letters.md",
    "ReviewDialog": "letters.md",
    "CommentDialog": "letters.md",
    "CallDialog": "calls.md",
    "UnitDialog": "routing.md",
}

# A step's dialog (ActionDialog), by the step's Action value.
STEP_PAGES: dict[str, str] = {
    "request_supplement": "supplement.md",
    "receive_supplement": "supplement.md",
    "deem_withdrawn_no_supplement": "supplement.md",
    "assign": "routing.md",
    "start_pause": "consultation-fees.md",
    "record_consultation_received": "consultation-fees.md",
    "end_pause": "consultation-fees.md",
    "issue_fee_notice": "consultation-fees.md",
    "record_fee_notice_received": "consultation-fees.md",
    "record_payment": "consultation-fees.md",
    "deem_withdrawn_no_payment": "consultation-fees.md",
    "extend": "extension.md",
    "set_later_date": "extension.md",
    "reply": "reply.md",
    "record_search": "reply.md",
    "withdraw": "case.md",
    "deliver": "letters.md",
    "close": "letters.md",
}


def _own_page(widget: QWidget) -> str | None:
    """The page named for this widget itself (a step's dialog by its step), if any."""
    action = getattr(widget, "action", None)
    if action is not None and str(getattr(action, "value", "")) in STEP_PAGES:
        return STEP_PAGES[action.value]
    for cls in type(widget).__mro__:
        if cls.__name__ in PAGES:
            return PAGES[cls.__name__]
    return None


def _shown_parts(window: QWidget) -> list[QWidget]:
    """What a window with pages shows now: the main window's current tab, then its page."""
    stack = getattr(window, "stack", None)
    page = stack.currentWidget() if isinstance(stack, QStackedWidget) else None
    if page is None:
        return []
    tabs = page if isinstance(page, QTabWidget) else getattr(page, "tabs", None)
    tab = tabs.currentWidget() if isinstance(tabs, QTabWidget) else None
    return [tab, page] if tab is not None else [page]


def page_for(window: QWidget) -> str:
    """The guide page (file name) for ``window``: its shown page's, its own, or its owner's."""
    widget: QWidget | None = window
    while widget is not None:
        for part in (*_shown_parts(widget), widget):
            if (page := _own_page(part)) is not None:
                return page
        owner = widget.parentWidget()
        widget = owner.window() if owner is not None else None
    return CONTENTS


def page_path(page: str) -> Path:
    return paths.guide_dir() / page


def open_help(window: QWidget | None = None) -> QWidget:
    """Show the page for ``window`` (the contents without one) in the guide viewer."""
    from request_desk.gui.widgets.help_viewer import HelpViewer  # noqa: PLC0415  (Qt text machinery, on demand)

    return HelpViewer.show_page(page_path(page_for(window) if window is not None else CONTENTS))


class HelpKeys(QObject):
    """Gives each top-level window its F1 shortcut, once, when it is first used."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        app.focusChanged.connect(lambda _old, new: self.attach(new))
        app.focusWindowChanged.connect(self._window_changed)

    def _window_changed(self, _window: QWindow | None) -> None:
        self.attach(QApplication.activeWindow())

    def attach(self, widget: QWidget | None) -> None:
        if widget is None or not isValid(widget):
            return
        window = widget.window()
        if window.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
            return
        # Marked on the window itself: two F1 shortcuts in one window would be ambiguous, and neither fire.
        if window.findChild(QShortcut, HELP_KEY, Qt.FindChildOption.FindDirectChildrenOnly) is not None:
            return
        key = QShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents), window)
        key.setObjectName(HELP_KEY)
        key.activated.connect(self._pressed)

    def _pressed(self) -> None:
        key = self.sender()
        window = key.parent() if isinstance(key, QShortcut) else None
        if isinstance(window, QWidget):
            open_help(window)


_installed: list[HelpKeys] = []  # once per process, kept alive here


def install_help(app: QApplication) -> HelpKeys:
    if not _installed:
        _installed.append(HelpKeys(app))
    return _installed[0]
