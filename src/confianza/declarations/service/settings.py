"""The checks' thresholds, the pay scale and the rates, read from the deployment's settings
(`CONFIANZA_DECLARATIONS_*`) by the commands, the API and the pages alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Protocol, TypeVar

from confianza.core.errors import FieldError, ValidationFailed
from confianza.declarations.rules.checks import CheckSettings
from confianza.declarations.rules.money import parse_rates
from confianza.declarations.rules.pay import PayScale, parse_levels

T = TypeVar("T")


class DeclarationSettings(Protocol):
    """The settings these need (`app.settings.Settings` has them)."""

    @property
    def declarations_rates(self) -> str: ...
    @property
    def declarations_living_share(self) -> float: ...
    @property
    def declarations_growth_ratio(self) -> float: ...
    @property
    def declarations_salary_tolerance(self) -> float: ...
    @property
    def declarations_cash_share(self) -> float: ...
    @property
    def declarations_repayment_share(self) -> float: ...
    @property
    def declarations_min_amount(self) -> float: ...
    @property
    def declarations_since(self) -> str: ...
    @property
    def declarations_pay_scale(self) -> str: ...
    @property
    def declarations_pay_step(self) -> float: ...
    @property
    def declarations_pay_raise(self) -> float: ...
    @property
    def declarations_pay_year(self) -> int: ...


def _setting(name: str, parse: Callable[[str], T], value: str) -> T:
    try:
        return parse(value)
    except ValueError as exc:
        raise ValidationFailed(FieldError(f"CONFIANZA_{name.upper()}", str(exc))) from None


def rates(settings: DeclarationSettings) -> dict[str, Decimal]:
    return _setting("declarations_rates", parse_rates, settings.declarations_rates)


def check_settings(settings: DeclarationSettings) -> CheckSettings:
    """The checks' thresholds and pay scale (ValidationFailed naming the setting at fault)."""
    return CheckSettings(
        living_share=settings.declarations_living_share,
        growth_ratio=settings.declarations_growth_ratio,
        salary_tolerance=settings.declarations_salary_tolerance,
        cash_share=settings.declarations_cash_share,
        repayment_share=settings.declarations_repayment_share,
        min_amount=settings.declarations_min_amount,
        since=_setting("declarations_since", date.fromisoformat, settings.declarations_since),
        pay=PayScale(base=_setting("declarations_pay_scale", parse_levels,
                                   settings.declarations_pay_scale),
                     step=settings.declarations_pay_step,
                     raise_=settings.declarations_pay_raise,
                     year=settings.declarations_pay_year))
