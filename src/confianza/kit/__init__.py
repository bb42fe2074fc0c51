"""Standards code, importing nothing of the product: usable by an outside verifier on its own.

RFC 9162 Merkle trees and proofs, C2SP signed notes, checkpoints and tiles, compact JWS,
COSE_Sign1, W3C Bitstring status lists, and the CURP. Each module imports the standard library,
its sibling modules and the named libraries it needs (cryptography, joserfc, cbor2); the allow-list
in tests/unit/project/test_layers.py holds them to that.
"""
