"""Migration 0012 (ADR 0028) on a registry written before it: every officer's name gets its
words, the way back drops them, and the way forward again makes them anew."""

from __future__ import annotations

import migration_support
from migration_support import move
from sqlalchemy import Engine, text

from confianza.core.db import migrate
from confianza.core.db.database import make_engine

# An empty database of its own, per database kind, named here so pytest finds the fixture.

_OFFICER = text(
    "INSERT INTO officers (id, given_names, first_surname, second_surname, search_name, "
    "status, created_at, updated_at) VALUES (:id, :given, :first, :second, :key, 'active', "
    "'2026-11-20 15:00:00', '2026-11-20 15:00:00')")

# The fresh database of each server, named here so pytest finds the fixture.
fresh_url = migration_support.fresh_url


def _words(engine: Engine) -> list[tuple[int, str, str, str]]:
    with engine.connect() as connection:
        return [(int(o), str(t), str(n), str(w)) for o, t, n, w in connection.execute(text(
            "SELECT officer_id, token, search_name, words FROM officer_name_tokens "
            "ORDER BY officer_id, token"))]


def test_the_names_registered_before_get_their_words(fresh_url: str) -> None:
    engine = make_engine(fresh_url)
    try:
        migrate.upgrade(engine, "0009")
        with engine.begin() as connection:
            connection.execute(_OFFICER, {"id": 1, "given": "Juan", "first": "García",
                                          "second": "García", "key": "GARCIA GARCIA JUAN"})
            connection.execute(_OFFICER, {"id": 2, "given": "Audra", "first": "O'Brien-Fuller",
                                          "second": None, "key": "O'BRIEN-FULLER AUDRA"})
        migrate.upgrade(engine)
        expected = [
            (1, "GARCIA", "GARCIA GARCIA JUAN", " GARCIA GARCIA JUAN "),
            (1, "JUAN", "GARCIA GARCIA JUAN", " GARCIA GARCIA JUAN "),
            (2, "AUDRA", "O'BRIEN-FULLER AUDRA", " OBRIEN FULLER AUDRA "),
            (2, "FULLER", "O'BRIEN-FULLER AUDRA", " OBRIEN FULLER AUDRA "),
            (2, "OBRIEN", "O'BRIEN-FULLER AUDRA", " OBRIEN FULLER AUDRA "),
        ]
        assert _words(engine) == expected
        assert migrate.drift(engine) == []
        move(engine, "0009", down=True)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT COUNT(*) FROM officers")).scalar() == 2
        migrate.upgrade(engine)
        assert _words(engine) == expected
    finally:
        engine.dispose()
