"""people matched across sources: candidate pairs and the merges they made

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 12:00:00

`identities match` stores the pairs its record-linkage model proposes, with the evidence a
clerk decides on, and each confirmed merge keeps the merged officer's id and identity (issue 16,
item 6; ADR 0027).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'identity_candidates',
        sa.Column('id', _BIG_ID, nullable=False),
        sa.Column('left_officer_id', sa.BigInteger(), nullable=False),
        sa.Column('right_officer_id', sa.BigInteger(), nullable=True),
        sa.Column('file_name', sa.String(length=200), nullable=True),
        sa.Column('file_sha256', sa.String(length=64), nullable=True),
        sa.Column('file_line', sa.Integer(), nullable=True),
        sa.Column('file_key', sa.String(length=128), nullable=True),
        sa.Column('file_scheme', sa.String(length=64), nullable=True),
        sa.Column('probability', sa.Float(), nullable=False),
        sa.Column('weight', sa.Float(), nullable=False),
        sa.Column('evidence', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('proposed_by', sa.String(length=64), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decided_by', sa.String(length=64), nullable=True),
        sa.CheckConstraint("status IN ('proposed', 'confirmed', 'rejected', 'withdrawn')",
                           name=op.f('ck_identity_candidates_status')),
        sa.CheckConstraint('(right_officer_id IS NULL) <> (file_line IS NULL)',
                           name=op.f('ck_identity_candidates_one_right')),
        sa.CheckConstraint('right_officer_id IS NULL OR left_officer_id < right_officer_id',
                           name=op.f('ck_identity_candidates_ordered')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_candidates')),
    )
    op.create_index('ix_identity_candidates_status', 'identity_candidates', ['status', 'id'])
    op.create_index('uq_identity_candidates_officers', 'identity_candidates',
                    ['left_officer_id', 'right_officer_id'], unique=True,
                    sqlite_where=sa.text('right_officer_id IS NOT NULL'),
                    postgresql_where=sa.text('right_officer_id IS NOT NULL'))
    op.create_index('ix_identity_candidates_file', 'identity_candidates',
                    ['left_officer_id', 'file_key', 'file_sha256'])
    op.create_table(
        'officer_merges',
        sa.Column('merged_id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('survivor_id', _BIG_ID, nullable=False),
        sa.Column('candidate_id', _BIG_ID, nullable=False),
        sa.Column('merged_identity', sa.Text(), nullable=False),
        sa.Column('moved', sa.Text(), nullable=False),
        sa.Column('merged_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('merged_by', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['survivor_id'], ['officers.id'],
                                name=op.f('fk_officer_merges_survivor_id_officers')),
        sa.ForeignKeyConstraint(['candidate_id'], ['identity_candidates.id'],
                                name=op.f('fk_officer_merges_candidate_id_identity_candidates')),
        sa.PrimaryKeyConstraint('merged_id', name=op.f('pk_officer_merges')),
    )
    op.create_index(op.f('ix_officer_merges_survivor_id'), 'officer_merges', ['survivor_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_officer_merges_survivor_id'), table_name='officer_merges')
    op.drop_table('officer_merges')
    op.drop_index('ix_identity_candidates_file', table_name='identity_candidates')
    op.drop_index('uq_identity_candidates_officers', table_name='identity_candidates')
    op.drop_index('ix_identity_candidates_status', table_name='identity_candidates')
    op.drop_table('identity_candidates')
