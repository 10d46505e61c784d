"""Changing the office's own letter templates, fee table and similarity word lists.

Each is kept in the database (``storage/office_files.py``) under the shipped
file's folder and name — ``letters/acknowledgement.txt``, ``fees/fee_rules.toml``,
``similarity/synonyms.csv`` — so every desk prints the same letters, computes
the same fees and matches requests alike. Saving checks the text exactly as
the desk will read it (a template's placeholders, the fee bands, the word
lists' columns), so a mistake is refused with its line instead of stopping
the next letter; like the office settings (``settings_change``), only a
administrator (a supervisor while the office has none) may change them, and every change is audited
with the old and the new text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session, col

from request_desk.core.cases import fees
from request_desk.core.errors import DeskError, ValidationFailed
from request_desk.core.letters import templates
from request_desk.core.office import permissions
from request_desk.core.publication import similarity_vocab
from request_desk.core.storage.audit import audit
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import OfficeFile
from request_desk.core.storage.office_files import (
    FEES,
    FOLDERS,
    LETTERS,
    SIMILARITY,
    OwnFile,
    own_file,
    own_files,
    shipped_names,
    shipped_text,
)
from request_desk.core.text import clean_text, decode_text, read_limited

MAX_TEXT = 200_000  # characters: a letter template is about 1,000, the longest word list 10,000
MAX_FILE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class FileState:
    """A file an office may word its own way, and whether it does."""

    path: str  # folder/name
    own: OwnFile | None


def split(path: str) -> tuple[str, str]:
    """``letters/reply_1.txt`` as (folder, name), refused with the files there are when it names none."""
    folder, _sep, name = path.strip().replace("\\", "/").partition("/")
    if folder not in FOLDERS or name not in shipped_names(folder):
        raise ValidationFailed(f"没有可修改的文件“{path}”：可修改的是 letters/…（文书模板）、"
                               f"fees/fee_rules.toml（收费标准）和 similarity/…（相似度词表），"
                               "用 request-desk settings files 查看全部。")
    return folder, name


def files(db: Database) -> list[FileState]:
    """Every file an office may word its own way, with the office's version where it has one."""
    with db.read() as session:
        own = {(f.folder, f.name): f for f in own_files(session)}
    return [FileState(f"{folder}/{name}", own.get((folder, name)))
            for folder in FOLDERS for name in shipped_names(folder)]


def text_in_use(db: Database, path: str) -> tuple[str, str]:
    """(text, origin) of ``folder/name`` as the desk uses it: the office's version, else the shipped file."""
    folder, name = split(path)
    with db.read() as session:
        own = own_file(session, folder, name)
    if own is not None:
        return own.text, own.origin
    shipped = shipped_text(folder, name)
    assert shipped is not None  # split() named a shipped file
    return shipped, f"resources/{folder}/{name}"


def read_text_file(path: Path) -> str:
    """The text of a file to keep as the office's version: UTF-8 (BOM or not) or GB18030, as Notepad saves it."""
    return normalised(decode_text(read_limited(path, MAX_FILE_BYTES, "文件"), path.name))


def normalised(text: str) -> str:
    """``text`` as the database keeps it (no BOM, no control characters, ``\n`` line ends), to compare with it."""
    return clean_text(text.removeprefix("\ufeff"))


def check_text(session: Session, folder: str, name: str, text: str) -> None:
    """Refuse ``text`` as the office's ``folder/name`` the way the desk would when reading it."""
    origin = f"本机关的 {folder}/{name}"
    if not text.strip():
        raise ValidationFailed(f"{origin} 是空的；要恢复软件自带的版本，请用 reset-file。")
    if len(text) > MAX_TEXT:
        raise ValidationFailed(f"{origin} 太长（{len(text):,} 字，最多 {MAX_TEXT:,} 字）。")
    try:
        if folder == LETTERS:
            templates.check(name, text, origin)
        elif folder == FEES:
            fees.parse_rules(text, origin)
        elif folder == SIMILARITY:
            similarity_vocab.check(name, text)
    except DeskError as exc:
        raise ValidationFailed(str(exc)) from exc


def who_may_change() -> str:
    """The refusal's reason, naming the roles (those of the settings, ``change_settings``)."""
    roles = permissions.roles_text(permissions.Permission.CHANGE_SETTINGS)
    return f"只有{roles}可以修改文书模板、收费标准和相似度词表。"


def _require(session: Session, actor: str) -> None:
    permissions.require(session, actor, permissions.Permission.CHANGE_SETTINGS,
                        f"“{actor}”无权修改：{who_may_change()}")


def store(session: Session, actor: str, folder: str, name: str, text: str, action: str,
          extra: dict[str, str] | None = None) -> bool:
    """Keep ``text`` as the office's ``folder/name`` in the caller's transaction (audited); False if unchanged."""
    text = normalised(text)
    row = session.execute(select(OfficeFile).where(col(OfficeFile.folder) == folder,
                                                   col(OfficeFile.name) == name)).scalar()
    if row is not None and row.text == text:
        return False
    old = None if row is None else {"text": row.text}
    now = datetime.now(UTC).replace(microsecond=0)
    if row is None:
        row = OfficeFile(folder=folder, name=name, text=text, updated_at=now, updated_by=actor)
    else:
        row.text, row.updated_at, row.updated_by = text, now, actor
    session.add(row)
    session.flush()
    new = {"file": f"{folder}/{name}", "text": text, **(extra or {})}
    audit(session, actor, action, "office_file", row.id, old, new)
    return True


def set_file(db: Database, actor: str, path: str, text: str) -> bool:
    """Check and keep ``text`` as the office's version of ``path``; False when it was already so."""
    folder, name = split(path)
    text = normalised(text)
    with db.write() as session:
        _require(session, actor)
        check_text(session, folder, name, text)
        return store(session, actor, folder, name, text, "set_office_file")


def reset_file(db: Database, actor: str, path: str) -> bool:
    """Go back to the shipped version of ``path`` on every desk; False when the office had none."""
    folder, name = split(path)
    with db.write() as session:
        _require(session, actor)
        row = session.execute(select(OfficeFile).where(col(OfficeFile.folder) == folder,
                                                       col(OfficeFile.name) == name)).scalar()
        if row is None:
            return False
        audit(session, actor, "reset_office_file", "office_file", row.id,
              {"file": f"{folder}/{name}", "text": row.text}, None)
        session.delete(row)
        return True
