"""Benchmark: exporting a month's register and computing the annual report table.

    .venv/bin/python -m benchmarks.reports --requests 1000000 [--db FILE]

Fills a fresh database with demo cases (or reuses ``--db``), then times the
October register in each format and the annual table of the last full year,
and prints one table. The month's row count is printed with its time.
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
    results: list[tuple[str, str, float]] = []
    for fmt in ("csv", "xlsx", "pdf"):
        t = time.perf_counter()
        export.run(export.export_register(db, month, fmt, folder / f"register.{fmt}"))
        results.append((f"register {month.key} .{fmt}", f"{sum(rows.values()):,} rows ({rows['received']:,} received)",
                        time.perf_counter() - t))
    for year in (2025, 2026):
        t = time.perf_counter()
        report = annual.annual_report(db, year)
        report.check()
        results.append((f"annual report {year}", f"{total:,} requests in the database", time.perf_counter() - t))
    print(f"{'job':<28}{'size':<40}{'seconds':>8}")
    for job, size, secs in results:
        print(f"{job:<28}{size:<40}{secs:>8.2f}")
    db.close()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
