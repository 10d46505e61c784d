"""The similarity matcher's vocabulary, as data an office can extend.

Two lists decide what ``similarity`` treats as the same words and as words that
name a different document:

* ``resources/similarity/synonyms.csv`` (``written,normal,comment``):
  abbreviations and other spellings of one thing (市一院 = 市第一人民医院,
  公租房 = 公共租赁住房, 环评, 低保, 三公经费, 资料/文件 = 材料 …). Before
  comparing, every ``written`` form is replaced by its ``normal`` form,
  longest first, and again on the result until nothing changes (so one row
  may shorten a part that another row's longer phrase then matches).
* ``resources/similarity/discriminating_terms.csv`` (``group,term,comment``):
  words that differ by a character or two but name another document —
  预算/决算, 小学/初中/高中, 上半年/下半年, 招标/中标, 立项/验收, 申请/批复 … Two
  descriptions that name terms of one group, none of them shared, are no
  match, like two different years (``similarity.compare`` says which terms).
  The group ``不是区分词`` holds longer words that contain a term but are not
  it (标准化 in 农贸市场标准化改造 is no 标准 of a fee or a subsidy): terms
  are matched longest first, so such a word takes the place of the term in it
  and counts as no term at all.

Both are shipped in the package ``request_desk.resources`` (the repository's
top-level ``resources/``), read with ``importlib.resources`` like the fee
table and the letter templates. **An office adds its own rows** in lists of
the same names and columns kept in the database (``storage/office_files.py``,
like the office's fee table and letter templates; ``request-desk settings
set-file similarity/synonyms.csv FILE``), so every desk matches alike: they are
merged over the shipped rows — an office row with the same ``written`` form,
or the same ``group`` and ``term``, replaces the shipped one; others are added.
Empty lines and lines starting with ``#`` are ignored. ``vocabulary(session)``
reads the office's lists (two rows) on each call and compiles a vocabulary
only when their text changed; ``vocabulary(None)`` is the shipped lists alone.

Every vocabulary has a ``fingerprint``; when it changes, the stored requests
are indexed again (``similarity_index.rebuild_job``: in the background when the
desk starts, or ``request-desk similarity reindex``), since the index keys are
made from normalised text.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from sqlmodel import Session

from request_desk.core.errors import DeskError
from request_desk.core.storage.office_files import SIMILARITY, own_file, shipped_text

__all__ = ["NOT_A_TERM", "SYNONYMS_FILE", "TERMS_FILE", "Vocabulary", "VocabularyError", "check", "vocabulary"]

SYNONYMS_FILE = "synonyms.csv"
TERMS_FILE = "discriminating_terms.csv"
# Raised whenever ``similarity.normalise`` changes what it produces, so that the index is rebuilt.
NORMALISATION_VERSION = 4
# The group of words that contain a term without being it (see the module docstring).
NOT_A_TERM = "不是区分词"
# Replacements are applied again on their result, at most this many times (a list with a cycle stops here).
_EXPANSION_PASSES = 4


class VocabularyError(DeskError):
    """A vocabulary file cannot be read or has a bad line."""


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Synonyms and discriminating terms, compiled; equal when their fingerprints are."""

    synonyms: dict[str, str]
    terms: dict[str, tuple[str, ...]]  # term → the groups it belongs to
    fingerprint: str
    synonym_re: re.Pattern[str] | None = field(repr=False)
    term_re: re.Pattern[str] | None = field(repr=False)

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Vocabulary) and other.fingerprint == self.fingerprint

    def expand(self, text: str) -> str:
        """``text`` with every written form replaced by its normal form."""
        if self.synonym_re is None:
            return text
        for _pass in range(_EXPANSION_PASSES):  # until nothing changes: 费用 → 费, then the full name of 三公经费
            expanded = self.synonym_re.sub(lambda m: self.synonyms[m.group(0)], text)
            if expanded == text:
                break
            text = expanded
        return text

    def find_terms(self, text: str) -> tuple[tuple[str, str], ...]:
        """(group, term) of the discriminating terms in ``text``, in order, each once."""
        if self.term_re is None:
            return ()
        found: dict[tuple[str, str], None] = {}
        for m in self.term_re.finditer(text):
            for group in self.terms[m.group(0)]:
                if group != NOT_A_TERM:
                    found[(group, m.group(0))] = None
        return tuple(found)


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def _rows(text: str, origin: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return []
    reader = csv.reader(io.StringIO("\n".join(line for _n, line in lines)))
    header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    missing = [c for c in columns if c not in header]
    if missing:
        raise VocabularyError(f"{origin} 第{lines[0][0]}行（表头）缺少列：{'、'.join(missing)}。")
    out = []
    for (number, _line), cells in zip(lines[1:], reader, strict=False):
        row = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header)}
        if any(not _clean(row[c]) for c in columns):
            raise VocabularyError(f"{origin} 第{number}行：{'、'.join(columns)} 都不能为空。")
        out.append((number, row))
    return out


def _alternation(words: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True)))) if words else None


def build(shipped_synonyms: str, shipped_terms: str, office_synonyms: str | None = None,
          office_terms: str | None = None, office_origin: str = "office") -> Vocabulary:
    """A vocabulary from the texts of the files (the office's merged over the shipped ones)."""
    synonyms: dict[str, str] = {}
    for text, origin in ((shipped_synonyms, f"resources/similarity/{SYNONYMS_FILE}"),
                         (office_synonyms, f"{office_origin}/{SYNONYMS_FILE}")):
        for number, row in _rows(text or "", origin, ("written", "normal")):
            written, normal = _clean(row["written"]), _clean(row["normal"])
            if written == normal:
                raise VocabularyError(f"{origin} 第{number}行：写法与规范写法相同。")
            synonyms[written] = normal
    pairs: dict[tuple[str, str], None] = {}
    for text, origin in ((shipped_terms, f"resources/similarity/{TERMS_FILE}"),
                         (office_terms, f"{office_origin}/{TERMS_FILE}")):
        for _number, row in _rows(text or "", origin, ("group", "term")):
            pairs[(_clean(row["group"]), _clean(row["term"]))] = None
    terms: dict[str, tuple[str, ...]] = {}
    for group, term in pairs:
        terms[term] = (*terms.get(term, ()), group)
    digest = hashlib.sha256(f"v{NORMALISATION_VERSION}".encode())
    for written, normal in sorted(synonyms.items()):
        digest.update(f"s\x00{written}\x00{normal}\x00".encode())
    for group, term in sorted(pairs):
        digest.update(f"t\x00{group}\x00{term}\x00".encode())
    return Vocabulary(synonyms, terms, digest.hexdigest()[:16], _alternation(list(synonyms)),
                      _alternation(list(terms)))


def _shipped(name: str) -> str:
    text = shipped_text(SIMILARITY, name)
    assert text is not None, f"the package ships resources/similarity/{name}"
    return text


@lru_cache(maxsize=8)
def _load(office_synonyms: str | None, office_terms: str | None) -> Vocabulary:
    return build(_shipped(SYNONYMS_FILE), _shipped(TERMS_FILE), office_synonyms, office_terms, "本机关的 similarity")


def vocabulary(session: Session | None) -> Vocabulary:
    """The shipped lists with the office's rows (from the database; none without a session) merged over them."""
    synonyms, terms = own_file(session, SIMILARITY, SYNONYMS_FILE), own_file(session, SIMILARITY, TERMS_FILE)
    return _load(None if synonyms is None else synonyms.text, None if terms is None else terms.text)


def check(name: str, text: str) -> None:
    """Refuse ``text`` as the office's list ``name``, with the line at fault."""
    if name == SYNONYMS_FILE:
        build("", "", text, None, "本机关的 similarity")
    elif name == TERMS_FILE:
        build("", "", None, text, "本机关的 similarity")
    else:
        raise VocabularyError(f"相似度词表只有 {SYNONYMS_FILE} 和 {TERMS_FILE} 两个。")
