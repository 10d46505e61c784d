"""Restoring a backup: nothing another desk saved is lost, and the restore is on the record.

The order of events is what makes it safe (docs/RELIABILITY.md, "Backups"):

1. The backup is verified and copied to a staging file in the backup folder,
   which is upgraded to this version's schema. Nothing live is touched yet.
2. The live database's write lock is taken and held until the end. From
   here no desk can commit: a desk that tries waits, then is told its action
   was not saved; reading goes on.
3. The copy kept aside is made through a second connection, so it holds
   everything committed before step 2; it is verified and given its final
   name before anything is overwritten.
4. In the same transaction the audit entries of the discarded period (those
   the backup does not have) are kept, every table is replaced by the
   backup's, those entries are written back marked with the file they came
   from (``audit_log.replaced_file``), and the restore itself is audited.
5. Commit. A kill at any earlier moment leaves the live file as it was.

A database that cannot be opened that way (missing, empty, damaged or not a
database) is kept aside byte for byte and the staging file takes its place.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from request_desk.core import files, jobs
from request_desk.core.errors import DatabaseDamaged
from request_desk.core.jobs import Job, Progress
from request_desk.core.storage import sqlite_support
from request_desk.core.storage.backup import (
    BackupFailed,
    BackupInvalid,
    backup_dir,
    discard,
    explain_os_error,
    new_name,
    verify,
)
from request_desk.core.storage.db import PARTIAL, Database


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    kept_aside: Path | None  # the database as it was before, None if there was none
    revision: str
    carried_audit_entries: int = 0  # audit entries of the discarded period written back


def restore(backup_path: Path, db_path: Path, *, actor: str = "", claimed_by: str = "",
            now: datetime | None = None) -> RestoreResult:
    """Replace the database's content with a verified backup, keeping the current one aside.

    Never overwrites without a verified copy of what was there; if anything
    fails, the live database is unchanged (``BackupFailed`` says why).
    ``restore_job`` run to its end.
    """
    return jobs.run(restore_job(backup_path, db_path, actor=actor, claimed_by=claimed_by, now=now))


def restore_job(backup_path: Path, db_path: Path, *, actor: str = "", claimed_by: str = "",
                now: datetime | None = None) -> Job[RestoreResult]:
    """``restore`` as a job with progress; returns the ``RestoreResult``.

    ``actor`` is the signed-in user the audit entry names; ``claimed_by`` the name given
    when nobody could sign in (the database replaced was damaged), kept as a detail.

    It yields only before the live database is touched (verifying, then
    staging the copy): cancelled there, the staging file is removed and the
    database is as it was. From taking the write lock to the commit it runs
    through without a yield.
    """
    backup_path, db_path = Path(backup_path), Path(db_path)
    yield Progress(0, 2, f"正在校验备份 {backup_path.name}…")
    checked = verify(backup_path)
    now = now or datetime.now()
    folder = backup_dir(db_path)
    aside = new_name(folder, db_path.stem, "before-restore", now)
    staging = Path(f"{new_name(folder, db_path.stem, 'restoring', now)}{PARTIAL}")
    try:
        _stage(backup_path, staging)
        yield Progress(1, 2, "正在替换数据库内容…")
        if opens_normally(db_path):
            carried = _restore_in_place(db_path, staging, aside, backup_path, (actor, claimed_by))
            kept: Path | None = aside
        else:
            kept = _replace_unusable(db_path, staging, aside, backup_path, (actor, claimed_by))
            carried = 0
        verify(db_path, expected_revision=Database.head_revision())
    except (OSError, sqlite3.Error, BackupInvalid) as exc:
        where = f"原数据库已保留在 {aside}。" if aside.exists() else "数据库未作改动。"
        raise BackupFailed(f"恢复未完成：{explain_os_error(exc)}。{where}") from exc
    finally:
        discard(staging)
    return RestoreResult(backup_path, kept, checked.revision, carried)


def _stage(backup_path: Path, staging: Path) -> None:
    """A copy of the backup at this version's schema, ready to be copied from."""
    staging.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(backup_path, staging)
    # Migrates an older backup: the copy, never the original (which is itself the backup to keep).
    Database.open(staging, backup_first=False).close()


def opens_normally(db_path: Path) -> bool:
    """True for an intact Request Desk database (brought to this version's schema).

    False only for a file that is damaged, empty or has no tables: those are
    replaced. A busy, read-only, foreign or newer file raises its own error,
    so that a restore never replaces records it merely could not open now.
    """
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return False
    try:
        Database.open(db_path, check=True).close()
    except DatabaseDamaged:
        return False
    return True


def _restore_in_place(db_path: Path, staging: Path, aside: Path, source: Path, actor: tuple[str, str]) -> int:
    with sqlite_support.holding_write_lock(db_path, staging) as con:
        _keep_aside(db_path, aside)
        con.execute(_CARRIED_SQL)
        sqlite_support.replace_content(con)
        carried = con.execute(_WRITE_BACK_SQL, (aside.name,)).rowcount
        _audit_restore(con, actor, source, aside, carried)
    return carried


def _keep_aside(db_path: Path, aside: Path) -> None:
    """A verified copy of the live database, made while the caller holds its write lock."""
    partial = Path(f"{aside}{PARTIAL}")
    try:
        sqlite_support.backup_to(db_path, partial)  # a second connection: reads, never waits
        verify(partial)
        os.replace(partial, aside)
        files.fsync_path(aside)
    except (OSError, sqlite3.Error, BackupInvalid) as exc:
        discard(partial)
        raise BackupFailed(f"无法保留当前数据库的副本（{explain_os_error(exc)}），"
                           "未进行恢复，数据库未作改动。") from exc


# Entries of the live log that the backup does not have: the discarded period.
_CARRIED_SQL = f"""
    CREATE TEMP TABLE carried AS
    SELECT a.at, a."user", a.action, a.table_name, a.record_id, a.old, a.new, a.replaced_file
    FROM main.audit_log AS a
    WHERE NOT EXISTS (SELECT 1 FROM {sqlite_support.RESTORED}.audit_log AS b
                      WHERE b.id = a.id AND b.at = a.at AND b.action = a.action AND b."user" = a."user")
    ORDER BY a.id
"""
_WRITE_BACK_SQL = """
    INSERT INTO main.audit_log (at, "user", action, table_name, record_id, old, new, replaced_file)
    SELECT at, "user", action, table_name, record_id, old, new, coalesce(replaced_file, ?)
    FROM temp.carried ORDER BY rowid
"""


def _audit_restore(con: sqlite3.Connection, actor: tuple[str, str], source: Path, aside: Path | None,
                   carried: int) -> None:
    """The restore's own audit entry, in the transaction that restores (as the ORM would store it).

    ``actor`` is (signed-in user, name given unverified): the entry names only the first.
    """
    details: dict[str, object] = {"from": str(source), "kept_aside": str(aside) if aside else None,
                                  "carried_audit_entries": carried}
    if actor[1] and actor[1] != actor[0]:
        details["claimed_by"] = actor[1]
    at = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    con.execute(
        'INSERT INTO main.audit_log (at, "user", action, table_name, record_id, old, new) '
        "VALUES (?, ?, 'restore_backup', 'database', NULL, NULL, ?)",
        (at.strftime("%Y-%m-%d %H:%M:%S.%f"), actor[0], json.dumps(details)),
    )


def _replace_unusable(db_path: Path, staging: Path, aside: Path, source: Path, actor: tuple[str, str]) -> Path | None:
    """The live file cannot be opened: keep its bytes aside, put the staged backup in its place."""
    kept = _copy_aside_raw(db_path, aside) if db_path.exists() else None
    con = sqlite3.connect(staging, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        _audit_restore(con, actor, source, kept, 0)
        con.execute("COMMIT")
    finally:
        con.close()
    incoming = Path(f"{db_path}{PARTIAL}")
    shutil.copyfile(staging, incoming)
    files.fsync_path(incoming)
    # The damaged file's WAL must not be replayed onto the restored file.
    for companion in sqlite_support.companions(db_path)[1:]:
        companion.unlink(missing_ok=True)
    os.replace(incoming, db_path)
    files.fsync_path(db_path)
    return kept


def _copy_aside_raw(db_path: Path, aside: Path) -> Path:
    """A damaged file cannot be read page by page: keep its exact bytes (and its WAL)."""
    for suffix in ("", "-wal"):
        source = Path(f"{db_path}{suffix}")
        if source.exists():
            partial = Path(f"{aside}{suffix}{PARTIAL}")
            shutil.copyfile(source, partial)
            files.fsync_path(partial)
            os.replace(partial, Path(f"{aside}{suffix}"))
    return aside
