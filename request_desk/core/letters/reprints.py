"""Reading issued letters back: reprints, exports and batch prints, for a role allowed to see them.

A reprint is the stored document itself (the PDF as issued, or its final
text), never a new rendering from the case. A letter carrying the applicant's
full ID number and phone (the registration form) is a full view: only a role
allowed one may reprint it, and each reprint is audited like the issue was.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlmodel import Session, col, select

from request_desk.core.errors import NotFound
from request_desk.core.jobs import Job, Progress
from request_desk.core.office import permissions
from request_desk.core.office import settings as office_settings
from request_desk.core.reports.common import atomic_output
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Letter

from .compose import letter_fonts
from .issuing import IssuedLetter, _issued, document_from_json, full_view_refusal
from .kinds import KINDS_BY_CODE
from .kinds import kind as kind_of
from .pdf import LetterDocument, render_letters


def reprint_refusal(kind_codes: Sequence[str], actor: str) -> str:
    """The message for a user whose role may not reprint some of these letters (a batch may mix kinds)."""
    full = [c for c in kind_codes if _full_data(c)]
    message = full_view_refusal(full[0], actor).replace("无权打印或签发", "无权重新打印或导出")
    if len(kind_codes) > 1:
        title = kind_of(full[0]).title
        message = (f"所选 {len(kind_codes)} 份文书中有 {len(full)} 份《{title}》。{message}"
                   f"其他文书可取消选择《{title}》后再打印。")
    return message


def _full_data(kind_code: str) -> bool:
    k = KINDS_BY_CODE.get(kind_code)
    return k is not None and k.full_personal_data


def _kinds(session: Session, letter_ids: Sequence[int]) -> dict[int, str]:
    found = dict(session.exec(select(Letter.id, Letter.kind).where(col(Letter.id).in_(list(letter_ids)))).all())
    for letter_id in letter_ids:
        if letter_id not in found:
            raise NotFound(f"找不到编号为 {letter_id} 的文书。")
    return found  # type: ignore[return-value]


def _check_reprint(db: Database, letter_ids: Sequence[int], actor: str) -> bool:
    """Whether reading ``letter_ids`` is a full view (to audit); ``PermissionDenied`` if ``actor`` may not."""
    with db.read() as session:
        kinds = _kinds(session, letter_ids)
        full = any(_full_data(k) for k in kinds.values())
        if full and not permissions.may_view_full_personal_data(session, actor):
            raise permissions.PermissionDenied(reprint_refusal([kinds[i] for i in letter_ids], actor))
    return full


def may_reprint(db: Database, letter_ids: Sequence[int], actor: str) -> str | None:
    """``None`` if ``actor`` may reprint or export all of ``letter_ids``, else the refusal message.

    For the GUI to say so before asking for a printer or a file name; the
    reading functions below check (and audit) again themselves.
    """
    try:
        _check_reprint(db, letter_ids, actor)
    except permissions.PermissionDenied as exc:
        return str(exc)
    return None


def _reprinted(session: Session, letter_id: int, actor: str) -> Letter:
    """The stored letter, after the full-view check and audit if it carries full personal data.

    A reprint of the registration form shows the full ID number and phone exactly as
    issuing it did, so it needs the same role and leaves the same audit entry, written
    in the caller's transaction before the bytes are handed out.
    """
    letter = session.get(Letter, letter_id)
    if letter is None:
        raise NotFound(f"找不到编号为 {letter_id} 的文书。")
    if _full_data(letter.kind):
        permissions.record_full_view(session, actor, f"letter:{letter.kind}",
                                     {"letter_id": letter.id, "request_id": letter.request_id, "kind": letter.kind,
                                      "doc_number": letter.doc_number, "reprint": True},
                                     refusal=reprint_refusal([letter.kind], actor))
    return letter


@contextmanager
def _reading(db: Database, letter_ids: Sequence[int], actor: str) -> Iterator[Session]:
    """A session to read ``letter_ids`` in: a write transaction only when a full view is to be audited.

    Letters are append-only, so their kinds cannot change between the check and the
    read; a refusal is raised before any letter of the batch is read.
    """
    full = _check_reprint(db, letter_ids, actor)
    with (db.write() if full else db.read()) as session:
        yield session


def get(db: Database, letter_id: int, actor: str) -> IssuedLetter:
    """The issued letter with its stored PDF, for ``actor`` (role check and audit as for a reprint)."""
    with _reading(db, [letter_id], actor) as session:
        return _issued(_reprinted(session, letter_id, actor))


def stored_pdf(db: Database, letter_id: int, actor: str) -> bytes:
    """The PDF exactly as issued (a reprint is the same document), for ``actor``."""
    return get(db, letter_id, actor).pdf


def stored_document(db: Database, letter_id: int, actor: str) -> LetterDocument:
    """The final text as issued, for ``actor`` (role check and audit as for a reprint)."""
    with _reading(db, [letter_id], actor) as session:
        return document_from_json(_reprinted(session, letter_id, actor).final_text)


def stored_pdfs(db: Database, letter_ids: Sequence[int],
                actor: str) -> Job[list[tuple[int, bytes]]]:
    """The stored PDFs of ``letter_ids`` in order, with progress (for batch printing), for ``actor``.

    A batch holding a registration form is refused as a whole for a role that may
    not see full personal data (``PermissionDenied``, before anything is read), so
    a print job never comes out with some letters missing.
    """
    out: list[tuple[int, bytes]] = []
    _check_reprint(db, letter_ids, actor)  # the whole batch, before the first letter is read
    for n, letter_id in enumerate(letter_ids, start=1):
        out.append((letter_id, stored_pdf(db, letter_id, actor)))
        yield Progress(n, len(letter_ids), f"正在读取文书 {n} / {len(letter_ids)}")
    return out


def batch_pdf(db: Database, letter_ids: Sequence[int], actor: str) -> bytes:
    """One PDF of several issued letters (each from its stored final text, on new pages), for ``actor``."""
    with _reading(db, letter_ids, actor) as session:
        docs = [document_from_json(_reprinted(session, i, actor).final_text) for i in letter_ids]
        conf = office_settings.load(session)
    buf = io.BytesIO()
    render_letters(docs, buf, fonts=letter_fonts(conf))
    return buf.getvalue()


def save_batch_pdf(db: Database, letter_ids: Sequence[int], actor: str, path: Path | str) -> Job[Path]:
    """``batch_pdf`` written to ``path`` whole or not at all (``atomic_output``), as a job; returns the path.

    Refused as a whole, before any letter is read, for a role that may not see
    a registration form in the batch; cancelled before the file is saved, no
    file is left.
    """
    yield Progress(0, 2, f"正在生成 {len(letter_ids)} 份文书的 PDF…")
    data = batch_pdf(db, letter_ids, actor)
    yield Progress(1, 2, "正在保存文件…")
    with atomic_output(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)
