"""early intervention: stored models, scoring runs, scores with their factors, reviews

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 18:05:00

Issue 18, items 4 and 6: a trained model is kept with its bytes, their SHA-256 and the code
version that wrote them, its held-out evaluation and whether it was promoted; a run scores
every active officer with one model; each score keeps its rank, whether it was flagged and
its top factors in words; a supervisor's review of a flag keeps the outcome and whether the
flag was useful. ADR 0034.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('risk_models',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=12), nullable=False),
    sa.Column('learner', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('trained_from', sa.Date(), nullable=False),
    sa.Column('trained_until', sa.Date(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('outcomes', sa.Integer(), nullable=False),
    sa.Column('code_version', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('seal', sa.String(length=64), nullable=False),
    sa.Column('artefact', sa.LargeBinary(), nullable=False),
    sa.Column('evaluation', sa.Text(), nullable=False),
    sa.Column('promoted', sa.Boolean(), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('trained_by', sa.String(length=64), nullable=False),
    sa.Column('trained_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('registry', 'chicago')", name=op.f('ck_risk_models_source')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_models')),
    sa.UniqueConstraint('version', name=op.f('uq_risk_models_version'))
    )
    with op.batch_alter_table('risk_models', schema=None) as batch_op:
        batch_op.create_index('ix_risk_models_promoted', ['promoted', 'trained_at'], unique=False)

    op.create_table('risk_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('model_id', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('officers', sa.Integer(), nullable=False),
    sa.Column('flagged', sa.Integer(), nullable=False),
    sa.Column('share', sa.Float(), nullable=False),
    sa.Column('scored_by', sa.String(length=64), nullable=False),
    sa.Column('scored_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['model_id'], ['risk_models.id'], name=op.f('fk_risk_runs_model_id_risk_models')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_runs'))
    )
    op.create_table('risk_scores',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', _BIG_ID, nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('factors', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name=op.f('fk_risk_scores_officer_id_officers')),
    sa.ForeignKeyConstraint(['run_id'], ['risk_runs.id'], name=op.f('fk_risk_scores_run_id_risk_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_scores')),
    sa.UniqueConstraint('run_id', 'officer_id', name='uq_risk_scores_officer')
    )
    with op.batch_alter_table('risk_scores', schema=None) as batch_op:
        batch_op.create_index('ix_risk_scores_officer', ['officer_id', 'run_id'], unique=False)
        batch_op.create_index('ix_risk_scores_run_flagged', ['run_id', 'flagged', 'rank'], unique=False)

    op.create_table('risk_reviews',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('score_id', _BIG_ID, nullable=False),
    sa.Column('officer_id', _BIG_ID, nullable=False),
    sa.Column('outcome', sa.String(length=24), nullable=False),
    sa.Column('useful', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('evaluation_id', _BIG_ID, nullable=True),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_by', sa.String(length=64), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("outcome IN ('no_action', 'conversation', 'training', 'internal_affairs', 'special_evaluation')", name=op.f('ck_risk_reviews_outcome')),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id'], name=op.f('fk_risk_reviews_evaluation_id_evaluations')),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name=op.f('fk_risk_reviews_officer_id_officers')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_risk_reviews_reviewer_id_users')),
    sa.ForeignKeyConstraint(['score_id'], ['risk_scores.id'], name=op.f('fk_risk_reviews_score_id_risk_scores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_reviews')),
    sa.UniqueConstraint('score_id', name=op.f('uq_risk_reviews_score_id'))
    )
    with op.batch_alter_table('risk_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_reviews_officer_id'), ['officer_id'], unique=False)

def downgrade() -> None:
    with op.batch_alter_table('risk_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_reviews_officer_id'))

    op.drop_table('risk_reviews')
    with op.batch_alter_table('risk_scores', schema=None) as batch_op:
        batch_op.drop_index('ix_risk_scores_run_flagged')
        batch_op.drop_index('ix_risk_scores_officer')

    op.drop_table('risk_scores')
    op.drop_table('risk_runs')
    with op.batch_alter_table('risk_models', schema=None) as batch_op:
        batch_op.drop_index('ix_risk_models_promoted')

    op.drop_table('risk_models')
