"""Smoke test of the frozen desk: the built program, not the source, does an office's first steps.

    python packaging/smoke_test.py [dist/request-desk]

Offscreen, in a fresh data folder whose path has spaces and Chinese characters: the version;
a new database created and migrated with demo cases; a letter PDF whose fonts are embedded;
a database of revision 0001 backed up and upgraded; the main window shown and closed. Then
what the folder holds: the Chinese Qt catalogue, no Qt module the desk does not use. Each
step prints its time. Needs pypdf (the ``[test]`` extra) to read the letter back.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import cast

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

ROOT = Path(__file__).resolve().parents[1]
PROGRAM = "request-desk-cli.exe" if sys.platform == "win32" else "request-desk"  # the console one on Windows
# Qt modules that must not be in the folder (the spec excludes them; WebEngine alone is 150 MB).
FOREIGN_QT = re.compile(r"Qt6?(WebEngine|Qml|Quick|3D|Multimedia|Charts|DataVisualization|VirtualKeyboard)")
DEMO_USER, DEMO_PASSWORD = "admin", "demo"  # core/transfer/demo.py, DEMO_USERS


class SmokeFailed(Exception):
    pass


def run(program: Path, *args: str, env: dict[str, str], timeout: int = 300) -> str:
    started = time.monotonic()
    done = subprocess.run([str(program), *args], capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=timeout, check=False)
    print(f"  request-desk {' '.join(args)}: exit {done.returncode}, {time.monotonic() - started:.1f} s")
    if done.returncode != 0:
        raise SmokeFailed(f"exit {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done.stdout


def head_revision(folder: Path) -> str:
    """The newest migration shipped in the folder (the names start with the revision)."""
    versions = next(folder.rglob("migrations/versions"))
    return max(p.name[:4] for p in versions.glob("[0-9][0-9][0-9][0-9]_*.py"))


def stored_revision(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return str(con.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        con.close()


def unembedded_fonts(pdf: Path) -> tuple[list[str], list[str]]:
    """(every font used, the fonts whose program is not in the file)."""
    used: list[str] = []
    missing: list[str] = []
    for page in PdfReader(pdf).pages:
        resources = cast(DictionaryObject, page["/Resources"].get_object())
        fonts = cast(DictionaryObject, resources.get("/Font", DictionaryObject()).get_object())
        for ref in fonts.values():
            font = ref.get_object()
            described = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for item in described:
                name = str(item.get("/BaseFont", "?"))
                used.append(name)
                descriptor = item.get("/FontDescriptor")
                if descriptor is None or not any(k in descriptor.get_object()
                                                 for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    missing.append(name)
    return used, missing


def check(folder: Path, work: Path) -> None:
    program = folder / PROGRAM
    env = {k: v for k, v in os.environ.items() if not k.startswith("REQUEST_DESK_")}
    env |= {"QT_QPA_PLATFORM": "offscreen", "REQUEST_DESK_DATA": str(work / "数据"),
            "REQUEST_DESK_USER": DEMO_USER, "REQUEST_DESK_PASSWORD": DEMO_PASSWORD}
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]

    print("1. the version")
    if (said := run(program, "--version", env=env).strip()) != f"request-desk {version}":
        raise SmokeFailed(f"--version said {said!r}")

    print("2. a new database, migrated, with 50 demo cases")
    db = work / "公开办 (共享)" / "request-desk.sqlite3"
    run(program, "--db", str(db), "demo", "--requests", "50", env=env)
    if (revision := stored_revision(db)) != head_revision(folder):
        raise SmokeFailed(f"new database at revision {revision}, the folder ships {head_revision(folder)}")
    con = sqlite3.connect(db)
    try:
        count, first = con.execute("SELECT count(*), min(reg_number) FROM request").fetchone()
    finally:
        con.close()
    if count != 50:
        raise SmokeFailed(f"{count} demo requests, not 50")

    print("3. a letter PDF with its fonts embedded")
    pdf = work / "回执.pdf"
    run(program, "--db", str(db), "letter", first, "--kind", "acknowledgement", "-o", str(pdf), env=env)
    used, missing = unembedded_fonts(pdf)
    if not used or missing or not any("NotoSerifSC" in name for name in used):
        raise SmokeFailed(f"fonts used {used}, not embedded {missing}")
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    if first not in text or "回执" not in text:
        raise SmokeFailed(f"the letter does not read back: {text[:200]!r}")
    print(f"     fonts embedded: {', '.join(sorted(set(used)))}")

    print("4. a database of revision 0001: backed up, verified, then upgraded")
    old = work / "旧版本" / "request-desk.sqlite3"
    old.parent.mkdir()
    shutil.copyfile(ROOT / "tests" / "data" / "db-rev0001.sqlite3", old)
    run(program, "--db", str(old), "deadline", "--received", "2026-09-28", env=env)
    kept = list((old.parent / "backups").glob("request-desk-*-before-upgrade.sqlite3"))
    if len(kept) != 1 or stored_revision(kept[0]) != "0001" or stored_revision(old) != head_revision(folder):
        raise SmokeFailed(f"upgrade: backups {kept}, database at {stored_revision(old)}")

    print("5. the main window, shown and closed")
    shown = run(program, "--db", str(db), "gui", "--smoke-test", env=env, timeout=120)
    if not shown.startswith("主窗口已显示") or not shown.rstrip().endswith("qtbase_zh_CN, qt_zh_CN"):
        raise SmokeFailed(f"the window check said {shown!r}")
    print(f"     {shown.strip()}")

    print("6. what the folder holds")
    everything = list(folder.rglob("*"))
    files = [p for p in everything if p.is_file() and not p.is_symlink()]  # a link is not a second copy
    if not any(p.name == "qtbase_zh_CN.qm" for p in files):
        raise SmokeFailed("qtbase_zh_CN.qm is missing")
    if foreign := sorted({p.name for p in everything if FOREIGN_QT.search(p.name)}):
        raise SmokeFailed(f"Qt modules the desk does not use: {foreign}")
    print(f"     {sum(p.stat().st_size for p in files) / 2**20:.0f} MiB in {len(files)} files")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else ROOT / "dist" / "request-desk"
    if not (folder / PROGRAM).is_file():
        print(f"smoke test: no built program at {folder / PROGRAM} (run packaging/build.py)", file=sys.stderr)
        return 1
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="request desk 冒烟 ") as work:
        try:
            check(folder.resolve(), Path(work))
        except (SmokeFailed, subprocess.TimeoutExpired) as exc:
            print(f"smoke test FAILED: {exc}", file=sys.stderr)
            return 1
    print(f"smoke test passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
