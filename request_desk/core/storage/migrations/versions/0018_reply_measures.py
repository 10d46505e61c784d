"""the working days each reply used, and indexes for the quality figures and a legal person's history

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 21:30:00

The monthly and annual quality figures (reports/quality.py; docs/domain.md,
"Quality figures") average the working days a reply took, pauses left out,
and find its 90th percentile. Computing that per reply needs the calendar and
the pauses, so it is stored with the reply (``request.workdays_used``, kept by
``step_machinery.measure_reply``) and aggregated in SQL. Every reply already
recorded is measured here, in batches, with the office's calendar and clock
settings as they stand.

``ix_request_credit_code`` indexes the credit code as the applicant's history
compares it (cases/applicant_history.py), so a legal person's history is a
lookup rather than a scan of every request.
"""

import datetime

import sqlalchemy as sa
from alembic import op
from sqlmodel import Session

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from request_desk.core.cases.recompute import measure_replies  # noqa: PLC0415  (the app's clock)

    # In place, not in batch mode: a copy of the request table would take its triggers (search, contact keys).
    op.add_column('request', sa.Column('workdays_used', sa.Integer(), nullable=True))
    op.create_index('ix_request_quality', 'request', ['reply_date', 'replied_on_time', 'workdays_used'],
                    unique=False, sqlite_where=sa.text("replied_on_time IS NOT NULL"))
    op.create_index('ix_request_credit_code', 'request', [sa.text("upper(replace(replace(credit_code, ' ', ''), '-', ''))")], unique=False)
    measure_replies(Session(bind=op.get_bind()), datetime.date.today())


def downgrade() -> None:
    op.drop_index('ix_request_credit_code', table_name='request')
    op.drop_index('ix_request_quality', table_name='request')
    op.drop_column('request', 'workdays_used')  # SQLite ≥ 3.35 drops a column in place
