"""Writing a checked ledger: every request with its clock, events, pauses, extension, assignment and call.

``LedgerWriter`` writes ``ImportRow``s into the caller's write transaction,
a batch at a time (``importer.import_plan`` holds one transaction for the
whole file, so a failure or cancellation part way leaves the database exactly
as before). Registration numbers the office's own pattern produced keep their
year and sequence, and the counter moves past them; other rows get the next
number. Units the ledger names but the desk lacks are created and audited.

The rows are written with SQL inserts of many rows each, not ORM objects, so
the ORM's flush-time text cleaning (``text.install_flush_cleaning``) does not
see them: every text cell was already cleaned by the same rule when it was
checked (``ledger_rows.RowChecker``), and what the writer adds is its own.
"""

from __future__ import annotations

import re
import string
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlmodel import Session, col

from request_desk.core.cases import numbering
from request_desk.core.deadlines.case_clock import office_clock
from request_desk.core.deadlines.clock import OFFICE_TZ, ClockResult, PausePeriod
from request_desk.core.errors import ValidationFailed
from request_desk.core.office import settings as office_settings
from request_desk.core.storage import dialects, postgres_support
from request_desk.core.storage.audit import audit
from request_desk.core.storage.models import (
    Assignment,
    AuditEntry,
    Counter,
    Event,
    Extension,
    HandlingUnit,
    Pause,
    Request,
    SatisfactionCall,
    table_of,
)
from request_desk.core.text import clean_text
from request_desk.core.transfer.bulk import BulkInsert
from request_desk.core.transfer.ledger_existing import existing_keys, existing_numbers, existing_year_seqs
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
    """Adds the rows of one file to an open write transaction, a batch at a time.

    ``add`` collects rows; ``flush`` writes the collected batch with one
    multi-row INSERT per table (issue 14, point 8: row by row through the ORM,
    100,000 rows took over five minutes); ``finish`` flushes the last batch and
    stores the registration counters. Registration numbers are drawn from
    counters held in memory for the transaction, which holds the write lock
    from its start, so no other desk can draw one meanwhile.
    """

    def __init__(self, session: Session, actor: str, today: date, file_name: str) -> None:
        self.session, self.actor, self.today, self.file_name = session, actor, today, clean_text(file_name)
        self.conf = office_settings.load(session)
        self.clock = office_clock(session, today)  # calendar and clock rules, read once per import
        self.number_re = _number_regex(self.conf.registration_pattern)
        units = session.execute(select(col(HandlingUnit.id), col(HandlingUnit.name)))
        self.units: dict[str, int] = {name: uid for uid, name in units}
        self.created_units: list[str] = []
        self.added_keys: set[tuple[Any, ...]] = set()
        self.counters: dict[int, int] = {}  # year -> last registration number drawn
        self.stored_counters: set[int] = set()  # years whose counter row exists
        self.drawn: set[tuple[int, int]] = set()  # (year, seq) given to a row of this file
        self.pending: list[ImportRow] = []
        self.inserts = {model: BulkInsert(session, model, with_id=model is Request) for model in (
            Request, Event, Assignment, Pause, Extension, SatisfactionCall, AuditEntry)}

    def add(self, row: ImportRow) -> None:
        self.pending.append(row)

    def finish(self) -> None:
        """Write what is still pending and the counters moved by this file."""
        self.flush()
        counters = table_of(Counter)
        for year, value in sorted(self.counters.items()):
            if year in self.stored_counters:
                self.session.execute(update(counters).where(
                    counters.c.name == numbering.REGISTRATION, counters.c.year == year).values(value=value))
            else:
                self.session.execute(insert(counters).values(name=numbering.REGISTRATION, year=year, value=value))
        self.stored_counters.update(self.counters)

    def _check_not_imported(self, rows: list[ImportRow]) -> None:
        """Refuse a row another desk stored after the check (issue 11, item 15).

        ``plan_import`` looked in a read transaction; two desks importing the same
        ledger at once both found nothing and both wrote every row. Here the
        same lookup runs inside the write transaction, which holds the write
        lock from its start (BEGIN IMMEDIATE), so the second import sees the
        first one's rows and is rolled back whole. Identical rows of this very
        file (a warning in the plan) are not held against each other.
        """
        numbers = existing_numbers(self.session, [r.values["reg_number"] for r in rows if r.values["reg_number"]])
        keys = existing_keys(self.session, [_key(r) for r in rows if not r.values["reg_number"]])
        for row in rows:
            v = row.values
            if v["reg_number"]:
                if v["reg_number"] in numbers:
                    raise ValidationFailed(f"{row.where}：登记编号 {v['reg_number']} 在检查之后已被他人登记或导入，"
                                           "本次导入未执行，数据库未作任何改动；请重新检查。")
                continue
            key = _key(row)
            if key not in self.added_keys and key in keys:
                raise ValidationFailed(f"{row.where}：数据库中已有收到日期、申请人和申请内容都相同的申请——"
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

    def _counter(self, year: int) -> int:
        if year not in self.counters:
            counter = self.session.get(Counter, (numbering.REGISTRATION, year))
            self.counters[year] = counter.value if counter is not None else 0
            if counter is not None:
                self.stored_counters.add(year)
        return self.counters[year]

    def _kept_numbers(self, rows: list[ImportRow]) -> dict[str, tuple[int, int]]:
        """The ledger's numbers made by the office's pattern: number -> (year, seq)."""
        out: dict[str, tuple[int, int]] = {}
        for row in rows:
            reg_number = row.values["reg_number"]
            m = self.number_re.fullmatch(reg_number) if reg_number else None
            if m and "seq" in m.groupdict():
                year = int(m.group("year")) if m.groupdict().get("year") else row.values["received_date"].year
                seq = int(m.group("seq"))
                if self.conf.format_registration(year, seq) == reg_number:
                    out[reg_number] = (year, seq)
        return out

    def _number(self, reg_number: str, received: date, kept: dict[str, tuple[int, int]],
                taken: set[tuple[int, int]]) -> tuple[int, int, str]:
        if reg_number in kept:
            year, seq = kept[reg_number]
            if (year, seq) in taken or (year, seq) in self.drawn:
                raise ValidationFailed(f"登记编号 {reg_number} 的年份和序号已被另一件申请使用。")
            self.counters[year] = max(self._counter(year), seq)
            self.drawn.add((year, seq))
            return year, seq, reg_number
        year = received.year
        seq = self._counter(year) + 1
        self.counters[year] = seq
        self.drawn.add((year, seq))
        return year, seq, reg_number or self.conf.format_registration(year, seq)

    def flush(self) -> None:
        """Write the rows added since the last flush."""
        rows, self.pending = self.pending, []
        if not rows:
            return
        self._check_not_imported(rows)
        kept = self._kept_numbers(rows)
        taken = existing_year_seqs(self.session, list(kept.values()))
        requests: list[dict[str, Any]] = []
        extras: list[tuple[ImportRow, int | None, str, ClockResult]] = []
        for row in rows:
            v = row.values
            year, seq, number = self._number(v["reg_number"], v["received_date"], kept, taken)
            unit_id = self._unit(v["unit"])
            clock = self.clock.of_stored(
                received_date=v["received_date"], supplemented_date=v["supplemented_date"],
                pauses=[PausePeriod(start=a, end=b, kind=k.value) for k, a, b in row.pauses], extended=row.extended)
            requests.append(_request_values(v, row, year, seq, number, unit_id, clock, self.actor))
            extras.append((row, unit_id, number, clock))
        # The ids SQLite would give (a rowid without AUTOINCREMENT: the largest plus one), set here so one
        # executemany writes the batch; RETURNING them in order would make SQLAlchemy insert row by row.
        first = int(self.session.execute(select(func.coalesce(func.max(col(Request.id)), 0))).scalar_one()) + 1
        ids = list(range(first, first + len(requests)))
        for rid, values in zip(ids, requests, strict=True):
            values["id"] = rid
        self.inserts[Request](requests)
        if dialects.on_server(self.session.connection()):  # a sequence knows nothing of ids written explicitly
            postgres_support.reset_sequences(self.session.connection(), ["request"])
        self._write_records(list(zip(ids, extras, strict=True)))

    def _write_records(self, written: list[tuple[int, tuple[ImportRow, int | None, str, ClockResult]]]) -> None:
        """Timeline events, assignments, pauses, extensions, calls and audit entries of a written batch."""
        events: list[dict[str, Any]] = []
        assignments: list[dict[str, Any]] = []
        pauses: list[dict[str, Any]] = []
        extensions: list[dict[str, Any]] = []
        calls: list[dict[str, Any]] = []
        audits: list[dict[str, Any]] = []
        actor, note = self.actor, IMPORT_ACTOR_NOTE

        def add_event(rid: int, kind: str, on: date, text: str = note, data: dict[str, Any] | None = None) -> None:
            events.append({"request_id": rid, "kind": kind, "on_date": on, "user": actor, "note": text,
                           "data": data})

        for rid, (row, unit_id, number, clock) in written:
            v = row.values
            where = f"{IMPORT_ACTOR_NOTE}（{self.file_name} {row.where}）"
            add_event(rid, "registered", v["received_date"], where, {"reg_number": number})
            if unit_id is not None:
                assignments.append({"request_id": rid, "unit_id": unit_id,
                                    "assigned_date": v["supplemented_date"] or v["received_date"],
                                    "assigned_by": actor, "note": note})
            if v["supplement_notice_date"]:
                add_event(rid, "request_supplement", v["supplement_notice_date"])
            if v["supplemented_date"]:
                add_event(rid, "receive_supplement", v["supplemented_date"])
            for kind, a, b in row.pauses:
                pauses.append({"request_id": rid, "kind": kind.value, "start_date": a, "end_date": b,
                               "previous_status": Status.IN_PROGRESS.value, "counterpart": "（历史台账未记载）",
                               "note": note})
            if row.extended:
                approved = row.extension_date or min(clock.base_due, v["reply_date"] or clock.base_due)
                extensions.append({"request_id": rid, "approver": "（历史台账）", "reason": note,
                                   "approved_date": approved})
            if v["reply_date"]:
                add_event(rid, "reply", v["reply_date"], data={"outcome": v["outcome_code"]})
            if v["delivered_date"]:
                add_event(rid, "deliver", v["delivered_date"])
            if v["satisfaction"] is not None:
                called = v["delivered_date"] or v["reply_date"]
                at = datetime.combine(called, time(12), OFFICE_TZ).astimezone(UTC)
                calls.append({"request_id": rid, "called_at": at, "caller": actor, "reached": True,
                              "satisfaction": v["satisfaction"].value, "note": note})
            where_data = {"reg_number": number, "file": self.file_name, "row": row.row}
            if row.sheet:
                where_data["sheet"] = row.sheet
            audits.append({"user": actor, "action": "import", "table_name": "request", "record_id": rid,
                           "old": None, "new": where_data})
        for model, values in ((Event, events), (Assignment, assignments), (Pause, pauses), (Extension, extensions),
                              (SatisfactionCall, calls), (AuditEntry, audits)):
            self.inserts[model](values)


def _key(row: ImportRow) -> tuple[Any, ...]:
    v = row.values
    return (v["received_date"], v["applicant_name"], v["description"])


def _request_values(v: dict[str, Any], row: ImportRow, year: int, seq: int, number: str, unit_id: int | None,
                    clock: ClockResult, actor: str) -> dict[str, Any]:
    # A reply carries its measures (step_machinery.measure_reply); a withdrawal does not.
    replied = v["reply_date"] is not None and v["outcome_code"] not in DEEMED_WITHDRAWN_OUTCOMES
    values = {
        "year": year, "seq": seq, "reg_number": number, "channel": v["channel"].value,
        "received_date": v["received_date"], "applicant_type": v["applicant_type"].value,
        "applicant_name": v["applicant_name"], "id_type": v["id_type"], "id_number": v["id_number"],
        "credit_code": v["credit_code"], "contact_person": v["contact_person"], "phone": v["phone"],
        "address": v["address"], "email": v["email"], "description": v["description"],
        "status": _status(v, row, unit_id).value, "outcome_code": v["outcome_code"], "current_unit_id": unit_id,
        "supplement_notice_date": v["supplement_notice_date"], "supplemented_date": v["supplemented_date"],
        "reply_date": v["reply_date"], "delivered_date": v["delivered_date"], "delivery_channel": v["delivery_channel"],
        "replied_on_time": None if not replied else v["reply_date"] <= clock.reply_due,
        "workdays_used": clock.workdays_used(v["reply_date"]) if replied else None,
        "supplement_due_date": clock.supplement_notice_due, "due_date": clock.reply_due,
        "due_provisional": clock.provisional, "note": v["note"], "created_by": actor,
        "supplement_notice_late": bool(v["supplement_notice_date"])
        and v["supplement_notice_date"] > clock.supplement_notice_due,
    }
    return values


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
