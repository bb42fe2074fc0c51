"""Asset declarations (issue 20): officers' S1 declarations, their import and export in the
PDN's form, and the checks of declared wealth against declared income and the registry's pay
(ADR 0038)."""
