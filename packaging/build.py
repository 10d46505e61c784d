"""Build the frozen desk (packaging/request-desk.spec) into dist/request-desk; print the time and size.

    python packaging/build.py [--dist DIR] [--work DIR]

The same command on Linux and Windows, run with the Python that has the project and its
``[build]`` extra installed (``pip install -e '.[build]'``). PyInstaller builds for the
system it runs on: the Windows folder is built on Windows (packaging/README.md).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "request-desk.spec"
NAME = "request-desk"


def folder_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) of everything under ``folder``."""
    sizes = [p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(sizes), len(sizes)


def build(dist: Path, work: Path) -> Path:
    """Run PyInstaller on the spec; returns the built folder."""
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work), str(SPEC)], check=True, cwd=ROOT)
    return dist / NAME


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the folder is built (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller",
                        help="PyInstaller's working folder (default: build/pyinstaller)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        folder = build(args.dist.resolve(), args.work.resolve())
    except subprocess.CalledProcessError as exc:
        print(f"build failed (PyInstaller exit code {exc.returncode})", file=sys.stderr)
        return 1
    seconds = time.monotonic() - started
    size, count = folder_size(folder)
    print(f"built {folder} in {seconds:.0f} s: {size / 2**20:.0f} MiB in {count} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
