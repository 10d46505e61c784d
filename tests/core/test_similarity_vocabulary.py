"""The matcher's vocabulary as data: discriminating terms, synonyms, and the office's own rows."""

from __future__ import annotations

import csv
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import text

from request_desk.cli import main
from request_desk.core import jobs
from request_desk.core.errors import ValidationFailed
from request_desk.core.office import file_change
from request_desk.core.publication import similarity, similarity_index, similarity_vocab
from request_desk.core.publication.similarity_vocab import VocabularyError
from request_desk.core.storage.db import Database
from tests import factories

R = date(2026, 5, 18)

# Each pair names the same information but for one discriminating term; ``reason`` names both.
DISCRIMINATED = {
    "budget vs final accounts": (
        "宿迁市财政局2025年度三公经费预算", "宿迁市财政局2025年度三公经费决算", "预算与决算不同"),
    "primary vs middle school": (
        "宿豫区2026年公办小学招生计划及施教区划分", "宿豫区2026年公办中学招生计划及施教区划分", "小学与中学不同"),
    "junior vs senior high": (
        "宿豫区2026年公办初级中学招生计划", "宿豫区2026年公办高中招生计划", "初中与高中不同"),
    "public vs private": ("宿豫区2026年公办初中招生计划", "宿豫区2026年民办初中招生计划", "公办与民办不同"),
    "first vs second half": (
        "泗洪县2025年上半年重点项目建设进展情况", "泗洪县2025年下半年重点项目建设进展情况", "上半年与下半年不同"),
    "tender vs award": (
        "城北客运站改造工程的招标公告", "城北客运站改造工程的中标公告", "招标与中标不同"),
    "approval vs acceptance": (
        "2025年古黄河河道整治工程的立项批复", "2025年古黄河河道整治工程的竣工验收报告", "立项与验收不同"),
    "application vs reply": (
        "某置业公司某地块容积率调整的申请", "申请公开某置业公司某地块容积率调整的批复", "申请与批复不同"),
    "standard vs list": (
        "宿豫区2026年困难残疾人生活补贴标准", "宿豫区2026年困难残疾人生活补贴发放名单", "标准与名单不同"),
    "fee standard vs income and spending": (
        "宿城区2026年公办小学课后服务收费标准", "宿城区2026年公办小学课后服务费收支情况", "标准与收支不同"),
    "water intake vs drainage": (
        "某酿酒公司新建生产线取水许可的批复", "某酿酒公司新建生产线排水许可的批复", "取水与排水不同"),
    "running vs building subsidy": (
        "宿豫区2025年居家养老服务中心运营补贴发放情况", "宿豫区2025年居家养老服务中心建设补助发放情况",
        "运营补贴与建设补贴不同"),
    "public rental vs low-rent housing": (
        "泗阳县2025年公租房租金收缴情况", "泗阳县2025年廉租住房租金收缴情况", "公租房与廉租房不同"),
    "licence vs penalty": ("宿城区2025年夜间施工许可办理情况", "宿城区2025年夜间施工处罚办理情况", "许可与处罚不同"),
    "contract vs notice": ("城北客运站改造工程的施工合同", "城北客运站改造工程的施工公告", "合同与公告不同"),
}

# Each pair is the same information written with an abbreviation or a synonym.
SAME = {
    "市一院": ("宿迁市第一人民医院2025年部门预算", "申请公开宿迁市一院2025年度部门预算情况"),
    "公租房": ("泗阳县2025年公共租赁住房租金收缴情况", "申请公开泗阳县2025年公租房租金收缴情况"),
    "环评": ("某新材料公司改性塑料项目环境影响报告书及批复", "某新材料公司改性塑料项目的环评报告书和批复"),
    "低保": ("宿豫区2026年城乡最低生活保障标准调整通知", "宿豫区2026年城乡低保标准调整通知"),
    "三公经费": ("宿迁市卫健委2026年度三公经费预算",
             "宿迁市卫健委2026年因公出国（境）费用、公务用车购置及运行费、公务接待费预算"),
    "材料/文件/资料": ("宿城区2025年加装电梯项目的验收文件", "宿城区2025年加装电梯项目的验收资料"),
    "批文 inside 审批文件": ("宿城区2025年加装电梯项目的审批文件", "宿城区2025年加装电梯项目的审批材料"),
    "收取/收缴": ("泗阳县2025年公共租赁住房租金收缴情况", "泗阳县2025年公共租赁住房租金收取情况"),
    "上半年度": ("泗洪县2025年上半年重点项目进展", "泗洪县2025年上半年度重点项目进展"),
    "下半年度": ("沭阳县2025年下半年空气质量状况", "沭阳县2025年下半年度空气质量状况"),
    "上调/调整": ("宿迁市区2026年出租车运价调整方案", "宿迁市区2026年出租车运价上调方案"),
    "提高/调整": ("宿豫区2026年调整城乡低保标准的文件", "宿豫区2026年提高城乡低保标准的文件"),
    "调整通知": ("宿豫区2026年城乡低保标准调整文件", "宿豫区2026年城乡低保标准调整通知"),
    "推进情况": ("泗洪县2025年上半年重点项目建设进展情况", "泗洪县2025年上半年重点项目建设推进情况"),
    "发放标准": ("宿豫区2025年义务兵优待金标准", "宿豫区2025年义务兵优待金发放标准"),
    "义务兵家庭优待金": ("宿豫区2025年义务兵优待金标准", "宿豫区2025年义务兵家庭优待金标准"),
    "失业保险稳岗返还": ("2025年本市稳岗返还企业名单", "2025年本市失业保险稳岗返还企业名单"),
    "稳岗返还资金": ("2025年本市稳岗返还企业名单", "2025年本市稳岗返还资金企业名单"),
    "既有住宅加装电梯": ("宿城区2025年加装电梯项目的审批文件", "宿城区2025年既有住宅加装电梯项目的审批文件"),
    "发放金额/返还金额": ("2025年稳岗返还企业名单及发放金额", "2025年稳岗返还企业名单及返还金额"),
    "医疗服务价格": ("宿迁市第一人民医院2025年医疗服务价格标准", "宿迁市第一人民医院2025年医疗服务项目收费标准"),
    "交通运输局": ("宿迁市交通运输局2025年部门预算", "宿迁市交通局2025年部门预算"),
    "文旅局": ("宿迁市文化广电和旅游局2025年部门预算", "宿迁市文旅局2025年部门预算"),
    "城管局": ("宿城区城市管理局2025年部门预算", "宿城区城管局2025年部门预算"),
    "人大建议、政协提案": ("交通局2025年人大代表建议和政协委员提案办理情况", "交通局2025年人大建议和政协提案办理结果"),
    "农机": ("泗阳县2025年农业机械购置补贴发放情况", "泗阳县2025年农机购置补贴发放情况"),
    "农机购置与应用补贴": ("泗阳县2025年农机购置补贴发放情况", "泗阳县2025年农机购置与应用补贴发放情况"),
    "民办园": ("宿豫区2026年普惠性民办幼儿园认定名单", "宿豫区2026年普惠性民办园认定名单"),
    "路灯": ("宿豫区2025年城区道路照明电费支出", "宿豫区2025年城区路灯电费支出"),
    "犬只/养犬": ("宿城区2025年养犬登记办理情况", "宿城区2025年犬只登记办理情况"),
    "改厕": ("泗阳县2026年农村户厕改造补助标准", "泗阳县2026年农村改厕补助标准"),
    "菜市场": ("宿城区2026年菜市场标准化改造项目", "宿城区2026年农贸市场标准化改造项目"),
    "补助/奖补/补贴": ("泗阳县2026年农村改厕补助标准", "泗阳县2026年农村改厕奖补标准"),
    "补偿款": ("泗洪县2025年退捕渔民补偿款发放情况", "泗洪县2025年退捕渔民补偿资金发放情况"),
    "禁捕退捕": ("泗洪县2025年退捕渔民补偿资金发放情况", "泗洪县2025年禁捕退捕渔民补偿资金发放情况"),
    "残疾人两项补贴": ("宿豫区2026年残疾人两项补贴标准", "宿豫区2026年困难残疾人生活补贴和重度残疾人护理补贴标准"),
    "12345热线": ("宿迁市2026年12345热线工单办理情况", "宿迁市2026年12345政务服务便民热线工单办理情况"),
    "配租结果": ("宿迁市2026年第一批人才公寓配租结果", "宿迁市2026年第一批次人才公寓配租名单"),
    "怎么收费": ("宿城区2026年公办小学课后服务怎么收费", "宿城区2026年公办小学课后服务收费标准"),
    "项目名单/清单": ("宿城区2026年农贸市场改造项目名单", "宿城区2026年农贸市场改造项目清单"),
    "中标公告": ("宿迁市教育局2025年政府采购项目中标公告", "宿迁市教育局2025年政府采购项目中标结果"),
    "市监局": ("宿迁市市监局2025年食品抽检情况", "宿迁市市场监督管理局2025年食品抽检情况"),
    "津贴": ("宿豫区2026年高龄津贴发放名单", "宿豫区2026年高龄补贴发放名单"),
    "月份": ("宿城区2026年5月份夜间施工许可办理情况", "宿城区2026年5月夜间施工许可办理情况"),
}


@pytest.mark.parametrize("a, b, reason", DISCRIMINATED.values(), ids=DISCRIMINATED.keys())
def test_a_different_discriminating_term_is_no_match_and_says_which(a: str, b: str, reason: str) -> None:
    result = similarity.similarity(a, b, R, R)
    assert (result.same, result.score, result.reason) == (False, 0.0, reason)


def test_the_applicants_own_words_are_not_the_term_application() -> None:
    assert similarity.normalise("申请公开某地块容积率调整的批复", R).terms == (("申请与批复", "批复"),)
    assert similarity.similarity("申请公开某置业公司某地块容积率调整的批复",
                                 "某置业公司某地块容积率调整的批复文件", R, R).same


def test_a_word_that_contains_a_term_is_not_the_term() -> None:
    # 标准化改造 and 高标准农田 name no fee or subsidy 标准 (the group 不是区分词).
    assert similarity.normalise("宿城区2026年农贸市场标准化改造项目清单", R).terms == ()
    assert similarity.normalise("沭阳县2025年高标准农田建设项目的立项批复", R).terms == (
        ("建设阶段", "立项"), ("申请与批复", "批复"))
    assert similarity.normalise("宿城区2026年农贸市场改造补贴标准", R).terms == (("标准名单收支", "标准"),)


def test_an_office_row_of_not_a_term_takes_effect() -> None:
    a, b = "2026年宿豫区标准厂房建设名单", "2026年宿豫区厂房建设名单"
    assert similarity.normalise(a, R).terms == (("标准名单收支", "标准"), ("标准名单收支", "名单"))
    _office_file("discriminating_terms.csv", f"group,term,comment\n{similarity_vocab.NOT_A_TERM},标准厂房,厂房\n")
    assert similarity.normalise(a, R).terms == (("标准名单收支", "名单"),)
    assert similarity.similarity(a, b, R, R).same


@pytest.mark.parametrize("plan, report", [
    ("宿迁市发改委2025年重大项目投资计划", "宿迁市发改委2025年重大项目投资计划完成情况"),
    ("2026年宿豫区防汛抗旱应急预案", "2026年宿豫区防汛抗旱应急预案演练总结"),
    ("宿城区2025年老旧小区改造项目资金使用情况", "宿城区2025年老旧小区改造项目资金使用的审计报告")])
def test_a_report_made_afterwards_is_not_the_document_it_reports_on(plan: str, report: str) -> None:
    assert similarity.similarity(plan, plan + "。", R, R).same
    assert not similarity.similarity(plan, report, R, R).same


def test_a_term_named_on_one_side_only_costs_like_an_unstated_year() -> None:
    whole, half = "2025年全市企业职工基本养老保险基金收支情况", "2025年上半年全市企业职工基本养老保险基金收支情况"
    assert not similarity.similarity(whole, half, R, R).same


@pytest.mark.parametrize("a, b", SAME.values(), ids=SAME.keys())
def test_abbreviations_and_synonyms_match(a: str, b: str) -> None:
    na, nb = similarity.normalise(a, R), similarity.normalise(b, R)
    assert (na.compact, na.numbers) == (nb.compact, nb.numbers)  # written one way: nothing left to align
    assert similarity.compare(na, nb).same


def test_every_shipped_row_says_why_and_the_files_come_from_the_package() -> None:
    folder = resources.files("request_desk.resources") / "similarity"
    for name, key in ((similarity_vocab.TERMS_FILE, "term"), (similarity_vocab.SYNONYMS_FILE, "written")):
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        rows = list(csv.DictReader(line for line in lines if line.strip() and not line.startswith("#")))
        assert len(rows) >= 20
        assert all(row[key].strip() and row["comment"].strip() for row in rows), name


def _office_file(db: Database, name: str, text: str) -> None:
    """The office's own list, kept in the database for every desk (as ``settings set-file``)."""
    file_change.set_file(db, "supervisor", f"similarity/{name}", text)


def _vocab(db: Database) -> similarity_vocab.Vocabulary:
    with db.read() as session:
        return similarity_vocab.vocabulary(session)


def test_an_office_synonym_takes_effect(db: Database) -> None:
    a, b = "宿迁市妇幼保健院2025年部门预算", "市妇保院2025年部门预算"
    assert not similarity.similarity(a, b, R, R, _vocab(db)).same
    _office_file(db, "synonyms.csv", "written,normal,comment\n# 本办常用简称\n妇保院,妇幼保健院,本地简称\n")
    assert similarity.similarity(a, b, R, R, _vocab(db)).same
    assert _vocab(db).synonyms["环境影响报告书"] == "环评报告书"  # the shipped rows stay
    assert not similarity.similarity(a, b, R, R).same  # without the database: the shipped lists alone


def test_an_office_discriminating_term_takes_effect(db: Database) -> None:
    a, b = "2026年宿豫区水利工程汛前安全检查报告", "2026年宿豫区水利工程汛后安全检查报告"
    assert similarity.similarity(a, b, R, R, _vocab(db)).same
    _office_file(db, "discriminating_terms.csv", "group,term,comment\n汛期,汛前,汛前检查\n汛期,汛后,汛后检查\n")
    result = similarity.similarity(a, b, R, R, _vocab(db))
    assert (result.same, result.reason) == (False, "汛前与汛后不同")


def test_an_office_row_replaces_the_shipped_row_of_the_same_written_form(db: Database) -> None:
    _office_file(db, "synonyms.csv", "written,normal,comment\n市一院,市第一医院,本市第一医院不叫人民医院\n")
    assert _vocab(db).synonyms["市一院"] == "市第一医院"


def test_a_bad_office_list_is_refused_with_its_line(db: Database) -> None:
    with pytest.raises(ValidationFailed, match="第2行"):
        _office_file(db, "synonyms.csv", "written,normal,comment\n妇保院,,漏了规范写法\n")
    with pytest.raises(ValidationFailed, match="缺少列"):
        _office_file(db, "synonyms.csv", "term,comment\n妇保院,缺列\n")
    with db.write() as session:  # as a file moved in from an older desk's data folder, unchecked
        file_change.store(session, "", "similarity", "synonyms.csv", "written,normal\n妇保院,,\n", "import_office_file")
    with pytest.raises(VocabularyError, match=r"本机关的 similarity/synonyms\.csv 第2行"):
        _vocab(db)


def test_the_index_is_rebuilt_when_the_office_changes_its_list(db: Database) -> None:
    stored = factories.registered(db, date(2026, 3, 2), description="市妇保院2025年部门预算")
    query = "宿迁市妇幼保健院2025年部门预算"
    assert similarity_index.search(db, query, R) == []
    _office_file(db, "synonyms.csv", "written,normal,comment\n妇保院,妇幼保健院,本地简称\n")
    assert similarity_index.rebuild_needed(db)
    assert similarity_index.ensure_indexed(db) == 0  # never inside a lookup: the rebuild is a job of its own
    job = similarity_index.rebuild_job(db)
    next(job)  # the new table is being filled; a request saved meanwhile goes into both
    later = factories.registered(db, date(2026, 3, 3), description="市妇保院2025年部门预算的编制说明")
    assert similarity_index.ensure_indexed(db) == 1
    assert jobs.run(job) == 2  # every stored request, indexed again with the new list
    with db.read() as session:
        keys = set(session.execute(text("SELECT key FROM similarity_key WHERE request_id = :r"),
                                   {"r": stored.id}).scalars())
    assert keys == similarity_index.keys_for(similarity.normalise(stored.description, stored.received_date,
                                                                  _vocab(db)))
    assert {f.request_id for f in similarity_index.search(db, query, R)} == {stored.id, later.id}
    assert not similarity_index.rebuild_needed(db)  # once


def test_a_request_changed_during_the_rebuild_keeps_its_new_keys(db: Database,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from request_desk.core import cases

    first = factories.registered(db, date(2026, 3, 2), description="市妇保院2025年部门预算")
    factories.registered(db, date(2026, 3, 3), description="2025年城市道路维修养护资金的使用情况")
    _office_file(db, "synonyms.csv", "written,normal,comment\n妇保院,妇幼保健院,本地简称\n")
    monkeypatch.setattr(similarity_index, "SYNC_BATCH", 1)
    job = similarity_index.rebuild_job(db)
    next(job)
    next(job)  # the first request is in the new table
    corrected = "市妇保院2025年部门决算"
    cases.correct(db, first.id, {"description": corrected}, "登记时录入错误", "clerk", today=factories.TODAY)
    similarity_index.ensure_indexed(db)  # a lookup meanwhile: the corrected text is indexed in both tables
    jobs.run(job)
    with db.read() as session:
        keys = set(session.execute(text("SELECT key FROM similarity_key WHERE request_id = :r"),
                                   {"r": first.id}).scalars())
    assert similarity_index.keys_for(similarity.normalise(corrected, first.received_date, _vocab(db))) <= keys


def test_a_new_index_is_built_with_todays_lists_and_needs_no_rebuild(db: Database) -> None:
    factories.registered(db, date(2026, 3, 2), description="市妇保院2025年部门预算")
    similarity_index.ensure_indexed(db)
    assert not similarity_index.rebuild_needed(db)


def test_the_command_line_rebuilds_the_index(db: Database, db_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    factories.registered(db, date(2026, 3, 2), description="市妇保院2025年部门预算")
    _office_file(db, "synonyms.csv", "written,normal,comment\n妇保院,妇幼保健院,本地简称\n")
    assert main(["--db", str(db_path), "similarity", "reindex"]) == 0
    assert "相似申请索引已更新：1 件" in capsys.readouterr().out and not similarity_index.rebuild_needed(db)


def test_the_same_document_number_is_the_same_document_however_worded() -> None:
    full = "宿迁市市场监督管理局对某超市作出的宿市监处罚〔2024〕56号行政处罚决定书"
    assert similarity.normalise(full, R).documents == {"罚2024-56"}
    assert similarity.similarity(full, "关于宿市监处罚[2024]第56号行政处罚决定书的全文", R, R).same
    assert not similarity.similarity(full, "关于宿市监处罚〔2024〕57号行政处罚决定书的全文", R, R).same


def test_another_company_is_other_information_and_its_legal_form_is_not() -> None:
    permit = "宿迁某化工有限公司2024年排污许可证及自行监测数据"
    other = similarity.similarity(permit, "宿迁某纺织有限公司2024年排污许可证及自行监测数据", R, R)
    assert (other.same, other.reason) == (False, "公司不同")
    assert similarity.similarity(permit, "宿迁某化工股份有限公司2024年排污许可证和自行监测数据", R, R).same


def test_a_district_left_out_is_implied_by_the_town_both_name() -> None:
    town = "宿城区洋北镇2026年土地流转补贴发放名单"
    assert similarity.similarity(town, "关于2026年洋北镇土地流转补贴发放名单的信息", R, R).same
    other = similarity.similarity(town, "关于2026年埠子镇土地流转补贴发放名单的信息", R, R)
    assert (other.same, other.reason) == (False, "乡镇不同")
