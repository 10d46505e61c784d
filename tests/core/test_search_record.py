"""The search record behind a 4.1 reply (检索记录, issue 17, point 1; 指导性案例101号).

The step ``record_search`` stores one search (core and command line), an undo takes it back,
a "does not exist" reply is refused without one, and with one the letter states the search
and the annex prints it in full.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from request_desk.cli import main
from request_desk.core import cases
from request_desk.core.cases import case_file, search_records
from request_desk.core.errors import TransitionError, ValidationFailed
from request_desk.core.letters import compose, issue_checks, register
from request_desk.core.letters.search_annex import ANNEX_TITLE, search_record_pdf
from request_desk.core.office import settings as office_settings
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import SearchRecord
from request_desk.core.vocab import Status
from tests import factories
from tests.factories import TODAY
from tests.support import migrations
from tests.support.pdf import pdf_text

ON = date(2026, 10, 15)
WHERE = "本机关公文管理系统、档案室"
SUMMARY = "经检索本机关公文管理系统、档案室，以“拆迁补偿”“安置协议”为关键词，未检索到相关信息。"


@pytest.fixture(autouse=True)
def _contact(db: Database) -> None:
    with db.write() as s:
        office_settings.update(s, contact_person="李四", contact_phone="0527-84371234")


def _searched(db: Database, rid: int, **values: str) -> None:
    cases.record_search(db, rid, "clerk", where=values.get("where", WHERE),
                        keywords=values.get("keywords", "拆迁补偿、安置协议"),
                        found=values.get("found", "未检索到相关信息"), on_date=ON, today=TODAY)


def _records(db: Database, rid: int) -> list[SearchRecord]:
    with db.read() as s:
        return list(s.exec(select(SearchRecord).where(SearchRecord.request_id == rid)).all())


def test_the_step_stores_the_search_and_keeps_the_status(db: Database) -> None:
    rid = factories.register(db)
    _searched(db, rid)
    [r] = _records(db, rid)
    assert (r.searched_on, r.where, r.keywords, r.found, r.searched_by) == (
        ON, WHERE, "拆迁补偿、安置协议", "未检索到相关信息", "clerk")
    assert cases.get(db, rid).status is Status.REGISTERED
    case = case_file.load_case(db, rid, TODAY)
    assert [(e.label, e.note) for e in case.events if e.kind == "record_search"] == [("检索记录", "未检索到相关信息")]
    assert [(row.where, row.searched_by) for row in search_records.search_rows(db, rid)] == [(WHERE, "李经办")]


def test_a_search_can_be_recorded_after_the_reply_but_not_once_the_case_is_closed(db: Database) -> None:
    rid = factories.replied(db, "4.1", on=date(2026, 10, 20), delivered=date(2026, 10, 22))
    _searched(db, rid)
    assert cases.get(db, rid).status is Status.DELIVERED
    cases.close(db, rid, "clerk", on_date=date(2026, 10, 23), today=TODAY)
    with pytest.raises(TransitionError, match="不能登记检索记录"):
        _searched(db, rid)


def test_where_keywords_and_result_are_required(db: Database) -> None:
    rid = factories.register(db)
    for missing, words in (("where", "检索了哪些系统"), ("keywords", "关键词"), ("found", "检索结果")):
        with pytest.raises(ValidationFailed, match=words):
            _searched(db, rid, **{missing: " "})
    assert _records(db, rid) == []


def test_an_undo_takes_the_search_back(db: Database) -> None:
    rid = factories.register(db)
    _searched(db, rid)
    cases.undo_last_step(db, rid, "检索记录登记错案件", "supervisor", today=TODAY)
    assert _records(db, rid) == []


def test_the_command_line_records_a_search(db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rid = factories.register(db)
    reg = cases.get(db, rid).reg_number
    code = main(["--db", str(db_path), "--user", "clerk", "case", "do", reg, "record_search", "--date", "2026-10-15",
                 "--set", f"where={WHERE}", "--set", "keywords=拆迁补偿", "--set", "found=未检索到相关信息", "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert json.loads(out.out)["status"] == "registered"
    assert [(r.where, r.keywords, r.searched_on) for r in _records(db, rid)] == [(WHERE, "拆迁补偿", ON)]


def test_a_does_not_exist_reply_is_refused_without_a_search_record(db: Database) -> None:
    rid = factories.replied(db, "4.1", on=date(2026, 10, 20))
    draft = compose.compose(db, rid, "reply_4.1", on_date=date(2026, 10, 20))
    errors = [f.message for f in issue_checks.pre_issue_findings(db, draft) if f.blocks]
    assert errors == ["答复“经检索没有所申请公开的信息”须先登记检索记录（检索了哪些系统、档案或单位，用什么关键词，"
                      "结果如何）：请在办理操作中“登记检索记录”。"]
    with pytest.raises(ValidationFailed, match="须先登记检索记录"):
        register.issue(db, draft, "clerk")
    assert register.register_rows(db) == []
    with pytest.raises(ValidationFailed, match="尚无检索记录"):
        search_record_pdf(db, rid)


def test_not_this_agencys_information_needs_no_search_record(db: Database) -> None:
    rid = factories.replied(db, "4.1", on=date(2026, 10, 20), summary="该信息由市自然资源和规划局制作并保存")
    draft = compose.compose(db, rid, "reply_4.1_not_responsible", on_date=date(2026, 10, 20))
    assert [f for f in issue_checks.pre_issue_findings(db, draft) if f.blocks] == []


def test_with_a_search_record_the_letter_states_the_search_and_the_annex_prints_it(db: Database) -> None:
    rid = factories.replied(db, "4.1", on=date(2026, 10, 20))
    _searched(db, rid)
    cases.record_search(db, rid, "clerk", where="档案室", keywords="安置协议", found="未检索到相关信息",
                        on_date=date(2026, 10, 16), today=TODAY)
    draft = compose.compose(db, rid, "reply_4.1", on_date=date(2026, 10, 20))
    assert f"{SUMMARY}本机关没有制作或者获取您申请获取的政府信息。" in "".join(draft.document.body)
    issued = register.issue(db, draft, "clerk")
    assert SUMMARY in pdf_text(issued.pdf)
    annex = pdf_text(search_record_pdf(db, rid, on_date=date(2026, 10, 20)))
    assert ANNEX_TITLE in annex
    assert f"一、2026年10月15日，检索人：李经办。检索范围：{WHERE}；检索关键词：拆迁补偿、安置协议；" \
           "检索结果：未检索到相关信息。" in annex
    assert "二、2026年10月16日" in annex and f"综上，{SUMMARY}" in annex


def test_migration_0015_matches_the_model_and_goes_down_and_up(db: Database) -> None:
    rid = factories.register(db)
    _searched(db, rid)
    assert migrations.differences(db, "search_record") == []
    migrations.down_and_up(db, "0014")
    assert _records(db, rid) == []  # the table went with the downgrade; the request stays
    assert cases.get(db, rid).reg_number


def test_case_show_and_the_annex_on_the_command_line(db: Database, db_path: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    rid = factories.replied(db, "4.1", on=date(2026, 10, 20))
    reg = cases.get(db, rid).reg_number
    out = tmp_path / "检索记录.pdf"
    assert main(["--db", str(db_path), "case", "search-annex", reg, "-o", str(out)]) == 1  # nothing searched yet
    assert "尚无检索记录" in capsys.readouterr().err and not out.exists()
    _searched(db, rid)
    assert main(["--db", str(db_path), "case", "show", reg, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [(r["where"], r["keywords"], r["searched_by"]) for r in shown["search_records"]] == [
        (WHERE, "拆迁补偿、安置协议", "李经办")]
    assert shown["attachments"] == []
    assert main(["--db", str(db_path), "case", "show", reg]) == 0
    assert f"检索记录：2026-10-15  李经办  {WHERE}" in capsys.readouterr().out
    assert main(["--db", str(db_path), "case", "search-annex", reg, "-o", str(out)]) == 0
    assert ANNEX_TITLE in pdf_text(out.read_bytes())
