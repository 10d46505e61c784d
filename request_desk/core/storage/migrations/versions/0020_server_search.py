"""search on the office server: the grams index and the contact keys (PostgreSQL)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 00:30:00

What migrations 0002 (full-text search) and 0011 (contact keys) made for
SQLite, made for PostgreSQL (issue 19, point 2; storage/search.py says why a
GIN index over 1- and 2-character grams rather than pg_trgm): the search
functions and ``ix_request_search_grams`` over every request, and the table
``request_contact`` with the triggers that keep it and its backfill. Nothing
happens on SQLite, which has had both since those migrations.
"""
from __future__ import annotations

from alembic import op

from request_desk.core.storage import postgres_support

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in [*postgres_support.search_create_ddl(), *postgres_support.contact_create_ddl()]:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in [*postgres_support.contact_drop_ddl(), *postgres_support.search_drop_ddl()]:
            op.execute(statement)
