"""Backups and restores an administrator asks for: the permission check before the storage work.

``core.storage.backup`` and ``core.storage.restore`` copy files and know nothing of
users (storage stands below the office layer); this module checks, in the database
being copied, that the signed-in user is an administrator (docs/SECURITY.md). The
desk's automatic backups on start and while open are its own and need no one.

A database that cannot be opened has no accounts to check: restoring over it is
allowed to whoever runs the desk, since the damaged file is kept aside and nothing
is lost; the restore's audit entry then says the user was not verified. On the office
server the same holds for a database without accounts (a new server the office's
dump is restored onto): ``core.storage.server_backup`` and ``server_restore`` do the work.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from request_desk import paths
from request_desk.core.jobs import Job
from request_desk.core.office import permissions
from request_desk.core.storage import backup, restore, server_backup, server_restore
from request_desk.core.storage.db import Database


def _require(db_path: Path | str, actor: str, permission: permissions.Permission) -> None:
    db = Database.open(db_path, check=True)
    try:
        with db.read() as session:
            permissions.require(session, actor, permission)
    finally:
        db.close()


def backup_job(db_path: Path | str, actor: str, *, target: Path | None = None,
               policy: backup.BackupPolicy | None = None, overwrite: bool = False) -> Job[backup.BackupInfo]:
    """A manual backup (``backup.backup_job``, a dump of the server's database), refused unless ``actor`` may."""
    if paths.on_server(db_path):
        _require(db_path, actor, permissions.Permission.MAKE_BACKUP)
        return (yield from server_backup.backup_job(str(db_path), reason="manual", target=target, policy=policy,
                                                    overwrite=overwrite))
    _require(Path(db_path), actor, permissions.Permission.MAKE_BACKUP)
    return (yield from backup.backup_job(Path(db_path), reason="manual", target=target, policy=policy,
                                         overwrite=overwrite))


def set_keep(db: Database, keep: int, actor: str) -> backup.BackupPolicy:
    """Keep ``keep`` regular backups from now on (设置 → 备份与恢复, ``backup --keep``); audited.

    An administrator's choice; nothing is written when the number is unchanged.
    """
    with db.write() as session:
        permissions.require(session, actor, permissions.Permission.MAKE_BACKUP)
        current = backup.load_policy(session)
        if current.keep == keep:
            return current
        return backup.save_policy(session, backup.BackupPolicy(keep, current.keep_days), actor)


def restore_job(backup_path: Path, db_path: Path | str, actor: str,
                now: datetime | None = None) -> Job[restore.RestoreResult]:
    """``restore.restore_job``, refused unless ``actor`` is an administrator of the database replaced."""
    if paths.on_server(db_path):
        location = str(db_path)
        if server_restore.has_accounts(location):
            _require(location, actor, permissions.Permission.RESTORE_BACKUP)
            signed_in = actor
        else:
            signed_in = ""
        return (yield from server_restore.restore_job(backup_path, location, actor=signed_in, claimed_by=actor,
                                                      now=now))
    if restore.opens_normally(Path(db_path)):
        _require(Path(db_path), actor, permissions.Permission.RESTORE_BACKUP)
        verified = actor
    else:
        verified = ""
    return (yield from restore.restore_job(backup_path, Path(db_path), actor=verified, claimed_by=actor, now=now))
