"""Frameworks as data: the built-in frameworks, importing OSCAL catalogs over what is stored
(scores survive, missing requirements are withdrawn, bad files change nothing), mappings
between frameworks, the command line and the pages."""

import copy
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from townhall.audit.models import AuditEntry
from townhall.core import context
from townhall.cyber import frameworks, oscal
from townhall.cyber.management.commands.frameworks import Command
from townhall.cyber.models import Framework, Requirement, RequirementMapping, Score
from townhall.cyber.tests import factories as f
from townhall.jobs.models import Job

FILES = Path(__file__).parent / "files"
CATALOGS = Path(__file__).parents[1] / "catalogs"
SYSTEM = context.SYSTEM


def counts(framework: Framework) -> dict[str, int]:
    result: dict[str, int] = {}
    for level in Requirement.objects.filter(framework=framework, withdrawn=False).values_list(
        "level", flat=True
    ):
        result[level] = result.get(level, 0) + 1
    return result


def req(framework: Framework, identifier: str) -> Requirement:
    return Requirement.objects.get(framework=framework, identifier=identifier)


def everything() -> tuple[int, int, int, int]:
    return (
        Framework.objects.count(),
        Requirement.objects.count(),
        RequirementMapping.objects.count(),
        AuditEntry.objects.count(),
    )


MAPPING = json.loads((CATALOGS / "cpg-to-csf.json").read_text(encoding="utf-8"))


def builtin_mapping_pairs() -> int:
    return sum(len(set(line["targets"])) for line in MAPPING["mappings"])


def tiny(*controls: tuple[str, str], title: str = "Tiny Test Catalog") -> dict:
    """A one-group catalog with the given (label, statement) controls."""
    return {
        "catalog": {
            "uuid": "00000000-0000-4000-8000-0000000000f1",
            "metadata": {"title": title, "version": "3"},
            "groups": [
                {
                    "id": "a",
                    "title": "Area A",
                    "props": [{"name": "label", "value": "A"}],
                    "controls": [
                        {
                            "id": label.lower(),
                            "title": f"Control {label}",
                            "props": [{"name": "label", "value": label}],
                            "parts": [{"id": f"{label}_smt", "name": "statement", "prose": text}],
                        }
                        for label, text in controls
                    ],
                }
            ],
        }
    }


def official_csf() -> dict:
    """The built-in CSF turned into an official-looking catalog: subcategories titled with
    their code, statements in “official” words, plus a withdrawn subcategory."""
    data = json.loads((CATALOGS / "csf-2.0.json").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    catalog = data["catalog"]
    catalog["uuid"] = "00000000-0000-4000-8000-0000000000c5"
    catalog["metadata"]["title"] = "Electronic Version of NIST Cybersecurity Framework 2.0"
    del catalog["metadata"]["remarks"]
    for group in catalog["groups"]:
        group["title"] = group["title"].upper()
        for category in group["controls"]:
            for sub in category["controls"]:
                label = sub["props"][0]["value"]
                sub["title"] = label
                sub["parts"] = [
                    {"id": f"{label}_smt", "name": "statement", "prose": f"Official {label}"},
                    {"id": f"{label}.1", "name": "guidance", "class": "example", "prose": "Ex."},
                ]
            if category["props"][0]["value"] == "ID.AM":
                category["controls"].insert(
                    5,
                    {
                        "id": "id.am-06",
                        "class": "subcategory",
                        "title": "ID.AM-06",
                        "props": [
                            {"name": "label", "value": "ID.AM-06"},
                            {"name": "status", "value": "withdrawn"},
                        ],
                        "links": [{"href": "#gv.rr-02", "rel": "incorporated_into"}],
                    },
                )
    return data


@pytest.fixture
def builtin(db):
    csf, cpg = frameworks.load_builtin(SYSTEM)
    return {"csf": csf, "cpg": cpg}


# --- the built-in frameworks -------------------------------------------------------------------


def test_builtin_frameworks_load_with_exact_counts(builtin):
    csf, cpg = builtin["csf"], builtin["cpg"]
    assert (csf.key, csf.release, csf.name) == ("csf", "2.0", "NIST Cybersecurity Framework")
    assert csf.publisher == "National Institute of Standards and Technology"
    assert not csf.official_text and csf.last_imported is not None
    assert counts(csf) == {"function": 6, "category": 22, "subcategory": 106}
    assert Requirement.objects.filter(framework=csf, assessable=True).count() == 106
    assert req(csf, "GV.OC-01").parent == req(csf, "GV.OC")
    assert req(csf, "GV.OC").parent == req(csf, "GV")
    assert req(csf, "GV").parent is None
    assert (cpg.key, cpg.release) == ("cpg", "1.0.1")
    assert counts(cpg) == {"group": 5, "goal": 38}
    assert req(cpg, "2.H").title == "Phishing-Resistant Multifactor Authentication (MFA)"
    assert RequirementMapping.objects.count() == builtin_mapping_pairs()
    # Every change went through the write path: one history entry per record.
    assert AuditEntry.objects.count() == 2 + 134 + 43 + builtin_mapping_pairs()


def test_builtin_frameworks_load_again_without_writing(builtin, django_assert_max_num_queries):
    before = everything()
    versions = dict(Requirement.objects.values_list("pk", "version"))
    with django_assert_max_num_queries(20):  # existing rows read once per table
        catalogs, mappings = frameworks.load_builtin_reports(SYSTEM)
    assert everything() == before
    assert dict(Requirement.objects.values_list("pk", "version")) == versions
    assert [(r.created, r.updated, r.unchanged, r.withdrawn) for r in catalogs] == [
        (0, 0, 134, 0),
        (0, 0, 43, 0),
    ]
    assert (mappings[0].created, mappings[0].unchanged) == (0, builtin_mapping_pairs())


def test_one_answer_counts_toward_several(builtin):
    csf, cpg = builtin["csf"], builtin["cpg"]
    goal = frameworks.mapped_requirements(req(cpg, "1.A"))
    assert [r.identifier for r in goal] == ["ID.AM-01", "ID.AM-02", "ID.AM-04", "DE.CM-01"]
    assert {r.relation for r in goal} == {"Covers part of"}
    # Read from the other side, in the other direction.
    inventory = frameworks.mapped_requirements(req(csf, "ID.AM-01"))
    assert [(r.identifier, r.relation) for r in inventory] == [("1.A", "Covered in part by")]
    access = frameworks.mapped_requirements(req(csf, "PR.AA-01"))
    assert [r.identifier for r in access] == ["2.A", "2.B", "2.C", "2.D"]
    assert frameworks.mapped_requirements(req(csf, "GV.OC-01")) == []


def test_tree_nests_and_costs_two_queries(builtin, django_assert_num_queries):
    with django_assert_num_queries(2):
        roots = frameworks.tree(builtin["csf"])
    assert [n.requirement.identifier for n in roots] == ["GV", "ID", "PR", "DE", "RS", "RC"]
    govern = roots[0]
    assert [c.requirement.identifier for c in govern.children] == [
        "GV.OC",
        "GV.RM",
        "GV.RR",
        "GV.PO",
        "GV.OV",
        "GV.SC",
    ]
    assert [c.depth for c in govern.children[0].children] == [2] * 5
    assert sum(n.subtree_size for n in roots) == 134
    assets = roots[1].children[0].children[0]
    assert assets.requirement.identifier == "ID.AM-01"
    assert [m.identifier for m in assets.mapped] == ["1.A"]


# --- importing over what is stored ------------------------------------------------------------


def test_official_catalog_replaces_our_words_and_keeps_scores(builtin):
    csf = builtin["csf"]
    assessment = f.assessment(csf)
    score = f.create(Score, assessment=assessment, requirement=req(csf, "GV.OC-01"), level=4)
    report = frameworks.import_catalog(SYSTEM, official_csf())
    assert report.framework.pk == csf.pk and not report.new_framework
    # Functions and subcategories have new texts; our categories were left as they were.
    assert (report.created, report.updated, report.unchanged, report.withdrawn) == (1, 112, 22, 1)
    csf.refresh_from_db()
    assert csf.official_text
    assert csf.name == "NIST Cybersecurity Framework"  # kept, not the file's long title
    assert csf.description == ""  # our note about summaries no longer holds
    gv_oc_01 = req(csf, "GV.OC-01")
    assert (gv_oc_01.title, gv_oc_01.description, gv_oc_01.examples) == (
        "Official GV.OC-01",
        "Official GV.OC-01",
        "Ex.",
    )
    assert req(csf, "GV").title == "GOVERN"
    score.refresh_from_db()
    assert score.requirement_id == gv_oc_01.pk and score.level == 4
    withdrawn = req(csf, "ID.AM-06")
    assert withdrawn.withdrawn and not withdrawn.assessable
    assert withdrawn.properties["replaced_by"] == ["GV.RR-02"]
    assert counts(csf) == {"function": 6, "category": 22, "subcategory": 106}
    # Loading the built-ins again leaves the official text alone.
    catalogs, _ = frameworks.load_builtin_reports(SYSTEM)
    assert catalogs[0].skipped
    assert req(csf, "GV.OC-01").title == "Official GV.OC-01"


def test_requirement_missing_from_new_file_is_withdrawn_not_deleted(db):
    first = frameworks.import_catalog(SYSTEM, tiny(("A-1", "One."), ("A-2", "Two.")))
    fw = first.framework
    assert (fw.key, fw.release, fw.name) == ("tiny-test-catalog", "3", "Tiny Test Catalog")
    score = f.create(Score, assessment=f.assessment(fw), requirement=req(fw, "A-2"), level=6)
    second = frameworks.import_catalog(SYSTEM, tiny(("A-1", "One, reworded.")))
    assert second.framework.pk == fw.pk
    assert (second.updated, second.unchanged, second.withdrawn) == (1, 1, 1)
    assert second.missing == ["A-2"]
    gone = req(fw, "A-2")
    assert gone.withdrawn and not gone.assessable
    assert Score.objects.get(pk=score.pk).requirement_id == gone.pk
    assert req(fw, "A-1").description == "One, reworded."
    # Back in a later file: in force again.
    third = frameworks.import_catalog(SYSTEM, tiny(("A-1", "One, reworded."), ("A-2", "Two.")))
    assert (third.updated, third.withdrawn, third.missing) == (1, 0, [])
    back = req(fw, "A-2")
    assert not back.withdrawn and back.assessable


def test_same_file_again_changes_nothing(db):
    path = FILES / "oscal_80053.json"
    first = frameworks.import_catalog(SYSTEM, path)
    assert (first.framework.key, first.framework.release) == ("sp800-53", "5.1.1")
    assert first.created == 7 and first.withdrawn == 1
    assert req(first.framework, "AC-1").source == "OSCAL catalog oscal_80053.json"
    before = everything()
    second = frameworks.import_catalog(SYSTEM, path)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 7)
    assert everything() == before


def test_a_catalog_without_identity_is_found_again_by_its_uuid(db):
    fw = frameworks.import_catalog(SYSTEM, tiny(("A-1", "One."))).framework
    renamed = frameworks.import_catalog(SYSTEM, tiny(("A-1", "One."), title="Tiny, renamed"))
    assert renamed.framework.pk == fw.pk and renamed.created == 0
    # Naming a key and version makes another framework version.
    other = frameworks.import_catalog(
        SYSTEM, tiny(("A-1", "One.")), key="tiny", release="4", name="Tiny four"
    )
    assert (other.framework.key, other.framework.release, other.framework.name) == (
        "tiny",
        "4",
        "Tiny four",
    )
    assert Framework.objects.count() == 2


def test_our_own_file_uploaded_is_not_official(db):
    report = frameworks.import_catalog(SYSTEM, (CATALOGS / "cisa-cpg.json").read_bytes())
    assert not report.framework.official_text


@pytest.mark.parametrize(
    ("data", "options", "message"),
    [
        (FILES / "oscal_no_id.json", {}, "catalog.groups[1].controls[1]: a control needs an id."),
        (FILES / "oscal_bad_json.json", {}, "not valid JSON"),
        (FILES / "nowhere.json", {}, "cannot read nowhere.json"),
        (FILES / "oscal_tiny.json", {"key": "not a slug!"}, "catalog: key:"),
    ],
)
def test_bad_files_change_nothing(builtin, data, options, message):
    before = everything()
    with pytest.raises(oscal.OscalError) as caught:
        frameworks.import_catalog(SYSTEM, data, **options)
    assert message in str(caught.value)
    assert everything() == before


def test_people_who_may_not_add_frameworks_import_nothing(users):
    for role in ("viewer", "liaison", "board"):
        with pytest.raises(PermissionDenied):
            frameworks.import_catalog(users[role], FILES / "oscal_tiny.json")
    assert not Framework.objects.exists()


def test_mapping_file_is_all_or_nothing(builtin):
    data = {
        "source": {"key": "cpg", "version": "1.0.1"},
        "target": {"key": "csf", "version": "2.0"},
        "mappings": [
            {"source": "1.B", "targets": ["GV.OC-01"]},
            {"source": "1.B", "targets": ["GV.XX-99"]},
        ],
    }
    before = everything()
    with pytest.raises(oscal.OscalError) as caught:
        frameworks.import_mappings(SYSTEM, data)
    assert str(caught.value) == (
        "mappings[1].targets[0]: NIST Cybersecurity Framework 2.0 has no requirement “GV.XX-99”."
    )
    assert everything() == before
    data["mappings"] = [
        {"source": "1.B", "targets": ["GV.OC-01", "GV.RR-01"], "relation": "related"}
    ]
    report = frameworks.import_mappings(SYSTEM, data)
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    data["source"]["version"] = "9"
    with pytest.raises(oscal.OscalError, match="no framework “cpg” version 9; import it first"):
        frameworks.import_mappings(SYSTEM, data)


def test_a_requirement_stays_in_its_framework_and_out_of_loops(builtin):
    from django.core.exceptions import ValidationError

    from townhall.core import services

    csf, cpg = builtin["csf"], builtin["cpg"]
    govern = req(csf, "GV")
    with pytest.raises(ValidationError, match="same framework"):
        services.update(SYSTEM, req(cpg, "1.A"), {"parent": govern}, version=None)
    with pytest.raises(ValidationError, match="sits under this one"):
        services.update(SYSTEM, govern, {"parent": req(csf, "GV.OC-01")}, version=None)
    with pytest.raises(ValidationError, match="under itself"):
        services.update(SYSTEM, govern, {"parent": govern}, version=None)
    assert req(csf, "GV").parent is None


# --- the command ---------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = StringIO()
    call_command("frameworks", *args, stdout=out)
    return out.getvalue()


def test_command_builtin_import_and_list(db):
    assert "No frameworks yet" in run("list")
    output = run("builtin")
    assert "Created NIST Cybersecurity Framework 2.0: 134 added" in output
    assert "Created CISA Cross-Sector Cybersecurity Performance Goals 1.0.1: 43 added" in output
    assert f"{builtin_mapping_pairs()} added" in output
    assert "134 unchanged" in run("builtin")
    output = run("import", str(FILES / "oscal_80053.json"), "--name", "SP 800-53")
    assert (
        output.strip() == "Created SP 800-53 5.1.1: 7 added, 0 changed, 0 unchanged, 1 withdrawn."
    )
    listing = run("list")
    assert "csf\t2.0\tNIST Cybersecurity Framework\t106 scored requirements" in listing
    assert "sp800-53\t5.1.1\tSP 800-53\t4 scored requirements\t1 withdrawn" in listing
    entry = AuditEntry.objects.filter(object_repr__startswith="AC-1 ").get()
    assert (entry.via, entry.actor_name) == ("cli", "system")


def test_command_reports_requirements_no_longer_in_the_file(db, tmp_path):
    first = tmp_path / "first.json"
    first.write_text(json.dumps(tiny(("A-1", "One."), ("A-2", "Two."))))
    second = tmp_path / "second.json"
    second.write_text(json.dumps(tiny(("A-1", "One."))))
    run("import", str(first))
    output = run("import", str(second), "--key", "tiny-test-catalog", "--version", "3")
    assert "No longer in the file, kept as withdrawn: A-2." in output


def test_command_refuses_bad_files(db):
    with pytest.raises(CommandError) as caught:
        run("import", str(FILES / "oscal_no_id.json"))
    assert str(caught.value) == (
        "oscal_no_id.json: catalog.groups[1].controls[1]: a control needs an id. "
        "Nothing was imported."
    )
    assert not Framework.objects.exists()


def test_command_exit_code_for_a_bad_file(capsys):
    with pytest.raises(SystemExit) as caught:
        Command().run_from_argv(["townhall", "frameworks", "import", str(FILES / "nope.json")])
    assert caught.value.code == 1
    assert "nope.json: cannot read nope.json" in capsys.readouterr().err


# --- the pages -----------------------------------------------------------------------------------


def test_framework_page_shows_summary(builtin, client_for):
    csf = builtin["csf"]
    page = client_for("viewer").get(csf.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Browse requirements" in html
    assert '<th scope="row">Subcategory</th><td class="th-num">106</td>' in html
    assert "short summaries in plain language" in html
    assert "GV Govern</a> (6 categories)" in html
    mapped = len({t for line in MAPPING["mappings"] for t in line["targets"]})
    assert f"Performance Goals 1.0.1</a> ({mapped} requirements of this framework mapped)" in html
    assert "Import a catalog" not in html  # a viewer may not import
    assert "Import a catalog" in client_for("staff").get(csf.get_absolute_url()).content.decode()


def test_tree_page(builtin, client_for, django_assert_max_num_queries):
    cpg, csf = builtin["cpg"], builtin["csf"]
    client = client_for("viewer")
    url = f"/cyber/frameworks/{cpg.pk}/requirements/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Requirements of CISA Cross-Sector Cybersecurity Performance Goals 1.0.1" in html
    closed = 'class="usa-accordion__button" aria-expanded="false"'
    assert html.count(closed) == 5 and html.count('class="usa-accordion__content" hidden') == 5
    assert "Covers part of NIST Cybersecurity Framework 2.0:" in html
    assert f'href="{req(csf, "ID.AM-01").get_absolute_url()}">ID.AM-01</a>' in html
    expanded = client.get(url + "?expand=all&withdrawn=nonsense").content.decode()
    assert closed not in expanded
    assert expanded.count('class="usa-accordion__button" aria-expanded="true"') == 5
    with django_assert_max_num_queries(12):
        assert client.get(f"/cyber/frameworks/{csf.pk}/requirements/").status_code == 200


def test_tree_page_hides_withdrawn_until_asked(db, client_for):
    fw = frameworks.import_catalog(SYSTEM, FILES / "oscal_80053.json").framework
    client = client_for("viewer")
    url = f"/cyber/frameworks/{fw.pk}/requirements/"
    html = client.get(url).content.decode()
    assert "AC-2(1)" in html and "AC-2(10)" not in html
    assert "Show the 1 withdrawn requirement too" in html
    html = client.get(url + "?withdrawn=show").content.decode()
    assert "AC-2(10)" in html and "Withdrawn</span>" in html
    assert "[Selection (one or more): Organization-level; System-level]" in html


def test_tree_page_queries_do_not_grow_with_the_catalog(db, client_for, django_assert_num_queries):
    client = client_for("viewer")

    def queries_for(size: int) -> int:
        controls = [(f"A-{n}", f"Statement {n}.") for n in range(1, size + 1)]
        fw = frameworks.import_catalog(SYSTEM, tiny(*controls), key=f"k{size}").framework
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/cyber/frameworks/{fw.pk}/requirements/").status_code == 200
        return len(captured.captured_queries)

    assert queries_for(3) == queries_for(60)


def test_tree_page_access(builtin, client, client_for):
    url = f"/cyber/frameworks/{builtin['csf'].pk}/requirements/"
    assert client.get(url).status_code == 302  # anonymous: sign in first
    assert client_for("liaison").get(url).status_code == 200
    assert client_for("viewer").get("/cyber/frameworks/999999/requirements/").status_code == 404


def upload(client, name: str, data: bytes, **fields: str):
    return client.post(
        "/cyber/frameworks/import/",
        {"file": SimpleUploadedFile(name, data, content_type="application/json"), **fields},
    )


def test_import_page_roles(users, client, client_for):
    assert client.get("/cyber/frameworks/import/").status_code == 302
    for role in ("viewer", "liaison", "board"):
        assert client_for(role).get("/cyber/frameworks/import/").status_code == 403
        response = upload(client_for(role), "t.json", (FILES / "oscal_tiny.json").read_bytes())
        assert response.status_code == 403
    page = client_for("staff").get("/cyber/frameworks/import/")
    assert page.status_code == 200
    assert "Load the built-in frameworks" in page.content.decode()
    assert not Framework.objects.exists()


def test_import_page_imports_in_the_background_and_reports(users, client_for):
    """The upload goes to a job (run at once here, as jobs run in-process in tests) whose
    page says what was done and links to the requirements."""
    client = client_for("staff")
    response = upload(client, "tiny.json", (FILES / "oscal_tiny.json").read_bytes(), release="3")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.kind == "catalog_import" and job.status == Job.Status.DONE, job.message
    assert (
        job.message == "Created Tiny Test Catalog 3: 3 added, 0 changed, 0 unchanged, 0 withdrawn."
    )
    assert (job.done, job.total) == (3, 3)
    fw = Framework.objects.get()
    assert job.result_url == f"/cyber/frameworks/{fw.pk}/requirements/"
    html = client.get(job.get_absolute_url()).content.decode()
    assert "Browse the requirements of Tiny Test Catalog 3" in html
    assert not job.input_file  # the uploaded file is not kept once it is imported
    assert fw.official_text and req(fw, "A-1").source == "Upload of tiny.json"
    entry = AuditEntry.objects.filter(object_repr="A-1 First").get()
    assert (entry.via, entry.actor_name) == ("task", "staff1")
    smaller = json.loads((FILES / "oscal_tiny.json").read_text())
    del smaller["catalog"]["groups"][0]["controls"][1]
    upload(client, "tiny.json", json.dumps(smaller).encode())
    again = Job.objects.latest("pk")
    assert "No longer in the file, so marked withdrawn" in again.message
    assert "A-2" in again.message


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("c.json", b"{", "Nothing was done: c.json: the file is not valid JSON"),
        (
            "c.json",
            b'{"profile": {}}',
            "Nothing was done: c.json: profile: this is an OSCAL profile",
        ),
        ("c.json", (FILES / "oscal_no_id.json").read_bytes(), "a control needs an id"),
    ],
)
def test_a_bad_catalog_fails_its_job_saying_why(users, client_for, name, data, message):
    upload(client_for("staff"), name, data)
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and message in job.message
    assert not Framework.objects.exists()


def test_import_page_refuses_other_files_at_once(users, client_for):
    response = upload(client_for("staff"), "c.xml", b"<catalog/>")
    assert response.status_code == 400
    assert "Upload the catalog&#x27;s JSON file" in response.content.decode()
    assert not Job.objects.exists()


def test_import_page_size_limit(users, client_for, settings):
    settings.UPLOAD_MAX_MB = 0
    response = upload(client_for("staff"), "t.json", (FILES / "oscal_tiny.json").read_bytes())
    assert response.status_code == 400
    assert "larger than the 0 MB limit" in response.content.decode()


def test_load_builtin_button(users, client_for):
    assert client_for("staff").get("/cyber/frameworks/builtin/").status_code == 405
    assert client_for("viewer").post("/cyber/frameworks/builtin/").status_code == 403
    response = client_for("staff").post("/cyber/frameworks/builtin/", follow=True)
    assert response.redirect_chain[-1][0] == "/cyber/frameworks/"
    assert "Created NIST Cybersecurity Framework 2.0: 134 added" in response.content.decode()
    assert Framework.objects.count() == 2
