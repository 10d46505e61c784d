"""A request from registration to archive.

Registration (``registration``), the workflow steps declared once
(``steps``, ``consultation_steps``, ``fee_steps``) and run by one transaction
(``step_machinery``) on the state machine of ``workflow``, the step registry
the GUI and the command line build on (``registry``), the plain records handed
out (``records``), due dates recomputed after calendar changes (``recompute``),
the fee rules (``fees``), satisfaction calls (``calls``), remedies
(``remedies``), the registration numbers (``numbering``), the applicant checks
(``validation``), the case file read model (``case_file``), the register list
(``register_list``), the consultations past their deadline
(``consultations``), corrections of registered fields (``corrections``),
undoing a case's last step (``undo``) and a handling unit's own work, its
assignments and reports (``unit_work``).

The names below are the package's public face: callers write ``cases.register(...)``
and ``cases.reply(...)`` without knowing which module holds them.
"""
from __future__ import annotations

from request_desk.core.cases.corrections import CORRECTABLE, correct, parse_correction
from request_desk.core.cases.fee_steps import payment_due_after, pending_fee, quote_fee
from request_desk.core.cases.recompute import RECOMPUTE_BATCH, import_calendar, recompute_open_due_dates
from request_desk.core.cases.records import FeeRecord, RequestRecord
from request_desk.core.cases.registration import NewRequest, get, missing_in, missing_in_form, register, validate_new
from request_desk.core.cases.registry import STEPS, StepForm, available, do_step, parse_value, step_form, step_named
from request_desk.core.cases.step_functions import (
    assign,
    close,
    deem_withdrawn_no_payment,
    deem_withdrawn_no_supplement,
    deliver,
    dispatch_letter,
    end_pause,
    extend,
    issue_fee_notice,
    receive_supplement,
    record_consultation_received,
    record_fee_notice_received,
    record_payment,
    record_search,
    reply,
    request_supplement,
    set_later_date,
    start_pause,
    withdraw,
)
from request_desk.core.cases.step_machinery import FieldError, FieldKind, Step, StepField
from request_desk.core.cases.undo import undo_check, undo_last_step

__all__ = [
    "CORRECTABLE",
    "RECOMPUTE_BATCH",
    "STEPS",
    "FeeRecord",
    "FieldError",
    "FieldKind",
    "NewRequest",
    "RequestRecord",
    "Step",
    "StepField",
    "StepForm",
    "assign",
    "available",
    "close",
    "correct",
    "deem_withdrawn_no_payment",
    "deem_withdrawn_no_supplement",
    "deliver",
    "dispatch_letter",
    "do_step",
    "end_pause",
    "extend",
    "get",
    "import_calendar",
    "issue_fee_notice",
    "missing_in",
    "missing_in_form",
    "parse_correction",
    "parse_value",
    "payment_due_after",
    "pending_fee",
    "quote_fee",
    "receive_supplement",
    "recompute_open_due_dates",
    "record_consultation_received",
    "record_fee_notice_received",
    "record_payment",
    "record_search",
    "register",
    "reply",
    "request_supplement",
    "set_later_date",
    "start_pause",
    "step_form",
    "step_named",
    "undo_check",
    "undo_last_step",
    "validate_new",
    "withdraw",
]
