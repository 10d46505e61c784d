"""letters submitted for review before they are issued (审核后签发)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 18:30:00

条例第四十五条 asks for registration, review, handling, reply and filing. With the
office setting ``letter_review`` on, a drafter's letter is not issued directly: it
is submitted for review, and a supervisor or administrator other than the drafter
approves it (then it is issued, with its document number) or returns it with a
comment (issue 16, point 5; docs/domain.md, "Review and sign-off"). This table
holds the submitted drafts and the reviewers' decisions.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'letter_review',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=True),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=48), nullable=False),
        sa.Column('draft', sa.JSON(), nullable=False),
        sa.Column('supersedes_id', sa.Integer(), nullable=True),
        sa.Column('submitted_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('submitted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('reviewed_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('reviewed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('letter_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['letter_id'], ['letter.id']),
        sa.ForeignKeyConstraint(['request_id'], ['request.id']),
        sa.ForeignKeyConstraint(['supersedes_id'], ['letter.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_letter_review_state', 'letter_review', ['state', 'id'], unique=False)
    op.create_index('ix_letter_review_request_kind', 'letter_review', ['request_id', 'kind'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_letter_review_request_kind', table_name='letter_review')
    op.drop_index('ix_letter_review_state', table_name='letter_review')
    op.drop_table('letter_review')
