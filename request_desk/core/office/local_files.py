"""Moving the letter templates, fee table and word lists an older desk kept in its data folder into the database.

Before migration 0019 an office changed a letter, the fee table or the
similarity word lists by putting a file in the data folder of one PC
(``<data dir>/letters/NAME.txt``, ``fees/fee_rules.toml``,
``similarity/synonyms.csv`` and ``discriminating_terms.csv``). Every desk runs
``import_local_files`` when it starts; the first time, it moves such files into
the database, so that every desk uses them from then on and no office loses
its wording:

* a file the database has no version of yet is stored as it is (audited as
  ``import_office_file`` with the file it came from) — not checked, since the
  desk used it as it was; a mistake in it is reported when it is read, as before;
* a file whose text the database already holds (another desk moved the same
  one in) needs nothing;
* a file that differs from the version already in the database (another desk
  moved or saved its own first) is not used: the database's version is the
  office's, and the log says so.

Each file is then renamed ``NAME.imported`` in its folder: kept, never read
again. Once every file is moved, the data folder gets ``office-files-moved.txt``
saying so, and the desk never looks in those folders again: a file put there
later is not used (a desk whose data folder never had those folders writes
nothing, and moves them in the first time they appear) (the office changes its versions with ``request-desk settings
set-file``, checked and audited). A file that cannot be read or renamed keeps
the note from being written, so the next start tries again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from request_desk.core.errors import ValidationFailed
from request_desk.core.office.file_change import normalised, store
from request_desk.core.storage.db import Database
from request_desk.core.storage.office_files import FOLDERS, own_file, shipped_names
from request_desk.core.text import decode_text

log = logging.getLogger("request_desk.office_files")

IMPORTED = ".imported"
MOVED_NOTE = "office-files-moved.txt"
_NOTE = ("自 {when} 起，本机不再从数据文件夹读取文书模板（letters）、收费标准（fees）和相似度词表（similarity）："
         "本机关的这些数据存放在数据库中，各台电脑共用。此前放在这些文件夹中的文件已移入数据库，"
         "原文件改名为 *.imported 保留，不再使用。"
         "查看和修改请用 request-desk settings files / show-file / set-file / reset-file。\n")


@dataclass(frozen=True)
class LocalFile:
    """What became of one file of the data folder."""

    path: Path
    stored: bool  # its text is now the office's version in the database
    kept_other: bool  # the database already held another version, which stays the office's


def _candidates(data_dir: Path) -> list[tuple[str, str, Path]]:
    found = []
    for folder in FOLDERS:
        for name in shipped_names(folder):
            path = data_dir / folder / name
            if path.is_file():
                found.append((folder, name, path))
    return found


def import_local_files(db: Database, data_dir: Path, actor: str = "") -> list[LocalFile]:
    """Move this PC's own letter templates, fee table and word lists into the database, once (see the module)."""
    note = data_dir / MOVED_NOTE
    if note.exists() or not any((data_dir / folder).is_dir() for folder in FOLDERS):
        return []  # moved before, or a desk that never had such files: nothing to look at, nothing written
    done: list[LocalFile] = []
    complete = True
    for folder, name, path in _candidates(data_dir):
        try:
            text = normalised(decode_text(path.read_bytes(), path.name))
        except (OSError, ValidationFailed) as exc:
            log.warning("could not read %s to move it into the database: %s", path, exc)
            complete = False
            continue
        with db.write() as session:
            there = own_file(session, folder, name)
            stored = there is None and store(session, actor, folder, name, text, "import_office_file",
                                             {"imported_from": str(path)})
        kept_other = there is not None and there.text != text
        if kept_other:
            log.warning("%s differs from the office's %s/%s already in the database, which stays in use",
                        path, folder, name)
        try:
            path.replace(path.with_name(path.name + IMPORTED))
        except OSError as exc:
            log.warning("moved %s into the database but could not rename it: %s", path, exc)
            complete = False
        done.append(LocalFile(path, stored, kept_other))
        log.info("moved %s into the database (%s)", path, "stored" if stored else "already there")
    if complete:
        try:
            note.write_text(_NOTE.format(when=f"{datetime.now():%Y-%m-%d %H:%M}"), encoding="utf-8")
        except OSError as exc:
            log.warning("could not write %s: %s", note, exc)
    return done
