"""Domain exceptions: the one vocabulary of failure that every layer maps to its own form.

The API turns them into RFC 9457 problem documents, the UI into a page or a message beside a
field, the CLI into one line and a non-zero exit. No layer shows a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from confianza.kit.errors import StandardsError


@dataclass(frozen=True)
class FieldError:
    """One thing wrong with one input: where it is and why it is refused."""

    location: str  # e.g. "curp", "body.assignments[2].start_date", "roster.csv:14:curp"
    reason: str


class DomainError(Exception):
    """Base of every error a user may be shown."""

    status = 400
    title = "Bad request"
    # The audit entry of a refused attempt, written by the unit of work after the rollback.
    audit_entry: object | None = None

    def __init__(self, detail: str, *, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        # A stable name for the reason (e.g. "exams_missing"), for edges that show their own
        # words for it: the pages translate by code, never by matching the English detail.
        self.code = code


class ValidationFailed(DomainError):
    """Input that breaks a rule; carries every error found, not just the first."""

    status = 422
    title = "Invalid input"

    def __init__(self, errors: list[FieldError] | FieldError, detail: str | None = None) -> None:
        self.errors = [errors] if isinstance(errors, FieldError) else list(errors)
        if detail is None:
            detail = "; ".join(f"{e.location}: {e.reason}" for e in self.errors[:5])
            if len(self.errors) > 5:
                detail += f"; and {len(self.errors) - 5} more"
        super().__init__(detail)


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Unauthenticated(DomainError):
    status = 401
    title = "Not signed in"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"


class Conflict(DomainError):
    """The request is well formed but clashes with what the registry already holds."""

    status = 409
    title = "Conflict"


class InvalidTransition(Conflict):
    title = "Invalid state change"


class PurposeRequired(DomainError):
    """A sensitive read was attempted without a declared purpose."""

    status = 428
    title = "Purpose required"


@dataclass
class ErrorCollector:
    """Gathers field errors so a form or a row reports all of its faults at once."""

    errors: list[FieldError] = field(default_factory=list)

    def add(self, location: str, reason: str) -> None:
        self.errors.append(FieldError(location, reason))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)


#: Every error a user may be shown, for the edges' one place of showing them: the product's own
#: and the standards kit's (which cannot derive from DomainError: the kit imports no product).
USER_ERRORS: tuple[type[DomainError] | type[StandardsError], ...] = (DomainError, StandardsError)
UserError = DomainError | StandardsError
