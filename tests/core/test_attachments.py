"""Attachments (附件, issue 17, point 4): kept in the database with their SHA-256.

Added, listed without their bytes and read back checked; a duplicate, an oversized file and an
actor without the right are refused with nothing written; damaged bytes are detected on read;
they survive a correction and an undo, a backup and a restore, and the command line.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from request_desk.cli import main
from request_desk.core import cases
from request_desk.core.cases import attachments, case_file
from request_desk.core.cases.attachments import AttachmentKind
from request_desk.core.errors import ValidationFailed
from request_desk.core.jobs import run
from request_desk.core.office import safekeeping
from request_desk.core.office.permissions import PermissionDenied
from request_desk.core.storage import audit_view, backup
from request_desk.core.storage.db import Database
from tests import factories
from tests.factories import TODAY
from tests.support import stored

SCAN = b"%PDF-1.4 scanned application \x00\xff" * 100
ENVELOPE = b"\x89PNG\r\n\x1a\n postmark 2026-09-28"


def _scan(tmp_path: Path, content: bytes = SCAN, name: str = "申请书扫描件.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_add_list_and_read_back_with_the_sha256(db: Database, tmp_path: Path) -> None:
    rid = factories.register(db)
    added = attachments.add_attachment(db, rid, "clerk", _scan(tmp_path), kind=AttachmentKind.APPLICATION_SCAN,
                                       note="原件已归档", today=TODAY)
    attachments.add_attachment(db, rid, "clerk", ENVELOPE, kind="信封或邮戳", file_name="信封.png", today=TODAY)
    listed = attachments.list_attachments(db, rid)
    assert [(a.kind, a.file_name, a.media_type, a.size) for a in listed] == [
        (AttachmentKind.APPLICATION_SCAN, "申请书扫描件.pdf", "application/pdf", len(SCAN)),
        (AttachmentKind.ENVELOPE, "信封.png", "image/png", len(ENVELOPE))]
    assert listed[0] == added and added.sha256 == hashlib.sha256(SCAN).hexdigest()
    assert (added.added_by_name, added.note) == ("李经办", "原件已归档")
    assert attachments.attachment_bytes(db, added.id) == ("申请书扫描件.pdf", SCAN)
    events = [e for e in case_file.load_case(db, rid, TODAY).events if e.kind == attachments.EVENT_KIND]
    assert [e.shown_label for e in events] == ["添加附件"] * 2
    assert {e.note for e in events} == {"申请书扫描件：申请书扫描件.pdf（3.0 KB）", "信封或邮戳：信封.png（28 字节）"}
    [entry] = audit_view.search(db, audit_view.AuditQuery(action="add_attachment", record_id=listed[1].id))
    assert entry.new is not None and entry.new["sha256"] == hashlib.sha256(ENVELOPE).hexdigest()
    out = attachments.export_to(db, added.id, tmp_path / "out", "clerk")
    assert out == tmp_path / "out" / "申请书扫描件.pdf" and out.read_bytes() == SCAN
    [copied] = audit_view.search(db, audit_view.AuditQuery(action=attachments.COPY_KIND, record_id=added.id))
    assert (copied.user, copied.new) == ("clerk", {"file": "申请书扫描件.pdf", "to": str(out)})


def test_the_same_bytes_twice_are_refused_naming_the_first(db: Database, db_path: Path, tmp_path: Path) -> None:
    rid = factories.register(db)
    attachments.add_attachment(db, rid, "clerk", _scan(tmp_path), kind="application_scan", today=TODAY)
    before = stored.dump(db_path)
    with pytest.raises(ValidationFailed, match=r"已有内容相同的附件：“申请书扫描件\.pdf”"):
        attachments.add_attachment(db, rid, "clerk", SCAN, kind="other", file_name="再次扫描.pdf", today=TODAY)
    assert stored.dump(db_path) == before
    other = factories.register(db, applicant_name="李四")  # another case may hold the same file
    attachments.add_attachment(db, other, "clerk", SCAN, kind="other", file_name="复印件.pdf", today=TODAY)


def test_too_large_empty_and_unknown_kinds_are_refused(db: Database, db_path: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    rid = factories.register(db)
    before = stored.dump(db_path)
    monkeypatch.setattr(attachments, "MAX_SIZE", 1024)
    with pytest.raises(ValidationFailed, match=r"超过附件上限 1\.0 KB"):
        attachments.add_attachment(db, rid, "clerk", _scan(tmp_path), kind="other")
    with pytest.raises(ValidationFailed, match="超过附件上限"):
        attachments.add_attachment(db, rid, "clerk", b"x" * 1025, kind="other", file_name="a.bin")
    with pytest.raises(ValidationFailed, match="是空的"):
        attachments.add_attachment(db, rid, "clerk", b"", kind="other", file_name="a.bin")
    with pytest.raises(ValidationFailed, match="附件类别只能是"):
        attachments.add_attachment(db, rid, "clerk", b"x", kind="photo", file_name="a.bin")
    with pytest.raises(ValidationFailed, match="无法读取"):
        attachments.add_attachment(db, rid, "clerk", tmp_path / "missing.pdf", kind="other")
    assert stored.dump(db_path) == before


def test_an_actor_without_the_right_writes_nothing(db: Database, db_path: Path) -> None:
    rid = factories.register(db)
    before = stored.dump(db_path)
    with pytest.raises(PermissionDenied):
        attachments.add_attachment(db, rid, "nobody", SCAN, kind="other", file_name="a.pdf")
    assert stored.dump(db_path) == before


def test_damaged_content_is_detected_on_read(db: Database, db_path: Path, tmp_path: Path) -> None:
    rid = factories.register(db)
    added = attachments.add_attachment(db, rid, "clerk", SCAN, kind="other", file_name="a.pdf")
    # As a failing disk would: the trigger is what the desk obeys, not the disk.
    with stored.behind_the_desk(db_path, triggers=False) as con:
        con.execute(text("UPDATE attachment SET content = :c WHERE id = :i"), {"c": SCAN[:-1] + b"!", "i": added.id})
    with pytest.raises(ValidationFailed, match="已损坏"):
        attachments.attachment_bytes(db, added.id)
    with pytest.raises(ValidationFailed, match="已损坏"):
        attachments.export_to(db, added.id, tmp_path, "clerk")
    assert not list(tmp_path.glob("a*.pdf"))


def test_attachments_cannot_be_edited_or_removed(db: Database, db_path: Path) -> None:
    rid = factories.register(db)
    attachments.add_attachment(db, rid, "clerk", SCAN, kind="other", file_name="a.pdf")
    for sql in ("UPDATE attachment SET note = 'x'", "DELETE FROM attachment"):
        with pytest.raises(DBAPIError, match="append-only"), stored.behind_the_desk(db_path) as con:
            con.execute(text(sql))


def test_attachments_survive_a_correction_and_an_undo(db: Database) -> None:
    unit = factories.add_unit(db)
    rid = factories.register(db)
    added = attachments.add_attachment(db, rid, "clerk", ENVELOPE, kind="envelope", file_name="信封.png",
                                       today=TODAY)
    cases.correct(db, rid, {"received_date": date(2026, 9, 29)}, "按邮戳日期更正", "clerk", today=TODAY)
    factories.assigned(db, unit, on=date(2026, 9, 30), rid=rid)
    later = attachments.add_attachment(db, rid, "clerk", SCAN, kind="application_scan", file_name="s.pdf",
                                       today=TODAY)
    cases.undo_last_step(db, rid, "分办错误", "supervisor", today=TODAY)
    assert attachments.list_attachments(db, rid) == [added, later]
    assert attachments.attachment_bytes(db, added.id) == ("信封.png", ENVELOPE)


@pytest.mark.sqlite_only("reads the backup file itself")
def test_attachment_round_trip_through_backup_and_restore(db: Database, db_path: Path) -> None:
    rid = factories.register(db)
    added = attachments.add_attachment(db, rid, "clerk", SCAN, kind="application_scan", file_name="s.pdf")
    saved = backup.make_backup(db_path, reason="manual")
    assert backup.verify(saved.path).requests == 1
    later = attachments.add_attachment(db, rid, "clerk", ENVELOPE, kind="envelope", file_name="信封.png")
    con = sqlite3.connect(saved.path)
    try:
        assert con.execute("SELECT content FROM attachment").fetchall() == [(SCAN,)]
    finally:
        con.close()
    db.close()
    run(safekeeping.restore_job(saved.path, db_path, "supervisor"))
    restored = Database.open(db_path)
    try:
        assert attachments.list_attachments(restored, rid) == [added]
        assert attachments.attachment_bytes(restored, added.id) == ("s.pdf", SCAN)
        # The restored table is append-only again.
        again = attachments.add_attachment(restored, rid, "clerk", ENVELOPE, kind="envelope", file_name="信封.png")
        assert again.id == later.id and again.sha256 == later.sha256
    finally:
        restored.close()


def test_the_command_line_attaches_lists_and_saves(db: Database, db_path: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    factories.register(db)
    scan = _scan(tmp_path)

    def desk(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--db", str(db_path), *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    code, out, _ = desk("case", "attach", "2026-00001", str(scan), "--kind", "application_scan", "--note", "首页")
    assert code == 0 and "申请书扫描件" in out
    code, _, err = desk("case", "attach", "2026-00001", str(scan), "--kind", "other")
    assert code == 1 and "已有内容相同的附件" in err and len(err.strip().splitlines()) == 1
    code, out, _ = desk("case", "attachments", "2026-00001", "--json")
    [row] = json.loads(out)
    assert (row["kind"], row["file_name"], row["size"], row["note"]) == ("application_scan", scan.name, len(SCAN),
                                                                         "首页")
    code, out, _ = desk("case", "attachments", "2026-00001")
    assert code == 0 and scan.name in out and row["sha256"][:12] in out
    code, out, _ = desk("case", "show", "2026-00001", "--json")
    assert [a["sha256"] for a in json.loads(out)["attachments"]] == [row["sha256"]]
    target = tmp_path / "copy.pdf"
    code, out, _ = desk("case", "attachment-save", str(row["id"]), "-o", str(target))
    assert code == 0 and target.read_bytes() == SCAN
