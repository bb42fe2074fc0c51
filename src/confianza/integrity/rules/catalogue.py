"""What an allegation says and where it came from: the catalogues of a case.

The values are codes; their Spanish and English labels live in the one text catalogue
(`core/web/strings/integrity.py`, ADR 0015), keyed by these codes.
"""

from __future__ import annotations

from enum import StrEnum


class AllegationKind(StrEnum):
    """What is alleged."""

    BRIBERY = "bribery"
    ORGANISED_CRIME = "organised_crime"
    LEAKING_INFORMATION = "leaking_information"
    USE_OF_FORCE = "use_of_force"
    THEFT = "theft"
    DRUG_USE = "drug_use"
    ABUSE_OF_AUTHORITY = "abuse_of_authority"
    EXTORTION = "extortion"
    UNLAWFUL_DETENTION = "unlawful_detention"
    NEGLECT_OF_DUTY = "neglect_of_duty"
    OTHER = "other"


#: The kinds that bear on trust control (the trust-control law's own grounds: links to crime,
#: drugs, corruption, leaking what the force knows): a sustained finding of one of them may
#: ask for a special trust-control evaluation.
TRUST_CONTROL_KINDS = frozenset({
    AllegationKind.BRIBERY, AllegationKind.ORGANISED_CRIME, AllegationKind.LEAKING_INFORMATION,
    AllegationKind.DRUG_USE, AllegationKind.EXTORTION, AllegationKind.THEFT,
})


class SourceChannel(StrEnum):
    """How an allegation reached internal affairs."""

    CITIZEN_COMPLAINT = "citizen_complaint"
    ANONYMOUS_LINE = "anonymous_line"
    FELLOW_OFFICER = "fellow_officer"
    SUPERVISOR = "supervisor"
    OTHER_AUTHORITY = "other_authority"
    WITNESS_STATEMENT = "witness_statement"
    MEDIA_OR_BANNER = "media_or_banner"
    TRUST_CONTROL_EXAMS = "trust_control_exams"


class Reliability(StrEnum):
    """Admiralty code: how reliable the source has proved, graded apart from what it says."""

    A = "A"  # completely reliable
    B = "B"  # usually reliable
    C = "C"  # fairly reliable
    D = "D"  # not usually reliable
    E = "E"  # unreliable
    F = "F"  # reliability cannot be judged


class Credibility(StrEnum):
    """Admiralty code: how credible this piece of information is, whoever gave it."""

    CONFIRMED = "1"
    PROBABLY_TRUE = "2"
    POSSIBLY_TRUE = "3"
    DOUBTFUL = "4"
    IMPROBABLE = "5"
    CANNOT_BE_JUDGED = "6"


class LinkKind(StrEnum):
    """How a piece of evidence or another allegation bears on an allegation."""

    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"


class Standing(StrEnum):
    UNCORROBORATED = "uncorroborated"
    CORROBORATED = "corroborated"
    CONTRADICTED = "contradicted"


class FindingKind(StrEnum):
    """A finding per allegation."""

    SUSTAINED = "sustained"  # it happened and was misconduct
    NOT_SUSTAINED = "not_sustained"  # the evidence cannot prove or disprove it
    UNFOUNDED = "unfounded"  # it did not happen
    EXONERATED = "exonerated"  # it happened and was lawful


class SanctionKind(StrEnum):
    """The sanctions a police disciplinary regime gives, lightest first."""

    REPRIMAND = "reprimand"  # amonestación
    ARREST = "arrest"  # arresto administrativo
    SUSPENSION = "suspension"
    DEMOTION = "demotion"
    DISMISSAL = "dismissal"  # remoción / destitución


class Duty(StrEnum):
    """What a person does in one case."""

    INVESTIGATOR = "investigator"
    DECIDER = "decider"
    APPEAL_DECIDER = "appeal_decider"


class AppealOutcome(StrEnum):
    UPHELD = "upheld"  # the sanction stands
    OVERTURNED = "overturned"  # the sanction falls
