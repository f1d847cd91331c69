"""The audit trail: an append-only record of every state change, who made it and from where."""
