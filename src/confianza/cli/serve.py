"""`confianza serve`: the web application under uvicorn."""

from __future__ import annotations

import typer

from confianza.cli.common import container
from confianza.settings import Settings


def serve(
    host: str | None = typer.Option(None, help="Address to listen on (CONFIANZA_HOST)."),
    port: int | None = typer.Option(None, help="Port to listen on (CONFIANZA_PORT)."),
    reload: bool = typer.Option(False, help="Restart on code changes (development only)."),
) -> None:
    """Serve the API and the web pages."""
    import uvicorn  # imported here: every other command starts faster without it

    settings = Settings()  # read first, so a bad setting is one line, not a server traceback
    container().dispose()  # and an unmigrated database is one line too
    uvicorn.run(
        "confianza.web.app:app_factory",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        reload=reload,
        log_level=settings.log_level.lower(),
    )
