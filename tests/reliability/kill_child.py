"""The process the kill test SIGKILLs: a zygote that forks one worker per kill.

Importing SQLAlchemy, Alembic and the domain takes most of a second; forking
an already-imported zygote makes a fresh worker in milliseconds, so hundreds
of kills fit in CI time. Protocol (one line each, over stdin/stdout):

    test → zygote   ``go <cycle>``   fork a worker
    zygote → test   ``pid <pid>``    the worker's process id
    worker → test   ``up <pid>``     database open, actions start now
    test → zygote   ``reap``         (after SIGKILL) collect the worker
    zygote → test   ``reaped <status>``
    test → zygote   ``quit``

The worker performs user actions in a loop until killed. Before each action it
appends ``B <token> <kind>`` to the log file and after the action returns
``C <token> <kind> <details>``; both are flushed and fsynced, so a ``C`` line
means the action committed. A worker that hits an unexpected exception writes
``E <token> <error>`` and exits: the test fails on it.
"""

from __future__ import annotations

import os
import random
import sys
import traceback
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text

from request_desk.core import cases
from request_desk.core.storage.db import Database
from request_desk.core.transfer import demo
from tests.factories import TODAY, new_request

ACTOR = "supervisor"  # a user of the template office (the head, who may also import the calendar)
DEMO_BATCH = 20
NAMES = ("张三", "𠀀明", "䶮", "王𠈌", "李四", "欧阳修", "赵钱孙")
KINDS = ("register",) * 12 + ("assign",) * 3 + ("demo",) * 2 + ("calendar",) * 2


def _log(fd: int, line: str) -> None:
    os.write(fd, (line + "\n").encode("utf-8"))
    os.fsync(fd)


def _register(db: Database, rng: random.Random) -> str:
    received = date(2026, 1, 5) + timedelta(days=rng.randrange(320))
    # Only the fields a hurried clerk fills in: no address, form or delivery method.
    data = new_request(received, applicant_name=rng.choice(NAMES),
                       description="关于" + "旧城改造资金" * rng.randrange(1, 40) + "的信息",
                       address="", preferred_form="", delivery_method="")
    r = cases.register(db, data, ACTOR, today=TODAY)
    return f"{r.id} {r.year} {r.seq}"


def _assign(db: Database, rng: random.Random, units: list[int]) -> str:
    with db.read() as s:
        ids = s.execute(text("SELECT id FROM request WHERE created_by = :a AND status IN "
                             "('registered', 'in_progress') ORDER BY id DESC LIMIT 50"), {"a": ACTOR}).scalars().all()
    if not ids:
        return "none"
    rid = rng.choice(ids)
    current = cases.get(db, rid)
    unit = units[0] if current.current_unit_id != units[0] else units[1]
    r = cases.assign(db, rid, ACTOR, unit_id=unit, on_date=TODAY, today=TODAY, expected_version=current.version)
    return f"{rid} {r.version}"


def _worker(db_path: Path, log_path: Path, cycle: int, notice: str, units: list[int]) -> None:
    rng = random.Random(cycle)
    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    db = Database.open(db_path)
    os.write(1, f"up {os.getpid()}\n".encode())
    step = 0
    while True:
        token = f"{cycle}-{step}"
        # The first action rotates over every kind, so each is killed mid-way in every run.
        kind = ("register", "assign", "demo", "calendar")[cycle % 4] if step == 0 else rng.choice(KINDS)
        _log(fd, f"B {token} {kind}")
        try:
            if kind == "register":
                details = _register(db, rng)
            elif kind == "assign":
                details = _assign(db, rng, units)
            elif kind == "demo":
                demo.run(db, DEMO_BATCH, seed=cycle * 1000 + step, today=TODAY, actor=ACTOR)
                details = str(DEMO_BATCH)
            else:
                source = f"kill-{token}"
                cases.import_calendar(db, notice, source, ACTOR, today=TODAY)
                details = source
        except BaseException:  # noqa: BLE001 - any failure is logged for the parent test, then the worker dies
            _log(fd, f"E {token} " + traceback.format_exc().replace("\n", " | "))
            os._exit(3)
        _log(fd, f"C {token} {kind} {details}")
        step += 1


def _prewarm(db_path: Path) -> None:
    """Import and cache in the zygote what every worker needs, then close every connection before forking."""
    from holidays import country_holidays  # noqa: F401  (imported lazily by the clock)

    from request_desk.core.deadlines import holidays

    db = Database.open(db_path)
    try:
        with db.read() as session:
            holidays.calendar(session)
        Database.head_revision()
    finally:
        db.close()


def main() -> None:
    db_path, log_path, notice_path = (Path(a) for a in sys.argv[1:4])
    units = [int(u) for u in sys.argv[4].split(",")]
    notice = notice_path.read_text(encoding="utf-8-sig")
    _prewarm(db_path)
    print("zygote", flush=True)
    worker = 0
    for line in sys.stdin:
        command = line.split()
        if not command:
            continue
        if command[0] == "go":
            worker = os.fork()
            if worker == 0:
                try:
                    _worker(db_path, log_path, int(command[1]), notice, units)
                except BaseException:  # noqa: BLE001 - a forked child must never return into the zygote's loop
                    os.write(2, traceback.format_exc().encode())
                finally:
                    os._exit(4)
            print(f"pid {worker}", flush=True)
        elif command[0] == "reap":
            _, status = os.waitpid(worker, 0)
            print(f"reaped {status}", flush=True)
        elif command[0] == "quit":
            return


if __name__ == "__main__":
    main()
