"""A read model of one case for the case view: plain, detached dataclasses.

One short read session loads the header (with the legal clock as of today),
the details, what the application lacks (``missing``), the timeline of events,
pauses, assignments, calls and remedies;
the GUI never holds live ORM objects.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlmodel import Session, col, select

from request_desk.core.cases import attachments, calls, corrections, remedies, undo, unit_work
from request_desk.core.cases.calls import CallRow
from request_desk.core.cases.lookup import load_request
from request_desk.core.cases.registration import missing_in
from request_desk.core.cases.validation import Missing
from request_desk.core.cases.workflow import Action
from request_desk.core.deadlines.case_clock import clock_for, consultation_deadline_of
from request_desk.core.deadlines.remedy_windows import RemedyWindows
from request_desk.core.letters.issuing import EVENT_ISSUED
from request_desk.core.masking import mask_id_number
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import (
    Assignment,
    Event,
    Extension,
    HandlingUnit,
    Pause,
    Request,
    User,
)
from request_desk.core.vocab import (
    OUTCOMES_BY_CODE,
    ApplicantType,
    Channel,
    ConsultationAnswer,
    PauseKind,
    RemedyKind,
    RemedyResult,
    Status,
)

__all__ = [
    "AssignmentRow",
    "CaseHeader",
    "CaseRecord",
    "EventRow",
    "PauseRow",
    "RemedyRow",
    "clock_explanation",
    "event_label",
    "find_request_id",
    "load_case",
]

EVENT_LABELS: dict[str, str] = {
    "registered": "登记",
    **{a.value: a.label for a in Action},
    Action.RECORD_SEARCH.value: "检索记录",
    calls.EVENT_KIND: "电话回访",
    "remedy_filed": "申请人寻求救济",
    "remedy_result": "复议/诉讼结果",
    "letter_issued": "发文",
    "letter_delivery": "文书送达",
    # letters/review.py (审核后签发)
    "letter_submitted": "提交审核",
    "letter_sent_back": "退回修改",
    "letter_approved": "审核通过并签发",
    corrections.EVENT_KIND: "更正登记信息",
    undo.EVENT_KIND: "撤销办理步骤",
    unit_work.EVENT_KIND: "承办单位反馈",
    attachments.EVENT_KIND: "添加附件",
}


CORRECTION_KINDS = frozenset({corrections.EVENT_KIND, undo.EVENT_KIND})


def event_label(kind: str) -> str:
    return EVENT_LABELS.get(kind, kind)


# Audit-log actions that are not case steps (case steps use EVENT_LABELS).
# tests/core/test_audit_labels.py checks that every action written has a label.
AUDIT_LABELS: dict[str, str] = {
    "register": "登记",
    "recompute_due_date": "重算答复期限",
    "calendar_import": "导入放假通知",
    "add_unit": "新增承办单位",
    "update_unit": "修改承办单位",
    "import_unit": "导入时新增承办单位",
    "add_user": "新增用户",
    "sign_in": "登录",
    "sign_in_failed": "登录失败",
    "lock_out": "账户锁定",
    "reset_password": "重置密码",
    "change_password": "修改密码",
    "update_user": "修改用户姓名",
    "set_user_role": "更改用户角色",
    "deactivate_user": "停用用户",
    "activate_user": "启用用户",
    "update_settings": "修改设置",
    "set_office_file": "修改本机关的文书模板、收费标准或相似度词表",
    "reset_office_file": "恢复软件自带的文书模板、收费标准或相似度词表",
    "import_office_file": "将本机文书模板、收费标准或相似度词表移入数据库",
    "full_personal_data_export": "导出完整个人信息",
    "demo_data": "生成演示数据",
    "import": "从历史台账导入",
    "import_file": "导入历史台账文件",
    "import_profile": "保存台账列对应方案",
    "lock_month": "锁定月度台账",
    "log_call": "电话回访",
    "add_remedy": "登记复议/诉讼",
    "set_remedy_result": "登记复议/诉讼结果",
    "issue_letter": "签发文书",
    "dispatch_letter": "文书寄出/送出",
    "letter_signed": "文书签收",
    "letter_returned": "文书退回",
    "submit_letter": "提交文书审核",
    "return_letter": "文书退回修改",
    "approve_letter": "文书审核通过并签发",
    "link_same_subject": "关联为同一事项",
    "publication_raise": "提请主动公开",
    "publication_cover": "并入主动公开事项",
    "publication_review": "主动公开审核通过",
    "publication_publish": "登记已主动公开",
    "publication_decline": "不予主动公开",
    "backup_policy": "修改备份设置",
    "restore_backup": "从备份恢复",
}

# What an audit entry is about, in the clerk's words.
TABLE_LABELS: dict[str, str] = {
    "request": "申请", "handlingunit": "承办单位", "user": "用户", "calendaryear": "放假安排",
    "letter": "文书", "letter_review": "文书审核", "letterdelivery": "文书送达", "satisfactioncall": "电话回访",
    "remedycase": "复议诉讼", "assignment": "分办记录", "search_record": "检索记录", "attachment": "附件",
    "publicationflag": "主动公开事项", "request_link": "申请关联", "setting": "设置", "database": "数据库",
    "monthly_register": "月度登记台账", "month": "月度台账", "requests": "申请",
    "office_file": "文书模板、收费标准或相似度词表",
}


def audit_label(action: str) -> str:
    return AUDIT_LABELS.get(action) or event_label(action)


@dataclass(frozen=True)
class CaseHeader:
    request_id: int
    reg_number: str
    version: int
    status: Status
    applicant_name: str
    applicant_type: ApplicantType
    received_date: date
    due_date: date | None
    due_provisional: bool
    workdays_left: int | None  # None once the case no longer waits for a reply
    colour: str  # green / amber / red, or "" when closed
    clock_stopped: bool
    extended: bool
    supplement_notice_due: date | None  # Art. 30: notice due 7 working days after receipt
    supplement_deadline: date | None  # the applicant's deadline to supplement
    reply_date: date | None
    replied_on_time: bool | None
    outcome_code: str | None
    current_unit_id: int | None
    current_unit: str
    delivery_method: str
    workdays_used: int | None = None  # the reply's working days, pauses left out (step_machinery.measure_reply)
    # An open consultation whose deadline has passed: what the clerk is told (else '').
    consultation_warning: str = ""

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def outcome_label(self) -> str:
        if not self.outcome_code:
            return ""
        return f"{self.outcome_code} {OUTCOMES_BY_CODE[self.outcome_code].label}"


@dataclass(frozen=True)
class EventRow:
    id: int
    on_date: date
    at: datetime
    kind: str
    label: str
    user: str  # display name where known
    note: str
    undone: bool = False  # a supervisor took this step back since (cases/undo.py)

    @property
    def shown_label(self) -> str:
        return f"{self.label}（已撤销）" if self.undone else self.label


@dataclass(frozen=True)
class PauseRow:
    kind: str
    label: str
    start: date
    end: date | None
    counterpart: str
    note: str
    # Consultations (docs/domain.md, "Pauses"): the consulted side's receipt (recorded or
    # presumed), its deadline, whether that has passed and what follows, and the answer.
    received: date | None = None
    received_presumed: bool = False
    consultation_due: date | None = None
    lapsed: bool = False
    co_producer: bool = False
    consequence: str = ""
    answer: str = ""
    answer_label: str = ""
    objection: str = ""
    consultation: str = ""  # the whole account in one sentence, as the case view shows it


@dataclass(frozen=True)
class AssignmentRow:
    unit: str
    assigned: date
    internal_due: date | None
    ended: date | None
    assigned_by: str
    note: str
    # The unit's latest report (承办单位反馈, cases/unit_work.py): text, date, who recorded it.
    report: str = ""
    reported: date | None = None
    reported_by: str = ""


@dataclass(frozen=True)
class RemedyRow:
    id: int
    kind: RemedyKind
    filed: date
    body: str
    result: RemedyResult
    result_date: date | None
    note: str
    within_window: bool | None = None  # filed within its window from the reply's delivery (None: unknown)


@dataclass(frozen=True)
class CaseRecord:
    header: CaseHeader
    details: tuple[tuple[str, str], ...]  # (Chinese label, value) in form order
    events: tuple[EventRow, ...]
    pauses: tuple[PauseRow, ...]
    assignments: tuple[AssignmentRow, ...]
    calls: tuple[CallRow, ...]
    remedies: tuple[RemedyRow, ...]
    # What the application lacks that a supplement can supply, from the row as it stands
    # (条例第三十条; docs/domain.md, "Registration and identity").
    missing: tuple[Missing, ...]
    # Letters issued before the record was last corrected or a step undone: they keep their
    # text and are shown as issued before the correction (docs/domain.md, "Corrections").
    letters_before_correction: frozenset[int] = frozenset()
    # The windows to seek reconsideration or litigation from the reply's delivery; None before
    # the reply (docs/domain.md, "Remedy windows").
    remedy: RemedyWindows | None = None

    @property
    def missing_note(self) -> str:
        """One line for the case view: what is missing, and whether the one notice has gone out."""
        if not self.missing:
            return ""
        if self.header.supplement_deadline is None:  # no supplement notice yet
            return "申请材料不全：" + "；".join(f"{m.message}（未填写{m.detail}）" for m in self.missing)
        return "申请材料不全（已发出补正告知）：" + "；".join(f"缺少{m.item}（未填写{m.detail}）" for m in self.missing)


def _names(session: Session) -> dict[str, str]:
    return {u.username: u.display_name for u in session.exec(select(User)).all()}


def _details(r: Request) -> tuple[tuple[str, str], ...]:
    kind = ApplicantType(r.applicant_type)
    rows: list[tuple[str, str]] = [
        ("登记编号", r.reg_number),
        ("申请方式", Channel(r.channel).label),
        ("收到申请日期", r.received_date.isoformat()),
        ("申请人类型", kind.label),
        ("单位名称" if kind.is_organisation else "申请人姓名", r.applicant_name),
    ]
    if kind.is_organisation:
        rows += [("统一社会信用代码", r.credit_code), ("联系人", r.contact_person)]
    if r.id_number:
        # Every document number is personal data, not only resident IDs.
        masked = mask_id_number(r.id_number) if r.id_type == "resident_id" else _mask_tail(r.id_number)
        rows.append(("证件号码", masked))
    rows += [
        ("联系电话", r.phone),
        ("通信地址", r.address),
        ("邮政编码", r.postal_code),
        ("电子邮箱", r.email),
        ("所需信息描述", r.description),
        ("用途", r.purpose),
        ("提供形式", r.preferred_form),
        ("获取方式", r.delivery_method),
    ]
    if r.supplement_notice_date:
        rows.append(("补正告知日期", r.supplement_notice_date.isoformat()))
    if r.supplement_deadline:
        rows.append(("补正期限", r.supplement_deadline.isoformat()))
    if r.supplemented_date:
        rows.append(("收到补正日期", r.supplemented_date.isoformat()))
    if r.later_date:
        rows.append(("另行确定的答复期限", f"{r.later_date.isoformat()}（{r.later_date_reason}）"))
    if r.outcome_code:
        rows.append(("办理结果", f"{r.outcome_code} {OUTCOMES_BY_CODE[r.outcome_code].label}"))
    if r.reply_date:
        on_time = "" if r.replied_on_time is None else ("（按期" if r.replied_on_time else "（逾期")
        if on_time:
            on_time += f"，用时{r.workdays_used}个工作日）" if r.workdays_used is not None else "）"
        rows.append(("答复日期", r.reply_date.isoformat() + on_time))
    if r.reply_summary:
        rows.append(("答复摘要", r.reply_summary))
    if r.delivered_date:
        rows.append(("送达", f"{r.delivered_date.isoformat()} {r.delivery_channel} {r.delivery_proof}".strip()))
    if r.note:
        rows.append(("备注", r.note))
    return tuple((label, value) for label, value in rows if value)


def _mask_tail(number: str) -> str:
    """Passports and permits: keep the first two and last two characters."""
    return number if len(number) <= 4 else number[:2] + "*" * (len(number) - 4) + number[-2:]


def load_case(db: Database, request_id: int, today: date) -> CaseRecord:
    """Everything the case view shows, as of ``today``."""
    with db.read() as session:
        r = load_request(session, request_id)
        assert r.id is not None
        status = Status(r.status)
        clock = clock_for(session, r, today)
        names = _names(session)
        unit_names = {u.id: u.name for u in session.exec(select(HandlingUnit)).all()}
        extended = session.exec(select(Extension).where(Extension.request_id == r.id)).first() is not None
        header = CaseHeader(
            request_id=r.id, reg_number=r.reg_number, version=r.version, status=status,
            applicant_name=r.applicant_name, applicant_type=ApplicantType(r.applicant_type),
            # An open case shows the live clock (a running pause moves the date daily).
            received_date=r.received_date, due_date=clock.reply_due if status.is_open else r.due_date,
            due_provisional=clock.provisional if status.is_open else r.due_provisional,
            workdays_left=clock.workdays_left if status.is_open else None,
            colour=clock.colour if status.is_open else "",
            clock_stopped=clock.clock_stopped and status.is_open,
            extended=extended, supplement_notice_due=r.supplement_due_date,
            supplement_deadline=r.supplement_deadline, reply_date=r.reply_date,
            replied_on_time=r.replied_on_time, outcome_code=r.outcome_code,
            current_unit_id=r.current_unit_id,
            current_unit=unit_names.get(r.current_unit_id, "") if r.current_unit_id else "",
            delivery_method=r.delivery_method, workdays_used=r.workdays_used,
        )
        undone = undo.undone_event_ids(session, r.id)
        stored = session.exec(
            select(Event).where(Event.request_id == r.id).order_by(col(Event.on_date), col(Event.id))).all()
        events = tuple(
            EventRow(e.id or 0, e.on_date, e.at, e.kind, event_label(e.kind), names.get(e.user, e.user), e.note,
                     e.id in undone)
            for e in stored
        )
        # By event id, not time: a letter and the correction after it may share a second.
        last_correction = max((e.id or 0 for e in stored if e.kind in CORRECTION_KINDS), default=0)
        before_correction = frozenset(int(e.data["letter_id"]) for e in stored  # type: ignore[call-overload]
                                      if e.kind == EVENT_ISSUED and e.data and (e.id or 0) < last_correction)
        pauses = tuple(
            _pause_row(session, p, today)
            for p in session.exec(
                select(Pause).where(Pause.request_id == r.id).order_by(col(Pause.start_date), col(Pause.id))
            ).all()
        )
        warning = next((f"{p.label}（{p.counterpart}）：{p.consultation}登记其意见或逾期未提出意见后结束暂停。"
                        for p in pauses if p.end is None and p.lapsed), "")
        if status.is_open and warning:
            header = replace(header, consultation_warning=warning)
        assignments = tuple(
            AssignmentRow(unit_names.get(a.unit_id, str(a.unit_id)), a.assigned_date, a.internal_due_date,
                          a.ended_date, names.get(a.assigned_by, a.assigned_by), a.note, a.unit_report,
                          a.reported_date, names.get(a.reported_by, a.reported_by))
            for a in session.exec(
                select(Assignment).where(Assignment.request_id == r.id)
                .order_by(col(Assignment.assigned_date), col(Assignment.id))
            ).all()
        )
        details = _details(r)
        missing = tuple(missing_in(r))
        windows = remedies.windows_of(session, r)
    call_rows = tuple(calls.calls_for(db, request_id))
    remedy_rows = tuple(
        RemedyRow(m.id or 0, RemedyKind(m.kind), m.filed_date, m.body, RemedyResult(m.result), m.result_date, m.note,
                  m.within_window)
        for m in remedies.remedies_for(db, request_id)
    )
    return CaseRecord(header, details, events, pauses, assignments, call_rows, remedy_rows, missing, before_correction,
                      windows)


def _pause_row(session: Session, p: Pause, today: date) -> PauseRow:
    kind = PauseKind(p.kind)
    deadline = consultation_deadline_of(session, p)
    if deadline is None:
        return PauseRow(p.kind, kind.label, p.start_date, p.end_date, p.counterpart, p.note)
    answer = ConsultationAnswer(p.answer) if p.answer else None
    lapsed = deadline.lapsed(today) and (p.end_date is None or p.end_date > deadline.due)
    account = deadline.describe(today) if lapsed or p.end_date is None else \
        f"{deadline.receipt_text()}；征求意见期限至 {deadline.due.isoformat()}。"
    if answer is not None:
        account += f"意见：{answer.label}" + (f"，理由：{p.objection}" if p.objection else "") + "。"
    return PauseRow(p.kind, kind.label, p.start_date, p.end_date, p.counterpart, p.note,
                    received=deadline.received, received_presumed=deadline.presumed,
                    consultation_due=deadline.due, lapsed=lapsed, co_producer=deadline.co_producer,
                    consequence=deadline.consequence, answer=p.answer,
                    answer_label=answer.label if answer is not None else "", objection=p.objection,
                    consultation=account)


def clock_explanation(db: Database, request_id: int, today: date) -> str:
    """The legal clock's day-by-day explanation (期限计算说明)."""
    with db.read() as session:
        r = load_request(session, request_id)
        return clock_for(session, r, today).explain_text()


def find_request_id(db: Database, reg_number: str) -> int | None:
    """The id of the request with this registration number, if any."""
    with db.read() as session:
        return session.exec(select(Request.id).where(Request.reg_number == reg_number.strip())).first()
