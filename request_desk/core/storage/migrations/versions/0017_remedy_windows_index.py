"""the replies delivered, by delivery date: the 工作台's list 救济期内

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 20:05:00

The list of replies whose reconsideration or litigation window is still open
(docs/domain.md, "Remedy windows"; cases/remedies.py ``open_windows``) counts the
replies delivered in the last six months or so and lists the newest. This
partial index holds the delivered requests only, with the outcome that decides
whether a suit is open (复议前置), so the count reads the index alone and the
list walks it backwards.
"""

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_request_delivered', 'request', ['delivered_date', 'outcome_code'], unique=False,
                    sqlite_where=sa.text("delivered_date IS NOT NULL"))


def downgrade() -> None:
    op.drop_index('ix_request_delivered', table_name='request')
