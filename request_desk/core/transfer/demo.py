"""Realistic fictitious cases for a new desk, a training session or a benchmark.

Generated in bulk (Core inserts in batches, not one ORM object at a time) so
that a million requests take minutes. Every status and outcome appears; dates,
due dates and events are consistent with the legal clock. Names, ID numbers and
phones are made up; ID numbers carry valid check characters.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.engine import Dialect
from sqlmodel import Session, SQLModel, col

from request_desk.core import jobs
from request_desk.core.cases.numbering import REGISTRATION
from request_desk.core.cases.validation import id_check_character
from request_desk.core.deadlines.case_clock import OfficeClock, office_clock
from request_desk.core.deadlines.clock import OFFICE_TZ, ClockResult, PausePeriod
from request_desk.core.deadlines.workcalendar import WorkCalendar
from request_desk.core.jobs import Job, Progress
from request_desk.core.office import accounts, permissions
from request_desk.core.office import settings as office_settings
from request_desk.core.storage import dialects, postgres_support, sqlite_support
from request_desk.core.storage.audit import audit
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import (
    Assignment,
    Counter,
    Event,
    Extension,
    Fee,
    HandlingUnit,
    Pause,
    RemedyCase,
    Request,
    SatisfactionCall,
    SearchRecord,
    User,
    table_of,
)
from request_desk.core.vocab import (
    ApplicantType,
    Channel,
    OutcomeCode,
    PauseKind,
    RemedyKind,
    RemedyResult,
    Role,
    Satisfaction,
    Status,
    UnitLevel,
)

BATCH = 5_000
BULK_CACHE_KIB = 256 * 1024  # SQLite page cache while generating

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强海燕晓东红梅玉兰文斌国庆春梅金凤德"
    "明淑珍丽萍小红宏伟俊杰子涵浩然欣怡梓萱雨桐堃喆玥昇"
)
ORG_NAME_ENDINGS = ["建设有限公司", "律师事务所", "研究院", "环保公益服务中心", "业主委员会"]
DISTRICTS = ["宿城区", "宿豫区", "沭阳县", "泗阳县", "泗洪县", "经济技术开发区", "湖滨新区", "洋河新区"]
DEPARTMENTS = [
    "市发展和改革委员会", "市教育局", "市公安局", "市民政局", "市财政局", "市人力资源和社会保障局",
    "市自然资源和规划局", "市生态环境局", "市住房和城乡建设局", "市交通运输局", "市水利局", "市农业农村局",
    "市商务局", "市卫生健康委员会", "市市场监督管理局", "市城市管理局", "市医疗保障局", "市应急管理局",
]
TOPICS = [
    "{district}{year}年老旧小区改造项目的资金使用情况",
    "{district}某地块（{year}年）国有土地使用权出让合同及批准文件",
    "{year}年{district}征收补偿安置方案及补偿标准",
    "{district}{year}年度城乡居民最低生活保障资金发放明细（不含个人信息）",
    "{year}年本市新建学校规划及学区划分依据",
    "{district}某道路拓宽工程的环境影响评价批复文件（{year}年）",
    "{year}年{district}农村集体土地征收的批准文件及公告",
    "{district}{year}年度政府采购项目中标结果及合同",
    "{year}年本市企业职工基本养老保险基金收支情况",
    "{district}某小区违法建设查处决定书（{year}年）",
    "{year}年{district}河道整治工程的立项批复和验收报告",
    "{district}{year}年度财政预算执行情况和其他财政收支审计报告",
    "{year}年本市网约车经营许可的审批条件及数量",
    "{district}某化工企业{year}年排污许可证及监测数据",
    "{year}年{district}保障性住房分配名单的公示情况",
]
REPLY_OUTCOMES = (
    ["1"] * 34 + ["2"] * 10 + ["3.1", "3.2", "3.3", "3.4", "3.4", "3.5", "3.6", "3.6", "3.7", "3.8"]
    + ["4.1"] * 18 + ["4.2"] * 4 + ["4.3"] * 2 + ["5.1"] * 3 + ["5.2"] * 2 + ["5.3", "5.4", "5.5"] + ["6.3"]
)
ID_PREFIXES = ["321302", "321311", "321322", "321323", "321324", "320102", "320802", "110105", "310104", "340104"]
CHANNEL_WEIGHTS = {Channel.ONLINE: 45, Channel.POST: 25, Channel.IN_PERSON: 18, Channel.EMAIL: 6,
                   Channel.ORDINARY_LETTER: 3, Channel.FAX: 2, Channel.ORAL: 1}
ORG_TYPES = [ApplicantType.COMMERCIAL, ApplicantType.RESEARCH, ApplicantType.PUBLIC_INTEREST,
             ApplicantType.LEGAL_SERVICES, ApplicantType.OTHER_ORG]


def _office(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment of the office's working day, stored in UTC like every moment."""
    return datetime.combine(day, time(hour, minute), OFFICE_TZ).astimezone(UTC)


def _id_number(rng: random.Random, birth: date) -> str:
    first17 = f"{rng.choice(ID_PREFIXES)}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + id_check_character(first17)


def _units(session: Session, count: int, actor: str) -> list[int]:
    existing = list(session.execute(select(col(HandlingUnit.id)).where(col(HandlingUnit.active).is_(True))).scalars())
    if existing:
        return existing
    city = HandlingUnit(name="宿迁市人民政府", level=UnitLevel.CITY, contact_person="综合处", phone="0527-84367000")
    session.add(city)
    session.flush()
    rows: list[dict[str, Any]] = [
        {"name": d, "level": UnitLevel.DEPARTMENT.value, "parent_id": city.id, "active": True,
         "contact_person": "办公室", "phone": f"0527-8{4300000 + i:07d}", "email": "", "address": "", "note": ""}
        for i, d in enumerate(DEPARTMENTS)
    ]
    rows += [{"name": f"{d}人民政府" if "区" in d[-1:] or "县" in d[-1:] else f"{d}管理委员会",
              "level": UnitLevel.DISTRICT.value, "parent_id": city.id, "active": True, "contact_person": "党政办",
              "phone": "", "email": "", "address": "", "note": ""} for d in DISTRICTS]
    i = 0
    while len(rows) < count - 1:  # large demos: departments of each district
        d = DISTRICTS[i % len(DISTRICTS)]
        dept = DEPARTMENTS[(i // len(DISTRICTS)) % len(DEPARTMENTS)].removeprefix("市")
        rows.append({"name": f"{d}{dept}" + (f"（{i // 144 + 1}）" if i >= 144 else ""),
                     "level": UnitLevel.DEPARTMENT.value, "parent_id": city.id, "active": True,
                     "contact_person": "", "phone": "", "email": "", "address": "", "note": ""})
        i += 1
    session.execute(insert(HandlingUnit), rows)
    return list(session.execute(select(col(HandlingUnit.id))).scalars())


# The demo office's accounts, all with the password DEMO_PASSWORD (fictitious data only: it does
# not meet an office's password policy, and is not meant to).
DEMO_USERS = (("admin", "赵管理", Role.ADMINISTRATOR), ("zhuren", "王主任", Role.SUPERVISOR),
              ("xiaoli", "李晓", Role.CLERK), ("xiaozhou", "周敏", Role.CLERK))
DEMO_PASSWORD = "demo"


def _ensure_users(session: Session, actor: str | None) -> tuple[str, str, list[str]]:
    """(who adds the demo, a supervisor, the clerks): the demo office's own users on a database without any.

    On a database with users only an administrator adds fictitious cases (``Permission.MAKE_DEMO``).
    """
    if session.execute(select(func.count()).select_from(User)).scalar_one() != 0:
        permissions.require(session, actor or "", permissions.Permission.MAKE_DEMO)
    else:
        actor = DEMO_USERS[0][0]
        session.execute(insert(User), [
            {"username": name, "display_name": shown, "role": role.value, "active": True,
             "created_at": datetime.now(UTC), "password_hash": accounts.hash_password(DEMO_PASSWORD)}
            for name, shown, role in DEMO_USERS])
    username, role = col(User.username), col(User.role)
    supervisors = list(session.execute(select(username).where(role == Role.SUPERVISOR.value)).scalars()) or list(
        session.execute(select(username).where(role != Role.CLERK.value)).scalars())
    clerks = list(session.execute(select(username).where(role == Role.CLERK.value)).scalars()) or supervisors
    assert actor is not None
    return actor, supervisors[0], clerks


def generate(db: Database, requests: int, *, today: date | None = None, seed: int = 2026,
             actor: str | None = None, batch_size: int = BATCH) -> Job[int]:
    """Add ``requests`` demo cases in batches of ``batch_size``; yields progress, returns the number added.

    ``actor`` adds them: an administrator, or on a database without users nobody (the demo
    office's own administrator, whom it creates, is named in the audit log).

    Each batch is one transaction holding its rows *and* its audit entry, so a
    demo stopped or killed part way leaves whole batches, each audited.
    """
    today = today or date.today()
    rng = random.Random(seed)
    years = max(1, min(10, requests // 50_000 + 2))
    start = date(today.year - years + 1, 1, 1)
    span = (today - start).days
    with db.write() as session:
        clock = office_clock(session, today)  # calendar and clock rules, read once
        cal = clock.calendar
        actor, supervisor, clerks = _ensure_users(session, actor)
        conf = _demo_office(session, actor)
        units = _units(session, max(30, min(400, requests // 2500)), actor)
        on_server = dialects.on_server(session.connection())
        cache_size = 0 if on_server else int(session.connection().exec_driver_sql("PRAGMA cache_size").scalar_one())
    done = 0
    yield Progress(0, requests, "正在生成演示数据…")
    batch_no = 0
    while done < requests:
        size = min(batch_size, requests - done)
        batch_no += 1
        receipts = sorted(_workday(cal, start + timedelta(days=rng.randrange(span + 1))) for _ in range(size))
        receipts = [min(r, today) for r in receipts]
        with db.write() as session:
            # Read the counters inside the batch's own (write-locked) transaction, so a
            # registration at another desk between batches cannot collide with ours.
            counters = {c.year: c.value
                        for c in session.execute(select(Counter).where(col(Counter.name) == REGISTRATION)).scalars()}
            first_id = (session.execute(select(func.max(col(Request.id)))).scalar_one() or 0) + 1
            batch = _Batch(rng, clock, units, clerks, supervisor, first_id)
            for received in receipts:
                year = received.year
                counters[year] = counters.get(year, 0) + 1
                batch.add(received, year, counters[year], conf.format_registration(year, counters[year]))
            batch.flush(session)
            for year, value in counters.items():
                session.merge(Counter(name=REGISTRATION, year=year, value=value))
            # In the batch's own transaction (issue 11, item 7): audited once at the end,
            # a demo killed after some batches left them committed without any audit entry.
            audit(session, actor, "demo_data", "request", None, None,
                  {"requests": size, "first_id": first_id, "batch": batch_no, "of_requests": requests, "seed": seed})
        done += size
        yield Progress(done, requests, f"已生成 {done:,} / {requests:,} 件")
    if not on_server:
        with db.write() as session:
            session.connection().exec_driver_sql(f"PRAGMA cache_size = {cache_size}")
    return done


def _workday(cal: WorkCalendar, day: date) -> date:
    return day if cal.is_workday(day) else cal.add_workdays(day, 1)


class _Batch:
    """Rows for one batch of requests, with their events, pauses and calls."""

    def __init__(self, rng: random.Random, clock: OfficeClock, units: list[int],
                 clerks: list[str], supervisor: str, first_id: int) -> None:
        self.rng, self.clock, self.cal, self.today = rng, clock, clock.calendar, clock.today
        self.units, self.clerks, self.supervisor = units, clerks, supervisor
        self.next_id = first_id
        self.tables: dict[type[SQLModel], list[dict[str, Any]]] = {
            t: [] for t in (Request, Assignment, Event, Pause, Extension, Fee, SatisfactionCall, SearchRecord,
                            RemedyCase)}

    def _event(self, rid: int, kind: str, on: date, user: str, note: str = "") -> None:
        self.tables[Event].append({"request_id": rid, "kind": kind, "on_date": on, "user": user, "note": note,
                                   "at": _office(on, 9, 30), "data": None})

    def add(self, received: date, year: int, seq: int, reg_number: str) -> None:
        rng = self.rng
        rid = self.next_id
        self.next_id += 1
        clerk = rng.choice(self.clerks)
        kind = ApplicantType.NATURAL_PERSON if rng.random() < 0.82 else rng.choice(ORG_TYPES)
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
        district = rng.choice(DISTRICTS)
        row: dict[str, Any] = {
            "id": rid, "year": year, "seq": seq, "reg_number": reg_number,
            "channel": rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0].value,
            "received_date": received, "applicant_type": kind.value,
            "applicant_name": (name if kind is ApplicantType.NATURAL_PERSON
                               else f"{district}某某{rng.choice(ORG_NAME_ENDINGS)}"),
            "id_type": "resident_id", "id_number": "", "credit_code": "", "contact_person": "",
            "phone": f"1{rng.choice('3578')}{rng.randrange(10**9):09d}", "address": f"江苏省宿迁市{district}",
            "postal_code": "223800", "email": "",
            "description": rng.choice(TOPICS).format(district=district, year=received.year - rng.choice([0, 1, 1, 2])),
            "purpose": "", "preferred_form": rng.choice(["纸质", "电子数据"]),
            "delivery_method": rng.choice(["邮寄", "电子邮件", "当面领取"]),
            "status": Status.REGISTERED.value, "outcome_code": None, "current_unit_id": None, "repeat_of_id": None,
            "supplement_notice_date": None, "supplement_notice_late": False, "supplement_deadline": None,
            "supplemented_date": None, "later_date": None, "later_date_reason": "", "reply_date": None,
            "replied_on_time": None, "workdays_used": None, "reply_summary": "", "delivered_date": None,
            "delivery_channel": "",
            "delivery_proof": "", "closed_date": None, "note": "", "created_by": clerk,
            "created_at": _office(received, 9), "updated_at": _office(received, 9),
            "version": 1,
        }
        if kind is ApplicantType.NATURAL_PERSON:
            birth = date(rng.randrange(1940, 2004), rng.randrange(1, 13), rng.randrange(1, 29))
            row["id_number"] = _id_number(rng, birth)
        else:
            row["contact_person"] = rng.choice(SURNAMES) + rng.choice(GIVEN)
        self._event(rid, "registered", received, clerk)
        self._progress(row, clerk)
        self.tables[Request].append(row)

    def _progress(self, row: dict[str, Any], clerk: str) -> None:
        rng, cal, today = self.rng, self.cal, self.today
        rid, received = row["id"], row["received_date"]
        pauses: list[PausePeriod] = []
        extended = False
        age = cal.workdays_between(received, today)
        start = received
        if rng.random() < 0.06 and age > 3:  # supplement notice
            notice = cal.add_workdays(received, rng.randrange(1, 8))
            row.update(supplement_notice_date=notice, supplement_deadline=cal.add_workdays(notice, 15),
                       supplement_notice_late=False, status=Status.AWAITING_SUPPLEMENT.value)
            self._event(rid, "request_supplement", notice, clerk, "请明确所需信息的名称或文号")
            if age > 15:
                if rng.random() < 0.2:
                    on = cal.add_workdays(row["supplement_deadline"], 1)
                    row.update(status=Status.DEEMED_WITHDRAWN.value, reply_date=on,
                               outcome_code=OutcomeCode.DEEMED_WITHDRAWN_NO_SUPPLEMENT.value)
                    self._event(rid, "deem_withdrawn_no_supplement", on, clerk)
                    self._set_due(row, pauses, extended)
                    return
                start = cal.add_workdays(notice, rng.randrange(2, 10))
                if start > today:  # the supplement has not arrived yet
                    self._set_due(row, pauses, extended)
                    return
                row.update(supplemented_date=start, status=Status.SUPPLEMENTED.value)
                self._event(rid, "receive_supplement", start, clerk)
                if age <= 30:  # recent: not yet routed to a unit
                    self._set_due(row, pauses, extended)
                    return
            else:
                self._set_due(row, pauses, extended)
                return
        if age <= 1 and rng.random() < 0.5:
            self._set_due(row, pauses, extended)
            return
        unit = rng.choice(self.units)
        assigned = cal.add_workdays(start, 1) if cal.add_workdays(start, 1) <= today else start
        row.update(current_unit_id=unit, status=Status.IN_PROGRESS.value)
        self.tables[Assignment].append({"request_id": rid, "unit_id": unit, "assigned_date": assigned,
                                        "internal_due_date": cal.add_workdays(assigned, 10), "ended_date": None,
                                        "assigned_by": clerk, "note": ""})
        self._event(rid, "assign", assigned, clerk)
        roll = rng.random()
        if roll < 0.01 and age > 3:  # the applicant withdraws (counted as 6.3)
            on = cal.add_workdays(assigned, 1)
            row.update(status=Status.WITHDRAWN.value, outcome_code=OutcomeCode.OTHER.value, reply_date=on)
            self._event(rid, "withdraw", on, clerk, "申请人书面撤回申请")
            self._set_due(row, pauses, extended)
            return
        if roll < 0.02 and age > 5:  # a fee notice; unpaid after 20 working days → 6.2
            notice = cal.add_workdays(assigned, 2)
            pay_by = cal.add_workdays(notice, 20)
            lapsed = pay_by < today
            self.tables[Fee].append({"request_id": rid, "method": "per_application", "quantity": 15,
                                     "amount_yuan": 500, "notice_date": notice, "payment_due": pay_by,
                                     "paid_date": None})
            self.tables[Pause].append({"request_id": rid, "kind": PauseKind.FEE.value, "start_date": notice,
                                       "end_date": cal.add_workdays(pay_by, 1) if lapsed else None,
                                       "previous_status": Status.IN_PROGRESS.value, "counterpart": "申请人",
                                       "note": ""})
            self._event(rid, "issue_fee_notice", notice, clerk, "收费 500 元")
            pauses.append(PausePeriod(notice, cal.add_workdays(pay_by, 1) if lapsed else None, PauseKind.FEE.value))
            if lapsed:
                on = cal.add_workdays(pay_by, 1)
                row.update(status=Status.DEEMED_WITHDRAWN.value, reply_date=on,
                           outcome_code=OutcomeCode.DEEMED_WITHDRAWN_NO_PAYMENT.value)
                self._event(rid, "deem_withdrawn_no_payment", on, clerk)
            else:
                row["status"] = Status.PAUSED.value
            self._set_due(row, pauses, extended)
            return
        if rng.random() < 0.05 and age > 8:
            a = cal.add_workdays(assigned, 2)
            b = cal.add_workdays(a, rng.randrange(3, 16))
            closed = b <= today and age > 25
            pauses.append(PausePeriod(a, b if closed else None, PauseKind.THIRD_PARTY.value))
            self.tables[Pause].append({"request_id": rid, "kind": PauseKind.THIRD_PARTY.value, "start_date": a,
                                       "end_date": b if closed else None, "previous_status": Status.IN_PROGRESS.value,
                                       "counterpart": "某第三方企业", "note": ""})
            self._event(rid, "start_pause", a, clerk)
            if not closed:
                row["status"] = Status.PAUSED.value
                self._set_due(row, pauses, extended)
                return
            self._event(rid, "end_pause", b, clerk)
        clock = self._set_due(row, pauses, extended)
        if rng.random() < 0.07 and age > 15:
            approved = min(clock.reply_due, cal.add_workdays(start, 15))
            extended = True
            self.tables[Extension].append({"request_id": rid, "approver": self.supervisor, "reason": "需要协调多个单位",
                                           "approved_date": approved, "workdays": 20})
            self._event(rid, "extend", approved, clerk, "需要协调多个单位")
            row["status"] = Status.EXTENDED.value
            clock = self._set_due(row, pauses, extended)
        # Most replies come in good time; a few are late; recent cases are still open.
        worked = rng.choice([3, 8, 12, 15, 18, 19, 20, 20, 22])
        replied = cal.add_workdays(start, worked + sum(cal.workdays_between(p.start, p.end or today) for p in pauses)
                                   + (20 if extended else 0) * (worked > 18))
        if replied > today:
            return
        outcome = rng.choice(REPLY_OUTCOMES)
        if outcome == OutcomeCode.REPEAT_APPLICATION:  # a repeat names the earlier request it repeats
            if rid == 1:
                outcome = "1"
            else:
                row["repeat_of_id"] = rng.randrange(max(1, rid - 500), rid)
        row.update(status=Status.REPLIED.value, outcome_code=outcome, reply_date=replied,
                   replied_on_time=replied <= clock.reply_due, workdays_used=clock.workdays_used(replied))
        self._event(rid, "reply", replied, clerk, outcome)
        if outcome == OutcomeCode.NOT_HELD and rid % 10:  # most "not held" replies keep their search record
            self.tables[SearchRecord].append({
                "request_id": rid, "searched_on": replied, "where": "本机关公文管理系统、档案室、相关业务科室",
                "keywords": row["description"][:12], "searched_by": clerk, "found": "未检索到所申请的信息",
                "created_at": _office(replied, 9)})
        if rng.random() < 0.9 and cal.add_workdays(replied, 2) <= today:
            delivered = cal.add_workdays(replied, rng.randrange(0, 3))
            row.update(status=Status.DELIVERED.value, delivered_date=delivered, delivery_channel=row["delivery_method"])
            self._event(rid, "deliver", delivered, clerk)
            if rng.random() < 0.8 and cal.add_workdays(delivered, 5) <= today:
                self._calls(rid, delivered)
            self._remedies(rid, delivered)
            if (today - delivered).days > 60:
                row.update(status=Status.CLOSED.value, closed_date=delivered + timedelta(days=30))
                self._event(rid, "close", row["closed_date"], clerk)

    def _remedies(self, rid: int, delivered: date) -> None:
        """About one reply in a hundred is taken to reconsideration, a few of those on to court.

        Chosen by the request's id, not the random generator, so the rest of the demo stays as it was.
        """
        if rid % 97:
            return
        filed = delivered + timedelta(days=30)
        decided = filed + timedelta(days=60)
        result = (RemedyResult.CORRECTED if rid % 5 == 0 else RemedyResult.UPHELD) if decided <= self.today \
            else RemedyResult.PENDING
        remedies = [(RemedyKind.RECONSIDERATION, filed, "市人民政府", result, decided)]
        if result is RemedyResult.UPHELD and rid % 2 and decided + timedelta(days=75) <= self.today:
            remedies.append((RemedyKind.LITIGATION_AFTER_RECONSIDERATION, decided + timedelta(days=10),
                             "区人民法院", RemedyResult.UPHELD, decided + timedelta(days=75)))
        for kind, on, body, outcome, result_date in remedies:
            self.tables[RemedyCase].append({
                "request_id": rid, "kind": kind.value, "filed_date": on, "body": body, "result": outcome.value,
                "result_date": None if outcome is RemedyResult.PENDING else result_date, "note": ""})

    def _calls(self, rid: int, delivered: date) -> None:
        rng = self.rng
        when = self.cal.add_workdays(delivered, 3)
        if rng.random() < 0.25:
            self.tables[SatisfactionCall].append({"request_id": rid, "called_at": _office(when, 10),
                                                  "caller": rng.choice(self.clerks), "reached": False,
                                                  "satisfaction": None, "applicant_said": "无人接听",
                                                  "follow_up_needed": False, "note": ""})
            when = self.cal.add_workdays(when, 1)
        satisfaction = rng.choices(list(Satisfaction), weights=[70, 22, 8])[0]
        dissatisfied = satisfaction == Satisfaction.DISSATISFIED
        self.tables[SatisfactionCall].append({"request_id": rid, "called_at": _office(when, 15),
                                              "caller": rng.choice(self.clerks), "reached": True,
                                              "satisfaction": satisfaction.value,
                                              "applicant_said": "认为提供的信息不完整" if dissatisfied
                                              else "对答复内容表示认可",
                                              "follow_up_needed": dissatisfied, "note": ""})
        self._event(rid, "satisfaction_call", when, "demo")

    def _set_due(self, row: dict[str, Any], pauses: list[PausePeriod], extended: bool) -> ClockResult:
        clock = self.clock.of_stored(received_date=row["received_date"], supplemented_date=row["supplemented_date"],
                                     pauses=pauses, extended=extended)
        row.update(due_date=clock.reply_due, due_provisional=clock.provisional,
                   supplement_due_date=clock.supplement_notice_due)
        return clock

    def flush(self, session: Session) -> None:
        # Straight to the driver's executemany with values converted once per
        # distinct value: the ORM's bulk path split rows into thousands of
        # statements (3x the time), and even Core executemany spent as long
        # converting parameters as SQLite spent inserting them.
        conn = session.connection()
        if dialects.on_server(conn):  # the server: Core's executemany, then the id sequences past our ids
            for table, rows in self.tables.items():
                if rows:
                    conn.execute(insert(table_of(table)), rows)
            postgres_support.reset_sequences(conn, [table_of(t).name for t in self.tables])
            return
        raw = conn.connection.driver_connection
        assert raw is not None
        first_id = self.tables[Request][0]["id"] if self.tables[Request] else self.next_id
        # A million rows make indexes larger than SQLite's default 2 MB page
        # cache, and every batch touches pages all over them (receipt dates
        # are random): with a bigger cache each page is read once, not per row.
        # ``generate`` puts the connection's own size back at the end.
        try:
            raw.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
            # Full-text and similarity indexing once per batch, not once per row.
            with sqlite_support.bulk_insert(raw, first_id):
                for table, rows in self.tables.items():
                    if rows:
                        _insert_many(raw, conn.dialect, table_of(table), rows)
        except sqlite3.Error as exc:
            # The driver, not SQLAlchemy, raised it: translate as the engine's error hook does
            # (disk full, read-only …); the batch's transaction is rolled back whole.
            translated = sqlite_support.storage_error(exc, str(conn.engine.url.database))
            if translated is None:
                raise
            raise translated from exc


def _insert_many(raw: sqlite3.Connection, dialect: Dialect, table: Table, rows: list[dict[str, Any]]) -> None:
    """``INSERT`` ``rows`` (dicts with the same keys) with SQLAlchemy's own value conversions.

    Each column's bind processor (dates → ISO text, datetimes → UTC text,
    booleans → 0/1, JSON → text) is the one SQLAlchemy would apply, so the
    stored values are identical to a Core insert; values repeat across rows
    (dates, flags, empty JSON) and are converted once each.
    """
    names = list(rows[0])
    columns = list(zip(*map(itemgetter(*names), rows), strict=True))
    for i, name in enumerate(names):
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            columns[i] = tuple(map(_memoised(process), columns[i]))
    quoted = ", ".join(f'"{n}"' for n in names)
    raw.executemany(f'INSERT INTO "{table.name}" ({quoted}) VALUES ({", ".join("?" * len(names))})',
                    zip(*columns, strict=True))


def _memoised(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    memo: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return memo[value]
        except KeyError:
            memo[value] = converted = process(value)
            return converted
        except TypeError:  # unhashable (a JSON dict): convert every time
            return process(value)

    return convert


# The demo office's own details, so a demo desk can issue letters at once (a real office
# fills these in its settings; until then no letter is issued, docs/domain.md, "Letters").
DEMO_OFFICE = {"agency_name": "宿迁市宿城区人民政府办公室", "reconsideration_body": "宿迁市宿城区人民政府",
               "court": "宿迁市宿城区人民法院", "reconsideration_online": "江苏省行政复议网上申请平台",
               "contact_person": "李晓", "contact_phone": "0527-84367000"}


def _demo_office(session: Session, actor: str) -> office_settings.OfficeSettings:
    """The office settings, with the demo office's details where none are set (audited)."""
    conf = office_settings.load(session)
    if conf.missing_office_details():
        unset = {k: v for k, v in DEMO_OFFICE.items() if not getattr(conf, k)}
        conf = office_settings.update(session, **unset)
        audit(session, actor, "update_settings", "setting", None, None, unset)
    return conf


def run(db: Database, requests: int, **kwargs: Any) -> int:
    """Generate without progress reporting (CLI, tests): ``jobs.run`` of ``generate``."""
    return jobs.run(generate(db, requests, **kwargs))
