"""The visible blanks of a draft (``【请填写：…】``) and dates as letters write them.

A placeholder the case record cannot fill becomes a marker the clerk must
replace before the letter can be issued (``compose``).
"""

from __future__ import annotations

from datetime import date
from typing import Final

from . import templates

__all__ = ["FILL_MARK", "cn_date", "marker"]

FILL_MARK: Final = "【请填写"

# Blanks that office settings or a step fill: say where.
_MARKER_TEXT = {
    "agency_name": "本机关名称（须在“设置”中填写）",
    "reconsideration_body": "行政复议机关（须在“设置”中填写）",
    "court": "管辖人民法院（须在“设置”中填写）",
    "reconsideration_online": "网上申请行政复议的渠道（电子送达的文书必须载明，可在“设置”中填写）",
    "fee_payment_method": "信息处理费缴纳方式，如非税收入缴款平台和缴款码的送达方式（可在“设置”中填写）",
    "contact": "联系人和联系电话（可在“设置”中填写）",
    "agency_address": "本机关通信地址（可在“设置”中填写）",
    "fee_payment_due": "缴费期限（须先在办理操作中登记“申请人收到收费通知”的日期）",
    "third_party_view": ("征求第三方意见的结果（第三方同意公开的，依条例第十五条应予公开；不同意公开的，写明其理由，"
                         "以及本机关认为其理由合理、不公开不会对公共利益造成重大影响的判断）"),
    "consult_reasons": "不同意公开的理由（可在办理操作“登记征求意见结果”中登记）",
    "consult_received_date": "被征求意见方收到征求意见书的日期（可在办理操作中登记）",
}


def marker(key: str) -> str:
    """The visible blank for a placeholder the record cannot fill."""
    return f"{FILL_MARK}：{_MARKER_TEXT.get(key) or templates.PLACEHOLDERS.get(key, key)}】"


def cn_date(d: date | None) -> str:
    """``2026年10月30日`` (no leading zeros), or '' for None."""
    return f"{d.year}年{d.month}月{d.day}日" if d else ""
