"""People matched across sources: candidate pairs scored by a record-linkage model, decided by a
clerk, and the merge a confirmation makes (issue 16, item 6)."""
