"""access alerts: the auditor's queue of scored unexplained reads

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-08 10:00:00

Issue 19, §2-3: the alerts insider detection raises (one reader's unexplained reads over a
window of days, scored above the threshold), the reads behind each, and every outcome an
auditor gave it with their note. ADR 0037 (addendum).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('access_alerts',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('reader', sa.String(length=64), nullable=False),
    sa.Column('reader_role', sa.String(length=32), nullable=True),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('points', sa.Float(), nullable=False),
    sa.Column('threshold', sa.Float(), nullable=False),
    sa.Column('signals', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('outcome_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome_by', sa.String(length=64), nullable=True),
    sa.CheckConstraint("outcome IN ('open', 'justified', 'misuse', 'interview')", name=op.f('ck_access_alerts_outcome')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_alerts'))
    )
    with op.batch_alter_table('access_alerts', schema=None) as batch_op:
        batch_op.create_index('ix_access_alerts_outcome', ['outcome', 'id'], unique=False)
        batch_op.create_index('ix_access_alerts_reader', ['reader', 'day'], unique=False)

    op.create_table('access_alert_reads',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('alert_id', _BIG_ID, nullable=False),
    sa.Column('entry_id', _BIG_ID, nullable=False),
    sa.Column('officer_id', _BIG_ID, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('signals', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['access_alerts.id'], name=op.f('fk_access_alert_reads_alert_id_access_alerts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_alert_reads')),
    sa.UniqueConstraint('alert_id', 'entry_id', 'officer_id', name='uq_access_alert_reads')
    )
    with op.batch_alter_table('access_alert_reads', schema=None) as batch_op:
        batch_op.create_index('ix_access_alert_reads_alert', ['alert_id', 'at'], unique=False)
        batch_op.create_index('ix_access_alert_reads_entry', ['entry_id'], unique=False)

    op.create_table('access_alert_outcomes',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('alert_id', _BIG_ID, nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.String(length=64), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("outcome IN ('justified', 'misuse', 'interview')", name=op.f('ck_access_alert_outcomes_outcome')),
    sa.ForeignKeyConstraint(['alert_id'], ['access_alerts.id'], name=op.f('fk_access_alert_outcomes_alert_id_access_alerts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_alert_outcomes'))
    )
    with op.batch_alter_table('access_alert_outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_alert_outcomes_alert_id'), ['alert_id'], unique=False)


def downgrade() -> None:
    op.drop_table('access_alert_outcomes')
    op.drop_table('access_alert_reads')
    op.drop_table('access_alerts')
