"""Places named in a request description, for the similarity matcher (``similarity``).

A place is recognised by its suffix (区、县、镇、村、路、片区、小区、开发区、河、湖 …)
and the one or two characters before it, with a short list of common nouns that
only look like places (小区 in 老旧小区, 城乡, 道路, 河道 …). Two requests naming
different places of one kind ask for different information (``similarity.compare``).
"""

from __future__ import annotations

import re

__all__ = ["PLACE_SUFFIXES", "WEAK_PLACE_KINDS", "find_places", "is_cjk"]

# Places: (suffix, kind). Longest suffixes are tried first.
PLACE_SUFFIXES: dict[str, str] = {
    "经济技术开发区": "zone", "高新技术产业开发区": "zone", "开发区": "zone", "高新区": "zone",
    "新区": "zone", "工业园": "zone", "园区": "zone",
    "片区": "area", "街道": "area", "社区": "estate", "小区": "estate", "家园": "estate", "花园": "estate",
    "省": "province", "市": "city", "区": "district", "县": "district", "镇": "town", "乡": "town",
    "村": "village", "路": "road", "大道": "road", "街": "road", "河": "water", "湖": "water",
    "公司": "company",
}
# "宿迁市…" and "本市…" are the same office's city; a company one side leaves out is not another company.
WEAK_PLACE_KINDS = frozenset({"province", "city", "company"})
# Two characters that look like <name><suffix> but are common nouns.
_NOT_PLACES = frozenset(
    "小区 学区 园区 景区 片区 街区 辖区 市区 郊区 山区 厂区 矿区 校区 营区 库区 灾区 牧区 林区 禁区 专区 地区 "
    "全区 本区 该区 各区 我区 社区 新区 城市 都市 超市 本市 全市 我市 该市 各市 上市 门市 县市 省市 全县 本县 该县 "
    "各县 我县 区县 市县 城镇 乡镇 村镇 全镇 本镇 各镇 城乡 全乡 乡村 农村 全村 本村 各村 山村 道路 线路 公路 马路 "
    "铁路 网路 出路 思路 水路 电路 大街 上街 全省 本省 外省 各省 江河 山河 河湖 江湖 跨河 沿河 沿湖 环湖 "
    "入河 入湖".split()
)
# Names that make a generic phrase with an estate/area suffix (老旧小区, 安置小区).
_GENERIC_NAMES = frozenset("老旧 城镇 农村 安置 住宅 居民 各个 相关 周边 所在 保障 商品 这个 城中 拆迁 回迁 新建 "
                           "改造 示范 试点 各类 重点 城区 市区 主城".split())
# A following character that shows the suffix is not a place's (市场, 区域, 路内 …).
_NOT_AFTER = {"市": set("场民政容级委直属内值面长"), "区": set("域级间分别块划位委长内"),
              "县": set("级域委长"), "村": set("民级委组务庄"), "路": set("内面灯网线费段"),
              "街": set("道区头"), "河": set("道长流段堤岸床口水沿"), "湖": set("泊区滨畔水长")}
_PLACE_RE = re.compile("|".join(sorted(map(re.escape, PLACE_SUFFIXES), key=len, reverse=True)))
_SUFFIX_CHARS = frozenset("区县市镇乡村路街省河湖")
# A place name never contains an agency's or document's character (宿市监处罚 is a document prefix).
_NOT_IN_NAME = frozenset("局委办厅处科所站院部会监罚政发函")


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def find_places(text: str, places: set[tuple[str, str, str]]) -> str:
    """``text`` with every place cut out (a space in its stead); each is added to ``places`` as (name, suffix, kind)."""
    out: list[str] = []
    last = 0
    for m in _PLACE_RE.finditer(text):
        suffix = m.group(0)
        start, end = m.start(), m.end()
        following = text[end:end + 1]
        if following and following in _NOT_AFTER.get(suffix, ()):
            continue
        name = ""
        i = start
        while i > max(last, start - 2) and is_cjk(text[i - 1]):
            i -= 1
        name = text[i:start]
        if len(suffix) == 1:
            if not name or (name[-1] + suffix) in _NOT_PLACES or name[-1] in _SUFFIX_CHARS \
                    or _NOT_IN_NAME & set(name):
                continue
            if len(name) == 1 and suffix != "县":  # 沛县, 丰县; a one-character 区/市 is a noun
                continue
        else:
            if len(name) < 2 or name in _GENERIC_NAMES or name[-1] in _SUFFIX_CHARS or _NOT_IN_NAME & set(name):
                continue
        places.add((name, suffix, PLACE_SUFFIXES[suffix]))
        out.append(text[last:i])
        out.append(" ")
        last = end
    out.append(text[last:])
    return "".join(out)
