"""fee payment deadline from receipt; index for the day's acknowledgements

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 10:00:00

* ``ix_request_created`` on ``request(created_at)``: the letters page finds
  the requests of a day (received *or* registered that day) that still lack
  an acknowledgement as a UNION of two index searches
  (``ix_request_received`` and this one) instead of scanning every request.
* Fees (国办函〔2020〕109号): the applicant pays within 20 working days from
  the day after *receiving* the fee notice. Earlier versions computed
  ``fee.payment_due`` from the notice date, which lets outcome 6.2 be
  recorded too early. For the notices still awaiting payment on a paused
  request the receipt date is unknown, so their ``payment_due`` is cleared:
  the clerk records when the applicant received the notice (办理操作
  “申请人收到收费通知”) and the deadline is computed from it. Paid fees and
  closed cases keep their history. The downgrade does not restore the
  cleared dates (they were computed by the superseded rule).
"""

from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Not in batch mode: nothing here rebuilds ``request`` (0004's triggers stay).
    op.create_index('ix_request_created', 'request', ['created_at'], unique=False)
    op.execute(
        "UPDATE fee SET payment_due = NULL WHERE paid_date IS NULL "
        "AND request_id IN (SELECT id FROM request WHERE status = 'paused')"
    )


def downgrade() -> None:
    op.drop_index('ix_request_created', table_name='request')
