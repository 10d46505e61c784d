"""One named function per workflow step, for Python callers: ``cases.reply(db, id, actor, …)``.

Every function takes the request id, the actor, ``on_date`` (the day of the
step) and the step's named fields, and runs the declared step in one
transaction (``step_machinery.run_step``); each returns a ``RequestRecord``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from request_desk.core.cases.letter_delivery import METHOD_CHANNELS, is_reply_letter
from request_desk.core.cases.records import RequestRecord
from request_desk.core.cases.registry import do_step
from request_desk.core.cases.workflow import Action
from request_desk.core.letters.delivery import DeliveryMethod, record_dispatch
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Letter, Request
from request_desk.core.vocab import ConsultationAnswer, PauseKind, Status


def _do(db: Database, action: Action, request_id: int, actor: str, values: dict[str, Any], on_date: date | None,
        today: date | None, expected_version: int | None) -> RequestRecord:
    return do_step(db, action, request_id, actor, values, on_date=on_date, today=today,
                   expected_version=expected_version)


def request_supplement(db: Database, request_id: int, actor: str, *, what: str, deadline: date | None = None,
                       on_date: date | None = None, today: date | None = None,
                       expected_version: int | None = None) -> RequestRecord:
    """Art. 30: tell the applicant once what to supplement and by when."""
    return _do(db, Action.REQUEST_SUPPLEMENT, request_id, actor, {"what": what, "deadline": deadline},
               on_date, today, expected_version)


def receive_supplement(db: Database, request_id: int, actor: str, *, on_date: date | None = None, note: str = "",
                       today: date | None = None, expected_version: int | None = None) -> RequestRecord:
    """The supplement arrived: the 20 working days restart from this day."""
    return _do(db, Action.RECEIVE_SUPPLEMENT, request_id, actor, {"note": note}, on_date, today,
               expected_version)


def deem_withdrawn_no_supplement(db: Database, request_id: int, actor: str, *, on_date: date | None = None,
                                 today: date | None = None, expected_version: int | None = None) -> RequestRecord:
    """Art. 30: not supplemented in time → deemed withdrawn (outcome 6.1)."""
    return _do(db, Action.DEEM_WITHDRAWN_NO_SUPPLEMENT, request_id, actor, {}, on_date, today, expected_version)


def assign(db: Database, request_id: int, actor: str, *, unit_id: int, internal_due: date | None = None,
           on_date: date | None = None, note: str = "", today: date | None = None,
           expected_version: int | None = None) -> RequestRecord:
    """Route the case to a handling unit (or to another one)."""
    return _do(db, Action.ASSIGN, request_id, actor, {"unit": unit_id, "internal_due": internal_due, "note": note},
               on_date, today, expected_version)


def start_pause(db: Database, request_id: int, actor: str, *, kind: PauseKind, counterpart: str,
                co_producer: bool = False, on_date: date | None = None, note: str = "",
                today: date | None = None, expected_version: int | None = None) -> RequestRecord:
    """Arts. 32-34: consultation of a third party or another agency stops the clock.

    ``co_producer``: the agency consulted co-produced the information (Art. 34), the
    only case in which its silence means consent.
    """
    values: dict[str, Any] = {"kind": PauseKind(kind).value, "counterpart": counterpart, "note": note}
    if PauseKind(kind) is PauseKind.OTHER_AGENCY or co_producer:
        values["co_producer"] = co_producer
    return _do(db, Action.START_PAUSE, request_id, actor, values, on_date, today, expected_version)


def record_consultation_received(db: Database, request_id: int, actor: str, *, on_date: date | None = None,
                                 today: date | None = None, expected_version: int | None = None) -> RequestRecord:
    """The consulted side received the consultation letter on ``on_date``: its 15 working days follow."""
    return _do(db, Action.RECORD_CONSULTATION_RECEIVED, request_id, actor, {}, on_date, today, expected_version)


def end_pause(db: Database, request_id: int, actor: str, *, answer: ConsultationAnswer | str, reasons: str = "",
              on_date: date | None = None, note: str = "", today: date | None = None,
              expected_version: int | None = None) -> RequestRecord:
    """The consulted side answered (``answer``, with the ``reasons`` of an objection), or let its
    deadline pass (``ConsultationAnswer.NO_ANSWER``, only after it): the clock runs again."""
    values: dict[str, Any] = {"answer": str(answer), "note": note}
    if reasons:
        values["reasons"] = reasons
    return _do(db, Action.END_PAUSE, request_id, actor, values, on_date, today, expected_version)


def issue_fee_notice(db: Database, request_id: int, actor: str, *, method: str, quantity: int | None = None,
                     amount_yuan: int | None = None, received: date | None = None, on_date: date | None = None,
                     today: date | None = None, expected_version: int | None = None) -> RequestRecord:
    """Send a fee notice (``on_date``); ``received``: the day the applicant got it, when known now.

    The amount comes from the fee rules: per application from the applicant's
    count this month, per page from ``quantity`` pages. ``amount_yuan``, if
    given (the amount the clerk saw), must agree with it.
    """
    return _do(db, Action.ISSUE_FEE_NOTICE, request_id, actor,
               {"method": method, "quantity": quantity, "amount_yuan": amount_yuan, "received": received},
               on_date, today, expected_version)


def record_fee_notice_received(db: Database, request_id: int, actor: str, *, on_date: date | None = None,
                               today: date | None = None, expected_version: int | None = None) -> RequestRecord:
    """The applicant received the fee notice on ``on_date``: the payment deadline follows from it."""
    return _do(db, Action.RECORD_FEE_NOTICE_RECEIVED, request_id, actor, {}, on_date, today,
               expected_version)


def record_payment(db: Database, request_id: int, actor: str, *, on_date: date | None = None,
                   today: date | None = None, expected_version: int | None = None) -> RequestRecord:
    return _do(db, Action.RECORD_PAYMENT, request_id, actor, {}, on_date, today, expected_version)


def deem_withdrawn_no_payment(db: Database, request_id: int, actor: str, *, on_date: date | None = None,
                              today: date | None = None, expected_version: int | None = None) -> RequestRecord:
    """Fee not paid in time → deemed withdrawn (outcome 6.2)."""
    return _do(db, Action.DEEM_WITHDRAWN_NO_PAYMENT, request_id, actor, {}, on_date, today, expected_version)


def extend(db: Database, request_id: int, actor: str, *, reason: str, on_date: date | None = None,
           today: date | None = None, expected_version: int | None = None) -> RequestRecord:
    """Art. 33(2): one extension of at most 20 working days, approved before the deadline by ``actor``."""
    return _do(db, Action.EXTEND, request_id, actor, {"reason": reason},
               on_date, today, expected_version)


def set_later_date(db: Database, request_id: int, actor: str, *, later: date, reason: str,
                   on_date: date | None = None, today: date | None = None,
                   expected_version: int | None = None) -> RequestRecord:
    """Art. 35: a reasonable later reply date for a large number of applications."""
    return _do(db, Action.SET_LATER_DATE, request_id, actor, {"later": later, "reason": reason}, on_date, today,
               expected_version)


def reply(db: Database, request_id: int, actor: str, *, outcome_code: str, on_date: date | None = None,
          summary: str = "", repeat_of_id: int | None = None, today: date | None = None,
          expected_version: int | None = None) -> RequestRecord:
    """Answer the request with exactly one official outcome code."""
    return _do(db, Action.REPLY, request_id, actor,
               {"outcome": outcome_code, "summary": summary, "repeat_of": repeat_of_id},
               on_date, today, expected_version)


def deliver(db: Database, request_id: int, actor: str, *, channel: str, on_date: date | None = None,
            proof: str = "", letter_id: int | None = None, tracking: str = "", today: date | None = None,
            expected_version: int | None = None) -> RequestRecord:
    """The reply reached the applicant; with ``letter_id``, that letter's delivery is recorded too."""
    return _do(db, Action.DELIVER, request_id, actor,
               {"channel": channel, "proof": proof, "letter": letter_id, "tracking": tracking},
               on_date, today, expected_version)


def dispatch_letter(db: Database, letter_id: int, actor: str, *, method: DeliveryMethod | str, sent: date,
                    tracking_number: str = "", today: date | None = None) -> None:
    """A letter went out (发文登记). The dispatch of a replied case's reply letter is its 送达 step,
    so the case and the register hold one delivery (``letter_delivery``)."""
    with db.read() as session:
        letter = session.get(Letter, letter_id)
        request = session.get(Request, letter.request_id) if letter and letter.request_id else None
        channel = METHOD_CHANNELS.get(DeliveryMethod(method)) if method in set(DeliveryMethod) else None
        as_step = (letter is not None and request is not None and request.status == Status.REPLIED
                   and is_reply_letter(letter) and channel is not None)
    if not as_step:
        record_dispatch(db, letter_id, actor, method=method, sent=sent, tracking_number=tracking_number)
        return
    assert request is not None and request.id is not None and channel is not None
    deliver(db, request.id, actor, channel=channel, on_date=sent, letter_id=letter_id, tracking=tracking_number,
            today=today)


def withdraw(db: Database, request_id: int, actor: str, *, on_date: date | None = None, note: str = "",
             today: date | None = None, expected_version: int | None = None) -> RequestRecord:
    """The applicant withdraws; counted as 6.3 (其他) in the annual report."""
    return _do(db, Action.WITHDRAW, request_id, actor, {"note": note}, on_date, today, expected_version)


def close(db: Database, request_id: int, actor: str, *, on_date: date | None = None, note: str = "",
          today: date | None = None, expected_version: int | None = None) -> RequestRecord:
    return _do(db, Action.CLOSE, request_id, actor, {"note": note}, on_date, today, expected_version)


def record_search(db: Database, request_id: int, actor: str, *, where: str, keywords: str,
                  found: str = "未检索到相关信息", on_date: date | None = None, today: date | None = None,
                  expected_version: int | None = None) -> RequestRecord:
    """Record a search made for the information (检索记录), the proof behind a 4.1 reply."""
    return _do(db, Action.RECORD_SEARCH, request_id, actor, {"where": where, "keywords": keywords, "found": found},
               on_date, today, expected_version)
