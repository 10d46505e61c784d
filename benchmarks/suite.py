"""The operations of the benchmark suite, each timed on one prepared database.

Everything runs as the desk runs it: the list through ``RequestTableModel``
(the Qt model behind 申请登记簿), cases through ``CaseWindow``, services and
reports through ``core``. Each operation is timed ``repeat`` times after an
untimed setup that makes it do its real work again (a filter is cleared
before it is set, the page cache emptied before a jump), so the worst of the
runs is usually the first, cold one.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks import data, ledger_import
from benchmarks.measure import Replayer, Result, SqlRecorder
from benchmarks.measure import timed as _timed
from request_desk.core import cases
from request_desk.core.cases import NewRequest
from request_desk.core.cases.register_list import RequestFilter, SortKey
from request_desk.core.publication import similarity_index
from request_desk.core.storage.db import Database
from request_desk.core.vocab import ApplicantType, Channel

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

TODAY = data.TODAY
SEARCHES = (("search, 2 characters", "search2", "征收"), ("search, 3 characters", "search3", "网约车"),
            ("search, 6 characters", "search3", "最低生活保障"),
            # Issue 15, point 7: a number also matches the contact keys (migration 0011).
            ("search, last 4 digits of phone/ID", "search3", "1234"),
            ("search, a mobile number, grouped", "search3", "138-0013-8000"))
REGISTER_MONTH = (2026, 10)
ANNUAL_YEAR = 2025
LETTERS_PER_RUN = 10
# ``--only``: run just the operations whose label contains one of these (case-insensitive); empty = all.
ONLY: list[str] = []


def selected(label: str) -> bool:
    return not ONLY or any(part.lower() in label.lower() for part in ONLY)


def timed(label: str, key: str, size: int, fn: Callable[[], object], *, repeat: int,
          recorder: SqlRecorder | None = None, replayer: Replayer | None = None, writes: bool = False,
          setup: Callable[[], object] | None = None, note: str = "") -> Result | None:
    """``measure.timed``, or None (nothing run) for an operation ``--only`` leaves out."""
    if not selected(label):
        return None
    return _timed(label, key, size, fn, repeat=repeat, recorder=recorder, replayer=replayer, writes=writes,
                  setup=setup, note=note)


def child(mode: str, db: Path) -> tuple[float, float | None]:
    """Launch ``benchmarks._gui_child``: seconds until the window is shown, and peak RSS (browse)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "benchmarks._gui_child", mode, str(db), TODAY.isoformat()],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parent.parent)
    assert proc.stdout is not None and proc.stderr is not None
    shown: float | None = None
    rss: float | None = None
    for line in proc.stdout:
        if line.startswith("READY") and shown is None:
            shown = time.perf_counter() - start
        elif line.startswith("PEAK_RSS_MB"):
            rss = float(line.split()[1])
    errors = proc.stderr.read()
    if proc.wait() != 0 or shown is None or (mode == "browse" and rss is None):
        raise RuntimeError(f"benchmarks._gui_child {mode} failed (exit {proc.returncode}):\n{errors}")
    return shown, rss


def startup(db: Path, size: int, repeat: int, empty_median: float | None) -> Result:
    result = Result("startup", "start-up: window shown, dashboard filled (cold process)", size, [])
    if empty_median is None:  # the suite's first start-up: writes the bytecode cache (__main__._environment)
        child("startup", db)
    for _ in range(repeat):
        result.times.append(child("startup", db)[0])
    if empty_median is not None:
        result.note = f"{result.median / empty_median:.2f}× empty db"
    return result


def run_all(size: int, work: Path, repeat: int) -> list[Result]:
    """Every in-process operation at one size (the database file is a fresh copy)."""
    from PySide6.QtWidgets import QApplication, QWidget

    from request_desk.gui.app import create_application
    from request_desk.gui.context import DeskContext
    from request_desk.gui.main_window import MainWindow
    from request_desk.gui.models.request_table import COLUMNS

    create_application()
    db = Database.open(work)
    rec, bare = SqlRecorder(db), Replayer(work)
    ctx = DeskContext(db=db, user=data.CLERK, today=lambda: TODAY)
    out: list[Result] = []

    def add(result: Result | None) -> None:
        if result is None:
            return
        out.append(result)
        print(f"  {result.label:<44} median {result.median * (1 if result.unit != 's' else 1000):10.1f}"
              f"{' ms' if result.unit == 's' else ' ' + result.unit}", file=sys.stderr, flush=True)

    holder: dict[str, QWidget] = {}

    def build_window() -> None:
        w = MainWindow(ctx)
        w.show()
        QApplication.processEvents()
        holder["w"] = w

    def drop_window() -> None:
        if "w" in holder:
            holder.pop("w").close()

    add(timed("main window built and shown (in process)", "window", size, build_window, repeat=repeat,
              recorder=rec, replayer=bare, setup=drop_window))
    drop_window()

    from request_desk.gui.models.request_table import RequestTableModel

    model = RequestTableModel(db, ctx.today)
    count = model.rowCount()

    def first_page() -> None:
        model.refresh()
        model.row_at(0)

    add(timed("list: first page", "page", size, first_page, repeat=repeat, recorder=rec, replayer=bare))
    deep = min(900_000, count - 1) if count > 900_000 else int(count * 0.9)
    add(timed(f"list: jump to row {deep:,}", "page", size, lambda: model.row_at(deep), repeat=repeat,
              recorder=rec, replayer=bare, setup=model.refresh))
    for column, c in enumerate(COLUMNS):
        if c.sort is None or c.sort == SortKey.RECEIVED:
            continue

        def reset_sort() -> None:
            model.sort(COLUMNS.index(next(x for x in COLUMNS if x.sort == SortKey.RECEIVED)), _desc())
            model.row_at(0)

        def sort_by(column: int = column) -> None:
            model.sort(column, _asc())
            model.row_at(0)

        add(timed(f"list: sort by {c.title} ({c.sort.value})", "page", size, sort_by, repeat=repeat,
                  recorder=rec, replayer=bare, setup=reset_sort))
    # Filters and searches are measured with the list sorted by due date, ascending (the
    # order deadlines are worked in, and where the last sort above leaves it).
    due_column = next(i for i, c in enumerate(COLUMNS) if c.sort == SortKey.DUE)
    model.sort(due_column, _asc())
    with db.read() as session:
        unit_id = session.connection().exec_driver_sql(
            "SELECT current_unit_id FROM request WHERE current_unit_id IS NOT NULL "
            "GROUP BY current_unit_id ORDER BY count(*) DESC LIMIT 1").scalar_one()
    filters = [
        ("filter: status 办理中", RequestFilter(statuses=("in_progress",))),
        ("filter: one unit", RequestFilter(unit_id=unit_id)),
        ("filter: received in October 2026", RequestFilter(received_from=date(2026, 10, 1),
                                                            received_to=date(2026, 10, 31))),
        ("filter: outcome group 3 不予公开", RequestFilter(outcome="3")),
        ("filter: overdue", RequestFilter(deadline="overdue")),
        ("filter: due soon", RequestFilter(deadline="due_soon")),
        ("filter: provisional due date", RequestFilter(provisional_only=True)),
        ("filter: status + unit + year", RequestFilter(statuses=("delivered", "closed"), unit_id=unit_id,
                                                       received_from=date(2025, 1, 1), received_to=date(2025, 12, 31))),
    ]
    filters += [(f"{label} “{term}”", RequestFilter(text=term)) for label, _key, term in SEARCHES]
    keys = {f"{label} “{term}”": key for label, key, term in SEARCHES}
    for label, f in filters:
        if not selected(label):
            continue
        def apply(f: RequestFilter = f) -> None:
            model.set_filter(f)
            model.row_at(0)

        add(timed(label, keys.get(label, "page"), size, apply, repeat=repeat, recorder=rec, replayer=bare,
                  setup=lambda: model.set_filter(RequestFilter()), note=""))
        out[-1].note = f"{model.rowCount():,} rows"
    model.set_filter(RequestFilter())

    from request_desk.gui import workers
    from request_desk.gui.case_view import CaseWindow

    long_id = data.long_case_id(db)

    def build_case() -> None:
        holder["case"] = CaseWindow(ctx, long_id)

    def settle() -> None:
        """The similar-requests lookups of the previous run done (they run off the UI thread)."""
        workers.pool().waitForDone()
        QApplication.processEvents()

    def drop_case() -> None:
        if "case" in holder:
            holder.pop("case").deleteLater()
        settle()

    add(timed("open the first case of a session, 50 events (build + refresh)", "case_first", size, build_case,
              repeat=repeat, recorder=rec, replayer=bare, setup=drop_case))
    drop_case()
    # As the desk opens a case while others are open: its tab, in the panel a closed tab left (issue 18).
    other = CaseWindow.open_request(ctx, 1)
    assert other is not None
    area = other.window()

    def close_long_case() -> None:  # its closed tab leaves the panel to reuse (the first time, another case's)
        panel = CaseWindow.window_of(ctx, long_id) or CaseWindow.open_request(ctx, 2)
        area.close_tab(area.tabs.indexOf(panel))  # type: ignore[attr-defined]
        settle()

    add(timed("open a case with 50 events (its widgets reused)", "case", size,
              lambda: CaseWindow.open_request(ctx, long_id), repeat=repeat, recorder=rec, replayer=bare,
              setup=close_long_case))
    area.close()
    QApplication.processEvents()

    form = NewRequest(Channel.ONLINE, TODAY, ApplicantType.NATURAL_PERSON, "张三",
                      "2025年宿城区老旧小区改造项目的资金使用情况", id_number="11010519491231002X", phone="13912345678")
    add(timed("save a new registration", "save", size, lambda: cases.register(db, form, data.CLERK, today=TODAY),
              repeat=repeat, recorder=rec, replayer=bare, writes=True))

    def recompute() -> None:
        with db.write() as session:
            cases.recompute_open_due_dates(session, data.CLERK, TODAY)

    with db.read() as session:
        open_cases = session.connection().exec_driver_sql(
            "SELECT count(*) FROM request WHERE status NOT IN ('replied', 'delivered', 'closed', 'withdrawn', "
            "'deemed_withdrawn')").scalar_one()
    add(timed("recompute the clock of every open case", "clock", size, recompute, repeat=max(1, repeat // 2),
              recorder=rec, replayer=bare, writes=True, note=f"{open_cases:,} open"))

    out += [r for r in reports(db, size, repeat, rec, bare) if r is not None]
    add(letters(db, size, repeat, rec, bare))

    description = "申请公开2025年宿城区老旧小区改造项目的资金使用情况"
    add(timed("similar-request lookup", "similar", size,
              lambda: similarity_index.search(db, description, TODAY), repeat=repeat, recorder=rec, replayer=bare))
    # Last: it adds 100,000 requests to the working copy (issue 14, point 8).
    if selected(f"ledger import: check + write, {ledger_import.LEDGER_ROWS:,} rows"):
        print(f"  ledger import ({ledger_import.LEDGER_ROWS:,} rows) …", file=sys.stderr, flush=True)
        for result in ledger_import.results(db, size):
            add(result)
    bare.close()
    db.close()
    return out


def _asc() -> Qt.SortOrder:
    from PySide6.QtCore import Qt

    return Qt.SortOrder.AscendingOrder


def _desc() -> Qt.SortOrder:
    from PySide6.QtCore import Qt

    return Qt.SortOrder.DescendingOrder


def reports(db: Database, size: int, repeat: int, rec: SqlRecorder, bare: Replayer) -> list[Result | None]:
    from request_desk.core.reports import annual, export, monthly
    from request_desk.core.reports.common import Month

    month = Month(*REGISTER_MONTH)
    with db.read() as session:
        rows = sum(monthly.count(session, s, month) for s in monthly.SECTIONS)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("xlsx", "pdf"):
            target = Path(tmp) / f"register.{fmt}"

            def write(f: str = fmt, t: Path = target) -> object:
                return export.run(export.export_register(db, month, f, t))

            out.append(timed(f"monthly register {month.key} to {fmt.upper()}", "register", size, write,
                             repeat=max(1, repeat // 2), recorder=rec, replayer=bare, note=f"{rows:,} rows"))
    out.append(timed(f"annual report {ANNUAL_YEAR}", "annual", size,
                     lambda: annual.annual_report(db, ANNUAL_YEAR).check(), repeat=repeat, recorder=rec,
                     replayer=bare))
    for r in out:
        if r is not None:
            print(f"  {r.label:<44} median {r.median * 1000:10.1f} ms", file=sys.stderr, flush=True)
    return out


def letters(db: Database, size: int, repeat: int, rec: SqlRecorder, bare: Replayer) -> Result | None:
    """Acknowledgements (接收回执) composed, rendered to PDF, numbered and stored; letters per second."""
    if not selected(f"letters: compose + PDF + issue, {LETTERS_PER_RUN} per run"):
        return None
    from request_desk.core.letters import compose, register
    from request_desk.core.letters.pdf import render_letter
    from request_desk.core.office import settings

    with db.write() as session:
        settings.update(session, contact_person="李四", contact_phone="0527-84371234")
    with db.read() as session:
        ids = list(session.connection().exec_driver_sql(
            "SELECT id FROM request ORDER BY id DESC LIMIT ?", (LETTERS_PER_RUN * repeat,)).scalars())
    with db.read() as session:
        fonts = compose.letter_fonts(settings.load(session))
    warm = compose.compose(db, ids[0], "acknowledgement", on_date=TODAY)
    render_letter(warm.document, io.BytesIO(), fonts=fonts)  # fonts register once per process
    batches = [ids[i:i + LETTERS_PER_RUN] for i in range(0, len(ids), LETTERS_PER_RUN)]

    def issue() -> None:
        for rid in batches.pop():
            register.issue(db, compose.compose(db, rid, "acknowledgement", on_date=TODAY), data.CLERK)

    result = _timed(f"letters: compose + PDF + issue, {LETTERS_PER_RUN} per run", "letters", size, issue,
                   repeat=repeat, recorder=rec, replayer=bare, writes=True)
    result.times = [LETTERS_PER_RUN / t for t in result.times]
    result.sql_times = [t / LETTERS_PER_RUN for t in result.sql_times]
    result.unit = "/s"
    result.note = "bare SQL per letter"
    return result
