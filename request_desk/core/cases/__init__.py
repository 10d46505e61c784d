"""A request from registration to archive: registration and its workflow steps
(``steps``, on the state machine in ``workflow``), the fee rules (``fees``), satisfaction
calls (``calls``), remedies (``remedies``), the registration numbers (``numbering``), the
applicant checks (``validation``), the case file read model (``case_file``) and the
register list (``register_list``).

The names below are the package's public face: callers write ``cases.register(...)``
and ``cases.reply(...)`` without knowing which module holds them.
"""

from request_desk.core.cases.steps import (
    ACTIONS,
    RECOMPUTE_BATCH,
    NewRequest,
    assign,
    clock_for,
    clock_input,
    close,
    deem_withdrawn_no_payment,
    deem_withdrawn_no_supplement,
    deliver,
    end_pause,
    extend,
    get,
    import_calendar,
    issue_fee_notice,
    pending_fee,
    quote_fee,
    receive_supplement,
    recompute_open_due_dates,
    record_fee_notice_received,
    record_payment,
    register,
    reply,
    request_supplement,
    set_later_date,
    start_pause,
    validate_new,
    withdraw,
)

__all__ = [
    "ACTIONS", "RECOMPUTE_BATCH", "NewRequest", "assign", "clock_for", "clock_input", "close",
    "deem_withdrawn_no_payment", "deem_withdrawn_no_supplement", "deliver", "end_pause", "extend",
    "get", "import_calendar", "issue_fee_notice", "pending_fee", "quote_fee", "receive_supplement",
    "recompute_open_due_dates", "record_fee_notice_received", "record_payment", "register", "reply",
    "request_supplement", "set_later_date", "start_pause", "validate_new", "withdraw",
]
