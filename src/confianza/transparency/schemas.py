"""The transparency log's proofs as JSON: hashes in standard base64, as in checkpoints."""

from __future__ import annotations

import base64
from typing import Any

from pydantic import Field

from confianza.core.web.schemas import Instant, Output
from confianza.transparency.service.log import ConsistencyProof, InclusionProof, LoggedEntry


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class InclusionProofOut(Output):
    """RFC 9162 inclusion proof: entry `seq` is leaf `leaf_index` of the tree of `tree_size`."""

    seq: int
    leaf_index: int = Field(description="seq - 1: leaves count from 0, entries from 1.")
    tree_size: int
    leaf_hash: str = Field(description="SHA-256(0x00 || canonical bytes of the entry), base64.")
    hashes: list[str] = Field(description="The audit path, leaf to root, base64.")
    root: str = Field(description="The root of the tree of `tree_size` entries, base64.")

    @classmethod
    def of(cls, proof: InclusionProof) -> InclusionProofOut:
        """The proof with its hashes in base64."""
        return cls.of_record(proof, leaf_hash=b64(proof.leaf_hash),
                             hashes=[b64(h) for h in proof.hashes], root=b64(proof.root))


class ConsistencyProofOut(Output):
    """RFC 9162 consistency proof: the tree of `size2` entries extends the tree of `size1`."""

    size1: int
    size2: int
    hashes: list[str] = Field(description="The consistency path, base64.")
    root1: str = Field(description="The root of the tree of `size1` entries, base64.")
    root2: str = Field(description="The root of the tree of `size2` entries, base64.")

    @classmethod
    def of(cls, proof: ConsistencyProof) -> ConsistencyProofOut:
        """The proof with its hashes in base64."""
        return cls.of_record(proof, hashes=[b64(h) for h in proof.hashes],
                             root1=b64(proof.root1), root2=b64(proof.root2))


class LogEntryOut(Output):
    """One entry of the trail as stored, with the bytes its leaf hashes."""

    id: int = Field(description="The entry's number in the trail, given when it was written.")
    seq: int | None = Field(description="The entry's place in the log (leaf seq - 1), given by "
                            "the log's integrator shortly after the entry is written; null "
                            "until then.")
    at: Instant
    actor: str
    actor_kind: str
    action: str
    resource_type: str
    resource_id: str | None
    purpose: str | None
    request_id: str | None
    detail: dict[str, Any]
    canonical: str | None = Field(description="The entry's private canonical encoding "
                                  "(version 1, UTF-8 JSON), base64; null until the log has "
                                  "placed the entry, since the encoding holds its place.")
    public_form: str | None = Field(description="The entry's public form (version 2, UTF-8 "
                                    "JSON, as the log's entry bundles publish it), base64; "
                                    "null until the log has placed the entry.")
    leaf_hash: str | None = Field(description="SHA-256(0x00 || public form), base64; null "
                                  "until the log has placed the entry.")
    integrated: bool = Field(description="Whether the Merkle tree holds the entry yet, so "
                             "an inclusion proof can be asked for.")

    @classmethod
    def of(cls, logged: LoggedEntry) -> LogEntryOut:
        """The entry's own fields, beside its encodings and leaf hash in base64."""
        def text(value: bytes | None) -> str | None:
            return None if value is None else b64(value)

        return cls.of_record(logged.entry, canonical=text(logged.canonical),
                             public_form=text(logged.public_form),
                             leaf_hash=text(logged.leaf_hash), integrated=logged.integrated)
