"""``request-desk backup`` and ``request-desk restore``, and the hint for a damaged database.

``register`` adds both to the parser. Neither command opens the database through ``Database.open`` before it has
checked the file, so both work on a damaged database.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from request_desk import paths
from request_desk.cli.common import USER_ENV, Parser, current_user
from request_desk.core.errors import DatabaseUnusable, DeskError


def _file() -> Path:
    """The database file; backups of the office server are made on the server (pg_dump)."""
    location = paths.default_db_path()
    if not isinstance(location, Path):
        raise DeskError("数据库在办公室服务器上：请使用服务器的备份（pg_dump），本命令只备份本机的数据库文件。")
    return location


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    bk = sub.add_parser("backup", help="make a verified online backup of the database (safe while desks are open)")
    bk.add_argument("-o", "--output", type=Path, metavar="FILE",
                    help="write the backup here instead of the backups folder beside the database")
    bk.add_argument("--force", action="store_true", help="replace FILE if it exists (never the database itself)")
    bk.add_argument("--list", action="store_true", help="list the backups in the backups folder, newest first")
    bk.add_argument("--keep", type=int, metavar="N",
                    help="keep this many backups from now on (stored with the office settings)")
    rs = sub.add_parser("restore", help="restore the database from a backup file (the current one is kept aside)")
    rs.add_argument("file", type=Path, metavar="FILE")
    bk.set_defaults(func=_backup)
    rs.set_defaults(func=_restore, signs_in=_database_opens)


def _backup(args: argparse.Namespace) -> int:
    user = current_user(args)
    from request_desk.core.storage import backup  # noqa: PLC0415  (keeps --help fast)

    db_path = _file()
    backup.clean_stale_partials(db_path)
    if args.list:
        shown = backup.list_backups(db_path)
        for info in shown:
            print(f"{info.created:%Y-%m-%d %H:%M:%S}  {info.label:<12}  {info.size / 1e6:8.1f} MB  {info.path}")
        if not shown:
            print(f"没有备份（{backup.backup_dir(db_path)}）")
        return 0
    from request_desk.core import jobs  # noqa: PLC0415
    from request_desk.core.office import safekeeping  # noqa: PLC0415

    policy = None
    if args.keep is not None:
        from request_desk.core.storage.db import Database  # noqa: PLC0415

        db = Database.open(db_path, check=True)
        try:
            policy = safekeeping.set_keep(db, args.keep, user)
        finally:
            db.close()
    elif args.output is None and db_path.exists() and backup.diagnose(db_path) is None:
        from request_desk.core.storage.db import Database  # noqa: PLC0415

        db = Database.open(db_path)
        try:
            policy = backup.policy_of(db)
        finally:
            db.close()
    info = jobs.run(safekeeping.backup_job(db_path, user, target=args.output, policy=policy, overwrite=args.force))
    checked = backup.verify(info.path)
    print(f"已备份并校验通过：{info.path}（{checked.requests} 件申请，{info.size / 1e6:.1f} MB）")
    return 0


def _database_opens(_args: argparse.Namespace) -> bool:
    """A damaged database has no accounts to sign in with (core.office.safekeeping says why restoring is allowed)."""
    from request_desk.core.storage import restore  # noqa: PLC0415

    return restore.opens_normally(_file())


def _restore(args: argparse.Namespace) -> int:
    from request_desk.core import jobs  # noqa: PLC0415
    from request_desk.core.office import safekeeping  # noqa: PLC0415

    db_path = _file()
    user = current_user(args) if _database_opens(args) else (args.user or os.environ.get(USER_ENV, ""))
    result = jobs.run(safekeeping.restore_job(args.file, db_path, user))
    print(f"已从 {result.restored_from} 恢复数据库 {db_path}。")
    if result.kept_aside:
        print(f"恢复前的数据库已保留在 {result.kept_aside}。")
    if result.carried_audit_entries:
        print(f"该备份之后的 {result.carried_audit_entries} 条审计记录已转入恢复后的数据库（注明来自被替换的数据库）。")
    return 0


def hint(exc: DeskError) -> None:
    """After a failure to open the database: if it is damaged, name the newest good backup."""
    if not isinstance(exc, DatabaseUnusable):
        return
    from request_desk.core.storage import backup  # noqa: PLC0415

    db_path = _file()
    try:
        problem = backup.diagnose(db_path)
        good = backup.newest_good_backup(db_path) if problem else None
    except (OSError, DeskError):
        return
    if problem is None:
        return
    print(f"request-desk: {problem}", file=sys.stderr)
    if good is None:
        print("request-desk: 没有找到可用的备份。请勿继续写入此文件，并联系信息技术人员。", file=sys.stderr)
        return
    print(f"request-desk: 最新的完好备份是 {good.path}（{good.created:%Y-%m-%d %H:%M}，{good.label}）。"
          f"恢复（当前文件会先保留一份）：request-desk restore \"{good.path}\"", file=sys.stderr)
