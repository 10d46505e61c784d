"""Saved column mappings of the ledger import: stored by a successful import, offered again (issue 14, point 7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect
from sqlmodel import select

from request_desk.cli import main
from request_desk.core.errors import ValidationFailed
from request_desk.core.jobs import run
from request_desk.core.storage import db as db_module
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry, ImportProfile
from request_desk.core.transfer import importer, profiles
from tests.factories import TODAY

HEAD = "来信时间,递交途径,申请人类型,申请人,申请内容,经办人\n"


def _ledger(path: Path, head: str = HEAD, row: str = "2025-05-06,网上,自然人,郑十,某信息,李晓\n") -> Path:
    path.write_text(head + row, encoding="utf-8")
    return path


def test_a_mapped_import_saves_its_profile_and_the_next_file_finds_it(db: Database, tmp_path: Path) -> None:
    mapping = {"来信时间": "received_date", "递交途径": "channel"}
    plan = importer.plan_import(db, _ledger(tmp_path / "2025年5月台账.csv"), mapping=mapping, today=TODAY)
    assert plan.ok
    run(importer.import_plan(db, plan, "clerk", today=TODAY))
    assert plan.saved_profile == "2025年5月台账"  # named after the file
    saved = profiles.get_profile(db, "2025年5月台账")
    assert saved.columns == {"来信时间": "received_date", "递交途径": "channel", "申请人类型": "applicant_type",
                             "申请人": "applicant_name", "申请内容": "description", "经办人": ""}
    assert saved.to_json() == {"columns": saved.columns, "values": {}}
    # Next month: other order, a remark in brackets, the same set of headers.
    june = _ledger(tmp_path / "6月.csv", "申请人,来信时间（必填）,递交途径,申请人类型,申请内容,经办人\n",
                   "吴九,2025-06-02,网上,自然人,另一信息,李晓\n")
    offered = profiles.matching_profile(db, importer.plan_import(db, june, today=TODAY).headers)
    assert offered is not None and offered.name == "2025年5月台账"
    # A second mapped import with these headers updates that profile instead of adding one.
    plan = importer.plan_import(db, june, mapping=offered.columns | {"来信时间（必填）": "received_date"}, today=TODAY)
    run(importer.import_plan(db, plan, "clerk", today=TODAY))
    with db.read() as s:
        assert [p.name for p in s.exec(select(ImportProfile))] == ["2025年5月台账"]
        entries = s.exec(select(AuditEntry).where(AuditEntry.action == "import_profile")).all()
    assert len(entries) == 2 and entries[1].old is not None
    assert profiles.matching_profile(db, ["序号", "收到日期"]) is None


def test_an_import_the_desk_understands_by_itself_or_a_failed_one_saves_nothing(db: Database, tmp_path: Path) -> None:
    plain = _ledger(tmp_path / "plain.csv", "收到日期,收到方式,申请人类型,申请人,申请内容,序号\n",
                    "2025-05-06,网上,自然人,郑十,某信息,1\n")
    plan = importer.plan_import(db, plain, today=TODAY)
    run(importer.import_plan(db, plan, "clerk", today=TODAY))
    assert plan.saved_profile is None and profiles.list_profiles(db) == []
    bad = importer.plan_import(db, _ledger(tmp_path / "bad.csv", row="明天,网上,自然人,郑十,某信息,李晓\n"),
                               mapping={"来信时间": "received_date", "递交途径": "channel"}, today=TODAY)
    with pytest.raises(ValidationFailed):
        run(importer.import_plan(db, bad, "clerk", today=TODAY, profile="不应保存"))
    assert profiles.list_profiles(db) == []
    with pytest.raises(ValidationFailed, match="没有名为“不应保存”的列对应方案（尚未保存任何列对应方案）"):
        profiles.get_profile(db, "不应保存")


def test_cli_saves_lists_offers_and_uses_profiles(db_path: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    first = _ledger(tmp_path / "五月.csv")
    args = ["--db", str(db_path), "import"]
    assert main([*args, str(first), "--map", "来信时间=received_date", "--map", "递交途径=channel",
                 "--dry-run"]) == 0
    assert main([*args, "--profiles"]) == 0
    assert "尚未保存任何列对应方案" in capsys.readouterr().out  # a dry run writes nothing, no profile either
    assert main([*args, str(first), "--map", "来信时间=received_date", "--map", "递交途径=channel",
                 "--save-profile", "本办台账"]) == 0
    assert "列对应已保存为方案“本办台账”" in capsys.readouterr().out
    assert main([*args, "--profiles"]) == 0
    listed = capsys.readouterr().out
    assert listed.startswith("本办台账\t6 列\t") and "来信时间→received_date" in listed
    second = _ledger(tmp_path / "六月.csv", row="2025-06-02,网上,自然人,吴九,另一信息,李晓\n")
    assert main([*args, str(second), "--dry-run"]) == 1  # without the mapping: required columns missing
    out = capsys.readouterr().out
    assert "已保存的列对应方案“本办台账”与本文件的列名相同，可加 --profile 本办台账 使用" in out
    assert main([*args, str(second), "--profile", "本办台账"]) == 0
    assert "已导入 1 件" in capsys.readouterr().out
    assert main([*args, str(second), "--profile", "别的"]) == 1
    assert "没有名为“别的”的列对应方案（已保存的方案：本办台账）" in capsys.readouterr().err


def test_revision_0010_adds_the_profile_table(db: Database) -> None:
    cfg = db_module.alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0009")
    with db.read() as session:
        tables = set(inspect(session.connection()).get_table_names())
    assert "import_profile" not in tables
    db.migrate()
    assert db.revision() == Database.head_revision()  # 0010 and every revision after it
    with db.write() as session:
        name = profiles.save_profile(session, " 方案 ", ["收到日期"], {"收到日期": "received_date"}, {}, "clerk")
    assert name == "方案"
    assert profiles.get_profile(db, "方案").columns == {"收到日期": "received_date"}
    with db.write() as session:
        profiles.save_profile(session, "方案", ["收到日期", "处理结果"], {"处理结果": "outcome"},
                              {"outcome": {"已答复": "1"}}, "clerk")
    saved = profiles.get_profile(db, "方案")
    assert saved.value_choices() == {("outcome", "已答复"): "1"} and saved.headers == ["收到日期", "处理结果"]
