"""Confianza: trust control for police forces."""

__version__ = "0.1.0"
