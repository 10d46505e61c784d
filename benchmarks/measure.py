"""Timing with the bare SQL beside it, and the results table.

Every measured operation runs with a ``SqlRecorder`` listening on the
database's engine: the statements SQLAlchemy sent to SQLite, with their
parameters exactly as the driver received them, are replayed right after on a
plain ``sqlite3`` connection (same PRAGMAs, rows fetched into tuples). That
replay is "the bare SQL doing the same work": the ratio of the two times is
what the ORM, the Python around it and Qt add. Replays of writes are rolled
back (so they leave the data alone and skip the commit's fsync, which the
measured operation pays).
"""

from __future__ import annotations

import sqlite3
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event

from request_desk.core.storage import sqlite_support
from request_desk.core.storage.db import Database


class SqlRecorder:
    """Collects (statement, parameters, executemany) of what ``db`` executes while active.

    Only the statements of the thread that measures: a lookup the operation starts off the
    UI thread (a case's similar requests) runs on after it and is not its SQL, although its
    statements may happen to fall inside the timed call.
    """

    def __init__(self, db: Database) -> None:
        self.statements: list[tuple[str, Any, bool]] = []
        self.active = False
        self.thread = threading.get_ident()
        event.listen(db.engine, "before_cursor_execute", self._record)

    def _record(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
                executemany: bool) -> None:
        if self.active and threading.get_ident() == self.thread:
            self.statements.append((statement, parameters, executemany))

    def __enter__(self) -> SqlRecorder:
        self.statements = []
        self.thread = threading.get_ident()
        self.active = True
        return self

    def __exit__(self, *_exc: object) -> None:
        self.active = False


class Replayer:
    """A bare ``sqlite3`` connection set up as the application's connections are."""

    def __init__(self, path: Path) -> None:
        self.con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.con.execute("PRAGMA foreign_keys = ON")
        self.con.execute(f"PRAGMA busy_timeout = {sqlite_support.BUSY_TIMEOUT_MS}")
        self.con.execute("PRAGMA journal_mode = WAL")
        self.con.execute("PRAGMA synchronous = FULL")
        sqlite_support.register_functions(self.con)

    def replay(self, statements: list[tuple[str, Any, bool]], *, writes: bool) -> float:
        end = "ROLLBACK" if writes else "COMMIT"
        con = self.con
        start = time.perf_counter()
        for sql, params, many in statements:
            if sql.startswith("BEGIN") and con.in_transaction:
                con.execute(end)
            if writes:
                params = _unclashing(sql, params)
            if many:
                con.executemany(sql, params)
            else:
                con.execute(sql, params).fetchall()
        if con.in_transaction:
            con.execute(end)
        return time.perf_counter() - start

    def close(self) -> None:
        self.con.close()


# A replayed insert must not collide with the row the measured operation just
# committed: its unique numbers are moved out of the way (the replay is rolled back).
_UNIQUE: dict[str, dict[str, int | str]] = {
    "request": {"seq": 10**7, "reg_number": "~"},
    "counter": {"year": 10**4},
    "letter": {"doc_seq": 10**7, "doc_number": "~"},
}


def _unclashing(sql: str, params: Any) -> Any:
    head = sql.split("(", 1)[0].split()
    if len(head) < 3 or head[0] != "INSERT" or head[2] not in _UNIQUE or not isinstance(params, tuple):
        return params
    columns = [c.strip() for c in sql.split("(", 1)[1].split(")", 1)[0].split(",")]
    values = list(params)
    for column, shift in _UNIQUE[head[2]].items():
        if column in columns and values[columns.index(column)] is not None:
            values[columns.index(column)] += shift
    return tuple(values)


@dataclass
class Result:
    """One line of the table: an operation at one database size."""

    key: str  # which budget applies (see BUDGETS)
    label: str
    size: int
    times: list[float]
    sql_times: list[float] = field(default_factory=list)
    unit: str = "s"  # "s" (lower is better), "/s" (a rate) or "MB"
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def worst(self) -> float:
        return min(self.times) if self.unit == "/s" else max(self.times)

    @property
    def sql_median(self) -> float | None:
        return statistics.median(self.sql_times) if self.sql_times else None

    @property
    def ratio(self) -> float | None:
        sql = self.sql_median
        if not sql:
            return None
        return (1 / self.median) / sql if self.unit == "/s" else self.median / sql  # a rate: time per item


def timed(label: str, key: str, size: int, fn: Callable[[], object], *, repeat: int,
          recorder: SqlRecorder | None = None, replayer: Replayer | None = None, writes: bool = False,
          setup: Callable[[], object] | None = None, note: str = "") -> Result:
    """Run ``setup`` (untimed) then ``fn`` (timed) ``repeat`` times; replay each run's SQL bare."""
    result = Result(key, label, size, [], note=note)
    for _ in range(repeat):
        if setup is not None:
            setup()
        if recorder is None:
            start = time.perf_counter()
            fn()
            result.times.append(time.perf_counter() - start)
            continue
        with recorder:
            start = time.perf_counter()
            fn()
            result.times.append(time.perf_counter() - start)
        if replayer is not None and recorder.statements:
            result.sql_times.append(replayer.replay(recorder.statements, writes=writes))
    return result


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "/s":
        return f"{value:,.1f}/s"
    if unit == "MB":
        return f"{value:,.0f} MB"
    return f"{value * 1000:,.1f} ms" if value < 10 else f"{value:,.1f} s"


HEADERS = ("operation", "requests", "median", "worst", "bare SQL", "ratio", "budget", "")


def rows(results: list[Result], verdict: Callable[[Result], tuple[str, str]]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for r in results:
        budget, ok = verdict(r)
        ratio = r.ratio
        out.append((r.label + (f" ({r.note})" if r.note else ""), f"{r.size:,}", _fmt(r.median, r.unit),
                    _fmt(r.worst, r.unit), _fmt(r.sql_median, "s"), "—" if ratio is None else f"{ratio:.1f}×",
                    budget, ok))
    return out


def text_table(lines: list[tuple[str, ...]]) -> str:
    def width(s: str) -> int:  # CJK characters take two columns in a terminal
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)

    widths = [max(width(line[i]) for line in [HEADERS, *lines]) for i in range(len(HEADERS))]
    out = []
    for n, line in enumerate([HEADERS, *lines]):
        cells = [c + " " * (w - width(c)) if i == 0 else " " * (w - width(c)) + c
                 for i, (c, w) in enumerate(zip(line, widths, strict=True))]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def markdown_table(lines: list[tuple[str, ...]]) -> str:
    out = ["| " + " | ".join(HEADERS) + " |", "|" + "|".join([":--"] + ["--:"] * (len(HEADERS) - 1)) + "|"]
    out += ["| " + " | ".join(c.replace("|", "\\|") for c in line) + " |" for line in lines]
    return "\n".join(out)
