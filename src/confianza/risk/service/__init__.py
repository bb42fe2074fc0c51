"""Early intervention's use cases: training and keeping a model, scoring the force, the
supervisors' review queue (ADR 0034)."""
