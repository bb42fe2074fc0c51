"""SQLite's writers queue on one lock across threads and processes (persistence.WriterLock)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from confianza.core.db.database import WriterLock

# Another process's attempt to take the lock without waiting: prints "taken" or "busy".
TRY = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
try:
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    print("taken")
except BlockingIOError:
    print("busy")
"""


def _other_process(lock_file: Path) -> str:
    result = subprocess.run([sys.executable, "-c", TRY, str(lock_file)], capture_output=True,
                            text=True, check=True)
    return result.stdout.strip()


def test_another_process_waits_while_a_write_is_under_way(tmp_path: Path) -> None:
    database = tmp_path / "registry.db"
    lock = WriterLock(str(database))
    lock_file = tmp_path / "registry.db-writer.lock"
    with lock:
        assert _other_process(lock_file) == "busy"
    assert _other_process(lock_file) == "taken"
    with lock:  # and again: the lock is held per write, not for good
        assert _other_process(lock_file) == "busy"


def test_threads_of_one_process_take_turns(tmp_path: Path) -> None:
    lock = WriterLock(str(tmp_path / "registry.db"))
    inside = 0
    most = 0
    guard = threading.Lock()

    def writer() -> None:
        nonlocal inside, most
        for _ in range(200):
            with lock:
                with guard:
                    inside += 1
                    most = max(most, inside)
                with guard:
                    inside -= 1

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == 1


def test_an_in_memory_database_needs_no_file(tmp_path: Path) -> None:
    with WriterLock(":memory:"):
        pass
    with WriterLock(None):
        pass
    assert list(tmp_path.iterdir()) == []
