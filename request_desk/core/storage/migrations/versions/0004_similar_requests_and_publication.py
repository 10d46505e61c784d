"""similar requests and the proactive-publication worklist

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 16:00:00

* ``similarity_key`` — the inverted index that finds similar descriptions
  (core/similarity_index.py): a few sketch keys per request, WITHOUT ROWID.
* ``similarity_pending`` — requests whose description or receipt date
  changed and are not yet indexed. Triggers on ``request`` fill it in plain
  SQL (no Python function needed on the connection), so bulk inserts (demo
  data, imports) are indexed too; ``similarity_index.sync`` empties it. Every
  existing request is queued here, and indexed on first use.
* ``request_link`` — requests a clerk linked as the same subject.
* ``publication_flag_request`` — the requests one publication flag covers
  (one flag per subject); ``publicationflag`` gains subject, origin and the
  review/decision stamps (all nullable).

A later migration that rebuilds ``request`` in batch mode must drop and
re-create ``_TRIGGERS``.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from request_desk.core.storage import dialects

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

_TRIGGERS = {
    "request_similarity_ai": "AFTER INSERT ON request",
    "request_similarity_au": "AFTER UPDATE OF description, received_date ON request",
}


def upgrade() -> None:
    op.create_table(
        'similarity_key',
        sa.Column('key', sa.BigInteger(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('key', 'request_id'),
        sqlite_with_rowid=False,
    )
    op.create_table(
        'similarity_pending',
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('request_id'),
    )
    op.create_table(
        'request_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('other_id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['request.id']),
        sa.ForeignKeyConstraint(['other_id'], ['request.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('request_id', 'other_id', name='uq_request_link_pair'),
    )
    with op.batch_alter_table('request_link', schema=None) as batch_op:
        batch_op.create_index('ix_request_link_other', ['other_id'], unique=False)
    op.create_table(
        'publication_flag_request',
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('flag_id', sa.Integer(), nullable=False),
        sa.Column('added_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('added_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(['flag_id'], ['publicationflag.id']),
        sa.ForeignKeyConstraint(['request_id'], ['request.id']),
        sa.PrimaryKeyConstraint('request_id'),
    )
    with op.batch_alter_table('publication_flag_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publication_flag_request_flag_id'), ['flag_id'], unique=False)
    with op.batch_alter_table('publicationflag', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('origin', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    # Existing flags (none were created before this revision) each cover their request.
    op.execute("INSERT INTO publication_flag_request (request_id, flag_id, added_at, added_by) "
               "SELECT request_id, min(id), min(raised_at), '' FROM publicationflag GROUP BY request_id")
    engine = dialects.support(op.get_bind())
    for name, when in _TRIGGERS.items():
        for ddl in engine.row_trigger_ddl(
                name, when, "INSERT INTO similarity_pending (request_id) VALUES (new.id) ON CONFLICT DO NOTHING"):
            op.execute(ddl)
    op.execute("INSERT INTO similarity_pending (request_id) SELECT id FROM request")


def downgrade() -> None:
    for name in _TRIGGERS:
        for ddl in dialects.support(op.get_bind()).drop_row_trigger_ddl(name, "request"):
            op.execute(ddl)
    with op.batch_alter_table('publicationflag', schema=None) as batch_op:
        for column in ('decided_at', 'decided_by', 'reviewed_at', 'origin', 'subject'):
            batch_op.drop_column(column)
    with op.batch_alter_table('publication_flag_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publication_flag_request_flag_id'))
    op.drop_table('publication_flag_request')
    with op.batch_alter_table('request_link', schema=None) as batch_op:
        batch_op.drop_index('ix_request_link_other')
    op.drop_table('request_link')
    op.drop_table('similarity_pending')
    op.drop_table('similarity_key')
