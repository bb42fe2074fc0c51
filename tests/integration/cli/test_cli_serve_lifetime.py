"""The checkpoint process of `confianza serve` ends with the server, however the server ends,
and two never work on one database at once (defect 4). Real processes: a server started as an
operator would, killed with SIGKILL or SIGTERM; checkpoint processes started as serve does."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from confianza.app.bootstrap import Container, build
from confianza.app.serve import SOLE_HOLDER, CheckpointProcess, CheckpointTask
from confianza.app.settings import Environment, Settings
from confianza.core.db.database import SoleHolder
from confianza.kit.signed_note import Signer

ORIGIN = "confianza.test/audit-log"
LINUX = sys.platform.startswith("linux")


def _wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    """Running (a zombie that nobody reaps has ended all the same)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.add(int(entry))
            except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
                continue
    return found


def _checkpointed(url: str) -> bool:
    built = build(Settings(environment=Environment.TEST, database_url=url))
    try:
        with built.uow().transaction(read_only=True) as tx:
            return tx.log.checkpoint() is not None
    finally:
        built.dispose()


def _held_elsewhere(holder: SoleHolder) -> bool:
    """Another process holds the lock (a probe that lets go at once of what it takes)."""
    if holder.try_acquire():
        holder.release()
        return False
    return True


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "serve.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def server(sqlite_url: str, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`confianza serve` on a test database, checkpointing every second, once its checkpoint
    process has signed (so that process is surely running)."""
    env = {**os.environ, "CONFIANZA_DATABASE_URL": sqlite_url, "CONFIANZA_ENVIRONMENT": "test",
           "CONFIANZA_LOG_ORIGIN": ORIGIN,
           "CONFIANZA_LOG_SIGNING_KEY": Signer.generate(ORIGIN).key_string(),
           "CONFIANZA_LOG_CHECKPOINT_SECONDS": "1", "CONFIANZA_PORT": str(_free_port()),
           "CONFIANZA_HOST": "127.0.0.1"}
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-c", "from confianza.app.console import run; run()", "serve"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        _wait_for(lambda: _checkpointed(sqlite_url) or process.poll() is not None, 60,
                  "the first checkpoint")
        assert process.poll() is None, (tmp_path / "serve.log").read_text()
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        log.close()


@pytest.mark.skipif(not LINUX, reason="reads the process table from /proc")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_the_checkpoint_process_ends_with_the_server(
    server: subprocess.Popen[bytes], how: signal.Signals
) -> None:
    children = _children(server.pid)
    assert children, "the server started no checkpoint process"
    server.send_signal(how)
    server.wait(30)
    _wait_for(lambda: not any(_alive(pid) for pid in children), 20,
              f"the server's children {children} end after {how.name}")


def _settings(url: str) -> Settings:
    key = Signer.generate(ORIGIN).key_string()
    return Settings(environment=Environment.TEST, database_url=url, log_origin=ORIGIN,
                    log_signing_key=SecretStr(key))


def test_a_second_checkpointer_waits_for_the_first(container: Container) -> None:
    settings = _settings(container.settings.database_url)
    first = CheckpointProcess(settings, 1)
    first.start()
    mine = container.sole_holder(SOLE_HOLDER)
    try:
        _wait_for(lambda: _held_elsewhere(mine), 30, "the first checkpointer holds the lock")
        # A second checkpointer on the same database, here in a thread: it never ticks while
        # the first lives.
        second_container = build(settings)
        ticks: list[float] = []
        task = CheckpointTask(second_container, 0.2)
        task.run_once = lambda: ticks.append(time.monotonic()) or None  # type: ignore[method-assign]
        stop = threading.Event()
        worker = threading.Thread(target=task.loop, args=(stop,))
        worker.start()
        time.sleep(1.5)
        assert ticks == []
        first.stop()
        # The first is gone, and the lock with it: the second takes over.
        _wait_for(lambda: bool(ticks), 30, "the second checkpointer takes over")
        stop.set()
        worker.join(30)
        second_container.dispose()
        assert not _held_elsewhere(mine)  # and it let go when it stopped
    finally:
        first.stop()
        mine.release()


@pytest.mark.skipif(not LINUX, reason="reads the process table from /proc")
def test_a_checkpointer_whose_server_was_killed_lets_go_of_the_lock(
    sqlite_url: str, tmp_path: Path
) -> None:
    """A server killed without cleanup: its checkpoint process ends, and the lock is free for
    the next server's."""
    script = (
        "import sys, time\n"
        "from confianza.app.serve import CheckpointProcess\n"
        "from confianza.app.settings import Settings, Environment\n"
        "from confianza.kit.signed_note import Signer\n"
        "from pydantic import SecretStr\n"
        f"s = Settings(environment=Environment.TEST, database_url={sqlite_url!r}, "
        f"log_origin={ORIGIN!r}, log_signing_key=SecretStr(Signer.generate({ORIGIN!r})"
        ".key_string()))\n"
        "p = CheckpointProcess(s, 1)\n"
        "p.start()\n"
        "print(p.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                              cwd=tmp_path)
    built = build(Settings(environment=Environment.TEST, database_url=sqlite_url))
    holder = built.sole_holder(SOLE_HOLDER)
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        _wait_for(lambda: _held_elsewhere(holder), 30, "the checkpointer holds the lock")
        parent.kill()
        parent.wait(30)
        _wait_for(lambda: not _alive(child), 20, "the orphaned checkpointer ends")
        assert not _held_elsewhere(holder)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        holder.release()
        built.dispose()
