"""What the signed-in user's role may not do is greyed out, saying why (issue 16, point 4).

The GUI asks the core's permission table; these tests open the real pages as a clerk and
as the office's head and compare. The core refuses the same actions whatever the GUI
shows (tests/core/test_permission_table.py).
"""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from request_desk.core.cases.workflow import Action
from request_desk.gui.context import DeskContext
from request_desk.gui.pages.backup_panel import BackupPanel
from tests import factories
from tests.support.gui import case_window


def as_user(ctx: DeskContext, user: str) -> DeskContext:
    return DeskContext(db=ctx.db, user=user, today=ctx.today, signals=ctx.signals)


def test_a_clerk_sees_the_extension_greyed_and_the_supervisor_may_approve_it(qtbot: QtBot, ctx: DeskContext) -> None:
    rid = factories.register(ctx.db, date(2026, 11, 2))
    clerk = case_window(qtbot, ctx, rid)
    extend = clerk.action_buttons[Action.EXTEND]
    assert extend.reason == "延期答复须由负责人或管理员操作。" and extend.toolTip() == extend.reason
    assert clerk.action_buttons[Action.REPLY].reason is None  # the clerk's own work stays open
    head = case_window(qtbot, as_user(ctx, "supervisor"), factories.register(ctx.db, date(2026, 11, 3)))
    assert head.action_buttons[Action.EXTEND].reason is None


def test_backups_and_restores_are_greyed_for_a_clerk(qtbot: QtBot, ctx: DeskContext) -> None:
    clerk = BackupPanel(ctx)
    qtbot.addWidget(clerk)
    for button in (clerk.backup_now, clerk.backup_to_file, clerk.restore_selected, clerk.restore_file, clerk.keep):
        assert not button.isEnabled() and "管理员" in button.toolTip()
    head = BackupPanel(as_user(ctx, "supervisor"))  # the template office has no administrator: its head stands in
    qtbot.addWidget(head)
    assert head.backup_now.isEnabled() and head.restore_file.isEnabled()
