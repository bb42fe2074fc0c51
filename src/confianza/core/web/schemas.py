"""Pieces every API feature shares: strict input models, problem documents, paging limits."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from types import UnionType
from typing import Annotated, Any, Self, Union, get_args, get_type_hints

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from confianza.core.errors import FieldError, ValidationFailed
from confianza.core.pagination import decode_cursor, encode_cursor

# The name a keyset cursor carries for sequences ordered by id alone, so that a cursor from one
# list (say, officers) is refused by another instead of silently paging through the wrong rows.
ID_CURSOR_TAG = "id"


def _in_utc(moment: datetime) -> datetime:
    # The registry keeps instants in UTC; a naive one (none should reach here) was written in
    # UTC. Every instant the API answers carries its offset, as RFC 3339's date-time needs.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


#: An instant in an answer: UTC, written with its offset ("Z").
Instant = Annotated[datetime, AfterValidator(_in_utc)]


def fields_of(record: type[Any]) -> dict[str, Any]:
    """The fields of a dataclass record with their types, for a body that shows the record
    field for field: its class body says `__annotations__ = fields_of(Record)`, so the shape is
    declared once, in the rules, and an answer cannot drift from it.

    Defaults are left behind (every field of an answer is present, as in a hand-written body),
    and an instant is an `Instant` (answered in UTC with its offset).
    """
    hints = get_type_hints(record)
    return {f.name: _answered(hints[f.name]) for f in dataclasses.fields(record)}


def _answered(kind: Any) -> Any:
    if kind is datetime:
        return Instant
    if isinstance(kind, UnionType) and datetime in get_args(kind):
        return Union[tuple(_answered(k) for k in get_args(kind))]  # noqa: UP007 - built here
    return kind


class Input(BaseModel):
    """Base of every request body: unknown fields are refused, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class Output(BaseModel):
    """Base of every response body: read from domain records, never from ORM rows.

    `Model.model_validate(record)` reads each field from the record's attribute of that name
    (properties included), so a body that shows a record as it is needs no mapper; `of_record`
    adds what the API shows differently (a renamed, computed, hidden or nested field).
    """

    model_config = ConfigDict(frozen=True, from_attributes=True)

    @classmethod
    def of_record(cls, record: object, /, **different: object) -> Self:
        """The body read from `record`, with the fields named in `different` given instead."""
        return cls.model_validate(_Overlay(record, different) if different else record)


class _Overlay:
    """A record seen with some attributes given instead of its own: what `of_record` reads."""

    def __init__(self, record: object, different: dict[str, object]) -> None:
        self._record = record
        self._different = different

    def __getattr__(self, name: str) -> object:
        # Called only for names the overlay itself lacks: the fields of the body.
        if name in self._different:
            return self._different[name]
        return getattr(self._record, name)


class ProblemError(BaseModel):
    location: str = Field(description="Where the fault is, e.g. `body.curp` or `query.limit`.")
    reason: str


class Problem(BaseModel):
    """An RFC 9457 problem document, as every error of the API is returned."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str
    request_id: str | None = None
    errors: list[ProblemError] | None = None


def _problem(description: str) -> dict[str, Any]:
    return {
        "model": Problem,
        "description": description,
        "content": {"application/problem+json": {}},
    }


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: _problem("Not signed in, or the token is unknown, revoked or expired."),
    403: _problem("The role or scope does not allow this, or the CSRF token is missing."),
    404: _problem("The record does not exist."),
    422: _problem("The input breaks a rule; `errors` names each field."),
}


def check_limit(limit: int, maximum: int) -> int:
    """Refuse a page larger than the configured maximum (the maximum is a setting)."""
    if limit > maximum:
        raise ValidationFailed(FieldError("query.limit", f"must be at most {maximum}"))
    return limit


def encode_id_cursor(last_id: int) -> str:
    return encode_cursor((ID_CURSOR_TAG, last_id))


def decode_id_cursor(cursor: str | None) -> int | None:
    """The id after which the next page starts; a foreign or damaged cursor is a 422."""
    key = decode_cursor(cursor)
    if key is None:
        return None
    if key[0] != ID_CURSOR_TAG:
        raise ValidationFailed(FieldError("cursor", "is not a cursor this server issued"))
    return key[1]
