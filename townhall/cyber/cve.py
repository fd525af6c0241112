"""Reading CVE JSON 5 records (as the CVE list and CISA's enrichment publish them) into the
affected-version entries that decide whether an installed version is exposed.

What is read of a record: `cveMetadata.cveId`, `state` and `dateUpdated`, and the
`affected` lists of the CNA container (`containers.cna.affected`) and of every ADP
container (`containers.adp[].affected`; CISA's enrichment is an ADP named "CISA-ADP"). Of
each affected item: vendor, product, `defaultStatus` and `versions` (`version`, `status`,
`lessThan`, `lessThanOrEqual`, `versionType`; `changes` is not used).

Files: one record (`.json`), a JSON array of records or an object holding one under
`cves`, `records` or `vulnerabilities`, or a `.zip` of record files as the CVE list
publishes them (a zip inside the zip is read too; `delta.json` and `deltaLog.json` are
not records and are passed over). A rejected record (state REJECTED) carries no affected
data and is counted, not stored.

A record that cannot be used raises `FeedError` naming the file, the record and the
reason: the import is all or nothing, so a half-read bundle never replaces good data.
"""

import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from townhall.cyber.kev import CVE_ID, FeedError
from townhall.cyber.versions import STATUSES, AffectedEntry, VersionEntry

MAX_MEMBER_BYTES = 50 * 1024 * 1024  # the largest record is far below 1 MB
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024  # the whole CVE list unpacks to about 2 GB
MAX_RECORDS = 1_000_000
NOT_RECORDS = re.compile(r"(^|/)(delta|deltaLog)\.json$", re.IGNORECASE)
BUNDLE_KEYS = ("cves", "records", "vulnerabilities")
LIMITS = {"vendor": 200, "product": 200, "version": 100}


@dataclass(frozen=True)
class CveRecord:
    """One record's affected entries (the CNA's first, then each ADP's)."""

    cve_id: str
    state: str
    date_updated: str
    affected: tuple[AffectedEntry, ...]


@dataclass
class Parsed:
    records: dict[str, CveRecord] = field(default_factory=dict)  # by CVE, the last one read
    rejected: int = 0  # records in state REJECTED, passed over
    files: int = 0  # record files read (1 for a bundle)


def _text(value: Any, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _versions(raw: Any, where: str) -> tuple[VersionEntry, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise FeedError(f"{where}: “versions” is not a list.")
    result = []
    for n, item in enumerate(raw, 1):
        place = f"{where}, version entry {n}"
        if not isinstance(item, dict):
            raise FeedError(f"{place}: not an object.")
        version = item.get("version")
        if not isinstance(version, str) or not version.strip():
            raise FeedError(f"{place}: “version” is missing.")
        status = item.get("status")
        if status not in STATUSES:
            raise FeedError(
                f"{place}: “status” is {status!r}; it must be affected, unaffected or unknown."
            )
        bounds = {}
        for key in ("lessThan", "lessThanOrEqual", "versionType"):
            value = item.get(key)
            if value is not None and not isinstance(value, str):
                raise FeedError(f"{place}: “{key}” is not text.")
            bounds[key] = _text(value, LIMITS["version"])
        result.append(
            VersionEntry(
                version=_text(version, LIMITS["version"]),
                status=status,
                less_than=bounds["lessThan"],
                less_than_or_equal=bounds["lessThanOrEqual"],
                version_type=bounds["versionType"],
            )
        )
    return tuple(result)


def _affected(container: Any, source: str, where: str) -> list[AffectedEntry]:
    if not isinstance(container, dict):
        raise FeedError(f"{where}: the {source} container is not an object.")
    raw = container.get("affected")
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise FeedError(f"{where}: the {source} container's “affected” is not a list.")
    result = []
    for n, item in enumerate(raw, 1):
        place = f"{where}, {source} affected item {n}"
        if not isinstance(item, dict):
            raise FeedError(f"{place}: not an object.")
        vendor = _text(item.get("vendor"), LIMITS["vendor"])
        product = _text(item.get("product"), LIMITS["product"])
        if not product and not item.get("packageName") and not item.get("cpes"):
            raise FeedError(f"{place}: no product named.")
        default = item.get("defaultStatus") or "unknown"
        if default not in STATUSES:
            raise FeedError(
                f"{place}: “defaultStatus” is {default!r}; it must be affected, unaffected "
                "or unknown."
            )
        product = product or _text(item.get("packageName"), LIMITS["product"])
        result.append(
            AffectedEntry(
                vendor=vendor,
                product=product,
                default_status=default,
                versions=_versions(item.get("versions"), place),
                source=source,
            )
        )
    return result


def read_record(raw: Any, where: str) -> CveRecord:
    """One record; raises FeedError naming `where` and the reason."""
    if not isinstance(raw, dict):
        raise FeedError(f"{where}: not a CVE record (not a JSON object).")
    meta = raw.get("cveMetadata")
    if not isinstance(meta, dict):
        raise FeedError(f"{where}: not a CVE JSON 5 record (no “cveMetadata”).")
    cve_id = _text(meta.get("cveId"), 30).upper()
    if not CVE_ID.match(cve_id):
        raise FeedError(f"{where}: “cveMetadata.cveId” is {meta.get('cveId')!r}, not a CVE ID.")
    where = f"{where} ({cve_id})" if cve_id not in where else where
    state = _text(meta.get("state"), 20).upper() or "PUBLISHED"
    containers = raw.get("containers")
    if state == "REJECTED":
        return CveRecord(cve_id, state, _text(meta.get("dateUpdated"), 40), ())
    if not isinstance(containers, dict) or "cna" not in containers:
        raise FeedError(f"{where}: no “containers.cna”.")
    affected = _affected(containers["cna"], "CNA", where)
    adp = containers.get("adp") or []
    if not isinstance(adp, list):
        raise FeedError(f"{where}: “containers.adp” is not a list.")
    for n, container in enumerate(adp, 1):
        name = ""
        if isinstance(container, dict):
            meta_adp = container.get("providerMetadata")
            name = _text(meta_adp.get("shortName"), 40) if isinstance(meta_adp, dict) else ""
        affected += _affected(container, name or f"ADP {n}", where)
    return CveRecord(cve_id, state, _text(meta.get("dateUpdated"), 40), tuple(affected))


def _load(data: bytes, where: str) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FeedError(f"{where}: not UTF-8 text.") from None
    except json.JSONDecodeError as exc:
        raise FeedError(f"{where}: not JSON ({exc.msg}, line {exc.lineno}).") from None
    except RecursionError:
        raise FeedError(f"{where}: nested too deeply to be a CVE record.") from None


def _records_in(value: Any, where: str) -> Iterator[tuple[Any, str]]:
    if isinstance(value, list):
        for n, item in enumerate(value, 1):
            yield item, f"{where}, record {n}"
        return
    if isinstance(value, dict) and "cveMetadata" not in value:
        for key in BUNDLE_KEYS:
            if isinstance(value.get(key), list):
                yield from _records_in(value[key], where)
                return
    yield value, where


def _zip_members(data: bytes, where: str, budget: list[int]) -> Iterator[tuple[bytes, str]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FeedError(f"{where}: not a readable zip file.") from None
    with archive:
        for info in archive.infolist():
            if info.is_dir() or NOT_RECORDS.search(info.filename):
                continue
            name = f"{where}: {info.filename}"
            lower = info.filename.lower()
            if not (lower.endswith(".json") or lower.endswith(".zip")):
                continue
            limit = MAX_TOTAL_BYTES if lower.endswith(".zip") else MAX_MEMBER_BYTES
            if info.file_size > limit:
                raise FeedError(f"{name}: larger than {limit // (1024 * 1024)} MB unpacked.")
            budget[0] -= info.file_size
            if budget[0] < 0:
                raise FeedError(f"{where}: unpacks to more than {MAX_TOTAL_BYTES >> 30} GB.")
            try:
                body = archive.read(info)
            except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
                raise FeedError(f"{name}: cannot be unpacked ({exc}).") from None
            if lower.endswith(".zip"):
                yield from _zip_members(body, name, budget)
            else:
                yield body, name


def parse(data: bytes | str, name: str = "the file") -> Parsed:
    """The records in a file (see the module doc); raises FeedError for anything unusable."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    result = Parsed()
    if data[:4] == b"PK\x03\x04" or name.lower().endswith(".zip"):
        files: Iterator[tuple[bytes, str]] = _zip_members(data, name, [MAX_TOTAL_BYTES])
    else:
        files = iter([(data, name)])
    for body, where in files:
        result.files += 1
        for raw, place in _records_in(_load(body, where), where):
            record = read_record(raw, place)
            if record.state == "REJECTED":
                result.rejected += 1
                result.records.pop(record.cve_id, None)
                continue
            result.records[record.cve_id] = record
            if len(result.records) > MAX_RECORDS:
                raise FeedError(f"{name}: more than {MAX_RECORDS} records.")
    if not result.records and not result.rejected:
        raise FeedError(f"{name}: holds no CVE records.")
    return result


def to_json(entries: tuple[AffectedEntry, ...]) -> list[dict[str, Any]]:
    """The entries as stored on the record (`CveRecord.affected` on the model)."""
    return [
        {
            "vendor": e.vendor,
            "product": e.product,
            "default_status": e.default_status,
            "source": e.source,
            "versions": [
                {
                    "version": v.version,
                    "status": v.status,
                    "less_than": v.less_than,
                    "less_than_or_equal": v.less_than_or_equal,
                    "version_type": v.version_type,
                }
                for v in e.versions
            ],
        }
        for e in entries
    ]


def from_json(stored: Any) -> tuple[AffectedEntry, ...]:
    """The entries back from what `to_json` stored."""
    return tuple(
        AffectedEntry(
            vendor=e.get("vendor", ""),
            product=e.get("product", ""),
            default_status=e.get("default_status", "unknown"),
            source=e.get("source", ""),
            versions=tuple(
                VersionEntry(
                    version=v.get("version", ""),
                    status=v.get("status", "unknown"),
                    less_than=v.get("less_than", ""),
                    less_than_or_equal=v.get("less_than_or_equal", ""),
                    version_type=v.get("version_type", ""),
                )
                for v in e.get("versions", [])
            ),
        )
        for e in stored or []
    )
