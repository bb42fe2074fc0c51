"""`confianza serve --workers N`: N processes answer on one port, each with its own connections,
beside ONE checkpoint process; all of them end with the server, however it ends.

Real processes, found in /proc (no pid is published by the server for this): which process
answered a request is the one holding the server's end of that request's TCP connection, and
which process holds a database connection or the checkpoint lock is read the same way.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from confianza.app.bootstrap import Container, build
from confianza.app.console import main
from confianza.app.serve import (
    CHECKPOINT_NAME,
    CONNECTIONS_PER_WORKER,
    MAX_WORKERS,
    SOLE_HOLDER,
    WORKER_NAME,
    warn_of_connections,
)
from confianza.app.settings import Environment, Settings
from confianza.kit.signed_note import Signer

ORIGIN = "confianza.test/audit-log"
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads the process table from /proc")


# The process table -------------------------------------------------------------------------


def _wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        time.sleep(0.1)


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the name (state first), or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None


def _alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def _descendants(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))) is not None:
            parents[int(entry)] = int(fields[1])
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _comm(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm") as comm:
            return comm.read().strip()
    except FileNotFoundError:
        return ""


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read().replace(b"\0", b" ").decode(errors="replace")
    except FileNotFoundError:
        return ""


def _tcp_inode(local_port: int, remote_port: int) -> int | None:
    """The socket inode of the established loopback connection from local_port to
    remote_port, as seen from that end."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as rows:
                next(rows)
                for row in rows:
                    fields = row.split()
                    local, remote, state = fields[1], fields[2], fields[3]
                    if (state == "01" and int(local.rsplit(":", 1)[1], 16) == local_port
                            and int(remote.rsplit(":", 1)[1], 16) == remote_port):
                        return int(fields[9])
        except FileNotFoundError:
            continue
    return None


def _holders(inode: int, among: set[int]) -> set[int]:
    """The processes among `among` with a descriptor on socket `inode`."""
    wanted = f"socket:[{inode}]"
    found = set()
    for pid in among:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    if os.readlink(f"/proc/{pid}/fd/{fd}") == wanted:
                        found.add(pid)
                        break
                except OSError:
                    continue
        except OSError:
            continue
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# The server ----------------------------------------------------------------------------------


class Server:
    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.process, self.port, self.log = process, port, log

    def answers(self) -> bool:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            connection.request("GET", "/healthz")
            return connection.getresponse().status == 200
        except OSError:
            return False
        finally:
            connection.close()

    def answering_processes(self, wanted: int, seconds: float = 90.0) -> set[int]:
        """The processes that answered requests on kept-alive connections, opened until
        `wanted` distinct ones answered or `seconds` passed (the kernel hands each new
        connection to whichever worker accepts it first; on a loaded machine a worker still
        starting takes none for a while, so this keeps asking, a little apart)."""
        tree = _descendants(self.process.pid) | {self.process.pid}
        answered: set[int] = set()
        open_connections = []
        deadline = time.monotonic() + seconds
        try:
            while time.monotonic() < deadline:
                if len(open_connections) >= 50:
                    for connection in open_connections:
                        connection.close()
                    open_connections.clear()
                    time.sleep(0.2)
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                open_connections.append(connection)
                connection.request("GET", "/healthz")
                response = connection.getresponse()
                assert response.status == 200
                response.read()
                assert connection.sock is not None
                inode = _tcp_inode(self.port, connection.sock.getsockname()[1])
                assert inode is not None, "the server's end of the connection is not listed"
                holders = _holders(inode, tree)
                assert len(holders) == 1, f"connection held by {holders}"
                answered |= holders
                if len(answered) >= wanted:
                    break
        finally:
            for connection in open_connections:
                connection.close()
        return answered


def _checkpointed(url: str) -> bool:
    built = build(Settings(environment=Environment.TEST, database_url=url))
    try:
        with built.uow().transaction(read_only=True) as tx:
            return tx.log.checkpoint() is not None
    finally:
        built.dispose()


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    started: list[Server] = []

    def start(url: str, *args: str) -> Server:
        port = _free_port()
        env = {**os.environ, "CONFIANZA_DATABASE_URL": url, "CONFIANZA_ENVIRONMENT": "test",
               "CONFIANZA_LOG_ORIGIN": ORIGIN,
               "CONFIANZA_LOG_SIGNING_KEY": Signer.generate(ORIGIN).key_string(),
               "CONFIANZA_LOG_CHECKPOINT_SECONDS": "1", "CONFIANZA_PORT": str(port),
               "CONFIANZA_HOST": "127.0.0.1"}
        log = tmp_path / f"serve-{len(started)}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-c", "from confianza.app.console import run; run()", "serve",
                 *args], env=env, stdout=out, stderr=subprocess.STDOUT, cwd=tmp_path)
        server = Server(process, port, log)
        started.append(server)
        _wait_for(lambda: server.answers() or process.poll() is not None, 90,
                  "the server answers")
        _wait_for(lambda: _checkpointed(url) or process.poll() is not None, 60,
                  "the first checkpoint")
        assert process.poll() is None, log.read_text()
        return server

    yield start
    for server in started:
        everyone = _descendants(server.process.pid)
        if server.process.poll() is None:
            server.process.kill()
        server.process.wait()
        # Nothing is left behind, even by a test that failed half-way.
        _wait_for(lambda everyone=everyone: not any(_alive(p) for p in everyone), 30,
                  "the server's processes end")


# Tests ---------------------------------------------------------------------------------------


def _roles(server: Server) -> tuple[set[int], set[int], set[int]]:
    """The server's workers, checkpoint processes and anything else it started (Python's
    resource tracker aside)."""
    tree = _descendants(server.process.pid)
    workers = {pid for pid in tree if _comm(pid) == WORKER_NAME}
    checkpoints = {pid for pid in tree if _comm(pid) == CHECKPOINT_NAME}
    others = {pid for pid in tree - workers - checkpoints
              if "multiprocessing.resource_tracker" not in _cmdline(pid)}
    return workers, checkpoints, others


def _sqlite_lock_holders(database: str) -> set[int]:
    """The processes holding the checkpoint lock's flock, from /proc/locks."""
    inode = os.stat(f"{database}-{SOLE_HOLDER}.lock").st_ino
    holders = set()
    with open("/proc/locks") as locks:
        for line in locks:
            fields = line.split()
            if "FLOCK" in fields and "->" not in fields and fields[-3].endswith(f":{inode}"):
                holders.add(int(fields[-4]))
    return holders


def _postgres_backends(url: str) -> dict[int, tuple[int, bool]]:
    """Each backend of the database but this query's: its client port, and whether it holds
    an advisory lock (the checkpoint lock is the only one the server takes)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT a.pid, a.client_port, EXISTS (SELECT 1 FROM pg_locks l WHERE "
                "l.pid = a.pid AND l.locktype = 'advisory' AND l.granted) FROM "
                "pg_stat_activity a WHERE a.datname = current_database() AND "
                "a.pid <> pg_backend_pid() AND a.client_port IS NOT NULL")).all()
    finally:
        engine.dispose()
    return {int(pid): (int(port), bool(locked)) for pid, port, locked in rows}


def test_two_workers_answer_beside_one_checkpoint_process(
    database_url: str, start_server: Callable[..., Server]
) -> None:
    server = start_server(database_url, "--workers", "2")
    workers, checkpoints, others = _roles(server)
    assert len(workers) == 2 and len(checkpoints) == 1 and not others, (workers, checkpoints,
                                                                           others)
    # Requests are answered by both workers, neither of them the supervising process.
    assert server.answering_processes(2) == workers
    # The workers started nothing of their own: no checkpoint process beside each.
    assert not any(_descendants(pid) for pid in workers)

    checkpointer = next(iter(checkpoints))
    parsed = make_url(database_url)
    if parsed.get_backend_name() == "sqlite":
        assert parsed.database is not None
        assert _sqlite_lock_holders(parsed.database) == {checkpointer}
        return
    # PostgreSQL: every backend is one process's own connection (none shared across a
    # fork), each worker has its pool, and the one advisory lock is the checkpoint process's.
    tree = _descendants(server.process.pid)
    owners: dict[int, set[int]] = {}
    for backend, (port, locked) in _postgres_backends(database_url).items():
        inode = _tcp_inode(port, parsed.port or 5432)
        if inode is None:
            continue  # a backend that ended between the two reads
        holders = _holders(inode, tree)
        assert len(holders) == 1, f"backend {backend}'s connection is held by {holders}"
        owners.setdefault(next(iter(holders)), set()).add(backend)
        if locked:
            assert holders == {checkpointer}
    assert workers <= set(owners), f"workers {workers}; connections held by {owners}"


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL, signal.SIGINT])
def test_the_workers_end_with_the_server(
    database_url: str, start_server: Callable[..., Server], how: signal.Signals
) -> None:
    """Asked to stop, the server stops every process it started and exits cleanly; killed
    without cleanup, its workers and checkpoint process notice and end by themselves (they
    would otherwise keep the port, serving with no checkpoints)."""
    server = start_server(database_url, "--workers", "2")
    everyone = _descendants(server.process.pid)
    assert len(everyone) >= 3
    server.process.send_signal(how)
    code = server.process.wait(60)
    _wait_for(lambda: not any(_alive(pid) for pid in everyone), 30,
              f"the server's processes {everyone} end after {how.name}")
    assert not server.answers()
    if how is signal.SIGTERM:
        assert code == 0, server.log.read_text()[-3000:]


def test_a_worker_started_by_hand_watches_nothing() -> None:
    """uvicorn run by hand on the workers' app (no spawning server above it): the app is
    built as usual and no watch ends it."""
    from confianza.app import serve

    assert serve.multiprocessing.parent_process() is None  # this test process is no worker
    serve._stop_with_server()  # returns at once, starting nothing


@pytest.mark.parametrize(("args", "env", "message"), [
    (["--workers", "0"], {}, "--workers 0: a server needs at least 1 worker process"),
    (["--workers", "-2"], {}, "--workers -2: a server needs at least 1 worker process"),
    (["--workers", "65"], {}, "--workers 65: at most 64"),
    ([], {"CONFIANZA_WORKERS": "0"}, "CONFIANZA_WORKERS 0: a server needs at least 1"),
    ([], {"CONFIANZA_WORKERS": "100"}, "CONFIANZA_WORKERS 100: at most 64"),
    (["--workers", "2", "--reload"], {}, "--reload and --workers exclude each other"),
    (["--workers", "two"], {}, "Invalid value for '--workers'"),
    ([], {"CONFIANZA_WORKERS": "many"}, "bad setting: CONFIANZA_WORKERS"),
])
def test_a_bad_number_of_workers_is_one_clear_line(
    args: list[str], env: dict[str, str], message: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", f"sqlite:///{tmp_path / 'unused.db'}")
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code = main(["serve", *args])
    printed = capsys.readouterr().err
    assert code in {1, 2}
    assert message in printed and "Traceback" not in printed
    assert printed.count("\n") == 1, printed
    assert not (tmp_path / "unused.db").exists()  # refused before anything was opened


def test_more_pools_than_postgresql_accepts_are_warned_of(
    container: Container, capsys: pytest.CaptureFixture[str]
) -> None:
    """N workers' pools against the server's max_connections: a warning on PostgreSQL when
    they could outgrow it (SQLite has no such limit)."""
    warn_of_connections(container, 2)
    assert capsys.readouterr().err == ""
    warn_of_connections(container, MAX_WORKERS)
    printed = capsys.readouterr().err
    if container.engine.dialect.name == "postgresql":
        wanted = MAX_WORKERS * CONNECTIONS_PER_WORKER + 2
        assert f"{MAX_WORKERS} workers may open up to {wanted} connections" in printed
        assert "max_connections" in printed
    else:
        assert printed == ""
