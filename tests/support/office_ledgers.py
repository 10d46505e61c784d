"""The office ledgers of issue 14 in tests/data/import/, and what they hold.

``tests/data/import/make_office_ledgers.py`` writes the files (run once; they are
committed); the tests read the names, ID numbers and credit codes from here.

Ledgers as offices keep them, each trait in its own file, and one with all of them:

``office-2025.xlsx``         the office's 2025 ledger: merged title rows, the 填表单位 … 填表日期
                             line, headers 序号 / 编号 / 受理日期 / 申请人类别 / 申请人姓名/名称 /
                             身份证号码/统一社会信用代码 / 申请内容 / 承办科室 / 答复日期 / 处理结果 / 备注,
                             four date spellings and an Excel date, blank applicant types, a
                             bare 其他处理, a blank line and a 合计 row — imports as it stands.
``office-spellings.xlsx``    other headers offices use (受理时间, 申请人身份, 承办处室, 证件号码（代码）,
                             办结时间, 答复结果).
``office-two-row-header.xlsx`` a merged group header (申请人, 答复情况) over its sub-headers.
``office-combined-id.xlsx``  one column for persons' ID numbers and organisations' credit codes.
``office-no-channel.xlsx``   no channel column at all.
``office-no-type.xlsx``      no applicant type column: the type read from each name.
``office-not-requests.xlsx`` subtotals, totals, notes, a repeated header, blank rows, the 落款 line.
``office-values.xlsx``       outcomes, channels and applicant types in the office's own words.
``office-dates.xlsx``        the date spellings of one office's clerks over the years.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from request_desk.core.cases.validation import credit_code_check_character, id_check_character


def person_id(first17: str) -> str:
    return first17 + id_check_character(first17)


def credit_code(first17: str) -> str:
    return first17 + credit_code_check_character(first17)


# Natural persons (GB 11643) and organisations (GB 32100), all with valid check characters.
ZHANG_WEI = person_id("32130219800101123")
LI_NA = person_id("32130219850315224")
WANG_XM = person_id("32130219900620331")
ZHAO_GANG = person_id("32130219751111441")
CHEN_JING = person_id("32130219920202552")
BUILDER = credit_code("91321300MA1MAB1C2")
LAW_FIRM = credit_code("31320000MD0123456")
UNIVERSITY = credit_code("12320000466007123")
CHARITY = credit_code("51321300MJ1234567")
TECH = credit_code("91321302MA20ABCD1")
TRADER = credit_code("91321311MA1XYW123")
COMMITTEE = credit_code("55321302MEA123456")


def _sheet(title: str) -> tuple[Workbook, Worksheet]:
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = title
    return wb, ws


def _title(ws: Worksheet, text: str, width: int, row: int = 1, size: int = 16) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    cell = ws.cell(row=row, column=1, value=text)
    cell.font = Font(size=size, bold=True)
    cell.alignment = Alignment(horizontal="center")


OFFICE_HEADERS = ["序号", "编号", "受理日期", "申请人类别", "申请人姓名/名称", "身份证号码/统一社会信用代码",
                  "申请内容", "承办科室", "答复日期", "处理结果", "备注"]

# The 2025 ledger. Counted by hand in tests/core/test_import_ledgers.py.
OFFICE_ROWS: list[list[Any]] = [
    [1, "2025-001", "2025-01-06", "自然人", "张伟", ZHANG_WEI, "2024年区级财政预算执行情况", "办公室",
     "2025-01-20", "予以公开", ""],
    [2, "2025-002", "2025/2/10", "企业", "宿迁某某建设有限公司", BUILDER, "某道路工程施工许可", "法制科",
     "2025/3/3", "部分公开", ""],
    [3, "2025-003", "2025.3.5", "法律服务机构", "江苏某某律师事务所", LAW_FIRM, "某行政处罚决定书", "法制科",
     "2025.3.25", "本机关不掌握相关政府信息", ""],
    [4, "2025-004", "2025年4月8日", "个人", "李娜", LI_NA, "某小区加装电梯审批材料", "政务公开科",
     "2025年4月30日", "其他处理", "申请人电话说明已自行获取"],
    [5, "2025-005", datetime(2025, 5, 12), "", "南京某某大学", UNIVERSITY, "某地块土壤调查报告", "办公室",
     "2025-06-03", "不予公开-属于国家秘密", ""],
    [6, "2025-006", "2025-06-16", "", "王小明", WANG_XM, "某河道整治工程验收报告", "政务公开科",
     "2025-07-01", "信息不存在", ""],
    [7, "2025-007", "2025/7/7", "社会公益组织", "某某市环保公益协会", CHARITY, "某企业排污许可证", "法制科",
     "2025/7/28", "予以公开", ""],
    [8, "2025-008", "2025.8.18", "", "宿迁某某科技有限公司", TECH, "某项目招标文件", "办公室",
     "2025.9.5", "重复申请", ""],
    [9, "2025-009", "2025年9月22日", "自然人", "赵刚", ZHAO_GANG, "某村征地补偿方案", "政务公开科", "", "",
     "征求第三方意见中"],
    [10, "2025-010", "2025-10-09", "其他", "某某街道某某社区居民委员会", COMMITTEE, "某街道办事处年度工作计划",
     "办公室", "2025-10-30", "予以公开", ""],
    [11, "2025-011", "2025/11/3", "个人", "孙丽", "", "某学校招生计划", "政务公开科", "2025/11/21", "申请人撤回",
     ""],
    [12, "2025-012", "2025.12.29", "企业", "宿迁某某商贸有限公司", TRADER, "某市场改造规划", "法制科", "", "", ""],
    [13, "2025-013", "2025年12月1日", "", "陈静", CHEN_JING, "某路段交通事故统计", "办公室", "2025年12月19日",
     "部分公开", ""],
]


def office_2025(path: Path) -> None:
    wb, ws = _sheet("2025年")
    width = len(OFFICE_HEADERS)
    _title(ws, "某某区人民政府办公室2025年政府信息公开申请登记台账", width)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws["A2"] = "填表单位：某某区人民政府办公室（盖章）　　　　　　填表日期：2026年1月8日"
    ws.append(OFFICE_HEADERS)
    for r in OFFICE_ROWS:
        ws.append(r)
        if isinstance(r[2], datetime):
            ws.cell(row=ws.max_row, column=3).number_format = "yyyy年m月d日"
    ws.append([])
    ws.append(["合计", f"{len(OFFICE_ROWS)}件"])
    wb.save(path)


def spellings(path: Path) -> None:
    wb, ws = _sheet("台账")
    ws.append(["登记号", "受理时间", "来件方式", "申请人身份", "申请人名称", "证件号码（代码）", "申请公开的内容",
               "承办处室", "办结时间", "答复结果"])
    ws.append(["S-1", "2025-04-01", "网上", "企业", "宿迁某某建设有限公司", BUILDER, "某项目环评批复", "法制处",
               "2025-04-20", "予以公开"])
    ws.append(["S-2", "2025-04-02", "窗口", "个人", "张伟", ZHANG_WEI, "某文件", "办公室", "2025-04-21",
               "部分公开"])
    wb.save(path)


def two_row_header(path: Path) -> None:
    wb, ws = _sheet("台账")
    _title(ws, "政府信息公开申请办理台账", 10)
    top = ["序号", "受理日期", "申请人", None, None, "申请内容", "承办科室", "答复情况", None, "备注"]
    sub = [None, None, "类别", "姓名/名称", "证件号码", None, None, "答复日期", "处理结果", None]
    ws.append(top)
    ws.append(sub)
    for col in (1, 2, 6, 7, 10):  # headers standing alone span both rows
        ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    ws.merge_cells(start_row=2, start_column=3, end_row=2, end_column=5)
    ws.merge_cells(start_row=2, start_column=8, end_row=2, end_column=9)
    ws.append([1, "2025-05-06", "自然人", "张伟", ZHANG_WEI, "某文件", "办公室", "2025-05-20", "予以公开", ""])
    ws.append([2, "2025-05-07", "企业", "宿迁某某建设有限公司", BUILDER, "某批复", "法制科", "2025-05-27", "部分公开",
               ""])
    wb.save(path)


def combined_id(path: Path) -> None:
    wb, ws = _sheet("台账")
    ws.append(["收到日期", "收到方式", "申请人类型", "申请人", "证件号码/统一社会信用代码", "申请内容"])
    ws.append(["2025-03-03", "网上", "自然人", "张伟", ZHANG_WEI, "甲文件"])                  # 2: an ID number
    ws.append(["2025-03-04", "网上", "商业企业", "宿迁某某建设有限公司", BUILDER, "乙文件"])   # 3: a credit code
    ws.append(["2025-03-05", "网上", "法律服务机构", "江苏某某律师事务所", LAW_FIRM, "丙文件"])  # 4: a credit code
    ws.append(["2025-03-06", "网上", "自然人", "李娜", LI_NA[:-1] + "0", "丁文件"])           # 5: bad ID check
    ws.append(["2025-03-07", "网上", "商业企业", "宿迁某某商贸有限公司", TRADER[:-1] + "0", "戊文件"])  # 6: bad code
    ws.append(["2025-03-10", "网上", "", "某某某某某", WANG_XM, "己文件"])                      # 7: no type: by shape
    wb.save(path)


def no_channel(path: Path) -> None:
    wb, ws = _sheet("台账")
    ws.append(["编号", "收到日期", "申请人类型", "申请人", "申请内容", "答复日期", "办理结果"])
    ws.append(["N-1", "2025-06-02", "自然人", "张伟", "某文件", "2025-06-20", "予以公开"])
    ws.append(["N-2", "2025-06-03", "商业企业", "宿迁某某建设有限公司", "某批复", "2025-06-24",
               "本机关不掌握相关政府信息"])
    ws.append(["N-3", "2025-12-30", "自然人", "李娜", "某方案", "", ""])
    wb.save(path)


# (name, expected applicant type) — the inference rules of docs/import-format.md.
NO_TYPE_ROWS = [
    ("宿迁某某建设有限公司", "commercial"), ("某某贸易公司", "commercial"), ("江苏某某律师事务所", "legal_services"),
    ("南京某某大学", "research"), ("某某环境科学研究所", "research"), ("某某规划设计研究院", "research"),
    ("某某市消费者协会", "public_interest"), ("某某慈善基金会", "public_interest"),
    ("某某公益服务中心", "public_interest"), ("张伟", "natural_person"), ("欧阳娜娜", "natural_person"),
    ("某某街道办事处", None), ("阿依古丽·买买提", "natural_person"),
]


def no_type(path: Path) -> None:
    wb, ws = _sheet("台账")
    ws.append(["收到日期", "收到方式", "申请人", "申请内容"])
    for i, (name, _) in enumerate(NO_TYPE_ROWS, start=1):
        ws.append([f"2025-07-{i:02d}", "邮寄", name, f"某文件{i}"])
    wb.save(path)


def not_requests(path: Path) -> None:
    wb, ws = _sheet("台账")
    headers = ["序号", "收到日期", "收到方式", "申请人类型", "申请人", "申请内容"]
    _title(ws, "政府信息公开申请台账", len(headers))
    ws.append(headers)                                                            # 2
    ws.append([1, "2025-01-06", "网上", "自然人", "张伟", "甲文件"])               # 3
    ws.append([2, "2025-01-08", "网上", "自然人", "李娜", "乙文件"])               # 4
    ws.append(["", "", "", "", "2件", ""])                                          # 5 a subtotal: a count
    ws.append(headers)                                                            # 6 the header, printed again
    ws.append([3, "2025-04-01", "邮寄", "商业企业", "宿迁某某建设有限公司", "丙文件"])  # 7
    ws.append([])                                                                 # 8 blank
    ws.append([4])                                                                # 9 only the running number
    ws.append([5, "2025-04-09", "邮寄", "自然人", "王小明", "丁文件"])              # 10
    ws.append(["第二季度小计", "", "", "", "", "2件"])                               # 11
    ws.append(["总 计", "5件"])                                                      # 12
    ws.append(["共计91件"])                                                         # 13
    ws.append(["注：本表由办公室每月更新，申请人信息请勿外传。"])                      # 14
    ws.append(["填表说明", "收到日期按条例第三十一条确定"])                             # 15
    ws.append(["填表人：李晓", "", "审核人：王主任", "", "填表日期：2026年1月5日"])       # 16
    for row in range(17, 40):  # formatted, empty rows below the table, as Excel keeps them
        ws.cell(row=row, column=1).font = Font(bold=True)
    wb.save(path)


def office_values(path: Path) -> None:
    wb, ws = _sheet("台账")
    ws.append(["收到日期", "申请方式", "申请人类型", "申请人", "申请内容", "答复日期", "处理结果"])
    rows = [
        ("2025-02-03", "网上", "自然人", "张伟", "甲", "2025-02-20", "已答复"),
        ("2025-02-04", "来信", "自然人", "李娜", "乙", "2025-02-21", "已答复"),
        ("2025-02-05", "来信", "自然人", "王小明", "丙", "2025-02-24", "已答复"),
        ("2025-02-06", "网上", "个体户", "某某小吃店", "丁", "2025-02-25", "其他处理"),
        ("2025-02-07", "网上", "自然人", "赵刚", "戊", "2025-02-26", "其他处理"),
        ("2025-02-10", "网上", "自然人", "陈静", "己", "2025-02-27", "不予公开"),
        ("2025-02-11", "网上", "自然人", "孙丽", "庚", "2025-02-28", "无法提供"),
        ("2025-02-12", "网上", "自然人", "周八", "辛", "2025-03-03", "不予处理"),
    ]
    for r in rows:
        ws.append(list(r))
    wb.save(path)


def dates(path: Path) -> None:
    wb, ws = _sheet("台账")
    ws.append(["收到日期", "收到方式", "申请人类型", "申请人", "申请内容", "答复日期", "办理结果"])
    ws.append(["2025-03-05", "网上", "自然人", "张伟", "甲", "2025-03-20", "予以公开"])
    ws.append(["2025/3/5", "网上", "自然人", "李娜", "乙", "2025/3/21", "予以公开"])
    ws.append(["2025.3.5", "网上", "自然人", "王小明", "丙", "2025.3.24", "予以公开"])
    ws.append(["2025年3月5日", "网上", "自然人", "赵刚", "丁", "2025年3月25日", "予以公开"])
    ws.append([datetime(2025, 3, 5), "网上", "自然人", "陈静", "戊", datetime(2025, 3, 26), "予以公开"])
    ws.cell(row=6, column=1).number_format = "yyyy年m月d日"
    wb.save(path)


def write_all(folder: Path) -> None:
    office_2025(folder / "office-2025.xlsx")
    spellings(folder / "office-spellings.xlsx")
    two_row_header(folder / "office-two-row-header.xlsx")
    combined_id(folder / "office-combined-id.xlsx")
    no_channel(folder / "office-no-channel.xlsx")
    no_type(folder / "office-no-type.xlsx")
    not_requests(folder / "office-not-requests.xlsx")
    office_values(folder / "office-values.xlsx")
    dates(folder / "office-dates.xlsx")
