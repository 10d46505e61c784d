"""``request-desk migrate-to postgresql://…``: moving this desk's database file onto the office server.

The command signs in against the snapshot of the file it moves, not the file
itself (``core.transfer.move_to_server``): even the sign-in's audit entry goes
to the copy, so the office's file stays byte for byte as it was. It is headless:
the password comes from ``$REQUEST_DESK_PASSWORD`` as for every command, the
report is a table (or ``--json``) and the exit code says whether every table
was verified (0), or the move was refused or differs (1).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from request_desk import paths
from request_desk.cli.common import DONE, PASSWORD_ENV, REFUSED, USER_ENV, Parser, current_user, print_json
from request_desk.core.errors import DeskError

if TYPE_CHECKING:
    from request_desk.core.jobs import Progress
    from request_desk.core.transfer.move_to_server import Moved


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    mt = sub.add_parser("migrate-to", help="copy this desk's database file into an empty PostgreSQL database "
                                           "and verify it (the file is left unchanged)")
    mt.add_argument("server", type=_server, metavar="postgresql://USER@HOST/DBNAME",
                    help="the office server's database; it must be empty")
    mt.add_argument("--json", action="store_true", help="print the per-table check as JSON")
    # Signed in on the snapshot, by the handler: the file itself is not written (module docstring).
    mt.set_defaults(func=_migrate_to, signs_in=_on_the_snapshot)


def _server(text: str) -> str:
    if not paths.on_server(text):
        raise argparse.ArgumentTypeError(f"'{text}' is not a server database: expects postgresql://USER@HOST/DBNAME")
    return text.strip()


def _on_the_snapshot(_args: argparse.Namespace) -> bool:
    return False


def _migrate_to(args: argparse.Namespace) -> int:
    from request_desk.core import jobs  # noqa: PLC0415  (keeps --help fast)
    from request_desk.core.transfer import move_to_server  # noqa: PLC0415

    source = paths.default_db_path()
    if not isinstance(source, Path):
        raise DeskError("当前数据库已在服务器上：migrate-to 迁移的是本机的数据库文件，请用 --db 指定该文件。")
    with move_to_server.snapshot(source) as copy:
        user = _signed_in_on(copy, source, args)
        shown = sys.stderr.isatty()  # a script's log gets the result, not a line per batch
        moved = jobs.run(move_to_server.move_job(copy, args.server, user, origin=source),
                         on_progress=_show if shown else None)
    if shown:
        print(file=sys.stderr)
    if args.json:
        print_json({"from": str(moved.origin), "server": moved.server, "verified": moved.verified,
                    "seconds": round(moved.seconds, 1),
                    "tables": [{"table": t.table, "file_rows": t.file_rows, "server_rows": t.server_rows,
                                "file_checksum": t.file_checksum, "server_checksum": t.server_checksum,
                                "same": t.same} for t in moved.tables],
                    "not_moved": [{"table": name, "why": why} for name, why in moved.skipped]})
    else:
        _report(moved)
    return DONE if moved.verified else REFUSED


def _signed_in_on(copy: Path, source: Path, args: argparse.Namespace) -> str:
    """The usual sign-in (``common.current_user``), against the snapshot instead of the file.

    A failed one is recorded in the file as well (the same name and password
    tried there), so that guesses made through this command count toward the
    account's lock-out like any other (docs/SECURITY.md); only a successful
    sign-in leaves the file untouched.
    """
    from request_desk.core.office import accounts  # noqa: PLC0415

    username = (args.user or os.environ.get(USER_ENV, "")).strip()
    password = os.environ.get(PASSWORD_ENV)
    if username and password is None and sys.stdin.isatty():
        password = getpass.getpass(f"{username} 的密码：")  # asked once, for both places
    with _environment(copy, password):
        try:
            return current_user(args)
        except accounts.SignInFailed as failed:
            refusal = failed
    from request_desk.core.storage.db import Database  # noqa: PLC0415

    desk = Database.open(source, check=True)
    try:
        accounts.sign_in(desk, username, password or "")  # fails the same way, and is recorded there
    finally:
        desk.close()
    raise refusal


@contextmanager
def _environment(db: Path, password: str | None) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in (paths.DB_ENV, PASSWORD_ENV)}
    os.environ[paths.DB_ENV] = str(db)
    if password is not None:
        os.environ[PASSWORD_ENV] = password
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _show(step: Progress) -> None:
    print(f"\r{step.message:<60}", end="", file=sys.stderr, flush=True)


def _report(moved: Moved) -> None:
    width = max(len(t.table) for t in moved.tables)
    # the headings are two columns wide per character on a terminal
    print(f"{'数据表':<{width - 3}}  {'文件中':>10}  {'服务器上':>9}  核对")
    for t in moved.tables:
        print(f"{t.table:<{width}}  {t.file_rows:>13,}  {t.server_rows:>13,}  {'OK' if t.same else 'DIFFERENT'}")
    left = [f"{name}（{why}）" for name, why in moved.skipped if not why.endswith("的内部数据")]
    if left:
        print("未迁移（SQLite 专用的派生数据，服务器不需要）：" + "；".join(left))
    if not moved.verified:
        differ = "、".join(t.table for t in moved.tables if not t.same)
        print(f"\n迁移未通过核对：{differ} 在服务器上与文件不一致。请不要使用服务器数据库 {moved.server}；"
              f"请删除并新建该数据库后重试。数据库文件 {moved.origin} 未作任何改动，可以继续使用。")
        return
    print(f"\n已迁移并核对通过：{moved.origin} → {moved.server}"
          f"（{len(moved.tables)} 张表，{moved.rows:,} 行，用时 {moved.seconds:.1f} 秒）。")
    print("今后每台电脑都使用服务器数据库：")
    print(f"  命令行：request-desk --db \"{moved.server}\" …，或设置环境变量 {paths.DB_ENV}={moved.server}")
    print(f"  桌面程序：设置环境变量 {paths.DB_ENV} 后启动（密码不写入地址时，可用 PGPASSWORD 或 pgpass 文件）。")
    print(f"数据库文件 {moved.origin} 未作任何改动，但从现在起请不要再使用它（在其中办理的事项不会出现在服务器上）；"
          "请不要删除，保留作为迁移前的存档。")
