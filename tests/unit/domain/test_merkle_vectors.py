"""RFC 6962 / 9162 proof vectors from transparency-dev/merkle (tests/vectors/rfc6962/SOURCE.md).

Every inclusion and consistency probe must give its expected outcome (`wantErr`). The happy-path
probes are also regenerated: they describe the reference 8-leaf tree of the RFC 6962 test suite,
so our proof builder must produce exactly the proof each probe carries.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from confianza.kit.merkle import EMPTY_ROOT, MemoryTree, leaf_hash
from confianza.kit.merkle_proofs import (
    ProofError,
    consistency_proof,
    inclusion_proof,
    verify_consistency,
    verify_inclusion,
)

VECTORS = Path(__file__).resolve().parents[2] / "vectors" / "rfc6962" / "testdata"

# The leaves of the reference tree used by the probes (the RFC 6962 test suite's inputs).
REFERENCE_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
]


def probes(kind: str) -> list[Any]:
    files = sorted((VECTORS / kind).rglob("*.json"))
    return [
        pytest.param(json.loads(path.read_text()), id=str(path.relative_to(VECTORS / kind)))
        for path in files
    ]


def b64(value: str) -> bytes:
    return base64.b64decode(value)


def proof_of(probe: dict[str, Any]) -> list[bytes]:
    return [b64(item) for item in probe["proof"] or []]


def test_the_vectors_are_there() -> None:
    assert len(probes("inclusion")) > 50
    assert len(probes("consistency")) > 50


@pytest.mark.parametrize("probe", probes("inclusion"))
def test_inclusion_probe(probe: dict[str, Any]) -> None:
    def check() -> None:
        verify_inclusion(
            b64(probe["leafHash"]),
            probe["leafIdx"],
            probe["treeSize"],
            proof_of(probe),
            b64(probe["root"]),
        )

    if probe["wantErr"]:
        with pytest.raises(ProofError):
            check()
    else:
        check()


@pytest.mark.parametrize("probe", probes("consistency"))
def test_consistency_probe(probe: dict[str, Any]) -> None:
    def check() -> None:
        verify_consistency(
            probe["size1"],
            probe["size2"],
            proof_of(probe),
            b64(probe["root1"]),
            b64(probe["root2"]),
        )

    if probe["wantErr"]:
        with pytest.raises(ProofError):
            check()
    else:
        check()


def reference_tree() -> MemoryTree:
    return MemoryTree(leaf_hash(leaf) for leaf in REFERENCE_LEAVES)


def happy(kind: str) -> list[Any]:
    return [p for p in probes(kind) if p.values[0]["desc"] == "happy path"]


@pytest.mark.parametrize("probe", happy("inclusion"))
def test_inclusion_happy_paths_are_what_we_build(probe: dict[str, Any]) -> None:
    tree = reference_tree()
    index, size = probe["leafIdx"], probe["treeSize"]
    assert leaf_hash(REFERENCE_LEAVES[index]) == b64(probe["leafHash"])
    assert inclusion_proof(index, size, tree.get_many) == proof_of(probe)


@pytest.mark.parametrize("probe", happy("consistency"))
def test_consistency_happy_paths_are_what_we_build(probe: dict[str, Any]) -> None:
    tree = reference_tree()
    assert consistency_proof(probe["size1"], probe["size2"], tree.get_many) == proof_of(probe)


def test_reference_roots() -> None:
    """The roots the probes use are the roots we compute for the reference leaves."""
    seen: dict[int, bytes] = {}
    for param in probes("inclusion") + probes("consistency"):
        probe = param.values[0]
        if probe["desc"] != "happy path":
            continue
        if "treeSize" in probe:
            seen[probe["treeSize"]] = b64(probe["root"])
        else:
            seen[probe["size1"]] = b64(probe["root1"])
            seen[probe["size2"]] = b64(probe["root2"])
    assert seen, "no happy-path probes found"
    for size, expected in seen.items():
        assert MemoryTree(leaf_hash(leaf) for leaf in REFERENCE_LEAVES[:size]).root() == expected


def test_empty_root_is_sha256_of_nothing() -> None:
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert MemoryTree().root() == EMPTY_ROOT
