"""Saved mappings of the ledger import (列对应方案): named, office-wide, offered for files with the same headers.

A profile holds what the clerk told the desk about one office's ledger
layout, in one JSON document::

    {"columns": {"受理时间": "received_date", "经办人": ""},     # file header -> field ("" = ignored)
     "values":  {"outcome": {"已答复": "1"}}}                  # field -> {the file's value: code}

It is matched to a file by the *set* of the file's normalised headers
(``header_signature``: order, spaces, "*" and remarks in brackets do not
matter), so next month's ledger of the same office finds it.

When a profile is saved (docs/import-format.md, "Saved mappings"): only by a
successful import, in the import's own transaction (a failed or cancelled
import saves nothing, a dry run never does). The name is the one the clerk
gave (``--save-profile``), else the profile the import used, else — when the
import needed anything the desk does not recognise by itself — the profile
already kept for these headers, or a new one named after the file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from request_desk.core.errors import ValidationFailed
from request_desk.core.storage.audit import audit
from request_desk.core.storage.models import ImportProfile
from request_desk.core.text import clean_text
from request_desk.core.transfer.template import FIELDS_BY_KEY, header_field, normalise_header

MAX_NAME = 64
_IGNORED = frozenset({"序号", "序", "no", "no."})  # importer.IGNORED_HEADERS: running numbers


@dataclass(frozen=True)
class Profile:
    """A saved mapping as the desk uses it."""

    name: str
    headers: list[str]
    columns: dict[str, str]
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    updated_at: datetime | None = None
    updated_by: str = ""

    def value_choices(self) -> dict[tuple[str, str], str]:
        """The value mapping as (field, value as written) -> code, the form a plan's value choices take."""
        return {(key, raw): code for key, codes in self.values.items() for raw, code in codes.items()}

    def to_json(self) -> dict[str, Any]:
        return {"columns": dict(self.columns), "values": {k: dict(v) for k, v in self.values.items()}}


def header_signature(headers: Iterable[Any]) -> str:
    """The identity of a ledger layout: a digest of its set of normalised, non-empty headers."""
    names = sorted({normalise_header(h) for h in headers if h is not None and normalise_header(h)})
    return hashlib.sha256(json.dumps(names, ensure_ascii=False).encode("utf-8")).hexdigest()


def columns_of(headers: list[str], mapping: Mapping[int, str]) -> dict[str, str]:
    """A plan's column mapping by header text: every non-empty header -> its field, or "" when ignored."""
    return {name: mapping.get(i, "") for i, name in enumerate(headers) if name}


def recognised(headers: list[str]) -> dict[str, str]:
    """What the desk maps by itself (``template.header_field``), in the form of ``columns_of``."""
    return {name: header_field(name) or "" for name in headers if name}


def needs_saving(headers: list[str], columns: Mapping[str, str], values: Mapping[str, Mapping[str, str]],
                 auto: Mapping[str, str] | None = None) -> bool:
    """Whether an import was told anything the desk would not work out again by itself.

    ``auto`` is what the desk read by itself (a two-row header's joined names included), default ``recognised``.
    """
    auto = recognised(headers) if auto is None else auto
    told = {h: k for h, k in columns.items() if not (k == "" and normalise_header(h) in _IGNORED)}
    return any(auto.get(h, "") != k for h, k in told.items()) or any(values.values())


def _profile(row: ImportProfile) -> Profile:
    mapping = dict(row.mapping or {})
    columns = mapping.get("columns", {})
    values = mapping.get("values", {})
    return Profile(row.name, list(row.headers or []), dict(columns) if isinstance(columns, dict) else {},
                   {k: dict(v) for k, v in values.items() if isinstance(v, dict)} if isinstance(values, dict) else {},
                   row.updated_at, row.updated_by)


def list_profiles(db: Any) -> list[Profile]:
    """Every saved profile, the most recently used first."""
    with db.read() as session:
        rows = session.execute(select(ImportProfile).order_by(col(ImportProfile.updated_at).desc(),
                                                               col(ImportProfile.id).desc())).scalars()
        return [_profile(r) for r in rows]


def get_profile(db: Any, name: str) -> Profile:
    """The profile called ``name``; refused with the names there are when none is."""
    with db.read() as session:
        row = session.execute(select(ImportProfile).where(col(ImportProfile.name) == name.strip())).scalar()
        if row is not None:
            return _profile(row)
        names = list(session.execute(select(col(ImportProfile.name)).order_by(col(ImportProfile.name))).scalars())
    known = "已保存的方案：" + "、".join(names) if names else "尚未保存任何列对应方案"
    raise ValidationFailed(f"没有名为“{name}”的列对应方案（{known}）。")


def matching_profile(db: Any, headers: Iterable[Any]) -> Profile | None:
    """The most recently used profile made for a file with the same set of headers, if any."""
    with db.read() as session:
        return _matching(session, header_signature(headers))


def _matching(session: Session, signature: str) -> Profile | None:
    row = session.execute(select(ImportProfile).where(col(ImportProfile.signature) == signature)
                          .order_by(col(ImportProfile.updated_at).desc(), col(ImportProfile.id).desc())).scalar()
    return None if row is None else _profile(row)


def _check(name: str, columns: Mapping[str, str], values: Mapping[str, Mapping[str, str]]) -> str:
    name = clean_text(name).strip()
    if not name:
        raise ValidationFailed("列对应方案的名称不能为空。")
    if len(name) > MAX_NAME:
        raise ValidationFailed(f"列对应方案的名称最多 {MAX_NAME} 个字。")
    for key in [*columns.values(), *values]:
        if key and key not in FIELDS_BY_KEY:
            raise ValidationFailed(f"列对应中的“{key}”不是可导入的字段。")
    return name


def profile_name(session: Session, *, requested: str | None, used: str | None, headers: list[str],
                 columns: Mapping[str, str], values: Mapping[str, Mapping[str, str]], file_name: str,
                 auto: Mapping[str, str] | None = None) -> str | None:
    """The name a successful import saves its mapping under, or None when there is nothing to keep."""
    if requested:
        return requested
    if used:
        return used
    if not needs_saving(headers, columns, values, auto):
        return None
    same = _matching(session, header_signature(headers))
    if same is not None:
        return same.name
    base = (Path(file_name).stem or "台账")[:MAX_NAME - 4]
    taken = set(session.execute(select(col(ImportProfile.name)).where(col(ImportProfile.name).startswith(base)))
                .scalars())
    name, n = base, 2
    while name in taken:
        name, n = f"{base}（{n}）", n + 1
    return name


def save_profile(session: Session, name: str, headers: list[str], columns: Mapping[str, str],
                 values: Mapping[str, Mapping[str, str]], actor: str) -> str:
    """Create or replace the profile ``name`` in the caller's transaction (audited); returns the name."""
    name = _check(name, columns, values)
    mapping: dict[str, object] = {"columns": dict(columns), "values": {k: dict(v) for k, v in values.items() if v}}
    row = session.execute(select(ImportProfile).where(col(ImportProfile.name) == name)).scalar()
    old = None if row is None else {"headers": row.headers, "mapping": row.mapping}
    if row is None:
        row = ImportProfile(name=name, signature=header_signature(headers), headers=list(headers), mapping=mapping,
                            created_by=actor, updated_by=actor)
    else:
        row.signature, row.headers, row.mapping = header_signature(headers), list(headers), mapping
        row.updated_at, row.updated_by = datetime.now(UTC).replace(microsecond=0), actor
    session.add(row)
    session.flush()
    audit(session, actor, "import_profile", "import_profile", row.id, old,
          {"name": name, "headers": list(headers), "mapping": mapping})
    return name
