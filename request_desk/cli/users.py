"""``request-desk user list|add|rename|set-role|deactivate|activate|reset-password``: the users of the desk.

The same core functions as the settings page's users panel (``office.users``):
only an active administrator may manage users (anyone may add the first users of an
office that has no administrator yet), every change is audited, and the last active
administrator can be neither demoted nor deactivated.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from request_desk.cli.common import Parser, UsageError, current_user, open_db, print_json

if TYPE_CHECKING:
    from request_desk.core.office.users import DeskUser
    from request_desk.core.storage.db import Database

ROLES = {"clerk": "clerk", "supervisor": "supervisor", "administrator": "administrator", "admin": "administrator",
         "liaison": "liaison", "经办人": "clerk", "负责人": "supervisor", "管理员": "administrator",
         "承办单位联络员": "liaison", "联络员": "liaison"}


def _role(text: str) -> str:
    role = ROLES.get(text.strip().lower())
    if role is None:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a role: clerk|supervisor|administrator|liaison (经办人|负责人|管理员|承办单位联络员)")
    return role


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    us = sub.add_parser("user", help="list and manage the users of the desk (用户)")
    us_sub = us.add_subparsers(dest="user_command", parser_class=Parser, metavar="ACTION", required=True)
    listing = us_sub.add_parser("list", help="print every user, deactivated ones too")
    listing.add_argument("--json", action="store_true", help="as JSON")
    listing.set_defaults(func=list_users)
    add = us_sub.add_parser("add", help="add a user (administrators only, once the office has one)")
    add.add_argument("username")
    add.add_argument("display_name", metavar="NAME", nargs="?", help="the name shown (or --name)")
    add.add_argument("--name", dest="name_option", metavar="NAME", help="the name shown, e.g. 王主任")
    add.add_argument("--role", type=_role, default="clerk",
                     help="clerk (default), supervisor, administrator or liaison (a handling unit's, with --unit)")
    add.add_argument("--unit", metavar="UNIT", help="a liaison's handling unit, by its name (承办单位名称)")
    add.add_argument("--initial-password", metavar="PASSWORD",
                     help="the first password; to be changed at the first sign-in unless you add yourself")
    # The first user of an empty database adds themselves: the office's administrator.
    add.set_defaults(func=add_user, first_user=lambda args: args.username)
    reset = us_sub.add_parser("reset-password",
                              help="set a temporary password, to be changed at the next sign-in (administrators only)")
    reset.add_argument("username")
    reset.add_argument("--password", help="the temporary password (asked for on a terminal when left out)")
    reset.set_defaults(func=reset_password)
    passwd = us_sub.add_parser("passwd", help="change your own password (also the change asked after a reset, "
                               "and an upgraded office's first one)")
    passwd.add_argument("--new-password", metavar="PASSWORD", help="the new password (asked for twice on a terminal)")
    # The signed-in user whose password must be changed, or who chooses the office's first one, may run it.
    passwd.set_defaults(func=change_password, may_change_password=True, may_choose_first_password=True,
                        for_liaisons=True)
    rename = us_sub.add_parser("rename", help="change the name a user is known by (administrators only)")
    rename.add_argument("username")
    rename.add_argument("display_name", metavar="NAME")
    rename.set_defaults(func=rename_user)
    role = us_sub.add_parser("set-role", help="change a user's role (administrators only)")
    role.add_argument("username")
    role.add_argument("role", type=_role, metavar="ROLE", help="clerk, supervisor, administrator or liaison")
    role.add_argument("--unit", metavar="UNIT", help="the liaison's handling unit, by its name (承办单位名称)")
    role.set_defaults(func=set_role)
    for name, func, text in (("deactivate", deactivate, "a deactivated user keeps their history but cannot act"),
                             ("activate", activate, "let a deactivated user act again")):
        action = us_sub.add_parser(name, help=f"{text} (administrators only)")
        action.add_argument("username")
        action.set_defaults(func=func)


def _line(user: DeskUser) -> str:
    from request_desk.core.vocab import Role  # noqa: PLC0415  (keeps --help fast)

    state = "" if user.active else "（已停用）"
    unit = f"（{user.unit_name}）" if user.unit_name else ""
    return f"{user.username}\t{user.display_name}\t{Role(user.role).label}{unit}{state}"


def list_users(args: argparse.Namespace) -> int:
    from request_desk.core.office import users  # noqa: PLC0415

    db = open_db()
    try:
        everyone = users.list_users(db, active_only=False)
    finally:
        db.close()
    if args.json:
        print_json(everyone)
        return 0
    for user in everyone:
        print(_line(user))
    return 0


def _run(args: argparse.Namespace, change: str) -> int:
    from request_desk.core.office import users  # noqa: PLC0415
    from request_desk.core.vocab import Role  # noqa: PLC0415

    actor = current_user(args)
    db = open_db()
    try:
        if change == "add":
            done = users.add_user(db, args.username, _display_name(args), Role(args.role), actor=actor,
                                  initial_password=args.initial_password, unit_id=_unit_id(db, args))
            word = "已新增用户"
        elif change == "reset-password":
            done = users.reset_password(db, args.username, _new_password(args.password), actor=actor)
            word = "已重置密码（下次登录时须修改）"
        elif change == "rename":
            done = users.update_user(db, args.username, args.display_name, actor=actor)
            word = "已修改姓名"
        elif change == "set-role":
            done = users.set_role(db, args.username, Role(args.role), actor=actor, unit_id=_unit_id(db, args))
            word = "已更改角色"
        elif change == "deactivate":
            done = users.deactivate(db, args.username, actor=actor)
            word = "已停用用户"
        else:
            done = users.activate(db, args.username, actor=actor)
            word = "已启用用户"
    finally:
        db.close()
    print(f"{word}：{_line(done)}")
    return 0


def _unit_id(db: Database, args: argparse.Namespace) -> int | None:
    """``--unit NAME`` as the unit's id; only a liaison belongs to a unit."""
    from request_desk.core.office import units  # noqa: PLC0415

    if args.unit is None:
        return None
    if args.role != "liaison":
        raise UsageError("--unit is for the role liaison (承办单位联络员) only")
    return units.unit_named(db, args.unit).id


def _display_name(args: argparse.Namespace) -> str:
    name = args.name_option or args.display_name
    if not name or (args.name_option and args.display_name and args.name_option != args.display_name):
        raise UsageError("user add: give the name shown once, as NAME or --name NAME")
    return str(name)


def _new_password(given: str | None, command: str = "reset-password", flag: str = "--password") -> str:
    """The password given, or one typed twice on a terminal (never echoed)."""
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise UsageError(f"user {command}: give {flag}, or run it on a terminal to be asked")
    first = getpass.getpass("新密码：")
    if getpass.getpass("再输入一次：") != first:
        raise UsageError(f"user {command}: the two passwords differ")
    return first


def change_password(args: argparse.Namespace) -> int:
    """``user passwd``: the signed-in user's new password (the old one is the sign-in's)."""
    from request_desk.core.office import accounts  # noqa: PLC0415

    username = current_user(args)
    new = _new_password(args.new_password, "passwd", "--new-password")
    db = open_db()
    try:
        if accounts.needs_first_password(db, username):
            accounts.set_first_password(db, username, new)
        else:
            accounts.change_password(db, username, args.old_password, new)
    finally:
        db.close()
    print(f"已修改 {username} 的密码。")
    return 0


def add_user(args: argparse.Namespace) -> int:
    return _run(args, "add")


def reset_password(args: argparse.Namespace) -> int:
    return _run(args, "reset-password")


def rename_user(args: argparse.Namespace) -> int:
    return _run(args, "rename")


def set_role(args: argparse.Namespace) -> int:
    return _run(args, "set-role")


def deactivate(args: argparse.Namespace) -> int:
    return _run(args, "deactivate")


def activate(args: argparse.Namespace) -> int:
    return _run(args, "activate")
