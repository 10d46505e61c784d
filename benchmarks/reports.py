"""Benchmark: exporting a month's register and computing the annual report table.

    .venv/bin/python -m benchmarks.reports --requests 1000000 [--db FILE]

Fills a fresh database with demo cases (or reuses ``--db``), then times the
October register in each format and the annual table of the last full year,
and prints one table. The month's row count is printed with its time, and
for the register the time per 5,000 lines, the unit of its budgets.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from request_desk.core.reports import annual, export, monthly
from request_desk.core.reports.common import Month
from request_desk.core.storage.db import Database
from request_desk.core.transfer import demo

TODAY = date(2026, 11, 27)
PER_LINES = 5_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="rd-bench-"))
    path = args.db or folder / "bench.sqlite3"
    db = Database.open(path)
    with db.read() as session:
        from sqlalchemy import func, select

        from request_desk.core.storage.models import Request

        have = session.execute(select(func.count()).select_from(Request)).scalar_one()
    if have < args.requests:
        t = time.perf_counter()
        demo.run(db, args.requests - have, today=TODAY, actor=demo.DEMO_USERS[0][0])  # its administrator
        print(f"demo data: {args.requests - have:,} requests in {time.perf_counter() - t:.1f} s")
    month = Month(2026, 10)
    with db.read() as session:
        total = session.execute(select(func.count()).select_from(Request)).scalar_one()
        rows = {s.value: monthly.count(session, s, month) for s in monthly.SECTIONS}
    lines = sum(rows.values())
    results: list[tuple[str, str, float, float | None]] = []
    for fmt in ("csv", "xlsx", "pdf"):
        t = time.perf_counter()
        export.run(export.export_register(db, month, fmt, folder / f"register.{fmt}"))
        secs = time.perf_counter() - t
        # The budgets are per 5,000 register lines (issue 18): the time scales with the lines.
        results.append((f"register {month.key} .{fmt}", f"{lines:,} rows ({rows['received']:,} received)", secs,
                        secs * PER_LINES / lines if lines else None))
    for year in (2025, 2026):
        t = time.perf_counter()
        report = annual.annual_report(db, year)
        report.check()
        results.append((f"annual report {year}", f"{total:,} requests in the database", time.perf_counter() - t,
                        None))
    print(f"{'job':<28}{'size':<40}{'seconds':>8}{'s/5,000 lines':>15}")
    for job, size, secs, per in results:
        print(f"{job:<28}{size:<40}{secs:>8.2f}{'' if per is None else f'{per:.2f}':>15}")
    db.close()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
