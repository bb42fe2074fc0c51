"""officers' name words, for a name typed in any order

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 12:00:00

A name typed in any order ("Fuller Audra", "Juan García López") is found through the words of
the officers' names: one row per distinct word, beside the officer's sort key, so that one
word's rows come already in the order a search page lists (ADR 0028). The rows of the officers
already registered are made here from their sort keys, a batch at a time.
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# The words of a name as `registry.rules.name_search` makes them on the day of this revision
# (a migration keeps its own copy: the application's rule may change after it).
_JOINING = re.compile(r"['’`´]")
_WORD = re.compile(r"[^\W_]+")
_BATCH = 10_000


def _words(search_name: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", search_name)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).upper()
    return _WORD.findall(_JOINING.sub("", folded))


def upgrade() -> None:
    search_text = sa.String(length=200).with_variant(
        sa.String(length=200, collation='C'), 'postgresql')
    tokens = op.create_table('officer_name_tokens',
    sa.Column('officer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
              nullable=False),
    sa.Column('token', search_text, nullable=False),
    sa.Column('search_name', search_text, nullable=False),
    sa.Column('words', sa.String(length=210), nullable=False),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'],
                            name=op.f('fk_officer_name_tokens_officer_id_officers'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('officer_id', 'token', name=op.f('pk_officer_name_tokens'))
    )
    assert tokens is not None
    connection = op.get_bind()
    officers = sa.table('officers', sa.column('id'), sa.column('search_name'))
    last = 0
    while True:
        batch = connection.execute(
            sa.select(officers.c.id, officers.c.search_name).where(officers.c.id > last)
            .order_by(officers.c.id).limit(_BATCH)).all()
        if not batch:
            break
        rows = []
        for officer_id, search_name in batch:
            words = _words(search_name)
            key = " " + " ".join(words) + " "
            for word in dict.fromkeys(words):
                rows.append({"officer_id": officer_id, "token": word,
                             "search_name": search_name, "words": key})
        if rows:
            connection.execute(tokens.insert(), rows)
        last = batch[-1][0]
    # Built after the rows: one sort instead of an index entry kept row by row.
    op.create_index('ix_officer_name_tokens_token', 'officer_name_tokens',
                    ['token', 'search_name', 'officer_id', 'words'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_officer_name_tokens_token', table_name='officer_name_tokens')
    op.drop_table('officer_name_tokens')
