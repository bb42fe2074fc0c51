"""an index on external ids' values, for the roster's filter

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 09:00:00

An agency's roster is filtered by one text, matched as a name, a CURP, a badge the agency
issued or an external id's value (issue 15). A clerk types the payroll number, not its scheme,
so the unique key (scheme, value) cannot serve the last; without this index every filtered
page would read the whole table of external ids. It costs imports keyed by external ids one
more index entry per id (the Chicago roster: 12,249).
"""

from __future__ import annotations

from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_officer_identifiers_value', 'officer_identifiers', ['value'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_officer_identifiers_value', table_name='officer_identifiers')
