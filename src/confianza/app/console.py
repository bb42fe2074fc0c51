"""The `confianza` command: Typer sub-apps per feature, and the one place errors are shown.

Every failure becomes one line on stderr (`error: ...`) and a non-zero exit status: 1 for bad
input or a refusal, 2 for a command called wrongly. A traceback only with --debug.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

import typer
from pydantic import ValidationError

from confianza.access import cli as access
from confianza.accounts import cli as users
from confianza.app import db
from confianza.app.cli import UsageProblem, err
from confianza.app.serve import serve
from confianza.certification import cli as certification
from confianza.core.errors import USER_ERRORS, ValidationFailed
from confianza.credentials import cli as certificates
from confianza.declarations import cli as declarations
from confianza.identities import cli as identities
from confianza.integrity.cli import cases as integrity
from confianza.registry.cli import agencies, officers
from confianza.risk import cli as risk
from confianza.transparency.cli import audit
from confianza.vetting.cli import centres, evaluations

app = typer.Typer(
    name="confianza",
    help="Confianza: the national registry of police officers, with audited access.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="users")
app.add_typer(officers.app, name="officers")
app.add_typer(identities.app, name="identities")
app.add_typer(agencies.app, name="agencies")
app.add_typer(centres.app, name="centres")
app.add_typer(evaluations.app, name="evaluations")
app.add_typer(certification.app, name="certification")
app.add_typer(certificates.app, name="certificates")
app.add_typer(audit.app, name="audit")
app.add_typer(integrity.app, name="integrity")
app.add_typer(risk.app, name="risk")
app.add_typer(declarations.app, name="declarations")
app.add_typer(access.app, name="access")
app.command("serve")(serve)


def _register_demo() -> None:
    # Imported by name: the demo module is written separately and may be absent from a build.
    try:
        demo_command = importlib.import_module("confianza.demo.cli").demo_command
    except (ImportError, AttributeError) as exc:
        missing = str(exc)

        @app.command("demo")
        def demo_unavailable() -> None:
            """Build a demonstration registry (not available in this build)."""
            raise UsageProblem(f"the demo command is not available: {missing}")

        return
    app.command("demo")(demo_command)


_register_demo()


@app.callback()
def root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of unexpected errors."),
) -> None:
    """Confianza's command line; settings come from CONFIANZA_* environment variables."""


def _say(message: str) -> None:
    err.print(f"error: {message}", markup=False)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit status; never lets a traceback out (but --debug)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        result = app(args=args, prog_name="confianza", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        _say("aborted")
        return 1
    except UsageProblem as exc:
        _say(str(exc))
        return 2
    except ValidationFailed as exc:
        if len(exc.errors) > 1:
            for problem in exc.errors:
                err.print(f"{problem.location}: {problem.reason}", markup=False)
            _say(f"{len(exc.errors)} problems found; nothing was changed")
        else:
            _say(exc.detail)
        return 1
    except USER_ERRORS as exc:
        _say(exc.detail)
        return 1
    except ValidationError as exc:  # settings read from the environment
        problems = "; ".join(
            f"CONFIANZA_{'_'.join(str(p) for p in e['loc']).upper() or 'SETTINGS'}: {e['msg']}"
            for e in exc.errors()
        )
        _say(f"bad setting: {problems}")
        return 1
    except Exception as exc:
        # Typer carries its own copy of click, so its usage errors are told by their shape.
        message, code = getattr(exc, "format_message", None), getattr(exc, "exit_code", None)
        if callable(message) and isinstance(code, int):
            if text := str(message()).strip():  # empty when help was shown instead
                _say(text)
            return code
        if debug:
            raise
        first = (str(exc).strip().splitlines() or [""])[0][:300]
        _say(f"{type(exc).__name__}: {first} (run with --debug for details)")
        return 1
    return int(result) if isinstance(result, int) else 0


def run() -> None:
    """The console script's entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
