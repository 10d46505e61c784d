"""``request-desk settings show|set KEY=VALUE|fonts|set-font``: the office-wide settings from the command line.

``set`` goes through the same service as the GUI's settings page
(``settings_change.update_settings``): only an administrator
may change them, values are validated the same way, and the change is audited.
``fonts`` lists the 仿宋 / 小标宋 installed on this PC and the office's choice;
``set-font`` chooses one for letters after checking it (``letters.office_fonts``).

The office's own letter templates, fee table and similarity word lists are
office-wide too, kept in the database (``office/file_change.py``)::

    request-desk settings files                      which files the office words its own way
    request-desk settings show-file letters/reply_1.txt [-o FILE]
    request-desk settings set-file letters/reply_1.txt FILE
    request-desk settings reset-file letters/reply_1.txt

``show-file`` gives the text in use (the office's, else the shipped one) to edit;
``set-file`` checks it as the desk will read it and keeps it for every desk;
``reset-file`` goes back to the shipped version. Changing needs the same role
as the settings, and is audited.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path

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
    fonts = st_sub.add_parser("fonts", help="the letter fonts: the office's choice and the 仿宋/小标宋 on this PC")
    fonts.add_argument("--json", action="store_true", help="as JSON")
    fonts.set_defaults(func=show_fonts)
    set_font = st_sub.add_parser("set-font", help="choose the letter font for the body or the title (administrators)")
    set_font.add_argument("role", choices=["body", "title"], help="body (正文, 仿宋) or title (标题, 小标宋)")
    set_font.add_argument("family", metavar="FAMILY|default",
                          help="a family name from `settings fonts`, or default for the bundled font")
    set_font.set_defaults(func=set_font_command)
    listed = st_sub.add_parser("files", help="the letter templates, fee table and word lists an office may change")
    listed.add_argument("--json", action="store_true", help="as JSON")
    listed.set_defaults(func=list_files)
    show_file = st_sub.add_parser("show-file", help="print a template, the fee table or a word list as in use")
    show_file.add_argument("path", metavar="FOLDER/NAME", help="e.g. letters/reply_1.txt, fees/fee_rules.toml")
    show_file.add_argument("-o", "--output", type=Path, metavar="FILE", help="write it to FILE (UTF-8) to edit")
    show_file.set_defaults(func=show_file_text)
    set_file = st_sub.add_parser("set-file", help="use FILE as the office's version, on every desk "
                                                  "(administrators only, as the settings)")
    set_file.add_argument("path", metavar="FOLDER/NAME")
    set_file.add_argument("file", type=Path, metavar="FILE", help="the text, UTF-8 or GB18030")
    set_file.set_defaults(func=set_file_text)
    reset = st_sub.add_parser("reset-file", help="go back to the shipped version (administrators only)")
    reset.add_argument("path", metavar="FOLDER/NAME")
    reset.set_defaults(func=reset_file)


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


def show_fonts(args: argparse.Namespace) -> int:
    from request_desk.core.letters import installed_fonts, office_fonts  # noqa: PLC0415
    from request_desk.core.office import settings_view  # noqa: PLC0415

    db = open_db()
    try:
        conf = settings_view.current(db)
    finally:
        db.close()
    files = installed_fonts.font_files()
    roles = [(choice, office_fonts.resolve(choice), installed_fonts.candidates(role, files))
             for role, choice in office_fonts.choices(conf).items()]
    if args.json:
        print_json({choice.role: {
            "chosen": {"family": choice.family, "file": choice.file_name} if choice.family else None,
            "warning": resolved.warning,
            "installed": [{"family": f.family, "file": str(f.path), "index": f.index, "names": list(f.families),
                           "refusal": f.refusal()} for f in faces],
        } for choice, resolved, faces in roles})
        return 0
    for choice, resolved, faces in roles:
        label = installed_fonts.ROLE_LABELS[choice.role]
        print(f"{label}（{choice.role}）：" + (f"{choice.family}（{choice.file_name}）" if choice.family
                                             else "默认（内置字体）"))
        if resolved.warning:
            print(f"  ！{resolved.warning}")
        if not faces:
            print(f"  本机没有找到可用作{label}的字体。")
        for face in faces:
            state = f"不可用：{face.refusal()}" if face.refusal() else "可选"
            print(f"  {face.family}\t{face.path}" + (f"（第{face.index + 1}款）" if face.index else "") + f"\t{state}")
    return 0


def set_font_command(args: argparse.Namespace) -> int:
    from request_desk.core.letters import office_fonts  # noqa: PLC0415

    db = open_db()
    try:
        face = office_fonts.choose_font(db, current_user(args), args.role, args.family)
    finally:
        db.close()
    label = "正文" if args.role == "body" else "标题"
    print(f"公文{label}字体已设为：" + (f"{face.family}（{face.file_name}）。" if face else "默认（内置字体）。"))
    return 0


def list_files(args: argparse.Namespace) -> int:
    from request_desk.core.office import file_change  # noqa: PLC0415

    db = open_db()
    try:
        states = file_change.files(db)
    finally:
        db.close()
    if args.json:
        print_json([{"file": f.path, "own": f.own is not None,
                     "updated_at": f.own.updated_at if f.own else None,
                     "updated_by": f.own.updated_by if f.own else None} for f in states])
        return 0
    for f in states:
        print(f"{f.path}\t" + (f"本机关修改版（{f.own.updated_by or '自本机数据文件夹移入'}，"
                                 f"{f.own.updated_at:%Y-%m-%d %H:%M}）" if f.own else "软件自带"))
    return 0


def show_file_text(args: argparse.Namespace) -> int:
    from request_desk.core.office import file_change  # noqa: PLC0415

    db = open_db()
    try:
        text, origin = file_change.text_in_use(db, args.path)
    finally:
        db.close()
    if args.output is None:
        print(text, end="" if text.endswith("\n") else "\n")
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"已将 {origin} 写入 {args.output}")
    return 0


def set_file_text(args: argparse.Namespace) -> int:
    from request_desk.core.office import file_change  # noqa: PLC0415

    text = file_change.read_text_file(args.file)
    db = open_db()
    try:
        changed = file_change.set_file(db, current_user(args), args.path, text)
    finally:
        db.close()
    print(f"已保存本机关的 {args.path}，各台电脑都将使用此版本。" if changed
          else f"{args.path} 与数据库中的版本相同，未改动。")
    return 0


def reset_file(args: argparse.Namespace) -> int:
    from request_desk.core.office import file_change  # noqa: PLC0415

    db = open_db()
    try:
        removed = file_change.reset_file(db, current_user(args), args.path)
    finally:
        db.close()
    print(f"已恢复软件自带的 {args.path}。" if removed else f"本机关没有修改过 {args.path}，仍用软件自带的版本。")
    return 0
