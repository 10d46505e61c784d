"""The tables of the case record (SQLModel over SQLAlchemy).

Enumerated values are stored as their string codes from ``vocab`` so that the
schema stays portable (SQLite now, PostgreSQL for shared offices later) and
migrations never have to alter an enum type. Dates that carry legal meaning
(receipt, reply, delivery) are ``date``; moments of data entry are ``datetime``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import JSON, BigInteger, Boolean, Column, Index, LargeBinary, Table, Text, UniqueConstraint, false, text
from sqlmodel import Field, SQLModel

from request_desk.core.text import install_flush_cleaning


def table_of(model: type[SQLModel]) -> Table:
    """The SQLAlchemy table of a table model, for Core queries over its columns.

    SQLModel sets ``__table__`` on every ``table=True`` class but does not
    declare it, so a type checker sees no such attribute; this is the one
    place that says so.
    """
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table), f"{model.__name__} is not a table model"
    return table


def _now() -> datetime:
    # Moments are stored in UTC (aware); the GUI shows them in local time.
    return datetime.now(UTC).replace(microsecond=0)


class Setting(SQLModel, table=True):
    """Office-wide settings, shared by every desk on the same database."""

    key: str = Field(primary_key=True, max_length=64)
    value: object = Field(default=None, sa_column=Column(JSON, nullable=True))


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(max_length=64)
    role: str = Field(max_length=16)
    active: bool = True
    created_at: datetime = Field(default_factory=_now)
    # Signing in (office/accounts.py, migration 0012): an argon2 hash, never the password;
    # empty for a user who has none yet.
    password_hash: str = Field(default="", max_length=256, sa_column_kwargs={"server_default": ""})
    must_change_password: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    failed_sign_ins: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    locked_until: datetime | None = None
    # A unit liaison's handling unit (migration 0014); None for the desk's own roles.
    unit_id: int | None = Field(default=None, foreign_key="handlingunit.id")


class HandlingUnit(SQLModel, table=True):
    """A unit that supplies information: city / district / department, nested."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=128, index=True)
    level: str = Field(max_length=16)
    parent_id: int | None = Field(default=None, foreign_key="handlingunit.id", index=True)
    active: bool = True
    contact_person: str = Field(default="", max_length=64)
    phone: str = Field(default="", max_length=64)
    email: str = Field(default="", max_length=128)
    address: str = Field(default="", max_length=256)
    note: str = ""


class Counter(SQLModel, table=True):
    """Gapless per-year sequences (registration numbers, document numbers)."""

    name: str = Field(primary_key=True, max_length=64)
    year: int = Field(primary_key=True)
    value: int = 0


#: A credit code as the applicant's history compares it (typed with spaces, dashes or in lower case).
CREDIT_CODE_KEY = "upper(replace(replace(credit_code, ' ', ''), '-', ''))"


class Request(SQLModel, table=True):
    """One application for government information (政府信息公开申请)."""

    __table_args__ = (
        UniqueConstraint("year", "seq", name="uq_request_year_seq"),
        Index("ix_request_status_received", "status", "received_date", "id"),
        # Revision 0005: applicant_type (and, below, received_date) make the annual report's counts index-only.
        Index("ix_request_received", "received_date", "id", "applicant_type"),
        Index("ix_request_unit_received", "current_unit_id", "received_date", "id"),
        Index("ix_request_due", "due_date", "id"),
        Index("ix_request_outcome", "outcome_code", "received_date"),
        Index("ix_request_applicant", "applicant_name", "received_date"),
        # Revision 0002: quick filters and the dashboard's yearly figures.
        Index("ix_request_status_due", "status", "due_date", "id"),
        Index("ix_request_provisional", "due_provisional", "received_date", "id"),
        Index("ix_request_reply", "reply_date", "outcome_code", "replied_on_time", "applicant_type", "received_date"),
        # Revision 0006: the requests registered on a day (acknowledgements to issue).
        Index("ix_request_created", "created_at"),
        # Revision 0005: answered requests still waiting for a reached follow-up call.
        Index("ix_request_call_due", "reply_date", "delivered_date", "status", sqlite_where=text("followed_up IS 0")),
        # Revision 0015: the replies delivered, for the 工作台's list 救济期内 (cases/remedies.py).
        Index("ix_request_delivered", "delivered_date", "outcome_code",
              sqlite_where=text("delivered_date IS NOT NULL")),
        # Revision 0018: the quality figures of a month or a year, index-only (reports/quality.py).
        Index("ix_request_quality", "reply_date", "replied_on_time", "workdays_used",
              sqlite_where=text("replied_on_time IS NOT NULL")),
        # Revision 0018: a legal person's history by its credit code as cases/applicant_history.py compares it.
        Index("ix_request_credit_code", text(CREDIT_CODE_KEY)),
    )

    id: int | None = Field(default=None, primary_key=True)
    year: int
    seq: int
    reg_number: str = Field(max_length=64, unique=True)
    channel: str = Field(max_length=24)
    received_date: date

    applicant_type: str = Field(max_length=24)
    applicant_name: str = Field(max_length=128)
    # "resident_id" (GB 11643, validated) or another document such as a passport.
    id_type: str = Field(default="resident_id", max_length=24)
    id_number: str = Field(default="", max_length=32)
    credit_code: str = Field(default="", max_length=32)
    contact_person: str = Field(default="", max_length=64)
    phone: str = Field(default="", max_length=64)
    address: str = Field(default="", max_length=256)
    postal_code: str = Field(default="", max_length=16)
    email: str = Field(default="", max_length=128)

    description: str
    purpose: str = ""
    preferred_form: str = Field(default="", max_length=32)
    delivery_method: str = Field(default="", max_length=32)

    status: str = Field(max_length=24)
    outcome_code: str | None = Field(default=None, max_length=8)
    current_unit_id: int | None = Field(default=None, foreign_key="handlingunit.id")
    repeat_of_id: int | None = Field(default=None, foreign_key="request.id")

    supplement_notice_date: date | None = None
    supplement_notice_late: bool = False
    supplement_deadline: date | None = None
    supplemented_date: date | None = None
    later_date: date | None = None
    later_date_reason: str = ""
    reply_date: date | None = None
    replied_on_time: bool | None = None
    # Working days the reply took, pauses left out (revision 0018; cases/step_machinery.measure_reply).
    workdays_used: int | None = None
    reply_summary: str = ""
    delivered_date: date | None = None
    delivery_channel: str = Field(default="", max_length=32)
    delivery_proof: str = ""
    closed_date: date | None = None

    # Denormalised results of the legal clock, kept current by the services so
    # that the list can filter and sort on them in SQL.
    supplement_due_date: date | None = None
    due_date: date | None = None
    due_provisional: bool = False

    note: str = ""
    created_at: datetime = Field(default_factory=_now)
    created_by: str = Field(default="", max_length=64)
    updated_at: datetime = Field(default_factory=_now)
    # Bumped by every change; a desk that saves with a stale version is refused,
    # so two clerks working on one case cannot silently overwrite each other.
    version: int = Field(default=1)


# A reached follow-up call exists (电话回访): 0/1, kept by triggers on satisfactioncall
# (revision 0005) whoever writes the calls. A column of the table but not an attribute
# of the class, so the services never write it (nor need it in older schemas' tests).
table_of(Request).append_column(Column("followed_up", Boolean, nullable=False, server_default=false()))


class Assignment(SQLModel, table=True):
    """Routing history: which unit handles the case, from when, by when."""

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", index=True)
    unit_id: int = Field(foreign_key="handlingunit.id", index=True)
    assigned_date: date
    internal_due_date: date | None = None
    ended_date: date | None = None
    assigned_by: str = Field(default="", max_length=64)
    note: str = ""
    # The unit's latest handling report (承办单位反馈, core/cases/unit_work.py, migration 0014);
    # every report is also a case event, so earlier ones stay on the timeline.
    unit_report: str = Field(default="", sa_column_kwargs={"server_default": ""})
    reported_date: date | None = None
    reported_by: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})


class Event(SQLModel, table=True):
    """The case timeline: every step with its legal date, who and a note."""

    __table_args__ = (Index("ix_event_request", "request_id", "on_date", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id")
    kind: str = Field(max_length=32)
    on_date: date
    at: datetime = Field(default_factory=_now)
    user: str = Field(default="", max_length=64)
    note: str = ""
    data: dict[str, object] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class Pause(SQLModel, table=True):
    """A period not counted in the reply period (consultation, fee notice)."""

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", index=True)
    kind: str = Field(max_length=24)
    start_date: date
    end_date: date | None = None
    previous_status: str = Field(max_length=24)
    counterpart: str = Field(default="", max_length=128)
    note: str = ""
    # Consultations only (revision 0008; docs/domain.md, "Pauses"). The day the consulted
    # side received the letter (None: not recorded, presumed from the office's transit
    # setting); whether the agency consulted co-produced the information (Art. 34: only
    # then does silence mean consent); its answer (a ConsultationAnswer value, '' while
    # open or when not recorded) and the reasons of an objection.
    received_date: date | None = None
    co_producer: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    answer: str = Field(default="", max_length=16, sa_column_kwargs={"server_default": ""})
    objection: str = Field(default="", sa_column_kwargs={"server_default": ""})


class Extension(SQLModel, table=True):
    """The one extension of the reply period (Art. 33(2)), approved and notified."""

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", unique=True)
    approver: str = Field(max_length=64)
    reason: str
    approved_date: date
    workdays: int = 20


class Fee(SQLModel, table=True):
    """An information-processing fee notice (国办函〔2020〕109号) and its payment."""

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", index=True)
    method: str = Field(max_length=24)  # per_application | per_page
    quantity: int
    amount_yuan: int
    notice_date: date
    payment_due: date | None = None
    paid_date: date | None = None


class SatisfactionCall(SQLModel, table=True):
    """One attempt of the follow-up phone call (电话回访)."""

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", index=True)
    called_at: datetime
    caller: str = Field(max_length=64)
    reached: bool
    satisfaction: str | None = Field(default=None, max_length=24)
    applicant_said: str = ""
    follow_up_needed: bool = False
    note: str = ""


class SearchRecord(SQLModel, table=True):
    """One search made for the information asked for (检索记录, migration 0015).

    A 4.1 reply ("经检索没有所申请公开的信息", 第36条(四)) must be able to show what
    was searched, where and how (最高人民法院指导性案例101号; docs/domain.md, "Search
    record"): the systems, archives or units searched (``where``), the keywords, who
    searched, on which day, and what was found.
    """

    __tablename__ = "search_record"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", index=True)
    searched_on: date
    where: str
    keywords: str
    searched_by: str = Field(max_length=64)
    found: str
    created_at: datetime = Field(default_factory=_now)


class Attachment(SQLModel, table=True):
    """A file kept with a case (附件, migration 0016): the scanned application, the ID copy, the
    envelope or postmark that proves the day of receipt (条例第三十一条), the delivery proof, the
    information provided.

    The bytes are in the database, so every verified backup holds them and a restore brings them
    back; ``sha256`` (hex) is checked on every read. Rows are never changed or deleted (SQLite
    triggers, as for ``letter``): a wrong file stays on the record beside the right one.
    """

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", index=True)
    kind: str = Field(max_length=32)
    file_name: str = Field(max_length=255)
    media_type: str = Field(max_length=128)
    size: int
    sha256: str = Field(max_length=64, index=True)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    added_by: str = Field(max_length=64)
    added_at: datetime = Field(default_factory=_now)
    note: str = ""


class Letter(SQLModel, table=True):
    """A letter as sent: its number and final text are part of the case record.

    One row per issued letter is a line of the outgoing register (发文登记).
    Rows are never changed or deleted (SQLite triggers enforce it): a
    correction is a new letter whose ``supersedes_id`` names the old one, and
    delivery is tracked in ``LetterDelivery``. ``final_text`` is the approved
    text as JSON (title, number, salutation, body, signature, contact …);
    ``pdf`` the exact bytes printed, so a reprint is the same document.
    """

    __table_args__ = (
        UniqueConstraint("doc_year", "doc_seq", name="uq_letter_doc_number"),
        Index("ix_letter_issued", "issued_date", "id"),
        Index("ix_letter_kind_issued", "kind", "issued_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    request_id: int | None = Field(default=None, foreign_key="request.id", index=True)
    kind: str = Field(max_length=48)
    doc_number: str | None = Field(default=None, max_length=64)
    doc_year: int | None = None
    doc_seq: int | None = None
    final_text: str = ""
    file_path: str = ""
    created_at: datetime = Field(default_factory=_now)
    created_by: str = Field(default="", max_length=64)
    sent_date: date | None = None
    title: str = Field(default="", max_length=128)
    addressee: str = Field(default="", max_length=128)
    addressee_type: str = Field(default="", max_length=16)
    issued_date: date | None = None
    pdf: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    pdf_sha256: str = Field(default="", max_length=64)
    page_count: int = 0
    # At most one correction per letter; corrections of corrections form a chain.
    supersedes_id: int | None = Field(default=None, foreign_key="letter.id", unique=True)
    # The pre-issue check's warnings the clerk accepted, and whether the reply was late
    # (letters/pre_issue.py, migration 0009).
    check_warnings: list[dict[str, str]] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    late: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))


class LetterReview(SQLModel, table=True):
    """A letter submitted for review (审核) before it is issued, and what the reviewer decided.

    Used while the office setting ``letter_review`` is on (``letters/review.py``,
    migration 0013). ``draft`` is the submitted text as JSON (the ``Draft`` with its
    document, as the drafter edited it); ``state`` is ``pending``, ``returned``
    (with the reviewer's ``comment``) or ``approved``, and then ``letter_id`` names
    the letter issued on approval. A returned draft resubmitted keeps its row; the
    case events and the audit log keep each round.
    """

    __tablename__ = "letter_review"
    __table_args__ = (
        Index("ix_letter_review_state", "state", "id"),
        Index("ix_letter_review_request_kind", "request_id", "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    request_id: int | None = Field(default=None, foreign_key="request.id")
    kind: str = Field(max_length=48)
    draft: dict[str, object] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    supersedes_id: int | None = Field(default=None, foreign_key="letter.id")
    submitted_by: str = Field(max_length=64)
    submitted_at: datetime = Field(default_factory=_now)
    state: str = Field(default="pending", max_length=16)
    reviewed_by: str = Field(default="", max_length=64)
    reviewed_at: datetime | None = None
    comment: str = ""
    letter_id: int | None = Field(default=None, foreign_key="letter.id")


class LetterDelivery(SQLModel, table=True):
    """How one letter went out and what became of it (送达)."""

    id: int | None = Field(default=None, primary_key=True)
    letter_id: int = Field(foreign_key="letter.id", index=True)
    method: str = Field(max_length=16)  # in_person | post | electronic | via_agency
    recipient: str = Field(default="", max_length=128)
    address: str = Field(default="", max_length=256)
    tracking_number: str = Field(default="", max_length=64)
    sent_date: date
    signed_date: date | None = None
    signed_by: str = Field(default="", max_length=64)
    returned_date: date | None = None
    return_reason: str = ""
    note: str = ""
    recorded_by: str = Field(default="", max_length=64)
    recorded_at: datetime = Field(default_factory=_now)


class PublicationFlag(SQLModel, table=True):
    """Information proposed for proactive publication (主动公开, Art. 44)."""

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", index=True)
    state: str = Field(max_length=16, index=True)
    reason: str = ""
    raised_by: str = Field(default="", max_length=64)
    raised_at: datetime = Field(default_factory=_now)
    reviewed_by: str = Field(default="", max_length=64)
    channel: str = Field(default="", max_length=128)
    link: str = ""
    published_date: date | None = None
    declined_reason: str = ""
    # Revision 0004 (issue 6): one flag per subject, worked as a list.
    subject: str | None = None  # what is to be published, as the worklist shows it
    origin: str | None = Field(default=None, max_length=16)  # "clerk" | "suggested" (Art. 44, N applicants)
    reviewed_at: datetime | None = None
    decided_by: str | None = Field(default=None, max_length=64)  # who published or declined
    decided_at: datetime | None = None


class PublicationFlagRequest(SQLModel, table=True):
    """The requests a publication flag covers: one subject, many requests, each in one flag."""

    __tablename__ = "publication_flag_request"

    request_id: int = Field(foreign_key="request.id", primary_key=True)
    flag_id: int = Field(foreign_key="publicationflag.id", index=True)
    added_at: datetime = Field(default_factory=_now)
    added_by: str = Field(default="", max_length=64)


class RequestLink(SQLModel, table=True):
    """Two requests a clerk linked as asking for the same information (同一事项)."""

    __tablename__ = "request_link"
    __table_args__ = (
        UniqueConstraint("request_id", "other_id", name="uq_request_link_pair"),
        Index("ix_request_link_other", "other_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id")  # the later request
    other_id: int = Field(foreign_key="request.id")  # the earlier one it was linked to
    kind: str = Field(default="same_subject", max_length=16)
    created_by: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=_now)


class SimilarityKey(SQLModel, table=True):
    """Inverted index of normalised descriptions (publication/similarity_index.py): sketch key → request.

    No foreign key: a row left behind by an edited description only adds a
    candidate that the comparison then rejects.
    """

    __tablename__ = "similarity_key"
    __table_args__ = {"sqlite_with_rowid": False}

    key: int = Field(primary_key=True, sa_type=BigInteger)
    request_id: int = Field(primary_key=True)


class SimilarityPending(SQLModel, table=True):
    """Requests whose description changed and is not yet in ``similarity_key`` (filled by triggers)."""

    __tablename__ = "similarity_pending"

    request_id: int = Field(primary_key=True)


class RemedyCase(SQLModel, table=True):
    """Administrative reconsideration or litigation sought against a reply."""

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", index=True)
    kind: str = Field(max_length=40)
    filed_date: date
    body: str = Field(default="", max_length=128)
    result: str = Field(max_length=16)
    result_date: date | None = None
    note: str = ""


class CalendarYear(SQLModel, table=True):
    """A year of the State Council holiday notice entered by an administrator."""

    year: int = Field(primary_key=True)
    source: str = ""
    entered_by: str = Field(default="", max_length=64)
    entered_at: datetime = Field(default_factory=_now)


class CalendarDay(SQLModel, table=True):
    """An exception to the weekday rule within an administrator-entered year."""

    day: date = Field(primary_key=True)
    year: int = Field(foreign_key="calendaryear.year", index=True)
    workday: bool
    name: str = Field(default="", max_length=32)


class ImportProfile(SQLModel, table=True):
    """A saved mapping of the ledger import (列对应方案), offered for the next file with the same headers.

    ``mapping`` is ``{"columns": {file header: field key or "" (ignored)},
    "values": {field key: {the file's value: code}}}``; ``signature`` identifies
    the file's set of normalised headers (``transfer/profiles.py``, migration 0010).
    Office-wide: every desk reads the same profiles.
    """

    __tablename__ = "import_profile"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    signature: str = Field(max_length=64, index=True)
    headers: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    mapping: dict[str, object] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=_now)
    created_by: str = Field(default="", max_length=64)
    updated_at: datetime = Field(default_factory=_now)
    updated_by: str = Field(default="", max_length=64)


class OfficeFile(SQLModel, table=True):
    """An office's own version of a shipped file: a letter template, the fee table, a similarity word list.

    ``folder`` and ``name`` are the shipped file's place under ``resources/``
    (``letters``/``acknowledgement.txt``, ``fees``/``fee_rules.toml``,
    ``similarity``/``synonyms.csv``); ``text`` replaces (or, for the word lists,
    is merged over) it on every desk (``storage/office_files.py``, migration 0019).
    """

    __tablename__ = "office_file"
    __table_args__ = (UniqueConstraint("folder", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    folder: str = Field(max_length=16)
    name: str = Field(max_length=128)
    text: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(default_factory=_now)
    updated_by: str = Field(default="", max_length=64)


class AuditEntry(SQLModel, table=True):
    """Append-only audit log: who changed which record, old → new."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_record", "table_name", "record_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=_now)
    user: str = Field(max_length=64)
    action: str = Field(max_length=48)
    table_name: str = Field(max_length=48)
    record_id: int | None = None
    old: dict[str, object] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    new: dict[str, object] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # Set on entries a restore carried over from the database it replaced:
    # the name of the copy kept aside (migration 0007, storage/restore.py).
    replaced_file: str | None = Field(default=None, max_length=255)


# Every row the ORM writes has its text cleaned of control characters (issue 11, item 9):
# installed here because every service that stores rows imports these models.
install_flush_cleaning()
