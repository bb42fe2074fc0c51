"""The officer profile page served by uvicorn: requests per second with 4 clients, and the
server's CPU per profile (issue 15: at least 5x the 120 req/s SQLite, 73 PostgreSQL of commit
ceabecd, and under 2 ms of server CPU per profile).

    .venv/bin/python benchmarks/profile_page.py [--db var/bench-profile.db] [--rebuild]
        [--postgres URL] [--requests 4000] [--concurrency 4] [--workers 1] [--rounds 3]
        [--py-spy FILE]

Builds (once, then reuses) the demo-scale registry (~12,000 officers with careers, evaluations
and certificates) in `--db`, or in the PostgreSQL database `--postgres` names (built when it
holds no officers; to build it again, drop and create that database). Makes a national
registry clerk (who sees every section of the profile: identity, postings, badges,
certification and evaluations),
starts the app under uvicorn (`--workers`, as `confianza serve --workers` would), signs the
clerk in through the login form, and sends `--concurrency` keep-alive clients round-robin over
the 200 officers with the longest records, each request a whole page, session check and audit
entry included. `--rounds` measured runs; each prints req/s, latency percentiles and the CPU the
server's processes (uvicorn and its workers, read from /proc) spent per request. The median of
the rounds closes the run. The load generator runs in this process and shares the 2 cores: the
figures are those of the whole machine serving and asking.

With `--py-spy FILE` (py-spy installed in the environment; it needs root), the first round is
also sampled by py-spy (`record --format raw`, idle threads left out, the workers too; the
process paused for each sample, so that no stack is read half-changed), the raw
stacks kept in FILE, and a table printed of where the server's time went: each sample is put in
the first slice whose function is on its stack (the audit entry's append and commit, the page's
rendering, the session check, the use case's reads, the thread pool's hops, FastAPI's routing,
dependencies and middleware, and what is left: uvicorn, HTTP and the event loop), in ms of CPU
per request (the slice's share of the samples times the round's CPU per request). Sampling
costs the server some CPU of its own: that round's figures are not comparable with the others.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).parent))

from _httpload import RequestSpec, ServerHandle, format_result, load, start_server, uvicorn_argv  # noqa: E402
from sqlalchemy import create_engine, inspect, text  # noqa: E402

from confianza.core.db import migrate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CONFIANZA = str(Path(sys.executable).parent / "confianza")
USERNAME = "bench.profile.clerk"
PASSWORD = "benchmark-password-2026"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
# The officers with the longest records: postings, badges, evaluations and certificates.
LONGEST = """
SELECT o.id, o.given_names,
       (SELECT COUNT(*) FROM assignments a WHERE a.officer_id = o.id)
       + (SELECT COUNT(*) FROM badges b WHERE b.officer_id = o.id)
       + (SELECT COUNT(*) FROM evaluations e WHERE e.officer_id = o.id)
       + (SELECT COUNT(*) FROM cup_certificates c WHERE c.officer_id = o.id) AS facts
FROM officers o ORDER BY facts DESC, o.id LIMIT 200
"""
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def run(command: list[str], url: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONFIANZA_ENVIRONMENT": "development", "CONFIANZA_DATABASE_URL": url}
    return subprocess.run(command, env=env, check=True, text=True, **kwargs)  # type: ignore[call-overload,no-any-return]


def prepare(url: str, build: bool) -> list[tuple[int, str]]:
    """The registry built when asked, the clerk made when missing; the officers to read."""
    if build:
        print(f"building the demo-scale registry in {url} ...", flush=True)
        started = time.perf_counter()
        run([CONFIANZA, "demo", "--scale", "demo", "--replace", "--yes"], url,
            stdout=subprocess.DEVNULL)
        print(f"built in {time.perf_counter() - started:.1f} s", flush=True)
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            known = connection.execute(text("SELECT COUNT(*) FROM users WHERE username = :u"),
                                       {"u": USERNAME}).scalar_one()
            officers = [(int(i), str(name)) for i, name, _ in
                        connection.execute(text(LONGEST)).all()]
            total = connection.execute(text("SELECT COUNT(*) FROM officers")).scalar_one()
    finally:
        engine.dispose()
    if not known:
        run([CONFIANZA, "users", "create", USERNAME, "--role", "registry_clerk",
             "--display-name", "Benchmark clerk", "--password-stdin"], url,
            input=PASSWORD + "\n", stdout=subprocess.DEVNULL)
    print(f"registry: {total:,} officers; reading the {len(officers)} longest records")
    return officers


def populated(url: str) -> bool:
    """Whether the database already holds a registry with officers."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("officers"):
                return False
            return bool(connection.execute(text("SELECT COUNT(*) FROM officers")).scalar_one())
    finally:
        engine.dispose()


def current(url: str) -> bool:
    """Whether the registry's schema is the one this code migrates to."""
    engine = create_engine(url)
    try:
        return migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()


def sign_in(server: ServerHandle) -> str:
    """The session cookie of the clerk, signed in through the form as a browser does."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        connection.request("GET", "/login")
        answer = connection.getresponse()
        page = answer.read().decode()
        login_cookie = _cookie(answer.getheader("set-cookie") or "", "confianza_login_csrf")
        field = CSRF_FIELD.search(page)
        assert field is not None and login_cookie, "the login page carries no CSRF token"
        form = urlencode({"username": USERNAME, "password": PASSWORD,
                          "csrf_token": field.group(1), "next": "/"})
        connection.request("POST", "/login", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"confianza_login_csrf={login_cookie}"})
        answer = connection.getresponse()
        answer.read()
        session = _cookie(", ".join(answer.headers.get_all("set-cookie") or []),
                          "confianza_session")
        assert answer.status == 303 and session, f"sign-in failed: HTTP {answer.status}"
        return session
    finally:
        connection.close()


def _cookie(header: str, name: str) -> str:
    found = re.search(rf"{name}=([^;,\s]+)", header)
    return found.group(1) if found else ""


def check_page(server: ServerHandle, cookie: str, officer_id: int, name: str) -> int:
    """One page read before the load: it must be the profile, not a sign-in redirect."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        connection.request("GET", f"/officers/{officer_id}", headers={"Cookie": cookie})
        answer = connection.getresponse()
        body = answer.read().decode()
    finally:
        connection.close()
    assert answer.status == 200 and name in body, (answer.status, body[:300])
    return len(body)


def tree_cpu(pid: int) -> tuple[float, float]:
    """CPU seconds (user, system) of a process and all its live descendants, from /proc."""
    children: dict[int, list[int]] = {}
    times: dict[int, tuple[float, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue  # ended meanwhile
        # The command name may hold spaces and parentheses: fields count from the last ")".
        fields = stat[stat.rindex(")") + 2:].split()
        parent = int(fields[1])
        children.setdefault(parent, []).append(int(entry))
        times[int(entry)] = (int(fields[11]) / CLOCK_TICKS, int(fields[12]) / CLOCK_TICKS)
    user = system = 0.0
    stack = [pid]
    while stack:
        current = stack.pop()
        spent = times.get(current, (0.0, 0.0))
        user, system = user + spent[0], system + spent[1]
        stack += children.get(current, [])
    return user, system


# Where a sample's time goes: the first slice one of whose functions is on its stack.
SLICES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("audit entry: append and commit", ("AuditRepository.commit ",)),
    ("page rendering (Jinja)", ("render (confianza/app/rendering.py",)),
    ("session check", ("authenticate_now ",)),
    ("the use case: transaction and reads", (
        "read_record ", "get_officer (", "officer_certification ", "officer_evaluations ",
        "_profile_context ", "section (confianza/certification")),
    ("thread pool: hops to it and back", ("run_in_threadpool ", "WorkerThread.run ")),
    ("FastAPI: routing, dependencies, middleware", ("FastAPI.__call__ ",)),
)
REST = "uvicorn: HTTP, transport, event loop"


def spy_start(pid: int, out: str) -> subprocess.Popen[bytes]:
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    return subprocess.Popen([spy, "record", "--pid", str(pid), "--subprocesses", "--format",
                             "raw", "--rate", "250", "-o", out],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def spy_table(raw: str, cpu_ms: float) -> None:
    """The sampled stacks in slices, in ms per request and shares, then our own functions by
    the share of samples they are on (inclusive)."""
    slices: collections.Counter[str] = collections.Counter()
    ours: collections.Counter[str] = collections.Counter()
    total = 0
    for line in Path(raw).read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        slices[next((name for name, marks in SLICES
                     if any(f.startswith(marks) for f in frames)), REST)] += n
        for name in {re.sub(r":\d+\)$", ")", f) for f in frames if "confianza/" in f}:
            ours[name] += n
    if not total:
        print("  py-spy recorded no samples")
        return
    print(f"  where the time went ({total:,} samples; {cpu_ms:.2f} ms of CPU per request):")
    for name, _ in (*SLICES, (REST, ())):
        share = slices[name] / total
        print(f"    {name:<46} {share * cpu_ms:6.2f} ms  {share:6.1%}")
    print("  our functions, inclusive:")
    for name, n in ours.most_common(14):
        print(f"    {name[:70]:<72} {n / total * cpu_ms:6.2f} ms  {n / total:6.1%}")


def measure(url: str, officers: list[tuple[int, str]], args: argparse.Namespace) -> None:
    argv = uvicorn_argv("confianza.app.web:app_factory", factory=True,
                        extra=["--workers", str(args.workers)] if args.workers > 1 else ())
    # Plain uvicorn, not `confianza serve`: no checkpoint process hashes beside the server.
    env = {"CONFIANZA_DATABASE_URL": url, "CONFIANZA_ENVIRONMENT": "development"}
    with start_server(argv, env=env, cwd=str(ROOT)) as server:
        cookie = f"confianza_session={sign_in(server)}"
        size = check_page(server, cookie, *officers[0])
        specs = [RequestSpec("GET", f"/officers/{officer_id}", {"Cookie": cookie})
                 for officer_id, _ in officers]
        print(f"server: uvicorn, {args.workers} worker(s); {args.concurrency} clients; "
              f"page of {size:,} bytes; load average {os.getloadavg()[0]:.2f} on "
              f"{os.cpu_count()} CPUs", flush=True)
        load(server.host, server.port, specs, concurrency=args.concurrency,
             total=args.warmup)
        rates, cpus, p50s = [], [], []
        for n in range(args.rounds):
            spy = spy_start(server.process.pid, args.py_spy) if args.py_spy and n == 0 else None
            if spy is not None:
                time.sleep(1.0)  # py-spy attaches
            user, system = tree_cpu(server.process.pid)
            result = load(server.host, server.port, specs, concurrency=args.concurrency,
                          total=args.requests)
            after_user, after_system = tree_cpu(server.process.pid)
            count = max(result.count, 1)
            per_request = (after_user - user + after_system - system) / count * 1000
            kernel = (after_system - system) / count * 1000
            if spy is not None:
                spy.send_signal(signal.SIGINT)
                spy.wait()
                print(f"  (round {n + 1} sampled by py-spy)")
                spy_table(args.py_spy, per_request)
            rates.append(result.requests_per_s)
            cpus.append(per_request)
            p50s.append(result.p50_ms)
            print(f"  {format_result(f'round {n + 1}', result)}, "
                  f"server CPU {per_request:.2f} ms/request ({kernel:.2f} in the kernel)",
                  flush=True)
        print(f"profile page, {args.concurrency} clients, median of {args.rounds}: "
              f"{statistics.median(rates):.0f} req/s, p50 {statistics.median(p50s):.1f} ms, "
              f"server CPU {statistics.median(cpus):.2f} ms per profile", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(ROOT / "var" / "bench-profile.db"))
    parser.add_argument("--postgres", help="a PostgreSQL URL to build the registry in instead")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--warmup", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--py-spy", help="sample the first round with py-spy into this file")
    args = parser.parse_args()
    url = args.postgres or f"sqlite:///{args.db}"
    if args.postgres:
        build = not populated(url)
        if not build and not current(url):
            raise SystemExit(f"{url} holds a registry of another schema revision: drop and "
                             "create that database, and the benchmark builds it again")
    else:
        stale = Path(args.db).exists() and not current(url)
        if stale:
            print(f"{args.db} is of another schema revision: building it again")
        build = args.rebuild or stale or not Path(args.db).exists()
        if build and Path(args.db).exists():
            Path(args.db).unlink()
    officers = prepare(url, build)
    measure(url, officers, args)


if __name__ == "__main__":
    main()
