"""Cases for tests: the one place that knows how a valid request is built and put in a state.

Every test module builds its requests here instead of keeping its own builder, so a change of
the registration form or of a step's signature is adapted once. Everything goes through the
public face of the core (``request_desk.core.cases``, ``request_desk.core.office.units``), never
the ORM, so a test's data is exactly what a clerk's desk could have produced.

The dates of the suite are the autumn of 2026: requests come in from late September, the
desk's "today" is ``TODAY`` unless a module needs every date of a year-long scenario behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlmodel import select

from request_desk.core import cases
from request_desk.core.cases import NewRequest
from request_desk.core.office import units, users
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import User
from request_desk.core.vocab import ApplicantType, Channel, PauseKind, Role, UnitLevel

if TYPE_CHECKING:
    # Only to name what ``cases.register`` returns; tests never build stored rows themselves.
    from request_desk.core.storage.models import Request

# The office every test works in: a district government's office, its reconsideration body
# the district government (复议法 Art. 24) and the district court (行政诉讼法 Art. 14).
OFFICE = {"agency_name": "宿迁市宿城区人民政府办公室", "reconsideration_body": "宿迁市宿城区人民政府",
          "court": "宿迁市宿城区人民法院", "reconsideration_online": "江苏省行政复议网上申请平台"}

# The desk's today: Friday 27 November 2026, after every date the usual scenarios use.
TODAY = date(2026, 11, 27)
# A today after every date of a scenario that runs to the end of 2026 (remedy results in
# December, steps from every status); steps dated later than today are refused.
YEAR_END = date(2026, 12, 31)
# The today of the ID-number checks: a birth date of 2026-06-02 is "tomorrow", i.e. impossible.
ID_CHECK_DAY = date(2026, 6, 1)
# When the usual request comes in: Monday 28 September 2026, before the National Day holiday.
RECEIVED = date(2026, 9, 28)
CLERK = "clerk"
# The password of every user the fixtures make (tests/conftest.py).
PASSWORD = "desk-test-1"


def new_request(received: date = RECEIVED, /, **overrides: object) -> NewRequest:
    """A complete, valid application from a natural person; ``overrides`` replace its fields."""
    fields: dict[str, object] = {
        "channel": Channel.IN_PERSON,
        "received_date": received,
        "applicant_type": ApplicantType.NATURAL_PERSON,
        "applicant_name": "张三",
        "id_number": "11010519491231002X",
        "phone": "13912345678",
        "address": "江苏省宿迁市宿城区幸福路1号",
        "description": "2025年本市老旧小区改造项目的资金使用情况",
        "preferred_form": "纸质",
        "delivery_method": "邮寄",
    }
    fields.update(overrides)
    return NewRequest(**fields)  # type: ignore[arg-type]


def registered(db: Database, received: date = RECEIVED, /, *, actor: str = CLERK, today: date = TODAY,
               **overrides: object) -> Request:
    """Register ``new_request(received, **overrides)``; the request as registration returns it."""
    return cases.register(db, new_request(received, **overrides), actor, today=today)


def register(db: Database, received: date = RECEIVED, /, *, actor: str = CLERK, today: date = TODAY,
             **overrides: object) -> int:
    """Register ``new_request(received, **overrides)``; the new request's id."""
    rid = registered(db, received, actor=actor, today=today, **overrides).id
    assert rid is not None
    return rid


def add_unit(db: Database, name: str = "市教育局", level: UnitLevel = UnitLevel.DEPARTMENT, *,
             actor: str = "supervisor") -> int:
    """A handling unit the case can be assigned to; its id."""
    unit = units.add_unit(db, units.UnitData(name, level), actor=actor)
    assert unit.id is not None
    return unit.id


def assigned(db: Database, unit_id: int, *, on: date, rid: int | None = None, received: date = RECEIVED,
             today: date = TODAY, internal_due: date | None = None, **overrides: object) -> int:
    """A request assigned to ``unit_id`` on ``on``: ``rid``, or a new one received on ``received``
    and built from ``overrides``."""
    if rid is None:
        rid = register(db, received, actor=CLERK, today=today, **overrides)
    cases.assign(db, rid, CLERK, unit_id=unit_id, internal_due=internal_due, on_date=on, today=today)
    return rid


def replied(db: Database, outcome: str = "1", *, on: date, rid: int | None = None, received: date = RECEIVED,
            today: date = TODAY, summary: str = "", repeat_of_id: int | None = None,
            delivered: date | None = None, **overrides: object) -> int:
    """A request answered with ``outcome`` on ``on``: ``rid``, or a new one received on ``received``
    and built from ``overrides``; delivered by post on ``delivered`` when given."""
    if rid is None:
        rid = register(db, received, actor=CLERK, today=today, **overrides)
    cases.reply(db, rid, CLERK, outcome_code=outcome, on_date=on, summary=summary, repeat_of_id=repeat_of_id,
                today=today)
    if delivered is not None:
        cases.deliver(db, rid, CLERK, on_date=delivered, channel="邮寄", today=today)
    return rid


@dataclass
class Seed:
    ids: dict[str, int]
    finance: int
    housing: int


def seed_cases(db: Database, today: date = TODAY) -> Seed:
    """Eleven requests, one of each situation the list and the dashboard distinguish."""
    finance = add_unit(db, "市财政局")
    housing = add_unit(db, "市住建局")
    ids: dict[str, int] = {}

    def new(key: str, received: date, name: str, description: str) -> int:
        ids[key] = register(db, received, applicant_name=name, description=description, today=today)
        return ids[key]

    new("last_year", date(2025, 12, 10), "郑十", "2025年度财政预算执行情况")
    rid = new("overdue", date(2026, 9, 28), "张三", "2025年本市老旧小区改造项目的资金使用情况")
    assigned(db, finance, rid=rid, on=date(2026, 9, 29), today=today)
    new("due_today", date(2026, 10, 30), "李四", "房屋征收补偿安置方案")
    new("due_1", date(2026, 11, 2), "李四光", "道路拓宽工程立项批复")
    rid = new("due_5", date(2026, 11, 6), "钱多多", "最低生活保障审批材料")
    assigned(db, housing, rid=rid, on=date(2026, 11, 9), today=today)
    new("green", date(2026, 11, 9), "欧阳娜娜", "环境影响评价报告书")
    rid = new("supplement", date(2026, 11, 20), "王五", "拆迁补偿标准文件")
    cases.request_supplement(db, rid, CLERK, what="请写明具体地块", on_date=date(2026, 11, 23), today=today)
    rid = new("paused", date(2026, 11, 10), "赵六", "土地征收批复文件")
    cases.start_pause(db, rid, CLERK, kind=PauseKind.THIRD_PARTY, counterpart="某公司",
                      on_date=date(2026, 11, 16), today=today)
    rid = new("replied", date(2026, 10, 12), "孙七", "建设工程规划许可证")
    replied(db, "1", rid=rid, on=date(2026, 11, 5), today=today)
    rid = new("late", date(2026, 8, 3), "周八", "学校招生划片方案")
    assigned(db, housing, rid=rid, on=date(2026, 8, 4), today=today)
    replied(db, "4.1", rid=rid, on=date(2026, 9, 30), delivered=date(2026, 10, 8), today=today)
    rid = new("extended", date(2026, 11, 20), "吴九", "2026年政府集中采购目录")
    cases.extend(db, rid, "supervisor", reason="需要调取档案", on_date=date(2026, 11, 25),
                 today=today)
    replied(db, "3.4", rid=ids["last_year"], on=date(2026, 1, 5), today=today)
    return Seed(ids, finance, housing)


def add_user(db: Database, username: str, display_name: str, role: Role, *, unit_id: int | None = None) -> None:
    """A user of the office who has signed in before: password ``PASSWORD``, nothing to change
    (a liaison belongs to ``unit_id``)."""
    users.add_user(db, username, display_name, role, actor="supervisor", initial_password=PASSWORD,
                   unit_id=unit_id)
    with db.write() as session:
        user = session.exec(select(User).where(User.username == username)).one()
        user.must_change_password = False
        session.add(user)
