"""consultation received, co-producer and answer

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 10:00:00

Consultations (征求意见, 条例第三十二条、第三十四条) give the consulted side 15
working days from *receiving* the letter; only that time is left out of the
reply period (第三十三条第三款). The pause row now records:

* ``received_date``: when the consulted side received the letter (NULL: not
  recorded; the desk presumes it from the office setting
  ``consultation_transit_workdays``);
* ``co_producer``: whether the agency consulted co-produced the information
  (第十条第三款、第三十四条) — only then does its silence mean consent. Existing
  rows get 0: the desk no longer assumes a consent nobody recorded;
* ``answer`` (同意公开 / 不同意公开 / 逾期未提出意见, '' when unknown) and
  ``objection`` (the reasons given), which the 3.4 reply now states.

See docs/domain.md, "Pauses".
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_COLUMNS = ('received_date', 'co_producer', 'answer', 'objection')


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN, as in 0007: nothing here needs the table rebuilt.
    op.add_column('pause', sa.Column('received_date', sa.Date(), nullable=True))
    op.add_column('pause', sa.Column('co_producer', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('pause', sa.Column('answer', sa.String(length=16), nullable=False, server_default=''))
    op.add_column('pause', sa.Column('objection', sa.String(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('pause') as batch:
        for name in reversed(_COLUMNS):
            batch.drop_column(name)
