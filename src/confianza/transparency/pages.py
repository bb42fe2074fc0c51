"""The exported log (CONFIANZA_LOG_EXPORT_DIR) served at /log/, as any static server would.

The tiles are meant for any web server or object store; this mount lets a single server (the
demo, a small deployment) publish them too. Full tiles and bundles never change, so caches may
keep them for good; the checkpoint and the partial tiles of the right edge are replaced as the
log grows, so they are kept briefly (the tlog-tiles spec asks the same of any server).
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

FULL = "public, max-age=31536000, immutable"
CHANGING = "public, max-age=10"


class LogFiles(StaticFiles):
    def __init__(self, directory: Path) -> None:
        # The directory may not exist until the first export: files are simply not found.
        super().__init__(directory=directory, check_dir=False)

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            name = path.replace(os.sep, "/")
            changing = name == "checkpoint" or ".p/" in name
            response.headers["Cache-Control"] = CHANGING if changing else FULL
            # Tiles and bundles are binary; the checkpoint is a signed note (text).
            response.headers["Content-Type"] = ("text/plain; charset=utf-8"
                                                if name == "checkpoint"
                                                else "application/octet-stream")
            # Mirrors and verifiers in browsers fetch across origins.
            response.headers["Access-Control-Allow-Origin"] = "*"
        return response
