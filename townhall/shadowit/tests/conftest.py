import pytest


@pytest.fixture(autouse=True)
def _fresh_spellings():
    """Each test reads the merchant spellings of its own database."""
    from townhall.shadowit import keying

    keying.forget()
    yield
    keying.forget()
