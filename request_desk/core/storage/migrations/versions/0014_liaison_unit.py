"""unit liaisons: a user's handling unit, and the unit's report on an assignment

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 19:00:00

A unit liaison (承办单位联络员, issue 16, point 4) works in a handling unit, not at
the desk: the user's ``unit_id`` names that unit, and the liaison sees and reports
on that unit's assignments only (core/cases/unit_work.py). The unit's latest
report on an assignment (承办单位反馈: what it found, what it provides) is kept on
the assignment, with its date and author; every report is also a case event.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite cannot add a foreign key to a table in place: batch mode copies the (small) user table.
    with op.batch_alter_table('user') as batch:
        batch.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_user_unit_id_handlingunit', 'handlingunit', ['unit_id'], ['id'])
    op.add_column('assignment', sa.Column('unit_report', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                          server_default=''))
    op.add_column('assignment', sa.Column('reported_date', sa.Date(), nullable=True))
    op.add_column('assignment', sa.Column('reported_by', sqlmodel.sql.sqltypes.AutoString(length=64),
                                          nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('assignment') as batch:
        batch.drop_column('reported_by')
        batch.drop_column('reported_date')
        batch.drop_column('unit_report')
    with op.batch_alter_table('user') as batch:
        batch.drop_constraint('fk_user_unit_id_handlingunit', type_='foreignkey')
        batch.drop_column('unit_id')
