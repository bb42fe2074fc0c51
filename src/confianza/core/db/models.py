"""The schema, declared once: tables, keys, and the constraints the database enforces itself.

Rules also live in the domain, but the database holds the last line (unique keys, the single
open assignment per officer, foreign keys), so a bug or a hand-written SQL statement cannot put
the registry into a state the domain forbids.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
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


class UtcDateTime(TypeDecorator[datetime]):
    """An instant, kept in UTC and handed back with its offset, on both databases.

    PostgreSQL's `timestamptz` does this itself. SQLite has no such type: SQLAlchemy writes an
    aware value's wall-clock digits and drops the offset, so 20:41-06:00 was kept as 20:41 and
    read back as a naive 20:41 (six hours early, and without the offset OpenAPI's date-time
    needs). Here every value is converted to UTC before it is written and marked UTC when it
    is read. A naive value is refused: no code may guess which zone it was meant in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None or not isinstance(value, datetime):
            return value
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"a timestamp without a UTC offset ({value.isoformat()}) cannot "
                             "be stored")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        # SQLite hands back the stored text: parsed with its offset in one C call. Parsing it
        # naive and then replacing the zone cost four times as much, which showed on reads of
        # many rows (the trail).
        parse = datetime.fromisoformat

        def process(value: Any) -> datetime | None:
            if value is None:
                return None
            if isinstance(value, str):
                return parse(value + "+00:00")
            return self.process_result_value(value, dialect)

        return process

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]


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
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
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
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
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


class OfficerNameTokenRow(Base):
    """One word of an officer's name beside their sort key (ADR 0028): a name typed in any
    order is found by walking one of its words, already in (search_name, id) order."""

    __tablename__ = "officer_name_tokens"
    officer_id: Mapped[int] = mapped_column(
        ForeignKey("officers.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(SearchText, primary_key=True)
    search_name: Mapped[str] = mapped_column(SearchText)
    # The name's words between spaces, for the other typed words (a LIKE on the same row).
    words: Mapped[str] = mapped_column(String(210))
    __table_args__ = (
        # The word list rides in the index: the other typed words are tested on the index
        # entry, without a read of the row for each entry walked.
        Index("ix_officer_name_tokens_token", "token", "search_name", "officer_id", "words"),
    )


class OfficerIdentifierRow(Base):
    """Identity keys from other systems (a state payroll number, a foreign roster's id)."""

    __tablename__ = "officer_identifiers"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), index=True)
    scheme: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(128))
    __table_args__ = (
        UniqueConstraint("scheme", "value", name="uq_officer_identifiers_key"),
        # A roster's filter finds an officer by the value alone (a clerk types the payroll
        # number, not its scheme).
        Index("ix_officer_identifiers_value", "value"),
    )


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
    # The posting's own status (ADR 0025): a posting on leave (licencia) is still open; a
    # closed one is separated, and its end_reason says why.
    status: Mapped[str] = mapped_column(String(16), server_default="active")
    kind: Mapped[str] = mapped_column(String(16), server_default="full_time")
    employment: Mapped[str] = mapped_column(String(16), server_default="sworn")
    # The day a leave began (or ended) on an open posting; None when the status is its first.
    status_since: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (
        Index("ix_assignments_officer_start", "officer_id", "start_date"),
        Index("ix_assignments_agency_open", "agency_id", "end_date", "officer_id"),
        # At most one open full-time posting per officer: the database's own guard against two
        # concurrent transfers both leaving the officer "currently" in two forces. A task force
        # secondment, reserve or part-time duty may run beside it (ADR 0025).
        Index(
            "uq_assignments_one_full_time",
            "officer_id",
            unique=True,
            sqlite_where=text("end_date IS NULL AND kind = 'full_time'"),
            postgresql_where=text("end_date IS NULL AND kind = 'full_time'"),
        ),
        # Whether an officer holds any open posting, probed per row by `held_within`.
        Index(
            "ix_assignments_officer_open",
            "officer_id",
            sqlite_where=text("end_date IS NULL"),
            postgresql_where=text("end_date IS NULL"),
        ),
        CheckConstraint("end_date IS NULL OR end_date > start_date", name="period"),
        CheckConstraint(
            "(status = 'separated' AND end_date IS NOT NULL) OR "
            "(status IN ('active', 'on_leave') AND end_date IS NULL)",
            name="status",
        ),
        CheckConstraint(
            "kind IN ('full_time', 'task_force', 'reserve', 'part_time')", name="kind"),
        CheckConstraint(
            "employment IN ('sworn', 'custody', 'civilian', 'private_security')",
            name="employment"),
    )


class OfficerStatusChangeRow(Base):
    """An officer's status history (ADR 0025): every status the person took, from when, why and
    on whose word. Rows are only ever added."""

    __tablename__ = "officer_status_changes"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    status: Mapped[str] = mapped_column(String(24))
    effective_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(300))
    actor: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    __table_args__ = (
        Index("ix_officer_status_changes_officer", "officer_id", "effective_on", "id"),
        CheckConstraint(
            "status IN ('active', 'removed_from_duty', 'suspended', 'separated', 'deceased')",
            name="status",
        ),
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
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ApiTokenRow(Base):
    """Machine credentials: only a hash of the token is kept."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Who issued it when that was not the holder (the console operator, ADR 0008/0021).
    issued_by: Mapped[str | None] = mapped_column(String(64))


class SessionRow(Base):
    """A person's signed-in browser: only a hash of the cookie is kept."""

    __tablename__ = "sessions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class AuditEntryRow(Base):
    """The trail. Rows are only ever appended.

    `id` is given by the database when the row is inserted, with no lock shared between
    transactions: it orders the trail for reading (access history, home panels). `seq` is the
    entry's place in the tamper-evident log, given afterwards by the integrator in the order it
    finds committed entries (ADR 0023): NULL until then, gapless and unique once given. The
    triggers of migration 0008 refuse every update but that one.
    """

    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    seq: Mapped[int | None] = mapped_column(BigId)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(64))
    actor_kind: Mapped[str] = mapped_column(String(8))
    action: Mapped[str] = mapped_column(String(64))
    resource_type: Mapped[str] = mapped_column(String(32))
    resource_id: Mapped[str | None] = mapped_column(String(64))
    purpose: Mapped[str | None] = mapped_column(Text)
    request_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="{}")
    __table_args__ = (
        Index("ix_audit_resource", "resource_type", "resource_id", "id"),
        Index("ix_audit_actor", "actor", "id"),
        Index("ix_audit_seq", "seq", unique=True),
        # The integrator's work list: only the entries still waiting for their place.
        Index("ix_audit_unsequenced", "id", postgresql_where=text("seq IS NULL"),
              sqlite_where=text("seq IS NULL")),
    )


# Trust control (issue 3) --------------------------------------------------------------------

_EXAMS = "('toxicology', 'polygraph', 'psychological', 'medical', 'socioeconomic')"


class EvaluationCentreRow(Base):
    """A trust-control centre (centro de evaluación y control de confianza)."""

    __tablename__ = "evaluation_centres"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    state_code: Mapped[str | None] = mapped_column(String(2))  # None: the federal centre
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class CentreCapacityRow(Base):
    """How many exams of one type a centre can give on one day."""

    __tablename__ = "centre_capacity"
    centre_id: Mapped[int] = mapped_column(ForeignKey("evaluation_centres.id"), primary_key=True)
    exam_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    daily: Mapped[int] = mapped_column(Integer)
    __table_args__ = (
        CheckConstraint(f"exam_type IN {_EXAMS}", name="exam_type"),
        CheckConstraint("daily >= 0", name="daily"),
    )


class ExaminerRow(Base):
    """An examiner account, the centre it works at, and the exam types it is qualified for."""

    __tablename__ = "examiners"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("evaluation_centres.id"), index=True)


class ExaminerQualificationRow(Base):
    __tablename__ = "examiner_qualifications"
    user_id: Mapped[int] = mapped_column(ForeignKey("examiners.user_id"), primary_key=True)
    exam_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    __table_args__ = (CheckConstraint(f"exam_type IN {_EXAMS}", name="exam_type"),)


class EvaluationRow(Base):
    __tablename__ = "evaluations"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)  # requester
    kind: Mapped[str] = mapped_column(String(16))
    rank: Mapped[str] = mapped_column(String(80))
    rank_level: Mapped[str] = mapped_column(String(16))
    sensitive_access: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(24))
    centre_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation_centres.id"))
    requested_by: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime())
    recommendation: Mapped[str | None] = mapped_column(String(16))
    integration: Mapped[str | None] = mapped_column(Text)  # JSON: adverse, reservations, reasons
    verdict: Mapped[str | None] = mapped_column(String(16))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_on: Mapped[date | None] = mapped_column(Date)
    grounds: Mapped[str | None] = mapped_column(Text)
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_on: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    __table_args__ = (
        Index("ix_evaluations_officer", "officer_id", "id"),
        Index("ix_evaluations_status", "status", "id"),
        # One evaluation in progress per officer: a double request (or a double submit of the
        # request form) finds this index in its way even when two arrive at once.
        Index(
            "uq_evaluations_one_open",
            "officer_id",
            unique=True,
            sqlite_where=text("closed_at IS NULL"),
            postgresql_where=text("closed_at IS NULL"),
        ),
        CheckConstraint(
            "kind IN ('new_entry', 'permanence', 'promotion', 'special')", name="kind"
        ),
        CheckConstraint(
            "status IN ('requested', 'scheduled', 'awaiting_decision', 'awaiting_confirmation',"
            " 'approved', 'not_approved', 'cancelled')",
            name="status",
        ),
        CheckConstraint("verdict IS NULL OR verdict IN ('approved', 'not_approved')",
                        name="verdict"),
        # The database's own guard for the separation of duties on a not-approved decision.
        CheckConstraint("confirmed_by IS NULL OR confirmed_by <> decided_by", name="two_people"),
    )


class EvaluationExamRow(Base):
    __tablename__ = "evaluation_exams"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id"))
    exam_type: Mapped[str] = mapped_column(String(16))
    examiner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    scheduled_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(32))
    result: Mapped[str | None] = mapped_column(Text)  # JSON, the exam's structured result
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    __table_args__ = (
        UniqueConstraint("evaluation_id", "exam_type", name="uq_evaluation_exams_exam"),
        Index("ix_evaluation_exams_examiner", "examiner_id", "recorded_at", "evaluation_id"),
        Index("ix_evaluation_exams_schedule", "scheduled_on", "exam_type"),
        CheckConstraint(f"exam_type IN {_EXAMS}", name="exam_type"),
    )


class AttachmentRow(Base):
    """A file kept once by the SHA-256 of its content; exams refer to it by that hash."""

    __tablename__ = "attachments"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ExamAttachmentRow(Base):
    __tablename__ = "exam_attachments"
    exam_id: Mapped[int] = mapped_column(ForeignKey("evaluation_exams.id"), primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("attachments.sha256"), primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))


class AppealRow(Base):
    """An officer's appeal against a not-approved decision; one per evaluation."""

    __tablename__ = "appeals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id"), unique=True)
    filed_by: Mapped[str] = mapped_column(String(64))
    filed_on: Mapped[date] = mapped_column(Date)
    grounds: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_on: Mapped[date | None] = mapped_column(Date)
    resolution: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        CheckConstraint("status IN ('open', 'upheld', 'overturned')", name="status"),
    )


class SeparationProcessRow(Base):
    """The separation process a not-approved decision opens at the officer's agency."""

    __tablename__ = "separation_processes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    # What opened it: a not-approved evaluation, or a dismissal decided in an integrity case
    # (ADR 0030); exactly one of the two.
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id"), unique=True)
    integrity_case_id: Mapped[int | None] = mapped_column(ForeignKey("integrity_cases.id"))
    opened_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    closed_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        CheckConstraint("status IN ('open', 'separated', 'withdrawn')", name="status"),
        CheckConstraint("(evaluation_id IS NULL) <> (integrity_case_id IS NULL)",
                        name="opened_by"),
        UniqueConstraint("integrity_case_id", "officer_id",
                         name="uq_separation_processes_integrity_case"),
    )


class AgencyNotificationRow(Base):
    """What an agency must learn from the trust-control workflow (a not-approved officer)."""

    __tablename__ = "agency_notifications"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id"))
    kind: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    __table_args__ = (Index("ix_agency_notifications_agency", "agency_id", "id"),)


class CupComponentRow(Base):
    """One component of the single police certificate (CUP), with its date and validity."""

    __tablename__ = "cup_components"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    component: Mapped[str] = mapped_column(String(24))
    completed_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)  # None: does not expire (training)
    hours: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[int | None] = mapped_column(Integer)
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id"))
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    __table_args__ = (
        Index("ix_cup_components_officer", "officer_id", "component", "completed_on"),
        CheckConstraint(
            "component IN ('trust_control', 'skills', 'performance', 'initial_training')",
            name="component",
        ),
    )


class CupCertificateRow(Base):
    """An issued single police certificate: valid while its four components are."""

    __tablename__ = "cup_certificates"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), index=True)
    issued_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(24))
    __table_args__ = (
        Index(
            "uq_cup_certificates_one_current",
            "officer_id",
            unique=True,
            sqlite_where=text("ended_on IS NULL"),
            postgresql_where=text("ended_on IS NULL"),
        ),
        CheckConstraint(
            "end_reason IS NULL OR end_reason IN ('expired', 'revoked', 'replaced')",
            name="end_reason",
        ),
    )


class OfficerStandingRow(Base):
    """Each officer's certification standing, kept with every decision and certificate change.

    A summary that the registry could recompute from evaluations and certificates, kept so the
    national alert list and coverage read one narrow row per officer instead of searching every
    officer's history (the figure: 400,000 officers in under two seconds).
    """

    __tablename__ = "officer_standing"
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), primary_key=True)
    last_evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id"))
    last_verdict: Mapped[str | None] = mapped_column(String(16))
    last_decided_on: Mapped[date | None] = mapped_column(Date)
    approved_until: Mapped[date | None] = mapped_column(Date)
    cup_until: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (
        # The re-evaluation list walks approvals by their end, soonest first (migration 0006).
        Index("ix_officer_standing_approved_until", "approved_until", "officer_id"),
    )


# The tamper-evident log (issue 4) ----------------------------------------------------------


class LogStateRow(Base):
    """The integrator's one counter row: the next place in the log to give (ADR 0023).

    Only the integrator takes it, with the row locked for its short sequencing transaction, so
    two integrators never give one place twice; requests never touch it.
    """

    __tablename__ = "log_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    next_seq: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)


class LogTreeRow(Base):
    """The Merkle tree's head: how many entries (by sequence number, from 1) it has integrated,
    and their root. One row, moved forward by each integration batch."""

    __tablename__ = "log_tree"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    root: Mapped[bytes] = mapped_column(LargeBinary(32))
    integrated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)


class LogHashRow(Base):
    """A complete subtree's hash: level L, index K covers leaves K*2^L to (K+1)*2^L - 1 (level 0
    holds the leaf hashes). About two rows per entry; proofs and tiles are read from here."""

    __tablename__ = "log_hashes"
    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    idx: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class LogCheckpointRow(Base):
    """A signed checkpoint (C2SP signed note over a tlog-checkpoint body), kept as signed."""

    __tablename__ = "log_checkpoints"
    size: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    root: Mapped[bytes] = mapped_column(LargeBinary(32))
    note: Mapped[bytes] = mapped_column(LargeBinary)
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime())


class IssuerKeyRow(Base):
    """A public key that has signed credentials, kept for publication after it retires.

    The private part never reaches the database (it is a setting); the public part is recorded
    the first time the key signs, and the key published as long as a credential it signed can
    still be valid (ADR 0014)."""

    __tablename__ = "issuer_keys"
    kid: Mapped[str] = mapped_column(String(255), primary_key=True)
    public_jwk: Mapped[str] = mapped_column(Text)
    first_used_at: Mapped[datetime] = mapped_column(UtcDateTime())
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class CredentialStateRow(Base):
    """The next status-list index to give a credential: one row, like the log's counter.

    Indexes are reserved with one UPDATE inside the issuing transaction, so concurrent
    issuances never collide; a rolled-back issuance gives its numbers back."""

    __tablename__ = "credential_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    next_index: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)


class CupCredentialRow(Base):
    """A CUP issued as a signed verifiable credential (vc+jwt), and its published status.

    `revoked` and `suspended` are the bits the status lists publish at `status_index`; they
    change in the same transaction as their cause (a decision, a status change, a replaced
    certificate)."""

    __tablename__ = "cup_credentials"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    credential_id: Mapped[str] = mapped_column(String(64), unique=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("cup_certificates.id"), unique=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), index=True)
    kid: Mapped[str] = mapped_column(ForeignKey("issuer_keys.kid"))
    status_index: Mapped[int] = mapped_column(BigInteger, unique=True)
    token: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime())
    valid_until: Mapped[date] = mapped_column(Date)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    status_reason: Mapped[str | None] = mapped_column(String(32))
    __table_args__ = (
        # Publishing a list reads only the few flagged credentials in its index range.
        Index("ix_cup_credentials_flagged", "status_index",
              sqlite_where=text("revoked OR suspended"),
              postgresql_where=text("revoked OR suspended")),
        # How long each key must stay published: the last end date of what it signed.
        Index("ix_cup_credentials_kid_until", "kid", "valid_until"),
        # A revocation is final: it is never cleared, and suspension no longer matters.
        CheckConstraint("NOT (revoked AND suspended)", name="one_status"),
    )


# People matched across sources (issue 16, item 6) --------------------------------------------


class IdentityCandidateRow(Base):
    """A pair the record-linkage model proposed as one person, and the clerk's decision.

    The left side is always a registry officer; the right side is another officer or a row of
    an imported file (its name, digest and first line, with the row's identity kept as
    evidence). No foreign key to officers: a candidate is evidence and outlives a merge that
    removes one of its records.
    """

    __tablename__ = "identity_candidates"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    left_officer_id: Mapped[int] = mapped_column(BigInteger)
    right_officer_id: Mapped[int | None] = mapped_column(BigInteger)
    file_name: Mapped[str | None] = mapped_column(String(200))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    file_line: Mapped[int | None] = mapped_column(Integer)
    file_key: Mapped[str | None] = mapped_column(String(128))
    file_scheme: Mapped[str | None] = mapped_column(String(64))
    probability: Mapped[float] = mapped_column(Float)
    weight: Mapped[float] = mapped_column(Float)
    evidence: Mapped[str] = mapped_column(Text)  # JSON: both records and each comparison
    status: Mapped[str] = mapped_column(String(16))
    proposed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    proposed_by: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (
        Index("ix_identity_candidates_status", "status", "id"),
        # A pair is proposed once: a rejected one is never proposed again, a pending one not
        # twice (file rows are told apart by the file's digest and line).
        Index("uq_identity_candidates_officers", "left_officer_id", "right_officer_id",
              unique=True, sqlite_where=text("right_officer_id IS NOT NULL"),
              postgresql_where=text("right_officer_id IS NOT NULL")),
        Index("ix_identity_candidates_file", "left_officer_id", "file_key", "file_sha256"),
        CheckConstraint("status IN ('proposed', 'confirmed', 'rejected', 'withdrawn')",
                        name="status"),
        CheckConstraint("(right_officer_id IS NULL) <> (file_line IS NULL)", name="one_right"),
        CheckConstraint("right_officer_id IS NULL OR left_officer_id < right_officer_id",
                        name="ordered"),
    )


class OfficerMergeRow(Base):
    """A merge a confirmed candidate made: the record that was folded into the survivor.

    The merged officer's row is removed once its history has moved; its id stays here, with its
    identity as it was, so a reference to the old id (a printed document, an old report) can be
    redirected to the survivor.
    """

    __tablename__ = "officer_merges"
    merged_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    survivor_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("identity_candidates.id"))
    merged_identity: Mapped[str] = mapped_column(Text)  # JSON
    moved: Mapped[str] = mapped_column(Text)  # JSON: rows moved per table
    merged_at: Mapped[datetime] = mapped_column(UtcDateTime())
    merged_by: Mapped[str] = mapped_column(String(64))


class RosterSeparationRow(Base):
    """A pending separation (baja pendiente, ADR 0029): a complete roster of an agency left out
    someone the registry holds in an open posting there. The posting stays open until the
    agency's HR confirms the separation (ending it) or dismisses it (the person still serves)."""

    __tablename__ = "roster_separations"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    file_name: Mapped[str] = mapped_column(String(200))
    file_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    proposed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    proposed_by: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(64))
    end_date: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(24))
    note: Mapped[str | None] = mapped_column(String(300))
    __table_args__ = (
        Index("ix_roster_separations_agency", "agency_id", "status", "id"),
        Index("ix_roster_separations_assignment", "assignment_id", "file_sha256"),
        # A posting has at most one separation waiting for HR: a later roster that leaves the
        # person out again finds it and adds nothing.
        Index("uq_roster_separations_pending", "assignment_id", unique=True,
              sqlite_where=text("status = 'pending'"),
              postgresql_where=text("status = 'pending'")),
        CheckConstraint("status IN ('pending', 'confirmed', 'dismissed')", name="status"),
    )


class RosterConflictRow(Base):
    """A review-queue entry (ADR 0029): a roster gave facts of a known identity key that
    contradict the registry's (another name, birth or sex). Nothing of that person's rows is
    applied until the registry clerk decides: take the file's values, keep the registry's, or
    split the file's rows off as another person."""

    __tablename__ = "roster_conflicts"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    identity_key: Mapped[str] = mapped_column(String(128))
    scheme: Mapped[str | None] = mapped_column(String(64))  # None: the key is the CURP
    # JSON: each differing field with the registry's and the file's value.
    facts: Mapped[str] = mapped_column(Text)
    # sha256 of the file's side of the facts: the same conflict is never queued twice.
    facts_key: Mapped[str] = mapped_column(String(64))
    # JSON: the person's rows as the file gave them (what a split registers).
    file_rows: Mapped[str] = mapped_column(Text)
    file_name: Mapped[str] = mapped_column(String(200))
    file_sha256: Mapped[str] = mapped_column(String(64))
    file_line: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    proposed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    proposed_by: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(64))
    new_officer_id: Mapped[int | None] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(String(300))
    __table_args__ = (
        Index("ix_roster_conflicts_status", "status", "id"),
        UniqueConstraint("officer_id", "facts_key", name="uq_roster_conflicts_facts"),
        CheckConstraint("status IN ('open', 'accepted', 'kept', 'split', 'reused')",
                        name="status"),
    )


# Integrity cases (issue 17, ADR 0030) ----------------------------------------------------------


class IntegrityCaseRow(Base):
    """An internal-affairs case (expediente): one or more allegations, held by an agency."""

    __tablename__ = "integrity_cases"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    stage: Mapped[str] = mapped_column(String(16))
    stage_since: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime())
    opened_by: Mapped[str] = mapped_column(String(64))
    closed_on: Mapped[date | None] = mapped_column(Date)
    closing_note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        # The supervisor's queue: a scope's cases by stage, oldest step first.
        Index("ix_integrity_cases_agency_stage", "agency_id", "stage", "stage_since"),
        CheckConstraint("stage IN ('intake', 'assigned', 'notified', 'answer_period', "
                        "'evidence', 'finding', 'sanction', 'appeal', 'closed')", name="stage"),
    )


class IntegritySourceRow(Base):
    """Where an allegation came from, graded (Admiralty: reliability A-F and credibility 1-6
    apart). A protected source's identity is not here but in `integrity_protected_identities`."""

    __tablename__ = "integrity_sources"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("integrity_cases.id"), index=True)
    channel: Mapped[str] = mapped_column(String(24))
    reliability: Mapped[str] = mapped_column(String(1))
    credibility: Mapped[str] = mapped_column(String(1))
    protected: Mapped[bool] = mapped_column(Boolean)
    benefit: Mapped[bool] = mapped_column(Boolean)
    coercion_claimed: Mapped[bool] = mapped_column(Boolean)
    reporter_name: Mapped[str | None] = mapped_column(String(200))
    reporter_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reporter_officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    account: Mapped[str] = mapped_column(Text)
    received_on: Mapped[date] = mapped_column(Date)
    relayed_by: Mapped[str] = mapped_column(String(64))
    relayed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    __table_args__ = (
        CheckConstraint("reliability IN ('A', 'B', 'C', 'D', 'E', 'F')", name="reliability"),
        CheckConstraint("credibility IN ('1', '2', '3', '4', '5', '6')", name="credibility"),
        # A protected source is named nowhere but in its own table.
        CheckConstraint("NOT protected OR reporter_name IS NULL", name="protected_unnamed"),
    )


class IntegrityProtectedIdentityRow(Base):
    """Who a protected source is, kept apart from the case: no read of a case touches it."""

    __tablename__ = "integrity_protected_identities"
    source_id: Mapped[int] = mapped_column(ForeignKey("integrity_sources.id"), primary_key=True)
    identity: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    recorded_by: Mapped[str] = mapped_column(String(64))


class IntegrityAllegationRow(Base):
    """What is alleged against whom: a registry officer, or an accused kept as given (name,
    badge) until someone attaches them; never attached by guess."""

    __tablename__ = "integrity_allegations"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("integrity_cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), index=True)
    accused_name: Mapped[str | None] = mapped_column(String(200))
    accused_badge: Mapped[str | None] = mapped_column(String(40))
    occurred_on: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    __table_args__ = (
        CheckConstraint("officer_id IS NOT NULL OR accused_name IS NOT NULL OR "
                        "accused_badge IS NOT NULL", name="accused"),
    )


class IntegrityAllegationSourceRow(Base):
    __tablename__ = "integrity_allegation_sources"
    allegation_id: Mapped[int] = mapped_column(ForeignKey("integrity_allegations.id"),
                                               primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("integrity_sources.id"), primary_key=True)


class IntegrityEvidenceRow(Base):
    """A document of a case; its bytes are kept once by SHA-256 in `attachments`, as exam
    files are."""

    __tablename__ = "integrity_evidence"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("integrity_cases.id"))
    sha256: Mapped[str] = mapped_column(ForeignKey("attachments.sha256"))
    filename: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())
    __table_args__ = (UniqueConstraint("case_id", "sha256", name="uq_integrity_evidence_file"),)


class IntegrityLinkRow(Base):
    """How a piece of evidence, or another allegation, bears on an allegation."""

    __tablename__ = "integrity_links"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    allegation_id: Mapped[int] = mapped_column(ForeignKey("integrity_allegations.id"),
                                               index=True)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("integrity_evidence.id"))
    other_allegation_id: Mapped[int | None] = mapped_column(
        ForeignKey("integrity_allegations.id"))
    kind: Mapped[str] = mapped_column(String(16))
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())
    __table_args__ = (
        CheckConstraint("kind IN ('supports', 'contradicts')", name="kind"),
        CheckConstraint("(evidence_id IS NULL) <> (other_allegation_id IS NULL)", name="target"),
    )


class IntegrityAssignmentRow(Base):
    """Who does what in a case: its investigator, its deciders, its appeal's decider."""

    __tablename__ = "integrity_assignments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("integrity_cases.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    duty: Mapped[str] = mapped_column(String(16))
    # The person's own registry record when they are a serving officer (chain of command).
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    assigned_by: Mapped[str] = mapped_column(String(64))
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime())
    __table_args__ = (
        # The investigator's queue, and "is this person one of the case's people".
        Index("ix_integrity_assignments_user", "user_id", "duty", "case_id"),
        UniqueConstraint("case_id", "user_id", "duty", name="uq_integrity_assignments_duty"),
        CheckConstraint("duty IN ('investigator', 'decider', 'appeal_decider')", name="duty"),
    )


class IntegrityNoticeRow(Base):
    """The notice to the accused: the allegations, never a protected source's identity."""

    __tablename__ = "integrity_notices"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("integrity_cases.id"), unique=True)
    issued_on: Mapped[date] = mapped_column(Date)
    issued_by: Mapped[str] = mapped_column(String(64))
    served_on: Mapped[date | None] = mapped_column(Date)
    content: Mapped[str] = mapped_column(Text)  # JSON: what the notice said


class IntegrityAnswerRow(Base):
    """The accused officer's answer, and which statements they say were coerced."""

    __tablename__ = "integrity_answers"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("integrity_cases.id"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    coerced_source_ids: Mapped[str] = mapped_column(Text)  # JSON list of source ids
    recorded_by: Mapped[str] = mapped_column(String(64))


class IntegrityFindingRow(Base):
    """The finding on one allegation, with its grounds and what it rests on."""

    __tablename__ = "integrity_findings"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    allegation_id: Mapped[int] = mapped_column(ForeignKey("integrity_allegations.id"),
                                               unique=True)
    finding: Mapped[str] = mapped_column(String(16))
    grounds: Mapped[str] = mapped_column(Text)
    relied_on: Mapped[str] = mapped_column(Text)  # JSON: [["source", id], ["evidence", id]]
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_by: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime())
    needs_second: Mapped[bool] = mapped_column(Boolean)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    special_evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id"))
    __table_args__ = (
        CheckConstraint("finding IN ('sustained', 'not_sustained', 'unfounded', 'exonerated')",
                        name="finding"),
        # The database's own guard: the second person is another person.
        CheckConstraint("confirmed_by_id IS NULL OR confirmed_by_id <> decided_by_id",
                        name="second_person"),
    )


class IntegritySanctionRow(Base):
    __tablename__ = "integrity_sanctions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("integrity_cases.id"))
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    days: Mapped[int | None] = mapped_column(Integer)
    grounds: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_by: Mapped[str] = mapped_column(String(64))
    decided_on: Mapped[date] = mapped_column(Date)
    __table_args__ = (
        UniqueConstraint("case_id", "officer_id", name="uq_integrity_sanctions_officer"),
        CheckConstraint("kind IN ('reprimand', 'arrest', 'suspension', 'demotion', "
                        "'dismissal')", name="kind"),
    )


class IntegrityAppealRow(Base):
    __tablename__ = "integrity_appeals"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("integrity_cases.id"), unique=True)
    filed_on: Mapped[date] = mapped_column(Date)
    filed_by: Mapped[str] = mapped_column(String(64))
    grounds: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(16))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_on: Mapped[date | None] = mapped_column(Date)
    resolution: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        CheckConstraint("outcome IS NULL OR outcome IN ('upheld', 'overturned')",
                        name="outcome"),
    )


# Complaint files of another authority imported as closed cases (issue 17, ADR 0033) -----------


class IntegrityImportRow(Base):
    """One import of a complaints file and its accused file: what came in, from where."""

    __tablename__ = "integrity_imports"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    complaints_file: Mapped[str] = mapped_column(String(200))
    complaints_sha256: Mapped[str] = mapped_column(String(64))
    accused_file: Mapped[str] = mapped_column(String(200))
    accused_sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime())
    imported_by: Mapped[str] = mapped_column(String(64))
    cases: Mapped[int] = mapped_column(Integer)
    accused: Mapped[int] = mapped_column(Integer)


class IntegrityImportedCaseRow(Base):
    """Marks a case as history imported from a source, keyed by the source's complaint key:
    its findings were made elsewhere, and the due-process safeguards of decisions made here
    are not claimed for it."""

    __tablename__ = "integrity_imported_cases"
    case_id: Mapped[int] = mapped_column(ForeignKey("integrity_cases.id"), primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("integrity_imports.id"), index=True)
    source: Mapped[str] = mapped_column(String(32))
    source_key: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    complained_on: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (
        # Idempotence: the same complaint of the same source is one case, however often the
        # file is imported.
        UniqueConstraint("source", "source_key", name="uq_integrity_imported_cases_key"),
        CheckConstraint("channel IN ('civilian', 'departmental', 'anonymous', 'other')",
                        name="channel"),
    )


class IntegrityImportedAccusedRow(Base):
    """An accused of an imported complaint as the file named them, how the linking placed them
    (linked, ambiguous for review, unmatched; attached or rejected by a reviewer), their node
    in the co-accusal network, and the finding and discipline the source recorded."""

    __tablename__ = "integrity_imported_accused"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    allegation_id: Mapped[int] = mapped_column(ForeignKey("integrity_allegations.id"),
                                               unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("integrity_cases.id"), index=True)
    row_key: Mapped[str] = mapped_column(String(64))
    given_names: Mapped[str] = mapped_column(String(200))
    surname: Mapped[str] = mapped_column(String(200))
    star: Mapped[str | None] = mapped_column(String(20))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    appointed_on: Mapped[date | None] = mapped_column(Date)
    link: Mapped[str] = mapped_column(String(12))
    network_key: Mapped[str] = mapped_column(String(300), index=True)
    candidates: Mapped[str] = mapped_column(Text)  # JSON list of officer ids, for review
    finding: Mapped[str] = mapped_column(String(16))
    finding_text: Mapped[str | None] = mapped_column(String(200))
    allegation_text: Mapped[str | None] = mapped_column(String(200))
    discipline: Mapped[str | None] = mapped_column(String(200))
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    __table_args__ = (
        # The review list: the ambiguous accused, one identity (network key) at a time.
        Index("ix_integrity_imported_accused_link", "link", "network_key"),
        CheckConstraint("link IN ('linked', 'ambiguous', 'unmatched', 'attached', 'rejected')",
                        name="link"),
        CheckConstraint("finding IN ('sustained', 'not_sustained', 'unfounded', 'exonerated', "
                        "'no_finding')", name="finding"),
    )


# Another authority's sanctions and decertifications (issue 17 item 6, ADR 0036) ----------------


class OutsideSanctionImportRow(Base):
    """One import of another authority's sanctions list: the file, who, when, what it gave."""

    __tablename__ = "integrity_outside_sanction_imports"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    mapping: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime())
    imported_by: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    added: Mapped[int] = mapped_column(Integer)
    already_held: Mapped[int] = mapped_column(Integer)


class OutsideSanctionRow(Base):
    """A sanction or decertification another authority recorded of a person, as its list gave
    it, and where the matching placed it: linked to an officer (by CURP, by agreeing facts, or
    by a reviewer), waiting for review with its candidates, unmatched, or rejected."""

    __tablename__ = "integrity_outside_sanctions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # Named here: the convention's name would pass PostgreSQL's 63 characters.
    import_id: Mapped[int] = mapped_column(
        ForeignKey("integrity_outside_sanction_imports.id",
                   name="fk_integrity_outside_sanctions_import"), index=True)
    line: Mapped[int] = mapped_column(Integer)
    # Idempotence: the same row of the same authority is one record, however often imported.
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    authority: Mapped[str] = mapped_column(String(200))
    file_number: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300))
    curp: Mapped[str | None] = mapped_column(String(18))
    birth_date: Mapped[date | None] = mapped_column(Date)
    birth_year: Mapped[int | None] = mapped_column(Integer)
    employer: Mapped[str | None] = mapped_column(String(300))
    agency_code: Mapped[str | None] = mapped_column(String(32))
    position: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    finding: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), index=True)
    linked_by: Mapped[str | None] = mapped_column(String(12))
    candidates: Mapped[str] = mapped_column(Text)  # JSON: [{officer_id, name, birth, ...}]
    reason: Mapped[str] = mapped_column(String(200))
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    review_note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        # The review queue, oldest first.
        Index("ix_integrity_outside_sanctions_status", "status", "id"),
        CheckConstraint("status IN ('linked', 'review', 'unmatched', 'rejected')",
                        name="status"),
        CheckConstraint("kind IN ('suspension', 'dismissal', 'decertification', "
                        "'disqualification', 'reprimand', 'fine', 'other')", name="kind"),
        # A record names an officer exactly when it is linked, and says how.
        CheckConstraint("(status = 'linked') = (officer_id IS NOT NULL)", name="linked_officer"),
        CheckConstraint("(status = 'linked') = (linked_by IS NOT NULL)", name="linked_by"),
        CheckConstraint("linked_by IS NULL OR linked_by IN ('curp', 'facts', 'reviewer')",
                        name="linked_by_value"),
    )


# Early intervention (issue 18 items 4 and 6, ADR 0034) -----------------------------------------


class RiskModelRow(Base):
    """A trained model: its bytes, their SHA-256 and the code that wrote them, its held-out
    evaluation, and whether it was promoted (only a promoted model scores by default)."""

    __tablename__ = "risk_models"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(12), unique=True)
    learner: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    as_of: Mapped[date] = mapped_column(Date)
    trained_from: Mapped[date] = mapped_column(Date)
    trained_until: Mapped[date] = mapped_column(Date)
    rows: Mapped[int] = mapped_column(Integer)
    outcomes: Mapped[int] = mapped_column(Integer)
    code_version: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    # HMAC-SHA256 under a key the database never holds, over what decides the model's use:
    # its version, bytes, writer and promotion (risk/rules/storage.py, ADR 0034).
    seal: Mapped[str] = mapped_column(String(64))
    artefact: Mapped[bytes] = mapped_column(LargeBinary)
    evaluation: Mapped[str] = mapped_column(Text)  # JSON: figures, fairness, test years
    promoted: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[str] = mapped_column(Text)  # JSON list: why it was not promoted
    trained_by: Mapped[str] = mapped_column(String(64))
    trained_at: Mapped[datetime] = mapped_column(UtcDateTime())
    __table_args__ = (
        CheckConstraint("source IN ('registry', 'chicago')", name="source"),
        Index("ix_risk_models_promoted", "promoted", "trained_at"),
    )


_RUN_METHOD = ("(method = 'model' AND model_id IS NOT NULL AND rule_count IS NULL "
               "AND rule_months IS NULL) OR (method = 'threshold' AND model_id IS NULL "
               "AND rule_count IS NOT NULL AND rule_months IS NOT NULL)")


class RiskRunRow(Base):
    """One scoring of every active officer: the method (a promoted model, or the threshold
    rule with its count and months while no model is promoted), the day, the share flagged
    (migration 0019, ADR 0034's second addendum)."""

    __tablename__ = "risk_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_id: Mapped[int | None] = mapped_column(ForeignKey("risk_models.id"))
    method: Mapped[str] = mapped_column(String(16), server_default="model")
    rule_count: Mapped[int | None] = mapped_column(Integer)
    rule_months: Mapped[int | None] = mapped_column(Integer)
    as_of: Mapped[date] = mapped_column(Date)
    officers: Mapped[int] = mapped_column(Integer)
    flagged: Mapped[int] = mapped_column(Integer)
    share: Mapped[float] = mapped_column(Float)
    scored_by: Mapped[str] = mapped_column(String(64))
    scored_at: Mapped[datetime] = mapped_column(UtcDateTime())
    __table_args__ = (
        # A model run names its model and no rule; a rule run names its rule and no model.
        CheckConstraint(_RUN_METHOD, name="method"),
    )


class RiskScoreRow(Base):
    """One officer's score in a run, its rank, whether it was flagged, and the top factors in
    words (Spanish and English) as the model explained them that day."""

    __tablename__ = "risk_scores"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("risk_runs.id"))
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    score: Mapped[float] = mapped_column(Float)
    rank: Mapped[int] = mapped_column(Integer)
    flagged: Mapped[bool] = mapped_column(Boolean)
    factors: Mapped[str] = mapped_column(Text)  # JSON: [{feature, value, effect, es, en}]
    __table_args__ = (
        UniqueConstraint("run_id", "officer_id", name="uq_risk_scores_officer"),
        # The review queue: a run's flagged officers, highest first.
        Index("ix_risk_scores_run_flagged", "run_id", "flagged", "rank"),
        Index("ix_risk_scores_officer", "officer_id", "run_id"),
    )


class RiskReviewRow(Base):
    """A supervisor's review of a flag: what was done and whether the flag was useful."""

    __tablename__ = "risk_reviews"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    score_id: Mapped[int] = mapped_column(ForeignKey("risk_scores.id"), unique=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(24))
    useful: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text)
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_by: Mapped[str] = mapped_column(String(64))
    reviewed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    __table_args__ = (
        CheckConstraint("outcome IN ('no_action', 'conversation', 'training', "
                        "'internal_affairs', 'special_evaluation')", name="outcome"),
    )


# Asset declarations (issue 20, ADR 0038) --------------------------------------------------------


class DeclarationRow(Base):
    """One S1 asset declaration of an officer: initial, annual modification or conclusion, as
    filed (the whole S1 document, canonical JSON) with what the checks read of it in columns,
    amounts in pesos at the rates of the import (`rates`)."""

    __tablename__ = "declarations"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_id: Mapped[str] = mapped_column(String(120), unique=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    kind: Mapped[str] = mapped_column(String(16))
    complete: Mapped[bool] = mapped_column(Boolean)
    year: Mapped[int] = mapped_column(SmallInteger)
    filed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    institution: Mapped[str] = mapped_column(String(300))
    position: Mapped[str] = mapped_column(String(300))
    took_office: Mapped[date | None] = mapped_column(Date)
    # Declared income: the public post's pay and the total, each as filed (value, currency)
    # and per year in pesos (an initial declaration gives a month's, a conclusion's runs from
    # 1 January to the day of leaving).
    public_income: Mapped[str] = mapped_column(String(40))
    public_currency: Mapped[str] = mapped_column(String(3))
    total_income: Mapped[str] = mapped_column(String(40))
    total_currency: Mapped[str] = mapped_column(String(3))
    household_income: Mapped[str | None] = mapped_column(String(40))
    public_income_year_mxn: Mapped[float] = mapped_column(Float)
    total_income_year_mxn: Mapped[float] = mapped_column(Float)
    rates: Mapped[str] = mapped_column(Text)  # JSON: the currencies used, pesos per unit
    document: Mapped[str] = mapped_column(Text)
    imported_by: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime())
    __table_args__ = (
        # One declaration of each kind a year per person (the import refuses a second).
        UniqueConstraint("officer_id", "kind", "year", name="uq_declarations_officer_year"),
        Index("ix_declarations_officer_filed", "officer_id", "filed_at"),
        CheckConstraint("kind IN ('initial', 'modification', 'conclusion')", name="kind"),
    )


class DeclarationItemRow(Base):
    """One line of a declaration's wealth sections: a property, vehicle, movable good,
    investment or account, debt, loan, or an income line; its amount as filed and in pesos."""

    __tablename__ = "declaration_items"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declarations.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(SmallInteger)
    section: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str | None] = mapped_column(String(40))
    operation: Mapped[str | None] = mapped_column(String(12))
    holders: Mapped[str | None] = mapped_column(String(40))
    share: Mapped[int | None] = mapped_column(SmallInteger)
    acquired_on: Mapped[date | None] = mapped_column(Date)
    value: Mapped[str | None] = mapped_column(String(40))
    currency: Mapped[str | None] = mapped_column(String(3))
    value_mxn: Mapped[float | None] = mapped_column(Float)
    original_mxn: Mapped[float | None] = mapped_column(Float)
    acquisition: Mapped[str | None] = mapped_column(String(8))
    payment: Mapped[str | None] = mapped_column(String(12))
    identifier: Mapped[str | None] = mapped_column(String(120))
    disposal: Mapped[str | None] = mapped_column(String(8))
    description: Mapped[str | None] = mapped_column(String(300))
    __table_args__ = (
        Index("ix_declaration_items_declaration", "declaration_id", "position"),
        CheckConstraint("section IN ('income', 'real_estate', 'vehicle', 'movable', "
                        "'investment', 'debt', 'loan')", name="section"),
    )


class PayrollRow(Base):
    """An officer's gross pay for one year as another authority's payroll gives it (issue 20,
    ADR 0038 addendum 4): as filed (value, currency) and in pesos at the import's rate. One
    row per officer, year and source; a later edition of the source replaces its years."""

    __tablename__ = "payroll"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    year: Mapped[int] = mapped_column(SmallInteger)
    gross: Mapped[str] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3))
    gross_mxn: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(64))  # the payroll's name (its mapping's)
    file_name: Mapped[str] = mapped_column(String(200))
    file_sha256: Mapped[str] = mapped_column(String(64))
    line: Mapped[int] = mapped_column(Integer)
    imported_by: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime())
    __table_args__ = (
        UniqueConstraint("officer_id", "year", "source", name="uq_payroll_officer_year_source"),
        Index("ix_payroll_source_year", "source", "year"),
    )


# Insider detection: the auditor's queue (issue 19 §3, ADR 0037) -----------------------------


class AccessAlertRow(Base):
    """One reader's unexplained reads over a window of days that scored above the threshold;
    its latest outcome (open until an auditor marks it)."""

    __tablename__ = "access_alerts"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    reader: Mapped[str] = mapped_column(String(64))
    reader_role: Mapped[str | None] = mapped_column(String(32))
    first_day: Mapped[date] = mapped_column(Date)
    day: Mapped[date] = mapped_column(Date)
    points: Mapped[float] = mapped_column(Float)
    threshold: Mapped[float] = mapped_column(Float)
    signals: Mapped[str] = mapped_column(Text)  # JSON: name, points, reads, es, en
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))
    outcome_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    outcome_by: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (
        Index("ix_access_alerts_outcome", "outcome", "id"),
        Index("ix_access_alerts_reader", "reader", "day"),
        CheckConstraint("outcome IN ('open', 'justified', 'misuse', 'interview')",
                        name="outcome"),
    )


class AccessAlertReadRow(Base):
    """A read behind an alert: the trail entry and the officer it read."""

    __tablename__ = "access_alert_reads"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("access_alerts.id"))
    entry_id: Mapped[int] = mapped_column(BigId)
    officer_id: Mapped[int] = mapped_column(BigId)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    action: Mapped[str] = mapped_column(String(64))
    signals: Mapped[str] = mapped_column(String(200))  # the signal names, comma-separated
    __table_args__ = (
        Index("ix_access_alert_reads_alert", "alert_id", "at"),
        Index("ix_access_alert_reads_entry", "entry_id"),
        UniqueConstraint("alert_id", "entry_id", "officer_id", name="uq_access_alert_reads"),
    )


class AccessAlertOutcomeRow(Base):
    """Every outcome an auditor gave an alert, with their note, in order."""

    __tablename__ = "access_alert_outcomes"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("access_alerts.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime())
    __table_args__ = (
        CheckConstraint("outcome IN ('justified', 'misuse', 'interview')", name="outcome"),
    )


class AccessLookbackRow(Base):
    """The insider detection's running state, kept between runs (issue 19, ADR 0037): what
    the days already explained left for the next run to weigh against, and what vouches for
    it — the rules' version, the deployment's zone, the civil days it covers, the trail entry
    it was read up to and the tamper-evident log's root over the entries it came from. One
    row; `generation` moves with each run that keeps it, so that two runs never both do."""

    __tablename__ = "access_lookback"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(64))
    zone: Mapped[str] = mapped_column(String(64))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    days: Mapped[str] = mapped_column(Text)  # JSON: the days that have a row, ISO
    built_to: Mapped[int] = mapped_column(BigInteger)  # the first trail entry not read
    log_size: Mapped[int] = mapped_column(BigInteger)
    log_root: Mapped[bytes] = mapped_column(LargeBinary(32))
    generation: Mapped[int] = mapped_column(Integer)
    readers: Mapped[bytes] = mapped_column(LargeBinary)  # packed: peer groups, accounts in them
    touchers: Mapped[bytes] = mapped_column(LargeBinary)  # packed: per officer, the last two
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime())
    saved_by: Mapped[str] = mapped_column(String(64))
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)


class AccessLookbackDayRow(Base):
    """One civil day of the detection's running state: the (peer group, officer) pairs read,
    each reader's weighted suspect reads, and the day's suspect reads, each packed."""

    __tablename__ = "access_lookback_days"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    pairs: Mapped[bytes] = mapped_column(LargeBinary)
    rates: Mapped[bytes] = mapped_column(LargeBinary)
    suspects: Mapped[bytes] = mapped_column(LargeBinary)
    pair_count: Mapped[int] = mapped_column(Integer)
    suspect_count: Mapped[int] = mapped_column(Integer)
