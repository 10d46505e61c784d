"""request list: composite indexes for filters and the dashboard; full-text search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 10:00:00

Indexes (portable): overdue / due-soon quick filters are ``status IN (…) AND
due_date < ?`` — (status, due_date, id) turns that into a few range scans;
the provisional filter and the dashboard's yearly aggregates (outcomes by
group, on-time rate, both by reply date) get covering indexes.

Full-text search (SQLite only): two FTS5 tables over registration number,
applicant name and description, kept in sync by triggers and filled from the
existing rows here. PostgreSQL will get its own search objects in its own
branch of this migration; nothing FTS5-specific is created there.
"""

from alembic import op

from request_desk.core.storage import sqlite_support

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

_INDEXES = {
    "ix_request_status_due": ["status", "due_date", "id"],
    "ix_request_provisional": ["due_provisional", "received_date", "id"],
    "ix_request_reply": ["reply_date", "outcome_code", "replied_on_time"],
}


def upgrade() -> None:
    with op.batch_alter_table('request', schema=None) as batch_op:
        for name, columns in _INDEXES.items():
            batch_op.create_index(name, columns, unique=False)
    if op.get_bind().dialect.name == "sqlite":
        # Runs inside db.migrate's BEGIN IMMEDIATE transaction: no COMMIT here.
        for statement in sqlite_support.fts_create_ddl():
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in sqlite_support.fts_drop_ddl():
            op.execute(statement)
    with op.batch_alter_table('request', schema=None) as batch_op:
        for name in reversed(list(_INDEXES)):
            batch_op.drop_index(name)
