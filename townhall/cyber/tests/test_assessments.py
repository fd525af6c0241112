"""Assessments: starting one (from last year's answers), saving scores with conflict checks,
completing, the summary, derived levels, who may read and write, and the pages (workspace,
comparison, guide, start) including bad input and constant queries in the workspace."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.core import services as core
from townhall.cyber import models as m
from townhall.cyber import services as cyber
from townhall.cyber.tests import assessment_factories as af
from townhall.cyber.tests import factories as f
from townhall.estate.models import Person

SYSTEM = af.SYSTEM


@pytest.fixture
def small(db):
    """The small tree: GV (GV.OC-01, GV.OC-02, GV.RR-01) and ID (ID.AM-01..03)."""
    return af.tree()


@pytest.fixture
def current(small, users):
    fw, reqs = small
    return cyber.start_assessment(users["staff"], fw, 2026, "2026 self-assessment")


def workspace_url(a, **query) -> str:
    url = reverse("cyber:assessment_workspace", args=[a.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def score_url(a, req) -> str:
    return reverse("cyber:assessment_score", args=[a.pk, req.pk])


# --- starting --------------------------------------------------------------------------------


def test_start_creates_an_assessment_in_progress(small, users):
    fw, _ = small
    a = cyber.start_assessment(users["staff"], fw, 2026, "2026 self-assessment")
    assert (a.status, a.target, a.year, a.framework) == ("in_progress", 5, 2026, fw)
    assert a.scores.count() == 0
    assert AuditEntry.objects.filter(object_repr="2026 self-assessment", action="create").exists()


def test_start_from_last_year_copies_levels_notes_and_responsible(small, users):
    fw, reqs = small
    staff = users["staff"]
    ann = f.person(1)
    last = cyber.start_assessment(staff, fw, 2025, "2025")
    cyber.save_score(
        staff, last, reqs["GV.OC-01"], level=3, notes="Policy approved", responsible=ann
    )
    cyber.save_score(staff, last, reqs["GV.OC-02"], not_applicable=True, notes="No such service")
    cyber.save_score(staff, last, reqs["ID.AM-01"], level=None, notes="")  # nothing to carry
    withdrawn = reqs["ID.AM-03"]
    cyber.save_score(staff, last, withdrawn, level=6)
    core.update(SYSTEM, withdrawn, {"withdrawn": True}, version=None)

    new = cyber.start_assessment(staff, fw, 2026, "2026", previous=last, copy_from_previous=True)

    copied = {s.requirement.identifier: s for s in new.scores.select_related("requirement")}
    assert set(copied) == {"GV.OC-01", "GV.OC-02"}  # the withdrawn one and the empty one stay
    assert (copied["GV.OC-01"].level, copied["GV.OC-01"].notes) == (3, "Policy approved")
    assert copied["GV.OC-01"].responsible == ann
    assert copied["GV.OC-02"].not_applicable and copied["GV.OC-02"].level is None
    assert new.previous == last
    # Last year's scores are untouched.
    assert last.scores.count() == 4


def test_start_refuses_copying_from_nothing_or_another_framework(small, users):
    fw, _ = small
    other_fw, _ = af.tree(key="other")
    other = cyber.start_assessment(users["staff"], other_fw, 2025, "Other 2025")
    with pytest.raises(ValidationError) as missing:
        cyber.start_assessment(users["staff"], fw, 2026, "X", copy_from_previous=True)
    assert "previous" in missing.value.message_dict
    with pytest.raises(ValidationError) as wrong:
        cyber.start_assessment(
            users["staff"], fw, 2026, "Y", previous=other, copy_from_previous=True
        )
    assert "only an assessment of" in wrong.value.message_dict["previous"][0]
    assert not m.Assessment.objects.filter(name__in=["X", "Y"]).exists()
    # Comparing with another framework's assessment (no copy) is allowed.
    assert cyber.start_assessment(users["staff"], fw, 2026, "Z", previous=other).previous == other


def test_only_staff_and_admins_start(small, users):
    fw, _ = small
    for role in ("viewer", "board", "liaison"):
        with pytest.raises(PermissionDenied):
            cyber.start_assessment(users[role], fw, 2026, f"By {role}")
    assert cyber.start_assessment(users["admin"], fw, 2026, "By admin")


# --- saving scores ---------------------------------------------------------------------------


def test_save_creates_then_updates_with_version(current, small, users):
    _, reqs = small
    staff = users["staff"]
    s = cyber.save_score(staff, current, reqs["GV.OC-01"], level=2, notes="Informal")
    assert (s.level, s.version) == (2, 1)
    s = cyber.save_score(staff, current, reqs["GV.OC-01"], level=4, notes="Better", version=1)
    assert (s.level, s.notes, s.version) == (4, "Better", 2)
    assert m.Score.objects.filter(assessment=current).count() == 1


def test_save_detects_conflicts(current, small, users):
    _, reqs = small
    req = reqs["GV.OC-01"]
    cyber.save_score(users["admin"], current, req, level=2)
    # Someone who opened the page before the score existed.
    with pytest.raises(core.ConflictError) as created:
        cyber.save_score(users["staff"], current, req, level=5, version=None)
    assert "admin1" in str(created.value)
    cyber.save_score(users["admin"], current, req, level=3, version=1)
    # Someone who opened it at version 1, now 2.
    with pytest.raises(core.ConflictError):
        cyber.save_score(users["staff"], current, req, level=6, version=1)
    assert m.Score.objects.get(assessment=current, requirement=req).level == 3


def test_not_applicable_with_a_level_is_refused(current, small, users):
    _, reqs = small
    with pytest.raises(ValidationError) as exc:
        cyber.save_score(users["staff"], current, reqs["GV.OC-01"], level=3, not_applicable=True)
    assert "level" in exc.value.message_dict
    assert not m.Score.objects.exists()


def test_levels_off_the_scale_are_refused(current, small, users):
    _, reqs = small
    for bad in (0, 8):
        with pytest.raises(ValidationError):
            cyber.save_score(users["staff"], current, reqs["GV.OC-01"], level=bad)
    assert not m.Score.objects.exists()


def test_requirements_of_another_framework_or_not_scored_are_refused(current, small, users):
    _, reqs = small
    _, other = af.tree(key="other")
    with pytest.raises(ValidationError) as elsewhere:
        cyber.save_score(users["staff"], current, other["GV.OC-01"], level=3)
    assert "another framework" in elsewhere.value.message_dict["requirement"][0]
    with pytest.raises(ValidationError) as category:
        cyber.save_score(users["staff"], current, reqs["GV.OC"], level=3)
    assert "not scored in assessments" in category.value.message_dict["requirement"][0]
    assert not m.Score.objects.exists()


def test_only_staff_and_admins_save(current, small, users):
    _, reqs = small
    for role in ("viewer", "board", "liaison"):
        with pytest.raises(PermissionDenied):
            cyber.save_score(users[role], current, reqs["GV.OC-01"], level=3)
    assert not m.Score.objects.exists()
    assert cyber.save_score(users["admin"], current, reqs["GV.OC-01"], level=3)


# --- completing ------------------------------------------------------------------------------

ALL = {"GV.OC-01": 3, "GV.OC-02": 4, "GV.RR-01": None, "ID.AM-01": 6, "ID.AM-02": 5, "ID.AM-03": 2}


def test_complete_needs_every_subcategory_answered(current, small, users):
    _, reqs = small
    staff = users["staff"]
    cyber.save_score(staff, current, reqs["GV.OC-01"], level=3)
    with pytest.raises(ValidationError) as exc:
        cyber.complete(staff, current)
    assert (
        "5 subcategories are not scored yet (GV.OC-02, GV.RR-01, ID.AM-01, ID.AM-02, ID.AM-03)"
        in exc.value.messages[0]
    )
    current.refresh_from_db()
    assert current.status == "in_progress"


def test_complete_then_scores_are_frozen_until_reopened(current, small, users):
    _, reqs = small
    staff = users["staff"]
    af.score_all(staff, current, ALL, reqs)
    done = cyber.complete(staff, current)
    assert (done.status, done.completed_on) == ("complete", timezone.localdate())
    with pytest.raises(ValidationError):
        cyber.save_score(staff, done, reqs["GV.OC-01"], level=7, version=1)
    with pytest.raises(ValidationError):
        cyber.complete(staff, done)
    # Nor through the record's own page or API: the score cannot be changed or deleted.
    score = m.Score.objects.get(assessment=done, requirement=reqs["GV.OC-01"])
    with pytest.raises(PermissionDenied):
        core.update(staff, score, {"level": 7}, version=score.version)
    with pytest.raises(PermissionDenied):
        core.delete(staff, score)
    with pytest.raises(PermissionDenied):
        cyber.complete(users["viewer"], cyber.reopen(staff, done))
    reopened = m.Assessment.objects.get(pk=done.pk)
    assert (reopened.status, reopened.completed_on) == ("in_progress", None)
    assert cyber.save_score(staff, reopened, reqs["GV.OC-01"], level=7, version=1).level == 7


# --- the summary and derived levels ----------------------------------------------------------


def test_summary_shape_and_figures(small, users):
    fw, reqs = small
    staff = users["staff"]
    last = cyber.start_assessment(staff, fw, 2025, "2025")
    af.score_all(staff, last, {"GV.OC-01": 2, "GV.OC-02": 2, "ID.AM-01": 4}, reqs)
    now = cyber.start_assessment(staff, fw, 2026, "2026", previous=last)
    af.score_all(staff, now, {"GV.OC-01": 3, "GV.OC-02": 4, "GV.RR-01": None, "ID.AM-01": 6}, reqs)

    with CaptureQueriesContext(connection) as queries:
        s = cyber.assessment_summary(now)
    assert len(queries) <= 4

    assert s["assessment"]["name"] == "2026" and s["previous"]["year"] == 2025
    assert s["counts"] == {
        "total": 6,
        "scored": 3,
        "not_applicable": 1,
        "unscored": 2,
        "answered": 4,
        "below_target": 2,
    }
    # Overall (3+4+6)/3 = 4.3; last time (2+2+4)/3 = 2.7.
    assert (s["overall"]["mean"], s["overall"]["previous_mean"]) == (D("4.3"), D("2.7"))
    assert (s["overall"]["delta"], s["overall"]["change"]) == (D("1.6"), "improved")
    gv, id_ = s["functions"]
    assert (gv["identifier"], gv["title"], gv["mean"], gv["previous_mean"]) == (
        "GV",
        "Govern",
        D("3.5"),
        D("2.0"),
    )
    assert (gv["target"], gv["gap"], gv["below"], gv["not_applicable"]) == (5, D("1.5"), True, 1)
    assert [c["identifier"] for c in gv["categories"]] == ["GV.OC", "GV.RR"]
    assert gv["categories"][1]["mean"] is None and gv["categories"][1]["change"] == "neither"
    assert (id_["mean"], id_["below"], id_["unscored"]) == (D("6.0"), False, 2)
    assert s["below_target"] == [
        {
            "identifier": "GV.OC-01",
            "title": "Subcategory GV.OC-01",
            "level": 3,
            "gap": 2,
            "function": "GV",
        },
        {
            "identifier": "GV.OC-02",
            "title": "Subcategory GV.OC-02",
            "level": 4,
            "gap": 1,
            "function": "GV",
        },
    ]


def test_derived_levels_through_mappings(small, users):
    fw, reqs = small
    staff = users["staff"]
    cpg, goals = af.tree(
        spec={("G", "Goals"): {("G.1", "Account security"): ["1.A", "1.B"]}}, key="cpg"
    )
    for source, target, relation in [
        ("1.A", "GV.OC-01", "equivalent"),
        ("1.B", "GV.OC-01", "subset"),
        ("1.B", "ID.AM-01", "related"),
    ]:
        f.create(m.RequirementMapping, source=goals[source], target=reqs[target], relation=relation)
    other = cyber.start_assessment(staff, cpg, 2026, "CPG check")
    af.score_all(staff, other, {"1.A": 6, "1.B": 3}, goals)
    csf = cyber.start_assessment(staff, fw, 2026, "CSF")

    derived = cyber.derived_levels(csf, other)
    assert set(derived) == {"GV.OC-01", "ID.AM-01"}
    assert derived["GV.OC-01"].level == 3  # the weaker of 6 and 3
    assert derived["ID.AM-01"].sources == (("1.B", 3, "related"),)
    assert cyber.derived_levels(csf, csf) == {}
    assert cyber.mapping_sources(staff, csf) == [other]
    assert cyber.mapping_sources(users["liaison"], csf) == []
    # Derived levels are hints: nothing was scored in the CSF assessment.
    assert not csf.scores.exists()

    page = cyber_client(users, "viewer").get(workspace_url(csf, derived=other.pk))
    assert page.status_code == 200
    assert "Derived from CPG check through mappings" in page.content.decode()


def cyber_client(users, role):
    from django.test import Client

    client = Client()
    client.force_login(users[role])
    return client


# --- the workspace ---------------------------------------------------------------------------


def test_workspace_for_staff_offers_forms(client_for, current, small, users):
    _, reqs = small
    cyber.save_score(users["staff"], current, reqs["GV.OC-01"], level=3, responsible=f.person(7))
    page = client_for("staff").get(workspace_url(current))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<strong>1 of 6</strong> subcategories answered" in html
    assert f'name="s{reqs["GV.OC-01"].pk}-level" value="3" checked' in html
    assert f'action="{score_url(current, reqs["ID.AM-02"])}"' in html
    assert "Person 7" in html  # the picker shows the chosen person without a lookup
    assert "GV.OC Organizational context" in html
    assert 'id="chart-functions-title"' in html
    assert "Mean level by function, against a target of 5" in html


def test_workspace_is_read_only_for_viewers_and_hidden_from_liaisons(
    client_for, current, small, users
):
    _, reqs = small
    cyber.save_score(
        users["staff"], current, reqs["GV.OC-01"], level=3, notes="Signed by the manager"
    )
    page = client_for("viewer").get(workspace_url(current))
    html = page.content.decode()
    assert page.status_code == 200
    assert "You can read this assessment" in html
    assert '<form method="post" action="/cyber/assessments' not in html
    assert "Signed by the manager" in html
    assert client_for("liaison").get(workspace_url(current)).status_code == 404
    assert client_for("liaison").get(current.get_absolute_url()).status_code == 404


def test_workspace_filters(client_for, current, small, users):
    _, reqs = small
    af.score_all(users["staff"], current, {"GV.OC-01": 3, "GV.OC-02": 6, "ID.AM-01": None}, reqs)
    client = client_for("viewer")

    def shown(**query) -> set[str]:
        html = client.get(workspace_url(current, **query)).content.decode()
        return {i for i in ALL if f'id="req-{reqs[i].pk}"' in html}

    assert shown() == set(ALL)
    assert shown(show="unscored") == {"GV.RR-01", "ID.AM-02", "ID.AM-03"}
    assert shown(show="below") == {"GV.OC-01"}
    assert shown(function="ID") == {"ID.AM-01", "ID.AM-02", "ID.AM-03"}
    assert shown(function="ID", show="unscored") == {"ID.AM-02", "ID.AM-03"}


@pytest.mark.parametrize(
    "query, notice",
    [
        ("show=everything", "That filter is unknown"),
        ("function=XX", "There is no function “XX”"),
        ("derived=abc", "That assessment to derive levels from is unknown"),
        ("derived=99999999999999999999999", "That assessment to derive levels from is unknown"),
        ("show=%00", "That filter is unknown"),
    ],
)
def test_workspace_bad_query_parameters(client_for, current, query, notice):
    response = client_for("staff").get(workspace_url(current) + "?" + query)
    if "%00" in query:
        assert response.status_code == 400  # NUL characters are refused before any view
        return
    assert response.status_code == 200
    assert notice in response.content.decode()


def test_workspace_refuses_to_derive_from_an_unmapped_assessment(client_for, current, small, users):
    fw, _ = small
    same = cyber.start_assessment(users["staff"], fw, 2025, "Same framework")
    html = client_for("staff").get(workspace_url(current, derived=same.pk)).content.decode()
    assert "Levels can be derived only from an assessment of a framework mapped to this one" in html


def test_unknown_assessment_is_404(client_for):
    assert client_for("staff").get("/cyber/assessments/999999/workspace/").status_code == 404


def _populate(users, spec, key):
    fw, reqs = af.tree(spec=spec, key=key)
    staff = users["staff"]
    last = cyber.start_assessment(staff, fw, 2025, f"{key} 2025")
    now = cyber.start_assessment(staff, fw, 2026, f"{key} 2026", previous=last)
    leaves = [r for r in reqs.values() if r.assessable]
    for n, req in enumerate(leaves):
        cyber.save_score(staff, last, req, level=1 + n % 7)
        person = f.create(Person, name=f"{key} person {n}")
        cyber.save_score(
            staff, now, req, level=1 + (n + 1) % 7, responsible=person, notes=f"Note {n}"
        )
        af.evidence(
            f"{key} evidence {n}",
            datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
            requirements=[req],
        )
    return now


def test_workspace_queries_do_not_grow_with_subcategories(client_for, users):
    few = _populate(users, af.wide(2, 3), "few")
    many = _populate(users, af.wide(2, 25), "many")
    client = client_for("staff")
    client.get(workspace_url(few))  # warm caches (content types, sessions)

    def count(a) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(workspace_url(a))
        assert response.status_code == 200
        return len(queries)

    assert m.Score.objects.filter(assessment=many).count() == 50
    assert count(many) == count(few)


# --- saving from the page --------------------------------------------------------------------


def post_score(client, a, req, level="", notes="", version="", responsible="", htmx=False, **extra):
    data = {
        f"s{req.pk}-level": level,
        f"s{req.pk}-notes": notes,
        f"s{req.pk}-version": version,
        f"s{req.pk}-responsible": responsible,
        **extra,
    }
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(score_url(a, req), data, headers=headers)


def test_save_without_javascript_redirects_back(client_for, current, small):
    _, reqs = small
    req = reqs["GV.OC-02"]
    person = f.person(3)
    next_url = workspace_url(current, show="unscored")
    response = post_score(
        client_for("staff"),
        current,
        req,
        level="4",
        notes="Standards for half the systems",
        responsible=str(person.pk),
        next=next_url,
    )
    assert response.status_code == 302
    assert response["Location"] == f"{next_url}#req-{req.pk}"
    s = m.Score.objects.get(assessment=current, requirement=req)
    assert (s.level, s.notes, s.responsible) == (4, "Standards for half the systems", person)


def test_save_ignores_a_next_address_elsewhere(client_for, current, small):
    _, reqs = small
    response = post_score(
        client_for("staff"), current, reqs["GV.OC-01"], level="na", next="https://evil.example/"
    )
    assert response["Location"] == f"{workspace_url(current)}#req-{reqs['GV.OC-01'].pk}"
    assert m.Score.objects.get(requirement=reqs["GV.OC-01"]).not_applicable


def test_save_by_htmx_answers_the_block_and_the_rollups(client_for, current, small):
    _, reqs = small
    req = reqs["ID.AM-01"]
    response = post_score(client_for("staff"), current, req, level="2", htmx=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="req-{req.pk}"' in html and "Saved." in html
    assert '<div id="progress" hx-swap-oob="true">' in html
    assert "<strong>1 of 6</strong>" in html
    assert f'id="fn-{reqs["ID"].pk}-overview" hx-swap-oob="true"' in html
    assert f'id="grp-{reqs["ID.AM"].pk}-summary" hx-swap-oob="true"' in html
    assert "Saved ID.AM-01: 2 · Informally performed." in html
    assert f'id="fn-{reqs["GV"].pk}-overview"' not in html  # only what changed


def test_clearing_a_level(client_for, current, small, users):
    _, reqs = small
    req = reqs["GV.OC-01"]
    cyber.save_score(users["staff"], current, req, level=3)
    post_score(client_for("staff"), current, req, level="", version="1", notes="Not sure yet")
    s = m.Score.objects.get(assessment=current, requirement=req)
    assert (s.level, s.not_applicable, s.notes) == (None, False, "Not sure yet")


@pytest.mark.parametrize("level", ["9", "0", "three", "<b>"])
def test_bad_levels_are_explained(client_for, current, small, level):
    _, reqs = small
    plain = post_score(client_for("staff"), current, reqs["GV.OC-01"], level=level)
    assert plain.status_code == 400
    assert "GV.OC-01 not saved: Level: Select a valid choice" in plain.content.decode()
    htmx = post_score(client_for("staff"), current, reqs["GV.OC-01"], level=level, htmx=True)
    assert htmx.status_code == 200 and "GV.OC-01 not saved" in htmx.content.decode()
    assert not m.Score.objects.exists()


def test_bad_other_fields_are_explained(client_for, current, small):
    _, reqs = small
    req = reqs["GV.OC-01"]
    too_long = post_score(client_for("staff"), current, req, level="3", notes="x" * 5000)
    assert too_long.status_code == 400
    assert "Ensure this value has at most 4000 characters" in too_long.content.decode()
    nobody = post_score(client_for("staff"), current, req, level="3", responsible="99999999")
    assert nobody.status_code == 400
    bad_version = post_score(client_for("staff"), current, req, level="3", version="x")
    assert bad_version.status_code == 400
    assert not m.Score.objects.exists()


def test_conflict_keeps_the_answer_and_says_who(client_for, current, small, users):
    _, reqs = small
    req = reqs["GV.OC-01"]
    cyber.save_score(users["admin"], current, req, level=2)
    response = post_score(client_for("staff"), current, req, level="5", version="")
    assert response.status_code == 409
    html = response.content.decode()
    assert (
        "admin1 saved GV.OC-01 after you opened this page; it now reads “2 · Informally performed”"
        in html
    )
    assert f'name="s{req.pk}-level" value="5" checked' in html
    assert f'name="s{req.pk}-version" value="1"' in html
    assert m.Score.objects.get(requirement=req).level == 2
    # Saving again from there replaces it.
    assert post_score(client_for("staff"), current, req, level="5", version="1").status_code == 302
    assert m.Score.objects.get(requirement=req).level == 5


def test_scoring_other_requirements_is_404(client_for, current, small):
    _, reqs = small
    _, other = af.tree(key="other")
    client = client_for("staff")
    assert post_score(client, current, other["GV.OC-01"], level="3").status_code == 404
    assert post_score(client, current, reqs["GV"], level="3").status_code == 404
    assert client.post(f"/cyber/assessments/{current.pk}/score/99999999/").status_code == 404


def test_viewers_cannot_score_and_completed_assessments_refuse(client_for, current, small, users):
    _, reqs = small
    assert post_score(client_for("viewer"), current, reqs["GV.OC-01"], level="3").status_code == 403
    assert post_score(client_for("board"), current, reqs["GV.OC-01"], level="3").status_code == 403
    assert (
        post_score(client_for("liaison"), current, reqs["GV.OC-01"], level="3").status_code == 404
    )
    af.score_all(users["staff"], current, ALL, reqs)
    cyber.complete(users["staff"], current)
    refused = post_score(client_for("staff"), current, reqs["GV.OC-01"], level="7", version="1")
    assert refused.status_code == 409
    assert "This assessment is complete" in refused.content.decode()
    assert m.Score.objects.get(requirement=reqs["GV.OC-01"]).level == 3


def test_one_subcategory_page_for_linking(client_for, current, small):
    _, reqs = small
    page = client_for("staff").get(score_url(current, reqs["GV.OC-01"]))
    assert page.status_code == 200
    assert "<h1>GV.OC-01 in 2026 self-assessment</h1>" in page.content.decode()


# --- completing from the page ----------------------------------------------------------------


def _latest(obj) -> AuditEntry:
    return AuditEntry.objects.filter(
        object_id=str(obj.pk), content_type__model=obj._meta.model_name
    ).latest("pk")


def test_complete_and_reopen_are_named_transitions_with_version_checks(current, small, users):
    _, reqs = small
    staff = users["staff"]
    af.score_all(staff, current, ALL, reqs)
    current.refresh_from_db()
    seen = current.version
    done = cyber.complete(staff, current, version=seen)
    assert _latest(done).after["transition"] == "status: in_progress → complete"
    with pytest.raises(core.ConflictError):
        cyber.reopen(staff, done, version=seen)  # opened before it was completed
    reopened = cyber.reopen(staff, done, version=done.version)
    entry = _latest(reopened)
    assert entry.after["transition"] == "status: complete → in_progress"
    assert (entry.before["completed_on"], entry.after["completed_on"]) == (
        timezone.localdate().isoformat(),
        None,
    )


def test_complete_and_reopen_from_the_workspace(client_for, current, small, users):
    _, reqs = small
    url = reverse("cyber:assessment_status", args=[current.pk])
    client = client_for("staff")
    early = client.post(url, {"action": "complete", "version": current.version}, follow=True)
    assert "6 subcategories are not scored yet" in early.content.decode()
    af.score_all(users["staff"], current, ALL, reqs)
    page = client.get(workspace_url(current)).content.decode()
    assert "Complete the assessment" in page
    done = client.post(url, {"action": "complete", "version": current.version}, follow=True)
    assert "is complete" in done.content.decode()
    current.refresh_from_db()
    assert current.status == "complete"
    assert "Reopen the assessment" in done.content.decode()
    assert '-level" value="3"' not in done.content.decode()  # no score forms any more
    client.post(url, {"action": "reopen", "version": current.version})
    current.refresh_from_db()
    assert current.status == "in_progress"
    assert client.post(url, {"action": "nonsense"}).status_code == 302
    assert client_for("viewer").post(url, {"action": "complete"}).status_code == 403
    current.refresh_from_db()
    assert current.status == "in_progress"
    assert client_for("liaison").post(url, {"action": "complete"}).status_code == 404
    assert client.get(url).status_code == 405


# --- comparison, guide, start, record page ---------------------------------------------------


def cells(*values: str) -> str:
    return "\n        ".join(f'<td class="th-num">{v}</td>' for v in values)


def test_comparison_page(client_for, small, users):
    fw, reqs = small
    staff = users["staff"]
    last = cyber.start_assessment(staff, fw, 2025, "2025")
    af.score_all(staff, last, {"GV.OC-01": 2, "GV.OC-02": 4, "ID.AM-01": 5}, reqs)
    now = cyber.start_assessment(staff, fw, 2026, "2026", previous=last)
    af.score_all(staff, now, {"GV.OC-01": 4, "GV.OC-02": 4, "ID.AM-01": 3, "ID.AM-02": 5}, reqs)
    page = client_for("viewer").get(reverse("cyber:assessment_compare", args=[now.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    # GV.OC: 3.0 → 4.0; ID: 5.0 → 4.0; overall (2+4+5)/3=3.7 → (4+4+3+5)/4=4.0.
    assert cells("3.0", "4.0", "+1.0") in html
    assert "Declined" in html and "Improved" in html
    assert cells("3.7", "4.0", "+0.3") in html
    assert "1 subcategory improved and 1 declined" in html
    alone = client_for("viewer").get(reverse("cyber:assessment_compare", args=[last.pk]))
    assert "Nothing to compare with yet" in alone.content.decode()
    assert "Edit 2025" not in alone.content.decode()
    assert (
        client_for("liaison").get(reverse("cyber:assessment_compare", args=[now.pk])).status_code
        == 404
    )


def test_guide_walks_the_functions_in_order(client_for, current, small, users):
    _, reqs = small
    af.score_all(users["staff"], current, {"GV.OC-01": 3, "GV.OC-02": 3, "GV.RR-01": 2}, reqs)
    page = client_for("staff").get(reverse("cyber:assessment_guide", args=[current.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    heading = '<h3 class="usa-process-list__heading">'
    assert html.index(f"{heading}GV Govern — done") < html.index(f"{heading}ID Identify<")
    assert "Continue with ID Identify" in html
    assert f"{workspace_url(current)}?function=ID&amp;show=unscored" in html
    assert "Implementation in process" in html and "Why the target is 5" in html
    assert "3 of 6 subcategories are answered" in html


def test_start_page(client_for, small, users):
    fw, reqs = small
    url = reverse("cyber:assessment_start")
    assert client_for("viewer").get(url).status_code == 403
    assert client_for("liaison").get(url).status_code == 403
    assert client_for("staff").get(url).status_code == 200
    first = client_for("staff").post(
        url, {"framework": fw.pk, "name": "First", "year": "2025", "target": "5"}
    )
    a = m.Assessment.objects.get(name="First")
    assert first["Location"] == reverse("cyber:assessment_guide", args=[a.pk])
    cyber.save_score(users["staff"], a, reqs["GV.OC-01"], level=4)
    second = client_for("staff").post(
        url,
        {
            "framework": fw.pk,
            "name": "Second",
            "year": "2026",
            "target": "5",
            "previous": a.pk,
            "copy": "on",
        },
    )
    b = m.Assessment.objects.get(name="Second")
    assert second["Location"] == workspace_url(b)
    assert b.scores.get().level == 4
    bad = client_for("staff").post(
        url, {"framework": fw.pk, "name": "", "year": "1900", "target": "9"}
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Not started" in html and "This field is required" in html
    assert "greater than or equal to 2000" in html and "less than or equal to 7" in html
    other_fw, _ = af.tree(key="other")
    wrong = client_for("staff").post(
        url,
        {
            "framework": other_fw.pk,
            "name": "Wrong",
            "year": "2026",
            "target": "5",
            "previous": a.pk,
            "copy": "on",
        },
    )
    assert wrong.status_code == 400 and "only an assessment of" in wrong.content.decode()
    assert not m.Assessment.objects.filter(name="Wrong").exists()


def test_record_page_shows_the_summary(client_for, current, small, users):
    _, reqs = small
    af.score_all(users["staff"], current, {"GV.OC-01": 2, "ID.AM-01": 6}, reqs)
    page = client_for("viewer").get(current.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Where it stands" in html and "Open the workspace" in html
    assert "GV.OC-01 Subcategory GV.OC-01: level 2, 3 below" in html
    assert "Overall mean <strong>4.0</strong>" in html
    staff = client_for("staff").get(current.get_absolute_url()).content.decode()
    assert "Score in the workspace" in staff


def test_framework_of_a_scored_assessment_cannot_change(current, small, users):
    _, reqs = small
    other_fw, _ = af.tree(key="other")
    empty = cyber.start_assessment(users["staff"], other_fw, 2026, "Empty")
    assert core.update(users["staff"], empty, {"framework": small[0]}, version=None)
    cyber.save_score(users["staff"], current, reqs["GV.OC-01"], level=3)
    with pytest.raises(ValidationError) as exc:
        core.update(users["staff"], current, {"framework": other_fw}, version=None)
    assert "already has scores" in exc.value.message_dict["framework"][0]


def test_htmx_save_on_a_complete_assessment_says_why(client_for, current, small, users):
    _, reqs = small
    af.score_all(users["staff"], current, ALL, reqs)
    cyber.complete(users["staff"], current)
    response = post_score(client_for("staff"), current, reqs["GV.OC-01"], level="7", htmx=True)
    html = response.content.decode()
    assert "GV.OC-01 not saved: This assessment is complete" in html
    assert "Not saved: This assessment is complete" in html  # announced
    assert '-level" value="7"' not in html  # the block is read-only now


def test_the_generic_edit_page_cannot_complete_an_unfinished_assessment(client_for):
    """Completing is a step, never an edit; the step checks every subcategory is answered,
    by whichever verb takes it."""
    fw = f.framework(77)
    done = f.requirement(fw, 1)
    f.requirement(fw, 2)
    assessment = f.assessment(fw, 77, status="in_progress")
    cyber.save_score(context.SYSTEM, assessment, done, level=4)
    client = client_for("staff")
    url = reverse("cyber:assessment_edit", args=[assessment.pk])
    post = {
        "name": assessment.name,
        "framework": fw.pk,
        "year": assessment.year,
        "status": "complete",
        "target": 5,
        "version": assessment.version,
    }
    response = client.post(url, post)
    assert response.status_code == 302  # the form shows the status only: it is not edited
    assessment.refresh_from_db()
    assert assessment.status == "in_progress"
    with pytest.raises(ValidationError, match="not by an edit"):
        services.update(context.SYSTEM, assessment, {"status": "complete"}, version=None)
    # The step itself, by whichever verb takes it, checks the model's rule.
    with pytest.raises(ValidationError, match=r"1 subcategories .* yet \(first: T.2\)"):
        services.transition(context.SYSTEM, assessment, "complete")
    assessment.refresh_from_db()
    assert assessment.status == "in_progress"


def test_a_finished_assessment_stays_editable_after_the_framework_grows(db):
    fw = f.framework(78)
    only = f.requirement(fw, 1)
    assessment = f.assessment(fw, 78, status="in_progress")
    cyber.save_score(context.SYSTEM, assessment, only, level=5)
    assessment = cyber.complete(context.SYSTEM, assessment)
    f.requirement(fw, 2)  # a later catalog import adds a subcategory
    changed = core.update(
        context.SYSTEM, assessment, {"notes": "Signed off by the CIO."}, version=assessment.version
    )
    assert changed.notes == "Signed off by the CIO." and changed.status == "complete"


# The level radios as the workspace template drew them before `options_html` wrote them.
LEVEL_RADIOS = (
    "        {% for o in row.options %}\n"
    '        <div class="usa-radio margin-right-3">\n'
    '          <input class="usa-radio__input" type="radio" id="{{ o.id }}" '
    'name="{{ form.prefix }}-level" value="{{ o.value }}"{% if o.checked %} checked{% endif %}>\n'
    '          <label class="usa-radio__label margin-top-1" for="{{ o.id }}">{{ o.short }}'
    '{% if o.long %}<span class="usa-sr-only"> · {{ o.long }}</span>{% endif %}</label>\n'
    "        </div>\n"
    "        {% endfor %}\n"
)


@pytest.mark.parametrize("posted", [None, "3", "na", "", '"><script>'])
def test_the_level_radios_are_the_markup_the_template_drew(posted):
    from django.template import engines

    from townhall.cyber.pages.assessment import ScoreEntryForm, _options, options_html

    data = None if posted is None else {"s5-level": posted}
    form = ScoreEntryForm(data, prefix="s5", people=Person.objects.none(), initial={"level": "4"})
    options = _options(form)
    drawn = (
        engines["django"]
        .from_string(LEVEL_RADIOS)
        .render({"row": {"options": options}, "form": form})
    )
    written = (
        engines["django"]
        .from_string("        {{ html }}\n")
        .render({"html": options_html(form.prefix, options)})
    )
    assert written == drawn
    assert written.count(" checked") == (0 if posted == '"><script>' else 1)
