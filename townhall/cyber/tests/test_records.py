"""Cyber records join the platform's contract: permissions, audit, conflicts, API. Liaisons
see only their own department's risks and incidents, and none of the rest."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from townhall.core import context, services
from townhall.core.testing import ResourceContract
from townhall.cyber import insurance
from townhall.cyber import models as m
from townhall.cyber.tests import factories as f


class Private(ResourceContract):
    shared = True
    private = True


class TestFrameworkContract(ResourceContract):
    model = m.Framework
    shared = True

    def data(self, departments, n=1):
        return {"name": f"Framework {n}", "key": f"fw{n}", "release": "1.0"}


class TestRequirementContract(ResourceContract):
    model = m.Requirement
    shared = True

    def data(self, departments, n=1):
        return {
            "framework": f.framework(n),
            "identifier": f"X.{n}",
            "level": "subcategory",
            "title": f"Requirement {n}",
        }


class TestRequirementMappingContract(ResourceContract):
    model = m.RequirementMapping
    shared = True

    def data(self, departments, n=1):
        return {
            "source": f.requirement(f.framework(n, "a"), n),
            "target": f.requirement(f.framework(n, "b"), n),
            "relation": "related",
        }


class TestAssessmentContract(Private):
    model = m.Assessment

    def data(self, departments, n=1):
        return {
            "name": f"Assessment {n}",
            "framework": f.framework(n),
            "year": 2026,
            "target": 5,
            "status": "in_progress",
        }


class TestScoreContract(Private):
    model = m.Score

    def data(self, departments, n=1):
        fw = f.framework(n)
        return {
            "assessment": f.assessment(fw, n),
            "requirement": f.requirement(fw, n),
            "level": 4,
        }

    def invalid(self, departments):
        return [
            ("notes", lambda post: {"notes": "x" * (m.SCORE_NOTES_MAX + 1)}),
            ("level", lambda post: {"level": 4, "not_applicable": True}),
        ]


class TestEvidenceContract(Private):
    model = m.Evidence

    def data(self, departments, n=1):
        return {"title": f"Evidence {n}", "link": f"https://example.org/policy/{n}"}

    def invalid(self, departments):
        return [("link", lambda post: {"link": "javascript:alert(1)"})]


class TestRiskContract(ResourceContract):
    model = m.Risk
    private = True

    def data(self, departments, n=1):
        return {
            "title": f"Risk {n}",
            "inherent_likelihood": 4,
            "inherent_impact": 3,
            "treatment": "mitigate",
            "status": "open",
        }


class TestIncidentContract(ResourceContract):
    model = m.Incident
    private = True

    def data(self, departments, n=1):
        return {
            "title": f"Incident {n}",
            "severity": "high",
            "kind": "phishing",
            "detected": datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC),
        }


class TestCourseContract(ResourceContract):
    model = m.Course
    shared = True

    def data(self, departments, n=1):
        return {"name": f"Course {n}", "required": True, "renewal_months": 12}


class TestTrainingCompletionContract(ResourceContract):
    model = m.TrainingCompletion
    shared = True

    def data(self, departments, n=1):
        return {
            "person": f.person(n),
            "course": f.create(m.Course, name=f"Course {n}"),
            "completed_on": datetime.date(2026, 2, 1),
        }

    def invalid(self, departments):
        return [("completed_on", lambda post: {"completed_on": "2999-01-01"})]


class TestKnownVulnerabilityContract(ResourceContract):
    model = m.KnownVulnerability
    shared = True

    def data(self, departments, n=1):
        return {"cve_id": f"CVE-2025-{n:05d}", "vendor_project": "Acme", "product": "Widget"}


class TestCveRecordContract(ResourceContract):
    model = m.CveRecord
    shared = True

    def data(self, departments, n=1):
        return {"cve_id": f"CVE-2025-{n:05d}", "affected": []}


class TestProductReleaseContract(ResourceContract):
    model = m.ProductRelease
    shared = True

    def data(self, departments, n=1):
        return {"product": "widget-os", "cycle": f"{n}.0"}


class TestProductAliasContract(ResourceContract):
    model = m.ProductAlias
    shared = True

    def data(self, departments, n=1):
        return {"kind": "product", "estate_name": f"Widget {n}", "feed_product": "Widget Server"}


class TestFeedImportContract(ResourceContract):
    model = m.FeedImport
    shared = True

    def data(self, departments, n=1):
        return {"kind": "kev", "feed_version": f"2026.{n}", "entries": n}


class TestExposureContract(Private):
    model = m.Exposure

    def data(self, departments, n=1):
        return {
            "kind": "kev",
            "system": f.system(n),
            "vulnerability": f.vulnerability(f"CVE-2024-{n:05d}"),
            "status": "open",
            "version_status": "version_unknown",
        }


class TestActionContract(Private):
    model = m.Action

    def data(self, departments, n=1):
        return {"title": f"Action {n}", "source": "other", "status": "planned"}


class TestCoverageContract(Private):
    model = m.Coverage

    def data(self, departments, n=1):
        return {"function": f"Function {n}", "performer": "managed", "order": n}


class TestInsuranceAnswerContract(Private):
    model = m.InsuranceAnswer

    def data(self, departments, n=1):
        # Only the insurer's questions are accepted, one answer each: consecutive n give
        # different questions.
        return {"question": insurance.QUESTIONS[n % len(insurance.QUESTIONS)].slug, "answer": "yes"}

    def invalid(self, departments):
        return [("question", lambda post: {"question": "not-a-question"})]

    @pytest.mark.django_db
    def test_list_queries_do_not_grow_with_rows(self, users, departments):
        # The contract's version lists 100 rows, but there is one answer per question and
        # only len(QUESTIONS) questions: compare 3 rows with one for every question instead.
        client = Client()
        client.force_login(users["staff"])

        def queries() -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(self.url("list") + "?per_page=100").status_code == 200
            return len(ctx.captured_queries)

        total = len(insurance.QUESTIONS)
        evidence = [
            f.create(m.Evidence, title=f"Evidence {n}", link=f"https://example.org/{n}")
            for n in range(total)
        ]
        for n in range(3):
            self.make(departments, n=n)
        few = queries()
        for n in range(3, total):
            obj = self.make(departments, n=n)
            services.update(context.SYSTEM, obj, {"evidence": evidence[n]}, version=None)
        assert self.model.objects.count() == total
        assert queries() == few

    def test_only_the_insurers_questions_are_accepted(self, db, users):
        with pytest.raises(ValidationError) as raised:
            services.create(users["staff"], m.InsuranceAnswer, {"question": "made-up"})
        assert "is not one of the insurer's questions" in str(raised.value)
        assert not m.InsuranceAnswer.objects.exists()
        client = Client()
        client.force_login(users["staff"])
        page = client.get(self.url("add")).content.decode()
        assert insurance.QUESTIONS[0].text in page
        bad = client.post(self.url("add"), {"question": "made-up", "answer": "yes"})
        assert bad.status_code == 400
        api = self.api(users["staff"])
        response = api.post(self.api_url(), {"question": "made-up", "answer": "yes"}, format="json")
        assert response.status_code == 400
        assert "question" in response.json()
        assert not m.InsuranceAnswer.objects.exists()
