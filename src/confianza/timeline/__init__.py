"""One officer's record as a single list of dated events, each section for the roles that may read
it."""
