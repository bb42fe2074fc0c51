"""tlog-tiles: paths, which tiles a tree has, building tiles and bundles, and verifying an export.

Exports here are dicts path -> bytes built from a `MemoryTree`; verification must accept every
honest export (grown one append at a time, with or without the old partial tiles) and name the
first bad leaf of every tampered one.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence

import pytest

from confianza.kit.checkpoint import Checkpoint
from confianza.kit.merkle import EMPTY_ROOT, MemoryTree, leaf_hash, root
from confianza.kit.tiles import (
    MAX_ENTRY_SIZE,
    TILE_WIDTH,
    Bundle,
    Tile,
    TileError,
    bundle_bytes,
    bundle_path,
    bundles_for_size,
    encode_index,
    hash_tile_bytes,
    parse_bundle,
    parse_hash_tile,
    parse_path,
    partial_width,
    root_from_edge,
    subtree_hash,
    tile_path,
    tiles_for_size,
    verify_tiles,
)

ORIGIN = "example.test/log"


def _entries(count: int, seed: int = 1) -> list[bytes]:
    rng = random.Random(seed)
    # Lengths 0..40 so empty entries and varied bundle layouts are covered.
    return [rng.randbytes(rng.randrange(41)) for _ in range(count)]


class Export:
    """A growing tlog-tiles export of a log held in memory."""

    def __init__(self) -> None:
        self.entries: list[bytes] = []
        self.tree = MemoryTree()
        self.files: dict[str, bytes] = {}

    def append(self, new: Sequence[bytes]) -> Checkpoint:
        since = self.tree.size
        self.entries.extend(new)
        self.tree.append(leaf_hash(e) for e in new)
        size = self.tree.size
        for tile in tiles_for_size(size, since):
            assert tile.path not in self.files or tile.partial
            self.files[tile.path] = hash_tile_bytes(tile, self.tree.get_many)
        for bundle in bundles_for_size(size, since):
            self.files[bundle.path] = bundle_bytes(self.entries[bundle.start : bundle.end])
        return Checkpoint(ORIGIN, size, self.tree.root())

    def read(self, path: str) -> bytes | None:
        return self.files.get(path)


def _export(entries: Sequence[bytes]) -> tuple[Export, Checkpoint]:
    export = Export()
    return export, export.append(entries)


def _fails(checkpoint: Checkpoint, files: dict[str, bytes], **kwargs: bool) -> TileError:
    with pytest.raises(TileError) as info:
        verify_tiles(checkpoint, files.get, **kwargs)
    assert str(info.value)
    return info.value


def _flip(files: dict[str, bytes], path: str, offset: int) -> None:
    data = bytearray(files[path])
    data[offset] ^= 0x01
    files[path] = bytes(data)


# --- paths -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "text"),
    [
        (0, "000"),
        (5, "005"),
        (999, "999"),
        (1000, "x001/000"),
        (1234067, "x001/x234/067"),
        (10**9, "x001/x000/x000/000"),
    ],
)
def test_index_encoding_follows_the_spec(index: int, text: str) -> None:
    assert encode_index(index) == text
    assert parse_path(f"tile/3/{text}") == Tile(3, index)


def test_paths_of_full_and_partial_tiles_and_bundles() -> None:
    assert tile_path(0, 0) == "tile/0/000"
    assert tile_path(0, 0, 15) == "tile/0/000.p/15"
    assert tile_path(2, 1234067, 1) == "tile/2/x001/x234/067.p/1"
    assert tile_path(63, 0, 255) == "tile/63/000.p/255"
    assert bundle_path(0, 7) == "tile/entries/000.p/7"
    assert bundle_path(1000) == "tile/entries/x001/000"
    assert parse_path("tile/0/000.p/15") == Tile(0, 0, 15)
    assert parse_path("tile/entries/x001/x234/067.p/255") == Bundle(1234067, 255)
    assert parse_path("tile/entries/000") == Bundle(0)


def test_random_paths_round_trip() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        index = rng.choice([rng.randrange(1000), rng.randrange(10**6), rng.randrange(1 << 64)])
        width = rng.choice([TILE_WIDTH, rng.randrange(1, TILE_WIDTH)])
        tile = Tile(rng.randrange(64), index, width)
        assert parse_path(tile.path) == tile
        bundle = Bundle(index, width)
        assert parse_path(bundle.path) == bundle


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("", "not a tile path"),
        ("checkpoint", "not a tile path"),
        ("tile/0", "not a tile path"),
        ("tiles/0/000", "not a tile path"),
        ("tile/00/000", "tile level '00' has a leading zero"),
        ("tile/64/000", "tile level 64 is not between 0 and 63"),
        ("tile/-1/000", "tile level '-1' is not a decimal number"),
        ("tile/\u0661/000", "not a decimal number"),
        ("tile/0/0000", "index group '0000' must be three digits"),
        ("tile/0/01", "index group '01' must be three digits"),
        ("tile/0/x001", "index group 'x001' must be three digits"),
        ("tile/0/001/002", "index group '001' must start with 'x'"),
        ("tile/0/x000/001", "leading zero group 'x000'"),
        ("tile/0/x01/001", "index group 'x01' must be x and three digits"),
        ("tile/0/000/", "has an empty path element"),
        ("tile//000", "has an empty path element"),
        ("tile/0/000.p", "ends in '.p' without a width"),
        ("tile/0/000.p/", "has an empty path element"),
        ("tile/0/000.p/0", "partial width 0 is not between 1 and 255"),
        ("tile/0/000.p/256", "partial width 256 is not between 1 and 255"),
        ("tile/0/000.p/015", "partial width '015' has a leading zero"),
        ("tile/0/000.p/1/2", "index group '000.p' must start with 'x'"),
        ("tile/0/x001/.p/3", "index group '' must be three digits"),
        ("tile/0/x001.p/x002/003", "index group 'x001.p' must be x and three digits"),
        ("tile/entries/x001", "index group 'x001' must be three digits"),
    ],
)
def test_bad_paths_give_a_clear_error(path: str, message: str) -> None:
    with pytest.raises(TileError, match=message) as info:
        parse_path(path)
    assert info.value.path == path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Tile(-1, 0), "level is between 0 and 63"),
        (lambda: Tile(64, 0), "level is between 0 and 63"),
        (lambda: Tile(0, -1), "index cannot be negative"),
        (lambda: Tile(0, 0, 0), "width is between 1 and 256"),
        (lambda: Tile(0, 0, 257), "width is between 1 and 256"),
        (lambda: Bundle(-3), "index cannot be negative"),
        (lambda: Bundle(0, 0), "width is between 1 and 256"),
        (lambda: encode_index(-1), "cannot be negative"),
    ],
)
def test_impossible_tiles_cannot_be_built(make: Callable[[], object], message: str) -> None:
    with pytest.raises(TileError, match=message):
        make()


# --- which tiles a tree has --------------------------------------------------------------------


def test_the_spec_examples_of_tiles_for_a_size() -> None:
    tiles = tiles_for_size(70_000)
    full0 = [t for t in tiles if t.level == 0 and not t.partial]
    assert [t.index for t in full0] == list(range(273))
    assert [t for t in tiles if t.partial or t.level] == [
        Tile(0, 273, 112),
        Tile(1, 0),
        Tile(1, 1, 17),
        Tile(2, 0, 1),
    ]
    assert tiles_for_size(256) == [Tile(0, 0), Tile(1, 0, 1)]
    assert tiles_for_size(0) == []
    assert tiles_for_size(1) == [Tile(0, 0, 1)]
    assert bundles_for_size(70_000)[-2:] == [Bundle(272), Bundle(273, 112)]
    assert partial_width(70_000, 1) == 17


def test_tiles_since_an_earlier_size_are_exactly_the_new_ones() -> None:
    rng = random.Random(3)
    pairs = [(0, 0), (5, 5), (255, 256), (256, 257), (65535, 65536), (65536, 65536 + 256)]
    for _ in range(200):
        low, high = sorted((rng.randrange(200_000), rng.randrange(200_000)))
        pairs.append((low, high))
    for since, size in pairs:
        old = set(tiles_for_size(since))
        assert tiles_for_size(size, since) == [t for t in tiles_for_size(size) if t not in old]


def test_tiles_for_size_refuses_bad_sizes() -> None:
    with pytest.raises(TileError, match="cannot be negative"):
        tiles_for_size(-1)
    with pytest.raises(TileError, match="previous size 9 is larger than the tree size 8"):
        tiles_for_size(8, 9)


def test_a_tile_holds_the_stored_hashes_of_its_range() -> None:
    tree = MemoryTree(leaf_hash(e) for e in _entries(700))
    tile = Tile(0, 2, 700 - 512)
    assert tile.start == 512 and tile.end == 700
    assert hash_tile_bytes(tile, tree.get_many) == b"".join(tree.levels[0][512:700])
    level1 = Tile(1, 0, 2)
    assert level1.nodes() == [(8, 0), (8, 1)]
    assert level1.leaf_of(1) == 256 and level1.end == 512
    hashes = parse_hash_tile(hash_tile_bytes(level1, tree.get_many), level1)
    assert hashes == [subtree_hash(tree.levels[0][0:256]), subtree_hash(tree.levels[0][256:512])]


def test_a_tile_asks_storage_once() -> None:
    tree = MemoryTree(leaf_hash(e) for e in _entries(300))
    calls: list[int] = []

    def get_many(nodes: Sequence[tuple[int, int]]) -> list[bytes]:
        calls.append(len(nodes))
        return tree.get_many(nodes)

    hash_tile_bytes(Tile(0, 0), get_many)
    hash_tile_bytes(Tile(0, 1, 44), get_many)
    assert calls == [256, 44]


def test_root_from_the_right_edge_is_the_tree_root() -> None:
    tree = MemoryTree()
    sizes = [*range(0, 600), 65535, 65536, 65537, 65536 + 256 + 3, 70_000]
    entries = _entries(max(sizes))
    for size in sizes:
        tree.append(leaf_hash(e) for e in entries[tree.size : size])
        edge = []
        level = 0
        while size >> (8 * level):
            count = size >> (8 * level)  # complete hashes at tree level 8 * level
            edge.append(tree.levels[8 * level][count - count % 256 : count])
            level += 1
        assert root_from_edge(size, edge) == root(size, tree.get_many) == tree.root()
    assert root_from_edge(0, []) == EMPTY_ROOT
    with pytest.raises(TileError, match="level 0 of a tree of size 5 has 5 hashes, got 4"):
        root_from_edge(5, [[EMPTY_ROOT] * 4])


# --- bundles -----------------------------------------------------------------------------------


def test_bundles_round_trip() -> None:
    entries = [b"", b"a", bytes(MAX_ENTRY_SIZE), b"\x00\x01"]
    data = bundle_bytes(entries)
    assert data[:5] == b"\x00\x00\x00\x01a"
    assert parse_bundle(data, Bundle(0, 4)) == entries
    assert bundle_bytes([]) == b""


def test_bundles_refuse_what_cannot_be_encoded() -> None:
    with pytest.raises(TileError, match="leaf 258: an entry is at most 65535 bytes, got 65536"):
        bundle_bytes([b"", b"", bytes(MAX_ENTRY_SIZE + 1)], start=256)
    with pytest.raises(TileError, match="at most 256 entries, got 257"):
        bundle_bytes([b""] * 257)


@pytest.mark.parametrize(
    ("data", "message", "leaf"),
    [
        (b"", "ends after 0 entries, expected 3 .leaf 512 is missing.", 512),
        (b"\x00\x01a\x00\x01b", "ends after 2 entries, expected 3 .leaf 514 is missing.", 514),
        (b"\x00\x01a\x00", "length of leaf 513 is cut short at byte 3", 513),
        (b"\x00\x01a\x00\x05bc", "leaf 513 claims 5 bytes but only 2 remain", 513),
        (b"\x00\x00\x00\x00\x00\x00\x00", "1 bytes follow the 3 entries", 515),
    ],
)
def test_malformed_bundles_name_the_first_bad_leaf(data: bytes, message: str, leaf: int) -> None:
    with pytest.raises(TileError, match=message) as info:
        parse_bundle(data, Bundle(2, 3))
    assert info.value.path == "tile/entries/002.p/3"
    assert info.value.leaf == leaf


def test_a_hash_tile_of_the_wrong_length_names_the_first_incomplete_hash() -> None:
    tile = Tile(1, 0, 3)
    with pytest.raises(TileError, match="width 3 has 96 bytes, got 70") as info:
        parse_hash_tile(bytes(70), tile)
    assert (info.value.path, info.value.leaf) == ("tile/1/000.p/3", 512)
    with pytest.raises(TileError, match="got 128") as info:
        parse_hash_tile(bytes(128), tile)
    assert info.value.leaf is None


# --- verification of honest exports ------------------------------------------------------------


def test_every_size_up_to_1000_verifies_while_the_log_grows() -> None:
    export = Export()
    entries = _entries(1000)
    checkpoints = [export.append([])]
    for entry in entries:
        checkpoints.append(export.append([entry]))
        assert verify_tiles(checkpoints[-1], export.read) > 0
    assert verify_tiles(checkpoints[0], export.read) == 0
    # The finished export still verifies every earlier checkpoint: old partial tiles are kept.
    rng = random.Random(11)
    for checkpoint in rng.sample(checkpoints, 60):
        verify_tiles(checkpoint, export.read)


def test_random_logs_in_one_export_verify() -> None:
    rng = random.Random(5)
    for size in [*rng.sample(range(1001), 40), 0, 1, 255, 256, 257, 511, 512, 513, 1000]:
        export, checkpoint = _export(_entries(size, seed=size))
        verify_tiles(checkpoint, export.read)
        verify_tiles(checkpoint, export.read, entries=False)


def test_old_checkpoints_verify_from_full_tiles_once_partials_are_deleted() -> None:
    export = Export()
    entries = _entries(600)
    early = [export.append(entries[:100]), export.append(entries[100:256])]
    early.append(export.append(entries[256:300]))
    export.append(entries[300:600])
    # The spec lets a log delete a partial file once the full one exists.
    deleted = [p for p in export.files if ".p/" in p and p.split(".p/")[0] in export.files]
    assert "tile/0/000.p/100" in deleted and "tile/entries/001.p/44" in deleted
    for path in deleted:
        del export.files[path]
    assert "tile/1/000.p/1" in export.files  # no full tile/1/000 yet
    for checkpoint in early:
        verify_tiles(checkpoint, export.read)


def test_a_multi_level_log_verifies() -> None:
    size = 65536 + 3 * 256 + 5  # tile levels 0, 1 and 2, all with partial tiles
    export, checkpoint = _export([i.to_bytes(3, "big") for i in range(size)])
    assert Tile(2, 0, 1).path in export.files
    assert Tile(1, 1, 3).path in export.files
    # 259 full level-0 tiles and bundles, 1 full level-1 tile, 3 partial tiles and 1 bundle.
    assert verify_tiles(checkpoint, export.read) == 2 * 259 + 1 + 3 + 1


def test_the_empty_log_reads_nothing_and_has_the_empty_root() -> None:
    assert verify_tiles(Checkpoint(ORIGIN, 0, EMPTY_ROOT), Export().read) == 0
    error = _fails(Checkpoint(ORIGIN, 0, leaf_hash(b"")), {})
    assert error.path == "checkpoint"


# --- tampering ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def log700() -> tuple[dict[str, bytes], Checkpoint, list[bytes]]:
    export, checkpoint = _export(_entries(700))
    return export.files, checkpoint, export.entries


def _offset_of(entries: Sequence[bytes], leaf: int) -> int:
    """Where leaf `leaf`'s bytes (or its length, for an empty entry) start in its bundle."""
    first = leaf - leaf % TILE_WIDTH
    before = sum(2 + len(e) for e in entries[first:leaf])
    return before + (2 if entries[leaf] else 1)


@pytest.mark.parametrize("leaf", [0, 1, 255, 256, 300, 511, 512, 699])
def test_a_flipped_byte_in_a_bundle_names_its_leaf(
    log700: tuple[dict[str, bytes], Checkpoint, list[bytes]], leaf: int
) -> None:
    files, checkpoint, entries = log700
    files = dict(files)
    bundle = bundles_for_size(700)[leaf // TILE_WIDTH]
    _flip(files, bundle.path, _offset_of(entries, leaf))
    error = _fails(checkpoint, files)
    assert (error.path, error.leaf) == (bundle.path, leaf)
    assert f"leaf {leaf}" in str(error)


@pytest.mark.parametrize("leaf", [0, 200, 256, 699])
def test_a_flipped_leaf_hash_names_its_leaf(
    log700: tuple[dict[str, bytes], Checkpoint, list[bytes]], leaf: int
) -> None:
    files, checkpoint, _ = log700
    files = dict(files)
    tile = tiles_for_size(700)[leaf // TILE_WIDTH]
    _flip(files, tile.path, (leaf % TILE_WIDTH) * 32 + 31)
    error = _fails(checkpoint, files)
    assert error.leaf == leaf
    assert tile.path in str(error)


def test_without_entries_a_flipped_leaf_hash_is_caught_by_the_tile_above(
    log700: tuple[dict[str, bytes], Checkpoint, list[bytes]],
) -> None:
    files, checkpoint, _ = log700
    files = dict(files)
    _flip(files, "tile/0/001", 40 * 32)
    error = _fails(checkpoint, files, entries=False)
    assert (error.path, error.leaf) == ("tile/1/000.p/2", 256)
    assert "hash 1 (leaves 256..511) is not the root of tile/0/001" in str(error)
    # In the partial tile only the root can tell.
    files = dict(log700[0])
    _flip(files, "tile/0/002.p/188", 0)
    assert _fails(checkpoint, files, entries=False).path == "checkpoint"


def test_the_first_disagreement_in_leaf_order_is_reported(
    log700: tuple[dict[str, bytes], Checkpoint, list[bytes]],
) -> None:
    files, checkpoint, entries = log700
    files = dict(files)
    _flip(files, "tile/entries/002.p/188", _offset_of(entries, 600))
    _flip(files, "tile/1/000.p/2", 32)  # the hash of leaves 256..511
    _flip(files, "tile/entries/001", _offset_of(entries, 400))
    _flip(files, "tile/0/001", (300 - 256) * 32)
    assert _fails(checkpoint, files).leaf == 300
    del files["tile/0/001"]
    error = _fails(checkpoint, files)
    assert (error.path, error.leaf) == ("tile/0/001", 256)
    assert "tile/0/001 is missing: the hash tile of leaf 256" in str(error)


@pytest.mark.parametrize(
    ("path", "message", "leaf"),
    [
        ("tile/0/000", "tile/0/000 is missing: the hash tile of leaf 0", 0),
        ("tile/entries/001", "tile/entries/001 is missing: the entry bundle of leaf 256", 256),
        (
            "tile/0/002.p/188",
            "tile/0/002.p/188 .nor the full tile/0/002. is missing: the hash tile of leaf 512",
            512,
        ),
        ("tile/1/000.p/2", "tile/1/000.p/2 .nor the full tile/1/000. is missing", 0),
        ("tile/entries/002.p/188", "tile/entries/002.p/188 .nor the full", 512),
    ],
)
def test_a_missing_file_is_named(
    log700: tuple[dict[str, bytes], Checkpoint, list[bytes]], path: str, message: str, leaf: int
) -> None:
    files, checkpoint, _ = log700
    files = {p: d for p, d in files.items() if p != path}
    error = _fails(checkpoint, files)
    assert re.search(message, str(error))
    assert (error.path, error.leaf) == (path, leaf)
    # A reader that raises for a missing file (a dict lookup, a file read) gives the same error.
    with pytest.raises(TileError, match=message):
        verify_tiles(checkpoint, files.__getitem__)


def test_truncated_and_overlong_files_are_named(
    log700: tuple[dict[str, bytes], Checkpoint, list[bytes]],
) -> None:
    files, checkpoint, _ = log700
    cut = dict(files, **{"tile/0/001": files["tile/0/001"][: 100 * 32 + 5]})
    error = _fails(checkpoint, cut)
    assert (error.path, error.leaf) == ("tile/0/001", 356)
    assert "a tile of width 256 has 8192 bytes, got 3205" in str(error)
    long = dict(files, **{"tile/0/002.p/188": files["tile/0/002.p/188"] + bytes(32)})
    assert _fails(checkpoint, long).path == "tile/0/002.p/188"
    bundle = files["tile/entries/000"]
    error = _fails(checkpoint, dict(files, **{"tile/entries/000": bundle[:-1]}))
    assert (error.path, error.leaf) == ("tile/entries/000", 255)
    error = _fails(checkpoint, dict(files, **{"tile/entries/000": bundle + b"\x00"}))
    assert "1 bytes follow the 256 entries" in str(error)


def test_a_partial_tile_of_the_wrong_width_is_refused(
    log700: tuple[dict[str, bytes], Checkpoint, list[bytes]],
) -> None:
    files, checkpoint, _ = log700
    narrow = dict(files, **{"tile/0/002.p/188": files["tile/0/002.p/188"][:-32]})
    error = _fails(checkpoint, narrow)
    assert (error.path, error.leaf) == ("tile/0/002.p/188", 699)
    # A full tile standing in for a missing partial one must itself be full.
    files = {p: d for p, d in files.items() if p != "tile/0/002.p/188"}
    files["tile/0/002"] = log700[0]["tile/0/002.p/188"]
    error = _fails(checkpoint, files)
    assert error.path == "tile/0/002"
    assert "a tile of width 256 has 8192 bytes, got 6016" in str(error)


def test_a_different_tree_fails_at_the_checkpoint(
    log700: tuple[dict[str, bytes], Checkpoint, list[bytes]],
) -> None:
    files, checkpoint, _ = log700
    other = Checkpoint(ORIGIN, 700, leaf_hash(b"other"))
    error = _fails(other, files)
    assert error.path == "checkpoint" and error.leaf is None
    assert f"not the checkpoint's {leaf_hash(b'other').hex()}" in str(error)
    # A checkpoint of a larger tree needs tiles that are not there.
    error = _fails(Checkpoint(ORIGIN, 701, checkpoint.root_hash), files)
    assert error.path == "tile/0/002.p/189"


def test_garbled_exports_give_a_clear_error_never_a_crash(
    log700: tuple[dict[str, bytes], Checkpoint, list[bytes]],
) -> None:
    files, checkpoint, _ = log700
    rng = random.Random(21)
    paths = sorted(files)
    for _ in range(300):
        garbled = dict(files)
        path = rng.choice(paths)
        data = bytearray(garbled[path])
        action = rng.randrange(3)
        if action == 0:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        elif action == 1:
            del data[rng.randrange(len(data)) :]
        else:
            data.insert(rng.randrange(len(data) + 1), rng.randrange(256))
        garbled[path] = bytes(data)
        error = _fails(checkpoint, garbled)
        assert error.path in (path, "checkpoint") or error.leaf is not None
