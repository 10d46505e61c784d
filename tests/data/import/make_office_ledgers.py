"""Writes the office ledgers of issue 14 into this folder (run once; the files are committed).

What each file holds is described, and built, in tests/support/office_ledgers.py.

    PYTHONPATH=. .venv/bin/python tests/data/import/make_office_ledgers.py
"""

from __future__ import annotations

from pathlib import Path

from tests.support.office_ledgers import write_all

if __name__ == "__main__":
    write_all(Path(__file__).resolve().parent)
