"""Staff accounts, roles, permissions and scopes, sessions and tokens, and the one place that
decides who may do what."""
