"""The benchmark databases: generated once per size, cached in ``benchmarks/.data/``.

``prepared(size)`` returns a *working copy* of the cached database for one
run, so what a run writes (registrations, letters, recomputed clocks) never
drifts into the next run. The cached file is demo data (``core.demo``, fixed
seed and date) plus what the suite needs and the demo does not make:

* the similarity index filled (``similarity_index.sync``, normally done
  lazily on first use) — its build time is printed once, when it is built,
  and it is rebuilt (``rebuild_job``, timed) when the word lists changed since;
* one case with 50 timeline events (the demo's cases have at most ~10).

The file name carries the schema revision and a digest of the migrations and
of ``core/demo.py``, so a schema or generator change regenerates it.

    python -m benchmarks.data --sizes 1000,1000000   # only build the cache
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sqlite3
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from request_desk.core.publication import similarity_index
from request_desk.core.storage import db as db_module
from request_desk.core.storage.db import Database
from request_desk.core.transfer import demo

TODAY = date(2026, 11, 27)  # a Friday; every benchmark works "as of" this day
SEED = 2026
FOLDER = Path(__file__).resolve().parent / ".data"
LONG_CASE_EVENTS = 50
# Who works at the benchmark desk: the demo office's clerk (signed-in users are checked since issue 16).
CLERK = demo.DEMO_USERS[2][0]


def _schema_key() -> str:
    """The head revision and a digest of every migration and of the demo generator."""
    digest = hashlib.sha256()
    versions = Path(db_module.__file__).resolve().parent / "migrations" / "versions"
    for path in [*sorted(versions.glob("*.py")), Path(demo.__file__).resolve()]:
        digest.update(path.read_bytes())
    return f"rev{Database.head_revision()}-{digest.hexdigest()[:8]}"


def cached_path(size: int) -> Path:
    return FOLDER / f"requests-{size}-seed{SEED}-{_schema_key()}.sqlite3"


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def build(size: int) -> Path:
    """The cached database of ``size`` requests, generating it if it is missing."""
    path = cached_path(size)
    if path.exists():
        _reindex_if_stale(path)
        return path
    FOLDER.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in FOLDER.glob(partial.name + "*"):
        leftover.unlink()
    db = Database.open(partial)
    try:
        start = time.perf_counter()
        progress = demo.generate(db, size, today=TODAY, seed=SEED)
        try:
            while True:
                step = next(progress)
                print(f"\r  demo data: {step.done:,} / {step.total:,}", end="", file=sys.stderr, flush=True)
        except StopIteration:
            pass
        _say(f"\r  demo data: {size:,} requests in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        with db.write() as session:
            similarity_index.sync(session)
        _say(f"  similarity index: {time.perf_counter() - start:.1f} s")
        _add_long_case(db)
    finally:
        db.close()
    _self_contained(partial)
    partial.rename(path)
    return path


def _reindex_if_stale(path: Path) -> None:
    """A cached database indexed with other similarity word lists is indexed again, as the desk would at start."""
    from request_desk.core import jobs

    db = Database.open(path)
    try:
        if similarity_index.rebuild_needed(db):
            start = time.perf_counter()
            count = jobs.run(similarity_index.rebuild_job(db))
            _say(f"  similarity index rebuilt for the current word lists: {count:,} requests in "
                 f"{time.perf_counter() - start:.1f} s")
    finally:
        db.close()
    _self_contained(path)


def _self_contained(path: Path) -> None:
    """Everything in the one file (the copies for each run take only it)."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("PRAGMA journal_mode = DELETE")
    con.commit()
    con.close()


def long_case_id(db: Database) -> int:
    """The case with the most timeline events (the one ``_add_long_case`` extended)."""
    with db.read() as session:
        return int(session.connection().exec_driver_sql(
            "SELECT request_id FROM event GROUP BY request_id ORDER BY count(*) DESC, request_id LIMIT 1").scalar_one())


def _add_long_case(db: Database) -> None:
    """Give the newest delivered case 50 events: notes, calls, letters sent … as a long case has."""
    with db.write() as session:
        conn = session.connection()
        rid, received, have = conn.exec_driver_sql(
            "SELECT r.id, r.received_date, count(e.id) FROM request r JOIN event e ON e.request_id = r.id "
            "WHERE r.status = 'delivered' GROUP BY r.id ORDER BY r.id DESC LIMIT 1").one()
        day = date.fromisoformat(received)
        for i in range(LONG_CASE_EVENTS - have):
            on = day + timedelta(days=i % 20)
            at = datetime.combine(on, clock_time(10, i % 60), UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
            conn.exec_driver_sql(
                "INSERT INTO event (request_id, kind, on_date, at, user, note, data) VALUES (?, ?, ?, ?, ?, ?, 'null')",
                (rid, ("letter_issued", "letter_delivery")[i % 2], on.isoformat(), at, "xiaoli",
                 f"第{i + 1}次补充材料的告知与送达"))


def prepared(size: int, work: Path) -> Path:
    """A fresh copy of the cached ``size`` database at ``work`` (overwritten)."""
    source = build(size)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, work)
    return work


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,1000000")
    for size in (int(s) for s in parser.parse_args().sizes.split(",")):
        _say(f"{size:,} requests: {build(size)}")


if __name__ == "__main__":
    main()
