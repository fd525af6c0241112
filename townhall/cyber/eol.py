"""Reading endoflife.date release data into plain records.

Three shapes are accepted, as the site publishes them or as people save them:

- the v0 API (`/api/<product>.json`): a list of release cycles `{cycle, releaseDate, eol,
  support, latest, latestReleaseDate, lts, extendedSupport, discontinued, codename}`, where
  `eol`, `support` and `lts` may each be a date or true/false. The file does not say which
  product it describes, so the product key must be given;
- the v1 API (`/api/v1/products/<product>`): `{schema_version, result: {name, label,
  releases: [{name, releaseDate, isEol, eolFrom, isEoas, eoasFrom, isLts, latest: {name,
  date}, …}]}}`; `result` may also be a list of such products;
- several products in one file: an object of product key → either of the above.

Forgiving where the meaning is clear (trimmed text, a date with a time, true/false where a
date belongs: "ended, date unknown"); `FeedError` for a file that is not one of these shapes;
one unusable cycle (no name, not an object, a repeat) is left out and reported, the rest kept.
"""

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from townhall.cyber.kev import FeedError, Problem, _kind, read_json, to_date, to_text

PRODUCT_KEY = re.compile(r"^[a-z0-9][a-z0-9._+-]{0,99}$")


@dataclass(frozen=True)
class EolRelease:
    """One release cycle of one product, with its support dates.

    A date field holds the date when the feed gives one; the `_flag` beside it keeps a
    true/false the feed gave instead (True: it has ended, date unknown)."""

    product: str
    cycle: str
    release_date: datetime.date | None = None
    support_ends: datetime.date | None = None
    support_flag: bool | None = None
    end_of_life: datetime.date | None = None
    end_of_life_flag: bool | None = None
    latest: str = ""
    lts: bool = False


@dataclass
class EolData:
    """Products (key → label as the site writes it), their cycles, and what was left out."""

    products: dict[str, str] = field(default_factory=dict)
    releases: list[EolRelease] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def product_key(value: Any) -> str:
    """The endoflife.date key for a product name a person typed (" Windows-Server " → ok)."""
    text = (to_text(value) or "").strip().lower()
    if not PRODUCT_KEY.match(text):
        shown = f"“{text[:40]}”" if text else "An empty name"
        raise FeedError(
            f"{shown} is not an endoflife.date product key (lower-case letters, digits and "
            "hyphens, such as “windows-server”)."
        )
    return text


def parse(data: bytes | str | Any, product: str | None = None) -> EolData:
    """The release data in `data`; `product` is the key for a file of one v0 product (and,
    given for any other file, chooses that product and checks the file has it)."""
    doc = read_json(data)
    wanted = product_key(product) if product else None
    result = EolData()
    for key, label, cycles, shape in _products(doc, wanted):
        try:
            key = product_key(key)
        except FeedError as exc:
            result.problems.append(Problem(f"Product {key!r}", "", str(exc), skipped=True))
            continue
        if wanted and key != wanted:
            continue
        if key in result.products:
            result.problems.append(
                Problem(f"Product “{key}”", "", "it appears twice; the first is kept.", True)
            )
            continue
        result.products[key] = (label or key)[:200]
        seen: set[str] = set()
        for number, item in enumerate(cycles, 1):
            release = (_v1 if shape == "v1" else _v0)(key, number, item, result.problems)
            if release is None:
                continue
            if release.cycle in seen:
                result.problems.append(
                    Problem(
                        f"{key} cycle {number} ({release.cycle})",
                        "",
                        "the same cycle appears earlier; the first is kept.",
                        skipped=True,
                    )
                )
                continue
            seen.add(release.cycle)
            result.releases.append(release)
    if wanted and wanted not in result.products:
        raise FeedError(f"The file has no release data for “{wanted}”.")
    return result


def _products(doc: Any, wanted: str | None) -> list[tuple[Any, str, list, str]]:
    """(key, label, cycles, "v0" or "v1") for each product the document holds."""
    if isinstance(doc, list):
        if not wanted:
            raise FeedError(
                "This file is a list of release cycles and does not say which product they "
                "belong to: give the endoflife.date product key (such as “windows-server”)."
            )
        return [(wanted, wanted, doc, "v0")]
    if not isinstance(doc, Mapping):
        raise FeedError(_NOT_EOL + f" It holds {_kind(doc)}.")
    if "result" in doc:
        body = doc["result"]
        if isinstance(body, Mapping):
            return [_v1_product(body, wanted)]
        if isinstance(body, list) and all(isinstance(b, Mapping) for b in body):
            return [_v1_product(b, None) for b in body]
        raise FeedError(_NOT_EOL + " Its “result” is neither a product nor a list of products.")
    if "releases" in doc:
        return [_v1_product(doc, wanted)]
    products = []
    for key, value in doc.items():
        if isinstance(value, list):
            products.append((key, str(key), value, "v0"))
        elif isinstance(value, Mapping) and ("result" in value or "releases" in value):
            body = value.get("result", value)
            if not isinstance(body, Mapping):
                raise FeedError(_NOT_EOL + f" The entry for “{key}” is not a product.")
            found = _v1_product(body, None)
            products.append((found[0] or key, *found[1:]))
        else:
            raise FeedError(
                _NOT_EOL + f" The entry for “{key}” is {_kind(value)}, not a list of cycles."
            )
    if not products:
        raise FeedError(_NOT_EOL + " The object is empty.")
    return products


_NOT_EOL = (
    "This is not endoflife.date release data: expected a list of release cycles, an API "
    "answer with “result”, or an object of product → cycles."
)


def _v1_product(body: Mapping, wanted: str | None) -> tuple[Any, str, list, str]:
    releases = body.get("releases")
    if not isinstance(releases, list):
        raise FeedError(_NOT_EOL + " The product has no “releases” list.")
    name = to_text(body.get("name")) or ""
    if wanted and name and name.strip().lower() != wanted:
        raise FeedError(f"The file describes “{name.strip()}”, not “{wanted}”.")
    label = to_text(body.get("label")) or ""
    return (name or wanted or "", label, releases, "v1")


def _cycle_name(value: Any) -> str:
    text = to_text(value)
    return (text or "").strip()


def _start(key: str, number: int, item: Any, name_field: str, problems: list) -> str | None:
    where = f"{key} cycle {number}"
    if not isinstance(item, Mapping):
        problems.append(Problem(where, "", f"it is {_kind(item)}, not an object.", skipped=True))
        return None
    cycle = _cycle_name(item.get(name_field))
    if not cycle:
        problems.append(Problem(where, name_field, "it is missing or empty.", skipped=True))
        return None
    if len(cycle) > 60:
        problems.append(Problem(where, name_field, "it is longer than 60 characters.", True))
        return None
    return cycle


def _date(item: Mapping, name: str, where: str, problems: list) -> tuple[Any, bool | None]:
    value = to_date(item.get(name))
    if value.problem:
        problems.append(Problem(where, name, value.problem))
    return value.date, value.flag


def _v0(key: str, number: int, item: Any, problems: list) -> EolRelease | None:
    cycle = _start(key, number, item, "cycle", problems)
    if cycle is None:
        return None
    where = f"{key} cycle {number} ({cycle})"
    released, _ = _date(item, "releaseDate", where, problems)
    support, support_flag = _date(item, "support", where, problems)
    eol, eol_flag = _date(item, "eol", where, problems)
    lts = to_date(item.get("lts"))
    return EolRelease(
        product=key,
        cycle=cycle,
        release_date=released,
        support_ends=support,
        support_flag=support_flag,
        end_of_life=eol,
        end_of_life_flag=eol_flag,
        latest=(to_text(item.get("latest")) or "").strip()[:60],
        lts=bool(lts.flag or lts.date),
    )


def _v1(key: str, number: int, item: Any, problems: list) -> EolRelease | None:
    cycle = _start(key, number, item, "name", problems)
    if cycle is None:
        return None
    where = f"{key} cycle {number} ({cycle})"
    released, _ = _date(item, "releaseDate", where, problems)
    eol, eol_flag = _date(item, "eolFrom", where, problems)
    if eol is None and eol_flag is None:
        eol_flag = _flag(item.get("isEol"))
    support, support_flag = _date(item, "eoasFrom", where, problems)
    if support is None and support_flag is None:
        support_flag = _flag(item.get("isEoas"))
    latest = item.get("latest")
    if isinstance(latest, Mapping):
        latest = latest.get("name")
    return EolRelease(
        product=key,
        cycle=cycle,
        release_date=released,
        support_ends=support,
        support_flag=support_flag,
        end_of_life=eol,
        end_of_life_flag=None if eol else eol_flag,
        latest=(to_text(latest) or "").strip()[:60],
        lts=bool(_flag(item.get("isLts"))),
    )


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = (to_text(value) or "").strip().lower()
    return {"true": True, "false": False}.get(text)
