"""integrity imports: complaint files of another authority stored as closed cases

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 19:00:00

The Chicago complaints and their accused (issue 17, items 5-6) stored as historical cases: each
import, the mark that makes a case imported history (its source and complaint key, unique, so a
second run adds nothing), and each accused as the file named them with how the linking placed
them, their node in the co-accusal network and the finding and discipline the source recorded.
ADR 0033.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('integrity_imports',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('complaints_file', sa.String(length=200), nullable=False),
    sa.Column('complaints_sha256', sa.String(length=64), nullable=False),
    sa.Column('accused_file', sa.String(length=200), nullable=False),
    sa.Column('accused_sha256', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_by', sa.String(length=64), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.Column('accused', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_imports'))
    )
    op.create_table('integrity_imported_cases',
    sa.Column('case_id', _BIG_ID, nullable=False),
    sa.Column('import_id', _BIG_ID, nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('source_key', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('complained_on', sa.Date(), nullable=True),
    sa.CheckConstraint("channel IN ('civilian', 'departmental', 'anonymous', 'other')", name=op.f('ck_integrity_imported_cases_channel')),
    sa.ForeignKeyConstraint(['case_id'], ['integrity_cases.id'], name=op.f('fk_integrity_imported_cases_case_id_integrity_cases')),
    sa.ForeignKeyConstraint(['import_id'], ['integrity_imports.id'], name=op.f('fk_integrity_imported_cases_import_id_integrity_imports')),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_integrity_imported_cases')),
    sa.UniqueConstraint('source', 'source_key', name='uq_integrity_imported_cases_key')
    )
    op.create_index(op.f('ix_integrity_imported_cases_import_id'), 'integrity_imported_cases', ['import_id'], unique=False)
    op.create_table('integrity_imported_accused',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('allegation_id', _BIG_ID, nullable=False),
    sa.Column('case_id', _BIG_ID, nullable=False),
    sa.Column('row_key', sa.String(length=64), nullable=False),
    sa.Column('given_names', sa.String(length=200), nullable=False),
    sa.Column('surname', sa.String(length=200), nullable=False),
    sa.Column('star', sa.String(length=20), nullable=True),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('appointed_on', sa.Date(), nullable=True),
    sa.Column('link', sa.String(length=12), nullable=False),
    sa.Column('network_key', sa.String(length=300), nullable=False),
    sa.Column('candidates', sa.Text(), nullable=False),
    sa.Column('finding', sa.String(length=16), nullable=False),
    sa.Column('finding_text', sa.String(length=200), nullable=True),
    sa.Column('allegation_text', sa.String(length=200), nullable=True),
    sa.Column('discipline', sa.String(length=200), nullable=True),
    sa.Column('reviewed_by', sa.String(length=64), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("finding IN ('sustained', 'not_sustained', 'unfounded', 'exonerated', 'no_finding')", name=op.f('ck_integrity_imported_accused_finding')),
    sa.CheckConstraint("link IN ('linked', 'ambiguous', 'unmatched', 'attached', 'rejected')", name=op.f('ck_integrity_imported_accused_link')),
    sa.ForeignKeyConstraint(['allegation_id'], ['integrity_allegations.id'], name=op.f('fk_integrity_imported_accused_allegation_id_integrity_allegations')),
    sa.ForeignKeyConstraint(['case_id'], ['integrity_cases.id'], name=op.f('fk_integrity_imported_accused_case_id_integrity_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_imported_accused')),
    sa.UniqueConstraint('allegation_id', name=op.f('uq_integrity_imported_accused_allegation_id'))
    )
    op.create_index(op.f('ix_integrity_imported_accused_case_id'), 'integrity_imported_accused', ['case_id'], unique=False)
    op.create_index(op.f('ix_integrity_imported_accused_network_key'), 'integrity_imported_accused', ['network_key'], unique=False)
    op.create_index('ix_integrity_imported_accused_link', 'integrity_imported_accused', ['link', 'network_key'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_integrity_imported_accused_link', table_name='integrity_imported_accused')
    op.drop_index(op.f('ix_integrity_imported_accused_network_key'), table_name='integrity_imported_accused')
    op.drop_index(op.f('ix_integrity_imported_accused_case_id'), table_name='integrity_imported_accused')
    op.drop_table('integrity_imported_accused')
    op.drop_index(op.f('ix_integrity_imported_cases_import_id'), table_name='integrity_imported_cases')
    op.drop_table('integrity_imported_cases')
    op.drop_table('integrity_imports')
