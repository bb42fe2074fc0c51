"""The code at ceabecd and this code, side by side: officer profile, roster page, roster CSV.

    .venv/bin/python benchmarks/side_by_side.py
        [--chicago ../shared/data/chicago/roster_1985-2023.csv.gz]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
        [--rounds 3] [--seconds 10] [--clients 4] [--workers 2] [--old ceabecd] [--only new]

The figures of issue 15 compare this code with the code at commit ceabecd on one machine. Both
run here, each as its own installation: the old one in a git worktree at var/bench-ceabecd with
a venv of its own (made on first use, kept for the next runs), this one from the venv running
the script. Each builds its own registry with its own commands (`confianza officers import
--mapping chicago-roster` of the real Chicago roster with --chicago, otherwise `confianza
demo`) and its own schema: on SQLite (var/bench-side/) and, with --postgres, in databases
`confianza_side_old` and `confianza_side_new` the script creates and drops. Each gets a
national registry clerk, `bench.clerk`, who signs in through the login form as a browser does.

Then, for `--rounds` rounds, old and new in turn (old first in odd rounds, new first in even
ones, so that a machine that speeds up or slows down during the run favours neither), each
server is started with `confianza serve --workers 2` (CONFIANZA_ENVIRONMENT=development,
checkpoints every second, log level warning) and measured:

- the officer profile page, `--clients` keep-alive clients for `--seconds`, cycling over 200
  officers spread over the registry: requests per second, p50 and p95; the CPU time of the
  server's processes (supervisor, workers and checkpoint process; after the run until the
  checkpoint process has integrated what the run wrote) and, on PostgreSQL, of the database's
  backends, each per request; the audit entries written per request; the load generator's
  own CPU per request; what the rest of the machine used meanwhile. The clients' connections
  are spread evenly over the workers (which worker accepts a connection is the kernel's
  choice: without this, a run can put all four on one worker);
- the roster page of the agency with the most current officers, one client (the old code
  shows the whole roster on one page, the new one its first page): p50, p95, size;
- the roster's CSV download, when the roster page links to one (the old code has none).

Prints one line per measurement, then per database a table of the median of the rounds:
figure, old, new, new/old.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _httpload import LoadResult, RequestSpec, ServerHandle, load, start_server  # noqa: E402
from _procfs import (  # noqa: E402
    CpuMeter,
    connection_owners,
    machine_busy_seconds,
    memory_mb,
    postgres_backends,
    started,
    tree,
)
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
WORK = ROOT / "var" / "bench-side"
CLERK = "bench.clerk"
PASSWORD = "side-by-side-benchmark-2026"
PROFILES = 200  # officers the profile requests cycle over
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
HREF = re.compile(r'href="([^"]+)"')
# A check every quarter second; the run's work is done when a second passes with less than
# 20 ms of CPU in the server's processes (a checkpoint tick with nothing to do costs a few).
SETTLE_STEP, SETTLE_WINDOW, SETTLE_QUIET, SETTLE_MAX = 0.25, 1.0, 0.02, 60.0


@dataclass(frozen=True)
class Code:
    """One installation of Confianza: its sources, its command, where its servers run."""

    label: str  # "old" or "new"
    name: str  # what the table calls it
    root: Path
    cli: Path
    workdir: Path  # the servers' working directory (development keys in var/)


@dataclass(frozen=True)
class Database:
    kind: str  # "SQLite" or "PostgreSQL"
    url: str
    name: str  # the database (PostgreSQL) or file name, to find its backends


@dataclass
class Figures:
    """Each figure's value in each round, by database and code."""

    values: dict[tuple[str, str, str], list[float]] = field(default_factory=dict)

    def add(self, database: str, code: str, figure: str, value: float | None) -> None:
        if value is not None:
            self.values.setdefault((database, code, figure), []).append(value)

    def median(self, database: str, code: str, figure: str) -> float | None:
        found = self.values.get((database, code, figure))
        return statistics.median(found) if found else None


# The two installations -------------------------------------------------------------------


def _git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


def _call(argv: list[str], what: str, *, env: dict[str, str] | None = None,
          cwd: Path | None = None, stdin: str | None = None, timeout: float = 3600) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=cwd,
                          input=stdin, timeout=timeout,
                          stdin=subprocess.DEVNULL if stdin is None else None)
    if done.returncode != 0:
        raise SystemExit(f"{what} failed (exit {done.returncode}):\n{done.stdout[-2000:]}"
                         f"{done.stderr[-3000:]}")


def this_code() -> Code:
    """The code this script belongs to, run from the venv running it."""
    import confianza

    if not Path(confianza.__file__).resolve().is_relative_to(ROOT):
        raise SystemExit(f"this venv runs the confianza of {confianza.__file__}, not of {ROOT}: "
                         "run the script with the venv of its own checkout")
    head = _git("rev-parse", "--short", "HEAD")
    dirty = " + changes" if _git("status", "--porcelain", "--untracked-files=no") else ""
    cli = Path(sys.executable).parent / "confianza"
    return Code("new", f"{head}{dirty}", ROOT, cli, WORK / "new")


def old_code(commit: str) -> Code:
    """The code at `commit` in a worktree at var/bench-<commit> with a venv of its own, both
    made on first use and kept for the next runs."""
    try:
        full = _git("rev-parse", "--verify", f"{commit}^{{commit}}")
    except (subprocess.CalledProcessError, FileNotFoundError):
        raise SystemExit(f"commit {commit} is not in this checkout's history (git is needed, "
                         "with the history: a clone, not an archive)") from None
    where = ROOT / "var" / f"bench-{commit}"
    if not (where / ".git").exists():
        print(f"making a worktree of {commit} at {where}", flush=True)
        _git("worktree", "prune")
        _git("worktree", "add", "--detach", str(where), full)
    elif _git("rev-parse", "HEAD", cwd=where) != full:
        _git("checkout", "--detach", full, cwd=where)
    venv = where / ".venv"
    stamp = venv / ".bench-installed"
    if not stamp.exists() or stamp.read_text().strip() != full:
        print(f"installing {commit} into {venv} (once)", flush=True)
        _call([sys.executable, "-m", "venv", "--clear", str(venv)], "making its venv")
        _call([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "-e",
               str(where)], f"installing {commit}")
        stamp.write_text(full + "\n")
    return Code("old", commit, where, venv / "bin" / "confianza", WORK / "old")


def code_env(database: Database) -> dict[str, str]:
    """The environment a code's commands run in: none of the caller's CONFIANZA_* settings,
    development (its keys made on first use in the working directory)."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("CONFIANZA_") and name not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env.update({"CONFIANZA_ENVIRONMENT": "development", "CONFIANZA_DATABASE_URL": database.url,
                "CONFIANZA_LOG_CHECKPOINT_SECONDS": "1", "CONFIANZA_LOG_LEVEL": "warning"})
    return env


# The registries ------------------------------------------------------------------------------


@contextmanager
def databases(codes: list[Code], postgres: str | None) -> Iterator[dict[str, list[Database]]]:
    """Each code's databases: a fresh SQLite file and, with `postgres`, a fresh database on that
    server, dropped at the end."""
    made: dict[str, list[Database]] = {}
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT") if postgres else None
    created: list[str] = []
    try:
        for code in codes:
            code.workdir.mkdir(parents=True, exist_ok=True)
            path = code.workdir / "registry.db"
            for suffix in ("", "-wal", "-shm", "-writer.lock", "-checkpoints.lock"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            made[code.label] = [Database("SQLite", f"sqlite:///{path}", path.name)]
            if admin is not None:
                name = f"confianza_side_{code.label}"
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                    connection.execute(text(f'CREATE DATABASE "{name}"'))
                created.append(name)
                url = make_url(postgres).set(database=name)  # type: ignore[arg-type]
                made[code.label].append(
                    Database("PostgreSQL", url.render_as_string(hide_password=False), name))
        yield made
    finally:
        if admin is not None:
            with admin.connect() as connection:
                for name in created:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def build_registry(code: Code, database: Database, chicago: Path | None) -> float:
    """The registry, built by the code's own commands; returns the seconds the import (or the
    demo) took as a whole process."""
    env, cwd = code_env(database), code.workdir
    if chicago is not None:
        _call([str(code.cli), "db", "upgrade"], f"{code.name}: db upgrade", env=env, cwd=cwd)
        command = [str(code.cli), "officers", "import", str(chicago), "--mapping",
                   "chicago-roster", "--skip-invalid", "--rejects",
                   str(code.workdir / "chicago-rejects.csv")]
    else:
        command = [str(code.cli), "demo", "--scale", "demo"]
    started = time.perf_counter()
    _call(command, f"{code.name}: {' '.join(command[1:3])}", env=env, cwd=cwd)
    seconds = time.perf_counter() - started
    _call([str(code.cli), "users", "create", CLERK, "--role", "registry_clerk",
           "--display-name", "Benchmark clerk", "--password-stdin"],
          f"{code.name}: users create", env=env, cwd=cwd, stdin=PASSWORD + "\n")
    return seconds


@dataclass(frozen=True)
class Targets:
    officers: list[int]
    agency: int
    agency_officers: int


def targets(database: Database) -> Targets:
    """The officers whose profiles are read (spread over the registry by id) and the agency
    with the most current officers."""
    engine = create_engine(database.url)
    try:
        with engine.connect() as connection:
            ids = list(connection.execute(text("SELECT id FROM officers ORDER BY id")).scalars())
            agency, count = connection.execute(text(
                "SELECT agency_id, COUNT(DISTINCT officer_id) FROM assignments "
                "WHERE end_date IS NULL GROUP BY agency_id ORDER BY 2 DESC, 1 LIMIT 1")).one()
    finally:
        engine.dispose()
    step = max(1, len(ids) // PROFILES)
    return Targets(ids[::step][:PROFILES], int(agency), int(count))


def audit_entries(database: Database) -> int:
    engine = create_engine(database.url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT COUNT(*) FROM audit_entries")).scalar_one())
    finally:
        engine.dispose()


# A server and its measurements ---------------------------------------------------------------


@contextmanager
def serving(code: Code, database: Database, workers: int) -> Iterator[ServerHandle]:
    """`confianza serve --workers N` of the code, stopped at the end with everything it
    started (a code whose workers outlive a server stopped the hard way must not leave them
    running)."""
    help_text = subprocess.run([str(code.cli), "serve", "--help"], capture_output=True,
                               text=True, env=code_env(database)).stdout
    if "--workers" not in help_text:
        raise SystemExit(f"{code.name}: `confianza serve` has no --workers")
    argv = [str(code.cli), "serve", "--workers", str(workers), "--host", "127.0.0.1",
            "--port", "{port}"]
    server = start_server(argv, env=code_env(database), inherit_env=False, cwd=code.workdir,
                          timeout_s=180)
    everyone = {(pid, started(pid)) for pid in tree(server.process.pid)}
    try:
        yield server
    finally:
        everyone |= {(pid, started(pid)) for pid in tree(server.process.pid)}
        server.stop(grace_s=60)
        deadline = time.monotonic() + 30
        while (left := {pid for pid, since in everyone if since and started(pid) == since}) \
                and time.monotonic() < deadline:
            time.sleep(0.2)
        for pid in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


class Browser:
    """Cookies over plain requests, enough to sign in through the form."""

    def __init__(self, server: ServerHandle) -> None:
        self.server = server
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None
                ) -> tuple[int, bytes, dict[str, str]]:
        connection = http.client.HTTPConnection(self.server.host, self.server.port, timeout=120)
        headers = {"Cookie": self.cookie_header()} if self.cookies else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    pair = value.split(";", 1)[0]
                    key, _, cookie = pair.partition("=")
                    self.cookies[key.strip()] = cookie.strip()
            return response.status, content, dict(response.getheaders())
        finally:
            connection.close()

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def sign_in(self, username: str, password: str) -> None:
        status, page, _ = self.request("GET", "/login")
        token = CSRF_FIELD.search(page.decode())
        if status != 200 or token is None:
            raise SystemExit(f"the login page answered {status} without a CSRF field")
        status, page, _ = self.request("POST", "/login", {
            "username": username, "password": password, "csrf_token": token.group(1),
            "next": "/"})
        if status != 303:
            raise SystemExit(f"signing {username} in answered {status}: {page[:300]!r}")


@dataclass
class Measurement:
    profile: LoadResult
    server_cpu_s: float  # per profile
    postgres_cpu_s: float | None  # per profile
    audit_per_request: float
    server_cores: float  # the server's CPU during the run, in cores
    others_cores: float
    worker_rss_mb: float | None
    roster: LoadResult | None  # None for the bare server, which serves profiles only
    csv: LoadResult | None


class ProfileRun:
    """The profile load's meters: the clients' connections spread evenly over the workers,
    then the server's and the database's CPU, the audit trail and the machine measured from
    the first measured request until the server has finished the run's work."""

    def __init__(self, server: ServerHandle, database: Database, workers: int, clients: int
                 ) -> None:
        self.server, self.database = server, database
        self.workers, self.clients = workers, clients
        self.owners: set[int] = set()
        self.server_meter = CpuMeter(lambda: tree(server.process.pid))
        self.postgres_meter = (CpuMeter(lambda: postgres_backends(database.name))
                               if database.kind == "PostgreSQL" else None)
        self.entries = 0
        self.busy = 0.0

    def spread(self, ports: list[int]) -> bool:
        """True when every worker holds as many of the clients' connections, give or take
        one."""
        owners = connection_owners(self.server.port, ports, tree(self.server.process.pid))
        if None in owners:
            return False
        counts = Counter(owners)
        self.owners = {pid for pid in counts if pid is not None}
        return (len(counts) == min(self.workers, self.clients)
                and max(counts.values()) - min(counts.values()) <= 1)

    def start(self) -> None:
        self.entries = audit_entries(self.database)
        self.server_meter.start()
        if self.postgres_meter is not None:
            self.postgres_meter.start()
        self.busy = machine_busy_seconds()

    def finish(self, profile: LoadResult) -> tuple[float, float | None, float, float, float,
                                                    float | None]:
        """Per request: server CPU, PostgreSQL CPU, audit entries; then the server's and the
        other processes' CPU during the run (in cores) and the largest worker's memory."""
        busy = machine_busy_seconds() - self.busy
        serving = self.server_meter.sample()
        ours = (serving + profile.client_cpu_s
                + (self.postgres_meter.sample() if self.postgres_meter else 0.0))
        others = max(0.0, busy - ours) / profile.elapsed_s
        memory = [m[0] for pid in self.owners if (m := memory_mb(pid)) is not None]
        _settle(self.server_meter, self.postgres_meter)
        requests = max(1, profile.count)
        written = audit_entries(self.database) - self.entries
        return (self.server_meter.total / requests,
                self.postgres_meter.total / requests if self.postgres_meter else None,
                written / requests, serving / profile.elapsed_s, others,
                max(memory) if memory else None)


def measure(code: Code, database: Database, goal: Targets, options: argparse.Namespace
            ) -> Measurement:
    with serving(code, database, options.workers) as server:
        browser = Browser(server)
        browser.sign_in(CLERK, PASSWORD)
        cookie = {"Cookie": browser.cookie_header()}
        profiles = [RequestSpec("GET", f"/officers/{officer}", cookie)
                    for officer in goal.officers]
        # Every worker's first requests (templates compiled, pools filled) are left out.
        load(server.host, server.port, profiles, concurrency=2 * options.workers,
             total=25 * options.workers)
        run = ProfileRun(server, database, options.workers, options.clients)
        profile = load(server.host, server.port, profiles, concurrency=options.clients,
                       duration_s=options.seconds, warmup=5 * options.clients,
                       spread=run.spread, on_start=run.start)
        server_cpu, postgres_cpu, audit, cores, others, memory = run.finish(profile)

        roster_path = f"/agencies/{goal.agency}/roster"
        roster = load(server.host, server.port, [RequestSpec("GET", roster_path, cookie)],
                      concurrency=1, total=options.roster_requests, warmup=2)
        csv = None
        link = _csv_link(browser, roster_path, goal.agency)
        if link is not None:
            csv = load(server.host, server.port, [RequestSpec("GET", link, cookie)],
                       concurrency=1, total=3, warmup=1)
    return Measurement(profile, server_cpu, postgres_cpu, audit, cores, others, memory, roster,
                       csv)


def capture_bare(code: Code, database: Database, goal: Targets) -> Path:
    """The statements, audit entry and bytes of each profile page the new code serves, for
    the bare server (benchmarks/_bare_profile.py), captured in the code's own environment."""
    out = WORK / f"bare-{database.name}.json"
    _call([sys.executable, str(BENCH / "_bare_profile.py"), "capture", str(out), CLERK,
           PASSWORD, *map(str, goal.officers)], f"{code.name}: capturing the profile pages",
          env=code_env(database), cwd=code.workdir)
    return out


def measure_bare(code: Code, database: Database, goal: Targets, captured: Path,
                 options: argparse.Namespace) -> Measurement:
    """The profile load against the bare server: the same statements and bytes with this code
    taken out, under the same uvicorn and workers. Its audit entries are then integrated by
    the new code's command, off the clock, so that the next run starts with none waiting."""
    parts = make_url(database.url)
    dsn = (f"host={parts.host} port={parts.port or 5432} user={parts.username} "
           f"dbname={parts.database}" + (f" password={parts.password}" if parts.password else ""))
    argv = [sys.executable, "-m", "uvicorn", "_bare_profile:app", "--app-dir", str(BENCH),
            "--workers", str(options.workers), "--host", "127.0.0.1", "--port", "{port}",
            "--log-level", "warning"]
    env = {**code_env(database), "BARE_CAPTURE": str(captured), "BARE_DSN": dsn}
    server = start_server(argv, env=env, inherit_env=False, cwd=code.workdir, timeout_s=120)
    try:
        profiles = [RequestSpec("GET", f"/officers/{officer}") for officer in goal.officers]
        load(server.host, server.port, profiles, concurrency=2 * options.workers,
             total=25 * options.workers)
        run = ProfileRun(server, database, options.workers, options.clients)
        profile = load(server.host, server.port, profiles, concurrency=options.clients,
                       duration_s=options.seconds, warmup=5 * options.clients,
                       spread=run.spread, on_start=run.start)
        server_cpu, postgres_cpu, audit, cores, others, memory = run.finish(profile)
    finally:
        server.stop(grace_s=30)
    _call([str(code.cli), "audit", "integrate"], f"{code.name}: audit integrate",
          env=code_env(database), cwd=code.workdir)
    return Measurement(profile, server_cpu, postgres_cpu, audit, cores, others, memory,
                       None, None)


def _settle(*meters: CpuMeter | None) -> None:
    """Sample until the server's processes are quiet (the checkpoint process has integrated
    what the run wrote), so their CPU for the run is all counted."""
    history: list[tuple[float, float]] = []
    started = time.monotonic()
    while time.monotonic() - started < SETTLE_MAX:
        total = sum(meter.sample() for meter in meters if meter is not None)
        now = time.monotonic()
        history.append((now, total))
        earlier = [used for moment, used in history if moment <= now - SETTLE_WINDOW]
        if earlier and total - earlier[-1] < SETTLE_QUIET:
            return
        time.sleep(SETTLE_STEP)
    print(f"  (the server was still busy {SETTLE_MAX:g} s after the run)", flush=True)


def _csv_link(browser: Browser, roster_path: str, agency: int) -> str | None:
    """The roster page's link to its CSV download, if it has one."""
    status, page, _ = browser.request("GET", roster_path)
    if status != 200:
        return None
    for href in HREF.findall(page.decode(errors="replace")):
        target = html.unescape(href)
        if f"/agencies/{agency}" in target and "csv" in target.lower():
            return target
    return None


# The report ----------------------------------------------------------------------------------


def record(figures: Figures, database: Database, label: str, found: Measurement,
           options: argparse.Namespace) -> None:
    kind, p = database.kind, found.profile
    clients = options.clients
    figures.add(kind, label, f"officer profile, {clients} clients, req/s", p.requests_per_s)
    figures.add(kind, label, "officer profile p50, ms", p.p50_ms)
    figures.add(kind, label, "officer profile p95, ms", p.p95_ms)
    figures.add(kind, label, "server CPU per profile, ms", found.server_cpu_s * 1000)
    if found.postgres_cpu_s is not None:
        figures.add(kind, label, "PostgreSQL backends' CPU per profile, ms",
                    found.postgres_cpu_s * 1000)
    figures.add(kind, label, "audit entries per profile", found.audit_per_request)
    figures.add(kind, label, "load generator CPU per request, ms",
                p.client_cpu_s / max(1, p.count) * 1000)
    figures.add(kind, label, "memory per worker (RSS), MB", found.worker_rss_mb)
    if found.roster is not None:
        figures.add(kind, label, "roster page p50, ms", found.roster.p50_ms)
        figures.add(kind, label, "roster page p95, ms", found.roster.p95_ms)
        figures.add(kind, label, "roster page size, KB",
                    found.roster.body_bytes / max(1, found.roster.count) / 1000)
    if found.csv is not None:
        figures.add(kind, label, "roster CSV download p50, ms", found.csv.p50_ms)
        figures.add(kind, label, "roster CSV size, MB",
                    found.csv.body_bytes / max(1, found.csv.count) / 1e6)
    figures.add(kind, label, "server processes' CPU during the run, cores", found.server_cores)
    figures.add(kind, label, "other processes' CPU meanwhile, cores", found.others_cores)


def line(round_number: int, database: Database, label: str, name: str,
         found: Measurement) -> str:
    p, r = found.profile, found.roster
    problems = [f"{n} HTTP {s}" for s, n in p.status_counts.items() if not 200 <= s < 400]
    problems += [f"{n} {kind}" for kind, n in p.error_kinds.items()]
    csv = (f"CSV p50 {found.csv.p50_ms:.0f} ms, "
           f"{found.csv.body_bytes / max(1, found.csv.count) / 1e6:.1f} MB"
           if found.csv is not None else "no CSV link")
    postgres = (f", PostgreSQL {found.postgres_cpu_s * 1000:.2f} ms/req"
                if found.postgres_cpu_s is not None else "")
    roster = ("no roster" if r is None else f"roster p50 {r.p50_ms:.0f} ms, p95 "
              f"{r.p95_ms:.0f} ms, {r.body_bytes / max(1, r.count) / 1000:.0f} KB")
    return (f"[round {round_number}] {database.kind} {label} ({name}): profile "
            f"{p.count} in {p.elapsed_s:.1f} s = {p.requests_per_s:.0f} req/s, "
            f"p50 {p.p50_ms:.1f} ms, p95 {p.p95_ms:.1f} ms"
            f"{' (' + ', '.join(problems) + ')' if problems else ''}; server CPU "
            f"{found.server_cpu_s * 1000:.2f} ms/req{postgres}; "
            f"{found.audit_per_request:.2f} audit entries/req; client CPU "
            f"{p.client_cpu_s / max(1, p.count) * 1000:.2f} ms/req; server "
            f"{found.server_cores:.2f} cores, others "
            f"{found.others_cores:.2f} cores | {roster} | {csv}")


def table(figures: Figures, kinds: list[str], codes: list[Code], rounds: int) -> str:
    names = {code.label: code.name for code in codes}
    out = []
    for kind in kinds:
        out.append(f"\n{kind}, median of {rounds} round(s)\n")
        bare = any(k == kind and code == "bare" for (k, code, _figure) in figures.values)
        out.append(f"| figure | old ({names.get('old', '-')}) | new ({names.get('new', '-')}) "
                   "| new/old |" + (" bare (this code taken out) | new/bare |" if bare else ""))
        out.append("|---|---|---|---|" + ("---|---|" if bare else ""))
        seen = []
        for (k, _code, figure) in figures.values:
            if k == kind and figure not in seen:
                seen.append(figure)
        for figure in seen:
            old = figures.median(kind, "old", figure)
            new = figures.median(kind, "new", figure)
            ratio = f"{new / old:.2f}" if old and new is not None else "-"
            row = f"| {figure} | {_number(old)} | {_number(new)} | {ratio} |"
            if bare:
                ceiling = figures.median(kind, "bare", figure)
                share = f"{new / ceiling:.2f}" if ceiling and new is not None else "-"
                row += f" {_number(ceiling)} | {share} |"
            out.append(row)
    return "\n".join(out)


def _number(value: float | None) -> str:
    if value is None:
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chicago", type=Path, help="roster_1985-2023.csv(.gz) to import")
    parser.add_argument("--postgres", help="an admin URL of a PostgreSQL server to run on too")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--roster-requests", type=int, default=20)
    parser.add_argument("--old", default="ceabecd", help="the commit to compare with")
    parser.add_argument("--only", choices=["old", "new"], help="measure one code alone")
    parser.add_argument("--no-bare", dest="bare", action="store_false",
                        help="leave out the bare server (the profile with this code taken "
                        "out, PostgreSQL only)")
    options = parser.parse_args()
    if options.chicago is not None and not options.chicago.is_file():
        parser.error(f"--chicago {options.chicago}: no such file")
    if options.chicago is not None:
        # Each code imports from its own working directory.
        options.chicago = options.chicago.resolve()
    if min(options.rounds, options.clients, options.workers, options.roster_requests) < 1 \
            or options.seconds <= 0:
        parser.error("--rounds, --clients, --workers, --roster-requests and --seconds must be "
                     "positive")
    if not sys.platform.startswith("linux"):
        parser.error("the server's CPU is read from /proc: Linux only")
    if shutil.which("git") is None:
        parser.error("git is needed to check out the old code")

    codes = []
    if options.only != "old":
        codes.append(this_code())
    if options.only != "new":
        codes.insert(0, old_code(options.old))
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; codes: "
          + ", ".join(f"{c.label} = {c.name}" for c in codes), flush=True)

    figures = Figures()
    with databases(codes, options.postgres) as made:
        goals: dict[tuple[str, str], Targets] = {}
        for code in codes:
            for database in made[code.label]:
                seconds = build_registry(code, database, options.chicago)
                what = "import of the Chicago roster" if options.chicago else "demo build"
                figures.add(database.kind, code.label, f"{what} (whole process, 1 run), s",
                            seconds)
                goal = goals[(code.label, database.kind)] = targets(database)
                print(f"{database.kind} {code.label}: {what} {seconds:.1f} s; roster of agency "
                      f"{goal.agency}, {goal.agency_officers:,} current officers", flush=True)
        kinds = [database.kind for database in made[codes[0].label]]
        captured: dict[tuple[str, str], Path] = {}
        for code in codes:
            for database in made[code.label]:
                if code.label == "new" and database.kind == "PostgreSQL" and options.bare:
                    captured[(database.name, code.label)] = capture_bare(
                        code, database, goals[(code.label, database.kind)])
        for round_number in range(1, options.rounds + 1):
            order = codes if round_number % 2 else list(reversed(codes))
            for kind in kinds:
                for code in order:
                    database = next(d for d in made[code.label] if d.kind == kind)
                    found = measure(code, database, goals[(code.label, kind)], options)
                    record(figures, database, code.label, found, options)
                    print(line(round_number, database, code.label, code.name, found),
                          flush=True)
                    if (database.name, code.label) in captured:
                        found = measure_bare(code, database, goals[(code.label, kind)],
                                             captured[(database.name, code.label)], options)
                        record(figures, database, "bare", found, options)
                        print(line(round_number, database, "bare", "this code taken out",
                                   found), flush=True)
    print(table(figures, kinds, codes, options.rounds))
    print("\nnew/old: above 1 is more of the figure in the new code (good for req/s, bad for "
          "times, CPU and sizes). bare: the same statements and page bytes served by the driver "
          "and a bare ASGI callable under the same uvicorn (benchmarks/_bare_profile.py): the "
          "ceiling this machine allows the profile's work; new/bare is the share of it this "
          "code reaches.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
