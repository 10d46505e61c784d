"""The same office on both engines: the same demo data gives the same annual tables and monthly registers.

Issue 19's yardstick: ``request-desk demo --seed S --requests N`` on the office
server and in a file, then every table of the annual report and every line of
the monthly registers compared. Needs the test server (``REQUEST_DESK_TEST_PG``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from request_desk.core.reports import annual, monthly
from request_desk.core.reports.monthly import Month
from request_desk.core.storage.db import Database
from request_desk.core.transfer import demo
from tests.factories import TODAY
from tests.support import server

pytestmark = pytest.mark.skipif(not server.enabled(), reason="needs the PostgreSQL test server: set "
                                "REQUEST_DESK_TEST_PG=postgresql://postgres@127.0.0.1:PORT")

MONTHS = [Month(2025, 3), Month(2025, 12), Month(2026, 10), Month(2026, 11)]


def _office(location: Path | str) -> Database:
    db = Database.open(location)
    demo.run(db, 600, today=TODAY, seed=7)
    return db


def _registers(db: Database) -> list[tuple[str, str, list[tuple[object, ...]]]]:
    with db.read() as session:
        return [(str(m), section.value, [(r.values, r.overdue) for batch in monthly.stream(session, section, m)
                                         for r in batch])
                for m in MONTHS for section in monthly.SECTIONS]


def test_the_demo_office_reports_alike_on_the_server_and_in_a_file(tmp_path: Path) -> None:
    location = server.new_database("rd_same")
    on_file, on_server = _office(tmp_path / "office.sqlite3"), _office(location)
    try:
        for year in (2025, 2026):
            assert annual.annual_report(on_server, year).table == annual.annual_report(on_file, year).table, year
        registers = _registers(on_file)
        assert sum(len(rows) for _, _, rows in registers) > 200  # the months compared hold real lines
        assert _registers(on_server) == registers
    finally:
        on_file.close()
        on_server.close()
        server.drop_database(location)
