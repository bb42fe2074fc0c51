"""The configurable policy of the trust-control workflow, gathered in one value.

Built once from settings by the composition root and handed to the use cases that apply it
(`policy=`), so a use case never reaches for configuration itself and its signature says
that it depends on the policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from confianza.certification.rules.cup import CupPolicy
from confianza.certification.rules.decisions import ValidityPolicy
from confianza.vetting.rules.evaluations import BatteryPolicy


@dataclass(frozen=True)
class WorkflowPolicy:
    battery: BatteryPolicy = field(default_factory=BatteryPolicy)
    validity: ValidityPolicy = field(default_factory=ValidityPolicy)
    cup: CupPolicy = field(default_factory=CupPolicy)
    appeal_days: int = 15
