"""outside sanctions: another authority's sanctions and decertifications, matched to officers

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 10:00:00

Issue 17, item 6 (last sentences): each import of another authority's sanctions list (the
file, its SHA-256, who and when), and each sanction as the list gave it, with where the
matching placed it (linked by CURP, by agreeing facts or by a reviewer; waiting for review with
its candidates; unmatched; rejected). A digest of the row is unique, so a second import of the
same rows adds nothing. ADR 0036.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('integrity_outside_sanction_imports',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('mapping', sa.String(length=200), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_by', sa.String(length=64), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('added', sa.Integer(), nullable=False),
    sa.Column('already_held', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_outside_sanction_imports'))
    )
    op.create_table('integrity_outside_sanctions',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('import_id', _BIG_ID, nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('authority', sa.String(length=200), nullable=False),
    sa.Column('file_number', sa.String(length=100), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('curp', sa.String(length=18), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('employer', sa.String(length=300), nullable=True),
    sa.Column('agency_code', sa.String(length=32), nullable=True),
    sa.Column('position', sa.String(length=200), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('finding', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('officer_id', _BIG_ID, nullable=True),
    sa.Column('linked_by', sa.String(length=12), nullable=True),
    sa.Column('candidates', sa.Text(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('reviewed_by', sa.String(length=64), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('review_note', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('linked', 'review', 'unmatched', 'rejected')", name=op.f('ck_integrity_outside_sanctions_status')),
    sa.CheckConstraint("kind IN ('suspension', 'dismissal', 'decertification', 'disqualification', 'reprimand', 'fine', 'other')", name=op.f('ck_integrity_outside_sanctions_kind')),
    sa.CheckConstraint("(status = 'linked') = (officer_id IS NOT NULL)", name=op.f('ck_integrity_outside_sanctions_linked_officer')),
    sa.CheckConstraint("(status = 'linked') = (linked_by IS NOT NULL)", name=op.f('ck_integrity_outside_sanctions_linked_by')),
    sa.CheckConstraint("linked_by IS NULL OR linked_by IN ('curp', 'facts', 'reviewer')", name=op.f('ck_integrity_outside_sanctions_linked_by_value')),
    sa.ForeignKeyConstraint(['import_id'], ['integrity_outside_sanction_imports.id'], name='fk_integrity_outside_sanctions_import'),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name=op.f('fk_integrity_outside_sanctions_officer_id_officers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_outside_sanctions')),
    sa.UniqueConstraint('digest', name=op.f('uq_integrity_outside_sanctions_digest'))
    )
    with op.batch_alter_table('integrity_outside_sanctions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_integrity_outside_sanctions_import_id'), ['import_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_integrity_outside_sanctions_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index('ix_integrity_outside_sanctions_status', ['status', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('integrity_outside_sanctions', schema=None) as batch_op:
        batch_op.drop_index('ix_integrity_outside_sanctions_status')
        batch_op.drop_index(batch_op.f('ix_integrity_outside_sanctions_officer_id'))
        batch_op.drop_index(batch_op.f('ix_integrity_outside_sanctions_import_id'))

    op.drop_table('integrity_outside_sanctions')
    op.drop_table('integrity_outside_sanction_imports')
