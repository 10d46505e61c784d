"""Hostile and broken ledger files: a clear message, and the database exactly as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from request_desk.core.errors import ValidationFailed
from request_desk.core.storage.db import Database
from request_desk.core.transfer import importer, ledger_file
from tests.support import stored

LEDGERS = Path(__file__).parent.parent / "data" / "import"


def assert_refused(db: Database, db_path: Path, path: Path, message: str) -> None:
    before = stored.content(db_path)
    with pytest.raises(ValidationFailed, match=message):
        plan = importer.plan_import(db, path)
        # A plan is only a reading; if one were made, importing it must still fail cleanly.
        list(importer.import_plan(db, plan, "clerk"))
    assert stored.content(db_path) == before


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
    monkeypatch.setattr(ledger_file, "MAX_ROWS", 50)
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


# --- issue 11, items 9, 10, 13 and 14: zip bombs, damage messages, control characters, lengths


def _workbook_with_bomb(tmp_path: Path, string_bytes: int) -> Path:
    """A real workbook whose shared-strings part is one ``string_bytes`` long string, highly compressed."""
    import zipfile

    from openpyxl import Workbook

    plain = tmp_path / "plain.xlsx"
    wb = Workbook()
    wb.active.append(["收到日期", "收到方式", "申请人类型", "申请人", "申请内容"])
    wb.active.append(["2026-03-02", "网上申请", "自然人", "甲" * 10, "乙" * 10])
    wb.save(plain)
    bomb = tmp_path / "bomb.xlsx"
    chunk = b"A" * (4 << 20)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for item in src.infolist():
            if item.filename != "xl/sharedStrings.xml":
                dst.writestr(item, src.read(item))
        with dst.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:  # streamed: the test stays small
            fh.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
            for _ in range(string_bytes // len(chunk)):
                fh.write(chunk)
            fh.write(b"</t></si></sst>")
    return bomb


@pytest.mark.parametrize("string_mib", [64, 1024], ids=["64MiB-ratio", "1GiB-size"])
def test_zip_bomb_is_refused_before_parsing_in_little_memory(db: Database, db_path: Path, tmp_path: Path,
                                                             string_mib: int) -> None:
    import tracemalloc

    bomb = _workbook_with_bomb(tmp_path, string_mib << 20)
    assert bomb.stat().st_size < 6 * 1024 * 1024
    tracemalloc.start()
    try:
        assert_refused(db, db_path, bomb, r"xl/sharedStrings.xml 解压后有 .* MB（压缩比 .* 倍），超出正常台账的范围")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 32 * 1024 * 1024, f"refusing the bomb took {peak / 1e6:.0f} MB"


@pytest.mark.parametrize(("damage", "said"), [
    ("truncated", "不是完整的 Excel 压缩包"),
    ("no-workbook-part", "缺少工作簿的组成部分"),
    ("cut-sheet-xml", "工作簿内部的 XML 内容不完整或有误"),
])
def test_damaged_workbook_message_always_says_what_is_wrong(db: Database, db_path: Path, tmp_path: Path,
                                                            damage: str, said: str) -> None:
    import zipfile

    whole = LEDGERS / "clean-ledger.xlsx"
    path = tmp_path / f"{damage}.xlsx"
    if damage == "truncated":
        path.write_bytes(whole.read_bytes()[:3000])
    else:
        with zipfile.ZipFile(whole) as src, zipfile.ZipFile(path, "w") as dst:
            for item in src.infolist():
                data = src.read(item)
                if damage == "no-workbook-part" and item.filename == "xl/workbook.xml":
                    continue
                if damage == "cut-sheet-xml" and item.filename.startswith("xl/worksheets/"):
                    data = data[: len(data) // 2]
                dst.writestr(item, data)
    with pytest.raises(ValidationFailed) as caught:
        importer.plan_import(db, path)
    message = str(caught.value)
    assert "（）" not in message
    assert f"不完整或已损坏（{said}" in message, message
    assert_refused(db, db_path, path, "不完整或已损坏")


def _ledger_csv(tmp_path: Path, descriptions: list[str], name: str = "台账.csv") -> Path:
    lines = ["收到日期,收到方式,申请人类型,申请人,证件号码,联系电话,申请内容"]
    lines += [f"2026-03-02,网上申请,自然人,张{i},11010519491231002X,13912345678,{d}"
              for i, d in enumerate(descriptions)]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_control_characters_in_a_ledger_are_removed_with_a_warning_even_after_the_first_4kb(
        db: Database, tmp_path: Path) -> None:
    from sqlmodel import select

    from request_desk.core.reports.export import run
    from request_desk.core.storage.models import Request

    filler = [f"第{i}号文件的内容" * 8 for i in range(60)]  # pushes the bad row past the 4 KB binary probe
    path = _ledger_csv(tmp_path, [*filler, "旧城改造\x00资金\x1b[31m情况\x0b第二行"])
    assert path.read_bytes().index(b"\x00") > 4096
    plan = importer.plan_import(db, path)
    assert plan.ok
    warned = [i for i in plan.issues if i.row == 62 and "控制字符" in i.message]
    assert warned and warned[0].column == "申请内容"
    run(importer.import_plan(db, plan, "clerk"))
    with db.read() as s:
        stored = s.exec(select(Request.description).where(Request.applicant_name == "张60")).one()
    assert stored == "旧城改造资金[31m情况\n第二行"


def test_rows_longer_than_the_form_allows_are_named(db: Database, db_path: Path, tmp_path: Path) -> None:
    path = _ledger_csv(tmp_path, ["正常长度的申请内容", "长" * 2001, "长" * 2000])
    plan = importer.plan_import(db, path)
    errors = [str(i) for i in plan.errors]
    assert errors == ["第3行“申请内容”列【错误】所需信息描述最多2000字，当前为2001字，请精简。"]
    assert_refused(db, db_path, path, "1 处错误")
