"""Issue 15.8: every window fits a 1024×768 screen, and at 1024 px the numbers that matter stay readable.

The GUI tests run on one offscreen screen of 1024×768 (``qapp_args`` in conftest.py). "Fits" is
1024×740: what a taskbar leaves. "Readable" is measured with the widget's own font metrics: a
number is never cut off or replaced by "…".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QApplication, QListWidget, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from request_desk.core.cases import case_file, remedies
from request_desk.core.cases.workflow import Action
from request_desk.core.letters import compose, register
from request_desk.core.office import settings, units
from request_desk.core.vocab import RemedyKind, UnitLevel
from request_desk.gui.app import create_application
from request_desk.gui.case_area import CaseArea
from request_desk.gui.case_view import CaseWindow
from request_desk.gui.context import DeskContext
from request_desk.gui.dialogs.actions import ActionDialog, RemedyDialog, RemedyResultDialog
from request_desk.gui.dialogs.call import CallDialog
from request_desk.gui.dialogs.correction import CorrectionDialog
from request_desk.gui.dialogs.letter import LetterDialog
from request_desk.gui.dialogs.registration import RegistrationDialog
from request_desk.gui.dialogs.setup_assistant import SetupAssistant
from request_desk.gui.dialogs.sign_in import ChangePasswordDialog, LockDialog, SignInDialog
from request_desk.gui.main_window import MainWindow
from request_desk.gui.models.request_table import COLUMN_INDEX
from request_desk.gui.pages.annual_tab import AnnualTab
from request_desk.gui.pages.backup_panel import RecoveryDialog
from request_desk.gui.pages.dashboard import DashboardPage
from request_desk.gui.pages.letters import DeliveryDialog, LettersPage
from request_desk.gui.pages.reports import ReportsPage
from request_desk.gui.pages.requests import RequestsPage
from request_desk.gui.pages.units import UnitDialog
from request_desk.gui.pages.users_panel import UserDialog
from tests import factories
from tests.support.gui import case_window

FITS = QSize(1024, 740)
WAIT = 10_000


@pytest.fixture(autouse=True)
def _office_screen() -> None:
    if QGuiApplication.primaryScreen().availableGeometry().size() != QSize(1024, 768):
        pytest.skip("needs the 1024×768 offscreen screen of tests/gui/conftest.py")
    # Measured with the fonts the desk itself uses (its bundled Chinese font where the PC has none):
    # the test's default font is smaller, and a window once fitted here and not on an office PC.
    create_application()


def too_big(window: QWidget) -> list[str]:
    """Shown as it opens, what of the window or its smallest layout does not fit the screen (empty: it fits)."""
    window.show()
    QApplication.processEvents()
    name = type(window).__name__
    return [f"{name} {what} {size.width()}×{size.height()}"
            for what, size in (("size", window.size()), ("minimumSizeHint", window.minimumSizeHint()))
            if size.width() > FITS.width() or size.height() > FITS.height()]


def replied(ctx: DeskContext) -> int:
    """A case answered and past its reply: every dialog of the case view can open on it."""
    return factories.replied(ctx.db, "1", received=date(2026, 11, 2), on=date(2026, 11, 20))


def test_the_main_window_fits_with_every_page(qtbot: QtBot, ctx: DeskContext) -> None:
    window = MainWindow(ctx)  # no remembered geometry: it opens at its default, bounded by the screen
    qtbot.addWidget(window)
    assert too_big(window) == []
    for key in window.pages:
        window.show_page(key)
        assert too_big(window) == []


def test_the_case_area_fits(qtbot: QtBot, ctx: DeskContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.open_request(replied(ctx))
    area = CaseArea.existing(ctx)
    assert area is not None
    assert too_big(area) == []




@pytest.mark.parametrize("action", list(Action), ids=[a.value for a in Action])
def test_every_step_form_fits(qtbot: QtBot, ctx: DeskContext, action: Action) -> None:
    rid = factories.register(ctx.db, date(2026, 11, 2))
    dialog = ActionDialog(ctx, case_file.load_case(ctx.db, rid, ctx.today()), action)
    qtbot.addWidget(dialog)
    assert too_big(dialog) == []


OPENERS: dict[str, Callable[[CaseWindow], QWidget | None]] = {
    "letter": lambda p: p.compose_letter(),
    "call": lambda p: p.log_call(),
    "remedy": lambda p: p.add_remedy(),
    "explanation": lambda p: p.show_explanation(),
    "correction": lambda p: p.correct_record(),
}


@pytest.mark.parametrize("opener", list(OPENERS))
def test_the_case_views_other_dialogs_fit(qtbot: QtBot, ctx: DeskContext, opener: str) -> None:
    panel = case_window(qtbot, ctx, replied(ctx))
    dialog = OPENERS[opener](panel)
    assert dialog is not None
    assert too_big(dialog) == []
    assert isinstance(dialog, (LetterDialog, CallDialog, RemedyDialog, CorrectionDialog)) or opener == "explanation"


def test_the_remedy_result_and_the_desks_own_dialogs_fit(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = replied(ctx)
    remedies.add_remedy(ctx.db, rid, "clerk", RemedyKind.RECONSIDERATION, date(2026, 11, 25), today=ctx.today())
    remedy = case_file.load_case(ctx.db, rid, ctx.today()).remedies[0]
    with ctx.db.write() as session:  # a letter may be issued only with the office's contact
        settings.update(session, contact_person="李四", contact_phone="0527-84371234")
    letters = LettersPage(ctx)
    qtbot.addWidget(letters)
    register.issue(ctx.db, compose.compose(ctx.db, rid, "acknowledgement", on_date=date(2026, 11, 2)), "clerk")
    letters.refresh()
    unit = units.add_unit(ctx.db, units.UnitData("市住房和城乡建设局", UnitLevel.DEPARTMENT), actor="supervisor")
    dialogs: list[QWidget] = [
        RemedyResultDialog(ctx, remedy),
        RegistrationDialog(ctx),
        UnitDialog(ctx, units.list_units(ctx.db), unit),
        UserDialog(lambda _dialog: None),
        DeliveryDialog(ctx, letters.model.rows[0], letters),
        RecoveryDialog("数据库文件已损坏", None),
        SetupAssistant(ctx),
        SignInDialog(ctx.db, "clerk"),
        ChangePasswordDialog(ctx.db, "clerk"),
        LockDialog(ctx.db, "clerk"),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        assert too_big(dialog) == []


# -- readable at 1024 px --------------------------------------------------------------


def desk_at_1024(qtbot: QtBot, ctx: DeskContext) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.width() >= 1000  # opened as wide as the screen allows, not wider
    return window


def several_cases(ctx: DeskContext) -> list[int]:
    """Cases in the states the lists show: overdue, due soon, running, replied."""
    return [
        factories.register(ctx.db, date(2026, 10, 9)),  # overdue
        factories.register(ctx.db, date(2026, 10, 30)),  # due soon
        factories.register(ctx.db, date(2026, 11, 20)),
        replied(ctx),
    ]


def fits_in_cell(metrics: QFontMetrics, text: str, width: int) -> bool:
    return metrics.horizontalAdvance(text) + 2 * 3 <= width  # the cell's own margins


def test_the_dashboard_shows_every_count_and_whole_lines(qtbot: QtBot, ctx: DeskContext) -> None:
    several_cases(ctx)
    window = desk_at_1024(qtbot, ctx)
    page = window.show_page("dashboard")
    assert isinstance(page, DashboardPage)
    QApplication.processEvents()
    cards = [*page.cards.values(), page.calls_card, page.consultations_card]
    for card in cards:
        count = card.count
        assert count.width() >= count.fontMetrics().horizontalAdvance(count.text()), card.objectName()
        assert card.rect().contains(count.geometry()), card.objectName()
    lines = 0
    for card in page.cards.values():
        listing: QListWidget = card.list
        for row in range(listing.count()):
            item = listing.item(row)
            if not item.flags() & Qt.ItemFlag.ItemIsEnabled:
                continue  # "无"
            rect = listing.visualItemRect(item)
            seen = min(rect.width(), listing.viewport().width() - rect.left())  # no scrollbar: the rest is hidden
            needed = listing.fontMetrics().boundingRect(QRect(0, 0, seen, 10_000),
                                                        int(Qt.TextFlag.TextWordWrap), item.text())
            assert needed.height() <= rect.height(), f"{item.text()!r} cut off in {card.objectName()}"
            lines += 1
    assert lines >= 2  # the overdue and the due-soon lines were looked at


def test_the_register_shows_number_applicant_and_deadline_without_scrolling(qtbot: QtBot,
                                                                            ctx: DeskContext) -> None:
    several_cases(ctx)
    window = desk_at_1024(qtbot, ctx)
    page = window.show_page("requests")
    assert isinstance(page, RequestsPage)
    QApplication.processEvents()
    view, header = page.view, page.view.horizontalHeader()
    metrics = view.fontMetrics()
    for key in ("reg_number", "applicant", "due"):
        column = COLUMN_INDEX[key]
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert right <= view.viewport().width(), f"{key} is scrolled out of sight at 1024 px"
    for row in range(page.model.rowCount()):
        for key in ("reg_number", "due"):  # numbers: never elided (a name may be)
            column = COLUMN_INDEX[key]
            text = page.model.index(row, column).data()
            assert fits_in_cell(metrics, text, header.sectionSize(column)), text
        applicant = COLUMN_INDEX["applicant"]
        assert header.sectionSize(applicant) >= metrics.horizontalAdvance("张三") + 6


def test_the_annual_table_shows_its_row_labels_and_numbers_whole(qtbot: QtBot, ctx: DeskContext) -> None:
    several_cases(ctx)
    window = desk_at_1024(qtbot, ctx)
    page = window.show_page("reports")
    assert isinstance(page, ReportsPage)
    page.tabs.setCurrentWidget(page.annual)
    tab: AnnualTab = page.annual
    with qtbot.waitSignal(tab.computed, timeout=WAIT):
        tab.compute()
    QApplication.processEvents()
    table: QTableWidget = tab.table
    metrics = table.fontMetrics()
    label_width = table.columnWidth(0)
    assert label_width >= metrics.horizontalAdvance("（一）予以公开")
    for row in range(table.rowCount()):
        label = table.item(row, 0)
        needed = metrics.boundingRect(QRect(0, 0, label_width - 8, 10_000), int(Qt.TextFlag.TextWordWrap),
                                      label.text())
        assert needed.height() <= table.rowHeight(row), f"row label {label.text()!r} cut off"
        for column in range(1, table.columnCount()):
            cell = table.item(row, column)
            if cell is not None and cell.text():
                assert fits_in_cell(metrics, cell.text(), table.columnWidth(column)), cell.text()
    last = table.columnCount() - 1
    assert table.horizontalHeader().sectionViewportPosition(last) + table.columnWidth(last) \
        <= table.viewport().width(), "the 总计 column is scrolled out of sight"
    assert table.selectionMode() == QAbstractItemView.SelectionMode.SingleSelection


@pytest.fixture
def large_font(qapp: QApplication) -> Iterator[None]:
    """A PC set to larger text (12 pt instead of 9)."""
    normal = qapp.font()
    large = QFont(normal)
    large.setPointSizeF(12)
    qapp.setFont(large)
    yield
    qapp.setFont(normal)


@pytest.mark.usefixtures("large_font")
def test_with_larger_text_the_register_widens_its_number_columns(qtbot: QtBot, ctx: DeskContext) -> None:
    several_cases(ctx)
    page = RequestsPage(ctx)
    qtbot.addWidget(page)
    header, metrics = page.view.horizontalHeader(), page.view.fontMetrics()
    for row in range(page.model.rowCount()):
        for key in ("reg_number", "due"):
            column = COLUMN_INDEX[key]
            text = page.model.index(row, column).data()
            assert fits_in_cell(metrics, text, header.sectionSize(column)), text
