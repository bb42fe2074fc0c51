"""The JSON API, version 1: one module per feature, gathered here."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1")
