"""Quality figures of a month or a year (issue 17, point 6; docs/domain.md, "Quality figures").

Working days are counted by hand on the 2026 notice shipped with the package: 国庆 1–7 October,
Saturday 10 October a make-up working day. The usual request arrives Monday 28 September.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from request_desk.cli import main
from request_desk.core import cases
from request_desk.core.cases import remedies
from request_desk.core.reports import monthly, quality
from request_desk.core.reports.common import Month
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Request
from request_desk.core.vocab import ConsultationAnswer, PauseKind, RemedyKind
from tests import factories
from tests.factories import TODAY
from tests.support import migrations

OCTOBER = quality.Period.of_month(Month(2026, 10))


def _measures(db: Database, rid: int) -> tuple[bool | None, int | None]:
    with db.read() as s:
        r = s.exec(select(Request).where(Request.id == rid)).one()
        return r.replied_on_time, r.workdays_used


def _consulted(db: Database) -> int:
    """Paused (29 Sep, 9 Oct] — 30 Sep, 8 and 9 Oct, three working days — and replied Mon 19 Oct."""
    rid = factories.register(db)
    cases.start_pause(db, rid, "clerk", kind=PauseKind.THIRD_PARTY, counterpart="某公司",
                      on_date=date(2026, 9, 29), today=TODAY)
    cases.end_pause(db, rid, "clerk", answer=ConsultationAnswer.AGREED, on_date=date(2026, 10, 9), today=TODAY)
    return factories.replied(db, rid=rid, on=date(2026, 10, 19))


def test_a_reply_stores_the_working_days_it_used(db: Database) -> None:
    # (28 Sep, 14 Oct]: 29 and 30 Sep, then 8, 9, 10 (make-up), 12, 13, 14 Oct.
    rid = factories.replied(db, on=date(2026, 10, 14))
    assert _measures(db, rid) == (True, 8)


def test_paused_working_days_are_left_out(db: Database) -> None:
    # (28 Sep, 19 Oct] holds 11 working days, three of them paused.
    assert _measures(db, _consulted(db)) == (True, 8)


def test_the_register_prints_the_same_working_days(db: Database) -> None:
    rid = _consulted(db)
    with db.read() as s:
        rows = [row for batch in monthly.stream(s, monthly.Section.ANSWERED, Month(2026, 10)) for row in batch]
    [row] = [r for r in rows if r.request_id == rid]
    assert row.values[monthly.COLUMN_INDEX["workdays_used"]] == _measures(db, rid)[1] == 8


def test_a_corrected_receipt_date_measures_the_reply_again(db: Database) -> None:
    rid = factories.replied(db, on=date(2026, 10, 14))
    cases.correct(db, rid, {"received_date": date(2026, 9, 29)}, "按邮戳日期更正", "supervisor", today=TODAY)
    assert _measures(db, rid) == (True, 7)  # (29 Sep, 14 Oct]: 30 Sep and six days in October


def test_an_undone_reply_has_no_measures(db: Database) -> None:
    rid = factories.replied(db, on=date(2026, 10, 14))
    cases.undo_last_step(db, rid, "答复日期登记错误", "supervisor", today=TODAY)
    assert _measures(db, rid) == (None, None)


def test_withdrawals_are_not_replies(db: Database) -> None:
    rid = factories.register(db)
    cases.withdraw(db, rid, "clerk", on_date=date(2026, 10, 14), today=TODAY)
    assert _measures(db, rid) == (None, None)
    factories.replied(db, on=date(2026, 10, 14))
    assert quality.quality_figures(db, OCTOBER).replies == 1


def test_a_month_counts_its_replies_by_reply_date(db: Database) -> None:
    factories.replied(db, on=date(2026, 10, 14))  # 8 days, on time
    _consulted(db)  # 8 days, on time
    factories.replied(db, on=date(2026, 10, 9), received=date(2026, 9, 30))  # (30 Sep, 9 Oct]: 2 days
    factories.replied(db, on=date(2026, 11, 2))  # November's
    f = quality.quality_figures(db, OCTOBER)
    assert (f.replies, f.on_time, f.late, f.measured) == (3, 3, 0, 3)
    assert f.average_workdays == pytest.approx(6.0)
    assert f.p90_workdays == 8
    year = quality.quality_figures(db, quality.Period.of_year(2026))
    assert year.replies == 4


def test_a_late_reply_lowers_the_on_time_rate(db: Database) -> None:
    factories.replied(db, on=date(2026, 10, 14))
    # Received 28 Sep, due 20 working days later (Tue 3 Nov at the latest); 27 Nov is late.
    late = factories.replied(db, on=date(2026, 11, 27))
    assert _measures(db, late)[0] is False
    f = quality.quality_figures(db, quality.Period.of_year(2026))
    assert (f.replies, f.on_time, f.late, f.on_time_rate) == (2, 1, 1, 0.5)
    assert "逾期答复1件" in quality.narrative(f)


@pytest.mark.parametrize(("histogram", "p90"), [
    ([], None),
    ([(v, 1) for v in range(1, 11)], 9),  # ten replies: the 9th smallest
    ([(5, 9), (30, 1)], 5),  # nine of ten within 5 days is 90 %
    ([(5, 8), (30, 2)], 30),
    ([(12, 1)], 12),
])
def test_the_90th_percentile_is_the_nearest_rank(histogram: list[tuple[int, int]], p90: int | None) -> None:
    assert quality.nearest_rank(histogram, 90) == p90


def test_not_held_replies_with_and_without_a_search_record(db: Database) -> None:
    searched = factories.replied(db, "4.1", on=date(2026, 10, 14))
    cases.record_search(db, searched, "clerk", where="本机关公文管理系统", keywords="拆迁补偿",
                        found="未检索到相关信息", on_date=date(2026, 10, 13), today=TODAY)
    factories.replied(db, "4.1", on=date(2026, 10, 15))
    f = quality.quality_figures(db, OCTOBER)
    assert (f.not_held, f.not_held_searched, f.search_share) == (2, 1, 0.5)
    text = quality.narrative(f)
    assert "以“本机关不掌握相关政府信息”答复2件，其中1件留存了检索记录（占50.0%），1件未记录检索情况" in text


def test_remedies_filed_in_the_period_with_their_results(db: Database) -> None:
    rid = factories.replied(db, on=date(2026, 10, 14), delivered=date(2026, 10, 16))
    remedies.add_remedy(db, rid, "clerk", RemedyKind.RECONSIDERATION, date(2026, 10, 28), "市人民政府", today=TODAY)
    f = quality.quality_figures(db, OCTOBER)
    assert f.remedy_count(RemedyKind.RECONSIDERATION.value) == 1
    assert f.corrected_rate is None  # nothing decided yet
    assert "因政府信息公开申请被申请行政复议1件，尚未审结1件。" in quality.narrative(f)
    assert quality.quality_figures(db, quality.Period.of_month(Month(2026, 11))).remedy_count(
        RemedyKind.RECONSIDERATION.value) == 0


def test_an_empty_period_says_so(db: Database) -> None:
    f = quality.quality_figures(db, OCTOBER)
    assert (f.replies, f.on_time_rate, f.average_workdays, f.p90_workdays) == (0, None, None, None)
    assert quality.narrative(f) == ("2026年10月，本机关未作出政府信息公开申请答复。"
                                    "未发生因政府信息公开申请引发的行政复议、行政诉讼。")


def test_the_migration_measures_the_replies_already_recorded(db: Database) -> None:
    plain, consulted = factories.replied(db, on=date(2026, 10, 14)), _consulted(db)
    migrations.down_and_up(db, "0017")  # the column goes, and comes back measured
    assert (_measures(db, plain), _measures(db, consulted)) == ((True, 8), (True, 8))
    assert migrations.differences(db, "workdays_used", "ix_request_quality") == []


def test_the_command_line_prints_the_figures_and_the_draft(db: Database, db_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    factories.replied(db, on=date(2026, 10, 14))
    assert main(["--db", str(db_path), "report", "quality", "--month", "2026-10", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["period"], data["replies"], data["on_time_rate"], data["workdays_used"]) == (
        "2026-10", 1, 1.0, {"measured": 1, "average": 8.0, "p90": 8})
    assert data["narrative"].startswith("2026年10月，本机关共答复政府信息公开申请1件")
    assert main(["--db", str(db_path), "report", "quality", "--year", "2026"]) == 0
    out = capsys.readouterr().out
    assert "平均用时（扣除暂停）\t8.0 个工作日" in out and "2026年度，本机关共答复" in out
