"""Fixtures for the exchange's tests."""

# --- home ---
# The governance fixtures (a budget cycle, a board, proposals) for the board member's home.
from townhall.governance.tests.conftest import board, cycle, make_proposal, pools  # noqa: F401
