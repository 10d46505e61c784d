"""``python -m benchmarks``: run every benchmark module in turn, with its defaults."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> None:
    for info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        print(f"\n=== benchmarks.{info.name} ===", flush=True)
        sys.argv = [f"benchmarks.{info.name}"]
        importlib.import_module(f"benchmarks.{info.name}").main()


if __name__ == "__main__":
    main()
