"""asset declarations: officers' S1 declarations and the lines of their wealth sections

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 10:00:00

Issue 20, item 1: an officer's asset declarations (initial, annual modification, conclusion;
complete or simplified) as the PDN's system S1 defines them, each kept whole as filed, with
the income the checks compare and one row per property, vehicle, movable good, investment,
debt, loan and income line, every amount as filed and in pesos. ADR 0038.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('declarations',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('source_id', sa.String(length=120), nullable=False),
    sa.Column('officer_id', _BIG_ID, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('complete', sa.Boolean(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('institution', sa.String(length=300), nullable=False),
    sa.Column('position', sa.String(length=300), nullable=False),
    sa.Column('took_office', sa.Date(), nullable=True),
    sa.Column('public_income', sa.String(length=40), nullable=False),
    sa.Column('public_currency', sa.String(length=3), nullable=False),
    sa.Column('total_income', sa.String(length=40), nullable=False),
    sa.Column('total_currency', sa.String(length=3), nullable=False),
    sa.Column('household_income', sa.String(length=40), nullable=True),
    sa.Column('public_income_year_mxn', sa.Float(), nullable=False),
    sa.Column('total_income_year_mxn', sa.Float(), nullable=False),
    sa.Column('rates', sa.Text(), nullable=False),
    sa.Column('document', sa.Text(), nullable=False),
    sa.Column('imported_by', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('initial', 'modification', 'conclusion')", name=op.f('ck_declarations_kind')),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name=op.f('fk_declarations_officer_id_officers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declarations')),
    sa.UniqueConstraint('officer_id', 'kind', 'year', name='uq_declarations_officer_year'),
    sa.UniqueConstraint('source_id', name=op.f('uq_declarations_source_id'))
    )
    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.create_index('ix_declarations_officer_filed', ['officer_id', 'filed_at'], unique=False)

    op.create_table('declaration_items',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('declaration_id', _BIG_ID, nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('section', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.Column('operation', sa.String(length=12), nullable=True),
    sa.Column('holders', sa.String(length=40), nullable=True),
    sa.Column('share', sa.SmallInteger(), nullable=True),
    sa.Column('acquired_on', sa.Date(), nullable=True),
    sa.Column('value', sa.String(length=40), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('value_mxn', sa.Float(), nullable=True),
    sa.Column('original_mxn', sa.Float(), nullable=True),
    sa.Column('acquisition', sa.String(length=8), nullable=True),
    sa.Column('payment', sa.String(length=12), nullable=True),
    sa.Column('identifier', sa.String(length=120), nullable=True),
    sa.Column('disposal', sa.String(length=8), nullable=True),
    sa.Column('description', sa.String(length=300), nullable=True),
    sa.CheckConstraint("section IN ('income', 'real_estate', 'vehicle', 'movable', 'investment', 'debt', 'loan')", name=op.f('ck_declaration_items_section')),
    sa.ForeignKeyConstraint(['declaration_id'], ['declarations.id'], name=op.f('fk_declaration_items_declaration_id_declarations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declaration_items'))
    )
    with op.batch_alter_table('declaration_items', schema=None) as batch_op:
        batch_op.create_index('ix_declaration_items_declaration', ['declaration_id', 'position'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('declaration_items', schema=None) as batch_op:
        batch_op.drop_index('ix_declaration_items_declaration')

    op.drop_table('declaration_items')
    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.drop_index('ix_declarations_officer_filed')

    op.drop_table('declarations')
