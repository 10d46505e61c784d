"""The ledger-import row of the benchmark suite: a 100,000-row XLSX ledger checked and imported.

``write_ledger`` writes a ledger as an office keeps it (a title row, the
office's own header wording, dates as Excel date cells and as text, twelve
months of requests of every applicant type and outcome, twenty handling units,
valid ID numbers and credit codes), with openpyxl's write-only mode. The
suite times ``importer.plan_import`` (the dry run: reading and checking every
row) and ``importer.import_plan`` (writing every request in one transaction)
on it, each as the desk runs them, with progress reported.

    python -m benchmarks --sizes 1000 --only "ledger import"
    python -m benchmarks.ledger_import --rows 100000        # just this, on an empty database

The generated file is cached in ``benchmarks/.data/`` (keyed by this module's
digest). The import runs once per size: a second one would skip every row as
already imported.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from benchmarks.data import CLERK
from benchmarks.measure import Result
from request_desk.core.cases.validation import credit_code_check_character, id_check_character
from request_desk.core.storage.db import Database

TODAY = date(2026, 11, 27)  # data.TODAY: the suite's "today"

LEDGER_ROWS = 100_000
HEADERS = ["序号", "登记编号", "申请日期", "申请方式", "申请人性质", "申请人姓名", "身份证号", "统一社会信用代码",
           "联系人", "联系电话", "地址", "申请公开内容", "办理单位", "是否延期", "征求意见期间", "答复日期",
           "答复结果", "送达日期", "送达方式", "满意度", "备注"]
UNITS = [f"市{name}局" for name in "教育 公安 民政 财政 人社 自然资源 生态环境 住建 交通 水利 农业 商务 文旅 卫健 应急 "
         "审计 市场监管 统计 医保 城管".split()]
OUTCOMES = ["予以公开", "部分公开", "不予公开-保护第三方合法权益", "本机关不掌握相关政府信息", "信访", "重复申请",
            "申请人撤回", "不予公开：属于四类过程性信息", "无法提供：没有现成信息需要另行制作"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def _id_number(rng: random.Random) -> str:
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 50))
    first17 = f"320102{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + id_check_character(first17)


def _credit_code(rng: random.Random) -> str:
    first17 = "9132130" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(10))
    return first17 + credit_code_check_character(first17)


def ledger_rows(count: int, seed: int = 14) -> list[list[object]]:
    rng = random.Random(seed)
    start = date(2025, 1, 2)
    out: list[list[object]] = []
    for i in range(1, count + 1):
        received = start + timedelta(days=(i * 360) // count)
        kind = rng.random()
        if kind < 0.7:
            person = rng.choice(SURNAMES) + rng.choice(GIVEN) * rng.randint(1, 2)
            atype, name, id_number, credit, contact = "自然人", person, _id_number(rng), "", ""
        else:
            atype, name, id_number, credit, contact = (rng.choice(["企业", "律师事务所", "科研机构"]),
                                                       f"宿迁某某{i}有限公司", "", _credit_code(rng), "王经理")
        replied = received + timedelta(days=rng.randint(8, 25))
        done = replied < date(2025, 12, 20)
        paused = f"{received + timedelta(days=2):%Y-%m-%d}至{received + timedelta(days=6):%Y-%m-%d}" \
            if rng.random() < 0.05 else ""
        out.append([
            i, f"宿公开〔2025〕{i}号",
            datetime.combine(received, datetime.min.time()) if i % 2 else f"{received:%Y/%-m/%-d}",
            rng.choice(["网上申请", "当面", "邮寄", "电子邮件", "传真"]), atype, name, id_number, credit, contact,
            f"139{rng.randrange(10 ** 8):08d}", f"宿迁市幸福路{i}号",
            f"申请公开{received.year}年第{i}号项目的审批文件及资金使用情况", rng.choice(UNITS),
            "是" if rng.random() < 0.03 else "", paused,
            f"{replied:%Y-%m-%d}" if done else "", rng.choice(OUTCOMES) if done else "",
            f"{replied + timedelta(days=1):%Y-%m-%d}" if done and rng.random() < 0.5 else "",
            "邮寄" if done else "", rng.choice(["满意", "基本满意", ""]) if done else "", "",
        ])
    return out


def write_ledger(path: Path, count: int = LEDGER_ROWS) -> Path:
    """A ``count``-row ledger in one sheet, with a title row above the header."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("2025年台账")
    ws.append(["某某市人民政府办公室政府信息公开申请登记台账（2025年）"])
    ws.append(HEADERS)
    for row in ledger_rows(count):
        ws.append(row)
    wb.save(path)
    return path


def cached_ledger(count: int = LEDGER_ROWS) -> Path:
    """The generated ledger, written once (openpyxl takes ~30 s for 100,000 rows) into ``benchmarks/.data``."""
    from benchmarks import data

    digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:8]
    path = data.FOLDER / f"ledger-{count}-{digest}.xlsx"
    if not path.exists():
        data.FOLDER.mkdir(parents=True, exist_ok=True)
        print(f"writing a {count:,}-row ledger …", file=sys.stderr, flush=True)
        partial = path.with_suffix(".partial.xlsx")
        write_ledger(partial, count)
        partial.replace(path)
    return path


def results(db: Database, size: int, count: int = LEDGER_ROWS) -> list[Result]:
    """Check and import the ledger into ``db`` (once: a second import would skip every row), timed."""
    from request_desk.core.jobs import Progress, run
    from request_desk.core.transfer import importer

    ledger = cached_ledger(count)
    reports: list[Progress] = []
    start = time.perf_counter()
    plan = run(importer.plan_job(db, ledger, today=TODAY), on_progress=reports.append)
    checked = time.perf_counter() - start
    if not plan.ok or len(plan.rows) != count:
        raise RuntimeError(f"the generated ledger did not check clean: {plan.summary()}")
    check_reports = len(reports)
    start = time.perf_counter()
    added = run(importer.import_plan(db, plan, CLERK, today=TODAY), on_progress=reports.append)
    written = time.perf_counter() - start
    assert added == count
    rows = f"{count:,} rows"
    return [
        Result("ledger_step", f"ledger import: check (dry run), {rows} XLSX", size, [checked],
               note=f"{check_reports} progress reports"),
        Result("ledger_step", f"ledger import: write in one transaction, {rows}", size, [written],
               note=f"{len(reports) - check_reports} progress reports"),
        Result("ledger", f"ledger import: check + write, {rows}", size, [checked + written]),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description="time the check and import of a generated ledger")
    parser.add_argument("--rows", type=int, default=LEDGER_ROWS)
    args = parser.parse_args()
    from request_desk.core.storage.db import Database

    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(Path(tmp) / "desk.sqlite3")
        for r in results(db, 0, args.rows):
            print(f"{r.label}: {r.median:.1f} s ({r.note})", file=sys.stderr)
        db.close()


if __name__ == "__main__":
    main()
