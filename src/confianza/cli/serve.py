"""`confianza serve`: the web application under uvicorn, and the log's periodic checkpoints.

Beside the server, a process of its own integrates the audit trail into the Merkle tree and
signs a checkpoint every CONFIANZA_LOG_CHECKPOINT_SECONDS, so the published log never lags far
behind the trail. A process, not a thread: hashing a minute's entries takes seconds of CPU,
which in the server's process would hold the interpreter's lock against the requests (measured:
about 4,900 entries/s written with the integrator in a thread, 5,800 with it in a process; see
docs/adr/0013). It reads the same settings, logs a failure and tries again at the next tick,
and stops when the server does. With
CONFIANZA_LOG_EXPORT_DIR set, each tick that signed also brings the published tiles there up to
date (services/log_export.py); an export that fails is logged and tried again at the next tick.
"""

from __future__ import annotations

import logging
import multiprocessing
from multiprocessing.synchronize import Event
from typing import Any

import typer

from confianza.bootstrap import Container, build
from confianza.cli.common import UsageProblem, container
from confianza.services import log_export, transparency
from confianza.settings import Settings

LOG = logging.getLogger("confianza.checkpoints")


class CheckpointTask:
    """Integrate and sign (and export) every `interval` seconds; `run_once` is one tick."""

    def __init__(self, built: Container, interval: float) -> None:
        self._container = built
        self._interval = interval

    def run_once(self) -> bytes | None:
        """One tick: the signed note, or None when it failed (logged, never raised: a database
        that is down for a minute must not end the checkpoints for good)."""
        try:
            note = transparency.checkpoint_now(self._container.uow(),
                                               self._container.log_keys())
        except Exception:
            LOG.exception("audit log checkpoint failed; next try in %s s", self._interval)
            return None
        self._export()
        return note

    def _export(self) -> None:
        """Publish the checkpoint just made, when a directory is configured; a failure is
        logged (the checkpoint stands, and the next tick exports what is still missing)."""
        directory = self._container.settings.log_export_dir
        if directory is None:
            return
        try:
            report = log_export.export_tiles(self._container.uow(),
                                             self._container.log_keys().public_log(), directory)
        except Exception:
            LOG.exception("audit log export to %s failed; next try in %s s", directory,
                          self._interval)
            return
        if report.files_written:
            LOG.info("audit log %s into %s", report.line(), directory)

    def loop(self, stop: Event) -> None:
        # A tick at once, so a server that has just started publishes a current checkpoint.
        self.run_once()
        while not stop.wait(self._interval):
            self.run_once()


class CheckpointProcess:
    """The periodic task in a child process with its own container, built from `settings`."""

    def __init__(self, settings: Settings, interval: float) -> None:
        self._settings = settings
        self._interval = interval
        # spawn, not fork: the server holds connections and threads a fork would copy.
        context = multiprocessing.get_context("spawn")
        self._stop = context.Event()
        self._process = context.Process(target=_run_ticks, args=(settings, interval, self._stop),
                                        name="confianza-checkpoints", daemon=True)

    def start(self) -> None:
        self._process.start()

    def stop(self, timeout: float = 30) -> None:
        """Ask the process to end and wait for a tick in progress (its transaction) to finish;
        past `timeout`, end it (the transaction rolls back; the next start integrates it)."""
        self._stop.set()
        self._process.join(timeout)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join()


def _run_ticks(settings: Settings, interval: float, stop: Event) -> None:
    """The child process: its own logging and container, then ticks until told to stop."""
    logging.basicConfig(level=settings.log_level.upper(),
                        format="%(levelname)s:     %(name)s: %(message)s")
    built = build(settings)
    try:
        CheckpointTask(built, interval).loop(stop)
    except KeyboardInterrupt:  # Ctrl+C reaches the whole process group; the server reports it
        pass
    finally:
        built.dispose()


def serve(
    host: str | None = typer.Option(None, help="Address to listen on (CONFIANZA_HOST)."),
    port: int | None = typer.Option(None, help="Port to listen on (CONFIANZA_PORT)."),
    reload: bool = typer.Option(False, help="Restart on code changes (development only)."),
    workers: int = typer.Option(
        1, min=1, max=64, help="Server processes. On PostgreSQL, more processes use more "
        "cores; on SQLite, which has one writer, they only help reads."),
) -> None:
    """Serve the API and the web pages; integrate and sign the audit log periodically."""
    import uvicorn  # imported here: every other command starts faster without it

    if reload and workers > 1:
        raise UsageProblem("--reload and --workers exclude each other: reload runs one process")
    settings = Settings()  # read first, so a bad setting is one line, not a server traceback
    built = container()  # and an unmigrated database is one line too
    task: CheckpointProcess | None = None
    try:
        if built.issuer is None:
            # Certificates would be issued that nobody can verify: refused, not discovered.
            raise UsageProblem("set CONFIANZA_CREDENTIAL_KEY (`confianza certificates keygen`) "
                               "and CONFIANZA_PUBLIC_URL: the server issues every CUP as a "
                               "signed credential")
        if settings.log_checkpoint_seconds > 0:
            # A server that is to sign but cannot is refused now, not at its first tick.
            keys = built.log_keys()
            keys.require_signer()
            keys.public_log()
            task = CheckpointProcess(settings, settings.log_checkpoint_seconds)
        target: Any = "confianza.web.app:app_factory"
        if not reload and workers == 1:
            # The app is built on the container already opened; with --reload or several
            # workers uvicorn must import the app by name, in processes of their own.
            from confianza.web.app import create_app
            from confianza.web.dashboard_figures import warm

            target = create_app(built)
            warm(target, built)
        if task is not None:
            task.start()
        uvicorn.run(
            target,
            factory=isinstance(target, str),
            host=host or settings.host,
            port=port or settings.port,
            reload=reload,
            workers=workers if workers > 1 else None,
            log_level=settings.log_level.lower(),
        )
    finally:
        if task is not None:
            task.stop()
        built.dispose()
