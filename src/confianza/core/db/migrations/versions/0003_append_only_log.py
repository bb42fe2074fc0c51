"""the audit trail becomes an append-only log: gapless numbering, no update or delete

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 20:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# The append-only rule lives in the database too, so that neither a bug nor a hand-typed
# statement can change or remove a line of the trail. (Whoever can drop a trigger can still do
# so: the signed checkpoints of the Merkle log are what catches that.)
_SQLITE = [
    "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only: rows are never updated'); END",
    "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only: rows are never deleted'); END",
]
_POSTGRES = [
    "CREATE FUNCTION confianza_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION '% is append-only: % is refused', TG_TABLE_NAME, TG_OP "
    "USING ERRCODE = 'insufficient_privilege'; END $$",
    "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries "
    "FOR EACH ROW EXECUTE FUNCTION confianza_append_only()",
    "CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries "
    "FOR EACH STATEMENT EXECUTE FUNCTION confianza_append_only()",
]


def upgrade() -> None:
    op.create_table('log_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('next_seq', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_log_state_one_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_log_state'))
    )
    op.execute("INSERT INTO log_state (id, next_seq) "
               "SELECT 1, COALESCE(MAX(seq), 0) + 1 FROM audit_entries")
    for statement in _POSTGRES if op.get_bind().dialect.name == "postgresql" else _SQLITE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_entries_no_truncate ON audit_entries")
        op.execute("DROP TRIGGER audit_entries_append_only ON audit_entries")
        op.execute("DROP FUNCTION confianza_append_only()")
    else:
        op.execute("DROP TRIGGER audit_entries_no_delete")
        op.execute("DROP TRIGGER audit_entries_no_update")
    op.drop_table('log_state')
