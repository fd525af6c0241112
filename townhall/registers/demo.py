"""The registers' part of the demo county: each register's records, reviewed and not."""

from collections.abc import Callable

# Each register's loader, (scale, seed) -> records made; a register adds its own.
LOADERS: list[Callable[[str, int], int]] = []


def load(scale: str = "small", seed: int = 1) -> int:
    """Create the demo's register records; return how many were created."""
    return sum(loader(scale, seed) for loader in LOADERS)


# --- Innovation pilots and emerging technology ---

from townhall.registers import demo_pilots  # noqa: E402

LOADERS.append(demo_pilots.load)
