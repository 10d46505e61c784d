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
emitted by ``sqlite_support``.

On the office server (PostgreSQL, migration 0020) the same searches go
through one GIN index, ``postgres_support.SEARCH_INDEX``, over the text's
1- and 2-character grams (an array per request, lower-cased): a term of 1-2
characters is one gram, a longer one all of its 2-character windows, and
``strpos`` on the text confirms the substring. pg_trgm was the obvious
candidate and was measured out: it takes trigrams only from "words" of
letters and digits as the server's locale sees them, and under the C locale
(``initdb``'s default in many installations, and the test cluster's) a
Chinese character is neither, so ``show_trgm('征收补偿')`` is empty and
every search would read the whole index; under any locale it finds no
2-character term either. The grams index does not depend on the locale.
The contact keys are the same table, kept by PL/pgSQL triggers computing the
same keys (``postgres_support.contact_create_ddl``). Measured at a million
requests (benchmarks/RESULTS.md, "PostgreSQL search"): a page 4-100 ms
whatever the term; a count reads every match's row (GIN cannot count from
the index), so it takes 200-340 ms for a term found in 66,000-133,000
requests, where FTS5 counts in a few ms.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, and_, func, or_, select, text, union
from sqlalchemy.engine import Connection, Dialect

from request_desk.core.storage import contact_keys, postgres_support, sqlite_support
from request_desk.core.storage.models import Request, table_of

TRIGRAM_MIN = 3
_SPLIT = re.compile(r"[\s\u3000]+")
_REQUEST = table_of(Request).c


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
    if dialect.name == "postgresql":
        return _server_clause(query, walk=walk)
    parts = _fts_parts(query)
    if parts is None:
        return None
    tested = (request_id + 0) if walk else request_id
    united = _with_contacts(query, parts)
    if united is not None:
        sql, params = united
        return tested.in_(text(sql).bindparams(**params).columns(request_id=request_id.type))
    return and_(*(tested.in_(text(sql).bindparams(**params).columns(rowid=request_id.type)) for sql, params in parts))


def _server_clause(query: str, *, walk: bool = False, grams_only: bool = False) -> ColumnElement[bool] | None:
    """``match_clause`` on PostgreSQL (``grams_only``: the index's condition alone, see ``more_matches_than``).

    ``walk=True`` leaves the index out: PostgreSQL then has to walk the sort
    order's index, testing each request's text, and stops after a page. Left
    to itself it reads every match whenever it under-estimates them, as it
    does for a term of 3+ characters (it multiplies the frequencies of the
    term's grams: 4,247 estimated for 66,748 matches of 网约车 at a million).
    """
    terms = parse_terms(query)
    if not terms:
        return None
    found = postgres_support.search_clause(terms, index=not walk, confirm=not grams_only)
    digits = contact_keys.query_digits(query)
    if digits is None:
        return found
    lo, hi = contact_keys.key_range(digits)
    contacts = text(contact_keys.match_sql()).bindparams(contact_lo=lo, contact_hi=hi)
    if walk:  # tested request by request: the few keyed ids are read once (a hashed subplan)
        return or_(found, _REQUEST.id.in_(contacts.columns(request_id=_REQUEST.id.type)))
    # A union, as on SQLite: an OR of the two would keep the planner from using either index.
    return _REQUEST.id.in_(union(select(_REQUEST.id).where(found),
                                 contacts.columns(request_id=_REQUEST.id.type)))


def more_matches_than(connection: Connection, query: str, limit: int) -> bool | None:
    """Whether more than ``limit`` requests hold ``query``'s grams (PostgreSQL); None elsewhere or for no filter.

    Reads at most ``limit + 1`` of them through the grams index, so it costs
    little where an exact count would read every match: the server's way of
    deciding whether to walk the sort order (SQLite counts in its FTS index,
    ``match_count``). Holding a term's grams is what its matches do and a few
    more (the grams of "网约车" apart), which only errs towards walking.
    """
    if connection.dialect.name != "postgresql":
        return None
    where = _server_clause(query, grams_only=True)
    if where is None:
        return None
    probe = select(_REQUEST.id).where(where).limit(limit + 1).subquery()
    return int(connection.execute(select(func.count()).select_from(probe)).scalar_one()) > limit


def match_count(connection: Connection, query: str) -> int | None:
    """How many requests match every term of ``query`` (SQLite), from the FTS indexes alone.

    Counting through the request table looks up every match (80 ms for
    66,000); the indexes' own row ids are counted in a few ms. None if the
    query filters nothing or the database has no FTS5 indexes (PostgreSQL: the
    list counts ``match_clause``'s rows, which its index answers).
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
