"""Builds the sample ledgers in this folder (run once; the files are committed).

``messy-ledger.xlsx``  a real-looking office ledger: merged title rows, its own
                       header wording, mixed date spellings (text, Excel dates,
                       serial numbers), blank lines, an unknown outcome text and
                       a bad ID number — must be rejected row by row.
``clean-ledger.xlsx``  the same ledger with those two cells fixed — imports.
``ledger-gbk.csv``     a CSV export in GB18030 with a blank line and a title row.

    .venv/bin/python tests/data/import/make_samples.py
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent

HEADERS = ["序号", "登记编号", "申请日期", "申请方式", "申请人性质", "申请人姓名", "身份证号", "统一社会信用代码",
           "联系人", "联系电话", "地址", "申请公开内容", "办理单位", "补正告知日期", "收到补正日期", "是否延期",
           "征求意见期间", "答复日期", "答复结果", "送达日期", "送达方式", "满意度", "备注"]

GOOD_ID = "11010519491231002X"
BAD_ID = "110105194912310021"  # wrong check character (should be X)
BAD_OUTCOME = "已办理完毕"

ROWS = [
    # 1: replied within the year, text dates with slashes
    ["1", "宿公开〔2025〕1号", "2025/3/5", "网上申请", "自然人", "张三", GOOD_ID, "", "", "13912345678",
     "宿迁市幸福路1号", "2024年老旧小区改造资金使用情况", "市住房和城乡建设局", "", "", "否", "",
     "2025/3/20", "予以公开", "2025/3/21", "邮寄", "满意", ""],
    # 2: Chinese date spelling, partial disclosure, extension
    ["2", "宿公开〔2025〕2号", "2025年3月6日", "当面", "个人", "李四", "320102198001010016", "", "", "025-84361234",
     "", "某地块出让合同", "市自然资源和规划局", "", "", "是", "", "2025年4月30日", "部分公开", "", "", "", ""],
    # 3: an Excel date cell; a company; a third-party consultation pause
    ["3", "宿公开〔2025〕3号", datetime(2025, 4, 1), "邮寄", "企业", "宿迁某某建设有限公司", "", "91321300MA1MAB1C2G",
     "王经理", "13800000000", "宿迁市某路8号", "某道路工程环评批复", "市生态环境局", "", "",
     "", "2025-04-03至2025-04-16", "2025-05-20", "不予公开-保护第三方合法权益", "2025-05-21", "邮寄", "不满意",
     "征求第三方意见"],
    # (blank line)
    [None] * 23,
    # 4: an Excel serial day number; supplement then deemed withdrawn
    ["4", "宿公开〔2025〕4号", 45853, "电子邮件", "自然人", "王五", BAD_ID, "", "", "", "wangwu@example.com",
     "关于某事项的情况", "", "2025-07-18", "", "", "", "2025-08-20", "逾期不补正", "", "", "", "视为放弃"],
    # 5: received at the end of the year, still open (carried over)
    ["5", "宿公开〔2025〕5号", "2025-12-29", "网上申请", "律师事务所", "某某律师事务所", "", "",
     "赵律师", "13700000000", "", "某行政处罚决定书", "市市场监督管理局", "", "", "", "", "", "", "", "", "", ""],
    # 6: unknown outcome text
    ["6", "宿公开〔2025〕6号", "2025.6.3", "传真", "自然人", "钱六", "", "", "", "13600000000", "",
     "某项目审批文件", "市发展和改革委员会", "", "", "", "", "2025-06-20", BAD_OUTCOME, "", "", "", ""],
]


def _fixed(rows: list[list[object]]) -> list[list[object]]:
    out = [list(r) for r in rows]
    out[4][6] = ""  # the bad ID number cleared (a warning remains: no ID recorded)
    out[6][18] = "本机关不掌握相关政府信息"
    return out


def write_xlsx(path: Path, rows: list[list[object]]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "2025年台账"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws["A1"] = "某某市人民政府办公室政府信息公开申请登记台账（2025年）"
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADERS))
    ws["A2"] = "填表人：李晓　　　　更新日期：2026年1月5日"
    ws.append([])
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
        if isinstance(r[2], datetime):
            ws.cell(row=ws.max_row, column=3).number_format = "yyyy年m月d日"
    wb.save(path)


def write_csv(path: Path, rows: list[list[object]]) -> None:
    with open(path, "w", encoding="gb18030", newline="") as f:
        out = csv.writer(f)
        out.writerow(["某某市政府信息公开申请台账"])
        out.writerow(HEADERS)
        for r in rows:
            out.writerow(["" if v is None else v.strftime("%Y-%m-%d") if isinstance(v, (date, datetime)) else v
                          for v in r])


if __name__ == "__main__":
    write_xlsx(HERE / "messy-ledger.xlsx", ROWS)
    write_xlsx(HERE / "clean-ledger.xlsx", _fixed(ROWS))
    write_csv(HERE / "ledger-gbk.csv", _fixed(ROWS))
