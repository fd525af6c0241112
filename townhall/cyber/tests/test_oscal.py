"""Reading OSCAL catalogs and mapping files, without a database: small catalogs shaped like
NIST's CSF 2.0 and SP 800-53 files, and files that must be refused with a clear reason."""

import json
from pathlib import Path

import pytest

from townhall.cyber import oscal

FILES = Path(__file__).parent / "files"
CATALOGS = Path(__file__).parents[1] / "catalogs"
RELATIONS = ("equivalent", "subset", "related")


def read(name: str) -> bytes:
    return (FILES / name).read_bytes()


def by_id(catalog: oscal.Catalog) -> dict[str, oscal.Node]:
    return {n.identifier: n for n in catalog.nodes}


# --- a CSF-shaped catalog ---------------------------------------------------------------------


def test_csf_shape_identifiers_levels_and_tree():
    catalog = oscal.parse(read("oscal_csf.json"))
    nodes = by_id(catalog)
    # “GOVERN (GV)” and “Organizational Context (GV.OC)” give the codes in parentheses.
    assert [n.identifier for n in catalog.nodes] == [
        "GV",
        "GV.OC",
        "GV.OC-01",
        "GV.OC-02",
        "GV.RM",
        "GV.RM-01",
        "ID",
        "ID.AM",
        "ID.AM-06",
        "ID.BE",
        "ID.BE-01",
    ]
    assert (nodes["GV"].level, nodes["GV.OC"].level, nodes["GV.OC-01"].level) == (
        "function",
        "category",
        "subcategory",
    )
    assert nodes["GV"].parent is None
    assert nodes["GV.OC"].parent == "GV"
    assert nodes["GV.OC-01"].parent == "GV.OC"
    assert nodes["GV"].properties["label"] == "GOVERN (GV)"


def test_csf_shape_texts():
    nodes = by_id(oscal.parse(read("oscal_csf.json")))
    # A subcategory titled with its own code takes its statement as title.
    assert nodes["GV.OC-01"].title == "Official statement one"
    assert nodes["GV.OC-01"].description == "Official statement one"
    assert nodes["GV.OC-01"].examples == "First official example\nSecond official example"
    assert nodes["GV.OC"].title == "Organizational Context"
    assert nodes["GV.OC"].description == "Official category statement"
    # A function's overview part describes it; wrapped prose becomes one line.
    assert nodes["GV"].description == "Official overview of the Govern function"
    assert nodes["GV.OC-01"].properties["props"] == {"marking": ["1st"]}


def test_csf_shape_scored_leaves_and_withdrawn():
    nodes = by_id(oscal.parse(read("oscal_csf.json")))
    scored = sorted(i for i, n in nodes.items() if n.assessable)
    assert scored == ["GV.OC-01", "GV.OC-02", "GV.RM-01"]
    assert nodes["ID.AM-06"].withdrawn and not nodes["ID.AM-06"].assessable
    # Where it went is kept, as the identifier people cite when the catalog has it.
    assert nodes["ID.AM-06"].properties["replaced_by"] == ["GV.OC-02", "gv.rr-02"]
    # Inside a withdrawn category, everything is withdrawn.
    assert nodes["ID.BE"].withdrawn and nodes["ID.BE-01"].withdrawn
    assert not nodes["ID.AM"].withdrawn
    # With no statement, the title stays the code.
    assert nodes["ID.BE-01"].title == "ID.BE-01"


def test_csf_shape_sort_keys_follow_sort_id_not_file_order():
    catalog = oscal.parse(read("oscal_csf.json"))
    nodes = by_id(catalog)
    assert nodes["GV.RM"].sort_key == "00001.00001"
    assert nodes["GV.OC"].sort_key == "00001.00002"
    assert nodes["GV.RM"].sort_key < nodes["GV.OC"].sort_key
    # Without a sort-id, the key follows the position under the parent.
    assert nodes["ID.AM"].sort_key == "00002.00001"
    assert nodes["ID.BE-01"].sort_key == "00002.00002.00001"


def test_csf_shape_metadata():
    catalog = oscal.parse(read("oscal_csf.json"))
    assert catalog.uuid == "00000000-0000-4000-8000-00000000c5f2"
    assert catalog.version == "1.0.0"
    assert catalog.publisher == "Test Standards Office"
    assert (catalog.framework_id, catalog.framework_version) == ("CSF", "2.0")
    assert oscal.suggest_key(catalog) == "csf"
    assert oscal.suggest_release(catalog) == "2.0"
    assert oscal.suggest_name(catalog, "2.0") == "NIST Cybersecurity Framework"
    assert catalog.counts() == {"function": 2, "category": 3, "subcategory": 3}


# --- an SP 800-53-shaped catalog ----------------------------------------------------------------


def test_800_53_families_controls_and_enhancements():
    catalog = oscal.parse(read("oscal_80053.json"))
    nodes = by_id(catalog)
    assert [n.identifier for n in catalog.nodes] == [
        "AC",
        "AC-1",
        "AC-2",
        "AC-2(1)",
        "AC-2(10)",
        "AT",
        "AT-2",
    ]
    assert nodes["AC"].level == "family"
    assert nodes["AC-1"].level == "control"  # class “SP800-53” says nothing about the level
    assert nodes["AC-2(1)"].level == "enhancement"
    assert nodes["AC-2(1)"].parent == "AC-2"
    assert nodes["AC-1"].sort_key == "ac-01"
    # The plain label wins over the zero-padded one.
    assert "label" not in nodes["AC-1"].properties
    # A base control is scored alongside its enhancements; a withdrawn one is not.
    assert nodes["AC-2"].assessable and nodes["AC-2(1)"].assessable
    assert nodes["AC-2(10)"].withdrawn and not nodes["AC-2(10)"].assessable
    assert nodes["AC-2(10)"].properties["replaced_by"] == ["ac-2_smt.k"]
    assert not nodes["AC"].assessable


def test_800_53_parameters_rendered_readably():
    nodes = by_id(oscal.parse(read("oscal_80053.json")))
    assert nodes["AC-1"].description == (
        "a. Develop and disseminate to [Assignment: organization-defined personnel or roles]:\n"
        "  1. [Selection (one or more): Organization-level; System-level] access control "
        "policy; and\n"
        # A set value is shown as the value; an unknown parameter by its id.
        "b. Review the policy every year and after [Assignment: ac-1_prm_9]."
    )
    # Choices may insert other parameters; a parameter inserting itself stops there.
    assert nodes["AC-2"].description == (
        "Disable accounts after [Selection: [Assignment: organization-defined time period]; "
        "never]; loop [Selection: [Assignment: ac-2_prm_3]]."
    )
    # Guidance (discussion) is not the description; example parts are examples.
    assert "Discussion" not in nodes["AC-1"].description
    assert nodes["AT-2"].examples == "Phishing exercises\n  once a quarter"


def test_800_53_metadata():
    catalog = oscal.parse(read("oscal_80053.json"))
    assert catalog.publisher == "Joint Task Force"
    assert catalog.framework_id == ""
    assert oscal.suggest_key(catalog) == "sp800-53"
    assert oscal.suggest_release(catalog) == "5.1.1"
    assert catalog.counts() == {"family": 2, "control": 3, "enhancement": 1}


# --- refusing bad files ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("oscal_bad_json.json", "the file is not valid JSON: Expecting value (line 1, column 58)."),
        ("oscal_no_catalog.json", "there is no “catalog” at the top of the file."),
        ("oscal_no_id.json", "catalog.groups[1].controls[1]: a control needs an id."),
    ],
)
def test_bad_files_name_the_place_and_reason(name, message):
    with pytest.raises(oscal.OscalError) as caught:
        oscal.parse(read(name))
    assert str(caught.value) == message


def test_a_profile_is_not_a_catalog():
    with pytest.raises(oscal.OscalError, match="this is an OSCAL profile, not a catalog"):
        oscal.parse(read("oscal_profile.json"))


@pytest.mark.parametrize(
    ("document", "path", "reason"),
    [
        ([1, 2], "", "not an OSCAL document"),
        ({"catalog": []}, "catalog", "expected an object, found a list"),
        ({"catalog": {"metadata": {"title": "T"}}}, "catalog", "no groups or controls"),
        ({"catalog": {"groups": {"id": "g"}}}, "catalog.groups", "expected a list"),
        ({"catalog": {"groups": [{"title": "No id"}]}}, "catalog.groups[0]", "id or a label"),
        (
            {"catalog": {"controls": [{"id": "c", "props": [{"value": "x"}]}]}},
            "catalog.controls[0].props[0]",
            "a prop needs a name",
        ),
        (
            {"catalog": {"controls": [{"id": "c", "title": ["a"]}]}},
            "catalog.controls[0].title",
            "expected text, found a list",
        ),
        (
            {
                "catalog": {
                    "controls": [
                        {"id": "c"},
                        {"id": "d", "props": [{"name": "label", "value": "c"}]},
                    ]
                }
            },
            "catalog.controls[1]",
            "“c” is used twice (also at catalog.controls[0])",
        ),
        ({"catalog": {"controls": [{"id": "x" * 61}]}}, "catalog.controls[0]", "longer than 60"),
        (
            {"catalog": {"controls": [{"id": "c", "groups": [{"id": "g"}]}]}},
            "catalog.controls[0].groups",
            "a control cannot hold groups",
        ),
    ],
)
def test_malformed_catalogs(document, path, reason):
    with pytest.raises(oscal.OscalError) as caught:
        oscal.parse(document)
    assert caught.value.path == path
    assert reason in caught.value.reason


def test_not_utf8_and_too_deep():
    with pytest.raises(oscal.OscalError, match="not UTF-8"):
        oscal.parse(b'{"catalog": "\xff"}')
    deep: dict = {"id": "c0"}
    for n in range(1, 60):
        deep = {"id": f"c{n}", "controls": [deep]}
    with pytest.raises(oscal.OscalError, match="nested more than 40 deep"):
        oscal.parse({"catalog": {"controls": [deep]}})


def test_unknown_keys_are_tolerated_and_bom_accepted():
    text = json.dumps(
        {
            "catalog": {
                "uuid": "u",
                "future-field": {"x": 1},
                "metadata": {"title": "T", "version": "1", "something": [1]},
                "controls": [{"id": "c-1", "title": "One", "new-thing": True}],
            }
        }
    )
    catalog = oscal.parse(("\ufeff" + text).encode())
    assert [(n.identifier, n.level, n.assessable) for n in catalog.nodes] == [
        ("c-1", "control", True)
    ]


def test_long_titles_are_shortened():
    catalog = oscal.parse({"catalog": {"controls": [{"id": "c", "title": "word " * 100}]}})
    assert len(catalog.nodes[0].title) == 300
    assert catalog.nodes[0].title.endswith("…")


# --- the built-in catalogs ---------------------------------------------------------------------


def test_builtin_csf_has_every_function_category_and_subcategory():
    catalog = oscal.parse((CATALOGS / "csf-2.0.json").read_bytes())
    assert catalog.counts() == {"function": 6, "category": 22, "subcategory": 106}
    assert sum(n.assessable for n in catalog.nodes) == 106
    nodes = by_id(catalog)
    assert [n.identifier for n in catalog.nodes if n.level == "function"] == [
        "GV",
        "ID",
        "PR",
        "DE",
        "RS",
        "RC",
    ]
    assert nodes["GV.OC"].title == "Organizational Context"
    assert nodes["PR.AA"].title == "Identity Management, Authentication, and Access Control"
    assert nodes["GV.OC-01"].parent == "GV.OC"
    # CSF 2.0 dropped ID.AM-06; it is not among the built-in subcategories.
    assert "ID.AM-06" not in nodes
    for node in catalog.nodes:
        assert node.title and node.description.endswith("."), node.identifier
    assert (catalog.framework_id, oscal.suggest_release(catalog)) == ("CSF", "2.0")


def test_builtin_cpgs_are_the_38_goals_in_five_groups():
    catalog = oscal.parse((CATALOGS / "cisa-cpg.json").read_bytes())
    assert catalog.counts() == {"group": 5, "goal": 38}
    nodes = by_id(catalog)
    assert [n.identifier for n in catalog.nodes if n.level == "group"] == ["1", "2", "3", "4", "5"]
    assert nodes["1.A"].title == "Asset Inventory"
    assert nodes["2.X"].parent == "2"
    assert nodes["5.A"].title == "Incident Planning and Preparedness"
    assert (oscal.suggest_key(catalog), oscal.suggest_release(catalog)) == ("cpg", "1.0.1")


def test_builtin_mapping_names_only_goals_and_subcategories_that_exist():
    spec = oscal.parse_mappings((CATALOGS / "cpg-to-csf.json").read_bytes(), RELATIONS)
    goals = {n.identifier for n in oscal.parse((CATALOGS / "cisa-cpg.json").read_bytes()).nodes}
    csf = oscal.parse((CATALOGS / "csf-2.0.json").read_bytes()).nodes
    subcategories = {n.identifier for n in csf if n.level == "subcategory"}
    assert {line.source for line in spec.lines} == goals - {"1", "2", "3", "4", "5"}
    assert {line.target for line in spec.lines} <= subcategories
    assert {line.relation for line in spec.lines} == {"subset"}


# --- mapping files -----------------------------------------------------------------------------


def mapping(**changes):
    document = {
        "source": {"key": "cpg", "version": "1.0.1"},
        "target": {"key": "csf", "version": "2.0"},
        "mappings": [
            {"source": "1.A", "targets": ["ID.AM-01", "ID.AM-02", "ID.AM-01"]},
            {"source": "2.F", "targets": ["PR.IR-01"], "relation": "equivalent"},
        ],
    }
    document.update(changes)
    return document


def test_mapping_file_lines_with_default_and_own_relations():
    spec = oscal.parse_mappings(mapping(), RELATIONS)
    assert (spec.source_key, spec.source_release, spec.target_key, spec.target_release) == (
        "cpg",
        "1.0.1",
        "csf",
        "2.0",
    )
    # The repeated pair is read once.
    assert [(x.source, x.target, x.relation) for x in spec.lines] == [
        ("1.A", "ID.AM-01", "related"),
        ("1.A", "ID.AM-02", "related"),
        ("2.F", "PR.IR-01", "equivalent"),
    ]
    assert spec.lines[2].path == "mappings[1].targets[0]"


@pytest.mark.parametrize(
    ("changes", "path", "reason"),
    [
        ({"source": {"key": "cpg"}}, "source", "key and version"),
        ({"target": {"key": "cpg", "version": "1.0.1"}}, "target", "mapped to itself"),
        ({"relation": "same"}, "relation", "“same” is not one of equivalent, related, subset"),
        ({"mappings": []}, "mappings", "maps nothing"),
        ({"mappings": [{"source": "1.A", "targets": []}]}, "mappings[0].targets", "at least one"),
        ({"mappings": [{"targets": ["X"]}]}, "mappings[0].source", "source requirement"),
        (
            {"mappings": [{"source": "1.A", "targets": ["X", ""]}]},
            "mappings[0].targets[1]",
            "cannot be empty",
        ),
    ],
)
def test_bad_mapping_files(changes, path, reason):
    with pytest.raises(oscal.OscalError) as caught:
        oscal.parse_mappings(mapping(**changes), RELATIONS)
    assert caught.value.path == path
    assert reason in caught.value.reason
