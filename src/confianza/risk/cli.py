"""`confianza risk`: the early-intervention model measured on past years (issue 18).

A Typer app the console mounts. `evaluate` reads a folder of Chicago files, builds every
officer's features as of each year, trains on the years up to `--train-until`, scores the
`--test-years` after them and prints the results, the threshold rule and the fairness tables;
`model-card` does the same and writes the model card into a Markdown file; those two store
nothing and read no registry (the files are public records). `train` keeps a model trained
on the registry's history (or the Chicago files), `models` lists the kept models, and `score`
scores every active officer with the latest promoted model, or flags by the department's
threshold rule (`--rule threshold`) while no model is promoted (ADR 0034).
"""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import typer

from confianza.app.bootstrap import Container
from confianza.app.cli import container, err, operator, out
from confianza.app.settings import Settings as AppSettings
from confianza.core.civil_time import civil_date, system_now, zone_named
from confianza.core.errors import USER_ERRORS, FieldError, ValidationFailed
from confianza.integrity.cli.complaints import load_complaint_mapping
from confianza.integrity.rules.complaints import read_accused, read_complaints
from confianza.integrity.rules.complaints_links import LinkOutcome
from confianza.registry.cli.files import read_roster
from confianza.risk.rules.chicago import ChicagoData, chicago_population
from confianza.risk.rules.evaluation import Evaluation, Settings, evaluate
from confianza.risk.rules.model import Learner
from confianza.risk.rules.model_card import card, replace_card, tables
from confianza.risk.rules.records import ModelSource, Run, StoredModel, Usefulness
from confianza.risk.rules.threshold import ThresholdRule
from confianza.risk.service import models as model_service
from confianza.risk.service import reviews as review_service
from confianza.risk.service import scoring as scoring_service

app = typer.Typer(help="Early intervention: a model of serious misconduct measured on years "
                  "it never saw, against a count and a threshold rule.", no_args_is_help=True)

FILES = {"complaints": "complaints_2000-2023.csv.gz",
         "accused": "complaints-accused_2000-2023.csv.gz",
         "profiles": "final-profiles.csv.gz", "units": "unit-history.csv.gz",
         "salaries": "salaries.csv.gz"}
#: How the card names the command that wrote it (the console mounts this app as `risk`).
INVOKED_AS = ("confianza", "risk")
#: Faults printed on the terminal before the results (as the other imports do).
SHOWN = 20


def _file(folder: Path, what: str) -> Path:
    path = folder / FILES[what]
    if path.is_file():
        return path
    plain = path.with_suffix("")  # the same file, not compressed
    if plain.is_file():
        return plain
    raise ValidationFailed(FieldError(str(path), f"the {what} file is missing from {folder}"))


def load(folder: Path) -> ChicagoData:
    """The folder's files read into the population (ValidationFailed naming what is wrong)."""
    if not folder.is_dir():
        raise ValidationFailed(FieldError(str(folder), "is not a folder"))
    paths = {what: _file(folder, what) for what in FILES}
    c_map = load_complaint_mapping("chicago-complaints")
    a_map = load_complaint_mapping("chicago-accused")
    complaints = read_complaints(read_roster(paths["complaints"], "utf-8"), c_map)
    accused = read_accused(read_roster(paths["accused"], "utf-8"), a_map)
    data = chicago_population(complaints.records, accused.records,
                              read_roster(paths["profiles"], "utf-8"),
                              read_roster(paths["units"], "utf-8"),
                              read_roster(paths["salaries"], "utf-8"))
    for fault in data.faults[:SHOWN]:
        err.print(f"read as blank {fault.location}: {fault.reason}", markup=False)
    if len(data.faults) > SHOWN:
        err.print(f"... and {len(data.faults) - SHOWN} more cells read as blank", markup=False)
    return data


def _learners(choice: str) -> tuple[Learner, ...]:
    if choice == "auto":
        return tuple(Learner)
    try:
        return (Learner(choice),)
    except ValueError:
        raise ValidationFailed(FieldError("--learner", f"{choice!r} is not one of auto, "
                                          f"{', '.join(Learner)}")) from None


def _run(data_dir: Path, train_until: int, test_years: int, train_from: int | None,
         learner: str, cut: float, bootstrap: int, seed: int) -> tuple[ChicagoData, Evaluation]:
    settings = Settings(train_until=train_until, test_years=test_years, train_from=train_from,
                        cut=cut, reps=bootstrap, seed=seed, learners=_learners(learner))
    today = civil_date(system_now(), zone_named(AppSettings().time_zone))
    data = load(data_dir)
    err.print(f"{len(data.population.officers)} officers, linked accused: "
              f"{data.links[LinkOutcome.LINKED]} people ({data.linked_rows} rows); data "
              f"{data.population.starts} to {data.population.ends}", markup=False)
    evaluation = evaluate(data.population, settings, today,
                          progress=lambda step: err.print(step, markup=False))
    return data, evaluation


_DATA = typer.Option(..., "--data", help="The folder of the Chicago files.")
_UNTIL = typer.Option(..., "--train-until", help="The last training year (also the "
                      "validation year on which the learner is chosen).")
_TESTS = typer.Option(3, "--test-years", help="How many years after it to score.")
_FROM = typer.Option(None, "--train-from", help="The first training year (default: the "
                     "third year of the data).")
_LEARNER = typer.Option("auto", "--learner", help="auto (choose on the validation year), "
                        "boosting, logistic or lightgbm.")
_CUT = typer.Option(0.05, "--cut", help="The share flagged for the fairness report.")
_REPS = typer.Option(200, "--bootstrap", help="Bootstrap resamples for the intervals.")
_SEED = typer.Option(2018, "--seed", help="The seed of the resamples, ties and learners.")


@app.command("evaluate", help="Train on the past, score later years it never saw; print the "
                              "results, the baselines and the fairness by group.")
def evaluate_command(data_dir: Path = _DATA, train_until: int = _UNTIL,
                     test_years: int = _TESTS, train_from: int | None = _FROM,
                     learner: str = _LEARNER, cut: float = _CUT, bootstrap: int = _REPS,
                     seed: int = _SEED) -> None:
    _, evaluation = _run(data_dir, train_until, test_years, train_from, learner, cut,
                         bootstrap, seed)
    out.print(tables(evaluation), markup=False)


@app.command("model-card")
def model_card_command(data_dir: Path = _DATA, out_file: Path = typer.Option(
                           ..., "--out", help="The Markdown file whose model card section is "
                           "replaced (or appended)."),
                       train_until: int = _UNTIL, test_years: int = _TESTS,
                       train_from: int | None = _FROM, learner: str = _LEARNER,
                       cut: float = _CUT, bootstrap: int = _REPS, seed: int = _SEED) -> None:
    """Evaluate as `evaluate` does and write the model card into a Markdown file."""
    _, evaluation = _run(data_dir, train_until, test_years, train_from, learner, cut,
                         bootstrap, seed)
    words = [*INVOKED_AS, "model-card", *_public_arguments(sys.argv)]
    text = card(evaluation, shlex.join(words), f"the Chicago files in `{data_dir.name}/` "
                f"({', '.join(FILES.values())}), FOIA via the Invisible Institute")
    try:
        document = out_file.read_text("utf-8") if out_file.exists() else ""
        out_file.write_text(replace_card(document, text), "utf-8")
    except OSError as exc:
        raise ValidationFailed(FieldError(str(out_file), f"cannot be written: "
                                          f"{exc.strerror}")) from exc
    out.print(f"model card of {evaluation.model.version} written to {out_file}", markup=False)


@contextmanager
def _opened() -> Iterator[Container]:
    built = container()
    try:
        yield built
    finally:
        built.dispose()


def _day(text: str, option: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise ValidationFailed(FieldError(option, f"{text!r} is not a day written "
                                          "YYYY-MM-DD")) from None


def _describe(model: StoredModel) -> str:
    state = "promoted" if model.promoted else "not promoted: " + "; ".join(model.reasons)
    return (f"model {model.version} ({model.learner}, {model.source}, as of {model.as_of}, "
            f"{model.rows} rows, {model.outcomes} outcomes) {state}")


@app.command("train", help="Train on the history up to a day, evaluate on the years held out, and "
                           "keep the model (its bytes' SHA-256, its evaluation, promoted or not "
                           "and why).")
def train_command(
    as_of: str = typer.Option(..., "--as-of", help="The day the model is trained as of "
                              "(YYYY-MM-DD): nothing recorded later is read."),
    data_dir: Path | None = typer.Option(None, "--data", help="Train on the Chicago files "
                                         "in this folder instead of the registry."),
    test_years: int = typer.Option(1, "--test-years", help="The last whole years before the "
                                   "as-of day held out to evaluate (and promote) the model."),
    train_from: int | None = typer.Option(None, "--train-from", help="The first training "
                                          "year (default: the third year of the history; "
                                          "later when the complaints start later)."),
    test_until: int | None = typer.Option(None, "--test-until", help="The last test year "
                                          "(default: the last whole year before the as-of "
                                          "day; earlier when recent findings are not known "
                                          "yet)."),
    learner: str = _LEARNER, cut: float = _CUT, bootstrap: int = _REPS, seed: int = _SEED,
) -> None:
    day = _day(as_of, "--as-of").date()
    learners = _learners(learner)
    population = None
    source = ModelSource.REGISTRY
    if data_dir is not None:
        data = load(data_dir)
        population, source = data.population, ModelSource.CHICAGO
    with _opened() as built:
        trained = model_service.train(
            built.uow(), operator(), key=built.model_key(), as_of=day, source=source,
            population=population,
            test_years=test_years, cut=cut, reps=bootstrap, seed=seed, learners=learners,
            train_from=train_from, test_until=test_until,
            progress=lambda step: err.print(step, markup=False))
    out.print(tables(trained.evaluation), markup=False)
    out.print(_describe(trained.stored) + f"; SHA-256 {trained.stored.sha256}", markup=False)


@app.command("models")
def models_command(version: str = typer.Argument(..., help="The model's version.")) -> None:
    """Show a kept model: what it was trained on, its held-out figures, promoted or not."""
    with _opened() as built:
        found = model_service.kept(built.uow(), operator(), version)
    out.print(_describe(found), markup=False)
    out.print(json.dumps(found.evaluation, indent=2), markup=False)


@app.command("score", help="Score every active officer as of today and flag some for review: the "
                           "top share of a promoted model's scores, or everyone who meets the "
                           "threshold rule (--rule threshold).\n\n"
                           "A flag changes no officer's status.")
def score_command(
    model: str | None = typer.Option(None, "--model", help="The promoted model's version "
                                     "(default: the latest promoted)."),
    share: float | None = typer.Option(None, "--share", help="The share flagged (default: "
                                       "CONFIANZA_RISK_FLAG_SHARE)."),
    rule: str | None = typer.Option(None, "--rule", help="`threshold`: flag by the "
                                    "department's threshold rule instead of a model "
                                    "(CONFIANZA_RISK_RULE_COUNT complaints or more in "
                                    "CONFIANZA_RISK_RULE_MONTHS months; 3 in 12 by default), "
                                    "while no model is promoted."),
    as_of: str | None = typer.Option(None, "--as-of", help="Score the registry as it stood "
                                     "on an earlier day (YYYY-MM-DD; default: today): "
                                     "nothing recorded later is read."),
) -> None:
    day = _day(as_of, "--as-of").date() if as_of is not None else None
    if rule is not None and rule != "threshold":
        raise ValidationFailed(FieldError("--rule", f"{rule!r} is not a rule this knows: "
                                          "threshold"))
    with _opened() as built:
        chosen = (ThresholdRule(built.settings.risk_rule_count, built.settings.risk_rule_months)
                  if rule is not None else None)
        run = scoring_service.score(built.uow(), operator(), key=built.model_key(),
                                    share=share if share is not None
                                    else built.settings.risk_flag_share, version=model,
                                    rule=chosen, as_of=day)
    out.print(f"run {run.id}: {run.officers} active officers scored {_method(run)} as of "
              f"{run.as_of}; {run.flagged} flagged for review", markup=False)


def _method(run: Run) -> str:
    if run.by_rule and run.rule_count is not None and run.rule_months is not None:
        return f"by the {ThresholdRule(run.rule_count, run.rule_months).en}"
    return f"with model {run.model_version}"


def _usefulness(found: Usefulness) -> str:
    share = "—" if found.share_useful is None else f"{found.share_useful:.0%}"
    return (f"{found.flagged} flags, {found.reviewed} reviewed, {found.useful} found useful "
            f"({share})")


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


@app.command("report", help="How many flags were reviewed, and the share found useful (all runs, "
                            "and by the method that raised them); the threshold rule's own "
                            "evaluation when it has flagged.")
def report_command() -> None:
    with _opened() as built:
        found = review_service.report(built.uow(), operator())
    out.print(_usefulness(found.usefulness), markup=False)
    for outcome, count in sorted(found.usefulness.by_outcome.items()):
        out.print(f"  {outcome}: {count}", markup=False)
    for method, part in found.by_method.items():
        out.print(f"by {method}: {_usefulness(part)}", markup=False)
    e = found.rule_evaluation
    if found.rule_run is None or e is None:
        return
    rule = ThresholdRule(e.count, e.months)
    out.print(f"The {rule.en}, as the evaluation of model {e.model_version} measured it on "
              f"{', '.join(map(str, e.test_years))} ({e.officer_years} officer-years, "
              f"{e.outcomes} outcomes): flags {e.flagged}, precision {_share(e.precision)}, "
              f"recall {_share(e.recall)}; at the top {e.cut:.0%} recall "
              f"{_share(e.recall_at_cut)} (the model's {_share(e.model_recall_at_cut)}). "
              "It is a rule, not a model: no promotion applies to it."
              + ("" if found.rule_measured else " The rule that flagged has other "
                 "parameters: these figures are not its own."), markup=False)
    for r in e.ratios:
        out.print(f"  by {r.attribute}: flag rate ratio {_share(r.flag_rate)}, false "
                  f"positive ratio {_share(r.false_positive_rate)}, recall ratio "
                  f"{_share(r.recall)}", markup=False)


def _public_arguments(argv: list[str]) -> list[str]:
    """The command's arguments as typed after `model-card` (for the card's own record)."""
    return argv[argv.index("model-card") + 1:] if "model-card" in argv else []


def main() -> int:
    """Run as a module: user errors are a message and status 1, never a traceback."""
    try:
        app(standalone_mode=False)
    except ValidationFailed as exc:
        for problem in exc.errors:
            err.print(f"{problem.location}: {problem.reason}", markup=False)
        return 1
    except USER_ERRORS as exc:
        err.print(f"error: {exc.detail}", markup=False)
        return 1
    except typer.Exit as exc:
        return int(exc.exit_code)
    except Exception as exc:
        # Typer carries its own click: a usage error is told by its shape, as the console does.
        message, code = getattr(exc, "format_message", None), getattr(exc, "exit_code", None)
        if callable(message) and isinstance(code, int):
            err.print(f"error: {message()}", markup=False)
            return code
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
