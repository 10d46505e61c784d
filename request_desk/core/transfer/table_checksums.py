"""The fingerprint of a table, computed the same way from a SQLite file and from the office server.

Moving an office onto the server (``move_to_server``) proves the copy by a row
count and a SHA-256 per table on both sides. The two engines hand back the same
record in different shapes: SQLite gives dates and moments as the text
SQLAlchemy wrote (``2026-03-02 09:15:00.000000``), booleans as 0/1 and JSON as
text; psycopg gives ``date``/``datetime``, ``bool`` and parsed JSON. Each value
is therefore brought to one canonical form, chosen by the column's type on the
server, before it is hashed:

* ``NULL`` stays null;
* booleans are 0/1, integers their decimal digits;
* dates ISO ``YYYY-MM-DD``, moments ``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC: the
  file holds UTC wall-clock text, the server a ``timestamp with time zone``
  that psycopg returns as an aware UTC value (the desk's connections use the
  UTC time zone, ``postgres_support.configure``, so the copy shifts nothing);
* JSON re-serialized with sorted keys (the server may keep another key order or
  spacing; floats inside round-trip through ``repr``); a JSON ``null`` and a
  missing value are the same here, as they are to the desk (psycopg and
  SQLAlchemy read both as ``None``);
* binary values (letters' PDFs, attachments) by their own SHA-256;
* text as it is.

Rows are hashed in primary-key order; text keys are ordered bytewise on both
sides (SQLite's BINARY collation, PostgreSQL's ``"C"``), so the server's locale
cannot reorder them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

Normalizer = Callable[[Any], Any]

#: Column kinds, from ``information_schema.columns.data_type`` on the server.
TEXT_KEY_TYPES = frozenset({"character varying", "text", "character"})
JSON_TYPES = frozenset({"json", "jsonb"})


def _boolean(value: Any) -> int:
    return int(value)


def _integer(value: Any) -> int:
    return int(value)


def _day(value: Any) -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return str(value.isoformat())


def _moment(value: Any) -> str:
    """A ``timestamp without time zone``: an aware value is never equal to a naive one (DIFFERENT)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is not None:
        return str(value.isoformat())
    return str(value.isoformat(sep=" ", timespec="microseconds"))


def _utc_moment(value: Any) -> str:
    """A ``timestamp with time zone``: the server's aware value in UTC, the file's naive UTC text."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return str(value.isoformat(sep=" ", timespec="microseconds"))


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _json_text(value: Any) -> str:
    """The file's JSON column: the text SQLAlchemy wrote."""
    return canonical_json(None if value is None else json.loads(value))


def _json_parsed(value: Any) -> str:
    """The server's JSON column: psycopg has parsed it already (a JSON string arrives as a ``str``)."""
    return canonical_json(value)


def _binary(value: Any) -> str:
    return hashlib.sha256(bytes(value)).hexdigest()


def _text(value: Any) -> str:
    return str(value)


_BY_TYPE: dict[str, Normalizer] = {
    "boolean": _boolean,
    "smallint": _integer,
    "integer": _integer,
    "bigint": _integer,
    "date": _day,
    "timestamp without time zone": _moment,
    "timestamp with time zone": _utc_moment,
    "bytea": _binary,
}


def normalizers(server_types: Sequence[str], *, from_server: bool) -> list[Normalizer]:
    """One normalizer per column, from the columns' types on the server (``data_type``)."""
    as_json = _json_parsed if from_server else _json_text
    return [as_json if kind in JSON_TYPES else _BY_TYPE.get(kind, _text) for kind in server_types]


class TableDigest:
    """Row count and SHA-256 of one table's rows, fed in primary-key order."""

    def __init__(self, server_types: Sequence[str], *, from_server: bool) -> None:
        self._normalize = normalizers(server_types, from_server=from_server)
        # a JSON ``null`` and a missing value are one value to the desk (module docstring)
        self._null = [f if kind in JSON_TYPES else None for f, kind in zip(self._normalize, server_types, strict=True)]
        self._hash = hashlib.sha256()
        self.rows = 0

    def add(self, rows: Iterable[Sequence[Any]]) -> None:
        pairs = list(zip(self._normalize, self._null, strict=True))
        update = self._hash.update
        count = 0
        for row in rows:
            values = [f(v) if v is not None else (n(v) if n else None) for (f, n), v in zip(pairs, row, strict=True)]
            update(canonical_json(values).encode())
            update(b"\n")
            count += 1
        self.rows += count

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def order_by(keys: Sequence[str], key_types: Sequence[str], *, server: bool) -> str:
    """``ORDER BY`` over the primary key, text keys bytewise on the server as SQLite orders them."""
    parts = []
    for name, kind in zip(keys, key_types, strict=True):
        collate = ' COLLATE "C"' if server and kind in TEXT_KEY_TYPES else ""
        parts.append(f'"{name}"{collate}')
    return "ORDER BY " + ", ".join(parts)
