"""The fingerprint of a table, computed the same way from a SQLite file and from the office server.

Moving an office onto the server (``move_to_server``) proves the copy by a row
count and a SHA-256 per table on both sides. The engines hand back the same
record in different shapes (psycopg gives ``date``, aware ``datetime``,
``bool``, parsed JSON; SQLite the text SQLAlchemy wrote, 0/1, JSON text), so
every value is brought to one canonical form, chosen by the column's type on
the server, and each row is hashed as the JSON list of those forms:

* ``NULL`` stays null; integers and text as they are; booleans 0/1;
* dates ``YYYY-MM-DD``; moments ``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC — the file
  holds UTC wall-clock text, the server a ``timestamp with time zone`` read
  back ``AT TIME ZONE 'UTC'`` (the desk's connections write in UTC,
  ``postgres_support.configure``, so the copy shifts nothing); a moment with an
  offset in the file is brought to UTC first;
* JSON as its stored text (PostgreSQL's ``json`` keeps the text byte for byte;
  a ``jsonb`` would be compared re-serialized with sorted keys on both sides);
* binary values (letters' PDFs, attachments) by their own SHA-256.

The server computes its forms in SQL (``server_columns``: ``to_char``,
``sha256``, casts), so a million rows are not converted one value at a time in
Python; the file's values already are in that form as SQLAlchemy stores them
and are only checked (``file_normalizers``), a value in another form being
converted.

Rows are hashed in primary-key order; text keys are ordered bytewise on both
sides (SQLite's BINARY collation, PostgreSQL's ``"C"``), so the server's locale
cannot reorder them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

Normalizer = Callable[[Any], Any]

#: Column kinds, from ``information_schema.columns.data_type`` on the server.
TEXT_KEY_TYPES = frozenset({"character varying", "text", "character"})
JSON_TYPES = frozenset({"json", "jsonb"})
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# The server brings its values to the canonical text in SQL (``server_columns``); the
# file's values are already in it as SQLAlchemy wrote them, and are checked cheaply.
DAY_FORMAT, MOMENT_FORMAT = "YYYY-MM-DD", "YYYY-MM-DD HH24:MI:SS.US"
_DAY_LENGTH, _MOMENT_LENGTH = len("2026-09-28"), len("2026-09-28 01:30:00.000000")


def server_columns(columns: Sequence[str], server_types: Sequence[str]) -> str:
    """The ``SELECT`` list that reads each column on the server in its canonical form."""
    out = []
    for name, kind in zip(columns, server_types, strict=True):
        column = f'"{name}"'
        if kind == "boolean":
            column = f"{column}::int"
        elif kind == "date":
            column = f"to_char({column}, '{DAY_FORMAT}')"
        elif kind == "timestamp with time zone":
            column = f"to_char({column} AT TIME ZONE 'UTC', '{MOMENT_FORMAT}')"
        elif kind == "timestamp without time zone":
            column = f"to_char({column}, '{MOMENT_FORMAT}')"
        elif kind == "bytea":
            column = f"encode(sha256({column}), 'hex')"
        elif kind in JSON_TYPES:
            column = f"{column}::text"  # ``json`` keeps the text it was given, byte for byte
        out.append(column)
    return ", ".join(out)


def _day(value: Any) -> Any:
    if isinstance(value, str) and len(value) == _DAY_LENGTH:
        return value
    return value if value is None else date.fromisoformat(str(value)).isoformat()


def _moment(value: Any) -> Any:
    """The file's moment: UTC wall-clock text; an aware value is brought to UTC as the server's is."""
    if isinstance(value, str) and len(value) == _MOMENT_LENGTH:
        return value
    if value is None:
        return None
    moment = datetime.fromisoformat(str(value))
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(sep=" ", timespec="microseconds")


def _binary(value: Any) -> Any:
    return value if value is None else hashlib.sha256(bytes(value)).hexdigest()


def _canonical_json(value: Any) -> Any:
    return value if value is None else _ENCODER.encode(json.loads(value))


# Integers, text and booleans (0/1) come back from SQLite as they are hashed.
_FILE: dict[str, Normalizer] = {
    "date": _day,
    "timestamp without time zone": _moment,
    "timestamp with time zone": _moment,
    "bytea": _binary,
    "jsonb": _canonical_json,  # the server re-orders a jsonb's keys: both sides canonical
}


def file_normalizers(server_types: Sequence[str]) -> list[Normalizer | None]:
    """What each of the file's columns needs to be in the canonical form (None: nothing)."""
    return [_FILE.get(kind) for kind in server_types]


class TableDigest:
    """Row count and SHA-256 of one table's rows, fed in primary-key order.

    ``from_server``: the rows were read with ``server_columns`` and are canonical
    already; the file's rows go through ``file_normalizers``.
    """

    def __init__(self, server_types: Sequence[str], *, from_server: bool) -> None:
        normalize = [] if from_server else file_normalizers(server_types)
        self._converted = [(i, f) for i, f in enumerate(normalize) if f is not None]
        if from_server:
            self._converted += [(i, _canonical_json) for i, kind in enumerate(server_types) if kind == "jsonb"]
        self._hash = hashlib.sha256()
        self.rows = 0

    def add(self, rows: Sequence[Sequence[Any]]) -> None:
        update = self._hash.update
        encode = _ENCODER.encode
        converted = self._converted
        for row in rows:
            values = list(row)
            for i, f in converted:
                values[i] = f(values[i])
            update(encode(values).encode())
            update(b"\n")
        self.rows += len(rows)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def order_by(keys: Sequence[str], key_types: Sequence[str], *, server: bool) -> str:
    """``ORDER BY`` over the primary key, text keys bytewise on the server as SQLite orders them."""
    parts = []
    for name, kind in zip(keys, key_types, strict=True):
        collate = ' COLLATE "C"' if server and kind in TEXT_KEY_TYPES else ""
        parts.append(f'"{name}"{collate}')
    return "ORDER BY " + ", ".join(parts)
