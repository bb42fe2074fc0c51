"""The JSON API, version 1: one module per feature, gathered here.

Routes whose use case is a few indexed statements are coroutines that call the (synchronous)
service inline: a hop through the thread pool costs more than such a use case, and measured
with benchmarks/api_lookup.py it halved the throughput of one server process. Routes that can
run long (a roster of thousands, a merger, an argon2 password hash) stay plain functions, which
FastAPI runs in its thread pool so they never hold up the others. See docs/adr/0007.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.routing import Match
from starlette.types import Scope

from confianza.access import api as access_alerts
from confianza.accounts.api import session, users
from confianza.certification.api import appeals
from confianza.certification.api import standing as certification
from confianza.credentials import api as credentials
from confianza.dashboard import api as dashboard
from confianza.declarations import api as declarations
from confianza.identities import api as identities
from confianza.integrity.api import cases as integrity
from confianza.integrity.api import network as integrity_network
from confianza.integrity.api import outside_sanctions as integrity_outside
from confianza.integrity.api import sanctions as integrity_sanctions
from confianza.registry.api import agencies, assignments, officers, rosters
from confianza.risk import api as risk
from confianza.timeline import api as timeline
from confianza.trail import api as access
from confianza.transparency import api as log
from confianza.vetting.api import centres, evaluations, exams


class ApiRouter(APIRouter):
    """The API's routes, passed over at once by a request whose path is outside the API's
    prefix (a page). Without it every page request is first matched against each API route,
    one regular expression at a time: measured, 0.1 ms of a profile page's 2 ms of CPU."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        # A cheap test that never refuses an API path: the prefix is searched for where it
        # may sit, after a root path the server may or may not have put in front.
        if self.prefix + "/" not in scope.get("path", ""):
            return Match.NONE, {}
        return super().matches(scope)


router = ApiRouter(prefix="/api/v1")
for feature in (session, users, agencies, officers, assignments,
                centres, evaluations, exams, appeals, certification, credentials, log,
                access, timeline, dashboard, identities, rosters, integrity, integrity_network,
                risk, integrity_sanctions, integrity_outside, access_alerts, declarations):
    router.include_router(feature.router)
