"""what the pre-issue check found, kept with each letter

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 14:00:00

Before a reply is signed the desk checks it (letters/pre_issue.py); the
warnings the clerk saw and accepted are part of the record, and a reply
dated after its deadline is marked late (docs/domain.md, "Letters").
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('letter', sa.Column('check_warnings', sa.JSON(), nullable=True))
    op.add_column('letter', sa.Column('late', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('letter') as batch:
        batch.drop_column('late')
        batch.drop_column('check_warnings')
