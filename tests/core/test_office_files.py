"""Office-wide data lives in the database: what one desk changes, every desk uses (issue 19, point 3).

Two desks are two data folders on one database file, as two PCs of one office.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import col, select

from request_desk.cli import main
from request_desk.core.cases import fee_steps, fees
from request_desk.core.letters import compose
from request_desk.core.office import file_change, local_files
from request_desk.core.publication import similarity, similarity_vocab
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry, Request
from request_desk.core.transfer import profiles
from tests import factories
from tests.support import migrations

ACKNOWLEDGEMENT = "标题：申请受理回执\n称呼：${applicant_name}同志：\n正文：\n您的申请（${reg_number}）已收悉。\n"
OTHER_ACKNOWLEDGEMENT = "标题：收件回执\n正文：\n已收到。\n"
FEE_TABLE = ('[per_application]\nlabel="按件计收"\nunit="件"\nbands=[{from=1,yuan=77}]\n'
             '[per_page]\nlabel="按量计收"\nunit="页"\nbands=[{from=1,yuan=1}]\n')
SYNONYMS = "written,normal,comment\n妇幼保健计划生育服务中心,妇保院,本地旧称\n"
FULL_NAME = "宿迁市妇幼保健计划生育服务中心2025年部门预算"  # matches 市妇保院… only with the office's row


def _put(data: Path, relative: str, text: str) -> Path:
    path = data / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _at(desk: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str, user: str = "supervisor") -> int:
    """A command run at the desk whose data folder is ``desk``."""
    monkeypatch.setenv("REQUEST_DESK_DATA", str(desk))
    return main(["--db", str(db_path), "--user", user, *args])


def _what_a_desk_makes(db_path: Path) -> tuple[str, int, bool]:
    """The acknowledgement's title, the fee of a first application and whether 妇保院 matches, at a desk of its own."""
    db = Database.open(db_path)
    try:
        rid = factories.register(db)
        title = compose.compose(db, rid, "acknowledgement", on_date=date(2026, 9, 28)).document.title
        with db.read() as session:
            request = session.get(Request, rid)
            assert request is not None
            fee = fee_steps.fee_quote(session, request, fees.PER_APPLICATION, None).amount_yuan
            vocab = similarity_vocab.vocabulary(session)
        same = similarity.similarity(FULL_NAME, "市妇保院2025年部门预算", vocab=vocab).same
    finally:
        db.close()
    return title, fee, same


def test_an_older_desks_files_move_into_the_database_and_every_desk_uses_them(
        db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        capsys: pytest.CaptureFixture[str]) -> None:
    desk_a, desk_b = tmp_path / "desk-a", tmp_path / "desk-b"
    moved = [_put(desk_a, "letters/acknowledgement.txt", ACKNOWLEDGEMENT),
             _put(desk_a, "fees/fee_rules.toml", FEE_TABLE), _put(desk_a, "similarity/synonyms.csv", SYNONYMS)]
    theirs = _put(desk_b, "letters/acknowledgement.txt", OTHER_ACKNOWLEDGEMENT)  # desk B had words of its own
    same_table = desk_b / "fees" / "fee_rules.toml"  # and the same table as desk A, saved by Notepad
    same_table.parent.mkdir(parents=True)
    same_table.write_bytes(b"\xef\xbb\xbf" + FEE_TABLE.replace("\n", "\r\n").encode("utf-8"))
    assert _what_a_desk_makes(db_path)[1:] == (0, False)  # the shipped table: the first application is free

    assert _at(desk_a, db_path, monkeypatch, "settings", "files", "--json") == 0  # desk A starts: its files move in
    listed = {f["file"]: f["own"] for f in json.loads(capsys.readouterr().out)}
    assert {f for f, own in listed.items() if own} == {"letters/acknowledgement.txt", "fees/fee_rules.toml",
                                                       "similarity/synonyms.csv"}
    assert not any(p.exists() for p in moved) and all(p.with_name(p.name + ".imported").exists() for p in moved)
    assert (desk_a / local_files.MOVED_NOTE).exists()
    with caplog.at_level(logging.WARNING, "request_desk.office_files"):
        assert _at(desk_b, db_path, monkeypatch, "settings", "files") == 0  # desk B starts: desk A's version stays
    assert "differs from the office's letters/acknowledgement.txt" in caplog.text
    assert "fees/fee_rules.toml" not in caplog.text  # the same table, however its lines end
    assert not theirs.exists() and theirs.with_name("acknowledgement.txt.imported").read_text(encoding="utf-8") == (
        OTHER_ACKNOWLEDGEMENT)  # kept, unused

    # A third desk with nothing in its data folder prints, charges and matches as desk A does.
    monkeypatch.setenv("REQUEST_DESK_DATA", str(tmp_path / "desk-c"))
    assert _what_a_desk_makes(db_path) == ("申请受理回执", 77, True)
    capsys.readouterr()
    # As the similar-requests panel decides, without signing in.
    assert main(["--db", str(db_path), "similarity", "compare", "--json", FULL_NAME, "市妇保院2025年部门预算"]) == 0
    assert json.loads(capsys.readouterr().out)["same"] is True
    db = Database.open(db_path)
    with db.read() as session:
        imported = session.exec(select(AuditEntry).where(AuditEntry.action == "import_office_file")
                                .order_by(col(AuditEntry.id))).all()
    db.close()
    assert [(e.new or {}).get("imported_from") for e in imported] == [str(p) for p in moved]

    # Once moved, a desk reads none of those folders again: a file put there later is not used.
    _put(desk_a, "fees/fee_rules.toml", FEE_TABLE.replace("77", "5"))
    assert _at(desk_a, db_path, monkeypatch, "settings", "show-file", "fees/fee_rules.toml") == 0
    assert "yuan=77" in capsys.readouterr().out


def test_a_supervisor_changes_a_template_at_one_desk_and_the_other_prints_it(
        db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    desk_a, desk_b = tmp_path / "desk-a", tmp_path / "desk-b"
    mine = _put(tmp_path, "edited/acknowledgement.txt", ACKNOWLEDGEMENT)
    assert _at(desk_a, db_path, monkeypatch, "settings", "set-file", "letters/acknowledgement.txt", str(mine),
               user="clerk") == 1
    assert "“clerk”无权修改：只有管理员可以修改文书模板" in capsys.readouterr().err
    assert _at(desk_a, db_path, monkeypatch, "settings", "set-file", "letters/acknowledgement.txt", str(mine)) == 0
    assert "各台电脑都将使用此版本" in capsys.readouterr().out
    assert not (desk_a / "letters").exists()  # nothing written to the desk's own folder

    assert _at(desk_b, db_path, monkeypatch, "settings", "show-file", "letters/acknowledgement.txt",
               "-o", str(tmp_path / "out.txt")) == 0
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == ACKNOWLEDGEMENT
    assert _what_a_desk_makes(db_path)[0] == "申请受理回执"

    broken = _put(tmp_path, "edited/broken.txt", "标题：x\n正文：\n${nope}\n")
    assert _at(desk_b, db_path, monkeypatch, "settings", "set-file", "letters/acknowledgement.txt", str(broken)) == 1
    assert "第3行：未知的占位符 ${nope}" in capsys.readouterr().err
    assert _at(desk_b, db_path, monkeypatch, "settings", "set-file", "letters/nothing.txt", str(mine)) == 1
    assert "没有可修改的文件“letters/nothing.txt”" in capsys.readouterr().err

    assert _at(desk_b, db_path, monkeypatch, "settings", "reset-file", "letters/acknowledgement.txt") == 0
    assert _what_a_desk_makes(db_path)[0] != "申请受理回执"
    db = Database.open(db_path)
    with db.read() as session:
        changes = session.exec(select(AuditEntry).where(AuditEntry.table_name == "office_file")
                               .order_by(col(AuditEntry.id))).all()
    db.close()
    assert [(e.user, e.action) for e in changes] == [("supervisor", "set_office_file"),
                                                     ("supervisor", "reset_office_file")]
    assert (changes[0].old, (changes[0].new or {})["text"]) == (None, ACKNOWLEDGEMENT)
    assert ((changes[1].old or {})["text"], changes[1].new) == (ACKNOWLEDGEMENT, None)


def test_an_import_mapping_saved_at_one_desk_is_offered_at_the_other(db_path: Path) -> None:
    headers = ["收件日期", "姓名", "要什么"]
    desk_a, desk_b = Database.open(db_path), Database.open(db_path)
    try:
        with desk_a.write() as session:
            profiles.save_profile(session, "区台账", headers, {"收件日期": "received_date", "姓名": "applicant_name",
                                                             "要什么": "description"}, {}, "clerk")
        found = profiles.matching_profile(desk_b, ["要什么", "姓名", "收件日期"])
    finally:
        desk_a.close()
        desk_b.close()
    assert found is not None and found.name == "区台账" and found.columns["要什么"] == "description"


def test_the_migration_goes_down_and_up(db: Database) -> None:
    file_change.set_file(db, "supervisor", "similarity/synonyms.csv", SYNONYMS)
    migrations.down_and_up(db, "0018")  # the table goes with its rows, and comes back empty
    assert not any(f.own for f in file_change.files(db))
    assert migrations.differences(db, "office_file") == []
