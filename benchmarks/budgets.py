"""The budgets of issue 7 (at 1,000,000 requests, on the 2-core development machine)."""

from __future__ import annotations

from benchmarks.measure import Result

BUDGET_SIZE = 1_000_000
MAX_SECONDS = {"page": 0.100, "search3": 0.100, "case": 0.100, "search2": 0.300, "save": 0.050, "annual": 1.0}
REGISTER_SECONDS_PER_5000 = 2.0
MIN_LETTERS_PER_SECOND = 20.0
MAX_RSS_MB = 400.0
STARTUP_VS_EMPTY = 1.3
MAX_RATIO = 3.0
# Issue 14, point 8: a 100,000-row ledger checked and imported in under a minute, at any database size.
LEDGER_SECONDS = 60.0
# Not "the ORM over the SQL": their time is rendering PDFs, writing XLSX or starting Python and Qt
# (or, for the ledger import, reading the workbook; its writes are not replayed).
NO_RATIO = {"startup", "letters", "register", "rss", "ledger", "ledger_step"}


def verdict(r: Result, empty_startup: float) -> tuple[str, str]:
    """(the budget as text, "met" / "MISSED …" / "" when no budget applies at this size)."""
    limits: list[str] = []
    misses: list[str] = []
    if r.key in MAX_SECONDS:
        limit = MAX_SECONDS[r.key]
        limits.append(f"< {limit * 1000:.0f} ms")
        if r.median >= limit:
            misses.append("time")
    elif r.key == "startup" and r.size:
        limits.append(f"≤ {STARTUP_VS_EMPTY}× empty")
        if r.median > STARTUP_VS_EMPTY * empty_startup:
            misses.append("time")
    elif r.key == "register":
        limits.append("< 2 s per 5,000 rows")
        rows = int(r.note.split()[0].replace(",", "")) if r.note else 0
        if rows and r.median * 5000 / rows >= REGISTER_SECONDS_PER_5000:
            misses.append("time")
    elif r.key == "letters":
        limits.append(f"≥ {MIN_LETTERS_PER_SECOND:.0f}/s")
        if r.median < MIN_LETTERS_PER_SECOND:
            misses.append("rate")
    elif r.key == "ledger":
        limits.append(f"< {LEDGER_SECONDS:.0f} s")
        return " ".join(limits), "MISSED: time" if r.median >= LEDGER_SECONDS else "met"
    elif r.key == "rss":
        limits.append(f"< {MAX_RSS_MB:.0f} MB")
        if r.median >= MAX_RSS_MB:
            misses.append("memory")
    if r.key not in NO_RATIO and r.ratio is not None:
        limits.append(f"≤ {MAX_RATIO:.0f}× SQL")
        if r.ratio > MAX_RATIO:
            misses.append("ratio")
    if not limits:
        return "", ""
    if r.size != BUDGET_SIZE:
        return " ".join(limits), "(at 1M)" if misses else "ok"
    return " ".join(limits), "MISSED: " + ", ".join(misses) if misses else "met"
