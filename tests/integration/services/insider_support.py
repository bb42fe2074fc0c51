"""Alerts on unexplained reads for the page and browser tests, raised as the console would:
an examiner opens a dozen records that are none of their work, minutes apart; the trail is
placed in the tamper-evident log and verified; detection scores the day (issue 19 §2-3)."""

from __future__ import annotations

from datetime import date

from evaluation_support import World
from log_verify_support import ORIGIN

from confianza.access.service.detection import detect
from confianza.accounts.rules.permissions import Actor
from confianza.kit.signed_note import Signer
from confianza.registry.service import officers as officer_service
from confianza.transparency.service import log as transparency
from confianza.transparency.service.verify import verify_log
from conftest import PUBLIC, FakeClock

SIGNER = Signer.generate(ORIGIN)
SURNAMES = ("Ibarra", "Luna", "Soto", "Campos", "Mejía", "Rivas", "Paredes", "Galindo",
            "Quiroz", "Salas", "Toledo", "Urrutia")


def stray_burst(world: World, clock: FakeClock, given: str = "Berta") -> list[int]:
    """The second examiner opens twelve records that are none of their work, three minutes
    apart; the officers read, in order."""
    officers = [world.new_officer(given, surname, "Luna") for surname in SURNAMES]
    for officer in officers:
        clock.advance(minutes=3)
        officer_service.read_record(world.container.uow(), world.second_examiner, officer)
    return officers


def raise_alerts(world: World, auditor: Actor, day: date) -> list[int]:
    """Place the trail in the log and score `day`: the ids of the alerts raised."""
    container = world.container
    transparency.integrate(container.uow(), PUBLIC)
    found = detect(container.uow(), auditor, day, day, threshold=10,
                   verify=lambda: verify_log(container.uow(), [SIGNER.verifier], PUBLIC,
                                             origin=ORIGIN))
    return [a.id for a in found.alerts]
