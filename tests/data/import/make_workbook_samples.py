"""Builds the multi-sheet and Excel 97-2003 ledgers in this folder (run once; the files are committed).

``monthly-workbook.xlsx``  one office's 2025 ledger kept one sheet per month: a 说明 sheet first,
                           1月 / 2月 / 3月 with the same columns under title rows of different
                           heights, a hidden old copy of 1月, an empty Sheet6 and a 汇总 sheet.
``legacy-ledger.xls``      the same months as an Excel 97-2003 workbook (BIFF8, written with
                           xlwt), dates as Excel date cells, text and serial numbers; 1900 date system.
``legacy-1904.xls``        one month in a workbook using the 1904 date system (Mac Excel).

Run with xlwt and xlrd installed (``pip install xlwt xlrd``; neither is needed by the tests):
each .xls is read back with xlrd, the reference reader, and its dates compared.

    .venv/bin/python tests/data/import/make_workbook_samples.py
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
HEADERS = ["序号", "登记编号", "收到日期", "收到方式", "申请人类型", "申请人", "证件号码", "统一社会信用代码",
           "联系电话", "申请内容", "承办单位", "答复日期", "办理结果"]
PERSON_ID = "11010519491231002X"
CODE = "91321300MA1MAB1C2G"


def month_rows(month: int) -> list[list[object]]:
    """Four requests received in ``month`` of 2025: dates as date cells, text and serial numbers."""
    out: list[list[object]] = []
    for i in range(1, 5):
        received = date(2025, month, 3 + i)
        replied = date(2025, month, 20 + i)
        cell: object = (datetime.combine(received, datetime.min.time()) if i % 2 else f"{received:%Y年%-m月%-d日}")
        person = i != 3
        out.append([i, f"宿公开〔2025〕{month:02d}{i:02d}号", cell, "网上申请" if i % 2 else "当面",
                    "自然人" if person else "商业企业", f"申请人{month}{i}" if person else f"宿迁某{month}{i}有限公司",
                    PERSON_ID if person else "", "" if person else CODE, "13912345678",
                    f"{month}月第{i}件申请的政府信息", "市住房和城乡建设局",
                    datetime.combine(replied, datetime.min.time()) if i != 4 else "", "予以公开" if i != 4 else ""])
    return out


def write_xlsx(path: Path) -> None:
    wb = Workbook()
    notes = wb.active
    notes.title = "说明"
    notes.append(["填表说明"])
    notes.append(["1. 每月一张工作表，列名不得改动。"])
    notes.append(["2. 日期填写为 2025-03-05 或 2025年3月5日。"])
    for month, titles in ((1, 1), (2, 2), (3, 0)):
        ws = wb.create_sheet(f"{month}月")
        for t in range(titles):
            title = f"某某市人民政府办公室政府信息公开申请登记台账（2025年{month}月）"
            ws.append([title if t == 0 else "填表人：李晓"])
        ws.append(HEADERS)
        for row in month_rows(month):
            ws.append(row)
    hidden = wb.create_sheet("1月（旧）")
    hidden.append(HEADERS)
    for row in month_rows(1):
        hidden.append(row)
    hidden.sheet_state = "hidden"
    wb.create_sheet("Sheet6")
    summary = wb.create_sheet("汇总")
    summary.append(["月份", "件数", "已办结"])
    for month in (1, 2, 3):
        summary.append([f"{month}月", 4, 3])
    wb.save(path)


def write_xls(path: Path, months: tuple[int, ...], *, dates_1904: bool = False) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    wb.dates_1904 = dates_1904
    as_date = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    notes = wb.add_sheet("说明")
    notes.write(0, 0, "填表说明：每月一张工作表。")
    for month in months:
        ws = wb.add_sheet(f"{month}月")
        ws.write(0, 0, f"政府信息公开申请登记台账（2025年{month}月）")
        for c, header in enumerate(HEADERS):
            ws.write(1, c, header)
        for r, row in enumerate(month_rows(month), start=2):
            for c, value in enumerate(row):
                if isinstance(value, datetime):
                    ws.write(r, c, value, as_date)
                elif value != "":
                    ws.write(r, c, value)
        # A serial day number typed into a text-formatted date column: 45717 is 2025-03-01 (1900 system).
        if not dates_1904:
            ws.write(len(month_rows(month)) + 2, 0, 5)
            for c, value in enumerate(["", f"宿公开〔2025〕{month:02d}05号", 45717 + month, "邮寄", "自然人",
                                       f"申请人{month}5", "", "", "13912345678", f"{month}月第5件申请的政府信息",
                                       "市住房和城乡建设局", "", ""][1:], start=1):
                if value != "":
                    ws.write(len(month_rows(month)) + 2, c, value)
    wb.save(str(path))
    _check_with_xlrd(path, months, dates_1904)


def _check_with_xlrd(path: Path, months: tuple[int, ...], dates_1904: bool) -> None:
    import xlrd

    book = xlrd.open_workbook(str(path))
    assert book.datemode == (1 if dates_1904 else 0)
    for month in months:
        sheet = book.sheet_by_name(f"{month}月")
        cell = sheet.cell(2, 2)
        assert cell.ctype == xlrd.XL_CELL_DATE
        assert xlrd.xldate.xldate_as_datetime(cell.value, book.datemode).date() == date(2025, month, 4)


if __name__ == "__main__":
    write_xlsx(HERE / "monthly-workbook.xlsx")
    write_xls(HERE / "legacy-ledger.xls", (1, 2, 3))
    write_xls(HERE / "legacy-1904.xls", (3,), dates_1904=True)
