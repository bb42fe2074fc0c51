"""Early intervention (issue 18): officers heading for serious misconduct, flagged for a
person's review — the outcome, the features as of a date, the temporal evaluation against a
count baseline and a threshold rule, fairness by group, and the model card (ADR 0032)."""
