"""early intervention: a scoring run records its method, a model or the threshold rule

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-08 10:00:00

Issue 18, item 6: while no model is promoted, the department's threshold rule ("3 or more
complaints in 12 months") flags the active officers, and its run is stored as such: the run
records its method, a rule run keeps the rule's count and months and names no model
(`model_id` becomes nullable), and a check holds the two kinds apart. Earlier runs were all
made by a model. ADR 0034, second addendum.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

_METHOD = ("(method = 'model' AND model_id IS NOT NULL AND rule_count IS NULL "
           "AND rule_months IS NULL) OR (method = 'threshold' AND model_id IS NULL "
           "AND rule_count IS NOT NULL AND rule_months IS NOT NULL)")


def upgrade() -> None:
    with op.batch_alter_table('risk_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('method', sa.String(length=16), server_default='model',
                                      nullable=False))
        batch_op.add_column(sa.Column('rule_count', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rule_months', sa.Integer(), nullable=True))
        batch_op.alter_column('model_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint(op.f('ck_risk_runs_method'), _METHOD)


def downgrade() -> None:
    # A rule run names no model: it cannot be kept in the earlier shape.
    op.execute("DELETE FROM risk_reviews WHERE score_id IN (SELECT s.id FROM risk_scores s "
               "JOIN risk_runs r ON r.id = s.run_id WHERE r.method = 'threshold')")
    op.execute("DELETE FROM risk_scores WHERE run_id IN "
               "(SELECT id FROM risk_runs WHERE method = 'threshold')")
    op.execute("DELETE FROM risk_runs WHERE method = 'threshold'")
    with op.batch_alter_table('risk_runs', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_risk_runs_method'), type_='check')
        batch_op.alter_column('model_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('rule_months')
        batch_op.drop_column('rule_count')
        batch_op.drop_column('method')
