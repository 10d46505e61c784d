"""Backups of the office server's database made from a desk: ``pg_dump`` to this PC, verified on the server.

The server's own backup regime (the IT staff's scheduled ``pg_dump`` or
``pg_basebackup``) is what protects an office on PostgreSQL; a desk's dump
is a second copy an administrator can take before a risky change or carry
away (docs/RELIABILITY.md, "Backups"). It follows the file backups'
rules (``core/storage/backup.py``):

- one custom-format dump (``pg_dump -Fc``) per backup, in a folder of this
  PC's data directory per server and database (``backups/<host>-<port>-<db>``),
  named ``<db>-YYYYMMDD-HHMMSS-<reason>.dump``;
- written as ``.partial``, then verified, synced and renamed: a ``.dump`` in
  the folder is a good backup;
- verified by restoring it into a scratch database on the same server
  (``request_desk_scratch_…``, created and dropped again), which must hold a
  schema revision this version knows, the revision of the database dumped,
  and a ``request`` table that is counted;
- rotated with the office's policy (``backup --keep``). The file backups'
  extra safeguard, keeping the newest backup that holds more than the
  database does now, is not applied: counting a dump means restoring it.

The connection reaches ``pg_dump``/``pg_restore`` as a libpq URI without the
password, which goes through ``PGPASSWORD``: ``ps`` never shows it.
Restoring is in ``server_restore.py``.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
from sqlalchemy.engine import URL, make_url

from request_desk import paths
from request_desk.core import files
from request_desk.core.jobs import Job, Progress
from request_desk.core.storage import backup
from request_desk.core.storage.backup import BackupFailed, BackupInfo, BackupInvalid, BackupPolicy, Verified
from request_desk.core.storage.db import PARTIAL
from request_desk.core.storage.postgres_support import shown

DUMP_SUFFIX = ".dump"
#: A folder holding the PostgreSQL client programs to use (``pg_dump``, ``pg_restore``); only it is searched.
PG_BIN_ENV = "REQUEST_DESK_PG_BIN"
SCRATCH_PREFIX = "request_desk_scratch"
_SCRATCH_STAMP = "%Y%m%d%H%M%S"
_SCRATCH_NAME = re.compile(rf"^{SCRATCH_PREFIX}_(?P<stamp>\d{{14}})_")
_NO_WINDOW = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # no console flashing up over the GUI on Windows

NOT_INSTALLED = ("本机没有找到 PostgreSQL 客户端程序 pg_dump / pg_restore，无法把服务器上的数据库备份到本机。"
                 "服务器上的记录由服务器自己的备份（信息技术人员定期进行的 pg_dump 或 pg_basebackup 备份）保护，"
                 "这才是主要的备份。如需在本机另存一份，请安装与服务器版本相同的 PostgreSQL 客户端程序，"
                 f"或把环境变量 {PG_BIN_ENV} 设为其 bin 文件夹。")


@dataclass(frozen=True)
class Tools:
    """The PostgreSQL client programs found on this PC, and their major version."""

    pg_dump: Path
    pg_restore: Path
    major: int


# --------------------------------------------------------------------------
# Where the dumps are
# --------------------------------------------------------------------------


def _safe(text: str) -> str:
    return re.sub(r"[^\w.-]", "_", text) or "_"


def stem(location: str) -> str:
    """The database's name as the dumps' names begin."""
    return _safe(str(make_url(location).database or "postgres"))


def backup_dir(location: str) -> Path:
    """This PC's folder for dumps of one server's database: ``backups/<host>-<port>-<db>`` in the data dir."""
    url = make_url(location)
    return paths.data_dir() / backup.BACKUP_FOLDER / _safe(f"{url.host or 'localhost'}-{url.port or 5432}-"
                                                           f"{url.database or 'postgres'}")


def list_backups(location: str) -> list[BackupInfo]:
    """The dumps of the server's database on this PC, newest first."""
    return backup.backups_in(backup_dir(location), stem(location), DUMP_SUFFIX)


def rotate(location: str, policy: BackupPolicy) -> list[Path]:
    """Delete regular dumps beyond the policy (copies kept aside by a restore are never deleted)."""
    regular = [b for b in list_backups(location) if b.reason in backup.ROTATED]
    keep = backup.kept_by_policy(regular, policy)
    removed = []
    for info in regular:
        if info.path not in keep:
            try:
                info.path.unlink()
                removed.append(info.path)
            except OSError:
                pass  # a dump that cannot be deleted is harmless
    return removed


def clean_stale_partials(location: str, now: datetime | None = None) -> list[Path]:
    """Delete the ``.partial`` dumps killed backups and restores left (over an hour old)."""
    cutoff = (now or datetime.now()).timestamp() - backup.STALE_PARTIAL.total_seconds()
    removed = []
    for path in backup_dir(location).glob(f"{stem(location)}-*{PARTIAL}"):
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed.append(path)
        except OSError:
            pass
    return removed


# --------------------------------------------------------------------------
# The server and the client programs
# --------------------------------------------------------------------------


def libpq_uri(location: str, *, database: str | None = None, password: bool = False) -> str:
    """``location`` as libpq reads it (optionally another database on the same server); no password unless asked."""
    url = make_url(location.strip())
    url = URL.create("postgresql", url.username, url.password if password else None, url.host, url.port,
                     url.database if database is None else database, url.query)  # ``URL.set`` cannot unset
    return url.render_as_string(hide_password=False)


def tool_env(location: str) -> dict[str, str]:
    """The environment of ``pg_dump``/``pg_restore``: the password travels here, never on the command line."""
    env = dict(os.environ)
    secret = make_url(location.strip()).password
    if secret:
        env["PGPASSWORD"] = str(secret)
    env.setdefault("PGCONNECT_TIMEOUT", "10")
    env["PGAPPNAME"] = "request-desk backup"
    return env


def connect(location: str, *, database: str | None = None, autocommit: bool = True) -> psycopg.Connection:
    """A plain connection for the backup's own work (creating the scratch database, reading it)."""
    try:
        return psycopg.connect(libpq_uri(location, database=database, password=True), autocommit=autocommit,
                               connect_timeout=10, application_name="request-desk backup")
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BackupFailed(f"无法连接数据库服务器 {shown(libpq_uri(location, database=database))}：{first}。") from exc


def server_major(location: str) -> int:
    with connect(location) as conn:
        row = conn.execute("SHOW server_version_num").fetchone()
    return int(row[0]) // 10000 if row else 0


def _version(program: Path) -> int | None:
    try:
        out = subprocess.run([str(program), "--version"], capture_output=True, text=True, timeout=30,
                             creationflags=_NO_WINDOW).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match[1]) if match else None


def _tool_folders() -> list[Path]:
    configured = os.environ.get(PG_BIN_ENV)
    if configured:
        return [Path(configured)]
    found = shutil.which("pg_dump")
    folders = [Path(found).parent] if found else []
    # Debian keeps each major version apart; the Windows installer puts them under Program Files.
    for pattern_root, pattern in ((Path("/usr/lib/postgresql"), "*/bin"),
                                  (Path(os.environ.get("PROGRAMFILES", r"C:\Program Files")) / "PostgreSQL",
                                   "*/bin")):
        if pattern_root.is_dir():
            folders.extend(sorted(pattern_root.glob(pattern)))
    return folders


def find_tools(needed_major: int) -> Tools:
    """The newest ``pg_dump``/``pg_restore`` pair on this PC; it must be at least the server's major version.

    ``pg_dump`` refuses to dump a server newer than itself, and a dump
    written by a newer ``pg_dump`` cannot be read by an older ``pg_restore``.
    """
    exe = ".exe" if os.name == "nt" else ""
    best: Tools | None = None
    for folder in _tool_folders():
        dump, restore = folder / f"pg_dump{exe}", folder / f"pg_restore{exe}"
        if not (dump.is_file() and restore.is_file()):
            continue
        major = _version(dump)
        if major is not None and (best is None or major > best.major):
            best = Tools(dump, restore, major)
    if best is None:
        raise BackupFailed(NOT_INSTALLED)
    if best.major < needed_major:
        raise BackupFailed(
            f"本机的 PostgreSQL 客户端程序是 {best.major} 版（{best.pg_dump}），而数据库服务器是 {needed_major} 版："
            "pg_dump 不能备份比它新的服务器。请安装 PostgreSQL "
            f"{needed_major} 版（或更新）的客户端程序，或把环境变量 {PG_BIN_ENV} 设为其 bin 文件夹。"
            "服务器上的记录仍由服务器自己的备份保护。")
    return best


def run_tool(args: list[str], location: str, what: str) -> None:
    """Run a client program; its error output, if it fails, in a ``BackupFailed``."""
    try:
        done = subprocess.run(args, env=tool_env(location), capture_output=True, text=True,
                              creationflags=_NO_WINDOW, check=False)
    except OSError as exc:
        raise BackupFailed(f"无法运行 {Path(args[0]).name}：{exc}") from exc
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        raise BackupFailed(f"{what}失败（{Path(args[0]).name}）：{'；'.join(lines[:3]) or done.returncode}")


def dump(tools: Tools, location: str, target: Path) -> None:
    """``pg_dump -Fc`` of the database into ``target`` (a consistent snapshot, while desks keep working)."""
    run_tool([str(tools.pg_dump), "--format=custom", f"--file={target}", f"--dbname={libpq_uri(location)}"],
             location, "导出数据库")


def dump_revision(tools: Tools, path: Path) -> str | None:
    """The schema revision a dump holds, read from the dump itself (no database needed)."""
    try:
        done = subprocess.run([str(tools.pg_restore), "--data-only", "--table=alembic_version", "--file=-",
                               str(path)], capture_output=True, text=True, creationflags=_NO_WINDOW, check=False)
    except OSError as exc:
        raise BackupInvalid(f"无法读取备份 {path.name}：{exc}") from exc
    if done.returncode != 0:
        raise BackupInvalid(f"文件 {path.name} 不是 PostgreSQL 的备份（pg_dump 自定义格式）或已损坏："
                            f"{done.stderr.strip().splitlines()[0] if done.stderr.strip() else done.returncode}")
    lines = done.stdout.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and i + 1 < len(lines):
            value = lines[i + 1].strip()
            return None if value == "\\." else value
    return None


# --------------------------------------------------------------------------
# The scratch database a dump is restored into
# --------------------------------------------------------------------------


@contextmanager
def scratch_database(location: str, purpose: str) -> Iterator[str]:
    """A new, empty database on the same server for the duration; its location. Dropped afterwards.

    Named ``request_desk_scratch_<time>_<purpose>_<random>`` so that an IT
    person seeing one knows what it is; one a killed desk left behind is
    dropped by the next backup after an hour.
    """
    name = f"{SCRATCH_PREFIX}_{datetime.now().strftime(_SCRATCH_STAMP)}_{purpose}_{secrets.token_hex(3)}"
    with connect(location) as conn:
        _drop_stale_scratch(conn)
        encoding = conn.execute("SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database "
                                "WHERE datname = current_database()").fetchone()
        clause = (f" ENCODING '{encoding[0]}' LC_COLLATE '{encoding[1]}' LC_CTYPE '{encoding[2]}'"
                  if encoding else "")
        try:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0{clause}')
        except psycopg.errors.InsufficientPrivilege as exc:
            user = make_url(location).username or "当前账号"
            raise BackupFailed(
                f"校验备份需要在服务器上临时新建一个数据库，但账号 {user} 没有新建数据库的权限。"
                f"请信息技术人员授权（ALTER ROLE \"{user}\" CREATEDB;）后重试。") from exc
        except psycopg.Error as exc:
            raise BackupFailed(f"无法在服务器上新建临时数据库 {name}：{exc}") from exc
    scratch = libpq_uri(location, database=name, password=True)
    try:
        yield scratch
    finally:
        drop_database(location, name)


def drop_database(location: str, name: str) -> None:
    """Drop a scratch database; one that cannot be dropped now is left for the next backup (``_drop_stale_scratch``)."""
    with contextlib.suppress(BackupFailed, psycopg.Error), connect(location) as conn:
        force = " WITH (FORCE)" if server_version_num(conn) >= 130000 else ""
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"{force}')


def server_version_num(conn: psycopg.Connection) -> int:
    row = conn.execute("SHOW server_version_num").fetchone()
    return int(row[0]) if row else 0


def _drop_stale_scratch(conn: psycopg.Connection) -> None:
    cutoff = datetime.now() - timedelta(hours=1)
    rows = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                        (f"{SCRATCH_PREFIX}\\_%",)).fetchall()
    for (name,) in rows:
        match = _SCRATCH_NAME.match(name)
        try:
            stale = match is not None and datetime.strptime(match["stamp"], _SCRATCH_STAMP) < cutoff
        except ValueError:
            stale = False
        if stale:
            with contextlib.suppress(psycopg.Error):  # another server user's, or in use
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def load_into(tools: Tools, path: Path, scratch: str) -> None:
    """Restore a dump into the (empty) scratch database, as one transaction, stopping at the first error."""
    run_tool([str(tools.pg_restore), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
              f"--dbname={libpq_uri(scratch)}", str(path)], scratch, "校验备份（还原到临时数据库）")


def contents(scratch: str) -> tuple[str | None, int, int]:
    """(schema revision, requests, audit entries) of a restored database."""
    with connect(scratch) as conn:
        try:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            requests = conn.execute("SELECT count(*) FROM request").fetchone()
            entries = conn.execute("SELECT count(*) FROM audit_log").fetchone()
        except psycopg.Error as exc:
            raise BackupInvalid(f"备份中不是依申请公开办理台的数据库（{str(exc).strip().splitlines()[0]}）。") from exc
    return (str(revision[0]) if revision else None, int(requests[0]) if requests else 0,
            int(entries[0]) if entries else 0)


def check_revision(name: str, revision: str | None, expected: str | None = None) -> str:
    """A revision this version knows (and the one expected); ``BackupInvalid`` in Chinese otherwise."""
    if revision is None:
        raise BackupInvalid(f"备份 {name} 不是依申请公开办理台的数据库（没有数据库版本记录）。")
    if revision not in backup.known_revisions():
        raise BackupInvalid(f"备份 {name} 由更新版本的依申请公开办理台创建（数据库版本 {revision}），"
                            "当前软件无法使用。请先升级软件。数据库未作改动。")
    if expected is not None and revision != expected:
        raise BackupInvalid(f"备份 {name} 的数据库版本 {revision} 与原数据库 {expected} 不一致。")
    return revision


def verify(path: Path, location: str, *, expected_revision: str | None = None, tools: Tools | None = None) -> Verified:
    """Check a dump by restoring it into a scratch database on the server of ``location``."""
    path = Path(path)
    if not path.is_file():
        raise BackupInvalid(f"找不到备份文件 {path}。")
    tools = tools or find_tools(server_major(location))
    check_revision(path.name, dump_revision(tools, path), expected_revision)
    with scratch_database(location, "verify") as scratch:
        try:
            load_into(tools, path, scratch)
        except BackupFailed as exc:
            raise BackupInvalid(str(exc)) from exc
        revision, requests, _entries = contents(scratch)
    return Verified(path, check_revision(path.name, revision, expected_revision), requests)


def live_revision(location: str) -> str | None:
    with connect(location) as conn:
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except psycopg.Error:
            return None
    return str(row[0]) if row else None


# --------------------------------------------------------------------------
# Making a dump
# --------------------------------------------------------------------------


def check_target(location: str, target: Path, *, overwrite: bool = False) -> None:
    """Refuse a target that would destroy something: a rotated dump's name, a folder, an existing file unasked."""
    if backup.same_path(target.parent, backup_dir(location)) and backup.is_backup_name(target.name):
        raise BackupFailed(f"{target.name} 是自动备份使用的文件名，请选择另一个文件名或文件夹。")
    if target.is_symlink() or target.exists():
        if not target.is_file():
            raise BackupFailed(f"{target} 不是普通文件（是文件夹或设备），不能作为备份文件。")
        if not overwrite:
            raise backup.BackupTargetExists(f"文件 {target} 已存在，未覆盖。如确需替换它，请使用 --force。")


def backup_job(location: str, *, reason: str = "manual", target: Path | None = None,
               policy: BackupPolicy | None = None, now: datetime | None = None,
               overwrite: bool = False) -> Job[BackupInfo]:
    """A verified dump of the server's database in its folder on this PC (or ``target``); rotated.

    It yields only while the dump is still a ``.partial`` file: cancelled
    there, the partial file is removed and the scratch database dropped.
    """
    now = now or datetime.now()
    if target is None:
        folder = backup_dir(location)
        final = backup.new_name(folder, stem(location), reason, now, DUMP_SUFFIX)
    else:
        final = Path(target)
        folder = final.parent
        check_target(location, final, overwrite=overwrite)
    tools = find_tools(server_major(location))
    partial = final.with_name(final.name + PARTIAL)
    yield Progress(0, 2, f"正在导出服务器数据库到 {final.name}…")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        expected = live_revision(location)
        dump(tools, location, partial)
        files.fsync_file(partial)
        yield Progress(1, 2, "正在校验备份（还原到服务器上的临时数据库）…")
        checked = verify(partial, location, expected_revision=expected, tools=tools)
        os.replace(partial, final)
        files.fsync_path(final)
    except BackupInvalid as exc:
        partial.unlink(missing_ok=True)
        raise BackupFailed(f"备份未通过校验，已删除不完整的备份文件：{exc}") from exc
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BackupFailed(f"无法写入备份 {final}：{backup.explain_os_error(exc)}。数据库本身未受影响。") from exc
    except BaseException:  # failed, cancelled (or a bug): no partial dump is left behind
        partial.unlink(missing_ok=True)
        raise
    info = BackupInfo(final, now.replace(microsecond=0), reason, final.stat().st_size, checked.requests)
    if target is None and reason in backup.ROTATED:
        rotate(location, policy or BackupPolicy())
    return info
