"""The integrity cases' pages at the demo's scale (issue 17, Figures: p95 < 300 ms).

Builds (once, then reuses) the demo-scale registry (`confianza demo --scale demo`: about 12,000
officers in four states; with the Chicago folder, also its roster and its 49,052 complaints as
closed, imported cases, as `make demo` does) in var/bench-integrity.db, and adds open cases
taken in through the services: CASES cases of one to three allegations each, against officers
of the demo's agencies (a few officers accused again and again, so that their record lists many
cases), spread over the stages from intake to finding, investigated by demo-internal-affairs
and decided by demo-honour-commission. Then, through the web app in process (the session check
stood in for, as in _pages.Caller), it times under each entitled role:

- the queue, /integrity: the investigator's, the commission's, the supervisor's whole scope;
- the case file, /integrity/cases/{id}, of the cases with the most allegations;
- the officer's integrity section: the record /officers/{id} of the officers accused most,
  as internal affairs, its supervisor, the commission, a certification officer, an auditor
  and agency HR (the record page with its one entry, the section included);
- the intake form, /integrity/cases/new (empty, and a submit the page refuses);
- the finding form: a case at the finding stage as its decider, and a finding refused for
  having none chosen (the page again, with its refusal entry).

    .venv/bin/python benchmarks/integrity_pages.py [--runs 40] [--cases 400] [--rebuild]
        [--db var/bench-integrity.db | --url DATABASE_URL] [--chicago DIR | --no-chicago]

Each line prints p50, p95 and max of wall time and of this process's CPU time (the cost
whatever else the machine runs), and whether the wall p95 is within the 300 ms target.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from _pages import ROOT, Caller, report, timed
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect, text

from confianza.accounts.rules.permissions import Actor, ActorKind, Role, Scope, system_actor
from confianza.app.bootstrap import Container, build
from confianza.app.settings import Environment, Settings
from confianza.app.web import create_app
from confianza.integrity.rules.catalogue import (
    AllegationKind,
    Credibility,
    Duty,
    LinkKind,
    Reliability,
    SourceChannel,
)
from confianza.integrity.service import cases, process
from confianza.integrity.service.cases import NewAllegation, NewCase, NewSource

TARGET_MS = 300
DEFAULT_DB = ROOT / "var" / "bench-integrity.db"
CHICAGO = ROOT.parent / "shared" / "data" / "chicago"
CONFIANZA = [sys.executable, "-m", "confianza.app.console"]
SEEDED = "Benchmark case"  # the summary's first words: the open cases this script took in
INVESTIGATOR, SUPERVISOR, DECIDER = ("demo-internal-affairs", "demo-internal-affairs-supervisor",
                                     "demo-honour-commission")
GROUNDS = "El video de la caseta y el acta del ministerio público acreditan los hechos."


def _run(command: list[str], url: str) -> None:
    env = {**os.environ, "CONFIANZA_ENVIRONMENT": "development", "CONFIANZA_DATABASE_URL": url}
    subprocess.run(command, env=env, check=True, text=True, stdout=subprocess.DEVNULL)


def _populated(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("integrity_cases"):
                return False
            return bool(connection.execute(text(
                "SELECT COUNT(*) FROM integrity_cases WHERE summary LIKE :s"),
                {"s": f"{SEEDED}%"}).scalar_one())
    finally:
        engine.dispose()


def _ids(container: Container, sql: str, **params: object) -> list[int]:
    with container.engine.connect() as connection:
        return [int(r[0]) for r in connection.execute(text(sql), params)]


def _user(container: Container, username: str) -> int:
    [found] = _ids(container, "SELECT id FROM users WHERE username = :u", u=username)
    return found


def seed_cases(container: Container, count: int) -> None:
    """Open cases through the services, spread over the stages up to the finding."""
    operator = system_actor("bench-integrity")
    rng = random.Random(17)
    uow = container.uow()
    agencies = _ids(container, "SELECT DISTINCT a.agency_id FROM assignments a "
                    "JOIN agencies g ON g.id = a.agency_id WHERE a.end_date IS NULL "
                    "AND g.level <> 'foreign' ORDER BY a.agency_id")
    on_duty = {agency: _ids(container, "SELECT officer_id FROM assignments WHERE agency_id = "
                            ":a AND end_date IS NULL ORDER BY officer_id LIMIT 400", a=agency)
               for agency in agencies}
    agencies = [a for a in agencies if on_duty[a]]
    investigator, decider = _user(container, INVESTIGATOR), _user(container, DECIDER)
    # A few officers of each agency accused again and again: their record lists many cases.
    often = {agency: on_duty[agency][:3] for agency in agencies}
    today = uow.today()
    kinds = list(AllegationKind)
    started = time.perf_counter()
    for n in range(count):
        agency = agencies[n % len(agencies)]
        accused = [rng.choice(often[agency]) if rng.random() < 0.3 else rng.choice(
            on_duty[agency]) for _ in range(rng.randint(1, 3))]
        opened = cases.open_case(uow, operator, NewCase(
            agency, f"{SEEDED} {n}: cobro de cuotas en el retén de la carretera {n % 90}.", (
                NewSource(SourceChannel.CITIZEN_COMPLAINT, Reliability.B,
                          Credibility.PROBABLY_TRUE, "Le cobraron 500 pesos por pasar.",
                          today - timedelta(days=rng.randint(1, 120)),
                          reporter_name=f"Denunciante {n}"),
                NewSource(SourceChannel.ANONYMOUS_LINE, Reliability.F,
                          Credibility.CANNOT_BE_JUDGED, "Una llamada relata cobros.",
                          today - timedelta(days=rng.randint(1, 120)))),
            tuple(NewAllegation(rng.choice(kinds), f"Hecho {i} del expediente {n}.", (0, 1),
                                officer_id=officer, occurred_on=date(2026, 1, 1))
                  for i, officer in enumerate(accused))))
        case_id, stage = opened.case.id, n % 4
        if stage == 0:
            continue  # waits at intake
        cases.assign(uow, operator, case_id, investigator, Duty.INVESTIGATOR)
        cases.assign(uow, operator, case_id, decider, Duty.DECIDER)
        if stage == 1:
            continue
        process.issue_notice(uow, operator, case_id)
        process.serve_notice(uow, operator, case_id, today)
        process.record_answer(uow, operator, case_id, "Niego los hechos que se me imputan.")
        evidence = process.add_evidence(uow, operator, case_id, f"acta-{n}.pdf",
                                        "application/pdf", f"%PDF-1.4 acta {n}".encode(),
                                        "Acta del ministerio público.")
        process.add_link(uow, operator, case_id, opened.allegations[0].allegation.id,
                         LinkKind.SUPPORTS, evidence_id=evidence)
        if stage == 3:
            process.submit_for_decision(uow, operator, case_id)
    print(f"took in {count} open cases in {time.perf_counter() - started:.1f} s", flush=True)


def prepare(url: str, on_file: Path | None, rebuild: bool, chicago: Path | None,
            count: int) -> None:
    if on_file is not None and rebuild and on_file.exists():
        on_file.unlink()
    if not rebuild and _populated(url):
        return
    print(f"building the demo-scale registry in {url}"
          f"{' with the Chicago complaints' if chicago else ''} ...", flush=True)
    started = time.perf_counter()
    _run([*CONFIANZA, "demo", "--scale", "demo", "--replace", "--yes",
          *(["--chicago", str(chicago)] if chicago else [])], url)
    print(f"built in {time.perf_counter() - started:.1f} s", flush=True)
    container = build(Settings(environment=Environment.DEVELOPMENT, database_url=url))
    try:
        seed_cases(container, count)
    finally:
        container.dispose()


def _actor(container: Container, username: str, role: Role) -> Actor:
    return Actor(_user(container, username), username, role, Scope(), ActorKind.USER)


def measure(container: Container, runs: int) -> None:
    with container.engine.connect() as connection:
        officers = connection.execute(text("SELECT COUNT(*) FROM officers")).scalar_one()
        total = connection.execute(text("SELECT COUNT(*) FROM integrity_cases")).scalar_one()
        open_cases = connection.execute(text(
            "SELECT COUNT(*) FROM integrity_cases WHERE stage <> 'closed'")).scalar_one()
    print(f"{container.engine.dialect.name}: {officers:,} officers, {total:,} cases "
          f"({open_cases:,} open); {runs} runs each; target p95 < {TARGET_MS} ms")
    # The files with the most allegations among those the investigator is assigned to.
    largest = _ids(container, "SELECT c.id FROM integrity_cases c JOIN integrity_allegations a "
                   "ON a.case_id = c.id WHERE c.summary LIKE :s AND c.stage <> 'intake' "
                   "GROUP BY c.id ORDER BY COUNT(*) DESC, c.id LIMIT 5", s=f"{SEEDED}%")
    at_finding = _ids(container, "SELECT id FROM integrity_cases WHERE stage = 'finding' "
                      "ORDER BY id LIMIT 5")
    most_accused = _ids(container, "SELECT officer_id FROM integrity_allegations WHERE "
                        "officer_id IS NOT NULL GROUP BY officer_id ORDER BY COUNT(DISTINCT "
                        "case_id) DESC, officer_id LIMIT 5")
    with container.engine.connect() as connection:
        shown = connection.execute(text(
            "SELECT COUNT(DISTINCT case_id) FROM integrity_allegations WHERE officer_id = :o"),
            {"o": most_accused[0]}).scalar_one()
        allegation = connection.execute(text(
            "SELECT MIN(id) FROM integrity_allegations WHERE case_id = :c"),
            {"c": at_finding[0]}).scalar_one()
    roles = {
        "internal_affairs": _actor(container, INVESTIGATOR, Role.INTERNAL_AFFAIRS),
        "supervisor": _actor(container, SUPERVISOR, Role.INTERNAL_AFFAIRS_SUPERVISOR),
        "honour_commission": _actor(container, DECIDER, Role.HONOUR_COMMISSION),
        "certification_officer": _actor(container, "demo-certification-officer",
                                        Role.CERTIFICATION_OFFICER),
        "auditor": _actor(container, "demo-auditor", Role.AUDITOR),
        "agency_hr": _actor(container, "demo-agency-hr", Role.AGENCY_HR),
    }
    app = create_app(container)
    caller = Caller(app, roles["internal_affairs"])

    def cycle(paths: list[str]) -> Callable[[], object]:
        state = {"i": 0}

        def get() -> object:
            path = paths[state["i"] % len(paths)]
            state["i"] += 1
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
            return answer
        return get

    def post(path: str, data: dict[str, str], status: int) -> Callable[[], object]:
        def send() -> object:
            answer = client.post(path, data=data)
            assert answer.status_code == status, (path, answer.status_code, answer.text[:300])
            return answer
        return send

    lines: list[tuple[str, str, Callable[[], object]]] = [
        *((f"queue, {role}", role, cycle(["/integrity"]))
          for role in ("internal_affairs", "honour_commission", "supervisor")),
        *((f"case file, {role}", role, cycle([f"/integrity/cases/{c}" for c in largest]))
          for role in ("internal_affairs", "supervisor")),
        *((f"record + integrity section, {role}", role,
           cycle([f"/officers/{o}" for o in most_accused])) for role in roles),
        ("intake form", "internal_affairs", cycle(["/integrity/cases/new"])),
        ("intake refused (page faults)", "internal_affairs", post(
            "/integrity/cases/new", {"csrf_token": "benchmark", "agency": "",
                                     "channel": "carta", "action": "submit"}, 422)),
        ("finding form (case at finding)", "honour_commission",
         cycle([f"/integrity/cases/{c}" for c in at_finding])),
        ("finding refused (none chosen)", "honour_commission", post(
            f"/integrity/cases/{at_finding[0]}/allegations/{allegation}/finding",
            {"csrf_token": "benchmark", "finding": "", "grounds": GROUNDS}, 422)),
    ]
    print(f"the record pages: officers accused in up to {shown} cases; the case files: up to "
          "three allegations each")
    with TestClient(app) as client:
        client.cookies.set("csrf_token", "benchmark")
        for label, role, action in lines:
            caller.actor = roles[role]
            report(label, timed(action, runs), width=44, target_ms=TARGET_MS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(DEFAULT_DB))
    parser.add_argument("--url", help="a database URL to build in instead (e.g. PostgreSQL)")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--cases", type=int, default=400)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--chicago", type=Path, default=CHICAGO if CHICAGO.is_dir() else None)
    parser.add_argument("--no-chicago", action="store_true")
    options = parser.parse_args()
    on_file = None if options.url else Path(options.db)
    if on_file is not None:
        on_file.parent.mkdir(parents=True, exist_ok=True)
    url = options.url or f"sqlite:///{options.db}"
    chicago = None if options.no_chicago else options.chicago
    prepare(url, on_file, options.rebuild, chicago, options.cases)
    container = build(Settings(environment=Environment.DEVELOPMENT, database_url=url))
    try:
        print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
        measure(container, options.runs)
    finally:
        container.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
