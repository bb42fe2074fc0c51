"""An allegation's standing (uncorroborated, corroborated, contradicted), with its reasons.

Accusations are weapons (THREAT_MODEL): a banner, an anonymous call or a paid witness can name
anyone. So a source is judged on how it was obtained before it is counted, and some sources
can never stand alone (`weakness`). Standing follows from the links alone, and every reason is
a code with its figures, worded by the edges in either language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from confianza.integrity.rules.catalogue import (
    Credibility,
    LinkKind,
    Reliability,
    SourceChannel,
    Standing,
)


class Weakness(StrEnum):
    """Why a source cannot, alone, carry an adverse finding."""

    ANONYMOUS = "anonymous"  # nobody answers for it; it cannot be questioned
    MEDIA = "media"  # a banner or a story: who wrote it, and why, is unknown
    PAID_PROTECTED_WITNESS = "paid_protected_witness"  # protected and rewarded: a motive to name
    EXAM_ALONE = "exam_alone"  # an exam (the polygraph) is not proof of misconduct by itself
    UNRELIABLE = "unreliable"  # graded E: it has proved unreliable
    IMPROBABLE = "improbable"  # graded 5: what it says is improbable


@dataclass(frozen=True)
class SourceFacts:
    """What the rules need to know of a source."""

    id: int
    channel: SourceChannel
    reliability: Reliability
    credibility: Credibility
    protected: bool = False
    benefit: bool = False
    coercion_claimed: bool = False

    @property
    def weakness(self) -> Weakness | None:
        if self.channel is SourceChannel.ANONYMOUS_LINE:
            return Weakness.ANONYMOUS
        if self.channel is SourceChannel.MEDIA_OR_BANNER:
            return Weakness.MEDIA
        if self.protected and self.benefit:
            return Weakness.PAID_PROTECTED_WITNESS
        if self.channel is SourceChannel.TRUST_CONTROL_EXAMS:
            return Weakness.EXAM_ALONE
        if self.reliability is Reliability.E:
            return Weakness.UNRELIABLE
        if self.credibility is Credibility.IMPROBABLE:
            return Weakness.IMPROBABLE
        return None


@dataclass(frozen=True)
class EvidenceLink:
    evidence_id: int
    kind: LinkKind


@dataclass(frozen=True)
class AllegationLink:
    """Another allegation linked to this one; it corroborates only when it rests on a source
    or evidence of its own that can stand (`independent`), never on the same sources."""

    allegation_id: int
    kind: LinkKind
    independent: bool


@dataclass(frozen=True)
class Reason:
    """One reason, as a code and its figures (`ids`: the records it speaks of)."""

    code: str
    ids: tuple[int, ...] = ()
    weakness: Weakness | None = None


@dataclass(frozen=True)
class Assessment:
    standing: Standing
    reasons: tuple[Reason, ...] = field(default_factory=tuple)


def assess(
    sources: Sequence[SourceFacts], evidence: Sequence[EvidenceLink],
    allegations: Sequence[AllegationLink] = (),
) -> Assessment:
    """The standing of one allegation from its sources and links.

    - contradicted: some evidence contradicts it and none supports it (a document outweighs
      what anyone says);
    - corroborated: some evidence supports it, or two sources that can stand say it, or one
      such source and another allegation of independent origin support it;
    - uncorroborated otherwise, whatever the number of weak sources: ten anonymous calls may be
      one caller.
    """
    strong = tuple(s.id for s in sources if s.weakness is None)
    weak = [s for s in sources if s.weakness is not None]
    supporting = tuple(e.evidence_id for e in evidence if e.kind is LinkKind.SUPPORTS)
    contradicting = tuple(e.evidence_id for e in evidence if e.kind is LinkKind.CONTRADICTS)
    backing = tuple(a.allegation_id for a in allegations
                    if a.kind is LinkKind.SUPPORTS and a.independent)
    against = tuple(a.allegation_id for a in allegations if a.kind is LinkKind.CONTRADICTS)
    reasons: list[Reason] = []
    if supporting:
        reasons.append(Reason("evidence_supports", supporting))
    if contradicting:
        reasons.append(Reason("evidence_contradicts", contradicting))
    if strong:
        reasons.append(Reason("sources_that_stand", strong))
    reasons.extend(Reason("source_cannot_stand_alone", (s.id,), s.weakness) for s in weak)
    if backing:
        reasons.append(Reason("allegations_support", backing))
    if against:
        reasons.append(Reason("allegations_contradict", against))
    if contradicting and not supporting:
        return Assessment(Standing.CONTRADICTED, tuple(reasons))
    if supporting or len(strong) >= 2 or (strong and backing):
        return Assessment(Standing.CORROBORATED, tuple(reasons))
    if not strong:
        reasons.append(Reason("no_source_that_stands"))
    else:
        reasons.append(Reason("one_source_only", strong))
    return Assessment(Standing.UNCORROBORATED, tuple(reasons))
