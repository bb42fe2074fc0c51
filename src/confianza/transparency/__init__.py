"""The tamper-evident log over the audit trail: integration, signed checkpoints, proofs, published
tiles and verification."""
