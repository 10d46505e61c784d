"""Alembic environment: run with the connection handed over by ``db.migrate``."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import request_desk.core.storage.models  # noqa: F401  (registers the tables)

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when alembic's own CLI is used
    from sqlalchemy import create_engine

    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise SystemExit("alembic.ini has no sqlalchemy.url; the desk itself passes a connection instead.")
    connection = create_engine(url).connect()


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Autogenerate must not propose dropping the SQLite full-text search tables."""
    return not (type_ == "table" and name is not None and name.startswith("request_fts"))


context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    include_object=include_object,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
)
with context.begin_transaction():
    context.run_migrations()
