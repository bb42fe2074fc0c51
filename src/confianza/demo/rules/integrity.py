"""The demo's open integrity cases: a handful of complaints against officers of one state
police, each taken as far along due process as a real case would be on the day the demo is
built, so that every integrity role finds work waiting (ADR 0030).

Pure: what each case says and how far it goes. `demo.service.open_integrity_cases` takes
each one through the integrity use cases, as the people the demo accounts stand for.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum

from confianza.integrity.rules.catalogue import (
    AllegationKind,
    Credibility,
    Reliability,
    SanctionKind,
    SourceChannel,
)


class Reach(StrEnum):
    """How far along its process a demo case is taken."""

    INTAKE = "intake"  # taken in; the supervisor assigns it
    ASSIGNED = "assigned"  # an investigator has it
    ANSWER_PENDING = "answer_pending"  # the notice is served; the officer's answer is awaited
    SECOND_PERSON = "second_person"  # a finding on a statement said coerced awaits a second
    APPEAL = "appeal"  # sustained, sanctioned, and appealed by the officer's agency


@dataclass(frozen=True)
class DemoSource:
    channel: SourceChannel
    reliability: Reliability
    credibility: Credibility
    account: str
    days_ago: int  # when it was received, before the build's day
    reporter_name: str | None = None
    protected: bool = False
    benefit: bool = False
    protected_identity: str | None = None


@dataclass(frozen=True)
class DemoAllegation:
    kind: AllegationKind
    summary: str
    place: str
    sources: tuple[int, ...]  # indexes into the case's sources
    days_ago: int  # when it happened


@dataclass(frozen=True)
class DemoCase:
    summary: str
    reach: Reach
    sources: tuple[DemoSource, ...]
    allegations: tuple[DemoAllegation, ...]
    late_days: int = 0  # the stage began this many days beyond its deadline
    sanction: SanctionKind | None = None
    sanction_days: int | None = None


_S, _R, _C, _K = SourceChannel, Reliability, Credibility, AllegationKind

CASES: tuple[DemoCase, ...] = (
    DemoCase(
        "Una vecina denuncia que dos elementos catearon su domicilio sin orden y se llevaron "
        "dinero en efectivo.", Reach.INTAKE,
        (DemoSource(_S.CITIZEN_COMPLAINT, _R.F, _C.POSSIBLY_TRUE,
                    "Entraron sin orden, revisaron los cuartos y se llevaron 8,000 pesos del "
                    "ropero.", 9, reporter_name="Guadalupe Herrera Soto"),),
        (DemoAllegation(_K.ABUSE_OF_AUTHORITY, "Cateo sin orden judicial del domicilio.",
                        "Colonia Oblatos, Guadalajara", (0,), 10),
         DemoAllegation(_K.THEFT, "Sustrajo dinero en efectivo durante el cateo.",
                        "Colonia Oblatos, Guadalajara", (0,), 10)),
        late_days=3),
    DemoCase(
        "Una narcomanta y una llamada anónima acusan a un comandante de proteger a una célula; "
        "un compañero de la corporación relata filtraciones de operativos.", Reach.INTAKE,
        (DemoSource(_S.MEDIA_OR_BANNER, _R.F, _C.CANNOT_BE_JUDGED,
                    "Manta colgada en un puente peatonal con su nombre y cargo.", 2),
         DemoSource(_S.ANONYMOUS_LINE, _R.F, _C.DOUBTFUL,
                    "Quien llama dice que el comandante avisa de los operativos.", 1),
         DemoSource(_S.FELLOW_OFFICER, _R.B, _C.PROBABLY_TRUE,
                    "Dos operativos se cancelaron después de que él pidió los detalles por "
                    "radio.", 1, reporter_name="Suboficial Martín Robles Aguayo")),
        (DemoAllegation(_K.ORGANISED_CRIME, "Protección a una célula delictiva.",
                        "Tlaquepaque", (0, 1), 30),
         DemoAllegation(_K.LEAKING_INFORMATION, "Filtró la hora y el lugar de dos operativos.",
                        "Tlaquepaque", (2,), 20))),
    DemoCase(
        "Un detenido presenta lesiones que el certificado médico atribuye a golpes después de "
        "la detención.", Reach.ASSIGNED,
        (DemoSource(_S.OTHER_AUTHORITY, _R.B, _C.PROBABLY_TRUE,
                    "La Comisión Estatal de Derechos Humanos remite la queja con el "
                    "certificado médico.", 6, reporter_name="CEDHJ, Visitaduría General"),),
        (DemoAllegation(_K.USE_OF_FORCE, "Golpeó al detenido esposado en la patrulla.",
                        "Zapopan", (0,), 12),)),
    DemoCase(
        "Transportistas denuncian cobros de cuotas en un retén de la carretera a Chapala.",
        Reach.ANSWER_PENDING,
        (DemoSource(_S.CITIZEN_COMPLAINT, _R.C, _C.POSSIBLY_TRUE,
                    "Le pidieron 500 pesos para dejar pasar su camión.", 20,
                    reporter_name="Rodolfo Gómez Ibarra"),
         DemoSource(_S.WITNESS_STATEMENT, _R.C, _C.POSSIBLY_TRUE,
                    "Vio a los elementos recibir dinero de tres camiones.", 15, protected=True,
                    benefit=True, protected_identity="Testigo con reserva de identidad, "
                    "expediente de la fiscalía")),
        (DemoAllegation(_K.EXTORTION, "Exigió cuotas a transportistas en el retén.",
                        "Carretera Guadalajara-Chapala km 12", (0, 1), 25),)),
    DemoCase(
        "Un testigo declara que un policía vendía droga decomisada; el elemento dice que la "
        "declaración se obtuvo con amenazas.", Reach.SECOND_PERSON,
        (DemoSource(_S.WITNESS_STATEMENT, _R.B, _C.PROBABLY_TRUE,
                    "Le compró en dos ocasiones droga que el policía sacaba de la bodega.", 60,
                    reporter_name="Testigo identificado en el acta"),),
        (DemoAllegation(_K.DRUG_USE, "Vendió droga asegurada en la bodega de evidencias.",
                        "Tonalá", (0,), 75),)),
    DemoCase(
        "Un comerciante denuncia que un policía le cobró por no remitir su camioneta al "
        "corralón; lo acredita un video.", Reach.APPEAL,
        (DemoSource(_S.CITIZEN_COMPLAINT, _R.B, _C.PROBABLY_TRUE,
                    "Le pidió 2,000 pesos para no llevarse la camioneta.", 70,
                    reporter_name="Jorge Alberto Ramos Nuño"),),
        (DemoAllegation(_K.BRIBERY, "Cobró 2,000 pesos por no remitir un vehículo.",
                        "Centro, Guadalajara", (0,), 72),),
        sanction=SanctionKind.SUSPENSION, sanction_days=15),
)

#: Evidence the investigator adds to the cases that reach a finding: a document per case.
EVIDENCE = b"%PDF-1.4\n% acta de hechos (demo)\n"
GROUNDS = ("El acta y el video agregados al expediente acreditan la conducta en la fecha y el "
           "lugar señalados.")
ANSWER = "El elemento niega los hechos y afirma que ese día cubría otro servicio."
COERCED_ANSWER = "El elemento niega los hechos y afirma que el testigo declaró bajo amenazas."
APPEAL = "La sanción es desproporcionada: el elemento no tiene antecedentes en doce años."


def accused(serving: list[int], seed: int) -> list[int]:
    """One officer per case, drawn from those serving (the same seed, the same officers)."""
    rng = random.Random(f"integrity:{seed}")
    return rng.sample(sorted(serving), min(len(CASES), len(serving)))
