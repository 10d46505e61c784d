"""A new office's first start: what is missing, finishing the assistant in one transaction, the sample letter."""

from __future__ import annotations

from datetime import date

import pytest

from request_desk.core.errors import ValidationFailed
from request_desk.core.letters.sample import sample_letter
from request_desk.core.office import permissions, settings_view, setup, units, users
from request_desk.core.office.settings import OfficeSettings
from request_desk.core.storage import audit_view
from request_desk.core.storage.db import Database
from request_desk.core.vocab import Role
from tests.factories import OFFICE
from tests.support.pdf import pdf_text

PLAN = setup.SetupPlan(settings={**OFFICE, "document_number_pattern": "宿城府依复〔{year}〕{seq}号"},
                       admin_username="xiaozhang", admin_display_name="张晓",
                       units=("区教育局", "区民政局", "区教育局"))


def test_a_new_office_lacks_details_units_and_an_administrator(new_office: Database) -> None:
    missing = setup.what_is_missing(new_office, date(2026, 11, 27))
    assert [m.key for m in missing] == ["office_details", "units", "administrator"]
    assert "本机关名称、行政复议机关、管辖人民法院" in missing[0].what
    assert setup.needs_setup(new_office)
    # 2027 has no State Council notice in the bundled data yet: its due dates are provisional.
    assert [m.key for m in setup.what_is_missing(new_office, date(2027, 1, 4))][-1] == "holiday_notice"


def test_finishing_stores_settings_units_and_administrator_each_audited(empty_office: Database) -> None:
    setup.finish_setup(empty_office, PLAN, actor="xiaozhang", today=date(2026, 11, 27))
    assert setup.what_is_missing(empty_office, date(2026, 11, 27)) == []
    assert not setup.needs_setup(empty_office)
    assert settings_view.current(empty_office).format_document_number(2026, 1) == "宿城府依复〔2026〕1号"
    assert [u.name for u in units.list_units(empty_office)] == ["区教育局", "区民政局"]
    assert users.active_role(empty_office, "xiaozhang") is Role.ADMINISTRATOR
    actions = [r.action for r in audit_view.search(empty_office, audit_view.AuditQuery(user="xiaozhang"))]
    assert sorted(actions) == ["add_unit", "add_unit", "add_user", "update_settings"]


def test_a_refused_part_leaves_the_database_as_it_was(empty_office: Database) -> None:
    bad = setup.SetupPlan(settings={**OFFICE, "document_number_pattern": "宿城府依复〔{year}〕号"},
                          admin_username="xiaozhang", admin_display_name="张晓", units=("区教育局",))
    with pytest.raises(ValidationFailed, match="缺少序号"):
        setup.finish_setup(empty_office, bad, actor="xiaozhang")
    assert users.active_role(empty_office, "xiaozhang") is None
    assert units.list_units(empty_office) == []
    assert settings_view.current(empty_office) == OfficeSettings()


def test_an_existing_user_running_it_becomes_the_administrator(new_office: Database) -> None:
    plan = setup.SetupPlan(settings=OFFICE, admin_username="supervisor", admin_display_name="王主任")
    setup.finish_setup(new_office, plan, actor="supervisor")
    assert users.active_role(new_office, "supervisor") is Role.ADMINISTRATOR
    (entry,) = audit_view.search(new_office, audit_view.AuditQuery(action="set_user_role"))
    assert (entry.old, entry.new) == ({"role": "supervisor"}, {"role": "administrator"})


def test_once_there_is_an_administrator_only_they_may_run_it_again(empty_office: Database) -> None:
    setup.finish_setup(empty_office, PLAN, actor="xiaozhang")
    again = setup.SetupPlan(settings={"agency_name": "别的机关"}, admin_username="supervisor",
                            admin_display_name="王主任")
    with pytest.raises(permissions.PermissionDenied):
        setup.finish_setup(empty_office, again, actor="supervisor")
    assert settings_view.current(empty_office).agency_name == OFFICE["agency_name"]
    setup.finish_setup(empty_office, PLAN, actor="xiaozhang")  # the administrator may, and no unit is doubled
    assert len(units.list_units(empty_office)) == 2


def test_the_sample_letter_prints_the_details_not_yet_saved(new_office: Database) -> None:
    conf = OfficeSettings(**{**OFFICE, "document_number_pattern": "宿城府依复〔{year}〕{seq}号"})
    text = pdf_text(sample_letter(new_office, conf, date(2026, 11, 27))).replace("\n", "")
    for expected in ("宿城府依复〔2026〕1号", "宿迁市宿城区人民政府申请行政复议", "宿迁市宿城区人民法院提起行政诉讼",
                     "宿迁市宿城区人民政府办公室"):
        assert expected in text
    assert settings_view.current(new_office) == OfficeSettings()  # a preview stores nothing


def test_in_an_office_with_users_but_no_administrator_only_a_supervisor_sets_it_up(new_office: Database) -> None:
    with pytest.raises(permissions.PermissionDenied, match="须由在用的负责人账户操作"):
        setup.finish_setup(new_office, PLAN, actor="clerk-or-stranger", today=date(2026, 11, 27))
    assert setup.needs_setup(new_office) and users.active_role(new_office, "xiaozhang") is None
    setup.finish_setup(new_office, PLAN, actor="supervisor", today=date(2026, 11, 27))
    assert users.active_role(new_office, "xiaozhang") is Role.ADMINISTRATOR
