"""审计日志: the append-only audit log, per case and searchable by administrators."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from request_desk.core.cases import case_file
from request_desk.core.errors import DeskError
from request_desk.core.office import users
from request_desk.core.storage import audit_view
from request_desk.core.vocab import Role, Status
from request_desk.gui.context import DeskContext
from request_desk.gui.widgets.common import to_qdate

HEADERS = ["时间", "用户", "操作", "对象", "变更内容"]
PAGE = 200


# The fields clerks recognise, in their words; others keep their column name.
FIELD_LABELS = {
    "status": "状态", "outcome_code": "办理结果", "due_date": "答复期限", "due_provisional": "期限暂定",
    "supplement_due_date": "补正告知期限", "reply_date": "答复日期", "delivered_date": "送达日期",
    "current_unit_id": "承办单位", "applicant_name": "申请人", "description": "申请内容", "name": "名称",
    "received_date": "收到日期", "reg_number": "登记编号", "supplemented_date": "补正日期",
    "supplement_notice_date": "补正告知日期", "later_date": "另行确定的期限", "replied_on_time": "按期答复",
    "closed_date": "归档日期", "phone": "联系电话", "id_number": "证件号码",
    "supplement_deadline": "补正期限", "reply_summary": "答复摘要", "later_date_reason": "另行确定期限的理由",
    "delivery_channel": "送达方式", "delivery_proof": "送达凭证", "supplement_notice_late": "补正告知逾期",
    "repeat_of_id": "重复申请所指", "applicant_type": "申请人类型", "channel": "申请方式", "note": "备注",
}


def _value(key: str, value: object) -> str:
    if key == "status" and isinstance(value, str) and value in Status.__members__.values():
        return Status(value).label
    return _short(value)


def describe_change(row: audit_view.AuditRow, limit: int = 8) -> str:
    """“状态：已登记 → 已答复；办理结果：— → 1” — what changed, briefly."""
    old, new = row.old or {}, row.new or {}
    keys = [k for k in new if k not in ("updated_at", "version", "created_at")] or list(old)
    parts = [f"{FIELD_LABELS.get(k, k)}：{_value(k, old.get(k))} → {_value(k, new.get(k))}" for k in keys[:limit]]
    if len(keys) > limit:
        parts.append(f"等 {len(keys)} 项")
    if row.replaced_file:  # the record itself was discarded by a restore; the entry was kept
        parts.insert(0, f"〔恢复备份前的记录，原数据库副本 {row.replaced_file}〕")
    return "；".join(parts)


def _short(value: object) -> str:
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def fill_audit_table(table: QTableWidget, rows: list[audit_view.AuditRow]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        table_label = case_file.TABLE_LABELS.get(row.table_name, row.table_name)
        record = f"{table_label} #{row.record_id}" if row.record_id is not None else table_label
        values = [row.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), row.user, case_file.audit_label(row.action),
                  record, describe_change(row)]
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if c == 4:
                item.setToolTip(value)
            table.setItem(r, c, item)


def audit_table() -> QTableWidget:
    table = QTableWidget(0, len(HEADERS))
    table.setHorizontalHeaderLabels(HEADERS)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    for column, width in enumerate((150, 90, 150, 130)):
        table.setColumnWidth(column, width)
    return table


class AuditPanel(QWidget):
    """An administrator's search over the whole audit log (others see why they cannot)."""

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.user = QLineEdit()
        self.user.setPlaceholderText("用户名")
        self.text = QLineEdit()
        self.text.setPlaceholderText("内容包含（姓名、证件号、登记编号…）")
        self.use_dates = QCheckBox("日期")
        today = to_qdate(ctx.today())
        self.since, self.until = QDateEdit(today.addMonths(-1)), QDateEdit(today)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.search_button = QPushButton("查询")
        self.search_button.clicked.connect(self.search)
        self.text.returnPressed.connect(self.search)
        self.more_button = QPushButton("更多…")
        self.more_button.clicked.connect(self.more)
        self.table = audit_table()
        self.message = QLabel()
        bar = QHBoxLayout()
        for w in (self.user, self.text, self.use_dates, self.since, QLabel("至"), self.until, self.search_button):
            bar.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.message, 1)
        footer.addWidget(self.more_button)
        layout.addLayout(footer)
        self.rows: list[audit_view.AuditRow] = []
        self.apply_role()
        ctx.signals.users_changed.connect(self.apply_role)  # made administrator: search at once

    def apply_role(self) -> None:
        self.allowed = users.active_role(self.ctx.db, self.ctx.user) is Role.ADMINISTRATOR
        for w in (self.user, self.text, self.use_dates, self.since, self.until, self.search_button, self.more_button):
            w.setEnabled(self.allowed)
        self.message.setText(
            "" if self.allowed else "只有管理员可以查询全部审计日志；每件申请的审计记录可在案件窗口中查看。"
        )

    def query(self) -> audit_view.AuditQuery:
        dated = self.use_dates.isChecked()
        return audit_view.AuditQuery(
            user=self.user.text().strip(), text=self.text.text().strip(),
            since=self.since.date().toPython() if dated else None,  # type: ignore[arg-type]
            until=self.until.date().toPython() if dated else None,  # type: ignore[arg-type]
        )

    def search(self) -> None:
        self.rows = []
        self.more()

    def more(self) -> None:
        try:
            page = audit_view.search(self.ctx.db, self.query(), offset=len(self.rows), limit=PAGE)
        except DeskError as exc:
            self.message.setText(str(exc))
            return
        self.rows += page
        fill_audit_table(self.table, self.rows)
        self.message.setText(f"已显示 {len(self.rows)} 条" + ("，点“更多…”继续" if len(page) == PAGE else ""))

