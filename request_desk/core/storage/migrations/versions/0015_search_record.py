"""search records: what was searched for a request, where, how and with what result

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 20:00:00

A 4.1 reply (本机关不掌握相关政府信息, 第36条(四)) must show the search behind it
(最高人民法院指导性案例101号; docs/domain.md, "Search record"): each search made is a row of
``search_record`` (检索记录) — the day, the systems, archives or units searched,
the keywords, who searched and what was found.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'search_record',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('searched_on', sa.Date(), nullable=False),
        sa.Column('where', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('keywords', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('searched_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('found', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['request.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_search_record_request_id', 'search_record', ['request_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_search_record_request_id', table_name='search_record')
    op.drop_table('search_record')
