"""Reading control frameworks from OSCAL catalogs, and our own requirement-mapping files.

OSCAL (NIST's Open Security Controls Assessment Language) publishes frameworks as a tree:
a `catalog` holds `groups` (which may nest) and `controls` (which may hold `controls`, such
as SP 800-53's control enhancements or CSF 2.0's subcategories). Each item carries an `id`,
a `class`, a `title`, `props` (a `label` such as "GV.OC-01", a `sort-id`, a `status` of
"withdrawn"), `parts` (the statement, guidance, examples) and `params` whose values the
statement's `{{ insert: param, id }}` placeholders stand for.

`parse()` flattens that tree into an ordered list of `Node`s, parents before children, ready
to be matched by identifier against what is already stored. It needs no database, so the
command line, the upload page and the tests all read files the same way. A file we cannot
read raises `OscalError`, which names where in the file the problem is and why.

The second half reads our mapping files (see `parse_mappings`): which requirement of one
framework counts toward which requirement of another.
"""

import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

MAX_DEPTH = 40  # groups and controls nested deeper than this are not a real catalog
IDENTIFIER_MAX = 60
TITLE_MAX = 300
LEVEL_MAX = 40
SORT_KEY_MAX = 100

# Levels a `class` may name directly; other classes (SP 800-53 writes "SP800-53") fall back
# to the item's place in the tree.
KNOWN_LEVELS = frozenset(
    {
        "function",
        "category",
        "subcategory",
        "family",
        "group",
        "goal",
        "control",
        "enhancement",
        "domain",
        "objective",
        "practice",
        "requirement",
        "safeguard",
        "section",
    }
)
# Without a class, CSF-shaped identifiers still say which level they are.
CSF_LEVELS = (
    (re.compile(r"^[A-Z]{2}$"), "function"),
    (re.compile(r"^[A-Z]{2}\.[A-Z]{2}$"), "category"),
    (re.compile(r"^[A-Z]{2}\.[A-Z]{2}-\d{2}$"), "subcategory"),
)
# "Organizational Context (GV.OC)": a label that names the item and then its code.
LABEL_WITH_CODE = re.compile(r"^.*\S\s+\(([^()\s]+)\)$")
FAMILY_ID = re.compile(r"^[a-z]{1,4}$")
INSERT = re.compile(r"\{\{\s*insert\s*:\s*param\s*,\s*([^\s{}]+)\s*\}\}")
# Links that say where a withdrawn item went; kept so people can follow it.
SUCCESSOR_LINKS = frozenset({"incorporated-into", "incorporated_into", "moved-to", "moved_to"})
# Props the parser turns into fields of its own rather than keeping as properties.
CONSUMED_PROPS = frozenset({"label", "sort-id", "status"})


class OscalError(ValueError):
    """A file that cannot be imported: `path` says where (such as
    `catalog.groups[2].controls[0]`), `reason` why."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}" if path else reason)


@dataclass(frozen=True)
class Node:
    """One requirement as the catalog states it, ready to store."""

    identifier: str
    parent: str | None
    level: str
    title: str
    description: str
    examples: str
    assessable: bool
    withdrawn: bool
    sort_key: str
    properties: dict[str, Any]
    path: str  # where it is in the file, for messages


@dataclass(frozen=True)
class Catalog:
    """A parsed catalog: what it says about itself, and its requirements in tree order."""

    uuid: str
    title: str
    version: str
    published: str
    publisher: str
    remarks: str
    framework_id: str  # from the `framework-identifier` prop, when the publisher gives one
    framework_version: str  # from `framework-version-identifier`, such as "2.0"
    nodes: list[Node] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many requirements of each level are in force (withdrawn ones left out)."""
        result: dict[str, int] = {}
        for node in self.nodes:
            if not node.withdrawn:
                result[node.level] = result.get(node.level, 0) + 1
        return result


# --- reading the file ----------------------------------------------------------------------


def load_json(data: bytes | str) -> Any:
    """The JSON document in `data`, or an `OscalError` saying why it is not one."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise OscalError("", f"the file is not UTF-8 text (byte {exc.start}).") from exc
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise OscalError(
            "", f"the file is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        ) from exc
    except RecursionError as exc:
        raise OscalError("", "the file is nested too deeply to be a catalog.") from exc


def parse(data: bytes | str | Any) -> Catalog:
    """Read an OSCAL catalog (JSON text or an already decoded document)."""
    document = load_json(data) if isinstance(data, bytes | str) else data
    if not isinstance(document, Mapping):
        raise OscalError("", "the file holds JSON, but not an OSCAL document (an object).")
    if "catalog" not in document:
        for other in ("profile", "component-definition", "system-security-plan"):
            if other in document:
                raise OscalError(
                    other,
                    f"this is an OSCAL {other.replace('-', ' ')}, not a catalog. "
                    "Import the catalog it refers to (for a baseline, its resolved catalog).",
                )
        raise OscalError("", "there is no “catalog” at the top of the file.")
    catalog = _mapping(document["catalog"], "catalog")
    metadata = _mapping(catalog.get("metadata", {}), "catalog.metadata")
    props = _props(metadata.get("props"), "catalog.metadata.props")
    reader = _Reader()
    reader.collect_params(catalog, "catalog")
    groups = _list(catalog.get("groups"), "catalog.groups")
    controls = _list(catalog.get("controls"), "catalog.controls")
    if not groups and not controls:
        raise OscalError("catalog", "the catalog has no groups or controls to import.")
    position = 0
    for index, group in enumerate(groups):
        position += 1
        reader.item(group, f"catalog.groups[{index}]", "group", None, "", position, 0)
    for index, control in enumerate(controls):
        position += 1
        reader.item(control, f"catalog.controls[{index}]", "control", None, "", position, 0)
    framework_id = _first(props, "framework-identifier")
    return Catalog(
        uuid=_text(catalog.get("uuid"), "catalog.uuid"),
        title=_clean(_text(metadata.get("title"), "catalog.metadata.title")),
        version=_text(metadata.get("version"), "catalog.metadata.version").strip(),
        published=_text(
            metadata.get("published") or metadata.get("last-modified"), "catalog.metadata"
        ),
        publisher=_publisher(metadata),
        remarks=_clean(_text(metadata.get("remarks"), "catalog.metadata.remarks")),
        framework_id=framework_id,
        framework_version=_release_from(
            _first(props, "framework-version-identifier"), framework_id
        ),
        nodes=reader.finish(),
    )


class _Reader:
    """Walks the tree once, keeping what later steps need (parameters, identifiers seen)."""

    def __init__(self) -> None:
        self.params: dict[str, Mapping[str, Any]] = {}
        self.rows: list[dict[str, Any]] = []
        self.seen: dict[str, str] = {}  # identifier -> path where it was first seen

    def collect_params(self, item: Mapping[str, Any], path: str, depth: int = 0) -> None:
        """Every parameter in the catalog by id: a statement may use one defined elsewhere."""
        if depth > MAX_DEPTH:
            raise OscalError(path, f"groups and controls are nested more than {MAX_DEPTH} deep.")
        for index, param in enumerate(_list(item.get("params"), f"{path}.params")):
            where = f"{path}.params[{index}]"
            param = _mapping(param, where)
            param_id = _text(param.get("id"), f"{where}.id")
            if not param_id:
                raise OscalError(where, "a parameter needs an id.")
            self.params[param_id] = param
        for key in ("groups", "controls"):
            for index, child in enumerate(_list(item.get(key), f"{path}.{key}")):
                where = f"{path}.{key}[{index}]"
                self.collect_params(_mapping(child, where), where, depth + 1)

    def item(
        self,
        raw: Any,
        path: str,
        kind: str,
        parent: dict[str, Any] | None,
        parent_key: str,
        position: int,
        control_depth: int,
    ) -> None:
        item = _mapping(raw, path)
        item_id = _text(item.get("id"), f"{path}.id").strip()
        if kind == "control" and not item_id:
            raise OscalError(path, "a control needs an id.")
        props = _props(item.get("props"), f"{path}.props")
        label = _label(props)
        identifier = _identifier(item_id, label)
        if kind == "group" and not label and FAMILY_ID.match(identifier):
            identifier = identifier.upper()  # SP 800-53's family “ac” is cited as “AC”
        if not identifier:
            raise OscalError(path, f"a {kind} needs an id or a label to be imported.")
        if len(identifier) > IDENTIFIER_MAX:
            raise OscalError(
                path,
                f"the identifier “{identifier[:80]}” is longer than {IDENTIFIER_MAX} characters.",
            )
        if identifier in self.seen:
            raise OscalError(
                path,
                f"the identifier “{identifier}” is used twice (also at {self.seen[identifier]}).",
            )
        self.seen[identifier] = path
        cls = _text(item.get("class"), f"{path}.class").strip()
        status = _first(props, "status").lower()
        withdrawn = status == "withdrawn" or bool(parent and parent["withdrawn"])
        sort_id = _first(props, "sort-id")
        sort_key = sort_id or (f"{parent_key}.{position:05d}" if parent_key else f"{position:05d}")
        parts = _list(item.get("parts"), f"{path}.parts")
        description, examples = self.texts(parts, path)
        title = self.render(_clean(_text(item.get("title"), f"{path}.title")))
        row: dict[str, Any] = {
            "identifier": identifier,
            "parent": parent["identifier"] if parent else None,
            "kind": kind,
            "level": _level(kind, cls, identifier, control_depth),
            "title": title,
            "description": description,
            "examples": examples,
            "withdrawn": withdrawn,
            "sort_key": sort_key[:SORT_KEY_MAX],
            "properties": _properties(item_id, cls, label, identifier, props, item, path),
            "path": path,
            "children": [],
        }
        if parent is not None:
            parent["children"].append(row)
        self.rows.append(row)
        for key, child_kind in (("groups", "group"), ("controls", "control")):
            children = _list(item.get(key), f"{path}.{key}")
            if key == "groups" and kind == "control" and children:
                raise OscalError(f"{path}.groups", "a control cannot hold groups.")
            for index, child in enumerate(children):
                self.item(
                    child,
                    f"{path}.{key}[{index}]",
                    child_kind,
                    row,
                    row["sort_key"],
                    len(row["children"]) + 1,
                    control_depth + 1 if kind == "control" else 0,
                )

    def texts(self, parts: list[Any], path: str) -> tuple[str, str]:
        """The description (statement, else overview or objective) and the examples."""
        found: dict[str, list[str]] = {"statement": [], "overview": [], "objective": []}
        examples: list[str] = []
        for index, raw in enumerate(parts):
            where = f"{path}.parts[{index}]"
            part = _mapping(raw, where)
            name = _text(part.get("name"), f"{where}.name").strip().lower()
            cls = _text(part.get("class"), f"{where}.class").strip().lower()
            if name in ("example", "examples") or cls in ("example", "examples"):
                examples.extend(self.lines(part, where, 0))
            elif name in found:
                found[name].extend(self.lines(part, where, 0))
        description = found["statement"] or found["overview"] or found["objective"]
        return "\n".join(description), "\n".join(examples)

    def lines(self, part: Mapping[str, Any], path: str, depth: int) -> list[str]:
        """A part and its items as indented lines: "a. Develop …", "  1. Policy …"."""
        if depth > MAX_DEPTH:
            raise OscalError(path, f"parts are nested more than {MAX_DEPTH} deep.")
        props = _props(part.get("props"), f"{path}.props")
        label = _label(props)
        prose = self.render(_clean(_text(part.get("prose"), f"{path}.prose")))
        own = " ".join(x for x in (label, prose) if x)
        result = [("  " * depth) + own] if own else []
        inner = depth + 1 if own else depth
        for index, raw in enumerate(_list(part.get("parts"), f"{path}.parts")):
            where = f"{path}.parts[{index}]"
            result.extend(self.lines(_mapping(raw, where), where, inner))
        return result

    def render(self, text: str, seen: frozenset[str] = frozenset()) -> str:
        """Replace each `{{ insert: param, id }}` with the parameter in readable form."""
        if "{{" not in text:
            return text
        return INSERT.sub(lambda m: self.param_text(m.group(1), seen), text)

    def param_text(self, param_id: str, seen: frozenset[str]) -> str:
        """A parameter as people read it in SP 800-53: its set value, else
        "[Selection (one or more): a; b]" or "[Assignment: organization-defined …]"."""
        param = self.params.get(param_id)
        if param is None or param_id in seen:
            return f"[Assignment: {param_id}]"
        seen = seen | {param_id}
        values = [v for v in param.get("values") or [] if isinstance(v, str) and v.strip()]
        if values:
            return ", ".join(self.render(_clean(v), seen) for v in values)
        select = param.get("select")
        if isinstance(select, Mapping):
            choices = [
                self.render(_clean(c), seen)
                for c in select.get("choice") or []
                if isinstance(c, str)
            ]
            how = select.get("how-many")
            heading = "Selection (one or more)" if how == "one-or-more" else "Selection"
            return f"[{heading}: {'; '.join(choices)}]"
        label = param.get("label")
        if isinstance(label, str) and label.strip():
            return f"[Assignment: {_clean(label)}]"
        return f"[Assignment: {param_id}]"

    def finish(self) -> list[Node]:
        # Links point at OSCAL ids (“gv.rr-02”); people cite identifiers (“GV.RR-02”).
        cited = {r["properties"].get("oscal_id"): r["identifier"] for r in self.rows}
        nodes = []
        for row in self.rows:
            if "replaced_by" in row["properties"]:
                row["properties"]["replaced_by"] = [
                    cited.get(href, href) for href in row["properties"]["replaced_by"]
                ]
            title = row["title"]
            if not title or title in (row["identifier"], row["properties"].get("label")):
                # CSF 2.0 titles a subcategory with its own code; its statement says more.
                first = row["description"].split("\n", 1)[0].strip()
                title = first or title
            if len(title) > TITLE_MAX:
                title = title[: TITLE_MAX - 1].rstrip() + "…"
            nodes.append(
                Node(
                    identifier=row["identifier"],
                    parent=row["parent"],
                    level=row["level"],
                    title=title,
                    description=row["description"],
                    examples=row["examples"],
                    assessable=_assessable(row),
                    withdrawn=row["withdrawn"],
                    sort_key=row["sort_key"],
                    properties=row["properties"],
                    path=row["path"],
                )
            )
        return nodes


def _assessable(row: Mapping[str, Any]) -> bool:
    """A control is scored when it is a leaf, or when what it holds are enhancements: an
    enhancement adds to its base control instead of dividing it (SP 800-53's AC-2 is
    scored, and so is AC-2(1)); a CSF category is not, its subcategories are."""
    if row["kind"] != "control" or row["withdrawn"]:
        return False
    children = [c for c in row["children"] if c["kind"] == "control"]
    return all(c["level"] == "enhancement" for c in children)


def _level(kind: str, cls: str, identifier: str, control_depth: int) -> str:
    name = cls.lower()
    if name in KNOWN_LEVELS:
        return name
    if "enhancement" in name:
        return "enhancement"
    if not name:
        for pattern, level in CSF_LEVELS:
            if pattern.match(identifier):
                return level
    if kind == "group":
        return "group"
    return "control" if control_depth == 0 else "enhancement"


def _identifier(item_id: str, label: str) -> str:
    """The label people cite (“AC-2(1)”, “GV.OC-01”), else the id. A label that reads
    “Organizational Context (GV.OC)” gives the code in parentheses."""
    if label:
        if not any(ch.isspace() for ch in label):
            return label
        match = LABEL_WITH_CODE.match(label)
        if match:
            return match.group(1)
    return item_id


def _label(props: list[tuple[str, str, str]]) -> str:
    """The plain `label` prop; a classed one (SP 800-53's zero-padded “AC-01”) only when
    there is no plain one."""
    labels = [(cls, value) for name, value, cls in props if name == "label" and value]
    for cls, value in labels:
        if not cls:
            return value
    return labels[0][1] if labels else ""


def _properties(
    item_id: str,
    cls: str,
    label: str,
    identifier: str,
    props: list[tuple[str, str, str]],
    item: Mapping[str, Any],
    path: str,
) -> dict[str, Any]:
    """What else the catalog says about the item, kept small: its OSCAL id and class, a
    label that differs from the identifier, other props, where a withdrawn item went."""
    result: dict[str, Any] = {}
    if item_id:
        result["oscal_id"] = item_id
    if cls:
        result["class"] = cls
    if label and label != identifier:
        result["label"] = label
    extra: dict[str, list[str]] = {}
    for name, value, _cls in props:
        if name not in CONSUMED_PROPS and value:
            extra.setdefault(name, []).append(value)
    if extra:
        result["props"] = extra
    successors = []
    for index, link in enumerate(_list(item.get("links"), f"{path}.links")):
        link = _mapping(link, f"{path}.links[{index}]")
        rel = _text(link.get("rel"), f"{path}.links[{index}].rel")
        href = _text(link.get("href"), f"{path}.links[{index}].href")
        if rel in SUCCESSOR_LINKS and href:
            successors.append(href.lstrip("#"))
    if successors:
        result["replaced_by"] = successors
    return result


def _publisher(metadata: Mapping[str, Any]) -> str:
    """The name of the party responsible as publisher (or creator, or author), else of the
    only party named."""
    parties = {}
    for index, party in enumerate(_list(metadata.get("parties"), "catalog.metadata.parties")):
        party = _mapping(party, f"catalog.metadata.parties[{index}]")
        name = _text(party.get("name"), f"catalog.metadata.parties[{index}].name")
        if party.get("uuid") and name:
            parties[str(party["uuid"])] = _clean(name)
    responsible = _list(metadata.get("responsible-parties"), "catalog.metadata.responsible-parties")
    for role in ("publisher", "creator", "author"):
        for entry in responsible:
            if isinstance(entry, Mapping) and entry.get("role-id") == role:
                for uuid in entry.get("party-uuids") or []:
                    if str(uuid) in parties:
                        return parties[str(uuid)]
    return next(iter(parties.values())) if len(parties) == 1 else ""


def _release_from(version_id: str, framework_id: str) -> str:
    """“CSF_2_0_0” → “2.0”; “CPG_1_0_1” → “1.0.1”: a framework's version from the
    version-identifier prop, without a trailing “.0” patch number."""
    if not version_id:
        return ""
    text = version_id
    if framework_id and text.upper().startswith(framework_id.upper() + "_"):
        text = text[len(framework_id) + 1 :]
    text = text.replace("_", ".")
    if re.fullmatch(r"\d+\.\d+\.0", text):
        text = text[:-2]
    return text


# --- small checks that name the place in the file -------------------------------------------


def _mapping(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise OscalError(path, f"expected an object, found {_kind(value)}.")
    return value


def _list(value: Any, path: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise OscalError(path, f"expected a list, found {_kind(value)}.")
    return value


def _text(value: Any, path: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise OscalError(path, f"expected text, found {_kind(value)}.")
    return str(value)


def _props(value: Any, path: str) -> list[tuple[str, str, str]]:
    """(name, value, class) of each prop."""
    result = []
    for index, prop in enumerate(_list(value, path)):
        where = f"{path}[{index}]"
        prop = _mapping(prop, where)
        name = _text(prop.get("name"), f"{where}.name").strip()
        if not name:
            raise OscalError(where, "a prop needs a name.")
        result.append(
            (
                name,
                _text(prop.get("value"), f"{where}.value").strip(),
                _text(prop.get("class"), f"{where}.class").strip(),
            )
        )
    return result


def _first(props: list[tuple[str, str, str]], name: str) -> str:
    return next((value for n, value, _ in props if n == name and value), "")


def _clean(text: str) -> str:
    """Prose as one line of single spaces (the XML-born catalogs wrap their lines)."""
    return " ".join(text.split())


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    return "an object"


# --- which framework a catalog is -------------------------------------------------------------

KNOWN_TITLES = (
    (re.compile(r"cybersecurity framework", re.I), "csf"),
    (re.compile(r"800-53", re.I), "sp800-53"),
    (re.compile(r"800-171", re.I), "sp800-171"),
    (re.compile(r"performance goals", re.I), "cpg"),
)


def suggest_key(catalog: Catalog) -> str:
    """A short key for a catalog that does not state one: its framework identifier, a
    known publication named in its title, else the title's first words."""
    if catalog.framework_id:
        return _slug(catalog.framework_id)
    for pattern, key in KNOWN_TITLES:
        if pattern.search(catalog.title):
            return key
    return _slug(" ".join(catalog.title.split()[:6]))


def suggest_release(catalog: Catalog) -> str:
    return (catalog.framework_version or catalog.version or "1")[:40]


def suggest_name(catalog: Catalog, release: str) -> str:
    """The title without a trailing version (“… Framework 2.0” is stored as “… Framework”
    at version 2.0) and without the “Electronic Version of” NIST puts in front."""
    name = re.sub(r"^electronic version of\s+", "", catalog.title, flags=re.I)
    if release and name.endswith(" " + release):
        name = name[: -len(release) - 1]
    return name.strip()[:200]


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60].strip("-")


# --- mapping files (our own format) ------------------------------------------------------------
#
# A mapping file says which requirements of one framework count toward requirements of
# another, so that a score given once counts for both:
#
#     {
#       "source": {"key": "cpg", "version": "1.0.1"},
#       "target": {"key": "csf", "version": "2.0"},
#       "relation": "subset",
#       "mappings": [
#         {"source": "1.A", "targets": ["ID.AM-01", "ID.AM-02"]},
#         {"source": "2.F", "targets": ["PR.IR-01"], "relation": "related"}
#       ]
#     }
#
# `relation` (default "related", per file or per line) is one of "equivalent" (the two say
# the same), "subset" (the source covers part of the target) or "related".


@dataclass(frozen=True)
class MappingLine:
    source: str
    target: str
    relation: str
    path: str


@dataclass(frozen=True)
class MappingFile:
    source_key: str
    source_release: str
    target_key: str
    target_release: str
    lines: list[MappingLine]


def parse_mappings(
    data: bytes | str | Mapping[str, Any], relations: Collection[str]
) -> MappingFile:
    """Read a mapping file; `relations` are the relation names the caller accepts."""
    document = _mapping(load_json(data) if isinstance(data, bytes | str) else data, "")
    ends = {}
    for end in ("source", "target"):
        spec = _mapping(document.get(end), end)
        key = _text(spec.get("key"), f"{end}.key").strip()
        release = _text(spec.get("version"), f"{end}.version").strip()
        if not key or not release:
            raise OscalError(end, "give the framework's key and version.")
        ends[end] = (key, release)
    if ends["source"] == ends["target"]:
        raise OscalError("target", "a framework cannot be mapped to itself.")
    default = _relation(document.get("relation", "related"), "relation", relations)
    lines: list[MappingLine] = []
    seen: set[tuple[str, str]] = set()
    for index, raw in enumerate(_list(document.get("mappings"), "mappings")):
        where = f"mappings[{index}]"
        entry = _mapping(raw, where)
        source = _text(entry.get("source"), f"{where}.source").strip()
        if not source:
            raise OscalError(f"{where}.source", "give the source requirement's identifier.")
        relation = (
            _relation(entry["relation"], f"{where}.relation", relations)
            if "relation" in entry
            else default
        )
        targets = _list(entry.get("targets"), f"{where}.targets")
        if not targets:
            raise OscalError(f"{where}.targets", "list at least one target requirement.")
        for t_index, raw_target in enumerate(targets):
            target = _text(raw_target, f"{where}.targets[{t_index}]").strip()
            if not target:
                raise OscalError(f"{where}.targets[{t_index}]", "an identifier cannot be empty.")
            if (source, target) in seen:
                continue
            seen.add((source, target))
            lines.append(MappingLine(source, target, relation, f"{where}.targets[{t_index}]"))
    if not lines:
        raise OscalError("mappings", "the file maps nothing.")
    return MappingFile(*ends["source"], *ends["target"], lines)


def _relation(value: Any, path: str, relations: Collection[str]) -> str:
    text = _text(value, path).strip()
    if text not in relations:
        raise OscalError(path, f"“{text}” is not one of {', '.join(sorted(relations))}.")
    return text
