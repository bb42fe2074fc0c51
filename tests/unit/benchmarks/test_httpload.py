"""Tests for benchmarks/_httpload.py, the loopback HTTP/1.1 load generator.

Run as a script, this file is also the trivial server used to check the generator's own
throughput::

    python tests/unit/benchmarks/test_httpload.py --serve PORT   # trivial HTTP server
    python tests/unit/benchmarks/test_httpload.py --bench        # measure req/s against it
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))

import pytest  # noqa: E402
from _httpload import (  # noqa: E402
    HTTPProtocolError,
    LoadResult,
    RequestSpec,
    ServerHandle,
    ServerStartError,
    _read_response,
    check_loopback,
    format_result,
    free_port,
    load,
    run_load,
    start_server,
)

T = TypeVar("T")

CL_BODY = b"hello world"
CHUNKS = [b"5;ext=1\r\nhello\r\n", b"1\r\n \r\n", b"5\r\nworld\r\n", b"0\r\nX-Trailer: yes\r\n\r\n"]


# --------------------------------------------------------------------------------------
# In-process test server (asyncio streams), one behaviour per path
# --------------------------------------------------------------------------------------


@dataclass
class ServerState:
    connections: int = 0
    requests: Counter[str] = field(default_factory=Counter)
    bodies: list[bytes] = field(default_factory=list)


def _response(status: str, body: bytes, *extra: str) -> bytes:
    head = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", *extra]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def _handle(
    state: ServerState, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    state.connections += 1
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            lines = head.decode("latin-1").split("\r\n")
            method, target, _version = lines[0].split(" ")
            headers = {}
            for line in lines[1:]:
                if line:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            state.requests[target] += 1
            state.bodies.append(body)
            assert "host" in headers

            if target == "/cl":
                writer.write(_response("200 OK", CL_BODY, "Content-Type: text/plain"))
            elif target == "/chunked":
                writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                for piece in CHUNKS:  # separate writes: the client must cope with split reads
                    writer.write(piece)
                    await writer.drain()
            elif target == "/status/500":
                writer.write(_response("500 Internal Server Error", b"boom"))
            elif target == "/redirect":
                writer.write(_response("302 Found", b"", "Location: /cl"))
            elif target == "/close":
                writer.write(_response("200 OK", CL_BODY, "Connection: close"))
                await writer.drain()
                return
            elif target == "/drop":  # keep-alive response, then the server hangs up anyway
                writer.write(_response("200 OK", CL_BODY))
                await writer.drain()
                return
            elif target == "/nolength":  # body delimited by closing the connection
                writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + CL_BODY)
                await writer.drain()
                return
            elif target == "/echo":
                writer.write(_response("200 OK", body))
            elif target == "/head":
                assert method == "HEAD"
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
            elif target == "/204":
                writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
            elif target == "/interim":
                writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                writer.write(_response("200 OK", CL_BODY))
            elif target == "/garbage":
                writer.write(b"SPDY/9 whatever\r\n\r\n")
            elif target == "/hang":
                await asyncio.sleep(3600)
            else:
                writer.write(_response("404 Not Found", b"no"))
            await writer.drain()
    finally:
        writer.close()


def with_server(scenario: Callable[[int, ServerState], Awaitable[T]]) -> T:
    """Run ``scenario(port, state)`` against a fresh in-process server on 127.0.0.1."""

    async def main() -> T:
        state = ServerState()

        async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await _handle(state, reader, writer)

        server = await asyncio.start_server(handler, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            return await scenario(port, state)
        finally:
            server.close()

    return asyncio.run(main())


def get(path: str) -> RequestSpec:
    return RequestSpec("GET", path, {})


# --------------------------------------------------------------------------------------
# Load runs
# --------------------------------------------------------------------------------------


def test_counts_add_up_with_content_length_bodies() -> None:
    async def scenario(port: int, state: ServerState) -> LoadResult:
        r = await run_load("127.0.0.1", port, [get("/cl")], concurrency=4, total=200, warmup=10)
        assert state.requests["/cl"] == 210  # warm-up requests reach the server too
        assert state.connections == 4  # keep-alive: one connection per worker, reused
        return r

    r = with_server(scenario)
    assert r.count == 200
    assert r.errors == 0
    assert r.ok == 200
    assert r.status_counts == Counter({200: 200})
    assert r.body_bytes == 200 * len(CL_BODY)
    assert r.connections == 0  # all opened during warm-up
    assert not r.error_kinds
    assert 0 < r.p50_ms <= r.p90_ms <= r.p95_ms <= r.p99_ms <= r.max_ms
    assert r.elapsed_s > 0 and r.requests_per_s > 0


def test_chunked_bodies_parse_and_keep_connection() -> None:
    async def scenario(port: int, state: ServerState) -> LoadResult:
        r = await run_load("127.0.0.1", port, [get("/chunked")], concurrency=3, total=60)
        assert state.requests["/chunked"] == 60
        assert state.connections == 3
        return r

    r = with_server(scenario)
    assert (r.count, r.errors) == (60, 0)
    assert r.body_bytes == 60 * len(b"hello world")
    assert r.connections == 3


def test_server_error_counts_as_error_redirect_does_not() -> None:
    specs = [get("/cl"), get("/status/500"), get("/redirect")]

    async def scenario(port: int, state: ServerState) -> LoadResult:
        return await run_load("127.0.0.1", port, specs, concurrency=2, total=30)

    r = with_server(scenario)
    assert r.count == 30
    assert r.errors == 10
    assert r.ok == 20
    assert r.status_counts == Counter({200: 10, 500: 10, 302: 10})
    assert not r.error_kinds
    line = format_result("mixed", r)
    assert "10 errors (HTTP 500: 10)" in line


def test_connections_are_reopened_until_spread_as_asked() -> None:
    """A caller that wants its connections spread (over a server's workers, say) is asked
    after the warm-up, and gets fresh connections while it says no."""
    asked: list[list[int]] = []

    def spread(ports: list[int]) -> bool:
        asked.append(ports)
        return len(asked) == 3

    async def scenario(port: int, state: ServerState) -> LoadResult:
        seen_at_start: list[int] = []
        r = await run_load("127.0.0.1", port, [get("/cl")], concurrency=3, total=30, warmup=6,
                           spread=spread,
                           on_start=lambda: seen_at_start.append(state.requests["/cl"]))
        assert state.connections == 9  # three rounds of three connections
        assert state.requests["/cl"] == 3 * 6 + 30  # each round warmed up again
        assert seen_at_start == [3 * 6]  # called once, after the last warm-up
        return r

    r = with_server(scenario)
    assert (r.count, r.errors, r.connections) == (30, 0, 0)  # measured on the third round's
    assert [len(ports) for ports in asked] == [3, 3, 3]
    assert len({p for ports in asked for p in ports}) == 9


def test_spread_gives_up_after_its_tries_and_measures_anyway() -> None:
    async def scenario(port: int, state: ServerState) -> LoadResult:
        return await run_load("127.0.0.1", port, [get("/cl")], concurrency=2, total=10,
                              spread=lambda ports: False, spread_tries=4)

    r = with_server(scenario)
    assert (r.count, r.errors) == (10, 0)


def test_connection_close_is_reconnected() -> None:
    async def scenario(port: int, state: ServerState) -> LoadResult:
        r = await run_load("127.0.0.1", port, [get("/close")], concurrency=2, total=20)
        assert state.requests["/close"] == 20
        assert state.connections == 20
        return r

    r = with_server(scenario)
    assert (r.count, r.errors) == (20, 0)
    assert r.connections == 20
    assert r.body_bytes == 20 * len(CL_BODY)


def test_server_hanging_up_on_keep_alive_is_reconnected() -> None:
    async def scenario(port: int, state: ServerState) -> LoadResult:
        r = await run_load("127.0.0.1", port, [get("/drop")], concurrency=3, total=40)
        assert state.requests["/drop"] == 40  # a retried request is never seen twice
        return r

    r = with_server(scenario)
    assert (r.count, r.errors) == (40, 0), r.error_kinds
    assert r.connections == 40


def test_body_until_close_head_204_and_interim_responses() -> None:
    specs = [
        get("/nolength"),
        RequestSpec("HEAD", "/head", {}),
        get("/204"),
        get("/interim"),
    ]

    async def scenario(port: int, state: ServerState) -> LoadResult:
        return await run_load("127.0.0.1", port, specs, concurrency=2, total=40)

    r = with_server(scenario)
    assert (r.count, r.errors) == (40, 0), r.error_kinds
    assert r.status_counts == Counter({200: 30, 204: 10})
    assert r.body_bytes == 10 * len(CL_BODY) + 10 * len(CL_BODY)  # /nolength + /interim


def test_callable_requests_get_consecutive_indices_and_bodies() -> None:
    seen: list[int] = []

    def make(i: int) -> RequestSpec:
        seen.append(i)
        return RequestSpec("POST", "/echo", {"Content-Type": "text/plain"}, f"item-{i}".encode())

    async def scenario(port: int, state: ServerState) -> LoadResult:
        r = await run_load("127.0.0.1", port, make, concurrency=4, total=50, warmup=5)
        assert sorted(state.bodies) == sorted(f"item-{i}".encode() for i in range(55))
        return r

    r = with_server(scenario)
    assert sorted(seen) == list(range(55))
    assert (r.count, r.errors) == (50, 0)
    assert r.body_bytes == sum(len(f"item-{i}") for i in range(5, 55))


def test_duration_bound_alone_stops() -> None:
    async def scenario(port: int, state: ServerState) -> LoadResult:
        return await run_load("127.0.0.1", port, [get("/cl")], concurrency=2, duration_s=0.2)

    r = with_server(scenario)
    assert r.count > 0
    assert r.errors == 0
    assert r.status_counts[200] == r.count


def test_total_and_duration_whichever_first() -> None:
    async def scenario(port: int, state: ServerState) -> LoadResult:
        return await run_load(
            "127.0.0.1", port, [get("/cl")], concurrency=2, total=25, duration_s=60
        )

    assert with_server(scenario).count == 25


def test_socket_errors_are_counted() -> None:
    port = free_port()  # nothing listens there
    r = load("127.0.0.1", port, [get("/")], concurrency=2, total=4)
    assert r.count == 4
    assert r.errors == 4
    assert r.error_kinds == Counter({"ConnectionRefusedError": 4})
    assert not r.status_counts
    assert r.p99_ms == 0.0


def test_protocol_errors_and_timeouts_are_counted() -> None:
    async def scenario(port: int, state: ServerState) -> tuple[LoadResult, LoadResult]:
        garbage = await run_load("127.0.0.1", port, [get("/garbage")], concurrency=1, total=3)
        hang = await run_load(
            "127.0.0.1", port, [get("/hang")], concurrency=2, total=2, request_timeout_s=0.1
        )
        return garbage, hang

    garbage, hang = with_server(scenario)
    assert garbage.errors == 3
    assert garbage.error_kinds == Counter({"HTTPProtocolError": 3})
    assert hang.errors == 2
    assert hang.error_kinds == Counter({"TimeoutError": 2})


# --------------------------------------------------------------------------------------
# Guards
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "10.0.0.1",
        "192.168.1.10",
        "8.8.8.8",
        "0.0.0.0",
        "128.0.0.1",
        "::",
        "fe80::1",
        "2001:db8::1",
        "::ffff:10.0.0.1",
        "example.com",
        "localhost.example.com",
        "",
    ],
)
def test_non_loopback_hosts_are_refused(host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        check_loopback(host)
    with pytest.raises(ValueError, match="loopback"):
        load(host, 80, [get("/")], concurrency=1, total=1)
    with pytest.raises(ValueError, match="loopback"):
        start_server(["true"], {}, 8000, host=host)


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LocalHost"]
)
def test_loopback_hosts_are_accepted(host: str) -> None:
    check_loopback(host)


def test_localhost_target_works() -> None:
    async def scenario(port: int, state: ServerState) -> LoadResult:
        return await run_load("localhost", port, [get("/cl")], concurrency=1, total=5)

    r = with_server(scenario)
    assert (r.count, r.errors) == (5, 0)


def test_unbounded_run_is_refused() -> None:
    with pytest.raises(ValueError, match="unbounded"):
        load("127.0.0.1", 8000, [get("/")], concurrency=1)
    with pytest.raises(ValueError, match="unbounded"):
        asyncio.run(run_load("127.0.0.1", 8000, [get("/")], concurrency=4, warmup=10))


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        load("127.0.0.1", 8000, [get("/")], concurrency=0, total=1)
    with pytest.raises(ValueError):
        load("127.0.0.1", 8000, [], concurrency=1, total=1)
    with pytest.raises(ValueError):
        load("127.0.0.1", 8000, [get("/")], concurrency=1, duration_s=0)
    with pytest.raises(ValueError, match="spread_tries"):
        load("127.0.0.1", 8000, [get("/")], concurrency=1, total=1, spread_tries=0)


# --------------------------------------------------------------------------------------
# Request encoding, response parsing, formatting
# --------------------------------------------------------------------------------------


def test_request_encoding() -> None:
    wire = RequestSpec("post", "/x?a=1", {"Accept": "*/*"}, b"abc").encode("127.0.0.1:9")
    assert wire == (
        b"POST /x?a=1 HTTP/1.1\r\nHost: 127.0.0.1:9\r\nAccept: */*\r\nContent-Length: 3\r\n\r\nabc"
    )
    assert (
        RequestSpec("GET", "/", {"host": "h"}).encode("x:1") == b"GET / HTTP/1.1\r\nhost: h\r\n\r\n"
    )
    empty_post = RequestSpec("POST", "/", {}).encode("x:1")
    assert b"Content-Length: 0\r\n" in empty_post
    with pytest.raises(ValueError):
        RequestSpec("GET", "/", {"X-Evil": "a\r\nInjected: 1"}).encode("x:1")
    with pytest.raises(ValueError):
        RequestSpec("GET", "/a b", {}).encode("x:1")
    with pytest.raises(ValueError):
        RequestSpec("GET", "http://example.com/", {}).encode("x:1")


def parse(data: bytes, head_request: bool = False) -> tuple[int, int, bool]:
    async def main() -> tuple[int, int, bool]:
        reader = asyncio.StreamReader()
        reader.feed_data(data)
        reader.feed_eof()
        return await _read_response(reader, head_request)

    return asyncio.run(main())


def test_read_response_variants() -> None:
    assert parse(b"HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nabc") == (200, 3, True)
    assert parse(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc") == (
        200,
        3,
        False,
    )
    assert parse(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n") == (200, 0, False)
    assert parse(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n") == (
        200,
        0,
        True,
    )
    chunked = b"HTTP/1.1 201 Created\r\nTransfer-Encoding: gzip, chunked\r\n\r\n" + b"".join(CHUNKS)
    assert parse(chunked) == (201, 11, True)
    big = b"A" * 300
    chunked_big = (
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n12c\r\n" + big + b"\r\n0\r\n\r\n"
    )
    assert parse(chunked_big) == (200, 300, True)
    # Transfer-Encoding wins over Content-Length.
    both = b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    assert parse(both) == (200, 0, True)
    assert parse(b"HTTP/1.1 200 OK\r\n\r\nuntil close") == (200, 11, False)
    assert parse(b"HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n") == (304, 0, True)
    assert parse(b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n", head_request=True) == (
        200,
        0,
        True,
    )


def test_read_response_errors() -> None:
    with pytest.raises(ConnectionError):  # nothing at all: the "server closed" case
        parse(b"")
    with pytest.raises(asyncio.IncompleteReadError):
        parse(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")
    with pytest.raises(asyncio.IncompleteReadError):
        parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel")
    with pytest.raises(HTTPProtocolError):
        parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
    with pytest.raises(HTTPProtocolError):
        parse(b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")
    with pytest.raises(HTTPProtocolError):
        parse(b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab")
    with pytest.raises(HTTPProtocolError):
        parse(b"ICY 200 OK\r\n\r\n")
    with pytest.raises(HTTPProtocolError):
        parse(b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")


def test_format_result() -> None:
    r = LoadResult(
        count=5000,
        errors=0,
        status_counts=Counter({200: 5000}),
        error_kinds=Counter(),
        elapsed_s=6.157,
        requests_per_s=812.1,
        p50_ms=3.14,
        p90_ms=5.0,
        p95_ms=6.0,
        p99_ms=9.21,
        max_ms=20.0,
        mean_ms=3.5,
        body_bytes=0,
        connections=8,
    )
    assert format_result("officer lookup by CURP", r) == (
        "officer lookup by CURP: 5000 requests, 0 errors, 812 req/s, "
        "p50 3.1 ms, p95 6.0 ms, p99 9.2 ms"
    )


# --------------------------------------------------------------------------------------
# Server subprocess management, against the trivial server below
# --------------------------------------------------------------------------------------


def test_start_server_runs_and_stops_trivial_server() -> None:
    argv = [sys.executable, str(Path(__file__).resolve()), "--serve", "{port}"]
    with start_server(argv, {"PYTHONUNBUFFERED": "1"}, None, ready_path="/healthz") as server:
        assert server.process.poll() is None
        assert server.base_url == f"http://127.0.0.1:{server.port}"
        r = load(server.host, server.port, [get("/")], concurrency=4, total=500, warmup=20)
        print(format_result("trivial server", r))
    assert server.process.poll() is not None
    assert (r.count, r.errors) == (500, 0)
    assert "trivial server listening" in server.log_tail()


def test_start_server_reports_a_dead_server() -> None:
    argv = [sys.executable, "-c", "import sys; print('bye'); sys.exit(3)"]
    with pytest.raises(ServerStartError, match="code 3"):
        start_server(argv, {}, None, timeout_s=10)


def test_stop_escalates_to_sigkill(tmp_path: Path) -> None:
    script = (
        "import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print('ready', flush=True); time.sleep(60)"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
    proc.stdout.close()
    handle = ServerHandle(proc, "127.0.0.1", 1, tmp_path / "log")
    assert handle.stop(grace_s=0.2) == -signal.SIGKILL


def test_failing_request_factory_stops_the_run() -> None:
    def make(i: int) -> RequestSpec:
        if i == 7:
            raise LookupError("no such officer")
        return get("/cl")

    async def scenario(port: int, state: ServerState) -> int:
        with pytest.raises(LookupError):
            await run_load("127.0.0.1", port, make, concurrency=3, total=1000)
        workers = [t for t in asyncio.all_tasks() if "_worker" in repr(t.get_coro())]
        return len(workers)

    assert with_server(scenario) == 0


class _TrivialProtocol(asyncio.Protocol):
    """Answers every request head with a fixed 200; ignores request bodies (GET only)."""

    RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"

    def __init__(self) -> None:
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        n = self.buffer.count(b"\r\n\r\n")
        if n and self.transport is not None:
            self.buffer = self.buffer[self.buffer.rfind(b"\r\n\r\n") + 4 :]
            self.transport.write(self.RESPONSE * n)


async def _serve_trivial(port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(_TrivialProtocol, "127.0.0.1", port)
    print(f"trivial server listening on 127.0.0.1:{port}", flush=True)
    async with server:
        await server.serve_forever()


def _bench() -> None:
    argv = [sys.executable, str(Path(__file__).resolve()), "--serve", "{port}"]
    with start_server(argv, {}, None) as server:
        for concurrency in (1, 4, 8, 16, 32):
            r = load(
                server.host, server.port, [get("/")], concurrency=concurrency,
                duration_s=5.0, warmup=500,
            )  # fmt: skip
            print(format_result(f"trivial server, concurrency {concurrency}", r), flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--serve":
        asyncio.run(_serve_trivial(int(sys.argv[2])))
    elif sys.argv[1:] == ["--bench"]:
        _bench()
    else:
        sys.exit(__doc__)
