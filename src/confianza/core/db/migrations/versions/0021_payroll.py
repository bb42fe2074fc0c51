"""payroll: the gross yearly pay of officers as another authority's payroll file gives it

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-09 10:00:00

Issue 20, item 1: the salary the registry knows may be an imported payroll (Chicago's
salaries) rather than the pay scale. One row per officer, year and source: a second edition
of a source replaces that source's rows for the years it holds. ADR 0038, addendum 4.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('payroll',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('officer_id', _BIG_ID, nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('gross', sa.String(length=40), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('gross_mxn', sa.Float(), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('imported_by', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name=op.f('fk_payroll_officer_id_officers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payroll')),
    sa.UniqueConstraint('officer_id', 'year', 'source', name='uq_payroll_officer_year_source')
    )
    with op.batch_alter_table('payroll', schema=None) as batch_op:
        batch_op.create_index('ix_payroll_source_year', ['source', 'year'], unique=False)


def downgrade() -> None:
    op.drop_table('payroll')
