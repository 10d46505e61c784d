"""Online backups: made while desks keep working, verified, rotated; restore that keeps a copy.

A backup is one self-contained SQLite file written with the online backup API
(``sqlite_support.backup_to``), so it is consistent even while another desk
writes. Every backup is written under a temporary name, checked with
``PRAGMA integrity_check`` and for its schema revision, synced to disk and only
then given its final name: a file in the backup folder is a good backup.

Backups live in a ``backups`` folder beside the database (for a database on a
shared drive, the backups are on the share too, where every desk finds them),
named ``<database>-YYYYMMDD-HHMMSS-<reason>.sqlite3``. Rotation keeps the
newest ``keep`` regular backups plus the newest of each of the last
``keep_days`` days with a backup; copies kept aside by a restore and the
backups made before an upgrade (``Database.migrate``) are never deleted
automatically.

Rotation never deletes the newest good backup that holds more than the
database does now (an emptied or replaced file must not cost the last copy of
the records), and a backup is never written over the database itself, its
companion files or an existing file unless asked to. Restoring is in
``core/restore.py``.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session

from request_desk.core import files, jobs
from request_desk.core.errors import DeskError, ValidationFailed
from request_desk.core.jobs import Job, Progress
from request_desk.core.storage import sqlite_support
from request_desk.core.storage.audit import audit
from request_desk.core.storage.migrations import alembic_config
from request_desk.core.storage.models import Setting

if TYPE_CHECKING:  # db.py imports this module to back a database up before upgrading it
    from request_desk.core.storage.db import Database

PARTIAL = sqlite_support.PARTIAL

BACKUP_FOLDER = "backups"
SUFFIX = ".sqlite3"
DAILY = timedelta(hours=24)
# A ``.partial`` file this old was left by a killed backup or restore: no
# backup takes an hour between two writes to its file.
STALE_PARTIAL = timedelta(hours=1)

REASONS: dict[str, str] = {
    "startup": "启动时自动备份",
    "daily": "每日自动备份",
    "manual": "手动备份",
    "before-restore": "恢复前保留的原数据库",
    "before-upgrade": "升级前自动备份（旧版本数据库）",
}
#: The reasons whose backups rotation may delete (the server's dumps too, ``server_backup``).
ROTATED = frozenset({"startup", "daily", "manual"})
_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?-(?P<reason>[a-z-]+)"
                   r"(?P<suffix>\.sqlite3|\.dump)$")
_POLICY_KEY = "backup"


class BackupFailed(DeskError):
    """A backup could not be written or did not verify; nothing was replaced."""


class BackupInvalid(DeskError):
    """A file offered for restore is not a good Request Desk backup."""


class BackupTargetExists(BackupFailed):
    """The chosen backup file exists; it is replaced only when the user confirms (``overwrite``)."""


@dataclass(frozen=True)
class BackupPolicy:
    """How many backups to keep; office-wide, stored in the database."""

    keep: int = 10
    keep_days: int = 7


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime  # local time, from the file name
    reason: str
    size: int
    requests: int | None = None  # counted when it was verified, where that was not for free (a server dump)

    @property
    def label(self) -> str:
        return REASONS.get(self.reason, self.reason)


@dataclass(frozen=True)
class Verified:
    """A backup file that passed ``PRAGMA integrity_check`` and has a known schema revision."""

    path: Path
    revision: str
    requests: int


# --------------------------------------------------------------------------
# Where backups are and what is there
# --------------------------------------------------------------------------


def backup_dir(db_path: Path) -> Path:
    return Path(db_path).parent / BACKUP_FOLDER


def list_backups(db_path: Path, folder: Path | None = None) -> list[BackupInfo]:
    """Backups of ``db_path`` in its backup folder, newest first."""
    return backups_in(folder or backup_dir(db_path), Path(db_path).stem)


def backups_in(folder: Path, stem: str, suffix: str = SUFFIX) -> list[BackupInfo]:
    """The backups named ``<stem>-<time>-<reason><suffix>`` in ``folder``, newest first."""
    found: list[tuple[datetime, int, int, BackupInfo]] = []
    if not folder.is_dir():
        return []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if not match or match["stem"] != stem or match["suffix"] != suffix or not entry.is_file():
            continue
        try:
            created = datetime.strptime(match["stamp"], _STAMP)
            stat = entry.stat()
        except (ValueError, OSError):
            continue
        n = int(match["n"] or 1)
        # Within one second the file's own time decides.
        found.append((created, n, stat.st_mtime_ns, BackupInfo(entry, created, match["reason"], stat.st_size)))
    found.sort(key=lambda t: (t[0], t[1], t[2]), reverse=True)
    return [t[3] for t in found]


def new_name(folder: Path, stem: str, reason: str, now: datetime, suffix: str = SUFFIX) -> Path:
    base = f"{stem}-{now.strftime(_STAMP)}"
    path = folder / f"{base}-{reason}{suffix}"
    n = 1
    while path.exists() or path.with_name(path.name + PARTIAL).exists():
        n += 1
        path = folder / f"{base}-{n}-{reason}{suffix}"
    return path


def backup_due(db_path: Path, now: datetime | None = None, interval: timedelta = DAILY) -> bool:
    """True when the newest regular backup is older than ``interval`` (or there is none)."""
    now = now or datetime.now()
    regular = [b for b in list_backups(db_path) if b.reason in ROTATED]
    return not regular or now - regular[0].created >= interval


# --------------------------------------------------------------------------
# Verification
# --------------------------------------------------------------------------


def verify(path: Path, *, expected_revision: str | None = None) -> Verified:
    """Check a database or backup file: intact, and a schema revision this version knows.

    Raises ``BackupInvalid`` with a Chinese explanation otherwise.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupInvalid(f"找不到备份文件 {path}。")
    problems = sqlite_support.integrity_problems(path)
    if problems:
        raise BackupInvalid(f"文件 {path.name} 已损坏或不是数据库：{'；'.join(problems[:3])}")
    try:
        revision = sqlite_support.stored_revision(path)
        con = sqlite_support.connect_read_only(path)
        try:
            requests = int(con.execute("SELECT count(*) FROM request").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise BackupInvalid(f"文件 {path.name} 不是依申请公开办理台的数据库（{exc}）。") from exc
    if revision is None:
        raise BackupInvalid(f"文件 {path.name} 不是依申请公开办理台的数据库（没有数据库版本记录）。")
    if expected_revision is not None and revision != expected_revision:
        raise BackupInvalid(f"备份 {path.name} 的数据库版本 {revision} 与原数据库 {expected_revision} 不一致。")
    if revision not in known_revisions():
        raise BackupInvalid(f"备份 {path.name} 由更新版本的依申请公开办理台创建（数据库版本 {revision}），"
                            "当前软件无法使用。请先升级软件。")
    return Verified(path, revision, requests)


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory  # noqa: PLC0415  (only when a backup is checked)

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def is_good(path: Path) -> bool:
    try:
        verify(path)
    except DeskError:
        return False
    return True


def newest_good_backup(db_path: Path) -> BackupInfo | None:
    """The newest backup of ``db_path`` that verifies (damaged ones are skipped)."""
    for info in list_backups(db_path):
        if info.reason != "before-restore" and is_good(info.path):
            return info
    return None


def diagnose(db_path: Path) -> str | None:
    """A Chinese explanation when the database file is damaged, empty or not a database.

    These are the cases where restoring the newest good backup is the remedy.
    None when the file is intact or absent, and also when it cannot be
    checked for another reason (a folder, a lock held by another desk, a
    read-only medium is still readable): offering a restore then would
    replace good records.
    """
    db_path = Path(db_path)
    if not db_path.is_file():
        return None
    if db_path.stat().st_size == 0:
        return (f"数据库文件 {db_path} 是空文件（0 字节），其中没有任何记录。"
                "这不是新建的数据库：常见原因是同步软件、杀毒软件或磁盘故障清空了文件。")
    problems = sqlite_support.integrity_problems(db_path)
    if not problems:
        return None
    if any("locked" in p or "busy" in p for p in problems):
        return None  # another desk holds it: not damage
    return (f"数据库文件 {db_path} 已损坏，无法安全使用（检查结果：{'；'.join(problems[:3])}）。"
            "常见原因是写入时断电、网络共享中断或磁盘故障。")


def clean_stale_partials(db_path: Path, now: datetime | None = None) -> list[Path]:
    """Delete what killed backups and restores left behind (``*.partial``, over an hour old)."""
    db_path = Path(db_path)
    cutoff = (now or datetime.now()).timestamp() - STALE_PARTIAL.total_seconds()
    candidates = [*backup_dir(db_path).glob(f"{db_path.stem}-*{PARTIAL}*"),
                  *db_path.parent.glob(f"{db_path.name}{PARTIAL}*")]
    removed = []
    for path in candidates:
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed.append(path)
        except OSError:
            pass  # another desk removed it, or it is in use: harmless
    return removed


# --------------------------------------------------------------------------
# Making backups
# --------------------------------------------------------------------------


def make_backup(db_path: Path, *, reason: str = "manual", target: Path | None = None,
                policy: BackupPolicy | None = None, now: datetime | None = None,
                overwrite: bool = False) -> BackupInfo:
    """Back up the (possibly open) database to ``target`` or its backup folder; verify; rotate.

    ``backup_job`` run to its end (the command line, start-up, tests).
    """
    return jobs.run(backup_job(db_path, reason=reason, target=target, policy=policy, now=now, overwrite=overwrite))


def backup_job(db_path: Path, *, reason: str = "manual", target: Path | None = None,
               policy: BackupPolicy | None = None, now: datetime | None = None,
               overwrite: bool = False) -> Job[BackupInfo]:
    """``make_backup`` as a job: copy, then verify, with progress; returns the backup's ``BackupInfo``.

    The file appears under its final name only once verified and synced. An
    existing ``target`` is replaced only with ``overwrite`` (the CLI's
    ``--force``, the GUI after asking), and never when it is the database
    itself, one of its companion files, a rotated backup or not a regular file.
    It yields only while the copy is still a ``.partial`` file: cancelled
    there, the partial file is removed and nothing else has changed.
    """
    db_path = Path(db_path)
    if not db_path.is_file():
        raise BackupFailed(f"找不到数据库文件 {db_path}，无法备份。")
    now = now or datetime.now()
    if target is None:
        folder = backup_dir(db_path)
        final = new_name(folder, db_path.stem, reason, now)
    else:
        final = Path(target)
        folder = final.parent
        check_target(db_path, final, overwrite=overwrite)
    partial = final.with_name(final.name + PARTIAL)
    yield Progress(0, 2, f"正在复制数据库到 {final.name}…")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        sqlite_support.backup_to(db_path, partial)
        yield Progress(1, 2, "正在校验备份…")
        expected = sqlite_support.stored_revision(db_path)
        verify(partial, expected_revision=expected)
        os.replace(partial, final)
        files.fsync_path(final)
    except BackupInvalid as exc:
        discard(partial)
        raise BackupFailed(f"备份未通过校验，已删除不完整的备份文件：{exc}") from exc
    except (OSError, sqlite3.Error) as exc:
        discard(partial)
        raise BackupFailed(f"无法写入备份 {final}：{explain_os_error(exc)}。数据库本身未受影响。") from exc
    except BaseException:  # cancelled (or a bug): no partial backup is left behind
        discard(partial)
        raise
    info = BackupInfo(final, now.replace(microsecond=0), reason, final.stat().st_size)
    if target is None and reason in ROTATED:
        rotate(db_path, policy or BackupPolicy())
    return info


def same_path(a: Path, b: Path) -> bool:
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def is_backup_name(name: str) -> bool:
    """Whether ``name`` is one the backup folder's own backups use (rotation may delete such a file)."""
    return _NAME.match(name) is not None


def check_target(db_path: Path, target: Path, *, overwrite: bool = False) -> None:
    """Refuse a backup target that would destroy something (issue 11: ``backup -o`` over the live file)."""
    companions = [Path(f"{db_path}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]
    if any(same_path(target, c) for c in companions):
        raise BackupFailed(f"{target} 是正在使用的数据库文件（或其日志文件），不能把备份写在它上面。"
                           "请选择另一个文件名。")
    if same_path(target.parent, backup_dir(db_path)) and is_backup_name(target.name):
        raise BackupFailed(f"{target.name} 是自动备份使用的文件名，请选择另一个文件名或文件夹。")
    if target.is_symlink() or target.exists():
        if not target.is_file():
            raise BackupFailed(f"{target} 不是普通文件（是文件夹或设备），不能作为备份文件。")
        if not overwrite:
            raise BackupTargetExists(f"文件 {target} 已存在，未覆盖。如确需替换它，请使用 --force。")


def explain_os_error(exc: BaseException) -> str:
    text = str(exc)
    if "full" in text or getattr(exc, "errno", None) == 28:
        return "磁盘空间不足"
    if isinstance(exc, PermissionError) or "readonly" in text or "read-only" in text:
        return "没有写入权限（文件夹只读）"
    return text


def discard(path: Path) -> None:
    """Remove a temporary database file and whatever SQLite kept beside it."""
    for p in (path, *(path.with_name(path.name + suffix) for suffix in ("-journal", "-wal", "-shm"))):
        try:
            p.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            pass


def rotate(db_path: Path, policy: BackupPolicy) -> list[Path]:
    """Delete regular backups beyond the policy; returns what was deleted.

    The newest good backup holding more than the database does now is kept
    whatever its age: if the live file was emptied or replaced, daily backups
    of the poor file must not push out the last copy of the records.
    """
    regular = [b for b in list_backups(db_path) if b.reason in ROTATED]
    keep = kept_by_policy(regular, policy)
    richer = _newest_richer_backup(db_path, regular)
    if richer is not None:
        keep.add(richer)
    removed = []
    for b in regular:
        if b.path not in keep:
            try:
                b.path.unlink()
                removed.append(b.path)
            except OSError:
                pass  # a backup that cannot be deleted is harmless
    return removed


def kept_by_policy(regular: list[BackupInfo], policy: BackupPolicy) -> set[Path]:
    """Of the regular backups (newest first), those the policy keeps: the newest ``keep``, one per recent day."""
    keep = {b.path for b in regular[: max(1, policy.keep)]}
    days: list[object] = []
    for b in regular:  # newest first: the first seen of a day is its newest
        day = b.created.date()
        if day not in days and len(days) < policy.keep_days:
            days.append(day)
            keep.add(b.path)
    return keep


def _contents(path: Path) -> tuple[int, int] | None:
    """(requests, audit entries) of a database file, or None when it cannot be read."""
    try:
        con = sqlite_support.connect_read_only(path)
        try:
            return (int(con.execute("SELECT count(*) FROM request").fetchone()[0]),
                    int(con.execute("SELECT count(*) FROM audit_log").fetchone()[0]))
        finally:
            con.close()
    except sqlite3.Error:
        return None


def _newest_richer_backup(db_path: Path, backups: list[BackupInfo]) -> Path | None:
    # The audit log only grows (a restore carries it over), so fewer audit
    # entries than a backup means the live file lost history.
    current = _contents(db_path) or (0, 0)
    for info in backups:  # newest first
        held = _contents(info.path)
        if held is not None and (held[0] > current[0] or held[1] > current[1]) and is_good(info.path):
            return info.path
    return None


# --------------------------------------------------------------------------
# The policy, stored with the office settings
# --------------------------------------------------------------------------


def load_policy(session: Session) -> BackupPolicy:
    row = session.get(Setting, _POLICY_KEY)
    stored = row.value if row is not None and isinstance(row.value, dict) else {}
    try:
        return BackupPolicy(keep=int(stored.get("keep", BackupPolicy.keep)),
                            keep_days=int(stored.get("keep_days", BackupPolicy.keep_days)))
    except (TypeError, ValueError):
        return BackupPolicy()


def save_policy(session: Session, policy: BackupPolicy, actor: str) -> BackupPolicy:
    if not 1 <= policy.keep <= 1000 or not 0 <= policy.keep_days <= 366:
        raise ValidationFailed("保留备份份数须在 1–1000 之间，按天保留须在 0–366 天之间。")
    old = load_policy(session)
    row = session.get(Setting, _POLICY_KEY)
    if row is None:
        session.add(Setting(key=_POLICY_KEY, value=asdict(policy)))
    else:
        row.value = asdict(policy)
        session.add(row)
    audit(session, actor, "backup_policy", "setting", None, asdict(old), asdict(policy))
    return policy


def policy_of(db: Database) -> BackupPolicy:
    with db.read() as session:
        return load_policy(session)
