"""Exposure: the public feeds imported, and the estate matched against them.

- `import_kev(user, data)` and `import_eol(user, data, product)` read a feed file (parsing in
  `kev.py`/`eol.py`) and add or update its entries in one transaction: a file that cannot be
  read changes nothing, and an entry that has not changed is not written again.
- `refresh_exposures(user)` matches every system and component not retired (rules in
  `matching.py`) and brings the Exposure rows up to date: new matches become open rows;
  rows people have decided on (mitigated, risk accepted, not affected) keep their status and
  notes; an open row that no longer matches becomes "no longer matched" (gone), and a gone row
  that matches again reopens. A release counts as exposure once its end of life has passed or
  falls within `HORIZON_DAYS`.
- `reclassify(user)`: after an upgrade, the known-exploited exposures whose item's installed
  version is no longer the one their verdict was made for (`classified_version`) are
  classified again for that item alone; a job (`RECLASSIFY_JOB`) does it as soon as a write
  to a system or component commits (`connect`, through `core.changes.listen`).
- `unmatched(user)`: the estate's vendor/product/version combinations that matched nothing.
- `exposure_summary(user)`: the figures for a leader's brief (shape documented there).
- `download(url)` and `update_feeds(user)`: fetch both feeds from their official addresses.

New rows (a first catalog import, thousands of exposures on a large estate) are saved in
batches through `core.services.create_many`: the same permission check, validation and one
audit entry per record as `core.services.create`. A row matching reopens or finds gone
moves by a named transition (`core.services.transition`); every other change to an existing
row goes through `core.services.update`.
"""

import datetime
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils import timezone

from townhall.core import changes, context, permissions, services
from townhall.core.http import whole_number
from townhall.core.kept import kept
from townhall.cyber import cve, eol, kev, matching, versions
from townhall.cyber.kev import FeedError
from townhall.cyber.models import (
    CveRecord,
    Exposure,
    FeedImport,
    KnownVulnerability,
    ProductAlias,
    ProductRelease,
)
from townhall.estate.models import Component, System, Vendor
from townhall.jobs import runner

KEV_URL = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"
EOL_URLS = (  # the current API first, then the older one
    "https://endoflife.date/api/v1/products/{product}",
    "https://endoflife.date/api/{product}.json",
)
# endoflife.date products fetched by `update_feeds` besides those the alias table names.
DEFAULT_EOL_PRODUCTS = (
    "windows",
    "windows-server",
    "mssqlserver",
    "msexchange",
    "office",
    "esxi",
    "rhel",
    "ubuntu",
    "debian",
    "fortios",
    "panos",
    "postgresql",
    "mysql",
)
DOWNLOAD_TIMEOUT = 30  # seconds
DOWNLOAD_MAX_BYTES = 50 * 1024 * 1024  # the catalog is about 1.5 MB; a product far less
HORIZON_DAYS = 180  # an end of life this close counts as exposure already
BATCH = 2000
OPEN, GONE = Exposure.Status.OPEN, Exposure.Status.GONE
RECLASSIFY_JOB = "cyber_reclassify_versions"


class DownloadError(Exception):
    """A feed could not be fetched; the message says why and what to do instead."""


# --- reports ---------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What one feed import did."""

    kind: str
    entries: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)
    feed_import: FeedImport | None = None
    products: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        label = dict(FeedImport.Kind.choices)[self.kind]
        what = f" ({', '.join(self.products)})" if self.products else ""
        head = (
            f"{label}{what}: {self.entries} entries read, {self.created} added, "
            f"{self.updated} updated, {self.unchanged} unchanged."
        )
        lines = [head]
        if self.problems:
            lines.append(f"{len(self.problems)} problem(s) in the file:")
            lines += [f"  {p}" for p in self.problems]
        return lines


@dataclass
class RefreshReport:
    """What matching the estate again changed."""

    items: int = 0
    matches: int = 0
    created: int = 0
    reopened: int = 0
    gone: int = 0
    changed: int = 0
    unchanged: int = 0
    unmatched: int = 0
    seconds: float = 0.0

    def lines(self) -> list[str]:
        return [
            f"Matched {self.items} systems and components ({self.matches} matches) in "
            f"{self.seconds:.1f} s: {self.created} new exposures, {self.reopened} reopened, "
            f"{self.gone} no longer matched, {self.changed} updated, {self.unchanged} as before.",
            f"{self.unmatched} groups of estate products matched nothing (see “Not matched”).",
        ]


# --- saving ----------------------------------------------------------------------------


def _differs(obj: models.Model, values: dict[str, Any]) -> bool:
    return any(getattr(obj, name) != value for name, value in values.items())


def _create_many(
    user: Any,
    model: type[models.Model],
    rows: list[dict[str, Any]],
    label: Callable[[dict[str, Any]], str],
) -> int:
    """Create new records with one audit entry each (`services.create_many`); `label(row)`
    names a row in errors. A row that fails validation stops it all."""
    if not rows:
        return 0
    try:
        services.create_many(user, model, rows, batch=BATCH)
    except services.RowInvalid as exc:
        raise FeedError(f"{label(rows[exc.index])}: {'; '.join(exc.error.messages)}") from None
    return len(rows)


def _record_import(user: Any, report: ImportReport, values: dict[str, Any]) -> FeedImport:
    notes = "\n".join(report.problems[:200])
    if len(report.problems) > 200:
        notes += f"\n… and {len(report.problems) - 200} more."
    return services.create(
        user,
        FeedImport,
        {
            **values,
            "kind": report.kind,
            "entries": report.entries,
            "created": report.created,
            "updated": report.updated,
            "notes": notes,
        },
    )


# --- importing the feeds ---------------------------------------------------------------


def _kev_values(entry: kev.KevEntry) -> dict[str, Any]:
    return {
        "vendor_project": entry.vendor,
        "product": entry.product,
        "name": entry.name,
        "short_description": entry.short_description,
        "required_action": entry.required_action,
        "date_added": entry.date_added,
        "due_date": entry.due_date,
        "ransomware": entry.ransomware,
        "feed_notes": entry.notes,
        "cwes": list(entry.cwes),
    }


def import_kev(user: Any, data: bytes | str | Any, file_name: str = "") -> ImportReport:
    """Add or update the catalog's entries; raises FeedError (nothing saved) for a file that
    cannot be read. Entries no longer in the catalog are kept: exposures refer to them."""
    if not permissions.can_add(user, KnownVulnerability):
        raise PermissionDenied("Only IT staff import the vulnerability catalog.")
    catalog = kev.parse(data)
    report = ImportReport(kind=FeedImport.Kind.KEV, entries=len(catalog.entries))
    report.problems = [str(p) for p in catalog.problems]
    with transaction.atomic():
        existing = {v.cve_id: v for v in KnownVulnerability.objects.all()}
        new = []
        for entry in catalog.entries:
            values = _kev_values(entry)
            current = existing.get(entry.cve_id)
            if current is None:
                new.append({"cve_id": entry.cve_id, "source": "CISA KEV", **values})
            elif _differs(current, values):
                services.update(user, current, values, version=None)
                report.updated += 1
            else:
                report.unchanged += 1
        report.created = _create_many(
            user, KnownVulnerability, new, lambda row: f"Entry {row['cve_id']}"
        )
        report.feed_import = _record_import(
            user,
            report,
            {
                "feed_version": catalog.version,
                "released": catalog.released,
                "file_name": file_name[:300],
            },
        )
    return report


def _release_values(release: eol.EolRelease, label: str) -> dict[str, Any]:
    return {
        "label": label,
        "release_date": release.release_date,
        "support_ends": release.support_ends,
        "end_of_life": release.end_of_life,
        "end_of_life_passed": None if release.end_of_life else release.end_of_life_flag,
        "latest": release.latest,
        "lts": release.lts,
    }


def import_eol(
    user: Any, data: bytes | str | Any, product: str | None = None, file_name: str = ""
) -> ImportReport:
    """Add or update release cycles from endoflife.date data; `product` is the product key
    for a file that does not say (a v0 list). Raises FeedError, saving nothing, for a file
    that cannot be read."""
    if not permissions.can_add(user, ProductRelease):
        raise PermissionDenied("Only IT staff import end-of-life data.")
    parsed = eol.parse(data, product)
    report = ImportReport(kind=FeedImport.Kind.EOL, entries=len(parsed.releases))
    report.problems = [str(p) for p in parsed.problems]
    report.products = sorted(parsed.products)
    with transaction.atomic():
        existing = {
            (r.product, r.cycle): r
            for r in ProductRelease.objects.filter(product__in=list(parsed.products))
        }
        new = []
        for release in parsed.releases:
            values = _release_values(release, parsed.products[release.product])
            current = existing.get((release.product, release.cycle))
            if current is None:
                new.append({"product": release.product, "cycle": release.cycle, **values})
                new[-1]["source"] = "endoflife.date"
            elif _differs(current, values):
                services.update(user, current, values, version=None)
                report.updated += 1
            else:
                report.unchanged += 1
        report.created = _create_many(
            user, ProductRelease, new, lambda row: f"{row['product']} cycle {row['cycle']}"
        )
        names = ", ".join(report.products)
        report.feed_import = _record_import(
            user,
            report,
            {
                "feed_version": names if len(names) <= 60 else f"{len(report.products)} products",
                "file_name": file_name[:300],
            },
        )
    return report


def import_cve(user: Any, data: bytes | str, file_name: str = "") -> ImportReport:
    """Store the affected versions of the CVE records in a file (`cve.py`) for the CVEs of
    the known-exploited catalog, all or nothing: raises FeedError, saving nothing, for a
    file or record that cannot be read. Records of other CVEs are counted, not stored."""
    if not permissions.can_add(user, CveRecord):
        raise PermissionDenied("Only IT staff import CVE records.")
    parsed = cve.parse(data, file_name or "the file")
    report = ImportReport(kind=FeedImport.Kind.CVE, entries=len(parsed.records))
    catalog = set(
        KnownVulnerability.objects.filter(cve_id__in=list(parsed.records)).values_list(
            "cve_id", flat=True
        )
    )
    skipped = len(parsed.records) - len(catalog)
    if skipped:
        report.problems.append(
            f"{skipped} record(s) are of CVEs not in the known-exploited catalog and were "
            "not stored (import the catalog first)."
        )
    if parsed.rejected:
        report.problems.append(f"{parsed.rejected} rejected record(s) passed over.")
    with transaction.atomic():
        existing = {r.cve_id: r for r in CveRecord.objects.filter(cve_id__in=list(catalog))}
        new = []
        for cve_id in sorted(catalog):
            record = parsed.records[cve_id]
            values = {"date_updated": record.date_updated, "affected": cve.to_json(record.affected)}
            current = existing.get(cve_id)
            if current is None:
                new.append({"cve_id": cve_id, **values})
            elif _differs(current, values):
                services.update(user, current, values, version=None)
                report.updated += 1
            else:
                report.unchanged += 1
        report.created = _create_many(user, CveRecord, new, lambda row: f"Record {row['cve_id']}")
        report.feed_import = _record_import(
            user, report, {"feed_version": f"{parsed.files} file(s)", "file_name": file_name[:300]}
        )
    return report


# --- matching the estate ---------------------------------------------------------------


def estate_items(systems_only: Any = None, components_only: Any = None) -> Iterator[matching.Item]:
    """Every system and component not retired, as the matcher's items: a system's product;
    a component's OS or firmware, and its model, each with the manufacturer as vendor.
    Given `systems_only` and `components_only` (ids), those items alone."""
    vendor_aliases = {
        pk: tuple(a.strip() for a in aliases.splitlines() if a.strip())
        for pk, aliases in Vendor.objects.exclude(aliases="").values_list("pk", "aliases")
    }
    chosen_systems = System.objects.all()
    chosen_components = Component.objects.all()
    if systems_only is not None or components_only is not None:
        chosen_systems = chosen_systems.filter(pk__in=list(systems_only or []))
        chosen_components = chosen_components.filter(pk__in=list(components_only or []))
    systems = (
        chosen_systems.exclude(lifecycle=System.Lifecycle.RETIRED)
        .exclude(product="")
        .values_list("pk", "vendor_id", "vendor__name", "product", "product_version")
        .order_by("pk")
    )
    for pk, vendor_id, vendor, product, version in systems.iterator(chunk_size=5000):
        yield matching.Item(
            ("system", pk), vendor or "", product, version, vendor_aliases.get(vendor_id, ())
        )
    components = (
        chosen_components.exclude(status=Component.Status.RETIRED)
        .filter(~Q(os_firmware="") | ~Q(model_number=""))
        .values_list("pk", "manufacturer", "model_number", "os_firmware", "os_version")
        .order_by("pk")
    )
    for pk, maker, model, system, version in components.iterator(chunk_size=5000):
        if system:
            yield matching.Item(("component", pk), maker, system, version, (), "OS or firmware")
        if model:
            yield matching.Item(
                ("component", pk), maker, model, "" if system else version, (), "model"
            )


def matcher(today: datetime.date | None = None) -> matching.Matcher:
    """A matcher over the imported feeds and the alias table as they are now."""
    vulns = [
        kev.KevEntry(
            cve_id=v["cve_id"],
            vendor=v["vendor_project"],
            product=v["product"],
            name=v["name"],
            short_description=v["short_description"],
            due_date=v["due_date"],
            ransomware=v["ransomware"],
        )
        for v in KnownVulnerability.objects.order_by("cve_id").values(
            "cve_id",
            "vendor_project",
            "product",
            "name",
            "short_description",
            "due_date",
            "ransomware",
        )
    ]
    releases: list[eol.EolRelease] = []
    labels: dict[str, str] = {}
    for r in ProductRelease.objects.order_by("product", "cycle").values(
        "product", "label", "cycle", "end_of_life", "end_of_life_passed"
    ):
        releases.append(
            eol.EolRelease(
                product=r["product"],
                cycle=r["cycle"],
                end_of_life=r["end_of_life"],
                end_of_life_flag=r["end_of_life_passed"],
            )
        )
        if r["label"]:
            labels.setdefault(r["product"], r["label"])
    aliases = [
        matching.Alias(a.kind, a.estate_name, a.feed_vendor, a.feed_product, a.eol_product)
        for a in ProductAlias.objects.order_by("kind", "estate_name")
    ]
    return matching.Matcher(
        vulns,
        releases,
        aliases,
        labels=labels,
        today=today or timezone.localdate(),
        horizon_days=HORIZON_DAYS,
    )


def affected_versions(cve_ids: Any = None) -> dict[str, tuple[versions.AffectedEntry, ...]]:
    """The stored affected entries by CVE (of `cve_ids`, or all)."""
    rows = CveRecord.objects.all()
    if cve_ids is not None:
        rows = rows.filter(cve_id__in=list(cve_ids))
    return {c: cve.from_json(a) for c, a in rows.values_list("cve_id", "affected").iterator()}


def _verdict(match: matching.Match, affected: Mapping[str, Any]) -> versions.Verdict:
    """Whether the item's installed version is affected: by the CVE record's versions for a
    vulnerability; a release matched by its version is affected by definition."""
    item = match.item
    if match.kind == "eol":
        return versions.Verdict(versions.AFFECTED, f"installed {item.version} is in this cycle")
    entries = affected.get(match.record.cve_id, ())
    return versions.classify(item.version, entries, (match.record.product, item.product))


def _wanted(
    result: matching.Result, affected: Mapping[str, Any] | None = None
) -> dict[tuple, dict[str, Any]]:
    """The exposures the matches call for: key → values, by (item kind, item pk, kind,
    vulnerability CVE or release (product, cycle))."""
    wanted: dict[tuple, dict[str, Any]] = {}
    affected = affected if affected is not None else {}
    for match in result.matches():
        kind, pk = match.ref
        if match.kind == "kev":
            key = (kind, pk, "kev", match.record.cve_id)
            values = {"due_date": match.record.due_date, "ransomware": match.record.ransomware}
        elif match.state in matching.EXPOSED:
            key = (kind, pk, "eol", (match.record.product, match.record.cycle))
            values = {"due_date": match.record.end_of_life, "ransomware": False}
        else:
            continue
        if key not in wanted:
            verdict = _verdict(match, affected)
            wanted[key] = {
                **values,
                "matched_on": match.reason[:300],
                "version_status": verdict.status,
                "version_reason": verdict.reason[:300],
                "classified_version": match.item.version[:100],
            }
    return wanted


def refresh_exposures(user: Any, today: datetime.date | None = None) -> RefreshReport:
    """Match the estate again and bring the Exposure rows up to date (see the module doc)."""
    if not permissions.can_add(user, Exposure):
        raise PermissionDenied("Only IT staff run the matching.")
    started = time.perf_counter()
    today = today or timezone.localdate()
    report = RefreshReport()
    found = matcher(today)
    result = found.run(estate_items())
    report.items = len({item.ref for item, _ in result.pairs})
    report.unmatched = len(result.unmatched)
    cves = {m.record.cve_id for m in result.matches() if m.kind == "kev"}
    wanted = _wanted(result, affected_versions(cves))
    report.matches = len(wanted)
    vuln_pk = dict(KnownVulnerability.objects.values_list("cve_id", "pk"))
    release_pk = {
        (p, c): pk for p, c, pk in ProductRelease.objects.values_list("product", "cycle", "pk")
    }
    with transaction.atomic():
        existing: dict[tuple, Mapping[str, Any]] = {}
        pk_cve = {pk: cve for cve, pk in vuln_pk.items()}
        pk_release = {pk: key for key, pk in release_pk.items()}
        rows = Exposure.objects.order_by("pk").values(
            "pk",
            "kind",
            "system_id",
            "component_id",
            "vulnerability_id",
            "release_id",
            "status",
            "due_date",
            "ransomware",
            "matched_on",
            "version_status",
            "version_reason",
            "classified_version",
        )
        for row in rows.iterator(chunk_size=5000):
            item = ("system", row["system_id"]) if row["system_id"] else None
            item = item or ("component", row["component_id"])
            target: tuple[str, str | tuple[str, str] | None]
            if row["vulnerability_id"]:
                target = ("kev", pk_cve.get(row["vulnerability_id"]))
            else:
                target = ("eol", pk_release.get(row["release_id"]))
            existing[(*item, *target)] = row
        new: list[dict[str, Any]] = []
        changes: list[tuple[int, dict[str, Any]]] = []
        for key, values in wanted.items():
            current = existing.get(key)
            if current is None:
                new.append(_new_exposure(key, values, vuln_pk, release_pk, today))
                continue
            delta = {k: v for k, v in values.items() if current[k] != v}
            if current["status"] == GONE:
                changes.append((current["pk"], {**delta, "status": OPEN}))
                report.reopened += 1
            elif delta:
                changes.append((current["pk"], delta))
                report.changed += 1
            else:
                report.unchanged += 1
        for key, kept_row in existing.items():
            if key not in wanted and kept_row["status"] == OPEN:
                changes.append((kept_row["pk"], {"status": GONE}))
                report.gone += 1
        _attach_records(new)
        report.created = _create_many(user, Exposure, new, lambda row: row["matched_on"][:80])
        objs = Exposure.objects.in_bulk([pk for pk, _ in changes])
        for pk, values in changes:
            _save_change(user, objs[pk], values)
    cache.set(_UNMATCHED_CACHE, (_fingerprint(), result.unmatched), 24 * 3600)
    report.seconds = time.perf_counter() - started
    return report


# --- after an upgrade ---------------------------------------------------------------------

VERSION_FIELDS = ("version_status", "version_reason", "classified_version")


def stale_versions() -> Any:
    """The known-exploited exposures (not gone) whose item's installed version is not the
    one their verdict was made for. A component is matched by its OS or firmware with its
    version, or by its model: with its version when it records no OS or firmware, else
    with none ("")."""
    system = Q(system__isnull=False) & ~Q(classified_version=F("system__product_version"))
    component = (
        Q(component__isnull=False)
        & ~Q(classified_version=F("component__os_version"))
        & ~(Q(classified_version="") & ~Q(component__os_firmware=""))
    )
    return (
        Exposure.objects.filter(kind=Exposure.Kind.KEV)
        .exclude(status=GONE)
        .filter(system | component)
    )


def reclassify(user: Any, today: datetime.date | None = None) -> int:
    """Classify again the installed version of the exposures `stale_versions` finds, matching
    only their items; how many verdicts changed. An exposure its item no longer matches
    (the product changed too) reads "version unknown" until matching runs again, which
    decides whether it is gone."""
    if not permissions.can_add(user, Exposure):
        raise PermissionDenied("Only IT staff run the matching.")
    stale = list(
        stale_versions()
        .select_related("vulnerability", "system", "component")
        .order_by("pk")[:BATCH]
    )
    if not stale:
        return 0
    systems = {x.system_id for x in stale if x.system_id}
    components = {x.component_id for x in stale if x.component_id}
    result = matcher(today).run(estate_items(systems, components))
    cves = {x.vulnerability.cve_id for x in stale if x.vulnerability_id}
    wanted = _wanted(result, affected_versions(cves))
    changed = 0
    with transaction.atomic():
        for x in stale:
            item = x.system or x.component
            kind = "system" if x.system_id else "component"
            values = wanted.get((kind, item.pk, "kev", x.vulnerability.cve_id))
            if values is None:
                version = x.system.product_version if x.system_id else x.component.os_version
                values = {
                    "version_status": Exposure.Version.UNKNOWN,
                    "version_reason": f"installed {version or 'version not recorded'}; no "
                    "longer matched to this vulnerability until matching runs again"[:300],
                    "classified_version": version,
                }
            delta = {k: values[k] for k in VERSION_FIELDS if getattr(x, k) != values[k]}
            if delta:
                services.update(user, x, delta, version=None)
                changed += "version_status" in delta
    return changed


def _after_commit() -> None:
    if stale_versions().exists():
        runner.submit(
            context.SYSTEM, RECLASSIFY_JOB, "Installed versions classified again after a change", {}
        )


def _heard(model: type) -> None:
    """A system or component is being written: once its transaction commits, ask for the
    verdicts its new version calls for (once per transaction, however many rows)."""
    connection = transaction.get_connection()
    if any(entry[1] is _after_commit for entry in connection.run_on_commit):
        return
    # Robust: the write has committed; a failure here is logged, never the writer's error.
    transaction.on_commit(_after_commit, robust=True)


def connect() -> None:
    """Hear of every write to systems and components (the app config calls this)."""
    changes.listen(["estate.System", "estate.Component"], _heard)


def _save_change(user: Any, exposure: Exposure, values: dict[str, Any]) -> None:
    """A row matched again (reopened), no longer matched (gone), or with a new due date.

    Reopening and going are named state changes (`services.transition`), so the row's
    history says matching moved it, not a person. They stay one row at a time, like the
    other changes here: each is a locked read, a save and an audit entry whichever verb
    makes it, so the refresh costs the same, and only rows whose match changed are written
    (a handful per feed update, not the whole table)."""
    status = values.pop("status", None)
    if status is None:
        services.update(user, exposure, values, version=None)
        return
    note = "matched again" if status == OPEN else "no longer matched"
    try:
        services.transition(user, exposure, status, note=note, extra=values)
    except ValidationError as exc:
        if "status" not in getattr(exc, "error_dict", {}):
            raise
        # A person decided on this row (not affected, accepted…) after matching read it, on
        # a database that lets them: their decision stands, and the refresh goes on.


def _new_exposure(
    key: tuple, values: dict[str, Any], vulns: dict, releases: dict, today: datetime.date
) -> dict[str, Any]:
    item_kind, item_pk, kind, target = key
    row: dict[str, Any] = {
        "kind": kind,
        item_kind: item_pk,
        "status": OPEN,
        "first_seen": today,
        "source": "matching",
        **values,
    }
    if kind == "kev":
        row["vulnerability"] = vulns[target]
    else:
        row["release"] = releases[target]
    return row


def _attach_records(rows: list[dict[str, Any]]) -> None:
    """Give new rows the records they point at instead of their keys, read in one query per
    kind, so naming each row in its audit entry costs no query."""
    for name, model, fields in (
        ("system", System, ["name"]),
        ("component", Component, ["name"]),
        ("vulnerability", KnownVulnerability, ["cve_id"]),
        ("release", ProductRelease, ["product", "cycle"]),
    ):
        wanted = {row[name] for row in rows if row.get(name)}
        found = model.objects.only(*fields).in_bulk(list(wanted)) if wanted else {}
        for row in rows:
            if row.get(name):
                row[name] = found[row[name]]


# --- what matched nothing ----------------------------------------------------------------

_UNMATCHED_CACHE = "townhall.cyber.exposure.unmatched"


def _fingerprint() -> tuple:
    """Changes whenever anything matching reads changes (rows added, changed or removed)."""
    parts = []
    for model in (System, Component, Vendor, KnownVulnerability, ProductRelease, ProductAlias):
        found = model.objects.aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
        parts.append((found["n"], found["last"], found["top"]))
    return (timezone.localdate(), *parts)


def can_see(user: Any) -> bool:
    """Whether this person may see exposure (IT, auditors and the board; not liaisons)."""
    return not Exposure.objects.restrict(user, "view").query.is_empty()


def unmatched(user: Any) -> list[matching.Unmatched]:
    """The estate's combinations that matched nothing, most items first. Remembered until
    the estate, the feeds or the alias table change."""
    if not can_see(user):
        raise PermissionDenied("Exposure is shared with IT staff, auditors and the board.")
    stamp = _fingerprint()
    cached = cache.get(_UNMATCHED_CACHE)
    if cached and cached[0] == stamp:
        return cached[1]
    result = matcher().run(estate_items())
    cache.set(_UNMATCHED_CACHE, (stamp, result.unmatched), 24 * 3600)
    return result.unmatched


# --- the leader's brief ------------------------------------------------------------------


def exposure_summary(user: Any, today: datetime.date | None = None) -> dict[str, Any]:
    """Exposure figures for a brief, counting only what `user` may see:

    {
      "open": int,               # open exposures, both kinds
      "open_kev": int,           # open matches to known exploited vulnerabilities whose
                                 # installed version is affected (the only ones counted)
      "version_unknown": int,    # open KEV matches whose installed version is unknown
      "version_not_affected": int,  # open KEV matches whose installed version is not affected
      "ransomware": int,         # … of which the vulnerability is used in ransomware
      "overdue": int,            # … of which CISA's due date has passed
      "open_eol": int,           # open matches to releases at or near end of life
      "eol_ended": int,          # … of which the end of life has passed (or date unknown)
      "eol_ending": int,         # … of which it is still ahead (within HORIZON_DAYS)
      "systems": int,            # systems with at least one counted open exposure
      "components": int,         # components with at least one counted open exposure
      "vulnerabilities": int,    # distinct vulnerabilities among the open exposures
      "by_status": {status: int},  # every exposure by status, all statuses present
      "top": [                   # up to 5 vulnerabilities with the most open exposures,
        {"cve_id", "name", "ransomware", "due_date", "overdue", "items", "url"},
      ],                         # ransomware first, then most items
      "kev_feed": {"version", "released", "imported"} or None,  # the last catalog import
      "eol_feed": {"version", "released", "imported"} or None,  # the last end-of-life import
      "today": date,
      "url": str,                # the exposure page
    }
    """
    today = today or timezone.localdate()
    # Counted once until the next change (`core.kept`).
    return kept(f"cyber:exposure-summary:{user.pk}:{today.isoformat()}", _summary, user, today)


def _summary(user: Any, today: datetime.date) -> dict[str, Any]:
    """The figures of `exposure_summary`: one pass over the exposures for the counts (they
    were seven, 400 ms on the 43,000 exposures of the large estate), one for the top five."""
    visible = Exposure.objects.restrict(user, "view")
    open_rows = visible.filter(status=OPEN)
    affected = Q(version_status=Exposure.Version.AFFECTED)
    kev_rows = open_rows.filter(affected, kind=Exposure.Kind.KEV)
    is_open = Q(status=OPEN)
    any_kev = is_open & Q(kind=Exposure.Kind.KEV)
    # A known-exploited match counts only when the installed version is affected; an
    # end-of-life match was found by the version itself.
    kev = any_kev & affected
    eol = is_open & Q(kind=Exposure.Kind.EOL)
    counted = kev | eol
    counts = visible.aggregate(
        unknown=Count("pk", filter=any_kev & Q(version_status=Exposure.Version.UNKNOWN)),
        not_affected=Count("pk", filter=any_kev & Q(version_status=Exposure.Version.NOT_AFFECTED)),
        n=Count("pk", filter=kev),
        ransomware=Count("pk", filter=kev & Q(ransomware=True)),
        overdue=Count("pk", filter=kev & Q(due_date__lt=today)),
        vulnerabilities=Count("vulnerability", distinct=True, filter=kev),
        eol_n=Count("pk", filter=eol),
        eol_ending=Count("pk", filter=eol & Q(due_date__gt=today)),
        systems=Count("system", distinct=True, filter=counted),
        components=Count("component", distinct=True, filter=counted),
        **{f"status_{s}": Count("pk", filter=Q(status=s)) for s in Exposure.Status.values},
    )
    figures = {k: counts[k] for k in ("n", "ransomware", "overdue", "vulnerabilities")}
    eol_figures = {"n": counts["eol_n"], "ending": counts["eol_ending"]}
    statuses = {s: counts[f"status_{s}"] for s in Exposure.Status.values}
    top = (
        kev_rows.values(
            "vulnerability_id",
            "vulnerability__cve_id",
            "vulnerability__name",
            "vulnerability__ransomware",
            "vulnerability__due_date",
        )
        .annotate(items=Count("pk"))
        .order_by("-vulnerability__ransomware", "-items", "vulnerability__cve_id")[:5]
    )
    return {
        "open": figures["n"] + eol_figures["n"],
        "open_kev": figures["n"],
        "version_unknown": counts["unknown"],
        "version_not_affected": counts["not_affected"],
        "ransomware": figures["ransomware"],
        "overdue": figures["overdue"],
        "open_eol": eol_figures["n"],
        "eol_ended": eol_figures["n"] - eol_figures["ending"],
        "eol_ending": eol_figures["ending"],
        "systems": counts["systems"],
        "components": counts["components"],
        "vulnerabilities": figures["vulnerabilities"],
        "by_status": {s: statuses.get(s, 0) for s in Exposure.Status.values},
        "top": [
            {
                "cve_id": t["vulnerability__cve_id"],
                "name": t["vulnerability__name"],
                "ransomware": t["vulnerability__ransomware"],
                "due_date": t["vulnerability__due_date"],
                "overdue": bool(
                    t["vulnerability__due_date"] and t["vulnerability__due_date"] < today
                ),
                "items": t["items"],
                "url": reverse("cyber:knownvulnerability_detail", args=[t["vulnerability_id"]]),
            }
            for t in top
        ],
        "kev_feed": _last_feed(user, FeedImport.Kind.KEV),
        "eol_feed": _last_feed(user, FeedImport.Kind.EOL),
        "today": today,
        "url": reverse("cyber:exposure"),
    }


def _last_feed(user: Any, kind: str) -> dict[str, Any] | None:
    last = (
        FeedImport.objects.restrict(user, "view").filter(kind=kind).order_by("-created_at").first()
    )
    if last is None:
        return None
    return {"version": last.feed_version, "released": last.released, "imported": last.created_at}


# --- downloading -------------------------------------------------------------------------


def download(
    url: str, *, timeout: float = DOWNLOAD_TIMEOUT, max_bytes: int = DOWNLOAD_MAX_BYTES
) -> bytes:
    """The body at `url` (https or http only), at most `max_bytes`, within `timeout` s."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise DownloadError(f"{url} is not a web address.")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked just above
        url, headers={"User-Agent": "Townhall feeds update", "Accept": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            length = response.headers.get("Content-Length")
            if (size := whole_number(length)) is not None and size > max_bytes:
                raise DownloadError(f"{url} is larger than {max_bytes // (1024 * 1024)} MB.")
            body = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"{url} answered {exc.code} {exc.reason}.") from None
    except urllib.error.URLError as exc:
        raise DownloadError(
            f"Cannot reach {parts.netloc} ({exc.reason}). If this server may not reach the "
            "internet, download the file on another computer and import it with "
            "`townhall feeds import-kev FILE` or `import-eol FILE`, or upload it on the "
            "feeds page."
        ) from None
    except TimeoutError:
        raise DownloadError(f"{parts.netloc} did not answer within {timeout:g} seconds.") from None
    except OSError as exc:
        raise DownloadError(f"Cannot read {url}: {exc}.") from None
    if len(body) > max_bytes:
        raise DownloadError(f"{url} is larger than {max_bytes // (1024 * 1024)} MB.")
    return body


def eol_products() -> list[str]:
    """The endoflife.date products to fetch: the alias table's, then the default list."""
    named = ProductAlias.objects.exclude(eol_product="").values_list("eol_product", flat=True)
    result: list[str] = []
    for key in [*sorted(named), *DEFAULT_EOL_PRODUCTS]:
        key = key.strip().lower()
        if key and key not in result:
            result.append(key)
    return result


@dataclass
class UpdateReport:
    imports: list[ImportReport] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    refresh: RefreshReport | None = None


def update_feeds(user: Any, products: list[str] | None = None, fetch: Any = None) -> UpdateReport:
    """Download the catalog and each product's release data (with `fetch(url) -> bytes`,
    `download` by default), import what arrived, then match again. A product that fails is
    reported and the others go on; when the catalog's server cannot be reached at all,
    nothing else is tried (the network is most likely closed)."""
    fetch = fetch or download
    report = UpdateReport()
    try:
        report.imports.append(import_kev(user, fetch(KEV_URL), file_name=KEV_URL))
    except DownloadError as exc:
        report.failures.append(f"Known Exploited Vulnerabilities: {exc}")
        if "Cannot reach" in str(exc) or "did not answer" in str(exc):
            return report
    except FeedError as exc:
        report.failures.append(f"Known Exploited Vulnerabilities: {exc}")
    for product in products if products is not None else eol_products():
        body, problem = None, ""
        for pattern in EOL_URLS:
            url = pattern.format(product=urllib.parse.quote(product))
            try:
                body = fetch(url)
                break
            except DownloadError as exc:
                problem = str(exc)
        if body is None:
            report.failures.append(f"endoflife.date “{product}”: {problem}")
            continue
        try:
            report.imports.append(import_eol(user, body, product=product, file_name=url))
        except FeedError as exc:
            report.failures.append(f"endoflife.date “{product}”: {exc}")
    if report.imports:
        report.refresh = refresh_exposures(user)
    return report
