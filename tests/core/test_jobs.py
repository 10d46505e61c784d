"""The one job shape: ``jobs.run`` passes progress on, and 取消 leaves nothing half done.

The export and import cancellations are tested beside their jobs
(test_monthly_register.py, test_import.py); here the driver itself and the
backup and restore jobs.
"""

from __future__ import annotations

import ast
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from request_desk.core import cases, jobs
from request_desk.core.jobs import Cancelled, CancelToken, Job, Progress
from request_desk.core.storage import backup, restore
from request_desk.core.storage.db import Database
from tests.factories import TODAY, new_request


def _counting(steps: int, cleaned: list[str]) -> Job[int]:
    try:
        for n in range(steps):
            yield Progress(n, steps, f"第 {n} 步")
    finally:
        cleaned.append("undone")
    return steps


def test_run_passes_every_progress_on_and_returns_the_result() -> None:
    seen: list[Progress] = []
    cleaned: list[str] = []
    assert jobs.run(_counting(3, cleaned), on_progress=seen.append) == 3
    assert [(p.done, p.total) for p in seen] == [(0, 3), (1, 3), (2, 3)]
    assert cleaned == ["undone"]


def test_cancel_is_thrown_into_the_job_at_the_yield_after_it_was_pressed() -> None:
    token, seen, press_cancel_at_step_one = _cancel_after(1)
    cleaned: list[str] = []
    with pytest.raises(Cancelled):
        jobs.run(_counting(5, cleaned), on_progress=press_cancel_at_step_one, token=token)
    assert seen == [0, 1]  # step 2 never started
    assert cleaned == ["undone"]  # the job's own cleanup ran before Cancelled came out


def test_the_token_stops_work_between_yields() -> None:
    token = CancelToken()
    token.check()  # not pressed: nothing happens
    token.cancel()
    assert token.cancelled
    with pytest.raises(Cancelled):
        token.check()


def test_jobs_module_imports_nothing_else_from_the_core() -> None:
    source = Path(jobs.__file__).read_text(encoding="utf-8")
    imported = {node.module for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)}
    imported |= {a.name for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Import) for a in node.names}
    assert not {m for m in imported if m and m.startswith("request_desk")}


def _cancel_after(done: int) -> tuple[CancelToken, list[int], Callable[[Progress], None]]:
    """A token, the progress seen, and a progress callback that presses 取消 at step ``done``."""
    token, seen = CancelToken(), []

    def on_progress(progress: Progress) -> None:
        seen.append(progress.done)
        if progress.done == done:
            token.cancel()

    return token, seen, on_progress


def test_a_cancelled_backup_leaves_no_file(db: Database, db_path: Path) -> None:
    cases.register(db, new_request(), "clerk", today=TODAY)
    token, seen, on_progress = _cancel_after(1)  # the copy is written, not yet verified
    with pytest.raises(Cancelled):
        jobs.run(backup.backup_job(db_path, reason="manual"), on_progress=on_progress, token=token)
    assert seen == [0, 1]
    assert list(backup.backup_dir(db_path).iterdir()) == []  # not even the .partial copy
    # Run to its end, the same job gives the verified backup.
    info = jobs.run(backup.backup_job(db_path, reason="manual"))
    assert backup.verify(info.path).requests == 1


def test_a_cancelled_restore_leaves_the_database_as_it_was(db: Database, db_path: Path) -> None:
    cases.register(db, new_request(applicant_name="张三"), "clerk", today=TODAY)
    saved = backup.make_backup(db_path, reason="manual", now=datetime(2026, 11, 27, 9, 0))
    cases.register(db, new_request(applicant_name="李四"), "clerk", today=TODAY)
    token, seen, on_progress = _cancel_after(1)  # the backup is staged, the database not yet touched
    with pytest.raises(Cancelled):
        jobs.run(restore.restore_job(saved.path, db_path, actor="admin"), on_progress=on_progress,
                 token=token)
    assert seen == [0, 1]
    con = sqlite3.connect(db_path)
    try:
        names = [r[0] for r in con.execute("SELECT applicant_name FROM request ORDER BY id")]
    finally:
        con.close()
    assert names == ["张三", "李四"]
    assert [p.name for p in backup.backup_dir(db_path).iterdir()] == [saved.path.name]  # no staging file left
