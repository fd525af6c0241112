"""The merchant key a purchase is created with (`Purchase.clean`): its descriptor
normalised, then mapped through the spellings the merchant job has grouped
(`MerchantSpelling`) or the reference list, so most purchases arrive keyed and the job
groups again only the spellings it has not seen.

The spellings are read once and kept in memory for `FRESH_FOR` seconds (an import of
500,000 lines reads them a few times, not once a line); the job forgets them when it writes
new ones. A key given from spellings a little out of date is only a first answer: the job
checks every new purchase's key against its grouping and corrects it on the write path.
"""

from __future__ import annotations

import time

from townhall.shadowit.descriptors import first_key, normalize

FRESH_FOR = 30.0
_kept: dict[str, object] = {"at": -FRESH_FOR, "spellings": {}}


def spellings() -> dict[str, str]:
    """Every spelling the job grouped → its merchant key (read at most every `FRESH_FOR`)."""
    now = time.monotonic()
    if now - float(_kept["at"]) >= FRESH_FOR:  # type: ignore[arg-type]
        from townhall.shadowit.models import MerchantSpelling

        _kept["spellings"] = dict(MerchantSpelling.objects.values_list("spelling", "key"))
        _kept["at"] = now
    return _kept["spellings"]  # type: ignore[return-value]


def forget() -> None:
    """Read the spellings again next time (the job wrote new ones)."""
    _kept["at"] = -FRESH_FOR
    _kept["spellings"] = {}


def key_for(descriptor: str) -> str:
    """The merchant key a new purchase of this descriptor is given."""
    return first_key(normalize(descriptor).key, spellings())[:200]
