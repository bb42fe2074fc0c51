"""C2SP tlog-tiles: the public, static-file form of the audit log.

Written from the C2SP tlog-tiles specification. A log of n entries is published as:

    checkpoint                         the signed tree head (see `checkpoint`)
    tile/<L>/<N>[.p/<W>]               hash tiles
    tile/entries/<N>[.p/<W>]           entry bundles

A hash tile at tile level L and index N holds the tree hashes at tree level 8*L, indexes
256*N .. 256*N + width - 1, as concatenated 32-byte hashes: at level 0 the leaf hashes, above that
the root hash of each *full* tile one level down. A full tile is 256 hashes wide and never changes;
the rightmost tile of each level is partial (1..255 hashes, path suffix `.p/<W>`) and is superseded
by a wider one as the log grows. The entry bundle N holds the entries of leaves 256*N.., each as a
big-endian uint16 length then the bytes.

<N> is written in zero-padded groups of three digits, every group but the last prefixed with "x"
(1234067 -> x001/x234/067), so a file system can hold the tiles without a name being both a file
and a directory. We parse only the canonical form (no leading "x000" group, no leading zeros in <L>
or <W>) so that one tile has exactly one path.

Storage mapping: the hashes of a tile are complete subtrees of the stored tree (`merkle.NodeId`
(8*L, 256*N + i)), so a tile is one `get_many` call. Verification (`verify_tiles`) needs nothing but
the checkpoint and a way to read files by path.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from confianza.kit.checkpoint import Checkpoint
from confianza.kit.errors import StandardsError
from confianza.kit.merkle import (
    EMPTY_ROOT,
    HASH_SIZE,
    GetMany,
    NodeId,
    fetch_hashes,
    fold,
    leaf_hash,
    range_nodes,
)

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT  # hashes in a full tile, entries in a full bundle
MAX_TILE_LEVEL = 63
MAX_ENTRY_SIZE = 0xFFFF  # the uint16 length prefix of a bundle entry
CHECKPOINT_PATH = "checkpoint"

_sha256 = hashlib.sha256


class TileError(StandardsError):
    """A tile path, tile or bundle that is malformed or disagrees with the log.

    `path` names the file at fault (when there is one) and `leaf` the first leaf index whose data
    is wrong or missing (when one can be named).
    """

    title = "Invalid log tile"

    def __init__(self, detail: str, *, path: str | None = None, leaf: int | None = None) -> None:
        super().__init__(detail)
        self.path = path
        self.leaf = leaf


# --- paths -------------------------------------------------------------------------------------


def encode_index(index: int) -> str:
    """The <N> path element(s) of a tile index: 0 -> "000", 1234067 -> "x001/x234/067"."""
    if isinstance(index, bool) or index < 0:
        raise TileError(f"a tile index cannot be negative, got {index}")
    groups = [f"{index % 1000:03d}"]
    index //= 1000
    while index:
        groups.append(f"x{index % 1000:03d}")
        index //= 1000
    return "/".join(reversed(groups))


def _parse_index(parts: Sequence[str], path: str) -> int:
    if not parts:
        raise TileError(f"tile path {path!r} has no tile index", path=path)
    index = 0
    for position, part in enumerate(parts):
        last = position == len(parts) - 1
        digits = part if last else part[1:]
        if not last and not part.startswith("x"):
            raise TileError(
                f"tile path {path!r}: index group {part!r} must start with 'x' "
                "(only the last group has none)",
                path=path,
            )
        if len(digits) != 3 or not all("0" <= c <= "9" for c in digits):
            raise TileError(
                f"tile path {path!r}: index group {part!r} must be "
                f"{'three digits' if last else 'x and three digits'}",
                path=path,
            )
        if position == 0 and len(parts) > 1 and digits == "000":
            raise TileError(
                f"tile path {path!r}: the index has a leading zero group {part!r}", path=path
            )
        index = index * 1000 + int(digits)
    return index


def _parse_decimal(text: str, what: str, path: str, low: int, high: int) -> int:
    if not text or not all("0" <= c <= "9" for c in text):
        raise TileError(f"tile path {path!r}: {what} {text!r} is not a decimal number", path=path)
    if len(text) > 1 and text[0] == "0":
        raise TileError(f"tile path {path!r}: {what} {text!r} has a leading zero", path=path)
    value = int(text)
    if not low <= value <= high:
        raise TileError(
            f"tile path {path!r}: {what} {value} is not between {low} and {high}", path=path
        )
    return value


def _check_width(width: int) -> None:
    if isinstance(width, bool) or not 1 <= width <= TILE_WIDTH:
        raise TileError(f"a tile width is between 1 and {TILE_WIDTH}, got {width}")


def _suffix(width: int) -> str:
    return "" if width == TILE_WIDTH else f".p/{width}"


@dataclass(frozen=True, slots=True)
class Tile:
    """A hash tile: tile level, index within the level, and width in hashes (256 = full)."""

    level: int
    index: int
    width: int = TILE_WIDTH

    def __post_init__(self) -> None:
        if isinstance(self.level, bool) or not 0 <= self.level <= MAX_TILE_LEVEL:
            raise TileError(f"a tile level is between 0 and {MAX_TILE_LEVEL}, got {self.level}")
        if isinstance(self.index, bool) or self.index < 0:
            raise TileError(f"a tile index cannot be negative, got {self.index}")
        _check_width(self.width)

    @property
    def path(self) -> str:
        return f"tile/{self.level}/{encode_index(self.index)}{_suffix(self.width)}"

    @property
    def partial(self) -> bool:
        return self.width < TILE_WIDTH

    @property
    def tree_level(self) -> int:
        """The level in the Merkle tree (`merkle.NodeId`) of the hashes this tile holds."""
        return TILE_HEIGHT * self.level

    @property
    def leaves_per_hash(self) -> int:
        return 1 << self.tree_level

    @property
    def start(self) -> int:
        """The first leaf under this tile."""
        return self.index * TILE_WIDTH * self.leaves_per_hash

    @property
    def end(self) -> int:
        """One past the last leaf under the hashes this tile holds (its width, not 256)."""
        return self.start + self.width * self.leaves_per_hash

    def nodes(self) -> list[NodeId]:
        """The stored complete subtrees this tile holds, in order."""
        first = self.index * TILE_WIDTH
        return [(self.tree_level, first + i) for i in range(self.width)]

    def leaf_of(self, position: int) -> int:
        """The first leaf under hash number `position` of this tile."""
        return self.start + position * self.leaves_per_hash


@dataclass(frozen=True, slots=True)
class Bundle:
    """An entry bundle: the entries of leaves 256*index .. 256*index + width - 1."""

    index: int
    width: int = TILE_WIDTH

    def __post_init__(self) -> None:
        if isinstance(self.index, bool) or self.index < 0:
            raise TileError(f"a bundle index cannot be negative, got {self.index}")
        _check_width(self.width)

    @property
    def path(self) -> str:
        return f"tile/entries/{encode_index(self.index)}{_suffix(self.width)}"

    @property
    def partial(self) -> bool:
        return self.width < TILE_WIDTH

    @property
    def start(self) -> int:
        return self.index * TILE_WIDTH

    @property
    def end(self) -> int:
        return self.start + self.width

    @property
    def tile(self) -> Tile:
        """The level-0 hash tile that holds the leaf hashes of these entries."""
        return Tile(0, self.index, self.width)


def tile_path(level: int, index: int, width: int = TILE_WIDTH) -> str:
    return Tile(level, index, width).path


def bundle_path(index: int, width: int = TILE_WIDTH) -> str:
    return Bundle(index, width).path


def parse_path(path: str) -> Tile | Bundle:
    """The tile or bundle a path names (relative to the log prefix, as `Tile.path` writes it)."""
    parts = path.split("/")
    if len(parts) < 3 or parts[0] != "tile":
        raise TileError(
            f"{path!r} is not a tile path (tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>])",
            path=path,
        )
    if "" in parts:
        raise TileError(f"tile path {path!r} has an empty path element", path=path)
    width = TILE_WIDTH
    rest = parts[2:]
    if rest[-1].endswith(".p"):
        raise TileError(f"tile path {path!r} ends in '.p' without a width", path=path)
    if len(rest) >= 2 and rest[-2].endswith(".p"):
        width = _parse_decimal(rest[-1], "partial width", path, 1, TILE_WIDTH - 1)
        rest = [*rest[:-2], rest[-2][: -len(".p")]]
    index = _parse_index(rest, path)
    if parts[1] == "entries":
        return Bundle(index, width)
    level = _parse_decimal(parts[1], "tile level", path, 0, MAX_TILE_LEVEL)
    return Tile(level, index, width)


# --- which tiles a tree has --------------------------------------------------------------------


def partial_width(size: int, level: int) -> int:
    """The width of the partial tile at `level` of a tree of `size` leaves (0: there is none)."""
    return (size >> (TILE_HEIGHT * level)) % TILE_WIDTH


def tile_levels(size: int) -> int:
    """How many tile levels a tree of `size` leaves has (0 for the empty tree)."""
    levels = 0
    while size >> (TILE_HEIGHT * levels):
        levels += 1
    return levels


def _check_size(size: int, what: str = "tree size") -> None:
    if isinstance(size, bool) or size < 0:
        raise TileError(f"a {what} cannot be negative, got {size}")


def tiles_for_size(size: int, since: int = 0) -> list[Tile]:
    """The hash tiles a tree of `size` leaves publishes that a tree of `since` leaves did not.

    With `since` = 0: every tile of the tree, level by level, full tiles then the partial right
    edge. With the size of an earlier export: what to write now (full tiles completed since, and
    the new partial tiles; the old partial tiles may stay, the spec lets readers use either).
    """
    _check_size(size)
    _check_size(since, "previous size")
    if since > size:
        raise TileError(f"the previous size {since} is larger than the tree size {size}")
    tiles: list[Tile] = []
    for level in range(tile_levels(size)):
        shift = TILE_HEIGHT * (level + 1)
        tiles.extend(Tile(level, n) for n in range(since >> shift, size >> shift))
        width = partial_width(size, level)
        if width and (size >> shift, width) != (since >> shift, partial_width(since, level)):
            tiles.append(Tile(level, size >> shift, width))
    return tiles


def bundles_for_size(size: int, since: int = 0) -> list[Bundle]:
    """The entry bundles of a tree of `size` leaves that a tree of `since` leaves did not have."""
    return [
        Bundle(tile.index, tile.width) for tile in tiles_for_size(size, since) if not tile.level
    ]


# --- building and parsing tiles and bundles ----------------------------------------------------


def hash_tile_bytes(tile: Tile, get_many: GetMany) -> bytes:
    """The bytes of a hash tile, from the stored tree (one `get_many` call)."""
    hashes = fetch_hashes(get_many, tile.nodes())
    for position, value in enumerate(hashes):
        if len(value) != HASH_SIZE:
            raise TileError(
                f"{tile.path}: stored hash {position} has {len(value)} bytes, not {HASH_SIZE}",
                path=tile.path,
                leaf=tile.leaf_of(position),
            )
    return b"".join(hashes)


def parse_hash_tile(data: bytes, tile: Tile) -> list[bytes]:
    """The hashes of a tile; its length must be exactly `tile.width` hashes."""
    where = tile.path
    expected = tile.width * HASH_SIZE
    if len(data) != expected:
        # The first hash that is cut short or absent; beyond the width nothing is missing.
        leaf = tile.leaf_of(len(data) // HASH_SIZE) if len(data) < expected else None
        raise TileError(
            f"{where}: a tile of width {tile.width} has {expected} bytes, got {len(data)}",
            path=where,
            leaf=leaf,
        )
    return [data[i : i + HASH_SIZE] for i in range(0, expected, HASH_SIZE)]


def bundle_bytes(entries: Iterable[bytes], *, start: int = 0) -> bytes:
    """An entry bundle: each entry as a big-endian uint16 length, then its bytes.

    `start` is the leaf index of the first entry, used only to name an entry that is too long.
    """
    items = list(entries)
    if len(items) > TILE_WIDTH:
        raise TileError(f"an entry bundle holds at most {TILE_WIDTH} entries, got {len(items)}")
    out = bytearray()
    for number, entry in enumerate(items):
        if len(entry) > MAX_ENTRY_SIZE:
            raise TileError(
                f"leaf {start + number}: an entry is at most {MAX_ENTRY_SIZE} bytes, "
                f"got {len(entry)}",
                leaf=start + number,
            )
        out += len(entry).to_bytes(2, "big")
        out += entry
    return bytes(out)


def parse_bundle(data: bytes, bundle: Bundle) -> list[bytes]:
    """The entries of a bundle; it must hold exactly `bundle.width` entries and nothing more."""
    where = bundle.path
    entries: list[bytes] = []
    offset = 0
    size = len(data)
    for number in range(bundle.width):
        leaf = bundle.start + number
        if offset == size:
            raise TileError(
                f"{where}: the bundle ends after {number} entries, expected {bundle.width} "
                f"(leaf {leaf} is missing)",
                path=where,
                leaf=leaf,
            )
        if offset + 2 > size:
            raise TileError(
                f"{where}: the length of leaf {leaf} is cut short at byte {offset}",
                path=where,
                leaf=leaf,
            )
        length = int.from_bytes(data[offset : offset + 2], "big")
        offset += 2
        if offset + length > size:
            raise TileError(
                f"{where}: leaf {leaf} claims {length} bytes but only {size - offset} remain",
                path=where,
                leaf=leaf,
            )
        entries.append(data[offset : offset + length])
        offset += length
    if offset != size:
        raise TileError(
            f"{where}: {size - offset} bytes follow the {bundle.width} entries of the bundle",
            path=where,
            leaf=bundle.end,
        )
    return entries


def subtree_hash(hashes: Sequence[bytes]) -> bytes:
    """The root of a perfect subtree over `hashes` (a power of two of them), e.g. a full tile."""
    count = len(hashes)
    if count == 0 or count & (count - 1):
        raise TileError(f"a perfect subtree has a power of two hashes, not {count}")
    layer = list(hashes)
    sha256 = _sha256
    while len(layer) > 1:
        layer = [
            sha256(b"\x01" + layer[i] + layer[i + 1]).digest() for i in range(0, len(layer), 2)
        ]
    return layer[0]


def root_from_edge(size: int, edge: Sequence[Sequence[bytes]]) -> bytes:
    """The tree root from the partial tiles of the right edge.

    `edge[level]` holds the hashes of the partial tile at that tile level (empty where the level
    has none). The root's pieces (`merkle.root_nodes`) follow the bits of `size`, eight per tile
    level, and the bits of level L are the width of its partial tile: each piece is a perfect
    subtree over consecutive hashes of that tile.
    """
    pieces: list[bytes] = []
    for level in range(tile_levels(size) - 1, -1, -1):
        hashes = edge[level]
        if len(hashes) != partial_width(size, level):
            raise TileError(
                f"the partial tile at level {level} of a tree of size {size} has "
                f"{partial_width(size, level)} hashes, got {len(hashes)}"
            )
        for height, index in range_nodes(0, len(hashes)):
            pieces.append(subtree_hash(hashes[index << height : (index + 1) << height]))
    return fold(pieces) if pieces else EMPTY_ROOT


# --- verification ------------------------------------------------------------------------------

ReadTile = Callable[[str], bytes | None]
"""Reads a file of the export by its path (e.g. "tile/0/000.p/5"); None when it does not exist
(FileNotFoundError and KeyError are taken to mean the same, so `dict.__getitem__` or a function
reading a directory will do)."""


def verify_tiles(checkpoint: Checkpoint, read: ReadTile, *, entries: bool = True) -> int:
    """Checks the tiles (and, with `entries`, the entry bundles) of the tree a checkpoint names.

    Every tile of the tree is read once, in leaf order (depth first from the top tile): each
    level-0 tile must hold the leaf hashes of its bundle's entries, each hash above level 0 must
    be the root of the full tile below it, and the partial tiles of the right edge must give the
    checkpoint's root. The first disagreement in leaf order raises TileError naming the file and
    the first leaf it concerns; a missing, truncated or over-long file is such a disagreement.

    The signature of the checkpoint is not checked here: open it with
    `checkpoint.open_checkpoint` first. Where a partial tile or bundle is missing, the full one
    at the same index is used instead (the spec lets a log delete partial files once the full
    one exists). Returns the number of files read.
    """
    size = checkpoint.size
    verifier = _Verifier(read, entries)
    levels = tile_levels(size)
    edge: list[list[bytes]] = [[] for _ in range(levels)]
    for level in range(levels - 1, -1, -1):
        width = partial_width(size, level)
        if width:
            tile = Tile(level, size >> (TILE_HEIGHT * (level + 1)), width)
            edge[level] = verifier.tile(tile)
    got = root_from_edge(size, edge)
    if got != checkpoint.root_hash:
        raise TileError(
            f"the tiles of tree size {size} agree with each other but give root "
            f"{got.hex()}, not the checkpoint's {checkpoint.root_hash.hex()}",
            path=CHECKPOINT_PATH,
        )
    return verifier.reads


class _Verifier:
    """Reads and checks tiles depth first; `tile` returns a tile's hashes once it is checked."""

    __slots__ = ("_read", "_entries", "reads")

    def __init__(self, read: ReadTile, entries: bool) -> None:
        self._read = read
        self._entries = entries
        self.reads = 0

    def _fetch(self, path: str, full_path: str | None, what: str, leaf: int) -> tuple[bytes, bool]:
        """The file at `path`, or, for a partial one, the full one at `full_path`; and whether
        the full one was used."""
        for candidate in (path, full_path):
            if candidate is None:
                continue
            try:
                data = self._read(candidate)
            except (FileNotFoundError, KeyError):
                data = None
            if data is not None:
                self.reads += 1
                return data, candidate != path
        also = f" (nor the full {full_path})" if full_path else ""
        raise TileError(f"{path}{also} is missing: the {what} of leaf {leaf}", path=path, leaf=leaf)

    def tile(self, tile: Tile) -> list[bytes]:
        full = Tile(tile.level, tile.index)
        data, used_full = self._fetch(
            tile.path, full.path if tile.partial else None, "hash tile", tile.start
        )
        read = full if used_full else tile
        hashes = parse_hash_tile(data, read)[: tile.width]
        if tile.level == 0:
            if self._entries:
                self._check_leaves(read, hashes)
            return hashes
        for position, value in enumerate(hashes):
            child = Tile(tile.level - 1, tile.index * TILE_WIDTH + position)
            if subtree_hash(self.tile(child)) != value:
                first = tile.leaf_of(position)
                raise TileError(
                    f"{read.path}: hash {position} (leaves {first}..{child.end - 1}) is not the "
                    f"root of {child.path}, which agrees with everything below it",
                    path=read.path,
                    leaf=first,
                )
        return hashes

    def _check_leaves(self, tile: Tile, hashes: Sequence[bytes]) -> None:
        """Checks the entries of the leaves `hashes` (a prefix of `tile`, as read)."""
        width = len(hashes)
        bundle = Bundle(tile.index, width)
        full = Bundle(tile.index)
        data, used_full = self._fetch(
            bundle.path, full.path if bundle.partial else None, "entry bundle", bundle.start
        )
        read = full if used_full else bundle
        values = parse_bundle(data, read)
        for position in range(width):
            if leaf_hash(values[position]) != hashes[position]:
                leaf = bundle.start + position
                raise TileError(
                    f"{read.path}: the entry of leaf {leaf} does not hash to leaf hash "
                    f"{position} of {tile.path}",
                    path=read.path,
                    leaf=leaf,
                )
