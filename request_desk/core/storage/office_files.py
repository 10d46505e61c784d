"""An office's own versions of the shipped files, read from the database by every desk.

The desk ships its letter templates, fee table and similarity word lists in
``request_desk.resources`` (the repository's ``resources/``). An office that
words a letter its own way, charges by another table or adds its own synonyms
keeps its version in the ``office_file`` table, under the shipped file's folder
and name, so every desk on the database prints the same letter and computes the
same fee (migration 0019). Changing them is ``office/file_change.py`` (checked,
audited); the files an older desk kept in its data folder are moved in once by
``office/local_files.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from importlib import resources

from sqlalchemy import select
from sqlmodel import Session, col

from request_desk.core.storage.models import OfficeFile

LETTERS = "letters"
FEES = "fees"
SIMILARITY = "similarity"
FOLDERS = (LETTERS, FEES, SIMILARITY)


@dataclass(frozen=True)
class OwnFile:
    """The office's version of ``folder/name``."""

    folder: str
    name: str
    text: str
    updated_at: datetime
    updated_by: str

    @property
    def origin(self) -> str:
        """How messages name it (a template's error gives this and the line)."""
        return f"本机关的 {self.folder}/{self.name}"


def _own(row: OfficeFile) -> OwnFile:
    return OwnFile(row.folder, row.name, row.text, row.updated_at, row.updated_by)


def own_file(session: Session | None, folder: str, name: str) -> OwnFile | None:
    """The office's version of ``folder/name``, or None (then the shipped file is used; also without a session)."""
    if session is None:
        return None
    row = session.execute(select(OfficeFile).where(col(OfficeFile.folder) == folder,
                                                   col(OfficeFile.name) == name)).scalar()
    return None if row is None else _own(row)


def own_files(session: Session, folder: str | None = None) -> list[OwnFile]:
    """Every file the office has its own version of (in ``folder``), by folder and name."""
    query = select(OfficeFile).order_by(col(OfficeFile.folder), col(OfficeFile.name))
    if folder is not None:
        query = query.where(col(OfficeFile.folder) == folder)
    return [_own(row) for row in session.execute(query).scalars()]


def shipped_text(folder: str, name: str) -> str | None:
    """The shipped ``resources/folder/name``, or None when the desk ships no such file."""
    item = resources.files("request_desk.resources") / folder / name
    return item.read_text(encoding="utf-8") if item.is_file() else None


def shipped_names(folder: str) -> list[str]:
    """The files an office may have its own version of in ``folder`` (not the READMEs)."""
    root = resources.files("request_desk.resources") / folder
    suffix = {LETTERS: ".txt", FEES: ".toml", SIMILARITY: ".csv"}[folder]
    return sorted(item.name for item in root.iterdir() if item.name.endswith(suffix))
