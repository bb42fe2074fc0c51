"""Officer lookup by CURP, search by name prefix and by name in any order through the HTTP API,
audit entry included.

Builds (or reuses) the national synthetic registry on SQLite, starts one server process
(`confianza serve` equivalent: uvicorn, one worker), and drives it from a second process over
loopback. Prints requests/s and latency percentiles for each kind of request.

    python benchmarks/api_lookup.py [--db var/bench-national.db] [--scale national]
        [--requests 5000] [--concurrency 8] [--postgres URL]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).parent))

from _httpload import RequestSpec, format_result, load, start_server, uvicorn_argv  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CONFIANZA = str(Path(sys.executable).parent / "confianza")


def build_registry(url: str, scale: str, env: dict[str, str]) -> None:
    print(f"building the {scale} registry in {url} ...", flush=True)
    started = time.perf_counter()
    subprocess.run(
        [CONFIANZA, "demo", "--scale", scale, "--replace", "--yes"],
        env={**env, "CONFIANZA_DATABASE_URL": url}, check=True, stdout=subprocess.DEVNULL,
    )
    print(f"built in {time.perf_counter() - started:.1f} s", flush=True)


def settle(url: str) -> None:
    """What autovacuum does within minutes of a bulk load, done before measuring: statistics
    for the planner and a visibility map, without which PostgreSQL reads the heap behind
    every index entry (a search by name read 5,000 heap blocks instead of none)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("VACUUM ANALYZE officers, officer_name_tokens"))
    engine.dispose()


def make_token(url: str, env: dict[str, str]) -> str:
    username = f"bench{random.randrange(10**6)}"
    subprocess.run(
        [CONFIANZA, "users", "create", username, "--role", "registry_clerk",
         "--display-name", "Benchmark client", "--password-stdin"],
        input="benchmark-password-long\n", text=True, check=True,
        env={**env, "CONFIANZA_DATABASE_URL": url}, stdout=subprocess.DEVNULL,
    )
    out = subprocess.run(
        [CONFIANZA, "users", "token", username, "--name", "benchmark"],
        text=True, check=True, capture_output=True,
        env={**env, "CONFIANZA_DATABASE_URL": url},
    ).stdout
    return next(word for word in out.split() if word.startswith("cz_"))


def any_order(rows: list[tuple[str, str, str | None]], n: int) -> list[str]:
    """Names as people type them in any order, with their accents (ADR 0028): given names
    first, surnames first without the second, the second surname before the first."""
    rng = random.Random(11)
    typed = []
    for given, first, second in rng.sample(rows, min(n, len(rows))):
        forms = [f"{given} {first}", f"{first} {given}", f"{given} {first} {second or ''}"]
        if second:
            forms.append(f"{second} {first} {given.split()[0]}")
        typed.append(rng.choice(forms).strip())
    return typed


def samples(url: str, n: int) -> tuple[list[str], list[str], list[str], int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        officers = connection.execute(text("SELECT COUNT(*) FROM officers")).scalar_one()
        curps = [r[0] for r in connection.execute(
            text("SELECT curp FROM officers WHERE curp IS NOT NULL ORDER BY id LIMIT :n"),
            {"n": n * 50},
        )]
        names = [r[0] for r in connection.execute(
            text("SELECT search_name FROM officers ORDER BY id LIMIT :n"), {"n": n * 50}
        )]
        parts = [(str(g), str(f), s) for g, f, s in connection.execute(
            text("SELECT given_names, first_surname, second_surname FROM officers "
                 "ORDER BY id DESC LIMIT :n"), {"n": n * 50}
        )]
    engine.dispose()
    rng = random.Random(7)
    curps = rng.sample(curps, min(n, len(curps)))
    # Prefixes as people type them: the first surname and the start of the second.
    prefixes = []
    for name in rng.sample(names, min(n, len(names))):
        words = name.split()
        prefixes.append(" ".join(words[:1]) + (" " + words[1][:3] if len(words) > 1 else ""))
    return curps, prefixes, any_order(parts, n), int(officers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=str(ROOT / "var" / "bench-national.db"))
    parser.add_argument("--postgres", help="a PostgreSQL URL to use instead of SQLite")
    parser.add_argument("--scale", default="national")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--reuse", action="store_true",
                        help="with --postgres: measure the registry already in that database")
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    env = {**os.environ, "CONFIANZA_ENVIRONMENT": "development"}
    url = args.postgres or f"sqlite:///{args.db}"
    if args.rebuild or (args.postgres and not args.reuse) or not Path(args.db).exists():
        build_registry(url, args.scale, env)
    if args.postgres:
        settle(url)
    token = make_token(url, env)
    curps, prefixes, typed, officers = samples(url, 2000)
    print(f"registry: {officers:,} officers; database: {url.split(':')[0]}")
    auth = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    by_curp = [RequestSpec("GET", f"/api/v1/officers?curp={c}", auth) for c in curps]
    by_name = [
        RequestSpec("GET", f"/api/v1/officers?name={p.replace(' ', '%20')}&limit=20", auth)
        for p in prefixes
    ]
    by_any_order = [
        RequestSpec("GET", f"/api/v1/officers?name={quote(t)}&limit=20", auth) for t in typed
    ]
    argv = uvicorn_argv("confianza.app.web:app_factory", factory=True)
    with start_server(argv, env={"CONFIANZA_DATABASE_URL": url,
                                 "CONFIANZA_ENVIRONMENT": "production"}) as server:
        for label, specs in (("officer lookup by CURP", by_curp),
                             ("officer search by name prefix", by_name),
                             ("officer search by name in any order", by_any_order)):
            result = load(server.host, server.port, specs, concurrency=args.concurrency,
                          total=args.requests, warmup=300)
            print(format_result(label, result), flush=True)


if __name__ == "__main__":
    main()
