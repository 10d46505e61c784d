"""saved column and value mappings of the ledger import

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 10:00:00

A ledger whose headers the desk does not know by itself is mapped once by the
clerk (列对应, and the values of its own wording); a successful import keeps
that mapping as a named profile, offered for the next file with the same set
of headers (issue 14, point 7; docs/import-format.md, "Saved mappings"). The
profiles are office-wide data, so they live in the database: every desk sees
the same ones.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'import_profile',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('signature', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('headers', sa.JSON(), nullable=False),
        sa.Column('mapping', sa.JSON(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
    )
    op.create_index('ix_import_profile_signature', 'import_profile', ['signature'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_import_profile_signature', table_name='import_profile')
    op.drop_table('import_profile')
