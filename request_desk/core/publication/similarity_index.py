"""Finding similar earlier requests among many, through an index (never a scan).

Why not the FTS5 tables of the request list (``request_fts``/``request_fts2``)?
They index the description *as written*: 二〇二五年, 2025年 and 去年 are
different text there, fillers and abbreviations are kept, and an OR query
over a description's n-grams must rank every request sharing a common n-gram
(情况, 资金 …) — tens of thousands of rows at a million. Similarity needs the
*normalised* description, so this module keeps its own small index.

The index (``similarity_key``, WITHOUT ROWID, primary key ``(key,
request_id)``) stores a **bottom-k sketch** per request: of the normalised
content's character bigrams, the ``K_STORED`` with the smallest stable hash
(a MinHash sketch). Two descriptions with much content in common very
probably share one of those bigrams: the smallest-hashed bigram of their
union lies in both sketches with probability equal to their Jaccard
similarity, and there are ``K_STORED`` chances. Each key is the hash of the
bigram *and* the request's discriminating signature (years and numbers, which
must match anyway — ``similarity.compare``), so posting lists are split per
year: "老旧小区 2025" and "老旧小区 2024" never share a list. Requests that
state no year are also stored under a year-blind key, because a request
without a year is comparable to any year.

A lookup is therefore: normalise (microseconds), look up at most
``2 × K_QUERY`` keys, each an index range read capped at ``POSTINGS_CAP``
newest ids (``ORDER BY request_id DESC LIMIT``), count how many keys each id
shares, compare the best ``CANDIDATES`` in full (rapidfuzz pre-filter, then
the alignment). Every step is bounded by those constants, not by the number
of requests: the only dependence on N is the depth of one B-tree (log N), so
a million rows cost what ten thousand do (``python -m benchmarks.similarity``
measures 10k and 100k; at 1M the lists are capped by the same constants and
the B-tree is one level deeper). Storage: about 10 keys per request (≈ 160
bytes), 160 MB at a million.

The index is kept current without any Python function in SQL: triggers on
``request`` queue changed rows in ``similarity_pending`` (migration 0004),
and ``sync`` indexes the queue before every lookup — usually the one request
just registered. A database filled in bulk (demo data, an import) is indexed
on first use, or ahead of time with ``sync``. The keys depend on the
vocabulary (``similarity_vocab``): the ``setting`` row ``similarity_vocabulary``
holds the fingerprint of the one the index was built with. When an office
edits its lists or an upgrade changes the shipped ones, ``rebuild_job`` indexes
every request again — a job with progress, run off the UI thread when the desk
starts (``request-desk similarity reindex`` on the command line). At a million
requests that takes minutes, so it never runs inside a lookup: it fills a new
table (``similarity_key_next``) a batch at a time, each batch its own short
write, while lookups go on with the old keys; ``sync`` writes the requests
changed meanwhile into both tables, and the last batch swaps the tables in the
same transaction that finds nothing left.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import bindparam, delete, insert, inspect, select, text
from sqlmodel import Session

from request_desk.core.jobs import Job, Progress
from request_desk.core.publication import similarity, similarity_vocab
from request_desk.core.publication.similarity import Normalised
from request_desk.core.storage import dialects
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import Setting, table_of
from request_desk.core.vocab import DISCLOSING_OUTCOMES, OUTCOME_GROUPS, OUTCOMES_BY_CODE, Status

__all__ = ["SimilarRequest", "applicant_key", "ensure_indexed", "find_similar", "keys_for", "linked_ids",
           "rebuild_job", "rebuild_needed", "search", "similar_to_request", "sync"]

K_STORED = 6  # bigrams of each request's sketch
K_QUERY = 12  # bigrams of the looked-up description probed
POSTINGS_CAP = 400  # newest ids read per key
CANDIDATES = 300  # ids compared in full
SYNC_BATCH = 2000
VOCABULARY_KEY = "similarity_vocabulary"  # a ``setting`` row: the fingerprint the keys were made with
_YEAR_BLIND = "*"


def _hash(text_: str) -> int:
    """A stable signed 63-bit hash (Python's ``hash`` changes between runs)."""
    return int.from_bytes(hashlib.blake2b(text_.encode("utf-8"), digest_size=8).digest(), "big") >> 1


def _sketch(n: Normalised, k: int) -> list[str]:
    return sorted(n.grams, key=_hash)[:k]


def _numbers_sig(n: Normalised) -> str:
    return ",".join(map(str, sorted(n.numbers)))


def keys_for(n: Normalised) -> set[int]:
    """The index keys stored for one request."""
    grams = _sketch(n, K_STORED)
    keys = {_hash(f"{n.signature}|{g}") for g in grams}
    if not n.years:
        keys |= {_hash(f"{_YEAR_BLIND}#{_numbers_sig(n)}|{g}") for g in grams}
    return keys


def _probe_keys(n: Normalised) -> list[int]:
    grams = _sketch(n, K_QUERY)
    keys = [_hash(f"{n.signature}|{g}") for g in grams]
    if n.years:  # earlier requests that state no year
        keys += [_hash(f"#{_numbers_sig(n)}|{g}") for g in grams]
    else:  # any year
        keys += [_hash(f"{_YEAR_BLIND}#{_numbers_sig(n)}|{g}") for g in grams]
    return keys


_SETTING = table_of(Setting)
NEXT_TABLE = "similarity_key_next"  # the index being rebuilt (``rebuild_job``)
_INSERT = "INSERT INTO {table} (key, request_id) VALUES (:k, :r) ON CONFLICT DO NOTHING"


def _rebuilding(session: Session) -> bool:
    return inspect(session.connection()).has_table(NEXT_TABLE)


def _key_rows(rows: Iterable[tuple[int, str | None, object]], vocab: similarity_vocab.Vocabulary
              ) -> list[dict[str, int]]:
    out: list[dict[str, int]] = []
    for request_id, description, received in rows:
        if description is None:
            continue  # deleted since it was queued
        received_date = received if isinstance(received, date) else date.fromisoformat(str(received))
        out += [{"k": k, "r": request_id} for k in keys_for(similarity.normalise(description, received_date, vocab))]
    return out


def sync(session: Session, limit: int | None = None) -> int:
    """Index the queued requests (in the caller's transaction); returns how many.

    While ``rebuild_job`` runs, the keys go into the table being built too.
    """
    done = 0
    vocab = similarity_vocab.vocabulary(session)
    tables = ["similarity_key", NEXT_TABLE] if _rebuilding(session) else ["similarity_key"]
    if _indexed_with(session) is None and session.execute(text("SELECT 1 FROM similarity_key LIMIT 1")).first() is None:
        _record_fingerprint(session, vocab.fingerprint)  # a new index: built with today's lists from the start
    while limit is None or done < limit:
        batch = session.execute(text(
            "SELECT p.request_id, r.description, r.received_date FROM similarity_pending p "
            "LEFT JOIN request r ON r.id = p.request_id ORDER BY p.request_id LIMIT :n"
        ), {"n": SYNC_BATCH}).all()
        if not batch:
            break
        rows = _key_rows(batch, vocab)
        for table in tables if rows else ():
            session.execute(text(_INSERT.format(table=table)), rows)
        session.execute(text("DELETE FROM similarity_pending WHERE request_id IN :ids")
                        .bindparams(bindparam("ids", expanding=True)), {"ids": [b[0] for b in batch]})
        done += len(batch)
    return done


def pending(session: Session) -> bool:
    return session.execute(text("SELECT 1 FROM similarity_pending LIMIT 1")).first() is not None


def applicant_key(name: str, id_number: str = "", credit_code: str = "") -> str:
    """Who asked, for counting *different* applicants: the ID or credit code, else the name."""
    ident = (credit_code or id_number or "").strip().upper()
    return f"id:{ident}" if ident else "name:" + "".join(name.split())


@dataclass(frozen=True)
class SimilarRequest:
    """An earlier (or later) request asking for similar information, as the panel shows it."""

    request_id: int
    reg_number: str
    applicant_name: str
    applicant: str  # applicant_key
    received_date: date
    status: Status
    outcome_code: str | None
    reply_date: date | None
    description: str
    score: float
    linked: bool = False  # a clerk linked them as the same subject
    same_applicant: bool = False

    @property
    def outcome_label(self) -> str:
        """How it was answered: the outcome's label, or the state while still open."""
        if self.outcome_code in OUTCOME_GROUPS:  # 1 予以公开, 2 部分公开 (without the report's footnote)
            return f"{self.outcome_code} {OUTCOME_GROUPS[self.outcome_code]}"
        if self.outcome_code:
            return f"{self.outcome_code} {OUTCOMES_BY_CODE[self.outcome_code].label}"
        return self.status.label

    @property
    def disclosed(self) -> bool:
        return self.outcome_code in DISCLOSING_OUTCOMES


_ROW_SQL = ("SELECT id, reg_number, applicant_name, id_number, credit_code, received_date, status, outcome_code, "
            "reply_date, description FROM request WHERE id IN :ids")


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


class _Row(NamedTuple):
    """The columns of ``_ROW_SQL``, typed once (raw SQL gives plain values)."""

    request_id: int
    reg_number: str
    applicant_name: str
    id_number: str
    credit_code: str
    received_date: date
    status: Status
    outcome_code: str | None
    reply_date: date | None
    description: str

    @property
    def applicant(self) -> str:
        return applicant_key(self.applicant_name, self.id_number, self.credit_code)


def _rows(session: Session, ids: Iterable[int]) -> list[_Row]:
    ids = list(ids)
    if not ids:
        return []
    rows: list[_Row] = []
    for r in session.execute(text(_ROW_SQL).bindparams(bindparam("ids", expanding=True)), {"ids": ids}).all():
        received = _as_date(r[5])
        assert received is not None  # received_date is NOT NULL
        rows.append(_Row(int(r[0]), str(r[1]), str(r[2]), str(r[3] or ""), str(r[4] or ""), received,
                         Status(str(r[6])), r[7] and str(r[7]), _as_date(r[8]), str(r[9])))
    return rows


def _candidates(session: Session, n: Normalised) -> list[int]:
    hits: Counter[int] = Counter()
    for key in dict.fromkeys(_probe_keys(n)):
        ids = session.execute(text("SELECT request_id FROM similarity_key WHERE key = :k "
                                   "ORDER BY request_id DESC LIMIT :cap"), {"k": key, "cap": POSTINGS_CAP}).scalars()
        hits.update(ids)
    # Most shared keys first, then newest.
    return [i for i, _c in sorted(hits.items(), key=lambda kv: (-kv[1], -kv[0]))[:CANDIDATES]]


def find_similar(session: Session, description: str, received: date, *, exclude_ids: Sequence[int] = (),
                 applicant: str | None = None, earlier_than: tuple[date, int] | None = None,
                 limit: int = 10, threshold: float | None = None) -> list[SimilarRequest]:
    """Requests whose description asks for the same information, best first.

    ``earlier_than=(received_date, id)`` keeps only requests received before
    (same day: registered before). ``applicant`` (an ``applicant_key``) marks
    rows of the same applicant (Art. 36(6)). Queued requests are indexed
    first, in this session: pass a write session, or call ``sync`` before.
    """
    if pending(session):
        sync(session)
    threshold = similarity.THRESHOLD if threshold is None else threshold
    vocab = similarity_vocab.vocabulary(session)
    query = similarity.normalise(description, received, vocab)
    if not query.content:
        return []
    excluded = set(exclude_ids)
    found: list[SimilarRequest] = []
    for row in _rows(session, [i for i in _candidates(session, query) if i not in excluded]):
        if earlier_than is not None and (row.received_date, row.request_id) >= earlier_than:
            continue
        other = similarity.normalise(row.description, row.received_date, vocab)
        if similarity.quick_score(query, other) < similarity.PREFILTER:
            continue
        result = similarity.compare(query, other)
        if result.score < threshold:
            continue
        key = row.applicant
        found.append(SimilarRequest(row.request_id, row.reg_number, row.applicant_name, key, row.received_date,
                                    row.status, row.outcome_code, row.reply_date, row.description, result.score,
                                    same_applicant=applicant is not None and key == applicant))
    found.sort(key=lambda s: (-s.score, -s.received_date.toordinal(), -s.request_id))
    return found[:limit]


def linked_ids(session: Session, request_id: int) -> set[int]:
    """Requests a clerk linked with this one as the same subject (either direction)."""
    rows = session.execute(text("SELECT other_id FROM request_link WHERE request_id = :r "
                                "UNION SELECT request_id FROM request_link WHERE other_id = :r"), {"r": request_id})
    return {int(r[0]) for r in rows}


def _indexed_with(session: Session) -> str | None:
    stored = session.execute(select(_SETTING.c.value).where(_SETTING.c.key == VOCABULARY_KEY)).scalar()
    return None if stored is None else str(stored)


def _record_fingerprint(session: Session, fingerprint: str) -> None:
    # In Core, like the keys: index bookkeeping, never part of a step an undo would take back.
    session.execute(delete(_SETTING).where(_SETTING.c.key == VOCABULARY_KEY))
    session.execute(insert(_SETTING).values(key=VOCABULARY_KEY, value=fingerprint))


def rebuild_needed(db: Database) -> bool:
    """Whether the index was built with another vocabulary (shipped lists, the office's rows, the normalisation)."""
    with db.read() as session:
        return _indexed_with(session) != similarity_vocab.vocabulary(session).fingerprint


def rebuild_job(db: Database) -> Job[int]:
    """Index every request again with today's vocabulary, a batch per short write; returns how many.

    Cancelled or interrupted, it starts again from the beginning next time (the old
    keys serve lookups until the last batch swaps the tables).
    """
    with db.write() as session:
        vocab = similarity_vocab.vocabulary(session)
        engine = dialects.support(session.connection())
        session.execute(text(f"DROP TABLE IF EXISTS {NEXT_TABLE}"))
        session.execute(text(f"CREATE TABLE {NEXT_TABLE} (key BIGINT NOT NULL, request_id INTEGER NOT NULL, "
                             f"PRIMARY KEY (key, request_id)){engine.KEY_TABLE_OPTIONS}"))
        total = int(session.execute(text("SELECT count(*) FROM request")).scalar_one())
    done = last = 0
    yield Progress(0, total, "正在更新相似申请索引…")
    while True:
        with db.write() as session:
            batch = session.execute(text("SELECT id, description, received_date FROM request WHERE id > :last "
                                         "ORDER BY id LIMIT :n"), {"last": last, "n": SYNC_BATCH}).all()
            if not batch:  # nothing left: the new keys replace the old in this same transaction
                session.execute(text("DROP TABLE similarity_key"))
                for ddl in engine.rename_table_ddl(NEXT_TABLE, "similarity_key"):
                    session.execute(text(ddl))
                _record_fingerprint(session, vocab.fingerprint)
                return done
            rows = _key_rows(batch, vocab)
            if rows:
                session.execute(text(_INSERT.format(table=NEXT_TABLE)), rows)
        last, done = batch[-1][0], done + len(batch)
        yield Progress(done, max(total, done), f"正在更新相似申请索引：{done:,} / {max(total, done):,} 件")


def ensure_indexed(db: Database) -> int:
    """Index queued requests in their own short transaction (readers then need no write).

    Only what is queued (usually the request just saved): a vocabulary change is
    ``rebuild_job``'s, never a lookup's.
    """
    with db.read() as session:
        if not pending(session):
            return 0
    with db.write() as session:
        return sync(session)


def search(db: Database, description: str, received: date, *, applicant: str | None = None,
           limit: int = 10) -> list[SimilarRequest]:
    """Similar stored requests for a description being typed (the registration dialog)."""
    ensure_indexed(db)
    with db.read() as session:
        return find_similar(session, description, received, applicant=applicant, limit=limit)


def similar_to_request(db: Database, request_id: int, *, limit: int = 10,
                       earlier_only: bool = True) -> list[SimilarRequest]:
    """The similar-requests panel of one stored request: linked ones first, then by score."""
    ensure_indexed(db)
    with db.read() as session:
        rows = _rows(session, [request_id])
        if not rows:
            return []
        this = rows[0]
        me = this.applicant
        found = find_similar(session, this.description, this.received_date, exclude_ids=[request_id], applicant=me,
                             earlier_than=(this.received_date, request_id) if earlier_only else None, limit=limit)
        links = linked_ids(session, request_id)
        by_id = {s.request_id: s for s in found}
        out: list[SimilarRequest] = []
        for linked in _rows(session, links):
            score = by_id.pop(linked.request_id).score if linked.request_id in by_id else 0.0
            out.append(SimilarRequest(linked.request_id, linked.reg_number, linked.applicant_name, linked.applicant,
                                      linked.received_date, linked.status, linked.outcome_code, linked.reply_date,
                                      linked.description, score, linked=True, same_applicant=linked.applicant == me))
        out.sort(key=lambda s: s.received_date, reverse=True)
        # The same applicant's requests first (Art. 36(6)); otherwise by score (a stable sort).
        rest = sorted((s for s in found if s.request_id in by_id), key=lambda s: not s.same_applicant)
        return out + rest
