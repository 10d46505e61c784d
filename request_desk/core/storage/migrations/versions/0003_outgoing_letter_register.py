"""outgoing-letter register: issued letters with their PDF, corrections, delivery

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 14:00:00

``letter`` gains what a line of the outgoing register (发文登记) shows and
what a faithful reprint needs: title, addressee, issue date, the PDF bytes
and their SHA-256, page count, and ``supersedes_id`` (a correction names the
letter it replaces; unique, so a letter is corrected at most once).
``letterdelivery`` records how each letter went out (method, postal tracking
number) and whether it was signed for or returned.

On SQLite, triggers make ``letter`` append-only, as the audit log is: an
issued letter cannot be edited or deleted. A later migration that rebuilds
the table in batch mode must drop and re-create them.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from request_desk.core.storage import dialects

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None



def upgrade() -> None:
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('addressee', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('addressee_type', sqlmodel.sql.sqltypes.AutoString(length=16),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('issued_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('pdf', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('pdf_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('page_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('supersedes_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint('uq_letter_supersedes_id', ['supersedes_id'])
        batch_op.create_foreign_key('fk_letter_supersedes_id_letter', 'letter', ['supersedes_id'], ['id'])
        batch_op.create_index('ix_letter_issued', ['issued_date', 'id'], unique=False)
        batch_op.create_index('ix_letter_kind_issued', ['kind', 'issued_date'], unique=False)

    op.create_table(
        'letterdelivery',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('letter_id', sa.Integer(), nullable=False),
        sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column('tracking_number', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('sent_date', sa.Date(), nullable=False),
        sa.Column('signed_date', sa.Date(), nullable=True),
        sa.Column('signed_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('returned_date', sa.Date(), nullable=True),
        sa.Column('return_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['letter_id'], ['letter.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('letterdelivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letterdelivery_letter_id'), ['letter_id'], unique=False)

    for ddl in dialects.support(op.get_bind()).append_only_ddl("letter"):
        op.execute(ddl)


def downgrade() -> None:
    for ddl in dialects.support(op.get_bind()).drop_append_only_ddl("letter"):
        op.execute(ddl)
    with op.batch_alter_table('letterdelivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letterdelivery_letter_id'))
    op.drop_table('letterdelivery')
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.drop_index('ix_letter_kind_issued')
        batch_op.drop_index('ix_letter_issued')
        batch_op.drop_constraint('fk_letter_supersedes_id_letter', type_='foreignkey')
        batch_op.drop_constraint('uq_letter_supersedes_id', type_='unique')
        for column in ('supersedes_id', 'page_count', 'pdf_sha256', 'pdf', 'issued_date', 'addressee_type',
                       'addressee', 'title'):
            batch_op.drop_column(column)
