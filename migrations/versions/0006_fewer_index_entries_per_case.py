"""a national sweep writes fewer index entries per case: follow-ups lose their foreign key and one index, cases the rule index

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 23:30:00

A sweep opens 125,000 cases with 500,000 follow-ups in a minute. Per follow-up, the foreign key cost
PostgreSQL a lookup and a row lock on its case (a fifth of the burst's database time), and with stale
planner statistics a scan of every case. Follow-ups are only ever written in the transaction that
opens their case, and cases are never deleted. One index on (status, due_date) answers the scheduler's
questions ("planned, due today", "not done, due before today") that two indexes answered before; the
rule of a case (four values) was never worth an index of its own.
"""
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('followups', schema=None) as batch_op:
        batch_op.drop_constraint('fk_followups_case_id_cases', type_='foreignkey')
        batch_op.drop_index('ix_followups_due_date')
        batch_op.drop_index('ix_followups_status')
        batch_op.create_index('ix_followups_status_due_date', ['status', 'due_date'], unique=False)
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_rule')


def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_rule', ['rule'], unique=False)
    with op.batch_alter_table('followups', schema=None) as batch_op:
        batch_op.drop_index('ix_followups_status_due_date')
        batch_op.create_index('ix_followups_status', ['status'], unique=False)
        batch_op.create_index('ix_followups_due_date', ['due_date'], unique=False)
        batch_op.create_foreign_key('fk_followups_case_id_cases', 'cases', ['case_id'], ['case_id'])
