"""The one base of the kit's errors: input that breaks a standard's rules.

The kit imports nothing of the product, so its errors cannot derive from the product's
`DomainError`. They wear the same face instead (a status, a title, a detail and an optional
code), and the product's edges show both alike (`confianza.core.errors.USER_ERRORS`). They are
`ValueError`s too, so pydantic validators and plain callers treat them as bad input.
"""

from __future__ import annotations


class StandardsError(ValueError):
    """A key, note, checkpoint, tile, token or CURP that breaks its standard."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, *, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        # A stable name for the reason, for callers that branch on it (as DomainError.code).
        self.code = code
