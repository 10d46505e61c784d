"""Checking a migration against the models, and taking a test database down a revision and back."""

from __future__ import annotations

import warnings

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import SAWarning
from sqlmodel import SQLModel

from request_desk.core.storage import db as db_module
from request_desk.core.storage.db import Database


def differences(db: Database, *names: str) -> list[object]:
    """What the migrated schema and the models disagree on, for the tables or columns named."""
    with db.engine.connect() as conn, warnings.catch_warnings():
        # SQLite's reflection skips expression indexes (ix_request_credit_code): its query plan is tested instead.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index", SAWarning)
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based index",
                                UserWarning)
        diffs = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    return [d for d in diffs if any(name in repr(d) for name in names)]


def down_and_up(db: Database, revision: str) -> None:
    """Downgrade to ``revision`` (asserted), then migrate back to the head (asserted)."""
    cfg = db_module.alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
    assert db.revision() == revision
    db.migrate()
    assert db.revision() == Database.head_revision()
