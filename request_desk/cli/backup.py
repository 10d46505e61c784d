"""``request-desk backup`` and ``request-desk restore``, and the hint for a damaged database.

``register`` adds both to the parser. Neither command opens the database through ``Database.open`` before it has
checked the file, so both work on a damaged database. On the office server (``--db postgresql://…``) both work
with ``pg_dump``/``pg_restore`` (``core.storage.server_backup``): a dump on this PC, verified on the server.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from request_desk import paths
from request_desk.cli.common import USER_ENV, Parser, current_user
from request_desk.core.errors import DatabaseUnusable, DeskError

_SECONDARY = "（这是本机的补充备份；服务器上的记录主要由服务器自己的备份保护。）"


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

    if not isinstance(location := paths.default_db_path(), Path):
        return _backup_server(args, user, location)
    db_path = location
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


def _backup_server(args: argparse.Namespace, user: str, location: str) -> int:
    """``backup`` of the office server's database: a verified ``pg_dump`` in this PC's backups folder."""
    from request_desk.core import jobs  # noqa: PLC0415
    from request_desk.core.office import safekeeping  # noqa: PLC0415
    from request_desk.core.storage import backup, server_backup  # noqa: PLC0415
    from request_desk.core.storage.db import Database  # noqa: PLC0415

    server_backup.clean_stale_partials(location)
    if args.list:
        shown = server_backup.list_backups(location)
        for info in shown:
            print(f"{info.created:%Y-%m-%d %H:%M:%S}  {info.label:<12}  {info.size / 1e6:8.1f} MB  {info.path}")
        if not shown:
            print(f"没有备份（{server_backup.backup_dir(location)}）{_SECONDARY}")
        return 0
    db = Database.open(location, check=True)
    try:
        policy = safekeeping.set_keep(db, args.keep, user) if args.keep is not None else backup.policy_of(db)
    finally:
        db.close()
    info = jobs.run(safekeeping.backup_job(location, user, target=args.output, policy=policy, overwrite=args.force))
    print(f"已备份并校验通过：{info.path}（{info.requests} 件申请，{info.size / 1e6:.1f} MB）{_SECONDARY}")
    return 0


def _database_opens(_args: argparse.Namespace) -> bool:
    """A damaged database has no accounts to sign in with (core.office.safekeeping says why restoring is allowed).

    On the office server: a database without accounts (a new server the office's dump is restored onto).
    """
    location = paths.default_db_path()
    if not isinstance(location, Path):
        from request_desk.core.storage import server_restore  # noqa: PLC0415

        return server_restore.has_accounts(location)
    from request_desk.core.storage import restore  # noqa: PLC0415

    return restore.opens_normally(location)


def _restore(args: argparse.Namespace) -> int:
    from request_desk.core import jobs  # noqa: PLC0415
    from request_desk.core.office import safekeeping  # noqa: PLC0415

    location = paths.default_db_path()
    user = current_user(args) if _database_opens(args) else (args.user or os.environ.get(USER_ENV, ""))
    if not isinstance(location, Path):
        _warn_other_desks(location)
    result = jobs.run(safekeeping.restore_job(args.file, location, user))
    where = location if isinstance(location, Path) else _shown(location)
    print(f"已从 {result.restored_from} 恢复数据库 {where}。")
    if result.kept_aside:
        print(f"恢复前的数据库已保留在 {result.kept_aside}。")
    if result.carried_audit_entries:
        print(f"该备份之后的 {result.carried_audit_entries} 条审计记录已转入恢复后的数据库（注明来自被替换的数据库）。")
    return 0


def _shown(location: str) -> str:
    from request_desk.core.storage import postgres_support  # noqa: PLC0415

    return postgres_support.shown(location)


def _warn_other_desks(location: str) -> None:
    """The restore does not wait for other desks to close, but they should (core.storage.server_restore)."""
    from request_desk.core.storage import server_restore  # noqa: PLC0415

    others = server_restore.other_connections(location)
    if others:
        print(f"request-desk: 注意：服务器上的此数据库另有 {others} 个连接（其他办理台等）。恢复期间它们的保存会等待，"
              "超时则提示未保存；恢复后请其他办理台关闭并重新打开。最好先让其他办理台关闭再恢复。", file=sys.stderr)


def hint(exc: DeskError) -> None:
    """After a failure to open the database: if it is damaged, name the newest good backup."""
    db_path = paths.default_db_path()
    if not isinstance(exc, DatabaseUnusable) or not isinstance(db_path, Path):
        return  # the office server is not a file that can be damaged: its own backups restore it
    from request_desk.core.storage import backup  # noqa: PLC0415

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
