"""The search record of a case (检索记录): what was searched, where, how, and what was found.

A 4.1 reply ("经检索没有所申请公开的信息", 条例第三十六条第（四）项) rests on a search the
office must be able to prove (最高人民法院指导性案例101号; docs/domain.md, "Search
record"). The step ``record_search`` (``steps.RECORD_SEARCH``) adds one row per search;
this module reads them for the case view, the letter's summary sentence and the annex.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from request_desk.core.storage.db import Database
from request_desk.core.storage.models import SearchRecord, User


@dataclass(frozen=True)
class SearchRow:
    """One search as the case view and the annex show it; ``searched_by`` is the display name."""

    id: int
    searched_on: date
    where: str
    keywords: str
    found: str
    searched_by: str


def rows_in(session: Session, request_id: int) -> tuple[SearchRow, ...]:
    """The request's searches, oldest first."""
    records = session.exec(select(SearchRecord).where(SearchRecord.request_id == request_id)
                           .order_by(col(SearchRecord.searched_on), col(SearchRecord.id))).all()
    names = {u.username: u.display_name for u in session.exec(select(User)).all()}
    return tuple(SearchRow(r.id or 0, r.searched_on, r.where, r.keywords, r.found,
                           names.get(r.searched_by, r.searched_by)) for r in records)


def search_rows(db: Database, request_id: int) -> tuple[SearchRow, ...]:
    with db.read() as session:
        return rows_in(session, request_id)


_END = "。；;，,、 \n"


def _unique(parts: list[str]) -> list[str]:
    return list(dict.fromkeys(p for p in parts if p))


def _items(text: str, strip: str = "") -> list[str]:
    """The items of a list the clerk typed with 、，, or ；, each stripped."""
    for sep in "，,；;\n":
        text = text.replace(sep, "、")
    return [item.strip().strip(strip) for item in text.split("、")]


def summary(rows: tuple[SearchRow, ...]) -> str:
    """The sentence a 4.1 letter states the search in: "经检索……，以“…”为关键词，未检索到……。"

    Empty without a search on record (the pre-issue check then refuses the letter).
    """
    if not rows:
        return ""
    places = _unique([p for r in rows for p in _items(r.where.strip(_END), _END)])
    keywords = _unique([k for r in rows for k in _items(r.keywords, "“”\"' ")])
    found = _unique([r.found.strip().strip(_END) for r in rows])
    words = "".join(f"“{k}”" for k in keywords)
    return f"经检索{'、'.join(places)}，以{words}为关键词，{'；'.join(found)}。"
