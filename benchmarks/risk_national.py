"""Early intervention at national scale through the product: the registry's records in the
database, `confianza risk score`'s service, and a flag's page read (issue 18's figures).

Built first, not timed (reused when the database already holds it):

1. the national registry of `confianza demo --scale national` (the demo's generator: agencies,
   officers, postings with ranks, status changes, trust-control evaluations), or one of the same
   shape with --officers N (every state, the national proportions);
2. integrity cases against its officers since 2016, written set-based with the product's bulk
   writer: one closed (or still open) case per complaint, its source (a citizen, the anonymous
   line, a supervisor...), an allegation against each accused (a fifth of the cases have a
   co-accused of the same agency, so the co-accusal network has edges), and the findings
   decided 2 to 13 months later (a sustained one confirmed by a second person). Each officer has
   a hidden propensity that drives complaints of force and their sustained findings;
3. a model: the registry's history read once, the features of a 60,000-officer sample as of the
   end of each of the two last whole years with their outcome, a learner fitted, and the model
   stored sealed and marked promoted (a benchmark's model: it skips the promotion gate).

Then timed:

- `confianza risk score`'s service (`risk.service.scoring.score`): the whole run, one
  transaction, every active officer read, featured, scored with top factors, written;
- the same steps apart (rolled back): reading the history, building the features, the model
  (scores, then the factors), writing the run and its scores;
- one flag's page read (`risk.service.reviews.flag`, what `/risk/flags/{id}` and the API call:
  the officer's history, the run, the places, the audit entry) as a national agency HR, for
  --explain flagged officers drawn at random: p50, p95, max.

    .venv/bin/python benchmarks/risk_national.py [--sqlite var/bench-risk-national.db]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres [--keep NAME]]
        [--officers 401607] [--explain 200] [--rebuild] [--profile]

With --postgres a database is created on that server and dropped at the end (--keep NAME: the
database NAME is used, created when missing, and kept for the next run).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from pydantic import SecretStr
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

from confianza.accounts.rules.permissions import Actor, ActorKind, Role, Scope, system_actor
from confianza.app.bootstrap import Container, build
from confianza.app.settings import Environment, Settings
from confianza.core.db import migrate
from confianza.core.db.models import (
    AssignmentRow,
    IntegrityCaseRow,
    OfficerRow,
    RiskModelRow,
    RiskScoreRow,
    UserRow,
)
from confianza.demo.rules import force
from confianza.demo.rules.force import Scale, ScaleSpec
from confianza.demo.service import generate
from confianza.risk.rules import storage
from confianza.risk.rules.evaluation import as_of_for, labelled
from confianza.risk.rules.features import FeatureBuilder
from confianza.risk.rules.history import Population
from confianza.risk.rules.model import Learner, train
from confianza.risk.rules.outcome import OutcomeDefinition
from confianza.risk.rules.records import ModelSource
from confianza.risk.rules.scoring import score_rows
from confianza.risk.service import reviews
from confianza.risk.service import scoring as risk_scoring
from confianza.risk.service.models import load_model, until_of
from confianza.risk.service.scoring import factor_mapper

NATIONAL = 401_607
BENCH_PSEUDONYM_KEY = "5b" * 32
SHARE = 0.02
FIRST_COMPLAINT = date(2016, 1, 1)
SAMPLE = 60_000
#: How complaints reach internal affairs, and how often (the civilian ones first).
CHANNELS = (("citizen_complaint", 0.50), ("anonymous_line", 0.15), ("witness_statement", 0.04),
            ("media_or_banner", 0.03), ("supervisor", 0.15), ("fellow_officer", 0.05),
            ("other_authority", 0.05), ("trust_control_exams", 0.03))
OTHER_KINDS = ("abuse_of_authority", "bribery", "extortion", "unlawful_detention",
               "neglect_of_duty", "theft", "other", "other")
NOT_SUSTAINED = (("not_sustained", 0.45), ("unfounded", 0.35), ("exonerated", 0.20))
T = TypeVar("T")


def shaped(officers: int) -> None:
    """The national scale resized to `officers`, with its proportions (no-op at 401,607)."""
    spec = force.SCALES[Scale.NATIONAL]
    if officers == spec.local_officers + spec.federal_officers:
        return
    local = round(officers * spec.local_officers / NATIONAL)
    force.SCALES[Scale.NATIONAL] = ScaleSpec(spec.states, local, officers - local,
                                             spec.municipal_share, spec.min_municipal_police)


def timed(what: str, step: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = step()
    took = time.perf_counter() - started
    print(f"  {what}: {took:.1f} s", flush=True)
    return result, took


# Building ------------------------------------------------------------------------------------

def build_registry(container: Container, officers: int, seed: int) -> None:
    shaped(officers)
    started = time.perf_counter()
    report = generate(container.uow(), system_actor("benchmark"), scale=Scale.NATIONAL,
                      seed=seed)
    print(f"registry: {report.counts['officers']:,} officers, "
          f"{report.counts['assignments']:,} postings, {report.counts['evaluations']:,} "
          f"evaluations ({time.perf_counter() - started:.0f} s, not counted)", flush=True)


def _deciders(container: Container) -> tuple[int, int]:
    now = datetime.now(UTC)
    ids = []
    with container.session_factory() as session, session.begin():
        for name in ("bench-risk-decider", "bench-risk-second"):
            ids.append(session.execute(insert(UserRow).values(
                username=name, display_name=name, password_hash="x", role="honour_commission",
                scope_kind="national", created_at=now).returning(UserRow.id)).scalar_one())
    return ids[0], ids[1]


def _at(day: date) -> datetime:
    return datetime.combine(day, clock_time(16, 0), tzinfo=UTC)


def write_complaints(container: Container, seed: int) -> None:
    """The integrity cases of the module's docstring, item 2."""
    started = time.perf_counter()
    decider, second = _deciders(container)
    rng = np.random.default_rng(seed)
    uow = container.uow()
    with uow.transaction() as tx:
        today = tx.today
        careers: dict[int, tuple[int, date, date]] = {}
        for officer_id, agency_id, start, end in tx.session.execute(select(
                AssignmentRow.officer_id, AssignmentRow.agency_id, AssignmentRow.start_date,
                AssignmentRow.end_date).order_by(AssignmentRow.start_date)):
            seen = careers.get(officer_id)
            last = min(end or today, today)
            careers[officer_id] = (agency_id, seen[1] if seen else start,
                                   max(last, seen[2]) if seen else last)
        ids = np.array(sorted(careers), dtype=np.int64)
        agency = np.array([careers[i][0] for i in ids], dtype=np.int64)
        begin = np.array([max(careers[i][1], FIRST_COMPLAINT).toordinal() for i in ids])
        end = np.array([careers[i][2].toordinal() for i in ids])
        span = np.clip(end - begin, 0, None)
        propensity = rng.gamma(0.5, 0.5, len(ids))
        counts = rng.poisson(propensity * 0.6 * span / 365.25)
        # Each agency's officers in one block, to draw a co-accused of the same agency.
        by_agency = np.argsort(agency, kind="stable")
        names, firsts = np.unique(agency[by_agency], return_index=True)
        blocks = {int(a): (int(s), int(e))
                  for a, s, e in zip(names, firsts, [*firsts[1:], len(ids)], strict=True)}
        writer = tx.bulk_writer()
        tables = ("integrity_cases", "integrity_sources", "integrity_allegations",
                  "integrity_findings")
        writer.lock([*tables, "integrity_allegation_sources"])
        case_id, source_id, allegation_id, finding_id = (writer.next_id(t) for t in tables)
        cases: list[tuple[Any, ...]] = []
        sources: list[tuple[Any, ...]] = []
        allegations: list[tuple[Any, ...]] = []
        supports: list[tuple[int, int]] = []
        findings: list[tuple[Any, ...]] = []
        channel_names = [c for c, _ in CHANNELS]
        channel_p = np.array([p for _, p in CHANNELS])
        not_names = [f for f, _ in NOT_SUSTAINED]
        not_p = np.array([p for _, p in NOT_SUSTAINED])
        for i in np.flatnonzero(counts):
            p = float(propensity[i])
            for _ in range(int(counts[i])):
                day = date.fromordinal(int(begin[i] + rng.integers(0, span[i] + 1)))
                decided = day + timedelta(days=int(rng.integers(60, 400)))
                closed = decided <= today
                cases.append((case_id, int(agency[i]), "closed" if closed else "evidence",
                              decided if closed else day, "Queja sintética", _at(day),
                              "benchmark", decided if closed else None,
                              "cerrado" if closed else None))
                channel = channel_names[int(rng.choice(len(channel_names), p=channel_p))]
                sources.append((source_id, case_id, channel, "C", "3", False, False, False,
                                None, None, None, "Relato", day, "benchmark", None))
                accused = [int(ids[i])]
                if rng.random() < 0.2:
                    s, e = blocks[int(agency[i])]
                    partner = int(ids[by_agency[int(rng.integers(s, e))]])
                    if partner != accused[0]:
                        accused.append(partner)
                force_p = min(0.9, 0.2 + 0.5 * p)
                kind = ("use_of_force" if rng.random() < force_p
                        else OTHER_KINDS[int(rng.integers(0, len(OTHER_KINDS)))])
                occurred = day - timedelta(days=int(rng.integers(0, 60)))
                for officer in accused:
                    allegations.append((allegation_id, case_id, kind, officer, None, None,
                                        occurred, None, "Hecho"))
                    supports.append((allegation_id, source_id))
                    if closed:
                        sustained = kind != "other" and rng.random() < min(0.6, 0.05 + 0.4 * p)
                        finding = ("sustained" if sustained else
                                   not_names[int(rng.choice(len(not_names), p=not_p))])
                        confirmed = _at(decided + timedelta(days=3)) if sustained else None
                        findings.append((finding_id, allegation_id, finding, "Fundamentos",
                                         "[]", decider, "bench-risk-decider", _at(decided),
                                         sustained, second if sustained else None, confirmed,
                                         None))
                        finding_id += 1
                    allegation_id += 1
                case_id += 1
                source_id += 1
        writer.defer_indexes([*tables, "integrity_allegation_sources"])
        writer.insert("integrity_cases", (
            "id", "agency_id", "stage", "stage_since", "summary", "opened_at", "opened_by",
            "closed_on", "closing_note"), cases)
        writer.insert("integrity_sources", (
            "id", "case_id", "channel", "reliability", "credibility", "protected", "benefit",
            "coercion_claimed", "reporter_name", "reporter_user_id", "reporter_officer_id",
            "account", "received_on", "relayed_by", "relayed_by_id"), sources)
        writer.insert("integrity_allegations", (
            "id", "case_id", "kind", "officer_id", "accused_name", "accused_badge",
            "occurred_on", "place", "summary"), allegations)
        writer.insert("integrity_allegation_sources", ("allegation_id", "source_id"), supports)
        writer.insert("integrity_findings", (
            "id", "allegation_id", "finding", "grounds", "relied_on", "decided_by_id",
            "decided_by", "decided_at", "needs_second", "confirmed_by_id", "confirmed_at",
            "special_evaluation_id"), findings)
        writer.finish(tables, also_written=["integrity_allegation_sources"])
    sustained = sum(1 for f in findings if f[2] == "sustained")
    print(f"integrity: {len(cases):,} cases, {len(allegations):,} allegations, "
          f"{len(findings):,} findings ({sustained:,} sustained) since {FIRST_COMPLAINT} "
          f"({time.perf_counter() - started:.0f} s, not counted)", flush=True)


def store_model(container: Container) -> str:
    """Train on a sample of the registry's history and keep the model sealed and promoted."""
    started = time.perf_counter()
    uow = container.uow()
    with uow.transaction(read_only=True) as tx:
        today = tx.today
        population = tx.risk.history(today, until_of(tx, today)).population
    rng = np.random.default_rng(2018)
    chosen = rng.choice(len(population.officers), min(SAMPLE, len(population.officers)),
                        replace=False)
    sample = Population.of([population.officers[int(i)] for i in sorted(chosen)],
                           starts=population.starts, ends=population.ends)
    builder = FeatureBuilder(sample)
    outcome = OutcomeDefinition()
    years = [today.year - 2, today.year - 1]
    parts = [labelled(builder, y, outcome, today, "benchmark") for y in years]
    model = train(Learner.BOOSTING, np.vstack([p.rows.values for p in parts]),
                  np.concatenate([p.y for p in parts]), outcome=outcome,
                  trained_from=as_of_for(years[0]), trained_until=as_of_for(years[-1]))
    artefact = storage.dump(model)
    key = container.model_key()
    with uow.transaction() as tx:
        tx.risk.add_model(
            version=model.version, learner=str(model.learner), source=ModelSource.REGISTRY,
            as_of=today, trained_from=model.trained_from, trained_until=model.trained_until,
            rows=model.rows, outcomes=model.outcomes, code_version=artefact.code_version,
            sha256=artefact.sha256, artefact=artefact.data,
            seal=storage.seal(key, version=model.version, sha256=artefact.sha256,
                              code_version=artefact.code_version, promoted=True),
            evaluation={"benchmark": "stored by benchmarks/risk_national.py, not evaluated"},
            promoted=True, reasons=[], trained_by="benchmark", trained_at=tx.now)
    print(f"model: {model.learner} on {model.rows:,} officer-years, {model.outcomes:,} "
          f"outcomes, version {model.version} ({time.perf_counter() - started:.0f} s, not "
          "counted)", flush=True)
    return model.version


def prepare(container: Container, officers: int, seed: int) -> None:
    with container.session_factory() as session:
        held = session.execute(select(func.count()).select_from(OfficerRow)).scalar_one()
        cases = session.execute(select(func.count()).select_from(IntegrityCaseRow)).scalar_one()
        models = session.execute(select(func.count()).select_from(RiskModelRow)).scalar_one()
    if held == 0:
        build_registry(container, officers, seed)
    else:
        print(f"registry: reused, {held:,} officers", flush=True)
    if cases == 0:
        write_complaints(container, seed)
    else:
        print(f"integrity: reused, {cases:,} cases", flush=True)
    if models == 0:
        store_model(container)
    else:
        print("model: reused", flush=True)


# Measuring -----------------------------------------------------------------------------------

class _RolledBack(Exception):
    pass


@contextmanager
def profiled(path: Path | None) -> Iterator[None]:
    if path is None:
        yield
        return
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        profiler.dump_stats(path)
        pstats.Stats(str(path)).sort_stats("cumulative").print_stats(30)


def split(container: Container) -> None:
    """The scoring service's steps, each timed, in one transaction rolled back at the end."""
    key = container.model_key()
    print("scoring, step by step (rolled back):", flush=True)
    try:
        with container.uow().transaction() as tx:
            stored, model = load_model(tx, None, key)
            today = tx.today
            history, read = timed("reading the history", lambda: tx.risk.history(
                today, until_of(tx, today)))
            serving = [o for o in history.population.officers
                       if o.officer in history.active and o.appointed is not None]

            def featured() -> Any:
                return FeatureBuilder(history.population).rows(today, serving)

            rows, built = timed(f"features of {len(serving):,} active officers", featured)
            _, scoring = timed("scores alone", lambda: model.scores(rows.values))
            def factored_rows() -> Any:
                with factor_mapper(len(serving)) as mapper:
                    return score_rows(model, rows, SHARE, mapper=mapper)

            scored, factored = timed("scores, ranks and every officer's top factors "
                                     "(score_rows, as the service hands out its batches)",
                                     factored_rows)

            def written() -> None:
                run_id = tx.risk.add_run(model_id=stored.id, as_of=today, officers=len(scored),
                                         flagged=sum(1 for s in scored if s.flagged),
                                         share=SHARE, scored_by="benchmark", scored_at=tx.now)
                tx.risk.add_scores(run_id, scored)
                tx.session.flush()

            _, wrote = timed("writing the run and its scores", written)
            print(f"  steps together: {read + built + factored + wrote:.1f} s", flush=True)
            raise _RolledBack
    except _RolledBack:
        pass


def whole(container: Container) -> int:
    key = container.model_key()
    started = time.perf_counter()
    run = risk_scoring.score(container.uow(), system_actor("benchmark"), key=key, share=SHARE)
    took = time.perf_counter() - started
    print(f"`confianza risk score` (the service, one transaction): {run.officers:,} officers "
          f"scored, {run.flagged:,} flagged in {took:.1f} s (target < 120 s)", flush=True)
    return run.id


def explanations(container: Container, run_id: int, count: int) -> None:
    with container.session_factory() as session:
        flagged = list(session.execute(select(RiskScoreRow.id).where(
            RiskScoreRow.run_id == run_id, RiskScoreRow.flagged.is_(True))).scalars())
    rng = np.random.default_rng(7)
    chosen = [flagged[int(i)] for i in rng.choice(len(flagged), min(count, len(flagged)),
                                                   replace=False)]
    hr = Actor(None, "bench-agency-hr", Role.AGENCY_HR, Scope(), ActorKind.USER)
    uow = container.uow()
    reviews.flag(uow, hr, chosen[0])  # warm-up: the first read loads what every read shares
    timings = []
    for score_id in chosen:
        began = time.perf_counter()
        view = reviews.flag(uow, hr, score_id)
        timings.append((time.perf_counter() - began) * 1000)
        assert view.flag.score_id == score_id
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(f"one flag's page read (reviews.flag: history, run, places, audit), {len(timings)} "
          f"flagged officers: p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
          f"max {timings[-1]:.1f} ms (target p95 < 300 ms)", flush=True)


def measure(url: str, args: argparse.Namespace) -> None:
    # A fixed pseudonym key (the model's seal derives from it) unless one is set: a model
    # stored by an earlier run is then loaded, not refused.
    key = SecretStr(os.environ.get("CONFIANZA_LOG_PSEUDONYM_KEY", BENCH_PSEUDONYM_KEY))
    container = build(Settings(environment=Environment.TEST, database_url=url,
                               log_pseudonym_key=key))
    try:
        migrate.upgrade(container.engine)
        prepare(container, args.officers, args.seed)
        if args.prepare_only:
            return
        if container.engine.dialect.name == "postgresql":
            with container.engine.connect().execution_options(
                    isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
        print(f"{container.engine.dialect.name}, load average {os.getloadavg()[0]:.2f} on "
              f"{os.cpu_count()} CPUs", flush=True)
        with profiled(args.profile_to):
            split(container)
        run_id = whole(container)
        explanations(container, run_id, args.explain)
        print(f"load average after: {os.getloadavg()[0]:.2f}", flush=True)
    finally:
        container.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", type=Path, default=None,
                        help="the SQLite file (reused when it holds the registry)")
    parser.add_argument("--postgres", metavar="ADMIN_URL", default=None)
    parser.add_argument("--keep", metavar="NAME", default=None,
                        help="with --postgres: use and keep this database")
    parser.add_argument("--officers", type=int, default=NATIONAL)
    parser.add_argument("--explain", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--rebuild", action="store_true", help="replace the SQLite file")
    parser.add_argument("--prepare-only", action="store_true",
                        help="build what is missing (registry, cases, model), measure nothing")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the step-by-step scoring and print its top entries")
    args = parser.parse_args()
    args.profile_to = Path("var/risk_national.prof") if args.profile else None
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    if args.postgres is None or args.sqlite is not None:
        path = args.sqlite or Path(f"var/bench-risk-national-{args.officers}.db")
        path.parent.mkdir(parents=True, exist_ok=True)
        if args.rebuild and path.exists():
            path.unlink()
        measure(f"sqlite:///{path}", args)
    if args.postgres is not None:
        name = args.keep or f"confianza_bench_risk_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                        {"n": name}).first()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(args.postgres).set(database=name)
            measure(url.render_as_string(hide_password=False), args)
        finally:
            if args.keep is None:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
