"""Integrity cases (issue 17): allegations with their graded sources, corroboration, due process
with its safeguards, and need-to-know access. ADR 0030."""
