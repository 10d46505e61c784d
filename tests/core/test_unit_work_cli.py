"""``request-desk unit-work …``, ``user … --unit`` and a liaison on the command line (in-process)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from request_desk.cli import main
from request_desk.core.cases import unit_work
from request_desk.core.office import users
from request_desk.core.storage.db import Database
from request_desk.core.vocab import Role
from tests import factories
from tests.support import stored


class Desk:
    def __init__(self, path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.path = path
        self.capsys = capsys

    def run(self, *args: str, user: str = "liaison") -> tuple[int, str, str]:
        self.capsys.readouterr()
        try:
            code = main(["--db", str(self.path), "--user", user, *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = self.capsys.readouterr()
        return code, out.out, out.err

    def json(self, *args: str, user: str = "liaison") -> Any:
        code, out, err = self.run(*args, "--json", user=user)
        assert code == 0, err
        return json.loads(out)

    def refused(self, *args: str, says: str, user: str = "liaison") -> None:
        before = stored.dump(self.path)
        code, out, err = self.run(*args, user=user)
        assert (code, out) == (1, ""), (out, err)
        assert says in err, err
        assert stored.dump(self.path) == before


@pytest.fixture
def desk(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Desk:
    db = Database.open(db_path)
    try:
        education, finance = factories.add_unit(db, "市教育局"), factories.add_unit(db, "市财政局")
        factories.add_user(db, "liaison", "孙联络", Role.LIAISON, unit_id=education)
        factories.add_user(db, "admin", "赵管理", Role.ADMINISTRATOR)
        factories.assigned(db, education, on=date(2026, 10, 9))  # 2026-00001
        factories.assigned(db, finance, on=date(2026, 10, 9))  # 2026-00002
    finally:
        db.close()
    return Desk(db_path, capsys)


def test_a_liaison_lists_and_reports_on_its_units_work(desk: Desk) -> None:
    listed = desk.json("unit-work", "list")
    assert [(r["reg_number"], r["unit_name"], r["state_label"]) for r in listed] == [
        ("2026-00001", "市教育局", "待反馈")]
    code, out, err = desk.run("unit-work", "report", str(listed[0]["id"]), "--text", "已查到相关文件",
                              "--date", date.today().isoformat())
    assert code == 0, err
    assert "已登记办理情况：2026-00001" in out
    assert desk.json("unit-work", "list")[0]["report"] == "已查到相关文件"
    # The desk lists every unit's, or one unit's by name.
    assert len(desk.json("unit-work", "list", user="clerk")) == 2
    assert [r["unit_name"] for r in desk.json("unit-work", "list", "--unit", "市财政局", user="clerk")] == ["市财政局"]


def test_a_liaison_cannot_report_for_another_unit_nor_see_its_cases(desk: Desk) -> None:
    theirs = desk.json("unit-work", "list", "--unit", "市财政局", user="clerk")[0]["id"]
    desk.refused("unit-work", "report", str(theirs), "--text", "越权", says="本单位")
    desk.refused("unit-work", "list", "--unit", "市财政局", says="本单位")
    desk.refused("case", "show", "2026-00002", says="无权查看申请 2026-00002")
    code, out, err = desk.run("case", "show", "2026-00001")
    assert code == 0 and "2026-00001" in out, err


def test_a_liaison_runs_no_other_command(desk: Desk) -> None:
    for args in (("case", "actions", "2026-00001"), ("case", "do", "2026-00001", "reply", "--set", "outcome=1"),
                 ("user", "list"), ("register", "--month", "2026-10")):
        desk.refused(*args, says="承办单位联络员只能使用")


def test_users_get_a_unit_on_the_command_line(desk: Desk) -> None:
    code, out, err = desk.run("user", "add", "wang", "--name", "王联络", "--role", "liaison", "--unit", "市财政局",
                              "--initial-password", "start-123", user="admin")
    assert code == 0, err
    assert "承办单位联络员（市财政局）" in out
    desk.refused("user", "add", "li", "--name", "李联络", "--role", "liaison", "--initial-password", "start-123",
                 says="须指定其所在的承办单位", user="admin")
    desk.refused("user", "add", "li", "--name", "李联络", "--role", "liaison", "--unit", "没有这个局",
                 "--initial-password", "start-123", says="没有名为“没有这个局”的承办单位", user="admin")
    code, out, err = desk.run("user", "set-role", "clerk", "liaison", "--unit", "市教育局", user="admin")
    assert code == 0 and "承办单位联络员（市教育局）" in out, err
    code, out, _ = desk.run("user", "list", user="admin")
    assert "liaison\t孙联络\t承办单位联络员（市教育局）" in out
    code, _, err = desk.run("user", "set-role", "wang", "clerk", "--unit", "市财政局", user="admin")
    assert code == 2 and "--unit is for the role liaison" in err
    db = Database.open(desk.path)
    try:
        assert next(u for u in users.list_users(db) if u.username == "wang").unit_name == "市财政局"
        assert [r.unit_name for r in unit_work.unit_assignments(db, "clerk")] == ["市教育局"]  # now a liaison
    finally:
        db.close()
