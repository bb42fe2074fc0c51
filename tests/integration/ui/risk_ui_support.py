"""Flags for the early-intervention page tests: the API tests' helpers (risk_api_support,
which writes a run and its scores without training), put on the import path here."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))

from risk_api_support import NOTE, add_run, build_history, person  # noqa: E402, I001
from evaluation_support import PASSWORD  # noqa: E402 - on the path once risk_api_support is

__all__ = ["NOTE", "PASSWORD", "add_run", "build_history", "person"]
