"""Proactive publication (Art. 44): suggestions after replies, one flag per subject, the worklist."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from request_desk.core import cases
from request_desk.core.errors import TransitionError, ValidationFailed
from request_desk.core.office import settings as office_settings
from request_desk.core.office.permissions import PermissionDenied
from request_desk.core.publication import worklist
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry, PublicationFlag, Request
from request_desk.core.vocab import PublicationState, Role, Status
from tests import factories
from tests.factories import TODAY as T

TOPIC = ("申请公开宿城区2025年老旧小区改造项目的资金使用情况",
         "关于宿城区二〇二五年老旧小区改造项目资金使用情况的信息",
         "请提供去年宿城区老旧小区改造项目的资金使用明细。",
         "老旧小区改造项目资金使用情况（宿城区，２０２５年度）")
# Different applicants: passports keep the fixtures short (ID numbers need check characters).
PEOPLE = (("张三", "P0000001"), ("李四", "P0000002"), ("王五", "P0000003"), ("赵六", "P0000004"))


def _ask(db: Database, description: str, who: int, received: date = date(2026, 10, 12)) -> Request:
    name, passport = PEOPLE[who]
    return factories.registered(db, received, description=description, applicant_name=name, id_type="passport",
                                id_number=passport)


def _answer(db: Database, request: Request, code: str = "1") -> Request:
    return cases.reply(db, request.id, "clerk", outcome_code=code, on_date=date(2026, 11, 20), today=T)  # type: ignore[arg-type]


def _flags(db: Database) -> list[PublicationFlag]:
    with db.read() as s:
        return list(s.exec(select(PublicationFlag)).all())


def test_three_applicants_ask_the_same_thing_and_the_third_reply_raises_one_suggestion(db: Database) -> None:
    with db.write() as s:
        office_settings.update(s, publication_threshold=3)
    asked = [_ask(db, TOPIC[i], i, date(2026, 10, 12 + i)) for i in range(3)]
    _answer(db, asked[0])
    _answer(db, asked[1])
    assert _flags(db) == []
    _answer(db, asked[2])
    (flag,) = _flags(db)
    assert flag.state == PublicationState.PROPOSED and flag.origin == "suggested"
    assert flag.request_id == asked[2].id
    row = worklist.worklist(db)[0]
    assert set(row.reg_numbers) == {r.reg_number for r in asked} and row.applicants == 3
    assert "3位不同申请人" in flag.reason

    # A fourth applicant's disclosed reply joins the subject: still one flag.
    fourth = _ask(db, TOPIC[3], 3, date(2026, 10, 20))
    _answer(db, fourth)
    assert len(_flags(db)) == 1
    assert len(worklist.worklist(db)[0].reg_numbers) == 4


def test_default_threshold_is_two_different_applicants(db: Database) -> None:
    first, second = _ask(db, TOPIC[0], 0), _ask(db, TOPIC[1], 1)
    _answer(db, first)
    assert _flags(db) == []
    _answer(db, second)
    assert len(_flags(db)) == 1


def test_the_same_applicant_twice_is_not_several_applicants(db: Database) -> None:
    first, again = _ask(db, TOPIC[0], 0), _ask(db, TOPIC[1], 0, date(2026, 10, 20))
    _answer(db, first)
    _answer(db, again)
    assert _flags(db) == []


def test_undisclosed_answers_and_near_misses_do_not_count(db: Database) -> None:
    first = _ask(db, TOPIC[0], 0)
    other_district = _ask(db, "申请公开宿豫区2025年老旧小区改造项目的资金使用情况", 1)
    refused = _ask(db, TOPIC[2], 2)
    _answer(db, first)
    _answer(db, other_district)
    _answer(db, refused, "4.1")
    assert _flags(db) == []


def test_linked_requests_count_as_the_same_subject(db: Database) -> None:
    first = _ask(db, TOPIC[0], 0)
    worded_otherwise = _ask(db, "宿城区旧改资金去向（2025年）", 1)
    _answer(db, first)
    worklist.link_same_subject(db, worded_otherwise.id, first.id, "clerk")  # type: ignore[arg-type]
    with pytest.raises(TransitionError):
        worklist.link_same_subject(db, first.id, worded_otherwise.id, "clerk")  # type: ignore[arg-type]
    _answer(db, worded_otherwise)
    (_flag,) = _flags(db)
    assert set(worklist.worklist(db)[0].reg_numbers) == {first.reg_number, worded_otherwise.reg_number}


def test_the_suggestion_is_part_of_the_reply_transaction(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = _ask(db, TOPIC[0], 0), _ask(db, TOPIC[1], 1)
    _answer(db, first)

    def broken(*_a: object, **_k: object) -> None:
        raise ValidationFailed("boom")
    monkeypatch.setattr(worklist, "_create", broken)
    with pytest.raises(ValidationFailed):
        _answer(db, second)
    assert cases.get(db, second.id).status == Status.REGISTERED  # type: ignore[arg-type]


def test_clerk_raises_a_flag_at_reply_time_once(db: Database) -> None:
    only = _ask(db, TOPIC[0], 0)
    with pytest.raises(ValidationFailed):
        worklist.raise_flag(db, only.id, "clerk")  # type: ignore[arg-type]
    _answer(db, only)
    flag = worklist.raise_flag(db, only.id, "clerk", "涉及众多居民切身利益")  # type: ignore[arg-type]
    assert (flag.origin, flag.reason, flag.raised_by) == ("clerk", "涉及众多居民切身利益", "clerk")
    with pytest.raises(TransitionError):
        worklist.raise_flag(db, only.id, "clerk")  # type: ignore[arg-type]


def test_four_eyes_the_proposer_never_approves_their_own_proposal(db: Database) -> None:
    factories.add_user(db, "zhuren2", "陈副主任", Role.SUPERVISOR)
    only = _ask(db, TOPIC[0], 0)
    _answer(db, only)
    own = worklist.raise_flag(db, only.id, "supervisor", "涉及众多居民切身利益")  # type: ignore[arg-type]
    before = _flags(db)
    for actor, says in (("supervisor", "提出主动公开建议的人不能同时审核"), ("clerk", "无权对主动公开事项“审核”")):
        with pytest.raises(PermissionDenied, match=says):
            worklist.review(db, own.id, actor)
        with pytest.raises(PermissionDenied):
            worklist.decline(db, own.id, actor, reason="不宜公开")
    assert [(f.state, f.reviewed_by) for f in _flags(db)] == [(f.state, f.reviewed_by) for f in before]
    assert worklist.may_decide(db, own.id, "review", "supervisor") is not None
    assert worklist.may_decide(db, own.id, "review", "zhuren2") is None
    assert worklist.review(db, own.id, "zhuren2").reviewed_by == "zhuren2"
    # Registering where it went out is the desk's work, the proposer's too.
    done = worklist.publish(db, own.id, "supervisor", channel="政府网站", link="", published=T, today=T)
    assert done.state == PublicationState.PUBLISHED


def test_only_the_desk_proposes(db: Database) -> None:
    only = _ask(db, TOPIC[0], 0)
    _answer(db, only)
    with pytest.raises(PermissionDenied, match="无权提出主动公开建议"):
        worklist.raise_flag(db, only.id, "nobody")  # type: ignore[arg-type]
    assert _flags(db) == []


def test_worklist_transitions_are_checked_and_audited(db: Database) -> None:
    first, second, third = (_ask(db, TOPIC[i], i) for i in range(3))
    for r in (first, second):
        _answer(db, r)
    _answer(db, third)
    flag_id = _flags(db)[0].id
    assert flag_id is not None
    with pytest.raises(TransitionError):
        worklist.publish(db, flag_id, "supervisor", channel="政府网站", link="", published=T, today=T)
    worklist.review(db, flag_id, "supervisor")
    with pytest.raises(ValidationFailed):
        worklist.publish(db, flag_id, "supervisor", channel=" ", link="", published=T, today=T)
    done = worklist.publish(db, flag_id, "supervisor", channel="政府网站“政府信息公开”专栏",
                               link="https://www.example.gov.cn/xxgk/1.html", published=T, today=T)
    assert (done.state, done.reviewed_by, done.decided_by, done.published_date) == \
        (PublicationState.PUBLISHED, "supervisor", "supervisor", T)
    with pytest.raises(TransitionError):
        worklist.decline(db, flag_id, "supervisor", reason="已公开")
    with db.read() as s:
        actions = [a.action for a in s.exec(select(AuditEntry).where(AuditEntry.table_name == "publicationflag"))]
    assert actions == ["publication_raise", "publication_cover", "publication_review", "publication_publish"]


def test_decline_needs_a_reason(db: Database) -> None:
    first, second = _ask(db, TOPIC[0], 0), _ask(db, TOPIC[1], 1)
    _answer(db, first)
    _answer(db, second)
    flag_id = _flags(db)[0].id
    with pytest.raises(ValidationFailed):
        worklist.decline(db, flag_id, "supervisor", reason="")  # type: ignore[arg-type]
    flag = worklist.decline(db, flag_id, "supervisor", reason="涉及个人隐私，不宜面向社会公开")  # type: ignore[arg-type]
    assert flag.state == PublicationState.DECLINED


def test_export_and_annual_counts(db: Database, tmp_path: Path) -> None:
    first, second = _ask(db, TOPIC[0], 0), _ask(db, TOPIC[1], 1)
    _answer(db, first)
    _answer(db, second)
    flag_id = _flags(db)[0].id
    worklist.review(db, flag_id, "supervisor")  # type: ignore[arg-type]
    worklist.publish(db, flag_id, "supervisor", channel="政府网站", link="https://x.gov.cn/1", published=T,  # type: ignore[arg-type]
                        today=T)
    path = worklist.export_xlsx(db, tmp_path / "list.xlsx")
    ws = load_workbook(path).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == worklist.EXPORT_HEADERS
    assert rows[1][1] == "已公开" and rows[1][4] == 2 and rows[1][10] == "政府网站"
    assert set(str(rows[1][3]).split("、")) == {first.reg_number, second.reg_number}
    counts = worklist.annual_counts(db, T.year)
    assert (counts.raised, counts.suggested, counts.published, counts.open, counts.requests_covered) == (1, 1, 1, 0, 2)
    assert "已转为主动公开1项" in worklist.narrative(counts)
