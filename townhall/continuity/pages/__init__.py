"""The continuity pages beyond the generic record pages: one module per workflow."""
