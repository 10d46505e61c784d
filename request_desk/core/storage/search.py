"""Instant search over registration number, applicant name and description.

Chinese has no spaces between words, so search is by substring, and clerks
type short terms: a surname and given name ("张三") or a topic ("拆迁", "低保")
are two characters. Measured on the development machine (SQLite 3.40; see
docs/ARCHITECTURE.md, "Platform notes"):

* FTS5 ``tokenize='trigram'`` finds any substring of 3+ characters in
  1–5 ms at a million rows, but a 2-character term silently matches nothing;
* ``LIKE '%张三%'`` on the request table is correct for any length but scans
  the table: 321 ms at a million rows, too slow to run on every keystroke.

So there are two indexes, both kept in sync by triggers (migration 0002):

``request_fts``
    trigram, *external content* on ``request`` (the text is stored once).
    Terms of 3+ characters: an FTS5 phrase, i.e. a substring match.
``request_fts2``
    ``unicode61`` over text pre-split into overlapping bigrams by the SQL
    function ``rd_bigrams`` ("张三丰" → "张三 三丰 丰"). Every character
    position starts exactly one token, so a 2-character term is one token
    lookup and a 1-character term is a token-prefix query. *Contentless*
    (``content=''``): its text is derived, so nothing more is stored.

A bigram table was preferred to an n-gram side table maintained by Python
services: triggers keep it right whatever code (or a future import tool)
writes the request table, and FTS5 does the posting lists and AND-merging.
Its cost is a Python SQL function the triggers call, registered for every
SQLite connection by ``sqlite_support`` (a connection without it cannot
insert requests: "no such function: rd_bigrams").

Several terms separated by spaces must all match (AND). A term without a
letter or digit ("-", "（）", "…") means nothing and filters nothing
(``filters`` tells the search box so). A number-shaped query ("138 0013
8000", "1234") also finds the requests whose phone or ID number ends with its
digits (``contact_keys``): the list's matches are the union of both. Every FTS5 string is
emitted by ``sqlite_support``; on another database (PostgreSQL later) this
module falls back to ``LIKE`` until that database gets its own index.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, and_, or_, text
from sqlalchemy.engine import Connection, Dialect

from request_desk.core.storage import contact_keys, sqlite_support
from request_desk.core.storage.models import Request, table_of

TRIGRAM_MIN = 3
_SPLIT = re.compile(r"[\s\u3000]+")
_REQUEST = table_of(Request).c
_SEARCHED = (_REQUEST.reg_number, _REQUEST.applicant_name, _REQUEST.description)


def parse_terms(query: str) -> list[str]:
    """The search box's text as terms: split on (full-width) spaces, no duplicates.

    Terms without a letter or digit are dropped: unicode61 would read one as an
    empty phrase (a syntax error), the trigram index would match the dashes of
    any description, and a clerk typing "（）" is not asking for those.
    """
    terms: list[str] = []
    for term in _SPLIT.split(query.strip()):
        if term and term not in terms and any(ch.isalnum() for ch in term):
            terms.append(term)
    return terms


def filters(query: str) -> bool:
    """Whether ``query`` narrows the list at all (False for "", "-", "（）", "…")."""
    return bool(parse_terms(query))


def _fts_parts(query: str) -> list[tuple[str, dict[str, str]]] | None:
    terms = parse_terms(query)
    if not terms:
        return None
    long_terms = [t for t in terms if len(t) >= TRIGRAM_MIN]
    short_terms = [t for t in terms if len(t) < TRIGRAM_MIN]
    return sqlite_support.fts_match_sql(long_terms, short_terms)


def _with_contacts(query: str, parts: list[tuple[str, dict[str, str]]]) -> tuple[str, dict[str, str]] | None:
    """For a number-shaped query: one subquery of the full-text matches united with the contact matches."""
    digits = contact_keys.query_digits(query)
    if digits is None:
        return None
    lo, hi = contact_keys.key_range(digits)
    params = {k: v for _, p in parts for k, v in p.items()} | {"contact_lo": lo, "contact_hi": hi}
    fts = " INTERSECT ".join(f"SELECT * FROM ({part})" for part, _ in parts)
    return f"SELECT * FROM ({fts}) UNION {contact_keys.match_sql()}", params


def match_clause(query: str, dialect: Dialect, *, walk: bool = False) -> ColumnElement[bool] | None:
    """A WHERE clause for requests matching every term of ``query``; None if it is empty.

    ``walk=True`` writes the test as ``id + 0 IN (…)``, which SQLite cannot
    answer by looking up each matching id: it then walks the sort order's
    index and stops after a page. That is the fast plan when many requests
    match (a page of 200 among 66,000 matches: 10 ms instead of 85 ms, the
    matches being read and sorted); looking up the ids is the fast plan when
    few match (``match_count`` tells which).
    """
    request_id = _REQUEST.id
    if dialect.name != "sqlite":
        terms = parse_terms(query)
        if not terms:
            return None
        found = and_(*(or_(*(c.contains(t, autoescape=True) for c in _SEARCHED)) for t in terms))
        digits = contact_keys.query_digits(query)
        if digits is None:
            return found
        # No key table there: the columns as typed (digits written without grouping).
        return or_(found, _REQUEST.phone.contains(digits, autoescape=True),
                   _REQUEST.id_number.endswith(digits, autoescape=True))
    parts = _fts_parts(query)
    if parts is None:
        return None
    tested = (request_id + 0) if walk else request_id
    united = _with_contacts(query, parts)
    if united is not None:
        sql, params = united
        return tested.in_(text(sql).bindparams(**params).columns(request_id=request_id.type))
    return and_(*(tested.in_(text(sql).bindparams(**params).columns(rowid=request_id.type)) for sql, params in parts))


def match_count(connection: Connection, query: str) -> int | None:
    """How many requests match every term of ``query`` (SQLite), from the FTS indexes alone.

    Counting through the request table looks up every match (80 ms for
    66,000); the indexes' own row ids are counted in a few ms. None if the
    query filters nothing or the database has no FTS5 indexes.
    """
    if connection.dialect.name != "sqlite":
        return None
    parts = _fts_parts(query)
    if parts is None:
        return None
    united = _with_contacts(query, parts)
    if united is not None:
        sql, params = united
    else:
        sql = " INTERSECT ".join(f"SELECT * FROM ({part})" for part, _ in parts)
        params = {k: v for _, p in parts for k, v in p.items()}
    return int(connection.execute(text(f"SELECT count(*) FROM ({sql})"), params).scalar_one())
