"""The 主动公开 worklist page: transitions through the buttons and dialogs, filter, export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot
from sqlmodel import select

from request_desk.core.publication import worklist
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import AuditEntry, PublicationFlag
from request_desk.core.vocab import PublicationState
from request_desk.gui.context import DeskContext
from request_desk.gui.pages.publication import PublicationPage
from tests import factories

SUBJECTS = (
    ("申请公开宿城区2025年老旧小区改造项目的资金使用情况", "关于宿城区二〇二五年老旧小区改造项目资金使用情况的信息"),
    ("泗阳县2025年度城乡居民最低生活保障资金发放情况", "申请公开泗阳县2025年城乡低保资金发放情况"),
)


@pytest.fixture
def ctx(db: Database) -> DeskContext:
    """The worklist is decided by the office's head (approving and declining are a supervisor's)."""
    return DeskContext(db=db, user="supervisor", today=lambda: factories.TODAY)


def two_subjects(ctx: DeskContext) -> None:
    """Two subjects, each asked by two applicants and disclosed: two suggested flags."""
    for s, pair in enumerate(SUBJECTS):
        for i, text in enumerate(pair):
            factories.replied(ctx.db, "1", on=date(2026, 11, 20), received=date(2026, 10, 12 + s), description=text,
                              applicant_name=f"申请人{s}{i}", id_type="passport", id_number=f"P00000{s}{i}")


def page(qtbot: QtBot, ctx: DeskContext) -> PublicationPage:
    p = PublicationPage(ctx)
    qtbot.addWidget(p)
    p.show()
    return p


def states(ctx: DeskContext) -> list[str]:
    with ctx.db.read() as s:
        return [f.state for f in s.exec(select(PublicationFlag).order_by(PublicationFlag.id))]


def ok(qtbot: QtBot, ctx: DeskContext, dialog: object) -> None:
    with qtbot.waitSignal(ctx.signals.requests_changed):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),  # type: ignore[attr-defined]
                         Qt.MouseButton.LeftButton)


def test_worklist_review_publish_and_decline(qtbot: QtBot, ctx: DeskContext) -> None:
    two_subjects(ctx)
    p = page(qtbot, ctx)
    assert p.table.rowCount() == 2
    assert {p.table.item(r, 0).text() for r in range(2)} == {"待审核"}
    assert "2026-00001、2026-00002" in {p.table.item(r, 2).text() for r in range(2)}
    assert not any(b.isEnabled() for b in (p.review_button, p.publish_button, p.decline_button))

    first, second = (row.id for row in sorted(p.rows, key=lambda r: r.id))
    p.select_flag(first)
    assert p.review_button.isEnabled() and not p.publish_button.isEnabled() and p.decline_button.isEnabled()
    qtbot.mouseClick(p.review_button, Qt.MouseButton.LeftButton)
    assert states(ctx) == ["reviewed", "proposed"]
    p.select_flag(first)
    assert p.publish_button.isEnabled() and not p.review_button.isEnabled()

    dialog = p.publish_selected()
    assert dialog is not None
    link = dialog.fields["link"]
    assert isinstance(link, QLineEdit)
    link.setText("https://www.example.gov.cn/xxgk/2026/1.html")
    ok(qtbot, ctx, dialog)
    assert states(ctx) == ["published", "proposed"]
    assert [r.id for r in p.rows] == [second], "the default view shows what is still to do"

    p.select_flag(second)
    decline = p.decline_selected()
    assert decline is not None
    reason = decline.fields["reason"]
    assert isinstance(reason, QPlainTextEdit)
    qtbot.mouseClick(decline.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert decline.error_box is not None and "理由" in decline.error_box.text()  # refused, dialog stays
    decline.error_box.close()
    reason.setPlainText("涉及个人信息，不宜面向社会公开")
    ok(qtbot, ctx, decline)
    assert states(ctx) == ["published", "declined"]
    assert p.table.rowCount() == 0

    p.state_filter.setCurrentIndex(p.state_filter.findData("all"))
    assert [p.table.item(r, 0).text() for r in range(p.table.rowCount())] == ["已公开", "不予公开"]
    assert p.table.item(0, 7).text() == ctx.today().isoformat()
    assert "已转为主动公开1项" in p.summary.text() and "不予主动公开1项" in p.summary.text()
    with ctx.db.read() as s:
        actions = {a.action for a in s.exec(select(AuditEntry).where(AuditEntry.table_name == "publicationflag"))}
    assert {"publication_review", "publication_publish", "publication_decline"} <= actions


def test_filter_by_state_and_export_what_is_shown(qtbot: QtBot, ctx: DeskContext, tmp_path: Path) -> None:
    two_subjects(ctx)
    p = page(qtbot, ctx)
    p.select_flag(p.rows[0].id)
    qtbot.mouseClick(p.review_button, Qt.MouseButton.LeftButton)
    p.state_filter.setCurrentIndex(p.state_filter.findData(PublicationState.REVIEWED.value))
    assert p.table.rowCount() == 1 and p.table.item(0, 0).text() == "已审核"
    ws = load_workbook(p.export_to(tmp_path / "清单.xlsx")).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == "已审核"


def test_the_proposer_and_a_clerk_see_approval_greyed_with_the_reason(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = factories.replied(ctx.db, "1", on=date(2026, 11, 20), received=date(2026, 10, 12),
                               description=SUBJECTS[0][0], applicant_name="申请人", id_type="passport",
                               id_number="P0000001")
    worklist.raise_flag(ctx.db, rid, "supervisor", "涉及众多居民切身利益")
    own = page(qtbot, ctx)
    own.table.selectRow(0)
    assert not own.review_button.isEnabled() and "不能同时审核" in own.review_button.toolTip()
    assert not own.decline_button.isEnabled()
    clerk = page(qtbot, DeskContext(db=ctx.db, user="clerk", today=ctx.today))
    clerk.table.selectRow(0)
    assert not clerk.review_button.isEnabled() and "负责人" in clerk.review_button.toolTip()
