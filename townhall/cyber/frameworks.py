"""Frameworks as data: importing OSCAL catalogs, the built-in frameworks, mappings between
frameworks, and the tree the pages show.

An import creates a framework version or brings an existing one up to date, in one
transaction on the write path (`townhall.core.services`). Requirements are matched by
identifier, so assessments keep their scores across imports; a requirement the new file no
longer has is marked withdrawn, never deleted (scores point at it). Reading what is stored
takes one query per table, whatever the size of the catalog; only the rows that change are
written, so importing the same file twice writes nothing.

Built in, for use without a network: NIST CSF 2.0 and CISA's Cross-Sector Cybersecurity
Performance Goals (`catalogs/*.json`, OSCAL files we wrote in our own words), and which
CSF subcategories each goal helps meet (`catalogs/cpg-to-csf.json`, the mapping format
described in `oscal.py`). Importing NIST's official CSF 2.0 catalog replaces our short
texts with the official ones; loading the built-ins again leaves official texts alone.
"""

import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from townhall.core import services
from townhall.cyber import oscal
from townhall.cyber.models import Framework, Requirement, RequirementMapping

CATALOGS = Path(__file__).resolve().parent / "catalogs"
BUILTIN_CATALOGS = ("csf-2.0.json", "cisa-cpg.json")
BUILTIN_MAPPINGS = ("cpg-to-csf.json",)
PROGRESS_EVERY = 50  # requirements stored between two progress reports
# The fields an import sets on a requirement; anything else (notes, tags) is people's.
IMPORTED_FIELDS = (
    "level",
    "title",
    "description",
    "examples",
    "assessable",
    "withdrawn",
    "sort_key",
    "properties",
)


class StoreError(oscal.OscalError):
    """A catalog that was read but cannot be stored (a value a requirement refuses)."""


@dataclass
class ImportReport:
    """What one import did, for the page and the command line."""

    framework: Framework
    catalog_title: str = ""
    catalog_version: str = ""
    new_framework: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0  # newly withdrawn: marked so in the file, or no longer in it
    missing: list[str] = field(default_factory=list)  # identifiers no longer in the file
    skipped: bool = False  # a built-in left alone because the official text is loaded

    @property
    def changed(self) -> bool:
        return bool(self.new_framework or self.created or self.updated or self.withdrawn)

    def summary(self) -> str:
        if self.skipped:
            return f"{self.framework}: left as is (it holds the official text)."
        if not self.changed:
            return f"{self.framework} is up to date: {self.unchanged} unchanged."
        parts = [
            f"{self.created} added",
            f"{self.updated} changed",
            f"{self.unchanged} unchanged",
            f"{self.withdrawn} withdrawn",
        ]
        verb = "Created" if self.new_framework else "Updated"
        return f"{verb} {self.framework}: {', '.join(parts)}."


@dataclass
class MappingReport:
    source: Framework
    target: Framework
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        return (
            f"Mappings from {self.source} to {self.target}: {self.created} added, "
            f"{self.updated} changed, {self.unchanged} unchanged."
        )


# --- importing a catalog -----------------------------------------------------------------------


def read_file(path: str | Path) -> bytes:
    """The bytes of a catalog file, or an `OscalError` naming the file."""
    path = Path(path)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise oscal.OscalError("", f"cannot read {path.name}: {exc.strerror or exc}.") from exc


def import_catalog(
    user: Any,
    data_or_path: bytes | str | Path | dict,
    *,
    key: str | None = None,
    name: str | None = None,
    release: str | None = None,
    official: bool = True,
    source: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Create or update a framework version from an OSCAL catalog, all or nothing.

    `data_or_path`: the JSON (bytes, text or decoded) or a `Path` to it. The framework is
    found by `key` and `release` (“version” on pages) when given, else by what the catalog
    says about itself (its framework identifier, or an earlier import of the same file).
    `official` says whether the texts are the publisher's own (False for our built-ins).
    Raises `oscal.OscalError` for a file that cannot be imported and `PermissionDenied`
    when `user` may not add or change frameworks; either way nothing is saved.
    `progress(done, total)` is told how many requirements are stored, now and then.
    """
    if isinstance(data_or_path, Path):
        source = source or f"OSCAL catalog {data_or_path.name}"
        data_or_path = read_file(data_or_path)
    catalog = oscal.parse(data_or_path)
    if catalog.uuid in _builtin_uuids():
        official = False  # our own files say so in their remarks, whoever uploads them
    return _store(user, catalog, key, name, release, official, source, progress)


def _identity(
    catalog: oscal.Catalog, key: str | None, release: str | None
) -> tuple[str, str, Framework | None]:
    """The framework version the catalog updates (None when it is new) and its key."""
    key = (key or "").strip()
    release = (release or "").strip()
    if not key and not catalog.framework_id and catalog.uuid:
        earlier = Framework.objects.filter(catalog_uuid=catalog.uuid).order_by("pk").first()
        if earlier is not None and (not release or release == earlier.release):
            return earlier.key, earlier.release, earlier
    key = key or oscal.suggest_key(catalog)
    release = release or oscal.suggest_release(catalog)
    if not key:
        raise oscal.OscalError(
            "catalog.metadata.title",
            "the catalog has no title or framework identifier; give a key for the framework.",
        )
    existing = Framework.objects.filter(key=key, release=release).first()
    return key, release, existing


def _store(
    user: Any,
    catalog: oscal.Catalog,
    key: str | None,
    name: str | None,
    release: str | None,
    official: bool,
    source: str,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    source = (source or f"OSCAL catalog {catalog.title}")[:200]
    with transaction.atomic():
        key, release, framework = _identity(catalog, key, release)
        values = {
            "official_text": official,
            "catalog_uuid": catalog.uuid[:60],
        }
        if name:
            values["name"] = name.strip()[:200]
        new_framework = framework is None
        if framework is None:
            framework = _save(
                user,
                Framework,
                {
                    "name": values.pop("name", "") or oscal.suggest_name(catalog, release) or key,
                    "key": key,
                    "release": release,
                    "publisher": catalog.publisher[:200],
                    "description": catalog.remarks,
                    "source": source,
                    "last_imported": timezone.now(),
                    **values,
                },
                "catalog",
            )
        report = ImportReport(
            framework=framework,
            catalog_title=catalog.title,
            catalog_version=catalog.version,
            new_framework=new_framework,
        )
        _store_requirements(user, framework, catalog.nodes, report, source, progress)
        if not report.new_framework:
            if official and framework.description in _builtin_remarks():
                # Our note that the texts are summaries no longer holds.
                values["description"] = catalog.remarks
            if not framework.publisher and catalog.publisher:
                values["publisher"] = catalog.publisher[:200]
            if not framework.description and catalog.remarks:
                values["description"] = catalog.remarks
            changes = {k: v for k, v in values.items() if getattr(framework, k) != v}
            if changes or report.changed:
                changes["last_imported"] = timezone.now()
                report.framework = _save(user, framework, changes, "catalog")
    return report


def _store_requirements(
    user: Any,
    framework: Framework,
    nodes: list[oscal.Node],
    report: ImportReport,
    source: str,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Create what is new, update what changed, withdraw what is gone. Nodes come parents
    first, so each parent is stored before its children point at it."""
    existing = {r.identifier: r for r in Requirement.objects.filter(framework=framework)}
    stored: dict[str, Requirement] = {}
    for done, node in enumerate(nodes):
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, len(nodes))
        values = {name: getattr(node, name) for name in IMPORTED_FIELDS}
        parent = stored[node.parent] if node.parent else None
        current = existing.get(node.identifier)
        if current is None:
            data = {
                **values,
                "framework": framework,
                "identifier": node.identifier,
                "parent": parent,
                "source": source,
            }
            stored[node.identifier] = _save(user, Requirement, data, node.path)
            report.created += 1
            report.withdrawn += node.withdrawn
            continue
        changes = {k: v for k, v in values.items() if getattr(current, k) != v}
        if current.parent_id != (parent.pk if parent else None):
            changes["parent"] = parent
        if changes:
            stored[node.identifier] = _save(user, current, changes, node.path)
            report.updated += 1
            report.withdrawn += bool(node.withdrawn and not current.withdrawn)
        else:
            stored[node.identifier] = current
            report.unchanged += 1
    gone = sorted(
        (r for ident, r in existing.items() if ident not in stored and not r.withdrawn),
        key=lambda r: (r.sort_key, r.identifier),
    )
    for requirement in gone:
        _save(user, requirement, {"withdrawn": True, "assessable": False}, requirement.identifier)
        report.missing.append(requirement.identifier)
        report.withdrawn += 1


def _save(user: Any, target: Any, data: dict[str, Any], where: str) -> Any:
    """services.create (for a model class) or services.update, with a model's refusal
    turned into an error that says which item of the file it was."""
    try:
        if isinstance(target, type):
            return services.create(user, target, data)
        return services.update(user, target, data, version=None)
    except ValidationError as exc:
        messages = (
            [f"{k}: {'; '.join(v)}" for k, v in exc.message_dict.items()]
            if hasattr(exc, "error_dict")
            else exc.messages
        )
        raise StoreError(where, " ".join(messages)) from exc


# --- built-in frameworks and mappings -----------------------------------------------------


def load_builtin(user: Any) -> list[Framework]:
    """Load (or bring up to date) NIST CSF 2.0, CISA's CPGs and the mapping between them.

    Safe to run again: what is already there is left untouched, and a framework that now
    holds its publisher's official text keeps it."""
    return [report.framework for report in load_builtin_reports(user)[0]]


def load_builtin_reports(user: Any) -> tuple[list[ImportReport], list[MappingReport]]:
    with transaction.atomic():
        catalogs = []
        for filename in BUILTIN_CATALOGS:
            catalog = oscal.parse(read_file(CATALOGS / filename))
            release = oscal.suggest_release(catalog)
            current = Framework.objects.filter(
                key=oscal.suggest_key(catalog), release=release
            ).first()
            if current is not None and current.official_text:
                catalogs.append(ImportReport(framework=current, skipped=True))
                continue
            catalogs.append(_store(user, catalog, None, None, None, False, f"Built-in {filename}"))
        mappings = [
            import_mappings(user, read_file(CATALOGS / filename)) for filename in BUILTIN_MAPPINGS
        ]
    return catalogs, mappings


def import_mappings(user: Any, data: bytes | str | dict) -> MappingReport:
    """Store a mapping file (format in `oscal.py`), all or nothing. Pairs already stored
    are kept; a pair whose relation changed is updated; mappings people added by hand stay."""
    relations = RequirementMapping.Relation.values
    spec = oscal.parse_mappings(data, relations)
    with transaction.atomic():
        source = _framework(spec.source_key, spec.source_release, "source")
        target = _framework(spec.target_key, spec.target_release, "target")
        sources = {r.identifier: r for r in Requirement.objects.filter(framework=source)}
        targets = {r.identifier: r for r in Requirement.objects.filter(framework=target)}
        existing = {
            (m.source_id, m.target_id): m
            for m in RequirementMapping.objects.filter(
                source__framework=source, target__framework=target
            )
        }
        report = MappingReport(source=source, target=target)
        for line in spec.lines:
            a = sources.get(line.source)
            if a is None:
                raise oscal.OscalError(
                    line.path.rsplit(".targets", 1)[0] + ".source",
                    f"{source} has no requirement “{line.source}”.",
                )
            b = targets.get(line.target)
            if b is None:
                raise oscal.OscalError(line.path, f"{target} has no requirement “{line.target}”.")
            current = existing.get((a.pk, b.pk))
            if current is None:
                data_ = {"source": a, "target": b, "relation": line.relation}
                _save(user, RequirementMapping, data_, line.path)
                report.created += 1
            elif current.relation != line.relation:
                _save(user, current, {"relation": line.relation}, line.path)
                report.updated += 1
            else:
                report.unchanged += 1
    return report


def _framework(key: str, release: str, where: str) -> Framework:
    framework = Framework.objects.filter(key=key, release=release).first()
    if framework is None:
        raise oscal.OscalError(
            where, f"there is no framework “{key}” version {release}; import it first."
        )
    return framework


# --- reading: mappings and the tree ---------------------------------------------------------


def mapped_requirements(requirement: Requirement) -> list[Requirement]:
    """The requirements of other frameworks this one is mapped to or from, so that one
    answer counts toward several. Each carries `relation` (the mapping's label, read from
    this requirement's side), ordered by framework and position."""
    return mapping_index([requirement.pk]).get(requirement.pk, [])


def mapping_index(requirement_ids: list[int]) -> dict[int, list[Requirement]]:
    """For many requirements at once (a page, a roll-up): requirement id → the requirements
    it is mapped with, in both directions. One query."""
    ids = set(requirement_ids)
    if not ids:
        return {}
    rows = RequirementMapping.objects.filter(
        Q(source_id__in=ids) | Q(target_id__in=ids)
    ).select_related("source__framework", "target__framework")
    found: dict[int, dict[int, Requirement]] = defaultdict(dict)
    for mapping in rows:
        label = mapping.get_relation_display()
        for mine, other, shown in (
            (mapping.source, mapping.target, label),
            (mapping.target, mapping.source, _reverse_label(mapping.relation, label)),
        ):
            if mine.pk in ids and other.pk not in found[mine.pk]:
                other.relation = shown
                found[mine.pk][other.pk] = other
    return {
        pk: sorted(
            others.values(),
            key=lambda r: (r.framework.name, r.framework.release, r.sort_key, r.identifier),
        )
        for pk, others in found.items()
    }


def _reverse_label(relation: str, label: str) -> str:
    """“A covers part of B” read from B's side is “B is covered in part by A”."""
    if relation == RequirementMapping.Relation.SUBSET:
        return "Covered in part by"
    return label


@dataclass
class TreeNode:
    requirement: Requirement
    children: list["TreeNode"] = field(default_factory=list)
    mapped: list[Requirement] = field(default_factory=list)
    depth: int = 0

    @property
    def subtree_size(self) -> int:
        return 1 + sum(child.subtree_size for child in self.children)


def tree(framework: Framework, *, include_withdrawn: bool = True) -> list[TreeNode]:
    """The framework's requirements nested as stated (functions → categories →
    subcategories), each with its mapped requirements. Two queries, whatever the size."""
    rows = Requirement.objects.filter(framework=framework).order_by("sort_key", "identifier")
    if not include_withdrawn:
        rows = rows.filter(withdrawn=False)
    requirements = list(rows)
    mapped = mapping_index([r.pk for r in requirements])
    nodes = {r.pk: TreeNode(r, mapped=mapped.get(r.pk, [])) for r in requirements}
    roots: list[TreeNode] = []
    for r in requirements:
        parent = nodes.get(r.parent_id) if r.parent_id else None
        (parent.children if parent is not None else roots).append(nodes[r.pk])
    _set_depth(roots, 0)
    return roots


def _set_depth(nodes: list[TreeNode], depth: int) -> None:
    stack = [(node, depth) for node in nodes]
    while stack:
        node, level = stack.pop()
        node.depth = level
        stack.extend((child, level + 1) for child in node.children)


def level_counts(framework: Framework) -> list[tuple[str, int, int]]:
    """(level, in force, withdrawn) per level, in the order levels first appear."""
    counts: dict[str, list[int]] = {}
    rows = (
        Requirement.objects.filter(framework=framework)
        .order_by("sort_key", "identifier")
        .values_list("level", "withdrawn")
    )
    for level, withdrawn in rows:
        entry = counts.setdefault(level, [0, 0])
        entry[1 if withdrawn else 0] += 1
    return [(level, active, gone) for level, (active, gone) in counts.items()]


@functools.cache
def _builtin_catalogs() -> tuple[oscal.Catalog, ...]:
    return tuple(oscal.parse(read_file(CATALOGS / name)) for name in BUILTIN_CATALOGS)


def _builtin_uuids() -> frozenset[str]:
    return frozenset(c.uuid for c in _builtin_catalogs())


def _builtin_remarks() -> frozenset[str]:
    return frozenset(c.remarks for c in _builtin_catalogs())


def describe_builtin() -> list[dict[str, str]]:
    """Names of the built-in frameworks, for the page offering to load them."""
    return [{"title": c.title} for c in _builtin_catalogs()]
