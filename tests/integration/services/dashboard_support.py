"""A small force with a known dashboard, for the service and page tests of the dashboard.

Built on evaluation_support's world (the Jalisco centre, C3-JAL, with 4 exams a day of each
type; HR scoped to JAL-SSP). Six officers hold a post:

| officer | agency     | standing                                   | on active duty, uncertified |
|---------|------------|--------------------------------------------|-----------------------------|
| Ana     | JAL-SSP    | approved until 2029-11-20, CUP: certified  | no                          |
| Bruno   | JAL-SSP    | not approved (confirmed): off duty         | no (removed from duty)      |
| Carla   | JAL-SSP    | never evaluated                            | yes                         |
| Diego   | JAL-SSP    | never evaluated, a request not yet booked  | yes                         |
| Elena   | NL-FC      | never evaluated                            | yes                         |
| Félix   | JAL-GDL-PM | approved until 2027-02-10, no CUP          | yes                         |

Exams in the last year: Ana's five, all favourable; Bruno's five, toxicology adverse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from evaluation_support import World, build_world, failing

from confianza.app.bootstrap import Container
from confianza.certification.rules.decisions import Verdict
from confianza.certification.service import decisions
from confianza.vetting.rules.evaluations import ExamType

GROUNDS = "Toxicología positiva a cocaína confirmada por la segunda muestra del laboratorio."
FELIX_UNTIL = date(2027, 2, 10)  # the fourth bucket from November 2026


@dataclass(frozen=True)
class Force:
    world: World
    ana: int
    bruno: int
    carla: int
    diego: int
    elena: int
    felix: int
    request: int  # Diego's evaluation, requested and not booked


def build_force(container: Container, agencies: dict[str, int]) -> Force:
    world = build_world(container, agencies)
    ana = world.officer_id
    world.certify(ana)
    bruno = world.new_officer("Bruno", "Cano", "Luna")
    failed = world.ready_for_decision({ExamType.TOXICOLOGY: failing(ExamType.TOXICOLOGY)}, bruno)
    decisions.decide(world.uow, world.decider, failed, Verdict.NOT_APPROVED, GROUNDS,
                     policy=container.policy, issuer=container.issuer)
    decisions.confirm(world.uow, world.confirmer, failed, agree=True,
                      policy=container.policy, issuer=container.issuer)
    carla = world.new_officer("Carla", "Duarte", "Mena")
    diego = world.new_officer("Diego", "Elizondo", "Ríos")
    request = world.request(diego)
    elena = world.new_officer("Elena", "Fuentes", "Garza", agency="NL-FC")
    felix = world.new_officer("Félix", "Gómez", "Haro", agency="JAL-GDL-PM")
    # An approval from years ago, ending within the year: written as the synthetic generator
    # writes a history, straight into the standing summary.
    with container.uow().transaction() as tx:
        tx.certification.set_standing(felix, last_evaluation_id=None,
                                      last_verdict=Verdict.APPROVED,
                                      last_decided_on=date(2024, 2, 10),
                                      approved_until=FELIX_UNTIL)
    return Force(world, ana, bruno, carla, diego, elena, felix, request)
