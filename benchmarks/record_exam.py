"""Recording exam results through the HTTP API (target: p50 under 20 ms on SQLite).

Builds a fresh database through the services: one agency, one evaluation centre with a dozen
examiners, and N officers each with a scheduled permanence evaluation (five exams booked for
today). Starts one server process (uvicorn, one worker) and, from this process over loopback,
POSTs each exam's result once with the token of the examiner it is booked to: every request is
a real first submission (token check, locked evaluation, result validated and stored, audit
entry; the fifth of an evaluation also integrates it). Prints requests/s and latency
percentiles for each level of concurrency asked (each level gets its own share of the exams):
examiners type results by hand, so one client at a time is the common case and eight is a
busy morning at a large centre.

    python benchmarks/record_exam.py [--evaluations 400] [--concurrency 1 8]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

With --postgres (a URL of a server where the user may create databases) the run uses a fresh
database `confianza_bench_exams` on that server instead of SQLite, and drops it afterwards.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _httpload import RequestSpec, format_result, load, start_server, uvicorn_argv  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from confianza.accounts.rules.permissions import Role, Scope, system_actor  # noqa: E402
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import build  # noqa: E402
from confianza.app.settings import Environment, Settings  # noqa: E402
from confianza.core.db import migrate
from confianza.registry.rules.agencies import AgencyLevel  # noqa: E402
from confianza.registry.service import agencies as agency_service
from confianza.registry.service import officers as officer_service
from confianza.vetting.rules.evaluations import EvaluationKind, ExamType  # noqa: E402
from confianza.vetting.service import centres, evaluations

BENCH_DB = "confianza_bench_exams"
EXAMINERS = 12
PASSWORD = "benchmark-password-long"

# A passing result of each exam, as an examiner's form sends it.
RESULTS: dict[ExamType, dict[str, object]] = {
    ExamType.TOXICOLOGY: {"chain_of_custody_id": "CC-2026-0001", "panel": {
        "cannabinoids": "negative", "cocaine": "negative", "amphetamines": "negative",
        "methamphetamines": "negative", "benzodiazepines": "negative"}},
    ExamType.POLYGRAPH: {"topics": ["drug_use", "bribery"],
                         "outcome": "no_significant_reaction"},
    ExamType.PSYCHOLOGICAL: {"instruments": ["mmpi-2", "structured_interview"],
                             "outcome": "suitable"},
    ExamType.MEDICAL: {"outcome": "fit"},
    ExamType.SOCIOECONOMIC: {"declared_income": 18000, "assets": 250000, "debts": 40000,
                             "monthly_spending": 15000, "household_size": 4,
                             "outcome": "consistent"},
}


def seed(url: str, n: int) -> list[RequestSpec]:
    """The database with `n` scheduled evaluations; one request per exam, shuffled so that
    concurrent requests rarely wait on the same evaluation."""
    print(f"seeding {n:,} scheduled evaluations in {url.split(':')[0]} ...", flush=True)
    started = time.perf_counter()
    container = build(Settings(environment=Environment.DEVELOPMENT, database_url=url))
    migrate.upgrade(container.engine)
    operator = system_actor("benchmark")
    uow = container.uow()
    agency = agency_service.create_agency(uow, operator, agency_service.NewAgency(
        "JAL-SSP", "Secretaría de Seguridad de Jalisco", AgencyLevel.STATE, "14"))
    centre = centres.create_centre(uow, operator, "C3-JAL", "Centro Estatal de Jalisco", "14",
                                   dict.fromkeys(ExamType, centres.CAPACITY_MAX)).centre
    examiners: list[tuple[int, dict[str, str]]] = []
    for i in range(EXAMINERS):
        user = user_service.create_user(uow, operator, user_service.NewUser(
            f"examinador-{i:02d}", f"Examinador {i}", PASSWORD, Role.EXAMINER, Scope()))
        centres.set_examiner(uow, operator, centre.id, user.id, frozenset(ExamType))
        _, secret = user_service.issue_token(uow, operator, user.id, "benchmark")
        examiners.append((user.id, {"Authorization": f"Bearer {secret}",
                                    "Content-Type": "application/json",
                                    "Accept": "application/json"}))
    today: date = uow.today()
    rng = random.Random(20261120)
    specs: list[RequestSpec] = []
    for i in range(n):
        officer = officer_service.register_officer(uow, operator, officer_service.NewOfficer(
            "Ana Luisa", f"Prueba{i}", "Vela",
            assignment=officer_service.FirstAssignment(agency.id, "Policía", date(2015, 1, 5)),
        )).officer
        evaluation_id = evaluations.request_evaluation(uow, operator, evaluations.EvaluationRequest(
            officer.id, agency.id, EvaluationKind.PERMANENCE),
                                                       policy=container.policy).evaluation.id
        booked = {t: examiners[rng.randrange(EXAMINERS)] for t in ExamType}
        evaluations.schedule_evaluation(
            uow, operator, evaluation_id, centre.id,
            {t: evaluations.ExamBooking(user_id, today) for t, (user_id, _) in booked.items()})
        specs += [
            RequestSpec("POST", f"/api/v1/evaluations/{evaluation_id}/exams/{t}/result",
                        headers, json.dumps({"result": RESULTS[t]}).encode())
            for t, (_, headers) in booked.items()
        ]
    container.dispose()
    rng.shuffle(specs)
    print(f"seeded in {time.perf_counter() - started:.1f} s", flush=True)
    return specs


def run(url: str, n: int, levels: list[int]) -> None:
    specs = seed(url, n)
    share = len(specs) // len(levels)
    argv = uvicorn_argv("confianza.app.web:app_factory", factory=True)
    with start_server(argv, env={"CONFIANZA_DATABASE_URL": url,
                                 "CONFIANZA_ENVIRONMENT": "production"}) as server:
        for k, concurrency in enumerate(levels):
            mine = specs[k * share:(k + 1) * share]
            warmup = min(100, len(mine) // 10)
            # Each spec is sent exactly once (a second submit would be refused with a 409).
            result = load(server.host, server.port, lambda i, m=mine: m[i],
                          concurrency=concurrency, total=len(mine) - warmup, warmup=warmup)
            label = f"record exam result ({url.split(':')[0]}, {concurrency} clients)"
            print(format_result(label, result), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=400)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--postgres", help="a PostgreSQL server URL to use instead of SQLite")
    args = parser.parse_args()
    if not args.postgres:
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{Path(tmp) / 'exams.db'}", args.evaluations, args.concurrency)
        return
    admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{BENCH_DB}"'))
    try:
        url = make_url(args.postgres).set(database=BENCH_DB)
        run(url.render_as_string(hide_password=False), args.evaluations, args.concurrency)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
