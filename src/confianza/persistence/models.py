"""The schema, declared once: tables, keys, and the constraints the database enforces itself.

Rules also live in the domain, but the database holds the last line (unique keys, the single
open assignment per officer, foreign keys), so a bug or a hand-written SQL statement cannot put
the registry into a state the domain forbids.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names, so migrations written on one database apply to the other.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Byte-order comparison for the folded search key, so that a prefix search is an index range
# scan on both databases (PostgreSQL's default collation would ignore spaces when sorting).
SearchText = String(200).with_variant(String(200, collation="C"), "postgresql")
# SQLite only makes INTEGER PRIMARY KEY an alias of the rowid; BIGINT elsewhere.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class AgencyRow(Base):
    __tablename__ = "agencies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))
    state_code: Mapped[str | None] = mapped_column(String(2), index=True)
    municipality_key: Mapped[str | None] = mapped_column(String(5))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    dissolved_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        CheckConstraint("level IN ('federal', 'state', 'municipal', 'foreign')", name="level"),
    )


class UnitRow(Base):
    __tablename__ = "units"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    parent_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    __table_args__ = (UniqueConstraint("agency_id", "code", name="uq_units_agency_code"),)


class OfficerRow(Base):
    __tablename__ = "officers"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    curp: Mapped[str | None] = mapped_column(String(18), unique=True)
    given_names: Mapped[str] = mapped_column(String(120))
    first_surname: Mapped[str] = mapped_column(String(120))
    second_surname: Mapped[str | None] = mapped_column(String(120))
    search_name: Mapped[str] = mapped_column(SearchText)
    birth_date: Mapped[date | None] = mapped_column(Date)
    birth_year: Mapped[int | None] = mapped_column(SmallInteger)
    sex: Mapped[str | None] = mapped_column(String(1))
    status: Mapped[str] = mapped_column(String(24))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        # No index on status alone: searches are read in name order, which the name index
        # gives; a status index cost the bulk import a tenth of its officer inserts.
        Index("ix_officers_search_name_id", "search_name", "id"),
        CheckConstraint(
            "status IN ('active', 'removed_from_duty', 'suspended', 'separated', 'deceased')",
            name="status",
        ),
        CheckConstraint("sex IS NULL OR sex IN ('H', 'M', 'X')", name="sex"),
    )


class OfficerIdentifierRow(Base):
    """Identity keys from other systems (a state payroll number, a foreign roster's id)."""

    __tablename__ = "officer_identifiers"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), index=True)
    scheme: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(128))
    __table_args__ = (UniqueConstraint("scheme", "value", name="uq_officer_identifiers_key"),)


class OfficerContactRow(Base):
    """Sensitive contact data, kept in its own table so no identity query ever carries it."""

    __tablename__ = "officer_contacts"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(300))
    label: Mapped[str | None] = mapped_column(String(60))
    __table_args__ = (
        CheckConstraint("kind IN ('phone', 'address', 'email')", name="kind"),
    )


class AssignmentRow(Base):
    __tablename__ = "assignments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    rank: Mapped[str] = mapped_column(String(80))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    start_reason: Mapped[str] = mapped_column(String(24))
    end_reason: Mapped[str | None] = mapped_column(String(24))
    __table_args__ = (
        Index("ix_assignments_officer_start", "officer_id", "start_date"),
        Index("ix_assignments_agency_open", "agency_id", "end_date", "officer_id"),
        # At most one open assignment per officer: the database's own guard against two
        # concurrent transfers both leaving the officer "currently" in two places.
        Index(
            "uq_assignments_one_open",
            "officer_id",
            unique=True,
            sqlite_where=text("end_date IS NULL"),
            postgresql_where=text("end_date IS NULL"),
        ),
        CheckConstraint("end_date IS NULL OR end_date > start_date", name="period"),
    )


class BadgeRow(Base):
    __tablename__ = "badges"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    number: Mapped[str] = mapped_column(String(20))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (Index("ix_badges_number", "number", "agency_id"),)


class UserRow(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    scope_kind: Mapped[str] = mapped_column(String(16))
    scope_state_code: Mapped[str | None] = mapped_column(String(2))
    scope_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ApiTokenRow(Base):
    """Machine credentials: only a hash of the token is kept."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SessionRow(Base):
    """A person's signed-in browser: only a hash of the cookie is kept."""

    __tablename__ = "sessions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEntryRow(Base):
    """The trail. Rows are only ever appended; `seq` is the append order."""

    __tablename__ = "audit_entries"
    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(64))
    actor_kind: Mapped[str] = mapped_column(String(8))
    action: Mapped[str] = mapped_column(String(64))
    resource_type: Mapped[str] = mapped_column(String(32))
    resource_id: Mapped[str | None] = mapped_column(String(64))
    purpose: Mapped[str | None] = mapped_column(Text)
    request_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="{}")
    __table_args__ = (
        Index("ix_audit_resource", "resource_type", "resource_id", "seq"),
        Index("ix_audit_actor", "actor", "seq"),
    )
