"""Shared infrastructure that names no feature: errors, the clock, cursors, the database (db/) and
the web's shared parts (web/)."""
