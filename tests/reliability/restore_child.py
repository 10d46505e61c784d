"""Processes the restore tests run beside a restore: another desk that keeps working.

``python -m tests.reliability.restore_child register DB LOG STOP`` registers a
request about every 20 ms until the file STOP exists. After each registration
the desk was told is saved it appends ``saved <name>`` to LOG (flushed and
fsynced); a refused one (the restore held the database) is ``refused <name>``.
DB may be the office server's location (``postgresql://…``).

``python -m tests.reliability.restore_child restore BACKUP DB`` restores, for
the kill test (DB a server location: ``server_restore``, the dump BACKUP).
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

from request_desk import paths
from request_desk.core import cases, jobs
from request_desk.core.errors import DeskError
from request_desk.core.storage import restore, server_restore
from request_desk.core.storage.db import Database
from tests.factories import TODAY, new_request


def _log(fd: int, line: str) -> None:
    os.write(fd, (line + "\n").encode("utf-8"))
    os.fsync(fd)


def register_until(db_path: Path | str, log_path: Path, stop: Path) -> None:
    db = Database.open(db_path)
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    n = 0
    while not stop.exists():
        n += 1
        name = f"另一台{n}"
        try:
            cases.register(db, new_request(date(2026, 11, 2), applicant_name=name), "clerk", today=TODAY)
        except DeskError:
            _log(fd, f"refused {name}")
        else:
            _log(fd, f"saved {name}")
        time.sleep(0.02)
    os.close(fd)
    db.close()


if __name__ == "__main__":
    if sys.argv[1] == "register":
        register_until(paths.location(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
    elif paths.on_server(sys.argv[3]):
        jobs.run(server_restore.restore_job(Path(sys.argv[2]), sys.argv[3], actor="supervisor"))
    else:
        restore.restore(Path(sys.argv[2]), Path(sys.argv[3]), actor="supervisor")
