"""Letters per second: composing, rendering and issuing, one at a time and in batches.

Run from the repository root: ``python -m benchmarks.letters [--letters N]``.
Works on a throw-away database in a temporary folder; prints a table.
"""

from __future__ import annotations

import argparse
import io
import os
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path


def _timed(label: str, n: int, fn: Callable[[], object], rows: list[tuple[str, int, float]]) -> None:
    start = time.perf_counter()
    fn()
    rows.append((label, n, time.perf_counter() - start))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--letters", type=int, default=100, help="letters per measurement (default 100)")
    n = parser.parse_args().letters
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["REQUEST_DESK_DATA"] = str(Path(tmp) / "data")  # no office overrides, no user files
        from benchmarks.data import CLERK
        from request_desk.core import cases
        from request_desk.core.cases import NewRequest
        from request_desk.core.letters import compose, register
        from request_desk.core.letters.pdf import render_letter, render_letters
        from request_desk.core.office import settings
        from request_desk.core.storage.db import Database
        from request_desk.core.vocab import ApplicantType, Channel

        db = Database.open(Path(tmp) / "bench.sqlite3")
        with db.write() as s:
            settings.update(s, contact_person="李四", contact_phone="0527-84371234")

        def register_request(received: date, name: str, sought: str) -> int:
            data = NewRequest(Channel.IN_PERSON, received, ApplicantType.NATURAL_PERSON, name, sought,
                              id_number="11010519491231002X", phone="13912345678")
            request = cases.register(db, data, CLERK, today=date(2026, 11, 27))
            assert request.id is not None
            return request.id

        day = date(2026, 9, 28)
        ids = [register_request(day, f"张{i}", "2025年本市老旧小区改造项目的资金使用情况") for i in range(n)]
        with db.read() as session:
            fonts = compose.letter_fonts(settings.load(session))
        warm = compose.compose(db, ids[0], "reply_2", on_date=day, extras={"withheld": "第3页含个人信息"})
        render_letter(warm.document, io.BytesIO(), fonts=fonts)  # font registration happens once per process

        rows: list[tuple[str, int, float]] = []
        drafts: list[compose.Draft] = []
        _timed("compose (template + case data)", n, lambda: drafts.extend(
            compose.compose(db, i, "acknowledgement", on_date=day) for i in ids), rows)
        _timed("render PDF, one at a time", n, lambda: [
            render_letter(d.document, io.BytesIO(), fonts=fonts) for d in drafts], rows)
        _timed("render PDF, one batch file", n, lambda: render_letters(
            [d.document for d in drafts], io.BytesIO(), fonts=fonts), rows)
        _timed("issue (number + PDF + store), single", n, lambda: [
            register.issue(db, d, CLERK) for d in drafts], rows)
        acks: list[int] = []
        day2 = date(2026, 9, 29)

        def batch() -> None:
            job = register.issue_acknowledgements(db, day2, CLERK)
            try:
                while True:
                    next(job)
            except StopIteration as stop:
                acks.extend(stop.value)

        # The single issues above acknowledged every case of the first day: batch a second day.
        more = [register_request(day2, f"李{i}", "本区2025年度财政预算执行情况") for i in range(n)]
        _timed("issue acknowledgements of a day, batch", len(more), batch, rows)
        assert len(acks) == len(more)
        _timed("reprint: stored PDFs of the batch", len(acks),
               lambda: list(register.stored_pdfs(db, acks, CLERK)), rows)
        db.close()

    width = max(len(r[0]) for r in rows)
    print(f"{'measurement':{width}}  {'letters':>7}  {'seconds':>8}  {'letters/s':>9}  {'ms/letter':>9}")
    for label, count, secs in rows:
        print(f"{label:{width}}  {count:7d}  {secs:8.3f}  {count / secs:9.1f}  {1000 * secs / count:9.2f}")


if __name__ == "__main__":
    main()
