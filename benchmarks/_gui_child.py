"""Child process of the suite: a cold start-up, or browsing the register for peak memory.

    python -m benchmarks._gui_child startup DB
    python -m benchmarks._gui_child browse DB

``startup`` builds the main window as ``gui.app.run`` does (minus the
automatic backup, which runs in the background after the window is shown),
shows it, lets the event loop paint it once and prints ``READY``: the parent
times from launching the interpreter to that line. The dashboard is filled in
the window's constructor. ``browse`` then walks the million: jumps through
the whole list, every sort, filters, searches, a case window, and prints the
process's peak RSS in MB.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The demo office's clerk (benchmarks.data.CLERK), written out: importing that module would be timed too.
CLERK = "xiaoli"


def main() -> None:
    mode, db_path = sys.argv[1], sys.argv[2]
    from datetime import date

    # In the order of the entry point (request-desk -> cli -> gui.app.run): gui.app first, which
    # loads the data layer before Qt; importing Qt first would make every later import dearer.
    from request_desk.gui.app import create_application

    # isort: split
    from PySide6.QtCore import QTimer

    from request_desk.core.storage.db import Database
    from request_desk.gui.context import DeskContext
    from request_desk.gui.main_window import MainWindow

    today = date.fromisoformat(sys.argv[3]) if len(sys.argv) > 3 else date(2026, 11, 27)
    app = create_application()
    db = Database.open(db_path)
    window = MainWindow(DeskContext(db=db, user=CLERK, today=lambda: today))
    window.show()

    def ready() -> None:
        print("READY", flush=True)
        if mode == "browse":
            browse(window)
        app.quit()

    QTimer.singleShot(0, ready)
    app.exec()
    db.close()


def browse(window: object) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from request_desk.core.cases.register_list import RequestFilter
    from request_desk.gui.case_view import CaseWindow
    from request_desk.gui.models.request_table import COLUMNS

    page = window.show_page("requests")  # type: ignore[attr-defined]
    view, model = page.view, page.model
    QApplication.processEvents()

    def walk(steps: int = 40) -> None:
        count = model.rowCount()
        for i in range(steps + 1):
            row = min(count - 1, i * count // steps)
            if row >= 0:
                view.scrollTo(model.index(row, 0))
                QApplication.processEvents()  # paints: the visible page is fetched

    walk()
    for column, c in enumerate(COLUMNS):
        if c.sort is not None:
            view.horizontalHeader().setSortIndicator(column, Qt.SortOrder.AscendingOrder)
            walk(10)
    for f in (RequestFilter(statuses=("in_progress",)), RequestFilter(outcome="3"),
              RequestFilter(deadline="overdue"), RequestFilter(text="征收"), RequestFilter(text="网约车"),
              RequestFilter(text="最低生活保障"), RequestFilter()):
        page.apply_filter(f)
        walk(10)
    ctx = window.ctx  # type: ignore[attr-defined]
    for row in (0, 500_000, model.rowCount() - 1):
        rid = model.request_id(min(row, model.rowCount() - 1))
        if rid is not None:
            w = CaseWindow(ctx, rid)
            w.show()
            QApplication.processEvents()
            w.close()
            w.deleteLater()
    QApplication.processEvents()
    print(f"PEAK_RSS_MB {peak_rss_kib() / 1024:.1f}", flush=True)


def peak_rss_kib() -> int:
    """This process's own peak resident set, in KiB.

    Linux's ``ru_maxrss`` carries over the parent's resident set from the fork that
    started this process, so it reported the suite's own size once the suite had grown
    (issue 18: 289 MB in one run, 479 in another, 691 after the 100,000-row ledger
    import): ``VmHWM`` is the peak of this process's address space alone.
    """
    import resource

    try:
        for line in open("/proc/self/status", encoding="ascii"):  # noqa: SIM115
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # elsewhere: the best there is


if __name__ == "__main__":
    main()
