"""What benchmarks that keep a PostgreSQL database between runs share."""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def ensure_database(url: str) -> None:
    """Create the database `url` names unless the server already has it (kept between runs:
    building a national registry takes longer than measuring it)."""
    parts = make_url(url)
    admin = create_engine(parts.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                      {"n": parts.database}).scalar():
                connection.execute(text(f'CREATE DATABASE "{parts.database}"'))
    finally:
        admin.dispose()
