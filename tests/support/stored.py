"""Reading a database file behind the desk's back, to see what is really stored."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def applicant_names(path: Path) -> set[str]:
    """The applicant names of every request in the SQLite file at ``path``."""
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT applicant_name FROM request")}
    finally:
        con.close()
