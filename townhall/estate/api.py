"""Estate records are served by the generic API (townhall.core.api)."""
