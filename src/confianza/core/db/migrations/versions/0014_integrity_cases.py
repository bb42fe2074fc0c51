"""integrity cases: allegations with graded sources, due process, safeguards

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 17:30:00

Internal-affairs cases (issue 17, items 1-4): cases, allegations against a registry officer or
an accused kept as given, their graded sources (a protected source's identity in a table of
its own), evidence kept by SHA-256 beside exam files, links, the people of each case, notices,
answers, findings, sanctions and appeals. A separation process may now be opened by a dismissal
decided in a case as well as by a not-approved evaluation, exactly one of the two. ADR 0030.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('integrity_cases',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('stage_since', sa.Date(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_by', sa.String(length=64), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('closing_note', sa.Text(), nullable=True),
    sa.CheckConstraint("stage IN ('intake', 'assigned', 'notified', 'answer_period', 'evidence', 'finding', 'sanction', 'appeal', 'closed')", name=op.f('ck_integrity_cases_stage')),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_integrity_cases_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_cases'))
    )
    op.create_index('ix_integrity_cases_agency_stage', 'integrity_cases', ['agency_id', 'stage', 'stage_since'], unique=False)
    op.create_table('integrity_allegations',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('case_id', _BIG_ID, nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('officer_id', _BIG_ID, nullable=True),
    sa.Column('accused_name', sa.String(length=200), nullable=True),
    sa.Column('accused_badge', sa.String(length=40), nullable=True),
    sa.Column('occurred_on', sa.Date(), nullable=True),
    sa.Column('place', sa.String(length=300), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.CheckConstraint('officer_id IS NOT NULL OR accused_name IS NOT NULL OR accused_badge IS NOT NULL', name=op.f('ck_integrity_allegations_accused')),
    sa.ForeignKeyConstraint(['case_id'], ['integrity_cases.id'], name=op.f('fk_integrity_allegations_case_id_integrity_cases')),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name=op.f('fk_integrity_allegations_officer_id_officers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_allegations'))
    )
    op.create_index(op.f('ix_integrity_allegations_case_id'), 'integrity_allegations', ['case_id'], unique=False)
    op.create_index(op.f('ix_integrity_allegations_officer_id'), 'integrity_allegations', ['officer_id'], unique=False)
    op.create_table('integrity_answers',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('case_id', _BIG_ID, nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('coerced_source_ids', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['integrity_cases.id'], name=op.f('fk_integrity_answers_case_id_integrity_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_answers'))
    )
    op.create_index(op.f('ix_integrity_answers_case_id'), 'integrity_answers', ['case_id'], unique=False)
    op.create_table('integrity_appeals',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('case_id', _BIG_ID, nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=False),
    sa.Column('filed_by', sa.String(length=64), nullable=False),
    sa.Column('grounds', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('upheld', 'overturned')", name=op.f('ck_integrity_appeals_outcome')),
    sa.ForeignKeyConstraint(['case_id'], ['integrity_cases.id'], name=op.f('fk_integrity_appeals_case_id_integrity_cases')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_integrity_appeals_decided_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_appeals')),
    sa.UniqueConstraint('case_id', name=op.f('uq_integrity_appeals_case_id'))
    )
    op.create_table('integrity_assignments',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('case_id', _BIG_ID, nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('duty', sa.String(length=16), nullable=False),
    sa.Column('officer_id', _BIG_ID, nullable=True),
    sa.Column('assigned_by', sa.String(length=64), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("duty IN ('investigator', 'decider', 'appeal_decider')", name=op.f('ck_integrity_assignments_duty')),
    sa.ForeignKeyConstraint(['case_id'], ['integrity_cases.id'], name=op.f('fk_integrity_assignments_case_id_integrity_cases')),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name=op.f('fk_integrity_assignments_officer_id_officers')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_integrity_assignments_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_assignments')),
    sa.UniqueConstraint('case_id', 'user_id', 'duty', name='uq_integrity_assignments_duty')
    )
    op.create_index(op.f('ix_integrity_assignments_case_id'), 'integrity_assignments', ['case_id'], unique=False)
    op.create_index('ix_integrity_assignments_user', 'integrity_assignments', ['user_id', 'duty', 'case_id'], unique=False)
    op.create_table('integrity_evidence',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('case_id', _BIG_ID, nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('added_by', sa.String(length=64), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['integrity_cases.id'], name=op.f('fk_integrity_evidence_case_id_integrity_cases')),
    sa.ForeignKeyConstraint(['sha256'], ['attachments.sha256'], name=op.f('fk_integrity_evidence_sha256_attachments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_evidence')),
    sa.UniqueConstraint('case_id', 'sha256', name='uq_integrity_evidence_file')
    )
    op.create_table('integrity_notices',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('case_id', _BIG_ID, nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_by', sa.String(length=64), nullable=False),
    sa.Column('served_on', sa.Date(), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['integrity_cases.id'], name=op.f('fk_integrity_notices_case_id_integrity_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_notices')),
    sa.UniqueConstraint('case_id', name=op.f('uq_integrity_notices_case_id'))
    )
    op.create_table('integrity_sanctions',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('case_id', _BIG_ID, nullable=False),
    sa.Column('officer_id', _BIG_ID, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('days', sa.Integer(), nullable=True),
    sa.Column('grounds', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('decided_by', sa.String(length=64), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.CheckConstraint("kind IN ('reprimand', 'arrest', 'suspension', 'demotion', 'dismissal')", name=op.f('ck_integrity_sanctions_kind')),
    sa.ForeignKeyConstraint(['case_id'], ['integrity_cases.id'], name=op.f('fk_integrity_sanctions_case_id_integrity_cases')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_integrity_sanctions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name=op.f('fk_integrity_sanctions_officer_id_officers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_sanctions')),
    sa.UniqueConstraint('case_id', 'officer_id', name='uq_integrity_sanctions_officer')
    )
    op.create_index(op.f('ix_integrity_sanctions_officer_id'), 'integrity_sanctions', ['officer_id'], unique=False)
    op.create_table('integrity_sources',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('case_id', _BIG_ID, nullable=False),
    sa.Column('channel', sa.String(length=24), nullable=False),
    sa.Column('reliability', sa.String(length=1), nullable=False),
    sa.Column('credibility', sa.String(length=1), nullable=False),
    sa.Column('protected', sa.Boolean(), nullable=False),
    sa.Column('benefit', sa.Boolean(), nullable=False),
    sa.Column('coercion_claimed', sa.Boolean(), nullable=False),
    sa.Column('reporter_name', sa.String(length=200), nullable=True),
    sa.Column('reporter_user_id', sa.Integer(), nullable=True),
    sa.Column('reporter_officer_id', _BIG_ID, nullable=True),
    sa.Column('account', sa.Text(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('relayed_by', sa.String(length=64), nullable=False),
    sa.Column('relayed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("credibility IN ('1', '2', '3', '4', '5', '6')", name=op.f('ck_integrity_sources_credibility')),
    sa.CheckConstraint("reliability IN ('A', 'B', 'C', 'D', 'E', 'F')", name=op.f('ck_integrity_sources_reliability')),
    sa.CheckConstraint('NOT protected OR reporter_name IS NULL', name=op.f('ck_integrity_sources_protected_unnamed')),
    sa.ForeignKeyConstraint(['case_id'], ['integrity_cases.id'], name=op.f('fk_integrity_sources_case_id_integrity_cases')),
    sa.ForeignKeyConstraint(['relayed_by_id'], ['users.id'], name=op.f('fk_integrity_sources_relayed_by_id_users')),
    sa.ForeignKeyConstraint(['reporter_officer_id'], ['officers.id'], name=op.f('fk_integrity_sources_reporter_officer_id_officers')),
    sa.ForeignKeyConstraint(['reporter_user_id'], ['users.id'], name=op.f('fk_integrity_sources_reporter_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_sources'))
    )
    op.create_index(op.f('ix_integrity_sources_case_id'), 'integrity_sources', ['case_id'], unique=False)
    op.create_table('integrity_allegation_sources',
    sa.Column('allegation_id', _BIG_ID, nullable=False),
    sa.Column('source_id', _BIG_ID, nullable=False),
    sa.ForeignKeyConstraint(['allegation_id'], ['integrity_allegations.id'], name=op.f('fk_integrity_allegation_sources_allegation_id_integrity_allegations')),
    sa.ForeignKeyConstraint(['source_id'], ['integrity_sources.id'], name=op.f('fk_integrity_allegation_sources_source_id_integrity_sources')),
    sa.PrimaryKeyConstraint('allegation_id', 'source_id', name=op.f('pk_integrity_allegation_sources'))
    )
    op.create_table('integrity_findings',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('allegation_id', _BIG_ID, nullable=False),
    sa.Column('finding', sa.String(length=16), nullable=False),
    sa.Column('grounds', sa.Text(), nullable=False),
    sa.Column('relied_on', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('decided_by', sa.String(length=64), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('needs_second', sa.Boolean(), nullable=False),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('special_evaluation_id', _BIG_ID, nullable=True),
    sa.CheckConstraint("finding IN ('sustained', 'not_sustained', 'unfounded', 'exonerated')", name=op.f('ck_integrity_findings_finding')),
    sa.CheckConstraint('confirmed_by_id IS NULL OR confirmed_by_id <> decided_by_id', name=op.f('ck_integrity_findings_second_person')),
    sa.ForeignKeyConstraint(['allegation_id'], ['integrity_allegations.id'], name=op.f('fk_integrity_findings_allegation_id_integrity_allegations')),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_integrity_findings_confirmed_by_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_integrity_findings_decided_by_id_users')),
    sa.ForeignKeyConstraint(['special_evaluation_id'], ['evaluations.id'], name=op.f('fk_integrity_findings_special_evaluation_id_evaluations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_findings')),
    sa.UniqueConstraint('allegation_id', name=op.f('uq_integrity_findings_allegation_id'))
    )
    op.create_table('integrity_links',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('allegation_id', _BIG_ID, nullable=False),
    sa.Column('evidence_id', _BIG_ID, nullable=True),
    sa.Column('other_allegation_id', _BIG_ID, nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('added_by', sa.String(length=64), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('supports', 'contradicts')", name=op.f('ck_integrity_links_kind')),
    sa.CheckConstraint('(evidence_id IS NULL) <> (other_allegation_id IS NULL)', name=op.f('ck_integrity_links_target')),
    sa.ForeignKeyConstraint(['allegation_id'], ['integrity_allegations.id'], name=op.f('fk_integrity_links_allegation_id_integrity_allegations')),
    sa.ForeignKeyConstraint(['evidence_id'], ['integrity_evidence.id'], name=op.f('fk_integrity_links_evidence_id_integrity_evidence')),
    sa.ForeignKeyConstraint(['other_allegation_id'], ['integrity_allegations.id'], name=op.f('fk_integrity_links_other_allegation_id_integrity_allegations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_links'))
    )
    op.create_index(op.f('ix_integrity_links_allegation_id'), 'integrity_links', ['allegation_id'], unique=False)
    op.create_table('integrity_protected_identities',
    sa.Column('source_id', _BIG_ID, nullable=False),
    sa.Column('identity', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['integrity_sources.id'], name=op.f('fk_integrity_protected_identities_source_id_integrity_sources')),
    sa.PrimaryKeyConstraint('source_id', name=op.f('pk_integrity_protected_identities'))
    )
    with op.batch_alter_table('separation_processes') as batch:
        batch.add_column(sa.Column('integrity_case_id', _BIG_ID, nullable=True))
        batch.alter_column('evaluation_id', existing_type=_BIG_ID, nullable=True)
        batch.create_unique_constraint('uq_separation_processes_integrity_case',
                                       ['integrity_case_id', 'officer_id'])
        batch.create_foreign_key(
            op.f('fk_separation_processes_integrity_case_id_integrity_cases'),
            'integrity_cases', ['integrity_case_id'], ['id'])
        batch.create_check_constraint(
            op.f('ck_separation_processes_opened_by'),
            "(evaluation_id IS NULL) <> (integrity_case_id IS NULL)")


def downgrade() -> None:
    # A separation a case opened has no evaluation to stand on: refused rather than lost.
    with op.batch_alter_table('separation_processes') as batch:
        batch.drop_constraint(op.f('ck_separation_processes_opened_by'), type_='check')
        batch.drop_constraint(
            op.f('fk_separation_processes_integrity_case_id_integrity_cases'),
            type_='foreignkey')
        batch.drop_constraint('uq_separation_processes_integrity_case', type_='unique')
        batch.alter_column('evaluation_id', existing_type=_BIG_ID, nullable=False)
        batch.drop_column('integrity_case_id')
    op.drop_table('integrity_protected_identities')
    op.drop_index(op.f('ix_integrity_links_allegation_id'), table_name='integrity_links')
    op.drop_table('integrity_links')
    op.drop_table('integrity_findings')
    op.drop_table('integrity_allegation_sources')
    op.drop_index(op.f('ix_integrity_sources_case_id'), table_name='integrity_sources')
    op.drop_table('integrity_sources')
    op.drop_index(op.f('ix_integrity_sanctions_officer_id'), table_name='integrity_sanctions')
    op.drop_table('integrity_sanctions')
    op.drop_table('integrity_notices')
    op.drop_table('integrity_evidence')
    op.drop_index('ix_integrity_assignments_user', table_name='integrity_assignments')
    op.drop_index(op.f('ix_integrity_assignments_case_id'), table_name='integrity_assignments')
    op.drop_table('integrity_assignments')
    op.drop_table('integrity_appeals')
    op.drop_index(op.f('ix_integrity_answers_case_id'), table_name='integrity_answers')
    op.drop_table('integrity_answers')
    op.drop_index(op.f('ix_integrity_allegations_officer_id'), table_name='integrity_allegations')
    op.drop_index(op.f('ix_integrity_allegations_case_id'), table_name='integrity_allegations')
    op.drop_table('integrity_allegations')
    op.drop_index('ix_integrity_cases_agency_stage', table_name='integrity_cases')
    op.drop_table('integrity_cases')
