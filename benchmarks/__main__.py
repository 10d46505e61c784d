"""``python -m benchmarks``: the performance suite, one table against the budgets of issue 7.

    python -m benchmarks                      # 1,000 and 1,000,000 requests (≈ 15 min the first time)
    python -m benchmarks --sizes 1000,100000  # a quicker look
    python -m benchmarks --markdown out.md    # also write the table as Markdown
    python -m benchmarks --only "outcome group" --only recompute   # just those operations

Databases are generated once per size and cached in ``benchmarks/.data/``
(git-ignored); each run works on a fresh copy. Every operation is repeated
(``--repeat``) and reported as median and worst; beside it is the time of the
bare SQL of the same work (its statements replayed on a plain ``sqlite3``
connection) and the ratio. The other modules (``python -m benchmarks.letters``,
``.similarity``, ``.reports``) are the older, more detailed single-topic
benchmarks.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import tempfile
from datetime import date
from pathlib import Path


def _environment() -> None:
    # Nothing of the user's: no QSettings, no log files, no office overrides.
    home = Path(tempfile.mkdtemp(prefix="rd-bench-"))
    os.environ["REQUEST_DESK_DATA"] = str(home / "data")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    # The child processes (start-up, browsing) run the desk's modules from their bytecode, as an
    # installed desk does (pip compiles it on install): a shell with PYTHONDONTWRITEBYTECODE set
    # would have every start-up compile all of request_desk again, ~0.1 s no clerk waits for.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(home / "pycache")  # not beside the sources
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        kib = int(next(line for line in Path("/proc/meminfo").read_text().splitlines()
                       if line.startswith("MemTotal")).split()[1])
        ram = f", {kib / 1024 ** 2:.0f} GB RAM"
    except (OSError, StopIteration):
        pass
    from PySide6 import __version__ as pyside

    return (f"{os.cpu_count()} cores ({cpu}){ram}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, PySide6 {pyside}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,1000000", help="database sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each operation (default 5)")
    parser.add_argument("--markdown", type=Path, help="also write the table to this Markdown file")
    parser.add_argument("--only", action="append", default=[], metavar="SUBSTRING",
                        help="run only operations whose label contains SUBSTRING (repeatable; "
                             "start-up and peak RSS need 'start-up' / 'peak RSS')")
    args = parser.parse_args()
    _environment()
    from benchmarks import budgets, data, suite
    from benchmarks.measure import Result, markdown_table, rows, text_table

    suite.ONLY[:] = args.only

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    results: list[Result] = []
    work = data.FOLDER / "work.sqlite3"
    base = Result("startup", "start-up: window shown, dashboard filled (cold process)", 0, [float("nan")])
    if suite.selected(base.label):
        with tempfile.TemporaryDirectory() as tmp:
            from request_desk.core.storage.db import Database

            empty = Path(tmp) / "empty.sqlite3"
            Database.open(empty).close()
            print("start-up on an empty database …", file=sys.stderr, flush=True)
            base = suite.startup(empty, 0, 3, None)
            base.label = "start-up: window shown, dashboard filled (cold process)"
            results.append(base)
    for size in sizes:
        print(f"{size:,} requests: preparing the database …", file=sys.stderr, flush=True)
        data.prepared(size, work)
        if suite.selected(base.label):
            print(f"{size:,} requests: start-up (child processes) …", file=sys.stderr, flush=True)
            results.append(suite.startup(work, size, 3, base.median))
        rss_label = "peak RSS: start-up, then browse, sort, filter, search, open cases"
        if suite.selected(rss_label):
            print(f"{size:,} requests: browsing (child process) …", file=sys.stderr, flush=True)
            _shown, rss = suite.child("browse", work)
            assert rss is not None
            results.append(Result("rss", rss_label, size, [rss], unit="MB"))
            data.prepared(size, work)
        print(f"{size:,} requests: operations …", file=sys.stderr, flush=True)
        results += suite.run_all(size, work, args.repeat)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    lines = rows(results, lambda r: budgets.verdict(r, base.median))
    print()
    print(f"Request Desk benchmarks, {date.today().isoformat()}; {machine()}")
    print(f"repeat {args.repeat} (start-up 3); times are wall-clock; "
          "'bare SQL' is the same statements on plain sqlite3")
    print()
    print(text_table(lines))
    if args.markdown:
        args.markdown.write_text(markdown_table(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
