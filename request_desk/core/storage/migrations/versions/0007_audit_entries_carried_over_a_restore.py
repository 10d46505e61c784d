"""audit entries carried over a restore

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 10:00:00

A restore replaces the database's content with a backup's. The audit entries
written after that backup (who registered, exported personal data, changed
settings in the discarded period) must not vanish with it: the restore
copies them into the restored log, and ``audit_log.replaced_file`` names the
copy of the replaced database they came from (NULL for ordinary entries).
See docs/RELIABILITY.md, "Backups".
"""

import sqlalchemy as sa
from alembic import op

from request_desk.core.storage import sqlite_support

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ALTER TABLE ADD COLUMN: batch mode would rebuild the table and
    # drop its append-only triggers.
    op.add_column('audit_log', sa.Column('replaced_file', sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('audit_log') as batch:
        batch.drop_column('replaced_file')
    # Rebuilding the table dropped its append-only triggers.
    for statement in sqlite_support.append_only_ddl('audit_log'):
        op.execute(statement)
