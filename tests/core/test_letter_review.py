"""Review and sign-off of letters (审核后签发): with the setting on, a drafter's letter is issued
only when someone else, a supervisor or administrator, approves it (docs/SECURITY.md)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, func, select

from request_desk.core.cases import case_file
from request_desk.core.errors import TransitionError, ValidationFailed
from request_desk.core.letters import compose, register, review
from request_desk.core.letters.issuing import REVIEW_REQUIRED, ReviewRequired
from request_desk.core.office import permissions, users
from request_desk.core.office import settings as office_settings
from request_desk.core.office.permissions import PermissionDenied
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry, Counter, Event, Letter, LetterReview
from request_desk.core.vocab import Role
from tests.factories import TODAY, replied
from tests.support import migrations

REPLY_ON = date(2026, 10, 26)


def _office(db: Database, *, review_on: bool = True) -> int:
    """An office that reviews letters, a second supervisor ("deputy", 张副主任) and one answered case."""
    with db.write() as session:
        office_settings.update(session, contact_person="李四", contact_phone="0527-84371234", letter_review=review_on)
    users.add_user(db, "deputy", "张副主任", Role.SUPERVISOR, actor="supervisor")
    return replied(db, "1", on=REPLY_ON)


def _draft(db: Database, rid: int) -> compose.Draft:
    return compose.compose(db, rid, "reply_1", on_date=REPLY_ON)


def _counts(db: Database) -> tuple[int, int, int, int]:
    """Letters, document numbers drawn, reviews, audit entries."""
    with db.read() as s:
        counter = s.exec(select(func.coalesce(func.sum(Counter.value), 0)).where(Counter.name == "document")).one()
        return (s.exec(select(func.count()).select_from(Letter)).one(), int(counter),
                s.exec(select(func.count()).select_from(LetterReview)).one(),
                s.exec(select(func.count()).select_from(AuditEntry)).one())


def test_with_review_on_a_clerk_cannot_issue_and_nothing_is_written(db: Database) -> None:
    rid = _office(db)
    before = _counts(db)
    with pytest.raises(ReviewRequired, match="本机关已开启文书审核：请提交审核，由负责人审核签发。"):
        register.issue(db, _draft(db, rid), "clerk")
    with pytest.raises(ReviewRequired):  # a supervisor's own letter goes through review too
        register.issue(db, _draft(db, rid), "supervisor")
    assert _counts(db) == before  # no number drawn, no letter, no audit entry


def test_a_submitted_letter_is_issued_with_the_next_number_when_another_supervisor_approves(db: Database) -> None:
    rid = _office(db)
    submitted = review.submit(db, _draft(db, rid), "clerk")
    assert submitted.state == review.PENDING and submitted.submitted_by == "clerk"
    assert [r.id for r in review.pending(db)] == [submitted.id]
    assert _counts(db)[:2] == (0, 0)  # submitting draws no number
    letter = review.approve(db, submitted.id, "supervisor")
    assert letter.doc_number == "X政信公开〔2026〕1号"
    done = review.get(db, submitted.id)
    assert (done.state, done.reviewed_by, done.letter_id) == (review.APPROVED, "supervisor", letter.id)
    assert review.pending(db) == []
    with db.read() as s:
        stored = s.get(Letter, letter.id)
        assert stored is not None and stored.created_by == "supervisor"  # the approver signs
    # The text issued is the text submitted.
    assert register.stored_document(db, letter.id, "supervisor").body == _draft(db, rid).document.body


def test_the_drafter_cannot_approve_their_own_letter_even_as_a_supervisor(db: Database) -> None:
    rid = _office(db)
    own = review.submit(db, _draft(db, rid), "supervisor")
    before = _counts(db)
    with pytest.raises(PermissionDenied, match="不能审核自己起草的文书"):
        review.approve(db, own.id, "supervisor")
    with pytest.raises(PermissionDenied, match="不能审核自己起草的文书"):
        review.send_back(db, own.id, "supervisor", "自己退回")
    assert _counts(db) == before and review.get(db, own.id).state == review.PENDING
    assert review.why_not_review(db, own.id, "supervisor") == review.OWN_DRAFT
    assert review.why_not_review(db, own.id, "deputy") is None
    assert review.approve(db, own.id, "deputy").doc_number == "X政信公开〔2026〕1号"


def test_a_clerk_cannot_approve_or_return(db: Database) -> None:
    rid = _office(db)
    users.add_user(db, "clerk2", "赵经办", Role.CLERK, actor="supervisor")
    submitted = review.submit(db, _draft(db, rid), "clerk")
    before = _counts(db)
    with pytest.raises(PermissionDenied, match="无权审核文书"):
        review.approve(db, submitted.id, "clerk2")
    with pytest.raises(PermissionDenied, match="无权审核文书"):
        review.send_back(db, submitted.id, "clerk2", "请修改")
    assert _counts(db) == before
    assert "无权审核文书" in (review.why_not_review(db, submitted.id, "clerk2") or "")


def test_an_administrator_approves(db: Database) -> None:
    rid = _office(db)
    users.add_user(db, "admin", "管理员", Role.ADMINISTRATOR, actor="supervisor")
    submitted = review.submit(db, _draft(db, rid), "clerk")
    assert review.approve(db, submitted.id, "admin").doc_number == "X政信公开〔2026〕1号"


def test_returned_with_a_comment_then_edited_resubmitted_and_approved(db: Database) -> None:
    rid = _office(db)
    first = review.submit(db, _draft(db, rid), "clerk")
    with pytest.raises(ValidationFailed, match="须填写审核意见"):
        review.send_back(db, first.id, "supervisor", "  ")
    back = review.send_back(db, first.id, "supervisor", "请写明公开的具体方式")
    assert (back.state, back.comment, back.reviewed_by_name) == (review.RETURNED, "请写明公开的具体方式", "王主任")
    with pytest.raises(TransitionError):
        review.approve(db, first.id, "deputy")  # a returned draft is not approved
    # The drafter finds the returned draft and the comment, edits and submits again.
    found = review.latest_open(db, rid, "reply_1")
    assert found is not None and found.comment == "请写明公开的具体方式"
    doc = found.draft.document
    edited = found.draft.with_document(compose.LetterDocument(doc.title, None, doc.salutation,
                                                              [*doc.body, "公开方式：邮寄纸质复印件。"], doc.signature,
                                                              doc.contact, doc.footer_note, doc.cc, doc.author))
    again = review.submit(db, edited, "clerk")
    assert again.id == first.id and again.state == review.PENDING  # the returned one is replaced
    with pytest.raises(TransitionError, match="已有一份待审核"):
        review.submit(db, edited, "clerk")  # one pending review per case and kind
    letter = review.approve(db, again.id, "supervisor")
    assert "公开方式：邮寄纸质复印件。" in register.stored_document(db, letter.id, "supervisor").body


def test_the_timeline_shows_submission_return_and_approval(db: Database) -> None:
    rid = _office(db)
    first = review.submit(db, _draft(db, rid), "clerk")
    review.send_back(db, first.id, "supervisor", "理由不充分")
    review.submit(db, _draft(db, rid), "clerk")
    review.approve(db, first.id, "deputy")
    events = [e for e in case_file.load_case(db, rid, TODAY).events
              if e.kind.startswith("letter_")]
    assert [(e.label, e.user) for e in events] == [
        ("提交审核", "李经办"), ("退回修改", "王主任"), ("提交审核", "李经办"), ("审核通过并签发", "张副主任"),
        ("发文", "张副主任"),
    ]
    assert events[1].note == "理由不充分"
    assert "起草：李经办" in events[3].note and "X政信公开〔2026〕1号" in events[4].note
    with db.read() as s:
        actions = s.exec(select(AuditEntry.action, AuditEntry.user).where(
            col(AuditEntry.table_name) == "letter_review").order_by(col(AuditEntry.id))).all()
    assert list(actions) == [("submit_letter", "clerk"), ("return_letter", "supervisor"),
                             ("submit_letter", "clerk"), ("approve_letter", "deputy")]


def test_submission_runs_the_pre_issue_check(db: Database) -> None:
    rid = _office(db)
    draft = _draft(db, rid)
    blank = draft.with_document(compose.LetterDocument(draft.document.title, None, draft.document.salutation,
                                                       [*draft.document.body, "【请填写：公开方式】"],
                                                       draft.document.signature, draft.document.contact))
    before = _counts(db)
    with pytest.raises(ValidationFailed, match="签发前检查未通过"):
        review.submit(db, blank, "clerk")
    assert _counts(db) == before


def test_a_failed_approval_keeps_the_review_pending_and_draws_no_number(db: Database) -> None:
    rid = _office(db)
    submitted = review.submit(db, _draft(db, rid), "clerk")
    with db.write() as session:  # the office details went missing after the submission
        office_settings.update(session, agency_name="")
    with pytest.raises(ValidationFailed):
        review.approve(db, submitted.id, "supervisor")
    assert review.get(db, submitted.id).state == review.PENDING
    assert _counts(db)[:2] == (0, 0)


def test_issue_in_accepts_only_an_approval_by_another_person(db: Database) -> None:
    rid = _office(db)
    submitted = review.submit(db, _draft(db, rid), "clerk")
    with db.write() as session, pytest.raises(ReviewRequired):  # pending, not approved
        register.issue_in(session, _draft(db, rid), "supervisor", review_id=submitted.id)


def test_with_review_off_issuing_is_unchanged(db: Database) -> None:
    rid = _office(db, review_on=False)
    letter = register.issue(db, _draft(db, rid), "clerk")
    assert letter.doc_number == "X政信公开〔2026〕1号"
    with db.read() as s:
        assert not s.exec(select(Event).where(col(Event.kind).in_(
            [review.EVENT_SUBMITTED, review.EVENT_APPROVED]))).all()


def test_the_refusal_names_the_way_to_submit() -> None:
    assert "提交审核" in REVIEW_REQUIRED
    assert permissions.Permission.REVIEW_LETTER.label == "审核文书"


def test_migration_0013_matches_the_model_and_goes_down_and_up(db: Database) -> None:
    assert migrations.differences(db, "letter_review") == []
    migrations.down_and_up(db, "0012")
