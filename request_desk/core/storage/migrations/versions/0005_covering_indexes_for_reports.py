"""covering indexes for the reports; a follow-up flag for the calls due

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 18:00:00

At a million requests the annual report took 1.6–2.7 s: every count read
the table row of each request it visited (applicant type, receipt date),
and "not answered by 31 December" walked every earlier request. Two indexes
gain trailing columns so that every count of the report is answered from an
index alone (``reports/annual.py`` splits "not answered" into "still open"
and "answered later", each an index range):

* ``ix_request_received``: (received_date, id) → (received_date, id,
  applicant_type). Keyset paging by receipt date still uses it.
* ``ix_request_reply``: (reply_date, outcome_code, replied_on_time) →
  (…, applicant_type, received_date). The dashboard's yearly figures still
  use it.

Calls due (电话回访): "answered, and no reached call yet" was a NOT EXISTS
per answered request — 0.7 s for the dashboard's count and 5 s for the
calls page at a million. ``request.followed_up`` (0/1) says a reached call
exists; triggers on ``satisfactioncall`` keep it so whatever code inserts,
changes or deletes calls, and a partial index holds only the requests not
followed up. It is filled here from the existing calls.

Re-creating the indexes takes a few seconds at a million requests. Not in
batch mode: ``request`` is not rebuilt, so 0004's triggers stay.
"""

import sqlalchemy as sa
from alembic import op

from request_desk.core.storage import dialects

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_NEW = {
    "ix_request_received": ["received_date", "id", "applicant_type"],
    "ix_request_reply": ["reply_date", "outcome_code", "replied_on_time", "applicant_type", "received_date"],
}
_OLD = {
    "ix_request_received": ["received_date", "id"],
    "ix_request_reply": ["reply_date", "outcome_code", "replied_on_time"],
}


def _recreate(indexes: dict[str, list[str]]) -> None:
    for name, columns in indexes.items():
        op.drop_index(name, table_name='request')
        op.create_index(name, 'request', columns, unique=False)


_FOLLOWED_UP = ("UPDATE request SET followed_up = EXISTS (SELECT 1 FROM satisfactioncall s "
                "WHERE s.request_id = request.id AND s.reached) WHERE id IN ({ids})")
CALL_TRIGGERS = {  # name: (when, condition, body)
    "satisfactioncall_followed_up_ai": ("AFTER INSERT ON satisfactioncall", "new.reached",
                                        "UPDATE request SET followed_up = true WHERE id = new.request_id "
                                        "AND followed_up = false"),
    "satisfactioncall_followed_up_au": ("AFTER UPDATE OF reached, request_id ON satisfactioncall", None,
                                        _FOLLOWED_UP.format(ids="old.request_id, new.request_id")),
    "satisfactioncall_followed_up_ad": ("AFTER DELETE ON satisfactioncall", None,
                                        _FOLLOWED_UP.format(ids="old.request_id")),
}


def upgrade() -> None:
    _recreate(_NEW)
    op.add_column('request', sa.Column('followed_up', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE request SET followed_up = true WHERE id IN "
               "(SELECT request_id FROM satisfactioncall WHERE reached)")
    op.create_index('ix_request_call_due', 'request', ['reply_date', 'delivered_date', 'status'], unique=False,
                    sqlite_where=sa.text("followed_up IS 0"))
    engine = dialects.support(op.get_bind())
    for name, (when, condition, body) in CALL_TRIGGERS.items():
        for ddl in engine.row_trigger_ddl(name, when, body, condition):
            op.execute(ddl)


def downgrade() -> None:
    for name in CALL_TRIGGERS:
        for ddl in dialects.support(op.get_bind()).drop_row_trigger_ddl(name, "satisfactioncall"):
            op.execute(ddl)
    op.drop_index('ix_request_call_due', table_name='request')
    with op.batch_alter_table('request', schema=None) as batch_op:
        batch_op.drop_column('followed_up')
    _recreate(_OLD)
