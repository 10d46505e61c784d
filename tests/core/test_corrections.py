"""Correcting registered fields and undoing a case's last step (issue 15, point 2).

Each test goes through ``cases.correct`` / ``cases.undo_last_step`` on a real SQLite file and
reads the result back the way the case window and the audit log do.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import func, select

from request_desk.core import cases
from request_desk.core.cases import case_file
from request_desk.core.errors import TransitionError, ValidationFailed
from request_desk.core.letters import compose
from request_desk.core.letters import register as letter_register
from request_desk.core.office import settings as office_settings
from request_desk.core.office.permissions import PermissionDenied
from request_desk.core.publication import worklist
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Assignment, AuditEntry, PublicationFlag, Request
from request_desk.core.vocab import Channel, Status
from tests.factories import CLERK, RECEIVED, TODAY, add_unit, assigned, register, replied

SUPERVISOR = "supervisor"


def _row(db: Database, rid: int) -> Request:
    with db.read() as session:
        request = session.get(Request, rid)
        assert request is not None
        session.expunge(request)
        return request


def _audit(db: Database, action: str) -> list[AuditEntry]:
    with db.read() as session:
        return list(session.exec(select(AuditEntry).where(AuditEntry.action == action)).all())


# ------------------------------------------------------------------ corrections


def test_a_correction_changes_the_field_and_records_old_and_new(db: Database) -> None:
    rid = register(db, applicant_name="张三")
    cases.correct(db, rid, {"applicant_name": "张山", "phone": "13800138000"}, "登记时录入错误", CLERK, today=TODAY)
    row = _row(db, rid)
    assert (row.applicant_name, row.phone) == ("张山", "13800138000")
    [entry] = _audit(db, "correct")
    assert entry.old == {"applicant_name": "张三", "phone": "13912345678", "reason": None}
    assert entry.new == {"applicant_name": "张山", "phone": "13800138000", "reason": "登记时录入错误"}
    case = case_file.load_case(db, rid, TODAY)
    [event] = [e for e in case.events if e.kind == "correct"]
    assert event.label == "更正登记信息"
    assert "申请人姓名或名称：张三 → 张山" in event.note and "理由：登记时录入错误" in event.note
    # The timeline is read by anyone at the desk: the phone is shown masked there.
    assert "138****8000" in event.note and "13800138000" not in event.note


def test_a_correction_needs_a_reason_and_a_real_change(db: Database) -> None:
    rid = register(db, applicant_name="张三")
    with pytest.raises(ValidationFailed, match="更正理由"):
        cases.correct(db, rid, {"applicant_name": "张山"}, "  ", CLERK, today=TODAY)
    with pytest.raises(ValidationFailed, match="没有需要更正的内容"):
        cases.correct(db, rid, {"applicant_name": "张三"}, "核对", CLERK, today=TODAY)
    assert _row(db, rid).applicant_name == "张三" and not _audit(db, "correct")


def test_a_correction_is_checked_like_the_registration_form(db: Database) -> None:
    rid = register(db)
    version = _row(db, rid).version
    with pytest.raises(ValidationFailed, match="校验码"):
        cases.correct(db, rid, {"id_number": "110105194912310021"}, "申请人补充", CLERK, today=TODAY)
    with pytest.raises(ValidationFailed, match="不能晚于今天"):
        cases.correct(db, rid, {"received_date": date(2026, 11, 30)}, "日期录错", CLERK, today=TODAY)
    assert _row(db, rid).version == version  # nothing written


def test_a_corrected_receipt_date_recomputes_the_clock(db: Database) -> None:
    rid = register(db, RECEIVED)
    due_before = _row(db, rid).due_date
    cases.correct(db, rid, {"received_date": date(2026, 10, 12)}, "收件日期登记错误", CLERK, today=TODAY)
    row = _row(db, rid)
    assert row.received_date == date(2026, 10, 12)
    assert row.due_date is not None and due_before is not None and row.due_date > due_before
    # The clock agrees with a request registered on that day from the start.
    fresh = register(db, date(2026, 10, 12))
    assert _row(db, fresh).due_date == row.due_date


def test_a_receipt_date_after_a_recorded_step_is_refused(db: Database) -> None:
    unit = add_unit(db)
    rid = assigned(db, unit, on=date(2026, 9, 29))
    with pytest.raises(ValidationFailed, match="不能晚于本案已登记的办理日期 2026-09-29"):
        cases.correct(db, rid, {"received_date": date(2026, 10, 9)}, "日期录错", CLERK, today=TODAY)


def test_a_corrected_receipt_date_can_make_a_reply_late_and_needs_a_supervisor(db: Database) -> None:
    rid = replied(db, "1", on=date(2026, 10, 26))
    assert _row(db, rid).replied_on_time is True
    with pytest.raises(PermissionDenied, match="须由负责人或管理员更正"):
        cases.correct(db, rid, {"received_date": date(2026, 9, 1)}, "实际收件日期为9月1日", CLERK, today=TODAY)
    cases.correct(db, rid, {"received_date": date(2026, 9, 1)}, "实际收件日期为9月1日", SUPERVISOR, today=TODAY)
    assert _row(db, rid).replied_on_time is False


def test_only_an_active_user_may_correct(db: Database) -> None:
    rid = register(db)
    with pytest.raises(PermissionDenied, match="不是在用的账户"):
        cases.correct(db, rid, {"applicant_name": "张山"}, "录错", "nobody", today=TODAY)


def test_a_receipt_date_is_not_corrected_under_a_step_timed_by_it(db: Database) -> None:
    # An extension approved on 20 Nov was inside the period of a request received on 26 Oct;
    # a receipt date of 28 Sep would make it an extension after the deadline.
    rid = register(db, date(2026, 10, 26))
    cases.extend(db, rid, SUPERVISOR, reason="需要调取档案", on_date=date(2026, 11, 20), today=TODAY)
    with pytest.raises(ValidationFailed, match="请先由负责人撤销该步骤"):
        cases.correct(db, rid, {"received_date": date(2026, 9, 28)}, "日期录错", SUPERVISOR, today=TODAY)
    cases.undo_last_step(db, rid, "延期须按更正后的期限重新判断", SUPERVISOR, today=TODAY)
    cases.correct(db, rid, {"received_date": date(2026, 9, 28)}, "日期录错", SUPERVISOR, today=TODAY)
    assert _row(db, rid).received_date == date(2026, 9, 28)


def test_an_undone_step_no_longer_bounds_the_receipt_date(db: Database) -> None:
    unit = add_unit(db)
    rid = assigned(db, unit, on=date(2026, 9, 29))
    cases.undo_last_step(db, rid, "分办错误", SUPERVISOR, today=TODAY)
    cases.correct(db, rid, {"received_date": date(2026, 9, 30)}, "日期录错", CLERK, today=TODAY)
    assert _row(db, rid).received_date == date(2026, 9, 30)


def test_numbers_in_the_reason_are_masked_on_the_timeline(db: Database) -> None:
    rid = register(db)
    cases.correct(db, rid, {"phone": "13800138000"}, "申请人来电：新号码13800138000，原号码13912345678停用", CLERK,
                  today=TODAY)
    [event] = [e for e in case_file.load_case(db, rid, TODAY).events if e.kind == "correct"]
    assert "13800138000" not in event.note and "13912345678" not in event.note
    [entry] = _audit(db, "correct")
    assert entry.new is not None and "13800138000" in entry.new["reason"]  # the audit log keeps it whole


def test_codes_are_read_by_their_labels(db: Database) -> None:
    rid = register(db)
    value = cases.parse_correction("channel", "邮寄（挂号/快递）")
    cases.correct(db, rid, {"channel": value}, "实为邮寄收到", CLERK, today=TODAY)
    assert _row(db, rid).channel == Channel.POST
    with pytest.raises(ValidationFailed, match="没有可更正的字段"):
        cases.parse_correction("status", "closed")


def test_letters_issued_before_a_correction_are_marked(db: Database) -> None:
    with db.write() as session:
        office_settings.update(session, contact_person="李四", contact_phone="0527-84371234")
    rid = replied(db, "1", on=date(2026, 10, 26))
    draft = compose.compose(db, rid, "reply_1", on_date=date(2026, 10, 26))
    letter_register.issue(db, draft, CLERK)
    [row] = letter_register.register_rows(db, request_id=rid)
    assert row.letter_id not in case_file.load_case(db, rid, TODAY).letters_before_correction
    cases.correct(db, rid, {"address": "江苏省宿迁市宿城区幸福路2号"}, "地址录错", CLERK, today=TODAY)
    assert row.letter_id in case_file.load_case(db, rid, TODAY).letters_before_correction


# ------------------------------------------------------------------ undo


def test_a_supervisor_undoes_a_wrong_reply(db: Database) -> None:
    rid = replied(db, "1", on=date(2026, 10, 26), summary="已公开")
    cases.undo_last_step(db, rid, "答复日期登记错误", SUPERVISOR, today=TODAY)
    row = _row(db, rid)
    assert (row.status, row.outcome_code, row.reply_date, row.reply_summary) == (Status.REGISTERED, None, None, "")
    case = case_file.load_case(db, rid, TODAY)
    shown = [e.shown_label for e in case.events if e.kind in ("reply", "undo_step")]
    assert shown == ["答复（已撤销）", "撤销办理步骤"]
    # ... and the reply can be recorded again with the right date.
    cases.reply(db, rid, CLERK, outcome_code="1", on_date=date(2026, 10, 27), today=TODAY)
    assert _row(db, rid).reply_date == date(2026, 10, 27)


def test_undoing_an_assignment_removes_it_and_restores_the_unit(db: Database) -> None:
    first, second = add_unit(db, "市财政局"), add_unit(db, "市住建局")
    rid = assigned(db, first, on=date(2026, 9, 29))
    cases.assign(db, rid, CLERK, unit_id=second, on_date=date(2026, 9, 30), today=TODAY)
    cases.undo_last_step(db, rid, "分办单位选错", SUPERVISOR, today=TODAY)
    row = _row(db, rid)
    assert row.current_unit_id == first
    with db.read() as session:
        kept = session.exec(select(Assignment).where(Assignment.request_id == rid)).all()
    assert [(a.unit_id, a.ended_date) for a in kept] == [(first, None)]


def test_undo_restores_the_clock_of_an_extension(db: Database) -> None:
    rid = register(db)
    due = _row(db, rid).due_date
    cases.extend(db, rid, SUPERVISOR, reason="需要调取档案", on_date=date(2026, 10, 20), today=TODAY)
    assert _row(db, rid).due_date != due
    cases.undo_last_step(db, rid, "延期未经批准", SUPERVISOR, today=TODAY)
    assert _row(db, rid).due_date == due


def test_only_a_supervisor_may_undo(db: Database) -> None:
    rid = replied(db, "1", on=date(2026, 10, 26))
    with pytest.raises(PermissionDenied):
        cases.undo_last_step(db, rid, "录错", CLERK, today=TODAY)
    with pytest.raises(ValidationFailed, match="撤销理由"):
        cases.undo_last_step(db, rid, "", SUPERVISOR, today=TODAY)
    assert _row(db, rid).status == Status.REPLIED and not _audit(db, "undo_step")


def test_undo_walks_back_one_step_at_a_time_and_stops_at_registration(db: Database) -> None:
    unit = add_unit(db)
    rid = assigned(db, unit, on=date(2026, 9, 29))
    cases.reply(db, rid, CLERK, outcome_code="1", on_date=date(2026, 10, 26), today=TODAY)
    assert cases.undo_check(db, rid, SUPERVISOR) == ("答复（2026-10-26）", None)
    cases.undo_last_step(db, rid, "录错", SUPERVISOR, today=TODAY)
    assert cases.undo_check(db, rid, CLERK) == ("分办承办单位（2026-09-29）", "只有负责人或管理员可以撤销办理步骤。")
    cases.undo_last_step(db, rid, "分办错误", SUPERVISOR, today=TODAY)
    assert _row(db, rid).current_unit_id is None
    with pytest.raises(TransitionError, match="尚无可撤销的办理步骤"):
        cases.undo_last_step(db, rid, "再撤", SUPERVISOR, today=TODAY)
    [entry, _] = _audit(db, "undo_step")
    assert entry.new is not None and entry.new["undoes"] == "答复" and entry.new["reason"] == "录错"


def test_a_reply_undone_after_its_receipt_date_was_corrected(db: Database) -> None:
    rid = replied(db, "1", on=date(2026, 10, 26))
    cases.correct(db, rid, {"received_date": date(2026, 9, 1)}, "实际收件日期为9月1日", SUPERVISOR, today=TODAY)
    cases.undo_last_step(db, rid, "答复日期登记错误", SUPERVISOR, today=TODAY)
    row = _row(db, rid)
    assert (row.status, row.reply_date, row.replied_on_time) == (Status.REGISTERED, None, None)


def _flags(db: Database) -> int:
    with db.read() as session:
        return int(session.exec(select(func.count()).select_from(PublicationFlag)).one())


def test_undoing_a_reply_takes_back_its_publication_suggestion(db: Database) -> None:
    # With a threshold of one applicant, a disclosing reply proposes its subject (Art. 44),
    # in the reply's own transaction; the suggestion goes with the reply.
    with db.write() as session:
        office_settings.update(session, publication_threshold=1)
    rid = replied(db, "1", on=date(2026, 10, 26))
    assert _flags(db) == 1
    cases.undo_last_step(db, rid, "答复日期登记错误", SUPERVISOR, today=TODAY)
    assert _flags(db) == 0 and _row(db, rid).status == Status.REGISTERED


def test_a_reviewed_publication_suggestion_keeps_its_reply(db: Database) -> None:
    with db.write() as session:
        office_settings.update(session, publication_threshold=1)
    rid = replied(db, "1", on=date(2026, 10, 26))
    [flag] = worklist.worklist(db)
    worklist.review(db, flag.id, SUPERVISOR)
    with pytest.raises(ValidationFailed, match="无法自动撤销"):
        cases.undo_last_step(db, rid, "答复日期登记错误", SUPERVISOR, today=TODAY)
    assert _flags(db) == 1 and _row(db, rid).status == Status.REPLIED


def test_a_delivery_signed_for_is_not_undone(db: Database) -> None:
    with db.write() as session:
        office_settings.update(session, contact_person="李四", contact_phone="0527-84371234")
    rid = replied(db, "1", on=date(2026, 10, 26))
    letter = letter_register.issue(db, compose.compose(db, rid, "reply_1", on_date=date(2026, 10, 26)), CLERK)
    cases.deliver(db, rid, CLERK, channel="当面领取", on_date=date(2026, 10, 27), letter_id=letter.id, today=TODAY)
    [served] = letter_register.deliveries(db, letter.id)
    letter_register.record_signed(db, served.id, CLERK, signed=date(2026, 10, 27), signed_by="张三")
    with pytest.raises(ValidationFailed, match="无法自动撤销"):
        cases.undo_last_step(db, rid, "送达日期登记错误", SUPERVISOR, today=TODAY)
    assert _row(db, rid).status == Status.DELIVERED
    assert letter_register.deliveries(db, letter.id)[0].signed_date == date(2026, 10, 27)


def test_undo_refuses_when_the_record_moved_on(db: Database) -> None:
    rid = replied(db, "1", on=date(2026, 10, 26), summary="已公开")
    # Something after the reply changed what the reply wrote; restoring would overwrite it.
    with db.write() as session:
        request = session.get(Request, rid)
        assert request is not None
        request.reply_summary = "另行补充的摘要"
        session.add(request)
    with pytest.raises(ValidationFailed, match="又有其他改动"):
        cases.undo_last_step(db, rid, "录错", SUPERVISOR, today=TODAY)
    assert _row(db, rid).status == Status.REPLIED


def test_a_suggestion_another_request_joined_since_keeps_its_reply(db: Database) -> None:
    with db.write() as session:
        office_settings.update(session, publication_threshold=1)
    first = replied(db, "1", on=date(2026, 10, 26))
    replied(db, "1", on=date(2026, 10, 27), applicant_name="李四", id_number="")  # joins the same subject
    with pytest.raises(ValidationFailed, match="无法自动撤销"):
        cases.undo_last_step(db, first, "答复日期登记错误", SUPERVISOR, today=TODAY)
    assert _flags(db) == 1 and _row(db, first).status == Status.REPLIED
