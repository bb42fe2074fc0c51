"""the log's order is given by the integrator: entries get an id at insert, `seq` later

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 08:30:00

ADR 0023. Until now every appending transaction took its sequence number from the one-row
`log_state` counter and held that row's lock until its commit, so audited requests ran one
after another. Now an entry gets a plain `id` from the database when it is inserted (no shared
lock: a PostgreSQL sequence, SQLite's rowid) and its place in the log, `seq`, afterwards, from
the integrator, which numbers committed entries in the order it finds them. `log_state.next_seq`
becomes the integrator's counter.

Existing rows keep their numbers: `id` is the old `seq` column renamed (its indexes follow it),
and the new `seq` takes the same value, so the tree, the checkpoints and the published tiles
do not change. The append-only triggers now admit exactly one update: giving a row its `seq`
once, nothing else changed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_SQLITE_COLUMNS = ("id", "at", "actor", "actor_kind", "action", "resource_type", "resource_id",
                   "purpose", "request_id", "detail")
# Only the integrator's one act passes: a row without a place gets one, and nothing else moves.
_SQLITE_NO_UPDATE = (
    "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
    "WHEN NOT (OLD.seq IS NULL AND NEW.seq IS NOT NULL AND "
    + " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _SQLITE_COLUMNS)
    + ") BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only: a row is never updated, "
    "but for the log giving it its place once'); END"
)
_SQLITE_OLD_NO_UPDATE = (
    "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only: rows are never updated'); END"
)
# The row as JSON without `seq` compares every other column, today's and any added later.
_PG_FUNCTION = (
    "CREATE FUNCTION confianza_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN "
    "IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL "
    "AND (to_jsonb(NEW) - 'seq') = (to_jsonb(OLD) - 'seq') THEN RETURN NEW; END IF; "
    "RAISE EXCEPTION '% is append-only: % is refused', TG_TABLE_NAME, TG_OP "
    "USING ERRCODE = 'insufficient_privilege'; END $$"
)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("DROP TRIGGER audit_entries_append_only ON audit_entries")
        op.execute("ALTER TABLE audit_entries RENAME COLUMN seq TO id")
        op.execute("ALTER SEQUENCE audit_entries_seq_seq RENAME TO audit_entries_id_seq")
        # Numbers were given by log_state, never by the column's own sequence: move it past them.
        op.execute("SELECT setval('audit_entries_id_seq', "
                   "COALESCE((SELECT MAX(id) FROM audit_entries), 0) + 1, false)")
    else:
        op.execute("DROP TRIGGER audit_entries_no_update")
        op.execute("ALTER TABLE audit_entries RENAME COLUMN seq TO id")
    op.add_column("audit_entries", sa.Column("seq", sa.BigInteger().with_variant(
        sa.Integer(), "sqlite"), nullable=True))
    op.execute("UPDATE audit_entries SET seq = id")
    op.create_index("ix_audit_seq", "audit_entries", ["seq"], unique=True)
    op.create_index("ix_audit_unsequenced", "audit_entries", ["id"], unique=False,
                    postgresql_where=sa.text("seq IS NULL"),
                    sqlite_where=sa.text("seq IS NULL"))
    if postgres:
        op.execute(_PG_FUNCTION)
        op.execute("CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON "
                   "audit_entries FOR EACH ROW EXECUTE FUNCTION confianza_audit_append_only()")
    else:
        op.execute(_SQLITE_NO_UPDATE)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("DROP TRIGGER audit_entries_append_only ON audit_entries")
        op.execute("DROP FUNCTION confianza_audit_append_only()")
    else:
        op.execute("DROP TRIGGER audit_entries_no_update")
    # Entries not yet placed by the integrator are given the next places, in id order, so the
    # old numbering (gapless, as the counter gave it) holds for every row.
    op.execute(
        "UPDATE audit_entries SET seq = (SELECT next_seq FROM log_state WHERE id = 1) - 1 + "
        "(SELECT COUNT(*) FROM audit_entries AS e WHERE e.seq IS NULL "
        "AND e.id <= audit_entries.id) WHERE seq IS NULL")
    op.execute("UPDATE log_state SET next_seq = "
               "(SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_entries)")
    op.drop_index("ix_audit_unsequenced", table_name="audit_entries")
    op.drop_index("ix_audit_seq", table_name="audit_entries")
    if postgres:
        # The old key is the place; the id goes.
        op.execute("ALTER TABLE audit_entries DROP CONSTRAINT pk_audit_entries")
        op.execute("ALTER TABLE audit_entries DROP COLUMN id")
        op.execute("ALTER TABLE audit_entries ALTER COLUMN seq SET NOT NULL")
        op.execute("ALTER TABLE audit_entries ADD CONSTRAINT pk_audit_entries PRIMARY KEY (seq)")
        op.execute("CREATE SEQUENCE audit_entries_seq_seq OWNED BY audit_entries.seq")
        op.execute("ALTER TABLE audit_entries ALTER COLUMN seq SET DEFAULT "
                   "nextval('audit_entries_seq_seq')")
        op.create_index("ix_audit_actor", "audit_entries", ["actor", "seq"])
        op.create_index("ix_audit_resource", "audit_entries",
                        ["resource_type", "resource_id", "seq"])
        op.execute("CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON "
                   "audit_entries FOR EACH ROW EXECUTE FUNCTION confianza_append_only()")
    else:
        with op.batch_alter_table("audit_entries", recreate="always") as batch:
            batch.drop_index("ix_audit_actor")
            batch.drop_index("ix_audit_resource")
            batch.drop_constraint("pk_audit_entries", type_="primary")
            batch.drop_column("id")
            batch.alter_column("seq", nullable=False)
            batch.create_primary_key("pk_audit_entries", ["seq"])
            batch.create_index("ix_audit_actor", ["actor", "seq"])
            batch.create_index("ix_audit_resource", ["resource_type", "resource_id", "seq"])
        # Recreating the table dropped its triggers.
        op.execute(_SQLITE_OLD_NO_UPDATE)
        op.execute("CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
                   "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only: rows are never "
                   "deleted'); END")
