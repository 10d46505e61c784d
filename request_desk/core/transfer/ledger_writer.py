"""Writing a checked ledger: every request with its clock, events, pauses, extension, assignment and call.

``LedgerWriter.add`` writes one ``ImportRow`` into the caller's write
transaction (``importer.import_plan`` holds one transaction for the whole
file, so a failure or cancellation part way leaves the database exactly as
before). Registration numbers the office's own pattern produced keep their
year and sequence, and the counter moves past them; other rows get the next
number. Units the ledger names but the desk lacks are created and audited.
"""

from __future__ import annotations

import re
import string
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import select, tuple_
from sqlmodel import Session, col

from request_desk.core.cases import numbering
from request_desk.core.deadlines.case_clock import office_clock
from request_desk.core.deadlines.clock import OFFICE_TZ, PausePeriod
from request_desk.core.errors import ValidationFailed
from request_desk.core.office import settings as office_settings
from request_desk.core.storage.audit import audit, event
from request_desk.core.storage.models import (
    Assignment,
    Counter,
    Extension,
    HandlingUnit,
    Pause,
    Request,
    SatisfactionCall,
)
from request_desk.core.transfer.ledger_rows import ImportRow
from request_desk.core.vocab import DEEMED_WITHDRAWN_OUTCOMES, Status, UnitLevel

IMPORT_ACTOR_NOTE = "自历史台账导入"


def _number_regex(pattern: str) -> re.Pattern[str]:
    """A regex that reads (year, seq) back out of a number made by the office's pattern."""
    parts = []
    for literal, name, _spec, _conv in string.Formatter().parse(pattern):
        parts.append(re.escape(literal))
        if name == "year":
            parts.append(r"(?P<year>\d{4})")
        elif name == "seq":
            parts.append(r"(?P<seq>\d+)")
    return re.compile("".join(parts))


class LedgerWriter:
    """Adds the rows of one file to an open write transaction."""

    def __init__(self, session: Session, actor: str, today: date, file_name: str) -> None:
        self.session, self.actor, self.today, self.file_name = session, actor, today, file_name
        self.conf = office_settings.load(session)
        self.clock = office_clock(session, today)  # calendar and clock rules, read once per import
        self.number_re = _number_regex(self.conf.registration_pattern)
        units = session.execute(select(col(HandlingUnit.id), col(HandlingUnit.name)))
        self.units: dict[str, int] = {name: uid for uid, name in units}
        self.created_units: list[str] = []
        self.added_keys: set[tuple[Any, ...]] = set()

    def _check_not_imported(self, row: ImportRow) -> None:
        """Refuse a row another desk stored after the check (issue 11, item 15).

        ``plan_import`` looked in a read transaction; two desks importing the same
        ledger at once both found nothing and both wrote every row. Here the
        same lookup runs inside the write transaction, which holds the write
        lock from its start (BEGIN IMMEDIATE), so the second import sees the
        first one's rows and is rolled back whole. Identical rows of this very
        file (a warning in the plan) are not held against each other.
        """
        v = row.values
        if v["reg_number"]:
            if self.session.execute(select(col(Request.id)).where(Request.reg_number == v["reg_number"])).first():
                raise ValidationFailed(f"第{row.row}行：登记编号 {v['reg_number']} 在检查之后已被他人登记或导入，"
                                       "本次导入未执行，数据库未作任何改动；请重新检查。")
            return
        key = (v["received_date"], v["applicant_name"], v["description"])
        if key not in self.added_keys and self.session.execute(select(col(Request.id)).where(
                tuple_(Request.received_date, Request.applicant_name, Request.description) == tuple_(*key))).first():
            raise ValidationFailed(f"第{row.row}行：数据库中已有收到日期、申请人和申请内容都相同的申请——"
                                   f"{self.file_name} 可能已由另一台电脑导入。本次导入未执行，数据库未作任何改动；"
                                   "请重新检查，已导入的行将被跳过。")
        self.added_keys.add(key)

    def _unit(self, name: str) -> int | None:
        if not name:
            return None
        if name not in self.units:
            unit = HandlingUnit(name=name, level=UnitLevel.DEPARTMENT.value, note=IMPORT_ACTOR_NOTE)
            self.session.add(unit)
            self.session.flush()
            assert unit.id is not None
            self.units[name] = unit.id
            self.created_units.append(name)
            audit(self.session, self.actor, "import_unit", "handlingunit", unit.id, None, {"name": name})
        return self.units[name]

    def _number(self, reg_number: str, received: date) -> tuple[int, int, str]:
        m = self.number_re.fullmatch(reg_number) if reg_number else None
        if m and "seq" in m.groupdict():
            year = int(m.group("year")) if m.groupdict().get("year") else received.year
            seq = int(m.group("seq"))
            if self.conf.format_registration(year, seq) == reg_number:
                taken = self.session.execute(
                    select(col(Request.id)).where(col(Request.year) == year, col(Request.seq) == seq)).first()
                if taken:
                    raise ValidationFailed(f"登记编号 {reg_number} 的年份和序号已被另一件申请使用。")
                counter = self.session.get(Counter, (numbering.REGISTRATION, year))
                if counter is None:
                    self.session.add(Counter(name=numbering.REGISTRATION, year=year, value=seq))
                elif counter.value < seq:
                    counter.value = seq
                    self.session.add(counter)
                self.session.flush()
                return year, seq, reg_number
        year = received.year
        seq = numbering.next_number(self.session, numbering.REGISTRATION, year)
        return year, seq, reg_number or self.conf.format_registration(year, seq)

    def add(self, row: ImportRow) -> None:
        v = row.values
        self._check_not_imported(row)
        year, seq, number = self._number(v["reg_number"], v["received_date"])
        unit_id = self._unit(v["unit"])
        start = v["supplemented_date"] or v["received_date"]
        v = row.values
        clock = self.clock.of_stored(
            received_date=v["received_date"], supplemented_date=v["supplemented_date"],
            pauses=[PausePeriod(start=a, end=b, kind=k.value) for k, a, b in row.pauses], extended=row.extended)
        outcome = v["outcome_code"]
        status = _status(v, row, unit_id)
        request = Request(
            year=year, seq=seq, reg_number=number, channel=v["channel"].value, received_date=v["received_date"],
            applicant_type=v["applicant_type"].value, applicant_name=v["applicant_name"], id_type=v["id_type"],
            id_number=v["id_number"], credit_code=v["credit_code"], contact_person=v["contact_person"],
            phone=v["phone"], address=v["address"], email=v["email"], description=v["description"],
            status=status.value, outcome_code=outcome, current_unit_id=unit_id,
            supplement_notice_date=v["supplement_notice_date"], supplemented_date=v["supplemented_date"],
            reply_date=v["reply_date"], delivered_date=v["delivered_date"], delivery_channel=v["delivery_channel"],
            replied_on_time=None if v["reply_date"] is None else v["reply_date"] <= clock.reply_due,
            supplement_due_date=clock.supplement_notice_due, due_date=clock.reply_due,
            due_provisional=clock.provisional, note=v["note"], created_by=self.actor,
        )
        if v["supplement_notice_date"]:
            request.supplement_notice_late = v["supplement_notice_date"] > clock.supplement_notice_due
        self.session.add(request)
        self.session.flush()
        rid = request.id
        assert rid is not None
        where = f"{IMPORT_ACTOR_NOTE}（{self.file_name} 第{row.row}行）"
        event(self.session, rid, "registered", v["received_date"], self.actor, where, {"reg_number": number})
        if unit_id is not None:
            self.session.add(Assignment(request_id=rid, unit_id=unit_id, assigned_date=start,
                                        assigned_by=self.actor, note=IMPORT_ACTOR_NOTE))
        if v["supplement_notice_date"]:
            event(self.session, rid, "request_supplement", v["supplement_notice_date"], self.actor, IMPORT_ACTOR_NOTE)
        if v["supplemented_date"]:
            event(self.session, rid, "receive_supplement", v["supplemented_date"], self.actor, IMPORT_ACTOR_NOTE)
        for kind, a, b in row.pauses:
            self.session.add(Pause(request_id=rid, kind=kind.value, start_date=a, end_date=b,
                                   previous_status=Status.IN_PROGRESS.value, counterpart="（历史台账未记载）",
                                   note=IMPORT_ACTOR_NOTE))
        if row.extended:
            approved = row.extension_date or min(clock.base_due, v["reply_date"] or clock.base_due)
            self.session.add(Extension(request_id=rid, approver="（历史台账）", reason=IMPORT_ACTOR_NOTE,
                                       approved_date=approved))
        if v["reply_date"]:
            event(self.session, rid, "reply", v["reply_date"], self.actor, IMPORT_ACTOR_NOTE, {"outcome": outcome})
        if v["delivered_date"]:
            event(self.session, rid, "deliver", v["delivered_date"], self.actor, IMPORT_ACTOR_NOTE)
        if v["satisfaction"] is not None:
            called = v["delivered_date"] or v["reply_date"]
            self.session.add(SatisfactionCall(
                request_id=rid, called_at=datetime.combine(called, time(12), OFFICE_TZ).astimezone(UTC),
                caller=self.actor, reached=True, satisfaction=v["satisfaction"].value, note=IMPORT_ACTOR_NOTE))
        audit(self.session, self.actor, "import", "request", rid, None,
              {"reg_number": number, "file": self.file_name, "row": row.row})


def _status(v: dict[str, Any], row: ImportRow, unit_id: int | None) -> Status:
    outcome = v["outcome_code"]
    if outcome in DEEMED_WITHDRAWN_OUTCOMES:
        return Status.DEEMED_WITHDRAWN
    if outcome is not None:
        return Status.DELIVERED if v["delivered_date"] else Status.REPLIED
    if any(b is None for _, _, b in row.pauses):
        return Status.PAUSED
    if v["supplement_notice_date"] and not v["supplemented_date"]:
        return Status.AWAITING_SUPPLEMENT
    if row.extended:
        return Status.EXTENDED
    if unit_id is not None:
        return Status.IN_PROGRESS
    return Status.SUPPLEMENTED if v["supplemented_date"] else Status.REGISTERED
