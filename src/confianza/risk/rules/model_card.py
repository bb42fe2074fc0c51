"""The evaluation written as Markdown: the tables the command prints, and the model card.

The card is regenerated from a run (`risk model-card`) between two markers of a document, so
the document never drifts from what was measured.
"""

from __future__ import annotations

import math
import re

from confianza.risk.rules.evaluation import COUNT, MODEL, THRESHOLD, Evaluation
from confianza.risk.rules.fairness import FairnessReport
from confianza.risk.rules.features import COUNTS, SINGLE, WINDOWS
from confianza.risk.rules.metrics import SHARES, Estimate

START, END = "<!-- model-card:start -->", "<!-- model-card:end -->"
METHODS = (MODEL, COUNT, THRESHOLD)


def _pct(share: float) -> str:
    return f"{share * 100:g}%"


def _cell(value: Estimate | None) -> str:
    return str(value) if value is not None else "—"


def results_table(evaluation: Evaluation) -> str:
    head = ["year", "officers", "outcomes", "method",
            *(f"P@{_pct(s)}" for s in SHARES), *(f"R@{_pct(s)}" for s in SHARES), "AUC", "AP"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    rows = [(str(y.year), str(y.officers), str(y.outcomes), y.metrics) for y in
            evaluation.years]
    total = sum(y.officers for y in evaluation.years), sum(y.outcomes for y in evaluation.years)
    rows.append(("all test years", str(total[0]), str(total[1]), evaluation.pooled))
    for year, officers, outcomes, metrics in rows:
        for method in METHODS:
            m = metrics[method]
            cells = [year, officers, outcomes, method,
                     *(_cell(m.get(f"precision_{s:g}")) for s in SHARES),
                     *(_cell(m.get(f"recall_{s:g}")) for s in SHARES),
                     _cell(m.get("auc")), _cell(m.get("ap"))]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def rule_table(evaluation: Evaluation) -> str:
    lines = ["| year | flagged by the rule | precision | recall |", "|---|---|---|---|"]
    for y in evaluation.years:
        lines.append(f"| {y.year} | {y.rule_flagged} ({y.rule_flagged / y.officers:.1%}) | "
                     f"{y.rule_precision:.3f} | {y.rule_recall:.3f} |")
    return "\n".join(lines)


def _rate(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.3f}"


def fairness_table(evaluation: Evaluation) -> str:
    cut = _pct(evaluation.settings.cut)
    lines = [f"| method | attribute | group | officer-years | outcomes | flag rate (top {cut}) "
             "| false positive rate | recall | compared |", "|---|---|---|---|---|---|---|---|---|"]
    ratios = ["| method | attribute | flag rate ratio | false positive ratio | recall ratio |",
              "|---|---|---|---|---|"]
    for method, reports in evaluation.fairness.items():
        for r in reports:
            for g in r.groups:
                lines.append(f"| {method} | {r.attribute} | {g.group} | {g.officers} | "
                             f"{g.outcomes} | {_rate(g.flag_rate)} | "
                             f"{_rate(g.false_positive_rate)} | {_rate(g.recall)} | "
                             f"{'yes' if g.compared else 'no (too small)'} |")
            ratios.append(_ratio_row(method, r))
    return "\n".join(lines) + "\n\nRatios (smallest compared group over largest; 1 is parity):"\
        "\n\n" + "\n".join(ratios)


def rule_fairness_table(evaluation: Evaluation) -> str:
    """The threshold rule's fairness at its own cut-off (everyone it flags): what a
    department flagging by the rule would do to each group."""
    lines = ["| attribute | group | officer-years | outcomes | flag rate (the rule) "
             "| false positive rate | recall | compared |", "|---|---|---|---|---|---|---|---|"]
    ratios = ["| method | attribute | flag rate ratio | false positive ratio | recall ratio |",
              "|---|---|---|---|---|"]
    for r in evaluation.rule_fairness:
        for g in r.groups:
            lines.append(f"| {r.attribute} | {g.group} | {g.officers} | {g.outcomes} | "
                         f"{_rate(g.flag_rate)} | {_rate(g.false_positive_rate)} | "
                         f"{_rate(g.recall)} | {'yes' if g.compared else 'no (too small)'} |")
        ratios.append(_ratio_row(THRESHOLD, r))
    return "\n".join(lines) + "\n\nRatios:\n\n" + "\n".join(ratios)


def _ratio_row(method: str, r: FairnessReport) -> str:
    return (f"| {method} | {r.attribute} | {_rate(r.ratios['flag_rate'])} | "
            f"{_rate(r.ratios['false_positive_rate'])} | {_rate(r.ratios['recall'])} |")


def verdict(evaluation: Evaluation) -> str:
    if evaluation.promoted:
        return f"**Promoted**: model {evaluation.model.version} is within every limit."
    return (f"**Not promoted** (model {evaluation.model.version}): "
            + "; ".join(evaluation.reasons) + ".")


def tables(evaluation: Evaluation) -> str:
    """What `risk evaluate` prints."""
    s, m = evaluation.settings, evaluation.model
    chosen = ", ".join(f"{k} {v:.4f}" for k, v in evaluation.chosen_by.items())
    return "\n\n".join([
        f"Model {m.version}: {m.learner}, trained on {evaluation.train_rows} officer-years "
        f"({m.outcomes} with the outcome), as-of days {m.trained_from} to {m.trained_until}; "
        f"chosen by average precision on the validation years {s.train_until - 1}–"
        f"{s.train_until} ({chosen}).",
        "Results (bootstrap 95% intervals, "
        f"{s.reps} resamples of officers, seed {s.seed}):", results_table(evaluation),
        "The threshold rule at its own cut-off:", rule_table(evaluation),
        f"Fairness at the top {_pct(s.cut)}, every test year pooled:",
        fairness_table(evaluation),
        "The threshold rule's fairness at its own cut-off, every test year pooled:",
        rule_fairness_table(evaluation), verdict(evaluation)])


def card(evaluation: Evaluation, command: str, data: str) -> str:
    """The model card: data, outcome, windows, results, fairness, known limits."""
    s, m = evaluation.settings, evaluation.model
    windows = ", ".join(name for name, _ in WINDOWS)
    return "\n\n".join([
        START,
        "### Model card (generated: do not edit by hand)",
        f"Regenerated by:\n\n```\n{command}\n```",
        f"- **Data**: {data}",
        f"- **Outcome**: {m.outcome.describe()}.",
        f"- **Rows**: officers serving on 1 January of each year, features as of the day "
        f"before; training years {m.trained_from.year + 1}–{s.train_until} (validation years "
        f"{s.train_until - 1}–{s.train_until}), test years {s.train_until + 1}–"
        f"{s.train_until + s.test_years}.",
        f"- **Features** ({len(m.features)}): per window ({windows}) "
        f"{', '.join(COUNTS)}; and {', '.join(SINGLE)}. Race and sex are not features.",
        f"- **Learner**: {m.learner}, version {m.version}, chosen on the validation years by "
        "average precision among "
        + ", ".join(f"{k} ({v:.4f})" for k, v in evaluation.chosen_by.items()) + ".",
        "#### Results on the test years\n\n"
        f"Bootstrap 95% intervals ({s.reps} resamples, seed {s.seed}). P@k and R@k: "
        "precision and recall when the top k% are flagged.",
        results_table(evaluation),
        "The threshold rule at its own cut-off:", rule_table(evaluation),
        f"#### Fairness at the top {_pct(s.cut)} (test years pooled)",
        fairness_table(evaluation),
        "#### The threshold rule's fairness at its own cut-off (test years pooled)",
        rule_fairness_table(evaluation),
        verdict(evaluation),
        "#### Known limits\n\n"
        "- Complaints of the latest years are often still open: their outcomes are undercounted."
        "\n- Accused the linking could not tie to one profile count for nobody: their "
        "officers' histories are short by those complaints.\n- Sustained findings are rare; "
        "intervals are wide and a year's figures move with a few officers.\n- A complaint "
        "measures who complains as much as what an officer did; the model learns both.\n"
        "- A flag is a question for a supervisor, never a sanction or a status change.",
        END])


def replace_card(document: str, new_card: str) -> str:
    """The document with its card replaced (or appended when it has none yet)."""
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if pattern.search(document):
        return pattern.sub(lambda _: new_card, document, count=1)
    return document.rstrip("\n") + "\n\n" + new_card + "\n"
