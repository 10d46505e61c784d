"""``request-desk case`` and ``request-desk settings``: a whole case driven from the command line.

The real entry point (``request_desk.cli.main``) runs in-process on a real
SQLite file, and once as a subprocess (``python -m request_desk``). A refusal
exits 1 with the rule in Chinese and leaves the database row for row as it
was; bad arguments exit 2.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from request_desk.cli import main
from request_desk.core.office import units
from request_desk.core.storage.db import Database
from request_desk.core.vocab import Role, UnitLevel
from tests import factories
from tests.support import stored

FORM = {"channel": "in_person", "received_date": "2026-09-28", "applicant_type": "自然人", "applicant_name": "张三",
        "id_number": "11010519491231002X", "phone": "13912345678", "address": "江苏省宿迁市宿城区幸福路1号",
        "description": "2025年本市老旧小区改造项目的资金使用情况"}


def form(**changes: str | None) -> list[str]:
    """``--set`` arguments of a registration form; a change to None leaves the field out."""
    values = {**FORM, **changes}
    return [arg for name, value in values.items() if value is not None for arg in ("--set", f"{name}={value}")]


REGISTRATION = form()


class Desk:
    """The command line on one database file, run in-process."""

    def __init__(self, path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.path = path
        self.capsys = capsys

    def run(self, *args: str, user: str = "clerk") -> tuple[int, str, str]:
        self.capsys.readouterr()
        try:
            code = main(["--db", str(self.path), "--user", user, *args])
        except SystemExit as exc:  # argparse's own refusals
            code = int(exc.code or 0)
        out = self.capsys.readouterr()
        return code, out.out, out.err

    def json(self, *args: str, user: str = "clerk") -> Any:
        code, out, err = self.run(*args, "--json", user=user)
        assert code == 0, err
        return json.loads(out)

    def do(self, step: str, on: str, *sets: str, user: str = "clerk") -> dict[str, Any]:
        args = ["case", "do", "2026-00001", step, "--date", on]
        for s in sets:
            args += ["--set", s]
        result: dict[str, Any] = self.json(*args, user=user)
        return result

    def dump(self) -> list[str]:
        return stored.dump(self.path)

    def refused(self, *args: str, rule: str, user: str = "clerk") -> None:
        """Exit 1, one Chinese line naming the rule, nothing written."""
        before = self.dump()
        code, out, err = self.run(*args, user=user)
        assert code == 1, (out, err)
        assert rule in err and len(err.strip().splitlines()) == 1, err
        assert self.dump() == before

    def bad(self, *args: str, says: str) -> None:
        """Exit 2, nothing written."""
        before = self.dump()
        code, _out, err = self.run(*args)
        assert code == 2 and says in err, err
        assert self.dump() == before


@pytest.fixture
def desk(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Desk:
    db = Database.open(db_path)
    units.add_unit(db, units.UnitData("市教育局", UnitLevel.DEPARTMENT), actor="supervisor")
    db.close()
    return Desk(db_path, capsys)


def test_a_whole_case_from_registration_to_delivery(desk: Desk) -> None:
    new = desk.json("case", "new", *REGISTRATION)
    assert (new["reg_number"], new["status"], new["due_date"], new["warnings"]) == (
        "2026-00001", "registered", "2026-10-30", [])

    r = desk.do("assign", "2026-09-29", "unit=市教育局")
    assert (r["status"], r["current_unit_id"], r["version"]) == ("in_progress", 1, 2)

    # Notice 30 Sep; 15 working days to supplement: 8-10 Oct (3, Sat 10 Oct a make-up day) | 12-16 (8) |
    # 19-23 (13) | 26-27 Oct (15).
    r = desk.do("request_supplement", "2026-09-30", "what=请说明所需信息的年份")
    assert (r["status"], r["supplement_deadline"], r["supplement_notice_late"]) == (
        "awaiting_supplement", "2026-10-27", False)

    # Supplemented Mon 12 Oct: 20 working days again, 13 Oct … 9 Nov.
    r = desk.do("receive_supplement", "2026-10-12")
    assert (r["status"], r["supplemented_date"], r["due_date"]) == ("supplemented", "2026-10-12", "2026-11-09")

    r = desk.do("start_pause", "2026-10-14", "kind=third_party", "counterpart=某置业公司")
    assert r["status"] == "paused" and r["due_date"] > "2026-11-09"  # an open pause runs until today (or its deadline)
    # The pause (14 Oct, 20 Oct] holds 4 working days: 9 Nov + 4 = 13 Nov.
    r = desk.do("end_pause", "2026-10-20", "answer=agreed")
    assert (r["status"], r["due_date"]) == ("supplemented", "2026-11-13")

    # Whether a step may be done depends on its day: on 21 Oct the extension is still possible, today
    # (after 13 Nov) it no longer is.
    actions = {a["step"]: a for a in desk.json("case", "actions", "2026-00001", "--date", "2026-10-21",
                                               user="supervisor")}
    assert actions["extend"]["allowed"] and actions["extend"]["reason"] is None
    today = {a["step"]: a for a in desk.json("case", "actions", "2026-00001", user="supervisor")}
    assert today["extend"]["reason"] == "答复期限 2026-11-13 已过，不能再延期（延期须在期限届满前批准并告知）。"
    assert {f["name"]: f["required"] for f in actions["extend"]["fields"]} == {"reason": True}
    assert actions["deliver"]["reason"] == "当前状态为“已补正”，不能送达（仅在已答复时可以）。"

    # One extension of 20 working days: 13 Nov + 20 = 11 Dec.
    # The supervisor who signs in approves it; a clerk's button says why not.
    clerks = {a["step"]: a for a in desk.json("case", "actions", "2026-00001", "--date", "2026-10-21")}
    assert clerks["extend"]["reason"] == "延期答复须由负责人或管理员操作。"
    r = desk.do("extend", "2026-10-21", "reason=需协调多个单位", user="supervisor")
    assert (r["status"], r["due_date"]) == ("extended", "2026-12-11")
    actions = {a["step"]: a for a in desk.json("case", "actions", "2026-00001", user="supervisor")}
    assert not actions["extend"]["allowed"] and "不能延期答复" in actions["extend"]["reason"]

    r = desk.do("reply", "2026-11-10", "outcome=1", "summary=予以公开")
    assert (r["status"], r["outcome_code"], r["reply_date"], r["replied_on_time"]) == (
        "replied", "1", "2026-11-10", True)
    r = desk.do("deliver", "2026-11-11", "channel=邮寄", "proof=XA123456789CN")
    assert (r["status"], r["delivered_date"], r["delivery_channel"], r["version"]) == (
        "delivered", "2026-11-11", "邮寄", 9)

    shown = desk.json("case", "show", "2026-00001")
    assert shown["header"]["applicant_name"] == "张三" and shown["status_label"] == "已送达"
    assert shown["clock"]["due_date"] == "2026-12-11" and shown["clock"]["extended"] is True
    assert [e["kind"] for e in shown["events"]] == [
        "registered", "assign", "request_supplement", "receive_supplement", "start_pause", "end_pause",
        "extend", "reply", "deliver"]
    assert shown["letters"] == []
    code, out, _ = desk.run("case", "show", "2026-00001")
    assert code == 0 and "答复期限：2026-12-11" in out and "状态：已送达" in out


def test_refusals_name_the_rule_and_write_nothing(desk: Desk) -> None:
    assert desk.run("case", "new", *REGISTRATION)[:2] == (0, "2026-00001\n")
    desk.refused("case", "do", "2026-00001", "deliver", "--date", "2026-10-01", "--set", "channel=邮寄",
                 rule="不能送达（仅在已答复时可以）")
    desk.refused("case", "do", "2026-00001", "reply", "--date", "2099-01-04", "--set", "outcome=1",
                 rule="晚于今天")
    desk.refused("case", "do", "2026-00001", "reply", "--date", "2026-09-01", "--set", "outcome=1",
                 rule="早于收到申请日期")
    desk.refused("case", "do", "2026-00001", "extend", "--date", "2026-11-02", "--set", "reason=复杂",
                 rule="答复期限 2026-10-30 已过", user="supervisor")
    desk.refused("case", "do", "2026-00001", "extend", "--date", "2026-10-20", "--set", "reason=复杂",
                 rule="须由负责人或管理员操作")
    # Art. 30: once only, even when the status would allow another notice.
    desk.do("request_supplement", "2026-09-29", "what=请说明年份")
    desk.do("receive_supplement", "2026-10-09")
    desk.do("assign", "2026-10-12", "unit=市教育局")
    desk.refused("case", "do", "2026-00001", "request_supplement", "--date", "2026-10-13", "--set", "what=再补充",
                 rule="条例第三十条规定只能一次性告知")
    desk.refused("case", "show", "2026-09999", rule="找不到登记编号为 2026-09999 的申请")



def test_a_second_fee_notice_is_refused_even_after_the_first_was_paid(desk: Desk) -> None:
    # 国办函〔2020〕109号 Art. 3: one method per application, never charged twice.
    assert desk.run("case", "new", *REGISTRATION)[0] == 0
    desk.do("issue_fee_notice", "2026-10-09", "method=per_page", "quantity=60")
    desk.do("record_fee_notice_received", "2026-10-10")
    desk.do("record_payment", "2026-10-12")
    desk.refused("case", "do", "2026-00001", "issue_fee_notice", "--date", "2026-10-13", "--set", "method=per_page",
                 "--set", "quantity=200", rule="同一申请只能按一种方式计收一次信息处理费")
    actions = {a["step"]: a for a in desk.json("case", "actions", "2026-00001", "--date", "2026-10-13")}
    assert "不能再次收费" in actions["issue_fee_notice"]["reason"]


def test_a_fee_notice_after_the_reply_period_or_per_page_for_reading_is_refused(desk: Desk) -> None:
    # docs/domain.md, "Fees": inside the reply period only; per page only for paper, e-mail, copied data.
    assert desk.run("case", "new", *form(preferred_form="当场阅读"))[0] == 0  # due 2026-10-30
    desk.refused("case", "do", "2026-00001", "issue_fee_notice", "--date", "2026-11-02", "--set",
                 "method=per_application", rule="收费通知须在答复期限内发出")
    actions = {a["step"]: a for a in desk.json("case", "actions", "2026-00001", "--date", "2026-11-02")}
    assert "2026-11-02 已超过答复期限，不能再发出收费通知" in actions["issue_fee_notice"]["reason"]
    desk.refused("case", "do", "2026-00001", "issue_fee_notice", "--date", "2026-10-30", "--set", "method=per_page",
                 "--set", "quantity=60", rule="本申请提供形式“当场阅读”、未登记获取方式，不属于上述情形，不能按量计收")


def test_a_co_producing_agencys_consultation_lapses_and_show_says_what_follows(desk: Desk) -> None:
    # docs/domain.md, "Pauses": 15 working days from the agency's receipt of the letter; the clock
    # stops only until then, and only a co-producing agency's silence is consent (条例第三十四条).
    assert desk.run("case", "new", *REGISTRATION)[0] == 0
    desk.bad("case", "do", "2026-00001", "start_pause", "--set", "kind=other_agency", "--set", "counterpart=x",
             "--set", "co_producer=也许", says="是/否")
    desk.do("start_pause", "2026-10-09", "kind=other_agency", "counterpart=某某区财政局", "co_producer=yes")
    desk.do("record_consultation_received", "2026-10-12")
    # 12 Oct + 15 working days: 13-16 (4) | 19-23 (9) | 26-30 (14) | Mon 2 Nov (15).
    desk.refused("case", "do", "2026-00001", "end_pause", "--date", "2026-11-02", "--set", "answer=no_answer",
                 rule="征求意见期限 2026-11-02 尚未届满")
    shown = desk.json("case", "show", "2026-00001")
    (pause,) = shown["pauses"]
    assert (pause["received"], pause["received_presumed"]) == ("2026-10-12", False)
    assert (pause["consultation_due"], pause["lapsed"], pause["co_producer"]) == ("2026-11-02", True, True)
    assert "视为同意公开（条例第三十四条）" in pause["consequence"]
    assert "视为同意公开" in shown["header"]["consultation_warning"]
    # (9 Oct, 2 Nov] = Sat 10 Oct (a make-up day) | 12-16 | 19-23 | 26-30 | 2 Nov = 17 working days:
    # 30 Oct + 17 = 2-6 Nov (5) | 9-13 (10) | 16-20 (15) | 23-24 Nov (17), although still 暂停计时.
    assert (shown["status_label"], shown["clock"]["clock_stopped"], shown["clock"]["due_date"]) == (
        "暂停计时", False, "2026-11-24")
    code, out, _ = desk.run("case", "show", "2026-00001")
    assert code == 0 and "征求意见期限（收到之日起15个工作日）至 2026-11-02，已届满" in out
    r = desk.do("end_pause", "2026-11-03", "answer=no_answer")
    assert (r["status"], r["due_date"]) == ("registered", "2026-11-24")


def test_a_repeat_of_another_applicants_request_is_refused(desk: Desk) -> None:
    # Art. 36(6): the same applicant, asking again for information already answered.
    assert desk.run("case", "new", *REGISTRATION)[0] == 0
    desk.do("reply", "2026-10-20", "outcome=1")
    other = form(applicant_name="王五", id_type="passport", id_number="E1234567", received_date="2026-10-26")
    assert desk.run("case", "new", *other)[:2] == (0, "2026-00002\n")
    desk.refused("case", "do", "2026-00002", "reply", "--date", "2026-10-27", "--set", "outcome=5.2",
                 "--set", "repeat_of=2026-00001", rule="不是本申请人")

def test_mass_requests_are_not_handled_only_after_the_applicant_was_asked_for_reasons(desk: Desk) -> None:
    # Art. 35: the request for reasons (说明理由告知书) comes before 不予处理 (5.4).
    assert desk.run("case", "new", *REGISTRATION)[0] == 0
    desk.refused("case", "do", "2026-00001", "reply", "--date", "2026-10-27", "--set", "outcome=5.4",
                 rule="说明理由告知书")
    assert desk.run("settings", "set", "contact_phone=0527-84371234", user="supervisor")[0] == 0
    code, _, err = desk.run("letter", "2026-00001", "--kind", "explanation", "--date", "2026-10-09")
    assert code == 0, err
    desk.do("reply", "2026-10-27", "outcome=5.4")
    code, _out, err = desk.run("letter", "2026-00001", "--kind", "reply_5.4", "--date", "2026-10-27")
    assert code == 0, err


def test_a_not_responsible_reply_without_its_reason_is_refused_by_the_letter_command(desk: Desk) -> None:
    # Art. 36(5): the reason (who made or first obtained the information, Art. 10) is required.
    assert desk.run("case", "new", *REGISTRATION)[0] == 0
    assert desk.run("settings", "set", "contact_phone=0527-84371234", user="supervisor")[0] == 0
    desk.do("reply", "2026-10-20", "outcome=4.1")
    desk.refused("letter", "2026-00001", "--kind", "reply_4.1_not_responsible", "--date", "2026-10-20",
                 rule="--set reason=")
    code, out, err = desk.run("letter", "2026-00001", "--kind", "reply_4.1_not_responsible", "--date", "2026-10-20",
                              "--set", "reason=该信息由市教育局制作并保存，本机关未制作也未获取")
    assert code == 0 and "告知书" in out, err


def test_a_late_reply_is_issued_only_when_acknowledged(desk: Desk) -> None:
    assert desk.run("case", "new", *REGISTRATION)[0] == 0  # due 2026-10-30
    assert desk.run("settings", "set", "contact_phone=0527-84371234", user="supervisor")[0] == 0
    desk.do("reply", "2026-11-03", "outcome=1")
    desk.refused("letter", "2026-00001", "--kind", "reply_1", "--date", "2026-11-03", rule="--acknowledge-late")
    code, _out, err = desk.run("letter", "2026-00001", "--kind", "reply_1", "--date", "2026-11-03",
                              "--acknowledge-late")
    assert code == 0 and "逾期答复" in err, err


def test_a_new_office_prints_no_sample_names_and_is_told_to_fill_in_the_settings(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = Database.open(tmp_path / "fresh.sqlite3")  # a new office: nothing set up but its first user
    factories.add_user(db, "supervisor", "王主任", Role.SUPERVISOR)
    db.close()
    fresh = Desk(tmp_path / "fresh.sqlite3", capsys)
    assert fresh.run("case", "new", *REGISTRATION, user="supervisor")[0] == 0
    fresh.refused("letter", "2026-00001", "--kind", "acknowledgement", "--date", "2026-09-28",
                  rule="本机关名称（须在“设置”中填写）", user="supervisor")


def test_bad_arguments_exit_2(desk: Desk) -> None:
    assert desk.run("case", "new", *REGISTRATION)[0] == 0
    desk.bad("case", "do", "2026-00001", "reply", "--set", "outcome=1", "--set", "colour=red", says="colour")
    desk.bad("case", "do", "2026-00001", "reply", "--date", "2026-13-01", says="is not a date")
    desk.bad("case", "do", "2026-00001", "reply", "--set", "summary=无结果", says="请选择办理结果")
    desk.bad("case", "do", "2026-00001", "reply", "--set", "outcome=6.1", says="只能是")
    desk.bad("case", "do", "2026-00001", "start_pause", "--set", "kind=fee", "--set", "counterpart=x", says="只能是")
    desk.bad("case", "do", "2026-00001", "set_later_date", "--set", "later=明年", "--set", "reason=x",
             says="YYYY-MM-DD")
    desk.bad("case", "do", "2026-00001", "fly", says="没有名为“fly”的办理操作")
    desk.bad("case", "do", "2026-00001", "reply", "--set", "outcome", says="NAME=VALUE")
    desk.bad("case", "new", *REGISTRATION, "--set", "favourite=蓝色", says="unknown field favourite")
    desk.bad("case", "new", "--set", "channel=in_person", "--set", "applicant_type=自然人", says="applicant_name")
    desk.bad("case", "new", *REGISTRATION, "--set", "channel=信鸽", says="channel must be one of")
    desk.bad("case", "new", *REGISTRATION, "--set", "received_date=昨天", says="not a date")


def test_registration_warnings_and_refusal(desk: Desk) -> None:
    # A likely misspelt e-mail domain: a warning, still registered.
    new = desk.json("case", "new", *form(email="zhangsan@qq.con"))
    assert new["reg_number"] == "2026-00001" and new["due_date"] == "2026-10-30"
    assert any("可能拼写有误" in w for w in new["warnings"]), new["warnings"]
    code, out, err = desk.run("case", "new", *form(email="lisi@163.con"))
    assert (code, out) == (0, "2026-00002\n") and "注意：" in err and "可能拼写有误" in err
    # A typo in the check character is refused: the clerk corrects the typing.
    desk.refused("case", "new", *form(id_number="110105194912310021"), rule="第18位校验码应为 X")
    desk.refused("case", "new", *form(received_date="2099-01-05"), rule="不能晚于今天")


def test_an_applicant_without_id_number_or_contact_is_registered_with_a_warning(desk: Desk) -> None:
    # 条例第三十一条: the receipt date stands; 第三十条: the supplement notice asks for what is missing.
    lacking = form(id_number=None, phone=None, address=None)
    code, out, err = desk.run("case", "new", *lacking)
    assert (code, out) == (0, "2026-00001\n"), err
    assert "注意：缺少身份证明，可通知补正" in err and "注意：缺少联系方式，可通知补正" in err
    new = desk.json("case", "new", *form(id_number=None, received_date="2026-09-29"))
    assert new["reg_number"] == "2026-00002" and new["warnings"] == ["缺少身份证明，可通知补正"]

    shown = desk.json("case", "show", "2026-00001")
    assert [(m["field"], m["message"], m["ask"]) for m in shown["missing"]] == [
        ("id_number", "缺少身份证明，可通知补正", "请补充提供申请人身份证明（身份证件号码）"),
        ("contact", "缺少联系方式，可通知补正", "请补充提供申请人的联系方式（联系电话、通信地址或电子邮箱）")]
    code, out, _ = desk.run("case", "show", "2026-00001")
    assert code == 0 and "注意：申请材料不全：缺少身份证明，可通知补正（未填写身份证件号码）" in out
    assert desk.json("case", "show", "2026-00002")["missing"][0]["field"] == "id_number"
    desk.run("case", "new", *REGISTRATION)
    assert desk.json("case", "show", "2026-00003")["missing"] == []

    # The supplement step proposes what is missing; the clerk may edit it.
    actions = {a["step"]: a for a in desk.json("case", "actions", "2026-00001", "--date", "2026-09-29")}
    what = {f["name"]: f["default"] for f in actions["request_supplement"]["fields"]}["what"]
    assert what == ("请补充提供申请人身份证明（身份证件号码）；"
                    "请补充提供申请人的联系方式（联系电话、通信地址或电子邮箱）。")
    r = desk.do("request_supplement", "2026-09-29", f"what={what}")
    assert r["status"] == "awaiting_supplement"
    shown = desk.json("case", "show", "2026-00001")
    assert shown["missing_note"].startswith("申请材料不全（已发出补正告知）：缺少身份证明")


def test_settings_show_and_set_with_permission_and_audit(desk: Desk) -> None:
    shown = desk.json("settings", "show")
    assert shown["amber_days"] == 5 and shown["exclude_fee_pauses"] is True
    desk.refused("settings", "set", "amber_days=3", rule="无权修改机关设置", user="clerk")
    desk.bad("settings", "set", "amber_dayz=3", says="没有名为“amber_dayz”的设置")
    desk.bad("settings", "set", "amber_days=三", says="须为整数")
    desk.bad("settings", "set", "amber_days", says="KEY=VALUE")
    desk.refused("settings", "set", "amber_days=-1", rule="不能为负数", user="supervisor")
    code, out, err = desk.run("settings", "set", "amber_days=3", "agency_name=某某区人民政府办公室",
                              user="supervisor")
    assert code == 0, err
    assert "amber_days = 3" in out
    assert desk.json("settings", "show")["amber_days"] == 3
    con = sqlite3.connect(desk.path)
    try:
        entries = con.execute('SELECT user, new FROM audit_log WHERE action = "update_settings"').fetchall()
    finally:
        con.close()
    assert len(entries) == 1 and entries[0][0] == "supervisor"
    assert json.loads(entries[0][1]) == {"amber_days": 3, "agency_name": "某某区人民政府办公室"}


def test_the_installed_command_registers_and_shows_a_case(desk: Desk) -> None:
    env = {**os.environ, "REQUEST_DESK_DB": str(desk.path), "REQUEST_DESK_USER": "clerk"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "request_desk", *args], capture_output=True, text=True,
                              env=env, timeout=120, check=False)

    new = run("case", "new", *REGISTRATION)
    assert (new.returncode, new.stdout.strip()) == (0, "2026-00001"), new.stderr
    done = run("case", "do", "2026-00001", "assign", "--date", "2026-09-29", "--set", "unit=市教育局")
    assert done.returncode == 0 and "状态：办理中" in done.stdout, done.stderr
    refused = run("case", "do", "2026-00001", "close")
    assert refused.returncode == 1 and "不能归档" in refused.stderr
    shown = run("case", "show", "2026-00001", "--json")
    assert json.loads(shown.stdout)["header"]["status"] == "in_progress"


def test_a_correction_and_an_undo_from_the_command_line(desk: Desk) -> None:
    desk.json("case", "new", *REGISTRATION)
    fixed = desk.json("case", "correct", "2026-00001", "--set", "applicant_name=张山",
                      "--set", "received_date=2026-10-12", "--reason", "登记时录入错误")
    assert (fixed["applicant_name"], fixed["received_date"], fixed["due_date"]) == ("张山", "2026-10-12", "2026-11-09")
    desk.do("assign", "2026-10-13", "unit=市教育局")
    desk.refused("case", "undo", "2026-00001", "--reason", "分办错误", rule="只有负责人或管理员")
    code, out, _err = desk.run("case", "undo", "2026-00001", "--reason", "分办错误", user="supervisor")
    assert code == 0 and "已撤销“分办承办单位（2026-10-13）”" in out
    code, out, _err = desk.run("case", "show", "2026-00001")
    assert "更正登记信息" in out and "申请人姓名或名称：张三 → 张山" in out and "理由：登记时录入错误" in out
    assert "分办承办单位（已撤销）" in out and "撤销办理步骤" in out
    desk.refused("case", "correct", "2026-00001", "--set", "received_date=2026-12-31", "--reason", "录错",
                 rule="收到申请日期不能晚于今天")
    desk.bad("case", "correct", "2026-00001", "--set", "status=closed", "--reason", "x", says="没有可更正的字段")


def test_the_delivery_step_serves_the_reply_letter_named_by_its_number(desk: Desk) -> None:
    assert desk.run("case", "new", *REGISTRATION)[0] == 0
    assert desk.run("settings", "set", "contact_phone=0527-84371234", user="supervisor")[0] == 0
    desk.do("reply", "2026-10-20", "outcome=1")
    code, _out, err = desk.run("letter", "2026-00001", "--kind", "reply_1", "--date", "2026-10-20")
    assert code == 0, err
    steps = {s["step"]: s for s in desk.json("case", "actions", "2026-00001")}
    [letter] = desk.json("case", "show", "2026-00001")["letters"]
    offered = next(f["default"] for f in steps["deliver"]["fields"] if f["name"] == "letter")
    assert offered == str(letter["letter_id"])  # the reply letter is served unless told otherwise
    number = letter["doc_number"]  # a script names it by its document number
    desk.refused("case", "do", "2026-00001", "deliver", "--date", "2026-10-21", "--set", "channel=邮寄",
                 "--set", f"letter={number}", rule="邮件单号")
    r = desk.do("deliver", "2026-10-21", "channel=邮寄", f"letter={number}", "tracking=XA123456789CN")
    assert r["status"] == "delivered"
    code, out, _err = desk.run("case", "show", "2026-00001")
    assert "邮寄送达 XA123456789CN，2026-10-21发出" in out
