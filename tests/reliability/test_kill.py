"""Durability: SIGKILL a process in the middle of registrations, case steps, demo batches and
calendar imports, hundreds of times, and find every committed action whole and nothing half-written.

The worker (kill_child.py) logs ``C <token>`` after an action returned, i.e.
after COMMIT with ``synchronous=FULL``. After all kills the database must pass
``PRAGMA integrity_check``, hold every logged action entirely, and show no
trace of an action that did not commit whole: a request without its event or
audit entry, an audit entry without its request, a gap in the registration
numbers, a demo batch cut short, a calendar year with missing days.
"""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter as Tally
from pathlib import Path

import pytest

from request_desk.core.deadlines.notice_file import parse_notice_file
from request_desk.core.office import units
from request_desk.core.storage.db import Database
from request_desk.core.vocab import UnitLevel
from tests.reliability import kill_child

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork() and SIGKILL (POSIX)")

KILLS = int(os.environ.get("REQUEST_DESK_KILLS", "240"))
MAX_DELAY_S = 0.12  # kill within 0-120 ms of the worker starting its actions
NOTICE = Path(__file__).parent.parent / "data" / "notice-2027-sample.csv"
ROOT = Path(__file__).resolve().parents[2]
HANG_GUARD_S = 120  # only to fail instead of hanging if the child stops answering


class Zygote:
    def __init__(self, db_path: Path, log_path: Path, unit_ids: list[int]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.kill_child", str(db_path), str(log_path), str(NOTICE),
             ",".join(map(str, unit_ids))],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
        )
        assert self.readline() == "zygote"

    def readline(self) -> str:
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], HANG_GUARD_S)
        assert ready, "the kill-test child stopped answering"
        line = self.proc.stdout.readline()
        assert line, f"the kill-test child exited (code {self.proc.poll()})"
        return line.strip()

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def start_worker(self, cycle: int) -> int:
        self.send(f"go {cycle}")
        pid = up = None
        while pid is None or up is None:  # the two lines come from two processes, in either order
            word, value = self.readline().split()
            if word == "pid":
                pid = int(value)
            elif word == "up":
                up = int(value)
        assert pid == up
        return pid

    def reap(self) -> int:
        self.send("reap")
        word, status = self.readline().split()
        assert word == "reaped"
        return int(status)

    def close(self) -> None:
        try:
            self.send("quit")
        finally:
            assert self.proc.stdin is not None and self.proc.stdout is not None
            self.proc.stdin.close()
            self.proc.wait(timeout=HANG_GUARD_S)
            self.proc.stdout.close()


def _parse_log(log_path: Path) -> tuple[dict[str, list[list[str]]], int, list[str]]:
    """Committed actions by kind, the number of kills that hit an action in flight, and errors."""
    committed: dict[str, list[list[str]]] = {}
    in_flight = 0
    errors: list[str] = []
    last_by_cycle: dict[str, str] = {}
    for line in log_path.read_text(encoding="utf-8").splitlines():
        if not line:
            continue
        mark, token, *rest = line.split(" ")
        last_by_cycle[token.split("-")[0]] = mark
        if mark == "C":
            committed.setdefault(rest[0], []).append(rest[1:])
        elif mark == "E":
            errors.append(line)
    in_flight = sum(1 for mark in last_by_cycle.values() if mark == "B")
    return committed, in_flight, errors


def _check_database(db_path: Path, committed: dict[str, list[list[str]]]) -> dict[str, int]:
    con = sqlite3.connect(db_path)
    q = lambda sql, *a: con.execute(sql, a).fetchall()  # noqa: E731
    try:
        assert q("PRAGMA integrity_check") == [("ok",)]
        assert q("PRAGMA foreign_key_check") == []

        # Registrations: every committed one is there, with its event and its audit entry.
        registered = {int(d[0]): (int(d[1]), int(d[2])) for d in committed.get("register", [])}
        stored = q("SELECT id, year, seq FROM request WHERE created_by = ?", kill_child.ACTOR)
        rows = {r[0]: (r[1], r[2]) for r in stored}
        missing = set(registered) - set(rows)
        assert not missing, f"committed registrations lost: {sorted(missing)[:10]}"
        assert all(rows[i] == registered[i] for i in registered)
        events = Tally(r[0] for r in q("SELECT request_id FROM event WHERE kind = 'registered'"))
        audits = Tally(r[0] for r in q("SELECT record_id FROM audit_log WHERE action = 'register'"))
        half = [i for i in rows if events[i] != 1 or audits[i] != 1]
        assert not half, f"registrations without exactly one event and one audit entry: {half[:10]}"
        orphans = set(audits) - set(rows)
        assert not orphans, f"audit entries for requests that do not exist: {sorted(orphans)[:10]}"
        assert q("SELECT count(*) FROM event WHERE request_id NOT IN (SELECT id FROM request)") == [(0,)]

        # Numbers: per year exactly 1..counter, no gap, no duplicate (register and demo share them).
        for year, value in q("SELECT year, value FROM counter WHERE name = 'registration'"):
            seqs = [r[0] for r in q("SELECT seq FROM request WHERE year = ? ORDER BY seq", year)]
            assert seqs == list(range(1, value + 1)), f"registration numbers of {year} have gaps or extras"

        # Case steps: version, events, audit entries and assignment rows agree, and none is lost.
        steps = {r[0]: r[1] for r in q("SELECT id, version FROM request WHERE created_by = ?", kill_child.ACTOR)}
        assign_audit = Tally(r[0] for r in q("SELECT record_id FROM audit_log WHERE action = 'assign'"))
        assign_events = Tally(r[0] for r in q("SELECT request_id FROM event WHERE kind = 'assign'"))
        assignments = Tally(r[0] for r in q("SELECT request_id FROM assignment"))
        for rid, version in steps.items():
            n = assign_audit[rid]
            assert version == 1 + n == 1 + assign_events[rid] == 1 + assignments[rid], f"request {rid} half-assigned"
        for details in committed.get("assign", []):
            if details != ["none"]:
                assert steps[int(details[0])] >= int(details[1]), f"committed assignment lost: {details}"

        # Demo batches: all-or-nothing, each with its events.
        demo_rows = q("SELECT count(*) FROM request WHERE created_by != ?", kill_child.ACTOR)[0][0]
        committed_demo = len(committed.get("demo", []))
        assert demo_rows % kill_child.DEMO_BATCH == 0, f"a demo batch was half-written ({demo_rows} rows)"
        assert demo_rows >= committed_demo * kill_child.DEMO_BATCH
        # ... and each committed batch with its audit entry, in the same transaction (issue 11, item 7).
        audited = q("SELECT coalesce(sum(json_extract(new, '$.requests')), 0) FROM audit_log "
                    "WHERE action = 'demo_data'")
        assert audited == [(demo_rows,)], f"{demo_rows} demo rows, but audit entries for {audited[0][0]}"
        assert q("SELECT count(*) FROM request r WHERE NOT EXISTS "
                 "(SELECT 1 FROM event e WHERE e.request_id = r.id AND e.kind = 'registered')") == [(0,)]

        # Calendar imports: the year is whole and matches the newest audited import.
        sources = [d[0] for d in committed.get("calendar", [])]
        expected_days = len(parse_notice_file(NOTICE.read_text(encoding="utf-8-sig"))[2027])
        years = q("SELECT source FROM calendaryear WHERE year = 2027")
        if sources:
            assert years, "a committed calendar import is lost"
        if years:
            assert q("SELECT count(*) FROM calendarday WHERE year = 2027") == [(expected_days,)]
            newest = q("SELECT json_extract(new, '$.source') FROM audit_log WHERE action = 'calendar_import' "
                       "ORDER BY id DESC LIMIT 1")
            assert newest == years
            audited = {r[0] for r in q("SELECT json_extract(new, '$.source') FROM audit_log "
                                       "WHERE action = 'calendar_import'")}
            assert set(sources) <= audited, "a committed calendar import left no audit entry"
        return {"requests": len(rows), "demo_rows": demo_rows, "assign": sum(assign_audit.values())}
    finally:
        con.close()


def test_sigkill_at_random_moments_loses_and_half_writes_nothing(db_path: Path, tmp_path: Path,
                                                                 report: list[str]) -> None:
    db = Database.open(db_path)
    unit_ids = [units.add_unit(db, units.UnitData(name=n, level=UnitLevel.DEPARTMENT), actor="supervisor").id or 0
                for n in ("市住房和城乡建设局", "市自然资源和规划局")]
    db.close()
    log_path = tmp_path / "committed.log"
    rng = random.Random(int(os.environ.get("REQUEST_DESK_KILL_SEED", "8")))
    zygote = Zygote(db_path, log_path, unit_ids)
    statuses = []
    try:
        for cycle in range(KILLS):
            pid = zygote.start_worker(cycle)
            time.sleep(rng.uniform(0, MAX_DELAY_S))  # the random moment, not a wait for anything
            os.kill(pid, signal.SIGKILL)
            statuses.append(zygote.reap())
    finally:
        zygote.close()
    committed, in_flight, errors = _parse_log(log_path)
    assert not errors, errors[:3]
    killed = sum(1 for s in statuses if os.WIFSIGNALED(s) and os.WTERMSIG(s) == signal.SIGKILL)
    assert killed == KILLS, f"only {killed} of {KILLS} workers died by SIGKILL (others exited: {set(statuses)})"
    counts = _check_database(db_path, committed)
    summary = (f"kill test: {killed} SIGKILLs, {in_flight} mid-action; committed "
               + ", ".join(f"{len(v)} {k}" for k, v in sorted(committed.items()))
               + f"; 0 lost, 0 half-written; {counts['requests']} registered + {counts['demo_rows']} demo rows")
    report.append(summary)
    # Most kills must land inside an action, or the test proves little.
    assert in_flight >= KILLS // 2, summary
    assert committed.get("register") and (committed.get("demo") or committed.get("calendar")), summary
