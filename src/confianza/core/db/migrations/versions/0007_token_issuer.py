"""who issued an API token, when it was not its holder

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 12:00:00

Tokens belong to their holder (ADR 0021): only the console operator may still issue one for
an account (ADR 0008), and then every act made with it names that operator too. The column
holds the issuer's name; NULL means the holder issued it (and, for tokens issued before this
revision, that the `user:token:create` entry of the trail is where the issuer is named).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issued_by', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('issued_by')
