"""Building a synthetic registry (`confianza demo`): a whole force in one set-based transaction.

The agencies, units, officers, careers, badges and contact data, the trust-control centres with
their staff, and each officer's evaluations, consequences and certificates are drawn by the pure
generator in demo/rules/ and written through the BulkWriter in batches, inside ONE
transaction with one audit entry (`registry:demo:build`) carrying the counts: either the whole
registry is built or nothing is. Demo staff accounts, when asked for, are made first through the
normal `create_user` use case, each with its own audit entry, so that the build can give them
work (a queue for demo-examiner, decisions for the demo certification officers to confirm).
"""

from __future__ import annotations

import csv
import io
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from confianza.accounts.rules.permissions import Actor, Permission, Role, Scope, ScopeKind
from confianza.accounts.service.authorization import require
from confianza.accounts.service.users import NewUser, create_user
from confianza.core.errors import Conflict, ValidationFailed
from confianza.credentials.rules.issuer import Issuer
from confianza.credentials.service import issue_missing
from confianza.declarations.service.demo import file_demo_declarations
from confianza.demo.rules.careers import (
    AGENCY_COLUMNS,
    CAREER_COLUMNS,
    STATUS_COLUMNS,
    FirstIds,
    agency_rows,
    build_rows,
    dismissals,
    status_rows,
)
from confianza.demo.rules.duplicates import Original, demo_duplicates
from confianza.demo.rules.evaluations import TRUST_COLUMNS
from confianza.demo.rules.force import SCALES, Scale, plan_force, state_tag
from confianza.demo.rules.histories import HistoryMaker
from confianza.demo.rules.risk import demo_training
from confianza.demo.rules.trust import STAFF_COLUMNS, DemoStaff, TrustIds, build_staff
from confianza.identities.rules.people import officer_id_of
from confianza.identities.service.matching import match_registry
from confianza.integrity.rules.stages import DEADLINES
from confianza.registry.contracts import SearchCriteria
from confianza.registry.rules.assignments import ChangeReason
from confianza.registry.rules.import_mapping import parse_mapping
from confianza.registry.rules.name_search import token_rows
from confianza.registry.rules.officers import ExternalId, Sex
from confianza.registry.rules.roster_file import decode_roster
from confianza.registry.service.assignments import end_assignment
from confianza.registry.service.officer_import import ImportReport, import_officers
from confianza.registry.service.officers import FirstAssignment, NewOfficer, register_officer
from confianza.risk.rules.records import ModelSource, Run, StoredModel
from confianza.risk.rules.threshold import ThresholdRule
from confianza.risk.service import models as risk_models
from confianza.risk.service import scoring as risk_scoring
from confianza.trail.rules import AuditAction
from confianza.work import Transaction, UnitOfWork

Progress = Callable[[str, int, int], None]

# The tables in the order the generator's rows come, which is also foreign-key order.
_TABLES = tuple(table for table, _ in (*AGENCY_COLUMNS, *CAREER_COLUMNS))
_STAFF = tuple(table for table, _ in STAFF_COLUMNS)
_TRUST = tuple(table for table, _ in TRUST_COLUMNS)
#: The words of the officers' names, made from the officers' rows (no id of their own).
NAME_TOKEN_COLUMNS = ("officer_id", "token", "search_name", "words")
_ALL = _TABLES + ("officer_name_tokens", STATUS_COLUMNS[0]) + _STAFF + _TRUST
# The career tables too: their secondary indexes (names, open postings, badge numbers) cost
# more to keep row by row than to build once from the loaded rows.
_DEFERRED = ("officers", "officer_name_tokens", "assignments", "badges",
             "officer_contacts") + _TRUST
# Tables keyed by something else than a generated id (no block to reserve, no sequence to move).
_NO_ID = frozenset({"officer_name_tokens", "centre_capacity", "examiners",
                    "examiner_qualifications", "officer_standing"})
_DEMO_EXAMINER = "demo-examiner"
_DEMO_CERTIFIERS = ("demo-certification-officer", "demo-certification-officer-2")
# Officers per batch: large enough that executemany/COPY dominate, small enough to show progress.
BATCH = 25_000


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    scope: str
    password: str


@dataclass(frozen=True)
class GenerationReport:
    scale: Scale
    seed: int
    counts: dict[str, int]
    accounts: list[DemoAccount] = field(default_factory=list)


def registry_is_empty(uow: UnitOfWork) -> bool:
    """Whether the registry has no agency and no officer yet (a demo may only fill an empty one)."""
    with uow.transaction() as tx:
        agencies = tx.agencies.search(include_dissolved=True, limit=1)
        officers = tx.officers.search(SearchCriteria(), Scope(), after=None, limit=1)
        return not agencies and not officers


def generate(
    uow: UnitOfWork,
    actor: Actor,
    *,
    scale: Scale,
    seed: int,
    issuer: Issuer | None = None,
    progress: Progress | None = None,
    with_demo_users: bool = False,
) -> GenerationReport:
    """Fill an empty registry with a synthetic force; the same seed writes the same rows."""
    report = progress or (lambda _stage, _done, _total: None)
    total = scale_size(scale)
    counts = dict.fromkeys(_ALL, 0)
    accounts: list[DemoAccount] = []
    if with_demo_users:
        # The accounts come first so the build can hand them work; refuse before making any.
        with uow.transaction() as tx:
            _check(tx, actor, with_demo_users)
        accounts = create_demo_accounts(uow, actor)
    with uow.transaction() as tx:
        _check(tx, actor, with_demo_users)
        demo = _demo_staff(tx) if with_demo_users else DemoStaff()
        writer = tx.bulk_writer()
        writer.lock(list(_ALL))
        # Millions of exams, components and certificates: their indexes are built once, at the
        # end, from sorted keys (the registry is empty, see _check).
        writer.defer_indexes(_DEFERRED)
        ids = FirstIds(*(writer.next_id(t) for t in _TABLES))
        nid = writer.next_id
        trust_ids = TrustIds(
            centre=nid("evaluation_centres"), user=nid("users"), evaluation=nid("evaluations"),
            exam=nid("evaluation_exams"), appeal=nid("appeals"),
            separation=nid("separation_processes"), notification=nid("agency_notifications"),
            component=nid("cup_components"), certificate=nid("cup_certificates"))
        status_id = writer.next_id(STATUS_COLUMNS[0])
        rng = random.Random(seed)
        # Trust control draws from its own stream: the careers of a seed stay what they were.
        trust_rng = random.Random(f"trust-control:{seed}")
        plan = plan_force(scale, rng)
        agencies, units = agency_rows(plan, ids, tx.now)
        staff = build_staff(plan, trust_ids, tx.now, trust_rng, demo)
        # The trust rows come with their dates already in the engine's form (SQLite: text).
        histories = HistoryMaker(plan, staff, trust_ids, ids.agency, tx.today, trust_rng, demo,
                                 writer.stored_forms)
        for (table, columns), rows in zip((*AGENCY_COLUMNS, *STAFF_COLUMNS),
                                          (agencies, units, *staff[2:]), strict=True):
            writer.insert(table, columns, rows)
            counts[table] = len(rows)
        report("officers", 0, total)
        for batch in build_rows(plan, rng, tx.today, tx.now, ids, BATCH):
            trust = histories.rows(batch)  # may end careers in the batch: before its insert
            dismissals(batch)
            statuses = status_rows(batch, status_id, tx.today, tx.now)
            status_id += len(statuses)
            for (table, columns), rows in zip(CAREER_COLUMNS, batch, strict=True):
                writer.insert(table, columns, rows)
                counts[table] += len(rows)
            # The words of the batch's names (ADR 0028), from the sort keys just written.
            words = [row for officer in batch.officers
                     for row in token_rows(officer[0], officer[5])]
            writer.insert("officer_name_tokens", NAME_TOKEN_COLUMNS, words)
            counts["officer_name_tokens"] += len(words)
            writer.insert(*STATUS_COLUMNS, statuses)
            counts[STATUS_COLUMNS[0]] += len(statuses)
            for (table, columns), rows in zip(TRUST_COLUMNS, trust, strict=True):
                writer.insert(table, columns, rows, stored=True)
                counts[table] += len(rows)
            report("officers", counts["officers"], total)
        writer.finish([t for t in _ALL if t not in _NO_ID],
                      also_written=[t for t in _ALL if t in _NO_ID])
        tx.audit.record(actor, AuditAction.DEMO_BUILD, "registry", None,
                        detail={"scale": scale.value, "seed": seed, "counts": counts})
    counts["declarations"] = 0 if scale is Scale.NATIONAL else file_demo_declarations(
        uow, actor, seed=seed)  # asset declarations and planted cases (ADR 0038)
    if issuer is not None:
        # Every current certificate as a signed credential, as the workflow would have issued
        # it: the cards, the verification page and the status lists have something to show.
        counts["cup_credentials"] = issue_missing(
            uow, actor, issuer=issuer, progress=lambda done: report("credentials", done, counts[
                "cup_certificates"]))
    return GenerationReport(scale, seed, counts, accounts)


@dataclass(frozen=True)
class DuplicatesReport:
    planted: list[int]  # the second records' officer ids
    originals: list[int]  # the officers they are second records of, in the same order
    proposed: int  # candidate pairs the matcher proposed in the whole registry


#: How many people the demo writes down twice (a handful: a clerk's afternoon on /identities).
DEMO_DUPLICATES = 12


def plant_duplicates(uow: UnitOfWork, actor: Actor, *, seed: int,
                     count: int = DEMO_DUPLICATES) -> DuplicatesReport:
    """Write a handful of the registry's people down a second time, each through the ordinary
    registration (its own audit entries), as second records come to exist: an earlier job the
    registry never linked to the person, with a clerk's slip in the name or birth date, or a
    re-hire under a new employee number after the career had ended (`demo_duplicates`). Then
    run the matcher over the whole registry, as the registry clerk would, so that /identities
    has candidate pairs to confirm or reject. Nothing is merged."""
    rng = random.Random(f"duplicates:{seed}")
    with uow.transaction() as tx:
        require(actor, Permission.OFFICER_IMPORT, resource_type="officer")
        people = [p for p in tx.identities.people()
                  if p.first_start is not None and p.birth_date is not None and p.agencies]
        rng.shuffle(people)
        # Those whose career ended first, so that the re-hires find some among the first read.
        people.sort(key=lambda p: p.last_end is None)
        originals: list[Original] = []
        for p in people[:count * 4]:
            career = tx.officers.career(officer_id_of(p.key) or 0)
            if career is None or not career.assignments:
                continue
            o, first = career.officer, career.assignments[0]
            if not career.agencies[first.agency_id].active:
                continue  # a dissolved agency takes no registration (the Policía Federal)
            ended = [a.end_date for a in career.assignments]
            originals.append(Original(
                o.id, o.given_names, o.first_surname, o.second_surname, o.birth_date,
                o.sex.value if o.sex else None, career.agencies[first.agency_id].code,
                first.start_date,
                None if any(e is None for e in ended) else max(e for e in ended if e)))
        rng.shuffle(originals)
        planned = demo_duplicates(originals, tx.today, rng, count)
        agencies = tx.agencies.by_codes({d.agency_code for d in planned})
        tx.audit.record(actor, AuditAction.DEMO_BUILD, "registry", None, detail={
            "stage": "duplicates", "originals": [d.original_id for d in planned]})
    planted: list[int] = []
    for dup in planned:
        profile = register_officer(uow, actor, NewOfficer(
            given_names=dup.given_names, first_surname=dup.first_surname,
            second_surname=dup.second_surname, birth_date=dup.birth_date,
            sex=Sex(dup.sex) if dup.sex else None,
            external_ids=(ExternalId("demo.nomina", dup.payroll),),
            assignment=FirstAssignment(agencies[dup.agency_code].id, "Policía", dup.start)))
        planted.append(profile.officer.id)
        if dup.end is not None:
            end_assignment(uow, actor, profile.assignments[0].id, dup.end,
                           ChangeReason.RESIGNATION)
    proposed = match_registry(uow, actor).proposed
    return DuplicatesReport(planted, [d.original_id for d in planned], proposed)


def _check(tx: Transaction, actor: Actor, with_demo_users: bool) -> None:
    require(actor, Permission.AGENCY_WRITE, resource_type="agency")
    require(actor, Permission.OFFICER_IMPORT, resource_type="officer")
    if with_demo_users:
        require(actor, Permission.USER_MANAGE, resource_type="user")
    if tx.agencies.search(include_dissolved=True, limit=1):
        raise Conflict("the registry already holds agencies; a demo fills an empty one")


def _demo_staff(tx: Transaction) -> DemoStaff:
    def user_id(username: str) -> int | None:
        found = tx.users.by_username(username)
        return None if found is None else found[0].id

    certifiers = tuple(i for i in map(user_id, _DEMO_CERTIFIERS) if i is not None)
    return DemoStaff(user_id(_DEMO_EXAMINER), certifiers)


def create_demo_accounts(uow: UnitOfWork, actor: Actor) -> list[DemoAccount]:
    """One account per role, plus a Jalisco-scoped HR account and a second certification officer
    (a not-approved decision needs two); random passwords, shown once."""
    wanted = [(f"demo-{role.value.replace('_', '-')}", role, Scope()) for role in Role]
    wanted.append(("demo-agency-hr-jal", Role.AGENCY_HR, Scope(ScopeKind.STATE, "14")))
    wanted.append((_DEMO_CERTIFIERS[1], Role.CERTIFICATION_OFFICER, Scope()))
    # An integrity case needs three members of the commission: who finds, a second person
    # for a finding on a statement said coerced, and a third for the appeal.
    wanted += [(f"demo-honour-commission-{n}", Role.HONOUR_COMMISSION, Scope()) for n in (2, 3)]
    accounts = []
    for username, role, scope in wanted:
        password = secrets.token_urlsafe(12)
        title = role.value.replace("_", " ")
        create_user(uow, actor, NewUser(username, f"Demo {title} ({scope.describe()})", password,
                                        role, scope))
        accounts.append(DemoAccount(username, role, scope.describe(), password))
    return accounts


def scale_size(scale: Scale) -> int:
    """How many officers a scale builds, before any is drawn (for progress bars and messages)."""
    spec = SCALES[scale]
    return spec.local_officers + spec.federal_officers


# The demo's second edition of a roster: Jalisco's state police sends its complete roster again,
# so that the roster refresh (ADR 0029) has something to show. Three officers are left out
# (pending separations for the demo HR account of Jalisco), one comes back under another given
# name (a conflict for the registry clerk), one is promoted and one resigned.
SECOND_EDITION_STATE = "14"
SECOND_EDITION_MAPPING = parse_mapping("""
[fields]
curp = "curp"
given_names = "nombres"
first_surname = "primer_apellido"
second_surname = "segundo_apellido"
birth_date = "fecha_nacimiento"
sex = "sexo"
rank = "grado"
start_date = "fecha_inicio"
end_date = "fecha_baja"
end_reason = "motivo_baja"
[agency]
column = "corporacion"
[roster]
complete = true
""", "demo-second-edition.toml")
SECOND_EDITION_HEADER = ["curp", "nombres", "primer_apellido", "segundo_apellido",
                         "fecha_nacimiento", "sexo", "grado", "fecha_inicio", "fecha_baja",
                         "motivo_baja", "corporacion"]


def apply_second_edition(uow: UnitOfWork, actor: Actor) -> ImportReport | None:
    """Refresh the registry from a second edition of one state police's roster; None when the
    registry has no such agency (a tiny demo)."""
    code = f"{state_tag(SECOND_EDITION_STATE)}-SSP"
    with uow.transaction(read_only=True) as tx:
        today = tx.today
        agency = tx.agencies.by_code(code)
        if agency is None:
            return None
        serving = sorted({o for _, o, _, _ in tx.rosters.open_postings_at([agency.id])})
        people = tx.rosters.known_people(serving, badges=False)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(SECOND_EDITION_HEADER)
    n = 0
    for officer_id in serving:
        person = people[officer_id]
        postings = [p for p in person.postings
                    if p.end_date is None and p.agency_id == agency.id]
        if person.curp is None or not postings:
            continue
        n += 1
        if n <= 3:
            continue  # left out: pending separations
        given = f"{person.given_names} ISABEL" if n == 4 else person.given_names
        for posting in postings:
            rank = "SUBOFICIAL" if n == 5 else posting.rank
            end, why = (today.isoformat(), "resignation") if (
                n == 6 and posting.start_date < today) else ("", "")
            writer.writerow([person.curp, given, person.first_surname,
                             person.second_surname or "",
                             person.birth_date.isoformat() if person.birth_date else "",
                             person.sex or "", rank, posting.start_date.isoformat(), end, why,
                             code])
    roster = decode_roster(f"{code.lower()}-segunda-edicion.csv",
                           out.getvalue().encode("utf-8"), "utf-8")
    return import_officers(uow, actor, roster, SECOND_EDITION_MAPPING, skip_invalid=True)


# Open integrity cases (ADR 0030): work waiting for each integrity role when the demo starts.
_INTEGRITY_PEOPLE = ("demo-internal-affairs-supervisor", "demo-internal-affairs",
                     "demo-honour-commission", "demo-honour-commission-2",
                     "demo-honour-commission-3", "demo-agency-hr")


def open_integrity_cases(uow: UnitOfWork, actor: Actor, *, seed: int) -> list[int]:
    """Take the demo's complaints (`demo.rules.integrity.CASES`) against officers of Jalisco's
    state police through the integrity use cases, as the demo accounts: intake by the console,
    assignment by the supervisor, the investigation by internal affairs, findings and the
    sanction by the commission, the appeal by HR. A case shown late has its stage dated back
    (one `registry:demo:build` entry says which). Returns the cases' ids; none without the demo
    accounts or the agency."""
    from confianza.accounts.rules.permissions import ActorKind
    from confianza.accounts.service.users import actor_for
    from confianza.demo.rules import integrity as plan
    from confianza.integrity.rules.catalogue import Duty, FindingKind, LinkKind
    from confianza.integrity.rules.safeguards import SupportKind
    from confianza.integrity.service import cases, decisions, process
    from confianza.integrity.service.cases import NewAllegation, NewCase, NewSource
    from confianza.integrity.service.decisions import Relied

    code = f"{state_tag(SECOND_EDITION_STATE)}-SSP"
    with uow.transaction(read_only=True) as tx:
        today = tx.today
        agency = tx.agencies.by_code(code)
        found = {name: tx.users.by_username(name) for name in _INTEGRITY_PEOPLE}
        serving = [] if agency is None else sorted(
            {o for _, o, _, _ in tx.rosters.open_postings_at([agency.id])})
    if agency is None or any(f is None for f in found.values()):
        return []
    who = {name: actor_for(f[0], ActorKind.USER) for name, f in found.items() if f}
    boss, investigator = who[_INTEGRITY_PEOPLE[0]], who[_INTEGRITY_PEOPLE[1]]
    first, second, third = (who[n] for n in _INTEGRITY_PEOPLE[2:5])
    opened: list[int] = []
    late: dict[int, int] = {}
    for case, officer in zip(plan.CASES, plan.accused(serving, seed), strict=False):
        made = cases.open_case(uow, actor, NewCase(agency.id, case.summary, tuple(
            NewSource(s.channel, s.reliability, s.credibility, s.account,
                      today - timedelta(days=s.days_ago), reporter_name=s.reporter_name,
                      protected=s.protected, benefit=s.benefit,
                      protected_identity=s.protected_identity) for s in case.sources),
            tuple(NewAllegation(a.kind, a.summary, a.sources, officer_id=officer,
                                occurred_on=today - timedelta(days=a.days_ago), place=a.place)
                  for a in case.allegations)))
        case_id = made.case.id
        opened.append(case_id)
        if case.late_days:
            late[case_id] = case.late_days
        if case.reach is plan.Reach.INTAKE:
            continue
        cases.assign(uow, boss, case_id, investigator.user_id or 0, Duty.INVESTIGATOR)
        for member, duty in ((first, Duty.DECIDER), (second, Duty.DECIDER),
                             (third, Duty.APPEAL_DECIDER)):
            cases.assign(uow, boss, case_id, member.user_id or 0, duty)
        if case.reach is plan.Reach.ASSIGNED:
            continue
        process.issue_notice(uow, investigator, case_id)
        process.serve_notice(uow, investigator, case_id, today)
        if case.reach is plan.Reach.ANSWER_PENDING:
            continue
        coerced = case.reach is plan.Reach.SECOND_PERSON
        sources = [s.id for s in made.sources]
        process.record_answer(uow, investigator, case_id,
                              plan.COERCED_ANSWER if coerced else plan.ANSWER,
                              tuple(sources) if coerced else ())
        evidence = process.add_evidence(uow, investigator, case_id, f"acta-{case_id}.pdf",
                                        "application/pdf", plan.EVIDENCE + str(case_id).encode(),
                                        "Acta de hechos y video de la cámara del lugar.")
        allegations = [v.allegation.id for v in made.allegations]
        for allegation_id in allegations:
            process.add_link(uow, investigator, case_id, allegation_id, LinkKind.SUPPORTS,
                             evidence_id=evidence)
        process.submit_for_decision(uow, investigator, case_id)
        for allegation_id in allegations:
            decisions.record_finding(
                uow, first, case_id, allegation_id, FindingKind.SUSTAINED, plan.GROUNDS,
                [Relied(SupportKind.SOURCE, s) for s in sources]
                + [Relied(SupportKind.EVIDENCE, evidence)])
        if coerced or case.sanction is None:
            continue
        decisions.record_sanction(uow, first, case_id, officer, case.sanction, plan.GROUNDS,
                                  case.sanction_days)
        decisions.file_appeal(uow, who[_INTEGRITY_PEOPLE[5]], case_id, plan.APPEAL)
    if late:
        with uow.transaction() as tx:
            for case_id, days in late.items():
                found_case = tx.integrity.case(case_id)
                if found_case is None:
                    continue
                step = DEADLINES.days_for(found_case.stage) or 0
                tx.integrity.set_stage(case_id, found_case.stage,
                                       today - timedelta(days=step + days))
            tx.audit.record(actor, AuditAction.DEMO_BUILD, "registry", None, detail={
                "stage": "integrity", "cases": opened, "dated_back": sorted(late)})
    return opened


@dataclass(frozen=True)
class DemoRisk:
    """What the demo's early-intervention step did: the model kept (None: nothing to train
    on) and the run that flagged the active officers (None: nothing trained) — by the model
    when it was promoted, else by the department's threshold rule."""

    model: StoredModel | None
    run: Run | None
    # Why nothing was trained when the registry's complaints hold too few outcomes (a small
    # sample of the Chicago files, say): the demo goes on without a model and says so.
    skipped: str | None = None


def train_and_score(uow: UnitOfWork, actor: Actor, *, key: bytes, share: float,
                    rule: ThresholdRule | None = None) -> DemoRisk:
    """Train a model on the registry's complaints as `confianza risk train` does (the day
    and years from `demo.rules.risk`, on the imported complaints' span), keep it sealed, and
    score the active officers as of that day with it when it was promoted. A model outside
    the limits scores nobody (ADR 0034): then the threshold rule flags, as `confianza risk
    score --rule threshold --as-of DAY` would, so HR's queue holds real flags, each saying
    the rule raised it (ADR 0034, second addendum)."""
    # The imported complaints' span: the demo's own open cases (opened today) would otherwise
    # move the day trained as of, and the test years with it, to years not yet closed.
    plan = demo_training(risk_models.complaint_span(uow, actor, imported_only=True),
                         uow.today())
    if plan is None:
        return DemoRisk(None, None)
    try:
        trained = risk_models.train(
            uow, actor, key=key, as_of=plan.as_of, source=ModelSource.REGISTRY,
            test_years=plan.test_years, reps=plan.reps, learners=plan.learners,
            train_from=plan.train_from, test_until=plan.test_until)
    except ValidationFailed as refused:  # nothing was stored: training keeps all or nothing
        return DemoRisk(None, None, skipped=refused.detail)
    # Scored as of the same day: the imported records end there, and a rule (or a model)
    # as of today would see no complaint in the last year.
    if not trained.stored.promoted:
        return DemoRisk(trained.stored, risk_scoring.score(
            uow, actor, key=key, share=share, rule=rule or ThresholdRule(), as_of=plan.as_of))
    return DemoRisk(trained.stored, risk_scoring.score(uow, actor, key=key, share=share,
                                                       as_of=plan.as_of))
