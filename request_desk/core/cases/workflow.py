"""The workflow as an explicit state machine.

``TRANSITIONS`` is the single table of which action may start from which
status and where it leads. Legal preconditions beyond the status (one
supplement notice, one extension before the deadline, …) are each step's
``rules`` (``steps``, ``fee_steps``); ``why_not`` here gives the status part of
the reason a step is unavailable, in Chinese, and ``Step.why_not`` the whole of
it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from request_desk.core.errors import TransitionError
from request_desk.core.vocab import ANSWERABLE_STATUSES, OPEN_STATUSES, Status

S = Status


class Action(StrEnum):
    REQUEST_SUPPLEMENT = "request_supplement"
    RECEIVE_SUPPLEMENT = "receive_supplement"
    DEEM_WITHDRAWN_NO_SUPPLEMENT = "deem_withdrawn_no_supplement"
    ASSIGN = "assign"
    START_PAUSE = "start_pause"
    RECORD_CONSULTATION_RECEIVED = "record_consultation_received"
    END_PAUSE = "end_pause"
    ISSUE_FEE_NOTICE = "issue_fee_notice"
    RECORD_FEE_NOTICE_RECEIVED = "record_fee_notice_received"
    RECORD_PAYMENT = "record_payment"
    DEEM_WITHDRAWN_NO_PAYMENT = "deem_withdrawn_no_payment"
    EXTEND = "extend"
    SET_LATER_DATE = "set_later_date"
    REPLY = "reply"
    DELIVER = "deliver"
    WITHDRAW = "withdraw"
    CLOSE = "close"
    RECORD_SEARCH = "record_search"

    @property
    def label(self) -> str:
        return TRANSITIONS[self].label


@dataclass(frozen=True)
class Transition:
    label: str
    sources: frozenset[Status]
    # None: the target depends on the case (resume returns to the status
    # before the pause; assigning an already assigned case keeps its status).
    target: Status | None


_ANSWERABLE = ANSWERABLE_STATUSES
_OPEN = OPEN_STATUSES
# A case not closed nor withdrawn: still open, or replied (a search may be recorded after the reply).
_NOT_CLOSED = OPEN_STATUSES | {S.REPLIED, S.DELIVERED}

TRANSITIONS: dict[Action, Transition] = {
    Action.REQUEST_SUPPLEMENT: Transition("补正告知", frozenset({S.REGISTERED, S.IN_PROGRESS}), S.AWAITING_SUPPLEMENT),
    Action.RECEIVE_SUPPLEMENT: Transition("收到补正材料", frozenset({S.AWAITING_SUPPLEMENT}), S.SUPPLEMENTED),
    Action.DEEM_WITHDRAWN_NO_SUPPLEMENT: Transition(
        "逾期未补正，视为放弃申请", frozenset({S.AWAITING_SUPPLEMENT}), S.DEEMED_WITHDRAWN
    ),
    Action.ASSIGN: Transition("分办承办单位", _ANSWERABLE | {S.PAUSED}, None),
    Action.START_PAUSE: Transition("征求意见（暂停计时）", _ANSWERABLE, S.PAUSED),
    # The consulted side's 15 working days run from its receipt of the letter (Arts. 32, 34).
    Action.RECORD_CONSULTATION_RECEIVED: Transition("被征求意见方收到征求意见书", frozenset({S.PAUSED}), None),
    Action.END_PAUSE: Transition("登记征求意见结果，恢复计时", frozenset({S.PAUSED}), None),
    Action.ISSUE_FEE_NOTICE: Transition("发出收费通知", _ANSWERABLE, S.PAUSED),
    # The payment period runs from the day after the applicant receives the notice.
    Action.RECORD_FEE_NOTICE_RECEIVED: Transition("申请人收到收费通知", frozenset({S.PAUSED}), None),
    Action.RECORD_PAYMENT: Transition("申请人已缴费", frozenset({S.PAUSED}), None),
    Action.DEEM_WITHDRAWN_NO_PAYMENT: Transition(
        "逾期未缴费，视为放弃申请", frozenset({S.PAUSED}), S.DEEMED_WITHDRAWN
    ),
    Action.EXTEND: Transition("延期答复", frozenset({S.REGISTERED, S.SUPPLEMENTED, S.IN_PROGRESS}), S.EXTENDED),
    Action.SET_LATER_DATE: Transition("另行确定答复期限（第三十五条）", _ANSWERABLE, None),
    Action.REPLY: Transition("答复", _ANSWERABLE, S.REPLIED),
    Action.DELIVER: Transition("送达", frozenset({S.REPLIED}), S.DELIVERED),
    Action.WITHDRAW: Transition("申请人撤回申请", _OPEN, S.WITHDRAWN),
    Action.CLOSE: Transition("归档", frozenset({S.DELIVERED, S.WITHDRAWN, S.DEEMED_WITHDRAWN}), S.CLOSED),
    # The search behind a 4.1 reply (指导性案例101号); it never moves the status.
    Action.RECORD_SEARCH: Transition("登记检索记录", _NOT_CLOSED, None),
}


def why_not(action: Action, status: Status) -> str | None:
    """The Chinese reason ``action`` cannot start from ``status``, or None if it can."""
    transition = TRANSITIONS[action]
    if status in transition.sources:
        return None
    allowed = "、".join(s.label for s in Status if s in transition.sources)
    return f"当前状态为“{status.label}”，不能{transition.label}（仅在{allowed}时可以）。"


def check(action: Action, status: Status) -> None:
    reason = why_not(action, status)
    if reason is not None:
        raise TransitionError(reason)


def available(status: Status) -> dict[Action, str | None]:
    """Every action with None (allowed) or the reason it is not."""
    return {action: why_not(action, status) for action in Action}
