"""An auditor reads every action of the trail in words: a new audit action without its label
would show its raw tag on the access pages (the fallback), so the suite asks for the label."""

from __future__ import annotations

from confianza.core.web import i18n, strings
from confianza.trail.rules import AuditAction


def test_every_audit_action_has_words_in_both_languages() -> None:
    missing = [action.value for action in AuditAction if action.value not in strings.ACC_ACTION]
    assert missing == []
    with i18n.speaking("en"):
        english = {action.value: strings.ACC_ACTION[action.value] for action in AuditAction}
    spanish = {action.value: strings.ACC_ACTION[action.value] for action in AuditAction}
    assert english["officer:timeline:read"] == "Read the record's timeline"
    assert spanish["officer:timeline:read"] == "Consultó la cronología del expediente"
    # Distinct words for distinct actions, so two acts never read alike in a report.
    assert len(set(spanish.values())) == len(spanish)
