"""承办单位 and 设置 pages on a real database."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from request_desk.core.deadlines import holidays
from request_desk.core.office import settings as office_settings
from request_desk.core.office import settings_change, units, users
from request_desk.core.office.permissions import PermissionDenied
from request_desk.core.vocab import Role, UnitLevel
from request_desk.gui.context import DeskContext
from request_desk.gui.pages.settings import SettingsPage
from request_desk.gui.pages.units import UnitDialog, UnitsPage
from tests.factories import OFFICE

NOTICE = Path(__file__).parent.parent / "data" / "notice-2027-sample.csv"


def test_units_page_shows_the_hierarchy(qtbot: QtBot, ctx: DeskContext) -> None:
    city = units.add_unit(ctx.db, units.UnitData("宿迁市人民政府", UnitLevel.CITY), actor="supervisor")
    units.add_unit(ctx.db, units.UnitData("市财政局", UnitLevel.DEPARTMENT, parent_id=city.id), actor="supervisor")
    units.add_unit(ctx.db, units.UnitData("旧单位", UnitLevel.DEPARTMENT, active=False), actor="supervisor")
    page = UnitsPage(ctx)
    qtbot.addWidget(page)
    top = [page.tree.topLevelItem(i).text(0) for i in range(page.tree.topLevelItemCount())]
    assert top == ["宿迁市人民政府"]
    assert page.tree.topLevelItem(0).child(0).text(0) == "市财政局"
    page.show_inactive.setChecked(True)
    assert page.tree.topLevelItemCount() == 2
    # The units are office settings: a clerk sees them, greyed to change (the core refuses anyway).
    assert not page.add_button.isEnabled() and "管理员" in page.add_button.toolTip()
    with pytest.raises(PermissionDenied):
        units.add_unit(ctx.db, units.UnitData("市民政局", UnitLevel.DEPARTMENT), actor=ctx.user)


def test_unit_dialog_keeps_input_on_error_and_saves(qtbot: QtBot, head: DeskContext) -> None:
    dialog = UnitDialog(head, [], None)
    qtbot.addWidget(dialog)
    dialog.name.setText("市教育局")
    dialog.phone.setText("12")
    dialog.save()
    assert dialog.saved is None and dialog.error.text()  # bad phone: message shown
    assert dialog.name.text() == "市教育局"  # nothing typed is lost
    dialog.phone.setText("0527-84352233")
    dialog.save()
    assert dialog.saved is not None
    assert [u.name for u in units.list_units(head.db)] == ["市教育局"]


def test_office_settings_are_saved_and_bad_patterns_refused(qtbot: QtBot, ctx: DeskContext) -> None:
    clerk_page = SettingsPage(ctx)
    qtbot.addWidget(clerk_page)
    assert "只有负责人或管理员" in clerk_page.office.message.text()
    assert not clerk_page.office.editors["agency_name"].isEnabled()
    page = SettingsPage(DeskContext(db=ctx.db, user="supervisor", today=ctx.today))
    qtbot.addWidget(page)
    form = page.office
    form.editors["agency_name"].setText("宿迁市人民政府办公室")  # type: ignore[attr-defined]
    form.editors["registration_pattern"].setText("{year}")  # type: ignore[attr-defined]
    form.save()
    assert "seq" in form.message.text()
    with ctx.db.read() as s:
        assert office_settings.load(s).agency_name == OFFICE["agency_name"]  # nothing saved
    form.editors["registration_pattern"].setText("宿申〔{year}〕{seq}号")  # type: ignore[attr-defined]
    form.save()
    with ctx.db.read() as s:
        saved = office_settings.load(s)
    assert (saved.agency_name, saved.registration_pattern) == ("宿迁市人民政府办公室", "宿申〔{year}〕{seq}号")


def test_settings_saved_elsewhere_never_overwrite_what_is_being_typed(qtbot: QtBot, ctx: DeskContext) -> None:
    head = DeskContext(db=ctx.db, user="supervisor", today=ctx.today)
    page = SettingsPage(head)
    qtbot.addWidget(page)
    form = page.office
    form.editors["contact_person"].setText("李晓（未保存）")  # type: ignore[attr-defined]
    # Meanwhile the setup assistant (or another form) saves the agency name and the phone.
    settings_change.update_settings(ctx.db, "supervisor", {"agency_name": "宿城区人民政府办公室",
                                                           "contact_phone": "0527-84371234"}, today=ctx.today())
    head.signals.settings_changed.emit()
    assert form.editors["agency_name"].text() == "宿城区人民政府办公室"  # type: ignore[attr-defined]
    assert form.editors["contact_phone"].text() == "0527-84371234"  # type: ignore[attr-defined]
    assert form.editors["contact_person"].text() == "李晓（未保存）"  # type: ignore[attr-defined]


def test_the_fee_payment_method_is_a_setting_with_an_example(qtbot: QtBot, ctx: DeskContext) -> None:
    # docs/domain.md, "Fees": the way to pay is office data, printed on the fee notice.
    page = SettingsPage(DeskContext(db=ctx.db, user="supervisor", today=ctx.today))
    qtbot.addWidget(page)
    editor = page.office.editors["fee_payment_method"]
    assert isinstance(editor, QLineEdit) and editor.text() == ""
    assert "非税收入统一缴款平台" in editor.toolTip()
    way = "通过江苏省非税收入统一缴款平台缴纳（缴款码随本通知书送达）"
    editor.setText(way)
    page.office.save()
    with ctx.db.read() as s:
        assert office_settings.load(s).fee_payment_method == way


@pytest.fixture
def head(ctx: DeskContext) -> DeskContext:
    """The office's head: the supervisor, who holds the administrator's permissions while it has none."""
    return DeskContext(db=ctx.db, user="supervisor", today=ctx.today, signals=ctx.signals)


def test_calendar_panel_imports_a_notice_in_the_background(qtbot: QtBot, head: DeskContext) -> None:
    page = SettingsPage(head)
    qtbot.addWidget(page)
    panel = page.calendar
    panel.year.setCurrentIndex(panel.year.findData(2027))
    assert "暂定" in panel.source.text()
    panel.import_file(NOTICE)
    qtbot.waitUntil(lambda: "已导入2027年" in panel.status.text(), timeout=10_000)
    assert "国务院通知" in panel.source.text()
    days = {panel.days.item(r, 0).text(): panel.days.item(r, 1).text() for r in range(panel.days.rowCount())}
    assert days["2027-01-09"] == "上班" and days["2027-02-05"] == "放假"
    with head.db.read() as s:
        assert holidays.calendar(s).source_of(2027) == "admin"



def test_a_notice_saved_by_excel_as_gb18030_imports_as_on_the_command_line(qtbot: QtBot, head: DeskContext,
                                                                         tmp_path: Path) -> None:
    # Chinese Excel saves CSV as GB18030; the panel reads it as `request-desk calendar import` does.
    saved = tmp_path / "通知.csv"
    saved.write_bytes(NOTICE.read_text(encoding="utf-8-sig").encode("gb18030"))
    page = SettingsPage(head)
    qtbot.addWidget(page)
    panel = page.calendar
    panel.import_file(saved)
    qtbot.waitUntil(lambda: "已导入2027年" in panel.status.text(), timeout=10_000)
    with head.db.read() as s:
        assert holidays.calendar(s).source_of(2027) == "admin"

def test_users_panel_lists_roles(qtbot: QtBot, ctx: DeskContext) -> None:
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    table = page.users.table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    assert ["supervisor", "王主任", "负责人", "在用"] in rows
    assert table.rowCount() == 2


def test_a_broken_notice_is_refused_with_a_chinese_message(qtbot: QtBot, head: DeskContext, tmp_path: Path) -> None:
    bad = tmp_path / "2027.csv"
    bad.write_text("2027-01-01,放假,元旦\n2027-13-01,放假,春节\n", encoding="utf-8")
    page = SettingsPage(head)
    qtbot.addWidget(page)
    page.calendar.import_file(bad)
    qtbot.waitUntil(lambda: "未导入任何数据" in page.calendar.status.text(), timeout=10_000)
    assert "第2行" in page.calendar.status.text()
    with head.db.read() as s:
        assert holidays.calendar(s).source_of(2027) == "provisional"


def test_audit_log_is_searchable_by_administrators_only(qtbot: QtBot, ctx: DeskContext) -> None:
    units.add_unit(ctx.db, units.UnitData("市民政局", UnitLevel.DEPARTMENT), actor="supervisor")
    clerk_page = SettingsPage(ctx)
    qtbot.addWidget(clerk_page)
    assert not clerk_page.audit.search_button.isEnabled() and "只有管理员" in clerk_page.audit.message.text()

    users.add_user(ctx.db, "admin", "赵管理", Role.ADMINISTRATOR, actor="supervisor")
    admin_page = SettingsPage(DeskContext(db=ctx.db, user="admin", today=ctx.today))
    qtbot.addWidget(admin_page)
    panel = admin_page.audit
    panel.text.setText("市民政局")
    panel.search()
    assert panel.table.rowCount() == 1
    assert panel.table.item(0, 2).text() == "新增承办单位"
    assert "市民政局" in panel.table.item(0, 4).text()


def test_after_an_import_the_panel_shows_the_imported_year(qtbot: QtBot, head: DeskContext) -> None:
    page = SettingsPage(head)
    qtbot.addWidget(page)
    panel = page.calendar
    assert panel.year.currentData() == head.today().year == 2026  # opens on this year
    panel.import_file(NOTICE)
    qtbot.waitUntil(lambda: "已导入2027年" in panel.status.text(), timeout=10_000)
    assert panel.year.currentText() == "2027"
    assert panel.source.text().startswith("2027年数据来源") and "国务院通知" in panel.source.text()
    assert panel.days.item(0, 0).text().startswith("2027-")


def test_a_day_that_does_not_exist_is_not_called_a_format_error(qtbot: QtBot, head: DeskContext,
                                                                tmp_path: Path) -> None:
    bad = tmp_path / "2027.csv"
    bad.write_text(NOTICE.read_text(encoding="utf-8-sig") + "2027-02-30,放假,春节\n", encoding="utf-8")
    page = SettingsPage(head)
    qtbot.addWidget(page)
    page.calendar.import_file(bad)
    qtbot.waitUntil(lambda: "未导入任何数据" in page.calendar.status.text(), timeout=10_000)
    text = page.calendar.status.text()
    assert "“2027-02-30”这一天不存在（2027年2月没有30日）" in text
    assert "格式" not in text


def test_a_clerk_sees_the_calendar_import_greyed_out_and_the_core_refuses_it(qtbot: QtBot, ctx: DeskContext,
                                                                          head: DeskContext) -> None:
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    assert not page.calendar.import_button.isEnabled()
    assert "管理员" in page.calendar.import_button.toolTip()
    page.calendar.import_file(NOTICE)  # what a click could not do: the core says no, and nothing is stored
    qtbot.waitUntil(lambda: "无权导入节假日安排" in page.calendar.status.text(), timeout=10_000)
    with ctx.db.read() as s:
        assert holidays.calendar(s).source_of(2027) == "provisional"
    head_page = SettingsPage(head)
    qtbot.addWidget(head_page)
    assert head_page.calendar.import_button.isEnabled()
