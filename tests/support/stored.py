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


def dump(path: Path) -> list[str]:
    """Every row of every table as SQL text, the database "row for row", less the sign-in entries.

    A command on the command line signs in before it is refused, and the audit log
    records that sign-in (docs/SECURITY.md); "nothing written" is about everything else.
    """
    con = sqlite3.connect(path)
    try:
        return [line for line in con.iterdump()
                if not (line.startswith('INSERT INTO "audit_log"') and ",'sign_in'," in line)]
    finally:
        con.close()
