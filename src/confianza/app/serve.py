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

With `--workers N` the requests are served by N processes of their own (uvicorn's, started
with spawn: each imports the app by name and builds its own container, engine and connection
pool, so no connection is ever shared across processes); this process only supervises them
and owns the one checkpoint process. Each worker watches this process as the checkpoint
process does and stops when it is gone, so a server killed with SIGKILL leaves no orphan
serving on its port without its checkpoints.
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
from multiprocessing.connection import wait as wait_for_any
from multiprocessing.synchronize import Event
from types import FrameType
from typing import TYPE_CHECKING, Any

import typer

from confianza.app.bootstrap import Container, build
from confianza.app.cli import UsageProblem, container, err
from confianza.app.settings import Settings
from confianza.transparency.service import export as log_export
from confianza.transparency.service import log as transparency

if TYPE_CHECKING:
    from fastapi import FastAPI

LOG = logging.getLogger("confianza.checkpoints")
#: The lock only one checkpoint process per database holds.
SOLE_HOLDER = "checkpoints"
#: How often a checkpoint process that finds another at work asks again.
RETRY_SECONDS = 5.0
#: How long a checkpoint process whose server is gone may take to finish its tick.
GRACE_SECONDS = 10.0
PR_SET_PDEATHSIG = 1  # linux/prctl.h
PR_SET_NAME = 15  # linux/prctl.h: the name `top` and `ps -o comm` show
#: What `top` shows for the checkpoint process and for each worker (at most 15 bytes).
CHECKPOINT_NAME = "confianza-log"
WORKER_NAME = "confianza-web"
#: Most server processes `serve` starts: past a process per core they add memory and
#: database connections, not speed (README, "Sizing the workers").
MAX_WORKERS = 64
#: Connections one worker's pool may open on PostgreSQL (core/db/database.py: pool_size 10,
#: max_overflow 10), to check N workers against the server's max_connections.
CONNECTIONS_PER_WORKER = 20
#: How long uvicorn's supervisor waits for a worker to answer its ping before it kills and
#: replaces it. Its default, 5 s, is shorter than a worker's start on a busy 2-core machine
#: (importing the app takes 1.5 s there alone; three processes start at once): workers were
#: killed while starting. A worker hung this long is still replaced.
WORKER_HEALTHCHECK_SECONDS = 30
#: Where uvicorn finds the app of each worker.
WORKER_APP = "confianza.app.serve:worker_app"


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
        self._place_failing = False

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
        """Place and fold what committed since the last time; a failure is logged once, not
        every second while it lasts, and its end too (the next time places everything)."""
        try:
            transparency.integrate(self._container.uow(),
                                   self._container.log_keys().public_log())
        except Exception:
            if not self._place_failing:
                LOG.exception("placing audit entries in the log failed; trying again every "
                              "%s s", self._place_every)
            self._place_failing = True
            return
        if self._place_failing:
            LOG.info("audit entries are placed in the log again")
        self._place_failing = False

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
    _name_process(CHECKPOINT_NAME)
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


def worker_app() -> FastAPI:
    """The app of one worker of `confianza serve --workers N`: uvicorn imports it by name in a
    process of its own, which builds its own container (app_factory) and ends when the server
    that started it is gone."""
    from confianza.app.web import app_factory

    _name_process(WORKER_NAME)
    _stop_with_server()
    return app_factory()


def _stop_with_server() -> None:
    """End this worker when the process that spawned it is gone (killed with SIGKILL, say):
    uvicorn's supervisor would otherwise leave it serving on the port, orphaned, with no
    checkpoint process beside it. The parent's sentinel (a pipe only the parent holds open)
    reaches end-of-file, and on Linux the kernel also sends SIGTERM; either way uvicorn shuts
    down as on SIGTERM (requests in progress finish), and past GRACE_SECONDS the process
    exits regardless."""
    parent = multiprocessing.parent_process()
    if parent is None:  # not a spawned worker (uvicorn run by hand): nothing to watch
        return
    ended = threading.Lock()

    def gone(why: str) -> None:
        if not ended.acquire(blocking=False):
            return
        # uvicorn's logger: the worker's log lines read as the rest of the server's.
        logging.getLogger("uvicorn.error").warning("the server is gone (%s); this worker "
                                                   "stops", why)
        os.kill(os.getpid(), signal.SIGTERM)  # uvicorn's own shutdown, in its event loop
        deadline = threading.Timer(GRACE_SECONDS, os._exit, args=(1,))
        deadline.daemon = True
        deadline.start()

    def watch() -> None:
        with contextlib.suppress(OSError):
            wait_for_any([parent.sentinel])
        gone("its process ended")

    _signal_on_parent_death(signal.SIGTERM)
    threading.Thread(target=watch, name="confianza-server-watch", daemon=True).start()


def _name_process(name: str) -> None:
    """Give this process the name `top` and `ps -o comm` show (Linux; elsewhere nothing), so
    an operator tells the checkpoint process and the workers apart."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_NAME, ctypes.c_char_p(name.encode()[:15]), 0, 0, 0)
    except (OSError, AttributeError):
        pass  # a name is a convenience: the process works without it


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
    workers: int | None = typer.Option(
        None, help="Server processes (CONFIANZA_WORKERS, default 1). On PostgreSQL, one per "
        "core uses every core; on SQLite, which has one writer, more only help reads. "
        "README: Sizing the workers."),
) -> None:
    """Serve the API and the web pages; integrate and sign the audit log periodically."""
    import uvicorn  # imported here: every other command starts faster without it

    settings = Settings()  # read first, so a bad setting is one line, not a server traceback
    processes = settings.workers if workers is None else workers
    check_workers(processes, "--workers" if workers is not None else "CONFIANZA_WORKERS")
    if reload and processes > 1:
        raise UsageProblem("--reload and --workers exclude each other: reload runs one process")
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
        target: Any = WORKER_APP
        if processes == 1 and not reload:
            # The app is built on the container already opened; with --reload or several
            # workers uvicorn must import the app by name, in processes of their own.
            from confianza.app.web import create_app
            from confianza.dashboard.web import warm

            target = create_app(built)
            warm(target, built)
        else:
            if processes > 1:
                warn_of_connections(built, processes)
            # Each worker opens its own pool; this process keeps no connection for the
            # server's life.
            built.dispose()
        if task is not None:
            task.start()
        uvicorn.run(
            target,
            factory=isinstance(target, str),
            host=host or settings.host,
            port=port or settings.port,
            reload=reload,
            workers=processes if processes > 1 else None,
            timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
            log_level=settings.log_level.lower(),
        )
    finally:
        if task is not None:
            task.stop()
        built.dispose()


def check_workers(processes: int, named: str) -> None:
    """Refuse a number of server processes that cannot serve, naming where it came from."""
    if processes < 1:
        raise UsageProblem(f"{named} {processes}: a server needs at least 1 worker process")
    if processes > MAX_WORKERS:
        raise UsageProblem(
            f"{named} {processes}: at most {MAX_WORKERS}; past one per core (this machine has "
            f"{os.cpu_count() or 1}) workers add memory and database connections, not speed")


def warn_of_connections(built: Container, processes: int) -> None:
    """On PostgreSQL, say when N workers' pools could ask for more connections than the
    server accepts: under load the last ones would be refused ("too many clients")."""
    if built.engine.dialect.name != "postgresql":
        return
    try:
        with built.engine.connect() as connection:
            accepted = int(connection.exec_driver_sql("SHOW max_connections").scalar_one())
    except Exception:  # the server will say more when the workers connect
        return
    wanted = processes * CONNECTIONS_PER_WORKER + 2  # and the checkpoint process's two
    if wanted > accepted:
        err.print(f"warning: {processes} workers may open up to {wanted} connections and the "
                  f"database accepts {accepted} (max_connections): use fewer workers or raise "
                  "max_connections", markup=False)
