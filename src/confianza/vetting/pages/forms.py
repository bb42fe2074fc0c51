"""What the examiner, coordinator and certification pages share: the posted form, field
messages in Spanish beside their fields, and rendering with the evaluation label tables."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

from confianza.app import rendering as common
from confianza.core.errors import FieldError
from confianza.core.web import strings

INDEX = re.compile(r"\[\d+\]$")


async def posted_form(request: Request) -> FormData:
    """The posted form, parsed once: the CSRF check has already read it and Starlette keeps it,
    so a plain (thread-pool) route can take fields whose names depend on the exam."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]


def text_of(form: FormData, name: str, limit: int = 10_000) -> str:
    """One text field as typed (a file or a missing field is empty), cut at `limit`."""
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


def texts_of(form: FormData, name: str, limit: int = 200, count: int = 50) -> list[str]:
    """A field sent several times (checkboxes): at most `count` values, no form offers more,
    so that a forged post cannot fill the page and the trail with one fault per copy."""
    return [v[:limit] for v in form.getlist(name)[:count] if isinstance(v, str)]


@dataclass(frozen=True)
class FieldMessage:
    """One fault of one field: the Spanish message and, when it adds something, the system's
    own reason (kept so that a fault the translation does not know is still explained)."""

    text: str
    detail: str | None = None


Translator = Callable[[str, str], str | None]


def field_messages(
    errors: Iterable[FieldError], translate: Translator
) -> dict[str, list[FieldMessage]]:
    """Field errors grouped by the field that shows them (`result.topics[2]` under
    `result.topics`), each in Spanish when the page knows the fault."""
    grouped: dict[str, list[FieldMessage]] = {}
    for error in errors:
        where = INDEX.sub("", error.location)
        spanish = translate(where, error.reason)
        message = FieldMessage(spanish) if spanish else FieldMessage(
            strings.TEXT["ev_field_invalid"], error.reason)
        if message not in grouped.setdefault(where, []):
            grouped[where].append(message)
    return grouped


def render(request: Request, name: str, context: dict[str, Any], status: int = 200,
           headers: dict[str, str] | None = None) -> HTMLResponse:
    """Render one of these pages with their label tables (`el.exam[...]`) at hand."""
    return common.render(request, name, {"el": strings.EvaluationLabels, **context},
                         status=status, headers=headers)
