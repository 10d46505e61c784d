"""Similarity of request descriptions: normalisation, named tricky pairs, the labelled set, the index."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert, text

from benchmarks.similarity import HELD_OUT, choose_threshold, load_pairs, precision_recall, scored_pairs
from request_desk.core.publication import similarity, similarity_index
from request_desk.core.publication.similarity import normalise
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Request
from tests import factories
from tests.factories import TODAY as T
from tests.factories import new_request

R2026 = date(2026, 5, 18)
# The held-out part's one measurement (heldout3, 0.896 and 0.546 on 2026-12-01), kept as the floor.
HELD_OUT_PRECISION = 0.89
HELD_OUT_RECALL = 0.54
needs_held_out = pytest.mark.skipif(not HELD_OUT.is_file(), reason=f"{HELD_OUT.name} is not in this checkout yet")


# ------------------------------------------------------------ normalisation


@pytest.mark.parametrize("written", ["2025年", "二〇二五年", "２０２５年度", "25年", "去年", "上一年度"])
def test_every_way_of_writing_a_year_becomes_the_absolute_year(written: str) -> None:
    n = normalise(f"宿城区{written}老旧小区改造资金使用情况", R2026)
    assert n.years == {2025}
    assert n.content == "老旧小区改造资金使用"


def test_relative_years_follow_the_receipt_date_not_today() -> None:
    assert normalise("去年的低保资金发放情况", date(2025, 2, 1)).years == {2024}
    assert normalise("今年的低保资金发放情况", date(2025, 2, 1)).years == {2025}
    assert normalise("前年的低保资金发放情况", date(2025, 2, 1)).years == {2023}


def test_year_ranges_and_recent_years_expand() -> None:
    assert normalise("2023-2025年稳岗返还名单", R2026).years == {2023, 2024, 2025}
    assert normalise("2023年至2025年稳岗返还名单", R2026).years == {2023, 2024, 2025}
    assert normalise("近三年稳岗返还名单", R2026).years == {2024, 2025, 2026}


def test_filler_punctuation_width_and_conjunctions_are_not_content() -> None:
    n = normalise("申请公开：关于泗阳县城乡居民最低生活保障资金的发放情况、相关信息！（不含个人信息）", R2026)
    assert n.content == "城乡居民低保资金 发放"
    assert {p[0] + p[1] for p in n.places} == {"泗阳县"}
    wide = normalise("ＡＢＣ公司５Ｇ基站", R2026)
    assert wide.numbers == {5} and "abc公司" in wide.content


def test_places_are_found_by_suffix_but_common_nouns_are_not_places() -> None:
    n = normalise("宿城区幸福小区老旧小区改造及城乡道路学区划分", R2026)
    assert {p[0] + p[1] for p in n.places} == {"宿城区", "幸福小区"}


@pytest.mark.parametrize("written, half", [
    ("1-6月", "上半年"), ("一至六月", "上半年"), ("1月至6月份", "上半年"), ("1～6月", "上半年"),
    ("7-12月", "下半年"), ("七月到十二月", "下半年"), ("7月—12月", "下半年")])
def test_month_ranges_of_a_half_year_are_the_half_year(written: str, half: str) -> None:
    n = normalise(f"泗洪县2025年{written}重点项目建设进展", R2026)
    assert (n.terms, n.numbers, n.content) == ((("半年", half),), frozenset(), f"{half}重点项目建设进展")


def test_month_ranges_of_a_quarter_are_the_quarter_and_the_whole_year_is_the_year() -> None:
    assert normalise("2026年1-3月食品抽检", R2026) == normalise("2026年第一季度食品抽检", R2026)
    assert normalise("2026年10至12月食品抽检", R2026).numbers == {4}
    assert normalise("2025年1-12月食品抽检", R2026) == normalise("2025年食品抽检", R2026)
    assert normalise("2025年3-5月食品抽检", R2026).numbers == {3, 5}  # no period of its own: the months


def test_a_self_introduction_and_greeting_are_not_content() -> None:
    plain = normalise("宿城区2025年既有住宅加装电梯项目的审批文件", R2026)
    for written in ("本人系宿城区居民，想了解2025年既有住宅加装电梯项目的审批文件",
                    "您好，我是宿城区一名居民，请问2025年既有住宅加装电梯项目的审批文件",
                    "本人系宿城区居民想了解2025年既有住宅加装电梯项目的审批文件"):
        assert normalise(written, R2026) == plain, written


@pytest.mark.parametrize("written", [
    "本人住在宿城区某小区，想了解2025年既有住宅加装电梯项目的审批文件",
    "我家住在宿城区，想了解2025年既有住宅加装电梯项目的审批文件",
    "本公司系宿城区一家物业企业，申请公开2025年既有住宅加装电梯项目的审批文件",
    "作为宿城区居民，我想了解2025年既有住宅加装电梯项目的审批文件"])
def test_where_the_applicant_lives_or_who_they_are_is_an_introduction(written: str) -> None:
    assert normalise(written, R2026) == normalise("宿城区2025年既有住宅加装电梯项目的审批文件", R2026)


def test_a_clause_starting_with_zuowei_is_an_introduction_only_before_i() -> None:
    n = normalise("作为征收依据的批复文件，请公开", R2026)
    assert "征收依据" in n.content


def test_how_an_informal_question_asks_is_not_content() -> None:
    plain = normalise("宿城区公办小学课后服务收费标准", R2026)
    for now in ("宿城区目前公办小学课后服务收费标准", "宿城区现行公办小学课后服务收费标准"):
        assert normalise(now, R2026) == plain, now
    assert normalise("请问泗阳县2026年农村改厕每户补助标准是多少", R2026).content == "农村改厕每户补贴标准"
    assert normalise("请问宿城区去年一共办理了多少养犬登记证", R2026).content == "办理 犬登记证"
    assert normalise("宿城区2025年生产安全事故统计数据", R2026) == normalise("宿城区2025年生产安全事故统计情况", R2026)
    assert normalise("宿城区2025年老旧小区改造资金使用明细", R2026) == normalise("宿城区2025年老旧小区改造资金使用情况",
                                                                           R2026)


def test_rivers_and_lakes_are_places() -> None:
    n = normalise("2025年宿豫区古黄河河道整治工程及洪泽湖湖区退捕", R2026)
    assert {p[0] + p[1] for p in n.places} == {"宿豫区", "古黄河", "洪泽湖"}
    result = similarity.similarity("2025年宿豫区古黄河河道整治工程的立项批复",
                                   "2025年宿豫区西民便河河道整治工程的立项批复", R2026, R2026)
    assert (result.same, result.reason) == (False, "河湖不同")


def test_the_introductions_place_stands_only_when_the_request_names_none() -> None:
    n = normalise("我是宿城区居民，想了解宿豫区2025年加装电梯项目的审批文件", R2026)
    assert {p[0] + p[1] for p in n.places} == {"宿豫区"}
    assert normalise("我是否可以申请公开宿城区2025年加装电梯项目的审批文件", R2026).content.startswith("我是否")


def test_chinese_numerals_in_ordinal_and_measure_positions_become_numbers() -> None:
    assert normalise("2026年第二季度食品抽检", R2026).numbers == {2}
    assert normalise("八十周岁以上老年人尊老金", R2026).numbers == {80}
    assert normalise("统一的一次性扩岗补助", R2026).numbers == set()


# ------------------------------------------------------ named tricky pairs

SAME = {
    "chinese numeral year vs digits": (
        "宿城区2025年老旧小区改造项目的资金使用情况", "关于宿城区二〇二五年老旧小区改造项目资金使用情况的信息"),
    "relative year": ("2025年宿城区老旧小区改造项目资金使用情况", "请提供去年宿城区老旧小区改造项目的资金使用明细。"),
    "word order": (
        "沭阳县2024年城南片区房屋征收补偿安置方案及补偿标准",
        "申请获取沭阳县城南片区房屋征收的补偿标准和补偿安置方案（2024年）"),
    "abbreviation": (
        "泗阳县住建局2025年建筑工地扬尘污染行政处罚情况", "泗阳县住房和城乡建设局2025年建筑工地扬尘污染的行政处罚情况"),
    "full width and spaces": (
        "宿城区 ２０２５ 年 老旧小区 改造项目 资金使用情况", "宿城区2025年老旧小区改造项目资金使用情况"),
    "omitted qualifier": ("2025年宿城区义务教育阶段公办小学学区划分方案", "申请公开宿城区2025年公办小学的学区划分方案"),
    "county without its suffix": ("沭阳县2025年耕地占补平衡指标交易情况", "沭阳2025年耕地占补平衡指标交易情况"),
    "months for the first half": (
        "泗洪县2025年上半年重点项目建设进展情况", "请提供2025年1-6月泗洪县重点建设项目进展情况"),
    "months for the second half": ("沭阳县2025年下半年环境空气质量状况", "沭阳县二〇二五年七至十二月环境空气质量状况"),
    "a self-introduction": (
        "申请公开宿城区2025年既有住宅加装电梯项目的审批文件",
        "本人系宿城区居民，想了解2025年既有住宅加装电梯的审批资料"),
}
DIFFERENT = {
    "another year": (
        "申请公开宿城区2025年老旧小区改造项目的资金使用情况",
        "申请公开宿城区2024年老旧小区改造项目的资金使用情况",
        "年份不同"),
    "another district": (
        "申请公开宿城区2025年老旧小区改造项目的资金使用情况",
        "申请公开宿豫区2025年老旧小区改造项目的资金使用情况",
        "区县不同"),
    "another area of a town": (
        "沭阳县2024年城南片区房屋征收补偿安置方案", "沭阳县2024年城北片区房屋征收补偿安置方案", "片区（街道）不同"),
    "another estate": ("宿城区幸福小区违法建设查处决定书", "宿城区阳光小区违法建设查处决定书", "小区不同"),
    "another lot": ("宿城区G2025-08号地块出让合同", "宿城区G2025-09号地块出让合同", "编号、期次或数量不同"),
    "another quarter": (
        "2026年第二季度全市食品安全监督抽检不合格产品信息",
        "2026年第三季度全市食品安全监督抽检不合格产品信息",
        "编号、期次或数量不同"),
    "another document": (
        "宿城区2025年老旧小区改造项目的资金使用情况", "宿城区2025年老旧小区改造项目的招标文件及中标结果", ""),
    "primary vs middle school": (
        "2025年宿城区公办小学学区划分方案", "2025年宿城区公办初中学区划分方案", "小学与初中不同"),
    "negation": ("2025年宿城区居民用水价格调整方案", "2025年宿城区非居民用水价格调整方案", ""),
    "first vs second half by months": (
        "泗洪县2025年1-6月重点项目建设进展情况", "泗洪县2025年7-12月重点项目建设进展情况", "上半年与下半年不同"),
    "first half by months vs the second half": (
        "泗洪县2025年1至6月重点项目建设进展情况", "泗洪县2025年下半年重点项目建设进展情况", "上半年与下半年不同"),
    "a quarter by months vs the half": (
        "泗洪县2025年1-3月重点项目建设进展情况", "泗洪县2025年上半年重点项目建设进展情况", "编号、期次或数量不同"),
    "the introduction's district vs the request's": (
        "我是宿城区居民，想了解宿豫区2025年加装电梯项目的审批文件", "宿城区2025年加装电梯项目的审批文件", "区县不同"),
    "east vs west plant": ("宿豫区城东污水处理厂扩建工程环评批复", "宿豫区城西污水处理厂扩建工程环评批复", ""),
}


@pytest.mark.parametrize("a, b", SAME.values(), ids=SAME.keys())
def test_same_information_matches(a: str, b: str) -> None:
    result = similarity.similarity(a, b, R2026, R2026)
    assert result.same, result


@pytest.mark.parametrize("a, b, reason", DIFFERENT.values(), ids=DIFFERENT.keys())
def test_hard_near_misses_do_not_match(a: str, b: str, reason: str) -> None:
    result = similarity.similarity(a, b, R2026, R2026)
    assert not result.same, result
    assert result.reason == reason


def test_same_words_received_in_another_year_are_another_year() -> None:
    text_ = "请公开去年本市企业职工基本养老保险基金收支情况"
    assert not similarity.similarity(text_, text_, date(2026, 2, 1), date(2025, 2, 1)).same
    assert similarity.similarity(text_, text_, date(2026, 2, 1), date(2026, 9, 1)).same


# -------------------------------------------------------- the labelled set


def test_labelled_set_is_large_and_has_hard_near_misses() -> None:
    tuning = load_pairs()
    assert len(tuning) >= 600
    assert {"near_year", "near_place", "near_aspect", "near_term", "paraphrase", "abbreviation"} <= {
        r["kind"] for r in tuning}
    assert {r["label"] for r in tuning} == {"same", "different"}


@needs_held_out
def test_held_out_part_is_large_and_about_other_topics() -> None:
    tuning, held_out = load_pairs(), load_pairs(HELD_OUT)
    assert len(held_out) >= 200
    assert {"near_year", "near_place", "near_aspect", "near_term", "paraphrase", "abbreviation"} <= {
        r["kind"] for r in held_out}
    assert {r["label"] for r in held_out} == {"same", "different"}
    # The held-out part is about other topics: no group of one is a group of the other.
    topics = [{g for r in rows for g in r["group"].split("/")} for rows in (tuning, held_out)]
    assert not topics[0] & topics[1]


def test_the_threshold_is_the_one_the_tuning_part_chooses() -> None:
    scored = scored_pairs(load_pairs())
    assert choose_threshold(scored) == similarity.THRESHOLD
    p, r = precision_recall(scored, similarity.THRESHOLD)
    assert p >= 0.97, p
    assert r >= 0.97, r


@needs_held_out
def test_held_out_precision_and_recall_do_not_fall_below_what_was_measured() -> None:
    # A guard against regressions, not a target (0.95): see HELD_OUT_PRECISION.
    p, r = precision_recall(scored_pairs(load_pairs(HELD_OUT)), similarity.THRESHOLD)
    assert p >= HELD_OUT_PRECISION, p
    assert r >= HELD_OUT_RECALL, r


# ------------------------------------------------------------------ index


def test_lookup_finds_paraphrases_and_not_near_misses(db: Database) -> None:
    first = factories.registered(db, date(2026, 10, 12),
                                 description="申请公开宿城区2025年老旧小区改造项目的资金使用情况")
    factories.registered(db, date(2026, 10, 13), description="申请公开宿城区2024年老旧小区改造项目的资金使用情况")
    factories.registered(db, date(2026, 10, 14), description="申请公开宿豫区2025年老旧小区改造项目的资金使用情况")
    factories.registered(db, date(2026, 10, 15), description="宿城区2025年老旧小区改造项目的招标文件及中标结果")
    second = factories.registered(db, date(2026, 10, 16),
                                  description="老旧小区改造项目资金使用情况（宿城区，２０２５年度）",
                                  applicant_name="李四")
    found = similarity_index.search(db, "请提供去年宿城区老旧小区改造项目的资金使用明细。", date(2026, 11, 3))
    assert [f.request_id for f in found] == [second.id, first.id]
    assert found[0].applicant_name == "李四" and found[0].outcome_label == "已登记"


def test_candidates_come_from_the_index_not_a_scan(db: Database) -> None:
    factories.registered(db, date(2026, 11, 2), description="申请公开宿城区2025年老旧小区改造项目的资金使用情况")
    assert similarity_index.search(db, "宿城区2025年老旧小区改造项目资金使用情况", T)
    with db.write() as s:
        s.execute(text("DELETE FROM similarity_key"))
    assert similarity_index.search(db, "宿城区2025年老旧小区改造项目资金使用情况", T) == []


def test_bulk_inserted_and_edited_rows_are_queued_by_triggers_and_indexed(db: Database) -> None:
    row = new_request(date(2026, 3, 2)).__dict__ | {
        "id": 500, "year": 2026, "seq": 500, "reg_number": "2026-00500", "status": "registered",
        "applicant_type": "natural_person", "channel": "in_person",
        "description": "泗洪县2025年度财政决算报告"}
    with db.write() as s:
        s.execute(insert(Request), [row])
        assert s.execute(text("SELECT request_id FROM similarity_pending")).scalars().all() == [500]
    assert [f.request_id for f in similarity_index.search(db, "关于泗洪县2025年财政决算报告", T)] == [500]
    with db.write() as s:
        s.execute(text("UPDATE request SET description = '泗洪县2025年度部门预算' WHERE id = 500"))
    assert similarity_index.search(db, "关于泗洪县2025年财政决算报告", T) == []
    assert [f.request_id for f in similarity_index.search(db, "泗洪县2025年部门预算", T)] == [500]


def test_case_panel_lists_earlier_requests_only_and_marks_the_same_applicant(db: Database) -> None:
    earlier = factories.registered(db, date(2026, 5, 6), description="2025年全市企业职工基本养老保险基金收支情况")
    other = factories.registered(db, date(2026, 5, 8), description="本市企业职工基本养老保险基金收支情况（2025年）",
                                 applicant_name="王五", id_number="E1234567", id_type="passport")
    current = factories.registered(db, date(2026, 6, 8), description="请提供去年我市企业职工基本养老保险基金收支情况")
    later = factories.registered(db, date(2026, 7, 1), description="2025年本市企业职工基本养老保险基金收支情况")
    shown = similarity_index.similar_to_request(db, current.id)  # type: ignore[arg-type]
    assert {s.request_id for s in shown} == {earlier.id, other.id}
    assert {s.request_id for s in shown if s.same_applicant} == {earlier.id}
    assert later.id not in {s.request_id for s in similarity_index.similar_to_request(db, earlier.id)}  # type: ignore[arg-type]
