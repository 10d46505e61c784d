"""``request-desk settings show|set KEY=VALUE``: the office-wide settings from the command line.

``set`` goes through the same service as the GUI's settings page
(``settings_change.update_settings``): only a supervisor or an administrator
may change them, values are validated the same way, and the change is audited.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict

from request_desk.cli.common import Parser, UsageError, assignments, current_user, open_db, print_json


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    st = sub.add_parser("settings", help="show or change the office-wide settings (机关设置)")
    st_sub = st.add_subparsers(dest="settings_command", parser_class=Parser, metavar="ACTION", required=True)
    show = st_sub.add_parser("show", help="print every setting")
    show.add_argument("--json", action="store_true", help="as JSON")
    show.set_defaults(func=show_settings)
    change = st_sub.add_parser("set", help="change settings (supervisors and administrators only)")
    change.add_argument("assignments", nargs="+", metavar="KEY=VALUE")
    change.set_defaults(func=set_settings)


def show_settings(args: argparse.Namespace) -> int:
    from request_desk.core.office import settings_view  # noqa: PLC0415  (keeps --help fast)

    db = open_db()
    try:
        current = asdict(settings_view.current(db))
    finally:
        db.close()
    if args.json:
        print_json(current)
        return 0
    for key, value in current.items():
        print(f"{key} = {value}")
    return 0


def set_settings(args: argparse.Namespace) -> int:
    from request_desk.core.office import settings_change  # noqa: PLC0415

    changes = {}
    for key, text in assignments(args.assignments, "settings set", "KEY=VALUE").items():
        try:
            name, value = settings_change.parse_setting(key, text)
        except settings_change.BadSetting as exc:
            raise UsageError(str(exc)) from None
        changes[name] = value
    db = open_db()
    try:
        moved = settings_change.update_settings(db, current_user(args), changes)
    finally:
        db.close()
    print("已保存设置：" + "，".join(f"{k} = {v}" for k, v in changes.items())
          + (f"；{moved} 件未办结申请的答复期限随之改变。" if moved else "。"))
    return 0
