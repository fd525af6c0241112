"""The continuity analysis as plain data (for JSON, the text report and the page) and as
text. The JSON shape is documented in the `continuity` command's help and is kept stable.

`as_data` gives everything at once; a page that shows a slice (the analysis page of a
large county) builds only the entries it shows with `service_order`, `service_entry` and
the `*_entry` functions, which give the same entries `as_data` lists.
"""

from typing import Any

from django.urls import reverse
from django.utils.html import format_html

from townhall.continuity import analysis, exercise_rules
from townhall.continuity.graph_input import KINDS, EstateAnalysis

FORMAT_VERSION = 1
_MARK = 987654321


def _hours(value: float | None) -> float | int | None:
    """Rounded to 2 decimals; whole hours as integers, so pages and JSON read "4", not "4.0"."""
    if value is None:
        return None
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def hours_text(value: float | None, at_least: bool = False) -> str:
    """4.0 -> "4 h", 2.5 -> "2.5 h", 1234567 -> "1,234,567 h"; "at least" when only a lower
    bound is known."""
    text = exercise_rules.hours_text(value)
    return f"at least {text}" if at_least and value is not None else text


class _Refs:
    """Item references {kind, id, name[, url]}; addresses built without a reverse() per row."""

    def __init__(self, estate: EstateAnalysis, urls: bool) -> None:
        self.estate = estate
        self.patterns = (
            {k: reverse(f"estate:{k}_detail", args=[_MARK]) for k in KINDS} if urls else None
        )

    def __call__(self, key: analysis.Key) -> dict[str, Any]:
        ref = {"kind": key[0], "id": key[1], "name": self.estate.name(key)}
        if self.patterns is not None:
            ref["url"] = self.patterns[key[0]].replace(str(_MARK), str(key[1]))
        return ref

    def chain(self, keys: tuple[analysis.Key, ...]) -> list[dict[str, Any]]:
        return [self(k) for k in keys]


def refs(estate: EstateAnalysis, *, urls: bool = True) -> _Refs:
    """A maker of item references for `estate` (with page addresses when `urls`)."""
    return _Refs(estate, urls)


def service_order(estate: EstateAnalysis) -> list[analysis.Key]:
    """Every service, slowest to recover first (then by name): the order of `services` in
    `as_data` and on the analysis page. No chains are worked out."""
    times = estate.result.times
    keys = [item.key for item in estate.result.graph.items if item.kind == "service"]
    keys.sort(key=lambda k: (-round(times.hours(k), 2), estate.name(k).lower(), k[1]))
    return keys


def service_entry(estate: EstateAnalysis, ref: _Refs, key: analysis.Key) -> dict[str, Any]:
    """One service's effective recovery time, targets and slowest chain."""
    item, times = estate.result.graph.item(key), estate.result.times
    return {
        **ref(key),
        "recovery_hours": _hours(times.hours(key)),
        "at_least": times.at_least(key),
        "rto_hours": _hours(item.rto_hours),
        "rpo_hours": _hours(item.rpo_target_hours),
        "mission_essential": item.mission_essential,
        "chain": ref.chain(times.chain(key)),
    }


def rto_gap_entry(ref: _Refs, g: analysis.RtoGap) -> dict[str, Any]:
    """One RTO gap as data (an entry of `rto_gaps`)."""
    return {
        **ref(g.key),
        "rto_hours": _hours(g.rto_hours),
        "recovery_hours": _hours(g.recovery_hours),
        "gap_hours": _hours(g.gap_hours),
        "at_least": g.at_least,
        "chain": ref.chain(g.chain),
    }


def inversion_entry(ref: _Refs, i: analysis.RtoInversion) -> dict[str, Any]:
    """One RTO inversion as data (an entry of `rto_inversions`)."""
    return {
        "dependant": ref(i.dependant),
        "dependant_rto_hours": _hours(i.dependant_rto_hours),
        "dependency": ref(i.dependency),
        "dependency_rto_hours": _hours(i.dependency_rto_hours),
        "excess_hours": _hours(i.excess_hours),
        "chain": ref.chain(i.chain),
    }


def rpo_gap_entry(ref: _Refs, g: analysis.RpoGap) -> dict[str, Any]:
    """One RPO gap as data (an entry of `rpo_gaps`)."""
    return {
        **ref(g.key),
        "rpo_target_hours": _hours(g.rpo_target_hours),
        "rpo_achievable_hours": _hours(g.rpo_achievable_hours),
        "gap_hours": _hours(g.gap_hours),
        "data_store": ref(g.data_store),
        "chain": ref.chain(g.chain),
    }


def single_point_entry(ref: _Refs, p: analysis.SinglePoint) -> dict[str, Any]:
    """One single point of failure as data (an entry of `single_points`)."""
    return {**ref(p.key), "count": p.count, "stops": ref.chain(p.stops)}


def as_data(estate: EstateAnalysis, *, urls: bool = False, tier_items: int | None = None) -> dict:
    """Every answer as JSON-ready data; `tier_items` caps the items listed per tier."""
    a = estate.result
    graph = a.graph
    ref = _Refs(estate, urls)
    services = [service_entry(estate, ref, key) for key in service_order(estate)]
    tiers = []
    for n, keys in enumerate(a.order.tiers):
        shown = keys if tier_items is None else keys[:tier_items]
        tiers.append({"tier": n, "count": len(keys), "items": [ref(k) for k in shown]})
    return {
        "format": FORMAT_VERSION,
        "counts": {
            "services": len(services),
            "items": len(graph),
            "dependencies": graph.edge_count,
            "hidden_dependencies": estate.hidden_edges,
        },
        "services": services,
        "rto_gaps": [rto_gap_entry(ref, g) for g in a.rto_gaps],
        "rto_unconfirmed": [ref(k) for k in a.rto_unconfirmed],
        "rto_inversions": [inversion_entry(ref, i) for i in a.rto_inversions],
        "rpo_gaps": [rpo_gap_entry(ref, g) for g in a.rpo_gaps],
        "tiers": tiers,
        "cycles": [
            {
                "members": ref.chain(c.members),
                "restore_hours": _hours(c.restore_hours),
                "at_least": c.at_least,
            }
            for c in a.order.cycles
        ],
        "single_points": [single_point_entry(ref, p) for p in a.single_points],
    }


def chain_html(refs: list[dict]) -> str:
    """A chain of references as links, the HTML `continuity/_chain.html` writes: the kept
    analysis stores it, so a page does not lay out thousands of links on every view."""
    return " → ".join(format_html('<a href="{}">{}</a>', r.get("url", ""), r["name"]) for r in refs)


def _chain(refs: list[dict]) -> str:
    return " → ".join(r["name"] for r in refs)


def as_text(data: dict) -> str:
    """The report a person reads at a terminal, from `as_data`."""
    out: list[str] = []
    counts = data["counts"]
    out.append(
        f"Continuity analysis: {counts['services']} services, {counts['items']} items, "
        f"{counts['dependencies']} dependencies"
    )
    out += ["", "Effective recovery time of each service (slowest first)"]
    if not data["services"]:
        out.append("  (no services)")
    for s in data["services"]:
        rto = f", RTO {hours_text(s['rto_hours'])}" if s["rto_hours"] is not None else ""
        out.append(f"  {s['name']}: {hours_text(s['recovery_hours'], s['at_least'])}{rto}")
    out += ["", f"Cannot meet their RTO ({len(data['rto_gaps'])})"]
    for g in data["rto_gaps"]:
        over = hours_text(g["gap_hours"], g["at_least"])
        out.append(
            f"  {g['name']}: RTO {hours_text(g['rto_hours'])}, recovers in "
            f"{hours_text(g['recovery_hours'], g['at_least'])} ({over} over): {_chain(g['chain'])}"
        )
    if data["rto_unconfirmed"]:
        out += [
            "",
            f"RTO met only if unknown restore times are short ({len(data['rto_unconfirmed'])})",
        ]
        out += [f"  {r['name']}" for r in data["rto_unconfirmed"]]
    out += ["", f"RTO inversions ({len(data['rto_inversions'])})"]
    for i in data["rto_inversions"]:
        out.append(
            f"  {i['dependency']['name']} (RTO {hours_text(i['dependency_rto_hours'])}) is "
            f"needed by {i['dependant']['name']} (RTO {hours_text(i['dependant_rto_hours'])}): "
            f"{_chain(i['chain'])}"
        )
    out += ["", f"RPO gaps ({len(data['rpo_gaps'])})"]
    for g in data["rpo_gaps"]:
        out.append(
            f"  {g['name']}: RPO {hours_text(g['rpo_target_hours'])}, but "
            f"{g['data_store']['name']} is backed up every "
            f"{hours_text(g['rpo_achievable_hours'])}: {_chain(g['chain'])}"
        )
    out += ["", f"Recovery order ({len(data['tiers'])} tiers)"]
    for t in data["tiers"]:
        out.append(f"  Tier {t['tier']}: {t['count']} items")
    out += ["", f"Cycles ({len(data['cycles'])})"]
    for c in data["cycles"]:
        out.append(f"  {', '.join(r['name'] for r in c['members'])}")
    out += ["", f"Single points of failure ({len(data['single_points'])})"]
    for p in data["single_points"]:
        noun = "item" if p["count"] == 1 else "items"
        out.append(f"  {p['name']} ({p['kind']}): stops {p['count']} mission-essential {noun}")
    return "\n".join(out) + "\n"
