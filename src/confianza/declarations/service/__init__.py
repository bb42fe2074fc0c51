"""Declaration use cases: the import, the export in S1's form, the checks."""
