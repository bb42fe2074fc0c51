"""The audit trail: entries and their encoding, who touched an officer's record, the traces refused
attempts leave."""
