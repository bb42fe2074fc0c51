"""The audit log published as C2SP tlog-tiles, and an outsider's check of a published copy.

`export_tiles` writes the tree of the latest *signed* checkpoint into a directory that any static
web server can publish: `checkpoint`, the hash tiles (`tile/<L>/<N>`) and the entry bundles
(`tile/entries/<N>`), laid out by `domain.tiles`. Bundles hold the public form of each entry
(ADR 0012), never the stored row. Exports are incremental: the directory's own checkpoint says
which size it already holds, and only the tiles and bundles that size lacks are written; a full
tile, once there, is never touched again.

Every file goes to a temporary name beside its final one, is flushed to disk and renamed into
place, and `checkpoint` comes last: a reader (or a mirror) sees either the previous checkpoint,
whose files are all still there, or the new one with all of its files. After a crash the
directory still holds the old checkpoint, so the next run writes the same files again, with the
same bytes.

Nothing unvouched is published. Before any file is written, the stored tree must give the signed
root at the checkpoint's size (and, for an earlier export, at that export's size); each bundle's
public forms must hash to the stored leaves of its tile, and each full tile must hash to the node
above it, before either is written. An entry that disagrees is named, and the export stops.

The export reads public data only and runs as the system: it writes no audit entry (one would
feed the log it publishes). It reads a few thousand entries per query, in read-only transactions,
so a log of millions of entries is exported in bounded memory.

`verify_export` is the other side: it needs only the directory and the verifier keys (no database,
no pseudonym key) and checks every file against the signed checkpoint (`domain.tiles.verify_tiles`).
"""

from __future__ import annotations

import base64
import os
import secrets
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from confianza.core.errors import Conflict, NotFound
from confianza.kit.checkpoint import (
    Checkpoint,
    CheckpointError,
    open_checkpoint,
    parse_checkpoint,
)
from confianza.kit.merkle import HASH_SIZE, NodeId, fold, leaf_hash, root_nodes
from confianza.kit.signed_note import MAX_NOTE_BYTES, NoteError, Verifier, split_note
from confianza.kit.tiles import (
    CHECKPOINT_PATH,
    MAX_ENTRY_SIZE,
    TILE_HEIGHT,
    TILE_WIDTH,
    Bundle,
    ReadTile,
    Tile,
    TileError,
    bundle_bytes,
    bundles_for_size,
    hash_tile_bytes,
    parse_hash_tile,
    partial_width,
    root_from_edge,
    subtree_hash,
    tile_levels,
    tiles_for_size,
    verify_tiles,
)
from confianza.trail.rules import StoredEntry
from confianza.transparency.rules import PublicLog
from confianza.work import Transaction, UnitOfWork

#: Tiles handled per query and per transaction: 4,096 entries or hashes, a few MB at most.
GROUP = 16

_T = TypeVar("_T")


class ExportRefused(Conflict):
    """The export cannot go ahead; the message says why and what to do. Files already written
    by a refused export are never named by a checkpoint until an export succeeds."""

    title = "Log export refused"


@dataclass(frozen=True)
class ExportReport:
    size: int
    """The size of the exported tree: the latest signed checkpoint's."""
    previous_size: int
    """The size the directory held before (0 for an empty one)."""
    root: bytes
    tiles_written: int
    bundles_written: int
    checkpoint_written: bool
    """False when the directory already held this very checkpoint."""

    @property
    def files_written(self) -> int:
        return self.tiles_written + self.bundles_written + int(self.checkpoint_written)

    def line(self) -> str:
        return (f"exported size {self.size} (previous {self.previous_size}): "
                f"{self.tiles_written} tiles, {self.bundles_written} bundles")


def export_tiles(uow: UnitOfWork, public: PublicLog, directory: Path) -> ExportReport:
    """Bring `directory` up to the latest signed checkpoint (see the module docstring).

    `public` gives the entries' public forms (it holds the pseudonym key; the files never do).
    Raises ExportRefused for a directory that holds another log, a larger one, or no readable
    checkpoint of ours; for a log with no signed checkpoint; for a directory that cannot be
    written; and for stored data that disagrees with the signed tree.
    """
    directory = Path(directory)
    _make_directory(directory)
    with _exclusive(directory):
        previous = _previous_checkpoint(directory)
        with uow.transaction(read_only=True) as tx:
            note, checkpoint = _latest(tx)
            since = _check_previous(tx, directory, previous, checkpoint)
            _check_edge(tx, public, checkpoint)
        size = checkpoint.size
        files = _Files(directory)
        bundles = bundles_for_size(size, since)
        for group in _groups(bundles):
            with uow.transaction(read_only=True) as tx:
                _export_leaves(tx, public, checkpoint, group, files)
        tiles = tiles_for_size(size, since)
        for upper in _groups([tile for tile in tiles if tile.level]):
            with uow.transaction(read_only=True) as tx:
                _export_upper(tx, upper, files)
        files.sync_directories()
        written = files.replace_if_changed(CHECKPOINT_PATH, note)
    # Every tile and bundle listed was written, or the export raised before its checkpoint.
    return ExportReport(size, since, checkpoint.root_hash, len(tiles), len(bundles), written)


# --- what to export -------------------------------------------------------------------------


def _make_directory(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ExportRefused(f"{directory} exists and is not a directory: export into a "
                            "directory") from None
    except OSError as exc:
        raise ExportRefused(f"{directory} cannot be created: {exc.strerror}") from None


@contextmanager
def _exclusive(directory: Path) -> Iterator[None]:
    """One export into a directory at a time (the server's task and a console run could meet):
    two at once could leave the older checkpoint last."""
    if sys.platform == "win32":  # pragma: no cover - no advisory locks there; one writer assumed
        yield
        return
    import fcntl

    fd = os.open(directory, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ExportRefused(f"another export into {directory} is under way; try again when "
                                "it has finished") from None
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _previous_checkpoint(directory: Path) -> Checkpoint | None:
    path = directory / CHECKPOINT_PATH
    start_over = ("export into an empty directory instead (this one may hold another log or a "
                  "damaged export)")
    try:
        with path.open("rb") as handle:
            note = handle.read(MAX_NOTE_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ExportRefused(f"{path} cannot be read ({exc.strerror}): {start_over}") from None
    try:
        text, _ = split_note(note)
        return parse_checkpoint(text)
    except (NoteError, CheckpointError) as exc:
        raise ExportRefused(f"{path} is not a checkpoint of a previous export ({exc.detail}): "
                            f"{start_over}") from None


def _latest(tx: Transaction) -> tuple[bytes, Checkpoint]:
    note = tx.log.checkpoint()
    if note is None:
        raise ExportRefused("the log has no signed checkpoint yet, so there is nothing to "
                            "export: run `confianza audit checkpoint` (or let `confianza serve` "
                            "sign one) first")
    try:
        return note, parse_checkpoint(split_note(note)[0])
    except (NoteError, CheckpointError) as exc:
        raise ExportRefused(f"the latest signed checkpoint kept by the log is malformed "
                            f"({exc.detail}): run `confianza audit verify`") from None


def _check_previous(tx: Transaction, directory: Path, previous: Checkpoint | None,
                    checkpoint: Checkpoint) -> int:
    """The size the directory already holds, once it is shown to be an earlier state of this
    log (same name, no larger, same root at its size)."""
    if previous is None:
        return 0
    path = directory / CHECKPOINT_PATH
    if previous.origin != checkpoint.origin:
        raise ExportRefused(f"{path} is a checkpoint of the log {previous.origin!r}, not of "
                            f"{checkpoint.origin!r}: export this log into another directory")
    if previous.size > checkpoint.size:
        raise ExportRefused(
            f"{path} holds a tree of {previous.size:,} entries but this log's latest signed "
            f"checkpoint has {checkpoint.size:,}: the directory holds another database's export; "
            "export into an empty directory")
    stored = fold(_hashes(tx, root_nodes(previous.size)))
    if stored != previous.root_hash:
        raise ExportRefused(
            f"{path} has root {_b64(previous.root_hash)} at size {previous.size:,}, but this "
            f"log's stored tree gives {_b64(stored)}: the directory holds another log's export "
            "(export into an empty directory), or the stored tree was altered (run "
            "`confianza audit verify`)")
    return previous.size


def _check_edge(tx: Transaction, public: PublicLog, checkpoint: Checkpoint) -> None:
    """The stored hashes the partial tiles will hold must give the signed root; otherwise a
    stored hash was altered, and the level-0 partial tile's entries may tell which."""
    size = checkpoint.size
    levels = tile_levels(size)
    tiles = [_partial(size, level) for level in range(levels)]
    nodes = [node for tile in tiles if tile is not None for node in tile.nodes()]
    found = dict(zip(nodes, _hashes(tx, nodes), strict=True))
    edge = [[] if tile is None else [found[n] for n in tile.nodes()] for tile in tiles]
    if root_from_edge(size, edge) == checkpoint.root_hash:
        return
    first = tiles[0] if tiles else None
    if first is not None:
        entries = _entries(tx, first.start, first.end, size)
        _compare_leaves(public, first.start, entries, edge[0], first.path)
    raise ExportRefused(
        f"the log's stored tree does not give the root of the signed checkpoint at size "
        f"{size:,}: a stored hash was altered; nothing was exported (run `confianza audit "
        "verify`)")


def _partial(size: int, level: int) -> Tile | None:
    width = partial_width(size, level)
    return Tile(level, size >> (TILE_HEIGHT * (level + 1)), width) if width else None


def _groups(items: Sequence[_T]) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), GROUP):
        yield items[start:start + GROUP]


def _hashes(tx: Transaction, nodes: Sequence[NodeId]) -> list[bytes]:
    if not nodes:
        return []
    try:
        return tx.log.hashes(nodes)
    except KeyError as exc:
        raise ExportRefused(f"{exc.args[0]}, though the signed tree includes it: nothing more "
                            "was exported (run `confianza audit verify`)") from None


def _parent(tile: Tile) -> NodeId:
    """The stored node a full tile's hashes hash up to (the hash the tile above holds)."""
    return (tile.tree_level + TILE_HEIGHT, tile.index)


# --- writing the tiles ----------------------------------------------------------------------


def _export_leaves(tx: Transaction, public: PublicLog, checkpoint: Checkpoint,
                   bundles: Sequence[Bundle], files: _Files) -> None:
    """Bundles and their level-0 tiles, each written once its entries are shown to hash to the
    stored leaves (and, when full, the leaves to the stored node above them)."""
    first, end = bundles[0].start, bundles[-1].end
    nodes = [node for bundle in bundles for node in bundle.tile.nodes()]
    nodes += [_parent(bundle.tile) for bundle in bundles if not bundle.partial]
    stored = dict(zip(nodes, _hashes(tx, nodes), strict=True))
    entries = _entries(tx, first, end, checkpoint.size)
    for bundle in bundles:
        tile = bundle.tile
        data = hash_tile_bytes(tile, lambda wanted: [stored[n] for n in wanted])
        hashes = parse_hash_tile(data, tile)
        forms = _compare_leaves(public, bundle.start,
                                entries[bundle.start - first:bundle.end - first], hashes,
                                bundle.path)
        if not bundle.partial:
            _check_parent(tile, hashes, stored)
        files.replace(bundle.path, bundle_bytes(forms, start=bundle.start))
        files.replace(tile.path, data)


def _export_upper(tx: Transaction, tiles: Sequence[Tile], files: _Files) -> None:
    nodes = [node for tile in tiles for node in tile.nodes()]
    nodes += [_parent(tile) for tile in tiles if not tile.partial]
    stored = dict(zip(nodes, _hashes(tx, nodes), strict=True))
    for tile in tiles:
        data = hash_tile_bytes(tile, lambda wanted: [stored[n] for n in wanted])
        if not tile.partial:
            _check_parent(tile, parse_hash_tile(data, tile), stored)
        files.replace(tile.path, data)


def _entries(tx: Transaction, start: int, end: int, size: int) -> list[StoredEntry]:
    """The entries of leaves [start, end), in their stored form (as integration hashed them):
    numbers start + 1 to end, every one present."""
    entries = tx.log.stored(start + 1, end - start)
    for offset in range(end - start):
        seq = start + 1 + offset
        if offset >= len(entries) or entries[offset].seq != seq:
            raise ExportRefused(
                f"entry {seq} is missing from the trail, though the signed checkpoint at size "
                f"{size:,} includes it: the export stopped there and wrote no checkpoint (run "
                "`confianza audit verify`)")
    return entries


def _compare_leaves(public: PublicLog, start: int, entries: Sequence[StoredEntry],
                    hashes: Sequence[bytes], path: str) -> list[bytes]:
    """The public forms of the entries of leaves start.., each checked against its stored leaf
    hash; the first that differs stops the export, named."""
    forms = [public.stored_form(entry) for entry in entries]
    for offset, (form, stored) in enumerate(zip(forms, hashes, strict=True)):
        if leaf_hash(form) != stored:
            seq = start + offset + 1
            raise ExportRefused(
                f"entry {seq} disagrees with the log's stored tree: its public form does not "
                f"hash to stored leaf {seq - 1} (the row or its stored hash was altered); "
                f"{path} was not written and the export wrote no checkpoint (run `confianza "
                "audit verify`)")
    return forms


def _check_parent(tile: Tile, hashes: Sequence[bytes], stored: dict[NodeId, bytes]) -> None:
    level, index = _parent(tile)
    if subtree_hash(hashes) != stored[(level, index)]:
        raise ExportRefused(
            f"the stored tree hash at level {level}, index {index} (entries {tile.start + 1} to "
            f"{tile.end}) disagrees with the hashes below it: a stored hash was altered; "
            f"{tile.path} was not written and the export wrote no checkpoint (run `confianza "
            "audit verify`)")


class _Files:
    """Writes files of the export durably: temporary name, flushed to disk, renamed into place."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._made: set[Path] = set()
        self._touched: set[Path] = set()

    def replace(self, relative: str, data: bytes) -> None:
        target = self.directory / relative
        try:
            self._parent_of(target)
            _write_atomically(target, data)
        except OSError as exc:
            raise ExportRefused(f"{target} cannot be written ({exc.strerror or exc}): the export "
                                "wrote no checkpoint") from None

    def replace_if_changed(self, relative: str, data: bytes) -> bool:
        target = self.directory / relative
        try:
            if target.read_bytes() == data:
                return False
        except OSError:
            pass  # absent or unreadable: written anew
        self.replace(relative, data)
        try:
            _sync_directory(target.parent)
        except OSError as exc:
            raise ExportRefused(f"{target.parent} cannot be synced: {exc.strerror}") from None
        return True

    def _parent_of(self, target: Path) -> None:
        parent = target.parent
        if parent not in self._made:
            parent.mkdir(parents=True, exist_ok=True)
            self._made.add(parent)
            # The new directories' names live in their parents: those are synced too.
            here = parent
            while here != self.directory and self.directory in here.parents:
                self._touched.add(here)
                here = here.parent
            self._touched.add(self.directory)

    def sync_directories(self) -> None:
        """Before the checkpoint names them, the renamed files' directory entries reach disk."""
        for path in sorted(self._touched, key=lambda p: len(p.parts), reverse=True):
            try:
                _sync_directory(path)
            except OSError as exc:
                raise ExportRefused(f"{path} cannot be synced: {exc.strerror}") from None


def _write_atomically(target: Path, data: bytes) -> None:
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    # Created with the usual mode (under the umask): the files are meant to be served.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _sync_directory(path: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover - directories cannot be opened there
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# --- verifying a published copy -------------------------------------------------------------

#: The most a file of the export can hold; reading stops one byte later, so a huge file in a
#: hostile copy is reported as over-long instead of being read whole.
_LIMITS = {"checkpoint": MAX_NOTE_BYTES, "bundle": TILE_WIDTH * (2 + MAX_ENTRY_SIZE),
           "tile": TILE_WIDTH * HASH_SIZE}


def directory_reader(directory: Path) -> ReadTile:
    """Reads files of an export by their path in it; refuses any path that leads outside it
    (`..`, an absolute path, a link pointing elsewhere). A missing file is None."""
    base = Path(directory).resolve()

    def read(path: str) -> bytes | None:
        relative = PurePosixPath(path)
        if not path or relative.is_absolute() or ".." in relative.parts or "\\" in path:
            raise TileError(f"{path!r} is not a path inside the export directory {base}",
                            path=path)
        target = (base / relative).resolve()
        if target != base and base not in target.parents:
            raise TileError(f"{path} leads outside the export directory {base} (through a "
                            "link)", path=path)
        if path == CHECKPOINT_PATH:
            limit = _LIMITS["checkpoint"]
        elif path.startswith("tile/entries/"):
            limit = _LIMITS["bundle"]
        else:
            limit = _LIMITS["tile"]
        try:
            with target.open("rb") as handle:
                return handle.read(limit + 1)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:
            raise TileError(f"{path} cannot be read: {exc.strerror}", path=path) from None

    return read


@dataclass(frozen=True)
class TilesProblem:
    kind: str
    """checkpoint_missing, checkpoint_rejected (malformed, forged, unknown key, other origin)
    or tiles_disagree (a tile or bundle missing, cut short, altered, or not giving the root)."""
    message: str
    path: str | None = None
    seq: int | None = None
    """The first entry the problem concerns (leaf + 1), when one can be named."""


@dataclass(frozen=True)
class TilesReport:
    directory: str
    size: int
    root: bytes | None
    files: int
    """Files read: the checkpoint, the tiles and the bundles."""
    problem: TilesProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def line(self) -> str:
        if self.problem is not None:
            return f"tampered: {self.problem.message}"
        root = _b64(self.root) if self.root is not None else ""
        return f"ok: size {self.size}, root {root}, {self.files} files"

    def as_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "ok": self.ok, "directory": self.directory, "size": self.size,
            "root": None if self.root is None else _b64(self.root), "files": self.files,
        }
        if self.problem is not None:
            p = self.problem
            document["problem"] = {"kind": p.kind, "path": p.path, "seq": p.seq,
                                   "message": p.message}
        return document


def verify_export(directory: Path, verifiers: Iterable[Verifier], *,
                  origin: str | None = None) -> TilesReport:
    """Check an exported directory against its own signed checkpoint, from the files alone.

    The checkpoint must carry a good signature by one of `verifiers` (others are ignored, as the
    signed-note spec says) and, with `origin`, that log's name; then every tile and bundle of its
    tree is read once and must agree with it. The first problem is reported, naming the file
    and the first entry it concerns.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise NotFound(f"{directory} is not a directory: nothing to verify")
    read = directory_reader(directory)
    where = str(directory)

    def failed(problem: TilesProblem, files: int, size: int = 0,
               root: bytes | None = None) -> TilesReport:
        return TilesReport(where, size, root, files, problem)

    try:
        note = read(CHECKPOINT_PATH)
    except TileError as exc:
        return failed(TilesProblem("checkpoint_rejected", exc.detail, CHECKPOINT_PATH), 0)
    if note is None:
        return failed(TilesProblem(
            "checkpoint_missing", f"{CHECKPOINT_PATH} is missing from {where}: there is no "
            "signed tree to verify the tiles against", CHECKPOINT_PATH), 0)
    try:
        checkpoint, _ = open_checkpoint(note, list(verifiers), origin=origin)
    except (NoteError, CheckpointError) as exc:
        return failed(TilesProblem("checkpoint_rejected", f"{CHECKPOINT_PATH}: {exc.detail}",
                                   CHECKPOINT_PATH), 1)
    try:
        reads = verify_tiles(checkpoint, read)
    except TileError as exc:
        seq = exc.leaf + 1 if exc.leaf is not None and exc.leaf < checkpoint.size else None
        message = exc.detail
        if exc.path is not None and not message.startswith(exc.path):
            message = f"{exc.path}: {message}"
        if seq is not None:
            message += f" (entry {seq})"
        return failed(TilesProblem("tiles_disagree", message, exc.path, seq), 1,
                      checkpoint.size, checkpoint.root_hash)
    return TilesReport(where, checkpoint.size, checkpoint.root_hash, reads + 1, None)
