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
and ``cases.reply(...)`` without knowing which module holds them. Each is imported
when first used (PEP 562): the dashboard, the first window a clerk sees, needs the
register list and not the step machinery, the letters or the similarity matcher.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from request_desk.core.cases.corrections import CORRECTABLE, correct, parse_correction
    from request_desk.core.cases.fee_steps import payment_due_after, pending_fee, quote_fee
    from request_desk.core.cases.recompute import RECOMPUTE_BATCH, import_calendar, recompute_open_due_dates
    from request_desk.core.cases.records import FeeRecord, RequestRecord
    from request_desk.core.cases.registration import (
        NewRequest,
        get,
        missing_in,
        missing_in_form,
        register,
        validate_new,
    )
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
    from request_desk.core.cases.step_machinery import FieldKind, Step, StepField
    from request_desk.core.cases.undo import undo_check, undo_last_step
    from request_desk.core.errors import FieldError

# Public name -> the module of this package that holds it.
_HOME: dict[str, str] = {
    "CORRECTABLE": "corrections",
    "FeeRecord": "records",
    "FieldError": "step_machinery",
    "FieldKind": "step_machinery",
    "NewRequest": "registration",
    "RECOMPUTE_BATCH": "recompute",
    "RequestRecord": "records",
    "STEPS": "registry",
    "Step": "step_machinery",
    "StepField": "step_machinery",
    "StepForm": "registry",
    "assign": "step_functions",
    "available": "registry",
    "close": "step_functions",
    "correct": "corrections",
    "deem_withdrawn_no_payment": "step_functions",
    "deem_withdrawn_no_supplement": "step_functions",
    "deliver": "step_functions",
    "dispatch_letter": "step_functions",
    "do_step": "registry",
    "end_pause": "step_functions",
    "extend": "step_functions",
    "get": "registration",
    "import_calendar": "recompute",
    "issue_fee_notice": "step_functions",
    "missing_in": "registration",
    "missing_in_form": "registration",
    "parse_correction": "corrections",
    "parse_value": "registry",
    "payment_due_after": "fee_steps",
    "pending_fee": "fee_steps",
    "quote_fee": "fee_steps",
    "receive_supplement": "step_functions",
    "recompute_open_due_dates": "recompute",
    "record_consultation_received": "step_functions",
    "record_fee_notice_received": "step_functions",
    "record_payment": "step_functions",
    "record_search": "step_functions",
    "register": "registration",
    "reply": "step_functions",
    "request_supplement": "step_functions",
    "set_later_date": "step_functions",
    "start_pause": "step_functions",
    "step_form": "registry",
    "step_named": "registry",
    "undo_check": "undo",
    "undo_last_step": "undo",
    "validate_new": "registration",
    "withdraw": "step_functions",
}


def __getattr__(name: str) -> Any:
    try:
        module = _HOME[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # once: later lookups find it directly
    return value


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
