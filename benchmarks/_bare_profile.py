"""The officer profile with this code taken out: the ceiling side_by_side.py measures beside it.

Issue 15 asks the profile page for 5x the requests per second of commit ceabecd and under 2 ms
of server CPU. To know how much of what is left is ours, the same work is served with none of
our code: the database statements the page runs, sent by the driver alone, and the page's own
bytes sent back by a bare ASGI callable under the same uvicorn, with the same workers. What
the two servers cost apart is FastAPI, SQLAlchemy, the domain and the templates; what they
share is HTTP, the event loop, the driver's round trips and PostgreSQL's work.

Two parts:

- `capture`: run in the environment of a code's registry (its database and development keys):
  signs the clerk in through the app, requests each officer's profile once in-process and
  records, per path, every statement the page sent through SQLAlchemy with its parameters,
  whether the driver was in autocommit at the time (a read-only block, the session check, is)
  and which message it travelled in (the reads a page sends ahead travel together);
  the audit entry the page wrote (its columns, read back); and the page's bytes. Written as
  JSON for the server.

      python benchmarks/_bare_profile.py capture OUT.json CLERK PASSWORD OFFICER_ID...

- `app`: the bare server, `uvicorn _bare_profile:app --app-dir benchmarks`, with BARE_CAPTURE
  (the JSON file) and BARE_DSN (a libpq connection string) in its environment. Each request
  for a captured path replays that path's statements on the worker's one connection, in the
  same transaction boundaries and messages: the autocommit ones first, then BEGIN (the
  driver's), the others (those sent together as one message of several statements), and the
  audit entry's INSERT with the COMMIT in one message, as our append sends it; then answers
  with the captured page. A path it did not capture answers 404;
  `/healthz` answers 200.

PostgreSQL only: SQLite runs in the server's own process, so there "the statements with our
code taken out" are not a separate cost that could be measured this way.
"""

from __future__ import annotations

import base64
import json
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

# --- the captured statements as JSON --------------------------------------------------------


def _encode(value: Any) -> Any:
    if type(value).__name__ == "Binary":  # psycopg's wrapper, as SQLAlchemy binds bytes
        value = value.obj
    if isinstance(value, bytes | bytearray | memoryview):
        return {"bytes": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, dict):
        return {"dict": {k: _encode(v) for k, v in value.items()}}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "bytes" in value:
            return base64.b64decode(value["bytes"])
        if "datetime" in value:
            return datetime.fromisoformat(value["datetime"])
        if "date" in value:
            return date.fromisoformat(value["date"])
        return {k: _decode(v) for k, v in value["dict"].items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


# --- capture, in the code's own process -----------------------------------------------------


def capture(out: Path, clerk: str, password: str, officers: list[int]) -> None:
    import re

    from fastapi.testclient import TestClient
    from sqlalchemy import event, text

    from confianza.app.bootstrap import build
    from confianza.app.settings import Settings
    from confianza.app.web import create_app

    container = build(Settings())
    if container.engine.dialect.name != "postgresql":
        raise SystemExit("the bare profile replays PostgreSQL statements only")
    recorded: list[list[Any]] = []
    recording = [False]
    last_cursor: list[Any] = [None]
    message = [0]

    def before(connection: Any, cursor: Any, statement: str, parameters: Any, context: Any,
               executemany: bool) -> None:
        if recording[0]:
            if executemany:
                raise SystemExit("the profile page ran an executemany; the replay has none")
            driver = connection.connection.driver_connection
            # Statements sent on one cursor one after another travel as one message (the
            # reads a page sends ahead, plain.Reader.prefetch): replayed as one too.
            # (The cursor itself is kept, not its id: a new cursor may reuse a closed one's.)
            if cursor is not last_cursor[0]:
                last_cursor[0] = cursor
                message[0] += 1
            recorded.append([statement, _encode(parameters), bool(driver.autocommit),
                             message[0]])

    event.listen(container.engine, "before_cursor_execute", before)
    pages: dict[str, Any] = {}
    try:
        client = TestClient(create_app(container))
        login = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', login.text)
        if token is None:
            raise SystemExit("the login page has no CSRF field")
        signed = client.post("/login", data={"username": clerk, "password": password,
                                             "csrf_token": token.group(1), "next": "/"},
                             follow_redirects=False)
        if signed.status_code != 303:
            raise SystemExit(f"signing {clerk} in answered {signed.status_code}")
        columns = ("actor", "actor_kind", "action", "resource_type", "resource_id", "purpose",
                   "request_id", "detail")
        # The session check is remembered by a server process (ADR 0024): read once here, as
        # a served worker reads it once, not with every page.
        client.get(f"/officers/{officers[0]}")
        for officer in officers:
            path = f"/officers/{officer}"
            recorded.clear()
            recording[0] = True
            page = client.get(path)
            recording[0] = False
            if page.status_code != 200:
                raise SystemExit(f"{path} answered {page.status_code}")
            with container.engine.connect() as connection:
                entry = connection.execute(text(
                    f"SELECT {', '.join(columns)} FROM audit_entries ORDER BY id DESC LIMIT 1"
                )).one()
            pages[path] = {
                "statements": list(recorded),
                "entry": list(entry),
                "body": base64.b64encode(page.content).decode(),
                "content_type": page.headers["content-type"],
            }
    finally:
        container.dispose()
    out.write_text(json.dumps(pages))


# --- the bare server --------------------------------------------------------------------------


class _Page:
    def __init__(self, found: dict[str, Any]) -> None:
        self.autocommit = [(s, _decode(p)) for s, p, auto, _ in found["statements"] if auto]
        # The transaction's statements, grouped by the message they travelled in.
        self.transaction: list[list[tuple[str, Any]]] = []
        last = None
        for statement, parameters, auto, message in found["statements"]:
            if auto:
                continue
            if message != last:
                self.transaction.append([])
                last = message
            self.transaction[-1].append((statement, _decode(parameters)))
        self.entry = found["entry"]
        self.body = base64.b64decode(found["body"])
        self.headers = [(b"content-type", found["content_type"].encode()),
                        (b"content-length", str(len(self.body)).encode())]


class _Server:
    """One worker's state: the captured pages and one connection, opened on first use."""

    def __init__(self) -> None:
        found = json.loads(Path(os.environ["BARE_CAPTURE"]).read_text())
        self.pages = {path: _Page(page) for path, page in found.items()}
        self.dsn = os.environ["BARE_DSN"]
        self.connection: Any = None

    def serve(self, page: _Page) -> None:
        import psycopg

        from confianza.trail.repository.append import _postgres_statement

        if self.connection is None:
            self.connection = psycopg.connect(self.dsn)
        connection = self.connection
        connection.autocommit = True
        for statement, parameters in page.autocommit:
            connection.execute(statement, parameters).fetchall()
        connection.autocommit = False
        for group in page.transaction:
            if len(group) == 1:
                connection.execute(*group[0]).fetchall()
                continue
            with psycopg.ClientCursor(connection) as together:
                together.execute("; ".join(together.mogrify(s, p) for s, p in group))
                for index in range(len(group)):
                    if index:
                        together.nextset()
                    together.fetchall()
        with psycopg.ClientCursor(connection) as cursor:
            cursor.execute(_postgres_statement(1) + "; COMMIT",
                           [datetime.now(UTC), *page.entry])


_SERVER: _Server | None = None


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    global _SERVER
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                _SERVER = _Server()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http" or _SERVER is None:
        return
    page = _SERVER.pages.get(scope["path"])
    if page is None:
        status = 200 if scope["path"] == "/healthz" else 404
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})
        return
    _SERVER.serve(page)
    await send({"type": "http.response.start", "status": 200, "headers": page.headers})
    await send({"type": "http.response.body", "body": page.body})


if __name__ == "__main__":
    if len(sys.argv) < 6 or sys.argv[1] != "capture":
        raise SystemExit("usage: _bare_profile.py capture OUT.json CLERK PASSWORD OFFICER_ID...")
    capture(Path(sys.argv[2]), sys.argv[3], sys.argv[4], [int(x) for x in sys.argv[5:]])
