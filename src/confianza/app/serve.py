"""`confianza serve`: the web application under uvicorn, and the log's periodic checkpoints.

Beside the server, a process of its own integrates the audit trail into the Merkle tree and
signs a checkpoint every CONFIANZA_LOG_CHECKPOINT_SECONDS, so the published log never lags far
behind the trail. A process, not a thread: hashing a minute's entries takes seconds of CPU,
which in the server's process would hold the interpreter's lock against the requests (measured:
about 4,900 entries/s written with the integrator in a thread, 5,800 with it in a process; see
docs/adr/0013). It reads the same settings, logs a failure and tries again at the next tick,
and stops when the server does, however the server ends: asked to by `stop`, or on its own
when the server is gone (its lifeline pipe closes; on Linux the kernel also signals it), even
after a SIGKILL that ran no cleanup. At most one such process works on a database at a time
(`Container.sole_holder`); a second one waits until the first ends. With
CONFIANZA_LOG_EXPORT_DIR set, each tick that signed also brings the published tiles there up to
date (transparency/service/export.py); an export that fails is logged and tried again at the
next tick.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event
from types import FrameType
from typing import Any

import typer

from confianza.app.bootstrap import Container, build
from confianza.app.cli import UsageProblem, container
from confianza.app.settings import Settings
from confianza.transparency.service import export as log_export
from confianza.transparency.service import log as transparency

LOG = logging.getLogger("confianza.checkpoints")
#: The lock only one checkpoint process per database holds.
SOLE_HOLDER = "checkpoints"
#: How often a checkpoint process that finds another at work asks again.
RETRY_SECONDS = 5.0
#: How long a checkpoint process whose server is gone may take to finish its tick.
GRACE_SECONDS = 10.0
PR_SET_PDEATHSIG = 1  # linux/prctl.h


class CheckpointTask:
    """Integrate and sign (and export) every `interval` seconds; `run_once` is one tick.

    Between checkpoints it places newly committed entries in the log and folds them into the
    tree every CONFIANZA_LOG_SEQUENCE_SECONDS (`place`): requests insert entries with no place
    (ADR 0023), and until the integrator gives them one they are protected by the database's
    triggers alone, so that window is kept short, whatever the checkpoint interval.
    """

    def __init__(self, built: Container, interval: float) -> None:
        self._container = built
        self._interval = interval
        self._place_every = min(interval, built.settings.log_sequence_seconds) or interval

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

    def place(self) -> None:
        """Place and fold what committed since the last time; a failure is logged (the next
        time places it)."""
        try:
            transparency.integrate(self._container.uow(),
                                   self._container.log_keys().public_log())
        except Exception:
            LOG.exception("placing audit entries in the log failed; next try in %s s",
                          self._place_every)

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
        """Tick until `stop`, while this process is the database's one checkpointer; while
        another is, wait and ask again (it may be a server on its way out)."""
        holder = self._container.sole_holder(SOLE_HOLDER)
        waiting = False
        signed_at: float | None = None
        try:
            while True:
                if self._hold(holder):
                    if waiting:
                        LOG.info("the other checkpoint process ended; this one takes over")
                        signed_at = None
                    waiting = False
                    # A tick at once, so a server that has just started publishes a current
                    # checkpoint; between ticks, the entries are placed more often.
                    now = time.monotonic()
                    if signed_at is None or now - signed_at >= self._interval:
                        self.run_once()
                        signed_at = now
                    else:
                        self.place()
                    pause = min(self._place_every,
                                max(0.0, signed_at + self._interval - time.monotonic()))
                else:
                    if not waiting:
                        LOG.warning("another checkpoint process works on this database; this "
                                    "one waits until it ends")
                    waiting = True
                    pause = min(self._interval, RETRY_SECONDS)
                if stop.wait(pause):
                    return
        finally:
            holder.release()

    @staticmethod
    def _hold(holder: Any) -> bool:
        try:
            return bool(holder.try_acquire())
        except Exception:  # a database that is down: no tick now, ask again later
            LOG.exception("cannot take the checkpoint lock; next try soon")
            return False


class CheckpointProcess:
    """The periodic task in a child process with its own container, built from `settings`."""

    def __init__(self, settings: Settings, interval: float) -> None:
        self._settings = settings
        self._interval = interval
        # spawn, not fork: the server holds connections and threads a fork would copy.
        context = multiprocessing.get_context("spawn")
        self._stop = context.Event()
        # The lifeline: the child holds the reading end, only this process the writing end.
        # When this process ends, however it ends, the kernel closes it and the child reads
        # end-of-file. (A daemon process is ended only by a normal exit's cleanup, which a
        # SIGKILL skips and uvicorn's SIGTERM, re-raised after its shutdown, skips too.)
        self._lifeline_child, self._lifeline = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_run_ticks, name="confianza-checkpoints", daemon=True,
            args=(settings, interval, self._stop, self._lifeline_child, os.getpid()))

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def start(self) -> None:
        """Start the child. Call it from a thread that lasts as long as the server (serve's
        main thread): on Linux the kernel signals the child when that thread ends."""
        self._process.start()
        self._lifeline_child.close()  # the child has its own copy; ours would keep it open

    def stop(self, timeout: float = 30) -> None:
        """Ask the process to end and wait for a tick in progress (its transaction) to finish;
        past `timeout`, end it (the transaction rolls back; the next start integrates it)."""
        self._stop.set()
        self._process.join(timeout)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(GRACE_SECONDS + 5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._lifeline.close()


def _run_ticks(settings: Settings, interval: float, stop: Event, lifeline: Connection,
               parent: int) -> None:
    """The child process: its own logging and container, then ticks until told to stop or
    until the server is gone."""
    logging.basicConfig(level=settings.log_level.upper(),
                        format="%(levelname)s:     %(name)s: %(message)s")
    _end_with_parent(stop, lifeline, parent)
    built = build(settings)
    try:
        CheckpointTask(built, interval).loop(stop)
    except KeyboardInterrupt:  # Ctrl+C reaches the whole process group; the server reports it
        pass
    finally:
        built.dispose()


def _end_with_parent(stop: Event, lifeline: Connection, parent: int) -> None:
    """Stop when the server is gone: its lifeline reaches end-of-file (everywhere), the kernel
    sends SIGTERM on its death (Linux), or it was gone before we looked. The tick in progress
    may finish (its transaction commits or rolls back whole); past GRACE_SECONDS the process
    exits regardless."""
    ended = threading.Lock()

    def gone(why: str) -> None:
        if not ended.acquire(blocking=False):
            return
        LOG.warning("the server is gone (%s); checkpoints stop", why)
        stop.set()
        deadline = threading.Timer(GRACE_SECONDS, os._exit, args=(1,))
        deadline.daemon = True
        deadline.start()

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        # Not `gone` here: a handler that took the Event's lock while the main thread holds it
        # would wait for ever. A thread takes it in turn.
        threading.Thread(target=gone, args=("SIGTERM",), daemon=True).start()

    def watch() -> None:
        with contextlib.suppress(EOFError, OSError):
            lifeline.recv_bytes()  # nothing is ever sent: this returns when the pipe closes
        gone("its end of the lifeline closed")

    signal.signal(signal.SIGTERM, on_sigterm)
    _signal_on_parent_death(signal.SIGTERM)
    threading.Thread(target=watch, name="confianza-lifeline", daemon=True).start()
    if os.getppid() != parent:
        gone("it ended before the checkpoint process began")


def _signal_on_parent_death(signum: int) -> None:
    """On Linux, have the kernel send `signum` to this process when its parent ends (it needs
    no thread and acts even if the lifeline's reader were stuck). Elsewhere the lifeline
    alone does it."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) != 0:
            LOG.warning("prctl(PR_SET_PDEATHSIG) failed: errno %s", ctypes.get_errno())
    except (OSError, AttributeError):
        LOG.warning("prctl is not available; the lifeline alone ends this process")


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
        target: Any = "confianza.app.web:app_factory"
        if not reload and workers == 1:
            # The app is built on the container already opened; with --reload or several
            # workers uvicorn must import the app by name, in processes of their own.
            from confianza.app.web import create_app
            from confianza.dashboard.web import warm

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
