"""The request list's SQL: filters, sort orders, paging, the row clock, dashboard aggregates."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from request_desk.core import cases
from request_desk.core.cases import register_list
from request_desk.core.cases.register_list import RequestFilter, SortKey
from request_desk.core.office import settings as office_settings
from request_desk.core.storage.db import Database
from request_desk.core.vocab import Status
from tests.factories import TODAY, Seed, new_request, seed_cases


@pytest.fixture
def seed(db: Database) -> Seed:
    return seed_cases(db)


def ids_of(db: Database, f: RequestFilter, sort: SortKey = SortKey.RECEIVED, desc: bool = False) -> list[int]:
    return [r.id for r in register_list.fetch_rows(db, f, sort, desc, 0, 1000, TODAY)]


def keys(seed: Seed, *names: str) -> set[int]:
    return {seed.ids[n] for n in names}


def test_seed_due_dates_are_what_the_filters_assume(db: Database, seed: Seed) -> None:
    rows = {r.id: r for r in register_list.fetch_rows(db, RequestFilter(), limit=100, today=TODAY)}
    due = {name: rows[i].due_date for name, i in seed.ids.items()}
    assert due["overdue"] == date(2026, 10, 30)
    assert due["due_today"] == TODAY
    assert due["due_1"] == date(2026, 11, 30)
    assert due["due_5"] == date(2026, 12, 4)
    assert due["green"] == date(2026, 12, 7)
    assert rows[seed.ids["extended"]].due_provisional  # runs into 2027, which has no notice yet


def test_no_filter_counts_and_lists_everything(db: Database, seed: Seed) -> None:
    assert register_list.count_requests(db, RequestFilter(), TODAY) == 11
    assert set(ids_of(db, RequestFilter())) == set(seed.ids.values())


@pytest.mark.parametrize(("f", "expected"), [
    (RequestFilter(statuses=(Status.PAUSED.value,)), ("paused",)),
    (RequestFilter(statuses=(Status.REPLIED.value, Status.DELIVERED.value)), ("replied", "late", "last_year")),
    (RequestFilter(received_from=date(2026, 11, 6), received_to=date(2026, 11, 10)), ("due_5", "green", "paused")),
    (RequestFilter(received_to=date(2025, 12, 31)), ("last_year",)),
    (RequestFilter(outcome="4.1"), ("late",)),
    (RequestFilter(outcome="3"), ("last_year",)),
    (RequestFilter(outcome="1"), ("replied",)),
    (RequestFilter(outcome="3.1"), ()),
    (RequestFilter(deadline="overdue"), ("overdue",)),
    (RequestFilter(deadline="due_soon"), ("due_today", "due_1", "due_5")),
    (RequestFilter(provisional_only=True), ("extended",)),
    (RequestFilter(deadline="due_soon", statuses=(Status.IN_PROGRESS.value,)), ("due_5",)),
])
def test_filters(db: Database, seed: Seed, f: RequestFilter, expected: tuple[str, ...]) -> None:
    assert set(ids_of(db, f)) == keys(seed, *expected)
    assert register_list.count_requests(db, f, TODAY) == len(expected)


def test_unit_filter(db: Database, seed: Seed) -> None:
    assert set(ids_of(db, RequestFilter(unit_id=seed.housing))) == keys(seed, "due_5", "late")
    assert set(ids_of(db, RequestFilter(unit_id=seed.finance))) == keys(seed, "overdue")


def test_due_soon_follows_the_amber_setting(db: Database, seed: Seed) -> None:
    with db.write() as s:
        office_settings.update(s, amber_days=1)
    assert set(ids_of(db, RequestFilter(deadline="due_soon"))) == keys(seed, "due_today", "due_1")
    colours = {r.id: r.colour for r in register_list.fetch_rows(db, RequestFilter(), limit=100, today=TODAY)}
    assert colours[seed.ids["due_5"]] == "green"


def test_row_clock_and_colour(db: Database, seed: Seed) -> None:
    rows = {r.id: r for r in register_list.fetch_rows(db, RequestFilter(), limit=100, today=TODAY)}
    got = {name: (rows[i].clock, rows[i].workdays_left, rows[i].colour) for name, i in seed.ids.items()}
    assert got["overdue"] == ("running", -20, "red")  # 2 Nov … 27 Nov: 20 working days late
    assert got["due_today"] == ("running", 0, "amber")
    assert got["due_1"] == ("running", 1, "amber")
    assert got["due_5"] == ("running", 5, "amber")
    assert got["green"] == ("running", 6, "green")
    assert got["paused"] == ("paused", None, None)
    assert got["supplement"] == ("supplement", None, None)
    assert got["replied"] == ("done", None, None)
    assert rows[seed.ids["due_5"]].unit_name == "市住建局"
    assert rows[seed.ids["green"]].unit_name == ""


def test_overdue_on_the_weekend_after_the_due_date(db: Database, seed: Seed) -> None:
    saturday = date(2026, 11, 28)
    rows = {r.id: r for r in register_list.fetch_rows(db, RequestFilter(), limit=100, today=saturday)}
    assert rows[seed.ids["due_today"]].workdays_left == -1
    assert seed.ids["due_today"] in ids_of_on(db, RequestFilter(deadline="overdue"), saturday)


def ids_of_on(db: Database, f: RequestFilter, today: date) -> list[int]:
    return [r.id for r in register_list.fetch_rows(db, f, SortKey.RECEIVED, False, 0, 1000, today)]


def _nulls_first(value: object) -> tuple[bool, object]:
    """SQLite's ascending order puts NULL first."""
    return (value is not None, value)


def _python_key(sort: SortKey, row: register_list.RequestRow) -> tuple[object, ...]:
    return {
        SortKey.RECEIVED: (row.received_date, row.id),
        SortKey.REG_NUMBER: (row.reg_number[:4], int(row.reg_number[5:])),
        SortKey.DUE: (row.due_date, row.id),
        SortKey.STATUS: (row.status, row.received_date, row.id),
        SortKey.APPLICANT: (row.applicant_name, row.received_date, row.id),
        SortKey.UNIT: (row.unit_id or 0, row.received_date, row.id),
        SortKey.OUTCOME: (_nulls_first(row.outcome_code), row.received_date, row.id),
        SortKey.REPLY: (_nulls_first(row.reply_date), _nulls_first(row.outcome_code),
                        _nulls_first(row.replied_on_time), row.applicant_type, row.received_date, row.id),
    }[sort]


@pytest.mark.parametrize("sort", list(SortKey))
@pytest.mark.parametrize("desc", [False, True])
def test_sort_orders_match_a_python_sort(db: Database, seed: Seed, sort: SortKey, desc: bool) -> None:
    rows = register_list.fetch_rows(db, RequestFilter(), sort, desc, 0, 100, TODAY)
    expected = sorted(rows, key=lambda r: _python_key(sort, r), reverse=desc)
    assert [r.id for r in rows] == [r.id for r in expected]
    assert len({r.id for r in rows}) == 11


def test_reg_number_sort_is_by_year_then_sequence(db: Database, seed: Seed) -> None:
    rows = register_list.fetch_rows(db, RequestFilter(), SortKey.REG_NUMBER, False, 0, 3, TODAY)
    assert [r.reg_number for r in rows] == ["2025-00001", "2026-00001", "2026-00002"]


@pytest.mark.parametrize("sort", list(SortKey))
def test_pages_concatenate_to_the_whole_list(db: Database, sort: SortKey) -> None:
    # Many ties (same day, same name) to prove the id tie-breaker gives a total order.
    for i in range(23):
        cases.register(db, new_request(date(2026, 11, 2 + i % 3), applicant_name="刘一" if i % 2 else "刘二"),
                       "clerk", today=TODAY)
    whole = [r.id for r in register_list.fetch_rows(db, RequestFilter(), sort, True, 0, 100, TODAY)]
    paged: list[int] = []
    for offset in range(0, 30, 4):
        paged += [r.id for r in register_list.fetch_rows(db, RequestFilter(), sort, True, offset, 4, TODAY)]
    assert paged == whole
    assert len(set(whole)) == 23 == register_list.count_requests(db, RequestFilter(), TODAY)
    assert register_list.fetch_rows(db, RequestFilter(), sort, True, 23, 4, TODAY) == []


def test_paging_reads_only_the_page(db: Database, seed: Seed) -> None:
    statements: list[str] = []
    from sqlalchemy import event

    @event.listens_for(db.engine, "before_cursor_execute")
    def _log(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    register_list.fetch_rows(db, RequestFilter(), SortKey.RECEIVED, False, 5, 3, TODAY)
    page = [s for s in statements if "FROM request" in s and "LIMIT" in s]
    assert page, statements
    event.remove(db.engine, "before_cursor_execute", _log)


@pytest.mark.sqlite_only("reads SQLite's query plan")
def test_sortable_columns_have_an_index(db: Database) -> None:
    # White-box: the sort orders themselves, which only register_list knows.
    for sort in SortKey:
        order = ", ".join(c.name for c in register_list._ORDER[sort])  # noqa: SLF001
        with db.engine.connect() as conn:
            plan = " ".join(str(r[-1]) for r in conn.execute(
                text(f"EXPLAIN QUERY PLAN SELECT id FROM request ORDER BY {order} LIMIT 10")))
        assert "TEMP B-TREE" not in plan, (sort, plan)


@pytest.mark.sqlite_only("reads SQLite's query plan")
def test_quick_filters_use_an_index(db: Database) -> None:
    with db.engine.connect() as conn:
        plan = " ".join(str(r[-1]) for r in conn.execute(text(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM request WHERE status IN ('registered', 'in_progress') "
            "AND due_date < '2026-11-27'")))
    assert "ix_request_status_due" in plan


def test_monthly_intake_last_twelve_months(db: Database, seed: Seed) -> None:
    intake = register_list.monthly_intake(db, TODAY)
    assert intake[0][:2] == (2025, 12) and intake[-1][:2] == (2026, 11)
    counts = {(y, m): n for y, m, n in intake}
    assert counts[(2025, 12)] == 1
    assert counts[(2026, 11)] == 6
    assert counts[(2026, 10)] == 2
    assert counts[(2026, 8)] == 1 and counts[(2026, 9)] == 1
    assert sum(counts.values()) == 11


def test_outcomes_and_on_time_rate_this_year(db: Database, seed: Seed) -> None:
    assert register_list.outcomes_by_group(db, 2026) == {"1": 1, "2": 0, "3": 1, "4": 1, "5": 0, "6": 0}
    assert register_list.outcomes_by_group(db, 2025) == dict.fromkeys("123456", 0)
    on_time = register_list.on_time(db, 2026)
    # last_year (received 10 Dec 2025, replied 5 Jan 2026) and replied are on time; late is not.
    assert (on_time.replied, on_time.on_time) == (3, 2)
    assert on_time.rate == pytest.approx(2 / 3)
    assert register_list.on_time(db, 2024).rate is None


def test_dashboard_lists(db: Database, seed: Seed) -> None:
    board = register_list.dashboard(db, TODAY, top=2)
    lists = {sl.key: sl for sl in board.lists}
    assert lists["overdue"].count == 1 and [r.id for r in lists["overdue"].rows] == [seed.ids["overdue"]]
    assert lists["due_soon"].count == 3
    assert [r.id for r in lists["due_soon"].rows] == [seed.ids["due_today"], seed.ids["due_1"]]  # top 2, soonest
    assert lists["awaiting_supplement"].count == 1
    assert lists["paused"].count == 1
    assert [r.id for r in lists["replied_not_delivered"].rows] == [seed.ids["last_year"], seed.ids["replied"]]
    assert lists["provisional"].count == 1
    assert board.amber_days == 5


def test_outcome_pages_walking_the_sort_index_equal_a_plain_sorted_query(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    # A large outcome group's first pages are found by walking the sort order's index
    # (``outcome_code || ''``); every page must be what the plain filtered, sorted query gives.
    from request_desk.core.transfer import demo

    demo.run(db, 400, today=TODAY, actor="supervisor")
    walked: list[bool] = []
    real_walks = register_list._walks  # noqa: SLF001 - spied on: which pages took the index walk

    def spy(*args: object) -> bool:
        walked.append(real_walks(*args))  # type: ignore[arg-type]
        return walked[-1]

    monkeypatch.setattr(register_list, "_walks", spy)
    for outcome in ("3", "1", "3.4"):
        f = RequestFilter(outcome=outcome)
        total = register_list.count_requests(db, f, TODAY)
        assert total > 0, outcome
        for sort in SortKey:
            for desc in (False, True):
                order = [c.desc() if desc else c.asc() for c in register_list._ORDER[sort]]  # noqa: SLF001
                plain_filter = register_list._outcome_clause(outcome)  # noqa: SLF001 - the query without the walk
                with db.read() as session:
                    plain = list(session.execute(
                        register_list.select(register_list.R.id).where(plain_filter).order_by(*order)
                    ).scalars())
                assert len(plain) == total
                for offset, limit in ((0, 3), (0, 40), (5, 7), (total - 2, 5), (total, 5)):
                    page = register_list.fetch_rows(db, f, sort, desc, offset, limit, TODAY)
                    assert [r.id for r in page] == plain[offset:offset + limit], (outcome, sort, desc, offset)
    assert True in walked and False in walked  # both plans were compared
