"""Remedy windows of stored cases: the route, remedies filed within them, the 工作台's list 救济期内."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from request_desk.cli import main
from request_desk.core.cases import remedies
from request_desk.core.cases.lookup import load_request
from request_desk.core.deadlines.remedy_windows import RemedyWindows
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Letter
from request_desk.core.vocab import RemedyKind, RemedyResult
from tests import factories

D = date.fromisoformat
DEC_1 = D("2026-12-01")


def _replied(db: Database, outcome: str, *, on: date, delivered: date | None = None, today: date) -> int:
    return factories.replied(db, outcome, on=on, delivered=delivered, received=D("2026-05-04"), today=today)


def _windows(db: Database, rid: int) -> RemedyWindows | None:
    return remedies.remedy_of(db, rid)


def test_windows_follow_the_route(db: Database) -> None:
    both = _replied(db, "1", on=D("2026-10-09"), delivered=D("2026-10-10"), today=DEC_1)
    first = _replied(db, "3.4", on=D("2026-10-09"), delivered=D("2026-10-10"), today=DEC_1)
    assert _windows(db, both) == RemedyWindows(D("2026-12-09"), D("2027-04-12"), True, provisional=True)
    assert _windows(db, first) == RemedyWindows(D("2026-12-09"), None, True)


def test_unknown_until_delivered_and_none_before_the_reply(db: Database) -> None:
    replied = _replied(db, "1", on=D("2026-10-09"), today=DEC_1)
    assert _windows(db, replied) == RemedyWindows(None, None, known=False)
    open_id = factories.register(db, today=DEC_1)
    assert _windows(db, open_id) is None


def test_the_reply_letter_decides_the_route(db: Database) -> None:
    rid = _replied(db, "2", on=D("2026-10-09"), delivered=D("2026-10-10"), today=DEC_1)
    assert _windows(db, rid).litigation_until is None  # type: ignore[union-attr]
    with db.write() as s:  # outcome 2 with remedy_route=ordinary: the letter offers both routes
        s.add(Letter(request_id=rid, kind="reply_2", issued_date=D("2026-10-09"),
                     final_text='{"body": ["……可以申请行政复议，也可以提起行政诉讼。"]}'))
    assert _windows(db, rid).litigation_until == D("2027-04-12")  # type: ignore[union-attr]
    with db.read() as s:
        listed = remedies.open_windows(s, D("2027-01-04"))
    assert [row.request_id for row in listed.rows] == [rid] and listed.count == 1


def test_remedy_filed_says_whether_within_its_window(db: Database) -> None:
    rid = _replied(db, "3.4", on=D("2026-08-10"), delivered=D("2026-08-11"), today=DEC_1)
    # 11 Aug + 60 = Sat 10 Oct 2026, a make-up working day: the window ends that day.
    inside = remedies.add_remedy(db, rid, "clerk", RemedyKind.RECONSIDERATION, D("2026-10-10"), today=DEC_1)
    late = remedies.add_remedy(db, rid, "clerk", RemedyKind.RECONSIDERATION, D("2026-10-12"), today=DEC_1)
    direct = remedies.add_remedy(db, rid, "clerk", RemedyKind.LITIGATION_DIRECT, D("2026-10-12"), today=DEC_1)
    after = remedies.add_remedy(db, rid, "clerk", RemedyKind.LITIGATION_AFTER_RECONSIDERATION, D("2026-11-12"),
                                today=DEC_1)
    assert (inside.within_window, late.within_window, direct.within_window, after.within_window) == \
        (True, False, False, None)
    assert [m.within_window for m in remedies.remedies_for(db, rid)] == [True, False, False, None]
    undelivered = _replied(db, "1", on=D("2026-10-09"), today=DEC_1)
    unknown = remedies.add_remedy(db, undelivered, "clerk", RemedyKind.RECONSIDERATION, D("2026-10-20"), today=DEC_1)
    assert unknown.within_window is None


def test_a_suit_after_reconsideration_counts_15_days_from_the_decision(db: Database) -> None:
    rid = _replied(db, "3.4", on=D("2026-09-01"), delivered=D("2026-09-02"), today=DEC_1)
    reconsidered = remedies.add_remedy(db, rid, "clerk", RemedyKind.RECONSIDERATION, D("2026-09-20"), today=DEC_1)
    remedies.set_result(db, reconsidered.id, "clerk", RemedyResult.UPHELD, D("2026-10-30"), today=DEC_1)
    # Decided Fri 30 Oct: + 15 days = Sat 14 Nov → Mon 16 Nov, within whenever the decision arrived.
    in_time = remedies.add_remedy(db, rid, "clerk", RemedyKind.LITIGATION_AFTER_RECONSIDERATION, D("2026-11-16"),
                                  today=DEC_1)
    # A day later it depends on when the applicant received the decision, which is not recorded.
    later = remedies.add_remedy(db, rid, "clerk", RemedyKind.LITIGATION_AFTER_RECONSIDERATION, D("2026-11-17"),
                                today=DEC_1)
    assert (in_time.within_window, later.within_window) == (True, None)
    assert [m.within_window for m in remedies.remedies_for(db, rid)] == [True, True, None]


def test_open_windows_lists_exactly_the_open_ones(db: Database) -> None:
    today = D("2026-12-14")
    ids = {
        # Reconsideration: 14 Oct + 60 = Sun 13 Dec → Mon 14 Dec, open today; 13 Oct + 60 = Sat 12 Dec → 14 Dec.
        "rec_edge": _replied(db, "3.4", on=D("2026-10-13"), delivered=D("2026-10-14"), today=today),
        "rec_edge2": _replied(db, "3.4", on=D("2026-10-13"), delivered=D("2026-10-13"), today=today),
        # 12 Oct + 60 = Fri 11 Dec: closed, and no direct suit after a refusal.
        "rec_closed": _replied(db, "3.4", on=D("2026-10-12"), delivered=D("2026-10-12"), today=today),
        # Litigation: 14 Jun + 6 months = Mon 14 Dec, open; 13 Jun → Sun 13 Dec → Mon 14 Dec, open;
        # 12 Jun → Sat 12 Dec → Mon 14 Dec, open; 11 Jun → Fri 11 Dec, closed.
        "lit_14": _replied(db, "1", on=D("2026-06-12"), delivered=D("2026-06-14"), today=today),
        "lit_13": _replied(db, "1", on=D("2026-06-12"), delivered=D("2026-06-13"), today=today),
        "lit_12": _replied(db, "1", on=D("2026-06-12"), delivered=D("2026-06-12"), today=today),
        "lit_closed": _replied(db, "1", on=D("2026-06-11"), delivered=D("2026-06-11"), today=today),
        "middle": _replied(db, "4.1", on=D("2026-09-01"), delivered=D("2026-09-02"), today=today),
        "middle_first": _replied(db, "3.1", on=D("2026-09-01"), delivered=D("2026-09-02"), today=today),
        "undelivered": _replied(db, "1", on=D("2026-12-01"), today=today),
    }
    with db.read() as s:
        listed = remedies.open_windows(s, today, top=3)
        everything = remedies.open_windows(s, today, top=100)
    expected = ["rec_edge", "rec_edge2", "middle", "lit_14", "lit_13", "lit_12"]  # newest delivery first
    assert [row.request_id for row in everything.rows] == [ids[k] for k in expected]
    assert listed.count == everything.count == 6 and len(listed.rows) == 3
    assert all(row.windows.open_on(today) for row in everything.rows)
    first = everything.rows[0]
    assert first.line(today).endswith("2026-10-14 送达  复议至 2026-12-14")
    assert everything.rows[-1].line(today).endswith("诉讼至 2026-12-14")


def _show(path: Path, reg: str, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    capsys.readouterr()
    assert main(["--db", str(path), "--user", "clerk", "case", "show", reg, *extra]) == 0
    return capsys.readouterr().out


def _reg(db: Database, rid: int) -> str:
    with db.read() as s:
        return load_request(s, rid).reg_number


def test_case_show_prints_the_windows(db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    both = _reg(db, _replied(db, "4.1", on=D("2026-10-09"), delivered=D("2026-10-10"), today=DEC_1))
    first = _reg(db, _replied(db, "3.1", on=D("2026-10-09"), delivered=D("2026-10-14"), today=DEC_1))
    unknown = _reg(db, _replied(db, "1", on=D("2026-10-09"), today=DEC_1))
    pending = _reg(db, factories.register(db, today=DEC_1))
    remedy = {reg: json.loads(_show(db_path, reg, capsys, "--json"))["remedy"]
              for reg in (both, first, unknown, pending)}
    assert remedy[both] == {"reconsideration_until": "2026-12-09", "litigation_until": "2027-04-12", "known": True,
                            "provisional": True,
                            "text": "申请行政复议期限至 2026-12-09；提起行政诉讼期限至 2027-04-12（含暂定的放假安排）"}
    assert (remedy[first]["reconsideration_until"], remedy[first]["litigation_until"]) == ("2026-12-14", None)
    assert remedy[unknown] == {"reconsideration_until": None, "litigation_until": None, "known": False,
                               "provisional": False, "text": "送达日期未登记，救济期限未知"}
    assert remedy[pending] is None
    assert "救济期限：申请行政复议期限至 2026-12-14；复议前置，不能直接提起行政诉讼" in _show(db_path, first, capsys)
    assert "救济期限：送达日期未登记，救济期限未知" in _show(db_path, unknown, capsys)
