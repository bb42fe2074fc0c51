"""access lookback: the insider detection's running state, kept between runs

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-07 00:00:00

Issue 19 (ADR 0037, addendum "the lookback kept between runs"): what the days already explained
leave for the next run — per civil day the (peer group, officer) pairs read, each reader's
weighted suspect reads and the day's suspect reads, packed into one row per day; per officer
the last two people who touched the record, the peer groups and what vouches for the state (the
rules' version, the trail entry it was read up to, the log's root) in one header row.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('access_lookback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('zone', sa.String(length=64), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('days', sa.Text(), nullable=False),
    sa.Column('built_to', sa.BigInteger(), nullable=False),
    sa.Column('log_size', sa.BigInteger(), nullable=False),
    sa.Column('log_root', sa.LargeBinary(length=32), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('readers', sa.LargeBinary(), nullable=False),
    sa.Column('touchers', sa.LargeBinary(), nullable=False),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('saved_by', sa.String(length=64), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_access_lookback_one_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_lookback'))
    )
    op.create_table('access_lookback_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('pairs', sa.LargeBinary(), nullable=False),
    sa.Column('rates', sa.LargeBinary(), nullable=False),
    sa.Column('suspects', sa.LargeBinary(), nullable=False),
    sa.Column('pair_count', sa.Integer(), nullable=False),
    sa.Column('suspect_count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_access_lookback_days'))
    )


def downgrade() -> None:
    op.drop_table('access_lookback_days')
    op.drop_table('access_lookback')
