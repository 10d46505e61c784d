"""The files kept with a case (附件): scans, copies, envelopes, delivery proofs, what was provided.

What the office may have to show later: the scanned application, the applicant's
ID copy, the envelope or postmark that proves the day of receipt (条例第三十一条),
the delivery proof (EMS number, signed receipt) and the information provided
(docs/domain.md, "Attachments"). The bytes are stored in the database with their
SHA-256, so every verified backup holds them and a restore brings them back;
the digest is checked again on every read, and damaged content is refused, never
handed out.

Attachments are append-only: one is never edited, and removing one is not
offered (SQLite triggers refuse it, as for letters). A correction of the case or
an undo of a step leaves them as they are. The same bytes twice on one case are
refused as a duplicate.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session, col, select

from request_desk.core.cases.lookup import load_request
from request_desk.core.errors import NotFound, ValidationFailed
from request_desk.core.office.permissions import Permission, require
from request_desk.core.reports.common import atomic_output, os_reason
from request_desk.core.storage.audit import audit, event
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Attachment, User
from request_desk.core.vocab import ATTACHMENT_KIND_LABELS as KIND_LABELS
from request_desk.core.vocab import AttachmentKind

__all__ = ["KIND_LABELS", "MAX_SIZE", "AttachmentKind", "AttachmentRow", "add_attachment", "attachment_bytes",
           "attachment_info", "export_to", "list_attachments", "parse_kind", "save_as", "size_text"]

EVENT_KIND = "add_attachment"
COPY_KIND = "copy_attachment"  # audited: a copy taken out to view or to save
MAX_SIZE = 50 * 1024 * 1024  # one file; a scan of a long application stays well below


def parse_kind(text: str) -> AttachmentKind:
    """A kind by its code (envelope) or its Chinese label (信封或邮戳)."""
    for kind in AttachmentKind:
        if text.strip() in (kind.value, kind.label):
            return kind
    choices = "、".join(f"{k.value}（{k.label}）" for k in AttachmentKind)
    raise ValidationFailed(f"附件类别只能是：{choices}；不是“{text}”。")


@dataclass(frozen=True)
class AttachmentRow:
    """One attachment as the case view lists it, without its bytes; ``added_by_name`` is the display name."""

    id: int
    request_id: int
    kind: AttachmentKind
    file_name: str
    media_type: str
    size: int
    sha256: str
    added_by: str
    added_by_name: str
    added_at: datetime
    note: str

    @property
    def kind_label(self) -> str:
        return self.kind.label

    def to_json_dict(self) -> dict[str, object]:
        return {"id": self.id, "kind": self.kind.value, "kind_label": self.kind_label, "file_name": self.file_name,
                "media_type": self.media_type, "size": self.size, "sha256": self.sha256, "added_by": self.added_by,
                "added_at": self.added_at.isoformat(), "note": self.note}


def size_text(size: int) -> str:
    """A file size for the clerk: 812 字节, 35.2 KB, 4.1 MB."""
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def _read(source: Path) -> bytes:
    try:
        size = source.stat().st_size
        if size > MAX_SIZE:
            raise ValidationFailed(_too_large(source.name, size))
        return source.read_bytes()
    except OSError as exc:
        raise ValidationFailed(f"无法读取 {source}：{os_reason(exc)}。") from exc


def _too_large(name: str, size: int) -> str:
    return f"文件“{name}”有 {size_text(size)}，超过附件上限 {size_text(MAX_SIZE)}：请压缩或分成几份后再添加。"


_COLUMNS = (Attachment.id, Attachment.request_id, Attachment.kind, Attachment.file_name, Attachment.media_type,
            Attachment.size, Attachment.sha256, Attachment.added_by, Attachment.added_at, Attachment.note)


def _rows(session: Session, where: object) -> list[AttachmentRow]:
    names = {u.username: u.display_name for u in session.exec(select(User)).all()}
    found = session.exec(select(*_COLUMNS).where(where).order_by(col(Attachment.id))).all()  # type: ignore[call-overload]
    return [AttachmentRow(r[0], r[1], AttachmentKind(r[2]), r[3], r[4], r[5], r[6], r[7], names.get(r[7], r[7]),
                          r[8], r[9]) for r in found]


def add_attachment(db: Database, request_id: int, actor: str, path_or_bytes: Path | str | bytes, *,
                   kind: AttachmentKind | str, file_name: str = "", note: str = "",
                   today: date | None = None) -> AttachmentRow:
    """Keep a file with the case: the row with its SHA-256, a 添加附件 event and one audit entry.

    ``file_name`` defaults to the path's name (required for bytes). Refused, with
    nothing written: a file over ``MAX_SIZE``, an empty one, the same bytes already
    attached to this case, or an actor who may not run cases.
    """
    kind = kind if isinstance(kind, AttachmentKind) else parse_kind(kind)
    if isinstance(path_or_bytes, bytes):
        content = path_or_bytes
    else:
        source = Path(path_or_bytes)
        file_name = file_name or source.name
        content = _read(source)
    file_name = Path(file_name.strip().replace("\\", "/")).name
    if not file_name:
        raise ValidationFailed("请填写附件的文件名。")
    if len(content) > MAX_SIZE:
        raise ValidationFailed(_too_large(file_name, len(content)))
    if not content:
        raise ValidationFailed(f"文件“{file_name}”是空的（0 字节），不能作为附件。")
    digest = hashlib.sha256(content).hexdigest()
    media_type = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
    with db.write() as session:
        require(session, actor, Permission.RUN_CASE)
        request = load_request(session, request_id)
        earlier = _rows(session, (col(Attachment.request_id) == request_id) & (col(Attachment.sha256) == digest))
        if earlier:
            e = earlier[0]
            raise ValidationFailed(f"申请 {request.reg_number} 已有内容相同的附件：“{e.file_name}”（{e.kind_label}，"
                                   f"{e.added_at:%Y-%m-%d} {e.added_by_name}添加），不再重复添加。")
        row = Attachment(request_id=request_id, kind=kind.value, file_name=file_name, media_type=media_type,
                         size=len(content), sha256=digest, content=content, added_by=actor, note=note.strip())
        session.add(row)
        session.flush()
        summary = f"{kind.label}：{file_name}（{size_text(len(content))}）"
        event(session, request_id, EVENT_KIND, today or date.today(), actor, summary,
              {"attachment_id": row.id, "sha256": digest})
        audit(session, actor, EVENT_KIND, "attachment", row.id, None,
              {"request_id": request_id, "kind": kind.value, "file_name": file_name, "media_type": media_type,
               "size": len(content), "sha256": digest, "note": row.note})
        return _rows(session, col(Attachment.id) == row.id)[0]


def list_attachments(db: Database, request_id: int) -> list[AttachmentRow]:
    """The case's attachments, oldest first; their bytes are not read."""
    with db.read() as session:
        return _rows(session, col(Attachment.request_id) == request_id)


def attachment_info(db: Database, attachment_id: int) -> AttachmentRow:
    with db.read() as session:
        rows = _rows(session, col(Attachment.id) == attachment_id)
    if not rows:
        raise NotFound(f"找不到编号为 {attachment_id} 的附件。")
    return rows[0]


def attachment_bytes(db: Database, attachment_id: int) -> tuple[str, bytes]:
    """The file's name and bytes, after checking them against the SHA-256 stored when it was added."""
    with db.read() as session:
        row = session.get(Attachment, attachment_id)
        if row is None:
            raise NotFound(f"找不到编号为 {attachment_id} 的附件。")
        name, content, digest = row.file_name, bytes(row.content), row.sha256
    if hashlib.sha256(content).hexdigest() != digest:
        raise ValidationFailed(f"附件“{name}”（编号 {attachment_id}）已损坏：内容与添加时的 SHA-256 校验值不符。"
                               "请从最近一次校验通过的备份中恢复。")
    return name, content


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def safe_file_name(name: str, attachment_id: int) -> str:
    """``name`` usable on Windows and Linux alike; 附件<id> if nothing is left."""
    cleaned = _UNSAFE.sub("_", name).strip(" .")
    return cleaned or f"附件{attachment_id}"


def save_as(db: Database, attachment_id: int, path: Path | str, actor: str) -> Path:
    """Write a checked copy of the attachment as ``path`` (whole or not at all), audited.

    An attachment may be an ID copy: who took a copy of which file, and where to, is
    kept in the audit log (docs/SECURITY.md), written only once the copy is whole.
    """
    name, content = attachment_bytes(db, attachment_id)
    with atomic_output(Path(path)) as tmp:
        tmp.write_bytes(content)
    with db.write() as session:
        audit(session, actor, COPY_KIND, "attachment", attachment_id, None, {"file": name, "to": str(path)})
    return Path(path)


def export_to(db: Database, attachment_id: int, folder: Path | str, actor: str) -> Path:
    """Write a checked copy of the attachment into ``folder`` (created if missing) under its own name."""
    name = attachment_info(db, attachment_id).file_name
    return save_as(db, attachment_id, Path(folder) / safe_file_name(name, attachment_id), actor)
