"""roster refresh: pending separations and the review queue of conflicting facts

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 15:00:00

A newer edition of a roster updates the people the registry knows (issue 16, item 1). Someone
a complete roster leaves out gets a pending separation for the agency's HR to confirm or
dismiss; facts of a known identity key that contradict the registry (another name, birth or
sex) wait in a review queue for the registry clerk (item 4). ADR 0029.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'roster_separations',
        sa.Column('id', _BIG_ID, nullable=False),
        sa.Column('officer_id', _BIG_ID, nullable=False),
        sa.Column('assignment_id', _BIG_ID, nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('file_name', sa.String(length=200), nullable=False),
        sa.Column('file_sha256', sa.String(length=64), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('proposed_by', sa.String(length=64), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decided_by', sa.String(length=64), nullable=True),
        sa.Column('end_date', sa.Date(), nullable=True),
        sa.Column('end_reason', sa.String(length=24), nullable=True),
        sa.Column('note', sa.String(length=300), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'confirmed', 'dismissed')",
                           name=op.f('ck_roster_separations_status')),
        sa.ForeignKeyConstraint(['officer_id'], ['officers.id'],
                                name=op.f('fk_roster_separations_officer_id_officers')),
        sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'],
                                name=op.f('fk_roster_separations_assignment_id_assignments')),
        sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'],
                                name=op.f('fk_roster_separations_agency_id_agencies')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_separations')),
    )
    op.create_index('ix_roster_separations_agency', 'roster_separations',
                    ['agency_id', 'status', 'id'])
    op.create_index('ix_roster_separations_assignment', 'roster_separations',
                    ['assignment_id', 'file_sha256'])
    op.create_index('uq_roster_separations_pending', 'roster_separations', ['assignment_id'],
                    unique=True, sqlite_where=sa.text("status = 'pending'"),
                    postgresql_where=sa.text("status = 'pending'"))
    op.create_table(
        'roster_conflicts',
        sa.Column('id', _BIG_ID, nullable=False),
        sa.Column('officer_id', _BIG_ID, nullable=False),
        sa.Column('identity_key', sa.String(length=128), nullable=False),
        sa.Column('scheme', sa.String(length=64), nullable=True),
        sa.Column('facts', sa.Text(), nullable=False),
        sa.Column('facts_key', sa.String(length=64), nullable=False),
        sa.Column('file_rows', sa.Text(), nullable=False),
        sa.Column('file_name', sa.String(length=200), nullable=False),
        sa.Column('file_sha256', sa.String(length=64), nullable=False),
        sa.Column('file_line', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('proposed_by', sa.String(length=64), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decided_by', sa.String(length=64), nullable=True),
        sa.Column('new_officer_id', sa.BigInteger(), nullable=True),
        sa.Column('note', sa.String(length=300), nullable=True),
        sa.CheckConstraint("status IN ('open', 'accepted', 'kept', 'split', 'reused')",
                           name=op.f('ck_roster_conflicts_status')),
        sa.ForeignKeyConstraint(['officer_id'], ['officers.id'],
                                name=op.f('fk_roster_conflicts_officer_id_officers')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_conflicts')),
        sa.UniqueConstraint('officer_id', 'facts_key', name='uq_roster_conflicts_facts'),
    )
    op.create_index('ix_roster_conflicts_status', 'roster_conflicts', ['status', 'id'])


def downgrade() -> None:
    # Pending separations and queued conflicts are lost on the way down: the schema before
    # 0013 has no place for them.
    op.drop_index('ix_roster_conflicts_status', table_name='roster_conflicts')
    op.drop_table('roster_conflicts')
    op.drop_index('uq_roster_separations_pending', table_name='roster_separations')
    op.drop_index('ix_roster_separations_assignment', table_name='roster_separations')
    op.drop_index('ix_roster_separations_agency', table_name='roster_separations')
    op.drop_table('roster_separations')
