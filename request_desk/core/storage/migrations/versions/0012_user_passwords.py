"""accounts with passwords: the hash, a forced change, failed sign-ins and lock-out

Revision ID: 0012
Revises: 0011_contact_search
Create Date: 2026-12-01 17:00:00

Who acted must be true in a legal record with personal data (issue 16): users
sign in with a password, kept only as an argon2 hash (office/accounts.py). A
password set by an administrator must be changed at the next sign-in; repeated
failures lock the account for a while. Users created before this revision have
no password: an administrator sets one (request-desk user reset-password).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0012'
down_revision = '0011_contact_search'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('user', sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False,
                                    server_default=''))
    op.add_column('user', sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                    server_default=sa.false()))
    op.add_column('user', sa.Column('failed_sign_ins', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('user', sa.Column('locked_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('user') as batch:
        batch.drop_column('locked_until')
        batch.drop_column('failed_sign_ins')
        batch.drop_column('must_change_password')
        batch.drop_column('password_hash')
