"""careers as they are: a posting's status, kind and employment; the status history

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 12:00:00

ADR 0025 (issue 16, items 2 and 3). A posting gets its own status (active, on leave, separated),
kind (full time, task force, reserve, part time) and employment (sworn, custody, civilian,
private security). Existing postings keep their meaning: an open one is an active full-time
posting of a sworn officer, a closed one is separated (its end_reason says why). The guard of
one open posting per officer now holds for full-time postings only; an index on open postings
stays for the per-row probes of `held_within`.

The status history is a table of its own; every officer gets one row from the status they
hold, dated by their record's last change (the best date the registry has), by `migration`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_OPEN = sa.text("end_date IS NULL")
_OPEN_FULL_TIME = sa.text("end_date IS NULL AND kind = 'full_time'")
_STATUSES = "('active', 'removed_from_duty', 'suspended', 'separated', 'deceased')"


def upgrade() -> None:
    op.drop_index('uq_assignments_one_open', table_name='assignments')
    op.add_column('assignments', sa.Column('status', sa.String(16), nullable=False,
                                           server_default='active'))
    op.add_column('assignments', sa.Column('kind', sa.String(16), nullable=False,
                                           server_default='full_time'))
    op.add_column('assignments', sa.Column('employment', sa.String(16), nullable=False,
                                           server_default='sworn'))
    op.add_column('assignments', sa.Column('status_since', sa.Date(), nullable=True))
    op.execute("UPDATE assignments SET status = 'separated' WHERE end_date IS NOT NULL")
    with op.batch_alter_table('assignments') as batch:
        batch.create_check_constraint(
            op.f('ck_assignments_status'), "(status = 'separated' AND end_date IS NOT NULL) OR "
            "(status IN ('active', 'on_leave') AND end_date IS NULL)")
        batch.create_check_constraint(
            op.f('ck_assignments_kind'), "kind IN ('full_time', 'task_force', 'reserve', 'part_time')")
        batch.create_check_constraint(
            op.f('ck_assignments_employment'), "employment IN ('sworn', 'custody', 'civilian', 'private_security')")
    op.create_index('uq_assignments_one_full_time', 'assignments', ['officer_id'], unique=True,
                    sqlite_where=_OPEN_FULL_TIME, postgresql_where=_OPEN_FULL_TIME)
    op.create_index('ix_assignments_officer_open', 'assignments', ['officer_id'], unique=False,
                    sqlite_where=_OPEN, postgresql_where=_OPEN)

    op.create_table(
        'officer_status_changes',
        sa.Column('id', BigId, primary_key=True),
        sa.Column('officer_id', BigId, sa.ForeignKey(
            'officers.id', name=op.f('fk_officer_status_changes_officer_id_officers')), nullable=False),
        sa.Column('status', sa.String(24), nullable=False),
        sa.Column('effective_on', sa.Date(), nullable=False),
        sa.Column('reason', sa.String(300), nullable=False),
        sa.Column('actor', sa.String(64), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"status IN {_STATUSES}", name=op.f('ck_officer_status_changes_status')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_officer_status_changes')),
    )
    op.create_index('ix_officer_status_changes_officer', 'officer_status_changes',
                    ['officer_id', 'effective_on', 'id'])
    postgres = op.get_bind().dialect.name == "postgresql"
    day = "CAST(updated_at AS DATE)" if postgres else "date(updated_at)"
    op.execute(
        "INSERT INTO officer_status_changes (officer_id, status, effective_on, reason, actor, "
        f"recorded_at) SELECT id, status, {day}, 'status held when the history began', "
        "'migration', CURRENT_TIMESTAMP FROM officers ORDER BY id")


def downgrade() -> None:
    bind = op.get_bind()
    concurrent = bind.execute(sa.text(
        "SELECT COUNT(*) FROM assignments WHERE end_date IS NULL AND kind <> 'full_time'"
    )).scalar_one()
    if concurrent:
        # Before 0010 an officer held at most one open posting: these cannot be expressed, and
        # ending them here would invent ends of service.
        raise RuntimeError(f"{concurrent} open postings are not full-time (task force, reserve, "
                           "part time); end or remove them before downgrading below 0010")
    op.drop_index('ix_officer_status_changes_officer', table_name='officer_status_changes')
    op.drop_table('officer_status_changes')
    op.drop_index('ix_assignments_officer_open', table_name='assignments')
    op.drop_index('uq_assignments_one_full_time', table_name='assignments')
    with op.batch_alter_table('assignments') as batch:
        batch.drop_constraint(op.f('ck_assignments_employment'), type_='check')
        batch.drop_constraint(op.f('ck_assignments_kind'), type_='check')
        batch.drop_constraint(op.f('ck_assignments_status'), type_='check')
        batch.drop_column('status_since')
        batch.drop_column('employment')
        batch.drop_column('kind')
        batch.drop_column('status')
    op.create_index('uq_assignments_one_open', 'assignments', ['officer_id'], unique=True,
                    sqlite_where=_OPEN, postgresql_where=_OPEN)
