"""The tessera test log (tests/vectors/tlog-tiles/log): its tiles and bundles verify against its
signed checkpoints, and our tiles and bundles for the same entries are byte-identical to it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from confianza.kit.checkpoint import Checkpoint, open_checkpoint
from confianza.kit.merkle import MemoryTree, leaf_hash
from confianza.kit.signed_note import Verifier, parse_verifier_key
from confianza.kit.tiles import (
    Bundle,
    Tile,
    TileError,
    bundle_bytes,
    bundles_for_size,
    hash_tile_bytes,
    parse_bundle,
    parse_hash_tile,
    parse_path,
    tiles_for_size,
    verify_tiles,
)

VECTORS = Path(__file__).resolve().parents[2] / "vectors" / "tlog-tiles"
LOG = VECTORS / "log"
ORIGIN = "example.com/log/testdata"
ENTRIES = (
    *("one", "two", "three", "four", "five", "six", "seven", "eit", "nain", "ten"),
    *("ileven", "twelf", "threeten", "fourten", "fivten"),
)
SIZES = range(16)


def _verifier() -> Verifier:
    script = (VECTORS / "build_log.sh").read_text()
    match = re.search(r'^export LOG_PUBLIC_KEY="([^"]+)"$', script, re.MULTILINE)
    assert match, "LOG_PUBLIC_KEY not in build_log.sh"
    return parse_verifier_key(match.group(1))


def _checkpoint(size: int) -> Checkpoint:
    checkpoint, names = open_checkpoint(
        (VECTORS / f"checkpoint.{size}").read_bytes(), [_verifier()], origin=ORIGIN
    )
    assert names == [ORIGIN] and checkpoint.size == size
    return checkpoint


def _files() -> dict[str, bytes]:
    files = {
        path.relative_to(LOG).as_posix(): path.read_bytes()
        for path in LOG.rglob("*")
        if path.is_file()
    }
    assert len(files) == 31, sorted(files)  # checkpoint, 15 tiles, 15 bundles
    return files


def test_every_file_of_the_log_has_a_tile_path() -> None:
    for path in _files():
        if path != "checkpoint":
            parsed = parse_path(path)
            assert parsed.path == path
            assert parsed.index == 0 and parsed.partial


@pytest.mark.parametrize("size", SIZES)
def test_the_tiles_verify_against_every_signed_checkpoint(size: int) -> None:
    files = _files()
    reads = verify_tiles(_checkpoint(size), files.get)
    assert reads == (2 if size else 0)
    verify_tiles(_checkpoint(size), files.get, entries=False)


@pytest.mark.parametrize("size", range(1, 16))
def test_the_partial_tile_of_each_size_holds_the_leaf_hashes_of_its_entries(size: int) -> None:
    files = _files()
    tile, bundle = Tile(0, 0, size), Bundle(0, size)
    assert tiles_for_size(size) == [tile] and bundles_for_size(size) == [bundle]
    entries = parse_bundle(files[bundle.path], bundle)
    assert entries == [e.encode() for e in ENTRIES[:size]]
    hashes = parse_hash_tile(files[tile.path], tile)
    assert hashes == [leaf_hash(e) for e in entries]
    # Our export of the same entries is byte-identical.
    tree = MemoryTree(hashes)
    assert tree.root() == _checkpoint(size).root_hash
    assert hash_tile_bytes(tile, tree.get_many) == files[tile.path]
    assert bundle_bytes(entries) == files[bundle.path]


def test_the_current_checkpoint_is_the_last_one() -> None:
    files = _files()
    checkpoint, _ = open_checkpoint(files["checkpoint"], [_verifier()], origin=ORIGIN)
    assert checkpoint == _checkpoint(15)
    verify_tiles(checkpoint, files.get)


def test_tampering_with_the_vector_log_names_the_first_bad_leaf() -> None:
    files = _files()
    checkpoint = _checkpoint(15)
    # "seven" is leaf 6; flip a letter of it in the bundle.
    bundle = bytearray(files["tile/entries/000.p/15"])
    at = bundle.index(b"seven")
    bundle[at] ^= 0x20
    with pytest.raises(TileError, match="the entry of leaf 6 does not hash") as info:
        verify_tiles(checkpoint, dict(files, **{"tile/entries/000.p/15": bytes(bundle)}).get)
    assert (info.value.path, info.value.leaf) == ("tile/entries/000.p/15", 6)

    truncated = dict(files, **{"tile/0/000.p/15": files["tile/0/000.p/15"][:-33]})
    with pytest.raises(TileError, match="width 15 has 480 bytes, got 447") as info:
        verify_tiles(checkpoint, truncated.get)
    assert info.value.leaf == 13

    dropped = {p: d for p, d in files.items() if p != "tile/0/000.p/15"}
    with pytest.raises(TileError, match="tile/0/000.p/15 .nor the full tile/0/000. is missing"):
        verify_tiles(checkpoint, dropped.get)

    # The tiles of size 14 do not prove the checkpoint of size 15 (renamed, they are too narrow).
    renamed = dict(files, **{"tile/0/000.p/15": files["tile/0/000.p/14"]})
    with pytest.raises(TileError, match="width 15 has 480 bytes, got 448") as info:
        verify_tiles(checkpoint, renamed.get)
    assert info.value.leaf == 14
