"""Trust rows built with SQLite's text dates are the rows SQLAlchemy itself would have stored."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

from sqlalchemy.dialects import sqlite

from confianza.core.db.bulk import STORED_AS_TEXT
from confianza.demo.rules.careers import FirstIds, build_rows
from confianza.demo.rules.evaluations import StoredForms, TrustBatch
from confianza.demo.rules.force import Scale, plan_force
from confianza.demo.rules.histories import HistoryMaker
from confianza.demo.rules.trust import DemoStaff, TrustIds, build_staff

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 15, tzinfo=UTC)


def test_text_forms_are_what_sqlalchemy_binds_on_sqlite() -> None:
    dialect = sqlite.dialect()
    bind_date = sqlite.DATE().bind_processor(dialect)
    bind_stamp = sqlite.DATETIME(timezone=True).bind_processor(dialect)
    assert bind_date is not None and bind_stamp is not None
    for value in (date(2026, 2, 28), date(1999, 12, 31)):
        assert STORED_AS_TEXT.date(value) == bind_date(value)
    for stamp in (datetime(2026, 2, 28, 16, tzinfo=UTC), datetime(2001, 1, 2, 3, 4, 5, 6)):
        assert STORED_AS_TEXT.timestamp(stamp) == bind_stamp(stamp)


def _trust(stored: StoredForms | None) -> list[TrustBatch]:
    plan = plan_force(Scale.TINY, random.Random(9))
    demo = DemoStaff(7, (8, 9))
    staff = build_staff(plan, TrustIds(user=100), NOW, random.Random(9), demo)
    extra = {} if stored is None else {"stored": stored}
    maker = HistoryMaker(plan, staff, TrustIds(user=100), 1, TODAY, random.Random(9), demo,
                         **extra)
    return [maker.rows(b) for b in build_rows(plan, random.Random(9), TODAY, NOW, FirstIds(), 90)]


def _as_text(value: object) -> object:
    if isinstance(value, datetime):
        return STORED_AS_TEXT.timestamp(value)
    if isinstance(value, date):
        return STORED_AS_TEXT.date(value)
    return value


def test_text_rows_equal_the_date_rows_converted() -> None:
    with_dates, with_text = _trust(None), _trust(STORED_AS_TEXT)
    assert sum(len(b.exams) for b in with_text) > 100
    for dated, texted in zip(with_dates, with_text, strict=True):
        for rows, text_rows in zip(dated, texted, strict=True):
            assert [tuple(map(_as_text, r)) for r in rows] == text_rows
            assert not any(isinstance(v, date) for r in text_rows for v in r)
