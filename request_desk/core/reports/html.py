"""The annual table as a clean HTML fragment to paste into the website's annual report.

Plain ``<table>`` markup with rowspan/colspan as in the official format, a
small embedded stylesheet and no scripts; every text is escaped.
"""

from __future__ import annotations

from request_desk.core.reports import annual
from request_desk.core.reports.safe_text import html_text


def _td(value: object, rowspan: int = 1, colspan: int = 1, cls: str = "", tag: str = "td") -> str:
    attrs = ""
    if rowspan > 1:
        attrs += f' rowspan="{rowspan}"'
    if colspan > 1:
        attrs += f' colspan="{colspan}"'
    if cls:
        attrs += f' class="{cls}"'
    return f"<{tag}{attrs}>{html_text(value)}</{tag}>"


STYLE = """<style>
table.gkbg { border-collapse: collapse; font-size: 14px; margin: 1em 0; }
table.gkbg th, table.gkbg td { border: 1px solid #000; padding: 4px 6px; text-align: center; }
table.gkbg td.label { text-align: left; }
</style>"""


def annual_table_html(report: annual.AnnualReport) -> str:
    rows: list[str] = []
    types = annual.TYPE_COLUMNS
    rows.append("<tr>" + _td(A_CHECK, 3, 3, tag="th")
                + _td("申请人情况", colspan=len(annual.COLUMN_KEYS), tag="th") + "</tr>")
    rows.append("<tr>" + _td("自然人", 2, tag="th") + _td("法人或其他组织", colspan=len(types) - 1, tag="th")
                + _td("总计", 2, tag="th") + "</tr>")
    rows.append("<tr>" + "".join(_td(annual.COLUMN_LABELS[t], tag="th") for t in types[1:]) + "</tr>")

    def numbers(key: str) -> str:
        return "".join(_td(report.table[key][c]) for c in annual.COLUMN_KEYS)

    for key in ("new", "carried_in"):
        rows.append("<tr>" + _td(annual.ROW_LABELS[key], colspan=3, cls="label") + numbers(key) + "</tr>")
    result_rows = annual.ROW_KEYS.index("total") - annual.ROW_KEYS.index("1") + 1
    first = True
    for spec in annual.row_specs():
        if spec.key in ("new", "carried_in", "carried_out") or spec.key == "heading:results":
            continue
        if spec.key.startswith("heading:"):
            continue
        cells = ""
        if first:
            cells += _td("三、本年度办理结果", result_rows)
            first = False
        if spec.level == 1:
            cells += _td(spec.number + spec.label, colspan=2, cls="label")
        else:
            group = spec.key.split(".")[0]
            codes = [k for k in annual.OUTCOME_ROWS if k.split(".")[0] == group]
            if spec.key == codes[0]:
                heading = next(s for s in annual.row_specs() if s.key == f"heading:{group}")
                cells += _td(heading.number + heading.label, len(codes))
            cells += _td(spec.number + spec.label, cls="label")
        rows.append("<tr>" + cells + numbers(spec.key) + "</tr>")
    rows.append("<tr>" + _td(annual.ROW_LABELS["carried_out"], colspan=3, cls="label")
                + numbers("carried_out") + "</tr>")
    return '<table class="gkbg">\n' + "\n".join(rows) + "\n</table>"


A_CHECK = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def remedies_html(report: annual.AnnualReport) -> str:
    head1 = _td("行政复议", 2, 5, tag="th") + _td("行政诉讼", colspan=10, tag="th")
    head2 = _td("未经复议直接起诉", colspan=5, tag="th") + _td("复议后起诉", colspan=5, tag="th")
    head3 = "".join(_td(annual.REMEDY_COLUMN_LABELS[c], tag="th")
                    for _ in annual.REMEDY_KINDS for c in annual.REMEDY_COLUMNS)
    data = "".join(_td(report.remedies[k][c]) for k in annual.REMEDY_KINDS for c in annual.REMEDY_COLUMNS)
    return (f'<table class="gkbg">\n<tr>{head1}</tr>\n<tr>{head2}</tr>\n<tr>{head3}</tr>\n<tr>{data}</tr>\n</table>')


def annual_html(report: annual.AnnualReport, agency: str) -> str:
    """A complete, self-contained page; the two ``<table>`` elements can be pasted as they are."""
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html_text(agency)}{report.year}年政府信息公开工作年度报告（统计表）</title>\n{STYLE}\n</head>\n<body>\n"
        "<h3>三、收到和处理政府信息公开申请情况</h3>\n"
        f"{annual_table_html(report)}\n"
        "<h3>四、政府信息公开行政复议、行政诉讼情况</h3>\n"
        f"{remedies_html(report)}\n</body>\n</html>\n"
    )
