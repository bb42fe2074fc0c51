"""The JSON API, version 1: one module per feature, gathered here."""

from __future__ import annotations

from fastapi import APIRouter

from confianza.web.api import agencies, assignments, officers, session, users

router = APIRouter(prefix="/api/v1")
for feature in (session, users, agencies, officers, assignments):
    router.include_router(feature.router)
