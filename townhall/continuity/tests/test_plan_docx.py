"""The recovery plan as a Word document, opened back with python-docx: real headings, tables
for the sequence and contacts, a section per runbook, the version line in every header, and
characters Word cannot hold dropped."""

import datetime
import io

import docx
import pytest

from townhall.continuity import plan_content, plan_docx, plans
from townhall.continuity.tests import estate
from townhall.core import context, services
from townhall.estate import models as e

S = context.SYSTEM


def headings(document, level):
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def table_with(document, header):
    """The first table whose header row reads `header`."""
    for table in document.tables:
        if [c.text for c in table.rows[0].cells] == header:
            return table
    raise AssertionError(f"no table headed {header}")


def rows(table):
    return [[c.text for c in row.cells] for row in table.rows[1:]]


@pytest.fixture
def plan_and_content(departments, users):
    s = estate.build(departments)
    coordinator = services.create(
        S, e.Person, {"name": "Casey Coordinator", "phone": "555-0199", "title": "CIO"}
    )
    services.update(S, departments["FIN"], {"it_liaison": coordinator}, version=None)
    draft = plans.new_plan(users["staff"])
    draft = services.update(
        S,
        draft,
        {
            "coordinator": coordinator,
            "purpose": "Bring services back.\x0c\x07 Fast.",
            "changes": "First version\x1b.",
        },
        version=None,
    )
    return s, draft, plan_content.build_content(users["staff"], plan=draft)


def open_docx(body):
    return docx.Document(io.BytesIO(body))


@pytest.mark.django_db
def test_headings_follow_the_plan_structure(plan_and_content):
    _, draft, content = plan_and_content
    document = open_docx(plan_docx.docx_bytes(draft, content))
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == [draft.title]
    assert headings(document, 1) == [
        "Document control",
        "1. Purpose, scope and assumptions",
        "2. Roles and contacts",
        "3. Activation and notification",
        "4. Recovery sequence",
        "5. Reconstitution",
        "6. Known gaps",
        "Appendix: runbooks by service",
    ]
    second = headings(document, 2)
    for expected in (
        "Purpose",
        "Scope",
        "Planning assumptions",
        "Plan roles",
        "Department contacts",
        "System owners",
        "Vendor support",
        "Activation criteria",
        "Notification procedure",
        "Tier 0 (2 items)",
        "Tier 3 (2 items)",
        "Runbook: Dispatch",
        "Runbook: Payroll",
        "Runbook: Permits",
    ):
        assert expected in second, expected
    assert second.index("Runbook: Dispatch") < second.index("Runbook: Payroll")
    texts = [p.text for p in document.paragraphs]
    assert (
        "Bring services back. Fast." in texts
    )  # form feed and bell dropped (NUL is refused on input)
    assert "First version." in texts
    assert plans.DEFAULTS["activation"] in texts


@pytest.mark.django_db
def test_tables_hold_the_sequence_contacts_and_runbooks(plan_and_content):
    s, draft, content = plan_and_content
    document = open_docx(plan_docx.docx_bytes(draft, content))
    sequence = [
        t
        for t in document.tables
        if [c.text for c in t.rows[0].cells]
        == ["Item", "Kind", "Department", "Restore time", "Recovery site", "Procedure"]
    ]
    assert [[r[0] for r in rows(t)] for t in sequence] == [
        ["SAN"],
        ["Dispatch", "SQL cluster"],
        ["ERP", "Permit system"],
        ["Payroll", "Permits"],
    ]
    assert rows(sequence[0])[0] == ["SAN", "Component", "Finance", "12 h", "not recorded", "—"]
    departments = rows(table_with(document, ["Department", "Head", "IT liaison"]))
    assert departments == [
        ["Finance", "not assigned", "Casey Coordinator, CIO · 555-0199"],
        ["Public Works", "not assigned", "not assigned"],
    ]
    roles = rows(table_with(document, ["Role", "Who", "Alternate", "Responsibilities"]))
    assert [r[0] for r in roles] == [role for role, _ in plans.DEFAULT_ROLES]
    gaps = rows(table_with(document, ["Item", "RTO", "Recovers in", "Gap", "Slowest chain"]))
    assert gaps == [["Payroll", "8 h", "22 h", "14 h", "Payroll → ERP → SQL cluster → SAN"]]
    first = [
        t for t in document.tables if [c.text for c in t.rows[0].cells][:2] == ["Tier", "Item"]
    ]
    assert len(first) == 3  # one "restore first" table per runbook
    payroll = rows(first[1])
    assert [r[1] for r in payroll] == [
        "SAN (critical chain)",
        "SQL cluster (critical chain)",
        "ERP (critical chain)",
    ]
    facts = [t for t in document.tables if [c.text for c in t.rows[0].cells] == ["Fact", "Value"]]
    assert dict(rows(facts[1]))["Effective recovery time"] == "22 h"
    assert dict(rows(facts[1]))["Recovery time objective met?"] == (
        "Cannot meet its recovery time objective"
    )


@pytest.mark.django_db
def test_one_section_per_runbook_and_the_version_in_every_header(plan_and_content, users):
    _, draft, content = plan_and_content
    document = open_docx(plan_docx.docx_bytes(draft, content))
    assert len(document.sections) == 1 + len(content["runbooks"])
    for section in document.sections:
        assert section.header.paragraphs[0].text.startswith("DRAFT — version 1, not approved")
    assert document.core_properties.version == "1"
    assert document.core_properties.title == draft.title

    approved = plans.approve(
        users["staff"],
        draft,
        approver_name="Dana Reyes",
        approver_title="County Manager",
        approved_on=datetime.date(2026, 1, 5),
    )
    document = open_docx(plan_docx.docx_bytes(approved, approved.content))
    line = "Version 1, approved by Dana Reyes, County Manager on January 5, 2026"
    for section in document.sections:
        assert section.header.paragraphs[0].text.startswith(line)
    assert "DRAFT" not in " ".join(p.text for p in document.paragraphs)
    assert document.core_properties.author == "Dana Reyes"


@pytest.mark.django_db
def test_names_link_to_their_records_when_the_site_is_known(plan_and_content):
    s, draft, content = plan_and_content
    body = plan_docx.docx_bytes(draft, content, site="https://townhall.example")
    document = open_docx(body)
    targets = {
        rel.target_ref for rel in document.part.rels.values() if rel.reltype.endswith("hyperlink")
    }
    assert f"https://townhall.example/estate/components/{s['san'].pk}/" in targets
    assert f"https://townhall.example/estate/systems/{s['erp'].pk}/" in targets
    unlinked = open_docx(plan_docx.docx_bytes(draft, content))
    assert not [r for r in unlinked.part.rels.values() if r.reltype.endswith("hyperlink")]


def test_clean_drops_what_xml_cannot_hold():
    assert plan_docx.clean("a\x00b\x08c\x0bd\x1fe\tf\ng\rh\ufffei\ud800j") == "abcde\tf\ng\rhij"
    assert plan_docx.clean(None) == ""
    assert plan_docx.clean(42) == "42"


@pytest.mark.django_db
def test_an_empty_government_still_gets_a_document(users):
    draft = plans.new_plan(users["staff"])
    content = plan_content.build_content(users["staff"], plan=draft)
    document = open_docx(plan_docx.docx_bytes(draft, content))
    assert "4. Recovery sequence" in headings(document, 1)
    assert len(document.sections) == 1
