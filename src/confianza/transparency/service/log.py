"""The tamper-evident log over the audit trail: integration, proofs, signed checkpoints.

Requests insert their entries with no place in the log; the integrator gives committed entries
their places (`seq`) in the order it finds them, then folds them into the tree in batches, as
production transparency logs sequence and integrate (ADR 0023): entry `seq` is leaf `seq - 1`,
and the leaf hashes the entry's public form (transparency/rules.py, ADR 0012), never the row
itself. A checkpoint signs the tree's size and root; proofs let anyone holding a checkpoint
check that an entry is in the log (inclusion) and that a later log extends an earlier one
(consistency), per RFC 9162.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.core.errors import DomainError, FieldError, NotFound, ValidationFailed
from confianza.kit.checkpoint import Checkpoint, sign_checkpoint
from confianza.kit.merkle import append, append_needs, fold, leaf_hash, root_nodes
from confianza.kit.merkle_proofs import consistency_plan, inclusion_plan
from confianza.kit.signed_note import Signer, Verifier
from confianza.trail.rules import AuditAction, AuditEntry, stored_bytes
from confianza.transparency.rules import PublicLog
from confianza.work import Transaction, UnitOfWork

#: Leaves per integration transaction. Hashing happens outside any write lock; the batch only
#: bounds how long one write of new hashes (about two rows a leaf) keeps writers waiting.
BATCH = 4_096


@dataclass(frozen=True)
class TreeHead:
    size: int
    root: bytes


@dataclass(frozen=True)
class InclusionProof:
    seq: int
    leaf_index: int
    tree_size: int
    leaf_hash: bytes
    hashes: list[bytes]
    root: bytes


@dataclass(frozen=True)
class ConsistencyProof:
    size1: int
    size2: int
    hashes: list[bytes]
    root1: bytes
    root2: bytes


def sequence(uow: UnitOfWork, *, batch: int = BATCH) -> int:
    """Give every committed entry that has none its place in the log, a batch per short
    transaction; returns how many were placed.

    This is the only step that orders the log, and it runs here, off the request path: a
    request inserts its entries with no shared lock, so audited requests never wait for each
    other. An entry is placed once its transaction has committed, whenever that is: one of a
    long transaction that commits after later ones gets the next place then, and one inserted
    before a crash is placed by the next integration. Places are consecutive, and each is given
    once (see the repository's `sequence`).
    """
    placed = 0
    while True:
        with uow.transaction() as tx:
            done = tx.log.sequence(batch)
        placed += done
        if done < batch:
            return placed


def integrate(uow: UnitOfWork, public: PublicLog, *, batch: int = BATCH,
              limit: int | None = None) -> TreeHead:
    """Place every committed entry that has no place yet (`sequence`), then fold every placed
    entry not yet in the tree into it, a batch per transaction.

    Runs as the system (a background task or `confianza audit integrate`): it reads no record's
    content beyond computing hashes and writes no audit entry, which would feed itself.

    The hashing is done in a read-only transaction and only the new hashes are written in a
    short one, so the writers of entries (one at a time on SQLite) never wait for it. If another
    integration moved the tree meanwhile, the batch is done again from the new head.
    """
    sequence(uow, batch=batch)
    done = 0
    while True:
        take = batch if limit is None else min(batch, limit - done)
        with uow.transaction(read_only=True) as tx:
            size, root = tx.log.head()
            entries = tx.log.stored(size + 1, take) if take > 0 else []
            needs = tx.log.hashes(append_needs(size)) if entries else []
        # Places are given without gaps; stop at one all the same rather than ever put an entry
        # at the wrong leaf.
        leaves = []
        for offset, entry in enumerate(entries):
            if entry.seq != size + 1 + offset:
                break
            leaves.append(public.stored_leaf(entry))
        if not leaves:
            return TreeHead(size, root)
        grown = append(size, needs, leaves)
        with uow.transaction() as tx:
            if tx.log.head(lock=True) != (size, root):
                continue  # another integration got there first: start from its head
            tx.log.add_hashes(grown.nodes)
            tx.log.set_head(grown.size, grown.root, tx.now)
        done += len(leaves)
        if len(leaves) < take:
            return TreeHead(grown.size, grown.root)


def tree_head(uow: UnitOfWork) -> TreeHead:
    """The integrated size and root (public: they reveal nothing but the log's length)."""
    with uow.transaction(read_only=True) as tx:
        size, root = tx.log.head()
        return TreeHead(size, root)


def _size_asked(current: int, size: int | None, where: str) -> int:
    """The size asked for (the current one if None), if the log has had it."""
    if size is None:
        return current
    if size < 1 or size > current:
        raise ValidationFailed(FieldError(where, f"the log holds {current:,} integrated "
                                          f"entries; {size:,} is not a size it has had"))
    return size


def prove_inclusion(uow: UnitOfWork, seq: int, size: int | None = None) -> InclusionProof:
    """The proof that entry `seq` is in the tree of `size` entries (the current one if None).

    Public, like the tiles it could be computed from: hashes reveal nothing of an entry, so a
    proof needs no account and leaves no audit entry (which would also grow the log it proves).
    """
    with uow.transaction(read_only=True) as tx:
        tree_size = _size_asked(tx.log.head()[0], size, "size")
        if seq < 1 or seq > tree_size:
            raise NotFound(f"entry {seq} is not in the log of {tree_size:,} entries")
        plan = inclusion_plan(seq - 1, tree_size)
        roots = root_nodes(tree_size)
        fetched = tx.log.hashes([*plan.nodes, (0, seq - 1), *roots])
        hashes = plan.proof(fetched[:len(plan.nodes)])
        leaf = fetched[len(plan.nodes)]
        root = fold(fetched[len(plan.nodes) + 1:])
        return InclusionProof(seq, seq - 1, tree_size, leaf, hashes, root)


def prove_consistency(uow: UnitOfWork, size1: int, size2: int | None = None) -> ConsistencyProof:
    """The proof that the tree of `size2` entries extends the tree of `size1` (public)."""
    with uow.transaction(read_only=True) as tx:
        current = tx.log.head()[0]
        second = _size_asked(current, size2, "size2")
        first = _size_asked(current, size1, "size1")
        if first > second:
            raise ValidationFailed(FieldError("size1", f"{first:,} is larger than size2 "
                                              f"({second:,})"))
        plan = consistency_plan(first, second)
        hashes = plan.proof(tx.log.hashes(plan.nodes))
        return ConsistencyProof(first, second, hashes, _root(tx, first), _root(tx, second))


def _root(tx: Transaction, size: int) -> bytes:
    return fold(tx.log.hashes(root_nodes(size)))


def sign_head(uow: UnitOfWork, signers: Sequence[Signer], origin: str) -> bytes:
    """Sign the current tree head as a checkpoint and keep it; returns the signed note. The
    same size signed twice returns the note kept the first time."""
    with uow.transaction() as tx:
        size, root = tx.log.head(lock=True)
        kept = tx.log.checkpoint(size)
        if kept is not None:
            return kept
        note = sign_checkpoint(Checkpoint(origin, size, root), list(signers))
        tx.log.add_checkpoint(size, root, note, tx.now)
        return note


def latest_checkpoint(uow: UnitOfWork) -> bytes:
    with uow.transaction(read_only=True) as tx:
        note = tx.log.checkpoint()
        if note is None:
            raise NotFound("the log has no signed checkpoint yet")
        return note


class SigningKeyMissing(DomainError):
    """Checkpoints, integration or verification were asked for without the key they need."""

    status = 503
    title = "Audit log key missing"


@dataclass(frozen=True)
class LogKeys:
    """The log's name and keys as configured: the key that signs (if this process signs) and
    every key whose checkpoints are accepted, the current one first."""

    origin: str
    signer: Signer | None
    verifiers: tuple[Verifier, ...]
    pseudonym_key: bytes | None = None

    def require_signer(self) -> Signer:
        if self.signer is None:
            raise SigningKeyMissing(
                "the audit log has no signing key: set CONFIANZA_LOG_SIGNING_KEY (make one with "
                "`confianza audit keygen`); only development makes one by itself"
            )
        return self.signer

    def public_log_key(self) -> bytes:
        """The pseudonym key itself, for what derives keys of its own from it."""
        if self.pseudonym_key is None:
            raise SigningKeyMissing(
                "the audit log has no pseudonym key: set CONFIANZA_LOG_PSEUDONYM_KEY (make one "
                "with `confianza audit keygen --pseudonym`, once for the life of the log); only "
                "development makes one by itself"
            )
        return self.pseudonym_key

    def public_log(self) -> PublicLog:
        """The public form under the configured pseudonym key, needed to integrate or verify."""
        return PublicLog(self.public_log_key())


def published_key(keys: LogKeys) -> str:
    """The verifier key string outsiders check checkpoints with: the current signer's."""
    if not keys.verifiers:
        raise NotFound("this server publishes no verifier key: set CONFIANZA_LOG_SIGNING_KEY "
                       "or CONFIANZA_LOG_VERIFIER_KEYS")
    return keys.verifiers[0].key_string()


def checkpoint_now(uow: UnitOfWork, keys: LogKeys) -> bytes:
    """Integrate every committed entry, then sign the head: what the periodic task and
    `confianza audit checkpoint` do. Returns the signed note (the kept one if the tree has not
    grown since the last checkpoint)."""
    signer = keys.require_signer()
    integrate(uow, keys.public_log())
    return sign_head(uow, [signer], keys.origin)


@dataclass(frozen=True)
class LoggedEntry:
    """One entry of the trail with its private bytes and the public form its leaf hashes, for
    an auditor to check against the published log."""

    entry: AuditEntry
    canonical: bytes | None  # None while the log has not placed the entry (no `seq` yet)
    public_form: bytes | None
    leaf_hash: bytes | None
    integrated: bool  # whether the tree already holds it (so a proof can be asked for)


def read_entry(uow: UnitOfWork, actor: Actor, entry_id: int, keys: LogKeys) -> LoggedEntry:
    """One entry of the trail as stored, by its id, with its canonical bytes and public form
    once the log has placed it (auditors; audited). The bytes are encoded from the row as
    stored, as integration hashed it."""
    with uow.transaction() as tx:
        require(actor, Permission.AUDIT_READ, resource_type="audit_entry", resource_id=entry_id)
        public = keys.public_log()
        found = tx.log.stored_entry(entry_id) if entry_id >= 1 else None
        if found is None:
            raise NotFound(f"the trail has no entry {entry_id}")
        entry, stored = found
        size, _ = tx.log.head()
        tx.audit.record(actor, AuditAction.AUDIT_READ, "audit_entry", entry_id)
        if stored is None:
            return LoggedEntry(entry, None, None, None, False)
        form = public.stored_form(stored)
        return LoggedEntry(entry, stored_bytes(stored), form, leaf_hash(form), stored.seq <= size)
