"""Hostile and broken ledger files: a clear message, and the database exactly as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from request_desk.core import importer
from request_desk.core.db import Database
from request_desk.core.errors import ValidationFailed

LEDGERS = Path(__file__).parent.parent / "data" / "import"


def assert_refused(db: Database, db_path: Path, path: Path, message: str) -> None:
    before = db_path.read_bytes()
    with pytest.raises(ValidationFailed, match=message):
        plan = importer.plan_import(db, path)
        # A plan is only a reading; if one were made, importing it must still fail cleanly.
        list(importer.import_plan(db, plan, "clerk"))
    assert db_path.read_bytes() == before


def test_truncated_workbook(db: Database, db_path: Path, tmp_path: Path) -> None:
    whole = (LEDGERS / "clean-ledger.xlsx").read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    assert_refused(db, db_path, cut, "不完整或已损坏")


def test_password_protected_workbook(db: Database, db_path: Path, tmp_path: Path) -> None:
    # Excel saves an encrypted workbook as an OLE compound file; its first 8 bytes are this signature.
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    assert_refused(db, db_path, locked, "打开密码")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("report.xlsx", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "不是 Excel 工作簿"),
    ("old.xls", b"\x09\x08\x10\x00\x00\x06\x05\x00" + bytes(512), "不是 Excel 工作簿"),
    ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "不是文本文件"),
    ("ledger.docx", b"PK\x03\x04", "不支持的文件类型"),
    ("empty.csv", b"", "没有找到列名行"),
])
def test_wrong_format(db: Database, db_path: Path, tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert_refused(db, db_path, path, message)


def test_enormous_file_is_refused_before_it_is_read_whole(db: Database, db_path: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # The real limit is 200,000 rows; a lower one keeps the test small, the code path is the same.
    monkeypatch.setattr(importer, "MAX_ROWS", 50)
    big = tmp_path / "big.csv"
    header = (LEDGERS / "ledger-gbk.csv").read_bytes().splitlines()[0].decode("gb18030")
    big.write_text(header + "\n" + "\n".join(f"2026-{i:05d}" for i in range(1, 200)) + "\n", encoding="utf-8")
    assert_refused(db, db_path, big, "超过 50 行")


def test_missing_file(db: Database, db_path: Path, tmp_path: Path) -> None:
    assert_refused(db, db_path, tmp_path / "gone.xlsx", "无法读取文件")


def test_a_good_file_still_imports_after_these(db: Database, tmp_path: Path) -> None:
    copy = tmp_path / "clean.xlsx"
    shutil.copy(LEDGERS / "clean-ledger.xlsx", copy)
    plan = importer.plan_import(db, copy)
    assert plan.ok and plan.rows
