"""an office's own letter templates, fee table and similarity word lists, in the database

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 23:30:00

Until now an office changed a letter's wording, the fee table or the similarity
word lists by putting a file in the data folder of the PC (``<data dir>/letters``,
``fees``, ``similarity``), so two desks on one database could print different
letters and compute different fees. These are office-wide data: they live in
the database, like the settings and the saved import mappings (issue 19,
point 3). Each desk moves the files it still has into this table on its next
start (``office/local_files.py``), since a migration runs on one PC only.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'office_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('folder', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('folder', 'name'),
    )


def downgrade() -> None:
    op.drop_table('office_file')
