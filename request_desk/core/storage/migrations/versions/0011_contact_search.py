"""contact keys: find a request by the last digits of its phone or ID number

Revision ID: 0011_contact_search
Revises: 0010
Create Date: 2026-12-01 16:00:00

Applicants on the phone give their phone number or the last four to six
digits of their ID number (issue 15, point 7). ``request_contact`` holds the
reversed digits of each (storage/contact_keys.py), so "ends with" is a range
scan of its primary key; triggers keep it in sync, and every existing request
is keyed here. SQLite only, like the full-text indexes: another database
searches the columns with LIKE until it gets its own index.
"""

from alembic import op

from request_desk.core.storage import contact_keys

revision = '0011_contact_search'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Runs inside db.migrate's BEGIN IMMEDIATE transaction: no COMMIT here.
        for statement in contact_keys.create_ddl():
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in contact_keys.drop_ddl():
            op.execute(statement)
