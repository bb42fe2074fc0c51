"""A synthetic registry history for the early-intervention tests: officers posted since 2012,
integrity cases against them year after year, findings, and trust-control verdicts.

Each officer has a hidden propensity; it drives complaints of excessive force and the
sustained findings the model must foresee, while complaints of other kinds are noise. Rows
are written straight into the tables (hundreds of cases through the use cases would take
minutes); the registry's own use cases read them as they would any other.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert

from confianza.app.bootstrap import Container
from confianza.core.db.models import (
    AssignmentRow,
    IntegrityAllegationRow,
    IntegrityAllegationSourceRow,
    IntegrityCaseRow,
    IntegrityFindingRow,
    IntegritySourceRow,
    OfficerRow,
    UserRow,
)

START = date(2012, 1, 1)
LAST = date(2026, 10, 31)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 17, 0, tzinfo=UTC)


def build_history(container: Container, agency_id: int, officers: int = 1200,
                  seed: int = 7) -> list[int]:
    """Write the history; returns the officers' ids."""
    rng = random.Random(seed)
    now = _at(START)
    rows: dict[str, list[dict[str, object]]] = {k: [] for k in (
        "officers", "assignments", "cases", "sources", "allegations", "links", "findings")}
    case_id = source_id = allegation_id = 0
    with container.session_factory() as session, session.begin():
        user_id = session.execute(insert(UserRow).values(
            username="risk-decider", display_name="Decider", password_hash="x",
            role="honour_commission", scope_kind="national", created_at=now)
            .returning(UserRow.id)).scalar_one()
        for i in range(1, officers + 1):
            propensity = rng.lognormvariate(-1.2, 0.9)
            rows["officers"].append(dict(
                id=i, given_names=f"Nombre{i}", first_surname=f"Apellido{i}",
                second_surname=None, search_name=f"APELLIDO{i} NOMBRE{i}",
                birth_year=1970 + i % 30, sex="H" if i % 3 else "M", status="active",
                created_at=now, updated_at=now))
            rows["assignments"].append(dict(
                officer_id=i, agency_id=agency_id, rank="Policía",
                start_date=START + timedelta(days=i % 300), start_reason="appointment"))
            for year in range(2013, 2027):
                for _ in range(_poisson(rng, 0.35 * propensity + 0.3)):
                    day = date(year, rng.randint(1, 12), rng.randint(1, 28))
                    if day > LAST:
                        continue
                    force = rng.random() < min(0.9, 0.25 * propensity + 0.1)
                    case_id += 1
                    source_id += 1
                    allegation_id += 1
                    rows["cases"].append(dict(
                        id=case_id, agency_id=agency_id, stage="closed", stage_since=day,
                        summary="Queja sintética", opened_at=_at(day), opened_by="clerk"))
                    rows["sources"].append(dict(
                        id=source_id, case_id=case_id, channel="citizen_complaint",
                        reliability="C", credibility="3", protected=False, benefit=False,
                        coercion_claimed=False, reporter_name="Ciudadano", account="Relato",
                        received_on=day, relayed_by="clerk"))
                    rows["allegations"].append(dict(
                        id=allegation_id, case_id=case_id,
                        kind="use_of_force" if force else "other", officer_id=i,
                        occurred_on=day, summary="Hecho"))
                    rows["links"].append(dict(allegation_id=allegation_id,
                                              source_id=source_id))
                    decided = day + timedelta(days=90)
                    sustained = force and rng.random() < min(0.8, 0.3 * propensity)
                    if decided <= LAST:
                        rows["findings"].append(dict(
                            allegation_id=allegation_id,
                            finding="sustained" if sustained else "not_sustained",
                            grounds="Fundamentos", relied_on="[]", decided_by_id=user_id,
                            decided_by="risk-decider", decided_at=_at(decided),
                            needs_second=False))
        for table, model in (("officers", OfficerRow), ("assignments", AssignmentRow),
                             ("cases", IntegrityCaseRow), ("sources", IntegritySourceRow),
                             ("allegations", IntegrityAllegationRow),
                             ("links", IntegrityAllegationSourceRow),
                             ("findings", IntegrityFindingRow)):
            if rows[table]:
                session.execute(insert(model), rows[table])
    _reset_sequences(container)
    return list(range(1, officers + 1))


def _reset_sequences(container: Container) -> None:
    """PostgreSQL's sequences past the ids written by hand (SQLite needs nothing)."""
    if container.engine.dialect.name != "postgresql":
        return
    with container.engine.begin() as connection:
        for table in ("officers", "assignments", "integrity_cases", "integrity_sources",
                      "integrity_allegations", "integrity_findings"):
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: small means only, which is all this needs.
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
