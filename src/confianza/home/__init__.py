"""The home page: each role's panels of what needs their attention now."""
