"""Small counts kept off the public page, so that no officer can be singled out (ADR 0016).

A published table shows counts in cells and, around them, totals: per row, per column, and the
grand total. Any published count from 1 to THRESHOLD - 1, in a cell or in a total, is withheld
(primary suppression). Withholding it alone is not enough: a row total minus the row's visible
cells gives it back. So further counts are withheld (complementary suppression) until the
published figures pin down none of the withheld ones.

Seen as a system of equations (each row adds up to its total, each column to its total), a
withheld count is pinned down exactly when every solution agrees on it: when dropping it from
the equations lowers their rank. The equations of a table and its margins form a totally
unimodular system (each unknown sits in one row equation and one column equation), whose rank
over the integers mod 2 equals its rank over the rationals; so the test runs on bit sets.

What this does not promise: bounds. A withheld count whose only complement is small can still
be bounded (3 and 12 withheld in a row say the first is at most 15). Complements are therefore
chosen among the non-zero counts first, smallest first, so the withheld range stays wide.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

#: A published count between 1 and THRESHOLD - 1 is withheld (ADR 0016 says why ten).
THRESHOLD = 10

Cell = tuple[int, int]
Mask = tuple[tuple[bool, ...], ...]


@dataclass(frozen=True)
class Protected:
    """What to withhold of a table: its cells, its row totals, its column totals and its grand
    total (True: withheld, or a total that is not published at all)."""

    cells: Mask
    row_totals: tuple[bool, ...]
    column_totals: tuple[bool, ...]
    grand_total: bool


def _rank(vectors: Iterable[int]) -> int:
    """The rank over GF(2) of bit-set vectors (Gaussian elimination on their top bits)."""
    basis: dict[int, int] = {}
    for vector in vectors:
        while vector:
            top = vector.bit_length() - 1
            if top not in basis:
                basis[top] = vector
                break
            vector ^= basis[top]
    return len(basis)


def _equations(shape: tuple[int, int], variables: Sequence[Cell]) -> list[int]:
    """One bit set per row and per column of the grid: the variables it adds up."""
    rows, columns = shape
    by_row, by_column = [0] * rows, [0] * columns
    for bit, (r, c) in enumerate(variables):
        by_row[r] |= 1 << bit
        by_column[c] |= 1 << bit
    return [v for v in by_row + by_column if v]


def pinned(shape: tuple[int, int], withheld: Iterable[Cell], unknown: Iterable[Cell] = ()
           ) -> set[Cell]:
    """The withheld cells of a grid (a table with its totals as the last row and column) that
    the published cells give back exactly. `unknown` cells are unpublished totals: unknowns of
    the equations whose own value does not matter."""
    guarded = set(withheld)
    variables = sorted(guarded | set(unknown))
    equations = _equations(shape, variables)
    full = _rank(equations)
    return {cell for bit, cell in enumerate(variables)
            if cell in guarded and _rank(v & ~(1 << bit) for v in equations) < full}


def _is_pinned(shape: tuple[int, int], variables: set[Cell], cell: Cell) -> bool:
    ordered = sorted(variables)
    equations = _equations(shape, ordered)
    mask = ~(1 << ordered.index(cell))
    return _rank(v & mask for v in equations) < _rank(equations)


def _grid(cells: Sequence[Sequence[int]]) -> list[list[int]]:
    """The table with its row totals as a last column and its column totals as a last row."""
    grid = [[*row, sum(row)] for row in cells]
    grid.append([sum(column) for column in zip(*grid, strict=True)])
    return grid


def _preference(value: int) -> tuple[bool, int]:
    # Non-zero counts first, smallest first: a zero complement leaves the withheld count
    # bounded by its own small value.
    return (value == 0, value)


def _complement(grid: list[list[int]], withheld: set[Cell], unknown: set[Cell],
                stuck: Cell) -> set[Cell]:
    """Published counts to withhold as well, so that `stuck` is no longer pinned down."""
    shape = (len(grid), len(grid[0]))
    r, c = stuck
    taken = withheld | unknown
    candidates = sorted(
        ({(r, k) for k in range(shape[1])} | {(k, c) for k in range(shape[0])}) - taken,
        key=lambda cell: (_preference(grid[cell[0]][cell[1]]), cell),
    )
    for cell in candidates:
        if not _is_pinned(shape, taken | {cell}, stuck):
            return {cell}
    # Alone in its row and its column: close the cheapest rectangle through it.
    best: tuple[tuple[int, int, int], set[Cell]] | None = None
    for r2 in range(shape[0]):
        for c2 in range(shape[1]):
            if r2 == r or c2 == c:
                continue
            new = {(r, c2), (r2, c), (r2, c2)} - taken
            values = [grid[a][b] for a, b in new]
            cost = (sum(v == 0 for v in values), sum(values), len(new))
            if best is None or cost < best[0]:
                best = (cost, new)
    if best is not None and best[1]:
        return best[1]
    if candidates:
        return {candidates[0]}
    raise ValueError(f"count {stuck} cannot be withheld while the figures around it are shown")


def protect(cells: Sequence[Sequence[int]], threshold: int = THRESHOLD, *,
            row_totals: bool = True, column_totals: bool = True,
            withhold_rows: Collection[int] = (), withhold_grand: bool = False) -> Protected:
    """What to withhold of a table published with its row totals and/or its column totals
    (the grand total is published when both are): every count from 1 to threshold - 1, and as
    few others as this greedy search finds so that none can be worked out from the rest.
    `withhold_rows` and `withhold_grand` withhold totals that another table sharing them
    withholds. ValueError for a table that cannot be protected."""
    if not cells or not cells[0]:
        return Protected((), (), (), False)
    width = len(cells[0])
    if any(len(row) != width for row in cells):
        raise ValueError("every row of the table must have the same number of cells")
    if any(v < 0 for row in cells for v in row):
        raise ValueError("counts cannot be negative")
    grid = _grid(cells)
    last_row, last_column = len(cells), width
    unknown: set[Cell] = set()
    if not row_totals:
        unknown |= {(r, last_column) for r in range(last_row)}
    if not column_totals:
        unknown |= {(last_row, c) for c in range(last_column)}
    if not (row_totals and column_totals):
        unknown.add((last_row, last_column))
    withheld = {(r, c) for r, row in enumerate(grid) for c, v in enumerate(row)
                if 0 < v < threshold and (r, c) not in unknown}
    withheld |= {(r, last_column) for r in withhold_rows} - unknown
    if withhold_grand:
        withheld |= {(last_row, last_column)} - unknown
    shape = (len(grid), len(grid[0]))
    while stuck := pinned(shape, withheld, unknown):
        withheld |= _complement(grid, withheld, unknown, min(stuck))
    hidden = withheld | unknown
    return Protected(
        tuple(tuple((r, c) in hidden for c in range(last_column)) for r in range(last_row)),
        tuple((r, last_column) in hidden for r in range(last_row)),
        tuple((last_row, c) in hidden for c in range(last_column)),
        (last_row, last_column) in hidden,
    )


def shown(value: int, withheld: bool) -> int | None:
    """A count as published: None where it is withheld."""
    return None if withheld else value
