"""Small-count suppression: no published count from 1 to 9 survives, and no withheld count can
be worked back out of the totals published around it.

The check below is independent of the code under test: it writes the published table as a
linear system over the rationals (each row adds up to its total, each column to its total) and
asks, for every withheld count, whether the system fixes its value.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from confianza.dashboard.rules.suppression import THRESHOLD, Protected, protect

Cell = tuple[int, int]


def _rank(rows: list[list[Fraction]]) -> int:
    matrix = [row[:] for row in rows]
    rank = 0
    columns = len(matrix[0]) if matrix else 0
    for column in range(columns):
        pivot = next((i for i in range(rank, len(matrix)) if matrix[i][column] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for i in range(len(matrix)):
            if i != rank and matrix[i][column] != 0:
                factor = matrix[i][column] / matrix[rank][column]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[rank], strict=True)]
        rank += 1
    return rank


def published(cells: list[list[int]], kept: Protected, *, row_totals: bool = True,
              column_totals: bool = True) -> dict[Cell, int | None]:
    """The grid a reader sees: cells, then a total column, then a total row (None: not
    shown). Totals that are not published at all are left out."""
    rows, columns = len(cells), len(cells[0])
    grid: dict[Cell, int | None] = {}
    for r in range(rows):
        for c in range(columns):
            grid[(r, c)] = None if kept.cells[r][c] else cells[r][c]
        if row_totals:
            grid[(r, columns)] = None if kept.row_totals[r] else sum(cells[r])
    if column_totals:
        for c in range(columns):
            value = sum(row[c] for row in cells)
            grid[(rows, c)] = None if kept.column_totals[c] else value
    if row_totals and column_totals:
        grid[(rows, columns)] = None if kept.grand_total else sum(map(sum, cells))
    return grid


def recoverable(cells: list[list[int]], kept: Protected, **published_totals: bool) -> set[Cell]:
    """Withheld counts that the published figures determine exactly."""
    grid = published(cells, kept, **published_totals)
    rows, columns = len(cells), len(cells[0])
    # Every grid position is an unknown: the withheld and the unpublished totals alike.
    unknowns = [(r, c) for r in range(rows + 1) for c in range(columns + 1)
                if grid.get((r, c)) is None]
    equations = []
    for r in range(rows + 1):  # the cells of a row, minus its total, make zero
        equations.append([Fraction(1 if c < columns else -1) if u == r else Fraction(0)
                          for u, c in unknowns])
    for c in range(columns + 1):
        equations.append([Fraction(1 if r < rows else -1) if u == c else Fraction(0)
                          for r, u in unknowns])
    full = _rank(equations)
    found = set()
    for i, cell in enumerate(unknowns):
        if cell not in grid:
            continue  # an unpublished total: its value is nobody's secret
        without = [[v for k, v in enumerate(row) if k != i] for row in equations]
        if _rank(without) < full:
            found.add(cell)
    return found


def small_ones_shown(cells: list[list[int]], kept: Protected, **published_totals: bool
                     ) -> list[int]:
    return [v for v in published(cells, kept, **published_totals).values()
            if v is not None and 0 < v < THRESHOLD]


COUNTS = st.sampled_from([0, 0, 1, 2, 5, 9, 10, 11, 14, 40, 250, 4000])
TABLES = st.integers(1, 6).flatmap(lambda columns: st.lists(
    st.lists(COUNTS, min_size=columns, max_size=columns), min_size=1, max_size=7))


@settings(max_examples=200, deadline=None)
@given(TABLES, st.booleans(), st.booleans())
def test_no_small_count_is_shown_and_none_withheld_can_be_worked_out(
    cells: list[list[int]], row_totals: bool, column_totals: bool
) -> None:
    kept = protect(cells, row_totals=row_totals, column_totals=column_totals)
    assert small_ones_shown(cells, kept, row_totals=row_totals, column_totals=column_totals) == []
    assert recoverable(cells, kept, row_totals=row_totals, column_totals=column_totals) == set()


def test_one_small_cell_in_a_row_takes_a_complement_that_its_total_cannot_undo() -> None:
    cells = [[120, 4, 300], [80, 50, 200], [60, 40, 90]]
    kept = protect(cells)
    assert kept.cells[0][1]
    # Primary suppression alone would leave row 0 as 120 + ? + 300 = 424: a second count of
    # that row is withheld, and one in its column, closing a loop the totals cannot open.
    assert sum(kept.cells[0]) >= 2
    assert sum(row[1] for row in kept.cells) >= 2
    assert recoverable(cells, kept) == set()


def test_complements_are_taken_among_the_non_zero_counts_first() -> None:
    cells = [[3, 0, 500, 40], [30, 0, 600, 70]]
    kept = protect(cells)
    assert kept.cells[0][0]
    # The zero beside it would leave the withheld 3 bounded by 3; the 40 hides it among 43.
    assert not kept.cells[0][1]
    assert kept.cells[0][3]


def test_small_totals_are_withheld_like_cells() -> None:
    cells = [[3, 2], [4, 0]]
    kept = protect(cells)
    assert all(kept.row_totals) and kept.grand_total
    assert small_ones_shown(cells, kept) == []


def test_withholding_a_shared_total_spreads_to_the_other_table() -> None:
    kept = protect([[500, 300], [600, 200]], withhold_rows={1})
    assert kept.row_totals[1]
    assert recoverable([[500, 300], [600, 200]], kept) == set()


def test_large_counts_are_all_shown() -> None:
    kept = protect([[1200, 50, 30], [900, 40, 10]])
    assert not any(any(row) for row in kept.cells)
    assert not any(kept.row_totals) and not any(kept.column_totals) and not kept.grand_total


@pytest.mark.parametrize("cells", [[[1, 2], [3]], [[-1, 4]]])
def test_a_malformed_table_is_refused(cells: list[list[int]]) -> None:
    with pytest.raises(ValueError):
        protect(cells)
