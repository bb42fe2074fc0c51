"""What the server benchmarks read from /proc (Linux): the CPU time of a process tree or of a
database's PostgreSQL backends, which process holds a TCP connection, a process's memory, and
how busy the whole machine was.

CPU time, not wall time, is what a request costs whatever else the machine runs; reading it
from /proc needs no help from the server (it publishes no pid) and counts every process of it:
the supervisor, its workers, the checkpoint process.

A sibling module, imported by name (run_all.py runs each benchmark as a file, so this folder is
first on the import path, as for _httpload.py).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
#: A PostgreSQL backend's title: "postgres: [cluster: ]user database client state".
BACKEND_TITLE = re.compile(r"^postgres: (?:\S+: )?\S+ (\S+) ")


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state first), or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].decode().split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None


def _pids() -> list[int]:
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU seconds the process has used, or None when it is gone."""
    fields = _stat(pid)
    if fields is None:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def started(pid: int) -> int | None:
    """When the process started (clock ticks since boot): with its pid, it names a process
    even after its pid is given to another."""
    fields = _stat(pid)
    if fields is None or fields[0] == "Z":
        return None
    return int(fields[19])


def tree(root: int) -> set[int]:
    """`root` and every process below it."""
    parents: dict[int, int] = {}
    for pid in _pids():
        fields = _stat(pid)
        if fields is not None:
            parents[pid] = int(fields[1])
    found = {root}
    frontier = {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as text:
            return text.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except (FileNotFoundError, ProcessLookupError):
        return ""


def postgres_backends(database: str) -> set[int]:
    """The server processes serving connections to `database` (their titles name it)."""
    found = set()
    for pid in _pids():
        match = BACKEND_TITLE.match(cmdline(pid))
        if match is not None and match.group(1) == database:
            found.add(pid)
    return found


class CpuMeter:
    """CPU seconds used by a set of processes that may change between readings (workers
    replaced, backends opened): each `sample` adds what every selected process used since it
    was last seen, a process first seen counting from zero (it began after the last sample),
    so sample often enough that none ends unseen."""

    def __init__(self, select: Callable[[], set[int]]) -> None:
        self._select = select
        self._seen: dict[int, float] = {}
        self.total = 0.0

    def start(self) -> CpuMeter:
        self._seen = {pid: used for pid in self._select()
                      if (used := cpu_seconds(pid)) is not None}
        self.total = 0.0
        return self

    def sample(self) -> float:
        """Add the CPU used since the last sample; return the total since `start`."""
        for pid in self._select():
            used = cpu_seconds(pid)
            if used is None:
                continue
            self.total += used - self._seen.get(pid, 0.0)
            self._seen[pid] = used
        return self.total


def machine_busy_seconds() -> float:
    """CPU seconds all CPUs have spent busy (not idle, not waiting on I/O) since boot."""
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / CLOCK_TICKS


def memory_mb(pid: int) -> tuple[float, float] | None:
    """Resident and proportional (shared pages split among their users) memory, in MB."""
    values: dict[str, float] = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                name, _, rest = line.partition(":")
                if name in {"Rss", "Pss"}:
                    values[name] = int(rest.split()[0]) / 1024
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    if "Rss" not in values or "Pss" not in values:
        return None
    return values["Rss"], values["Pss"]


def tcp_inode(local_port: int, remote_port: int) -> int | None:
    """The socket inode of the established connection from `local_port` to `remote_port`,
    as seen from that end."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as rows:
                next(rows)
                for row in rows:
                    fields = row.split()
                    if (fields[3] == "01"
                            and int(fields[1].rsplit(":", 1)[1], 16) == local_port
                            and int(fields[2].rsplit(":", 1)[1], 16) == remote_port):
                        return int(fields[9])
        except FileNotFoundError:
            continue
    return None


def socket_holders(inode: int, among: set[int]) -> set[int]:
    """The processes among `among` with a descriptor on socket `inode`."""
    wanted = f"socket:[{inode}]"
    found = set()
    for pid in among:
        try:
            descriptors = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in descriptors:
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == wanted:
                    found.add(pid)
                    break
            except OSError:
                continue
    return found


def connection_owners(server_port: int, client_ports: list[int], among: set[int]
                      ) -> list[int | None]:
    """For each client connection to `server_port` on this machine, the process among `among`
    that holds the server's end of it (None when none does)."""
    owners: list[int | None] = []
    for client in client_ports:
        inode = tcp_inode(server_port, client)
        holders = socket_holders(inode, among) if inode is not None else set()
        owners.append(next(iter(holders)) if len(holders) == 1 else None)
    return owners
