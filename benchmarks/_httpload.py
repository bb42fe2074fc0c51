"""A small HTTP/1.1 keep-alive load generator for benchmarking our own server on loopback.

Standard library only (asyncio). Each of ``concurrency`` workers owns one persistent
connection and sends one request at a time on it (no pipelining); responses are parsed
(status line, headers, ``Content-Length`` or ``Transfer-Encoding: chunked`` bodies, or
read-until-close) so the connection can be reused.  Connections that the server closes
are reopened transparently.

Only loopback targets are accepted (127.0.0.0/8, ``::1`` and ``localhost``): this tool
must never be pointed at somebody else's machine.

Typical use from a benchmark script::

    from _httpload import RequestSpec, format_result, load, start_server, uvicorn_argv

    argv = uvicorn_argv("confianza.app.web:create_app", factory=True)
    with start_server(argv, env={"CONFIANZA_DB": "..."}) as server:
        spec = RequestSpec("GET", "/api/officers/by-curp/XXXX", {"Accept": "application/json"})
        result = load(server.host, server.port, [spec], concurrency=8, total=5000, warmup=200)
    print(format_result("officer lookup by CURP", result))
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import ipaddress
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Coroutine, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = [
    "HTTPProtocolError",
    "LoadResult",
    "RequestSpec",
    "ServerDisconnected",
    "ServerHandle",
    "ServerStartError",
    "check_loopback",
    "format_result",
    "free_port",
    "load",
    "run_load",
    "start_server",
    "uvicorn_argv",
]

_METHODS_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})
_NO_BODY_STATUSES = frozenset({204, 304})
_READ_LIMIT = 256 * 1024  # maximum size of a response head / chunk-size line


# --------------------------------------------------------------------------------------
# Public data types
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestSpec:
    """One HTTP request to send.

    ``Host`` is added automatically, and ``Content-Length`` too when there is a body (or
    the method is POST/PUT/PATCH), unless given in ``headers``.
    """

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def encode(self, host_header: str) -> bytes:
        """Serialise the request for the wire (raises ``ValueError`` on malformed input)."""
        method = self.method.upper()
        if not method.isascii() or not method.isalpha():
            raise ValueError(f"bad HTTP method {self.method!r}")
        if not self.path.startswith("/") or not self.path.isascii() or _has_ws(self.path):
            raise ValueError(f"request path must be an absolute ASCII path: {self.path!r}")
        lines = [f"{method} {self.path} HTTP/1.1"]
        seen: set[str] = set()
        for name, value in self.headers.items():
            if not name or _has_ws(name) or ":" in name:
                raise ValueError(f"bad header name {name!r}")
            if "\r" in value or "\n" in value:
                raise ValueError(f"bad header value for {name!r}")
            seen.add(name.lower())
            lines.append(f"{name}: {value}")
        if "host" not in seen:
            lines.insert(1, f"Host: {host_header}")
        if (
            "content-length" not in seen
            and "transfer-encoding" not in seen
            and (self.body or method in _METHODS_WITH_BODY)
        ):
            lines.append(f"Content-Length: {len(self.body)}")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        return head + self.body


@dataclass(frozen=True)
class LoadResult:
    """Outcome of one measured run (warm-up requests are not included).

    ``count`` is the number of requests completed, whether they succeeded or not.
    ``errors`` counts responses whose status is not 2xx/3xx plus requests that failed at
    the socket/protocol level.  ``status_counts`` tallies every response status received,
    ``error_kinds`` the exception class names of the failed requests.  Latencies (ms) are
    over the requests that got a response (of any status).
    """

    count: int
    errors: int
    status_counts: Counter[int]
    error_kinds: Counter[str]
    elapsed_s: float
    requests_per_s: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    body_bytes: int
    connections: int
    #: CPU seconds this process (the load generator) used during the measured run.
    client_cpu_s: float = 0.0

    @property
    def ok(self) -> int:
        """Number of requests answered with a 2xx or 3xx status."""
        return self.count - self.errors


class HTTPProtocolError(Exception):
    """The server sent something that is not a valid HTTP/1.x response."""


class ServerDisconnected(ConnectionError):
    """The server closed the connection before a single byte of the response arrived."""


# --------------------------------------------------------------------------------------
# Loopback guard
# --------------------------------------------------------------------------------------


def check_loopback(host: str) -> str:
    """Return the host stripped of IPv6 brackets, or raise ``ValueError`` if not loopback.

    Accepted: any address in 127.0.0.0/8, ``::1`` and the name ``localhost``.
    """
    bare = host.strip()
    if bare.startswith("[") and bare.endswith("]"):
        bare = bare[1:-1]
    if bare.lower() == "localhost":
        return "localhost"
    try:
        addr = ipaddress.ip_address(bare)
    except ValueError:
        raise ValueError(f"refusing non-loopback target {host!r}: loopback only") from None
    if isinstance(addr, ipaddress.IPv4Address):
        if addr in ipaddress.IPv4Network("127.0.0.0/8"):
            return bare
    elif addr == ipaddress.IPv6Address("::1") and not addr.scope_id:
        return bare
    raise ValueError(f"refusing non-loopback target {host!r}: loopback only")


def _resolve_loopback(host: str, port: int) -> tuple[str, str]:
    """Map a checked host to (address to connect to, Host header value)."""
    bare = check_loopback(host)
    if bare == "localhost":
        # Resolve ourselves so that a strange resolver can never send us off-machine;
        # prefer IPv4, which is what servers bound to "localhost"/127.0.0.1 listen on.
        infos = socket.getaddrinfo("localhost", port, type=socket.SOCK_STREAM)
        found: list[str] = []
        for _family, _type, _proto, _canon, sockaddr in infos:
            with contextlib.suppress(ValueError):
                found.append(check_loopback(str(sockaddr[0])))
        if found:
            found.sort(key=lambda a: ":" in a)
            return found[0], f"localhost:{port}"
        raise ValueError("'localhost' does not resolve to a loopback address")
    header = f"[{bare}]:{port}" if ":" in bare else f"{bare}:{port}"
    return bare, header


# --------------------------------------------------------------------------------------
# Response parsing
# --------------------------------------------------------------------------------------


def _has_ws(text: str) -> bool:
    return any(ch in text for ch in " \t\r\n")


async def _read_response(reader: asyncio.StreamReader, head_request: bool) -> tuple[int, int, bool]:
    """Read one complete response; return (status, body length, connection reusable).

    Raises ``ServerDisconnected`` if the peer closed before sending anything, ``HTTPProtocolError``
    on malformed input, and ``asyncio.IncompleteReadError`` if it closed mid-response.
    """
    first = True
    while True:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as exc:
            if first and not exc.partial:
                raise ServerDisconnected("connection closed before the response") from None
            raise
        except asyncio.LimitOverrunError as exc:
            raise HTTPProtocolError("response head too large") from exc
        except (ConnectionResetError, BrokenPipeError) as exc:
            if first:
                raise ServerDisconnected(str(exc)) from exc
            raise
        first = False
        status, keep_alive, length, chunked = _parse_head(head)
        if 100 <= status < 200 and status != 101:
            continue  # interim response (100 Continue, 103 Early Hints): the real one follows
        break

    if status == 101:
        raise HTTPProtocolError("unexpected protocol switch (101)")
    if head_request or status in _NO_BODY_STATUSES:
        return status, 0, keep_alive
    if chunked:
        return status, await _read_chunked(reader), keep_alive
    if length is not None:
        if length:
            await reader.readexactly(length)
        return status, length, keep_alive
    # Neither length nor chunked: the body is delimited by the connection closing.
    body = await reader.read()
    return status, len(body), False


def _parse_head(head: bytes) -> tuple[int, bool, int | None, bool]:
    """Parse a response head; return (status, keep-alive, content-length, chunked)."""
    lines = head[:-4].split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
        raise HTTPProtocolError(f"bad status line {lines[0][:100]!r}")
    version = parts[0]
    code = parts[1]
    if len(code) != 3 or not code.isdigit():
        raise HTTPProtocolError(f"bad status code {code[:20]!r}")
    status = int(code)
    keep_alive = version == b"HTTP/1.1"
    length: int | None = None
    chunked = False
    other_coding = False
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if not sep:
            raise HTTPProtocolError(f"bad header line {line[:100]!r}")
        name = name.strip().lower()
        if name == b"content-length":
            value = value.strip()
            if not value.isdigit():
                raise HTTPProtocolError(f"bad Content-Length {value[:40]!r}")
            new = int(value)
            if length is not None and length != new:
                raise HTTPProtocolError("conflicting Content-Length headers")
            length = new
        elif name == b"transfer-encoding":
            codings = [c.strip() for c in value.lower().split(b",")]
            chunked = codings[-1] == b"chunked"
            other_coding = not chunked
        elif name == b"connection":
            tokens = {t.strip() for t in value.lower().split(b",")}
            if b"close" in tokens:
                keep_alive = False
            elif b"keep-alive" in tokens:
                keep_alive = True
    if chunked:
        length = None  # Transfer-Encoding overrides Content-Length (RFC 9112 §6.3)
    elif other_coding:
        length = None  # a final coding other than chunked: the body runs until close
        keep_alive = False
    return status, keep_alive, length, chunked


async def _read_chunked(reader: asyncio.StreamReader) -> int:
    total = 0
    while True:
        line = await reader.readuntil(b"\r\n")
        size_text = line.split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise HTTPProtocolError(f"bad chunk size {size_text[:40]!r}") from None
        if size < 0:
            raise HTTPProtocolError("negative chunk size")
        if size == 0:
            break
        data = await reader.readexactly(size + 2)
        if data[-2:] != b"\r\n":
            raise HTTPProtocolError("chunk not terminated by CRLF")
        total += size
    while True:  # trailer section, ended by an empty line
        line = await reader.readuntil(b"\r\n")
        if line == b"\r\n":
            return total


# --------------------------------------------------------------------------------------
# Load generation
# --------------------------------------------------------------------------------------


class _Stats:
    __slots__ = ("body_bytes", "connections", "error_kinds", "errors", "latencies", "statuses")

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.statuses: Counter[int] = Counter()
        self.error_kinds: Counter[str] = Counter()
        self.errors = 0
        self.body_bytes = 0
        self.connections = 0


class _Tickets:
    """Hands out request indices until the count or the time budget runs out."""

    __slots__ = ("deadline", "limit", "next", "taken")

    def __init__(self, start: int, limit: int | None, deadline: float | None) -> None:
        self.next = start
        self.taken = 0
        self.limit = limit
        self.deadline = deadline

    def take(self) -> int | None:
        if self.limit is not None and self.taken >= self.limit:
            return None
        if self.deadline is not None and time.perf_counter() >= self.deadline:
            return None
        self.taken += 1
        index = self.next
        self.next += 1
        return index


class _Connection:
    """One persistent connection, reopened when the server closes it."""

    __slots__ = ("addr", "port", "reader", "reused", "writer")

    def __init__(self, addr: str, port: int) -> None:
        self.addr = addr
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.reused = False

    async def request(self, wire: bytes, head_request: bool, stats: _Stats) -> tuple[int, int]:
        for attempt in (0, 1):
            await self.ensure_open(stats)
            reader, writer = self.reader, self.writer
            assert reader is not None and writer is not None
            reused = self.reused
            self.reused = True
            try:
                writer.write(wire)
                await writer.drain()
                status, nbytes, keep_alive = await _read_response(reader, head_request)
            except (ServerDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                # A kept-alive connection may be closed by the server just as we reuse it;
                # nothing was answered, so retrying once on a fresh connection is safe.
                if reused and attempt == 0:
                    continue
                raise
            except BaseException:
                self.close()
                raise
            if not keep_alive:
                self.close()
            return status, nbytes
        raise AssertionError("unreachable")

    async def ensure_open(self, stats: _Stats) -> None:
        """Open the connection now if it is not open (a request would open it anyway)."""
        reader, writer = self.reader, self.writer
        if reader is None or writer is None or reader.at_eof() or writer.is_closing():
            self.close()
            self.reader, self.writer = await asyncio.open_connection(
                self.addr, self.port, limit=_READ_LIMIT
            )
            sock = self.writer.get_extra_info("socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.reused = False
            stats.connections += 1

    @property
    def local_port(self) -> int | None:
        """This end's port while the connection is open (the server sees it as the peer's)."""
        if self.writer is None or self.writer.is_closing():
            return None
        name = self.writer.get_extra_info("sockname")
        return int(name[1]) if name else None

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _worker(
    conn: _Connection,
    tickets: _Tickets,
    wire_for: Callable[[int], tuple[bytes, bool]],
    stats: _Stats,
    timeout_s: float,
) -> None:
    perf = time.perf_counter
    latencies = stats.latencies
    statuses = stats.statuses
    while (index := tickets.take()) is not None:
        wire, head_request = wire_for(index)
        started = perf()
        try:
            async with asyncio.timeout(timeout_s):
                status, nbytes = await conn.request(wire, head_request, stats)
        except (OSError, EOFError, HTTPProtocolError, asyncio.LimitOverrunError) as exc:
            # OSError covers ConnectionError and TimeoutError, EOFError IncompleteReadError.
            stats.errors += 1
            stats.error_kinds[type(exc).__name__] += 1
            if isinstance(exc, ConnectionRefusedError):
                await asyncio.sleep(0.01)  # do not spin on a server that is not there
            continue
        latencies.append(perf() - started)
        statuses[status] += 1
        stats.body_bytes += nbytes
        if not 200 <= status < 400:
            stats.errors += 1


def _percentile(sorted_values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile of already sorted values (0.0 when empty)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(pct / 100.0 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


async def _run_all(coros: Iterable[Coroutine[Any, Any, None]]) -> None:
    """Run the workers; if one fails (e.g. a request factory raised), stop the others."""
    tasks = [asyncio.ensure_future(c) for c in coros]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


async def run_load(
    host: str,
    port: int,
    requests: Sequence[RequestSpec] | Callable[[int], RequestSpec],
    *,
    concurrency: int,
    total: int | None = None,
    duration_s: float | None = None,
    warmup: int = 0,
    request_timeout_s: float = 30.0,
    spread: Callable[[list[int]], bool] | None = None,
    spread_tries: int = 20,
    on_start: Callable[[], None] | None = None,
) -> LoadResult:
    """Drive ``host:port`` with ``concurrency`` keep-alive connections and measure it.

    ``requests`` is either a sequence of specs used round-robin, or a function from the
    request index (0, 1, 2, ... continuing from the warm-up) to a spec.  The run stops
    after ``total`` measured requests or ``duration_s`` seconds, whichever comes first;
    at least one of the two must be given.  ``warmup`` requests are sent first and left
    out of the result (connections opened during warm-up are kept).  A request that gets
    no complete response within ``request_timeout_s`` counts as an error.

    ``spread``, when given, is asked after the warm-up whether the open connections (their
    local ports) are spread as the caller wants, e.g. evenly over a server's worker
    processes: a kept-alive connection stays with the worker that accepted it, and which one
    does is the kernel's choice.  While it answers False, the connections are closed and
    opened again (with the warm-up again), at most ``spread_tries`` times; then the run goes
    on with the last ones.  ``on_start`` is called just before the measured run begins
    (after the warm-up and the spreading): where a caller starts its own meters.
    """
    if total is None and duration_s is None:
        raise ValueError("unbounded run refused: give total and/or duration_s")
    if total is not None and total < 0:
        raise ValueError("total must be >= 0")
    if duration_s is not None and not duration_s > 0:
        raise ValueError("duration_s must be > 0")
    if concurrency < 1:
        raise ValueError("concurrency must be >= 1")
    if warmup < 0:
        raise ValueError("warmup must be >= 0")
    if spread_tries < 1:
        raise ValueError("spread_tries must be >= 1")
    if not 0 < port < 65536:
        raise ValueError(f"bad port {port}")
    addr, host_header = _resolve_loopback(host, port)

    wire_for: Callable[[int], tuple[bytes, bool]]
    if callable(requests):
        make = requests

        def wire_for(index: int) -> tuple[bytes, bool]:
            spec = make(index)
            return spec.encode(host_header), spec.method.upper() == "HEAD"

    else:
        if not requests:
            raise ValueError("no requests given")
        wires = [(spec.encode(host_header), spec.method.upper() == "HEAD") for spec in requests]
        n_wires = len(wires)

        def wire_for(index: int) -> tuple[bytes, bool]:
            return wires[index % n_wires]

    conns = [_Connection(addr, port) for _ in range(concurrency)]
    try:
        next_index = 0
        for attempt in range(spread_tries if spread is not None else 1):
            if attempt:
                for conn in conns:
                    conn.close()
                await asyncio.sleep(0)
            scratch = _Stats()
            if warmup:
                warm = _Tickets(next_index, warmup, None)
                await _run_all(
                    _worker(c, warm, wire_for, scratch, request_timeout_s) for c in conns
                )
                next_index = warm.next
            if spread is None:
                break
            await asyncio.gather(*(conn.ensure_open(scratch) for conn in conns))
            if spread([port for conn in conns if (port := conn.local_port) is not None]):
                break

        if on_start is not None:
            on_start()
        stats = _Stats()
        started, started_cpu = time.perf_counter(), time.process_time()
        deadline = None if duration_s is None else started + duration_s
        tickets = _Tickets(next_index, total, deadline)
        await _run_all(_worker(c, tickets, wire_for, stats, request_timeout_s) for c in conns)
        elapsed = time.perf_counter() - started
        client_cpu = time.process_time() - started_cpu
    finally:
        for conn in conns:
            conn.close()
        await asyncio.sleep(0)  # let the transports finish closing

    lat = sorted(stats.latencies)
    count = tickets.taken

    def ms(seconds: float) -> float:
        return seconds * 1000.0

    return LoadResult(
        count=count,
        errors=stats.errors,
        status_counts=stats.statuses,
        error_kinds=stats.error_kinds,
        elapsed_s=elapsed,
        requests_per_s=count / elapsed if elapsed > 0 else 0.0,
        p50_ms=ms(_percentile(lat, 50)),
        p90_ms=ms(_percentile(lat, 90)),
        p95_ms=ms(_percentile(lat, 95)),
        p99_ms=ms(_percentile(lat, 99)),
        max_ms=ms(lat[-1]) if lat else 0.0,
        mean_ms=ms(sum(lat) / len(lat)) if lat else 0.0,
        body_bytes=stats.body_bytes,
        connections=stats.connections,
        client_cpu_s=client_cpu,
    )


def load(
    host: str,
    port: int,
    requests: Sequence[RequestSpec] | Callable[[int], RequestSpec],
    *,
    concurrency: int,
    total: int | None = None,
    duration_s: float | None = None,
    warmup: int = 0,
    request_timeout_s: float = 30.0,
    spread: Callable[[list[int]], bool] | None = None,
    spread_tries: int = 20,
    on_start: Callable[[], None] | None = None,
) -> LoadResult:
    """Synchronous wrapper around :func:`run_load` (runs its own event loop)."""
    return asyncio.run(
        run_load(
            host,
            port,
            requests,
            concurrency=concurrency,
            total=total,
            duration_s=duration_s,
            warmup=warmup,
            request_timeout_s=request_timeout_s,
            spread=spread,
            spread_tries=spread_tries,
            on_start=on_start,
        )
    )


def format_result(name: str, r: LoadResult) -> str:
    """One line, e.g. ``lookup: 5000 requests, 0 errors, 812 req/s, p50 3.1 ms, ...``."""
    errors = f"{r.errors} error" + ("" if r.errors == 1 else "s")
    if r.errors:
        details = [
            f"HTTP {code}: {n}"
            for code, n in sorted(r.status_counts.items())
            if not 200 <= code < 400
        ]
        details += [f"{kind}: {n}" for kind, n in r.error_kinds.most_common()]
        errors += f" ({', '.join(details)})"
    return (
        f"{name}: {r.count} requests, {errors}, {r.requests_per_s:.0f} req/s, "
        f"p50 {r.p50_ms:.1f} ms, p95 {r.p95_ms:.1f} ms, p99 {r.p99_ms:.1f} ms"
    )


# --------------------------------------------------------------------------------------
# Server process management
# --------------------------------------------------------------------------------------


class ServerStartError(RuntimeError):
    """The server process exited or did not become ready in time."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on the loopback ``host`` right now."""
    addr = check_loopback(host)
    if addr == "localhost":
        addr = "127.0.0.1"
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.bind((addr, 0))
        port: int = sock.getsockname()[1]
        return port


def uvicorn_argv(
    app_import: str,
    *,
    factory: bool = False,
    host: str = "127.0.0.1",
    extra: Sequence[str] = (),
) -> list[str]:
    """argv for ``python -m uvicorn`` on ``{port}`` (filled in by :func:`start_server`)."""
    argv = [sys.executable, "-m", "uvicorn", app_import, "--host", check_loopback(host)]
    argv += ["--port", "{port}", "--no-access-log", "--log-level", "warning"]
    if factory:
        argv.append("--factory")
    return argv + list(extra)


class ServerHandle:
    """A running server subprocess; a context manager that stops it on exit."""

    def __init__(
        self, process: subprocess.Popen[bytes], host: str, port: int, log_path: Path
    ) -> None:
        self.process = process
        self.host = host
        self.port = port
        self.log_path = log_path

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def log_tail(self, max_chars: int = 4000) -> str:
        """The end of the server's combined stdout/stderr log."""
        try:
            data = self.log_path.read_bytes()
        except OSError:
            return ""
        return data[-max_chars:].decode("utf-8", "replace")

    def stop(self, grace_s: float = 5.0) -> int | None:
        """SIGTERM, then SIGKILL after ``grace_s`` seconds; return the exit code."""
        proc = self.process
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
                proc.wait()
        return proc.returncode

    def __enter__(self) -> ServerHandle:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _get_status(host: str, port: int, path: str, timeout_s: float) -> int | None:
    conn = http.client.HTTPConnection(host, port, timeout=timeout_s)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()


def start_server(
    argv: Sequence[str],
    env: Mapping[str, str] | None = None,
    port: int | None = None,
    ready_path: str = "/healthz",
    timeout_s: float = 30.0,
    *,
    host: str = "127.0.0.1",
    inherit_env: bool = True,
    cwd: str | os.PathLike[str] | None = None,
) -> ServerHandle:
    """Start a server subprocess and wait until ``GET ready_path`` answers 200.

    Every ``{port}`` in ``argv`` is replaced by ``port`` (a free one when ``None``); the
    server must listen on ``host`` at that port.  ``env`` is layered over the current
    environment (or used alone when ``inherit_env`` is false).  Output goes to
    ``server.log`` in a fresh temporary directory (``handle.log_path``).
    """
    addr = check_loopback(host)
    if port is None:
        port = free_port(addr)
    args = [arg.replace("{port}", str(port)) for arg in argv]
    if not args:
        raise ValueError("empty argv")
    child_env = dict(os.environ) if inherit_env else {}
    child_env.update(env or {})

    log_dir = Path(tempfile.mkdtemp(prefix="confianza-bench-"))
    log_path = log_dir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=child_env,
            cwd=cwd,
        )
    handle = ServerHandle(process, addr, port, log_path)

    deadline = time.monotonic() + timeout_s
    last: int | None = None
    try:
        while True:
            code = process.poll()
            if code is not None:
                raise ServerStartError(
                    f"server exited with code {code} before becoming ready; "
                    f"log {log_path}:\n{handle.log_tail()}"
                )
            last = _get_status(addr, port, ready_path, timeout_s=2.0)
            if last == 200:
                return handle
            if time.monotonic() >= deadline:
                raise ServerStartError(
                    f"server not ready after {timeout_s:g} s (last status {last}); "
                    f"log {log_path}:\n{handle.log_tail()}"
                )
            time.sleep(0.05)
    except BaseException:
        handle.stop()
        raise
