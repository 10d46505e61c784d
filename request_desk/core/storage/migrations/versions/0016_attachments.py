"""attachments: the files kept with a case, their bytes in the database

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 21:00:00

``attachment`` (附件) holds the scanned application, the ID copy, the envelope or
postmark (the proof of the day of receipt, 第31条), the delivery proof and the
information provided, each with its SHA-256. The bytes live in the row, so the
verified online backups and the restores carry them with nothing extra
(docs/RELIABILITY.md). On SQLite, triggers make the table append-only, as
``letter`` is (0003): an attachment is never edited or removed.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from request_desk.core.storage import dialects

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None



def upgrade() -> None:
    op.create_table(
        'attachment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column('media_type', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('added_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('added_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['request.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_attachment_request_id', 'attachment', ['request_id'], unique=False)
    op.create_index('ix_attachment_sha256', 'attachment', ['sha256'], unique=False)
    for ddl in dialects.support(op.get_bind()).append_only_ddl("attachment"):
        op.execute(ddl)


def downgrade() -> None:
    for ddl in dialects.support(op.get_bind()).drop_append_only_ddl("attachment"):
        op.execute(ddl)
    op.drop_index('ix_attachment_sha256', table_name='attachment')
    op.drop_index('ix_attachment_request_id', table_name='attachment')
    op.drop_table('attachment')
