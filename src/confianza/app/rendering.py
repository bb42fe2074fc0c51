"""What every page shares: the template engine, rendering, and the signed-in-user dependency."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, Template, select_autoescape
from jinja2.ext import Extension
from jinja2.lexer import TOKEN_DOT, TOKEN_NAME, TOKEN_STRING, Token, TokenStream

from confianza.accounts.rules.permissions import Actor
from confianza.app import deps
from confianza.core.civil_time import local
from confianza.core.errors import Forbidden, NotFound, Unauthenticated
from confianza.core.web import i18n, strings

PACKAGE = Path(__file__).parents[1]
SHARED = PACKAGE / "core" / "web"
TEMPLATES = SHARED / "templates"
STATIC = SHARED / "static"


def template_folders() -> list[Path]:
    """Where pages' templates are found: the shared ones (the base, the error page), then each
    feature's `templates/` folder, found on disk so that a new feature needs no registration.
    A template name is unique across them all (tests/unit/project/test_packages.py)."""
    return [TEMPLATES, *sorted(PACKAGE.glob("*/templates"))]


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def format_date(value: date | None) -> str:
    """Dates as readers of the page's language write them (dd/mm/yyyy in Spanish)."""
    return strings.TEXT["none"] if value is None else i18n.format_day(value)


def format_moment(value: datetime | None) -> str:
    return strings.TEXT["none"] if value is None else i18n.format_moment(value)


def language_switch(request: Request, path: str | None = None) -> tuple[str, str, str]:
    """The link to this same page in the other language: its address, its name (written in
    that language) and its language tag (`path`: the page's, when the caller has it)."""
    other = "en" if i18n.current() == "es" else "es"
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    query.append(("lang", other))
    name = "English" if other == "en" else "Español"
    return ((path or request.url.path) + "?" + urlencode(query), name,
            i18n.HTML_LANG[other])


class SpokenText(Extension):
    """Writes the catalogue's text into each template as it is compiled, one compiled copy per
    language: `{{ t.key }}` becomes the text itself, which Jinja then escapes once and joins to
    the page's fixed markup, instead of looking it up, escaping it and yielding it on every
    render. A page such as the officer's profile reads some seventy such texts; measured there,
    rendering took about a third less CPU (ADR 0024).

    Only the catalogue's own texts are written in (the name `t` followed by `.key` of a key the
    catalogue has; no template binds another `t`): a text read by a computed key (`t[name]`)
    stays a lookup. The catalogue is fixed for the life of the process (i18n.Messages).
    """

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        texts = strings.TEXT.spoken_in(self.environment.language)  # type: ignore[attr-defined]
        before: Token | None = None
        for token in stream:
            if (token.type == TOKEN_NAME and token.value == "t"
                    and (before is None or before.type != TOKEN_DOT)
                    and stream.current.type == TOKEN_DOT
                    and stream.look().type == TOKEN_NAME
                    and isinstance(getattr(texts, stream.look().value, None), str)):
                next(stream)  # the dot
                key = next(stream)
                before = Token(token.lineno, TOKEN_STRING, getattr(texts, key.value))
                yield before
                continue
            before = token
            yield token


def _environment(language: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(template_folders()),
        # Autoescape everything we render: names in the registry are typed by people.
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        extensions=[SpokenText],
    )
    env.extend(language=language)
    env.filters["fecha"] = format_date
    env.filters["momento"] = format_moment
    # An instant on the deployment's wall clock, for templates that format it themselves.
    env.filters["local"] = lambda moment: local(moment, i18n.zone())
    env.filters["num"] = i18n.format_number
    env.filters["mes"] = i18n.format_month
    env.globals["share"] = i18n.format_share
    env.globals["t"] = strings.TEXT
    env.globals["labels"] = strings.Labels
    return env


class _Environments:
    """The template engine of each language (SpokenText); `get_template` answers in the
    current request's language."""

    def __init__(self) -> None:
        self._by_language = {language: _environment(language) for language in i18n.LANGUAGES}

    def get_template(self, name: str) -> Template:
        return self._by_language[i18n.current()].get_template(name)


ENV = _Environments()


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render a template with what every page needs (the caller, the CSRF token, the request id)."""
    path = request.url.path
    values: dict[str, Any] = {
        "request": request,
        "actor": getattr(request.state, "actor", None),
        "csrf_token": getattr(request.state, "csrf_token", None),
        "request_id": getattr(request.state, "request_id", ""),
        "path": path,
        "html_lang": i18n.HTML_LANG[i18n.current()],
        "language_switch": language_switch(request, path),
        # The catalogue in the page's language, read as attributes (`t.key`).
        "t": strings.TEXT.spoken(),
    }
    if context:
        values.update(context)
    body = ENV.get_template(name).render(values)
    return HTMLResponse(body, status_code=status, headers=headers)


def too_long(limit: int) -> str:
    """What a field says when its text passes `limit` characters."""
    return strings.text("form_too_long", max=i18n.format_number(limit))


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def safe_next(target: str | None) -> str:
    """A local path to return to after sign-in; anything else (another site) becomes '/'."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


class LoginRequired(Exception):
    """Raised by page dependencies when nobody (or an expired session) is signed in."""

    def __init__(self, next_path: str, ended: bool) -> None:
        super().__init__(next_path)
        self.next_path = next_path
        self.ended = ended


def login_redirect(request: Request, exc: LoginRequired) -> Response:
    """Send the browser to the sign-in page, remembering where it was going."""
    params = {"next": exc.next_path}
    if exc.ended:
        params["expirada"] = "1"
    location = "/login?" + urlencode(params)
    if is_htmx(request):
        # A fragment request cannot follow a redirect into the page; htmx navigates instead.
        response: Response = Response(status_code=401, headers={"HX-Redirect": location})
    else:
        response = RedirectResponse(location, status_code=303)
    if exc.ended:
        response.delete_cookie(deps.SESSION_COOKIE, path="/")
    return response


async def read_form_csrf(request: Request) -> None:
    """Put a posted form's CSRF field where `deps.authenticate` compares it.

    Runs before authentication; the form is cached by Starlette, so routes can still read it.
    """
    if request.method in deps.SAFE_METHODS:
        return
    if request.headers.get("content-type", "").startswith(FORM_TYPES):
        form = await request.form()
        token = form.get("csrf_token")
        if isinstance(token, str):
            request.state.form_csrf = token


class FormRefused(Exception):
    """A post whose CSRF token is missing or is not this session's. Raised before the route
    runs, so nothing the form would write is written; the page says why, in words."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


# The largest record number each kind of key holds: agencies, users, centres, appeals and
# separation processes have 32-bit keys in PostgreSQL, every other record a 64-bit one (as all
# of SQLite's). A larger number names no record, and sent to the database it fails the query
# (a 500) instead of finding nothing.
_NARROW_KEYS = frozenset({"agency_id", "centre_id", "user_id", "appeal_id", "process_id"})
INTEGER_MAX = 2**31 - 1
BIGINT_MAX = 2**63 - 1


def key_max(key: str) -> int:
    return INTEGER_MAX if key in _NARROW_KEYS else BIGINT_MAX


def record_number(typed: str, key: str = "") -> int | None:
    """A record number as typed in a query or posted in a form (`corporacion`, `centre_id`):
    plain digits naming a key the database can hold, else None (no such record)."""
    typed = typed.strip()
    # isdecimal, not isdigit: "²" is a digit that int() refuses; isascii leaves out "١٢".
    if not typed.isascii() or not typed.isdecimal() or len(typed.lstrip("0")) > 19:
        return None  # (and a thousand digits are not worth converting)
    number = int(typed)
    return number if number <= key_max(key) else None


def _check_record_numbers(request: Request) -> None:
    """A record number in the address beyond what its key holds is a record that does not
    exist: a 404, as for any other missing number."""
    for name, value in request.path_params.items():
        if (name.endswith("_id") and isinstance(value, str) and value.isascii()
                and value.isdecimal() and record_number(value, name) is None):
            raise NotFound(f"there is no record {name} {value[:30]}")


async def page_actor(request: Request) -> Actor:
    """The signed-in user of a page; otherwise a redirect to the sign-in page. A posted form's
    CSRF field is read first (called here, not declared as a dependency of its own: FastAPI's
    resolving of a dependency costs more than reading nothing, which is what a page does)."""
    await read_form_csrf(request)
    try:
        actor = deps.authenticate_now(request)
    except Forbidden as refused:
        # The one refusal authentication makes is a post's CSRF check.
        raise FormRefused(refused.detail) from None
    except Unauthenticated:
        wanted = request.url.path
        if request.method in deps.SAFE_METHODS and request.url.query:
            wanted += "?" + request.url.query
        if request.method not in deps.SAFE_METHODS:
            # A post cannot be replayed after sign-in: return to the page it was sent from.
            sent_from = urlsplit(
                request.headers.get("hx-current-url") or request.headers.get("referer") or "/"
            )
            wanted = sent_from.path + ("?" + sent_from.query if sent_from.query else "")
        ended = deps.SESSION_COOKIE in request.cookies
        raise LoginRequired(safe_next(wanted), ended) from None
    _check_record_numbers(request)
    return actor


PageActor = Annotated[Actor, Depends(page_actor)]
